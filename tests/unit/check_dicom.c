/* Tests of the DICOM Part 10 reader: hand-made byte streams for each transfer
 * syntax and each error path, and, when DCMFEED_CORPUS names a folder made by
 * tests/lib/gen_corpus.py, every file in it (good ones parse, bad/ ones fail). */
#include "dicom.h"
#include "dicom_dict.h"

#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* ---- building inputs ---- */

#include "dicom_bytes.h"

static void ex_str(bytes *b, uint32_t tag, const char *vr, const char *s)
{
    ex(b, tag, vr, s, strlen(s), false);
}

static void im(bytes *b, uint32_t tag, const void *v, uint32_t n)
{
    put_tag(b, tag, false);
    put32(b, n, false);
    put(b, v, n);
}

static void im_str(bytes *b, uint32_t tag, const char *s)
{
    im(b, tag, s, (uint32_t)strlen(s));
}

static void item_tag(bytes *b, uint32_t tag, uint32_t length, bool big)
{
    put_tag(b, tag, big);
    put32(b, length, big);
}

#define ITEM       0xFFFEE000u
#define ITEM_DELIM 0xFFFEE00Du
#define SEQ_DELIM  0xFFFEE0DDu
#define UNDEF      0xFFFFFFFFu

/* Preamble, DICM and a group 0002 naming ts; group_length_delta falsifies the
 * group length. Returns the offset where the dataset starts. */
static size_t meta_ex(bytes *b, const char *ts, bool preamble, int group_length_delta)
{
    bytes g = {0};
    ex(&g, 0x00020001, "OB", "\0\1", 2, false);
    ex_str(&g, 0x00020002, "UI", "1.2.840.10008.5.1.4.1.1.2");
    ex_str(&g, 0x00020003, "UI", "1.2.3.4.5.6 ");
    size_t tslen = strlen(ts);
    ex_head(&g, 0x00020010, "UI", (uint32_t)(tslen + tslen % 2), false);
    put(&g, ts, tslen);
    if (tslen % 2)
        put(&g, "\0", 1);
    if (preamble) {
        unsigned char zero[128] = {0};
        put(b, zero, 128);
        put(b, "DICM", 4);
    }
    uint32_t gl = (uint32_t)((long)g.n + group_length_delta);
    ex(b, 0x00020000, "UL", (unsigned char[]){gl & 0xFF, gl >> 8 & 0xFF, gl >> 16 & 0xFF, 0}, 4,
       false);
    put(b, g.d, g.n);
    free(g.d);
    return b->n;
}

#define TS_IMPLICIT "1.2.840.10008.1.2"
#define TS_EXPLICIT "1.2.840.10008.1.2.1"
#define TS_BIG      "1.2.840.10008.1.2.2"
#define TS_DEFLATE  "1.2.840.10008.1.2.1.99"
#define TS_JPEG     "1.2.840.10008.1.2.4.50"

/* ---- recording what the reader reports ---- */

typedef struct rec {
    char log[65536];
    size_t len;
    int stop_after; /* stop when this many events were seen; 0: never */
    int events;
    df_dicom_meta meta;
    bool meta_seen;
} rec;

