/* Routing a request to the log and writing its answer (spec §2–§7). Every
 * answer is built in a buffer reused across requests, then handed back whole:
 * status and headers first, the body after, nothing sent before it is done. */
#include "responder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer_cache.h"
#include "encoding.h"
#include "etag.h"
#include "num.h"
#include "query.h"
#include "store.h"

/* Seconds a client is told to wait after a 503: long enough for a writer's
 * checkpoint or an administrator's fix, short enough for a feed. */
#define RETRY_AFTER_SECONDS "5"

/* "<feed id>-<newest Sequence>-<request hash>[-gz]" with quotes, at most
 * 2 + 16 + 1 + 20 + 1 + 16 + 3 characters. */
#define ETAG_MAX 64

/* Profiles set by requests (df_http_request.metadata) that a responder
 * keeps parsed: a server rarely has more routes than this. */
#define PROFILES_KEPT 4

/* The longest cache key: the request's fields, an allow-list's attributes
 * and the filters' values. A request whose key does not fit is answered
 * without the cache. */
#define KEY_MAX (64u * 1024u)

struct df_responder {
    df_responder_shared *shared;
    char *db_path;
    df_store *store;            /* NULL until opened, or after a failure */
    df_buf body;                /* reused for every request */
    df_buf gz;                  /* the body's gzip, when the request takes it; reused */
    df_gzip *gzip;              /* NULL until a request takes gzip */
    df_buf key;                 /* the request's key in the answer cache; reused */
    const df_cached_body *held; /* the cached body the last answer sent, until ended */
    uint64_t epoch;             /* the cache's when the request began (answer_cache.h) */
    const df_profile *profile;  /* the request's route's; NULL: full */
    struct kept_profile {
        char *setting; /* NULL: an empty slot */
        df_profile profile;
        df_error error; /* code 0 when it parsed */
    } kept[PROFILES_KEPT];
    unsigned next_kept; /* the slot the next new setting takes */
};

static df_answer_cache *cache_of(const df_responder *r)
{
    return r->shared != NULL ? r->shared->cache : NULL;
}

static void release_held(df_responder *r)
{
    if (r->held == NULL)
        return;
    df_answer_cache_release(cache_of(r), r->held);
    r->held = NULL;
}

df_responder *df_responder_new(const char *db_path, df_responder_shared *shared)
{
    df_responder *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->shared = shared;
    if (db_path != NULL && db_path[0] != '\0') {
        r->db_path = strdup(db_path);
        if (r->db_path == NULL) {
            free(r);
            return NULL;
        }
    }
    df_buf_init(&r->body, DF_ANSWER_MAX);
    /* Room for the gzip of the largest body, which is never much larger. */
    df_buf_init(&r->gz, DF_ANSWER_MAX + DF_ANSWER_MAX / 64 + 4096);
    df_buf_init(&r->key, KEY_MAX);
    return r;
}

void df_responder_free(df_responder *r)
{
    if (r == NULL)
        return;
    release_held(r);
    df_store_close(r->store);
    df_buf_free(&r->body);
    df_buf_free(&r->gz);
    df_buf_free(&r->key);
    df_gzip_free(r->gzip);
    for (int i = 0; i < PROFILES_KEPT; i++) {
        free(r->kept[i].setting);
        df_profile_free(&r->kept[i].profile);
    }
    free(r->db_path);
    free(r);
}

/* One line per problem of the service, for the web server's error log. The
 * messages come from this program and SQLite, never from the log's data. */
static void log_problem(const char *detail)
{
    fprintf(stderr, "changefeed.fcgi: %s\n", detail);
    fflush(stderr);
}

static const char *status_text(int status)
{
    switch (status) {
    case 200:
        return "200 OK";
    case 204:
        return "204 No Content";
    case 304:
        return "304 Not Modified";
    case 400:
        return "400 Bad Request";
    case 404:
        return "404 Not Found";
    case 405:
        return "405 Method Not Allowed";
    case 414:
        return "414 URI Too Long";
    default:
        return "503 Service Unavailable";
    }
}

/* Writes status and headers into out->head and points out->body at the
 * body, unless the request was HEAD. A body-less status (204, 304) carries
 * neither body nor Content-Length. gzip: body is the gzip of the answer
 * (spec §6). Every answer varies with Accept-Encoding. */
