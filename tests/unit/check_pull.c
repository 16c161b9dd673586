/* Unit tests of the consumer's pure parts: the state file (round trip,
 * corruption is an error, the lock), the page splitter that keeps each
 * entry's original bytes, the Sequence read from the text and URL building
 * (back-off is the HTTP client's: check_http.c). The HTTP flow is tested against a real server by
 * tests/cli/pull.sh. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pull.h"
#include "pull_state.h"

static char dir[] = "/tmp/check_pull.XXXXXX";
static char path[256];

static void setup(void)
{
    strcpy(dir, "/tmp/check_pull.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/state", dir);
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* --- state file ---------------------------------------------------------------- */

START_TEST(state_round_trip)
{
    int64_t seq = -1;
    bool found = true;
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, NULL), 0);
    ck_assert(!found);
    ck_assert_int_eq(seq, 0);
    ck_assert_int_eq(df_pull_state_save(path, 1234, NULL), 0);
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, NULL), 0);
    ck_assert(found);
    ck_assert_int_eq(seq, 1234);
    ck_assert_int_eq(df_pull_state_save(path, 7, NULL), 0);
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, NULL), 0);
    ck_assert_int_eq(seq, 7);
    ck_assert_int_eq(df_pull_state_save(path, INT64_MAX, NULL), 0);
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, NULL), 0);
    ck_assert_int_eq(seq, INT64_MAX);
}
END_TEST

START_TEST(state_file_is_one_line_and_no_temporary_stays)
{
    ck_assert_int_eq(df_pull_state_save(path, 42, NULL), 0);
    char text[16] = {0};
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(text, "42\n");
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ck_assert_int_ne(access(tmp, F_OK), 0);
}
END_TEST

START_TEST(state_zero_is_a_state)
{
    write_file("0\n", 2);
    int64_t seq = -1;
    bool found = false;
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, NULL), 0);
    ck_assert(found);
    ck_assert_int_eq(seq, 0);
    write_file("15", 2); /* a file written by hand, without the newline */
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, NULL), 0);
    ck_assert_int_eq(seq, 15);
}
END_TEST

static const char *const corrupt[] = {
    "",
    "\n",
    "abc\n",
    "-1\n",
    "+5\n",
    " 5\n",
    "5 \n",
    "5\n\n",
    "5\n6\n",
    "1.5\n",
    "0x10\n",
    "9223372036854775808\n",
    "99999999999999999999999\n",
    "5\r\n",
    "\0\n",
    "\t5\n",
    "-0\n",
};

START_TEST(state_parse_says_what_is_wrong)
{
    int64_t seq = -1;
    df_error err = {0};
    ck_assert_int_eq(df_pull_state_parse("99999999999999999999\n", 21, &seq, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "holds a number too large for a Sequence");
    df_error_clear(&err);
    ck_assert_int_eq(df_pull_state_parse("12a\n", 4, &seq, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "holds something other than a Sequence");
    ck_assert_int_eq(seq, -1);
    ck_assert_int_eq(df_pull_state_parse("007\n", 4, &seq, NULL), 0);
    ck_assert_int_eq(seq, 7);
}
END_TEST

START_TEST(state_corrupt_is_an_error_never_zero)
{
    const char *text = corrupt[_i];
    size_t len = _i == 14 ? 2 : strlen(text);
    write_file(text, len);
    int64_t seq = -1;
    bool found = false;
    df_error err = {0};
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, &err), DF_EINVAL);
    ck_assert(!found);
    ck_assert_ptr_nonnull(strstr(err.message, "corrupt"));
    ck_assert_ptr_nonnull(strstr(err.message, path));
}
END_TEST

START_TEST(state_too_long_is_corrupt)
{
    char text[200];
    memset(text, '1', sizeof text);
    write_file(text, sizeof text);
    int64_t seq;
    bool found;
    df_error err = {0};
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "too long"));
}
END_TEST

START_TEST(state_unwritable_folder_is_an_error)
{
    char p[300];
    snprintf(p, sizeof p, "%s/no/such/folder/state", dir);
    df_error err = {0};
    ck_assert_int_eq(df_pull_state_save(p, 1, &err), DF_EIO);
    ck_assert_ptr_nonnull(strstr(err.message, "cannot write"));
}
END_TEST

START_TEST(state_save_replaces_a_stale_temporary)
{
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb"); /* left by a consumer killed mid-save */
    ck_assert_ptr_nonnull(f);
    fputs("999999 junk", f);
    fclose(f);
    ck_assert_int_eq(df_pull_state_save(path, 3, NULL), 0);
    int64_t seq;
    bool found;
    ck_assert_int_eq(df_pull_state_load(path, &seq, &found, NULL), 0);
    ck_assert_int_eq(seq, 3);
}
END_TEST