static void logf_(rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(rec *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->log + r->len, sizeof r->log - r->len, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    ck_assert_uint_lt(r->len + (size_t)n, sizeof r->log);
    r->len += (size_t)n;
}

static bool next(rec *r)
{
    r->events++;
    return r->stop_after == 0 || r->events < r->stop_after;
}

static bool on_meta(void *ctx, const df_dicom_meta *m)
{
    rec *r = ctx;
    r->meta = *m;
    r->meta_seen = true;
    return true;
}

static bool on_element(void *ctx, uint32_t tag, df_dicom_vr vr, const void *value, uint32_t length)
{
    rec *r = ctx;
    const unsigned char *v = value;
    bool text = true;
    if (length > 0)
        ck_assert_ptr_nonnull(value);
    else
        ck_assert_ptr_null(value);
    switch (vr) {
    case DF_DICOM_VR_AT:
    case DF_DICOM_VR_FD:
    case DF_DICOM_VR_FL:
    case DF_DICOM_VR_OB:
    case DF_DICOM_VR_OD:
    case DF_DICOM_VR_OF:
    case DF_DICOM_VR_OL:
    case DF_DICOM_VR_OV:
    case DF_DICOM_VR_OW:
    case DF_DICOM_VR_SL:
    case DF_DICOM_VR_SS:
    case DF_DICOM_VR_SV:
    case DF_DICOM_VR_UL:
    case DF_DICOM_VR_UN:
    case DF_DICOM_VR_US:
    case DF_DICOM_VR_UV:
        text = false;
        break;
    default:
        break;
    }
    logf_(r, "%08X %s %u ", tag, df_dicom_vr_name(vr), length);
    for (uint32_t i = 0; i < length && i < 64; i++) {
        if (text && v[i] >= 0x20 && v[i] < 0x7F)
            logf_(r, "%c", v[i]);
        else
            logf_(r, text ? "\\x%02X" : "%02X", v[i]);
    }
    logf_(r, "\n");
    return next(r);
}

static bool on_bulk(void *ctx, uint32_t tag, df_dicom_vr vr, uint32_t length)
{
    rec *r = ctx;
    if (length == DF_DICOM_UNDEFINED_LENGTH)
        logf_(r, "bulk %08X %s encapsulated\n", tag, df_dicom_vr_name(vr));
    else
        logf_(r, "bulk %08X %s %u\n", tag, df_dicom_vr_name(vr), length);
    return next(r);
}

static bool on_seq(void *ctx, uint32_t tag, df_dicom_vr vr)
{
    rec *r = ctx;
    logf_(r, "seq %08X %s\n", tag, df_dicom_vr_name(vr));
    return next(r);
}

static bool on_item(void *ctx)
{
    rec *r = ctx;
    logf_(r, "item\n");
    return next(r);
}

static bool on_item_end(void *ctx)
{
    rec *r = ctx;
    logf_(r, "end item\n");
    return next(r);
}

static bool on_seq_end(void *ctx)
{
    rec *r = ctx;
    logf_(r, "end seq\n");
    return next(r);
}

static bool on_warning(void *ctx, const char *message)
{
    rec *r = ctx;
    ck_assert_ptr_nonnull(message);
    ck_assert_uint_gt(strlen(message), 0);
    logf_(r, "warning: %s\n", message);
    return next(r);
}

static const df_dicom_handler recorder = {on_meta, on_element,  on_bulk,    on_seq,
                                          on_item, on_item_end, on_seq_end, on_warning};

static df_error err;
static rec out;

/* Parses data with a fresh reader; returns the result, fills out and err. */
static int parse_mem(const void *data, size_t n)
{
    df_dicom_reader *r = df_dicom_reader_new();
    ck_assert_ptr_nonnull(r);
    df_dicom_memio m;
    df_dicom_memio_init(&m, data, n);
    int stop = out.stop_after;
    memset(&out, 0, sizeof out);
    out.stop_after = stop;
    df_error_clear(&err);
    df_dicom_meta meta;
    int rc = df_dicom_parse(r, &m.io, &recorder, &out, &meta, &err);
    if (rc == 0 && out.meta_seen)
        ck_assert_str_eq(meta.transfer_syntax, out.meta.transfer_syntax);
    ck_assert_int_eq(rc, err.code);
    df_dicom_reader_free(r);
    return rc;
}

static int parse_bytes(bytes *b)
{
    return parse_mem(b->d, b->n);
}

static void setup(void)
{
    memset(&out, 0, sizeof out);
    df_error_clear(&err);
}

#define ck_log(expected) ck_assert_str_eq(out.log, expected)
#define ck_fails_with(msg)                                                                         \
    do {                                                                                           \
        ck_assert_int_eq(err.code, DF_EINVAL);                                                     \
        ck_assert_str_eq(err.message, msg);                                                        \
    } while (0)

/* ---- Explicit VR Little Endian ---- */

START_TEST(explicit_le_elements_and_meta)
{
    bytes b = {0};
    size_t ds = meta_ex(&b, TS_EXPLICIT, true, 0);
    ex_str(&b, 0x00080060, "CS", "CT");
    ex_str(&b, 0x00100010, "PN", "Doe^Jane=\xE5\xB1\xB1");  /* odd length: kept */
    ex_str(&b, 0x00200032, "DS", "-1.5\\2\\3.25");          /* multi-valued */
    ex(&b, 0x00280010, "US", "\x00\x02\x01\x00", 4, false); /* VM 2 */
    ex(&b, 0x00181310, "US", "", 0, false);                 /* empty */
    ex(&b, 0x00090010, "LO", "ACME", 4, false);             /* private creator */
    put_tag(&b, 0x00091001, false); /* an unknown VR: UN, with the long form */
    put(&b, "XY\0\0\2\0\0\0\1\2", 10);
    ck_assert_msg(parse_bytes(&b) == 0, "%s", err.message);
    ck_assert(out.meta_seen);
    ck_assert(out.meta.has_preamble);
    ck_assert(out.meta.has_meta);
    ck_assert_str_eq(out.meta.transfer_syntax, TS_EXPLICIT);
    ck_assert_str_eq(out.meta.sop_class_uid, "1.2.840.10008.5.1.4.1.1.2");
    ck_assert_str_eq(out.meta.sop_instance_uid, "1.2.3.4.5.6");
    ck_assert_uint_eq(out.meta.dataset_offset, ds);
    ck_assert(!out.meta.implicit_vr && !out.meta.big_endian && !out.meta.deflated);
    ck_log("00080060 CS 2 CT\n"
           "00100010 PN 12 Doe^Jane=\\xE5\\xB1\\xB1\n"
           "00200032 DS 11 -1.5\\2\\3.25\n"
           "00280010 US 4 00020100\n"
           "00181310 US 0 \n"
           "00090010 LO 4 ACME\n"
           "00091001 UN 2 0102\n");
    free(b.d);
}
END_TEST

START_TEST(explicit_le_sequences)
{
    bytes b = {0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    /* Defined-length sequence, two defined-length items, the second empty. */
    bytes item = {0};
    ex_str(&item, 0x00080100, "SH", "P1");
    ex_head(&b, 0x00081032, "SQ", (uint32_t)(8 + item.n + 8), false);
    item_tag(&b, ITEM, (uint32_t)item.n, false);
    put(&b, item.d, item.n);
    item_tag(&b, ITEM, 0, false);
    /* Undefined-length sequence > undefined item > defined sequence > item. */
    ex_head(&b, 0x00081140, "SQ", UNDEF, false);
    item_tag(&b, ITEM, UNDEF, false);
    ex_str(&b, 0x00081150, "UI", "1.2 ");
    ex_head(&b, 0x00400260, "SQ", (uint32_t)(8 + item.n), false);
    item_tag(&b, ITEM, (uint32_t)item.n, false);
    put(&b, item.d, item.n);
    item_tag(&b, ITEM_DELIM, 0, false);
    item_tag(&b, SEQ_DELIM, 0, false);
    /* Empty sequences of both kinds. */
    ex_head(&b, 0x00082112, "SQ", 0, false);
    ex_head(&b, 0x00082218, "SQ", UNDEF, false);
    item_tag(&b, SEQ_DELIM, 0, false);
    ex_str(&b, 0x00100010, "PN", "After");
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_log("seq 00081032 SQ\nitem\n00080100 SH 2 P1\nend item\nitem\nend item\nend seq\n"
           "seq 00081140 SQ\nitem\n00081150 UI 4 1.2 \n"
           "seq 00400260 SQ\nitem\n00080100 SH 2 P1\nend item\nend seq\n"
           "end item\nend seq\n"
           "seq 00082112 SQ\nend seq\n"
           "seq 00082218 SQ\nend seq\n"
           "00100010 PN 5 After\n");
    free(item.d);
    free(b.d);
}
END_TEST

START_TEST(un_undefined_length_is_implicit_sequence)
{
    bytes b = {0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    ex_head(&b, 0x00091010, "UN", UNDEF, false);
    item_tag(&b, ITEM, UNDEF, false);
    im_str(&b, 0x00080100, "CODE1 "); /* implicit VR inside: SH from the dictionary */
    item_tag(&b, ITEM_DELIM, 0, false);
    item_tag(&b, SEQ_DELIM, 0, false);
    ex_str(&b, 0x00100010, "PN", "X^Y ");
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_log("seq 00091010 UN\nitem\n00080100 SH 6 CODE1 \nend item\nend seq\n"
           "00100010 PN 4 X^Y \n");
    free(b.d);
}
END_TEST

START_TEST(bulk_threshold_and_pixel_data)
{
    bytes b = {0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    unsigned char blob[DF_DICOM_BULK_THRESHOLD + 2];
    memset(blob, 0xAB, sizeof blob);
    ex(&b, 0x00091001, "OB", blob, DF_DICOM_BULK_THRESHOLD, false);     /* at threshold: read */
    ex(&b, 0x00091002, "OB", blob, DF_DICOM_BULK_THRESHOLD + 2, false); /* past it: skipped */
    ex(&b, 0x00091003, "LT", blob, DF_DICOM_BULK_THRESHOLD + 2, false); /* text: read */
    ex(&b, 0x7FE00010, "OW", "\1\2", 2, false);                         /* pixel data: always */
    ex(&b, 0xFFFCFFFC, "OB", "\0\0", 2, false);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert_ptr_nonnull(strstr(out.log, "00091001 OB 1024 ABAB"));
    ck_assert_ptr_nonnull(strstr(out.log, "\nbulk 00091002 OB 1026\n00091003 LT 1026 \\xAB"));
    ck_assert_ptr_nonnull(strstr(out.log, "\nbulk 7FE00010 OW 2\nFFFCFFFC OB 2 0000\n"));
    free(b.d);
}
END_TEST

START_TEST(encapsulated_pixel_data_skipped)
{
    bytes b = {0};
    meta_ex(&b, TS_JPEG, true, 0);
    ex(&b, 0x00280010, "US", "\x10\0", 2, false);
    ex_head(&b, 0x7FE00010, "OB", UNDEF, false);
    item_tag(&b, ITEM, 4, false);
    put(&b, "\0\0\0\0", 4);
    item_tag(&b, ITEM, 6, false);
    put(&b, "\xFF\xD8\xFF\xE0\0\0", 6);
    item_tag(&b, SEQ_DELIM, 0, false);
    ex(&b, 0xFFFAFFFA, "SQ", "", 0, false);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert_str_eq(out.meta.transfer_syntax, TS_JPEG);
    ck_log("00280010 US 2 1000\nbulk 7FE00010 OB encapsulated\nseq FFFAFFFA SQ\nend seq\n");
    free(b.d);
}
END_TEST

START_TEST(callback_stops_cleanly)
{
    bytes b = {0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    ex_head(&b, 0x00081140, "SQ", UNDEF, false);
    item_tag(&b, ITEM, UNDEF, false);
    ex_str(&b, 0x00081150, "UI", "1.2 ");
    item_tag(&b, ITEM_DELIM, 0, false);
    item_tag(&b, SEQ_DELIM, 0, false);
    ex_str(&b, 0x00100010, "PN", "X^Y ");
    ex(&b, 0x7FE00010, "OW", "\1\2", 2, false);
    put(&b, "garbage", 7); /* never reached */
    /* Stopping at any event, up to the bulk notice of Pixel Data, never reads on
     * to the garbage; without a stop it is read and rejected. */
    for (int n = 1; n <= 7; n++) {
        out.stop_after = n;
        ck_assert_int_eq(parse_bytes(&b), 0);
        ck_assert_int_eq(out.events, n);
    }
    out.stop_after = 0;
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_int_eq(out.events, 7);
    free(b.d);
}
END_TEST

static bool stop_at_meta(void *ctx, const df_dicom_meta *m)
{
    rec *r = ctx;
    r->meta = *m;
    return false;
}

START_TEST(meta_callback_stops_before_the_dataset)
{
    bytes b = {0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    put(&b, "garbage!", 8);
    df_dicom_handler h = recorder;
    h.meta = stop_at_meta;
    df_dicom_reader *r = df_dicom_reader_new();
    df_dicom_memio m;
    df_dicom_memio_init(&m, b.d, b.n);
    ck_assert_int_eq(df_dicom_parse(r, &m.io, &h, &out, NULL, &err), 0);
    ck_assert_str_eq(out.meta.sop_instance_uid, "1.2.3.4.5.6");
    ck_log("");
    df_dicom_reader_free(r);
    free(b.d);
}
END_TEST

/* ---- Implicit VR Little Endian ---- */

START_TEST(implicit_le_dictionary)
{
    bytes b = {0};
    meta_ex(&b, TS_IMPLICIT, true, 0);
    im(&b, 0x00080000, "\x10\0\0\0", 4); /* group length: UL */
    im_str(&b, 0x00080060, "MR");        /* CS */
    im_str(&b, 0x00100010, "Doe^J ");    /* PN */
    im(&b, 0x00280010, "\0\2", 2);       /* US */
    im(&b, 0x00280103, "\1\0", 2);       /* Pixel Representation 1 */
    im(&b, 0x00280106, "\x30\xF8", 2);   /* US or SS: SS */
    im(&b, 0x00280011, "\1\2\3", 3);     /* US with odd length: UN */
    im_str(&b, 0x00290010, "ACME 1.0");  /* private creator: LO */
    im(&b, 0x00291001, "\1\2", 2);       /* private: UN */
    im(&b, 0x60020010, "\0\1", 2);       /* overlay rows in group 6002: US */
    im(&b, 0x00431234, "\7", 1);         /* unknown private: UN */
    /* Undefined-length SQ, and an undefined-length private (UN) sequence. */
    put_tag(&b, 0x00081140, false);
    put32(&b, UNDEF, false);
    item_tag(&b, ITEM, UNDEF, false);
    im_str(&b, 0x00081155, "1.2.3 ");
    item_tag(&b, ITEM_DELIM, 0, false);
    item_tag(&b, SEQ_DELIM, 0, false);
    put_tag(&b, 0x00291010, false);
    put32(&b, UNDEF, false);
    item_tag(&b, SEQ_DELIM, 0, false);
    put_tag(&b, 0x7FE00010, false);
    put32(&b, 4, false);
    put(&b, "\1\2\3\4", 4);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert(out.meta.implicit_vr);
    ck_log("00080000 UL 4 10000000\n"
           "00080060 CS 2 MR\n"
           "00100010 PN 6 Doe^J \n"
           "00280010 US 2 0002\n"
           "00280103 US 2 0100\n"
           "00280106 SS 2 30F8\n"
           "00280011 UN 3 010203\n"
           "00290010 LO 8 ACME 1.0\n"
           "00291001 UN 2 0102\n"
           "60020010 US 2 0001\n"
           "00431234 UN 1 07\n"
           "seq 00081140 SQ\nitem\n00081155 UI 6 1.2.3 \nend item\nend seq\n"
           "seq 00291010 UN\nend seq\n"
           "bulk 7FE00010 OW 4\n");
    free(b.d);
}
END_TEST

START_TEST(dictionary_lookup)
{
    ck_assert_int_eq(df_dicom_dict_vr(0x00100010), DF_DICOM_VR_PN);
    ck_assert_int_eq(df_dicom_dict_vr(0x00080005), DF_DICOM_VR_CS);
    ck_assert_int_eq(df_dicom_dict_vr(0x00081140), DF_DICOM_VR_SQ);
    ck_assert_int_eq(df_dicom_dict_vr(0x00081032), DF_DICOM_VR_SQ);
    ck_assert_int_eq(df_dicom_dict_vr(0x0040A370), DF_DICOM_VR_SQ); /* ReferencedRequestSeq */
    ck_assert_int_eq(df_dicom_dict_vr(0x00400275), DF_DICOM_VR_SQ); /* RequestAttributesSeq */
    ck_assert_int_eq(df_dicom_dict_vr(0x00200052), DF_DICOM_VR_UI); /* FrameOfReferenceUID */
    ck_assert_int_eq(df_dicom_dict_vr(0x00280030), DF_DICOM_VR_DS);
    ck_assert_int_eq(df_dicom_dict_vr(0x00181310), DF_DICOM_VR_US);
    ck_assert_int_eq(df_dicom_dict_vr(0x00280106), DF_DICOM_VR_US);
    ck_assert_int_eq(df_dicom_dict_vr(0x7FE00010), DF_DICOM_VR_OW);
    ck_assert_int_eq(df_dicom_dict_vr(0xFFFAFFFA), DF_DICOM_VR_SQ);
    ck_assert_int_eq(df_dicom_dict_vr(0x00180000), DF_DICOM_VR_UL);
    ck_assert_int_eq(df_dicom_dict_vr(0x00090010), DF_DICOM_VR_LO);
    ck_assert_int_eq(df_dicom_dict_vr(0x000900FF), DF_DICOM_VR_LO);
    ck_assert_int_eq(df_dicom_dict_vr(0x00090100), DF_DICOM_VR_UN);
    ck_assert_int_eq(df_dicom_dict_vr(0x00081234), DF_DICOM_VR_UN); /* not in the standard */
    ck_assert_int_eq(df_dicom_dict_vr(0x601E3000), DF_DICOM_VR_OW); /* overlay data */
    ck_assert_int_eq(df_dicom_dict_vr(0x60203000), DF_DICOM_VR_UN); /* past the 60xx range */
    ck_assert_int_eq(df_dicom_dict_vr(0x00041130), DF_DICOM_VR_CS); /* the table's first */
    ck_assert_int_eq(df_dicom_dict_vr(0xFFFCFFFC), DF_DICOM_VR_OB); /* and last */
    ck_assert_int_eq(df_dicom_dict_vr(0x00041131), DF_DICOM_VR_UN);
    ck_assert_int_eq(df_dicom_dict_vr(0xFFFEE000), DF_DICOM_VR_UN);
    ck_assert_str_eq(df_dicom_vr_name(DF_DICOM_VR_UV), "UV");
    ck_assert_str_eq(df_dicom_vr_name((df_dicom_vr)99), "UN");
}
END_TEST

/* The lookup is a binary search: it finds every entry only when the table is
 * in strictly increasing tag order, and a tag given twice would hide one. */
START_TEST(dictionary_table_in_order)
{
    ck_assert_uint_gt(df_dicom_dict_count, 4500); /* the standard's, not a subset */
    for (size_t i = 1; i < df_dicom_dict_count; i++)
        ck_assert_msg(df_dicom_dict[i - 1].tag < df_dicom_dict[i].tag,
                      "entry %zu (%08X) is not above entry %zu (%08X)", i,
                      (unsigned)df_dicom_dict[i].tag, i - 1, (unsigned)df_dicom_dict[i - 1].tag);
    for (size_t i = 0; i < df_dicom_dict_count; i++) {
        uint32_t tag = df_dicom_dict[i].tag;
        uint16_t group = DF_DICOM_TAG_GROUP(tag);
        ck_assert_msg(group != 0x0000 && group != 0x0002 && group != 0xFFFE, "%08X", (unsigned)tag);
        ck_assert_uint_le(df_dicom_dict[i].vr, DF_DICOM_DICT_US_OR_SS);
        /* Every entry is found, with its own VR. */
        df_dicom_vr want = df_dicom_dict[i].vr == DF_DICOM_DICT_US_OR_SS
                               ? DF_DICOM_VR_US
                               : (df_dicom_vr)df_dicom_dict[i].vr;
        ck_assert_msg(df_dicom_dict_vr(tag) == want, "%08X", (unsigned)tag);
    }
}
END_TEST

/* A sample of PS3.6 (2022b), one or more per kind of entry. */
START_TEST(dictionary_sample_of_the_standard)
{
    static const struct {
        uint32_t tag;
        df_dicom_vr vr;
    } sample[] = {
        {0x00080016, DF_DICOM_VR_UI}, /* SOPClassUID */
        {0x00080020, DF_DICOM_VR_DA}, /* StudyDate */
        {0x00080030, DF_DICOM_VR_TM}, /* StudyTime */
        {0x0008002A, DF_DICOM_VR_DT}, /* AcquisitionDateTime */
        {0x00080054, DF_DICOM_VR_AE}, /* RetrieveAETitle */
        {0x00081088, DF_DICOM_VR_LO}, /* PictogramDescription (new in 2022) */
        {0x00101010, DF_DICOM_VR_AS}, /* PatientAge */
        {0x00186011, DF_DICOM_VR_SQ}, /* SequenceOfUltrasoundRegions */
        {0x00189445, DF_DICOM_VR_UN}, /* a retired tag PS3.6 leaves without a name */
        {0x00200013, DF_DICOM_VR_IS}, /* InstanceNumber */
        {0x00203100, DF_DICOM_VR_CS}, /* RETIRED_SourceImageIDs (0020,3100-31FF) */
        {0x002031FE, DF_DICOM_VR_CS}, /* ... its last even element */
        {0x002031FF, DF_DICOM_VR_UN}, /* ... odd ones are not in the range */
        {0x00280008, DF_DICOM_VR_IS}, /* NumberOfFrames */
        {0x00280009, DF_DICOM_VR_AT}, /* FrameIncrementPointer */
        {0x00281201, DF_DICOM_VR_OW}, /* RedPaletteColorLookupTableData */
        {0x00283006, DF_DICOM_VR_OW}, /* LUTData: US or SS or OW */
        {0x00041200, DF_DICOM_VR_UL}, /* a directory offset: UL */
        {0x0040A124, DF_DICOM_VR_UI}, /* UID */
        {0x0040A30A, DF_DICOM_VR_DS}, /* NumericValue */
        {0x00420011, DF_DICOM_VR_OB}, /* EncapsulatedDocument */
        {0x00660040, DF_DICOM_VR_OL}, /* LongPrimitivePointIndexList */
        {0x00720073, DF_DICOM_VR_OD}, /* SelectorODValue */
        {0x00720074, DF_DICOM_VR_FD}, /* SelectorFDValue */
        {0x0072007C, DF_DICOM_VR_SL}, /* SelectorSLValue */
        {0x00720067, DF_DICOM_VR_OF}, /* SelectorOFValue */
        {0x00720068, DF_DICOM_VR_LT}, /* SelectorLTValue */
        {0x0072006E, DF_DICOM_VR_ST}, /* SelectorSTValue */
        {0x0072006D, DF_DICOM_VR_UN}, /* SelectorUNValue: UN in the standard */
        {0x00720082, DF_DICOM_VR_SV}, /* SelectorSVValue */
        {0x00720083, DF_DICOM_VR_UV}, /* SelectorUVValue */
        {0x00189219, DF_DICOM_VR_SS}, /* TagAngleSecondAxis */
        {0x00221452, DF_DICOM_VR_US}, /* MappedPixelValue: US or SS */
        {0x00700084, DF_DICOM_VR_PN}, /* ContentCreatorName */
        {0x00081190, DF_DICOM_VR_UR}, /* RetrieveURL */
        {0x00400441, DF_DICOM_VR_SQ}, /* ContentItemModifierSequence */
        {0x0040A160, DF_DICOM_VR_UT}, /* TextValue */
        {0x00700001, DF_DICOM_VR_SQ}, /* GraphicAnnotationSequence */
        {0x00081010, DF_DICOM_VR_SH}, /* StationName */
        {0x00080119, DF_DICOM_VR_UC}, /* LongCodeValue */
        {0x00100010, DF_DICOM_VR_PN}, /* PatientName */
        {0x30060050, DF_DICOM_VR_DS}, /* ContourData */
        {0x300A0082, DF_DICOM_VR_DS}, /* RETIRED_BeamDoseSpecificationPoint */
        {0x50000005, DF_DICOM_VR_US}, /* RETIRED_CurveDimensions */
        {0x501E3000, DF_DICOM_VR_OW}, /* RETIRED_CurveData in group 501E */
        {0x60060040, DF_DICOM_VR_CS}, /* OverlayType in group 6006 */
        {0x60001500, DF_DICOM_VR_LO}, /* OverlayLabel */
        {0x7F000010, DF_DICOM_VR_OW}, /* RETIRED_VariablePixelData */
        {0x7F1E0011, DF_DICOM_VR_US}, /* RETIRED_VariableNextDataGroup in group 7F1E */
        {0x7F200010, DF_DICOM_VR_UN}, /* past the 7Fxx range */
        {0x7FE00008, DF_DICOM_VR_OF}, /* FloatPixelData */
        {0x7FE00009, DF_DICOM_VR_OD}, /* DoubleFloatPixelData */
        {0x7FE00001, DF_DICOM_VR_OV}, /* ExtendedOffsetTable */
        {0x00020010, DF_DICOM_VR_UN}, /* group 0002 is not looked up */
        {0x00000900, DF_DICOM_VR_UN}, /* nor the command group */
    };
    for (size_t i = 0; i < sizeof sample / sizeof sample[0]; i++)
        ck_assert_msg(df_dicom_dict_vr(sample[i].tag) == sample[i].vr, "%08X: %s, not %s",
                      (unsigned)sample[i].tag, df_dicom_vr_name(df_dicom_dict_vr(sample[i].tag)),
                      df_dicom_vr_name(sample[i].vr));
}
END_TEST

/* ---- Explicit VR Big Endian ---- */

START_TEST(explicit_be_numbers_in_host_order)
{
    bytes b = {0};
    meta_ex(&b, TS_BIG, true, 0);
    ex(&b, 0x00100010, "PN", "Big^E ", 6, true);
    ex(&b, 0x00280010, "US", "\x02\x00\x00\x01", 4, true); /* 512, 1 */
    ex(&b, 0x00209057, "UL", "\x00\x01\x02\x03", 4, true);
    ex(&b, 0x00189089, "FD", "\x3F\xF0\0\0\0\0\0\0", 8, true); /* 1.0 */
    ex(&b, 0x00209165, "AT", "\x00\x10\x00\x20", 4, true);     /* (0010,0020) */
    ex(&b, 0x00091001, "OB", "\1\2\3", 3, true);               /* bytes: as is */
    ex_head(&b, 0x00081140, "SQ", UNDEF, true);
    item_tag(&b, ITEM, UNDEF, true);
    ex(&b, 0x00181310, "SS", "\xFF\xFE", 2, true);
    item_tag(&b, ITEM_DELIM, 0, true);
    item_tag(&b, SEQ_DELIM, 0, true);
    ex(&b, 0x7FE00010, "OW", "\1\2\3\4", 4, true);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert(out.meta.big_endian);
    ck_log("00100010 PN 6 Big^E \n"
           "00280010 US 4 00020100\n"
           "00209057 UL 4 03020100\n"
           "00189089 FD 8 000000000000F03F\n"
           "00209165 AT 4 10002000\n"
           "00091001 OB 3 010203\n"
           "seq 00081140 SQ\nitem\n00181310 SS 2 FEFF\nend item\nend seq\n"
           "bulk 7FE00010 OW 4\n");
    free(b.d);
}
END_TEST

/* ---- Deflated Explicit VR Little Endian ---- */

static void deflate_into(bytes *b, const bytes *plain, size_t keep)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t bound = deflateBound(&z, plain->n);
    unsigned char *c = malloc(bound);
    ck_assert_ptr_nonnull(c);
    z.next_in = plain->d;
    z.avail_in = (uInt)plain->n;
    z.next_out = c;
    z.avail_out = (uInt)bound;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = bound - z.avail_out;
    put(b, c, keep && keep < n ? keep : n);
    deflateEnd(&z);
    free(c);
}

static void deflatable_dataset(bytes *plain, size_t bulk)
{
    ex_str(plain, 0x00080060, "CS", "US");
    ex_head(plain, 0x00081140, "SQ", UNDEF, false);
    item_tag(plain, ITEM, UNDEF, false);
    ex_str(plain, 0x00081150, "UI", "1.2 ");
    item_tag(plain, ITEM_DELIM, 0, false);
    item_tag(plain, SEQ_DELIM, 0, false);
    ex_str(plain, 0x00100010, "PN", "Deflated^Dora");
    unsigned char *px = calloc(1, bulk);
    ck_assert_ptr_nonnull(px);
    ex(plain, 0x7FE00010, "OB", px, bulk, false);
    free(px);
    ex_str(plain, 0x0040A160, "UT", "after the pixels");
}

START_TEST(deflated_dataset)
{
    bytes plain = {0}, b = {0};
    deflatable_dataset(&plain, 300000);
    meta_ex(&b, TS_DEFLATE, true, 0);
    deflate_into(&b, &plain, 0);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert(out.meta.deflated);
    ck_log("00080060 CS 2 US\nseq 00081140 SQ\nitem\n00081150 UI 4 1.2 \nend item\nend seq\n"
           "00100010 PN 13 Deflated^Dora\nbulk 7FE00010 OB 300000\n"
           "0040A160 UT 16 after the pixels\n");
    free(plain.d);
    free(b.d);
}
END_TEST

START_TEST(jpip_deflated_dataset)
{
    bytes plain = {0}, b = {0};
    ex_str(&plain, 0x00100010, "PN", "Jpip^Ref");
    meta_ex(&b, "1.2.840.10008.1.2.4.95", true, 0);
    deflate_into(&b, &plain, 0);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert(out.meta.deflated);
    ck_log("00100010 PN 8 Jpip^Ref\n");
    free(plain.d);
    free(b.d);
}
END_TEST

START_TEST(deflated_truncated)
{
    bytes plain = {0}, b = {0};
    deflatable_dataset(&plain, 300000);
    size_t ds = meta_ex(&b, TS_DEFLATE, true, 0);
    deflate_into(&b, &plain, 150); /* the first 150 compressed bytes */
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "inflated offset"));
    /* A corrupt stream is an error too. */
    b.n = ds;
    put(&b, "\xFF\xFF\xFF\xFF\xFF\xFF", 6);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "corrupt deflate stream"));
    /* A value longer than the inflated stream fails when the stream ends. */
    bytes small = {0};
    ex_head(&small, 0x00100010, "UT", 0xFFFFFFF0u, false);
    put(&small, "abc", 3);
    b.n = ds;
    deflate_into(&b, &small, 0);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "limit"));
    free(small.d);
    small = (bytes){0};
    ex_head(&small, 0x00100010, "UT", 1000, false);
    put(&small, "abc", 3);
    b.n = ds;
    deflate_into(&b, &small, 0);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_fails_with("truncated element (0010,0010) at inflated offset 0: length 1000 exceeds the 3 "
                  "bytes left");
    free(small.d);
    free(plain.d);
    free(b.d);
}
END_TEST

