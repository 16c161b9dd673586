/* Unit tests of ingest_json.c: what a DICOM JSON file becomes (the datasets,
 * their UIDs, their compact metadata byte for byte) and every way one is
 * turned away at the door, with the message a person would read. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/dicomjson.h"
#include "../src/ingest_json.h"
#include "dicom_bytes.h"

/* The three UIDs every dataset needs, compact. */
#define STUDY      "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}"
#define SERIES     "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4\"]}"
#define SOP(n)     "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4." n "\"]}"
#define UIDS       STUDY "," SERIES "," SOP("5")
#define DATASET(n) "{" STUDY "," SERIES "," SOP(n) "}"

static df_ingest_json_file file;
static df_error err;

static int parse(const char *text)
{
    df_ingest_json_free(&file);
    df_error_clear(&err);
    return df_ingest_json_parse("t.json", text, strlen(text), &file, &err);
}

static void assert_metadata(size_t i, const char *expected)
{
    ck_assert_uint_lt(i, file.count);
    const df_ingest_dataset *d = &file.datasets[i];
    ck_assert_msg(d->metadata_len == strlen(expected) &&
                      memcmp(d->metadata, expected, d->metadata_len) == 0,
                  "dataset %zu: got %.*s, want %s", i, (int)d->metadata_len, d->metadata, expected);
}

/* Expects a rejection with DF_EINVAL and a message containing want. */
static void assert_rejected(const char *text, const char *want)
{
    int rc = parse(text);
    ck_assert_int_eq(rc, DF_EINVAL);
    ck_assert_int_eq(err.code, DF_EINVAL);
    ck_assert_msg(strstr(err.message, want) != NULL, "message '%s' lacks '%s'", err.message, want);
    ck_assert_msg(strncmp(err.message, "t.json: ", 8) == 0, "message '%s' does not name the file",
                  err.message);
    ck_assert_uint_eq(file.count, 0);
    ck_assert_ptr_null(file.datasets);
}

static void teardown(void)
{
    df_ingest_json_free(&file);
}

START_TEST(test_object)
{
    ck_assert_int_eq(parse("{" UIDS "}"), 0);
    ck_assert_uint_eq(file.count, 1);
    ck_assert_str_eq(file.datasets[0].study_uid, "1.2.3");
    ck_assert_str_eq(file.datasets[0].series_uid, "1.2.3.4");
    ck_assert_str_eq(file.datasets[0].sop_uid, "1.2.3.4.5");
    assert_metadata(0, "{" UIDS "}");
}
END_TEST

START_TEST(test_array)
{
    char text[512];
    snprintf(text, sizeof text, "[%s,\n %s , %s]", DATASET("1"), DATASET("2"), DATASET("3"));
    ck_assert_int_eq(parse(text), 0);
    ck_assert_uint_eq(file.count, 3);
    for (size_t i = 0; i < 3; i++) {
        char sop[32];
        snprintf(sop, sizeof sop, "1.2.3.4.%zu", i + 1);
        ck_assert_str_eq(file.datasets[i].sop_uid, sop);
        ck_assert_str_eq(file.datasets[i].series_uid, "1.2.3.4");
    }
    assert_metadata(0, DATASET("1"));
    assert_metadata(1, DATASET("2"));
    assert_metadata(2, DATASET("3"));
}
END_TEST

