/* Tests of the DICOM JSON writer (PS3.18 F.2): hand-made datasets in memory
 * for each VR mapping and each rule, compared with the exact JSON bytes; and,
 * when DCMFEED_CORPUS names a folder made by tests/lib/gen_corpus.py, every good
 * file converts to valid JSON (checked with jansson) and every bad one fails
 * with a message. */
#include "dicomjson.h"

#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building datasets ---- */

#include "dicom_bytes.h"

#define UNDEF 0xFFFFFFFFu

/* An Explicit VR Little Endian element header. */
static void head(bytes *b, uint32_t tag, const char *vr, uint32_t length)
{
    ex_head(b, tag, vr, length, false);
}

static void el(bytes *b, uint32_t tag, const char *vr, const void *v, size_t n)
{
    head(b, tag, vr, (uint32_t)n);
    put(b, v, n);
}

static void els(bytes *b, uint32_t tag, const char *vr, const char *s)
{
    el(b, tag, vr, s, strlen(s));
}

static void item(bytes *b, uint32_t length)
{
    put16(b, 0xFFFE, false);
    put16(b, 0xE000, false);
    put32(b, length, false);
}

static void delim(bytes *b, uint32_t tag)
{
    put16(b, 0xFFFE, false);
    put16(b, tag & 0xFFFF, false);
    put32(b, 0, false);
}

static void meta(bytes *b, const char *ts)
{
    bytes g = {0};
    el(&g, 0x00020001, "OB", "\0\1", 2);
    els(&g, 0x00020002, "UI", "1.2.840.10008.5.1.4.1.1.7");
    els(&g, 0x00020003, "UI", "1.2.3.4\0");
    size_t n = strlen(ts);
    head(&g, 0x00020010, "UI", (uint32_t)(n + n % 2));
    put(&g, ts, n);
    if (n % 2)
        put(&g, "\0", 1);
    unsigned char zero[128] = {0};
    put(b, zero, 128);
    put(b, "DICM", 4);
    unsigned char gl[4] = {(unsigned char)g.n, (unsigned char)(g.n >> 8), 0, 0};
    el(b, 0x00020000, "UL", gl, 4);
    put(b, g.d, g.n);
    free(g.d);
}

#define TS_EXPLICIT "1.2.840.10008.1.2.1"
#define TS_IMPLICIT "1.2.840.10008.1.2"
#define TS_BIG      "1.2.840.10008.1.2.2"

/* The three UIDs every test dataset has, and their JSON. */
#define SOP_UID    "1.2.3.4"
#define STUDY_UID  "1.2.3.5"
#define SERIES_UID "1.2.3.6"
static const char *const uid_json[3] = {
    "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"" SOP_UID "\"]}",
    "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" STUDY_UID "\"]}",
    "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"" SERIES_UID "\"]}",
};

static void sop_uid(bytes *b)
{
    el(b, 0x00080018, "UI", SOP_UID "\0", 8);
}

static void study_series_uids(bytes *b)
{
    el(b, 0x0020000D, "UI", STUDY_UID "\0", 8);
    el(b, 0x0020000E, "UI", SERIES_UID "\0", 8);
}

/* ---- converting ---- */

static df_dicomjson *conv;
static df_dicomjson_result res;
static df_error err;
static char *json; /* the last metadata without the three UIDs */

static void setup(void)
{
    conv = df_dicomjson_new();
    ck_assert_ptr_nonnull(conv);
    json = NULL;
}

static void teardown(void)
{
    df_dicomjson_free(conv);
    free(json);
}

static int convert_bytes(const bytes *b)
{
    df_dicom_memio m;
    df_dicom_memio_init(&m, b->d, b->n);
    df_error_clear(&err);
    return df_dicomjson_convert_io(conv, &m.io, "test.dcm", &res, &err);
}

static void cut(char *s, const char *what)
{
    char *at = strstr(s, what);
    if (at == NULL)
        return;
    size_t n = strlen(what);
    if (at > s && at[-1] == ',') {
        at--;
        n++;
    } else if (at[n] == ',') {
        n++;
    }
    memmove(at, at + n, strlen(at + n) + 1);
}

/* Converts meta + body; asserts success, valid JSON, and returns the metadata
 * with the three UID attributes taken out (they are the same in every test). */
static const char *convert(const bytes *b)
{
    int rc = convert_bytes(b);
    ck_assert_msg(rc == 0, "convert failed: %s", err.message);
    ck_assert_uint_eq(strlen(res.metadata), res.metadata_len);
    json_error_t jerr;
    json_t *j = json_loadb(res.metadata, res.metadata_len, JSON_REJECT_DUPLICATES, &jerr);
    ck_assert_msg(j != NULL, "invalid JSON (%s): %s", jerr.text, res.metadata);
    json_decref(j);
    free(json);
    json = strdup(res.metadata);
    ck_assert_ptr_nonnull(json);
    for (int i = 0; i < 3; i++)
        cut(json, uid_json[i]);
    return json;
}

/* A dataset whose elements between (0008,0018) and (0020,000D) are given by
 * body (tags (0008,0019)-(0020,000C)), in Explicit VR LE. */
static const char *convert_body(const bytes *body)
{
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    put(&b, body->d, body->n);
    study_series_uids(&b);
    const char *s = convert(&b);
    free(b.d);
    return s;
}

#define EXPECT(body, expected)                                                                     \
    do {                                                                                           \
        const char *got_ = convert_body(body);                                                     \
        ck_assert_str_eq(got_, expected);                                                          \
    } while (0)

static void reset(bytes *b)
{
    b->n = 0;
}

/* ---- the VR mappings ---- */

