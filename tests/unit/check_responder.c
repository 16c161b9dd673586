/* Unit tests of the responder in-process: whole answers (status, headers,
 * body) for each route and error of the spec, over real SQLite logs, and over
 * the PostgreSQL database that DCMFEED_PG_TEST names (a conninfo), when set
 * and the build has PostgreSQL support: tests/unit/pg_responder.sh makes one. */
#ifdef HAVE_CONFIG_H
#include "config.h" /* HAVE_LIBPQ */
#endif
#include <check.h>
#include <fcntl.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "answer_cache.h"
#include "responder.h"
#include "store.h"

static char dir[256];
static char path[1024];    /* the log's address: a file, or the PostgreSQL conninfo */
static df_buf out;         /* the last answer, head and body joined */
static df_answer answered; /* as df_responder_handle gave it */
static const char *body;   /* into out */
static int status;

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_responder.XXXXXX", tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/feed.db", dir);
    df_buf_init(&out, DF_ANSWER_MAX + 16384);
    df_buf_init(&answered.head, 16384);
}

#ifdef HAVE_LIBPQ
/* Runs sql on the database of conninfo; true when it succeeded. The first
 * row's first value, if any, goes to value[0..size). */
static bool pg_query(const char *conninfo, const char *sql, char *value, size_t size)
{
    PGconn *conn = PQconnectdb(conninfo);
    ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    PGresult *res = PQexec(conn, sql);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (value != NULL)
        snprintf(value, size, "%s",
                 ok && PQntuples(res) > 0 && PQnfields(res) > 0 ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    PQfinish(conn);
    return ok;
}

static bool pg_exec(const char *sql)
{
    return pg_query(getenv("DCMFEED_PG_TEST"), sql, NULL, 0);
}

/* The test database's name, and a conninfo for the server's own database
 * "postgres" (later keywords of a conninfo win), from which the test
 * database can be altered while nobody may connect to it. */
static const char *pg_test_db(void)
{
    static char name[128];
    PQconninfoOption *opts = PQconninfoParse(getenv("DCMFEED_PG_TEST"), NULL);
    ck_assert_ptr_nonnull(opts);
    for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
        if (strcmp(o->keyword, "dbname") == 0)
            snprintf(name, sizeof name, "%s", o->val != NULL ? o->val : "");
    PQconninfoFree(opts);
    return name;
}

static const char *pg_admin(void)
{
    static char admin[1100];
    snprintf(admin, sizeof admin, "%s dbname=postgres", getenv("DCMFEED_PG_TEST"));
    return admin;
}

static void pg_allow_connections(bool allow)
{
    char sql[300];
    snprintf(sql, sizeof sql, "ALTER DATABASE \"%s\" ALLOW_CONNECTIONS %s", pg_test_db(),
             allow ? "true" : "false");
    ck_assert_msg(pg_query(pg_admin(), sql, NULL, 0), "%s", sql);
}

/* Every test starts on an empty database that takes connections: the log's
 * tables live in the public schema, dropped with all it holds. */
static void setup_pg(void)
{
    setup();
    snprintf(path, sizeof path, "%s", getenv("DCMFEED_PG_TEST"));
    pg_allow_connections(true);
    ck_assert(pg_exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"));
}
#endif

static void teardown(void)
{
    df_buf_free(&out);
    df_buf_free(&answered.head);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void make_log(const char *at, int n, size_t metadata_size)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_msg(df_store_open(at, DF_STORE_CREATE, &s, &err) == 0, "%s", err.message);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    char *meta = malloc(metadata_size + 64);
    ck_assert_ptr_nonnull(meta);
    for (int i = 1; i <= n; i++) {
        char sop[32];
        snprintf(sop, sizeof sop, "1.2.3.%d", i);
        int len = snprintf(meta, 64, "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"%s\"]}", sop);
        size_t used = (size_t)len;
        if (metadata_size > used + 40) {
            used += (size_t)sprintf(meta + used, ",\"00091010\":{\"vr\":\"LT\",\"Value\":[\"");
            memset(meta + used, 'x', metadata_size - used - 4);
            used = metadata_size - 4;
            memcpy(meta + used, "\"]}", 3);
            used += 3;
        }
        meta[used++] = '}';
        ck_assert_int_eq(df_store_add(s, "1.2", "1.2.3", sop, meta, used, NULL, NULL, &err), 0);
    }
    free(meta);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
}

static const char *if_none_match;   /* sent with every ask() while set */
static const char *route_metadata;  /* the request's DCMFEED_METADATA while set */
static const char *accept_encoding; /* the request's Accept-Encoding while set */

static void ask(df_responder *r, const char *method, const char *path_info, const char *query)
{
    df_http_request req = {.method = method,
                           .path_info = path_info,
                           .query_string = query,
                           .if_none_match = if_none_match,
                           .accept_encoding = accept_encoding,
                           .metadata = route_metadata};
    df_responder_handle(r, &req, &answered);
    ck_assert(!df_buf_failed(&answered.head));
    df_buf_reset(&out);
    df_buf_append(&out, answered.head.data, answered.head.len);
    if (answered.body != NULL)
        df_buf_append(&out, answered.body, answered.body_len);
    ck_assert(!df_buf_failed(&out));
    ck_assert_int_eq(sscanf(out.data, "Status: %d", &status), 1);
    const char *end = strstr(out.data, "\r\n\r\n");
    ck_assert_ptr_nonnull(end);
    body = end + 4;
}

static bool has_header(const char *line)
{
    const char *end = strstr(out.data, "\r\n\r\n");
    const char *at = strstr(out.data, line);
    return at != NULL && at < end && at[-1] == '\n' && at[strlen(line)] == '\r';
}

static long content_length(void)
{
    const char *at = strstr(out.data, "\r\nContent-Length: ");
    return at == NULL ? -1 : strtol(at + 18, NULL, 10);
}

static void common_headers(void)
{
    ck_assert(has_header("Content-Type: application/json; charset=utf-8"));
    ck_assert(has_header("X-Content-Type-Options: nosniff"));
    ck_assert(has_header("Cache-Control: no-store"));
}

START_TEST(page_answer_is_whole)
{
    make_log(path, 3, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", "limit=2");
    ck_assert_int_eq(status, 200);
    common_headers();
    ck_assert_int_eq(content_length(), (long)strlen(body));
    ck_assert_msg(strncmp(body,
                          "[{\"Sequence\":1,\"StudyInstanceUid\":\"1.2\",\"SeriesInstanceUid\":"
                          "\"1.2.3\",\"SopInstanceUid\":\"1.2.3.1\",\"Action\":\"create\","
                          "\"Timestamp\":\"",
                          122) == 0,
                  "%s", body);
    ck_assert_ptr_nonnull(strstr(body,
                                 "Z\",\"State\":\"current\",\"Metadata\":{\"00080018\":{\"vr\":"
                                 "\"UI\",\"Value\":[\"1.2.3.1\"]}}},{\"Sequence\":2,"));
    ck_assert_ptr_null(strstr(body, "\"Sequence\":3"));
    ck_assert_int_eq(body[strlen(body) - 1], ']');
    df_responder_free(r);
}
END_TEST

START_TEST(head_has_headers_only)
{
    make_log(path, 3, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", NULL);
    long get_len = content_length();
    ask(r, "HEAD", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(content_length(), get_len);
    ck_assert_str_eq(body, "");
    df_responder_free(r);
}
END_TEST

START_TEST(latest_and_empty_latest)
{
    make_log(path, 0, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed/latest", NULL);
    ck_assert_int_eq(status, 204);
    ck_assert_str_eq(body, "");
    ck_assert_int_eq(content_length(), -1);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_str_eq(body, "[]");
    df_responder_free(r);

    make_log(path, 4, 0);
    r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed/latest", "includemetadata=false");
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(strncmp(body, "{\"Sequence\":4,", 14), 0);
    ck_assert_ptr_null(strstr(body, "Metadata"));
    ck_assert_int_eq(body[strlen(body) - 1], '}');
    df_responder_free(r);
}
END_TEST

START_TEST(errors_have_the_json_body)
{
    make_log(path, 1, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", "limit=101");
    ck_assert_int_eq(status, 400);
    common_headers();
    ck_assert_str_eq(body, "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"limit must be "
                           "an integer from 1 to 100.\"}}");
    ask(r, "GET", "/v9/changefeed", NULL);
    ck_assert_int_eq(status, 400);
    ck_assert_int_eq(strncmp(body, "{\"error\":{\"code\":\"UnsupportedApiVersion\"", 40), 0);
    ask(r, "GET", "/v1/changefeed/oldest", NULL);
    ck_assert_int_eq(status, 404);
    ck_assert_int_eq(strncmp(body, "{\"error\":{\"code\":\"NotFound\"", 27), 0);
    ask(r, "DELETE", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 405);
    ck_assert(has_header("Allow: GET, HEAD"));
    ck_assert_int_eq(strncmp(body, "{\"error\":{\"code\":\"MethodNotAllowed\"", 35), 0);
    ck_assert_int_eq(content_length(), (long)strlen(body));
    df_responder_free(r);
}
END_TEST

START_TEST(too_long_query_is_414)
{
    make_log(path, 1, 0);
    df_responder *r = df_responder_new(path, NULL);
    char *q = malloc(9000);
    memset(q, 'a', 8999);
    q[8999] = '\0';
    ask(r, "GET", "/v1/changefeed", q);
    free(q);
    ck_assert_int_eq(status, 414);
    ck_assert_int_eq(strncmp(body, "{\"error\":{\"code\":\"UriTooLong\"", 29), 0);
    df_responder_free(r);
}
END_TEST

START_TEST(missing_log_is_503_and_recovers)
{
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 503);
    common_headers();
    ck_assert(has_header("Retry-After: 5"));
    ck_assert_int_eq(strncmp(body, "{\"error\":{\"code\":\"ServiceUnavailable\"", 37), 0);
    ck_assert_ptr_null(strstr(body, "feed.db"));
    /* Once the log exists the same process serves it. */
    make_log(path, 2, 0);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 200);
    df_responder_free(r);
}
END_TEST

START_TEST(unset_db_is_503)
{
    df_responder *r = df_responder_new(NULL, NULL);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 503);
    /* Bad requests are still told so: the client's fault comes first. */
    ask(r, "GET", "/v1/changefeed", "limit=x");
    ck_assert_int_eq(status, 400);
    df_responder_free(r);
}
END_TEST

START_TEST(replaced_log_is_reopened)
{
    make_log(path, 2, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed/latest", NULL);
    ck_assert_int_eq(strncmp(body, "{\"Sequence\":2,", 14), 0);
    char other[320];
    snprintf(other, sizeof other, "%s/other.db", dir);
    make_log(other, 5, 0);
    ck_assert_int_eq(rename(other, path), 0);
    char wal[340], wal2[sizeof path + 8];
    const char *suffix[] = {"-wal", "-shm"};
    for (int i = 0; i < 2; i++) {
        snprintf(wal, sizeof wal, "%s%s", other, suffix[i]);
        snprintf(wal2, sizeof wal2, "%s%s", path, suffix[i]);
        rename(wal, wal2);
    }
    ask(r, "GET", "/v1/changefeed/latest", NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(strncmp(body, "{\"Sequence\":5,", 14), 0);
    df_responder_free(r);
}
END_TEST

/* The Sequence of the last entry of the page in body (0 when empty), and
 * how many entries it has. */
static int64_t last_sequence_of_page(int *count)
{
    int64_t last = 0;
    *count = 0;
    for (const char *at = strstr(body, "{\"Sequence\":"); at != NULL;
         at = strstr(at + 1, "{\"Sequence\":")) {
        last = strtoll(at + 12, NULL, 10);
        ++*count;
    }
    return last;
}

START_TEST(oversized_page_ends_early)
{
    /* 70 entries of 1 MiB metadata exceed the 64 MiB ceiling of one answer:
     * the page ends before the entry that would not fit, and the client
     * continues after the last one it got, as with any page. */
    make_log(path, 70, 1u << 20);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", "limit=100");
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(content_length(), (long)strlen(body));
    ck_assert_uint_le(strlen(body), DF_ANSWER_MAX);
    ck_assert_int_eq(body[strlen(body) - 1], ']');
    int count;
    int64_t last = last_sequence_of_page(&count);
    ck_assert_int_gt(count, 32);
    ck_assert_int_lt(count, 70);
    ck_assert_int_eq(last, count);
    /* The rest, from where the page ended. */
    char query[64];
    snprintf(query, sizeof query, "offset=%lld&limit=100", (long long)last);
    ask(r, "GET", "/v1/changefeed", query);
    ck_assert_int_eq(status, 200);
    int rest;
    ck_assert_int_eq(last_sequence_of_page(&rest), 70);
    ck_assert_int_eq(count + rest, 70);
    /* v2 the same. */
    ask(r, "GET", "/v2/changefeed", "limit=200");
    ck_assert_int_eq(status, 200);
    int v2_count;
    ck_assert_int_eq(last_sequence_of_page(&v2_count), count);
    ck_assert_int_eq(v2_count, count);
    /* The same page without metadata is whole. */
    ask(r, "GET", "/v1/changefeed", "limit=100&includemetadata=false");
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(last_sequence_of_page(&rest), 70);
    df_responder_end(r);
    df_responder_free(r);
}
END_TEST

/* The ETag of the last answer, quotes included ("" when none). */
static const char *etag(void)
{
    static char tag[80];
    tag[0] = '\0';
    const char *at = strstr(out.data, "\r\nETag: ");
    const char *end = strstr(out.data, "\r\n\r\n");
    if (at != NULL && at < end) {
        const char *eol = strstr(at + 2, "\r\n");
        snprintf(tag, sizeof tag, "%.*s", (int)(eol - at - 8), at + 8);
    }
    return tag;
}

static void add_one(const char *sop)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_CREATE, &s, &err), 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_add(s, "1.2", "1.2.3", sop, "{}", 2, NULL, NULL, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
}

static void delete_one(const char *sop)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_CREATE, &s, &err), 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_delete(s, "1.2", "1.2.3", sop, NULL, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
}

START_TEST(etag_follows_the_log)
{
    make_log(path, 3, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", NULL);
    char first[80];
    snprintf(first, sizeof first, "%s", etag());
    ck_assert_int_eq(first[0], '"'); /* strong: no W/ */
    ck_assert_uint_gt(strlen(first), 20);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_str_eq(etag(), first);
    ask(r, "GET", "/v1/changefeed", "limit=2");
    ck_assert_str_ne(etag(), first);
    ask(r, "GET", "/v1/changefeed", "includemetadata=false");
    ck_assert_str_ne(etag(), first);
    ask(r, "GET", "/v1/changefeed/latest", NULL);
    ck_assert_str_ne(etag(), first);
    ask(r, "GET", "/v1/changefeed", "limit=400"); /* errors carry none */
    ck_assert_str_eq(etag(), "");
    /* Appending changes it, and so does a delete that changes a State. */
    add_one("1.2.3.9");
    ask(r, "GET", "/v1/changefeed", NULL);
    char second[80];
    snprintf(second, sizeof second, "%s", etag());
    ck_assert_str_ne(second, first);
    delete_one("1.2.3.1");
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_str_ne(etag(), second);
    ck_assert_ptr_nonnull(strstr(body, "\"State\":\"deleted\""));
    df_responder_free(r);
}
END_TEST

/* The body's length (a gzip body holds NULs: strlen would not do). */
static size_t body_length(void)
{
    return out.len - (size_t)(body - out.data);
}

/* Inflates the gzip body with zlib into text (NUL-terminated); its length. */
static size_t gunzip_body(char *text, size_t cap)
{
    z_stream zs = {0};
    ck_assert_int_eq(inflateInit2(&zs, 16 + MAX_WBITS), Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)body;
    zs.avail_in = (uInt)body_length();
    zs.next_out = (Bytef *)text;
    zs.avail_out = (uInt)(cap - 1);
    ck_assert_int_eq(inflate(&zs, Z_FINISH), Z_STREAM_END);
    ck_assert_uint_eq(zs.avail_in, 0);
    size_t n = zs.total_out;
    inflateEnd(&zs);
    text[n] = '\0';
    return n;
}

/* Accept-Encoding: gzip gets the same JSON compressed, its own strong ETag
 * and a 304 for it; identity stays the default, and what refuses gzip
 * (q=0) gets identity. Every answer says it varies with Accept-Encoding. */
START_TEST(gzip_answers)
{
    make_log(path, 40, 900);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", "limit=40");
    ck_assert_int_eq(status, 200);
    ck_assert(has_header("Vary: Accept-Encoding"));
    ck_assert_ptr_null(strstr(out.data, "Content-Encoding"));
    size_t identity_len = strlen(body);
    char *identity = strdup(body);
    ck_assert_ptr_nonnull(identity);
    char tag[80];
    snprintf(tag, sizeof tag, "%s", etag());

    accept_encoding = "deflate, gzip";
    ask(r, "GET", "/v1/changefeed", "limit=40");
    ck_assert_int_eq(status, 200);
    common_headers();
    ck_assert(has_header("Vary: Accept-Encoding"));
    ck_assert(has_header("Content-Encoding: gzip"));
    ck_assert_int_eq(content_length(), (long)body_length());
    ck_assert_uint_lt(body_length(), identity_len / 4);
    char *text = malloc(identity_len + 2);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(gunzip_body(text, identity_len + 2), identity_len);
    ck_assert_str_eq(text, identity);
    char gz_tag[80];
    snprintf(gz_tag, sizeof gz_tag, "%s", etag());
    ck_assert_str_ne(gz_tag, tag);
    ck_assert_uint_eq(strlen(gz_tag), strlen(tag) + 3);
    ck_assert(strncmp(gz_tag, tag, strlen(tag) - 1) == 0);
    long gz_len = content_length();

    /* HEAD agrees with GET. */
    ask(r, "HEAD", "/v1/changefeed", "limit=40");
    ck_assert_int_eq(status, 200);
    ck_assert(has_header("Content-Encoding: gzip"));
    ck_assert_int_eq(content_length(), gz_len);
    ck_assert_str_eq(etag(), gz_tag);
    ck_assert_uint_eq(body_length(), 0);

    /* A 304 for each encoding, for its own tag only. */
    if_none_match = gz_tag;
    ask(r, "GET", "/v1/changefeed", "limit=40");
    ck_assert_int_eq(status, 304);
    ck_assert_str_eq(etag(), gz_tag);
    ck_assert(has_header("Vary: Accept-Encoding"));
    if_none_match = tag;
    ask(r, "GET", "/v1/changefeed", "limit=40");
    ck_assert_int_eq(status, 200);
    accept_encoding = NULL;
    ask(r, "GET", "/v1/changefeed", "limit=40");
    ck_assert_int_eq(status, 304);
    ck_assert_str_eq(etag(), tag);
    if_none_match = gz_tag;
    ask(r, "GET", "/v1/changefeed", "limit=40");
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(body, identity);
    if_none_match = NULL;

    /* A client that refuses gzip gets identity. */
    accept_encoding = "gzip;q=0, identity";
    ask(r, "GET", "/v1/changefeed", "limit=40");
    ck_assert_int_eq(status, 200);
    ck_assert_ptr_null(strstr(out.data, "Content-Encoding"));
    ck_assert_str_eq(body, identity);
    ck_assert_str_eq(etag(), tag);

    /* latest too, and an error (spec §6: the answer is gzip). */
    accept_encoding = "gzip";
    ask(r, "GET", "/v1/changefeed/latest", NULL);
    ck_assert_int_eq(status, 200);
    ck_assert(has_header("Content-Encoding: gzip"));
    gunzip_body(text, identity_len + 2);
    ck_assert_ptr_nonnull(strstr(text, "\"Sequence\":40,"));
    ask(r, "GET", "/v1/changefeed", "limit=0");
    ck_assert_int_eq(status, 400);
    ck_assert(has_header("Vary: Accept-Encoding"));
    ck_assert(has_header("Content-Encoding: gzip"));
    ck_assert_int_eq(content_length(), (long)body_length());
    gunzip_body(text, identity_len + 2);
    ck_assert_ptr_nonnull(strstr(text, "\"InvalidParameter\""));
    accept_encoding = NULL;
    ask(r, "GET", "/v1/changefeed", "limit=0");
    ck_assert_int_eq(status, 400);
    ck_assert(has_header("Vary: Accept-Encoding"));
    ck_assert_ptr_nonnull(strstr(body, "\"InvalidParameter\""));
    accept_encoding = NULL;
    free(text);
    free(identity);
    df_responder_free(r);
}
END_TEST

START_TEST(if_none_match_answers_304)
{
    make_log(path, 3, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v2/changefeed", "limit=2");
    char tag[80], weak[90], list[200];
    snprintf(tag, sizeof tag, "%s", etag());
    snprintf(weak, sizeof weak, "W/%s", tag);
    snprintf(list, sizeof list, "\"x\", %s , \"y\"", tag);
    const char *matching[] = {tag, weak, list, "*"};
    for (size_t i = 0; i < 4; i++) {
        if_none_match = matching[i];
        ask(r, "GET", "/v2/changefeed", "limit=2");
        ck_assert_msg(status == 304, "If-None-Match: %s gave %d", matching[i], status);
        ck_assert_str_eq(body, "");
        ck_assert_int_eq(content_length(), -1);
        ck_assert_str_eq(etag(), tag);
        ask(r, "HEAD", "/v2/changefeed", "limit=2");
        ck_assert_int_eq(status, 304);
    }
    const char *other[] = {"\"nope\"", "", "garbage", "\"unterminated"};
    for (size_t i = 0; i < 4; i++) {
        if_none_match = other[i];
        ask(r, "GET", "/v2/changefeed", "limit=2");
        ck_assert_int_eq(status, 200);
    }
    /* Another request's tag does not match, and news makes the old one stale. */
    if_none_match = tag;
    ask(r, "GET", "/v2/changefeed", "limit=3");
    ck_assert_int_eq(status, 200);
    add_one("1.2.3.9");
    ask(r, "GET", "/v2/changefeed", "limit=2");
    ck_assert_int_eq(status, 200);
    if_none_match = NULL;
    df_responder_free(r);
}
END_TEST

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

START_TEST(wait_times_out_with_an_empty_page)
{
    make_log(path, 2, 0);
    df_responder_shared sh = {.max_waiting = 4};
    df_responder *r = df_responder_new(path, &sh);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ask(r, "GET", "/v1/changefeed", "offset=2&wait=1");
    double took = seconds_since(&t0);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(body, "[]");
    ck_assert_msg(took >= 0.95, "answered after %.3f s", took);
    ck_assert_int_eq(atomic_load(&sh.waiting), 0);
    /* A page with entries never waits. */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ask(r, "GET", "/v1/changefeed", "offset=1&wait=30");
    ck_assert(seconds_since(&t0) < 5);
    ck_assert_ptr_nonnull(strstr(body, "\"Sequence\":2"));
    df_responder_free(r);
}
END_TEST

static void *append_later(void *arg)
{
    (void)arg;
    struct timespec pause = {0, 300 * 1000000L};
    nanosleep(&pause, NULL);
    add_one("1.2.3.77");
    return NULL;
}

START_TEST(wait_returns_on_a_commit)
{
    make_log(path, 2, 0);
    df_responder_shared sh = {.max_waiting = 4};
    df_responder *r = df_responder_new(path, &sh);
    const char *routes[] = {"/v1/changefeed", "/v2/changefeed"};
    /* The v1 wait ends with entry 3, so the v2 one waits past it. */
    const char *queries[] = {"offset=2&wait=30", "offset=3&wait=30"};
    for (int i = 0; i < 2; i++) {
        pthread_t writer;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ck_assert_int_eq(pthread_create(&writer, NULL, append_later, NULL), 0);
        ask(r, "GET", routes[i], queries[i]);
        double took = seconds_since(&t0);
        pthread_join(writer, NULL);
        ck_assert_int_eq(status, 200);
        ck_assert_msg(took >= 0.25 && took < 10, "answered after %.3f s", took);
        ck_assert_ptr_nonnull(strstr(body, "\"SopInstanceUid\":\"1.2.3.77\""));
    }
    df_responder_free(r);
}
END_TEST

START_TEST(wait_is_bounded)
{
    make_log(path, 1, 0);
    df_responder_shared sh = {.max_waiting = 0};
    df_responder *r = df_responder_new(path, &sh);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ask(r, "GET", "/v1/changefeed", "offset=1&wait=30");
    ck_assert(seconds_since(&t0) < 5); /* no waiting slot: at once */
    ck_assert_str_eq(body, "[]");
    sh.max_waiting = 4;
    atomic_store(&sh.stopping, true);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ask(r, "GET", "/v1/changefeed", "offset=1&wait=30");
    ck_assert(seconds_since(&t0) < 5); /* stopping: at once */
    atomic_store(&sh.stopping, false);
    /* A window that has ended can get no news. */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ask(r, "GET", "/v2/changefeed", "endTime=2000-01-01T00:00:00Z&wait=30");
    ck_assert(seconds_since(&t0) < 5);
    ck_assert_int_eq(status, 200);
    df_responder_free(r);
}
END_TEST

/* Answers one request with stderr (the responder's log lines) going to a
 * file, and returns what was logged. */
static const char *logged_by_ask(df_responder *r, const char *path_info)
{
    static char logged[4096];
    char log_path[300];
    snprintf(log_path, sizeof log_path, "%s/stderr", dir);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    ask(r, "GET", path_info, NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *f = fopen(log_path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(logged, 1, sizeof logged - 1, f);
    logged[n] = '\0';
    fclose(f);
    return logged;
}

/* The log's address is logged when it cannot be opened, but a PostgreSQL
 * address's password never is (nor is it in the answer). Nothing listens at
 * these addresses: the connection fails at once, or the build says it has no
 * PostgreSQL support. */
START_TEST(log_lines_hide_the_password)
{
    const char *addresses[] = {
        "host=/nonexistent/dcmfeed dbname=feed user=web password=s3cret-pw",
        "postgresql://web:s3cret-pw@%2Fnonexistent%2Fdcmfeed/feed",
    };
    for (size_t i = 0; i < 2; i++) {
        df_responder *r = df_responder_new(addresses[i], NULL);
        const char *logged = logged_by_ask(r, "/v1/changefeed");
        ck_assert_int_eq(status, 503);
        ck_assert_msg(strstr(logged, "(DCMFEED_DB=") != NULL, "%s", logged);
        ck_assert_msg(strstr(logged, "***") != NULL, "%s", logged);
        ck_assert_msg(strstr(logged, "s3cret") == NULL, "%s", logged);
        ck_assert_ptr_null(strstr(body, "s3cret"));
        df_responder_free(r);
    }
}
END_TEST

#ifdef HAVE_LIBPQ
/* Ends every session on the test database, as a server restart does (from
 * the server's own database, which takes connections when the test database
 * does not), and waits until they are gone, so that the next request surely meets a
 * connection that is no more. */
static void end_other_sessions(void)
{
    char others[300], sql[400], count[32] = "";
    snprintf(others, sizeof others, "FROM pg_stat_activity WHERE datname = '%s'", pg_test_db());
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(pid) %s", others);
    ck_assert(pg_query(pg_admin(), sql, NULL, 0));
    snprintf(sql, sizeof sql, "SELECT count(*) %s", others);
    for (int i = 0; i < 1000; i++) {
        ck_assert(pg_query(pg_admin(), sql, count, sizeof count));
        if (strcmp(count, "0") == 0)
            return;
        struct timespec pause = {0, 10 * 1000000L};
        nanosleep(&pause, NULL);
    }
    ck_abort_msg("the responder's session did not end");
}

/* The responder's connection dies between two requests (a server restart):
 * the next request reconnects at once and answers, no 503 in between. */
START_TEST(stale_connection_is_replaced_at_once)
{
    make_log(path, 3, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", "limit=2");
    ck_assert_int_eq(status, 200);
    char before[4096];
    snprintf(before, sizeof before, "%s", out.data);
    for (int i = 0; i < 3; i++) {
        end_other_sessions();
        ask(r, "GET", "/v1/changefeed", "limit=2");
        ck_assert_int_eq(status, 200);
        ck_assert_str_eq(out.data, before);
    }
    /* The same for a waiting request, whose page is empty. */
    end_other_sessions();
    ask(r, "GET", "/v1/changefeed", "offset=3&wait=1");
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(body, "[]");
    df_responder_free(r);
}
END_TEST

/* While the database takes no connections every request answers 503 with
 * Retry-After and the JSON body, whole; once it is back, 200 again from the
 * same responder. */
START_TEST(database_away_is_503_until_back)
{
    make_log(path, 3, 0);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed/latest", NULL);
    ck_assert_int_eq(status, 200);
    char before[4096];
    snprintf(before, sizeof before, "%s", out.data);
    pg_allow_connections(false);
    end_other_sessions();
    for (int i = 0; i < 2; i++) { /* the stale connection, then none at all */
        ask(r, "GET", "/v1/changefeed/latest", NULL);
        ck_assert_int_eq(status, 503);
        common_headers();
        ck_assert(has_header("Retry-After: 5"));
        ck_assert_int_eq(content_length(), (long)strlen(body));
        ck_assert_str_eq(body, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The "
                               "change feed is temporarily unavailable; retry later.\"}}");
    }
    pg_allow_connections(true);
    ask(r, "GET", "/v1/changefeed/latest", NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(out.data, before);
    df_responder_free(r);
}
END_TEST
#endif

/* The tests that hold for every backend. */
/* --- profiles (spec §10) and v2's slim fields and filters (§5) --------------- */

/* Two instances with a patient's name, one CT and one MR, then the MR
 * deleted. */
static void make_phi_log(void)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_CREATE, &s, &err), 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    static const char *const meta[] = {
        "{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"]},"
        "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.1\"]},"
        "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
        "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Smith^Jane\"}]},"
        "\"00280010\":{\"vr\":\"US\",\"Value\":[512]}}",
        "{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4.1.1.4\"]},"
        "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.2\"]},"
        "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"MR\"]},"
        "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Jones^Ann\"}]},"
        "\"00280010\":{\"vr\":\"US\",\"Value\":[256]}}",
    };
    for (int i = 0; i < 2; i++) {
        char sop[16];
        snprintf(sop, sizeof sop, "1.2.3.%d", i + 1);
        ck_assert_int_eq(
            df_store_add(s, "1.2", "1.2.3", sop, meta[i], strlen(meta[i]), NULL, NULL, &err), 0);
    }
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_delete(s, "1.2", "1.2.3", "1.2.3.2", NULL, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
}

/* A responder for the log whose route has the profile setting. */
static df_responder *with_profile(const char *setting, df_responder_shared *shared,
                                  df_profile *profile)
{
    df_error err = {0};
    memset(shared, 0, sizeof *shared);
    ck_assert_msg(df_profile_parse(setting, profile, &err) == 0, "%s", err.message);
    shared->profile = profile;
    df_responder *r = df_responder_new(path, shared);
    ck_assert_ptr_nonnull(r);
    return r;
}

START_TEST(profiles_choose_the_metadata)
{
    make_phi_log();
    char allow[300];
    snprintf(allow, sizeof allow, "%s/allow", dir);
    FILE *f = fopen(allow, "w");
    ck_assert_ptr_nonnull(f);
    fputs("# the AI vendor's three\nModality\n(0028,0010)\nSOPClassUID\n", f);
    fclose(f);
    char allow_setting[320];
    snprintf(allow_setting, sizeof allow_setting, "allow:%s", allow);
    const char *settings[] = {"full", "none", "deid", allow_setting};
    char tags[4][80], latest_tags[4][80];
    for (int i = 0; i < 4; i++) {
        df_responder_shared shared;
        df_profile profile;
        df_responder *r = with_profile(settings[i], &shared, &profile);
        ask(r, "GET", "/v1/changefeed", "includemetadata=true");
        ck_assert_int_eq(status, 200);
        snprintf(tags[i], sizeof tags[i], "%s", etag());
        bool names = strstr(body, "Smith^Jane") != NULL;
        ck_assert_msg(names == (i == 0), "%s: %s", settings[i], body);
        ck_assert_msg((strstr(body, "\"Metadata\"") != NULL) == (i != 1), "%s: %s", settings[i],
                      body);
        /* The deleted one's Metadata is null whatever the profile. */
        if (i != 1)
            ck_assert_ptr_nonnull(strstr(body, "\"State\":\"deleted\",\"Metadata\":null"));
        if (i == 2) {
            ck_assert_ptr_nonnull(strstr(body, "\"00100010\":{\"vr\":\"PN\"}"));
            ck_assert_ptr_nonnull(strstr(body, "\"00120062\":{\"vr\":\"CS\",\"Value\":[\"YES\"]}"));
            ck_assert_ptr_nonnull(strstr(body, "\"00280010\":{\"vr\":\"US\",\"Value\":[512]}"));
        }
        if (i == 3)
            ck_assert_ptr_nonnull(strstr(
                body, "\"Metadata\":{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4."
                      "1.1.2\"]},\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},\"00280010\":{"
                      "\"vr\":\"US\",\"Value\":[512]}}}"));
        /* latest and v2 alike. */
        ask(r, "GET", "/v2/changefeed/latest", NULL);
        ck_assert_int_eq(status, 200);
        snprintf(latest_tags[i], sizeof latest_tags[i], "%s", etag());
        ask(r, "GET", "/v2/changefeed", NULL);
        ck_assert_msg((strstr(body, "Smith^Jane") != NULL) == (i == 0), "%s: %s", settings[i],
                      body);
        /* none answers as includemetadata=false would. */
        if (i == 1) {
            char with[4096];
            snprintf(with, sizeof with, "%s", body);
            ask(r, "GET", "/v2/changefeed", "includemetadata=false");
            ck_assert_str_eq(body, with);
        }
        df_responder_free(r);
        df_profile_free(&profile);
    }
    /* A client that moves between routes never gets another route's 304. */
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++) {
            ck_assert_str_ne(tags[i], tags[j]);
            ck_assert_str_ne(latest_tags[i], latest_tags[j]);
        }
}
END_TEST

START_TEST(a_profile_that_does_not_parse_answers_503)
{
    make_phi_log();
    df_responder_shared shared = {0};
    df_profile profile;
    df_error err = {0};
    ck_assert_int_eq(df_profile_parse("deidentified", &profile, &err), DF_EINVAL);
    shared.profile = &profile;
    shared.profile_error = err.message;
    df_responder *r = df_responder_new(path, &shared);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 503);
    ck_assert_str_eq(body, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The change "
                           "feed is temporarily unavailable; retry later.\"}}");
    ck_assert_ptr_null(strstr(body, "Smith"));
    df_responder_free(r);
    df_profile_free(&profile);
}
END_TEST

/* v2's entries carry SopClassUid and Modality after State, before Metadata
 * (absent when none); v1's stay as they were. Filters select entries, and
 * are part of the ETag; a bad one is a 400 naming it. */
START_TEST(v2_slim_fields_and_filters)
{
    make_phi_log();
    add_one("1.2.3.3"); /* "{}": no SOP Class, no Modality */
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v2/changefeed", "includemetadata=false");
    ck_assert_int_eq(status, 200);
    ck_assert_ptr_nonnull(strstr(body, "\"State\":\"current\",\"SopClassUid\":\"1.2.840.10008.5.1."
                                       "4.1.1.2\",\"Modality\":\"CT\"}"));
    /* The delete keeps the class and modality of what it deleted. */
    ck_assert_ptr_nonnull(strstr(body, "\"Action\":\"delete\""));
    ck_assert_ptr_nonnull(strstr(body, "\"State\":\"deleted\",\"SopClassUid\":\"1.2.840.10008.5."
                                       "1.4.1.1.4\",\"Modality\":\"MR\"}"));
    ck_assert_ptr_nonnull(strstr(body, "\"SopInstanceUid\":\"1.2.3.3\""));
    ck_assert_ptr_nonnull(strstr(body, "\"State\":\"current\"}]"));
    ask(r, "GET", "/v2/changefeed", NULL);
    ck_assert_ptr_nonnull(strstr(body, "\"Modality\":\"CT\",\"Metadata\":{"));
    ask(r, "GET", "/v2/changefeed/latest", NULL);
    ck_assert_ptr_nonnull(strstr(body, "\"State\":\"current\",\"Metadata\":{}}"));
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_ptr_null(strstr(body, "SopClassUid"));
    ck_assert_ptr_null(strstr(body, "\"Modality\""));
    /* Filters. */
    ask(r, "GET", "/v2/changefeed", "modality=MR&includemetadata=false");
    ck_assert_int_eq(status, 200);
    ck_assert_ptr_nonnull(strstr(body, "[{\"Sequence\":2,"));
    ck_assert_ptr_nonnull(strstr(body, "},{\"Sequence\":3,"));
    ck_assert_ptr_null(strstr(body, "\"Sequence\":1,"));
    ck_assert_ptr_null(strstr(body, "\"Sequence\":4,"));
    char mr[80];
    snprintf(mr, sizeof mr, "%s", etag());
    ask(r, "GET", "/v2/changefeed", "modality=CT&includemetadata=false");
    ck_assert_str_ne(etag(), mr);
    ask(r, "GET", "/v2/changefeed", "modality=MR,CT&action=delete&includemetadata=false");
    ck_assert_ptr_nonnull(strstr(body, "[{\"Sequence\":3,"));
    ck_assert_ptr_nonnull(strstr(body, "\"Modality\":\"MR\"}]"));
    ask(r, "GET", "/v2/changefeed",
        "sopclassuid=1.2.840.10008.5.1.4.1.1.2&offset=1&includemetadata=false");
    ck_assert_str_eq(body, "[]");
    ask(r, "GET", "/v2/changefeed", "sopclassuid=1.2.840.10008.5.1.4.1.1.2&offset=0&limit=1");
    ck_assert_ptr_nonnull(strstr(body, "[{\"Sequence\":1,"));
    ck_assert_ptr_nonnull(strstr(body, "Smith^Jane"));
    ask(r, "GET", "/v2/changefeed", "modality=mr");
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(body, "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"modality must "
                           "be 1 to 16 codes (1 to 16 characters A-Z, 0-9, _ or space) separated "
                           "by commas.\"}}");
    df_responder_free(r);
}
END_TEST

/* A log as the first release wrote it (schema version 1): one CT instance
 * with a patient's name, no de-identified copy, no SOP Class or Modality
 * columns. */
static void make_v1_log(void)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_exec(
            db,
            "PRAGMA journal_mode = WAL;"
            "CREATE TABLE instances (id INTEGER PRIMARY KEY, study_uid TEXT NOT NULL,"
            " series_uid TEXT NOT NULL, sop_uid TEXT NOT NULL, current_seq INTEGER, metadata TEXT,"
            " UNIQUE (study_uid, series_uid, sop_uid));"
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY, instance_id INTEGER NOT NULL"
            " REFERENCES instances(id), action INTEGER NOT NULL CHECK (action IN (0, 1)),"
            " timestamp INTEGER NOT NULL);"
            "CREATE INDEX entries_timestamp ON entries(timestamp);"
            "CREATE TABLE feed (id TEXT NOT NULL);"
            "INSERT INTO feed (id) VALUES ('0123456789abcdef0123456789abcdef');"
            "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries"
            "  BEGIN SELECT RAISE(ABORT, 'change feed entries are immutable'); END;"
            "CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries"
            "  BEGIN SELECT RAISE(ABORT, 'change feed entries are immutable'); END;"
            "INSERT INTO instances VALUES (1, '1.2', '1.2.3', '1.2.3.1', 1,"
            " '{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"]},"
            "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
            "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Smith^Jane\"}]}}');"
            "INSERT INTO entries VALUES (1, 1, 0, 1000);"
            "PRAGMA user_version = 1;",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
}

/* A deid route on a log that no writer of this release has opened yet has
 * nothing to show: 503, never the metadata in full; once a writer upgrades
 * the log, the same responder serves it (it reopens the log). */
START_TEST(deid_waits_for_the_upgrade)
{
    make_v1_log();
    df_responder_shared shared;
    df_profile profile;
    df_responder *r = with_profile("deid", &shared, &profile);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 503);
    ck_assert_ptr_null(strstr(body, "Smith"));
    ask(r, "GET", "/v1/changefeed", "includemetadata=false");
    ck_assert_int_eq(status, 200);
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_READWRITE, &s, &err), 0);
    df_store_close(s);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_ptr_null(strstr(body, "Smith"));
    ck_assert_ptr_nonnull(strstr(body, "\"00120062\""));
    df_responder_free(r);
    df_profile_free(&profile);
}
END_TEST

