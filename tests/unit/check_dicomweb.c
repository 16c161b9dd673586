/* Unit tests of the DICOMweb client's pure parts (dicomweb.h): the URL of
 * each search reconcile makes, and the UIDs taken out of a search's answer,
 * including answers that are not DICOM JSON. The requests themselves meet a
 * real archive in tests/cli/reconcile.sh. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dicomweb.h"

static const char *url_of(df_qido q)
{
    static df_buf b;
    df_buf_free(&b);
    df_buf_init(&b, 4096);
    df_dicomweb_search_url("http://pacs/dicom-web", &q, &b);
    ck_assert(!df_buf_failed(&b));
    return b.data;
}

START_TEST(search_urls)
{
    ck_assert_str_eq(url_of((df_qido){.level = DF_QIDO_STUDIES, .limit = 100}),
                     "http://pacs/dicom-web/studies?limit=100&offset=0");
    ck_assert_str_eq(
        url_of((df_qido){
            .level = DF_QIDO_STUDIES, .study_date = "20240101-20240131", .limit = 5, .offset = 10}),
        "http://pacs/dicom-web/studies?StudyDate=20240101-20240131&limit=5&offset=10");
    ck_assert_str_eq(url_of((df_qido){.level = DF_QIDO_STUDIES, .study_uid = "1.2", .limit = 1}),
                     "http://pacs/dicom-web/studies?StudyInstanceUID=1.2&limit=1&offset=0");
    /* Under a study, under a series; or matches at the top level. */
    ck_assert_str_eq(
        url_of((df_qido){.level = DF_QIDO_SERIES, .scoped = true, .study_uid = "1.2", .limit = 9}),
        "http://pacs/dicom-web/studies/1.2/series?limit=9&offset=0");
    ck_assert_str_eq(url_of((df_qido){.level = DF_QIDO_INSTANCES,
                                      .scoped = true,
                                      .study_uid = "1.2",
                                      .series_uid = "1.2.3",
                                      .limit = 9}),
                     "http://pacs/dicom-web/studies/1.2/series/1.2.3/instances?limit=9&offset=0");
    ck_assert_str_eq(
        url_of((df_qido){
            .level = DF_QIDO_SERIES, .study_uid = "1.2", .series_uid = "1.2.3", .limit = 1}),
        "http://pacs/dicom-web/series?StudyInstanceUID=1.2&SeriesInstanceUID=1.2.3"
        "&limit=1&offset=0");
    ck_assert_str_eq(url_of((df_qido){.level = DF_QIDO_INSTANCES,
                                      .study_uid = "1.2",
                                      .series_uid = "1.2.3",
                                      .sop_uid = "1.2.3.4",
                                      .limit = 1}),
                     "http://pacs/dicom-web/instances?StudyInstanceUID=1.2&SeriesInstanceUID=1.2.3"
                     "&SOPInstanceUID=1.2.3.4&limit=1&offset=0");
}
END_TEST

typedef struct got {
    int n;
    char uid[8][65];
    int stop_at; /* return 7 at this call (from 1), 0: never */
} got;

static int take(void *ctx, const char *uid)
{
    got *g = ctx;
    ck_assert_int_lt(g->n, 8);
    strcpy(g->uid[g->n++], uid);
    return g->n == g->stop_at ? 7 : 0;
}

static int parse(const char *text, const char *tag, got *g, int *count, int *invalid, df_error *err)
{
    memset(g->uid, 0, sizeof g->uid);
    g->n = 0;
    return df_dicomweb_parse_uids(text, strlen(text), tag, take, g, count, invalid, err);
}

