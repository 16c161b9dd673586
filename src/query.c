/* Request parsing and validation: see query.h. Everything here works on the
 * caller's strings and one stack buffer; nothing is allocated, and no message
 * ever repeats what the client sent. */
#include "query.h"

#include <inttypes.h>
#include <string.h>

#include "num.h"
#include "uid.h"

/* The version table, written once as an X-macro so that the rows and the
 * "supported" list in messages are the same text and cannot drift.
 * X(name, limit_default, limit_max, time_window, format); a version with
 * time windows takes the filters too. */
#define VERSIONS(X)                                                                                \
    X("v1.0-prerelease", 10, 100, false, DF_FORMAT_V1)                                             \
    X("v1", 10, 100, false, DF_FORMAT_V1)                                                          \
    X("v2", 100, 200, true, DF_FORMAT_V2)

#define VERSION_ROW(name, def, max, window, format)    {name, def, max, window, window, format},
#define VERSION_LISTED(name, def, max, window, format) ", " name

static const df_api_version versions[] = {VERSIONS(VERSION_ROW)};

/* Starts with ", "; df_query_supported_versions skips it. */
static const char versions_listed[] = VERSIONS(VERSION_LISTED);

const char *df_query_supported_versions(void)
{
    return versions_listed + 2;
}

/* The parameters a route can know. The names are matched without regard to
 * case; shown is how messages spell them. */
enum param {
    P_OFFSET,
    P_LIMIT,
    P_INCLUDE_METADATA,
    P_WAIT,
    P_START_TIME,
    P_END_TIME,
    P_SOP_CLASS,
    P_MODALITY,
    P_ACTION,
    P_COUNT
};

static const char *const param_shown[P_COUNT] = {
    "offset",  "limit",       "includemetadata", "wait",   "startTime",
    "endTime", "sopclassuid", "modality",        "action",
};

/* A decoded value: a span of the decode buffer. */
typedef struct span {
    const char *p;
    size_t len;
} span;

static bool ascii_equal_nocase(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

static bool span_is(const char *p, size_t len, const char *s)
{
    return len == strlen(s) && memcmp(p, s, len) == 0;
}

/* --- path ------------------------------------------------------------- */

const char *df_query_route_path(const char *path_info, const char *request_uri,
                                const char *script_name, size_t *len)
{
    if (path_info != NULL && path_info[0] != '\0') {
        *len = strlen(path_info);
        return path_info;
    }
    if (request_uri == NULL) {
        *len = 0;
        return "";
    }
    const char *q = strchr(request_uri, '?');
    size_t n = q != NULL ? (size_t)(q - request_uri) : strlen(request_uri);
    const char *p = request_uri;
    /* Strip SCRIPT_NAME only on a segment boundary, so a mount at /dicom
     * does not eat the front of /dicomx. */
    if (script_name != NULL && script_name[0] != '\0') {
        size_t s = strlen(script_name);
        if (s <= n && memcmp(p, script_name, s) == 0 && (s == n || p[s] == '/')) {
            p += s;
            n -= s;
        }
    }
    *len = n;
    return p;
}

/* Finds the version named by the first segment of path, and the route the
 * rest names. Returns 0, DF_EVERSION or DF_ENOTFOUND. */
static int match_path(const char *path, size_t len, const df_api_version **version, df_route *route,
                      df_error *err)
{
    const char *seg = path + 1;
    size_t seglen = 0;
    const char *rest;
    size_t restlen;
    *version = NULL;
    if (len > 0 && path[0] == '/') {
        while (1 + seglen < len && path[1 + seglen] != '/')
            seglen++;
        for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
            if (span_is(seg, seglen, versions[i].name)) {
                *version = &versions[i];
                break;
            }
        }
    }
    if (*version == NULL)
        return df_error_set(err, DF_EVERSION, "unsupported or missing API version; supported: %s",
                            df_query_supported_versions());
    rest = seg + seglen;
    restlen = len - 1 - seglen;
    /* One trailing slash is allowed, and only one. */
    if (restlen > 1 && rest[restlen - 1] == '/')
        restlen--;
    if (span_is(rest, restlen, "/changefeed")) {
        *route = DF_ROUTE_FEED;
        return 0;
    }
    if (span_is(rest, restlen, "/changefeed/latest")) {
        *route = DF_ROUTE_LATEST;
        return 0;
    }
    return df_error_set(err, DF_ENOTFOUND,
                        "not found; the routes are /{version}/changefeed and "
                        "/{version}/changefeed/latest");
}

