/* Unit tests of spool.c, on real files in a temporary folder: records read
 * back as written, numbers that never go back (across compaction, reopening
 * and a log that is ahead), a record cut short by a crash dropped, damage in
 * the middle refused, appends from several threads. */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/spool.h"

static char dir[256];
static char path[512];

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_spool.XXXXXX", tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/dcmfeed.spool", dir);
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static df_spool *open_spool(void)
{
    df_spool *sp = NULL;
    df_error err = {0};
    ck_assert_msg(df_spool_open(path, &sp, &err) == 0, "%s", err.message);
    return sp;
}

static int64_t stored(df_spool *sp, const char *id, const char *sop, const char *meta)
{
    df_spool_record r = {.kind = DF_SPOOL_STORED,
                         .archive_id = id,
                         .study_uid = "1.2",
                         .series_uid = "1.2.3",
                         .sop_uid = sop,
                         .metadata = meta,
                         .metadata_len = strlen(meta)};
    df_error err = {0};
    ck_assert_msg(df_spool_append(sp, &r, &err) == 0, "%s", err.message);
    return r.number;
}

static int64_t deleted(df_spool *sp, const char *id)
{
    df_spool_record r = {.kind = DF_SPOOL_DELETED, .archive_id = id};
    df_error err = {0};
    ck_assert_msg(df_spool_append(sp, &r, &err) == 0, "%s", err.message);
    return r.number;
}

static off_t file_size(void)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return st.st_size;
}

START_TEST(records_come_back_as_written)
{
    df_spool *sp = open_spool();
    ck_assert_uint_eq(strlen(df_spool_id(sp)), 32);
    ck_assert_int_eq(df_spool_last(sp), 0);
    ck_assert_int_eq(stored(sp, "a-1", "1.2.3.4", "{\"x\":1}"), 1);
    df_spool_record m = {.kind = DF_SPOOL_STORED,
                         .modified = true,
                         .archive_id = "a-2",
                         .study_uid = "1.2",
                         .series_uid = "1.2.3",
                         .sop_uid = "1.2.3.5",
                         .metadata = "{}",
                         .metadata_len = 2};
    df_error err = {0};
    ck_assert_int_eq(df_spool_append(sp, &m, &err), 0);
    df_spool_record noop = {.kind = DF_SPOOL_NOOP};
    ck_assert_int_eq(df_spool_append(sp, &noop, &err), 0);
    ck_assert_int_eq(noop.number, 3);
    ck_assert_int_eq(deleted(sp, "a-1"), 4);
    ck_assert_int_eq(df_spool_last(sp), 4);

    df_spool_cursor c = df_spool_start(sp);
    df_spool_record r;
    ck_assert_int_eq(df_spool_read(sp, &c, &r, &err), 1);
    ck_assert_int_eq(r.number, 1);
    ck_assert_int_eq(r.kind, DF_SPOOL_STORED);
    ck_assert(!r.modified);
    ck_assert_str_eq(r.archive_id, "a-1");
    ck_assert_str_eq(r.study_uid, "1.2");
    ck_assert_str_eq(r.series_uid, "1.2.3");
    ck_assert_str_eq(r.sop_uid, "1.2.3.4");
    ck_assert_uint_eq(r.metadata_len, 7);
    ck_assert_int_eq(memcmp(r.metadata, "{\"x\":1}", 7), 0);
    ck_assert_int_eq(df_spool_read(sp, &c, &r, &err), 1);
    ck_assert(r.modified);
    ck_assert_str_eq(r.sop_uid, "1.2.3.5");
    /* The probe (NOOP) is skipped. */
    ck_assert_int_eq(df_spool_read(sp, &c, &r, &err), 1);
    ck_assert_int_eq(r.number, 4);
    ck_assert_int_eq(r.kind, DF_SPOOL_DELETED);
    ck_assert_str_eq(r.archive_id, "a-1");
    ck_assert_ptr_null(r.metadata);
    ck_assert_int_eq(df_spool_read(sp, &c, &r, &err), 0);
    ck_assert_int_eq(c.last, 4);
    ck_assert_int_eq(df_spool_pending_bytes(sp, &c), 0);
    /* Appended after the reader reached the end: read next. */
    stored(sp, "a-3", "1.2.3.6", "{}");
    ck_assert_int_gt(df_spool_pending_bytes(sp, &c), 0);
    ck_assert_int_eq(df_spool_read(sp, &c, &r, &err), 1);
    ck_assert_int_eq(r.number, 5);

    /* Reopened: the same identity, the same records, numbers go on. */
    char id[33];
    memcpy(id, df_spool_id(sp), 33);
    df_spool_close(sp);
    sp = open_spool();
    ck_assert_str_eq(df_spool_id(sp), id);
    ck_assert_int_eq(df_spool_last(sp), 5);
    c = df_spool_start(sp);
    int n = 0;
    while (df_spool_read(sp, &c, &r, &err) == 1)
        n++;
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(stored(sp, "a-4", "1.2.3.7", "{}"), 6);
    df_spool_close(sp);
}
END_TEST

