/* Unit tests of the canonical form of metadata (metadata_canon.h): two
 * encodings of one dataset, as dcmfeed's Part 10 path and an archive's
 * WADO-RS answer write them, have one form; a changed value changes it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "metadata_canon.h"

static df_buf buf;

static void setup(void)
{
    df_buf_init(&buf, 1 << 20);
}

static void teardown(void)
{
    df_buf_free(&buf);
}

static uint64_t digest(const char *json)
{
    uint64_t d = 0;
    df_error err = {0};
    ck_assert_msg(df_metadata_digest(json, strlen(json), &buf, &d, &err) == 0, "%s: %s", json,
                  err.message);
    return d;
}

static const char *canon(const char *json)
{
    df_error err = {0};
    ck_assert_msg(df_metadata_canon(json, strlen(json), &buf, &err) == 0, "%s: %s", json,
                  err.message);
    return buf.data;
}

#define SAME(a, b)      ck_assert_msg(digest(a) == digest(b), "should be the same:\n  %s\n  %s", a, b)
#define DIFFERENT(a, b) ck_assert_msg(digest(a) != digest(b), "should differ:\n  %s\n  %s", a, b)

/* The form itself: tags in order, values only, numbers with 17 digits. */
START_TEST(the_form)
{
    ck_assert_str_eq(canon("{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^J\"}]},"
                           "\"00080008\":{\"vr\":\"CS\",\"Value\":[\"ORIGINAL \",\"PRIMARY\"]},"
                           "\"00280030\":{\"vr\":\"DS\",\"Value\":[0.5,\"1.25\"]},"
                           "\"00082112\":{\"vr\":\"SQ\",\"Value\":[{\"00081150\":{\"vr\":\"UI\","
                           "\"Value\":[\"1.2\"]}},{}]}}"),
                     "{\"00080008\":[\"ORIGINAL\",\"PRIMARY\"],"
                     "\"00082112\":[{\"00081150\":[\"1.2\"]},{}],"
                     "\"00100010\":[{\"Alphabetic\":\"Doe^J\"}],"
                     "\"00280030\":[0.5,1.25]}");
    ck_assert_str_eq(canon("{}"), "{}");
}
END_TEST

/* Order of attributes and members, whitespace, lower-case tags. */
START_TEST(order_and_layout_do_not_count)
{
    SAME("{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"P1\"]},\"00080060\":{\"vr\":\"CS\","
         "\"Value\":[\"CT\"]}}",
         "{ \"00080060\" : { \"Value\" : [ \"CT\" ], \"vr\" : \"CS\" },\n"
         "  \"00100020\" : { \"Value\" : [ \"P1\" ], \"vr\" : \"LO\" } }");
    SAME("{\"7fe00010\":{\"vr\":\"OW\"},\"0008103e\":{\"vr\":\"LO\",\"Value\":[\"x\"]}}",
         "{\"0008103E\":{\"vr\":\"LO\",\"Value\":[\"x\"]}}");
}
END_TEST

/* DICOM's padding: trailing spaces and NULs; leading spaces only where the
 * standard ignores them. */
START_TEST(padding_does_not_count)
{
    SAME("{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"DERIVED \",\"PRIMARY\"]}}",
         "{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"DERIVED\",\"PRIMARY\"]}}");
    SAME("{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\\u0000\"]}}",
         "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}}");
    SAME("{\"00080060\":{\"vr\":\"CS\",\"Value\":[\" CT\"]}}",
         "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]}}");
    DIFFERENT("{\"00204000\":{\"vr\":\"LT\",\"Value\":[\" note\"]}}",
              "{\"00204000\":{\"vr\":\"LT\",\"Value\":[\"note\"]}}");
    DIFFERENT("{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]}}",
              "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"MR\"]}}");
}
END_TEST

/* Numbers: the double they denote; FL at single precision; DS and IS as
 * text or as numbers; -0. */