/* ---- preamble and meta variants ---- */

START_TEST(no_preamble_with_meta)
{
    bytes b = {0};
    size_t ds = meta_ex(&b, TS_IMPLICIT, false, 0);
    im_str(&b, 0x00100010, "NoPre ");
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert(!out.meta.has_preamble);
    ck_assert(out.meta.has_meta);
    ck_assert_uint_eq(out.meta.dataset_offset, ds);
    ck_log("00100010 PN 6 NoPre \n");
    free(b.d);
}
END_TEST

START_TEST(bare_datasets_are_guessed)
{
    bytes b = {0};
    im_str(&b, 0x00080060, "CT");
    im_str(&b, 0x00100010, "Bare ");
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert(!out.meta.has_meta && !out.meta.has_preamble);
    ck_assert_str_eq(out.meta.transfer_syntax, TS_IMPLICIT);
    ck_log("00080060 CS 2 CT\n00100010 PN 5 Bare \n");

    b.n = 0;
    ex_str(&b, 0x00080060, "CS", "CT");
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert_str_eq(out.meta.transfer_syntax, TS_EXPLICIT);
    ck_log("00080060 CS 2 CT\n");

    b.n = 0;
    ex(&b, 0x00080060, "CS", "MR", 2, true);
    ex(&b, 0x00280010, "US", "\1\0", 2, true);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert_str_eq(out.meta.transfer_syntax, TS_BIG);
    ck_log("00080060 CS 2 MR\n00280010 US 2 0001\n");

    /* Not DICOM: text, an empty file, a preamble with nothing after it. */
    ck_assert_int_eq(parse_mem("%PDF-1.4 something", 18), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "not a DICOM file"));
    ck_assert_int_eq(parse_mem("", 0), DF_EINVAL);
    b.n = 0;
    meta_ex(&b, TS_EXPLICIT, true, 0);
    b.n = 132;
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    free(b.d);
}
END_TEST