START_TEST(test_pretty_compacts_exactly)
{
    const char *pretty = "\xEF\xBB\xBF  {\r\n"
                         "\t\"00080018\" : { \"vr\" : \"UI\" , \"Value\" : [ \"1.2.3.4.5\" ] } ,\n"
                         "  \"00181050\": {\"vr\": \"DS\", \"Value\": [0.1, 1e-7, -0.0, 1E+2]},\n"
                         "  \"00201041\": {\"vr\": \"DS\", \"Value\": [ 12345678901234 ]},\n"
                         "  \"00280010\": {\"vr\": \"US\", \"Value\": [512, null ]},\n"
                         "  \"00189999\": {\"vr\": \"UV\", \"Value\": [18446744073709551615]},\n"
                         "  \"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.2.3\"]},\n"
                         "  \"0020000E\": {\"vr\": \"UI\", \"Value\": [\"1.2.3.4\"]},\n"
                         "  \"00100010\": {\"vr\": \"PN\", \"Value\": [ {\"Alphabetic\": "
                         "\"Doe^ John\"} ]},\n"
                         "  \"00081030\": {\"vr\": \"LO\"}\n"
                         "}\n\n";
    ck_assert_int_eq(parse(pretty), 0);
    assert_metadata(0, "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4.5\"]},"
                       "\"00181050\":{\"vr\":\"DS\",\"Value\":[0.1,1e-7,-0.0,1E+2]},"
                       "\"00201041\":{\"vr\":\"DS\",\"Value\":[12345678901234]},"
                       "\"00280010\":{\"vr\":\"US\",\"Value\":[512,null]},"
                       "\"00189999\":{\"vr\":\"UV\",\"Value\":[18446744073709551615]},"
                       "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
                       "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4\"]},"
                       "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^ John\"}]},"
                       "\"00081030\":{\"vr\":\"LO\"}}");
}
END_TEST

START_TEST(test_strings_preserved)
{
    /* Escapes stay as written (not decoded, not re-escaped); UTF-8 and
     * whitespace inside strings stay too. */
    ck_assert_int_eq(parse("{" UIDS ",\"00081030\": {\"vr\":\"LO\",\"Value\":"
                           "[\"a \\\"q\\\" \\\\ \\/ \\n \\u00e9 \\ud83d\\ude00\", "
                           "\"M\xc3\xbcller \xe5\xb1\xb1\xe7\x94\xb0\", \"  two  spaces \"]}}"),
                     0);
    assert_metadata(0, "{" UIDS ",\"00081030\":{\"vr\":\"LO\",\"Value\":"
                       "[\"a \\\"q\\\" \\\\ \\/ \\n \\u00e9 \\ud83d\\ude00\","
                       "\"M\xc3\xbcller \xe5\xb1\xb1\xe7\x94\xb0\",\"  two  spaces \"]}}");
}
END_TEST

START_TEST(test_group_0002_dropped)
{
    const char *meta = "\"00020010\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.1.2.1\"]}";
    char text[1024];
    /* first, middle and last members of the dataset */
    snprintf(text, sizeof text,
             "{%s, " UIDS ",\"00020002\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]},"
             "\"00080016\":{\"vr\":\"UI\"},\"00020013\":{\"vr\":\"SH\",\"Value\":[\"X\"]}}",
             meta);
    ck_assert_int_eq(parse(text), 0);
    assert_metadata(0, "{" UIDS ",\"00080016\":{\"vr\":\"UI\"}}");

    /* an escaped key of group 0002 is still group 0002; escaped keys come out plain */
    ck_assert_int_eq(parse("{\"\\u00300020010\":{\"vr\":\"OB\"}," UIDS
                           ",\"0008\\u00300\\u00360\":{\"vr\":\"CS\",\"Value\":[\"CT\"]}}"),
                     0);
    assert_metadata(0, "{" UIDS ",\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]}}");

    /* group 0002 inside a sequence item is not file meta: kept */
    ck_assert_int_eq(parse("{" UIDS ",\"00081115\":{\"vr\":\"SQ\",\"Value\":[{\"00020010\":"
                           "{\"vr\":\"UI\"}}]}}"),
                     0);
    assert_metadata(0, "{" UIDS ",\"00081115\":{\"vr\":\"SQ\",\"Value\":[{\"00020010\":"
                       "{\"vr\":\"UI\"}}]}}");
}
END_TEST