/* Runs df_pull_state_lock in a child process (record locks are per process,
 * so a second consumer must be another process) and returns its result. */
static int lock_in_child(void)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = -1;
        df_error err = {0};
        int rc = df_pull_state_lock(path, &fd, &err);
        if (rc == DF_EBUSY && strstr(err.message, "another dcmfeed-pull") == NULL)
            _exit(99);
        _exit(rc == 0 ? 0 : rc == DF_EBUSY ? 1 : 2);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status) == 0 ? 0 : WEXITSTATUS(status) == 1 ? DF_EBUSY : DF_EIO;
}

START_TEST(state_lock_keeps_a_second_consumer_away)
{
    int a = -1;
    ck_assert_int_eq(df_pull_state_lock(path, &a, NULL), 0);
    ck_assert_int_eq(lock_in_child(), DF_EBUSY);
    ck_assert_int_ne(fcntl(a, F_GETFD) & FD_CLOEXEC, 0);
    close(a);
    ck_assert_int_eq(lock_in_child(), 0);
}
END_TEST

/* A command spawned by a consumer that is then killed may live on, and until
 * its exec it holds a copy of every descriptor: the lock must not go with it,
 * or the consumer's restart finds its own state "in use" (seen in
 * tests/cli/pull_kill.sh with flock()). */
START_TEST(state_lock_is_not_kept_by_a_child)
{
    int a = -1, hold[2];
    ck_assert_int_eq(df_pull_state_lock(path, &a, NULL), 0);
    ck_assert_int_eq(pipe(hold), 0);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        char c;
        close(hold[1]);
        (void)!read(hold[0], &c, 1); /* keeps the inherited lock descriptor until told */
        _exit(0);
    }
    close(hold[0]);
    ck_assert_int_eq(lock_in_child(), DF_EBUSY);
    close(a); /* the consumer ends; its child still has the descriptor open */
    ck_assert_int_eq(lock_in_child(), 0);
    close(hold[1]);
    ck_assert_int_eq(waitpid(child, NULL, 0), child);
}
END_TEST

/* --- the page splitter ------------------------------------------------------------ */

static df_json_span *spans;
static size_t count;

static int split(const char *text)
{
    free(spans);
    spans = NULL;
    count = 99;
    return df_pull_split(text, strlen(text), &spans, &count, NULL);
}

static bool span_is(const char *text, size_t i, const char *want)
{
    return i < count && spans[i].len == strlen(want) &&
           memcmp(text + spans[i].start, want, spans[i].len) == 0;
}

START_TEST(split_empty_pages)
{
    ck_assert_int_eq(split("[]"), 0);
    ck_assert_uint_eq(count, 0);
    ck_assert_int_eq(split(" \r\n[ \t]\n"), 0);
    ck_assert_uint_eq(count, 0);
}
END_TEST