START_TEST(binary_numbers)
{
    bytes b = {0};
    unsigned char us[] = {0, 0, 0xFF, 0xFF, 1, 0};
    el(&b, 0x00181310, "US", us, sizeof us);
    unsigned char ss[] = {0x00, 0x80, 0xFF, 0x7F, 0xFF, 0xFF};
    el(&b, 0x00189219, "SS", ss, sizeof ss);
    unsigned char ul[] = {0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0};
    el(&b, 0x00189220, "UL", ul, sizeof ul);
    unsigned char sl[] = {0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0x7F};
    el(&b, 0x00189221, "SL", sl, sizeof sl);
    unsigned char uv[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                          0,    0,    0,    0,    0,    0,    0x20, 0}; /* 2^64-1, 2^53 */
    el(&b, 0x00189222, "UV", uv, sizeof uv);
    unsigned char sv[] = {0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0xE0, 0xFF};
    el(&b, 0x00189223, "SV", sv, sizeof sv);
    float fl[] = {0.1f, -2.25f, 3.4028235e38f, 1e-45f};
    el(&b, 0x00189224, "FL", fl, sizeof fl);
    double fd[] = {0.1, -0.0, 1e300, 5e-324, 123456789.125, 1.0 / 3};
    el(&b, 0x00189225, "FD", fd, sizeof fd);
    unsigned char at[] = {0x10, 0x00, 0x10, 0x00, 0xE0, 0x7F, 0x10, 0x00};
    el(&b, 0x00189226, "AT", at, sizeof at);
    EXPECT(&b,
           "{\"00181310\":{\"vr\":\"US\",\"Value\":[0,65535,1]},"
           "\"00189219\":{\"vr\":\"SS\",\"Value\":[-32768,32767,-1]},"
           "\"00189220\":{\"vr\":\"UL\",\"Value\":[4294967295,1]},"
           "\"00189221\":{\"vr\":\"SL\",\"Value\":[-2147483648,2147483647]},"
           "\"00189222\":{\"vr\":\"UV\",\"Value\":[\"18446744073709551615\",9007199254740992]},"
           "\"00189223\":{\"vr\":\"SV\",\"Value\":[\"-9223372036854775808\",-9007199254740992]},"
           "\"00189224\":{\"vr\":\"FL\",\"Value\":[0.1,-2.25,3.4028235e+38,1e-45]},"
           "\"00189225\":{\"vr\":\"FD\",\"Value\":[0.1,-0,1e+300,5e-324,123456789.125,"
           "0.3333333333333333]},"
           "\"00189226\":{\"vr\":\"AT\",\"Value\":[\"00100010\",\"7FE00010\"]}}");
    ck_assert_str_eq(res.warning, "");
    free(b.d);
}
END_TEST

START_TEST(nan_and_infinity_are_null)
{
    bytes b = {0};
    double fd[] = {1.5, __builtin_nan(""), __builtin_inf()};
    el(&b, 0x00189225, "FD", fd, sizeof fd);
    EXPECT(&b, "{\"00189225\":{\"vr\":\"FD\",\"Value\":[1.5,null,null]}}");
    ck_assert_str_eq(res.warning,
                     "(0018,9225): a NaN or infinite floating point value written as null");
    free(b.d);
}
END_TEST

START_TEST(decimal_and_integer_strings)
{
    bytes b = {0};
    els(&b, 0x00101020, "DS", "+1.5\\.5 \\5.\\ 007.25\\1e-7\\1E+02\\-0\\-.5\\0.703125");
    els(&b, 0x00101030, "DS", "abc\\1e999\\1.2.3\\\\ 4 ");
    els(&b, 0x00200012, "IS", "+007 \\-12\\1.5\\ 0");
    EXPECT(&b, "{\"00101020\":{\"vr\":\"DS\",\"Value\":[1.5,0.5,5,7.25,1e-7,1E+02,-0,-0.5,"
               "0.703125]},"
               "\"00101030\":{\"vr\":\"DS\",\"Value\":[\"abc\",\"1e999\",\"1.2.3\",null,4]},"
               "\"00200012\":{\"vr\":\"IS\",\"Value\":[7,-12,\"1.5\",0]}}");
    free(b.d);
}
END_TEST

START_TEST(text_values_and_padding)
{
    bytes b = {0};
    els(&b, 0x00080060, "CS", " CT ");
    els(&b, 0x00080008, "CS", "ORIGINAL\\PRIMARY\\\\AXIAL ");
    els(&b, 0x00080020, "DA", "20240131");
    els(&b, 0x00080070, "LO", "  lead and trail  ");
    els(&b, 0x00080081, "ST", "  kept\\one value  ");
    els(&b, 0x00081190, "UR", "http://x/a\\b ");
    el(&b, 0x00081150, "UI", "1.2.3\0", 6);
    els(&b, 0x00102000, "LO", "A\\\\C");
    els(&b, 0x00102110, "LO", "\\");
    els(&b, 0x00102150, "LO", "  ");
    els(&b, 0x00102152, "LO", "");
    els(&b, 0x00104000, "LT", "  line1\r\nline2 \"q\"  ");
    EXPECT(&b, "{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"ORIGINAL\",\"PRIMARY\",null,"
               "\"AXIAL\"]},"
               "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20240131\"]},"
               "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
               "\"00080070\":{\"vr\":\"LO\",\"Value\":[\"lead and trail\"]},"
               "\"00080081\":{\"vr\":\"ST\",\"Value\":[\"  kept\\\\one value\"]},"
               "\"00081150\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
               "\"00081190\":{\"vr\":\"UR\",\"Value\":[\"http://x/a\\\\b\"]},"
               "\"00102000\":{\"vr\":\"LO\",\"Value\":[\"A\",null,\"C\"]},"
               "\"00102110\":{\"vr\":\"LO\"},"
               "\"00102150\":{\"vr\":\"LO\"},"
               "\"00102152\":{\"vr\":\"LO\"},"
               "\"00104000\":{\"vr\":\"LT\",\"Value\":[\"  line1\\r\\nline2 \\\"q\\\"\"]}}");
    free(b.d);
}
END_TEST