START_TEST(test_sequences_and_binary)
{
    ck_assert_int_eq(parse("{" UIDS ",\"00081115\":{\"vr\":\"SQ\",\"Value\":[{}, "
                           "{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]},"
                           "\"00091001\":{\"vr\":\"OB\",\"InlineBinary\":\"AAEC\"},"
                           "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"http://x/1\"},"
                           "\"00081199\":{\"vr\":\"SQ\",\"Value\":[]}}"),
                     0);
    ck_assert_uint_eq(file.count, 1);
    /* Pixel Data given by BulkDataURI is bulk data, left out. */
    assert_metadata(0, "{" UIDS ",\"00081115\":{\"vr\":\"SQ\",\"Value\":[{},"
                       "{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]},"
                       "\"00091001\":{\"vr\":\"OB\",\"InlineBinary\":\"AAEC\"},"
                       "\"00081199\":{\"vr\":\"SQ\",\"Value\":[]}}");
}
END_TEST

/* ---- bulk data: the rule of the Part 10 path (df_dicom_is_bulk) ---- */

/* n bytes (i * 7 mod 256) as base64, NUL-terminated; caller frees. */
static char *base64_of(size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((n + 2) / 3 * 4 + 1);
    ck_assert_ptr_nonnull(out);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t w = (uint32_t)(i * 7 % 256) << 16;
        if (i + 1 < n)
            w |= (uint32_t)((i + 1) * 7 % 256) << 8;
        if (i + 2 < n)
            w |= (uint32_t)((i + 2) * 7 % 256);
        out[o++] = abc[w >> 18];
        out[o++] = abc[(w >> 12) & 63];
        out[o++] = i + 1 < n ? abc[(w >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? abc[w & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

/* "TAG":{"vr":"VR","InlineBinary":"<n bytes>"}; caller frees. */
static char *inline_binary(const char *tag, const char *vr, size_t n)
{
    char *b64 = base64_of(n);
    size_t cap = strlen(b64) + 64;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    snprintf(s, cap, "\"%s\":{\"vr\":\"%s\",\"InlineBinary\":\"%s\"}", tag, vr, b64);
    free(b64);
    return s;
}

/* Parses {UIDS,attr} and says whether attr stayed in the metadata. */
static bool kept(const char *attr)
{
    size_t cap = strlen(attr) + 256;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    snprintf(text, cap, "{" UIDS ",%s}", attr);
    ck_assert_int_eq(parse(text), 0);
    free(text);
    const df_ingest_dataset *d = &file.datasets[0];
    if (d->metadata_len == strlen("{" UIDS "}")) {
        ck_assert_int_eq(memcmp(d->metadata, "{" UIDS "}", d->metadata_len), 0);
        return false;
    }
    return true;
}

static bool kept_binary(const char *tag, const char *vr, size_t n)
{
    char *attr = inline_binary(tag, vr, n);
    bool k = kept(attr);
    free(attr);
    return k;
}

START_TEST(test_binary_over_1024_bytes_left_out)
{
    ck_assert(!kept_binary("00091010", "OB", 2000));
    ck_assert(kept_binary("00091010", "OB", 1000));
    ck_assert(kept_binary("00091010", "OB", 1024));
    ck_assert(!kept_binary("00091010", "OB", 1025));
    static const char *const binary[] = {"OD", "OF", "OL", "OV", "OW", "UN"};
    for (size_t i = 0; i < sizeof binary / sizeof binary[0]; i++) {
        ck_assert_msg(!kept_binary("00091010", binary[i], 1032), "%s", binary[i]);
        ck_assert_msg(kept_binary("00091010", binary[i], 1024), "%s", binary[i]);
    }
    /* An unknown VR is UN, as the Part 10 reader reads it. */
    ck_assert(!kept_binary("00091010", "ZZ", 2000));
    /* Pixel data is bulk whatever its length. */
    ck_assert(!kept_binary("7FE00010", "OW", 16));
    ck_assert(!kept_binary("7FE00008", "OF", 16));
    ck_assert(!kept_binary("7FE00009", "OD", 16));
    /* A BulkDataURI names bytes elsewhere: bulk data, never the feed's. */
    ck_assert(!kept("\"00091010\":{\"vr\":\"OB\",\"BulkDataURI\":\"http://pacs/bulk/1\"}"));
    ck_assert(!kept("\"00091010\":{\"BulkDataURI\":\"x\",\"vr\":\"OB\"}"));
    /* The attribute without a value stays. */
    ck_assert(kept("\"00091010\":{\"vr\":\"OB\"}"));
}
END_TEST

START_TEST(test_binary_length_is_decoded)
{
    /* 1368 base64 characters are 1026 bytes; written with "\/" escapes
     * (as some encoders write '/') it is the same value, so the same rule. */
    char *b64 = base64_of(1026);
    size_t cap = strlen(b64) * 2 + 128;
    char *attr = malloc(cap);
    ck_assert_ptr_nonnull(attr);
    size_t o = (size_t)snprintf(attr, cap, "\"00091010\":{\"vr\":\"OB\",\"InlineBinary\":\"");
    for (const char *p = b64; *p; p++) {
        if (*p == '/')
            attr[o++] = '\\';
        attr[o++] = *p;
    }
    snprintf(attr + o, cap - o, "\"}");
    ck_assert_ptr_nonnull(strstr(attr, "\\/"));
    ck_assert(!kept(attr));
    free(attr);
    free(b64);
    /* "vr" written with escapes names the same VR. */
    char *big = base64_of(2000);
    cap = strlen(big) + 128;
    attr = malloc(cap);
    ck_assert_ptr_nonnull(attr);
    snprintf(attr, cap, "\"00091010\":{\"\\u0076r\":\"\\u004FB\",\"InlineBinary\":\"%s\"}", big);
    ck_assert(!kept(attr));
    free(attr);
    free(big);
}
END_TEST

START_TEST(test_binary_left_out_inside_sequences)
{
    char *big = inline_binary("00091011", "OB", 2000);
    char *small = inline_binary("00091012", "OB", 10);
    size_t cap = 2 * strlen(big) + strlen(small) + 512;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    snprintf(text, cap,
             "{" UIDS ",\"00091020\":{\"Value\":[{%s,%s},{\"00081115\":{\"vr\":\"SQ\","
             "\"Value\":[{%s}]}}],\"vr\":\"SQ\"}}",
             big, small, big);
    ck_assert_msg(parse(text) == 0, "%s", err.message);
    char *want_small = inline_binary("00091012", "OB", 10);
    char want[512];
    snprintf(want, sizeof want,
             "{" UIDS ",\"00091020\":{\"Value\":[{%s},{\"00081115\":{\"vr\":\"SQ\","
             "\"Value\":[{}]}}],\"vr\":\"SQ\"}}",
             want_small);
    assert_metadata(0, want);
    free(want_small);
    free(text);
    free(big);
    free(small);
}
END_TEST

/* An Explicit VR Little Endian Part 10 file of the three UIDs and the binary
 * attributes of test_same_as_part10, its DICOM JSON twin beside it. */
static void part10_twin(bytes *b, char **json_text)
{
    static const unsigned char zero[128] = {0};
    put(b, zero, 128);
    put(b, "DICM", 4);
    static const char ts[] = "1.2.840.10008.1.2.1";
    ex(b, 0x00020000, "UL", "\x1c\0\0\0", 4, false); /* the group's length: one element */
    ex(b, 0x00020010, "UI", ts, sizeof ts, false);   /* 19 + NUL = 20, + 8 of header */
    ex(b, 0x00080018, "UI", "1.2.3.4.5\0", 10, false);
    static const size_t sizes[] = {1000, 2000, 1024, 1026};
    unsigned char v[2000];
    for (size_t i = 0; i < sizeof v; i++)
        v[i] = (unsigned char)(i * 7 % 256);
    char *parts[4];
    size_t total = 0;
    for (uint32_t k = 0; k < 4; k++) {
        ex(b, 0x00091010 + k, "OB", v, sizes[k], false);
        char tag[9];
        snprintf(tag, sizeof tag, "%08X", 0x00091010 + k);
        parts[k] = inline_binary(tag, "OB", sizes[k]);
        total += strlen(parts[k]) + 1;
    }
    ex(b, 0x0020000D, "UI", "1.2.3\0", 6, false);
    ex(b, 0x0020000E, "UI", "1.2.3.4\0", 8, false);
    *json_text = malloc(total + 256);
    ck_assert_ptr_nonnull(*json_text);
    /* In tag order, as the Part 10 path writes it. */
    strcpy(*json_text, "{\n  " SOP("5"));
    for (int k = 0; k < 4; k++) {
        strcat(*json_text, ",\n  ");
        strcat(*json_text, parts[k]);
        free(parts[k]);
    }
    strcat(*json_text, ",\n  " STUDY ",\n  " SERIES "\n}\n");
}

START_TEST(test_same_as_part10)
{
    bytes b = {0};
    char *text = NULL;
    part10_twin(&b, &text);
    df_dicomjson *conv = df_dicomjson_new();
    ck_assert_ptr_nonnull(conv);
    df_dicom_memio m;
    df_dicom_memio_init(&m, b.d, b.n);
    df_dicomjson_result res;
    df_error perr = {0};
    ck_assert_msg(df_dicomjson_convert_io(conv, &m.io, "twin.dcm", &res, &perr) == 0, "%s",
                  perr.message);
    ck_assert_int_eq(parse(text), 0);
    const df_ingest_dataset *d = &file.datasets[0];
    ck_assert_msg(d->metadata_len == res.metadata_len &&
                      memcmp(d->metadata, res.metadata, d->metadata_len) == 0,
                  "DICOM JSON: %.*s\nPart 10:    %.*s",
                  (int)(d->metadata_len > 300 ? 300 : d->metadata_len), d->metadata,
                  (int)(res.metadata_len > 300 ? 300 : res.metadata_len), res.metadata);
    /* Both kept the 1000 and 1024 bytes and left out the others. */
    ck_assert_ptr_nonnull(memmem(d->metadata, d->metadata_len, "\"00091010\"", 10));
    ck_assert_ptr_null(memmem(d->metadata, d->metadata_len, "\"00091011\"", 10));
    ck_assert_ptr_nonnull(memmem(d->metadata, d->metadata_len, "\"00091012\"", 10));
    ck_assert_ptr_null(memmem(d->metadata, d->metadata_len, "\"00091013\"", 10));
    df_dicomjson_free(conv);
    free(b.d);
    free(text);
}
END_TEST

/* Nests n levels of sequences: the innermost attribute is at depth n + 1. */
static char *nested(int n)
{
    size_t cap = 256 + (size_t)n * 96;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    size_t o = (size_t)snprintf(s, cap, "{" UIDS);
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, cap - o,
                              ",\"00081115\":{\"vr\":\"SQ\",\"Value\":[{\"00100020\":"
                              "{\"vr\":\"LO\",\"Value\":[\"x\"]}");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, cap - o, "}]}");
    snprintf(s + o, cap - o, "}");
    return s;
}

START_TEST(test_depth_bound)
{
    char *ok = nested(DF_INGEST_JSON_MAX_DEPTH - 1);
    ck_assert_int_eq(parse(ok), 0);
    free(ok);
    char *deep = nested(DF_INGEST_JSON_MAX_DEPTH);
    assert_rejected(deep, "t.json: dataset 1: 00081115 item 1 > 00081115 item 1 > (27 more) > "
                          "00081115 item 1 > 00081115 item 1 > 00081115: sequences are nested "
                          "deeper than 32");
    free(deep);
    /* far deeper than jansson allows: still a clean error */
    char *abyss = nested(3000);
    assert_rejected(abyss, "invalid JSON");
    free(abyss);
}
END_TEST

START_TEST(test_missing_uid)
{
    assert_rejected("{" STUDY "," SERIES "}",
                    "t.json: dataset 1: 00080018 (SOPInstanceUID) is missing");
    assert_rejected("[{" UIDS "},{" SERIES "," SOP("6") "}]",
                    "t.json: dataset 2: 0020000D (StudyInstanceUID) is missing");
    assert_rejected("{" STUDY "," SOP("1") "}", "0020000E (SeriesInstanceUID) is missing");
    assert_rejected("{" STUDY "," SERIES ",\"00080018\":{\"vr\":\"UI\"}}",
                    "00080018 (SOPInstanceUID) has no value");
    assert_rejected("{" STUDY "," SERIES ",\"00080018\":{\"vr\":\"UI\",\"Value\":[]}}",
                    "must have exactly one value, has 0");
    assert_rejected("{" STUDY "," SERIES
                    ",\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2\",\"1.3\"]}}",
                    "must have exactly one value, has 2");
    assert_rejected("{" STUDY "," SERIES ",\"00080018\":{\"vr\":\"UI\",\"Value\":[12]}}",
                    "the value is a number, not a string");
}
END_TEST

START_TEST(test_invalid_uid)
{
    assert_rejected("{" STUDY "," SERIES ",\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.02.3\"]}}",
                    "t.json: dataset 1: SOPInstanceUID '1.02.3' is not a valid UID");
    assert_rejected("{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3 \"]}," SERIES "," SOP("1") "}",
                    "StudyInstanceUID '1.2.3 ' is not a valid UID");
    /* a long garbage value is cut, never printed whole */
    assert_rejected("{" STUDY ",\"0020000E\":{\"vr\":\"UI\",\"Value\":"
                    "[\"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27."
                    "28.29.30\"]}," SOP("1") "}",
                    "SeriesInstanceUID '1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21."
                    "22.23.24.2...' is not a valid UID"); /* 64 characters shown */
    assert_rejected("{" STUDY "," SERIES ",\"00080018\":{\"vr\":\"UI\",\"Value\":"
                    "[\"1.2\\n3\"]}}",
                    "SOPInstanceUID '1.2?3' is not a valid UID");
}
END_TEST

START_TEST(test_uid_not_ui)
{
    assert_rejected("{\"0020000D\":{\"vr\":\"LO\",\"Value\":[\"1.2.3\"]}," SERIES "," SOP("1") "}",
                    "dataset 1: 0020000D (StudyInstanceUID) does not have vr \"UI\"");
    assert_rejected("{\"0020000D\":[\"1.2.3\"]," SERIES "," SOP("1") "}",
                    "0020000D (StudyInstanceUID) is an array, not an attribute object");
}
END_TEST

START_TEST(test_value_not_array)
{
    assert_rejected("{" STUDY "," SERIES ",\"00080018\":{\"vr\":\"UI\",\"Value\":\"1.2\"}}",
                    "00080018 (SOPInstanceUID): \"Value\" is a string, not an array");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":\"US\",\"Value\":512}}",
                    "dataset 1: 00280010: \"Value\" is a number, not an array");
}
END_TEST

START_TEST(test_bad_attribute)
{
    assert_rejected("{" UIDS ",\"00280010\":{\"Value\":[1]}}", "00280010: has no \"vr\"");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":\"us\"}}",
                    "00280010: \"vr\" is not two upper-case letters");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":\"USS\"}}", "not two upper-case letters");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":7}}", "not two upper-case letters");
    assert_rejected("{" UIDS ",\"00280010\":\"x\"}", "00280010: is a string, not an attribute");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":\"US\",\"value\":[1]}}",
                    "00280010: has an unknown member 'value'");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":\"OB\",\"InlineBinary\":\"AA\","
                    "\"BulkDataURI\":\"x\"}}",
                    "has more than one of");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":\"OB\",\"InlineBinary\":[1]}}",
                    "\"InlineBinary\" is an array, not a string");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":\"US\",\"Value\":[true]}}",
                    "00280010: value 1 is a boolean, not a string, number or null");
    assert_rejected("{" UIDS ",\"00280010\":{\"vr\":\"US\",\"Value\":[1,[2]]}}",
                    "value 2 is an array");
    assert_rejected("{" UIDS ",\"00100010\":{\"vr\":\"PN\",\"Value\":[\"Doe^John\"]}}",
                    "00100010: value 1 is a string, not a person name object");
    assert_rejected("{" UIDS ",\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetical\":\"D\"}]}}",
                    "value 1 has an unknown member 'Alphabetical'");
    assert_rejected("{" UIDS ",\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":1}]}}",
                    "'Alphabetic' is a number, not a string");
    assert_rejected("{" UIDS ",\"00081115\":{\"vr\":\"SQ\",\"Value\":[{}, \"x\"]}}",
                    "00081115: item 2 is a string, not an object");
    assert_rejected("{" UIDS ",\"00081115\":{\"vr\":\"SQ\",\"Value\":[{},"
                    "{\"00081150\":{\"vr\":\"UI\",\"Value\":{}}}]}}",
                    "dataset 1: 00081115 item 2 > 00081150: \"Value\" is an object, not an array");
}
END_TEST

