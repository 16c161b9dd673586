/* The HTTP client of dcmfeed's programs, over libcurl: one set of settings
 * (credentials, TLS, timeouts, retries) that every program takes from its
 * command line with the same words (DF_HTTP_LONG_OPTIONS, df_http_option),
 * and one retry rule for every request, GET or POST: network errors,
 * timeouts, 408, 429 and 5xx are tried again with capped exponential back-off,
 * never sooner than the server's Retry-After; any other answer is returned to
 * the caller, who decides what a 2xx, a 304 or a 4xx means for it.
 *
 * A client (df_http) keeps one curl handle, so that its requests reuse one
 * connection. It never follows redirects (a redirect is an answer: the caller
 * names the new URL to the user) and speaks only http and https. Retries are
 * reported on stderr, prefixed with the program's name; nothing else is
 * written. Not thread-safe: one client per thread. */
#ifndef DF_HTTP_H
#define DF_HTTP_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "json.h"

/* Error codes of the client, beside error.h's (DF_EINVAL: a bad setting or
 * URL, DF_ENOMEM). */
enum {
    DF_EHTTP_UNAVAILABLE = -103, /* network, TLS, timeouts, 408/429/5xx: retries exhausted,
                                    or an error no retry can mend (TLS verification) */
    DF_EHTTP_TOOBIG = -110,      /* the answer's body passed the caller's ceiling */
};

/* Returned by a request when the stop flag was raised during it or during a
 * pause between tries: not an error, the caller winds down. */
#define DF_HTTP_STOPPED 1

/* Longest ETag kept (a longer one is dropped, never cut). */
#define DF_HTTP_ETAG_MAX 256
/* Longest Retry-After honoured, in seconds: past it a misconfigured server
 * would park a client for days. */
#define DF_HTTP_RETRY_AFTER_MAX 3600.0
/* max_retries: without end. */
#define DF_HTTP_RETRY_FOREVER (-1)
/* max_retries: not given on the command line; the program chooses
 * (df_http_retries). */
#define DF_HTTP_RETRY_DEFAULT (-2)

typedef struct df_http_settings {
    char *user;                  /* "USER:PASSWORD" for HTTP Basic (owned), or NULL */
    bool netrc;                  /* credentials from ~/.netrc (or netrc_file) */
    const char *netrc_file;      /* borrowed; NULL: ~/.netrc */
    const char *cacert;          /* CA bundle for https (borrowed), NULL: the system's */
    const char *cert;            /* client certificate, PEM (borrowed), or NULL */
    const char *key;             /* its private key (borrowed), or NULL: in cert */
    long timeout;                /* seconds to connect, and for a request beyond its extra */
    int max_retries;             /* retries of one request; DF_HTTP_RETRY_FOREVER or
                                    DF_HTTP_RETRY_DEFAULT */
    double backoff_base;         /* first retry delay, seconds */
    double backoff_cap;          /* longest retry delay, seconds (Retry-After may exceed it) */
    const char *user_agent;      /* NULL: "dcmfeed" */
    const char *name;            /* prefix of the lines on stderr, NULL: "dcmfeed" */
    const char *label;           /* NULL, or what the requests go to ("the receiver"), put
                                    before each retry line */
    int verbosity;               /* 0: nothing, 1: retries (default), 2: every request */
    volatile sig_atomic_t *stop; /* non-zero: end the request or pause at once (may be NULL) */
} df_http_settings;

/* Fills s with the defaults: no credentials, the system's CAs, timeout 30 s,
 * back-off 1 s … 60 s, retries DF_HTTP_RETRY_DEFAULT, verbosity 1. */
void df_http_settings_init(df_http_settings *s);

/* Frees what s owns (the credentials, wiped first); s may be initialised
 * again. */
void df_http_settings_free(df_http_settings *s);

/* The retries a request gets: s->max_retries, or fallback when it is
 * DF_HTTP_RETRY_DEFAULT. */
int df_http_retries(const df_http_settings *s, int fallback);

/* url as a message may show it: the password of a
 * scheme://user:password@host/... URL becomes "***" (-v prints every
 * request). Writes at most size bytes into out; returns out. */
const char *df_http_shown_url(const char *url, char *out, size_t size);

/* --- the command line: the same words in every program ------------------------ */

enum {
    DF_HTTP_OPT_USER = 0x4800,
    DF_HTTP_OPT_NETRC,
    DF_HTTP_OPT_NETRC_FILE,
    DF_HTTP_OPT_CACERT,
    DF_HTTP_OPT_CERT,
    DF_HTTP_OPT_KEY,
    DF_HTTP_OPT_TIMEOUT,
    DF_HTTP_OPT_MAX_RETRIES,
    DF_HTTP_OPT_RETRY_CAP,
    DF_HTTP_OPT_END,
};

/* Entries for a program's getopt_long table, before its terminator. */
#define DF_HTTP_LONG_OPTIONS                                                                       \
    {"user", required_argument, NULL, DF_HTTP_OPT_USER},                                           \
        {"netrc", no_argument, NULL, DF_HTTP_OPT_NETRC},                                           \
        {"netrc-file", required_argument, NULL, DF_HTTP_OPT_NETRC_FILE},                           \
        {"cacert", required_argument, NULL, DF_HTTP_OPT_CACERT},                                   \
        {"cert", required_argument, NULL, DF_HTTP_OPT_CERT},                                       \
        {"key", required_argument, NULL, DF_HTTP_OPT_KEY},                                         \
        {"timeout", required_argument, NULL, DF_HTTP_OPT_TIMEOUT},                                 \
        {"max-retries", required_argument, NULL, DF_HTTP_OPT_MAX_RETRIES},                         \
    {                                                                                              \
        "retry-cap", required_argument, NULL, DF_HTTP_OPT_RETRY_CAP                                \
    }

