/* The consumer's flow (spec §9) over the HTTP client (http.h): see pull.h.
 * One client is kept for the whole run so that pages reuse one connection. */
#include "pull.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "num.h"
#include "pull_state.h"

/* Longest request URL made: the base the user gave and the query. */
#define URL_MAX 16384

void df_pull_options_init(df_pull_options *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 100;
    o->include_metadata = true;
    o->interval = 5.0;
    o->wait = 20;
    df_http_settings_init(&o->http);
}

/* --- pure helpers ------------------------------------------------------------ */

int df_pull_url(df_buf *out, const char *base, const char *route, int64_t offset, int limit,
                bool include_metadata, int wait, df_error *err)
{
    if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
        return df_error_set(err, DF_EINVAL, "the URL must start with http:// or https://");
    if (strchr(base, '#') != NULL)
        return df_error_set(err, DF_EINVAL, "the URL must not have a fragment (#)");
    const char *query = strchr(base, '?');
    size_t path_len = query != NULL ? (size_t)(query - base) : strlen(base);
    size_t scheme_len = base[4] == 's' ? 8 : 7;
    while (path_len > scheme_len && base[path_len - 1] == '/')
        path_len--;
    if (path_len == scheme_len)
        return df_error_set(err, DF_EINVAL, "the URL has no host");
    df_buf_append(out, base, path_len);
    df_buf_append_str(out, route);
    char sep = '?';
    if (query != NULL && query[1] != '\0') {
        df_buf_append_str(out, query);
        sep = '&';
    }
    if (offset >= 0) {
        df_buf_append_char(out, sep);
        df_buf_append_str(out, "offset=");
        df_buf_append_i64(out, offset);
        sep = '&';
    }
    if (limit > 0) {
        df_buf_append_char(out, sep);
        df_buf_append_str(out, "limit=");
        df_buf_append_i64(out, limit);
        sep = '&';
    }
    df_buf_append_char(out, sep);
    df_buf_append_str(out, include_metadata ? "includemetadata=true" : "includemetadata=false");
    if (wait > 0) {
        df_buf_append_str(out, "&wait=");
        df_buf_append_i64(out, wait);
    }
    if (df_buf_failed(out))
        return df_error_set(err, DF_ENOMEM, "out of memory building a URL");
    return 0;
}

int df_pull_split(const char *text, size_t len, df_json_span **spans, size_t *count, df_error *err)
{
    *count = 0;
    size_t i = df_json_skip_ws(text, len, 0);
    if (i == len || text[i] != '[')
        return df_error_set(err, DF_EPULL_PROTOCOL, "the page is not a JSON array");
    df_json_iter it;
    df_json_span value;
    df_error why = {0};
    size_t n = 0, cap = 0;
    int rc = df_json_iter_begin(&it, text, len, i, &why);
    while (rc == 0 && (rc = df_json_iter_next(&it, NULL, &value, &why)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            df_json_span *grown = realloc(*spans, ncap * sizeof *grown);
            if (grown == NULL)
                return df_error_set(err, DF_ENOMEM, "out of memory splitting a page");
            *spans = grown;
            cap = ncap;
        }
        (*spans)[n++] = value;
        rc = 0;
    }
    if (rc != 0)
        return df_error_set(err, DF_EPULL_PROTOCOL, "the page is not a complete JSON array: %s",
                            why.message);
    if (df_json_skip_ws(text, len, it.i) != len)
        return df_error_set(err, DF_EPULL_PROTOCOL, "the page has text after its array");
    *count = n;
    return 0;
}

int df_pull_member_i64(const char *obj, size_t len, const char *name, int64_t *value, df_error *err)
{
    df_json_span v;
    df_error why = {0};
    int rc = df_json_member(obj, len, name, &v, &why);
    if (rc == DF_ENOTFOUND)
        return rc;
    if (rc != 0)
        return df_error_set(err, DF_EPULL_PROTOCOL, "an entry is not a JSON object: %s",
                            why.message);
    switch (df_parse_i64(obj + v.start, v.len, 0, INT64_MAX, value)) {
    case DF_NUM_OK:
        return 0;
    case DF_NUM_RANGE:
        return df_error_set(err, DF_EPULL_PROTOCOL, "%s of an entry is past 64 bits", name);
    default:
        return df_error_set(err, DF_EPULL_PROTOCOL, "%s of an entry is not a non-negative integer",
                            name);
    }
}

