/* Unit tests of the responder in-process: whole answers (status, headers,
 * body) for each route and error of the spec, over real SQLite logs. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "responder.h"
#include "store.h"

static char dir[256];
static char path[300];
static df_buf out;
static const char *body; /* into out */
static int status;

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_responder.XXXXXX", tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/feed.db", dir);
    df_buf_init(&out, DF_ANSWER_MAX + 16384);
}

static void teardown(void)
{
    df_buf_free(&out);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void make_log(const char *at, int n, size_t metadata_size)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_msg(df_store_open(at, DF_STORE_READWRITE, &s, &err) == 0, "%s", err.message);
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

static const char *if_none_match; /* sent with every ask() while set */

static void ask(df_responder *r, const char *method, const char *path_info, const char *query)
{
    df_http_request req = {.method = method,
                           .path_info = path_info,
                           .query_string = query,
                           .if_none_match = if_none_match};
    df_responder_handle(r, &req, &out);
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
    ck_assert_ptr_nonnull(strstr(body, "Z\",\"State\":\"current\",\"Metadata\":{\"00080018\":{\"vr\":"
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
    char wal[340], wal2[340];
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

START_TEST(oversized_answer_is_503_not_half)
{
    /* 70 entries of 1 MiB metadata exceed the 64 MiB ceiling of one answer. */
    make_log(path, 70, 1u << 20);
    df_responder *r = df_responder_new(path, NULL);
    ask(r, "GET", "/v1/changefeed", "limit=100");
    ck_assert_int_eq(status, 503);
    ck_assert_int_eq(content_length(), (long)strlen(body));
    ck_assert_int_eq(strncmp(body, "{\"error\":", 9), 0);
    /* The same page without metadata, or a smaller one, is fine. */
    ask(r, "GET", "/v1/changefeed", "limit=100&includemetadata=false");
    ck_assert_int_eq(status, 200);
    ask(r, "GET", "/v1/changefeed", "limit=10");
    ck_assert_int_eq(status, 200);
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
    ck_assert_int_eq(df_store_open(path, DF_STORE_READWRITE, &s, &err), 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_add(s, "1.2", "1.2.3", sop, "{}", 2, NULL, NULL, &err), 0);
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
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_READWRITE, &s, &err), 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_delete(s, "1.2", "1.2.3", "1.2.3.1", NULL, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
    ask(r, "GET", "/v1/changefeed", NULL);
    ck_assert_str_ne(etag(), second);
    ck_assert_ptr_nonnull(strstr(body, "\"State\":\"deleted\""));
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

static Suite *responder_suite(void)
{
    Suite *s = suite_create("responder");
    TCase *tc = tcase_create("responder");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, page_answer_is_whole);
    tcase_add_test(tc, head_has_headers_only);
    tcase_add_test(tc, latest_and_empty_latest);
    tcase_add_test(tc, errors_have_the_json_body);
    tcase_add_test(tc, too_long_query_is_414);
    tcase_add_test(tc, missing_log_is_503_and_recovers);
    tcase_add_test(tc, unset_db_is_503);
    tcase_add_test(tc, replaced_log_is_reopened);
    tcase_add_test(tc, oversized_answer_is_503_not_half);
    tcase_add_test(tc, etag_follows_the_log);
    tcase_add_test(tc, if_none_match_answers_304);
    tcase_add_test(tc, wait_times_out_with_an_empty_page);
    tcase_add_test(tc, wait_returns_on_a_commit);
    tcase_add_test(tc, wait_is_bounded);
    suite_add_tcase(s, tc);
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