/* Their lines for --help. */
#define DF_HTTP_OPTIONS_HELP                                                                       \
    "  --user USER[:PASS]  HTTP Basic credentials; without :PASS the password is\n"                \
    "                      read from the environment variable DCMFEED_PASSWORD\n"                  \
    "  --netrc             credentials from ~/.netrc\n"                                            \
    "  --netrc-file FILE   credentials from FILE\n"                                                \
    "  --cacert FILE       CA certificates to verify the server with (PEM)\n"                      \
    "  --cert FILE         client certificate (PEM)\n"                                             \
    "  --key FILE          its private key (PEM), when not in --cert\n"                            \
    "  --timeout SECONDS   to connect, and for one request (default 30)\n"                         \
    "  --max-retries N     retries of a request after network errors, timeouts,\n"                 \
    "                      5xx, 408 and 429, with exponential back-off honouring\n"                \
    "                      Retry-After (-1: without end)\n"                                        \
    "  --retry-cap SECONDS longest pause between retries (default 60)\n"

/* True when code (getopt_long's value) is one of DF_HTTP_LONG_OPTIONS. */
bool df_http_is_option(int code);

/* Applies option code with its argument arg (getopt's optarg, NULL for
 * --netrc) to s. The password of --user USER:PASS is copied and then
 * overwritten with '*' in arg, so that it leaves the process list; --user
 * USER takes it from $DCMFEED_PASSWORD (the caller unsets that once the
 * options are read, so that commands it runs do not inherit it). Returns 0,
 * DF_EINVAL with a message for the user ("--timeout wants seconds from 1 to
 * 3600, not 'x'"), DF_ENOMEM. */
int df_http_option(df_http_settings *s, int code, char *arg, df_error *err);

/* --- requests ------------------------------------------------------------------ */

typedef struct df_http df_http;

/* Opens a client over s, which is borrowed for the client's life. Calls
 * curl_global_init (counted: every open has its close). Returns 0 and
 * *out (close with df_http_close), DF_EINVAL when libcurl refuses a
 * setting, DF_ENOMEM. */
int df_http_open(const df_http_settings *s, df_http **out, df_error *err);

/* Closes h (NULL is fine) and its connections. */
void df_http_close(df_http *h);

/* What came back, beside the body. */
typedef struct df_http_answer {
    long status;                 /* the final answer's HTTP status */
    char etag[DF_HTTP_ETAG_MAX]; /* its ETag header as sent, "" when none */
    char content_type[128];      /* its Content-Type, "" when none (or longer) */
    char location[2048];         /* a redirect's target, "" when none (or longer) */
    int retries;                 /* retries made before it */
} df_http_answer;

/* GETs url. headers (may be NULL) are extra "Name: value" lines, ended by
 * NULL (Accept, If-None-Match, …); extra_timeout seconds are added to the
 * request's timeout (a server asked to hold it, as with wait=N). The body
 * is appended to body (reset first; its ceiling bounds it: past it,
 * DF_EHTTP_TOOBIG), or dropped when body is NULL.
 *
 * Retries as the file's comment says; returns 0 with a, whatever else the
 * status (2xx, 3xx, 4xx other than 408 and 429); DF_HTTP_STOPPED;
 * DF_EHTTP_UNAVAILABLE with err naming the last failure ("HTTP 503
 * ServiceUnavailable: … (gave up after 8 retries)"); DF_EHTTP_TOOBIG;
 * DF_ENOMEM. */
int df_http_get(df_http *h, const char *url, const char *const *headers, long extra_timeout,
                df_buf *body, df_http_answer *a, df_error *err);

/* POSTs data[0..len) as content_type to url, with the same headers, answer
 * body, retries and results as df_http_get. Each try sends the whole body
 * again: a receiver may get it more than once and must de-duplicate. No
 * "Expect: 100-continue": one round trip per try. */
int df_http_post(df_http *h, const char *url, const char *content_type, const char *data,
                 size_t len, const char *const *headers, df_buf *body, df_http_answer *a,
                 df_error *err);

/* --- pure helpers ---------------------------------------------------------------- */

/* A person's description of an answer that is not what was wanted: "HTTP
 * 404 NotFound: message" from dcmfeed's error body (spec §7), "HTTP 400:
 * message" from a bare JSON string (the seed service's), a hint for 401 and
 * 403 without either, else "HTTP 500". Written into out (always
 * NUL-terminated). body may be NULL. */
void df_http_describe(long status, const df_buf *body, char *out, size_t size);

/* True when a header line "Name: value" may be sent: a token name (RFC 9110
 * tchar), a colon, a value without CR, LF or NUL. */
bool df_http_header_valid(const char *line);

/* Seconds to wait before retry number attempt (0 for the first retry): base
 * doubled per attempt, capped at cap, times a jitter factor 0.8 … 1.2 from
 * unit (0 ≤ unit < 1); never less than retry_after (the server's Retry-After,
 * 0 when absent), which is itself capped at DF_HTTP_RETRY_AFTER_MAX. */
double df_http_backoff(int attempt, double base, double cap, double retry_after, double unit);

/* interval times a jitter factor 0.8 … 1.2 from unit (0 ≤ unit < 1). */
double df_http_jitter(double interval, double unit);

/* Sleeps for seconds, in short slices so that a raised *stop (may be NULL)
 * is seen within 50 ms; returns true when it was. */
bool df_http_pause(volatile sig_atomic_t *stop, double seconds);

#endif
