/* Answering one change feed request: routing, status, headers and the JSON
 * body, built whole in memory so that a failure midway never sends half an
 * answer. No socket or FastCGI here: the caller hands in the request's CGI
 * variables and writes the finished bytes (see changefeed_main.c). */
#ifndef DF_RESPONDER_H
#define DF_RESPONDER_H

#include <stdatomic.h>
#include <stdbool.h>

#include "json.h"
#include "profile.h"

/* Largest answer body built. A page ends before the entry that would take
 * it past this (limit is a maximum: the client continues after the page's
 * last Sequence), so a page always makes progress as long as one entry
 * fits, which the store's DF_METADATA_MAX makes sure of. */
#define DF_ANSWER_MAX (64u * 1024u * 1024u)
/* Bytes of answer buffer a responder keeps between requests; a larger one is
 * given back once its answer is sent (df_responder_end). */
#define DF_ANSWER_KEEP (1024u * 1024u)

typedef struct df_responder df_responder;

/* The CGI variables of one request; each may be NULL (= not set). Borrowed. */
typedef struct df_http_request {
    const char *method;          /* REQUEST_METHOD */
    const char *path_info;       /* PATH_INFO */
    const char *request_uri;     /* REQUEST_URI */
    const char *script_name;     /* SCRIPT_NAME */
    const char *query_string;    /* QUERY_STRING */
    const char *if_none_match;   /* HTTP_IF_NONE_MATCH */
    const char *accept_encoding; /* HTTP_ACCEPT_ENCODING: gzip answers (encoding.h) */
    /* DCMFEED_METADATA as a variable of the request, which the web server
     * sets for a route (Apache's SetEnv, lighttpd's setenv, nginx's
     * fastcgi_param): it wins over the process's (df_responder_shared), so
     * that one pool of FastCGI processes can serve two routes. NULL: none. */
    const char *metadata;
} df_http_request;

/* What the responders of one process share: the count of requests waiting for
 * news (wait=N), the stop flag and the answer cache. Threads of a FastCGI process share one;
 * the caller owns it and keeps it alive while responders use it. */
typedef struct df_responder_shared {
    _Atomic int waiting;   /* requests holding for news now */
    int max_waiting;       /* DCMFEED_MAX_WAITERS: past it, wait=N answers at once */
    _Atomic bool stopping; /* set on SIGTERM: waiting requests answer at once */
    /* DCMFEED_METADATA of the process (profile.h), parsed once: NULL shows
     * the metadata in full. When the setting did not parse, profile_error
     * says why, and every request without a setting of its own answers 503
     * (and logs it) rather than show more than the operator asked for. */
    const df_profile *profile;
    const char *profile_error;
    /* Finished answers kept for the next request for the same answer of the
     * same log state (answer_cache.h); NULL: none (CGI, which answers
     * once). Borrowed, like the rest. */
    struct df_answer_cache *cache;
} df_responder_shared;

/* Default of DCMFEED_MAX_WAITERS. */
#define DF_MAX_WAITERS_DEFAULT 4

/* Makes a responder for the log at db_path (copied; NULL when DCMFEED_DB is
 * not set: every request then answers 503), sharing *shared (borrowed) with
 * the other responders of the process. The log is opened at the first
 * request and kept open, with its statements prepared, across requests; it
 * is reopened when the file is replaced, and at once when a read on it
 * fails with DF_EDB (a PostgreSQL server that restarted or ended the
 * session), the request then tried once more: only a log that is still away
 * answers 503. Returns NULL when out of memory.
 * Free with df_responder_free. */
df_responder *df_responder_new(const char *db_path, df_responder_shared *shared);
void df_responder_free(df_responder *r);

/* One answer as a CGI response, in two pieces so that the body is never
 * copied behind the headers. */
typedef struct df_answer {
    df_buf head;      /* "Status: …", the headers and the blank line; the caller's */
    const char *body; /* borrowed from the responder until df_responder_end; NULL if none */
    size_t body_len;
} df_answer;

/* Answers one request into out (its head reset first). Never fails;
 * problems become a JSON error answer, and problems of the service are
 * logged as one line on stderr (never patient data). out is borrowed. */
void df_responder_handle(df_responder *r, const df_http_request *req, df_answer *out);

/* Says the last answer's body is no longer needed: memory above
 * DF_ANSWER_KEEP is given back. */
void df_responder_end(df_responder *r);

#endif