/* --- query string ------------------------------------------------------ */

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes src[0..len) once into out, which has room for len bytes.
 * '+' is kept as '+', not turned into a space: QUERY_STRING is a URI query,
 * not a form body, and a client that writes a raw zone like +01:00 means a
 * plus. Returns false on a malformed escape or a decoded NUL. */
static bool percent_decode(const char *src, size_t len, char *out, size_t *outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '%') {
            if (len - i < 3)
                return false;
            int hi = hex_value((unsigned char)src[i + 1]);
            int lo = hex_value((unsigned char)src[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0')
            return false;
        out[o++] = (char)c;
    }
    *outlen = o;
    return true;
}

static int int_param(enum param p, span v, int64_t min, int64_t max, int64_t *out, df_error *err)
{
    if (df_parse_i64(v.p, v.len, min, max, out) != DF_NUM_OK)
        return df_error_set(err, DF_EINVAL,
                            "%s must be an integer from %" PRId64 " to %" PRId64 ".",
                            param_shown[p], min, max);
    return 0;
}

static int bool_param(enum param p, span v, bool *out, df_error *err)
{
    if (ascii_equal_nocase(v.p, v.len, "true"))
        *out = true;
    else if (ascii_equal_nocase(v.p, v.len, "false"))
        *out = false;
    else
        return df_error_set(err, DF_EINVAL, "%s must be true or false.", param_shown[p]);
    return 0;
}

/* --- date-times -------------------------------------------------------- */

/* Reads exactly n digits at s[*i]. */
static bool digits(span v, size_t *i, size_t n, int *out)
{
    if (v.len - *i < n)
        return false;
    int x = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)v.p[*i + k];
        if (c < '0' || c > '9')
            return false;
        x = x * 10 + (c - '0');
    }
    *i += n;
    *out = x;
    return true;
}

static bool expect(span v, size_t *i, char c)
{
    if (*i >= v.len || v.p[*i] != c)
        return false;
    (*i)++;
    return true;
}

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard
 * Hinnant's days_from_civil). Written out rather than timegm so the answer
 * never depends on TZ or on the C library. */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm), RFC 3339 with a required zone,
 * to microseconds since the epoch. A fraction finer than a microsecond is
 * rounded up: timestamps are whole microseconds, so ts >= t exactly when
 * ts >= ceil(t), which keeps both window ends exact. */
static bool parse_time(span v, int64_t *out)
{
    size_t i = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!digits(v, &i, 4, &y) || !expect(v, &i, '-') || !digits(v, &i, 2, &mo) ||
        !expect(v, &i, '-') || !digits(v, &i, 2, &d))
        return false;
    if (i >= v.len || (v.p[i] != 'T' && v.p[i] != 't'))
        return false;
    i++;
    if (!digits(v, &i, 2, &h) || !expect(v, &i, ':') || !digits(v, &i, 2, &mi) ||
        !expect(v, &i, ':') || !digits(v, &i, 2, &s))
        return false;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        s > 59)
        return false;

    int64_t nanos = 0;
    if (i < v.len && v.p[i] == '.') {
        i++;
        int ndigits = 0;
        while (i < v.len && v.p[i] >= '0' && v.p[i] <= '9') {
            if (++ndigits > 9)
                return false;
            nanos = nanos * 10 + (v.p[i] - '0');
            i++;
        }
        if (ndigits == 0)
            return false;
        for (int k = ndigits; k < 9; k++)
            nanos *= 10;
    }

    int64_t zone_seconds = 0;
    if (i < v.len && (v.p[i] == 'Z' || v.p[i] == 'z')) {
        i++;
    } else if (i < v.len && (v.p[i] == '+' || v.p[i] == '-')) {
        int sign = v.p[i] == '-' ? -1 : 1;
        int zh = 0, zm = 0;
        i++;
        if (!digits(v, &i, 2, &zh) || !expect(v, &i, ':') || !digits(v, &i, 2, &zm))
            return false;
        if (zh > 23 || zm > 59)
            return false;
        zone_seconds = sign * (zh * 3600 + zm * 60);
    } else {
        return false;
    }
    if (i != v.len)
        return false;

    /* Local time minus its offset is UTC. Years 1..9999 keep this far
     * inside int64 (about ±3.2e17 microseconds). */
    int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - zone_seconds;
    int64_t micros = nanos / 1000 + (nanos % 1000 != 0);
    *out = seconds * 1000000 + micros;
    return true;
}

