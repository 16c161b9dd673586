/* Unit tests of etag.c: If-None-Match against the responder's entity tags
 * (RFC 9110, 13.1.2), strong and weak, in lists, and what never matches. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "etag.h"

static const char tag[] = "\"0123456789abcdef-42-fedcba9876543210\"";

static bool matches(const char *header)
{
    return df_etag_matches(header, tag, strlen(tag));
}

START_TEST(the_tag_itself_matches)
{
    ck_assert(matches("\"0123456789abcdef-42-fedcba9876543210\""));
    ck_assert(matches("  \"0123456789abcdef-42-fedcba9876543210\"  "));
}
END_TEST

START_TEST(weak_comparison)
{
    /* If-None-Match compares weakly: W/"x" names the same as "x". */
    ck_assert(matches("W/\"0123456789abcdef-42-fedcba9876543210\""));
}
END_TEST

START_TEST(lists_and_star)
{
    ck_assert(matches("\"a\", \"b\",W/\"0123456789abcdef-42-fedcba9876543210\""));
    ck_assert(matches("\"a\",\t\"0123456789abcdef-42-fedcba9876543210\", \"c\""));
    ck_assert(matches("*"));
    ck_assert(matches(" , ,*"));
}
END_TEST

START_TEST(other_tags_do_not_match)
{
    ck_assert(!matches(""));
    ck_assert(!matches("\"0123456789abcdef-42-fedcba987654321\""));   /* one digit short */
    ck_assert(!matches("\"0123456789abcdef-43-fedcba9876543210\""));  /* another Sequence */
    ck_assert(!matches("\"0123456789abcdef-42-fedcba9876543210x\"")); /* longer */
    ck_assert(!matches("0123456789abcdef-42-fedcba9876543210"));      /* not quoted */
    ck_assert(!matches("\"a\", \"b\""));
}
END_TEST

/* From the first thing that is not an entity tag on, nothing matches, so a
 * malformed header never earns a 304. */
START_TEST(malformed_matches_nothing_after)
{
    ck_assert(!matches("\"unterminated"));
    ck_assert(!matches("junk, \"0123456789abcdef-42-fedcba9876543210\""));
    ck_assert(!matches("\"a\"junk\"0123456789abcdef-42-fedcba9876543210\""));
    ck_assert(!matches("W/"));
    ck_assert(!matches("w/\"0123456789abcdef-42-fedcba9876543210\"")); /* W is upper case */
    /* A tag before the junk still counts. */
    ck_assert(matches("\"0123456789abcdef-42-fedcba9876543210\", junk"));
}
END_TEST

static Suite *etag_suite(void)
{
    Suite *s = suite_create("etag");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, the_tag_itself_matches);
    tcase_add_test(tc, weak_comparison);
    tcase_add_test(tc, lists_and_star);
    tcase_add_test(tc, other_tags_do_not_match);
    tcase_add_test(tc, malformed_matches_nothing_after);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(etag_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
