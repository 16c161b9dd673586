/* Tests of the query module: every route and parameter rule of spec §2 and §5
 * for v1 and v2, mostly as tables. Each row is a behaviour the spec names and
 * would fail if the rule were dropped. */
#include "query.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *method, const char *path, const char *query, df_request *req,
                 df_error *err)
{
    df_error_clear(err);
    return df_query_parse(method, path, strlen(path), query, req, err);
}

/* --- versions, routes, methods, length ----------------------------------- */

typedef struct route_case {
    const char *method;
    const char *path;
    const char *query;
    int rc;
    const char *version; /* on success */
    df_route route;
    bool head;
} route_case;

static const route_case route_cases[] = {
    {"GET", "/v1/changefeed", NULL, 0, "v1", DF_ROUTE_FEED, false},
    {"GET", "/v1/changefeed/latest", NULL, 0, "v1", DF_ROUTE_LATEST, false},
    {"GET", "/v2/changefeed", NULL, 0, "v2", DF_ROUTE_FEED, false},
    {"GET", "/v2/changefeed/latest", NULL, 0, "v2", DF_ROUTE_LATEST, false},
    {"GET", "/v1.0-prerelease/changefeed", NULL, 0, "v1.0-prerelease", DF_ROUTE_FEED, false},
    {"GET", "/v1.0-prerelease/changefeed/latest", "", 0, "v1.0-prerelease", DF_ROUTE_LATEST, false},
    {"HEAD", "/v1/changefeed", NULL, 0, "v1", DF_ROUTE_FEED, true},
    {"HEAD", "/v2/changefeed/latest", NULL, 0, "v2", DF_ROUTE_LATEST, true},
    /* One trailing slash is the same route. */
    {"GET", "/v1/changefeed/", NULL, 0, "v1", DF_ROUTE_FEED, false},
    {"GET", "/v2/changefeed/latest/", NULL, 0, "v2", DF_ROUTE_LATEST, false},
    /* Missing or unknown version: 400 naming the versions. */
    {"GET", "", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "/", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "/changefeed/latest", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "/v3/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "/V1/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "/v1.0/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "/v/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "/v11/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "//v1/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    {"GET", "v1/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    /* The version is checked before the method. */
    {"POST", "/v9/changefeed", NULL, DF_EVERSION, NULL, 0, false},
    /* A valid version but no such route: 404. */
    {"GET", "/v1", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1/", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1/foo", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1/changefeed/x", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1/changefeed/latest/x", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1//changefeed", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1/changefeed//", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1/../v1/changefeed", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1/ChangeFeed", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v1/changefeedx", NULL, DF_ENOTFOUND, NULL, 0, false},
    {"GET", "/v2/changefeed/Latest", NULL, DF_ENOTFOUND, NULL, 0, false},
    /* The route is checked before the method. */
    {"POST", "/v1/foo", NULL, DF_ENOTFOUND, NULL, 0, false},
    /* Only GET and HEAD, spelt exactly: 405. */
    {"POST", "/v1/changefeed", NULL, DF_EMETHOD, NULL, 0, false},
    {"PUT", "/v1/changefeed", NULL, DF_EMETHOD, NULL, 0, false},
    {"DELETE", "/v1/changefeed", NULL, DF_EMETHOD, NULL, 0, false},
    {"OPTIONS", "/v2/changefeed/latest", NULL, DF_EMETHOD, NULL, 0, false},
    {"get", "/v1/changefeed", NULL, DF_EMETHOD, NULL, 0, false},
    {"head", "/v1/changefeed", NULL, DF_EMETHOD, NULL, 0, false},
    {"GETX", "/v1/changefeed", NULL, DF_EMETHOD, NULL, 0, false},
    {"", "/v1/changefeed", NULL, DF_EMETHOD, NULL, 0, false},
    {NULL, "/v1/changefeed", NULL, DF_EMETHOD, NULL, 0, false},
    /* The method is checked before the parameters. */
    {"POST", "/v1/changefeed", "limit=0", DF_EMETHOD, NULL, 0, false},
};

START_TEST(test_route_table)
{
    const route_case *c = &route_cases[_i];
    df_request req;
    df_error err;
    int rc = parse(c->method, c->path, c->query, &req, &err);
    ck_assert_msg(rc == c->rc, "%s %s: got %d, want %d (%s)", c->method ? c->method : "(null)",
                  c->path, rc, c->rc, err.message);
    if (rc == 0) {
        ck_assert_str_eq(req.version->name, c->version);
        ck_assert_int_eq(req.route, c->route);
        ck_assert_int_eq(req.head, c->head);
    } else {
        ck_assert_int_eq(err.code, c->rc);
        ck_assert_uint_gt(strlen(err.message), 0);
    }
}
END_TEST

START_TEST(test_version_message)
{
    df_request req;
    df_error err;
    ck_assert_str_eq(df_query_supported_versions(), "v1.0-prerelease, v1, v2");
    ck_assert_ptr_eq(df_query_supported_versions(), df_query_supported_versions());
    ck_assert_int_eq(parse("GET", "/v3/changefeed", NULL, &req, &err), DF_EVERSION);
    ck_assert_str_eq(err.message,
                     "unsupported or missing API version; supported: v1.0-prerelease, v1, v2");
    /* The unknown version the client sent is not repeated. */
    ck_assert_int_eq(parse("GET", "/evil<script>/changefeed", NULL, &req, &err), DF_EVERSION);
    ck_assert_ptr_null(strstr(err.message, "evil"));
}
END_TEST

START_TEST(test_version_rows)
{
    df_request req;
    df_error err;
    ck_assert_int_eq(parse("GET", "/v1/changefeed", NULL, &req, &err), 0);
    ck_assert_int_eq(req.version->limit_default, 10);
    ck_assert_int_eq(req.version->limit_max, 100);
    ck_assert(!req.version->time_window);
    ck_assert(!req.version->filters);
    ck_assert_int_eq(req.version->format, DF_FORMAT_V1);
    ck_assert_int_eq(parse("GET", "/v1.0-prerelease/changefeed", NULL, &req, &err), 0);
    ck_assert_int_eq(req.version->limit_default, 10);
    ck_assert_int_eq(req.version->limit_max, 100);
    ck_assert(!req.version->time_window);
    ck_assert_int_eq(parse("GET", "/v2/changefeed", NULL, &req, &err), 0);
    ck_assert_int_eq(req.version->limit_default, 100);
    ck_assert_int_eq(req.version->limit_max, 200);
    ck_assert(req.version->time_window);
    ck_assert(req.version->filters);
    /* v2 entries carry SopClassUid and Modality (spec §5, extension). */
    ck_assert_int_eq(req.version->format, DF_FORMAT_V2);
}
END_TEST

/* The path is given with a length: bytes past it are not part of it. */
START_TEST(test_path_length)
{
    df_request req;
    df_error err;
    const char *p = "/v1/changefeed/latest";
    ck_assert_int_eq(df_query_parse("GET", p, strlen("/v1/changefeed"), NULL, &req, &err), 0);
    ck_assert_int_eq(req.route, DF_ROUTE_FEED);
    df_error_clear(&err);
    ck_assert_int_eq(df_query_parse("GET", "/v1/changefeed\0/latest", 22, NULL, &req, &err),
                     DF_ENOTFOUND);
    df_error_clear(&err);
    ck_assert_int_eq(df_query_parse("GET", NULL, 0, NULL, &req, &err), DF_EVERSION);
}
END_TEST

static char *filled_query(size_t len)
{
    /* A cache-buster of exactly len bytes: "_=xxxx…". */
    char *q = malloc(len + 1);
    ck_assert_ptr_nonnull(q);
    memset(q, 'x', len);
    q[0] = '_';
    q[1] = '=';
    q[len] = '\0';
    return q;
}

START_TEST(test_query_length)
{
    df_request req;
    df_error err;
    char *q = filled_query(DF_QUERY_MAX);
    ck_assert_int_eq(parse("GET", "/v1/changefeed", q, &req, &err), 0);
    free(q);
    q = filled_query(DF_QUERY_MAX + 1);
    ck_assert_int_eq(parse("GET", "/v1/changefeed", q, &req, &err), DF_ETOOLONG);
    /* Too long is checked first, before version, route and method. */
    ck_assert_int_eq(parse("POST", "/nope", q, &req, &err), DF_ETOOLONG);
    free(q);

    /* The whole 8 KiB is decoded: a known value at its very end is read. */
    q = filled_query(DF_QUERY_MAX);
    memcpy(q + DF_QUERY_MAX - 8, "&limit=7", 8);
    ck_assert_int_eq(parse("GET", "/v1/changefeed", q, &req, &err), 0);
    ck_assert_int_eq(req.limit, 7);
    free(q);

    /* An 8 KiB query of escapes: all of it decodes into the fixed buffer. */
    q = malloc(DF_QUERY_MAX + 1);
    ck_assert_ptr_nonnull(q);
    memcpy(q, "limit=", 6);
    for (size_t i = 6; i + 3 <= DF_QUERY_MAX; i += 3)
        memcpy(q + i, "%30", 3);
    q[6 + (DF_QUERY_MAX - 6) / 3 * 3] = '\0';
    ck_assert_int_eq(parse("GET", "/v1/changefeed", q, &req, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "limit must be an integer from 1 to 100.");
    free(q);
}
END_TEST

/* --- parameters that are rejected ----------------------------------------- */

typedef struct bad_case {
    const char *path;
    const char *query;
    const char *message; /* exact, or NULL to check only DF_EINVAL */
} bad_case;

#define V1         "/v1/changefeed"
#define V2         "/v2/changefeed"
#define V1L        "/v1/changefeed/latest"
#define V2L        "/v2/changefeed/latest"
#define PRE        "/v1.0-prerelease/changefeed"
#define M_LIMIT100 "limit must be an integer from 1 to 100."
#define M_LIMIT200 "limit must be an integer from 1 to 200."
#define M_OFFSET   "offset must be an integer from 0 to 9223372036854775807."
#define M_WAIT     "wait must be an integer from 0 to 60."
#define M_META     "includemetadata must be true or false."
#define M_ESC      "malformed percent-encoding in the query string"
#define M_START    "startTime must be an ISO 8601 date-time with a zone, e.g. 2023-05-03T10:58:00Z."
#define M_END      "endTime must be an ISO 8601 date-time with a zone, e.g. 2023-05-03T10:58:00Z."
#define M_ORDER    "startTime must be before endTime."

static const bad_case bad_cases[] = {
    /* limit: digits only, in range for the version. */
    {V1, "limit=", M_LIMIT100},
    {V1, "limit", M_LIMIT100},
    {V1, "limit=0", M_LIMIT100},
    {V1, "limit=101", M_LIMIT100},
    {V1, "limit=+5", M_LIMIT100},
    {V1, "limit=%2B5", M_LIMIT100},
    {V1, "limit= 5", M_LIMIT100},
    {V1, "limit=%205", M_LIMIT100},
    {V1, "limit=5 ", M_LIMIT100},
    {V1, "limit=5%20", M_LIMIT100},
    {V1, "limit=%095", M_LIMIT100},
    {V1, "limit=10abc", M_LIMIT100},
    {V1, "limit=-1", M_LIMIT100},
    {V1, "limit=1.0", M_LIMIT100},
    {V1, "limit=0x10", M_LIMIT100},
    {V1, "limit=1e2", M_LIMIT100},
    {V1, "limit=99999999999999999999", M_LIMIT100},
    {V1, "limit=4294967306", M_LIMIT100}, /* 2^32 + 10: no wrap to 10 */
    {PRE, "limit=101", M_LIMIT100},
    {V2, "limit=201", M_LIMIT200},
    {V2, "limit=0", M_LIMIT200},
    /* offset: 0 .. INT64_MAX, digits only. */
    {V1, "offset=", M_OFFSET},
    {V1, "offset=-1", M_OFFSET},
    {V1, "offset=+0", M_OFFSET},
    {V1, "offset=9223372036854775808", M_OFFSET},
    {V1, "offset=18446744073709551616", M_OFFSET},
    {V1, "offset=99999999999999999999999", M_OFFSET},
    {V1, "offset=1x", M_OFFSET},
    {V2, "offset=-5", M_OFFSET},
    /* includemetadata: true or false in any case, nothing else. */
    {V1, "includemetadata=", M_META},
    {V1, "includemetadata", M_META},
    {V1, "includemetadata=1", M_META},
    {V1, "includemetadata=0", M_META},
    {V1, "includemetadata=yes", M_META},
    {V1, "includemetadata=truee", M_META},
    {V1, "includemetadata=tru", M_META},
    {V1, "includemetadata=%20true", M_META},
    {V1, "includemetadata=true%00", M_ESC},
    {V1L, "includemetadata=no", M_META},
    {V2L, "includeMetadata=1", M_META},
    /* wait: 0 .. 60. */
    {V1, "wait=61", M_WAIT},
    {V1, "wait=-1", M_WAIT},
    {V1, "wait=", M_WAIT},
    {V2, "wait=1000000000000", M_WAIT},
    /* A known name twice, names compared without case. */
    {V1, "offset=1&offset=1", "offset is given more than once."},
    {V1, "limit=1&LIMIT=2", "limit is given more than once."},
    {V1, "includeMetadata=true&INCLUDEMETADATA=true", "includemetadata is given more than once."},
    {V1, "wait=1&Wait=1", "wait is given more than once."},
    {V1, "limit&limit", "limit is given more than once."},
    {V1, "lim%69t=1&limit=2", "limit is given more than once."},
    {V2, "startTime=2023-01-01T00:00:00Z&starttime=2023-01-01T00:00:00Z",
     "startTime is given more than once."},
    {V2, "endTime=2023-01-01T00:00:00Z&ENDTIME=2023-01-01T00:00:00Z",
     "endTime is given more than once."},
    {V1L, "includemetadata=true&includemetadata=false", "includemetadata is given more than once."},
    /* Malformed escapes, anywhere, even in unknown parameters or names. */
    {V1, "limit=%", M_ESC},
    {V1, "limit=%4", M_ESC},
    {V1, "limit=%G1", M_ESC},
    {V1, "limit=%1G", M_ESC},
    {V1, "limit=5%", M_ESC},
    {V1, "_=%zz", M_ESC},
    {V1, "x%=1", M_ESC},
    {V1, "%", M_ESC},
    {V1, "a=1&b=%4", M_ESC},
    {V1L, "offset=%", M_ESC},
    {V1, "limit=%00", M_ESC},
    {V1, "_=%00", M_ESC},
    {V1, "lim%00it=1", M_ESC},
    /* An escape error wins over a value error, whatever the order. */
    {V1, "limit=abc&_=%G1", M_ESC},
    /* Times (v2 only). */
    {V2, "startTime=", M_START},
    {V2, "startTime=2023-05-03T10:58:00", M_START},
    {V2, "startTime=2023-05-03T10:58:00.123", M_START},
    {V2, "endTime=2023-05-03T10:58:00", M_END},
    {V2, "startTime=2023-05-03", M_START},
    {V2, "startTime=2023-05-03 10:58:00Z", M_START},
    {V2, "startTime=2023-05-03T10:58Z", M_START},
    {V2, "startTime=2023-5-3T10:58:00Z", M_START},
    {V2, "startTime=23-05-03T10:58:00Z", M_START},
    {V2, "startTime=2023-05-03T10:58:00.Z", M_START},
    {V2, "startTime=2023-05-03T10:58:00.1234567890Z", M_START},
    {V2, "startTime=2023-05-03T10:58:00ZZ", M_START},
    {V2, "startTime=2023-05-03T10:58:00Z ", M_START},
    {V2, "startTime=%202023-05-03T10:58:00Z", M_START},
    {V2, "startTime=2023-05-03T10:58:00+01", M_START},
    {V2, "startTime=2023-05-03T10:58:00+0100", M_START},
    {V2, "startTime=2023-05-03T10:58:00+1:00", M_START},
    {V2, "startTime=2023-05-03T10:58:00+24:00", M_START},
    {V2, "startTime=2023-05-03T10:58:00+01:60", M_START},
    {V2, "startTime=2023-05-03T10:58:00 01:00", M_START}, /* '+' decoded as space would do this */
    {V2, "startTime=2023-02-30T00:00:00Z", M_START},
    {V2, "startTime=2023-02-29T00:00:00Z", M_START},
    {V2, "startTime=1900-02-29T00:00:00Z", M_START},
    {V2, "startTime=2023-04-31T00:00:00Z", M_START},
    {V2, "startTime=2023-00-10T00:00:00Z", M_START},
    {V2, "startTime=2023-13-10T00:00:00Z", M_START},
    {V2, "startTime=2023-01-00T00:00:00Z", M_START},
    {V2, "startTime=2023-01-32T00:00:00Z", M_START},
    {V2, "startTime=2023-05-03T24:00:00Z", M_START},
    {V2, "startTime=2023-05-03T10:60:00Z", M_START},
    {V2, "startTime=2023-05-03T10:58:60Z", M_START},
    {V2, "startTime=0000-01-01T00:00:00Z", M_START},
    {V2, "startTime=-2023-05-03T10:58:00Z", M_START},
    {V2, "startTime=+2023-05-03T10:58:00Z", M_START},
    {V2, "startTime=2023-05-03T10:58:00.12a4Z", M_START},
    {V2, "startTime=2023-05-03T10:58:0aZ", M_START},
    {V2, "startTime=1683111480", M_START},
    {V2, "startTime=now", M_START},
    /* An empty or reversed window. */
    {V2, "startTime=2023-05-03T10:58:00Z&endTime=2023-05-03T10:58:00Z", M_ORDER},
    {V2, "startTime=2023-05-03T10:58:01Z&endTime=2023-05-03T10:58:00Z", M_ORDER},
    /* The same instant in two zones is still an empty window. */
    {V2, "startTime=2023-05-03T11:58:00%2B01:00&endTime=2023-05-03T10:58:00Z", M_ORDER},
    /* Both round up to the same microsecond: empty. */
    {V2, "startTime=2023-05-03T10:58:00.0000001Z&endTime=2023-05-03T10:58:00.000001Z", M_ORDER},
};

START_TEST(test_bad_table)
{
    const bad_case *c = &bad_cases[_i];
    df_request req;
    df_error err;
    int rc = parse("GET", c->path, c->query, &req, &err);
    ck_assert_msg(rc == DF_EINVAL, "%s?%s: got %d, want DF_EINVAL", c->path, c->query, rc);
    ck_assert_int_eq(err.code, DF_EINVAL);
    if (c->message != NULL)
        ck_assert_msg(strcmp(err.message, c->message) == 0, "%s?%s: message \"%s\", want \"%s\"",
                      c->path, c->query, err.message, c->message);
}
END_TEST

/* --- parameters that are accepted ------------------------------------------ */

enum field { F_OFFSET, F_LIMIT, F_META, F_WAIT, F_START, F_END, F_HAS_START, F_HAS_END };

typedef struct good_case {
    const char *path;
    const char *query;
    enum field field;
    int64_t want;
} good_case;

static int64_t field_value(const df_request *r, enum field f)
{
    switch (f) {
    case F_OFFSET:
        return r->offset;
    case F_LIMIT:
        return r->limit;
    case F_META:
        return r->include_metadata;
    case F_WAIT:
        return r->wait_seconds;
    case F_START:
        return r->start_us;
    case F_END:
        return r->end_us;
    case F_HAS_START:
        return r->has_start;
    case F_HAS_END:
        return r->has_end;
    }
    return -1;
}

/* 2023-05-03T10:58:00Z in microseconds. */
#define T0 INT64_C(1683111480000000)

static const good_case good_cases[] = {
    /* limit bounds per version, leading zeros fine. */
    {V1, "limit=1", F_LIMIT, 1},
    {V1, "limit=100", F_LIMIT, 100},
    {V1, "limit=007", F_LIMIT, 7},
    {V1, "limit=%35", F_LIMIT, 5},
    {PRE, "limit=100", F_LIMIT, 100},
    {V2, "limit=200", F_LIMIT, 200},
    {V2, "limit=1", F_LIMIT, 1},
    /* offset up to INT64_MAX. */
    {V1, "offset=0", F_OFFSET, 0},
    {V1, "offset=42", F_OFFSET, 42},
    {V1, "offset=9223372036854775807", F_OFFSET, INT64_MAX},
    {V1, "offset=00000000000000000000009223372036854775807", F_OFFSET, INT64_MAX},
    {V2, "offset=17", F_OFFSET, 17},
    /* Names without case. */
    {V1, "LIMIT=5", F_LIMIT, 5},
    {V1, "Offset=3", F_OFFSET, 3},
    {V1, "includeMetadata=false", F_META, 0},
    {V1, "INCLUDEMETADATA=false", F_META, 0},
    {V1, "WAIT=5", F_WAIT, 5},
    {V2, "STARTTIME=2023-05-03T10:58:00Z", F_START, T0},
    {V2, "endtime=2023-05-03T10:58:00Z", F_END, T0},
    /* An escaped name is a name. */
    {V1, "%6Cimit=9", F_LIMIT, 9},
    /* Booleans in any case. */
    {V1, "includemetadata=true", F_META, 1},
    {V1, "includemetadata=false", F_META, 0},
    {V1, "includemetadata=TRUE", F_META, 1},
    {V1, "includemetadata=True", F_META, 1},
    {V1, "includemetadata=FaLsE", F_META, 0},
    {V1L, "includemetadata=false", F_META, 0},
    {V2L, "includeMetadata=True", F_META, 1},
    /* wait bounds. */
    {V1, "wait=0", F_WAIT, 0},
    {V1, "wait=60", F_WAIT, 60},
    {V2, "wait=30", F_WAIT, 30},
    /* Empty pieces are skipped. */
    {V1, "&limit=5", F_LIMIT, 5},
    {V1, "limit=5&", F_LIMIT, 5},
    {V1, "a=1&&limit=5", F_LIMIT, 5},
    {V1, "&&&", F_LIMIT, 10},
    /* Unknown parameters are ignored, whatever they hold. */
    {V1, "_=123&limit=4", F_LIMIT, 4},
    {V1, "_=1&_=2", F_LIMIT, 10},
    {V1, "foo", F_LIMIT, 10},
    {V1, "=5", F_LIMIT, 10},
    {V1, "limits=0", F_LIMIT, 10},
    {V1, "lim=0", F_LIMIT, 10},
    {V1, "limit%20=0", F_LIMIT, 10},
    {V1, "limit=3&x=a=b", F_LIMIT, 3},
    {V1, "x=%F0%9F%92%A9&limit=2", F_LIMIT, 2},
    /* '=' inside a value belongs to the value (and is junk for a number). */
    {V1, "q=limit=0", F_LIMIT, 10},
    /* Lowercase and uppercase escapes. */
    {V1, "includemetadata=%74rue", F_META, 1},
    {V1, "includemetadata=%46ALSE", F_META, 0},
    {V2, "startTime=2023-05-03T10%3A58%3A00Z", F_START, T0},
    /* v1 has no time window: startTime/endTime are unknown, so ignored. */
    {V1, "startTime=garbage", F_HAS_START, 0},
    {V1, "endTime=garbage&endTime=x", F_HAS_END, 0},
    {PRE, "startTime=garbage", F_HAS_START, 0},
    {V1, "startTime=2023-05-03T10:58:00Z", F_START, 0},
    /* latest ignores offset, limit, wait and times, even invalid or repeated. */
    {V1L, "offset=-1&limit=0&wait=999", F_LIMIT, 10},
    {V1L, "limit=abc&limit=def", F_OFFSET, 0},
    {V2L, "limit=500", F_LIMIT, 100},
    {V2L, "wait=61", F_WAIT, 0},
    {V2L, "startTime=bad&endTime=bad", F_HAS_START, 0},
    /* Times: zones are honoured. */
    {V2, "startTime=1970-01-01T00:00:00Z", F_START, 0},
    {V2, "startTime=1970-01-01T00:00:00Z", F_HAS_START, 1},
    {V2, "startTime=1970-01-01T00:00:00Z", F_HAS_END, 0},
    {V2, "startTime=1970-01-01T00:00:00Z", F_END, 0},
    {V2, "endTime=1970-01-01T00:00:00Z", F_HAS_END, 1},
    {V2, "endTime=1970-01-01T00:00:00Z", F_HAS_START, 0},
    {V2, "endTime=1970-01-01T00:00:00Z", F_START, 0},
    {V2, "startTime=2020-03-04T01:03:08.4834Z", F_START, INT64_C(1583283788483400)},
    {V2, "startTime=2000-02-29T00:00:00Z", F_START, INT64_C(951782400000000)},
    {V2, "startTime=2024-02-29T00:00:00Z", F_START, INT64_C(1709164800000000)},
    {V2, "startTime=1900-03-01T00:00:00Z", F_START, INT64_C(-2203891200000000)},
    {V2, "startTime=1969-12-31T23:59:59Z", F_START, INT64_C(-1000000)},
    {V2, "startTime=0001-01-01T00:00:00Z", F_START, INT64_C(-62135596800000000)},
    {V2, "startTime=9999-12-31T23:59:59.999999Z", F_START, INT64_C(253402300799999999)},
    {V2, "startTime=2023-05-03T10:58:00Z", F_START, T0},
    {V2, "startTime=2023-05-03t10:58:00z", F_START, T0},
    {V2, "startTime=2023-05-03T10:58:00+00:00", F_START, T0},
    {V2, "startTime=2023-05-03T10:58:00-00:00", F_START, T0},
    /* A raw '+' stays '+': not decoded to a space. */
    {V2, "startTime=2023-05-03T10:58:00+01:00", F_START, T0 - INT64_C(3600000000)},
    {V2, "startTime=2023-05-03T10:58:00%2B01:00", F_START, T0 - INT64_C(3600000000)},
    {V2, "startTime=2023-05-03T10:58:00-05:30", F_START, T0 + INT64_C(19800000000)},
    {V2, "startTime=2023-05-03T10:58:00+23:59", F_START, T0 - INT64_C(86340000000)},
    /* Crossing midnight and a year through the zone. */
    {V2, "startTime=2024-01-01T00:30:00+01:00", F_START, INT64_C(1704065400000000)},
    /* Fractions of 1 to 9 digits. */
    {V2, "startTime=2023-05-03T10:58:00.1Z", F_START, T0 + 100000},
    {V2, "startTime=2023-05-03T10:58:00.12Z", F_START, T0 + 120000},
    {V2, "startTime=2023-05-03T10:58:00.123Z", F_START, T0 + 123000},
    {V2, "startTime=2023-05-03T10:58:00.1234Z", F_START, T0 + 123400},
    {V2, "startTime=2023-05-03T10:58:00.12345Z", F_START, T0 + 123450},
    {V2, "startTime=2023-05-03T10:58:00.123456Z", F_START, T0 + 123456},
    {V2, "startTime=2023-05-03T10:58:00.1234567Z", F_START, T0 + 123457},
    {V2, "startTime=2023-05-03T10:58:00.12345678Z", F_START, T0 + 123457},
    {V2, "startTime=2023-05-03T10:58:00.123456789Z", F_START, T0 + 123457},
    {V2, "startTime=2023-05-03T10:58:00.000000000Z", F_START, T0},
    /* Finer than a microsecond rounds up, never down. */
    {V2, "startTime=2023-05-03T10:58:00.1234560Z", F_START, T0 + 123456},
    {V2, "startTime=2023-05-03T10:58:00.123456001Z", F_START, T0 + 123457},
    {V2, "startTime=2023-05-03T10:58:00.0000001Z", F_START, T0 + 1},
    {V2, "startTime=2023-05-03T10:58:00.9999999Z", F_START, T0 + 1000000},
    {V2, "endTime=2023-05-03T10:58:00.0000001Z", F_END, T0 + 1},
    /* The seed's client: lowercase escapes, a 7-digit fraction, True. */
    {V2, "startTime=2023-05-03T10%3a58%3a00.1234567%2b00%3a00", F_START, T0 + 123457},
    {V2, "startTime=2023-05-03T10%3a58%3a00.1234567%2b00%3a00&includeMetadata=True", F_META, 1},
    /* A window one microsecond wide is not empty. */
    {V2, "startTime=2023-05-03T10:58:00Z&endTime=2023-05-03T10:58:00.000001Z", F_END, T0 + 1},
    {V2, "startTime=2023-05-03T10:58:00Z&endTime=2023-05-03T10:58:00.0000001Z", F_END, T0 + 1},
    {V2, "endTime=2023-05-04T00:00:00Z&startTime=2023-05-03T00:00:00Z", F_HAS_START, 1},
    {V2, "endTime=2023-05-04T00:00:00Z&startTime=2023-05-03T00:00:00Z", F_HAS_END, 1},
    /* Start in one zone, end in another, start still before end. */
    {V2, "startTime=2023-05-03T11:00:00%2B01:00&endTime=2023-05-03T10:00:01Z", F_START,
     T0 - INT64_C(3480000000)},
};

START_TEST(test_good_table)
{
    const good_case *c = &good_cases[_i];
    df_request req;
    df_error err;
    int rc = parse("GET", c->path, c->query, &req, &err);
    ck_assert_msg(rc == 0, "%s?%s: got %d (%s)", c->path, c->query, rc, err.message);
    int64_t got = field_value(&req, c->field);
    ck_assert_msg(got == c->want, "%s?%s: field %d is %lld, want %lld", c->path, c->query,
                  (int)c->field, (long long)got, (long long)c->want);
}
END_TEST

/* --- whole requests --------------------------------------------------------- */

static void assert_defaults(const char *path, const char *query, int limit)
{
    df_request req;
    df_error err;
    memset(&req, 0xA5, sizeof req); /* every field must be written */
    ck_assert_int_eq(parse("GET", path, query, &req, &err), 0);
    ck_assert_int_eq(req.offset, 0);
    ck_assert_int_eq(req.limit, limit);
    ck_assert(req.include_metadata);
    ck_assert_int_eq(req.wait_seconds, 0);
    ck_assert(!req.head);
    ck_assert(!req.has_start);
    ck_assert(!req.has_end);
    ck_assert_int_eq(req.start_us, 0);
    ck_assert_int_eq(req.end_us, 0);
}

START_TEST(test_defaults)
{
    assert_defaults(V1, NULL, 10);
    assert_defaults(V1, "", 10);
    assert_defaults(PRE, NULL, 10);
    assert_defaults(V2, NULL, 100);
    assert_defaults(V2, "_=1", 100);
    assert_defaults(V1L, NULL, 10);
    assert_defaults(V2L, NULL, 100);
    assert_defaults(V2L, "offset=5&limit=5&wait=5", 100);
}
END_TEST

START_TEST(test_full_request)
{
    df_request req;
    df_error err;
    ck_assert_int_eq(parse("HEAD", "/v2/changefeed/",
                           "offset=12&limit=200&includemetadata=false&wait=60&"
                           "startTime=2023-05-03T10:58:00Z&endTime=2023-05-04T10:58:00Z&_=9",
                           &req, &err),
                     0);
    ck_assert_str_eq(req.version->name, "v2");
    ck_assert_int_eq(req.route, DF_ROUTE_FEED);
    ck_assert(req.head);
    ck_assert_int_eq(req.offset, 12);
    ck_assert_int_eq(req.limit, 200);
    ck_assert(!req.include_metadata);
    ck_assert_int_eq(req.wait_seconds, 60);
    ck_assert(req.has_start);
    ck_assert(req.has_end);
    ck_assert_int_eq(req.start_us, T0);
    ck_assert_int_eq(req.end_us, T0 + INT64_C(86400000000));
    ck_assert_int_eq(err.code, 0);
}
END_TEST

/* Values are checked in a fixed order, not the order given, so the same
 * request always gets the same message. */
START_TEST(test_error_order)
{
    df_request req;
    df_error err;
    ck_assert_int_eq(parse("GET", V1, "limit=0&offset=-1", &req, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, M_OFFSET);
    ck_assert_int_eq(parse("GET", V1, "offset=-1&limit=0", &req, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, M_OFFSET);
    /* A duplicate is reported before a bad value. */
    ck_assert_int_eq(parse("GET", V1, "offset=x&limit=1&limit=1", &req, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "limit is given more than once.");
}
END_TEST

/* Messages name the parameter, never the client's value. */
START_TEST(test_no_echo)
{
    static const char *const queries[] = {
        "limit=SECRETVALUE", "offset=SECRETVALUE",    "includemetadata=SECRETVALUE",
        "wait=SECRETVALUE",  "startTime=SECRETVALUE", "endTime=SECRETVALUE",
        "SECRETVALUE=%G1",   "_=SECRETVALUE%",        "SECRETVALUE=1&SECRETVALUE=2&limit=0",
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        df_request req;
        df_error err;
        ck_assert_int_eq(parse("GET", V2, queries[i], &req, &err), DF_EINVAL);
        ck_assert_ptr_null(strstr(err.message, "SECRET"));
    }
}
END_TEST

START_TEST(test_error_optional)
{
    df_request req;
    ck_assert_int_eq(df_query_parse("GET", V1, strlen(V1), "limit=0", &req, NULL), DF_EINVAL);
    ck_assert_int_eq(df_query_parse("GET", "/x", 2, NULL, &req, NULL), DF_EVERSION);
    ck_assert_int_eq(df_query_parse("GET", V1, strlen(V1), "limit=3", &req, NULL), 0);
    ck_assert_int_eq(req.limit, 3);
}
END_TEST

/* --- df_query_route_path ---------------------------------------------------- */

typedef struct route_path_case {
    const char *path_info;
    const char *request_uri;
    const char *script_name;
    const char *want;
} route_path_case;

static const route_path_case route_path_cases[] = {
    /* PATH_INFO, when not empty, wins. */
    {"/v1/changefeed", "/dicom/v2/changefeed?x=1", "/dicom", "/v1/changefeed"},
    {"/v1/changefeed", NULL, NULL, "/v1/changefeed"},
    /* Otherwise REQUEST_URI up to '?'. */
    {"", "/v1/changefeed?limit=5", NULL, "/v1/changefeed"},
    {NULL, "/v1/changefeed?limit=5", "", "/v1/changefeed"},
    {NULL, "/v1/changefeed", NULL, "/v1/changefeed"},
    {NULL, "/v1/changefeed?", NULL, "/v1/changefeed"},
    {NULL, "?limit=5", NULL, ""},
    /* SCRIPT_NAME removed from the front on a segment boundary. */
    {NULL, "/dicom/v1/changefeed?limit=5", "/dicom", "/v1/changefeed"},
    {"", "/dicom/v2/changefeed/latest", "/dicom", "/v2/changefeed/latest"},
    {NULL, "/dicom", "/dicom", ""},
    {NULL, "/dicom?x", "/dicom", ""},
    {NULL, "/dicomx/v1/changefeed", "/dicom", "/dicomx/v1/changefeed"},
    {NULL, "/other/v1/changefeed", "/dicom", "/other/v1/changefeed"},
    {NULL, "/dic", "/dicom", "/dic"},
    /* SCRIPT_NAME is matched against the path part only, never the query. */
    {NULL, "/dicom?/v1/changefeed", "/dicom?/v1", "/dicom"},
    /* Nothing at all. */
    {NULL, NULL, NULL, ""},
    {"", "", "", ""},
    {NULL, NULL, "/dicom", ""},
};

START_TEST(test_route_path_table)
{
    const route_path_case *c = &route_path_cases[_i];
    size_t len = 12345;
    const char *p = df_query_route_path(c->path_info, c->request_uri, c->script_name, &len);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(len, strlen(c->want));
    ck_assert_msg(memcmp(p, c->want, len) == 0, "case %d: got \"%.*s\", want \"%s\"", _i, (int)len,
                  p, c->want);
}
END_TEST

/* The result points into the caller's strings; nothing is copied. */
START_TEST(test_route_path_borrowed)
{
    const char *uri = "/dicom/v1/changefeed?offset=1";
    size_t len;
    const char *p = df_query_route_path(NULL, uri, "/dicom", &len);
    ck_assert_ptr_eq(p, uri + 6);
    const char *info = "/v2/changefeed";
    p = df_query_route_path(info, uri, "/dicom", &len);
    ck_assert_ptr_eq(p, info);

    /* And what it picks is what df_query_parse takes. */
    df_request req;
    df_error err;
    df_error_clear(&err);
    p = df_query_route_path("", uri, "/dicom", &len);
    ck_assert_int_eq(df_query_parse("GET", p, len, "offset=1", &req, &err), 0);
    ck_assert_str_eq(req.version->name, "v1");
    ck_assert_int_eq(req.offset, 1);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* --- v2 filters (spec §5, extension) -------------------------------------- */

#define M_SOP_CLASS "sopclassuid must be 1 to 16 UIDs separated by commas."
#define M_MODALITY                                                                                 \
    "modality must be 1 to 16 codes (1 to 16 characters A-Z, 0-9, _ or space) separated by "       \
    "commas."
#define M_ACTION   "action must be 1 to 16 of create, delete and update separated by commas."
#define SIXTEEN_MR "MR,MR,MR,MR,MR,MR,MR,MR,MR,MR,MR,MR,MR,MR,MR,MR"

static const struct {
    const char *query;
    const char *message;
} bad_filters[] = {
    {"sopclassuid=", M_SOP_CLASS},
    {"sopclassuid=1.2.840..1", M_SOP_CLASS},
    {"sopclassuid=1.2.840.10008.5.1.4.1.1.2,", M_SOP_CLASS},
    {"sopclassuid=,1.2.3", M_SOP_CLASS},
    {"sopclassuid=1.2.3,,1.2.4", M_SOP_CLASS},
    {"sopclassuid=1.02.3", M_SOP_CLASS},
    {"sopclassuid=1.2.3%20", M_SOP_CLASS},
    {"sopclassuid=1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25", M_SOP_CLASS},
    {"SOPClassUID=CT", M_SOP_CLASS},
    {"modality=", M_MODALITY},
    {"modality=mr", M_MODALITY},
    {"modality=MR,", M_MODALITY},
    {"modality=MR-X", M_MODALITY},
    {"modality=ABCDEFGHIJKLMNOPQ", M_MODALITY},
    {"modality=MR%00", NULL}, /* a decoded NUL: the parser's own message */
    {"modality=" SIXTEEN_MR ",MR", M_MODALITY},
    {"action=", M_ACTION},
    {"action=created", M_ACTION},
    {"action=create,", M_ACTION},
    {"action=create;delete", M_ACTION},
    {"action=create,create,create,create,create,create,create,create,create,create,create,create,"
     "create,create,create,create,create",
     M_ACTION},
    {"modality=MR&Modality=CT", "modality is given more than once."},
    /* Checked after the other parameters, in a fixed order. */
    {"action=x&modality=x&sopclassuid=x", M_SOP_CLASS},
    {"action=x&modality=x", M_MODALITY},
};

START_TEST(test_bad_filters)
{
    df_request req;
    df_error err;
    int rc = parse("GET", "/v2/changefeed", bad_filters[_i].query, &req, &err);
    ck_assert_msg(rc == DF_EINVAL, "%s: %d", bad_filters[_i].query, rc);
    if (bad_filters[_i].message != NULL)
        ck_assert_msg(strcmp(err.message, bad_filters[_i].message) == 0, "%s: \"%s\"",
                      bad_filters[_i].query, err.message);
}
END_TEST

START_TEST(test_good_filters)
{
    df_request req;
    df_error err;
    ck_assert_int_eq(parse("GET", "/v2/changefeed",
                           "SopClassUid=1.2.840.10008.5.1.4.1.1.2,1.2.840.10008.5.1.4.1.1.4"
                           "&MODALITY=MR,CT,OT%20X,A_1,"
                           "ABCDEFGHIJKLMNOP&Action=Delete,update",
                           &req, &err),
                     0);
    ck_assert_int_eq(req.sop_class_count, 2);
    ck_assert_str_eq(req.sop_classes[0], "1.2.840.10008.5.1.4.1.1.2");
    ck_assert_str_eq(req.sop_classes[1], "1.2.840.10008.5.1.4.1.1.4");
    ck_assert_int_eq(req.modality_count, 5);
    ck_assert_str_eq(req.modalities[0], "MR");
    ck_assert_str_eq(req.modalities[2], "OT X");
    ck_assert_str_eq(req.modalities[3], "A_1");
    ck_assert_str_eq(req.modalities[4], "ABCDEFGHIJKLMNOP");
    ck_assert_uint_eq(req.actions, (1u << 1) | (1u << 2));
    /* Sixteen values are allowed; a 64-character UID too. */
    ck_assert_int_eq(parse("GET", "/v2/changefeed", "modality=" SIXTEEN_MR, &req, &err), 0);
    ck_assert_int_eq(req.modality_count, 16);
    ck_assert_int_eq(
        parse("GET", "/v2/changefeed",
              "sopclassuid=1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.2", &req,
              &err),
        0);
    ck_assert_uint_eq(strlen(req.sop_classes[0]), 64);
    ck_assert_int_eq(parse("GET", "/v2/changefeed", "action=create", &req, &err), 0);
    ck_assert_uint_eq(req.actions, 1u);
    /* None given: no filter. */
    ck_assert_int_eq(parse("GET", "/v2/changefeed", "limit=5", &req, &err), 0);
    ck_assert_int_eq(req.sop_class_count, 0);
    ck_assert_int_eq(req.modality_count, 0);
    ck_assert_uint_eq(req.actions, 0);
    /* v1 and the latest route do not know them: ignored, as any unknown
     * parameter, bad values included. */
    static const char *const others[] = {"/v1/changefeed", "/v2/changefeed/latest",
                                         "/v1/changefeed/latest"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        ck_assert_int_eq(parse("GET", others[i], "modality=mr&action=x&sopclassuid=", &req, &err),
                         0);
        ck_assert_int_eq(req.modality_count, 0);
        ck_assert_uint_eq(req.actions, 0);
    }
}
END_TEST

static Suite *query_suite(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("routes");
    tcase_add_loop_test(tc, test_route_table, 0, N(route_cases));
    tcase_add_test(tc, test_version_message);
    tcase_add_test(tc, test_version_rows);
    tcase_add_test(tc, test_path_length);
    tcase_add_test(tc, test_query_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("parameters");
    tcase_add_loop_test(tc, test_bad_table, 0, N(bad_cases));
    tcase_add_loop_test(tc, test_good_table, 0, N(good_cases));
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_full_request);
    tcase_add_test(tc, test_error_order);
    tcase_add_test(tc, test_no_echo);
    tcase_add_test(tc, test_error_optional);
    tcase_add_loop_test(tc, test_bad_filters, 0, N(bad_filters));
    tcase_add_test(tc, test_good_filters);
    suite_add_tcase(s, tc);

    tc = tcase_create("route_path");
    tcase_add_loop_test(tc, test_route_path_table, 0, N(route_path_cases));
    tcase_add_test(tc, test_route_path_borrowed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(query_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