START_TEST(nul_in_text_is_replaced)
{
    bytes b = {0};
    el(&b, 0x00080070, "LO", "a\0b\\c\0\0", 7);
    el(&b, 0x00100010, "PN", "A\0^B", 4);
    EXPECT(&b, "{\"00080070\":{\"vr\":\"LO\",\"Value\":[\"a\xEF\xBF\xBD"
               "b\",\"c\"]},"
               "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"A\xEF\xBF\xBD^B\"}]}}");
    ck_assert_str_eq(res.warning, "(0008,0070): NUL characters in text written as U+FFFD");
    free(b.d);
}
END_TEST

START_TEST(person_names)
{
    bytes b = {0};
    els(&b, 0x00080090, "PN", "Smith^John^^Dr.");
    els(&b, 0x00100010, "PN", "Smith^John^^^=^^=Sm^Jo ");
    els(&b, 0x00101001, "PN", "A^B\\\\=C\\^^\\==P");
    els(&b, 0x00101005, "PN", "");
    els(&b, 0x00101060, "PN", "  ");
    EXPECT(&b, "{\"00080090\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Smith^John^^Dr.\"}]},"
               "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Smith^John\","
               "\"Phonetic\":\"Sm^Jo\"}]},"
               "\"00101001\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"A^B\"},null,"
               "{\"Ideographic\":\"C\"},null,{\"Phonetic\":\"P\"}]},"
               "\"00101005\":{\"vr\":\"PN\"},"
               "\"00101060\":{\"vr\":\"PN\"}}");
    free(b.d);
}
END_TEST

START_TEST(binary_inline_and_bulk)
{
    bytes b = {0};
    el(&b, 0x00090010, "LO", "PRIV", 4);
    el(&b, 0x00091011, "UN", "\x01\x02\x03\x04", 4);
    unsigned char big[1026];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (unsigned char)i;
    el(&b, 0x00091012, "OB", big, 1024);
    el(&b, 0x00091013, "OB", big, 1026);
    el(&b, 0x00091014, "OW", "", 0);
    el(&b, 0x00091015, "OB", "a", 1);
    el(&b, 0x00091016, "OF", "\0\0\x80\x3f", 4);
    const char *got = convert_body(&b);
    ck_assert_ptr_nonnull(strstr(got, "\"00091011\":{\"vr\":\"UN\",\"InlineBinary\":\"AQIDBA==\"},"
                                      "\"00091012\":{\"vr\":\"OB\",\"InlineBinary\":\"AAECAwQF"));
    ck_assert_ptr_null(strstr(got, "00091013"));
    ck_assert_ptr_nonnull(strstr(got,
                                 "\"00091014\":{\"vr\":\"OW\"},"
                                 "\"00091015\":{\"vr\":\"OB\",\"InlineBinary\":\"YQ==\"},"
                                 "\"00091016\":{\"vr\":\"OF\",\"InlineBinary\":\"AACAPw==\"}}"));
    /* 1024 bytes: 1368 base64 characters, the last group "/w==" (0xFF). */
    const char *ib = strstr(got, "\"00091012\":{\"vr\":\"OB\",\"InlineBinary\":\"");
    ib += strlen("\"00091012\":{\"vr\":\"OB\",\"InlineBinary\":\"");
    ck_assert_int_eq((int)(strchr(ib, '"') - ib), 1368);
    ck_assert_int_eq(memcmp(ib + 1364, "/w==", 4), 0);
    free(b.d);
}
END_TEST

START_TEST(pixel_data_always_left_out)
{
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    study_series_uids(&b);
    el(&b, 0x7FE00008, "OF", "\0\0\0\0", 4);
    el(&b, 0x7FE00009, "OD", "\0\0\0\0\0\0\0\0", 8);
    el(&b, 0x7FE00010, "OW", "\1\2", 2);
    ck_assert_str_eq(convert(&b), "{}");
    /* Encapsulated: fragments skipped. */
    reset(&b);
    meta(&b, "1.2.840.10008.1.2.4.50");
    sop_uid(&b);
    study_series_uids(&b);
    els(&b, 0x00280004, "CS", "YBR_FULL_422");
    head(&b, 0x7FE00010, "OB", UNDEF);
    item(&b, 0);
    item(&b, 4);
    put(&b, "\xFF\xD8\xFF\xD9", 4);
    delim(&b, 0xFFFEE0DD);
    ck_assert_str_eq(convert(&b), "{\"00280004\":{\"vr\":\"CS\",\"Value\":[\"YBR_FULL_422\"]}}");
    free(b.d);
}
END_TEST