START_TEST(uids_of_an_answer)
{
    got g = {0};
    int count = -1, invalid = -1;
    df_error err = {0};
    const char *answer = "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
                         "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe\"}]}},\n"
                         " {\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.4\"]}},"
                         " {\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}}]";
    ck_assert_int_eq(parse(answer, "0020000D", &g, &count, &invalid, &err), 0);
    ck_assert_int_eq(count, 3);
    ck_assert_int_eq(invalid, 0);
    ck_assert_int_eq(g.n, 3); /* a UID listed twice comes twice */
    ck_assert_str_eq(g.uid[0], "1.2.3");
    ck_assert_str_eq(g.uid[1], "1.2.4");
    /* Empty answers. */
    ck_assert_int_eq(parse("", "0020000D", &g, &count, &invalid, &err), 0);
    ck_assert_int_eq(count, 0);
    ck_assert_int_eq(parse(" \r\n", "0020000D", &g, &count, &invalid, &err), 0);
    ck_assert_int_eq(parse("[]", "0020000D", &g, &count, &invalid, &err), 0);
    ck_assert_int_eq(count, 0);
    /* The callback stops the read. */
    g.stop_at = 2;
    ck_assert_int_eq(parse(answer, "0020000D", &g, &count, &invalid, &err), 7);
    ck_assert_int_eq(g.n, 2);
}
END_TEST

/* Datasets without a valid UID are counted, not handed out: a missing
 * attribute, no value, two values, a number, a UID that is not one, a NUL
 * inside. */
START_TEST(datasets_without_a_valid_uid)
{
    got g = {0};
    int count = 0, invalid = 0;
    df_error err = {0};
    const char *answer = "[{},{\"00080018\":{\"vr\":\"UI\"}},"
                         "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2\",\"1.3\"]}},"
                         "{\"00080018\":{\"vr\":\"UI\",\"Value\":[12]}},"
                         "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.02\"]}},"
                         "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2\\u00003\"]}},"
                         "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.9\"]}}]";
    ck_assert_int_eq(parse(answer, "00080018", &g, &count, &invalid, &err), 0);
    ck_assert_int_eq(count, 7);
    ck_assert_int_eq(invalid, 6);
    ck_assert_int_eq(g.n, 1);
    ck_assert_str_eq(g.uid[0], "1.2.9");
}
END_TEST

/* Anything but a JSON array of objects is refused, and the message never
 * quotes the answer (it may hold a patient's name). */
START_TEST(answers_that_are_not_dicom_json)
{
    const char *bad[] = {"<html>Doe^John</html>", "{\"0020000D\":{}}",
                         "[\"Doe^John\"]",        "[{}",
                         "[{\"a\":1,\"a\":2}]",   "[{}] x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        got g = {0};
        int count = 0;
        df_error err = {0};
        ck_assert_msg(parse(bad[i], "0020000D", &g, &count, NULL, &err) == DF_EDICOMWEB_INVALID,
                      "%s", bad[i]);
        ck_assert_ptr_null(strstr(err.message, "Doe"));
        ck_assert_str_ne(err.message, "");
    }
}
END_TEST

START_TEST(urls_refused_at_open)
{
    df_dicomweb *w = NULL;
    df_error err = {0};
    const char *bad[] = {"ftp://pacs/dicom-web", "pacs/dicom-web", "http://pacs/dicom-web?x=1",
                         "http://pacs/dicom web"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_error_clear(&err);
        ck_assert_int_eq(df_dicomweb_open(bad[i], NULL, &w, &err), DF_EINVAL);
        ck_assert_ptr_null(w);
    }
    ck_assert_int_eq(df_dicomweb_open("https://pacs/dicom-web//", NULL, &w, &err), 0);
    ck_assert_int_eq(df_dicomweb_searches(w), 0);
    df_dicomweb_close(w);
}
END_TEST

static Suite *dicomweb_suite(void)
{
    Suite *su = suite_create("dicomweb");
    TCase *tc = tcase_create("pure");
    tcase_add_test(tc, search_urls);
    tcase_add_test(tc, uids_of_an_answer);
    tcase_add_test(tc, datasets_without_a_valid_uid);
    tcase_add_test(tc, answers_that_are_not_dicom_json);
    tcase_add_test(tc, urls_refused_at_open);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(dicomweb_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