START_TEST(split_keeps_each_entry_s_bytes)
{
    const char *t = "[{\"Sequence\":1,\"Metadata\":{\"x\":{\"Value\":[0.1,1E+2,-0.0,"
                    "123456789012345678901234567890]}}},{\"Sequence\":2,\"Metadata\":null}]";
    ck_assert_int_eq(split(t), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert(span_is(t, 0,
                      "{\"Sequence\":1,\"Metadata\":{\"x\":{\"Value\":[0.1,1E+2,-0.0,"
                      "123456789012345678901234567890]}}}"));
    ck_assert(span_is(t, 1, "{\"Sequence\":2,\"Metadata\":null}"));
}
END_TEST

START_TEST(split_is_not_fooled_by_strings)
{
    const char *t = "[ {\"a\":\"],}{[\\\"\\\\\"} , {\"b\":\"\\\\\"} ]";
    ck_assert_int_eq(split(t), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert(span_is(t, 0, "{\"a\":\"],}{[\\\"\\\\\"}"));
    ck_assert(span_is(t, 1, "{\"b\":\"\\\\\"}"));
}
END_TEST

START_TEST(split_any_values)
{
    const char *t = "[1, \"x\", [2,[3]], null,{}]";
    ck_assert_int_eq(split(t), 0);
    ck_assert_uint_eq(count, 5);
    ck_assert(span_is(t, 2, "[2,[3]]"));
    ck_assert(span_is(t, 4, "{}"));
}
END_TEST

START_TEST(split_many_entries_grow_the_spans)
{
    char t[4096] = "[";
    for (int i = 1; i <= 300; i++)
        snprintf(t + strlen(t), sizeof t - strlen(t), "%s{}", i > 1 ? "," : "");
    strcat(t, "]");
    ck_assert_int_eq(split(t), 0);
    ck_assert_uint_eq(count, 300);
}
END_TEST

static const char *const not_pages[] = {
    "", "{}", "[", "[{}", "[{},", "[{}] x", "[,]", "[{},]", "[{]", "\"[]\"", "[\"abc]",
};

START_TEST(split_refuses_what_is_not_an_array)
{
    df_error err = {0};
    free(spans);
    spans = NULL;
    const char *t = not_pages[_i];
    ck_assert_int_eq(df_pull_split(t, strlen(t), &spans, &count, &err), DF_EPULL_PROTOCOL);
    ck_assert(err.message[0] != '\0');
}
END_TEST

/* --- the Sequence, read from the text ------------------------------------------------ */

static int64_t seq_of(const char *obj, int want_rc)
{
    int64_t v = -1;
    ck_assert_int_eq(df_pull_member_i64(obj, strlen(obj), "Sequence", &v, NULL), want_rc);
    return v;
}

START_TEST(sequence_is_read_at_the_top_level)
{
    ck_assert_int_eq(seq_of("{\"Sequence\":42,\"Action\":\"create\"}", 0), 42);
    ck_assert_int_eq(seq_of("{\"Metadata\":{\"Sequence\":1},\"Sequence\":7}", 0), 7);
    ck_assert_int_eq(seq_of("{\"a\":\"Sequence\",\"b\":[\"Sequence\",{\"Sequence\":3}],"
                            "\"Sequence\" : 9 }",
                            0),
                     9);
    ck_assert_int_eq(seq_of("{\"Sequence\":9223372036854775807}", 0), INT64_MAX);
    ck_assert_int_eq(seq_of("{\"Sequence\":0}", 0), 0);
}
END_TEST

START_TEST(sequence_absent_or_bad)
{
    seq_of("{}", DF_ENOTFOUND);
    seq_of("{\"Metadata\":{\"Sequence\":1}}", DF_ENOTFOUND);
    seq_of("{\"sequence\":1}", DF_ENOTFOUND);
    seq_of("{\"Sequence\":-1}", DF_EPULL_PROTOCOL);
    seq_of("{\"Sequence\":1.5}", DF_EPULL_PROTOCOL);
    seq_of("{\"Sequence\":1e3}", DF_EPULL_PROTOCOL);
    seq_of("{\"Sequence\":\"7\"}", DF_EPULL_PROTOCOL);
    seq_of("{\"Sequence\":null}", DF_EPULL_PROTOCOL);
    seq_of("{\"Sequence\":9223372036854775808}", DF_EPULL_PROTOCOL);
    seq_of("[1]", DF_EPULL_PROTOCOL);
}
END_TEST

/* --- URLs ------------------------------------------------------------------------------- */

static df_buf b;

static void url_setup(void)
{
    df_buf_init(&b, 4096);
}

static void url_teardown(void)
{
    df_buf_free(&b);
}

static const char *url(const char *base, const char *route, int64_t offset, int limit, bool meta,
                       int wait)
{
    df_buf_reset(&b);
    ck_assert_int_eq(df_pull_url(&b, base, route, offset, limit, meta, wait, NULL), 0);
    return b.data;
}

START_TEST(url_of_a_page)
{
    ck_assert_str_eq(url("http://h:8080/dicom/v1", "/changefeed", 0, 100, true, 0),
                     "http://h:8080/dicom/v1/changefeed?offset=0&limit=100&includemetadata=true");
    ck_assert_str_eq(url("https://h/dicom/v1/", "/changefeed", 1234, 10, false, 20),
                     "https://h/dicom/v1/changefeed?offset=1234&limit=10&includemetadata=false"
                     "&wait=20");
    ck_assert_str_eq(url("https://h/v2//", "/changefeed", 9223372036854775807, 200, true, 0),
                     "https://h/v2/changefeed?offset=9223372036854775807&limit=200"
                     "&includemetadata=true");
}
END_TEST

START_TEST(url_of_latest)
{
    ck_assert_str_eq(url("http://h/dicom/v1", "/changefeed/latest", -1, 0, false, 0),
                     "http://h/dicom/v1/changefeed/latest?includemetadata=false");
}
END_TEST

START_TEST(url_keeps_the_base_s_query)
{
    ck_assert_str_eq(url("https://h/api/v1/?code=abc%3D", "/changefeed", 5, 1, true, 0),
                     "https://h/api/v1/changefeed?code=abc%3D&offset=5&limit=1"
                     "&includemetadata=true");
    ck_assert_str_eq(url("https://h/v1?", "/changefeed/latest", -1, 0, true, 0),
                     "https://h/v1/changefeed/latest?includemetadata=true");
}
END_TEST

START_TEST(url_bad_bases)
{
    const char *bad[] = {"ftp://h/v1", "h/v1", "", "http://", "https:///", "http://h/v1#x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_error err = {0};
        df_buf_reset(&b);
        ck_assert_int_eq(df_pull_url(&b, bad[i], "/changefeed", 0, 1, true, 0, &err), DF_EINVAL);
        ck_assert(err.message[0] != '\0');
    }
}
END_TEST

START_TEST(url_ceiling_is_an_error)
{
    df_buf small;
    df_buf_init(&small, 16);
    ck_assert_int_eq(df_pull_url(&small, "http://h/dicom/v1", "/changefeed", 0, 1, true, 0, NULL),
                     DF_ENOMEM);
    df_buf_free(&small);
}
END_TEST

/* --- the feed's identity ---------------------------------------------------------- */

START_TEST(feed_id_from_etags)
{
    char id[DF_PULL_FEED_ID_SIZE];
    ck_assert(df_pull_feed_id("\"0123456789abcdef-42-fedcba9876543210\"", id));
    ck_assert_str_eq(id, "0123456789abcdef");
    ck_assert(df_pull_feed_id("W/\"0123456789abcdef-1-x\"", id));
    ck_assert_str_eq(id, "0123456789abcdef");
    const char *not_ours[] = {
        "",
        "\"0123456789abcdef\"",      /* no '-' after the digits */
        "\"0123456789ABCDEF-1-x\"",  /* upper case is not the log's */
        "\"0123456789abcde-1-x\"",   /* 15 digits */
        "\"0123456789abcdefa-1-x\"", /* 17 digits */
        "0123456789abcdef-1-x",      /* unquoted */
        "W/0123456789abcdef-1-x",
        "\"g123456789abcdef-1-x\"",
    };
    for (size_t i = 0; i < sizeof not_ours / sizeof not_ours[0]; i++) {
        ck_assert(!df_pull_feed_id(not_ours[i], id));
        ck_assert_str_eq(id, "");
    }
}
END_TEST

static void split_teardown(void)
{
    free(spans);
    spans = NULL;
}

static Suite *pull_suite(void)
{
    Suite *s = suite_create("pull");
    TCase *tc = tcase_create("state");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, state_round_trip);
    tcase_add_test(tc, state_file_is_one_line_and_no_temporary_stays);
    tcase_add_test(tc, state_zero_is_a_state);
    tcase_add_loop_test(tc, state_corrupt_is_an_error_never_zero, 0,
                        (int)(sizeof corrupt / sizeof corrupt[0]));
    tcase_add_test(tc, state_too_long_is_corrupt);
    tcase_add_test(tc, state_parse_says_what_is_wrong);
    tcase_add_test(tc, state_unwritable_folder_is_an_error);
    tcase_add_test(tc, state_save_replaces_a_stale_temporary);
    tcase_add_test(tc, state_lock_keeps_a_second_consumer_away);
    tcase_add_test(tc, state_lock_is_not_kept_by_a_child);
    suite_add_tcase(s, tc);

    tc = tcase_create("page");
    tcase_add_checked_fixture(tc, NULL, split_teardown);
    tcase_add_test(tc, split_empty_pages);
    tcase_add_test(tc, split_keeps_each_entry_s_bytes);
    tcase_add_test(tc, split_is_not_fooled_by_strings);
    tcase_add_test(tc, split_any_values);
    tcase_add_test(tc, split_many_entries_grow_the_spans);
    tcase_add_loop_test(tc, split_refuses_what_is_not_an_array, 0,
                        (int)(sizeof not_pages / sizeof not_pages[0]));
    tcase_add_test(tc, sequence_is_read_at_the_top_level);
    tcase_add_test(tc, sequence_absent_or_bad);
    suite_add_tcase(s, tc);

    tc = tcase_create("url");
    tcase_add_checked_fixture(tc, url_setup, url_teardown);
    tcase_add_test(tc, url_of_a_page);
    tcase_add_test(tc, url_of_latest);
    tcase_add_test(tc, url_keeps_the_base_s_query);
    tcase_add_test(tc, url_bad_bases);
    tcase_add_test(tc, url_ceiling_is_an_error);
    tcase_add_test(tc, feed_id_from_etags);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pull_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
