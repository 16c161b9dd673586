/* Tests of the character set decoder (charset.h): every defined term, alone and
 * designated by its ISO 2022 escape sequence, the examples of PS3.5 Annexes H,
 * I and K, what each status means, and the values of Specific Character Set. */
#include "charset.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static df_charset_decoder *dec;
static df_buf out;
static const char *text;
static size_t text_len;
static char decoded[1024];

static void setup(void)
{
    dec = df_charset_decoder_new();
    ck_assert_ptr_nonnull(dec);
    df_buf_init(&out, 4096);
}

static void teardown(void)
{
    df_charset_decoder_free(dec);
    df_buf_free(&out);
}

static df_charset charset(const char *value)
{
    df_charset cs;
    char shown[DF_CHARSET_SHOWN_MAX];
    ck_assert_msg(df_charset_from_value(value, strlen(value), &cs, shown), "%s: unknown %s", value,
                  shown);
    return cs;
}

/* Decodes s (n bytes) in the character set named by value; the UTF-8 text is
 * left in decoded, NUL-terminated. */
static df_charset_status decode_n(const char *value, const char *s, size_t n)
{
    df_charset_status st =
        df_charset_decode(dec, charset(value), (const unsigned char *)s, n, &out, &text, &text_len);
    ck_assert_uint_lt(text_len, sizeof decoded);
    memcpy(decoded, text, text_len);
    decoded[text_len] = '\0';
    return st;
}

static df_charset_status decode(const char *value, const char *s)
{
    return decode_n(value, s, strlen(s));
}

#define ck_decodes(value, in, want)                                                                \
    do {                                                                                           \
        ck_assert_int_eq(decode(value, in), DF_CHARSET_OK);                                        \
        ck_assert_str_eq(decoded, want);                                                           \
    } while (0)

/* One character of each single-byte defined term, read alone and as the G1 set
 * an ISO 2022 escape sequence designates: both go through one table row. */
static const struct {
    const char *term, *term2022, *esc, *in, *want;
    const char *encoding; /* iconv's, "" when decoded here */
} single_byte[] = {
    {"ISO_IR 100", "ISO 2022 IR 100", "\x1b-A", "\xFC", "ü", ""},
    {"ISO_IR 101", "ISO 2022 IR 101", "\x1b-B", "\xF8", "ř", "ISO-8859-2"},
    {"ISO_IR 109", "ISO 2022 IR 109", "\x1b-C", "\xA1", "Ħ", "ISO-8859-3"},
    {"ISO_IR 110", "ISO 2022 IR 110", "\x1b-D", "\xA1", "Ą", "ISO-8859-4"},
    {"ISO_IR 144", "ISO 2022 IR 144", "\x1b-L", "\xD0", "а", "ISO-8859-5"},
    {"ISO_IR 127", "ISO 2022 IR 127", "\x1b-G", "\xC7", "ا", "ISO-8859-6"},
    {"ISO_IR 126", "ISO 2022 IR 126", "\x1b-F", "\xE1", "α", "ISO-8859-7"},
    {"ISO_IR 138", "ISO 2022 IR 138", "\x1b-H", "\xE0", "א", "ISO-8859-8"},
    {"ISO_IR 148", "ISO 2022 IR 148", "\x1b-M", "\xFD", "ı", "ISO-8859-9"},
    {"ISO_IR 203", "ISO 2022 IR 203", "\x1b-b", "\xA4", "€", "ISO-8859-15"},
    {"ISO_IR 166", "ISO 2022 IR 166", "\x1b-T", "\xA1", "ก", "TIS-620"},
    {"ISO_IR 13", "ISO 2022 IR 13", "\x1b)I", "\xB1", "ｱ", ""},
};

START_TEST(single_byte_terms_alone_and_by_escape)
{
    for (size_t i = 0; i < sizeof single_byte / sizeof single_byte[0]; i++) {
        char in[32], value[64], want[32];
        ck_decodes(single_byte[i].term, single_byte[i].in, single_byte[i].want);
        /* Value 1 designates G1 from the start... */
        snprintf(value, sizeof value, "%s\\ISO 2022 IR 87", single_byte[i].term2022);
        snprintf(want, sizeof want, "a%s", single_byte[i].want);
        snprintf(in, sizeof in, "a%s", single_byte[i].in);
        ck_decodes(value, in, want);
        /* ... and an escape sequence does the same later on. */
        snprintf(value, sizeof value, "ISO 2022 IR 6\\%s", single_byte[i].term2022);
        snprintf(in, sizeof in, "a%s%s", single_byte[i].esc, single_byte[i].in);
        ck_decodes(value, in, want);
        ck_assert_str_eq(df_charset_encoding(charset(single_byte[i].term)),
                         single_byte[i].encoding);
    }
    ck_assert_str_eq(df_charset_encoding(charset("GB18030")), "GB18030");
    ck_assert_str_eq(df_charset_encoding(charset("ISO_IR 192")), "");
}
END_TEST

