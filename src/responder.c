/* Routing a request to the log and writing its answer (spec §2–§7). Every
 * answer is built in a buffer reused across requests, then handed back whole:
 * status and headers first, the body after, nothing sent before it is done. */
#include "responder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "store.h"

/* Seconds a client is told to wait after a 503: long enough for a writer's
 * checkpoint or an administrator's fix, short enough for a feed. */
#define RETRY_AFTER_SECONDS "5"

struct df_responder {
    char *db_path;
    df_store *store; /* NULL until opened, or after a failure */
    df_buf body;     /* reused for every request */
};

df_responder *df_responder_new(const char *db_path)
{
    df_responder *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    if (db_path != NULL && db_path[0] != '\0') {
        r->db_path = strdup(db_path);
        if (r->db_path == NULL) {
            free(r);
            return NULL;
        }
    }
    df_buf_init(&r->body, DF_ANSWER_MAX);
    return r;
}

void df_responder_free(df_responder *r)
{
    if (r == NULL)
        return;
    df_store_close(r->store);
    df_buf_free(&r->body);
    free(r->db_path);
    free(r);
}

/* One line per problem of the service, for the web server's error log. The
 * messages come from this program and SQLite, never from the log's data. */
static void log_problem(const char *detail)
{
    fprintf(stderr, "changefeed.fcgi: %s\n", detail);
    fflush(stderr);
}

static const char *status_text(int status)
{
    switch (status) {
    case 200: return "200 OK";
    case 204: return "204 No Content";
    case 400: return "400 Bad Request";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 414: return "414 URI Too Long";
    default: return "503 Service Unavailable";
    }
}

/* Writes status and headers into out, then the body unless the request was
 * HEAD. A body-less status (204) carries neither body nor Content-Length. */
static void finish(df_buf *out, int status, const df_buf *body, bool head, const char *extra)
{
    df_buf_reset(out);
    df_buf_append_str(out, "Status: ");
    df_buf_append_str(out, status_text(status));
    df_buf_append_str(out, "\r\nContent-Type: application/json; charset=utf-8\r\n"
                           "Cache-Control: no-store\r\n"
                           "X-Content-Type-Options: nosniff\r\n");
    if (extra != NULL)
        df_buf_append_str(out, extra);
    bool has_body = status != 204;
    if (has_body) {
        df_buf_append_str(out, "Content-Length: ");
        df_buf_append_u64(out, body->len);
        df_buf_append_str(out, "\r\n");
    }
    df_buf_append_str(out, "\r\n");
    if (has_body && !head)
        df_buf_append(out, body->data, body->len);
}

static int status_of(int code)
{
    switch (code) {
    case DF_EINVAL:
    case DF_EVERSION: return 400;
    case DF_ENOTFOUND: return 404;
    case DF_EMETHOD: return 405;
    case DF_ETOOLONG: return 414;
    default: return 503;
    }
}

static const char *error_code_name(int code)
{
    switch (code) {
    case DF_EINVAL: return "InvalidParameter";
    case DF_EVERSION: return "UnsupportedApiVersion";
    case DF_ENOTFOUND: return "NotFound";
    case DF_EMETHOD: return "MethodNotAllowed";
    case DF_ETOOLONG: return "UriTooLong";
    default: return "ServiceUnavailable";
    }
}

/* The error answer of spec §7. Messages of the service's own problems are
 * replaced by a fixed text: SQLite's wording is for the operator's log. */
static void answer_error(df_responder *r, df_buf *out, const df_error *err, bool head)
{
    int status = status_of(err->code);
    const char *message = err->message;
    if (status == 503)
        message = err->code == DF_ESCHEMA
                      ? "The change feed's log has a schema this server does not support."
                      : "The change feed is temporarily unavailable; retry later.";
    df_buf_reset(&r->body);
    df_buf_append_str(&r->body, "{\"error\":{\"code\":\"");
    df_buf_append_str(&r->body, error_code_name(err->code));
    df_buf_append_str(&r->body, "\",\"message\":");
    df_json_append_string(&r->body, message, strlen(message));
    df_buf_append_str(&r->body, "}}");
    const char *extra = NULL;
    if (status == 405)
        extra = "Allow: GET, HEAD\r\n";
    else if (status == 503)
        extra = "Retry-After: " RETRY_AFTER_SECONDS "\r\n";
    finish(out, status, &r->body, head, extra);
}

static const char *const action_names[] = {[DF_ACTION_CREATE] = "create",
                                           [DF_ACTION_DELETE] = "delete"};
static const char *const state_names[] = {[DF_STATE_CURRENT] = "current",
                                          [DF_STATE_REPLACED] = "replaced",
                                          [DF_STATE_DELETED] = "deleted"};

/* The entry of spec §3, fields in its order. Metadata is copied as stored:
 * the ingest side validated and compacted it. */