static int time_param(enum param p, span v, int64_t *out, df_error *err)
{
    if (!parse_time(v, out))
        return df_error_set(err, DF_EINVAL,
                            "%s must be an ISO 8601 date-time with a zone, e.g. "
                            "2023-05-03T10:58:00Z.",
                            param_shown[p]);
    return 0;
}

/* --- filters ----------------------------------------------------------- */

/* A Modality (a code string, PS3.5): 1 to 16 characters A-Z, 0-9, _ and
 * space. */
static bool modality_valid(const char *s, size_t len)
{
    if (len == 0 || len > DF_QUERY_MODALITY_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ' '))
            return false;
    }
    return true;
}

static const char *const action_names[] = {"create", "delete", "update"};

/* Splits v at commas into 1 to DF_QUERY_FILTER_MAX values, each checked and
 * kept by the filter's rule; an empty value (",", "a,", "") is a bad one. */
static int filter_param(enum param p, span v, df_request *req, df_error *err)
{
    static const char *const rules[] = {
        [P_SOP_CLASS] = "sopclassuid must be 1 to 16 UIDs separated by commas.",
        [P_MODALITY] = "modality must be 1 to 16 codes (1 to 16 characters A-Z, 0-9, _ or "
                       "space) separated by commas.",
        [P_ACTION] = "action must be 1 to 16 of create, delete and update separated by commas.",
    };
    size_t at = 0;
    int count = 0;
    for (;;) {
        const char *comma = memchr(v.p + at, ',', v.len - at);
        size_t len = comma != NULL ? (size_t)(comma - (v.p + at)) : v.len - at;
        const char *value = v.p + at;
        if (count == DF_QUERY_FILTER_MAX)
            return df_error_set(err, DF_EINVAL, "%s", rules[p]);
        bool ok = false;
        if (p == P_SOP_CLASS && df_uid_valid(value, len)) {
            memcpy(req->sop_classes[count], value, len);
            req->sop_classes[count][len] = '\0';
            ok = true;
        } else if (p == P_MODALITY && modality_valid(value, len)) {
            memcpy(req->modalities[count], value, len);
            req->modalities[count][len] = '\0';
            ok = true;
        } else if (p == P_ACTION) {
            for (unsigned a = 0; a < sizeof action_names / sizeof action_names[0]; a++) {
                if (ascii_equal_nocase(value, len, action_names[a])) {
                    req->actions |= 1u << a;
                    ok = true;
                }
            }
        }
        if (!ok)
            return df_error_set(err, DF_EINVAL, "%s", rules[p]);
        count++;
        if (comma == NULL)
            break;
        at += len + 1;
    }
    if (p == P_SOP_CLASS)
        req->sop_class_count = count;
    else if (p == P_MODALITY)
        req->modality_count = count;
    return 0;
}

/* --- the request ------------------------------------------------------- */

static bool param_known(enum param p, const df_api_version *version, df_route route)
{
    if (route == DF_ROUTE_LATEST)
        return p == P_INCLUDE_METADATA;
    if (p == P_START_TIME || p == P_END_TIME)
        return version->time_window;
    if (p == P_SOP_CLASS || p == P_MODALITY || p == P_ACTION)
        return version->filters;
    return true;
}

/* Splits the query into name=value pieces, decodes each once and keeps the
 * values of the parameters this route knows. Every piece is decoded, even
 * an unknown one, so a malformed escape is a 400 wherever it is. Values are
 * checked later, in a fixed order, so the error a request gets does not
 * depend on the order of its parameters. */
