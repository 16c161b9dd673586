/* Unit tests of num.c: the strict integer parser every caller shares, one
 * edge at a time. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "../src/num.h"

/* Parses the NUL-terminated s with the full 64-bit range. */
static df_num_status any(const char *s, int64_t *v)
{
    return df_parse_i64(s, strlen(s), INT64_MIN, INT64_MAX, v);
}

static df_num_status natural(const char *s, int64_t *v)
{
    return df_parse_i64(s, strlen(s), 0, INT64_MAX, v);
}

START_TEST(test_plain_numbers)
{
    int64_t v = -7;
    ck_assert_int_eq(any("0", &v), DF_NUM_OK);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(any("42", &v), DF_NUM_OK);
    ck_assert_int_eq(v, 42);
    ck_assert_int_eq(any("-42", &v), DF_NUM_OK);
    ck_assert_int_eq(v, -42);
    ck_assert_int_eq(any("-0", &v), DF_NUM_OK);
    ck_assert_int_eq(v, 0);
}
END_TEST

START_TEST(test_64_bit_edges)
{
    int64_t v = 0;
    ck_assert_int_eq(any("9223372036854775807", &v), DF_NUM_OK);
    ck_assert(v == INT64_MAX);
    ck_assert_int_eq(any("-9223372036854775808", &v), DF_NUM_OK);
    ck_assert(v == INT64_MIN);
    v = 5;
    ck_assert_int_eq(any("9223372036854775808", &v), DF_NUM_RANGE);
    ck_assert_int_eq(any("-9223372036854775809", &v), DF_NUM_RANGE);
    ck_assert_int_eq(any("18446744073709551616", &v), DF_NUM_RANGE); /* 2^64: wraps to 0 */
    ck_assert_int_eq(any("99999999999999999999999999999", &v), DF_NUM_RANGE);
    ck_assert_int_eq(v, 5); /* left alone on failure */
    /* Leading zeros do not count towards the size. */
    ck_assert_int_eq(natural("00000000000000000000009223372036854775807", &v), DF_NUM_OK);
    ck_assert(v == INT64_MAX);
}
END_TEST

START_TEST(test_range)
{
    int64_t v = 0;
    ck_assert_int_eq(df_parse_i64("1", 1, 1, 100, &v), DF_NUM_OK);
    ck_assert_int_eq(df_parse_i64("100", 3, 1, 100, &v), DF_NUM_OK);
    ck_assert_int_eq(v, 100);
    ck_assert_int_eq(df_parse_i64("0", 1, 1, 100, &v), DF_NUM_RANGE);
    ck_assert_int_eq(df_parse_i64("101", 3, 1, 100, &v), DF_NUM_RANGE);
    ck_assert_int_eq(df_parse_i64("-1", 2, -1, 5, &v), DF_NUM_OK);
    ck_assert_int_eq(v, -1);
    ck_assert_int_eq(df_parse_i64("-2", 2, -1, 5, &v), DF_NUM_RANGE);
    /* The magnitude past 64 bits is a range error even where the range is small. */
    ck_assert_int_eq(df_parse_i64("-99999999999999999999", 21, -1, 5, &v), DF_NUM_RANGE);
}
END_TEST

START_TEST(test_signs)
{
    int64_t v = 0;
    /* A '-' is a syntax error where no negative is allowed: "-0" is not a
     * count, and "-1" should say "not an integer of this kind", not "too small". */
    ck_assert_int_eq(natural("-1", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(natural("-0", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("+1", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("-", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("+", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("--1", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("-+1", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("1-", &v), DF_NUM_SYNTAX);
}
END_TEST

START_TEST(test_not_numbers)
{
    int64_t v = 3;
    ck_assert_int_eq(any("", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(df_parse_i64(NULL, 0, 0, 10, &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any(" 1", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("1 ", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("\t1", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("\n1", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("1\n", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("- 1", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("1e3", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("1.0", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("0x10", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("x", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("1_000", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(any("\xd9\xa1", &v), DF_NUM_SYNTAX); /* ARABIC-INDIC DIGIT ONE */
    /* Junk after a number too large for 64 bits is still junk. */
    ck_assert_int_eq(any("99999999999999999999x", &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(v, 3);
}
END_TEST

START_TEST(test_length_not_nul)
{
    int64_t v = 0;
    /* An embedded NUL inside len is refused, not an end of string. */
    ck_assert_int_eq(df_parse_i64("1\0002", 3, 0, 1000, &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(df_parse_i64("12\0", 3, 0, 1000, &v), DF_NUM_SYNTAX);
    /* Only len bytes are read: what follows does not matter. */
    ck_assert_int_eq(df_parse_i64("12x", 2, 0, 1000, &v), DF_NUM_OK);
    ck_assert_int_eq(v, 12);
    ck_assert_int_eq(df_parse_i64("-5", 1, -10, 10, &v), DF_NUM_SYNTAX); /* "-" alone */
}
END_TEST

START_TEST(test_leading_zeros)
{
    int64_t v = 0;
    ck_assert_int_eq(natural("01", &v), DF_NUM_OK);
    ck_assert_int_eq(v, 1);
    ck_assert_int_eq(natural("010", &v), DF_NUM_OK);
    ck_assert_int_eq(v, 10); /* decimal, never octal */
    ck_assert_int_eq(natural("000", &v), DF_NUM_OK);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(any("-007", &v), DF_NUM_OK);
    ck_assert_int_eq(v, -7);
}
END_TEST

START_TEST(test_seconds)
{
    double v = -1;
    ck_assert_int_eq(df_parse_seconds("5", 60, &v), DF_NUM_OK);
    ck_assert_double_eq_tol(v, 5, 1e-12);
    ck_assert_int_eq(df_parse_seconds("0.25", 60, &v), DF_NUM_OK);
    ck_assert_double_eq_tol(v, 0.25, 1e-12);
    ck_assert_int_eq(df_parse_seconds("0", 60, &v), DF_NUM_OK);
    ck_assert_int_eq(df_parse_seconds("60", 60, &v), DF_NUM_OK);
    ck_assert_int_eq(df_parse_seconds("7.", 60, &v), DF_NUM_OK);
    ck_assert_double_eq_tol(v, 7, 1e-12);
    v = -1;
    ck_assert_int_eq(df_parse_seconds("60.5", 60, &v), DF_NUM_RANGE);
    const char *bad[] = {"",    " 5",   "5 ",  "+5",  "-5", ".5",
                         "1e3", "0x10", "inf", "nan", "5s", "1.2.3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(df_parse_seconds(bad[i], 60, &v), DF_NUM_SYNTAX);
    ck_assert_int_eq(df_parse_seconds(NULL, 60, &v), DF_NUM_SYNTAX);
    ck_assert_double_eq_tol(v, -1, 1e-12);
}
END_TEST

static Suite *num_suite(void)
{
    Suite *s = suite_create("num");
    TCase *tc = tcase_create("parse_i64");
    tcase_add_test(tc, test_plain_numbers);
    tcase_add_test(tc, test_64_bit_edges);
    tcase_add_test(tc, test_range);
    tcase_add_test(tc, test_signs);
    tcase_add_test(tc, test_not_numbers);
    tcase_add_test(tc, test_length_not_nul);
    tcase_add_test(tc, test_leading_zeros);
    tcase_add_test(tc, test_seconds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(num_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
