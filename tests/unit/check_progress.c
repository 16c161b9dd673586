/* Unit tests of progress.c: when the line is drawn (on a clock the tests
 * move), the rates and ETA it shows, and the bytes that draw and clear it
 * (into a memory stream). Whether a stream is a terminal is asked of a pipe
 * and of a pseudo-terminal. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/progress.h"

#define MS 1000000LL

static long long fake_ns;

static long long fake_clock(void)
{
    return fake_ns;
}

/* A progress line on the fake clock, started at 10 s, drawing on out. */
static df_progress started(FILE *out, bool on, bool at_once)
{
    df_progress p = {.clock = fake_clock};
    fake_ns = 10000 * MS;
    df_progress_start(&p, out, on, at_once);
    return p;
}

START_TEST(test_wanted_not_on_a_pipe)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    FILE *f = fdopen(fds[1], "w");
    ck_assert_ptr_nonnull(f);
    ck_assert(!df_progress_wanted(f, false));
    ck_assert(!df_progress_wanted(f, true));
    fclose(f);
    close(fds[0]);
}
END_TEST

START_TEST(test_wanted_on_a_terminal_unless_quiet)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0)
        return; /* no pseudo-terminals here: the pipe's case still runs */
    ck_assert_int_eq(grantpt(master), 0);
    ck_assert_int_eq(unlockpt(master), 0);
    const char *name = ptsname(master);
    ck_assert_ptr_nonnull(name);
    FILE *f = fopen(name, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert(df_progress_wanted(f, false));
    ck_assert(!df_progress_wanted(f, true));
    fclose(f);
    close(master);
}
END_TEST

/* add: nothing in the first interval, so a short call draws nothing. */
START_TEST(test_due_after_an_interval)
{
    df_progress p = started(stderr, true, false);
    ck_assert(!df_progress_due(&p));
    fake_ns += DF_PROGRESS_NS - 1;
    ck_assert(!df_progress_due(&p));
    fake_ns += 1;
    ck_assert(df_progress_due(&p));
    ck_assert(!df_progress_due(&p)); /* the interval counts from this line */
    fake_ns += DF_PROGRESS_NS - 1;
    ck_assert(!df_progress_due(&p));
    fake_ns += 1;
    ck_assert(df_progress_due(&p));
}
END_TEST

/* reconcile: the first study's line at once, the next after an interval. */
START_TEST(test_due_at_once)
{
    df_progress p = started(stderr, true, true);
    ck_assert(df_progress_due(&p));
    ck_assert(!df_progress_due(&p));
    fake_ns += DF_PROGRESS_NS;
    ck_assert(df_progress_due(&p));
}
END_TEST

START_TEST(test_never_due_when_off)
{
    df_progress p = started(stderr, false, true);
    ck_assert(!df_progress_due(&p));
    fake_ns += 100 * DF_PROGRESS_NS;
    ck_assert(!df_progress_due(&p));
}
END_TEST

START_TEST(test_rate_to_the_last_line)
{
    df_progress p = started(stderr, true, false);
    ck_assert(df_progress_rate(&p, 10) == 0); /* no time passed */
    fake_ns += 2000 * MS;
    ck_assert(df_progress_due(&p));
    fake_ns += 2000 * MS; /* after the line: not counted */
    ck_assert(df_progress_rate(&p, 10) == 5);
    ck_assert(df_progress_elapsed(&p) == 4);
}
END_TEST

START_TEST(test_per_second)
{
    ck_assert(df_progress_per_second(10, 4) == 2.5);
    ck_assert(df_progress_per_second(10, 0) == 0);
    ck_assert(df_progress_per_second(10, -1) == 0);
}
END_TEST

START_TEST(test_eta)
{
    long long left = -7;
    ck_assert(df_progress_eta(2, 4, 10, &left));
    ck_assert_int_eq(left, 3);
    ck_assert(df_progress_eta(2, 7, 10, &left)); /* 1.5 s rounds up */
    ck_assert_int_eq(left, 2);
    ck_assert(df_progress_eta(2, 10, 10, &left));
    ck_assert_int_eq(left, 0);
    ck_assert(df_progress_eta(1.0 / 60, 0, 90, &left)); /* 90 minutes */
    ck_assert_int_eq(left, 5400);
    left = -7;
    ck_assert(!df_progress_eta(0, 4, 10, &left));  /* no rate yet */
    ck_assert(!df_progress_eta(2, 11, 10, &left)); /* more files than counted */
    ck_assert(!df_progress_eta(2, 4, -1, &left));  /* total unknown (stdin) */
    ck_assert_int_eq(left, -7);
}
END_TEST

/* The bytes on the stream: a line replaces the one before, and is wiped
 * once before other output, never when none stands. */
START_TEST(test_draw_and_clear_bytes)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    df_progress p = started(f, true, false);
    df_progress_clear(&p);
    fflush(f);
    ck_assert_uint_eq(len, 0);
    df_progress_draw(&p, "%d files, %.0f files/s", 3, 1.5);
    ck_assert(p.drawn);
    ck_assert_str_eq(buf, "\r\033[K3 files, 2 files/s");
    df_progress_draw(&p, "%s", "4 files");
    df_progress_clear(&p);
    ck_assert(!p.drawn);
    df_progress_clear(&p);
    fputs("summary\n", f);
    fclose(f);
    ck_assert_str_eq(buf, "\r\033[K3 files, 2 files/s\r\033[K4 files\r\033[Ksummary\n");
    free(buf);
}
END_TEST

static Suite *progress_suite(void)
{
    Suite *s = suite_create("progress");
    TCase *tc = tcase_create("progress");
    tcase_add_test(tc, test_wanted_not_on_a_pipe);
    tcase_add_test(tc, test_wanted_on_a_terminal_unless_quiet);
    tcase_add_test(tc, test_due_after_an_interval);
    tcase_add_test(tc, test_due_at_once);
    tcase_add_test(tc, test_never_due_when_off);
    tcase_add_test(tc, test_rate_to_the_last_line);
    tcase_add_test(tc, test_per_second);
    tcase_add_test(tc, test_eta);
    tcase_add_test(tc, test_draw_and_clear_bytes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(progress_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
