/* Unit tests of the UID table (uid_table.h): numbers in the order keys came,
 * each key once, lookups after growth and after clear. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uid_table.h"

START_TEST(keys_are_numbered_once)
{
    df_uid_table t;
    df_uid_table_init(&t);
    size_t i = 99;
    ck_assert(!df_uid_table_find(&t, "1.2", &i));
    bool added = false;
    ck_assert(df_uid_table_add(&t, "1.2", &i, &added));
    ck_assert(added);
    ck_assert_uint_eq(i, 0);
    ck_assert(df_uid_table_add(&t, "1.2.3 1.2.3.4", &i, &added));
    ck_assert_uint_eq(i, 1);
    ck_assert(df_uid_table_add(&t, "1.2", &i, &added));
    ck_assert(!added);
    ck_assert_uint_eq(i, 0);
    ck_assert_uint_eq(t.count, 2);
    ck_assert_str_eq(df_uid_table_key(&t, 1), "1.2.3 1.2.3.4");
    df_uid_table_free(&t);
}
END_TEST

/* Enough keys to grow the slots and the arena many times (checked with
 * plain ifs: each of Check's assertions is a message to its parent). */
START_TEST(many_keys)
{
    df_uid_table t;
    df_uid_table_init(&t);
    char key[80];
    for (int round = 0; round < 2; round++) {
        for (size_t n = 0; n < 50000; n++) {
            snprintf(key, sizeof key, "1.2.826.0.1.3680043.10.543.%zu", n);
            size_t i;
            bool added;
            if (!df_uid_table_add(&t, key, &i, &added) || !added || i != n)
                ck_abort_msg("add %s: %zu", key, i);
        }
        for (size_t n = 0; n < 50000; n += 7) {
            snprintf(key, sizeof key, "1.2.826.0.1.3680043.10.543.%zu", n);
            size_t i = 0;
            if (!df_uid_table_find(&t, key, &i) || i != n ||
                strcmp(df_uid_table_key(&t, i), key) != 0)
                ck_abort_msg("find %s: %zu", key, i);
        }
        ck_assert(!df_uid_table_find(&t, "1.2.826.0.1.3680043.10.543.50000", &(size_t){0}));
        df_uid_table_clear(&t);
        ck_assert_uint_eq(t.count, 0);
        ck_assert(!df_uid_table_find(&t, "1.2.826.0.1.3680043.10.543.1", &(size_t){0}));
    }
    df_uid_table_free(&t);
}
END_TEST

static Suite *uid_table_suite(void)
{
    Suite *su = suite_create("uid_table");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, keys_are_numbered_once);
    tcase_add_test(tc, many_keys);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(uid_table_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