static void finish(df_answer *out, int status, const char *body, size_t len, bool head,
                   const char *extra, bool gzip)
{
    df_buf *h = &out->head;
    df_buf_reset(h);
    df_buf_append_str(h, "Status: ");
    df_buf_append_str(h, status_text(status));
    df_buf_append_str(h, "\r\nContent-Type: application/json; charset=utf-8\r\n"
                         "Cache-Control: no-store\r\n"
                         "X-Content-Type-Options: nosniff\r\n"
                         "Vary: Accept-Encoding\r\n");
    if (extra != NULL)
        df_buf_append_str(h, extra);
    bool has_body = status != 204 && status != 304;
    if (has_body && gzip)
        df_buf_append_str(h, "Content-Encoding: gzip\r\n");
    if (has_body) {
        df_buf_append_str(h, "Content-Length: ");
        df_buf_append_u64(h, len);
        df_buf_append_str(h, "\r\n");
    }
    df_buf_append_str(h, "\r\n");
    out->body = has_body && !head ? body : NULL;
    out->body_len = has_body && !head ? len : 0;
}

static int status_of(int code)
{
    switch (code) {
    case DF_EINVAL:
    case DF_EVERSION:
        return 400;
    case DF_ENOTFOUND:
        return 404;
    case DF_EMETHOD:
        return 405;
    case DF_ETOOLONG:
        return 414;
    default:
        return 503;
    }
}

static const char *error_code_name(int code)
{
    switch (code) {
    case DF_EINVAL:
        return "InvalidParameter";
    case DF_EVERSION:
        return "UnsupportedApiVersion";
    case DF_ENOTFOUND:
        return "NotFound";
    case DF_EMETHOD:
        return "MethodNotAllowed";
    case DF_ETOOLONG:
        return "UriTooLong";
    default:
        return "ServiceUnavailable";
    }
}

/* The body to send: body itself, or its gzip in r->gz when the request takes
 * gzip; HEAD too, so that its Content-Length is GET's. NULL when the gzip
 * cannot be made (memory). */
static const df_buf *encoded(df_responder *r, const df_buf *body, bool gzip, df_error *err)
{
    if (!gzip)
        return body;
    if (r->gzip == NULL && (r->gzip = df_gzip_new()) == NULL) {
        df_error_set(err, DF_ENOMEM, "out of memory for a gzip compressor");
        return NULL;
    }
    df_buf_reset(&r->gz);
    if (df_gzip_append(r->gzip, body->data, body->len, &r->gz, err) != 0)
        return NULL;
    return &r->gz;
}

/* The error answer of spec §7. Messages of the service's own problems are
 * replaced by a fixed text: SQLite's wording is for the operator's log. */
static void answer_error(df_responder *r, df_answer *out, const df_error *err, bool head, bool gzip)
{
    int status = status_of(err->code);
    const char *message = err->message;
    if (status == 503)
        message = err->code == DF_ESCHEMA
                      ? "The change feed's log has a schema this server does not support."
                      : "The change feed is temporarily unavailable; retry later.";
    df_buf_reset(&r->body);
    df_buf_append_str(&r->body, "{\"error\":{\"code\":\"");
    df_buf_append_str(&r->body, error_code_name(err->code));
    df_buf_append_str(&r->body, "\",\"message\":");
    df_json_append_string(&r->body, message, strlen(message));
    df_buf_append_str(&r->body, "}}");
    const char *extra = NULL;
    if (status == 405)
        extra = "Allow: GET, HEAD\r\n";
    else if (status == 503)
        extra = "Retry-After: " RETRY_AFTER_SECONDS "\r\n";
    /* An error answer that cannot be compressed is sent as it is. */
    df_error ignored = {0};
    const df_buf *sent = encoded(r, &r->body, gzip, &ignored);
    if (sent == NULL) {
        sent = &r->body;
        gzip = false;
    }
    finish(out, status, sent->data, sent->len, head, extra, gzip);
}

static const char *const action_names[] = {
    [DF_ACTION_CREATE] = "create", [DF_ACTION_DELETE] = "delete", [DF_ACTION_UPDATE] = "update"};