/* A file that cannot be read says what it lacks, not just "not DICOM". */
START_TEST(unreadable_files_say_what_is_missing)
{
    unsigned char zero[128] = {0};
    bytes b = {0};
    put(&b, zero, 128);
    put(&b, "DICM", 4);
    ex(&b, 0x00020001, "OB", "\0\1", 2, false);
    ex_str(&b, 0x00020003, "UI", "1.2.3.4.5.6 ");
    ex_str(&b, 0x7FE10010, "LO", "JUNK");
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "no Transfer Syntax UID (0002,0010)"));
    ck_assert_ptr_nonnull(strstr(err.message, "(7FE1,0010)"));

    b.n = 0;
    put(&b, zero, 128);
    put(&b, "DICM", 4);
    ex_str(&b, 0x7FE10010, "LO", "JUNK");
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "a preamble but no file meta information"));

    b.n = 0;
    ex_str(&b, 0x7FE10010, "LO", "JUNK");
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "not a DICOM file: no preamble"));
    free(b.d);
}
END_TEST

START_TEST(meta_only_file)
{
    bytes b = {0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_assert(out.meta_seen);
    ck_log("");
    free(b.d);
}
END_TEST

START_TEST(group_length_not_trusted)
{
    for (int delta = -10; delta <= 40; delta += 50) {
        bytes b = {0};
        meta_ex(&b, TS_EXPLICIT, true, delta);
        ex_str(&b, 0x00100010, "PN", "Len^Lie ");
        ck_assert_int_eq(parse_bytes(&b), 0);
        ck_assert_str_eq(out.meta.transfer_syntax, TS_EXPLICIT);
        ck_log("00100010 PN 8 Len^Lie \n");
        free(b.d);
    }
    /* A deflated file whose group length is wrong still has its meta read
     * up to the last 0002 element. */
    bytes plain = {0}, b = {0};
    ex_str(&plain, 0x00100010, "PN", "Z^Z ");
    meta_ex(&b, TS_DEFLATE, true, 0);
    deflate_into(&b, &plain, 0);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_log("00100010 PN 4 Z^Z \n");
    free(plain.d);
    free(b.d);
}
END_TEST

START_TEST(meta_errors)
{
    bytes b = {0};
    meta_ex(&b, "1.2.840.10008.1.2.1.12345678901234567890123456789012345678901234567890", true, 0);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "(0002,0010)"));
    ck_assert_ptr_nonnull(strstr(err.message, "more than 64"));
    free(b.d);
    b = (bytes){0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    b.n = 150; /* inside the meta group */
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated"));
    free(b.d);
}
END_TEST