START_TEST(test_bad_key)
{
    assert_rejected("{" UIDS ",\"0020000d\":{\"vr\":\"UI\"}}",
                    "dataset 1: key '0020000d' is not a tag of 8 upper-case hex digits");
    assert_rejected("{" UIDS ",\"0020000\":{\"vr\":\"UI\"}}", "key '0020000' is not a tag");
    assert_rejected("{" UIDS ",\"002000000\":{\"vr\":\"UI\"}}", "key '002000000' is not a tag");
    assert_rejected("{" UIDS ",\"PatientName\":{\"vr\":\"PN\"}}", "key 'PatientName'");
    assert_rejected("{" UIDS ",\"00081115\":{\"vr\":\"SQ\",\"Value\":[{\"x\":{\"vr\":\"UI\"}}]}}",
                    "dataset 1: 00081115 item 1 > key 'x' is not a tag");
}
END_TEST

START_TEST(test_duplicate_key)
{
    assert_rejected("{" UIDS ",\"00100010\":{\"vr\":\"PN\"},\n\"00100010\":{\"vr\":\"PN\"}}",
                    "t.json: line 2, column 10: invalid JSON: duplicate object key");
}
END_TEST

START_TEST(test_malformed_json)
{
    assert_rejected("{" UIDS ",\n\n  \"00100010\" {}}", "t.json: line 3, column ");
    assert_rejected("{" UIDS ",\n\n  \"00100010\" {}}", "invalid JSON: ");
    assert_rejected("{" UIDS "", "invalid JSON");
    assert_rejected("{" UIDS "} {}", "invalid JSON");
    assert_rejected("{" UIDS ",\"00100010\":{\"vr\":\"PN\",\"Value\":[01]}}", "invalid JSON");
    assert_rejected("{" UIDS ",\"00100010\":{\"vr\":\"PN\",\"Value\":[\"\xff\"]}}", "invalid JSON");
    /* the message never quotes the text around the error: it may be a name */
    int rc = parse("{" UIDS ",\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^John\n");
    ck_assert_int_eq(rc, DF_EINVAL);
    ck_assert_msg(strstr(err.message, "Doe") == NULL, "message '%s' leaks a value", err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "invalid JSON"));
}
END_TEST