/* The server may set DCMFEED_METADATA per route as a request variable: it
 * wins over the process's, so one pool of processes serves both routes; a
 * bad one answers 503 on its route only. */
START_TEST(a_request_sets_its_route_profile)
{
    make_phi_log();
    df_responder_shared shared;
    df_profile profile;
    df_responder *r = with_profile("full", &shared, &profile);
    const char *settings[] = {"deid", NULL, "none", "deid", "full", "bogus", "deid", NULL};
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
            route_metadata = settings[i];
            ask(r, "GET", "/v1/changefeed", NULL);
            bool bogus = settings[i] != NULL && strcmp(settings[i], "bogus") == 0;
            ck_assert_int_eq(status, bogus ? 503 : 200);
            bool full = settings[i] == NULL || strcmp(settings[i], "full") == 0;
            ck_assert_msg((strstr(body, "Smith^Jane") != NULL) == full, "%s: %s",
                          settings[i] != NULL ? settings[i] : "(process)", body);
            if (settings[i] != NULL && strcmp(settings[i], "deid") == 0)
                ck_assert_ptr_nonnull(strstr(body, "\"00120062\""));
        }
    route_metadata = NULL;
    df_responder_free(r);
    df_profile_free(&profile);
}
END_TEST

/* The answer cache changes nothing an answer says: for every request, on
 * every route's profile, encoding and method, before and after the log
 * changes (an append, a delete that changes an older entry's State), the
 * answer of a responder with the cache, asked twice (once to fill it, once
 * from it), is the answer of a responder without, byte for byte. */