/* ---- errors with offsets and tags ---- */

START_TEST(truncated_value_names_offset_and_tag)
{
    bytes b = {0};
    size_t ds = meta_ex(&b, TS_EXPLICIT, true, 0);
    ex_head(&b, 0x00100010, "PN", 100, false);
    put(&b, "Short", 5);
    char want[160];
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "truncated element (0010,0010) at offset %zu: length 100 exceeds the 5 bytes left",
             ds);
    ck_fails_with(want);

    /* A header cut in the middle. */
    b.n = ds + 6;
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want, "truncated element header at offset %zu: 8 bytes needed, 6 left",
             ds);
    ck_fails_with(want);
    free(b.d);
}
END_TEST

START_TEST(huge_lengths_rejected_before_reading)
{
    bytes b = {0};
    size_t ds = meta_ex(&b, TS_IMPLICIT, true, 0);
    put_tag(&b, 0x00100010, false);
    put32(&b, 0xFFFFFFF0u, false);
    put(&b, "Doe", 3);
    char want[160];
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "truncated element (0010,0010) at offset %zu: length 4294967280 exceeds the 3 bytes "
             "left",
             ds);
    ck_fails_with(want);

    /* The same for bulk data, a sequence, an item, a fragment. */
    b.n = 0;
    ds = meta_ex(&b, TS_EXPLICIT, true, 0);
    ex_head(&b, 0x7FE00010, "OB", 0xFFFFFFF0u, false);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated element (7FE0,0010)"));
    ck_assert_str_eq(out.log, ""); /* the bulk callback comes after the check */
    b.n = ds;
    ex_head(&b, 0x00081140, "SQ", 0xFFFFFFF0u, false);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated sequence (0008,1140)"));
    b.n = ds;
    ex_head(&b, 0x00081140, "SQ", UNDEF, false);
    item_tag(&b, ITEM, 0xFFFFFFF0u, false);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "truncated item (FFFE,E000) at offset %zu: length 4294967280 exceeds the 0 bytes "
             "left",
             ds + 12);
    ck_fails_with(want);
    b.n = ds;
    ex_head(&b, 0x7FE00010, "OB", UNDEF, false);
    item_tag(&b, ITEM, 0, false);
    item_tag(&b, ITEM, 0x7FFFFFF0u, false);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated element (FFFE,E000)"));
    free(b.d);
}
END_TEST