START_TEST(test_array_syntax)
{
    /* the bytes between datasets are checked here, not by jansson: the
     * line and column are still those of the whole file */
    char text[1024];
    snprintf(text, sizeof text, "[%s,\n %s x]", DATASET("1"), DATASET("2"));
    assert_rejected(text, "t.json: line 2, column 133: invalid JSON: ',' or ']' expected");
    snprintf(text, sizeof text, "[%s", DATASET("1"));
    assert_rejected(text, "t.json: line 1, column 132: invalid JSON: unexpected end of file");
    snprintf(text, sizeof text, "[%s] x", DATASET("1"));
    assert_rejected(text, "t.json: line 1, column 134: invalid JSON: end of file expected");
    snprintf(text, sizeof text, "%s\n {}", DATASET("1"));
    assert_rejected(text, "t.json: line 2, column 2: invalid JSON: end of file expected");
    snprintf(text, sizeof text, "[%s,]", DATASET("1"));
    assert_rejected(text, "t.json: line 1, column 133: invalid JSON: unexpected token");
    /* inside a later dataset: jansson's position, moved to the file's */
    snprintf(text, sizeof text, "[%s,\n%s,\n  \"00100010\" {}}]", DATASET("1"), "{" UIDS);
    assert_rejected(text, "t.json: line 3, column 14: invalid JSON: ':' expected");
    snprintf(text, sizeof text, "[{%s,\"00100020\":{\"vr\":\"LO\",\"Value\":[\"\xc3\xa9\"]}}, x]",
             UIDS);
    assert_rejected(text, "t.json: line 1, column 171: invalid JSON: invalid token");
    assert_rejected("[", "t.json: line 1, column 1: invalid JSON: unexpected token");
}
END_TEST