START_TEST(cached_answers_are_the_answers)
{
    make_phi_log();
    char allow[300], allow_setting[320];
    snprintf(allow, sizeof allow, "%s/allow", dir);
    FILE *f = fopen(allow, "w");
    ck_assert_ptr_nonnull(f);
    fputs("Modality\nSOPClassUID\n", f);
    fclose(f);
    snprintf(allow_setting, sizeof allow_setting, "allow:%s", allow);
    df_answer_cache *cache = df_answer_cache_new(1 << 20);
    ck_assert_ptr_nonnull(cache);
    df_responder_shared with = {.cache = cache}, without = {0};
    df_responder *c = df_responder_new(path, &with);
    df_responder *p = df_responder_new(path, &without);
    const char *routes[] = {NULL, "none", "deid", allow_setting};
    const char *encodings[] = {NULL, "gzip"};
    static const struct {
        const char *method, *path, *query;
    } asks[] = {
        {"GET", "/v1/changefeed", NULL},
        {"GET", "/v1/changefeed", "includemetadata=false"},
        {"HEAD", "/v1/changefeed", NULL},
        {"GET", "/v1/changefeed", "offset=0&limit=1"},
        {"GET", "/v1/changefeed/latest", NULL},
        {"GET", "/v2/changefeed", NULL},
        {"GET", "/v2/changefeed", "modality=CT"},
        {"GET", "/v2/changefeed", "modality=MR"},
        {"GET", "/v2/changefeed", "sopclassuid=1.2.840.10008.5.1.4.1.1.4&action=delete"},
        {"GET", "/v2/changefeed", "startTime=2000-01-01T00:00:00Z&limit=2"},
    };
    char *expected = malloc(DF_ANSWER_MAX);
    ck_assert_ptr_nonnull(expected);
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
            for (size_t j = 0; j < sizeof encodings / sizeof encodings[0]; j++)
                for (size_t k = 0; k < sizeof asks / sizeof asks[0]; k++) {
                    route_metadata = routes[i];
                    accept_encoding = encodings[j];
                    ask(p, asks[k].method, asks[k].path, asks[k].query);
                    ck_assert_int_eq(status, 200);
                    size_t len = out.len;
                    memcpy(expected, out.data, len);
                    for (int twice = 0; twice < 2; twice++) {
                        ask(c, asks[k].method, asks[k].path, asks[k].query);
                        ck_assert_msg(out.len == len && memcmp(out.data, expected, len) == 0,
                                      "round %d, route %s, %s %s?%s: %.*s", round,
                                      routes[i] != NULL ? routes[i] : "(full)", asks[k].method,
                                      asks[k].path, asks[k].query != NULL ? asks[k].query : "",
                                      (int)out.len, out.data);
                    }
                }
        if (round == 0)
            add_one("1.2.3.3");
        if (round == 1)
            delete_one("1.2.3.1");
    }
    route_metadata = NULL;
    accept_encoding = NULL;
    /* Every second ask was answered from the cache, and HEAD's first from
     * GET's body. */
    df_answer_cache_stats st;
    df_answer_cache_stats_get(cache, &st);
    ck_assert_uint_eq(st.hits, 3 * 4 * 2 * (sizeof asks / sizeof asks[0] + 1));
    free(expected);
    df_responder_free(c);
    df_responder_free(p);
    df_answer_cache_free(cache);
}
END_TEST