START_TEST(element_longer_than_its_item)
{
    bytes b = {0};
    size_t ds = meta_ex(&b, TS_EXPLICIT, true, 0);
    ex_head(&b, 0x00081140, "SQ", 30, false);
    item_tag(&b, ITEM, 22, false);
    ex_head(&b, 0x00081150, "UI", 20, false); /* 8 + 20 > 22 */
    put(&b, "1.2.3.4.5.6.7.8.9.10", 20);
    char want[200];
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "truncated element (0008,1150) at offset %zu: length 20 exceeds the 14 bytes left "
             "in the enclosing item",
             ds + 20);
    ck_fails_with(want);
    /* An item longer than its sequence. */
    b.n = ds;
    ex_head(&b, 0x00081140, "SQ", 30, false);
    item_tag(&b, ITEM, 40, false);
    unsigned char zero[40] = {0};
    put(&b, zero, 40);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated item (FFFE,E000)"));
    ck_assert_ptr_nonnull(
        strstr(err.message, "exceeds the 22 bytes left in the enclosing sequence"));
    free(b.d);
}
END_TEST

START_TEST(value_cap)
{
    bytes b = {0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    size_t n = DF_DICOM_VALUE_MAX + 2;
    ex_head(&b, 0x0040A160, "UT", (uint32_t)n, false);
    char *big = calloc(1, n);
    ck_assert_ptr_nonnull(big);
    put(&b, big, n);
    free(big);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "(0040,A160)"));
    ck_assert_ptr_nonnull(strstr(err.message, "exceeds the limit of 16777216 bytes"));
    free(b.d);
}
END_TEST

START_TEST(structure_errors)
{
    bytes b = {0};
    size_t ds = meta_ex(&b, TS_EXPLICIT, true, 0);
    char want[200];

    item_tag(&b, ITEM, 0, false); /* an item where an element is expected */
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "unexpected item (FFFE,E000) at offset %zu where an element was expected", ds);
    ck_fails_with(want);

    b.n = ds;
    item_tag(&b, ITEM_DELIM, 0, false); /* a stray delimiter */
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "unexpected item delimiter (FFFE,E00D)"));

    b.n = ds;
    ex_head(&b, 0x00081140, "SQ", UNDEF, false);
    ex_str(&b, 0x00100010, "PN", "NotAnItem ");
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "sequence (0008,1140) at offset %zu: expected an item at %zu, found (0010,0010)", ds,
             ds + 12);
    ck_fails_with(want);

    b.n = ds;
    ex_head(&b, 0x0040A160, "UT", UNDEF, false);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "element (0040,A160) at offset %zu: undefined length is not allowed for VR UT", ds);
    ck_fails_with(want);

    b.n = ds;
    ex(&b, 0x00280010, "US", "\1\2\3", 3, false);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "element (0028,0010) at offset %zu: length 3 is not a multiple of 2 for VR US", ds);
    ck_fails_with(want);

    b.n = ds;
    ex(&b, 0x00100010, "\x01\x02", "ab", 2, false);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want, "element (0010,0010) at offset %zu: invalid VR bytes 0x01 0x02",
             ds);
    ck_fails_with(want);

    b.n = ds; /* an undefined-length item that never ends */
    ex_head(&b, 0x00081140, "SQ", UNDEF, false);
    item_tag(&b, ITEM, UNDEF, false);
    ex_str(&b, 0x00081150, "UI", "1.2 ");
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated element header"));

    b.n = ds; /* odd trailing bytes (zero bytes alone are padding) */
    ex_str(&b, 0x00100010, "PN", "A^B ");
    put(&b, "\0\1", 2);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want, "truncated element header at offset %zu: 8 bytes needed, 2 left",
             ds + 12);
    ck_fails_with(want);
    free(b.d);
}
END_TEST

/* ---- trailing zero padding ---- */

/* A dataset of three elements in Explicit or Implicit VR LE; returns where the
 * padding starts. */
static size_t padded(bytes *b, bool implicit, size_t zeros)
{
    static const unsigned char none[4096];
    b->n = 0;
    meta_ex(b, implicit ? TS_IMPLICIT : TS_EXPLICIT, true, 0);
    if (implicit) {
        im_str(b, 0x00080060, "OT");
        im_str(b, 0x00100010, "Pad^Ding");
        im(b, 0x7FE00010, "\1\2\3\4", 4);
    } else {
        ex_str(b, 0x00080060, "CS", "OT");
        ex_str(b, 0x00100010, "PN", "Pad^Ding");
        ex(b, 0x7FE00010, "OW", "\1\2\3\4", 4, false);
    }
    size_t at = b->n;
    for (size_t left = zeros; left > 0;) {
        size_t k = left < sizeof none ? left : sizeof none;
        put(b, none, k);
        left -= k;
    }
    return at;
}

