/* Unit tests of the output buffer and JSON writing: escaping per RFC 8259,
 * invalid UTF-8, numbers at their limits, timestamps, and the ceiling. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json.h"

static df_buf b;

static void setup(void)
{
    df_buf_init(&b, 1024);
}

static void teardown(void)
{
    df_buf_free(&b);
}

static const char *escaped(const char *s, size_t n)
{
    df_buf_reset(&b);
    df_json_append_string(&b, s, n);
    ck_assert(!df_buf_failed(&b));
    return b.data;
}

START_TEST(plain_strings_are_quoted)
{
    ck_assert_str_eq(escaped("1.2.840.10008", 13), "\"1.2.840.10008\"");
    ck_assert_str_eq(escaped("", 0), "\"\"");
}
END_TEST

/* The plain fast path reads 8 bytes a step: a byte that needs escaping is
 * found at every position of a word and of the tail, whatever the length. */
START_TEST(escapes_are_found_at_every_position)
{
    static const struct {
        char c;
        const char *as;
    } bad[] = {{'"', "\\\""},     {'\\', "\\\\"}, {'\n', "\\n"},
               {0x1f, "\\u001f"}, {0x7f, NULL},   {(char)0xff, "\\ufffd"}};
    char s[40], want[80];
    for (size_t n = 1; n <= 33; n++) {
        for (size_t at = 0; at < n; at++) {
            for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
                memset(s, '7', n);
                s[at] = bad[k].c;
                /* DEL (0x7f) is printable for JSON: kept as it is. */
                const char *as = bad[k].as != NULL ? bad[k].as : "\x7f";
                snprintf(want, sizeof want, "\"%.*s%s%.*s\"", (int)at, s, as, (int)(n - at - 1),
                         s + at + 1);
                ck_assert_msg(strcmp(escaped(s, n), want) == 0, "n %zu, at %zu, byte %02x: %s", n,
                              at, (unsigned char)bad[k].c, b.data);
            }
        }
    }
}
END_TEST

START_TEST(quotes_backslashes_and_controls_are_escaped)
{
    ck_assert_str_eq(escaped("a\"b\\c", 5), "\"a\\\"b\\\\c\"");
    ck_assert_str_eq(escaped("\b\f\n\r\t", 5), "\"\\b\\f\\n\\r\\t\"");
    ck_assert_str_eq(escaped("\x01\x1f", 2), "\"\\u0001\\u001f\"");
    ck_assert_str_eq(escaped("a\0b", 3), "\"a\\u0000b\"");
    /* '/' and DEL need no escape in RFC 8259. */
    ck_assert_str_eq(escaped("/\x7f", 2), "\"/\x7f\"");
}
END_TEST

START_TEST(valid_utf8_is_kept)
{
    ck_assert_str_eq(escaped("M\xc3\xbcller", 7), "\"M\xc3\xbcller\"");
    ck_assert_str_eq(escaped("\xe5\xb1\xb1\xe7\x94\xb0", 6), "\"\xe5\xb1\xb1\xe7\x94\xb0\"");
    ck_assert_str_eq(escaped("\xf0\x9f\x98\x80", 4), "\"\xf0\x9f\x98\x80\"");
}
END_TEST