/* Two routes of one process with allow-lists of as many attributes: each
 * route gets its own page from the cache (the key holds the attributes,
 * not only their count). */
START_TEST(cached_allow_lists_stay_apart)
{
    make_phi_log();
    char setting[2][sizeof dir + 16];
    const char *names[] = {"Modality\n", "PatientName\n"};
    for (int i = 0; i < 2; i++) {
        snprintf(setting[i], sizeof setting[i], "allow:%s/allow%d", dir, i);
        FILE *f = fopen(setting[i] + 6, "w");
        ck_assert_ptr_nonnull(f);
        fputs(names[i], f);
        fclose(f);
    }
    df_answer_cache *cache = df_answer_cache_new(1 << 20);
    df_responder_shared with = {.cache = cache};
    df_responder *c = df_responder_new(path, &with);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 2; i++) {
            route_metadata = setting[i];
            ask(c, "GET", "/v1/changefeed", NULL);
            ck_assert_int_eq(status, 200);
            ck_assert_msg((strstr(body, "Smith") != NULL) == (i == 1), "%s: %s", names[i], body);
        }
    route_metadata = NULL;
    df_responder_free(c);
    df_answer_cache_free(cache);
}
END_TEST

/* A new identity under a responder that stays open (an import completing
 * its copy, or a restore with pg_restore), with no entry appended: the next
 * answer, asked before from the cache, carries another ETag, and the old one
 * no longer matches. (That the cache keeps bodies per identity is
 * check_answer_cache's; here the bodies are the same either way.) */
