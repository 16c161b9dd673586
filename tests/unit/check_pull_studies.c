/* Unit tests of the --per-study bookkeeping (pull_studies.h): grouping, the
 * stable age, completion by deletion, revisions, the resume point with
 * interleaved studies, skipping what a re-read meets of a study already
 * handed over, the state file (round trip, appends, a line cut by a crash,
 * lines that are not a state's, compaction), forgetting old records, and the
 * memory of 10,000 pending studies of 500 entries. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pull_studies.h"

static df_studies *s;
static char dir[] = "/tmp/check_pull_studies.XXXXXX";
static char path[256];

static void setup(void)
{
    s = df_studies_new();
    ck_assert_ptr_nonnull(s);
    strcpy(dir, "/tmp/check_pull_studies.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/state", dir);
}

static void teardown(void)
{
    df_studies_free(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Adds a create (or the action given) read at time t; returns what was done. */
static df_studies_taken add_as(df_studies *to, int64_t seq, const char *uid, const char *action,
                               const char *state, double t)
{
    df_studies_taken taken;
    ck_assert_int_eq(df_studies_add(to, seq, uid, action, state, t, &taken, NULL), 0);
    return taken;
}

static df_studies_taken add(int64_t seq, const char *uid, double t)
{
    return add_as(s, seq, uid, "create", "current", t);
}

/* The next complete study at now, or NULL. */
static df_studies_pending next;
static const char *next_uid(double now, double age)
{
    double wait;
    return df_studies_next(s, now, age, &next, &wait) ? next.uid : NULL;
}

