/* Unit tests of json_scan.c: where values begin and end, what is refused and
 * where, the iterator, compacting in place, and decoding a string's content. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../src/json_scan.h"

/* Scans s whole: 0 and the end index, or DF_EINVAL. */
static int scan(const char *s, size_t *end)
{
    df_error err = {0};
    *end = 12345;
    int rc = df_json_value_end(s, strlen(s), 0, end, &err);
    if (rc != 0)
        ck_assert_msg(strncmp(err.message, "byte ", 5) == 0, "%s", err.message);
    return rc;
}

static void accepts(const char *s, size_t want_end)
{
    size_t end;
    ck_assert_msg(scan(s, &end) == 0, "refused: %s", s);
    ck_assert_msg(end == want_end, "%s: end %zu, not %zu", s, end, want_end);
}

static void refuses(const char *s)
{
    size_t end;
    ck_assert_msg(scan(s, &end) == DF_EINVAL, "accepted: %s", s);
    ck_assert_uint_eq(end, 12345);
}

START_TEST(test_values)
{
    accepts("0", 1);
    accepts("-0", 2);
    accepts("-12.50e+3", 9);
    accepts("1E-2", 4);
    accepts("123456789012345678901234567890", 30);
    accepts("\"\"", 2);
    accepts("\"a\\\"b\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"", 26);
    accepts("\"\xc3\xa9\"", 4);
    accepts("true", 4);
    accepts("false", 5);
    accepts("null", 4);
    accepts("{}", 2);
    accepts("[]", 2);
    accepts("{ \"a\" : [ 1 , {\"b\":null} ] , \"c\":\"}\" }", 38);
    /* The end is that of the first value: what follows is the caller's. */
    accepts("1 2", 1);
    accepts("[1]]", 3);
    accepts("{\"a\":1} x", 7);
    accepts("true,", 4);
}
END_TEST

START_TEST(test_refused)
{
    static const char *const bad[] = {
        "",
        " 1",
        "+1",
        "01",
        "-",
        "-a",
        "1.",
        ".5",
        "1.e3",
        "1e",
        "1e+",
        "0x10",
        "1x",
        "Infinity",
        "NaN",
        "tru",
        "nul",
        "True",
        "\"",
        "\"abc",
        "\"a\\\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12G4\"",
        "\"a\tb\"",
        "\"a\nb\"",
        "{",
        "[",
        "[1",
        "[1,",
        "[1,]",
        "[,]",
        "[,1]",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{a:1}",
        "{'a':1}",
        "{1:2}",
        "[1 2]",
        "{\"a\":1 \"b\":2}",
        "[}",
        "{]",
        "]",
        "}",
        ",",
        ":",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refuses(bad[i]);
}
END_TEST

START_TEST(test_nul_and_length)
{
    size_t end;
    df_error err = {0};
    /* A NUL is a byte like any other: never a value, never a string's end. */
    ck_assert_int_eq(df_json_value_end("[1\0]", 4, 0, &end, &err), DF_EINVAL);
    ck_assert_int_eq(df_json_value_end("\"a\0\"", 4, 0, &end, NULL), DF_EINVAL);
    ck_assert_int_eq(df_json_value_end("1\0", 2, 0, &end, NULL), DF_EINVAL);
    /* Only n bytes are read. */
    ck_assert_int_eq(df_json_value_end("[1]", 2, 0, &end, NULL), DF_EINVAL);
    ck_assert_int_eq(df_json_value_end("\"ab\"", 3, 0, &end, NULL), DF_EINVAL);
    ck_assert_int_eq(df_json_value_end("true", 3, 0, &end, NULL), DF_EINVAL);
    ck_assert_int_eq(df_json_value_end("12", 1, 0, &end, NULL), 0);
    ck_assert_uint_eq(end, 1);
    /* A value in the middle of a text. */
    ck_assert_int_eq(df_json_value_end("x [2] y", 7, 2, &end, NULL), 0);
    ck_assert_uint_eq(end, 5);
    ck_assert_int_eq(df_json_value_end("12", 2, 2, &end, NULL), DF_EINVAL);
}
END_TEST

START_TEST(test_where_the_error_is)
{
    size_t end;
    df_error err = {0};
    ck_assert_int_eq(df_json_value_end("[1, 2 x]", 8, 0, &end, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "byte 6: ',' or ']' expected");
    df_error_clear(&err);
    ck_assert_int_eq(df_json_value_end("{\"a\" 1}", 7, 0, &end, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "byte 5: ':' expected after a member name");
    df_error_clear(&err);
    ck_assert_int_eq(df_json_value_end("[\"abc", 5, 0, &end, &err), DF_EINVAL);
    ck_assert_str_eq(err.message, "byte 1: a string is not closed");
}
END_TEST

/* depth levels, objects and arrays alternating ({"":[{"":[ ... 0 ... ]}]}),
 * so that the scanner must remember every level's kind. Caller frees. */
static char *deep(size_t depth, size_t *len)
{
    char *t = malloc(depth * 5 + 2);
    ck_assert_ptr_nonnull(t);
    size_t o = 0;
    for (size_t i = 0; i < depth; i++) {
        if (i % 2 == 0) {
            memcpy(t + o, "{\"\":", 4);
            o += 4;
        } else {
            t[o++] = '[';
        }
    }
    t[o++] = '0';
    for (size_t i = depth; i-- > 0;)
        t[o++] = i % 2 == 0 ? '}' : ']';
    t[o] = '\0';
    *len = o;
    return t;
}

START_TEST(test_depth)
{
    size_t len, end;
    df_error err = {0};
    char *t = deep(DF_JSON_SCAN_MAX_DEPTH, &len);
    ck_assert_int_eq(df_json_value_end(t, len, 0, &end, &err), 0);
    ck_assert_uint_eq(end, len);
    free(t);

    t = deep(DF_JSON_SCAN_MAX_DEPTH + 1, &len);
    ck_assert_int_eq(df_json_value_end(t, len, 0, &end, &err), DF_EINVAL);
    ck_assert_msg(strstr(err.message, "nested deeper than 2048") != NULL, "%s", err.message);
    free(t);

    /* One closing bracket of the wrong kind, far down. */
    t = deep(300, &len);
    size_t at = len - 1 - 150; /* closes level 150, an object */
    ck_assert_int_eq(t[at], '}');
    t[at] = ']';
    ck_assert_int_eq(df_json_value_end(t, len, 0, &end, NULL), DF_EINVAL);
    t[at] = '}';
    ck_assert_int_eq(df_json_value_end(t, len, 0, &end, NULL), 0);
    free(t);
}
END_TEST

START_TEST(test_iterate_object)
{
    const char *t = " { \"a\" : 1 , \"b\\\"c\":[2, 3],\"\":{} } tail";
    df_json_iter it;
    df_json_span key, value;
    ck_assert_int_eq(df_json_iter_begin(&it, t, strlen(t), 1, NULL), 0);
    ck_assert_int_eq(df_json_iter_next(&it, &key, &value, NULL), 1);
    ck_assert_uint_eq(key.len, 1);
    ck_assert_int_eq(t[key.start], 'a');
    ck_assert_uint_eq(value.len, 1);
    ck_assert_int_eq(t[value.start], '1');
    ck_assert_int_eq(df_json_iter_next(&it, &key, &value, NULL), 1);
    ck_assert_uint_eq(key.len, 4); /* b\"c, escapes kept */
    ck_assert_int_eq(memcmp(t + value.start, "[2, 3]", 6), 0);
    ck_assert_uint_eq(value.len, 6);
    ck_assert_int_eq(df_json_iter_next(&it, &key, &value, NULL), 1);
    ck_assert_uint_eq(key.len, 0);
    ck_assert_uint_eq(value.len, 2);
    ck_assert_int_eq(df_json_iter_next(&it, &key, &value, NULL), 0);
    ck_assert_str_eq(t + it.i, " tail");
}
END_TEST

START_TEST(test_iterate_array)
{
    const char *t = "[ ]";
    df_json_iter it;
    df_json_span key = {9, 9}, value;
    ck_assert_int_eq(df_json_iter_begin(&it, t, strlen(t), 0, NULL), 0);
    ck_assert_int_eq(df_json_iter_next(&it, &key, &value, NULL), 0);
    ck_assert_uint_eq(it.i, 3);

    t = "[\"x\",[1,{}],null]";
    ck_assert_int_eq(df_json_iter_begin(&it, t, strlen(t), 0, NULL), 0);
    size_t n = 0;
    int rc;
    while ((rc = df_json_iter_next(&it, &key, &value, NULL)) == 1) {
        ck_assert_uint_eq(key.len, 0);
        n++;
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(n, 3);

    static const char *const bad[] = {"[1,]",       "[,1]",    "[1 2]", "[1", "[1,",
                                      "{\"a\":1,}", "{\"a\"}", "{1:1}", "[}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_error err = {0};
        ck_assert_int_eq(df_json_iter_begin(&it, bad[i], strlen(bad[i]), 0, NULL), 0);
        while ((rc = df_json_iter_next(&it, &key, &value, &err)) == 1)
            ;
        ck_assert_msg(rc == DF_EINVAL, "%s", bad[i]);
        ck_assert(err.message[0] != '\0');
    }
    ck_assert_int_eq(df_json_iter_begin(&it, "1", 1, 0, NULL), DF_EINVAL);
    ck_assert_int_eq(df_json_iter_begin(&it, "[]", 2, 2, NULL), DF_EINVAL);
}
END_TEST

START_TEST(test_member)
{
    df_json_span v;
    const char *t = "{\"Metadata\":{\"Sequence\":1},\"x\":\"Sequence\",\"Sequence\" : 9 }";
    ck_assert_int_eq(df_json_member(t, strlen(t), "Sequence", &v, NULL), 0);
    ck_assert_uint_eq(v.len, 1);
    ck_assert_int_eq(t[v.start], '9');
    ck_assert_int_eq(df_json_member(t, strlen(t), "sequence", &v, NULL), DF_ENOTFOUND);
    /* A name written with escapes is not found (the callers' names are plain). */
    t = "{\"\\u0053equence\":1}";
    ck_assert_int_eq(df_json_member(t, strlen(t), "Sequence", &v, NULL), DF_ENOTFOUND);
    ck_assert_int_eq(df_json_member("[1]", 3, "a", &v, NULL), DF_EINVAL);
    ck_assert_int_eq(df_json_member("{\"b\":1,", 7, "a", &v, NULL), DF_EINVAL);
    ck_assert_int_eq(df_json_member("", 0, "a", &v, NULL), DF_EINVAL);
}
END_TEST

START_TEST(test_compact)
{
    char t[] = "{ \"Sequence\" : 1,\n  \"Metadata\": { \"a b\": [ 0.1 , \" x \\\" y \" ] } }";
    size_t n = df_json_compact(t, strlen(t), t);
    t[n] = '\0';
    ck_assert_str_eq(t, "{\"Sequence\":1,\"Metadata\":{\"a b\":[0.1,\" x \\\" y \"]}}");
    char same[] = "{\"a\":\"\\u00e9\\\\\",\"n\":1.50}";
    ck_assert_uint_eq(df_json_compact(same, strlen(same), same), strlen(same));
    ck_assert_str_eq(same, "{\"a\":\"\\u00e9\\\\\",\"n\":1.50}");
    char out[16];
    ck_assert_uint_eq(df_json_compact("\t[ 1 ,\r2 ]\n", 11, out), 5);
    ck_assert_int_eq(memcmp(out, "[1,2]", 5), 0);
    /* An unclosed string is copied to the end, never past it. */
    ck_assert_uint_eq(df_json_compact("[\"a \\", 5, out), 5);
}
END_TEST

/* Decodes raw string content whole into cps; returns the count or -1. */
static int decode(const char *s, uint32_t *cps, int max)
{
    size_t i = 0, len = strlen(s);
    int n = 0, rc;
    uint32_t cp;
    while ((rc = df_json_string_next(s, len, &i, &cp)) == 1 && n < max)
        cps[n++] = cp;
    return rc == 0 ? n : -1;
}

START_TEST(test_string_next)
{
    uint32_t c[8];
    ck_assert_int_eq(decode("", c, 8), 0);
    ck_assert_int_eq(decode("a\\n\\u0030\\/", c, 8), 4);
    ck_assert_uint_eq(c[0], 'a');
    ck_assert_uint_eq(c[1], '\n');
    ck_assert_uint_eq(c[2], '0');
    ck_assert_uint_eq(c[3], '/');
    ck_assert_int_eq(decode("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", c, 8), 3);
    ck_assert_uint_eq(c[0], 0xE9);
    ck_assert_uint_eq(c[1], 0x20AC);
    ck_assert_uint_eq(c[2], 0x1F600);
    ck_assert_int_eq(decode("\\ud83d\\ude00\\u00E9", c, 8), 2);
    ck_assert_uint_eq(c[0], 0x1F600);
    ck_assert_uint_eq(c[1], 0xE9);
    static const char *const bad[] = {
        "\\",
        "\\x",
        "\\u12",
        "\\u12g4",
        "\\ud83d",
        "\\ud83dx",
        "\\ude00",
        "\\ud83d\\u0041",
        "\xc3",
        "\xc3\x28",
        "\xc0\xaf" /* overlong */,
        "\xed\xa0\x80" /* surrogate */,
        "\xf4\x90\x80\x80" /* past U+10FFFF */,
        "\xff",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(decode(bad[i], c, 8) == -1, "accepted #%zu", i);
}
END_TEST

static Suite *json_scan_suite(void)
{
    Suite *s = suite_create("json_scan");
    TCase *tc = tcase_create("scan");
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_refused);
    tcase_add_test(tc, test_nul_and_length);
    tcase_add_test(tc, test_where_the_error_is);
    tcase_add_test(tc, test_depth);
    tcase_add_test(tc, test_iterate_object);
    tcase_add_test(tc, test_iterate_array);
    tcase_add_test(tc, test_member);
    tcase_add_test(tc, test_compact);
    tcase_add_test(tc, test_string_next);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(json_scan_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
