/* The consumer's flow of spec §9, done once and right, for dcmfeed-pull and
 * for any C program that follows a feed: find the start (state file,
 * offset 0 or /changefeed/latest), read a page, hand each entry to a callback,
 * store its Sequence only after the callback succeeded, and go on: a full page
 * at once, an empty one after the poll interval or the server's wait.
 *
 * What it guarantees: entries reach the callback in Sequence order, each one
 * once per run; a page whose Sequences do not follow the offset asked for
 * without a gap or a repeat is refused (a server bug must not lose entries);
 * the state file never moves past an entry the callback has not finished, so
 * a crash repeats at most the entry in flight. Network errors, 5xx, 408 and
 * 429 are retried with capped exponential back-off (honouring Retry-After);
 * other answers stop the flow with the server's message.
 *
 * Everything that is not HTTP (URL building, splitting a page into its
 * entries' original bytes, back-off) is a pure function below, so that the
 * unit tests reach it without a server. */
#ifndef DF_PULL_H
#define DF_PULL_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "json.h"
#include "json_scan.h"

/* Error codes of the pull flow, beside error.h's (DF_EINVAL: bad options or a
 * corrupt state file; DF_EIO: the state file cannot be written; DF_EBUSY: the
 * state file is locked by another consumer; DF_ENOMEM). */
enum {
    DF_EPULL_AUTH = -101,        /* 401 or 403: credentials missing or refused */
    DF_EPULL_REJECTED = -102,    /* another 4xx (or a redirect): the server's message */
    DF_EPULL_UNAVAILABLE = -103, /* network errors, 5xx: retries exhausted */
    DF_EPULL_PROTOCOL = -104,    /* not a valid page: bad JSON, a gap or a repeat */
    DF_EPULL_HANDLER = -105,     /* the callback failed: the entry stays unprocessed */
};

/* Largest answer accepted, as the responder's own ceiling (64 MiB). */
#define DF_PULL_ANSWER_MAX (64u * 1024u * 1024u)
/* Largest wait=N the spec allows. */
#define DF_PULL_WAIT_MAX 60

typedef struct df_pull_options {
    const char *url;             /* the feed's base with its version: https://host/dicom/v1 */
    const char *state_path;      /* NULL: no state file (start from from_latest/offset 0) */
    bool from_latest;            /* without a state: start after /changefeed/latest */
    bool follow;                 /* keep polling at the end instead of returning */
    int limit;                   /* entries per page (the server checks the range) */
    bool include_metadata;       /* includemetadata= */
    double interval;             /* seconds between polls of an empty page (±20 % jitter) */
    int wait;                    /* wait=N sent with --follow (0: never sent) */
    int max_retries;             /* retries of one request; -1: without end; -2: 8, or
                                    without end when following (the default) */
    double backoff_base;         /* first retry delay, seconds */
    double backoff_cap;          /* longest retry delay, seconds (Retry-After may exceed it) */
    long timeout;                /* seconds to connect and for a request beyond wait */
    const char *user;            /* "USER:PASSWORD" for HTTP Basic, or NULL */
    bool netrc;                  /* credentials from ~/.netrc (or netrc_file) */
    const char *netrc_file;      /* NULL: ~/.netrc */
    const char *cacert;          /* CA bundle for https, or NULL (system default) */
    const char *cert;            /* client certificate (PEM), or NULL */
    const char *key;             /* its private key, or NULL (in cert) */
    const char *user_agent;      /* NULL: "dcmfeed-pull" */
    int verbosity;               /* 0: errors only, 1: retries (default), 2: every request */
    volatile sig_atomic_t *stop; /* non-zero: stop after the entry in flight (may be NULL) */
} df_pull_options;

/* Fills o with the defaults: limit 100, metadata, interval 5 s, wait 20,
 * back-off 1 s … 60 s, retries 8 (without end when following), timeout 30 s,
 * verbosity 1. */
void df_pull_options_init(df_pull_options *o);