START_TEST(test_not_datasets)
{
    assert_rejected("[]", "t.json: the array holds no dataset");
    assert_rejected(" [ ] ", "the array holds no dataset");
    assert_rejected("", "t.json: is empty");
    assert_rejected(" \n ", "t.json: is empty");
    assert_rejected("\"1.2.3\"", "t.json: the top level is a string, not a dataset object");
    assert_rejected("42", "the top level is a number");
    assert_rejected("null", "the top level is null");
    assert_rejected("[{" UIDS "}, 7]", "t.json: dataset 2: is a number, not a dataset object");
    assert_rejected("[[{" UIDS "}]]", "dataset 1: is an array, not a dataset object");
}
END_TEST

START_TEST(test_long_name)
{
    /* a long path is cut from the front, so the reason still shows */
    char name[400];
    memset(name, 'd', sizeof name);
    memcpy(name + sizeof name - 12, "/study.json", 12);
    df_error_clear(&err);
    ck_assert_int_eq(df_ingest_json_parse(name, "[]", 2, &file, &err), DF_EINVAL);
    ck_assert_msg(strncmp(err.message, "...ddd", 6) == 0, "%s", err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "d/study.json: the array holds no dataset"));
}
END_TEST

START_TEST(test_free_is_idempotent)
{
    df_ingest_json_file empty = {0};
    df_ingest_json_free(&empty);
    df_ingest_json_free(NULL);
    ck_assert_int_eq(parse("{" UIDS "}"), 0);
    df_ingest_json_free(&file);
    df_ingest_json_free(&file);
    ck_assert_uint_eq(file.count, 0);
}
END_TEST