static const char *const state_names[] = {[DF_STATE_CURRENT] = "current",
                                          [DF_STATE_REPLACED] = "replaced",
                                          [DF_STATE_DELETED] = "deleted"};

/* What an answer shows of each entry's metadata: the route's profile
 * (profile.h) and the request's includemetadata. */
typedef struct view {
    bool include_metadata;   /* the Metadata field is written */
    const df_profile *allow; /* DF_PROFILE_ALLOW: only its attributes; else NULL */
    df_error *err;           /* what stopped a page: the log held metadata not JSON */
} view;

/* Metadata as stored, or its allowed attributes; null for none. Returns 0,
 * or DF_EDB when the log holds metadata an allow-list cannot read. */
static int write_metadata(df_buf *b, const df_entry *e, const view *v)
{
    df_buf_append_str(b, ",\"Metadata\":");
    if (e->metadata == NULL) {
        df_buf_append_str(b, "null");
        return 0;
    }
    if (v->allow == NULL) {
        df_buf_append(b, e->metadata, e->metadata_len);
        return 0;
    }
    df_error why = {0};
    if (df_profile_allow(v->allow, e->metadata, e->metadata_len, b, &why) != 0)
        return df_error_set(v->err, DF_EDB, "entry %lld: %s", (long long)e->sequence, why.message);
    return 0;
}

/* The fields of spec §3 up to State, in its order. */
static void write_head(df_buf *b, const df_entry *e)
{
    df_buf_append_str(b, "{\"Sequence\":");
    df_buf_append_i64(b, e->sequence);
    df_buf_append_str(b, ",\"StudyInstanceUid\":");
    df_json_append_string(b, e->study_uid, strlen(e->study_uid));
    df_buf_append_str(b, ",\"SeriesInstanceUid\":");
    df_json_append_string(b, e->series_uid, strlen(e->series_uid));
    df_buf_append_str(b, ",\"SopInstanceUid\":");
    df_json_append_string(b, e->sop_uid, strlen(e->sop_uid));
    df_buf_append_str(b, ",\"Action\":\"");
    df_buf_append_str(b, action_names[e->action]);
    df_buf_append_str(b, "\",\"Timestamp\":\"");
    df_json_append_timestamp(b, e->timestamp_us);
    df_buf_append_str(b, "\",\"State\":\"");
    df_buf_append_str(b, state_names[e->state]);
    df_buf_append_char(b, '"');
}

/* The entry of spec §3, fields in its order. Metadata is copied as stored:
 * the ingest side validated and compacted it. */
static int write_entry_v1(df_buf *b, const df_entry *e, const view *v)
{
    write_head(b, e);
    int rc = v->include_metadata ? write_metadata(b, e, v) : 0;
    df_buf_append_char(b, '}');
    return rc;
}

/* v2's entry (spec §5, extension): SopClassUid and Modality after State,
 * each absent when the entry has none. */
static int write_entry_v2(df_buf *b, const df_entry *e, const view *v)
{
    write_head(b, e);
    if (e->sop_class_uid != NULL && e->sop_class_uid[0] != '\0') {
        df_buf_append_str(b, ",\"SopClassUid\":");
        df_json_append_string(b, e->sop_class_uid, strlen(e->sop_class_uid));
    }
    if (e->modality != NULL && e->modality[0] != '\0') {
        df_buf_append_str(b, ",\"Modality\":");
        df_json_append_string(b, e->modality, strlen(e->modality));
    }
    int rc = v->include_metadata ? write_metadata(b, e, v) : 0;
    df_buf_append_char(b, '}');
    return rc;
}

typedef int (*entry_writer)(df_buf *b, const df_entry *e, const view *v);

/* One serializer per answer format of the version table (query.h). */
static const entry_writer entry_writers[] = {
    [DF_FORMAT_V1] = write_entry_v1, [DF_FORMAT_V2] = write_entry_v2};

struct page_ctx {
    df_buf *body;
    entry_writer write;
    view view;
    int count;
};

/* Stops a page's read early: the page is full, and that is no error. */
#define PAGE_FULL 1