START_TEST(multi_byte_terms_alone)
{
    ck_decodes("ISO_IR 192", "Größe — 変化", "Größe — 変化");
    ck_decodes("GB18030", "Wang^XiaoDong=\xCD\xF5^\xD0\xA1\xB6\xAB=", "Wang^XiaoDong=王^小东=");
    ck_decodes("GBK", "\xCD\xF5", "王");
    /* A GBK trail byte 0x5C is part of the character, not a delimiter. */
    ck_decodes("GB18030", "\x81\x5C", "乗");
}
END_TEST

/* PS3.5 Annex H (Japanese), I (Korean) and K (Chinese). */
START_TEST(iso2022_examples_of_the_standard)
{
    ck_decodes("\\ISO 2022 IR 87",
               "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^"
               "\x1b$B$?$m$&\x1b(B",
               "Yamada^Tarou=山田^太郎=やまだ^たろう");
    /* Katakana in G1 from value 1; JIS X 0201 Romaji ("ESC ( J") read as ASCII. */
    ck_decodes("ISO 2022 IR 13\\ISO 2022 IR 87",
               "\xD4\xCF\xC0\xDE^\xC0\xDB\xB3=\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J="
               "\x1b$B$d$^$@\x1b(J^\x1b$B$?$m$&\x1b(J",
               "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
    ck_decodes("\\ISO 2022 IR 149",
               "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7="
               "\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf",
               "Hong^Gildong=洪^吉洞=홍^길동");
    ck_decodes("\\ISO 2022 IR 58", "Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab=",
               "Zhang^XiaoDong=张^小东=");
    /* JIS X 0212 ("ESC $ ( D") and JIS C 6226-1978 ("ESC $ @"). */
    ck_decodes("\\ISO 2022 IR 159", "\x1b$(D\x30\x21\x1b(B", "丂");
    ck_decodes("\\ISO 2022 IR 87", "\x1b$@;3\x1b(B", "山");
    /* ISO 2022 IR 6 alone is ASCII; one ISO 2022 term alone is ISO 2022 too. */
    ck_decodes("ISO 2022 IR 6", "plain", "plain");
    ck_decodes("ISO 2022 IR 100", "\xFC\x1b-F\xE1", "üα");
}
END_TEST

START_TEST(iso2022_delimiters_restore_value_1)
{
    /* After a control character G0 is ASCII again (in a 7-bit double-byte set
     * '^', '=' and '\\' are halves of characters: the file must switch back)... */
    ck_decodes("\\ISO 2022 IR 87", "\x1b$B;3\r\nED", "山\r\nED");
    ck_decodes("\\ISO 2022 IR 87", "\x1b$B;3\tED", "山\tED");
    ck_decodes("\\ISO 2022 IR 87", "\x1b$B;3^E", "山淌"); /* "^E" is 淌 */
    /* ... and after '^', '=', '\\' and control characters G1 is what value 1
     * designated. */
    ck_decodes("ISO 2022 IR 100\\ISO 2022 IR 126", "\x1b-F\xE1^\xE1", "α^á");
    ck_decodes("ISO 2022 IR 100\\ISO 2022 IR 126", "\x1b-F\xE1=\xE1", "α=á");
    ck_decodes("ISO 2022 IR 100\\ISO 2022 IR 126", "\x1b-F\xE1\\\xE1", "α\\á");
    ck_decodes("ISO 2022 IR 100\\ISO 2022 IR 126", "\x1b-F\xE1\r\xE1", "α\rá");
    ck_decodes("ISO 2022 IR 100\\ISO 2022 IR 126", "\x1b-F\xE1 \xE1", "α α");
    ck_decodes("ISO 2022 IR 13\\ISO 2022 IR 149", "\x1b$)C\xc8\xab^\xB1", "홍^ｱ");
}
END_TEST

START_TEST(iso2022_bad_bytes_become_replacement)
{
    /* An escape sequence that is not one of DICOM's. */
    ck_assert_int_eq(decode("\\ISO 2022 IR 87", "a\x1b%Gb"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, "a" DF_UTF8_REPLACEMENT "%Gb");
    /* An escape sequence cut by the end of the value. */
    ck_assert_int_eq(decode("\\ISO 2022 IR 87", "a\x1b$"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, "a" DF_UTF8_REPLACEMENT "$");
    /* Half a JIS X 0208 pair, and a pair with a control byte. */
    ck_assert_int_eq(decode("\\ISO 2022 IR 87", "\x1b$B;"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, DF_UTF8_REPLACEMENT);
    ck_assert_int_eq(decode("\\ISO 2022 IR 87", "\x1b$B;\n"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, DF_UTF8_REPLACEMENT "\n");
    /* A high byte with nothing in G1, and half a KS X 1001 pair. */
    ck_assert_int_eq(decode("\\ISO 2022 IR 87", "\xA1x"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, DF_UTF8_REPLACEMENT "x");
    ck_assert_int_eq(decode("\\ISO 2022 IR 149", "\x1b$)C\xc8"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, DF_UTF8_REPLACEMENT);
    /* A multi-byte set is designated by its escape sequence only, even when
     * named as value 1 (where PS3.3 C.12.1.1.2 does not allow it). */
    ck_assert_int_eq(decode("ISO 2022 IR 149", "\xc8\xab"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, DF_UTF8_REPLACEMENT DF_UTF8_REPLACEMENT);
    ck_decodes("ISO 2022 IR 149", "\x1b$)C\xc8\xab", "홍");
    /* A Katakana G1 byte outside JIS X 0201. */
    ck_assert_int_eq(decode("ISO 2022 IR 13\\ISO 2022 IR 87", "\xE0"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, DF_UTF8_REPLACEMENT);
}
END_TEST

START_TEST(statuses)
{
    const char *in = "caf\xC3\xA9";
    /* Nothing to do: the input itself comes back. */
    ck_assert_int_eq(decode("ISO_IR 100", "plain"), DF_CHARSET_OK);
    ck_assert_str_eq(decoded, "plain");
    ck_assert_int_eq(df_charset_decode(dec, charset("ISO_IR 192"), (const unsigned char *)in,
                                       strlen(in), &out, &text, &text_len),
                     DF_CHARSET_OK);
    ck_assert_ptr_eq(text, in);
    /* The default repertoire: UTF-8 beyond ASCII is kept, other bytes are
     * given back for the JSON writer to replace. */
    ck_assert_int_eq(df_charset_decode(dec, DF_CHARSET_DEFAULT, (const unsigned char *)in,
                                       strlen(in), &out, &text, &text_len),
                     DF_CHARSET_BEYOND_DEFAULT);
    ck_assert_ptr_eq(text, in);
    ck_assert_int_eq(decode("", "M\xFCller"), DF_CHARSET_INVALID_DEFAULT);
    ck_assert_str_eq(decoded, "M\xFCller");
    ck_assert_int_eq(decode("ISO_IR 192", "a\xFF"
                                          "b"),
                     DF_CHARSET_INVALID_UTF8);
    ck_assert_str_eq(decoded, "a\xFF"
                              "b");
    /* Overlong, surrogate and past-U+10FFFF sequences are not UTF-8. */
    ck_assert_int_eq(decode("ISO_IR 192", "\xC0\xAF"), DF_CHARSET_INVALID_UTF8);
    ck_assert_int_eq(decode("ISO_IR 192", "\xED\xA0\x80"), DF_CHARSET_INVALID_UTF8);
    ck_assert_int_eq(decode("ISO_IR 192", "\xF4\x90\x80\x80"), DF_CHARSET_INVALID_UTF8);
    ck_assert_int_eq(decode("ISO_IR 192", "\xE6\x97"), DF_CHARSET_INVALID_UTF8);
    ck_assert_int_eq(decode("ISO_IR 192", "\xF0\x9F\x98\x80"), DF_CHARSET_OK);
    /* Bytes a single-byte set does not define. */
    ck_assert_int_eq(decode("ISO_IR 13", "\xE0"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, DF_UTF8_REPLACEMENT);
    ck_assert_int_eq(decode("ISO_IR 127", "\xA1"), DF_CHARSET_REPLACED);
    ck_assert_str_eq(decoded, DF_UTF8_REPLACEMENT);
    /* A cut multi-byte character leaves the descriptor clean for the next one. */
    ck_assert_int_eq(decode("GB18030", "\xCD"), DF_CHARSET_REPLACED);
    ck_decodes("GB18030", "\xCD\xF5", "王");
}
END_TEST

START_TEST(out_of_room_is_reported)
{
    df_buf small;
    df_buf_init(&small, 4);
    const char *in = "\xFC\xFC\xFC";
    ck_assert_int_eq(df_charset_decode(dec, charset("ISO_IR 100"), (const unsigned char *)in, 3,
                                       &small, &text, &text_len),
                     DF_CHARSET_NOMEM);
    ck_assert_ptr_eq(text, in);
    ck_assert_uint_eq(text_len, 3);
    /* The buffer is reset on the next call. */
    ck_assert_int_eq(df_charset_decode(dec, charset("ISO_IR 100"), (const unsigned char *)in, 1,
                                       &small, &text, &text_len),
                     DF_CHARSET_OK);
    ck_assert_str_eq(text, "ü");
    df_buf_free(&small);
}
END_TEST

START_TEST(specific_character_set_values)
{
    df_charset cs;
    char shown[DF_CHARSET_SHOWN_MAX];
    /* Empty, padding, NUL padding. */
    ck_assert(df_charset_from_value("", 0, &cs, shown));
    ck_assert_mem_eq(&cs, &DF_CHARSET_DEFAULT, sizeof cs);
    ck_assert(df_charset_from_value(" ", 1, &cs, shown));
    ck_assert_mem_eq(&cs, &DF_CHARSET_DEFAULT, sizeof cs);
    ck_assert(df_charset_from_value("ISO_IR 100 ", 11, &cs, shown));
    ck_assert(df_charset_from_value("ISO_IR 100\0", 11, &cs, shown));
    ck_assert(df_charset_from_value(" ISO_IR 144", 11, &cs, shown));
    ck_assert_str_eq(df_charset_encoding(cs), "ISO-8859-5");
    /* Unknown terms: shown for a message, the text kept where valid UTF-8. */
    ck_assert(!df_charset_from_value("ISO_IR 999", 10, &cs, shown));
    ck_assert_str_eq(shown, "ISO_IR 999");
    ck_assert_int_eq(
        df_charset_decode(dec, cs, (const unsigned char *)"caf\xC3\xA9", 5, &out, &text, &text_len),
        DF_CHARSET_OK);
    ck_assert_int_eq(
        df_charset_decode(dec, cs, (const unsigned char *)"\xFF", 1, &out, &text, &text_len),
        DF_CHARSET_INVALID_UTF8);
    ck_assert(!df_charset_from_value("\"bad\"\x01", 6, &cs, shown));
    ck_assert_str_eq(shown, "?bad??");
    const char *longer = "ISO_IR 100 AND A NAME LONGER THAN THIRTY-TWO CHARACTERS";
    ck_assert(!df_charset_from_value(longer, strlen(longer), &cs, shown));
    ck_assert_uint_eq(strlen(shown), DF_CHARSET_SHOWN_MAX - 1);
    ck_assert(strncmp(shown, longer, DF_CHARSET_SHOWN_MAX - 1) == 0);
    /* With code extensions (more than one value) the terms are the ISO 2022 ones. */
    ck_assert(!df_charset_from_value("ISO_IR 100\\ISO_IR 144", 21, &cs, shown));
    ck_assert_str_eq(shown, "ISO_IR 100");
    ck_assert(!df_charset_from_value("\\ISO 2022 IR 87\\ISO 2022 IR 999", 31, &cs, shown));
    ck_assert_str_eq(shown, "ISO 2022 IR 999");
    /* ISO_IR 192, GB18030 and GBK have no ISO 2022 form. */
    ck_assert(!df_charset_from_value("ISO 2022 IR 192", 15, &cs, shown));
    /* Multi-byte sets have no single-byte form, nor the escape-only rows a name. */
    ck_assert(!df_charset_from_value("ISO_IR 87", 9, &cs, shown));
    ck_assert(!df_charset_from_value("(J", 2, &cs, shown));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("charset");
    TCase *tc = tcase_create("decode");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, single_byte_terms_alone_and_by_escape);
    tcase_add_test(tc, multi_byte_terms_alone);
    tcase_add_test(tc, iso2022_examples_of_the_standard);
    tcase_add_test(tc, iso2022_delimiters_restore_value_1);
    tcase_add_test(tc, iso2022_bad_bytes_become_replacement);
    tcase_add_test(tc, statuses);
    tcase_add_test(tc, out_of_room_is_reported);
    tcase_add_test(tc, specific_character_set_values);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
