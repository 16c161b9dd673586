/* Unit tests of encoding.c: which Accept-Encoding headers let an answer be
 * gzip (RFC 9110, 12.5.3), and the gzip itself, checked against zlib's
 * inflate (another implementation than the one that wrote it). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "encoding.h"

START_TEST(gzip_when_the_client_takes_it)
{
    static const char *const yes[] = {
        "gzip",
        "GZIP",
        "x-gzip",
        "deflate, gzip",
        "gzip, deflate, br, zstd", /* curl's --compressed */
        "gzip;q=0.001",
        "gzip ; q=1.000",
        "gzip;Q=0.5",
        "br;q=1.0, gzip;q=0.8, *;q=0.1", /* a browser's */
        "*",
        "*;q=0.3",
        "identity;q=0.5, gzip",
        "identity, gzip", /* equal: the smaller answer */
        ",, gzip ,",
        "gzip;level=9",       /* a parameter that is not q is skipped */
        "compress;q=x, gzip", /* a broken element does not spoil the next */
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        ck_assert_msg(df_accepts_gzip(yes[i]), "Accept-Encoding: %s", yes[i]);
}
END_TEST

START_TEST(identity_otherwise)
{
    static const char *const no[] = {
        "",
        "identity",
        "deflate",
        "br, zstd",
        "gzip;q=0",
        "gzip;q=0.000",
        "gzip; q=0.0",
        "gzip;q=0, *", /* named: the star is for the others */
        "*;q=0",
        "gzip;q=0.5, identity;q=0.9", /* identity preferred */
        "gzip, gzip;q=0",             /* the client's strictest word */
        "gzip;q=1.5",                 /* no qvalue: the element counts for nothing */
        "gzip;q=2",
        "gzip;q=0.0001",
        "gzip;q=",
        "gzip;q",
        "gzip;=1",
        "gzip junk",
        "gzipx",
        "\"gzip\"",
        "gz",
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_msg(!df_accepts_gzip(no[i]), "Accept-Encoding: %s", no[i]);
    ck_assert(!df_accepts_gzip(NULL));
}
END_TEST

/* Inflates a gzip member with zlib; returns its length, or -1. */
static long gunzip(const char *in, size_t n, char *out, size_t cap)
{
    z_stream zs = {0};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return -1;
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)cap;
    int rc = inflate(&zs, Z_FINISH);
    long len = rc == Z_STREAM_END && zs.avail_in == 0 ? (long)zs.total_out : -1;
    inflateEnd(&zs);
    return len;
}

START_TEST(gzip_round_trip)
{
    df_gzip *z = df_gzip_new();
    ck_assert_ptr_nonnull(z);
    size_t n = 300000;
    char *text = malloc(n), *back = malloc(n + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(back);
    /* JSON-like text with some entropy, so the deflate blocks vary. */
    unsigned seed = 7;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        text[i] =
            (seed >> 16) % 7 == 0 ? (char)('0' + (seed >> 20) % 10) : "{\"vr\":\"UI\"}"[i % 11];
    }
    df_buf out;
    df_buf_init(&out, 1u << 24);
    df_buf_append_str(&out, "head:"); /* appended after what the buffer holds */
    df_error err = {0};
    for (int round = 0; round < 2; round++) { /* a compressor serves many answers */
        size_t before = out.len;
        ck_assert_int_eq(df_gzip_append(z, text, n, &out, &err), 0);
        ck_assert(out.len - before < n / 2);
        ck_assert_int_eq(gunzip(out.data + before, out.len - before, back, n + 1), (long)n);
        ck_assert(memcmp(back, text, n) == 0);
    }
    ck_assert(memcmp(out.data, "head:", 5) == 0);
    /* An empty body is a gzip member too. */
    df_buf_reset(&out);
    ck_assert_int_eq(df_gzip_append(z, "", 0, &out, &err), 0);
    ck_assert_int_eq(gunzip(out.data, out.len, back, 1), 0);
    df_buf_free(&out);
    free(text);
    free(back);
    df_gzip_free(z);
}
END_TEST

START_TEST(a_full_buffer_is_enomem_and_keeps_its_content)
{
    df_gzip *z = df_gzip_new();
    df_buf out;
    df_buf_init(&out, 64);
    df_buf_append_str(&out, "kept");
    char text[4096];
    memset(text, 'a', sizeof text);
    df_error err = {0};
    /* The room asked for is the bound of the worst case, not the result. */
    ck_assert_int_eq(df_gzip_append(z, text, sizeof text, &out, &err), DF_ENOMEM);
    ck_assert(df_buf_failed(&out));
    ck_assert_uint_eq(out.len, 4);
    ck_assert(memcmp(out.data, "kept", 4) == 0);
    ck_assert_ptr_nonnull(strstr(err.message, "4096"));
    df_buf_free(&out);
    df_gzip_free(z);
    df_gzip_free(NULL);
}
END_TEST

static Suite *encoding_suite(void)
{
    Suite *s = suite_create("encoding");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, gzip_when_the_client_takes_it);
    tcase_add_test(tc, identity_otherwise);
    tcase_add_test(tc, gzip_round_trip);
    tcase_add_test(tc, a_full_buffer_is_enomem_and_keeps_its_content);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(encoding_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