static int page_entry(void *ctx, const df_entry *e)
{
    struct page_ctx *p = ctx;
    size_t before = p->body->len;
    if (p->count > 0)
        df_buf_append_char(p->body, ',');
    int rc = p->write(p->body, e, &p->view);
    if (rc != 0)
        return rc;
    if (!df_buf_failed(p->body)) {
        p->count++;
        return 0;
    }
    /* The page ends before an entry that does not fit: the client
     * continues after the last one it got. The first entry of a page must
     * fit, or the page could never move on. The ']' after the entries fits
     * in the room the entry left. */
    if (p->count == 0)
        return DF_ENOMEM;
    df_buf_truncate(p->body, before);
    return PAGE_FULL;
}

static void drop_store(df_responder *r)
{
    df_store_close(r->store);
    r->store = NULL;
}

/* Opens the log if it is not open, or reopens it when the file was replaced
 * (a restored backup, a rotated log), so a long-lived FastCGI process never
 * serves a file nobody writes any more. *opened tells whether this call
 * opened it: a failure right after is then no stale connection. */
static int ensure_store(df_responder *r, bool *opened, df_error *err)
{
    *opened = false;
    if (r->store != NULL && !df_store_replaced(r->store))
        return 0;
    drop_store(r);
    if (r->db_path == NULL) {
        log_problem("DCMFEED_DB is not set: every request answers 503");
        return df_error_set(err, DF_EDB, "DCMFEED_DB is not set");
    }
    *opened = true;
    int rc = df_store_open(r->db_path, DF_STORE_READONLY, &r->store, err);
    /* What the process's cache holds may be of the file before (a log put
     * back under the same identity, by hand): it is forgotten, and bodies
     * that other threads still read from that file are never kept (their
     * epoch is older); this request's reads are of the new epoch. */
    if (rc == 0)
        r->epoch = df_answer_cache_clear(cache_of(r));
    if (rc != 0) {
        /* The address may be a PostgreSQL conninfo with a password in it. */
        char shown[512];
        char detail[DF_ERROR_MESSAGE_MAX + sizeof shown + 16];
        snprintf(detail, sizeof detail, "%s (DCMFEED_DB=%s)", err->message,
                 df_store_address_for_log(r->db_path, shown, sizeof shown));
        log_problem(detail);
    }
    return rc;
}

/* The route's profile (full when none was set). */
static df_profile_kind profile_kind(const df_responder *r)
{
    return r->profile != NULL ? r->profile->kind : DF_PROFILE_FULL;
}

/* Sets r->profile for a request: its own setting when it has one (parsed
 * once, then kept), else the process's. A setting that does not parse is
 * DF_EDB with the reason in err: the request answers 503, never with more
 * than the route's operator asked to show. */
static int choose_profile(df_responder *r, const char *setting, df_error *err)
{
    df_responder_shared *sh = r->shared;
    if (setting == NULL) {
        r->profile = sh != NULL ? sh->profile : NULL;
        if (sh != NULL && sh->profile_error != NULL)
            return df_error_set(err, DF_EDB, "%s", sh->profile_error);
        return 0;
    }
    struct kept_profile *k = NULL;
    for (int i = 0; i < PROFILES_KEPT && k == NULL; i++)
        if (r->kept[i].setting != NULL && strcmp(r->kept[i].setting, setting) == 0)
            k = &r->kept[i];
    if (k == NULL) {
        k = &r->kept[r->next_kept++ % PROFILES_KEPT];
        free(k->setting);
        df_profile_free(&k->profile);
        df_error_clear(&k->error);
        k->setting = strdup(setting);
        if (k->setting == NULL)
            return df_error_set(err, DF_ENOMEM, "out of memory");
        df_profile_parse(setting, &k->profile, &k->error);
    }
    r->profile = &k->profile;
    if (k->error.code != 0)
        return df_error_set(err, DF_EDB, "%s", k->error.message);
    return 0;
}

/* Which metadata the store reads for a request: none when the request or
 * the route wants none, the de-identified copy on a deid route, else the
 * metadata (an allow-list picks from it as it is written). */
