/* Unit tests of uid.c: the PS3.5 §9.1 rules, one edge at a time. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../src/uid.h"

static bool valid(const char *s)
{
    return df_uid_valid(s, strlen(s));
}

START_TEST(test_valid_uids)
{
    ck_assert(valid("1"));
    ck_assert(valid("0"));
    ck_assert(valid("1.2"));
    ck_assert(valid("1.0.2"));
    ck_assert(valid("0.0.0"));
    ck_assert(valid("1.2.840.10008.5.1.4.1.1.2"));
    ck_assert(valid("2.25.329800735698586629295641978511506172918"));
    ck_assert(valid("1.10.100"));
}
END_TEST

START_TEST(test_length)
{
    char s[66];
    /* 64 characters: "1." * 31 + "12" */
    memset(s, 0, sizeof s);
    for (int i = 0; i < 62; i += 2)
        memcpy(s + i, "1.", 2);
    memcpy(s + 62, "12", 2);
    ck_assert_uint_eq(strlen(s), 64);
    ck_assert(valid(s));
    s[64] = '3'; /* 65 */
    ck_assert(!valid(s));
    ck_assert(!df_uid_valid("", 0));
    ck_assert(!df_uid_valid(NULL, 0));
    /* len is what counts, not the NUL */
    ck_assert(df_uid_valid("1.2.3xyz", 5));
}
END_TEST

START_TEST(test_empty_components)
{
    ck_assert(!valid("1..2"));
    ck_assert(!valid(".1"));
    ck_assert(!valid("1."));
    ck_assert(!valid("."));
    ck_assert(!valid(".."));
}
END_TEST

START_TEST(test_leading_zero)
{
    ck_assert(!valid("1.02"));
    ck_assert(!valid("01.2"));
    ck_assert(!valid("1.2.00"));
    ck_assert(!valid("00"));
    ck_assert(valid("1.20"));
    ck_assert(valid("1.0"));
}
END_TEST

START_TEST(test_bad_characters)
{
    ck_assert(!valid("1.2.a"));
    ck_assert(!valid("1.2.3A"));
    ck_assert(!valid("1,2"));
    ck_assert(!valid("-1.2"));
    ck_assert(!valid("+1.2"));
    ck_assert(!valid(" 1.2"));
    ck_assert(!valid("1.2 "));            /* space padding is not stripped here */
    ck_assert(!df_uid_valid("1.2\0", 4)); /* NUL padding is the Part 10 reader's to strip */
    ck_assert(!df_uid_valid("1\0.2", 4));
    ck_assert(!valid("1.2\n"));
    ck_assert(!valid("1.\xc2\xb2"));
}
END_TEST

static Suite *uid_suite(void)
{
    Suite *s = suite_create("uid");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_valid_uids);
    tcase_add_test(tc, test_length);
    tcase_add_test(tc, test_empty_components);
    tcase_add_test(tc, test_leading_zero);
    tcase_add_test(tc, test_bad_characters);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(uid_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
