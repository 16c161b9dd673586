/* The consumer's flow (spec §9) over libcurl: see pull.h. One curl handle is
 * kept for the whole run so that pages reuse one connection. */
#include "pull.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "num.h"
#include "pull_state.h"

/* Largest Retry-After honoured, in seconds: past it a misconfigured server
 * would park the consumer for days. */
#define RETRY_AFTER_MAX 3600.0
/* Sleeps are cut in slices this long so that a stop request is seen soon. */
#define SLEEP_SLICE_NS 50000000L
/* Longest request URL made: the base the user gave and the query. */
#define URL_MAX 16384

void df_pull_options_init(df_pull_options *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 100;
    o->include_metadata = true;
    o->interval = 5.0;
    o->wait = 20;
    o->max_retries = -2; /* chosen by df_pull_run: 8, or without end when following */
    o->backoff_base = 1.0;
    o->backoff_cap = 60.0;
    o->timeout = 30;
    o->verbosity = 1;
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

double df_pull_jitter(double interval, double unit)
{
    return interval * (0.8 + 0.4 * unit);
}

double df_pull_backoff(int attempt, double base, double cap, double retry_after, double unit)
{
    double d = base;
    for (int i = 0; i < attempt && d < cap; i++)
        d *= 2;
    if (d > cap)
        d = cap;
    d = df_pull_jitter(d, unit);
    if (retry_after > RETRY_AFTER_MAX)
        retry_after = RETRY_AFTER_MAX;
    return d < retry_after ? retry_after : d;
}

/* --- the run ------------------------------------------------------------------ */

typedef struct run {
    const df_pull_options *o;
    CURL *curl;
    char curl_error[CURL_ERROR_SIZE];
    df_buf url;
    df_buf body;
    char etag[256];       /* the ETag of the last answer ("" when none) */
    df_buf empty_url;     /* the URL whose last answer was an empty page … */
    char empty_etag[256]; /* … and that answer's ETag, for If-None-Match */
    uint64_t rng;
    int max_retries;
    df_pull_handler handler;
    void *ctx;
} run;

static bool stopping(const run *r)
{
    return r->o->stop != NULL && *r->o->stop != 0;
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
    if (r->o->verbosity < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("dcmfeed-pull: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

const char *df_pull_shown_url(const char *url, char *out, size_t size)
{
    /* scheme://user:password@host/...: the password is between the first
     * ':' after "//" and the '@' that ends the authority. */
    const char *auth = strstr(url, "//");
    auth = auth != NULL ? auth + 2 : url;
    size_t end = strcspn(auth, "/?#");
    const char *at = memchr(auth, '@', end);
    const char *colon = at != NULL ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon == NULL)
        snprintf(out, size, "%s", url);
    else
        snprintf(out, size, "%.*s:***%s", (int)(colon - url), url, at);
    return out;
}

/* Sleeps for seconds, or less when a stop is requested; returns true then. */
static bool pause_for(const run *r, double seconds)
{
    double until = now_seconds() + seconds;
    for (;;) {
        if (stopping(r))
            return true;
        double left = until - now_seconds();
        if (left <= 0)
            return false;
        struct timespec ts = {0, SLEEP_SLICE_NS};
        if (left < 0.05)
            ts.tv_nsec = (long)(left * 1e9);
        nanosleep(&ts, NULL);
    }
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    df_buf *b = ud;
    df_buf_append(b, p, size * n);
    return df_buf_failed(b) ? 0 : size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    run *r = ud;
    size_t len = size * n;
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
        r->etag[0] = '\0'; /* a new answer begins (after a 100 or a 401 challenge) */
    if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
        size_t i = 5;
        while (i < len && (p[i] == ' ' || p[i] == '\t'))
            i++;
        size_t end = len;
        while (end > i && (p[end - 1] == '\r' || p[end - 1] == '\n' || p[end - 1] == ' '))
            end--;
        if (end - i < sizeof r->etag) {
            memcpy(r->etag, p + i, end - i);
            r->etag[end - i] = '\0';
        }
    }
    return len;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    return stopping(ud) ? 1 : 0;
}

static int setup_curl(run *r, df_error *err)
{
    const df_pull_options *o = r->o;
    CURL *h = curl_easy_init();
    if (h == NULL)
        return df_error_set(err, DF_ENOMEM, "cannot start libcurl");
    r->curl = h;
    CURLcode c = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (c == CURLE_OK)                                                                         \
            c = curl_easy_setopt(h, opt, val);                                                     \
    } while (0)
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, r->curl_error);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, &r->body);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, r);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_XFERINFODATA, r);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_CONNECTTIMEOUT, o->timeout);
    SET(CURLOPT_USERAGENT, o->user_agent != NULL ? o->user_agent : "dcmfeed-pull");
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (o->user != NULL) {
        SET(CURLOPT_USERPWD, o->user);
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    }
    if (o->netrc || o->netrc_file != NULL) {
        SET(CURLOPT_NETRC, (long)(o->user != NULL ? CURL_NETRC_OPTIONAL : CURL_NETRC_REQUIRED));
        if (o->netrc_file != NULL)
            SET(CURLOPT_NETRC_FILE, o->netrc_file);
    }
    if (o->cacert != NULL)
        SET(CURLOPT_CAINFO, o->cacert);
    if (o->cert != NULL)
        SET(CURLOPT_SSLCERT, o->cert);
    if (o->key != NULL)
        SET(CURLOPT_SSLKEY, o->key);
