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
 * 429 are retried by the HTTP client (http.h); other answers stop the flow
 * with the server's message.
 *
 * Everything that is not HTTP (URL building, splitting a page into its
 * entries' original bytes) is a pure function below, so that the
 * unit tests reach it without a server. */
#ifndef DF_PULL_H
#define DF_PULL_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "http.h"
#include "json.h"
#include "json_scan.h"
#include "store_types.h"

/* Error codes of the pull flow, beside error.h's (DF_EINVAL: bad options or a
 * corrupt state file; DF_EIO: the state file cannot be written; DF_EBUSY: the
 * state file is locked by another consumer; DF_ENOMEM). */
enum {
    DF_EPULL_AUTH = -101,                        /* 401 or 403: credentials missing or refused */
    DF_EPULL_REJECTED = -102,                    /* another 4xx (or a redirect): the server's
                                                    message */
    DF_EPULL_UNAVAILABLE = DF_EHTTP_UNAVAILABLE, /* network errors, 5xx: retries exhausted */
    DF_EPULL_PROTOCOL = -104,                    /* not a valid page: bad JSON, a gap or a repeat */
    DF_EPULL_HANDLER = -105,  /* the callback failed: the entry stays unprocessed */
    DF_EPULL_RECEIVER = -106, /* the receiver of pushed events refused one (a 4xx) */
    DF_EPULL_FEED = -107,     /* the state belongs to another feed (the log was replaced) */
};

/* Largest answer accepted, as the responder's own ceiling (64 MiB). */
#define DF_PULL_ANSWER_MAX (64u * 1024u * 1024u)
/* Largest wait=N the spec allows. */
#define DF_PULL_WAIT_MAX 60
/* The feed's identity as the client learns it (the first DF_FEED_ID_ETAG_LEN
 * hex digits of the log's, which its ETags carry), with its NUL. */
#define DF_PULL_FEED_ID_SIZE (DF_FEED_ID_ETAG_LEN + 1)

typedef struct df_pull_options {
    const char *url;        /* the feed's base with its version: https://host/dicom/v1 */
    const char *state_path; /* NULL: no state file (start from from_latest/offset 0) */
    bool from_latest;       /* without a state: start after /changefeed/latest */
    bool follow;            /* keep polling at the end instead of returning */
    int limit;              /* entries per page (the server checks the range) */
    bool include_metadata;  /* includemetadata= */
    double interval;        /* seconds between polls of an empty page (±20 % jitter) */
    int wait;               /* wait=N sent with --follow (0: never sent) */
    /* v2 filters (spec §5), the query text "sopclassuid=…&modality=…&action=…"
     * as sent, or NULL. A filtered page has gaps in its Sequences and its
     * offset counts matching entries, so the reader then follows the seed's
     * v2 loop: startTime is the Timestamp of the last entry read and offset
     * the number read at that Timestamp; asked for the entries after another
     * Sequence (a resumed run), it reads that entry's Timestamp first and
     * leaves out what it had. Its pages keep their contract: the entries
     * after the Sequence asked for, in order (with gaps). */
    const char *filters;
    df_http_settings http; /* credentials, TLS, timeouts, retries (DF_HTTP_RETRY_DEFAULT:
                              8, or without end when following), verbosity (0: errors
                              only, 1: retries, 2: every request), and the stop flag
                              (non-zero: stop after the entry in flight) */
} df_pull_options;

/* Fills o with the defaults: limit 100, metadata, interval 5 s, wait 20, and
 * http.h's (back-off 1 s … 60 s, timeout 30 s, verbosity 1). */
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
    const char *feed_id; /* the feed's identity (df_pull_feed_id), "" when the server
                            gives none */
} df_pull_entry;

/* A handler's answer: the entry is taken but not finished (a batch being
 * filled); the state stays before it until the handler returns 0 for a later
 * entry or the flush callback succeeds. */
#define DF_PULL_HELD 2

/* Processes one entry; returns 0 when done (the state then moves past it and
 * past every entry held before it), DF_PULL_HELD (only with a flush
 * callback), DF_HTTP_STOPPED when a stop request cut it short (nothing
 * recorded), or a negative code with a message in err (the flow stops, and the
 * entry, with those held, is offered again next run): DF_EPULL_RECEIVER and
 * DF_EPULL_UNAVAILABLE are kept, any other code becomes DF_EPULL_HANDLER. */
typedef int (*df_pull_handler)(void *ctx, const df_pull_entry *entry, df_error *err);

/* Finishes the entries held so far: 0 (the state moves past the last of
 * them), DF_HTTP_STOPPED, or an error as the handler's. Called before the flow
 * pauses or waits at the end of the feed, before it returns, and on a stop
 * request. */
typedef int (*df_pull_flush)(void *ctx, df_error *err);

/* Runs the flow with o until the end of the feed (without follow), a stop
 * request (*o->http.stop set: returns 0 after the entry in flight) or an
 * error. *last (may be NULL) receives the Sequence of the last entry
 * processed (or the start position). Returns 0 or a negative code
 * (DF_EPULL_…, DF_EINVAL, DF_EIO, DF_EBUSY, DF_ENOMEM) with err set. */
int df_pull_run(const df_pull_options *o, df_pull_handler handler, void *ctx, int64_t *last,
                df_error *err);

/* The same, with a flush callback (may be NULL) for handlers that hold
 * entries. */
int df_pull_run_held(const df_pull_options *o, df_pull_handler handler, df_pull_flush flush,
                     void *ctx, int64_t *last, df_error *err);

/* --- reading pages, for flows of their own (pull_study.h) ------------------- */

typedef struct df_pull_reader df_pull_reader;

/* Opens a reader of the feed o->url with o's HTTP settings (borrowed, with
 * the retries of a follower when o->follow). Returns 0 and *out (close with
 * df_pull_reader_close), DF_EINVAL for a bad URL, DF_ENOMEM. */
int df_pull_reader_open(const df_pull_options *o, df_pull_reader **out, df_error *err);

void df_pull_reader_close(df_pull_reader *r);

/* Reads the entries after offset: at most limit, with Metadata when
 * metadata, the server asked to hold an empty answer up to wait seconds (0:
 * not asked). The page is checked whole (an array of entries with Sequences
 * offset+1, offset+2, …) before *entries (*count of them, 0 when there is
 * nothing new) is set; they stay valid until the next read or the close.
 * Returns 0, DF_HTTP_STOPPED, DF_EPULL_…, DF_ENOMEM. */
int df_pull_reader_page(df_pull_reader *r, int64_t offset, int limit, bool metadata, int wait,
                        const df_pull_entry **entries, size_t *count, df_error *err);

/* The Sequence of the newest entry (0 for an empty feed). */
int df_pull_reader_latest(df_pull_reader *r, int64_t *sequence, df_error *err);

/* The feed's identity as learned from its answers so far, "" before the
 * first or when the server gives none. A different identity in a later
 * answer stops the reader with DF_EPULL_FEED: the log behind the URL was
 * replaced, and Sequences no longer mean what they meant. */
const char *df_pull_reader_feed_id(const df_pull_reader *r);

/* --- pure helpers, exposed for the tests ------------------------------------ */

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

/* The feed's identity from an ETag of dcmfeed's responder: a strong or weak
 * tag whose text begins with DF_FEED_ID_ETAG_LEN lowercase hex digits and a
 * '-' ("\"0123456789abcdef-42-…\""). Writes them and a NUL into out and
 * returns true; returns false (out "") for any other tag. */
bool df_pull_feed_id(const char *etag, char out[DF_PULL_FEED_ID_SIZE]);

#endif
