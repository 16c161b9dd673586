/* Unit tests of ingest_walk.c's input side: the one bounded reader of whole
 * files (df_input_text), the sniff, and paths as messages show them
 * (df_error_path). The walk over folders is tested through the CLI
 * (tests/cli/ingest.sh). */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/ingest_json.h"
#include "../src/ingest_walk.h"

static char dir[] = "/tmp/check_ingest_walk.XXXXXX";
static df_input *in;
static df_error err;

static void setup(void)
{
    strcpy(dir + strlen(dir) - 6, "XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    in = df_input_new();
    ck_assert_ptr_nonnull(in);
    df_error_clear(&err);
}

static void teardown(void)
{
    df_input_free(in);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_read_whole_file)
{
    char path[256];
    snprintf(path, sizeof path, "%s/ok.json", dir);
    write_file(path, " [ {} ]\n");
    df_input_kind kind;
    ck_assert_int_eq(df_input_open(in, path, &kind, &err), 0);
    ck_assert_int_eq(kind, DF_INPUT_JSON);
    const char *text;
    size_t len;
    ck_assert_int_eq(df_input_text(in, DF_INGEST_JSON_MAX_FILE, &text, &len, &err), 0);
    ck_assert_uint_eq(len, 8);
    ck_assert_int_eq(memcmp(text, " [ {} ]\n", 8), 0);
    /* Exactly max bytes is not too large. */
    ck_assert_int_eq(df_input_open(in, path, &kind, &err), 0);
    ck_assert_int_eq(df_input_text(in, 8, &text, &len, &err), 0);
    ck_assert_uint_eq(len, 8);
}
END_TEST

START_TEST(test_missing_and_directory)
{
    char path[256];
    df_input_kind kind;
    snprintf(path, sizeof path, "%s/none.json", dir);
    ck_assert_int_eq(df_input_open(in, path, &kind, &err), DF_EIO);
    ck_assert_ptr_nonnull(strstr(err.message, "none.json: cannot open: No such file"));
    df_error_clear(&err);
    ck_assert_int_eq(df_input_open(in, dir, &kind, &err), DF_EIO);
    ck_assert_ptr_nonnull(strstr(err.message, ": is a directory"));
}
END_TEST

START_TEST(test_too_large_file_refused_by_its_size)
{
    char path[256];
    snprintf(path, sizeof path, "%s/big.json", dir);
    /* Sparse, with a '{' so that it sniffs as JSON: 64 MiB + 1 that are
     * never read, since the size alone refuses it. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "{", 1), 1);
    ck_assert_int_eq(ftruncate(fd, (off_t)DF_INGEST_JSON_MAX_FILE + 1), 0);
    close(fd);
    df_input_kind kind;
    ck_assert_int_eq(df_input_open(in, path, &kind, &err), 0);
    const char *text = NULL;
    size_t len = 7;
    ck_assert_int_eq(df_input_text(in, DF_INGEST_JSON_MAX_FILE, &text, &len, &err), DF_EINVAL);
    ck_assert_msg(strstr(err.message, "big.json: is larger than 64 MiB, the limit for one file"),
                  "%s", err.message);
    ck_assert_uint_eq(len, 7);
    /* The size is judged before any allocation: a sparse file of 1 TiB
     * under a limit one byte short of it is refused as too large, never
     * attempted (which would end in "out of memory" or in reading it). */
    fd = open(path, O_WRONLY);
    ck_assert_int_ge(fd, 0);
    if (ftruncate(fd, (off_t)1 << 40) == 0) {
        close(fd);
        ck_assert_int_eq(df_input_open(in, path, &kind, &err), 0);
        df_error_clear(&err);
        ck_assert_int_eq(df_input_text(in, ((size_t)1 << 40) - 1, &text, &len, &err), DF_EINVAL);
        ck_assert_msg(strstr(err.message, "big.json: is larger than 1099511627775 bytes") != NULL,
                      "%s", err.message);
    } else {
        close(fd);
    }
    /* A small limit, in bytes. */
    snprintf(path, sizeof path, "%s/eleven.json", dir);
    write_file(path, "{\"a\":12345}");
    ck_assert_int_eq(df_input_open(in, path, &kind, &err), 0);
    df_error_clear(&err);
    ck_assert_int_eq(df_input_text(in, 10, &text, &len, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "eleven.json: is larger than 10 bytes"));
}
END_TEST

START_TEST(test_too_large_pipe)
{
    /* A pipe has no size: it is read up to max + 1 bytes, no further. */
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(write(p[1], "[1,2,3,4,5,6,7,8,9]", 19), 19);
    close(p[1]);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    df_input_kind kind;
    ck_assert_int_eq(df_input_open(in, path, &kind, &err), 0);
    ck_assert_int_eq(kind, DF_INPUT_JSON);
    const char *text;
    size_t len;
    ck_assert_int_eq(df_input_text(in, 18, &text, &len, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "is larger than 18 bytes"));
    close(p[0]);

    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(write(p[1], "[1,2,3,4,5,6,7,8,9]", 19), 19);
    close(p[1]);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    ck_assert_int_eq(df_input_open(in, path, &kind, &err), 0);
    ck_assert_int_eq(df_input_text(in, 19, &text, &len, &err), 0);
    ck_assert_uint_eq(len, 19);
    close(p[0]);
}
END_TEST

START_TEST(test_path_shown)
{
    char buf[DF_ERROR_PATH_SHOWN];
    ck_assert_str_eq(df_error_path("/a/b.dcm", buf), "/a/b.dcm");
    /* 99 bytes fit whole; 100 are cut from the front to 99. */
    char path[400];
    memset(path, 'd', 99);
    path[99] = '\0';
    ck_assert_ptr_eq(df_error_path(path, buf), path);
    memset(path, 'd', sizeof path);
    memcpy(path + sizeof path - 12, "/study.json", 12);
    const char *s = df_error_path(path, buf);
    ck_assert_ptr_eq(s, buf);
    ck_assert_uint_eq(strlen(s), DF_ERROR_PATH_SHOWN - 1);
    ck_assert_int_eq(strncmp(s, "...ddd", 6), 0);
    ck_assert_str_eq(s + strlen(s) - 11, "/study.json");
    /* Never in the middle of a UTF-8 character: é is 2 bytes. */
    for (size_t i = 0; i + 1 < 300; i += 2)
        memcpy(path + i, "\xc3\xa9", 2);
    path[300] = '\0';
    s = df_error_path(path, buf);
    ck_assert_int_eq(strncmp(s, "...\xc3\xa9", 5), 0);

    /* The reader's messages use it: the reason still shows after a long path. */
    char e[301];
    memset(e, 'e', 300);
    e[300] = '\0';
    snprintf(path, sizeof path, "%s/%s/x.json", dir, e);
    df_input_kind kind;
    ck_assert_int_eq(df_input_open(in, path, &kind, &err), DF_EIO);
    ck_assert_int_eq(strncmp(err.message, "...eee", 6), 0);
    ck_assert_msg(strstr(err.message, "e/x.json: cannot open: File name too long") != NULL ||
                      strstr(err.message, "e/x.json: cannot open: No such file") != NULL,
                  "%s", err.message);
}
END_TEST

static Suite *walk_suite(void)
{
    Suite *s = suite_create("ingest_walk");
    TCase *tc = tcase_create("input");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_read_whole_file);
    tcase_add_test(tc, test_missing_and_directory);
    tcase_add_test(tc, test_too_large_file_refused_by_its_size);
    tcase_add_test(tc, test_too_large_pipe);
    tcase_add_test(tc, test_path_shown);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(walk_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
