/* The HTTP client over libcurl, with one retry rule: see http.h. */
#include "http.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "num.h"

/* Sleeps are cut in slices this long so that a stop request is seen soon. */
#define SLEEP_SLICE_NS 50000000L

struct df_http {
    const df_http_settings *s;
    CURL *curl;
    char curl_error[CURL_ERROR_SIZE];
    df_http_answer *answer; /* of the request running, for the header callback */
    df_buf *body;           /* likewise, NULL: the body is dropped */
    uint64_t rng;
};

void df_http_settings_init(df_http_settings *s)
{
    memset(s, 0, sizeof *s);
    s->timeout = 30;
    s->max_retries = DF_HTTP_RETRY_DEFAULT;
    s->backoff_base = 1.0;
    s->backoff_cap = 60.0;
    s->verbosity = 1;
}

void df_http_settings_free(df_http_settings *s)
{
    if (s->user != NULL) {
        /* The password should not outlive its use in a core dump. */
        volatile char *p = s->user;
        while (*p != '\0')
            *p++ = '\0';
        free(s->user);
        s->user = NULL;
    }
}

int df_http_retries(const df_http_settings *s, int fallback)
{
    return s->max_retries == DF_HTTP_RETRY_DEFAULT ? fallback : s->max_retries;
}

/* --- options ------------------------------------------------------------------ */

bool df_http_is_option(int code)
{
    return code >= DF_HTTP_OPT_USER && code < DF_HTTP_OPT_END;
}