START_TEST(sequences)
{
    bytes b = {0};
    /* Defined length, two items, the second empty. */
    bytes it = {0};
    els(&it, 0x00080100, "SH", "C1");
    els(&it, 0x00080104, "LO", "Meaning ");
    head(&b, 0x00081032, "SQ", (uint32_t)(8 + it.n + 8));
    item(&b, (uint32_t)it.n);
    put(&b, it.d, it.n);
    item(&b, 0);
    /* Undefined length, nested, undefined-length items. */
    head(&b, 0x00081140, "SQ", UNDEF);
    item(&b, UNDEF);
    els(&b, 0x00081150, "UI", "1.2\0");
    head(&b, 0x0008114A, "SQ", UNDEF);
    item(&b, UNDEF);
    els(&b, 0x00081155, "UI", "1.3\0");
    delim(&b, 0xFFFEE00D);
    delim(&b, 0xFFFEE0DD);
    delim(&b, 0xFFFEE00D);
    delim(&b, 0xFFFEE0DD);
    /* Empty, of both kinds. */
    head(&b, 0x00081200, "SQ", 0);
    head(&b, 0x00081250, "SQ", UNDEF);
    delim(&b, 0xFFFEE0DD);
    EXPECT(&b, "{\"00081032\":{\"vr\":\"SQ\",\"Value\":[{\"00080100\":{\"vr\":\"SH\",\"Value\":"
               "[\"C1\"]},\"00080104\":{\"vr\":\"LO\",\"Value\":[\"Meaning\"]}},{}]},"
               "\"00081140\":{\"vr\":\"SQ\",\"Value\":[{\"0008114A\":{\"vr\":\"SQ\",\"Value\":"
               "[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.3\"]}}]},"
               "\"00081150\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]},"
               "\"00081200\":{\"vr\":\"SQ\"},"
               "\"00081250\":{\"vr\":\"SQ\"}}");
    free(b.d);
    free(it.d);
}
END_TEST

START_TEST(un_of_undefined_length_is_a_sequence)
{
    bytes b = {0};
    els(&b, 0x00110010, "LO", "DCMFEED ");
    head(&b, 0x00111010, "UN", UNDEF);
    item(&b, UNDEF);
    put16(&b, 0x0008, false); /* implicit VR inside */
    put16(&b, 0x0100, false);
    put32(&b, 6, false);
    put(&b, "CODE1 ", 6);
    delim(&b, 0xFFFEE00D);
    delim(&b, 0xFFFEE0DD);
    EXPECT(&b, "{\"00110010\":{\"vr\":\"LO\",\"Value\":[\"DCMFEED\"]},"
               "\"00111010\":{\"vr\":\"SQ\",\"Value\":[{\"00080100\":{\"vr\":\"SH\",\"Value\":"
               "[\"CODE1\"]}}]}}");
    free(b.d);
}
END_TEST

START_TEST(group_0002_group_lengths_and_padding_left_out)
{
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    el(&b, 0x00080000, "UL", "\x10\0\0\0", 4);
    sop_uid(&b);
    el(&b, 0x00100000, "UL", "\x10\0\0\0", 4);
    els(&b, 0x00100020, "LO", "PID1");
    study_series_uids(&b);
    head(&b, 0x00400275, "SQ", UNDEF);
    item(&b, UNDEF);
    el(&b, 0x00400000, "UL", "\0\0\0\0", 4);
    delim(&b, 0xFFFEE00D);
    delim(&b, 0xFFFEE0DD);
    el(&b, 0xFFFCFFFC, "OB", "\0\0\0\0", 4); /* Data Set Trailing Padding */
    ck_assert_str_eq(convert(&b), "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PID1\"]},"
                                  "\"00400275\":{\"vr\":\"SQ\",\"Value\":[{}]}}");
    free(b.d);
}
END_TEST

/* Zero bytes after the last element (a file written in fixed-size blocks):
 * the instance is kept, with the reader's warning. */
START_TEST(trailing_zero_padding_is_kept_with_a_warning)
{
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    els(&b, 0x00100020, "LO", "PID1");
    study_series_uids(&b);
    size_t at = b.n;
    static const unsigned char zeros[512];
    put(&b, zeros, sizeof zeros);
    ck_assert_str_eq(convert(&b), "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PID1\"]}}");
    char want[DF_ERROR_MESSAGE_MAX];
    snprintf(want, sizeof want,
             "512 zero bytes after the last element, from offset %zu to the end, ignored "
             "(trailing padding)",
             at);
    ck_assert_str_eq(res.warning, want);
    /* Followed by anything else, they are an error that names the file. */
    put(&b, "\x01", 1);
    ck_assert_int_eq(convert_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "test.dcm: element (0000,0000) at offset %zu: 512 zero bytes, then 0x01: neither an "
             "element nor trailing padding",
             at);
    ck_assert_str_eq(err.message, want);
    free(b.d);
}
END_TEST

START_TEST(tags_put_in_order)
{
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    study_series_uids(&b);
    els(&b, 0x00100020, "LO", "P2");
    bytes it = {0};
    els(&it, 0x00080104, "LO", "M");
    els(&it, 0x00080100, "SH", "C");
    els(&it, 0x00080104, "LO", "dup");
    head(&b, 0x00081032, "SQ", (uint32_t)(8 + it.n));
    item(&b, (uint32_t)it.n);
    put(&b, it.d, it.n);
    els(&b, 0x00100010, "PN", "A^B");
    sop_uid(&b);
    ck_assert_str_eq(convert(&b), "{\"00081032\":{\"vr\":\"SQ\",\"Value\":[{\"00080100\":{\"vr\":"
                                  "\"SH\",\"Value\":[\"C\"]},\"00080104\":{\"vr\":\"LO\","
                                  "\"Value\":[\"M\"]}}]},"
                                  "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":"
                                  "\"A^B\"}]},"
                                  "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"P2\"]}}");
    ck_assert_int_eq(strncmp(res.metadata + 1, uid_json[0], strlen(uid_json[0])), 0);
    ck_assert_str_eq(res.warning, "(0008,0104) appears more than once in one dataset: the "
                                  "first kept");
    free(b.d);
    free(it.d);
}
END_TEST