static df_metadata metadata_of(const df_responder *r, const df_request *q)
{
    if (!q->include_metadata)
        return DF_METADATA_NONE;
    switch (profile_kind(r)) {
    case DF_PROFILE_NONE:
        return DF_METADATA_NONE;
    case DF_PROFILE_DEID:
        return DF_METADATA_DEID;
    default:
        return DF_METADATA_FULL;
    }
}

static bool filtered(const df_request *q)
{
    return q->sop_class_count > 0 || q->modality_count > 0 || q->actions != 0;
}

static int read_feed(df_responder *r, const df_request *q, df_entry_fn fn, void *ctx, int limit,
                     df_metadata metadata, df_error *err)
{
    int64_t start = q->has_start ? q->start_us : INT64_MIN;
    int64_t end = q->has_end ? q->end_us : INT64_MAX;
    if (q->version->time_window && filtered(q)) {
        df_filter f = {.sop_class_count = (size_t)q->sop_class_count,
                       .modality_count = (size_t)q->modality_count,
                       .actions = q->actions};
        for (int i = 0; i < q->sop_class_count; i++)
            f.sop_classes[i] = q->sop_classes[i];
        for (int i = 0; i < q->modality_count; i++)
            f.modalities[i] = q->modalities[i];
        return df_store_window_matching(r->store, start, end, q->offset, limit, metadata, &f, fn,
                                        ctx, err);
    }
    if (q->version->time_window)
        return df_store_window(r->store, start, end, q->offset, limit, metadata, fn, ctx, err);
    return df_store_page(r->store, q->offset, limit, metadata, fn, ctx, err);
}

static int count_entry(void *ctx, const df_entry *e)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

/* Whether the page asked for is empty now: past the newest entry for v1 (no
 * read needed), or a window with nothing left in it for v2. */
static int page_is_empty(df_responder *r, const df_request *q, int64_t last, bool *empty,
                         df_error *err)
{
    if (!q->version->time_window) {
        *empty = last <= q->offset;
        return 0;
    }
    int n = 0;
    int rc = read_feed(r, q, count_entry, &n, 1, DF_METADATA_NONE, err);
    *empty = n == 0;
    return rc;
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* wait=N: holds an empty page until a commit fills it or N seconds pass.
 * The store waits for a change of the log's data version (on PostgreSQL a
 * NOTIFY, on SQLite data_version polled, neither reading a page) and stops
 * within DF_STORE_WAIT_SLICE_MS of a SIGTERM; only a change costs a real
 * look. The number of requests waiting at once is bounded: past the bound
 * they answer at once, so waiting clients can never take every thread of
 * the process. On return *last is the newest Sequence, read in a new
 * snapshot. */
static int wait_for_news(df_responder *r, const df_request *q, int64_t *last, df_error *err)
{
    bool empty;
    int rc = page_is_empty(r, q, *last, &empty, err);
    /* New entries are stamped now or later: a window that ended is final. */
    if (rc != 0 || !empty || (q->has_end && q->end_us <= now_us()))
        return rc;
    df_responder_shared *sh = r->shared;
    if (sh == NULL || atomic_fetch_add(&sh->waiting, 1) >= sh->max_waiting) {
        if (sh != NULL)
            atomic_fetch_sub(&sh->waiting, 1);
        return 0;
    }
    df_store_read_end(r->store);
    int64_t deadline = monotonic_ms() + (int64_t)q->wait_seconds * 1000;
    int64_t seen = 0, version = 0, newest = *last, left_ms;
    rc = df_store_data_version(r->store, &seen, err);
    /* A commit since the snapshot is already counted in seen: look for it
     * once, or the wait would sleep through it. */
    if (rc == 0)
        rc = df_store_last_sequence(r->store, &newest, err);
    if (rc == 0 && newest != *last) {
        *last = newest;
        rc = page_is_empty(r, q, *last, &empty, err);
    }
    while (rc == 0 && empty && !atomic_load(&sh->stopping) &&
           (left_ms = deadline - monotonic_ms()) > 0) {
        rc = df_store_wait_change(r->store, seen, (int)left_ms, &sh->stopping, &version, err);
        if (rc != 0 || version == seen)
            continue;
        seen = version;
        rc = df_store_last_sequence(r->store, last, err);
        if (rc == 0)
            rc = page_is_empty(r, q, *last, &empty, err);
    }
    atomic_fetch_sub(&sh->waiting, 1);
    if (rc == 0)
        rc = df_store_read_begin(r->store, err);
    if (rc == 0)
        rc = df_store_last_sequence(r->store, last, err);
    return rc;
}