static Suite *ingest_json_suite(void)
{
    Suite *s = suite_create("ingest_json");
    TCase *tc = tcase_create("accepted");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_object);
    tcase_add_test(tc, test_array);
    tcase_add_test(tc, test_pretty_compacts_exactly);
    tcase_add_test(tc, test_strings_preserved);
    tcase_add_test(tc, test_group_0002_dropped);
    tcase_add_test(tc, test_sequences_and_binary);
    tcase_add_test(tc, test_binary_over_1024_bytes_left_out);
    tcase_add_test(tc, test_binary_length_is_decoded);
    tcase_add_test(tc, test_binary_left_out_inside_sequences);
    tcase_add_test(tc, test_same_as_part10);
    tcase_add_test(tc, test_free_is_idempotent);
    suite_add_tcase(s, tc);

    tc = tcase_create("rejected");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_depth_bound);
    tcase_add_test(tc, test_missing_uid);
    tcase_add_test(tc, test_invalid_uid);
    tcase_add_test(tc, test_uid_not_ui);
    tcase_add_test(tc, test_value_not_array);
    tcase_add_test(tc, test_bad_attribute);
    tcase_add_test(tc, test_bad_key);
    tcase_add_test(tc, test_duplicate_key);
    tcase_add_test(tc, test_malformed_json);
    tcase_add_test(tc, test_array_syntax);
    tcase_add_test(tc, test_not_datasets);
    tcase_add_test(tc, test_long_name);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ingest_json_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