START_TEST(trailing_zero_padding_is_a_warning)
{
    static const size_t counts[] = {1, 2, 7, 8, 128, 4096, 100000};
    bytes b = {0};
    char want[512];
    for (int implicit = 0; implicit <= 1; implicit++) {
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
            size_t at = padded(&b, implicit, counts[i]);
            ck_assert_msg(parse_bytes(&b) == 0, "%s VR, %zu zeros: %s",
                          implicit ? "implicit" : "explicit", counts[i], err.message);
            snprintf(want, sizeof want,
                     "00080060 CS 2 OT\n00100010 PN 8 Pad^Ding\nbulk 7FE00010 OW 4\n"
                     "warning: %zu zero byte%s after the last element, from offset %zu to the "
                     "end, ignored (trailing padding)\n",
                     counts[i], counts[i] == 1 ? "" : "s", at);
            ck_log(want);
            /* The same through a stream of unknown length (a pipe). */
            df_dicom_reader *r = df_dicom_reader_new();
            df_dicom_memio m;
            df_dicom_memio_init(&m, b.d, b.n);
            m.io.size = -1;
            m.io.skip = NULL;
            memset(&out, 0, sizeof out);
            ck_assert_int_eq(df_dicom_parse(r, &m.io, &recorder, &out, NULL, &err), 0);
            ck_log(want);
            df_dicom_reader_free(r);
        }
    }
    /* Without a warning callback the padding is still accepted. */
    padded(&b, false, 16);
    df_dicom_reader *r = df_dicom_reader_new();
    df_dicom_memio m;
    df_dicom_memio_init(&m, b.d, b.n);
    ck_assert_int_eq(df_dicom_parse(r, &m.io, NULL, NULL, NULL, &err), 0);
    df_dicom_reader_free(r);
    /* A dataset of padding only (its elements all lost) is read as empty. */
    b.n = 0;
    size_t ds = meta_ex(&b, TS_EXPLICIT, true, 0);
    put(&b, "\0\0\0\0\0\0\0\0\0\0", 10);
    ck_assert_int_eq(parse_bytes(&b), 0);
    snprintf(want, sizeof want,
             "warning: 10 zero bytes after the last element, from offset %zu to the end, "
             "ignored (trailing padding)\n",
             ds);
    ck_log(want);
    free(b.d);
}
END_TEST

START_TEST(trailing_zero_padding_in_a_deflated_dataset)
{
    bytes plain = {0}, b = {0};
    ex_str(&plain, 0x00100010, "PN", "Pad^Ding");
    unsigned char zeros[300] = {0};
    put(&plain, zeros, sizeof zeros);
    meta_ex(&b, TS_DEFLATE, true, 0);
    deflate_into(&b, &plain, 0);
    ck_assert_int_eq(parse_bytes(&b), 0);
    ck_log("00100010 PN 8 Pad^Ding\nwarning: 300 zero bytes after the last element, from "
           "inflated offset 16 to the end, ignored (trailing padding)\n");
    put(&plain, "\7", 1);
    b.n = 0;
    meta_ex(&b, TS_DEFLATE, true, 0);
    deflate_into(&b, &plain, 0);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    ck_fails_with("element (0000,0000) at inflated offset 16: 300 zero bytes, then 0x07: neither "
                  "an element nor trailing padding");
    free(plain.d);
    free(b.d);
}
END_TEST

START_TEST(zeros_followed_by_anything_are_refused)
{
    static const size_t counts[] = {8, 9, 100, 4095, 4096, 4097, 10000};
    bytes b = {0};
    char want[256];
    for (int implicit = 0; implicit <= 1; implicit++) {
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
            size_t at = padded(&b, implicit, counts[i]);
            put(&b, "\x01", 1);
            put(&b, "\0\0\0", 3); /* zeros after the byte change nothing */
            ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
            snprintf(want, sizeof want,
                     "element (0000,0000) at offset %zu: %zu zero bytes, then 0x01: neither an "
                     "element nor trailing padding",
                     at, counts[i]);
            ck_fails_with(want);
            ck_assert_ptr_null(strstr(out.log, "warning"));
        }
        /* A non-zero byte among the first 8: an element header, and a bad one. */
        size_t at = padded(&b, implicit, 7);
        put(&b, "\x01", 1);
        ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
        if (implicit)
            snprintf(want, sizeof want,
                     "truncated element (0000,0000) at offset %zu: length 16777216 exceeds "
                     "the 0 bytes left",
                     at);
        else
            snprintf(want, sizeof want,
                     "element (0000,0000) at offset %zu: invalid VR bytes 0x00 0x00", at);
        ck_fails_with(want);
        /* Fewer than 8 bytes, not all zero: a cut header, as before. */
        at = padded(&b, implicit, 3);
        put(&b, "\x01", 1);
        ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
        snprintf(want, sizeof want,
                 "truncated element header at offset %zu: 8 bytes needed, 4 left", at);
        ck_fails_with(want);
    }
    free(b.d);
}
END_TEST

/* Padding ends the dataset only at the top level: an item or a sequence says
 * by its length (or delimiter) where it ends, so zeros inside one are an error. */
START_TEST(zeros_inside_an_item_are_refused)
{
    bytes b = {0};
    char want[256];
    size_t ds = meta_ex(&b, TS_EXPLICIT, true, 0);
    bytes item = {0};
    ex_str(&item, 0x00080100, "SH", "P1");
    put(&item, "\0\0\0\0\0\0\0\0", 8);
    ex_head(&b, 0x00081032, "SQ", (uint32_t)(8 + item.n), false);
    item_tag(&b, ITEM, (uint32_t)item.n, false);
    put(&b, item.d, item.n);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want, "element (0000,0000) at offset %zu: invalid VR bytes 0x00 0x00",
             ds + 12 + 8 + 10);
    ck_fails_with(want);
    /* An undefined-length item whose delimiter never comes, zeros instead. */
    b.n = ds;
    ex_head(&b, 0x00081140, "SQ", UNDEF, false);
    item_tag(&b, ITEM, UNDEF, false);
    ex_str(&b, 0x00081150, "UI", "1.2 ");
    put(&b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want, "element (0000,0000) at offset %zu: invalid VR bytes 0x00 0x00",
             ds + 12 + 8 + 12);
    ck_fails_with(want);
    /* In Implicit VR: zero bytes at the end of a defined-length item. */
    b.n = 0;
    ds = meta_ex(&b, TS_IMPLICIT, true, 0);
    bytes imitem = {0};
    im_str(&imitem, 0x00080100, "P1");
    put(&imitem, "\0\0\0\0\0\0", 6);
    put_tag(&b, 0x00081032, false);
    put32(&b, (uint32_t)(8 + imitem.n), false);
    item_tag(&b, ITEM, (uint32_t)imitem.n, false);
    put(&b, imitem.d, imitem.n);
    im_str(&b, 0x00100010, "After ");
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    snprintf(want, sizeof want,
             "truncated element header at offset %zu: 8 bytes needed, 6 left in the enclosing "
             "item",
             ds + 8 + 8 + 10);
    ck_fails_with(want);
    free(imitem.d);
    free(item.d);
    free(b.d);
}
END_TEST

static void nest(bytes *b, int depth)
{
    for (int i = 0; i < depth; i++) {
        ex_head(b, 0x0040A730, "SQ", UNDEF, false);
        item_tag(b, ITEM, UNDEF, false);
    }
    for (int i = 0; i < depth; i++) {
        item_tag(b, ITEM_DELIM, 0, false);
        item_tag(b, SEQ_DELIM, 0, false);
    }
}

