/* Turning a request's method, path and QUERY_STRING into a validated request
 * for one API version (spec §2, §5). No I/O, no SQL, no allocation: the
 * parser works on the caller's strings and fills a df_request.
 *
 * The API versions live in one table (query.c): each row names a version and
 * carries its parameter rules and the answer format. Adding a version is
 * adding a row. */
#ifndef DF_QUERY_H
#define DF_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Longest QUERY_STRING accepted; longer answers 414 (DF_ETOOLONG). */
#define DF_QUERY_MAX 8192
/* Longest value of wait=N, in seconds. */
#define DF_WAIT_MAX 60
/* The most values of one v2 filter (sopclassuid, modality, action). */
#define DF_QUERY_FILTER_MAX 16
/* A filter's longest value: a UID (64 characters); a Modality has 16. */
#define DF_QUERY_FILTER_VALUE_MAX 64
#define DF_QUERY_MODALITY_MAX     16

typedef enum df_route {
    DF_ROUTE_FEED,   /* /{version}/changefeed */
    DF_ROUTE_LATEST, /* /{version}/changefeed/latest */
} df_route;

/* How entries are written in the answer; one value per distinct layout. */
typedef enum df_format {
    DF_FORMAT_V1, /* the entry of spec §3 */
    DF_FORMAT_V2, /* §3 with SopClassUid and Modality after State (§5, extension) */
} df_format;

typedef struct df_api_version {
    const char *name;  /* as it appears in the path: "v1", "v1.0-prerelease", "v2" */
    int limit_default; /* limit when the request gives none */
    int limit_max;     /* largest limit accepted (the smallest is 1) */
    bool time_window;  /* startTime/endTime accepted, offset counts within the window */
    bool filters;      /* sopclassuid, modality and action accepted on the feed */
    df_format format;
} df_api_version;

typedef struct df_request {
    const df_api_version *version; /* borrowed from the static table */
    df_route route;
    bool head;      /* HEAD: answer as GET would, without the body */
    int64_t offset; /* v1: entries with Sequence > offset; v2: entries of the window to skip */
    int limit;      /* 1 .. version->limit_max */
    bool include_metadata; /* default true */
    int wait_seconds;      /* 0 .. DF_WAIT_MAX; only on DF_ROUTE_FEED */
    bool has_start;        /* startTime given (v2) */
    bool has_end;          /* endTime given (v2) */
    int64_t start_us;      /* startTime, microseconds since the Unix epoch, UTC, inclusive */
    int64_t end_us;        /* endTime, microseconds since the Unix epoch, UTC, exclusive */
    /* v2 filters (spec §5): the entries that match every filter given; a
     * filter of no value is not given. Values are copied, NUL-terminated,
     * validated: UIDs (uid.h), Modalities of 1 to 16 characters A-Z 0-9 _
     * and space. actions: bit (1u << a) for each action a asked (0 create,
     * 1 delete, 2 update, the log's values); 0 when not given. */
    int sop_class_count;
    char sop_classes[DF_QUERY_FILTER_MAX][DF_QUERY_FILTER_VALUE_MAX + 1];
    int modality_count;
    char modalities[DF_QUERY_FILTER_MAX][DF_QUERY_MODALITY_MAX + 1];
    unsigned actions;
} df_request;

/* Picks the route path out of what the web server gave: PATH_INFO when it is
 * not empty; otherwise the path part of REQUEST_URI (before any '?'), with
 * SCRIPT_NAME removed from its front when it is there. Any argument may be
 * NULL. Returns a pointer into one of the arguments (borrowed) and its length
 * in *len; never NULL (an empty path gives "" and 0). */
const char *df_query_route_path(const char *path_info, const char *request_uri,
                                const char *script_name, size_t *len);

/* Parses one request. method is REQUEST_METHOD, path[0..path_len) the route
 * path (see df_query_route_path), query the raw QUERY_STRING (NULL = none).
 * Checks, in this order: query longer than DF_QUERY_MAX (DF_ETOOLONG), the
 * version (DF_EVERSION), the route (DF_ENOTFOUND), the method (DF_EMETHOD),
 * then the parameters of that version and route (DF_EINVAL). Returns 0 and
 * fills *req, or a negative DF_E… code with a message in err that names the
 * parameter and its allowed values but never repeats the client's input. */
int df_query_parse(const char *method, const char *path, size_t path_len, const char *query,
                   df_request *req, df_error *err);

/* The supported versions, for messages: "v1.0-prerelease, v1, v2". Static. */
const char *df_query_supported_versions(void);

#endif