/* The request's own fields that its answer depends on, the filters' values
 * aside, for the ETag and the answer cache. */
#define REQUEST_FIELDS 10

static void request_fields(const df_request *q, int64_t fields[REQUEST_FIELDS])
{
    int64_t f[REQUEST_FIELDS] = {
        q->version->format, q->version->time_window,
        q->route,           q->offset,
        q->limit,           q->include_metadata,
        q->has_start,       q->has_start ? q->start_us : 0,
        q->has_end,         q->has_end ? q->end_us : 0,
    };
    memcpy(fields, f, sizeof f);
}

/* Everything an answer depends on but the log's identity and newest
 * Sequence: the request (v2's format counted as v1's, as the release before
 * did: the time window tells them apart); and, each only where it is not the default, so that
 * a feed's ETags stay what the release before gave while nothing of these
 * applies: the route's profile (a client switching routes never gets a 304
 * for another profile's body), the filters, and a schema version from 4 on
 * (version 4 added fields to v2's entries, without a new entry). */
static uint64_t request_digest(const df_responder *r, const df_request *q)
{
    int64_t fields[REQUEST_FIELDS];
    request_fields(q, fields);
    if (fields[0] == DF_FORMAT_V2)
        fields[0] = DF_FORMAT_V1;
    uint64_t h = df_fnv1a(DF_FNV_START, fields, sizeof fields);
    int64_t version = df_store_schema_version(r->store);
    if (version >= 4)
        h = df_fnv1a(h, &version, sizeof version);
    if (profile_kind(r) != DF_PROFILE_FULL)
        h = df_fnv1a(h, &r->profile->digest, sizeof r->profile->digest);
    if (filtered(q)) {
        int64_t counts[] = {q->sop_class_count, q->modality_count, q->actions};
        h = df_fnv1a(h, counts, sizeof counts);
        /* Each value with its NUL, so that "1.2","3" and "1.23" differ. */
        for (int i = 0; i < q->sop_class_count; i++)
            h = df_fnv1a(h, q->sop_classes[i], strlen(q->sop_classes[i]) + 1);
        for (int i = 0; i < q->modality_count; i++)
            h = df_fnv1a(h, q->modalities[i], strlen(q->modalities[i]) + 1);
    }
    return h;
}

/* A strong ETag from what the answer depends on: entries are immutable and
 * every change of a State or of Metadata appends an entry, so the log's
 * identity and its newest Sequence cover every change of any answer. */
static void make_etag(df_responder *r, const df_request *q, int64_t last, bool gzip, df_buf *tag)
{
    static const char hex[] = "0123456789abcdef";
    char digest[16];
    uint64_t h = request_digest(r, q);
    for (int i = 15; i >= 0; i--, h >>= 4)
        digest[i] = hex[h & 15];
    df_buf_append_char(tag, '"');
    df_buf_append(tag, df_store_feed_id(r->store), DF_FEED_ID_ETAG_LEN);
    df_buf_append_char(tag, '-');
    df_buf_append_i64(tag, last);
    df_buf_append_char(tag, '-');
    df_buf_append(tag, digest, sizeof digest);
    /* Each encoding of an answer is a representation of its own, with its
     * own strong tag (RFC 9110, 8.8.3): a 304 for either. */
    if (gzip)
        df_buf_append_str(tag, "-gz");
    df_buf_append_char(tag, '"');
}

/* Everything the body of an answer depends on besides the log's generation
 * (its identity and newest Sequence), written whole into key for the answer
 * cache, which compares keys byte for byte: unlike the ETag's digest, two
 * requests (or two routes' profiles) never share a key by a hash's
 * accident. False when the key does not fit: no caching then. */
