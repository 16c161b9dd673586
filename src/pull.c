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

/* --- the run ------------------------------------------------------------------ */

typedef struct run {
    const df_pull_options *o;
    df_http *http;
    df_http_answer answer;
    df_buf url;
    df_buf body;
    df_buf empty_url;     /* the URL whose last answer was an empty page … */
    char empty_etag[256]; /* … and that answer's ETag, for If-None-Match */
    uint64_t rng;
    df_pull_handler handler;
    void *ctx;
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

static void say(const run *r, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(const run *r, int level, const char *fmt, ...)
{
    if (r->o->http.verbosity < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("dcmfeed-pull: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

enum { GOT_ANSWER = 0, GOT_STOP = DF_HTTP_STOPPED };

/* GETs url with the client's retries: GOT_ANSWER with r->answer and r->body,
 * GOT_STOP, or an error (an answer too large is the server's fault: not a
 * valid page). */
static int get(run *r, const char *url, const char *if_none_match, long extra_seconds,
               df_error *err)
{
    char inm[300];
    const char *headers[3] = {"Accept: application/json", NULL, NULL};
    if (if_none_match != NULL && if_none_match[0] != '\0') {
        snprintf(inm, sizeof inm, "If-None-Match: %s", if_none_match);
        headers[1] = inm;
    }
    int rc = df_http_get(r->http, url, headers, extra_seconds, &r->body, &r->answer, err);
    if (rc == DF_EHTTP_TOOBIG) {
        df_error_clear(err);
        rc = df_error_set(err, DF_EPULL_PROTOCOL, "an answer is larger than %u MiB",
                          DF_PULL_ANSWER_MAX / (1024u * 1024u));
    }
    return rc;
}

/* An answer that is neither a page nor retryable: the code and message. */
static int refuse(run *r, long status, df_error *err)
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

/* The start position from /changefeed/latest: its Sequence, 0 on 204. */
static int ask_latest(run *r, int64_t *start, df_error *err)
{
    df_buf_reset(&r->url);
    int rc = df_pull_url(&r->url, r->o->url, "/changefeed/latest", -1, 0, false, 0, err);
    long status = 0;
    if (rc == 0)
        rc = get(r, r->url.data, NULL, 0, err);
    if (rc != GOT_ANSWER)
        return rc;
    status = r->answer.status;
    if (status == 204) {
        *start = 0;
        return 0;
    }
    if (status != 200)
        return refuse(r, status, err);
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
 * object, Sequences offset+1, offset+2, … Fills entries (count of them). */
static int check_page(run *r, json_t *page, const df_json_span *spans, size_t count, int64_t offset,
                      df_pull_entry *entries, df_error *err)
{
    for (size_t i = 0; i < count; i++) {
        df_pull_entry *e = &entries[i];
        json_t *obj = json_array_get(page, i);
        if (!json_is_object(obj))
            return df_error_set(err, DF_EPULL_PROTOCOL, "element %zu of the page is not an entry",
                                i + 1);
        e->object = obj;
        e->json = r->body.data + spans[i].start;
        e->json_len = df_json_compact(e->json, spans[i].len, r->body.data + spans[i].start);
        int rc = df_pull_member_i64(e->json, e->json_len, "Sequence", &e->sequence, err);
        if (rc == DF_ENOTFOUND)
            rc = df_error_set(err, DF_EPULL_PROTOCOL, "element %zu of the page has no Sequence",
                              i + 1);
        if (rc != 0)
            return rc;
        int64_t want = offset + 1 + (int64_t)i;
        if (e->sequence != want)
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
    }
    return 0;
}

/* Reads one page after *offset and processes it; *got receives the number of
 * entries processed. Returns 0, GOT_STOP or an error. */
static int one_page(run *r, int64_t *offset, bool *empty, size_t *got, df_error *err)
{
    const df_pull_options *o = r->o;
    int wait = o->follow ? o->wait : 0;
    df_buf_reset(&r->url);
    int rc = df_pull_url(&r->url, o->url, "/changefeed", *offset, o->limit, o->include_metadata,
                         wait, err);
    if (rc != 0)
        return rc;
    /* The ETag of an empty answer to this very URL: a 304 then means
     * "still nothing", without a body. */
    const char *inm = NULL;
    if (r->empty_url.data != NULL && !df_buf_failed(&r->empty_url) &&
        strcmp(r->empty_url.data, r->url.data) == 0 && r->empty_etag[0] != '\0')
        inm = r->empty_etag;
    long status = 0;
    *got = 0;
    *empty = false;
    rc = get(r, r->url.data, inm, wait, err);
    if (rc != GOT_ANSWER)
        return rc;
    status = r->answer.status;
    if (status == 304 && inm != NULL) {
        *empty = true;
        return 0;
    }
    if (status == 204) {
        *empty = true;
        return 0;
    }
    if (status != 200)
        return refuse(r, status, err);

    json_error_t je;
    json_t *page = json_loadb(r->body.data != NULL ? r->body.data : "", r->body.len,
                              JSON_DECODE_INT_AS_REAL, &je);
    df_json_span *spans = NULL;
    df_pull_entry *entries = NULL;
    size_t count = 0;
    if (page == NULL) {
        rc = df_error_set(err, DF_EPULL_PROTOCOL, "the page is not valid JSON: %s (byte %d)",
                          je.text, je.position);
        goto out;
    }
    if (!json_is_array(page)) {
        rc = df_error_set(err, DF_EPULL_PROTOCOL, "the page is not a JSON array");
        goto out;
    }
    rc = df_pull_split(r->body.data, r->body.len, &spans, &count, err);
    if (rc != 0)
        goto out;
    if (count != json_array_size(page)) {
        rc = df_error_set(err, DF_EPULL_PROTOCOL, "the page could not be split into its entries");
        goto out;
    }
    if (count == 0) {
        *empty = true;
        df_buf_reset(&r->empty_url);
        df_buf_append(&r->empty_url, r->url.data, r->url.len);
        memcpy(r->empty_etag, r->answer.etag, sizeof r->empty_etag);
        goto out;
    }
    entries = calloc(count, sizeof *entries);
    if (entries == NULL) {
        rc = df_error_set(err, DF_ENOMEM, "out of memory reading a page");
        goto out;
    }
    rc = check_page(r, page, spans, count, *offset, entries, err);
    if (rc != 0)
        goto out;
    for (size_t i = 0; i < count; i++) {
        df_error why = {0};
        if (r->handler(r->ctx, &entries[i], &why) != 0) {
            rc = df_error_set(err, DF_EPULL_HANDLER, "entry %lld was not processed: %s",
                              (long long)entries[i].sequence,
                              why.message[0] ? why.message : "the handler failed");
            goto out;
        }
        if (o->state_path != NULL) {
            rc = df_pull_state_save(o->state_path, entries[i].sequence, err);
            if (rc != 0)
                goto out;
        }
        *offset = entries[i].sequence;
        (*got)++;
        if (stopping(r)) {
            rc = GOT_STOP;
            goto out;
        }
    }
out:
    free(entries);
    free(spans);
    json_decref(page);
    return rc;
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
    int rc = ask_latest(r, offset, err);
    if (rc != 0)
        return rc;
    say(r, 2, "starting after the latest entry, %lld", (long long)*offset);
    /* Stored at once: a consumer that starts "from now" and crashes before
     * its first entry must not skip what arrived in between when it comes back. */
    if (o->state_path != NULL)
        rc = df_pull_state_save(o->state_path, *offset, err);
    return rc;
}

int df_pull_run(const df_pull_options *o, df_pull_handler handler, void *ctx, int64_t *last,
                df_error *err)
{
    run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.handler = handler;
    r.ctx = ctx;
    /* The client's settings are the caller's, with the retries of a
     * follower (without end) or of a single run (8) when none were given. */
    df_http_settings http = o->http;
    http.max_retries = df_http_retries(&o->http, o->follow ? DF_HTTP_RETRY_FOREVER : 8);
    if (http.name == NULL)
        http.name = "dcmfeed-pull";
    if (http.user_agent == NULL)
        http.user_agent = "dcmfeed-pull";
    r.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(now_seconds() * 1e9);
    if (r.rng == 0)
        r.rng = 1;
    df_buf_init(&r.url, URL_MAX);
    df_buf_init(&r.body, DF_PULL_ANSWER_MAX);
    df_buf_init(&r.empty_url, URL_MAX);
    int lock_fd = -1, rc = 0;
    int64_t offset = 0;

    if (o->url == NULL || o->limit <= 0 || o->interval < 0 || o->wait < 0 ||
        o->wait > DF_PULL_WAIT_MAX) {
        rc = df_error_set(err, DF_EINVAL, "invalid options");
        goto out;
    }
    /* Checks the URL before anything else happens. */
    rc = df_pull_url(&r.url, o->url, "/changefeed", 0, 1, true, 0, err);
    if (rc != 0)
        goto out;
    if (o->state_path != NULL) {
        rc = df_pull_state_lock(o->state_path, &lock_fd, err);
        if (rc != 0)
            goto out;
    }
    rc = df_http_open(&http, &r.http, err);
    if (rc == 0)
        rc = start_position(&r, &offset, err);
    while (rc == 0 && !stopping(&r)) {
        bool empty = false;
        size_t got = 0;
        double began = now_seconds();
        rc = one_page(&r, &offset, &empty, &got, err);
        if (rc != 0)
            break;
        if (!empty)
            continue; /* a full page, or a partial one: ask again at once */
        if (!o->follow)
            break;
        /* An empty page: poll again after the interval, counted from when
         * the request began, so that a server that honoured wait (and held
         * the request that long) is asked again at once. */
        double left = df_http_jitter(o->interval, unit_random(&r)) - (now_seconds() - began);
        if (left > 0 && df_http_pause(o->http.stop, left))
            break;
    }
    if (rc == GOT_STOP)
        rc = 0;
out:
    if (last != NULL)
        *last = offset;
    df_http_close(r.http);
    if (lock_fd >= 0)
        close(lock_fd);
    df_buf_free(&r.url);
    df_buf_free(&r.body);
    df_buf_free(&r.empty_url);
    return rc;
}