START_TEST(identity_change_under_an_open_responder)
{
    static const char theirs[] = "00112233445566778899aabbccddeeff";
    make_log(path, 3, 0);
    df_answer_cache *cache = df_answer_cache_new(1 << 20);
    df_responder_shared with = {.cache = cache};
    df_responder *r = df_responder_new(path, &with);
    ask(r, "GET", "/v1/changefeed", NULL);
    char before[80];
    snprintf(before, sizeof before, "%s", etag());
    ask(r, "GET", "/v1/changefeed", NULL); /* now from the cache */
    ck_assert_str_eq(etag(), before);
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_READWRITE, &s, &err), 0);
    char mine[40];
    snprintf(mine, sizeof mine, "%s", df_store_feed_id(s));
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_feed_id(s, theirs, mine, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_str_ne(etag(), before);
    char after[80];
    snprintf(after, sizeof after, "%s", etag());
    if_none_match = before;
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(etag(), after);
    if_none_match = NULL;
    df_responder_free(r);
    df_answer_cache_free(cache);
}
END_TEST

static void add_common_tests(TCase *tc)
{
    tcase_add_test(tc, page_answer_is_whole);
    tcase_add_test(tc, head_has_headers_only);
    tcase_add_test(tc, gzip_answers);
    tcase_add_test(tc, latest_and_empty_latest);
    tcase_add_test(tc, errors_have_the_json_body);
    tcase_add_test(tc, too_long_query_is_414);
    tcase_add_test(tc, missing_log_is_503_and_recovers);
    tcase_add_test(tc, unset_db_is_503);
    tcase_add_test(tc, oversized_page_ends_early);
    tcase_add_test(tc, etag_follows_the_log);
    tcase_add_test(tc, if_none_match_answers_304);
    tcase_add_test(tc, wait_times_out_with_an_empty_page);
    tcase_add_test(tc, wait_returns_on_a_commit);
    tcase_add_test(tc, wait_is_bounded);
    tcase_add_test(tc, profiles_choose_the_metadata);
    tcase_add_test(tc, a_profile_that_does_not_parse_answers_503);
    tcase_add_test(tc, a_request_sets_its_route_profile);
    tcase_add_test(tc, v2_slim_fields_and_filters);
    tcase_add_test(tc, cached_answers_are_the_answers);
    tcase_add_test(tc, cached_allow_lists_stay_apart);
    tcase_add_test(tc, identity_change_under_an_open_responder);
}