bool df_pull_feed_id(const char *etag, char out[DF_PULL_FEED_ID_SIZE])
{
    out[0] = '\0';
    const char *p = etag;
    if (p[0] == 'W' && p[1] == '/')
        p += 2;
    if (*p++ != '"')
        return false;
    for (int i = 0; i < DF_FEED_ID_ETAG_LEN; i++) {
        char c = p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    if (p[DF_FEED_ID_ETAG_LEN] != '-')
        return false;
    memcpy(out, p, DF_FEED_ID_ETAG_LEN);
    out[DF_FEED_ID_ETAG_LEN] = '\0';
    return true;
}

/* --- the reader ------------------------------------------------------------------ */

struct df_pull_reader {
    const df_pull_options *o;
    df_http_settings http; /* o's, with the program's name and retries */
    df_http *client;
    df_http_answer answer;
    df_buf url;
    df_buf body;
    df_buf empty_url;     /* the URL whose last answer was an empty page … */
    char empty_etag[256]; /* … and that answer's ETag, for If-None-Match */
    char feed_id[DF_PULL_FEED_ID_SIZE];
    json_t *page; /* the page read last, and its entries */
    df_json_span *spans;
    df_pull_entry *entries;
    size_t entries_cap;
    /* With filters (pull.h): the window's start, the Timestamp of the last
     * entry read ("": the log's start), how many entries of it were read, and
     * the Sequence those describe the position after (-1: none yet). */
    char window[40];
    int64_t at_window;
    int64_t window_after;
};

static void say(const df_pull_options *o, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(const df_pull_options *o, int level, const char *fmt, ...)
{
    if (o->http.verbosity < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("dcmfeed-pull: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int df_pull_reader_open(const df_pull_options *o, df_pull_reader **out, df_error *err)
{
    *out = NULL;
    df_pull_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    r->o = o;
    r->window_after = -1;
    /* The client's settings are the caller's, with the retries of a
     * follower (without end) or of a single run (8) when none were given. */
    r->http = o->http;
    r->http.max_retries = df_http_retries(&o->http, o->follow ? DF_HTTP_RETRY_FOREVER : 8);
    if (r->http.name == NULL)
        r->http.name = "dcmfeed-pull";
    if (r->http.user_agent == NULL)
        r->http.user_agent = "dcmfeed-pull";
    df_buf_init(&r->url, URL_MAX);
    df_buf_init(&r->body, DF_PULL_ANSWER_MAX);
    df_buf_init(&r->empty_url, URL_MAX);
    /* Checks the URL before anything else happens. */
    int rc = o->url == NULL ? df_error_set(err, DF_EINVAL, "no URL")
                            : df_pull_url(&r->url, o->url, "/changefeed", 0, 1, true, 0, err);
    if (rc == 0)
        rc = df_http_open(&r->http, &r->client, err);
    if (rc != 0) {
        df_pull_reader_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

void df_pull_reader_close(df_pull_reader *r)
{
    if (r == NULL)
        return;
    df_http_close(r->client);
    df_buf_free(&r->url);
    df_buf_free(&r->body);
    df_buf_free(&r->empty_url);
    json_decref(r->page);
    free(r->spans);
    free(r->entries);
    free(r);
}

const char *df_pull_reader_feed_id(const df_pull_reader *r)
{
    return r->feed_id;
}

/* GETs url with the client's retries: 0 with r->answer and r->body,
 * DF_HTTP_STOPPED, or an error (an answer too large is the server's fault:
 * not a valid page). */
static int get(df_pull_reader *r, const char *url, const char *if_none_match, long extra_seconds,
               df_error *err)
{
    char inm[300];
    const char *headers[3] = {"Accept: application/json", NULL, NULL};
    if (if_none_match != NULL && if_none_match[0] != '\0') {
        snprintf(inm, sizeof inm, "If-None-Match: %s", if_none_match);
        headers[1] = inm;
    }
    df_error why = {0};
    int rc = df_http_get(r->client, url, headers, extra_seconds, &r->body, &r->answer, &why);
    if (rc == DF_EHTTP_TOOBIG)
        return df_error_set(err, DF_EPULL_PROTOCOL, "an answer is larger than %u MiB",
                            DF_PULL_ANSWER_MAX / (1024u * 1024u));
    if (rc < 0)
        return df_error_set(err, rc, "%s", why.message);
    return rc;
}

/* Learns the feed's identity from an answer's ETag; a different one than
 * before means another log answers at this URL now. */
static int check_identity(df_pull_reader *r, df_error *err)
{
    char id[DF_PULL_FEED_ID_SIZE];
    if (!df_pull_feed_id(r->answer.etag, id))
        return 0; /* a proxy may drop the header: the identity stays what it was */
    if (r->feed_id[0] == '\0') {
        memcpy(r->feed_id, id, sizeof id);
        return 0;
    }
    if (strcmp(r->feed_id, id) != 0)
        return df_error_set(err, DF_EPULL_FEED,
                            "the feed's identity changed from %s to %s: another log answers at "
                            "this URL now, and its Sequences are not the ones read so far",
                            r->feed_id, id);
    return 0;
}

/* An answer that is neither a page nor retryable: the code and message. */
static int refuse(df_pull_reader *r, long status, df_error *err)
{
    char why[DF_ERROR_MESSAGE_MAX];
    if (status >= 300 && status < 400 && status != 304)
        return df_error_set(err, DF_EPULL_REJECTED,
                            "HTTP %ld: the server redirects to %s; give that URL instead", status,
                            r->answer.location[0] != '\0' ? r->answer.location : "another URL");
    if (status < 400 || status >= 500)
        return df_error_set(err, DF_EPULL_PROTOCOL, "unexpected answer HTTP %ld", status);
    df_http_describe(status, &r->body, why, sizeof why);
    /* The usual mistake: the URL of a route, where the feed's base is asked
     * for (the program adds /changefeed itself). */
    if (status == 404) {
        char shown[2048];
        df_http_shown_url(r->o->url, shown, sizeof shown);
        char *route = strstr(shown, "/changefeed");
        if (route != NULL)
            *route = '\0';
        return df_error_set(err, DF_EPULL_REJECTED,
                            "%s; give the feed's base URL, up to its version, without "
                            "/changefeed: %s",
                            why, route != NULL ? shown : "e.g. https://pacs.example/dicom/v1");
    }
    return df_error_set(err, status == 401 || status == 403 ? DF_EPULL_AUTH : DF_EPULL_REJECTED,
                        "%s", why);
}

int df_pull_reader_latest(df_pull_reader *r, int64_t *start, df_error *err)
{
    df_buf_reset(&r->url);
    int rc = df_pull_url(&r->url, r->o->url, "/changefeed/latest", -1, 0, false, 0, err);
    if (rc == 0)
        rc = get(r, r->url.data, NULL, 0, err);
    if (rc != 0)
        return rc;
    long status = r->answer.status;
    if (status == 204) {
        *start = 0;
        return 0;
    }
    if (status != 200)
        return refuse(r, status, err);
    rc = check_identity(r, err);
    if (rc != 0)
        return rc;
    json_error_t je;
    json_t *root = json_loadb(r->body.data != NULL ? r->body.data : "", r->body.len,
                              JSON_DECODE_INT_AS_REAL, &je);
    if (!json_is_object(root)) {
        json_decref(root);
        return df_error_set(err, DF_EPULL_PROTOCOL, "/changefeed/latest did not answer an entry");
    }
    json_decref(root);
    rc = df_pull_member_i64(r->body.data, r->body.len, "Sequence", start, err);
    if (rc == DF_ENOTFOUND)
        rc = df_error_set(err, DF_EPULL_PROTOCOL, "the latest entry has no Sequence");
    return rc;
}

static const char *string_field(const json_t *o, const char *name)
{
    const json_t *v = json_object_get(o, name);
    /* A string with an embedded NUL cannot travel in an environment. */
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return NULL;
    return json_string_value(v);
}

/* Checks a page whole before anything of it is processed: every element an
 * object, Sequences offset+1, offset+2, … Fills r->entries. */
static int check_page(df_pull_reader *r, size_t count, int64_t offset, df_error *err)
{
    for (size_t i = 0; i < count; i++) {
        df_pull_entry *e = &r->entries[i];
        memset(e, 0, sizeof *e);
        json_t *obj = json_array_get(r->page, i);
        if (!json_is_object(obj))
            return df_error_set(err, DF_EPULL_PROTOCOL, "element %zu of the page is not an entry",
                                i + 1);
        e->object = obj;
        e->json = r->body.data + r->spans[i].start;
        e->json_len = df_json_compact(e->json, r->spans[i].len, r->body.data + r->spans[i].start);
        int rc = df_pull_member_i64(e->json, e->json_len, "Sequence", &e->sequence, err);
        if (rc == DF_ENOTFOUND)
            rc = df_error_set(err, DF_EPULL_PROTOCOL, "element %zu of the page has no Sequence",
                              i + 1);
        if (rc != 0)
            return rc;
        int64_t want = offset + 1 + (int64_t)i;
        /* Filtered, a page has gaps, and a window taken up again begins with
         * entries read before: only the order is checked. */
        if (r->o->filters != NULL && i > 0 && e->sequence <= r->entries[i - 1].sequence)
            return df_error_set(err, DF_EPULL_PROTOCOL,
                                "the server broke the feed's order: element %zu has Sequence "
                                "%lld after %lld (a repeat); stopping so that no entry is lost",
                                i + 1, (long long)e->sequence,
                                (long long)r->entries[i - 1].sequence);
        if (r->o->filters == NULL && e->sequence != want)
            return df_error_set(
                err, DF_EPULL_PROTOCOL,
                "the server broke the feed's order: asked for entries after %lld, element %zu "
                "has Sequence %lld instead of %lld (%s); stopping so that no entry is lost",
                (long long)offset, i + 1, (long long)e->sequence, (long long)want,
                e->sequence < want ? "a repeat" : "a gap");
        e->action = string_field(obj, "Action");
        e->state = string_field(obj, "State");
        e->study_uid = string_field(obj, "StudyInstanceUid");
        e->series_uid = string_field(obj, "SeriesInstanceUid");
        e->sop_uid = string_field(obj, "SopInstanceUid");
        e->timestamp = string_field(obj, "Timestamp");
        e->feed_id = r->feed_id;
    }
    return 0;
}

/* One page of the URL in r->url, its entries checked against offset (the
 * Sequence they follow). */
static int read_page(df_pull_reader *r, int64_t offset, int wait, const df_pull_entry **entries,
                     size_t *count, df_error *err)
{
    *entries = NULL;
    *count = 0;
    json_decref(r->page);
    r->page = NULL;
    int rc;
    /* The ETag of an empty answer to this very URL: a 304 then means
     * "still nothing", without a body. */
    const char *inm = NULL;
    if (r->empty_url.data != NULL && !df_buf_failed(&r->empty_url) &&
        strcmp(r->empty_url.data, r->url.data) == 0 && r->empty_etag[0] != '\0')
        inm = r->empty_etag;
    rc = get(r, r->url.data, inm, wait, err);
    if (rc != 0)
        return rc;
    long status = r->answer.status;
    if ((status == 304 && inm != NULL) || status == 204)
        return check_identity(r, err);
    if (status != 200)
        return refuse(r, status, err);
    rc = check_identity(r, err);
    if (rc != 0)
        return rc;

    json_error_t je;
    r->page = json_loadb(r->body.data != NULL ? r->body.data : "", r->body.len,
                         JSON_DECODE_INT_AS_REAL, &je);
    size_t n = 0;
    if (r->page == NULL)
        return df_error_set(err, DF_EPULL_PROTOCOL, "the page is not valid JSON: %s (byte %d)",
                            je.text, je.position);
    if (!json_is_array(r->page))
        return df_error_set(err, DF_EPULL_PROTOCOL, "the page is not a JSON array");
    rc = df_pull_split(r->body.data, r->body.len, &r->spans, &n, err);
    if (rc != 0)
        return rc;
    if (n != json_array_size(r->page))
        return df_error_set(err, DF_EPULL_PROTOCOL, "the page could not be split into its entries");
    if (n == 0) {
        df_buf_reset(&r->empty_url);
        df_buf_append(&r->empty_url, r->url.data, r->url.len);
        memcpy(r->empty_etag, r->answer.etag, sizeof r->empty_etag);
        return 0;
    }
    if (n > r->entries_cap) {
        df_pull_entry *grown = realloc(r->entries, n * sizeof *grown);
        if (grown == NULL)
            return df_error_set(err, DF_ENOMEM, "out of memory reading a page");
        r->entries = grown;
        r->entries_cap = n;
    }
    rc = check_page(r, n, offset, err);
    if (rc != 0)
        return rc;
    *entries = r->entries;
    *count = n;
    return 0;
}

/* With filters, the window of a reader asked for the entries after
 * Sequence after: from that entry's Timestamp, read from the unfiltered
 * feed; the entries of the window up to after are left out as they come. */
static int window_of(df_pull_reader *r, int64_t after, df_error *err)
{
    r->window[0] = '\0';
    r->at_window = 0;
    r->window_after = after;
    if (after <= 0)
        return 0;
    df_buf_reset(&r->url);
    int rc = df_pull_url(&r->url, r->o->url, "/changefeed", after - 1, 1, false, 0, err);
    if (rc == 0)
        rc = get(r, r->url.data, NULL, 0, err);
    if (rc != 0)
        return rc;
    if (r->answer.status != 200)
        return refuse(r, r->answer.status, err);
    rc = check_identity(r, err);
    if (rc != 0)
        return rc;
    json_t *page = json_loadb(r->body.data != NULL ? r->body.data : "", r->body.len,
                              JSON_DECODE_INT_AS_REAL, NULL);
    json_t *e = json_array_get(page, 0);
    const char *ts = json_is_object(e) ? string_field(e, "Timestamp") : NULL;
    json_t *seq = json_is_object(e) ? json_object_get(e, "Sequence") : NULL;
    if (ts == NULL || strlen(ts) >= sizeof r->window || !json_is_number(seq) ||
        json_number_value(seq) != (double)after)
        rc = df_error_set(err, DF_EPULL_PROTOCOL,
                          "the feed did not answer entry %lld, where the filtered read resumes",
                          (long long)after);
    else
        memcpy(r->window, ts, strlen(ts) + 1);
    json_decref(page);
    if (rc != 0)
        r->window_after = -1;
    return rc;
}

int df_pull_reader_page(df_pull_reader *r, int64_t offset, int limit, bool metadata, int wait,
                        const df_pull_entry **entries, size_t *count, df_error *err)
{
    const char *filters = r->o->filters;
    int rc = 0;
    if (filters != NULL && r->window_after != offset)
        rc = window_of(r, offset, err);
    for (;;) {
        df_buf_reset(&r->url);
        if (rc == 0)
            rc = df_pull_url(&r->url, r->o->url, "/changefeed",
                             filters != NULL ? r->at_window : offset, limit, metadata, wait, err);
        if (rc != 0)
            return rc;
        if (filters != NULL) {
            if (r->window[0] != '\0') {
                df_buf_append_str(&r->url, "&startTime=");
                df_buf_append_str(&r->url, r->window);
            }
            df_buf_append_char(&r->url, '&');
            df_buf_append_str(&r->url, filters);
            if (df_buf_failed(&r->url))
                return df_error_set(err, DF_ENOMEM, "out of memory building a URL");
        }
        rc = read_page(r, offset, wait, entries, count, err);
        if (rc != 0 || filters == NULL)
            return rc;
        if (*count == 0) {
            /* Past what a page of entries read before left out, the window
             * still stands for the caller's offset. */
            r->window_after = offset;
            return 0;
        }
        /* Every entry read moves the window on, those left out too. */
        size_t skip = 0;
        for (size_t i = 0; i < *count; i++) {
            const df_pull_entry *e = &(*entries)[i];
            const char *ts = e->timestamp != NULL ? e->timestamp : "";
            if (strcmp(ts, r->window) == 0) {
                r->at_window++;
            } else if (ts[0] != '\0' && strlen(ts) < sizeof r->window) {
                memcpy(r->window, ts, strlen(ts) + 1);
                r->at_window = 1;
            } else {
                r->window_after = -1;
                return df_error_set(err, DF_EPULL_PROTOCOL, "entry %lld has no Timestamp",
                                    (long long)e->sequence);
            }
            if (e->sequence <= offset)
                skip++;
        }
        r->window_after = (*entries)[*count - 1].sequence;
        if (skip < *count) {
            *entries += skip;
            *count -= skip;
            return 0;
        }
        /* A page of entries read before (a resumed window): on at once. */
    }
}

/* --- the flow, entry by entry ---------------------------------------------------- */

typedef struct run {
    const df_pull_options *o;
    df_pull_reader *reader;
    df_pull_handler handler;
    df_pull_flush flush;
    void *ctx;
    int64_t held; /* the Sequence of the last entry held, 0 when none */
    uint64_t rng;
} run;

static bool stopping(const run *r)
{
    return r->o->http.stop != NULL && *r->o->http.stop != 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: jitter only has to spread consumers apart, not be secret. */
static double unit_random(run *r)
{
    r->rng ^= r->rng >> 12;
    r->rng ^= r->rng << 25;
    r->rng ^= r->rng >> 27;
    return (double)((r->rng * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

/* The handler's error as the flow reports it: the entry named, the codes of
 * the receiver and of an unavailable server kept. */
static int handler_failed(int64_t sequence, int code, const df_error *why, df_error *err)
{
    if (code != DF_EPULL_RECEIVER && code != DF_EPULL_UNAVAILABLE)
        code = DF_EPULL_HANDLER;
    return df_error_set(err, code, "entry %lld was not processed: %s", (long long)sequence,
                        why->message[0] ? why->message : "the handler failed");
}

static int record(run *r, int64_t sequence, df_error *err)
{
    r->held = 0;
    if (r->o->state_path == NULL)
        return 0;
    return df_pull_state_save(r->o->state_path, sequence, err);
}

/* Finishes the entries held (a partial batch) and records them. */
static int flush_held(run *r, int64_t *offset, df_error *err)
{
    if (r->flush == NULL || r->held == 0)
        return 0;
    df_error why = {0};
    int rc = r->flush(r->ctx, &why);
    if (rc == DF_HTTP_STOPPED)
        return rc;
    if (rc != 0)
        return handler_failed(r->held, rc, &why, err);
    *offset = r->held;
    return record(r, r->held, err);
}

/* Reads one page after *read and processes it; *offset is the last entry
 * done (recorded), *read the last entry taken, *got the number of entries the
 * page held. Returns 0, DF_HTTP_STOPPED, or an error. */
static int one_page(run *r, int64_t *offset, int64_t *read, size_t *got, df_error *err)
{
    const df_pull_options *o = r->o;
    int wait = o->follow ? o->wait : 0;
    const df_pull_entry *entries;
    size_t count = 0;
    *got = 0;
    int rc = df_pull_reader_page(r->reader, *read, o->limit, o->include_metadata, wait, &entries,
                                 &count, err);
    if (rc != 0)
        return rc;
    *got = count;
    for (size_t i = 0; i < count; i++) {
        df_error why = {0};
        rc = r->handler(r->ctx, &entries[i], &why);
        if (rc == DF_HTTP_STOPPED)
            return rc;
        if (rc == DF_PULL_HELD && r->flush != NULL) {
            r->held = entries[i].sequence;
        } else if (rc != 0) {
            return handler_failed(entries[i].sequence, rc, &why, err);
        } else {
            rc = record(r, entries[i].sequence, err);
            if (rc != 0)
                return rc;
            *offset = entries[i].sequence;
        }
        *read = entries[i].sequence;
        if (stopping(r))
            return DF_HTTP_STOPPED;
    }
    return 0;
}

static int start_position(run *r, int64_t *offset, df_error *err)
{
    const df_pull_options *o = r->o;
    bool found = false;
    *offset = 0;
    if (o->state_path != NULL) {
        int rc = df_pull_state_load(o->state_path, offset, &found, err);
        if (rc != 0 || found)
            return rc;
    }
    if (!o->from_latest)
        return 0;
    int rc = df_pull_reader_latest(r->reader, offset, err);
    if (rc != 0)
        return rc;
    say(o, 2, "starting after the latest entry, %lld", (long long)*offset);
    /* Stored at once: a consumer that starts "from now" and crashes before
     * its first entry must not skip what arrived in between when it comes back. */
    if (o->state_path != NULL)
        rc = df_pull_state_save(o->state_path, *offset, err);
    return rc;
}

int df_pull_run(const df_pull_options *o, df_pull_handler handler, void *ctx, int64_t *last,
                df_error *err)
{
    return df_pull_run_held(o, handler, NULL, ctx, last, err);
}

int df_pull_run_held(const df_pull_options *o, df_pull_handler handler, df_pull_flush flush,
                     void *ctx, int64_t *last, df_error *err)
{
    run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.handler = handler;
    r.flush = flush;
    r.ctx = ctx;
    r.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(now_seconds() * 1e9);
    if (r.rng == 0)
        r.rng = 1;
    int lock_fd = -1, rc = 0;
    int64_t offset = 0, read = 0;

    if (o->url == NULL || o->limit <= 0 || o->interval < 0 || o->wait < 0 ||
        o->wait > DF_PULL_WAIT_MAX) {
        rc = df_error_set(err, DF_EINVAL, "invalid options");
        goto out;
    }
    rc = df_pull_reader_open(o, &r.reader, err);
    if (rc != 0)
        goto out;
    if (o->state_path != NULL) {
        rc = df_pull_state_lock(o->state_path, &lock_fd, err);
        if (rc != 0)
            goto out;
    }
    rc = start_position(&r, &offset, err);
    read = offset;
    while (rc == 0 && !stopping(&r)) {
        size_t got = 0;
        double began = now_seconds();
        rc = one_page(&r, &offset, &read, &got, err);
        if (rc != 0)
            break;
        if ((int)got >= o->limit)
            continue; /* a full page: ask again at once */
        /* A page shorter than asked for: the end of the feed is near, and a
         * batch must not wait there for entries that may never come. */
        rc = flush_held(&r, &offset, err);
        if (rc != 0)
            break;
        if (got > 0)
            continue; /* a partial page: ask again at once */
        if (!o->follow)
            break;
        /* An empty page: poll again after the interval, counted from when
         * the request began, so that a server that honoured wait (and held
         * the request that long) is asked again at once. */
        double left = df_http_jitter(o->interval, unit_random(&r)) - (now_seconds() - began);
        if (left > 0 && df_http_pause(o->http.stop, left))
            break;
    }
    /* A stop request, or the end: what is held is finished first. A failed
     * page leaves it held, never recorded. */
    if (rc == 0 || rc == DF_HTTP_STOPPED) {
        int frc = flush_held(&r, &offset, err);
        if (frc != DF_HTTP_STOPPED && frc != 0)
            rc = frc;
    }
    if (rc == DF_HTTP_STOPPED)
        rc = 0;
out:
    if (last != NULL)
        *last = offset;
    df_pull_reader_close(r.reader);
    if (lock_fd >= 0)
        close(lock_fd);
    return rc;
}
