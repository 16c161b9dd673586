/* libFuzzer target for the query module: any bytes in, and the parser must
 * neither crash nor break the promises of query.h.
 *
 * Input layout: METHOD \0 PATH \0 QUERY [\0 SCRIPT_NAME]. Missing parts are
 * NULL (method, query) or empty. PATH is given to df_query_route_path as
 * REQUEST_URI (so a '?' in it starts the ignored query part) with
 * SCRIPT_NAME, and what that picks is parsed. Inputs with a trailing part
 * beyond the fourth are cut there. */
#include "query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Copies the next NUL-terminated part of data into a fresh string. */
static char *next_part(const uint8_t **data, size_t *size)
{
    if (*size == 0)
        return NULL;
    const uint8_t *end = memchr(*data, '\0', *size);
    size_t n = end != NULL ? (size_t)(end - *data) : *size;
    char *s = malloc(n + 1);
    if (s == NULL)
        abort();
    memcpy(s, *data, n);
    s[n] = '\0';
    *data += end != NULL ? n + 1 : n;
    *size -= end != NULL ? n + 1 : n;
    return s;
}

static void check_request(const df_request *r, const char *method, size_t query_len)
{
    if (query_len > DF_QUERY_MAX)
        abort();
    if (r->version == NULL || r->version->name == NULL)
        abort();
    if (r->route != DF_ROUTE_FEED && r->route != DF_ROUTE_LATEST)
        abort();
    if (r->head != (strcmp(method, "HEAD") == 0))
        abort();
    if (!r->head && strcmp(method, "GET") != 0)
        abort();
    if (r->limit < 1 || r->limit > r->version->limit_max)
        abort();
    if (r->wait_seconds < 0 || r->wait_seconds > DF_WAIT_MAX)
        abort();
    if (r->offset < 0)
        abort();
    if ((!r->has_start && r->start_us != 0) || (!r->has_end && r->end_us != 0))
        abort();
    if (!r->version->time_window && (r->has_start || r->has_end))
        abort();
    if (r->has_start && r->has_end && r->start_us >= r->end_us)
        abort();
    /* latest knows only includemetadata. */
    if (r->route == DF_ROUTE_LATEST && (r->offset != 0 || r->limit != r->version->limit_default ||
                                        r->wait_seconds != 0 || r->has_start || r->has_end))
        abort();
}

static void check_error(int rc, const df_error *err, size_t query_len)
{
    if (rc != DF_EINVAL && rc != DF_ENOTFOUND && rc != DF_EVERSION && rc != DF_EMETHOD &&
        rc != DF_ETOOLONG)
        abort();
    if (err->code != rc)
        abort();
    if (memchr(err->message, '\0', sizeof err->message) == NULL || err->message[0] == '\0')
        abort();
    if ((query_len > DF_QUERY_MAX) != (rc == DF_ETOOLONG))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *method = next_part(&data, &size);
    char *path = next_part(&data, &size);
    char *query = next_part(&data, &size);
    char *script = next_part(&data, &size);
    size_t query_len = query != NULL ? strlen(query) : 0;

    size_t len;
    const char *route = df_query_route_path(NULL, path, script, &len);
    if (route == NULL)
        abort();
    if (path != NULL && route != path && (route < path || route + len > path + strlen(path)))
        abort();
    if (memchr(route, '?', len) != NULL)
        abort();
    /* PATH_INFO, when given, is taken whole. */
    size_t info_len;
    if (path != NULL && path[0] != '\0' &&
        (df_query_route_path(path, NULL, script, &info_len) != path || info_len != strlen(path)))
        abort();

    df_request req, again;
    df_error err, err2;
    df_error_clear(&err);
    df_error_clear(&err2);
    int rc = df_query_parse(method, route, len, query, &req, &err);
    if (rc == 0) {
        check_request(&req, method, query_len);
        if (err.code != 0)
            abort();
    } else {
        check_error(rc, &err, query_len);
    }
    /* The same request always gets the same answer. */
    int rc2 = df_query_parse(method, route, len, query, &again, &err2);
    if (rc2 != rc || strcmp(err.message, err2.message) != 0)
        abort();
    if (rc == 0 &&
        (again.limit != req.limit || again.offset != req.offset || again.start_us != req.start_us ||
         again.end_us != req.end_us || again.include_metadata != req.include_metadata))
        abort();

    free(method);
    free(path);
    free(query);
    free(script);
    return 0;
}