static bool cache_key(const df_responder *r, const df_request *q, bool gzip, df_buf *key)
{
    int64_t request[REQUEST_FIELDS];
    request_fields(q, request);
    int64_t fields[] = {
        df_store_schema_version(r->store),
        profile_kind(r),
        gzip,
        q->sop_class_count,
        q->modality_count,
        q->actions,
        profile_kind(r) == DF_PROFILE_ALLOW ? (int64_t)r->profile->tag_count : 0,
    };
    df_buf_reset(key);
    df_buf_append(key, request, sizeof request);
    df_buf_append(key, fields, sizeof fields);
    if (profile_kind(r) == DF_PROFILE_ALLOW)
        df_buf_append(key, r->profile->tags, r->profile->tag_count * sizeof r->profile->tags[0]);
    /* Each value with its NUL, so that "1.2","3" and "1.23" differ. */
    for (int i = 0; i < q->sop_class_count; i++)
        df_buf_append(key, q->sop_classes[i], strlen(q->sop_classes[i]) + 1);
    for (int i = 0; i < q->modality_count; i++)
        df_buf_append(key, q->modalities[i], strlen(q->modalities[i]) + 1);
    return !df_buf_failed(key);
}

/* Reads what the request asks for and writes the answer. Runs inside one
 * read snapshot, begun here and ended by the caller, so the ETag labels
 * exactly the entries of the body (or older ones, never newer). */
static int answer(df_responder *r, const df_request *q, const df_http_request *req, df_answer *out,
                  df_error *err)
{
    int rc = df_store_read_begin(r->store, err);
    int64_t last = 0;
    if (rc == 0)
        rc = df_store_last_sequence(r->store, &last, err);
    if (rc == 0 && q->route == DF_ROUTE_FEED && q->wait_seconds > 0)
        rc = wait_for_news(r, q, &last, err);
    if (rc != 0)
        return rc;

    /* A buffer over stack memory: its ceiling is below its capacity, so it
     * fails rather than ever reallocating what it does not own. */
    char tag_bytes[ETAG_MAX + 16];
    df_buf tag = {tag_bytes, 0, sizeof tag_bytes, ETAG_MAX, false};
    bool gzip = df_accepts_gzip(req->accept_encoding);
    make_etag(r, q, last, gzip, &tag);
    char extra[ETAG_MAX + 16] = "ETag: ";
    memcpy(extra + 6, tag.data, tag.len);
    memcpy(extra + 6 + tag.len, "\r\n", 3);

    df_buf_reset(&r->body);
    if (q->route == DF_ROUTE_LATEST && last == 0) {
        finish(out, 204, NULL, 0, q->head, NULL, false);
        return 0;
    }
    if (req->if_none_match != NULL && df_etag_matches(req->if_none_match, tag.data, tag.len)) {
        finish(out, 304, NULL, 0, q->head, extra, false);
        return 0;
    }
    df_answer_cache *cache = cache_of(r);
    const char *feed = df_store_feed_id(r->store);
    bool keyed = cache != NULL && cache_key(r, q, gzip, &r->key);
    if (keyed)
        r->held = df_answer_cache_get(cache, r->epoch, feed, last, r->key.data, r->key.len);
    if (r->held != NULL) {
        finish(out, 200, df_cached_body_data(r->held), df_cached_body_len(r->held), q->head, extra,
               gzip);
        return 0;
    }
    df_metadata metadata = metadata_of(r, q);
    struct page_ctx p = {&r->body, entry_writers[q->version->format],
                         (view){metadata != DF_METADATA_NONE,
                                profile_kind(r) == DF_PROFILE_ALLOW ? r->profile : NULL, err},
                         0};
    if (q->route == DF_ROUTE_LATEST) {
        rc = df_store_latest(r->store, metadata, page_entry, &p, err);
    } else {
        df_buf_append_char(&r->body, '[');
        rc = read_feed(r, q, page_entry, &p, q->limit, metadata, err);
        if (rc == PAGE_FULL)
            rc = 0;
        df_buf_append_char(&r->body, ']');
    }
    if (rc == 0 && df_buf_failed(&r->body))
        rc = DF_ENOMEM;
    if (rc != 0)
        return rc;
    const df_buf *sent = encoded(r, &r->body, gzip, err);
    if (sent == NULL)
        return DF_ENOMEM;
    if (keyed)
        df_answer_cache_put(cache, r->epoch, feed, last, r->key.data, r->key.len, sent->data,
                            sent->len);
    finish(out, 200, sent->data, sent->len, q->head, extra, gzip);
    return 0;
}

