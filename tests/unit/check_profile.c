/* Tests of the metadata profiles (profile.h): the settings, an allow-list's
 * file (keywords, the three ways to write a tag, comments, mistakes named
 * with their line), the keyword dictionary it reads, the digests ETags take,
 * and the filter an allow-list applies to an entry's metadata. */
#include "profile.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dicom_dict.h"

static char dir[256];
static char file[300];

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_profile.XXXXXX", tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/allow", dir);
}

static void teardown(void)
{
    unlink(file);
    rmdir(dir);
}

static void write_file(const char *text)
{
    FILE *f = fopen(file, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Parses "allow:FILE" for the file written with text. */
static int parse_allow(const char *text, df_profile *p, df_error *err)
{
    write_file(text);
    char setting[400];
    snprintf(setting, sizeof setting, "allow:%s", file);
    return df_profile_parse(setting, p, err);
}

START_TEST(keywords_are_sorted_and_found)
{
    ck_assert_uint_gt(df_dicom_keyword_count, 4500);
    for (size_t i = 1; i < df_dicom_keyword_count; i++)
        ck_assert_msg(strcmp(df_dicom_keywords[i - 1].keyword, df_dicom_keywords[i].keyword) < 0,
                      "%s before %s", df_dicom_keywords[i - 1].keyword,
                      df_dicom_keywords[i].keyword);
    static const struct {
        const char *keyword;
        uint32_t tag;
    } known[] = {
        {"PatientName", 0x00100010},     {"Modality", 0x00080060},      {"SOPClassUID", 0x00080016},
        {"PixelSpacing", 0x00280030},    {"AITDeviceType", 0x40101070}, /* the first */
        {"RecognitionCode", 0x00080010}, /* retired: DCMTK's RETIRED_ dropped */
        {"OverlayData", 0x60003000},     /* a repeating group: its first */
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        uint32_t tag = 0;
        ck_assert_msg(df_profile_keyword_tag(known[i].keyword, strlen(known[i].keyword), &tag),
                      "%s", known[i].keyword);
        ck_assert_uint_eq(tag, known[i].tag);
    }
    static const char *const unknown[] = {
        "Patient", "PatientNameX", "patientname", "", "RETIRED_RecognitionCode", "Zzz"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        uint32_t tag;
        ck_assert_msg(!df_profile_keyword_tag(unknown[i], strlen(unknown[i]), &tag), "%s",
                      unknown[i]);
    }
    /* A keyword given with a length stops there. */
    uint32_t tag = 0;
    ck_assert(df_profile_keyword_tag("ModalityXYZ", 8, &tag));
    ck_assert_uint_eq(tag, 0x00080060);
}
END_TEST

START_TEST(settings)
{
    static const struct {
        const char *setting;
        df_profile_kind kind;
    } good[] = {{NULL, DF_PROFILE_FULL},
                {"", DF_PROFILE_FULL},
                {"full", DF_PROFILE_FULL},
                {"none", DF_PROFILE_NONE},
                {"deid", DF_PROFILE_DEID}};
    uint64_t digests[5];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        df_profile p;
        df_error err = {0};
        ck_assert_int_eq(df_profile_parse(good[i].setting, &p, &err), 0);
        ck_assert_int_eq(p.kind, good[i].kind);
        digests[i] = p.digest;
        df_profile_free(&p);
    }
    ck_assert(digests[0] == digests[2]);
    ck_assert(digests[2] != digests[3] && digests[3] != digests[4] && digests[2] != digests[4]);
    /* Anything else is refused, and leaves a profile that shows nothing. */
    static const char *const bad[] = {"Full", "deid ", "DEID", "allow", "allow:", "yes", "0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_profile p;
        df_error err = {0};
        ck_assert_msg(df_profile_parse(bad[i], &p, &err) == DF_EINVAL, "%s", bad[i]);
        ck_assert_str_eq(err.message, "DCMFEED_METADATA must be full, none, deid or allow:FILE");
        ck_assert_int_eq(p.kind, DF_PROFILE_NONE);
        df_profile_free(&p);
    }
}
END_TEST

START_TEST(allow_lists)
{
    df_profile p;
    df_error err = {0};
    ck_assert_int_eq(parse_allow("# what the AI vendor needs\n"
                                 "Modality\n"
                                 "  (0010,1010)  \r\n"
                                 "\n"
                                 "0028,0030\n"
                                 "\t00080016\n"
                                 "Modality\n"
                                 "0020000d\n",
                                 &p, &err),
                     0);
    ck_assert_int_eq(p.kind, DF_PROFILE_ALLOW);
    uint32_t want[] = {0x00080016, 0x00080060, 0x00101010, 0x0020000D, 0x00280030};
    ck_assert_uint_eq(p.tag_count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < p.tag_count; i++)
        ck_assert_uint_eq(p.tags[i], want[i]);
    uint64_t digest = p.digest;
    df_profile_free(&p);
    /* The same attributes written otherwise: the same digest; others: not. */
    ck_assert_int_eq(parse_allow("00280030\n00101010\n0020000D\nSOPClassUID\n00080060\n", &p, &err),
                     0);
    ck_assert(p.digest == digest);
    df_profile_free(&p);
    ck_assert_int_eq(parse_allow("Modality\n", &p, &err), 0);
    ck_assert(p.digest != digest);
    df_profile_free(&p);
    /* An empty list allows nothing, which is a list too. */
    ck_assert_int_eq(parse_allow("# nothing\n", &p, &err), 0);
    ck_assert_uint_eq(p.tag_count, 0);
    df_profile_free(&p);
}
END_TEST

START_TEST(allow_list_mistakes_are_named)
{
    df_profile p;
    df_error err = {0};
    ck_assert_int_eq(parse_allow("Modality\n\nPatientsName\n", &p, &err), DF_EINVAL);
    char want[600];
    snprintf(want, sizeof want,
             "DCMFEED_METADATA: %s, line 3: \"PatientsName\" is neither a keyword of the data "
             "dictionary nor a tag such as (0010,1010)",
             file);
    ck_assert_str_eq(err.message, want);
    ck_assert_int_eq(p.kind, DF_PROFILE_NONE);
    df_profile_free(&p);
    static const char *const bad[] = {"(0010,101)\n", "0010,10100\n",           "(0010;1010)\n",
                                      "0010101G\n",   "Modality # a comment\n", "(00101010)\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_error_clear(&err);
        ck_assert_msg(parse_allow(bad[i], &p, &err) == DF_EINVAL, "%s", bad[i]);
        ck_assert_ptr_nonnull(strstr(err.message, "line 1"));
        df_profile_free(&p);
    }
    df_error_clear(&err);
    unlink(file);
    char setting[400];
    snprintf(setting, sizeof setting, "allow:%s", file);
    ck_assert_int_eq(df_profile_parse(setting, &p, &err), DF_EINVAL);
    snprintf(want, sizeof want, "DCMFEED_METADATA: cannot read %s: No such file or directory",
             file);
    ck_assert_str_eq(err.message, want);
    df_profile_free(&p);
}
END_TEST

START_TEST(allow_filter)
{
    df_profile p;
    df_error err = {0};
    ck_assert_int_eq(parse_allow("Modality\nRequestAttributesSequence\nRows\n", &p, &err), 0);
    df_buf b;
    df_buf_init(&b, 1 << 20);
    const char *meta = "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"MR\"]},"
                       "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Smith\"}]},"
                       "\"00280010\":{\"vr\":\"US\",\"Value\":[512]},"
                       "\"00400275\":{\"vr\":\"SQ\",\"Value\":[{\"00401001\":{\"vr\":\"SH\","
                       "\"Value\":[\"RP1\"]},\"00100010\":{\"vr\":\"PN\"}}]}}";
    ck_assert_int_eq(df_profile_allow(&p, meta, strlen(meta), &b, &err), 0);
    /* Those named, in their order, byte for byte; a sequence whole. */
    ck_assert_str_eq(b.data, "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"MR\"]},"
                             "\"00280010\":{\"vr\":\"US\",\"Value\":[512]},"
                             "\"00400275\":{\"vr\":\"SQ\",\"Value\":[{\"00401001\":{\"vr\":\"SH\","
                             "\"Value\":[\"RP1\"]},\"00100010\":{\"vr\":\"PN\"}}]}}");
    df_buf_reset(&b);
    ck_assert_int_eq(df_profile_allow(&p, "{}", 2, &b, &err), 0);
    ck_assert_str_eq(b.data, "{}");
    static const char *const broken[] = {"", "[]", "{\"x\":1}", "{\"00080060\":", "nope"};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        df_buf_reset(&b);
        df_error_clear(&err);
        ck_assert_msg(df_profile_allow(&p, broken[i], strlen(broken[i]), &b, &err) == DF_EINVAL,
                      "%s", broken[i]);
    }
    df_buf_free(&b);
    df_profile_free(&p);
}
END_TEST

static Suite *profile_suite(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, keywords_are_sorted_and_found);
    tcase_add_test(tc, settings);
    tcase_add_test(tc, allow_lists);
    tcase_add_test(tc, allow_list_mistakes_are_named);
    tcase_add_test(tc, allow_filter);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(profile_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