START_TEST(implicit_and_big_endian_give_the_same_json)
{
    /* PatientName, Rows and an AT in Implicit VR LE: the dictionary gives the VRs. */
    bytes b = {0};
    meta(&b, TS_IMPLICIT);
    const struct {
        uint32_t tag;
        const char *v;
        uint32_t n;
    } e[] = {
        {0x00080018, SOP_UID "\0", 8},   {0x00100010, "Doe^J ", 6},
        {0x0020000D, STUDY_UID "\0", 8}, {0x0020000E, SERIES_UID "\0", 8},
        {0x00209165, "\x10\0\x10\0", 4}, {0x00280010, "\x00\x02", 2},
    };
    for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
        put16(&b, e[i].tag >> 16, false);
        put16(&b, e[i].tag & 0xFFFF, false);
        put32(&b, e[i].n, false);
        put(&b, e[i].v, e[i].n);
    }
    const char *want = "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^J\"}]},"
                       "\"00209165\":{\"vr\":\"AT\",\"Value\":[\"00100010\"]},"
                       "\"00280010\":{\"vr\":\"US\",\"Value\":[512]}}";
    ck_assert_str_eq(convert(&b), want);
    /* The same in Explicit VR Big Endian. */
    reset(&b);
    meta(&b, TS_BIG);
    struct {
        uint32_t tag;
        const char *vr, *v;
        unsigned n;
    } be[] = {
        {0x00080018, "UI", SOP_UID "\0", 8},   {0x00100010, "PN", "Doe^J ", 6},
        {0x0020000D, "UI", STUDY_UID "\0", 8}, {0x0020000E, "UI", SERIES_UID "\0", 8},
        {0x00209165, "AT", "\0\x10\0\x10", 4}, {0x00280010, "US", "\x02\x00", 2},
    };
    for (size_t i = 0; i < sizeof be / sizeof be[0]; i++) {
        unsigned char h[8] = {(unsigned char)(be[i].tag >> 24),
                              (unsigned char)(be[i].tag >> 16),
                              (unsigned char)(be[i].tag >> 8),
                              (unsigned char)be[i].tag,
                              (unsigned char)be[i].vr[0],
                              (unsigned char)be[i].vr[1],
                              0,
                              (unsigned char)be[i].n};
        put(&b, h, 8);
        put(&b, be[i].v, be[i].n);
    }
    ck_assert_str_eq(convert(&b), want);
    free(b.d);
}
END_TEST

/* ---- character sets ---- */

static const char *convert_charset(const char *charset, uint32_t tag, const char *vr,
                                   const char *value)
{
    bytes b = {0};
    if (charset)
        els(&b, 0x00080005, "CS", charset);
    els(&b, tag, vr, value);
    const char *s = convert_body(&b);
    free(b.d);
    return s;
}

#define CS_JSON(term) "\"00080005\":{\"vr\":\"CS\",\"Value\":[" term "]},"

START_TEST(charset_latin1_and_utf8)
{
    ck_assert_str_eq(convert_charset("ISO_IR 100", 0x00100010, "PN", "M\xFCller^J\xF6rg"),
                     "{" CS_JSON("\"ISO_IR 100\"") "\"00100010\":{\"vr\":\"PN\",\"Value\":"
                                                   "[{\"Alphabetic\":\"Müller^Jörg\"}]}}");
    ck_assert_str_eq(res.warning, "");
    ck_assert_str_eq(convert_charset("ISO_IR 192", 0x00081030, "LO", "Größe — 変化"),
                     "{" CS_JSON("\"ISO_IR 192\"") "\"00081030\":{\"vr\":\"LO\",\"Value\":"
                                                   "[\"Größe — 変化\"]}}");
    ck_assert_str_eq(res.warning, "");
    /* Invalid UTF-8 in ISO_IR 192: U+FFFD and a warning, the file kept. */
    ck_assert_str_eq(convert_charset("ISO_IR 192", 0x00081030, "LO",
                                     "a\xFF"
                                     "b"),
                     "{" CS_JSON("\"ISO_IR 192\"") "\"00081030\":{\"vr\":\"LO\",\"Value\":"
                                                   "[\"a\\ufffdb\"]}}");
    ck_assert_str_eq(res.warning, "(0008,1030): text is not valid UTF-8; invalid bytes written "
                                  "as U+FFFD");
    /* No Specific Character Set but Latin-1 bytes: replaced, with a warning. */
    ck_assert_str_eq(convert_charset(NULL, 0x00081030, "LO", "M\xFCller"),
                     "{\"00081030\":{\"vr\":\"LO\",\"Value\":[\"M\\ufffdller\"]}}");
    ck_assert_ptr_nonnull(strstr(res.warning, "(0008,1030): text is not valid"));
    /* The character set does not apply to CS, DA, UI...: bytes as they are. */
    ck_assert_str_eq(convert_charset("ISO_IR 100", 0x00080060, "CS", "\xC4"),
                     "{" CS_JSON("\"ISO_IR 100\"") "\"00080060\":{\"vr\":\"CS\",\"Value\":"
                                                   "[\"\\ufffd\"]}}");
}
END_TEST

