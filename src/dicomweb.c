/* QIDO-RS and WADO-RS requests for reconcile (dicomweb.h): URLs, answers
 * told apart by status, UIDs taken from a search's DICOM JSON with jansson. */
#include "dicomweb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "uid.h"

/* Room for an error body shown in a message (df_http_describe). */
#define ERROR_BODY_MAX 4096

struct df_dicomweb {
    df_http *http;
    char *base; /* without a trailing '/' */
    df_buf url;
    df_buf body; /* a search's answer */
    long searches, fetches;
};

static const char *const accept_json[] = {"Accept: application/dicom+json", NULL};

int df_dicomweb_open(const char *base_url, df_http *http, df_dicomweb **out, df_error *err)
{
    *out = NULL;
    if (strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8) != 0)
        return df_error_set(err, DF_EINVAL,
                            "the archive's URL must start with http:// or https://");
    if (strpbrk(base_url, "?# \t\r\n") != NULL)
        return df_error_set(err, DF_EINVAL,
                            "the archive's URL is the service's root, without a query, a"
                            " fragment or blanks");
    df_dicomweb *w = calloc(1, sizeof *w);
    if (w == NULL || (w->base = strdup(base_url)) == NULL) {
        free(w);
        return df_error_set(err, DF_ENOMEM, "out of memory");
    }
    size_t n = strlen(w->base);
    while (n > 0 && w->base[n - 1] == '/')
        w->base[--n] = '\0';
    w->http = http;
    df_buf_init(&w->url, 16384);
    df_buf_init(&w->body, DF_DICOMWEB_SEARCH_MAX);
    *out = w;
    return 0;
}

void df_dicomweb_close(df_dicomweb *w)
{
    if (w == NULL)
        return;
    df_buf_free(&w->url);
    df_buf_free(&w->body);
    free(w->base);
    free(w);
}

long df_dicomweb_searches(const df_dicomweb *w)
{
    return w->searches;
}

long df_dicomweb_fetches(const df_dicomweb *w)
{
    return w->fetches;
}

/* --- URLs ------------------------------------------------------------------- */

static void param(df_buf *b, bool *first, const char *name, const char *value)
{
    df_buf_append_char(b, *first ? '?' : '&');
    *first = false;
    df_buf_append_str(b, name);
    df_buf_append_char(b, '=');
    df_buf_append_str(b, value);
}

void df_dicomweb_search_url(const char *base, const df_qido *q, df_buf *out)
{
    static const char *const levels[] = {"/studies", "/series", "/instances"};
    bool first = true;
    df_buf_append_str(out, base);
    bool in_study = q->scoped && q->level != DF_QIDO_STUDIES && q->study_uid != NULL;
    bool in_series = in_study && q->level == DF_QIDO_INSTANCES && q->series_uid != NULL;
    if (in_study) {
        df_buf_append_str(out, "/studies/");
        df_buf_append_str(out, q->study_uid);
    }
    if (in_series) {
        df_buf_append_str(out, "/series/");
        df_buf_append_str(out, q->series_uid);
    }
    df_buf_append_str(out, levels[q->level]);
    if (q->study_uid != NULL && !in_study)
        param(out, &first, "StudyInstanceUID", q->study_uid);
    if (q->level != DF_QIDO_STUDIES && q->series_uid != NULL && !in_series)
        param(out, &first, "SeriesInstanceUID", q->series_uid);
    if (q->level == DF_QIDO_INSTANCES && q->sop_uid != NULL)
        param(out, &first, "SOPInstanceUID", q->sop_uid);
    if (q->level == DF_QIDO_STUDIES && q->study_date != NULL)
        param(out, &first, "StudyDate", q->study_date);
    char n[24];
    snprintf(n, sizeof n, "%d", q->limit);
    param(out, &first, "limit", n);
    snprintf(n, sizeof n, "%ld", q->offset);
    param(out, &first, "offset", n);
}

/* The URL as a message shows it: its path and query after the base (the
 * base may hold credentials, user:password@host). */
static const char *shown_url(const df_dicomweb *w)
{
    size_t n = strlen(w->base);
    return w->url.len >= n ? w->url.data + n : "";
}

/* --- answers ---------------------------------------------------------------- */

/* jansson's messages end in " near '<token>'", which may quote a value. */
static int invalid_json(const json_error_t *je, df_error *err)
{
    size_t len = strlen(je->text);
    const char *near = strstr(je->text, " near ");
    if (near != NULL)
        len = (size_t)(near - je->text);
    return df_error_set(err, DF_EDICOMWEB_INVALID, "not JSON (line %d: %.*s)", je->line, (int)len,
                        je->text);
}