START_TEST(bad_records_are_refused)
{
    df_spool *sp = open_spool();
    df_error err = {0};
    df_spool_record r = {.kind = DF_SPOOL_STORED, .archive_id = "a", .study_uid = "1"};
    ck_assert_int_eq(df_spool_append(sp, &r, &err), DF_EINVAL);
    df_error_clear(&err);
    df_spool_record d = {.kind = DF_SPOOL_DELETED, .archive_id = ""};
    ck_assert_int_eq(df_spool_append(sp, &d, &err), DF_EINVAL);
    df_error_clear(&err);
    df_spool_record k = {.kind = (df_spool_kind)7, .archive_id = "a"};
    ck_assert_int_eq(df_spool_append(sp, &k, &err), DF_EINVAL);
    ck_assert_int_eq(df_spool_last(sp), 0);
    df_spool_close(sp);
}
END_TEST

/* A crash during an append leaves part of a record at the end: it is
 * dropped at the next open, and its number given again (it was never
 * applied: the log's position is only moved past whole records). */
START_TEST(a_record_cut_short_is_dropped)
{
    df_spool *sp = open_spool();
    stored(sp, "a-1", "1.2.3.4", "{\"x\":1}");
    off_t one = file_size();
    stored(sp, "a-2", "1.2.3.5", "{\"x\":2}");
    off_t two = file_size();
    df_spool_close(sp);
    for (off_t cut = one + 1; cut < two; cut += 7) {
        ck_assert_int_eq(truncate(path, cut), 0);
        sp = open_spool();
        ck_assert_int_eq(file_size(), one);
        ck_assert_int_eq(df_spool_last(sp), 1);
        ck_assert_int_eq(stored(sp, "a-2", "1.2.3.5", "{\"x\":2}"), 2);
        df_spool_close(sp);
    }
    /* Zero bytes after the last record (blocks a power loss left unwritten). */
    int fd = open(path, O_WRONLY | O_APPEND);
    char zeros[300] = {0};
    ck_assert_int_eq(write(fd, zeros, sizeof zeros), (ssize_t)sizeof zeros);
    close(fd);
    sp = open_spool();
    ck_assert_int_eq(file_size(), two);
    ck_assert_int_eq(df_spool_last(sp), 2);
    df_spool_close(sp);
}
END_TEST

START_TEST(damage_in_the_middle_is_refused)
{
    df_spool *sp = open_spool();
    stored(sp, "a-1", "1.2.3.4", "{\"x\":1}");
    stored(sp, "a-2", "1.2.3.5", "{\"x\":2}");
    df_spool_close(sp);
    /* A byte of the first record's payload changed. */
    int fd = open(path, O_RDWR);
    ck_assert_int_eq(pwrite(fd, "Z", 1, 64 + 24 + 10), 1);
    close(fd);
    sp = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_spool_open(path, &sp, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "is damaged and records follow it"));
    ck_assert_ptr_null(sp);

    /* A file that is not a spool is never taken for one. */
    df_error_clear(&err);
    FILE *f = fopen(path, "w");
    fputs("this is not a spool, but some other file of the same name........................", f);
    fclose(f);
    ck_assert_int_eq(df_spool_open(path, &sp, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "not a dcmfeed spool"));
    /* A folder that does not exist: named, with the reason. */
    df_error_clear(&err);
    char missing[600];
    snprintf(missing, sizeof missing, "%s/nope/dcmfeed.spool", dir);
    ck_assert_int_eq(df_spool_open(missing, &sp, &err), DF_EIO);
    ck_assert_ptr_nonnull(strstr(err.message, "No such file or directory"));
    ck_assert_ptr_nonnull(strstr(err.message, "nope/dcmfeed.spool"));
}
END_TEST