/* One responder opened a log before a writer upgraded it (no entry
 * appended: the same identity and newest Sequence), another opens it after:
 * the second answers v2 with the fields the upgrade added, never the page
 * the first made on its older connection (the key holds the schema version
 * each read with). */
START_TEST(cache_across_an_upgrade)
{
    make_v1_log();
    df_answer_cache *cache = df_answer_cache_new(1 << 20);
    df_responder_shared with = {.cache = cache}, without = {0};
    df_responder *before = df_responder_new(path, &with);
    ask(before, "GET", "/v2/changefeed", "includemetadata=false");
    ck_assert_int_eq(status, 200);
    ck_assert_ptr_null(strstr(body, "SopClassUid"));
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_READWRITE, &s, &err), 0);
    df_store_close(s);
    df_responder *after = df_responder_new(path, &with);
    df_responder *plain = df_responder_new(path, &without);
    ask(plain, "GET", "/v2/changefeed", "includemetadata=false");
    ck_assert_ptr_nonnull(strstr(body, "\"SopClassUid\":\"1.2.840.10008.5.1.4.1.1.2\""));
    char expected[4096];
    snprintf(expected, sizeof expected, "%s", body);
    /* The second opens the log (which empties the cache), then the first,
     * still on its connection of version 1, answers the page again (its
     * page into the cache), then the second asks for it. */
    ask(after, "GET", "/v2/changefeed/latest", NULL);
    ck_assert_int_eq(status, 200);
    ask(before, "GET", "/v2/changefeed", "includemetadata=false");
    ck_assert_int_eq(status, 200);
    ask(after, "GET", "/v2/changefeed", "includemetadata=false");
    ck_assert_str_eq(body, expected);
    df_responder_free(before);
    df_responder_free(after);
    df_responder_free(plain);
    df_answer_cache_free(cache);
}
END_TEST