int df_dicomweb_parse_uids(const char *text, size_t len, const char *tag, df_uid_fn fn, void *ctx,
                           int *count, int *invalid, df_error *err)
{
    *count = 0;
    if (invalid != NULL)
        *invalid = 0;
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    if (i == len)
        return 0;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (root == NULL)
        return invalid_json(&je, err);
    int rc = 0;
    if (!json_is_array(root)) {
        rc = df_error_set(err, DF_EDICOMWEB_INVALID, "not a JSON array of datasets");
        goto out;
    }
    size_t k;
    json_t *ds;
    json_array_foreach(root, k, ds)
    {
        if (!json_is_object(ds)) {
            rc = df_error_set(err, DF_EDICOMWEB_INVALID, "item %zu is not a dataset object", k + 1);
            goto out;
        }
        (*count)++;
        json_t *value = json_object_get(json_object_get(ds, tag), "Value");
        json_t *uid = json_array_get(value, 0);
        if (!json_is_string(uid) || json_array_size(value) != 1 ||
            !df_uid_valid(json_string_value(uid), json_string_length(uid)) ||
            strlen(json_string_value(uid)) != json_string_length(uid)) {
            if (invalid != NULL)
                (*invalid)++;
            continue;
        }
        rc = fn(ctx, json_string_value(uid));
        if (rc != 0)
            goto out;
    }
out:
    json_decref(root);
    return rc;
}

/* What a request's failure says: the path asked and the reason. */
static int request_failed(const df_dicomweb *w, int rc, const df_error *cause, df_error *err)
{
    return df_error_set(err, rc, "GET %s: %s", shown_url(w), cause->message);
}

/* A status other than the one wanted: a redirect, 401/403 with a hint, the
 * archive's own message otherwise. */
static int refused(const df_dicomweb *w, const df_http_answer *a, const df_buf *body, df_error *err)
{
    char what[DF_ERROR_MESSAGE_MAX];
    if (a->status >= 300 && a->status < 400)
        snprintf(what, sizeof what, "HTTP %ld: a redirect%s%.160s (give the URL it names)",
                 a->status, a->location[0] != '\0' ? " to " : "", a->location);
    else
        df_http_describe(a->status, body, what, sizeof what);
    return df_error_set(err, DF_EDICOMWEB_REFUSED, "GET %s: %s", shown_url(w), what);
}

int df_dicomweb_search(df_dicomweb *w, const df_qido *q, df_uid_fn fn, void *ctx, int *count,
                       int *invalid, df_error *err)
{
    static const char *const tags[] = {"0020000D", "0020000E", "00080018"};
    *count = 0;
    if (invalid != NULL)
        *invalid = 0;
    df_buf_reset(&w->url);
    df_dicomweb_search_url(w->base, q, &w->url);
    if (df_buf_failed(&w->url))
        return df_error_set(err, DF_ENOMEM, "out of memory");
    df_http_answer a;
    df_error cause = {0};
    w->searches++;
    int rc = df_http_get(w->http, w->url.data, accept_json, 0, &w->body, &a, &cause);
    if (rc == DF_HTTP_STOPPED)
        return rc;
    if (rc != 0)
        return request_failed(w, rc, &cause, err);
    bool below = q->scoped && q->level != DF_QIDO_STUDIES;
    if (a.status == 204 || (a.status == 404 && below))
        return 0;
    if (a.status != 200)
        return refused(w, &a, &w->body, err);
    rc = df_dicomweb_parse_uids(w->body.data, w->body.len, tags[q->level], fn, ctx, count, invalid,
                                &cause);
    if (rc == DF_EDICOMWEB_INVALID || rc == DF_ENOMEM)
        return df_error_set(err, rc, "GET %s: the answer is %s", shown_url(w), cause.message);
    return rc;
}

int df_dicomweb_metadata(df_dicomweb *w, const char *study_uid, const char *series_uid,
                         const char *sop_uid, df_buf *body, df_error *err)
{
    df_buf_reset(&w->url);
    df_buf_append_str(&w->url, w->base);
    df_buf_append_str(&w->url, "/studies/");
    df_buf_append_str(&w->url, study_uid);
    df_buf_append_str(&w->url, "/series/");
    df_buf_append_str(&w->url, series_uid);
    if (sop_uid != NULL) {
        df_buf_append_str(&w->url, "/instances/");
        df_buf_append_str(&w->url, sop_uid);
    }
    df_buf_append_str(&w->url, "/metadata");
    if (df_buf_failed(&w->url))
        return df_error_set(err, DF_ENOMEM, "out of memory");
    df_http_answer a;
    df_error cause = {0};
    w->fetches++;
    int rc = df_http_get(w->http, w->url.data, accept_json, 0, body, &a, &cause);
    if (rc == DF_HTTP_STOPPED)
        return rc;
    if (rc != 0)
        return request_failed(w, rc, &cause, err);
    if (a.status == 404 || a.status == 204 || (a.status == 200 && body->len == 0))
        return df_error_set(err, DF_ENOTFOUND, "GET %s: HTTP %ld", shown_url(w),
                            a.status == 200 ? 204L : a.status);
    if (a.status != 200)
        return refused(w, &a, body, err);
    return 0;
}