/* Compaction starts the file again once every record was read, keeping the
 * identity and the numbers; advance moves the numbers past a log's position. */
START_TEST(numbers_never_go_back)
{
    df_spool *sp = open_spool();
    char id[33];
    memcpy(id, df_spool_id(sp), 33);
    for (int i = 0; i < 10; i++)
        stored(sp, "a", "1.2.3.4", "{}");
    df_spool_cursor c = df_spool_start(sp);
    df_spool_record r;
    df_error err = {0};
    bool done = true;
    /* Not all read: nothing happens. */
    ck_assert_int_eq(df_spool_read(sp, &c, &r, &err), 1);
    ck_assert_int_eq(df_spool_compact(sp, &c, 0, &done, &err), 0);
    ck_assert(!done);
    while (df_spool_read(sp, &c, &r, &err) == 1)
        ;
    /* Smaller than asked: nothing happens. */
    ck_assert_int_eq(df_spool_compact(sp, &c, 1 << 20, &done, &err), 0);
    ck_assert(!done);
    ck_assert_int_eq(df_spool_compact(sp, &c, 0, &done, &err), 0);
    ck_assert(done);
    ck_assert_int_eq(file_size(), 64);
    ck_assert_int_eq(df_spool_pending_bytes(sp, &c), 0);
    ck_assert_int_eq(stored(sp, "a", "1.2.3.4", "{}"), 11);
    ck_assert_int_eq(df_spool_read(sp, &c, &r, &err), 1);
    ck_assert_int_eq(r.number, 11);
    df_spool_close(sp);
    /* Reopened after compaction: the numbers still go on. */
    sp = open_spool();
    ck_assert_str_eq(df_spool_id(sp), id);
    ck_assert_int_eq(df_spool_last(sp), 11);
    ck_assert_int_eq(df_spool_start(sp).last, 10);
    ck_assert_int_eq(df_spool_compact(sp, &(df_spool_cursor){0}, 0, &done, &err), 0);
    ck_assert(!done);
    df_spool_close(sp);
    /* The log is ahead (a spool that lost its tail): numbers move past it. */
    ck_assert_int_eq(truncate(path, 64), 0);
    sp = open_spool();
    ck_assert_int_eq(df_spool_last(sp), 10);
    ck_assert_int_eq(df_spool_advance(sp, 42, &err), 0);
    ck_assert_int_eq(df_spool_advance(sp, 7, &err), 0); /* never back */
    /* A reader of a spool with nothing to read is applied as far as the
     * numbers cut away (the plugin's check waits for that). */
    ck_assert_int_eq(df_spool_start(sp).last, 42);
    ck_assert_int_eq(stored(sp, "a", "1.2.3.4", "{}"), 43);
    df_spool_close(sp);
    sp = open_spool();
    ck_assert_int_eq(df_spool_last(sp), 43);
    df_spool_close(sp);
}
END_TEST

#define THREADS    4
#define PER_THREAD 250

static void *appender(void *arg)
{
    df_spool *sp = arg;
    for (int i = 0; i < PER_THREAD; i++)
        stored(sp, "a", "1.2.3.4", "{\"x\":\"a value long enough to make writes overlap\"}");
    return NULL;
}

START_TEST(appends_from_several_threads)
{
    df_spool *sp = open_spool();
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, appender, sp), 0);
    /* Read while they append: every record whole, numbers 1, 2, 3, … */
    df_spool_cursor c = df_spool_start(sp);
    df_spool_record r;
    df_error err = {0};
    int64_t expect = 1;
    while (expect <= THREADS * PER_THREAD) {
        int rc = df_spool_read(sp, &c, &r, &err);
        ck_assert_msg(rc >= 0, "%s", err.message);
        if (rc == 1)
            ck_assert_int_eq(r.number, expect++);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    df_spool_close(sp);
    sp = open_spool();
    ck_assert_int_eq(df_spool_last(sp), THREADS * PER_THREAD);
    df_spool_close(sp);
}
END_TEST

static Suite *spool_suite(void)
{
    Suite *s = suite_create("spool");
    TCase *tc = tcase_create("spool");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, records_come_back_as_written);
    tcase_add_test(tc, bad_records_are_refused);
    tcase_add_test(tc, a_record_cut_short_is_dropped);
    tcase_add_test(tc, damage_in_the_middle_is_refused);
    tcase_add_test(tc, numbers_never_go_back);
    tcase_add_test(tc, appends_from_several_threads);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(spool_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