START_TEST(numbers_by_value)
{
    SAME("{\"00109431\":{\"vr\":\"FL\",\"Value\":[-77.20406]}}",
         "{\"00109431\":{\"vr\":\"FL\",\"Value\":[-77.20406341552734]}}");
    SAME("{\"00280030\":{\"vr\":\"DS\",\"Value\":[\"0.4310 \",\"1e2\"]}}",
         "{\"00280030\":{\"vr\":\"DS\",\"Value\":[0.431,100]}}");
    SAME("{\"00200013\":{\"vr\":\"IS\",\"Value\":[\" 42\"]}}",
         "{\"00200013\":{\"vr\":\"IS\",\"Value\":[42]}}");
    SAME("{\"30060050\":{\"vr\":\"DS\",\"Value\":[-0,1.0]}}",
         "{\"30060050\":{\"vr\":\"DS\",\"Value\":[0,1]}}");
    /* An FD keeps its double precision. */
    DIFFERENT("{\"00189087\":{\"vr\":\"FD\",\"Value\":[-77.20406]}}",
              "{\"00189087\":{\"vr\":\"FD\",\"Value\":[-77.20406341552734]}}");
    DIFFERENT("{\"00280030\":{\"vr\":\"DS\",\"Value\":[0.431]}}",
              "{\"00280030\":{\"vr\":\"DS\",\"Value\":[0.432]}}");
    /* Text that is not a number stays text, even in a DS. */
    DIFFERENT("{\"00280030\":{\"vr\":\"DS\",\"Value\":[\"0x10\"]}}",
              "{\"00280030\":{\"vr\":\"DS\",\"Value\":[16]}}");
}
END_TEST

/* Binary values, bulk data and private attributes are left out, however
 * each writer wrote them; so are the group lengths, the character set and
 * where the archive serves the instance from. */
START_TEST(what_is_left_out)
{
    const char *ours = "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
                       "\"00431028\":{\"vr\":\"OB\",\"InlineBinary\":\"Q1QwMQ==\"},"
                       "\"00090010\":{\"vr\":\"UN\",\"InlineBinary\":\"SE1DIA==\"},"
                       "\"00280000\":{\"vr\":\"UL\",\"Value\":[12]},"
                       "\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 100\"]},"
                       "\"00189092\":{\"vr\":\"OW\",\"InlineBinary\":\"AAA=\"}}";
    const char *archive = "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
                          "\"00431028\":{\"vr\":\"OB\",\"BulkDataURI\":\"http://a/b\"},"
                          "\"00090010\":{\"vr\":\"LO\",\"Value\":[\"HMC \"]},"
                          "\"00091001\":{\"vr\":\"LO\",\"Value\":[\"private\"]},"
                          "\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},"
                          "\"00081190\":{\"vr\":\"UR\",\"Value\":[\"http://a/studies/1\"]},"
                          "\"00080056\":{\"vr\":\"CS\",\"Value\":[\"ONLINE\"]},"
                          "\"00080054\":{\"vr\":\"AE\",\"Value\":[\"PACS\"]},"
                          "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"http://a/c\"}}";
    SAME(ours, archive);
    ck_assert_str_eq(canon(archive), "{\"00080060\":[\"CT\"]}");
}
END_TEST

/* No value, an empty one, only empty values: one form, the attribute's
 * absence. Trailing empty values go; empty values between others stay. */
START_TEST(empty_values)
{
    const char *none = "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]}}";
    SAME(none, "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},\"00100010\":{\"vr\":\"PN\"}}");
    SAME(none, "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
               "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"^^^^\"}]}}");
    SAME(none, "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
               "\"00200032\":{\"vr\":\"DS\",\"Value\":[]}}");
    SAME(none, "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
               "\"00080050\":{\"vr\":\"SH\",\"Value\":[\"\",null,\" \"]}}");
    SAME("{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"A\",\"\",\"B\",null]}}",
         "{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"A\",null,\"B\"]}}");
    DIFFERENT("{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"A\",\"B\"]}}",
              "{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"A\",null,\"B\"]}}");
    /* A sequence of empty items is not empty: the number of items tells. */
    DIFFERENT(none, "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
                    "\"00082112\":{\"vr\":\"SQ\",\"Value\":[{}]}}");
}
END_TEST