static int collect(const char *query, size_t qlen, const df_api_version *version, df_route route,
                   char *buf, span values[P_COUNT], bool given[P_COUNT], df_error *err)
{
    size_t used = 0;
    size_t pos = 0;
    while (pos < qlen) {
        const char *piece = query + pos;
        const char *amp = memchr(piece, '&', qlen - pos);
        size_t plen = amp != NULL ? (size_t)(amp - piece) : qlen - pos;
        pos += plen + 1;
        if (plen == 0)
            continue;
        const char *eq = memchr(piece, '=', plen);
        size_t nlen = eq != NULL ? (size_t)(eq - piece) : plen;
        const char *raw_value = eq != NULL ? eq + 1 : piece + plen;
        size_t vlen = eq != NULL ? plen - nlen - 1 : 0;

        /* The decoded name and value together are no longer than the
         * piece, and the pieces no longer than the query: buf has room. */
        char *name = buf + used;
        size_t name_len, value_len;
        if (!percent_decode(piece, nlen, name, &name_len) ||
            !percent_decode(raw_value, vlen, name + name_len, &value_len))
            return df_error_set(err, DF_EINVAL, "malformed percent-encoding in the query string");

        for (int p = 0; p < P_COUNT; p++) {
            if (!param_known((enum param)p, version, route) ||
                !ascii_equal_nocase(name, name_len, param_shown[p]))
                continue;
            if (given[p])
                return df_error_set(err, DF_EINVAL, "%s is given more than once.", param_shown[p]);
            given[p] = true;
            values[p].p = name + name_len;
            values[p].len = value_len;
            used += name_len + value_len;
            break;
        }
    }
    return 0;
}

int df_query_parse(const char *method, const char *path, size_t path_len, const char *query,
                   df_request *req, df_error *err)
{
    size_t qlen = 0;
    if (query != NULL) {
        /* Bounded: a huge QUERY_STRING is not scanned past the limit. */
        while (qlen <= DF_QUERY_MAX && query[qlen] != '\0')
            qlen++;
        if (qlen > DF_QUERY_MAX)
            return df_error_set(err, DF_ETOOLONG, "the query string is longer than %d bytes",
                                DF_QUERY_MAX);
    }
    if (path == NULL)
        path_len = 0;

    const df_api_version *version = NULL;
    df_route route = DF_ROUTE_FEED;
    int rc = match_path(path != NULL ? path : "", path_len, &version, &route, err);
    if (rc != 0)
        return rc;

    bool head = method != NULL && strcmp(method, "HEAD") == 0;
    if (!head && (method == NULL || strcmp(method, "GET") != 0))
        return df_error_set(err, DF_EMETHOD, "method not allowed; use GET or HEAD");

    char buf[DF_QUERY_MAX];
    span values[P_COUNT] = {{NULL, 0}};
    bool given[P_COUNT] = {false};
    rc = collect(query, qlen, version, route, buf, values, given, err);
    if (rc != 0)
        return rc;

    *req = (df_request){
        .version = version,
        .route = route,
        .head = head,
        .offset = 0,
        .limit = version->limit_default,
        .include_metadata = true,
        .wait_seconds = 0,
    };
    int64_t n = 0;
    if (given[P_OFFSET]) {
        if ((rc = int_param(P_OFFSET, values[P_OFFSET], 0, INT64_MAX, &n, err)) != 0)
            return rc;
        req->offset = n;
    }
    if (given[P_LIMIT]) {
        if ((rc = int_param(P_LIMIT, values[P_LIMIT], 1, version->limit_max, &n, err)) != 0)
            return rc;
        req->limit = (int)n;
    }
    if (given[P_INCLUDE_METADATA]) {
        rc =
            bool_param(P_INCLUDE_METADATA, values[P_INCLUDE_METADATA], &req->include_metadata, err);
        if (rc != 0)
            return rc;
    }
    if (given[P_WAIT]) {
        if ((rc = int_param(P_WAIT, values[P_WAIT], 0, DF_WAIT_MAX, &n, err)) != 0)
            return rc;
        req->wait_seconds = (int)n;
    }
    if (given[P_START_TIME]) {
        if ((rc = time_param(P_START_TIME, values[P_START_TIME], &req->start_us, err)) != 0)
            return rc;
        req->has_start = true;
    }
    if (given[P_END_TIME]) {
        if ((rc = time_param(P_END_TIME, values[P_END_TIME], &req->end_us, err)) != 0)
            return rc;
        req->has_end = true;
    }
    if (req->has_start && req->has_end && req->start_us >= req->end_us)
        return df_error_set(err, DF_EINVAL, "startTime must be before endTime.");
    for (int p = P_SOP_CLASS; p <= P_ACTION; p++)
        if (given[p] && (rc = filter_param((enum param)p, values[p], req, err)) != 0)
            return rc;
    return 0;
}