static char *read_file(const char *p)
{
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static int lines_of(const char *p)
{
    int n = 0;
    for (const char *t = read_file(p); *t != '\0'; t++)
        n += *t == '\n';
    return n;
}

static void write_file(const char *p, const char *text)
{
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* --- grouping and completion ------------------------------------------------------- */

START_TEST(interleaved_studies_group_by_uid)
{
    /* A 1-3, B 4-5, A 6-7 */
    add(1, "1.1", 0), add(2, "1.1", 0), add(3, "1.1", 0);
    add(4, "1.2", 1), add(5, "1.2", 1);
    add(6, "1.1", 2), add(7, "1.1", 2);
    ck_assert_uint_eq(df_studies_pending_count(s), 2);
    double wait = 0;
    ck_assert(!df_studies_next(s, 1.5, 1, &next, &wait));
    ck_assert_double_eq_tol(wait, 0.5, 1e-9); /* B, read at 1, is due at 2 */
    ck_assert_ptr_null(next_uid(1.9, 1));
    ck_assert_str_eq(next_uid(2.0, 1), "1.2");
    ck_assert_uint_eq(next.count, 2);
    ck_assert_int_eq(next.sequences[0], 4);
    ck_assert_int_eq(next.revision, 1);
    ck_assert(!next.deleted);
    /* B handed over: A still pending from 1, so the resume point stays 1. */
    ck_assert_int_eq(df_studies_handed(s, "1.2", 7, NULL), 0);
    ck_assert_int_eq(df_studies_resume(s), 1);
    ck_assert_str_eq(next_uid(3.0, 1), "1.1");
    ck_assert_uint_eq(next.count, 5);
    int64_t want[] = {1, 2, 3, 6, 7};
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(next.sequences[i], want[i]);
    ck_assert_int_eq(df_studies_handed(s, "1.1", 7, NULL), 0);
    ck_assert_int_eq(df_studies_resume(s), 8);
    ck_assert_uint_eq(df_studies_pending_count(s), 0);
    ck_assert(!df_studies_next(s, 100, 1, &next, &wait));
    ck_assert_double_eq_tol(wait, -1, 1e-9);
}
END_TEST

START_TEST(news_restarts_the_clock_and_makes_a_revision)
{
    add(1, "1.1", 0);
    ck_assert_str_eq(next_uid(60, 60), "1.1");
    ck_assert_int_eq(df_studies_handed(s, "1.1", 1, NULL), 0);
    add(2, "1.1", 61);
    add_as(s, 3, "1.1", "update", "current", 100); /* an update is news */
    ck_assert_ptr_null(next_uid(159, 60));
    ck_assert_str_eq(next_uid(160, 60), "1.1");
    ck_assert_int_eq(next.revision, 2);
    ck_assert_uint_eq(next.count, 2);
    ck_assert_int_eq(next.sequences[0], 2);
    ck_assert_int_eq(df_studies_handed(s, "1.1", 3, NULL), 0);
    add(4, "1.1", 200);
    ck_assert_str_eq(next_uid(300, 60), "1.1");
    ck_assert_int_eq(next.revision, 3);
}
END_TEST

START_TEST(a_deleted_study_is_complete_once_the_reading_moves_on)
{
    add_as(s, 1, "1.1", "create", "deleted", 0);
    add_as(s, 2, "1.1", "delete", "deleted", 0);
    ck_assert_ptr_null(next_uid(0, 60)); /* more of the deletion may follow */
    add(3, "1.2", 0);                    /* another study: it is whole */
    ck_assert_str_eq(next_uid(0, 60), "1.1");
    ck_assert(next.deleted);
    ck_assert_int_eq(df_studies_handed(s, "1.1", 3, NULL), 0);
    /* The end of the feed settles the last study read. */
    add_as(s, 4, "1.3", "delete", "deleted", 0);
    ck_assert_ptr_null(next_uid(0, 60));
    df_studies_settle(s);
    ck_assert_str_eq(next_uid(0, 60), "1.3");
}
END_TEST

START_TEST(a_study_not_all_deleted_waits)
{
    /* created, deleted, created again: it exists */
    add_as(s, 1, "1.1", "create", "deleted", 0);
    add_as(s, 2, "1.1", "delete", "deleted", 0);
    add_as(s, 3, "1.1", "create", "current", 0);
    df_studies_settle(s);
    ck_assert_ptr_null(next_uid(1, 60));
    /* a create whose instance is deleted by now, its delete not read yet */
    add_as(s, 4, "1.2", "create", "deleted", 0);
    df_studies_settle(s);
    ck_assert_ptr_null(next_uid(1, 60));
    /* deletes, then a create in the same study: the create wins */
    add_as(s, 5, "1.3", "delete", "deleted", 0);
    add_as(s, 6, "1.3", "create", "current", 0);
    add(7, "1.4", 0);
    ck_assert_ptr_null(next_uid(1, 60));
}
END_TEST

START_TEST(bad_uids_are_refused)
{
    df_studies_taken taken;
    df_error err = {0};
    ck_assert_int_eq(df_studies_add(s, 1, NULL, "create", "current", 0, &taken, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "entry 1 has no StudyInstanceUid: it cannot be grouped by study");
    char long_uid[80];
    memset(long_uid, '1', sizeof long_uid - 1);
    long_uid[sizeof long_uid - 1] = '\0';
    ck_assert_int_eq(df_studies_add(s, 1, long_uid, "create", "current", 0, &taken, NULL),
                     DF_EINVAL);
    ck_assert_int_eq(df_studies_add(s, 1, "", "create", "current", 0, &taken, NULL), DF_EINVAL);
    ck_assert_int_eq(df_studies_handed(s, "9.9", 1, NULL), DF_EINVAL);
}
END_TEST

/* --- the state file ------------------------------------------------------------------- */

START_TEST(a_restart_skips_what_was_handed_over)
{
    bool found = true;
    ck_assert_int_eq(df_studies_load(s, path, &found, NULL), 0);
    ck_assert(!found);
    df_studies_set_feed_id(s, "0123456789abcdef");
    /* A 1-2, B 3, A 4; B handed over first: resume stays 1. */
    add(1, "1.1", 0), add(2, "1.1", 0), add(3, "1.2", 0), add(4, "1.1", 0);
    ck_assert_int_eq(df_studies_handed(s, "1.2", 4, NULL), 0);
    ck_assert_int_eq(df_studies_resume(s), 1);
    /* A kill now; the next run reads again from 1. */
    df_studies *t = df_studies_new();
    ck_assert_int_eq(df_studies_load(t, path, &found, NULL), 0);
    ck_assert(found);
    ck_assert_int_eq(df_studies_resume(t), 1);
    ck_assert_str_eq(df_studies_feed_id(t), "0123456789abcdef");
    ck_assert_int_eq(add_as(t, 1, "1.1", "create", "current", 0), DF_STUDIES_PENDING);
    ck_assert_int_eq(add_as(t, 2, "1.1", "create", "current", 0), DF_STUDIES_PENDING);
    ck_assert_int_eq(add_as(t, 3, "1.2", "create", "current", 0), DF_STUDIES_SKIPPED);
    ck_assert_int_eq(add_as(t, 4, "1.1", "create", "current", 0), DF_STUDIES_PENDING);
    ck_assert_int_eq(add_as(t, 5, "1.2", "create", "current", 0), DF_STUDIES_PENDING);
    double wait;
    ck_assert(df_studies_next(t, 100, 1, &next, &wait));
    ck_assert_str_eq(next.uid, "1.1");
    ck_assert_uint_eq(next.count, 3);
    ck_assert_int_eq(df_studies_handed(t, "1.1", 5, NULL), 0);
    ck_assert(df_studies_next(t, 100, 1, &next, &wait));
    ck_assert_str_eq(next.uid, "1.2");
    ck_assert_int_eq(next.revision, 2);
    ck_assert_uint_eq(next.count, 1);
    ck_assert_int_eq(next.sequences[0], 5);
    ck_assert_int_eq(df_studies_handed(t, "1.2", 5, NULL), 0);
    ck_assert_int_eq(df_studies_resume(t), 6);
    df_studies_free(t);
    /* What the file says now. */
    t = df_studies_new();
    ck_assert_int_eq(df_studies_load(t, path, &found, NULL), 0);
    ck_assert_int_eq(df_studies_resume(t), 6);
    ck_assert_int_eq(add_as(t, 6, "1.2", "create", "current", 0), DF_STUDIES_PENDING);
    ck_assert(df_studies_next(t, 100, 1, &next, &wait));
    ck_assert_int_eq(next.revision, 3);
    df_studies_free(t);
}
END_TEST

START_TEST(the_file_is_lines_appended)
{
    bool found;
    ck_assert_int_eq(df_studies_load(s, path, &found, NULL), 0);
    add(1, "1.1", 0), add(2, "1.2", 0);
    ck_assert_int_eq(df_studies_handed(s, "1.2", 2, NULL), 0); /* the first write: whole */
    ck_assert_str_eq(read_file(path), "dcmfeed-pull per-study 1\nstudy 1 2 1.2\nresume 1\n");
    df_studies_set_feed_id(s, "00000000000000ff");
    ck_assert_int_eq(df_studies_handed(s, "1.1", 2, NULL), 0); /* then appended */
    ck_assert_str_eq(read_file(path), "dcmfeed-pull per-study 1\nstudy 1 2 1.2\nresume 1\n"
                                      "feed 00000000000000ff\nhanded 1 1 3 1.1\n");
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ck_assert_int_ne(access(tmp, F_OK), 0);
}
END_TEST

START_TEST(set_resume_and_save)
{
    bool found;
    ck_assert_int_eq(df_studies_load(s, path, &found, NULL), 0);
    df_studies_set_resume(s, 1001);
    ck_assert_int_eq(df_studies_save(s, NULL), 0);
    ck_assert_str_eq(read_file(path), "dcmfeed-pull per-study 1\nresume 1001\n");
    /* Without a path there is nothing to write. */
    df_studies *t = df_studies_new();
    ck_assert_int_eq(df_studies_save(t, NULL), 0);
    df_studies_free(t);
}
END_TEST

START_TEST(parse_a_state)
{
    const char *text = "dcmfeed-pull per-study 1\n"
                       "feed 0123456789abcdef\n"
                       "study 3 40 1.1\n"
                       "study 1 12 1.2\n"
                       "resume 13\n"
                       "handed 2 50 41 1.2\n"
                       "handed 4 60 61 1.1\n"
                       "handed 9 99 100 1.3"; /* cut by a crash: ignored */
    ck_assert_int_eq(df_studies_parse(s, text, strlen(text), NULL), 0);
    ck_assert_int_eq(df_studies_resume(s), 61);
    ck_assert_str_eq(df_studies_feed_id(s), "0123456789abcdef");
    ck_assert_int_eq(add(61, "1.1", 0), DF_STUDIES_PENDING);
    ck_assert_int_eq(add(62, "1.3", 0), DF_STUDIES_PENDING);
    ck_assert_str_eq(next_uid(10, 1), "1.1");
    ck_assert_int_eq(next.revision, 5);
    ck_assert_int_eq(df_studies_handed(s, "1.1", 62, NULL), 0);
    ck_assert_str_eq(next_uid(10, 1), "1.3");
    ck_assert_int_eq(next.revision, 1);
}
END_TEST

static const char *const not_states[] = {
    "",
    "12\n",
    "dcmfeed-pull per-study 2\n",
    "dcmfeed-pull per-study 1", /* no newline: not even the first line */
    "dcmfeed-pull per-study 1\nresume x\n",
    "dcmfeed-pull per-study 1\nresume 0\n",
    "dcmfeed-pull per-study 1\nresume -1\n",
    "dcmfeed-pull per-study 1\nresume 1 2\n",
    "dcmfeed-pull per-study 1\nstudy 1 2\n",
    "dcmfeed-pull per-study 1\nstudy 1 2 \n",
    "dcmfeed-pull per-study 1\nstudy 0 2 1.2\n",
    "dcmfeed-pull per-study 1\nstudy 1 2 1.2 x\n",
    "dcmfeed-pull per-study 1\nhanded 1 2 1.2\n",
    "dcmfeed-pull per-study 1\nfeed 0123\n",
    "dcmfeed-pull per-study 1\nfeed 0123456789ABCDEF\n",
    "dcmfeed-pull per-study 1\n\n",
    "dcmfeed-pull per-study 1\nresume 5\njunk\nresume 6\n",
    "dcmfeed-pull per-study 1\nstudy 1 99999999999999999999 1.2\n",
    "dcmfeed-pull per-study 1\r\nresume 5\n",
};

START_TEST(what_is_not_a_state)
{
    df_error err = {0};
    const char *text = not_states[_i];
    ck_assert_int_eq(df_studies_parse(s, text, strlen(text), &err), DF_EINVAL);
    ck_assert(err.message[0] != '\0');
}
END_TEST

START_TEST(load_names_the_file_and_the_line)
{
    write_file(path, "dcmfeed-pull per-study 1\nresume 5\nhanded 1 x 2 1.2\n");
    bool found;
    df_error err = {0};
    ck_assert_int_eq(df_studies_load(s, path, &found, &err), DF_EINVAL);
    ck_assert(!found);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_nonnull(strstr(err.message, "line 3 is not a line of a --per-study state"));
    df_studies *t = df_studies_new();
    write_file(path, "41\n");
    df_error_clear(&err);
    ck_assert_int_eq(df_studies_load(t, path, &found, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "a run without --per-study"));
    df_studies_free(t);
}
END_TEST

START_TEST(an_unwritable_state_keeps_the_study_pending)
{
    char p[300];
    snprintf(p, sizeof p, "%s/no/such/folder/state", dir);
    bool found;
    ck_assert_int_eq(df_studies_load(s, p, &found, NULL), 0);
    add(1, "1.1", 0);
    df_error err = {0};
    ck_assert_int_eq(df_studies_handed(s, "1.1", 1, &err), DF_EIO);
    ck_assert_ptr_nonnull(strstr(err.message, "cannot write"));
    ck_assert_str_eq(next_uid(10, 1), "1.1"); /* still there, revision 1 */
    ck_assert_int_eq(next.revision, 1);
    ck_assert_int_eq(df_studies_resume(s), 1);
}
END_TEST

START_TEST(the_file_is_rewritten_when_it_doubled)
{
    bool found;
    ck_assert_int_eq(df_studies_load(s, path, &found, NULL), 0);
    /* The same three studies handed over again and again: 1200 appends,
     * never more than about 1024 lines on the disk. */
    int64_t seq = 0;
    char uid[16];
    for (int round = 0; round < 400; round++) {
        for (int k = 0; k < 3; k++) {
            snprintf(uid, sizeof uid, "1.%d", k);
            add(++seq, uid, 0);
            ck_assert_int_eq(df_studies_handed(s, uid, seq, NULL), 0);
        }
        ck_assert_int_le(lines_of(path), 1025);
    }
    /* Rewritten once, at 1025 lines: 5 lines, then the 177 appends since. */
    ck_assert_int_lt(lines_of(path), 300);
    df_studies *t = df_studies_new();
    ck_assert_int_eq(df_studies_load(t, path, &found, NULL), 0);
    ck_assert_int_eq(df_studies_resume(t), 1201);
    add_as(t, 1201, "1.0", "create", "current", 0);
    double wait;
    ck_assert(df_studies_next(t, 10, 1, &next, &wait));
    ck_assert_int_eq(next.revision, 401);
    df_studies_free(t);
}
END_TEST

START_TEST(old_records_are_forgotten)
{
    /* More studies handed over than remembered: the first ones start again at
     * revision 1, the last ones go on. */
    char uid[24];
    int64_t seq = 0;
    for (int k = 0; k < DF_STUDIES_REMEMBER + 2000; k++) {
        snprintf(uid, sizeof uid, "1.%d", k);
        add(++seq, uid, 0);
        ck_assert_int_eq(df_studies_handed(s, uid, seq, NULL), 0);
    }
    add(++seq, "1.0", 0);
    snprintf(uid, sizeof uid, "1.%d", DF_STUDIES_REMEMBER + 1999);
    add(++seq, uid, 0);
    double wait;
    ck_assert(df_studies_next(s, 10, 1, &next, &wait));
    ck_assert_str_eq(next.uid, "1.0");
    ck_assert_int_eq(next.revision, 1);
    ck_assert_int_eq(df_studies_handed(s, "1.0", seq, NULL), 0);
    ck_assert(df_studies_next(s, 10, 1, &next, &wait));
    ck_assert_int_eq(next.revision, 2);
}
END_TEST

/* The promise of --per-study: 10,000 pending studies of 500 entries each,
 * interleaved in the feed, held in less than 64 MB (tests/bench/README.md
 * has the process's own figure). */
START_TEST(ten_thousand_pending_studies_fit_in_64_mb)
{
    enum { STUDIES = 10000, ENTRIES = 500 };
    char uid[32];
    int64_t seq = 0;
    for (int e = 0; e < ENTRIES; e++) {
        for (int k = 0; k < STUDIES; k++) {
            snprintf(uid, sizeof uid, "1.2.826.0.1.3680043.10.%d", k);
            df_studies_taken taken;
            ck_assert_int_eq(df_studies_add(s, ++seq, uid, "create", "current", e, &taken, NULL),
                             0);
        }
    }
    ck_assert_uint_eq(df_studies_pending_count(s), STUDIES);
    size_t bytes = df_studies_bytes(s);
    fprintf(stderr, "# 10,000 pending studies of 500 entries: %.1f MB\n", (double)bytes / 1e6);
    ck_assert_uint_lt(bytes, 64u * 1000u * 1000u);
    ck_assert_str_eq(next_uid(ENTRIES + 100, 1), "1.2.826.0.1.3680043.10.0");
    ck_assert_uint_eq(next.count, ENTRIES);
    ck_assert_int_eq(next.sequences[1], 1 + STUDIES);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("pull_studies");
    TCase *tc = tcase_create("studies");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, interleaved_studies_group_by_uid);
    tcase_add_test(tc, news_restarts_the_clock_and_makes_a_revision);
    tcase_add_test(tc, a_deleted_study_is_complete_once_the_reading_moves_on);
    tcase_add_test(tc, a_study_not_all_deleted_waits);
    tcase_add_test(tc, bad_uids_are_refused);
    tcase_add_test(tc, a_restart_skips_what_was_handed_over);
    tcase_add_test(tc, the_file_is_lines_appended);
    tcase_add_test(tc, set_resume_and_save);
    tcase_add_test(tc, parse_a_state);
    tcase_add_loop_test(tc, what_is_not_a_state, 0,
                        (int)(sizeof not_states / sizeof not_states[0]));
    tcase_add_test(tc, load_names_the_file_and_the_line);
    tcase_add_test(tc, an_unwritable_state_keeps_the_study_pending);
    tcase_add_test(tc, the_file_is_rewritten_when_it_doubled);
    tcase_add_test(tc, old_records_are_forgotten);
    tcase_add_test(tc, ten_thousand_pending_studies_fit_in_64_mb);
    suite_add_tcase(suite, tc);
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
