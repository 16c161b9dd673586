/* Unit tests of the CloudEvents built from the feed's entries (spec §11): the
 * exact bytes of an entry's event and of a study's, the type of each Action,
 * the id with and without the feed's identity, the source and host taken
 * from the feed's URL (never its credentials or query), and entries that
 * cannot become an event. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cloudevents.h"

static df_buf out;
static df_ce_feed feed;

static void setup(void)
{
    df_buf_init(&out, 1 << 20);
    ck_assert_int_eq(df_ce_feed_init(&feed, "https://pacs.example:8443/dicom/v1/", NULL), 0);
}

static void teardown(void)
{
    df_buf_free(&out);
    df_ce_feed_free(&feed);
}

#define ENTRY_JSON                                                                                 \
    "{\"Sequence\":42,\"StudyInstanceUid\":\"1.2\",\"SeriesInstanceUid\":\"1.2.3\","               \
    "\"SopInstanceUid\":\"1.2.3.4\",\"Action\":\"create\",\"Timestamp\":"                          \
    "\"2026-11-28T01:03:08.483400Z\",\"State\":\"current\",\"Metadata\":{\"00280030\":"            \
    "{\"vr\":\"DS\",\"Value\":[0.703125,1e2]}}}"

static df_pull_entry entry(const char *json)
{
    df_pull_entry e = {0};
    e.sequence = 42;
    e.json = json;
    e.json_len = strlen(json);
    e.action = "create";
    e.state = "current";
    e.study_uid = "1.2";
    e.series_uid = "1.2.3";
    e.sop_uid = "1.2.3.4";
    e.timestamp = "2026-11-28T01:03:08.483400Z";
    e.feed_id = "0123456789abcdef";
    return e;
}

START_TEST(entry_event_exact)
{
    df_pull_entry e = entry(ENTRY_JSON);
    ck_assert_int_eq(df_ce_entry(&out, &feed, &e, true, NULL), 0);
    ck_assert_str_eq(
        out.data,
        "{\"specversion\":\"1.0\",\"type\":\"Microsoft.HealthcareApis.DicomImageCreated\","
        "\"source\":\"https://pacs.example:8443/dicom/v1\",\"id\":\"0123456789abcdef-42\","
        "\"time\":\"2026-11-28T01:03:08.483400Z\","
        "\"subject\":\"/studies/1.2/series/1.2.3/instances/1.2.3.4\","
        "\"datacontenttype\":\"application/json\",\"data\":{\"imageStudyInstanceUid\":\"1.2\","
        "\"imageSeriesInstanceUid\":\"1.2.3\",\"imageSopInstanceUid\":\"1.2.3.4\","
        "\"serviceHostName\":\"pacs.example\",\"sequenceNumber\":42,\"action\":\"create\","
        "\"state\":\"current\",\"metadata\":{\"00280030\":{\"vr\":\"DS\",\"Value\":[0.703125,1e2]}}"
        "}}");
}
END_TEST

START_TEST(entry_event_without_metadata_or_identity)
{
    df_pull_entry e = entry(ENTRY_JSON);
    e.feed_id = "";
    ck_assert_int_eq(df_ce_entry(&out, &feed, &e, false, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out.data, ",\"id\":\"42\","));
    ck_assert_ptr_null(strstr(out.data, "metadata"));
    ck_assert_ptr_nonnull(strstr(out.data, "\"state\":\"current\"}}"));
    /* An entry read without Metadata has none to carry either. */
    df_buf_reset(&out);
    const char *bare = "{\"Sequence\":42,\"Action\":\"create\"}";
    e = entry(bare);
    ck_assert_int_eq(df_ce_entry(&out, &feed, &e, true, NULL), 0);
    ck_assert_ptr_null(strstr(out.data, "metadata"));
}
END_TEST

START_TEST(deleted_instance_metadata_is_null)
{
    const char *json = "{\"Sequence\":42,\"Action\":\"delete\",\"State\":\"deleted\","
                       "\"Metadata\":null}";
    df_pull_entry e = entry(json);
    e.action = "delete";
    e.state = "deleted";
    ck_assert_int_eq(df_ce_entry(&out, &feed, &e, true, NULL), 0);
    ck_assert_ptr_nonnull(
        strstr(out.data, "\"type\":\"Microsoft.HealthcareApis.DicomImageDeleted\""));
    ck_assert_ptr_nonnull(
        strstr(out.data, "\"action\":\"delete\",\"state\":\"deleted\",\"metadata\":null}}"));
}
END_TEST

START_TEST(types_of_actions)
{
    ck_assert_str_eq(df_ce_type("create"), "Microsoft.HealthcareApis.DicomImageCreated");
    ck_assert_str_eq(df_ce_type("delete"), "Microsoft.HealthcareApis.DicomImageDeleted");
    ck_assert_str_eq(df_ce_type("update"), "Microsoft.HealthcareApis.DicomImageUpdated");
    ck_assert_ptr_null(df_ce_type("Create"));
    ck_assert_ptr_null(df_ce_type("move"));
    ck_assert_ptr_null(df_ce_type(NULL));
}
END_TEST