static void write_entry_v1(df_buf *b, const df_entry *e, bool include_metadata)
{
    df_buf_append_str(b, "{\"Sequence\":");
    df_buf_append_i64(b, e->sequence);
    df_buf_append_str(b, ",\"StudyInstanceUid\":");
    df_json_append_string(b, e->study_uid, strlen(e->study_uid));
    df_buf_append_str(b, ",\"SeriesInstanceUid\":");
    df_json_append_string(b, e->series_uid, strlen(e->series_uid));
    df_buf_append_str(b, ",\"SopInstanceUid\":");
    df_json_append_string(b, e->sop_uid, strlen(e->sop_uid));
    df_buf_append_str(b, ",\"Action\":\"");
    df_buf_append_str(b, action_names[e->action]);
    df_buf_append_str(b, "\",\"Timestamp\":\"");
    df_json_append_timestamp(b, e->timestamp_us);
    df_buf_append_str(b, "\",\"State\":\"");
    df_buf_append_str(b, state_names[e->state]);
    df_buf_append_char(b, '"');
    if (include_metadata) {
        df_buf_append_str(b, ",\"Metadata\":");
        if (e->metadata != NULL)
            df_buf_append(b, e->metadata, e->metadata_len);
        else
            df_buf_append_str(b, "null");
    }
    df_buf_append_char(b, '}');
}

typedef void (*entry_writer)(df_buf *b, const df_entry *e, bool include_metadata);

/* One serializer per answer format of the version table (query.h). */
static const entry_writer entry_writers[] = {[DF_FORMAT_V1] = write_entry_v1};

struct page_ctx {
    df_buf *body;
    entry_writer write;
    bool include_metadata;
    int count;
};

static int page_entry(void *ctx, const df_entry *e)
{
    struct page_ctx *p = ctx;
    if (p->count++ > 0)
        df_buf_append_char(p->body, ',');
    p->write(p->body, e, p->include_metadata);
    return df_buf_failed(p->body) ? DF_ENOMEM : 0;
}

/* Opens the log if it is not open, or reopens it when the file was replaced
 * (a restored backup, a rotated log), so a long-lived FastCGI process never
 * serves a file nobody writes any more. */
static int ensure_store(df_responder *r, df_error *err)
{
    if (r->store != NULL && !df_store_replaced(r->store))
        return 0;
    df_store_close(r->store);
    r->store = NULL;
    if (r->db_path == NULL) {
        log_problem("DCMFEED_DB is not set: every request answers 503");
        return df_error_set(err, DF_EDB, "DCMFEED_DB is not set");
    }
    int rc = df_store_open(r->db_path, DF_STORE_READONLY, &r->store, err);
    if (rc != 0) {
        char detail[DF_ERROR_MESSAGE_MAX + 300];
        snprintf(detail, sizeof detail, "%s (DCMFEED_DB=%s)", err->message, r->db_path);
        log_problem(detail);
    }
    return rc;
}

static int read_feed(df_responder *r, const df_request *q, struct page_ctx *p, df_error *err)
{
    if (q->version->time_window)
        return df_store_window(r->store, q->has_start ? q->start_us : INT64_MIN,
                               q->has_end ? q->end_us : INT64_MAX, q->offset, q->limit,
                               q->include_metadata, page_entry, p, err);
    return df_store_page(r->store, q->offset, q->limit, q->include_metadata, page_entry, p, err);
}

void df_responder_handle(df_responder *r, const df_http_request *req, df_buf *out)
{
    df_error err = {0};
    df_request q;
    size_t path_len;
    const char *path =
        df_query_route_path(req->path_info, req->request_uri, req->script_name, &path_len);
    /* A shell running the binary as CGI may leave REQUEST_METHOD unset. */
    const char *method = req->method != NULL ? req->method : "GET";
    bool head = strcmp(method, "HEAD") == 0;
    int rc = df_query_parse(method, path, path_len, req->query_string, &q, &err);
    if (rc != 0) {
        answer_error(r, out, &err, head);
        return;
    }
    rc = ensure_store(r, &err);
    if (rc != 0) {
        answer_error(r, out, &err, q.head);
        return;
    }

    df_buf_reset(&r->body);
    struct page_ctx p = {&r->body, entry_writers[q.version->format], q.include_metadata, 0};
    if (q.route == DF_ROUTE_LATEST) {
        rc = df_store_latest(r->store, q.include_metadata, page_entry, &p, &err);
        if (rc == DF_ENOTFOUND) {
            finish(out, 204, &r->body, q.head, NULL);
            return;
        }
    } else {
        df_buf_append_char(&r->body, '[');
        rc = read_feed(r, &q, &p, &err);
        df_buf_append_char(&r->body, ']');
    }
    if (rc == 0 && df_buf_failed(&r->body))
        rc = DF_ENOMEM;
    if (rc != 0) {
        if (rc == DF_ENOMEM)
            df_error_set(&err, DF_ENOMEM, "the answer exceeds %u bytes", DF_ANSWER_MAX);
        log_problem(err.message);
        /* A failed read may leave the connection in a bad state (a
         * corrupted page, a vanished file): start afresh next time. */
        if (rc != DF_ENOMEM) {
            df_store_close(r->store);
            r->store = NULL;
        }
        df_error_set(&err, DF_EDB, "read failed");
        answer_error(r, out, &err, q.head);
        return;
    }
    finish(out, 200, &r->body, q.head, NULL);
}