START_TEST(depth_bound)
{
    bytes b = {0};
    size_t ds = meta_ex(&b, TS_EXPLICIT, true, 0);
    nest(&b, DF_DICOM_MAX_DEPTH);
    ck_assert_int_eq(parse_bytes(&b), 0);
    b.n = ds;
    nest(&b, DF_DICOM_MAX_DEPTH + 1);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    char want[160];
    snprintf(want, sizeof want,
             "sequence (0040,A730) at offset %zu is nested deeper than %d sequences",
             ds + 20 * DF_DICOM_MAX_DEPTH, DF_DICOM_MAX_DEPTH);
    ck_fails_with(want);
    b.n = ds;
    nest(&b, 200);
    ck_assert_int_eq(parse_bytes(&b), DF_EINVAL);
    free(b.d);
}
END_TEST

/* ---- IO over files, and a reader reused ---- */

START_TEST(file_io_and_reuse)
{
    bytes b = {0};
    meta_ex(&b, TS_EXPLICIT, true, 0);
    ex_str(&b, 0x00100010, "PN", "File^Io ");
    unsigned char *px = calloc(1, 100000);
    ck_assert_ptr_nonnull(px);
    ex(&b, 0x7FE00010, "OW", px, 100000, false);
    free(px);
    ex(&b, 0xFFFCFFFC, "OB", "\0\0", 2, false);

    df_dicom_reader *r = df_dicom_reader_new();
    ck_assert_ptr_nonnull(r);
    for (int round = 0; round < 2; round++) {
        /* A regular file: its size is known, the pixels are skipped with fseeko. */
        FILE *fp = tmpfile();
        ck_assert_ptr_nonnull(fp);
        ck_assert_uint_eq(fwrite(b.d, 1, b.n, fp), b.n);
        rewind(fp);
        df_dicom_fileio f;
        ck_assert_int_eq(df_dicom_fileio_init(&f, fp, &err), 0);
        ck_assert(f.seekable);
        ck_assert_int_eq(f.io.size, (long long)b.n);
        memset(&out, 0, sizeof out);
        ck_assert_int_eq(df_dicom_parse(r, &f.io, &recorder, &out, NULL, &err), 0);
        ck_log("00100010 PN 8 File^Io \nbulk 7FE00010 OW 100000\nFFFCFFFC OB 2 0000\n");
        fclose(fp);

        /* A pipe: size unknown, the pixels are read and discarded. */
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            size_t done = 0;
            while (done < b.n) {
                ssize_t k = write(fds[1], b.d + done, b.n - done);
                if (k <= 0)
                    _exit(1);
                done += (size_t)k;
            }
            _exit(0);
        }
        close(fds[1]);
        fp = fdopen(fds[0], "rb");
        ck_assert_ptr_nonnull(fp);
        ck_assert_int_eq(df_dicom_fileio_init(&f, fp, &err), 0);
        ck_assert(!f.seekable);
        ck_assert_int_eq(f.io.size, -1);
        memset(&out, 0, sizeof out);
        ck_assert_int_eq(df_dicom_parse(r, &f.io, &recorder, &out, NULL, &err), 0);
        ck_log("00100010 PN 8 File^Io \nbulk 7FE00010 OW 100000\nFFFCFFFC OB 2 0000\n");
        fclose(fp);
    }
    /* The same reader with a truncated pipe-like input of unknown size. */
    df_dicom_memio m;
    df_dicom_memio_init(&m, b.d, b.n - 50000);
    m.io.size = -1;
    m.io.skip = NULL;
    df_error_clear(&err);
    ck_assert_int_eq(df_dicom_parse(r, &m.io, NULL, NULL, NULL, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated element (7FE0,0010)"));
    /* A path that cannot be opened is an IO error naming it. */
    df_error_clear(&err);
    ck_assert_int_eq(df_dicom_parse_path(r, "/nonexistent/x.dcm", NULL, NULL, NULL, &err), DF_EIO);
    ck_assert_str_eq(err.message, "cannot open /nonexistent/x.dcm: No such file or directory");
    df_dicom_reader_free(r);
    free(b.d);
}
END_TEST

/* ---- the generated corpus ---- */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Parses every .dcm file in dir; returns how many there were. */
static int parse_folder(const char *dir, bool good)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int count = 0;
    df_dicom_reader *r = df_dicom_reader_new();
    ck_assert_ptr_nonnull(r);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_suffix(e->d_name, ".dcm"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        memset(&out, 0, sizeof out);
        df_error_clear(&err);
        df_dicom_meta meta;
        int rc = df_dicom_parse_path(r, path, &recorder, &out, &meta, &err);
        if (good) {
            ck_assert_msg(rc == 0, "%s: %s", path, err.message);
            ck_assert_msg(strstr(out.log, "00100010 PN") != NULL, "%s: no PatientName", path);
            if (meta.sop_instance_uid[0]) {
                const char *uid = strstr(out.log, "00080018 UI ");
                ck_assert_msg(uid != NULL && strstr(uid, meta.sop_instance_uid) != NULL,
                              "%s: SOP Instance UID", path);
            }
        } else {
            ck_assert_msg(rc == DF_EINVAL, "%s: parsed without an error", path);
            ck_assert_msg(err.message[0] != '\0', "%s: no message", path);
        }
        count++;
    }
    closedir(d);
    df_dicom_reader_free(r);
    return count;
}

START_TEST(generated_corpus)
{
    const char *dir = getenv("DCMFEED_CORPUS");
    if (dir == NULL || dir[0] == '\0')
        return;
    ck_assert_int_ge(parse_folder(dir, true), 10);
    char bad[4096];
    snprintf(bad, sizeof bad, "%s/bad", dir);
    ck_assert_int_ge(parse_folder(bad, false), 10);
}
END_TEST

static Suite *dicom_suite(void)
{
    Suite *s = suite_create("dicom");
    TCase *tc = tcase_create("reader");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, explicit_le_elements_and_meta);
    tcase_add_test(tc, explicit_le_sequences);
    tcase_add_test(tc, un_undefined_length_is_implicit_sequence);
    tcase_add_test(tc, bulk_threshold_and_pixel_data);
    tcase_add_test(tc, encapsulated_pixel_data_skipped);
    tcase_add_test(tc, callback_stops_cleanly);
    tcase_add_test(tc, meta_callback_stops_before_the_dataset);
    tcase_add_test(tc, implicit_le_dictionary);
    tcase_add_test(tc, dictionary_lookup);
    tcase_add_test(tc, dictionary_table_in_order);
    tcase_add_test(tc, dictionary_sample_of_the_standard);
    tcase_add_test(tc, explicit_be_numbers_in_host_order);
    tcase_add_test(tc, deflated_dataset);
    tcase_add_test(tc, jpip_deflated_dataset);
    tcase_add_test(tc, deflated_truncated);
    tcase_add_test(tc, no_preamble_with_meta);
    tcase_add_test(tc, bare_datasets_are_guessed);
    tcase_add_test(tc, unreadable_files_say_what_is_missing);
    tcase_add_test(tc, meta_only_file);
    tcase_add_test(tc, group_length_not_trusted);
    tcase_add_test(tc, meta_errors);
    tcase_add_test(tc, truncated_value_names_offset_and_tag);
    tcase_add_test(tc, huge_lengths_rejected_before_reading);
    tcase_add_test(tc, element_longer_than_its_item);
    tcase_add_test(tc, value_cap);
    tcase_add_test(tc, structure_errors);
    tcase_add_test(tc, trailing_zero_padding_is_a_warning);
    tcase_add_test(tc, trailing_zero_padding_in_a_deflated_dataset);
    tcase_add_test(tc, zeros_followed_by_anything_are_refused);
    tcase_add_test(tc, zeros_inside_an_item_are_refused);
    tcase_add_test(tc, depth_bound);
    tcase_add_test(tc, file_io_and_reuse);
    tcase_add_test(tc, generated_corpus);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dicom_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