START_TEST(entries_that_cannot_be_events)
{
    df_pull_entry e = entry(ENTRY_JSON);
    df_error err = {0};
    e.action = "archive";
    ck_assert_int_eq(df_ce_entry(&out, &feed, &e, true, &err), DF_EINVAL);
    ck_assert_str_eq(err.message,
                     "the entry's Action 'archive' has no event type (create, delete or update)");
    ck_assert_uint_eq(out.len, 0);
    e = entry(ENTRY_JSON);
    e.sop_uid = NULL;
    df_error_clear(&err);
    ck_assert_int_eq(df_ce_entry(&out, &feed, &e, true, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "the entry has no SopInstanceUid: it cannot become an event");
    e = entry(ENTRY_JSON);
    e.timestamp = NULL;
    ck_assert_int_eq(df_ce_entry_data(&out, &feed, &e, true, NULL), DF_EINVAL);
}
END_TEST

START_TEST(strings_are_escaped)
{
    df_pull_entry e = entry(ENTRY_JSON);
    e.study_uid = "1.2\"x\\";
    ck_assert_int_eq(df_ce_entry(&out, &feed, &e, false, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out.data, "\"subject\":\"/studies/1.2\\\"x\\\\/series/"));
    ck_assert_ptr_nonnull(strstr(out.data, "\"imageStudyInstanceUid\":\"1.2\\\"x\\\\\""));
}
END_TEST

START_TEST(a_full_buffer_leaves_nothing_half_written)
{
    df_buf small;
    df_buf_init(&small, 64);
    df_buf_append_str(&small, "[");
    df_pull_entry e = entry(ENTRY_JSON);
    ck_assert_int_eq(df_ce_entry(&small, &feed, &e, true, NULL), DF_ENOMEM);
    ck_assert_uint_eq(small.len, 1);
    ck_assert(!df_buf_failed(&small));
    df_buf_free(&small);
}
END_TEST

START_TEST(study_event_exact)
{
    const char *entries = "[{\"sequenceNumber\":3},{\"sequenceNumber\":9}]";
    ck_assert_int_eq(df_ce_study(&out, &feed, "0123456789abcdef", "1.2", 2, 3, 9,
                                 "2026-11-28T01:03:08.483400Z", entries, strlen(entries), NULL),
                     0);
    ck_assert_str_eq(out.data,
                     "{\"specversion\":\"1.0\",\"type\":\"org.dcmfeed.StudyComplete\","
                     "\"source\":\"https://pacs.example:8443/dicom/v1\","
                     "\"id\":\"0123456789abcdef-study-9\",\"time\":\"2026-11-28T01:03:08.483400Z\","
                     "\"subject\":\"/studies/1.2\",\"datacontenttype\":\"application/json\","
                     "\"data\":{\"imageStudyInstanceUid\":\"1.2\",\"serviceHostName\":"
                     "\"pacs.example\",\"revision\":2,\"firstSequenceNumber\":3,"
                     "\"lastSequenceNumber\":9,\"entries\":[{\"sequenceNumber\":3},"
                     "{\"sequenceNumber\":9}]}}");
}
END_TEST

START_TEST(source_and_host_from_the_url)
{
    struct {
        const char *url, *source, *host;
    } cases[] = {
        {"http://h/v1", "http://h/v1", "h"},
        {"https://h:8443/dicom/v2//", "https://h:8443/dicom/v2", "h"},
        {"https://reader:secret@pacs.example/dicom/v1?code=KEY#x", "https://pacs.example/dicom/v1",
         "pacs.example"},
        {"http://[::1]:8080/v1", "http://[::1]:8080/v1", "[::1]"},
        {"http://127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_ce_feed f;
        ck_assert_int_eq(df_ce_feed_init(&f, cases[i].url, NULL), 0);
        ck_assert_str_eq(f.source, cases[i].source);
        ck_assert_str_eq(f.host, cases[i].host);
        df_ce_feed_free(&f);
    }
    df_ce_feed f;
    ck_assert_int_eq(df_ce_feed_init(&f, "ftp://h/v1", NULL), DF_EINVAL);
    ck_assert_int_eq(df_ce_feed_init(&f, "http://user@/v1", NULL), DF_EINVAL);
    ck_assert_int_eq(df_ce_feed_init(&f, "http:///v1", NULL), DF_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cloudevents");
    TCase *tc = tcase_create("events");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, entry_event_exact);
    tcase_add_test(tc, entry_event_without_metadata_or_identity);
    tcase_add_test(tc, deleted_instance_metadata_is_null);
    tcase_add_test(tc, types_of_actions);
    tcase_add_test(tc, entries_that_cannot_be_events);
    tcase_add_test(tc, strings_are_escaped);
    tcase_add_test(tc, a_full_buffer_leaves_nothing_half_written);
    tcase_add_test(tc, study_event_exact);
    tcase_add_test(tc, source_and_host_from_the_url);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