/* One entry as handed to the callback. Everything is borrowed, valid during
 * the call only. */
typedef struct df_pull_entry {
    int64_t sequence;
    const char *json; /* the entry object's bytes as the server sent them, with
                         insignificant whitespace removed; not NUL-terminated */
    size_t json_len;
    const json_t *object; /* the same, parsed; integers are decoded as reals
                             (JSON_DECODE_INT_AS_REAL) so that 64-bit and larger
                             values in Metadata parse: read the Sequence above */
    const char *action;   /* each NULL when the field is absent or not a string */
    const char *state;
    const char *study_uid;
    const char *series_uid;
    const char *sop_uid;
    const char *timestamp;
} df_pull_entry;

/* Processes one entry; returns 0 when done (the state then moves past it), a
 * negative code with a message in err otherwise (the flow stops with
 * DF_EPULL_HANDLER, and the entry is offered again next run). */
typedef int (*df_pull_handler)(void *ctx, const df_pull_entry *entry, df_error *err);

/* Runs the flow with o until the end of the feed (without follow), a stop
 * request (*o->stop set: returns 0 after the entry in flight) or an error.
 * Calls curl_global_init itself. *last (may be NULL) receives the Sequence of
 * the last entry processed (or the start position). Returns 0 or a negative
 * code (DF_EPULL_…, DF_EINVAL, DF_EIO, DF_EBUSY, DF_ENOMEM) with err set. */
int df_pull_run(const df_pull_options *o, df_pull_handler handler, void *ctx, int64_t *last,
                df_error *err);

/* --- pure helpers, exposed for the tests ------------------------------------ */

/* url as a message may show it: the password of a
 * scheme://user:password@host/... URL becomes "***" (dcmfeed-pull -v prints
 * every request). Writes at most size bytes into out; returns out. */
const char *df_pull_shown_url(const char *url, char *out, size_t size);

/* Appends to out the URL of route ("/changefeed" or "/changefeed/latest")
 * under base: trailing slashes of base's path are dropped, a query string of
 * base (an API key, say) is kept, and the parameters follow. offset < 0 and
 * limit <= 0 leave those out; wait <= 0 leaves wait out. Returns DF_EINVAL for
 * a base that is not http:// or https:// or that has a fragment, DF_ENOMEM
 * when out fails. */
int df_pull_url(df_buf *out, const char *base, const char *route, int64_t offset, int limit,
                bool include_metadata, int wait, df_error *err);

/* Splits text[0..len), a JSON array (already validated by a parser), into
 * its elements' spans with json_scan.h's scanner, without parsing their
 * content, so that numbers and escapes keep their original bytes. spans is
 * grown with realloc (caller frees *spans); *count gets the number of
 * elements. Returns DF_EPULL_PROTOCOL when text is not an array the scanner
 * can follow, DF_ENOMEM. */
int df_pull_split(const char *text, size_t len, df_json_span **spans, size_t *count, df_error *err);

/* Finds the raw value of the top-level member name of the JSON object
 * obj[0..len) (validated, compact or not) and parses it as an integer from
 * 0 to INT64_MAX (num.h): the Sequence is read from the text, so that numbers past
 * a double's exact range stay exact. Returns 0, DF_ENOTFOUND when the member
 * is absent (or its name is written with escapes), DF_EPULL_PROTOCOL when it
 * is not such an integer. */
int df_pull_member_i64(const char *obj, size_t len, const char *name, int64_t *value,
                       df_error *err);

/* Seconds to wait before retry number attempt (0 for the first retry): base
 * doubled per attempt, capped at cap, times a jitter factor 0.8 … 1.2 from
 * unit (0 ≤ unit < 1); never less than retry_after (the server's Retry-After,
 * 0 when absent), which is itself capped at an hour. */
double df_pull_backoff(int attempt, double base, double cap, double retry_after, double unit);

/* interval times a jitter factor 0.8 … 1.2 from unit (0 ≤ unit < 1). */
double df_pull_jitter(double interval, double unit);

#endif