START_TEST(charset_single_byte_through_iconv)
{
    ck_assert_str_eq(convert_charset("ISO_IR 144", 0x00100010, "PN",
                                     "\xBB\xEE\xDA\xE1\xD5\xDC\xD1\xE3\xE0\xD3^\xB8\xD2\xD0\xDD"),
                     "{" CS_JSON("\"ISO_IR 144\"") "\"00100010\":{\"vr\":\"PN\",\"Value\":"
                                                   "[{\"Alphabetic\":\"Люксембург^Иван\"}]}}");
    ck_assert_str_eq(convert_charset("ISO_IR 101", 0x00081030, "LO", "Dvo\xF8\xE1k"),
                     "{" CS_JSON("\"ISO_IR 101\"") "\"00081030\":{\"vr\":\"LO\",\"Value\":"
                                                   "[\"Dvořák\"]}}");
    ck_assert_str_eq(convert_charset("ISO_IR 126", 0x00081030, "LO", "\xC4\xE9\xEF"),
                     "{" CS_JSON("\"ISO_IR 126\"") "\"00081030\":{\"vr\":\"LO\",\"Value\":"
                                                   "[\"Διο\"]}}");
    ck_assert_str_eq(
        convert_charset("ISO_IR 13", 0x00100010, "PN", "\xD4\xCF\xC0\xDE^\xC0\xDB\xB3"),
        "{" CS_JSON("\"ISO_IR 13\"") "\"00100010\":{\"vr\":\"PN\",\"Value\":"
                                     "[{\"Alphabetic\":\"ﾔﾏﾀﾞ^ﾀﾛｳ\"}]}}");
    ck_assert_str_eq(
        convert_charset("GB18030", 0x00100010, "PN", "Wang^XiaoDong=\xCD\xF5^\xD0\xA1\xB6\xAB="),
        "{" CS_JSON(
            "\"GB18030\"") "\"00100010\":{\"vr\":\"PN\",\"Value\":"
                           "[{\"Alphabetic\":\"Wang^XiaoDong\",\"Ideographic\":\"王^小东\"}]}}");
    /* A GBK trail byte 0x5C is part of a character, not a delimiter. */
    ck_assert_str_eq(convert_charset("GB18030", 0x00081030, "LO", "\x81\x5C"),
                     "{" CS_JSON("\"GB18030\"") "\"00081030\":{\"vr\":\"LO\",\"Value\":"
                                                "[\"乗\"]}}");
    ck_assert_str_eq(res.warning, "");
}
END_TEST

START_TEST(charset_iso2022)
{
    /* PS3.5 Annex H and I. */
    ck_assert_str_eq(
        convert_charset("\\ISO 2022 IR 87", 0x00100010, "PN",
                        "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^"
                        "\x1b$B$?$m$&\x1b(B"),
        "{" CS_JSON("null,\"ISO 2022 IR 87\"") "\"00100010\":{\"vr\":\"PN\",\"Value\":"
                                               "[{\"Alphabetic\":\"Yamada^Tarou\",\"Ideographic\":"
                                               "\"山田^太郎\",\"Phonetic\":"
                                               "\"やまだ^たろう\"}]}}");
    ck_assert_str_eq(res.warning, "");
    ck_assert_str_eq(
        convert_charset("ISO 2022 IR 13\\ISO 2022 IR 87", 0x00100010, "PN",
                        "\xD4\xCF\xC0\xDE^\xC0\xDB\xB3=\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J="
                        "\x1b$B$d$^$@\x1b(J^\x1b$B$?$m$&\x1b(J"),
        "{" CS_JSON(
            "\"ISO 2022 IR 13\",\"ISO 2022 IR 87\"") "\"00100010\":{\"vr\":\"PN\","
                                                     "\"Value\":[{\"Alphabetic\":\"ﾔﾏﾀﾞ^ﾀﾛｳ\","
                                                     "\"Ideographic\":\"山田^太郎\",\"Phonetic\":"
                                                     "\"やまだ^たろう\"}]}}");
    ck_assert_str_eq(
        convert_charset("\\ISO 2022 IR 149", 0x00100010, "PN",
                        "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7="
                        "\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf"),
        "{" CS_JSON("null,\"ISO 2022 IR 149\"") "\"00100010\":{\"vr\":\"PN\",\"Value\":"
                                                "[{\"Alphabetic\":\"Hong^Gildong\",\"Ideographic\":"
                                                "\"洪^吉洞\",\"Phonetic\":"
                                                "\"홍^길동\"}]}}");
    /* Latin-1 in G1 by escape sequence, after ASCII. */
    ck_assert_str_eq(
        convert_charset("ISO 2022 IR 6\\ISO 2022 IR 100", 0x00081030, "LO", "a\x1b-A\xFC"),
        "{" CS_JSON("\"ISO 2022 IR 6\",\"ISO 2022 IR 100\"") "\"00081030\":{\"vr\":"
                                                             "\"LO\",\"Value\":[\"aü\"]}}");
    ck_assert_str_eq(res.warning, "");
    /* An escape sequence that is not one of DICOM's: U+FFFD, and a warning. */
    convert_charset("\\ISO 2022 IR 87", 0x00081030, "LO", "a\x1b%Gb");
    ck_assert_str_eq(json,
                     "{" CS_JSON("null,\"ISO 2022 IR 87\"") "\"00081030\":{\"vr\":\"LO\","
                                                            "\"Value\":[\"a\xEF\xBF\xBD%Gb\"]}}");
    ck_assert_str_eq(res.warning, "(0008,1030): bytes invalid in the Specific Character Set "
                                  "written as U+FFFD");
}
END_TEST

START_TEST(charset_unknown_is_kept_with_a_warning)
{
    ck_assert_str_eq(convert_charset("", 0x00081030, "LO", "plain"),
                     "{\"00080005\":{\"vr\":\"CS\"},\"00081030\":{\"vr\":\"LO\",\"Value\":"
                     "[\"plain\"]}}");
    ck_assert_str_eq(res.warning, "");
    ck_assert_str_eq(convert_charset("ISO_IR 999", 0x00081030, "LO", "caf\xC3\xA9 \xFF"),
                     "{" CS_JSON("\"ISO_IR 999\"") "\"00081030\":{\"vr\":\"LO\",\"Value\":"
                                                   "[\"café \\ufffd\"]}}");
    ck_assert_str_eq(res.warning, "unknown Specific Character Set \"ISO_IR 999\": text kept "
                                  "where it is valid UTF-8");
}
END_TEST