static int set_user(df_http_settings *s, char *arg, df_error *err)
{
    char *user = NULL;
    char *colon = strchr(arg, ':');
    if (colon != NULL) {
        user = strdup(arg);
        /* Keeps the password out of ps, as curl does. */
        if (user != NULL)
            memset(colon + 1, '*', strlen(colon + 1));
    } else {
        const char *password = getenv("DCMFEED_PASSWORD");
        if (password == NULL)
            return df_error_set(err, DF_EINVAL,
                                "--user %s has no password: give USER:PASSWORD or set "
                                "DCMFEED_PASSWORD",
                                arg);
        size_t len = strlen(arg) + 1 + strlen(password) + 1;
        user = malloc(len);
        if (user != NULL)
            snprintf(user, len, "%s:%s", arg, password);
    }
    if (user == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    df_http_settings_free(s);
    s->user = user;
    return 0;
}

int df_http_option(df_http_settings *s, int code, char *arg, df_error *err)
{
    int64_t n = 0;
    double seconds = 0;
    switch (code) {
    case DF_HTTP_OPT_USER:
        return set_user(s, arg, err);
    case DF_HTTP_OPT_NETRC:
        s->netrc = true;
        return 0;
    case DF_HTTP_OPT_NETRC_FILE:
        s->netrc_file = arg;
        return 0;
    case DF_HTTP_OPT_CACERT:
        s->cacert = arg;
        return 0;
    case DF_HTTP_OPT_CERT:
        s->cert = arg;
        return 0;
    case DF_HTTP_OPT_KEY:
        s->key = arg;
        return 0;
    case DF_HTTP_OPT_TIMEOUT:
        if (arg == NULL || df_parse_i64(arg, strlen(arg), 1, 3600, &n) != DF_NUM_OK)
            return df_error_set(err, DF_EINVAL, "--timeout wants seconds from 1 to 3600, not '%s'",
                                arg != NULL ? arg : "");
        s->timeout = (long)n;
        return 0;
    case DF_HTTP_OPT_MAX_RETRIES:
        if (arg == NULL || df_parse_i64(arg, strlen(arg), -1, 1000000, &n) != DF_NUM_OK)
            return df_error_set(err, DF_EINVAL,
                                "--max-retries wants -1 (without end) or a count, not '%s'",
                                arg != NULL ? arg : "");
        s->max_retries = (int)n;
        return 0;
    case DF_HTTP_OPT_RETRY_CAP:
        if (df_parse_seconds(arg, 86400, &seconds) != DF_NUM_OK || seconds < 0.001)
            return df_error_set(err, DF_EINVAL,
                                "--retry-cap wants seconds from 0.001 to 86400, not '%s'",
                                arg != NULL ? arg : "");
        s->backoff_cap = seconds;
        if (s->backoff_base > s->backoff_cap)
            s->backoff_base = s->backoff_cap;
        return 0;
    default:
        return df_error_set(err, DF_EINVAL, "not an HTTP option");
    }
}

/* --- pure helpers ---------------------------------------------------------------- */

double df_http_jitter(double interval, double unit)
{
    return interval * (0.8 + 0.4 * unit);
}

double df_http_backoff(int attempt, double base, double cap, double retry_after, double unit)
{
    double d = base;
    for (int i = 0; i < attempt && d < cap; i++)
        d *= 2;
    if (d > cap)
        d = cap;
    d = df_http_jitter(d, unit);
    if (retry_after > DF_HTTP_RETRY_AFTER_MAX)
        retry_after = DF_HTTP_RETRY_AFTER_MAX;
    return d < retry_after ? retry_after : d;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool df_http_pause(volatile sig_atomic_t *stop, double seconds)
{
    double until = now_seconds() + seconds;
    for (;;) {
        if (stop != NULL && *stop != 0)
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

void df_http_describe(long status, const df_buf *body, char *out, size_t size)
{
    const char *text = body != NULL && body->data != NULL && !body->failed ? body->data : "";
    size_t len = body != NULL && !body->failed ? body->len : 0;
    json_t *root = json_loadb(text, len, JSON_DECODE_ANY, NULL);
    json_t *e = json_object_get(root, "error");
    const char *code = json_string_value(json_object_get(e, "code"));
    const char *message = json_string_value(json_object_get(e, "message"));
    if (message == NULL)
        message = json_string_value(root);
    if (message != NULL && code != NULL)
        snprintf(out, size, "HTTP %ld %s: %s", status, code, message);
    else if (message != NULL)
        snprintf(out, size, "HTTP %ld: %s", status, message);
    else if (status == 401)
        snprintf(out, size,
                 "HTTP 401: the server wants credentials (--user USER:PASSWORD or "
                 "--netrc), or refused the ones given");
    else if (status == 403)
        snprintf(out, size, "HTTP 403: the credentials given may not read this resource");
    else
        snprintf(out, size, "HTTP %ld", status);
    json_decref(root);
}

bool df_http_header_valid(const char *line)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~";
    size_t i = 0;
    for (; line[i] != '\0' && line[i] != ':'; i++) {
        unsigned char c = (unsigned char)line[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && strchr(tchar, c) == NULL)
            return false;
    }
    if (i == 0 || line[i] != ':')
        return false;
    return strpbrk(line + i, "\r\n") == NULL;
}

/* --- the client ------------------------------------------------------------------ */

const char *df_http_shown_url(const char *url, char *out, size_t size)
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

static void say(const df_http *h, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(const df_http *h, int level, const char *fmt, ...)
{
    if (h->s->verbosity < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", h->s->name != NULL ? h->s->name : "dcmfeed");
    if (h->s->label != NULL)
        fprintf(stderr, "%s: ", h->s->label);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* xorshift64*: jitter only has to spread clients apart, not be secret. */
static double unit_random(df_http *h)
{
    h->rng ^= h->rng >> 12;
    h->rng ^= h->rng << 25;
    h->rng ^= h->rng >> 27;
    return (double)((h->rng * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

static bool stopping(const df_http *h)
{
    return h->s->stop != NULL && *h->s->stop != 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    df_http *h = ud;
    if (h->body == NULL)
        return size * n;
    df_buf_append(h->body, p, size * n);
    return df_buf_failed(h->body) ? 0 : size * n;
}

/* Copies the value of the header line p[0..len) into out when its name is
 * name, trimmed; a value too long for out is dropped, never cut. */
static void header_value(const char *p, size_t len, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(p, name, n) != 0 || p[n] != ':')
        return;
    size_t i = n + 1;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    size_t end = len;
    while (end > i &&
           (p[end - 1] == '\r' || p[end - 1] == '\n' || p[end - 1] == ' ' || p[end - 1] == '\t'))
        end--;
    if (end - i < size) {
        memcpy(out, p + i, end - i);
        out[end - i] = '\0';
    }
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    df_http *h = ud;
    size_t len = size * n;
    df_http_answer *a = h->answer;
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        /* A new answer begins (after a 100 or a 401 challenge). */
        a->etag[0] = '\0';
        a->content_type[0] = '\0';
    }
    header_value(p, len, "ETag", a->etag, sizeof a->etag);
    header_value(p, len, "Content-Type", a->content_type, sizeof a->content_type);
    return len;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    return stopping(ud) ? 1 : 0;
}

int df_http_open(const df_http_settings *s, df_http **out, df_error *err)
{
    *out = NULL;
    if (s->timeout <= 0 || s->backoff_base < 0 || s->backoff_cap < s->backoff_base)
        return df_error_set(err, DF_EINVAL, "invalid HTTP settings");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return df_error_set(err, DF_ENOMEM, "cannot start libcurl");
    df_http *h = calloc(1, sizeof *h);
    CURL *c = curl_easy_init();
    if (h == NULL || c == NULL) {
        free(h);
        if (c != NULL)
            curl_easy_cleanup(c);
        curl_global_cleanup();
        return df_error_set(err, DF_ENOMEM, "cannot start libcurl");
    }
    h->s = s;
    h->curl = c;
    h->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(now_seconds() * 1e9) ^
             (uint64_t)(uintptr_t)h;
    if (h->rng == 0)
        h->rng = 1;
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(c, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, h->curl_error);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, h);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, h);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_XFERINFODATA, h);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_CONNECTTIMEOUT, s->timeout);
    SET(CURLOPT_USERAGENT, s->user_agent != NULL ? s->user_agent : "dcmfeed");
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (s->user != NULL) {
        SET(CURLOPT_USERPWD, s->user);
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    }
    if (s->netrc || s->netrc_file != NULL) {
        SET(CURLOPT_NETRC, (long)(s->user != NULL ? CURL_NETRC_OPTIONAL : CURL_NETRC_REQUIRED));
        if (s->netrc_file != NULL)
            SET(CURLOPT_NETRC_FILE, s->netrc_file);
    }
    if (s->cacert != NULL)
        SET(CURLOPT_CAINFO, s->cacert);
    if (s->cert != NULL)
        SET(CURLOPT_SSLCERT, s->cert);
    if (s->key != NULL)
        SET(CURLOPT_SSLKEY, s->key);
#undef SET
    if (rc != CURLE_OK) {
        df_http_close(h);
        return df_error_set(err, DF_EINVAL, "libcurl refused an option: %s",
                            curl_easy_strerror(rc));
    }
    *out = h;
    return 0;
}

void df_http_close(df_http *h)
{
    if (h == NULL)
        return;
    curl_easy_cleanup(h->curl);
    free(h);
    curl_global_cleanup();
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

static bool status_is_retried(long status)
{
    return status >= 500 || status == 408 || status == 429;
}

/* The request set up on h->curl, tried until an answer that is not retried. */
static int perform(df_http *h, const char *method, const char *url, df_buf *body, df_http_answer *a,
                   df_error *err)
{
    const df_http_settings *s = h->s;
    int max_retries = df_http_retries(s, 8);
    memset(a, 0, sizeof *a);
    h->answer = a;
    h->body = body;
    for (int attempt = 0;; attempt++) {
        if (body != NULL)
            df_buf_reset(body);
        a->etag[0] = '\0';
        a->content_type[0] = '\0';
        a->retries = attempt;
        h->curl_error[0] = '\0';
        char shown[2048];
        say(h, 2, "%s %s", method, df_http_shown_url(url, shown, sizeof shown));
        CURLcode c = curl_easy_perform(h->curl);
        if (stopping(h))
            return DF_HTTP_STOPPED;
        char why[DF_ERROR_MESSAGE_MAX];
        curl_off_t retry_after = 0;
        if (c == CURLE_WRITE_ERROR && body != NULL && df_buf_failed(body))
            return df_error_set(err, DF_EHTTP_TOOBIG, "an answer is larger than %zu MiB",
                                body->max / (1024u * 1024u));
        if (c != CURLE_OK) {
            snprintf(why, sizeof why, "%s",
                     h->curl_error[0] ? h->curl_error : curl_easy_strerror(c));
            if (curl_error_is_permanent(c))
                return df_error_set(err, DF_EHTTP_UNAVAILABLE, "%s%s%s",
                                    s->label != NULL ? s->label : "", s->label != NULL ? ": " : "",
                                    why);
        } else {
            curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &a->status);
            say(h, 2, "HTTP %ld, %zu bytes", a->status, body != NULL ? body->len : (size_t)0);
            if (!status_is_retried(a->status)) {
                char *location = NULL;
                if (curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
                    location != NULL && strlen(location) < sizeof a->location)
                    memcpy(a->location, location, strlen(location) + 1);
                return 0;
            }
            df_http_describe(a->status, body, why, sizeof why);
            curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &retry_after);
        }
        if (max_retries >= 0 && attempt >= max_retries)
            return df_error_set(err, DF_EHTTP_UNAVAILABLE, "%s%s%s (gave up after %d %s)",
                                s->label != NULL ? s->label : "", s->label != NULL ? ": " : "", why,
                                attempt, attempt == 1 ? "retry" : "retries");
        double delay = df_http_backoff(attempt, s->backoff_base, s->backoff_cap,
                                       (double)retry_after, unit_random(h));
        say(h, 1, "%s; retrying in %.1f s", why, delay);
        if (df_http_pause(s->stop, delay))
            return DF_HTTP_STOPPED;
    }
}

/* headers as a curl list, with the fixed ones first; NULL when out of memory. */
static struct curl_slist *header_list(const char *first, const char *second,
                                      const char *const *headers, bool *failed)
{
    struct curl_slist *list = NULL;
    const char *fixed[] = {first, second};
    *failed = false;
    for (size_t i = 0; i < 2; i++) {
        if (fixed[i] == NULL)
            continue;
        struct curl_slist *more = curl_slist_append(list, fixed[i]);
        if (more == NULL)
            goto fail;
        list = more;
    }
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++) {
        struct curl_slist *more = curl_slist_append(list, headers[i]);
        if (more == NULL)
            goto fail;
        list = more;
    }
    return list;
fail:
    curl_slist_free_all(list);
    *failed = true;
    return NULL;
}

int df_http_get(df_http *h, const char *url, const char *const *headers, long extra_timeout,
                df_buf *body, df_http_answer *a, df_error *err)
{
    bool failed;
    struct curl_slist *list = header_list(NULL, NULL, headers, &failed);
    if (failed)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, h->s->timeout + extra_timeout);
    int rc = perform(h, "GET", url, body, a, err);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(list);
    return rc;
}

int df_http_post(df_http *h, const char *url, const char *content_type, const char *data,
                 size_t len, const char *const *headers, df_buf *body, df_http_answer *a,
                 df_error *err)
{
    df_buf line;
    df_buf_init(&line, 1024);
    df_buf_append_str(&line, "Content-Type: ");
    df_buf_append_str(&line, content_type);
    if (df_buf_failed(&line)) {
        df_buf_free(&line);
        return df_error_set(err, DF_EINVAL, "the content type is too long");
    }
    bool failed;
    /* "Expect:" turns off curl's 100-continue for large bodies: a receiver that
     * does not answer 100 would cost a second per request. */
    struct curl_slist *list = header_list(line.data, "Expect:", headers, &failed);
    df_buf_free(&line);
    if (failed)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, data != NULL ? data : "");
    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, h->s->timeout);
    int rc = perform(h, "POST", url, body, a, err);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
    curl_slist_free_all(list);
    return rc;
}