/* Person names: trailing separators and spaces of each group, empty groups. */
START_TEST(person_names)
{
    SAME("{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^John^^^\"}]}}",
         "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^John \","
         "\"Ideographic\":\"\"}]}}");
    DIFFERENT("{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^John\"}]}}",
              "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]}}");
    DIFFERENT("{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Yamada^Tarou\"}]}}",
              "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Yamada^Tarou\","
              "\"Ideographic\":\"\\u5c71\\u7530^\\u592a\\u90ce\"}]}}");
}
END_TEST

/* Sequences: items in order, each in canonical form. */
START_TEST(sequences)
{
    const char *a = "{\"00081115\":{\"vr\":\"SQ\",\"Value\":[{\"0020000E\":{\"vr\":\"UI\","
                    "\"Value\":[\"1.1\"]},\"00081199\":{\"vr\":\"SQ\"}},"
                    "{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]}}";
    const char *b = "{\"00081115\":{\"Value\":[{\"00081199\":{\"vr\":\"SQ\",\"Value\":[]},"
                    "\"0020000E\":{\"Value\":[\"1.1\"],\"vr\":\"UI\"}},"
                    "{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}],\"vr\":\"SQ\"}}";
    const char *swapped = "{\"00081115\":{\"vr\":\"SQ\",\"Value\":["
                          "{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}},"
                          "{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.1\"]}}]}}";
    SAME(a, b);
    DIFFERENT(a, swapped);
}
END_TEST

START_TEST(bad_input_is_refused)
{
    df_error err = {0};
    const char *bad[] = {"",
                         "[",
                         "[]",
                         "\"x\"",
                         "{\"PatientName\":{\"vr\":\"PN\"}}",
                         "{\"00100010\":[]}",
                         "{\"00100010\":{\"vr\":\"LO\",\"Value\":[true]}}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_error_clear(&err);
        ck_assert_msg(df_metadata_canon(bad[i], strlen(bad[i]), &buf, &err) == DF_EINVAL, "%s",
                      bad[i]);
        ck_assert_str_ne(err.message, "");
    }
    /* Sequences nested past the bound. */
    df_buf deep;
    df_buf_init(&deep, 1 << 20);
    for (int i = 0; i < DF_CANON_MAX_DEPTH + 1; i++)
        df_buf_append_str(&deep, "{\"00081115\":{\"vr\":\"SQ\",\"Value\":[");
    df_buf_append_str(&deep, "{}");
    for (int i = 0; i < DF_CANON_MAX_DEPTH + 1; i++)
        df_buf_append_str(&deep, "]}}");
    df_error_clear(&err);
    ck_assert_int_eq(df_metadata_canon(deep.data, deep.len, &buf, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "deeper"));
    df_buf_free(&deep);
    /* The buffer's ceiling. */
    df_buf small;
    df_buf_init(&small, 8);
    const char *ok = "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]}}";
    df_error_clear(&err);
    ck_assert_int_eq(df_metadata_canon(ok, strlen(ok), &small, &err), DF_ENOMEM);
    df_buf_free(&small);
}
END_TEST

static Suite *canon_suite(void)
{
    Suite *su = suite_create("metadata_canon");
    TCase *tc = tcase_create("canon");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, the_form);
    tcase_add_test(tc, order_and_layout_do_not_count);
    tcase_add_test(tc, padding_does_not_count);
    tcase_add_test(tc, numbers_by_value);
    tcase_add_test(tc, what_is_left_out);
    tcase_add_test(tc, empty_values);
    tcase_add_test(tc, person_names);
    tcase_add_test(tc, sequences);
    tcase_add_test(tc, bad_input_is_refused);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(canon_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