START_TEST(charset_of_an_item_applies_to_that_item)
{
    bytes b = {0};
    els(&b, 0x00080005, "CS", "ISO_IR 100");
    bytes it = {0};
    els(&it, 0x00080005, "CS", "ISO_IR 192");
    els(&it, 0x00080104, "LO",
        "Gr\xC3\xBC\xC3\x9F"
        "e");
    bytes it2 = {0};
    els(&it2, 0x00080104, "LO",
        "Gr\xF6\xDF"
        "e");
    head(&b, 0x00081032, "SQ", (uint32_t)(16 + it.n + it2.n));
    item(&b, (uint32_t)it.n);
    put(&b, it.d, it.n);
    item(&b, (uint32_t)it2.n);
    put(&b, it2.d, it2.n);
    els(&b, 0x00081090, "LO", "M\xFCller");
    EXPECT(&b, "{" CS_JSON("\"ISO_IR 100\"") "\"00081032\":{\"vr\":\"SQ\",\"Value\":["
                                             "{" CS_JSON(
                                                 "\"ISO_IR 192\"") "\"00080104\":{\"vr\":\"LO\","
                                                                   "\"Value\":[\"Grüße\"]}},"
                                                                   "{\"00080104\":{\"vr\":\"LO\","
                                                                   "\"Value\":[\"Größe\"]}}]},"
                                                                   "\"00081090\":{\"vr\":\"LO\","
                                                                   "\"Value\":[\"Müller\"]}}");
    ck_assert_str_eq(res.warning, "");
    free(b.d);
    free(it.d);
    free(it2.d);
}
END_TEST

/* ---- UIDs and errors ---- */

START_TEST(uids_from_the_top_level)
{
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    els(&b, 0x00080018, "UI", "1.2.9 "); /* space padding is tolerated too */
    head(&b, 0x00081115, "SQ", UNDEF);   /* a UID inside a sequence does not count */
    item(&b, UNDEF);
    els(&b, 0x0020000E, "UI", "9.9\0");
    delim(&b, 0xFFFEE00D);
    delim(&b, 0xFFFEE0DD);
    el(&b, 0x0020000D, "UI", "1.2.7\0", 6);
    ck_assert_int_eq(convert_bytes(&b), DF_EINVAL);
    ck_assert_str_eq(err.message, "test.dcm: no Series Instance UID (0020,000E) in the dataset");
    ck_assert_ptr_null(res.metadata);
    el(&b, 0x0020000E, "UI", "1.2.8\0", 6);
    ck_assert_int_eq(convert_bytes(&b), 0);
    ck_assert_str_eq(res.sop_uid, "1.2.9");
    ck_assert_str_eq(res.study_uid, "1.2.7");
    ck_assert_str_eq(res.series_uid, "1.2.8");
    ck_assert_ptr_nonnull(
        strstr(res.metadata, "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2.8\"]}"));

    reset(&b);
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    els(&b, 0x0020000D, "UI", "1.02");
    el(&b, 0x0020000E, "UI", SERIES_UID "\0", 8);
    ck_assert_int_eq(convert_bytes(&b), DF_EINVAL);
    ck_assert_str_eq(err.message, "test.dcm: invalid Study Instance UID (0020,000D) \"1.02\"");

    reset(&b);
    meta(&b, TS_EXPLICIT);
    study_series_uids(&b);
    ck_assert_int_eq(convert_bytes(&b), DF_EINVAL);
    ck_assert_str_eq(err.message, "test.dcm: no SOP Instance UID (0008,0018) in the dataset");

    reset(&b);
    meta(&b, TS_EXPLICIT);
    els(&b, 0x00080018, "UI",
        "1.2.3.4444444444444444444444444444444444444444444444444444444444444");
    study_series_uids(&b);
    ck_assert_int_eq(convert_bytes(&b), DF_EINVAL);
    ck_assert_str_eq(err.message, "test.dcm: SOP Instance UID (0008,0018) is longer than 64 "
                                  "characters");
    free(b.d);
}
END_TEST

START_TEST(errors_name_the_file_not_the_values)
{
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    head(&b, 0x00100010, "PN", 40);
    put(&b, "Secret^Patient", 14);
    ck_assert_int_eq(convert_bytes(&b), DF_EINVAL);
    ck_assert_str_eq(err.message, "test.dcm: truncated element (0010,0010) at offset 250: "
                                  "length 40 exceeds the 14 bytes left");
    ck_assert_ptr_null(strstr(err.message, "Secret"));
    ck_assert_ptr_null(res.metadata);

    df_error_clear(&err);
    ck_assert_int_eq(df_dicomjson_convert_path(conv, "/nonexistent/x.dcm", &res, &err), DF_EIO);
    ck_assert_str_eq(err.message, "/nonexistent/x.dcm: cannot open: No such file or directory");

    /* The converter is usable after a failure, and gives the same answer twice. */
    reset(&b);
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    els(&b, 0x00100010, "PN", "A^B ");
    study_series_uids(&b);
    char *first = strdup(convert(&b));
    ck_assert_str_eq(convert(&b), first);
    ck_assert_str_eq(first, "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"A^B\"}]}}");
    free(first);
    free(b.d);
}
END_TEST

START_TEST(metadata_ceiling)
{
    /* 12 MiB of control characters, each written as \u0001: 72 MiB of JSON,
     * more than the 64 MiB ceiling. */
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    study_series_uids(&b);
    size_t n = 12u * 1024u * 1024u;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    memset(text, 1, n);
    el(&b, 0x0040A160, "UT", text, n);
    free(text);
    ck_assert_int_eq(convert_bytes(&b), DF_ENOMEM);
    ck_assert_str_eq(err.message, "test.dcm: the metadata is larger than 64 MiB, or memory ran "
                                  "out");
    ck_assert_ptr_null(res.metadata);
    /* And the next file is fine. */
    reset(&b);
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    study_series_uids(&b);
    ck_assert_str_eq(convert(&b), "{}");
    free(b.d);
}
END_TEST