/* A log file replaced by hand with one of the same identity and newest
 * Sequence but another entry (which the tools never make: a restore gives a
 * new identity): the responder that reopens it forgets what the cache held. */
START_TEST(cache_forgets_a_replaced_log)
{
    make_log(path, 3, 0);
    char other[320];
    snprintf(other, sizeof other, "%s/other.db", dir);
    make_log(other, 2, 0);
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_READONLY, &s, &err), 0);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE feed SET id = '%s'", df_store_feed_id(s));
    df_store_close(s);
    ck_assert_int_eq(df_store_open(other, DF_STORE_CREATE, &s, &err), 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_add(s, "1.2", "1.2.3", "1.2.3.9", "{}", 2, NULL, NULL, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(other, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    df_answer_cache *cache = df_answer_cache_new(1 << 20);
    df_responder_shared with = {.cache = cache};
    df_responder *r = df_responder_new(path, &with);
    ask(r, "GET", "/v1/changefeed", "includemetadata=false");
    ck_assert_ptr_nonnull(strstr(body, "1.2.3.3"));
    ck_assert_int_eq(rename(other, path), 0);
    const char *suffix[] = {"-wal", "-shm"};
    for (int i = 0; i < 2; i++) {
        char from[340], to[sizeof path + 8];
        snprintf(from, sizeof from, "%s%s", other, suffix[i]);
        snprintf(to, sizeof to, "%s%s", path, suffix[i]);
        if (rename(from, to) != 0)
            unlink(to);
    }
    ask(r, "GET", "/v1/changefeed", "includemetadata=false");
    ck_assert_int_eq(status, 200);
    ck_assert_msg(strstr(body, "1.2.3.9") != NULL && strstr(body, "1.2.3.3") == NULL, "%s", body);
    df_responder_free(r);
    df_answer_cache_free(cache);
}
END_TEST

static Suite *responder_suite(void)
{
    Suite *s = suite_create("responder");
    TCase *tc = tcase_create("sqlite");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    add_common_tests(tc);
    /* A log file replaced under a long-lived responder. */
    tcase_add_test(tc, replaced_log_is_reopened);
    tcase_add_test(tc, log_lines_hide_the_password);
    tcase_add_test(tc, deid_waits_for_the_upgrade);
    tcase_add_test(tc, cache_across_an_upgrade);
    tcase_add_test(tc, cache_forgets_a_replaced_log);
    suite_add_tcase(s, tc);
#ifdef HAVE_LIBPQ
    if (getenv("DCMFEED_PG_TEST") != NULL && getenv("DCMFEED_PG_TEST")[0] != '\0') {
        tc = tcase_create("postgresql");
        tcase_set_timeout(tc, 60);
        tcase_add_checked_fixture(tc, setup_pg, teardown);
        add_common_tests(tc);
        /* A server that restarts or goes away under a long-lived responder. */
        tcase_add_test(tc, stale_connection_is_replaced_at_once);
        tcase_add_test(tc, database_away_is_503_until_back);
        suite_add_tcase(s, tc);
    } else {
        fprintf(stderr, "check_responder: DCMFEED_PG_TEST not set, PostgreSQL tests skipped\n");
    }
#endif
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(responder_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
