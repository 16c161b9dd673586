/* Unit tests of reconcile's pure parts (reconcile.h): the dates of --since
 * and of the StudyDate ranges. The walk meets a real archive in
 * tests/cli/reconcile.sh and tests/cli/reconcile_dates.sh. */
#include <check.h>
#include <stdlib.h>

#include "reconcile.h"

START_TEST(dates_parse_and_format)
{
    int32_t d = 0;
    char text[9];
    ck_assert(df_reconcile_parse_date("1970-01-01", &d));
    ck_assert_int_eq(d, 0);
    ck_assert(df_reconcile_parse_date("19700102", &d));
    ck_assert_int_eq(d, 1);
    ck_assert(df_reconcile_parse_date("2024-02-29", &d));
    df_reconcile_format_date(d, text);
    ck_assert_str_eq(text, "20240229");
    df_reconcile_format_date(d + 1, text);
    ck_assert_str_eq(text, "20240301");
    ck_assert(df_reconcile_parse_date("1899-12-31", &d));
    df_reconcile_format_date(d + 1, text);
    ck_assert_str_eq(text, "19000101");
    ck_assert(df_reconcile_parse_date("0001-01-01", &d));
    df_reconcile_format_date(d, text);
    ck_assert_str_eq(text, "00010101");
    ck_assert(df_reconcile_parse_date("9999-12-31", &d));
    df_reconcile_format_date(d, text);
    ck_assert_str_eq(text, "99991231");
    /* Every day of four centuries goes there and back. */
    int32_t a = 0, b = 0;
    ck_assert(df_reconcile_parse_date("1800-01-01", &a));
    ck_assert(df_reconcile_parse_date("2200-01-01", &b));
    for (int32_t day = a; day < b; day++) {
        df_reconcile_format_date(day, text);
        int32_t back = 0;
        if (!df_reconcile_parse_date(text, &back) || back != day)
            ck_abort_msg("%s", text);
    }
}
END_TEST

START_TEST(dates_refused)
{
    const char *bad[] = {"",           "2024-02-30", "2023-02-29",       "1900-02-29",
                         "2024-13-01", "2024-00-10", "0000-01-01",       "2024-1-01",
                         "2024/01/01", "20240101 ",  "2024-01-01T00:00", "+2024-01-01",
                         "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t d = 42;
        ck_assert_msg(!df_reconcile_parse_date(bad[i], &d), "%s", bad[i]);
        ck_assert_int_eq(d, 42);
    }
    int32_t d;
    ck_assert(df_reconcile_parse_date("2000-02-29", &d));
}
END_TEST

static Suite *reconcile_suite(void)
{
    Suite *su = suite_create("reconcile");
    TCase *tc = tcase_create("dates");
    tcase_add_test(tc, dates_parse_and_format);
    tcase_add_test(tc, dates_refused);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(reconcile_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