START_TEST(deepest_nesting)
{
    /* 32 nested sequences (the reader's bound) give valid JSON. */
    bytes b = {0};
    meta(&b, TS_EXPLICIT);
    sop_uid(&b);
    for (int i = 0; i < DF_DICOM_MAX_DEPTH; i++) {
        head(&b, 0x0040A730, "SQ", UNDEF);
        item(&b, UNDEF);
    }
    for (int i = 0; i < DF_DICOM_MAX_DEPTH; i++) {
        delim(&b, 0xFFFEE00D);
        delim(&b, 0xFFFEE0DD);
    }
    study_series_uids(&b);
    const char *s = convert(&b);
    ck_assert_int_eq(strncmp(s, "{\"0040A730\":{\"vr\":\"SQ\",\"Value\":[{\"0040A730\"", 43), 0);
    free(b.d);
}
END_TEST

/* ---- the generated corpus ---- */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The exact metadata of a few corpus files whose content does not depend on
 * the generator's --small (tests/data/dicomjson/NAME.json), kept to catch any
 * change of output; TEST_DATA names tests/data. */
static int golden_seen;

static void expect_golden(const char *name)
{
    const char *data = getenv("TEST_DATA");
    char path[4096];
    size_t n = strlen(name);
    snprintf(path, sizeof path, "%s/dicomjson/%.*s.json", data && data[0] ? data : "tests/data",
             (int)(n - 4), name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    static char want[1 << 16];
    size_t got = fread(want, 1, sizeof want - 1, f);
    fclose(f);
    want[got] = '\0';
    golden_seen++;
    ck_assert_msg(strcmp(res.metadata, want) == 0, "%s differs from %s:\n%s", name, path,
                  res.metadata);
}

/* Converts every .dcm file in dir; returns how many there were. */
static int convert_folder(const char *dir, bool good)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_suffix(e->d_name, ".dcm"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        df_error_clear(&err);
        int rc = df_dicomjson_convert_path(conv, path, &res, &err);
        count++;
        if (!good) {
            ck_assert_msg(rc == DF_EINVAL, "%s: converted without an error", path);
            ck_assert_msg(strncmp(err.message, path, strlen(path)) == 0, "%s: message %s", path,
                          err.message);
            continue;
        }
        if (strcmp(e->d_name, "un_undefined_length.dcm") == 0) {
            /* The generator gives it no Study/Series UID: rejected by design. */
            ck_assert_int_eq(rc, DF_EINVAL);
            ck_assert_ptr_nonnull(strstr(err.message, "no Study Instance UID"));
            continue;
        }
        ck_assert_msg(rc == 0, "%s: %s", path, err.message);
        json_error_t jerr;
        json_t *j = json_loadb(res.metadata, res.metadata_len, JSON_REJECT_DUPLICATES, &jerr);
        ck_assert_msg(j != NULL, "%s: invalid JSON: %s", path, jerr.text);
        ck_assert_msg(json_object_get(j, "00100010") != NULL, "%s: no PatientName", path);
        ck_assert_msg(json_object_get(j, "7FE00010") == NULL, "%s: Pixel Data", path);
        ck_assert_msg(json_object_get(j, "00020010") == NULL, "%s: group 0002", path);
        ck_assert(df_uid_valid(res.sop_uid, strlen(res.sop_uid)));
        json_t *sop = json_object_get(json_object_get(j, "00080018"), "Value");
        ck_assert_str_eq(json_string_value(json_array_get(sop, 0)), res.sop_uid);
        json_decref(j);
        expect_golden(e->d_name);
    }
    closedir(d);
    return count;
}

START_TEST(generated_corpus)
{
    const char *dir = getenv("DCMFEED_CORPUS");
    if (dir == NULL || dir[0] == '\0')
        return;
    golden_seen = 0;
    ck_assert_int_ge(convert_folder(dir, true), 10);
    const char *data = getenv("TEST_DATA");
    if (data != NULL && data[0] != '\0')
        ck_assert_int_eq(golden_seen, 3);
    char bad[4096];
    snprintf(bad, sizeof bad, "%s/bad", dir);
    ck_assert_int_ge(convert_folder(bad, false), 10);
}
END_TEST

static Suite *dicomjson_suite(void)
{
    Suite *s = suite_create("dicomjson");
    TCase *tc = tcase_create("writer");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, binary_numbers);
    tcase_add_test(tc, nan_and_infinity_are_null);
    tcase_add_test(tc, decimal_and_integer_strings);
    tcase_add_test(tc, text_values_and_padding);
    tcase_add_test(tc, nul_in_text_is_replaced);
    tcase_add_test(tc, person_names);
    tcase_add_test(tc, binary_inline_and_bulk);
    tcase_add_test(tc, pixel_data_always_left_out);
    tcase_add_test(tc, sequences);
    tcase_add_test(tc, un_of_undefined_length_is_a_sequence);
    tcase_add_test(tc, group_0002_group_lengths_and_padding_left_out);
    tcase_add_test(tc, trailing_zero_padding_is_kept_with_a_warning);
    tcase_add_test(tc, tags_put_in_order);
    tcase_add_test(tc, implicit_and_big_endian_give_the_same_json);
    tcase_add_test(tc, charset_latin1_and_utf8);
    tcase_add_test(tc, charset_single_byte_through_iconv);
    tcase_add_test(tc, charset_iso2022);
    tcase_add_test(tc, charset_unknown_is_kept_with_a_warning);
    tcase_add_test(tc, charset_of_an_item_applies_to_that_item);
    tcase_add_test(tc, uids_from_the_top_level);
    tcase_add_test(tc, errors_name_the_file_not_the_values);
    tcase_add_test(tc, metadata_ceiling);
    tcase_add_test(tc, deepest_nesting);
    tcase_add_test(tc, generated_corpus);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dicomjson_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