#undef SET
    if (c != CURLE_OK)
        return df_error_set(err, DF_EINVAL, "libcurl refused an option: %s", curl_easy_strerror(c));
    return 0;
}

/* Errors no retry can mend: the URL, TLS set-up and verification. */
static bool curl_error_is_permanent(CURLcode c)
{
    switch (c) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_LOGIN_DENIED:
    case CURLE_FILESIZE_EXCEEDED:
        return true;
    default:
        return false;
    }
}

/* The server's error message from an error body, or a description of the
 * status when the body is not dcmfeed's error JSON (a proxy's HTML page). */
static void describe_error(const run *r, long status, char *out, size_t size)
{
    json_t *root = json_loadb(r->body.data != NULL ? r->body.data : "", r->body.len, 0, NULL);
    json_t *e = json_object_get(root, "error");
    const char *code = json_string_value(json_object_get(e, "code"));
    const char *message = json_string_value(json_object_get(e, "message"));
    if (message != NULL && code != NULL)
        snprintf(out, size, "HTTP %ld %s: %s", status, code, message);
    else if (message != NULL)
        snprintf(out, size, "HTTP %ld: %s", status, message);
    else if (status == 401)
        snprintf(out, size,
                 "HTTP 401: the server wants credentials (--user USER:PASSWORD or "
                 "--netrc), or refused the ones given");
    else if (status == 403)
        snprintf(out, size, "HTTP 403: the credentials given may not read this feed");
    else
        snprintf(out, size, "HTTP %ld", status);
    json_decref(root);
}

enum { GOT_ANSWER = 0, GOT_STOP = 1 };

/* GETs url until an answer that is not to be retried: returns GOT_ANSWER with
 * *status and r->body, GOT_STOP when a stop was requested, or
 * DF_EPULL_UNAVAILABLE when the retries ran out. if_none_match (may be NULL)
 * is sent as If-None-Match; extra_seconds is added to the request's timeout
 * (the server's wait). */