START_TEST(invalid_utf8_becomes_replacement)
{
    ck_assert_str_eq(escaped("M\xfcller", 6), "\"M\\ufffdller\"");             /* Latin-1 byte */
    ck_assert_str_eq(escaped("\xc0\xaf", 2), "\"\\ufffd\\ufffd\"");            /* overlong '/' */
    ck_assert_str_eq(escaped("\xed\xa0\x80", 3), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
    ck_assert_str_eq(escaped("\xf4\x90\x80\x80", 4),
                     "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");             /* past U+10FFFF */
    ck_assert_str_eq(escaped("a\xe5\xb1", 3), "\"a\\ufffd\\ufffd\""); /* truncated */
}
END_TEST

START_TEST(integers_at_their_limits)
{
    df_buf_append_i64(&b, 0);
    df_buf_append_char(&b, ' ');
    df_buf_append_i64(&b, INT64_MAX);
    df_buf_append_char(&b, ' ');
    df_buf_append_i64(&b, INT64_MIN);
    df_buf_append_char(&b, ' ');
    df_buf_append_u64(&b, UINT64_MAX);
    ck_assert_str_eq(b.data, "0 9223372036854775807 -9223372036854775808 18446744073709551615");
}
END_TEST

START_TEST(timestamps_have_microseconds_and_z)
{
    df_json_append_timestamp(&b, 1583283788483400);
    ck_assert_str_eq(b.data, "2020-03-04T01:03:08.483400Z");
    df_buf_reset(&b);
    df_json_append_timestamp(&b, 0);
    ck_assert_str_eq(b.data, "1970-01-01T00:00:00.000000Z");
    df_buf_reset(&b);
    df_json_append_timestamp(&b, 951782400000001);
    ck_assert_str_eq(b.data, "2000-02-29T00:00:00.000001Z");
    df_buf_reset(&b);
    df_json_append_timestamp(&b, -1);
    ck_assert_str_eq(b.data, "1969-12-31T23:59:59.999999Z");
    df_buf_reset(&b);
    df_json_append_timestamp(&b, 253402300799999999); /* the last microsecond of 9999 */
    ck_assert_str_eq(b.data, "9999-12-31T23:59:59.999999Z");
    df_buf_reset(&b);
    df_json_append_timestamp(&b, -62167219200000000); /* the first of year 0 */
    ck_assert_str_eq(b.data, "0000-01-01T00:00:00.000000Z");
}
END_TEST

/* The last second formatted is kept: the same second again, another, and
 * back, each written whole and right. */
START_TEST(timestamps_of_one_second_and_the_next)
{
    static const struct {
        int64_t us;
        const char *text;
    } t[] = {{1583283788483400, "2020-03-04T01:03:08.483400Z"},
             {1583283788000001, "2020-03-04T01:03:08.000001Z"},
             {1583283789999999, "2020-03-04T01:03:09.999999Z"},
             {1583283788483400, "2020-03-04T01:03:08.483400Z"},
             {1583283788483400 + 86400000000, "2020-03-05T01:03:08.483400Z"},
             {-1, "1969-12-31T23:59:59.999999Z"},
             {-999999, "1969-12-31T23:59:59.000001Z"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        df_buf_reset(&b);
        df_json_append_timestamp(&b, t[i].us);
        ck_assert_str_eq(b.data, t[i].text);
    }
}
END_TEST

/* Years outside 0000-9999 cannot be written in the format: the buffer fails. */
START_TEST(timestamps_outside_four_digit_years_fail)
{
    static const int64_t outside[] = {253402300800000000, -62167219200000001, INT64_MIN, INT64_MAX};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        df_buf one;
        df_buf_init(&one, 64);
        df_json_append_timestamp(&one, outside[i]);
        ck_assert(df_buf_failed(&one));
        df_buf_free(&one);
    }
}
END_TEST

/* The date arithmetic agrees with the C library's gmtime_r around every
 * seventh midnight from 1600 to 2500 (a stride that visits every weekday,
 * month end and leap day in turn) and at random instants of years 0-9999.
 * Kept small enough for a sanitizer build within Check's time limit. */
START_TEST(timestamps_agree_with_gmtime)
{
    char want[128];
    for (int64_t secs = -11676096000; secs < 16725225600; secs += 7 * 86400 - 1) {
        for (int k = 0; k < 2; k++) {
            int64_t t = secs + k;
            time_t tt = (time_t)t;
            struct tm tm;
            ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
            snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.000007Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
            df_buf_reset(&b);
            df_json_append_timestamp(&b, t * 1000000 + 7);
            ck_assert_str_eq(b.data, want);
        }
    }
    srand(7);
    for (int i = 0; i < 20000; i++) {
        const uint64_t span = UINT64_C(253402300800) + UINT64_C(62167219200);
        uint64_t r = (uint64_t)rand() << 31 ^ (uint64_t)rand();
        int64_t t = -62167219200 + (int64_t)(r % span);
        time_t tt = (time_t)t;
        struct tm tm;
        ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.000000Z", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        df_buf_reset(&b);
        df_json_append_timestamp(&b, t * 1000000);
        ck_assert_str_eq(b.data, want);
    }
}
END_TEST

START_TEST(ceiling_is_sticky)
{
    df_buf small;
    df_buf_init(&small, 8);
    df_buf_append_str(&small, "12345");
    ck_assert(!df_buf_failed(&small));
    df_buf_append_str(&small, "6789");
    ck_assert(df_buf_failed(&small));
    ck_assert_uint_eq(small.len, 5); /* the failed append left the content as it was */
    df_buf_append_str(&small, "x");  /* later appends do nothing */
    ck_assert_uint_eq(small.len, 5);
    df_buf_reset(&small);
    ck_assert(!df_buf_failed(&small));
    df_buf_append_str(&small, "12345678");
    ck_assert(!df_buf_failed(&small));
    ck_assert_str_eq(small.data, "12345678");
    df_buf_free(&small);
}
END_TEST

START_TEST(buffer_grows_and_keeps_content)
{
    df_buf big;
    df_buf_init(&big, 1 << 20);
    for (int i = 0; i < 10000; i++)
        df_buf_append_str(&big, "0123456789");
    ck_assert(!df_buf_failed(&big));
    ck_assert_uint_eq(big.len, 100000);
    ck_assert_int_eq(memcmp(big.data + 99990, "0123456789", 10), 0);
    df_buf_free(&big);
}
END_TEST

/* A buffer above the bound gives its memory back; one within keeps it. */
START_TEST(trim_gives_back_large_buffers)
{
    df_buf t;
    df_buf_init(&t, 1u << 20);
    df_buf_append_str(&t, "small");
    char *kept = t.data;
    df_buf_trim(&t, 4096);
    ck_assert_ptr_eq(t.data, kept);
    ck_assert_uint_eq(t.len, 0);
    ck_assert_str_eq(t.data, "");
    for (int i = 0; i < 1000; i++)
        df_buf_append_str(&t, "0123456789");
    ck_assert_uint_gt(t.cap, 4096);
    df_buf_trim(&t, 4096);
    ck_assert_ptr_null(t.data);
    ck_assert_uint_eq(t.cap, 0);
    ck_assert_uint_eq(t.max, 1u << 20); /* the ceiling stays */
    df_buf_append_str(&t, "again");
    ck_assert_str_eq(t.data, "again");
    df_buf_free(&t);
}
END_TEST

/* Truncating undoes the appends after a point, failed ones included. */
START_TEST(truncate_undoes_appends)
{
    df_buf t;
    df_buf_init(&t, 16);
    df_buf_append_str(&t, "[1,2");
    size_t mark = t.len;
    df_buf_append_str(&t, ",3456789012345678");
    ck_assert(df_buf_failed(&t));
    df_buf_truncate(&t, mark);
    ck_assert(!df_buf_failed(&t));
    df_buf_append_char(&t, ']');
    ck_assert_str_eq(t.data, "[1,2]");
    df_buf_truncate(&t, 99); /* past the end: nothing */
    ck_assert_str_eq(t.data, "[1,2]");
    df_buf_free(&t);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, plain_strings_are_quoted);
    tcase_add_test(tc, escapes_are_found_at_every_position);
    tcase_add_test(tc, timestamps_of_one_second_and_the_next);
    tcase_add_test(tc, quotes_backslashes_and_controls_are_escaped);
    tcase_add_test(tc, valid_utf8_is_kept);
    tcase_add_test(tc, invalid_utf8_becomes_replacement);
    tcase_add_test(tc, integers_at_their_limits);
    tcase_add_test(tc, timestamps_have_microseconds_and_z);
    tcase_add_test(tc, timestamps_outside_four_digit_years_fail);
    tcase_add_test(tc, timestamps_agree_with_gmtime);
    tcase_add_test(tc, ceiling_is_sticky);
    tcase_add_test(tc, buffer_grows_and_keeps_content);
    tcase_add_test(tc, trim_gives_back_large_buffers);
    tcase_add_test(tc, truncate_undoes_appends);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(json_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