/* One try at the request on the open log, its snapshot ended whatever the
 * outcome. */
static int answer_once(df_responder *r, const df_request *q, const df_http_request *req,
                       df_answer *out, df_error *err)
{
    int rc = answer(r, q, req, out, err);
    df_store_read_end(r->store);
    return rc;
}

void df_responder_end(df_responder *r)
{
    release_held(r);
    df_buf_trim(&r->body, DF_ANSWER_KEEP);
    df_buf_trim(&r->gz, DF_ANSWER_KEEP);
}

void df_responder_handle(df_responder *r, const df_http_request *req, df_answer *out)
{
    /* A caller that answers once (CGI) may not have ended the last one. */
    release_held(r);
    df_error err = {0};
    df_request q;
    size_t path_len;
    const char *path =
        df_query_route_path(req->path_info, req->request_uri, req->script_name, &path_len);
    /* A shell running the binary as CGI may leave REQUEST_METHOD unset. */
    const char *method = req->method != NULL ? req->method : "GET";
    bool head = strcmp(method, "HEAD") == 0;
    bool gzip = df_accepts_gzip(req->accept_encoding);
    int rc = df_query_parse(method, path, path_len, req->query_string, &q, &err);
    if (rc != 0) {
        answer_error(r, out, &err, head, gzip);
        return;
    }
    if (choose_profile(r, req->metadata, &err) != 0) {
        char detail[DF_ERROR_MESSAGE_MAX + 48];
        snprintf(detail, sizeof detail, "%s: the route answers 503", err.message);
        log_problem(detail);
        answer_error(r, out, &err, head, gzip);
        return;
    }
    int64_t started_ms = monotonic_ms();
    /* Taken before the log is looked at: a clear by another thread that
     * found the file replaced then voids what this one reads. */
    r->epoch = df_answer_cache_epoch(cache_of(r));
    bool opened = false;
    rc = ensure_store(r, &opened, &err);
    if (rc == 0)
        rc = answer_once(r, &q, req, out, &err);
    /* A connection kept from an earlier request may have gone stale: the
     * PostgreSQL server restarted, or ended the session. One reopen and one
     * more try at once, so that a server that is back again costs no 503;
     * a log that is still away, or a read that fails again, answers 503.
     * A wait=N request waits only what is left of its N seconds. So too
     * when a request needs what a log opened before a writer upgraded it
     * did not have (de-identified metadata, filters: DF_ESCHEMA). */
    bool stale = rc == DF_ESCHEMA && r->store != NULL &&
                 df_store_schema_version(r->store) < DF_SCHEMA_VERSION;
    if ((rc == DF_EDB || stale) && !opened && r->store != NULL) {
        char detail[DF_ERROR_MESSAGE_MAX + 32];
        snprintf(detail, sizeof detail, "%s; reopening the log", err.message);
        log_problem(detail);
        drop_store(r);
        df_error_clear(&err);
        /* Whole seconds left, rounded down: the retry never outlasts N. */
        int64_t left_ms = (int64_t)q.wait_seconds * 1000 - (monotonic_ms() - started_ms);
        q.wait_seconds = left_ms <= 0 ? 0 : (int)(left_ms / 1000);
        rc = ensure_store(r, &opened, &err);
        if (rc == 0)
            rc = answer_once(r, &q, req, out, &err);
    }
    if (rc == 0)
        return;
    /* The log could not be opened: ensure_store said why, and a schema this
     * build does not know keeps its own message. */
    if (r->store == NULL) {
        answer_error(r, out, &err, q.head, gzip);
        return;
    }
    if (rc == DF_ENOMEM)
        df_error_set(&err, DF_ENOMEM, "the answer exceeds %u bytes", DF_ANSWER_MAX);
    log_problem(err.message);
    /* A failed read may leave the connection in a bad state (a corrupted
     * page, a vanished file): start afresh next time. */
    if (rc != DF_ENOMEM)
        drop_store(r);
    df_error_set(&err, DF_EDB, "read failed");
    answer_error(r, out, &err, q.head, gzip);
}