static int get(run *r, const char *url, const char *if_none_match, long extra_seconds, long *status,
               df_error *err)
{
    const df_pull_options *o = r->o;
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    if (headers != NULL && if_none_match != NULL && if_none_match[0] != '\0') {
        char line[300];
        snprintf(line, sizeof line, "If-None-Match: %s", if_none_match);
        struct curl_slist *more = curl_slist_append(headers, line);
        if (more == NULL) {
            curl_slist_free_all(headers);
            headers = NULL;
        }
    }
    if (headers == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(r->curl, CURLOPT_URL, url);
    curl_easy_setopt(r->curl, CURLOPT_TIMEOUT, o->timeout + extra_seconds);
    int rc = 0;
    for (int attempt = 0;; attempt++) {
        df_buf_reset(&r->body);
        r->etag[0] = '\0';
        r->curl_error[0] = '\0';
        char shown[2048];
        say(r, 2, "GET %s", df_pull_shown_url(url, shown, sizeof shown));
        CURLcode c = curl_easy_perform(r->curl);
        if (stopping(r)) {
            rc = GOT_STOP;
            goto out;
        }
        char why[DF_ERROR_MESSAGE_MAX];
        curl_off_t retry_after = 0;
        if (c == CURLE_WRITE_ERROR && df_buf_failed(&r->body)) {
            rc = df_error_set(err, DF_EPULL_PROTOCOL, "an answer is larger than %u MiB",
                              DF_PULL_ANSWER_MAX / (1024u * 1024u));
            goto out;
        }
        if (c != CURLE_OK) {
            snprintf(why, sizeof why, "%s",
                     r->curl_error[0] ? r->curl_error : curl_easy_strerror(c));
            if (curl_error_is_permanent(c)) {
                rc = df_error_set(err, DF_EPULL_UNAVAILABLE, "%s", why);
                goto out;
            }
        } else {
            curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, status);
            say(r, 2, "HTTP %ld, %zu bytes", *status, r->body.len);
            if (*status < 500 && *status != 408 && *status != 429) {
                rc = GOT_ANSWER;
                goto out;
            }
            describe_error(r, *status, why, sizeof why);
            curl_easy_getinfo(r->curl, CURLINFO_RETRY_AFTER, &retry_after);
        }
        if (r->max_retries >= 0 && attempt >= r->max_retries) {
            rc = df_error_set(err, DF_EPULL_UNAVAILABLE, "%s (gave up after %d %s)", why, attempt,
                              attempt == 1 ? "retry" : "retries");
            goto out;
        }
        double delay = df_pull_backoff(attempt, o->backoff_base, o->backoff_cap,
                                       (double)retry_after, unit_random(r));
        say(r, 1, "%s; retrying in %.1f s", why, delay);
        if (pause_for(r, delay)) {
            rc = GOT_STOP;
            goto out;
        }
    }
out:
    curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    return rc;
}

/* An answer that is neither a page nor retryable: the code and message. */
static int refuse(run *r, long status, df_error *err)
{
    char why[DF_ERROR_MESSAGE_MAX];
    if (status >= 300 && status < 400 && status != 304) {
        char *location = NULL;
        curl_easy_getinfo(r->curl, CURLINFO_REDIRECT_URL, &location);
        return df_error_set(err, DF_EPULL_REJECTED,
                            "HTTP %ld: the server redirects to %s; give that URL instead", status,
                            location != NULL ? location : "another URL");
    }
    if (status < 400 || status >= 500)
        return df_error_set(err, DF_EPULL_PROTOCOL, "unexpected answer HTTP %ld", status);
    describe_error(r, status, why, sizeof why);
    /* The usual mistake: the URL of a route, where the feed's base is asked
     * for (the program adds /changefeed itself). */
    if (status == 404) {
        char shown[2048];
        df_pull_shown_url(r->o->url, shown, sizeof shown);
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
        rc = get(r, r->url.data, NULL, 0, &status, err);
    if (rc != GOT_ANSWER)
        return rc;
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
    rc = get(r, r->url.data, inm, wait, &status, err);
    if (rc != GOT_ANSWER)
        return rc;
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
        memcpy(r->empty_etag, r->etag, sizeof r->etag);
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
    r.max_retries = o->max_retries >= -1 ? o->max_retries : (o->follow ? -1 : 8);
    r.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(now_seconds() * 1e9);
    if (r.rng == 0)
        r.rng = 1;
    df_buf_init(&r.url, URL_MAX);
    df_buf_init(&r.body, DF_PULL_ANSWER_MAX);
    df_buf_init(&r.empty_url, URL_MAX);
    int lock_fd = -1, rc = 0;
    int64_t offset = 0;
    bool curl_ready = false;

    if (o->url == NULL || o->limit <= 0 || o->interval < 0 || o->wait < 0 ||
        o->wait > DF_PULL_WAIT_MAX || o->timeout <= 0) {
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
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rc = df_error_set(err, DF_ENOMEM, "cannot start libcurl");
        goto out;
    }
    curl_ready = true;
    rc = setup_curl(&r, err);
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
        double left = df_pull_jitter(o->interval, unit_random(&r)) - (now_seconds() - began);
        if (left > 0 && pause_for(&r, left))
            break;
    }
    if (rc == GOT_STOP)
        rc = 0;
out:
    if (last != NULL)
        *last = offset;
    if (r.curl != NULL)
        curl_easy_cleanup(r.curl);
    if (curl_ready)
        curl_global_cleanup();
    if (lock_fd >= 0)
        close(lock_fd);
    df_buf_free(&r.url);
    df_buf_free(&r.body);
    df_buf_free(&r.empty_url);
    return rc;
}
