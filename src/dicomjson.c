/* DICOM JSON (PS3.18 F.2) written while the Part 10 reader streams a file: see
 * dicomjson.h. Every event of the reader appends to one output buffer, so a
 * file is converted in one pass without a tree; character sets are decoded to
 * UTF-8 (charset.h) in a second reused buffer.
 *
 * Where F.2 leaves a choice (tests/unit/check_dicomjson.c pins each one down):
 * - DS/IS: a JSON number with the file's digits (only "+", leading zeros and a
 *   bare "." changed); a value that is not a number, or overflows a double, is
 *   a string (F.2.3 note). SV/UV beyond 2^53 are strings too.
 * - FL/FD: the shortest text that reads back as the same value; NaN and
 *   infinities (no JSON form) are null, with a warning.
 * - Empty: no Value when every value is empty (zero length, padding only, or
 *   only delimiters); an empty value among others is null (F.2.5).
 * - A UN of undefined length was read as a sequence: written as SQ.
 * - Tags out of order in the file are put in order (F.2.2); of a duplicated
 *   tag the first is kept, with a warning. Data Set Trailing Padding, group
 *   lengths and group 0002 are left out.
 * - Specific Character Set is kept as the file has it (the text is UTF-8);
 *   one in a sequence item applies to that item. */
#include "dicomjson.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "json.h"

/* No instance's metadata may grow past this (spec: metadata is stored whole). */
#define METADATA_MAX (64u * 1024u * 1024u)
/* Decoded text of one value: at most 3 UTF-8 bytes per input byte. */
#define TEXT_MAX (3u * DF_DICOM_VALUE_MAX + 16u)
/* Buffers larger than this are released before the next file. */
#define BUFFER_KEEP (4u * 1024u * 1024u)
/* Objects nest one deeper than sequences: the top level plus one per item. */
#define LEVELS (DF_DICOM_MAX_DEPTH + 2)

/* ---- the converter ---- */

struct level {
    df_charset cs;     /* in force in this object (an item inherits its parent's) */
    bool empty;        /* no attribute written yet */
    bool seq_items;    /* the sequence open in this object has had an item */
    bool unsorted;     /* a tag came that was not above the one before it */
    uint32_t last_tag; /* the tag written last (when !empty) */
    size_t obj_start;  /* offset in out just past this object's '{' */
    size_t span_base;  /* this object's first entry in spans */
};

/* Where each attribute of the open objects lies in out, so an object whose
 * file had its tags out of order can be put in order (F.2.2) when it closes.
 * A stack: an item's entries are dropped when it ends. */
struct span {
    uint32_t tag;
    size_t start, end; /* from the key's quote to just past its closing brace */
};

struct df_dicomjson {
    df_dicom_reader *reader;
    df_buf out;     /* the metadata */
    df_buf text;    /* one value decoded to UTF-8 */
    df_buf scratch; /* an object being put in tag order */
    struct span *spans;
    size_t nspans, span_cap;
    df_charset_decoder *charsets;
    /* per file */
    struct level lv[LEVELS];
    int depth; /* index in lv of the object being written */
    df_dicomjson_result *res;
    bool uid_seen[3];
    bool uid_long[3];
};

static const uint32_t uid_tags[3] = {DF_DICOM_TAG(0x0020, 0x000D), DF_DICOM_TAG(0x0020, 0x000E),
                                     DF_DICOM_TAG(0x0008, 0x0018)};
static const char *const uid_names[3] = {"Study Instance UID (0020,000D)",
                                         "Series Instance UID (0020,000E)",
                                         "SOP Instance UID (0008,0018)"};

df_dicomjson *df_dicomjson_new(void)
{
    df_dicomjson *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->reader = df_dicom_reader_new();
    c->charsets = df_charset_decoder_new();
    if (c->reader == NULL || c->charsets == NULL) {
        df_dicom_reader_free(c->reader);
        df_charset_decoder_free(c->charsets);
        free(c);
        return NULL;
    }
    df_buf_init(&c->out, METADATA_MAX);
    df_buf_init(&c->text, TEXT_MAX);
    df_buf_init(&c->scratch, METADATA_MAX);
    return c;
}

void df_dicomjson_free(df_dicomjson *c)
{
    if (c == NULL)
        return;
    df_charset_decoder_free(c->charsets);
    df_buf_free(&c->out);
    df_buf_free(&c->text);
    df_buf_free(&c->scratch);
    free(c->spans);
    df_dicom_reader_free(c->reader);
    free(c);
}

/* The first warning of a file is kept, like errors (error.h). */
static void warn(df_dicomjson *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(df_dicomjson *c, const char *fmt, ...)
{
    if (c->res->warning[0] != '\0')
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->res->warning, sizeof c->res->warning, fmt, ap);
    va_end(ap);
}

#define TAG_ARGS(tag) DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag)

/* Decodes a value of a VR that Specific Character Set applies to. Sets *out to
 * UTF-8 text (the input itself when it needs no change, else c->text); bytes
 * that are not valid UTF-8 are left for df_json_append_string to replace. */
static void decode_text(df_dicomjson *c, uint32_t tag, const unsigned char *s, size_t n,
                        const char **out, size_t *out_len)
{
    df_charset cs = c->lv[c->depth].cs;
    switch (df_charset_decode(c->charsets, cs, s, n, &c->text, out, out_len)) {
    case DF_CHARSET_OK:
        break;
    case DF_CHARSET_REPLACED:
        warn(c, "(%04X,%04X): bytes invalid in the Specific Character Set written as U+FFFD",
             TAG_ARGS(tag));
        break;
    case DF_CHARSET_INVALID_UTF8:
        warn(c, "(%04X,%04X): text is not valid UTF-8; invalid bytes written as U+FFFD",
             TAG_ARGS(tag));
        break;
    case DF_CHARSET_INVALID_DEFAULT:
        warn(c,
             "(%04X,%04X): text is not valid in the default character set; invalid bytes "
             "written as U+FFFD",
             TAG_ARGS(tag));
        break;
    case DF_CHARSET_BEYOND_DEFAULT:
        warn(c,
             "(%04X,%04X): text outside the default character set (ISO_IR 6) kept "
             "as UTF-8",
             TAG_ARGS(tag));
        break;
    case DF_CHARSET_UNAVAILABLE:
        warn(c,
             "(%04X,%04X): character set %s is not available here; text kept where it "
             "is valid UTF-8",
             TAG_ARGS(tag), df_charset_encoding(cs));
        break;
    case DF_CHARSET_NOMEM:
        c->out.failed = true; /* the conversion fails: out of memory */
        break;
    }
}

/* Reads Specific Character Set (0008,0005) into the current level. */
static void set_charset(df_dicomjson *c, const unsigned char *v, size_t n)
{
    char shown[DF_CHARSET_SHOWN_MAX];
    if (!df_charset_from_value(v, n, &c->lv[c->depth].cs, shown))
        warn(c, "unknown Specific Character Set \"%s\": text kept where it is valid UTF-8", shown);
}

/* ---- writing values ---- */

static bool vr_charset(df_dicom_vr vr)
{
    switch (vr) {
    case DF_DICOM_VR_SH:
    case DF_DICOM_VR_LO:
    case DF_DICOM_VR_ST:
    case DF_DICOM_VR_LT:
    case DF_DICOM_VR_UC:
    case DF_DICOM_VR_UT:
    case DF_DICOM_VR_PN:
        return true;
    default:
        return false;
    }
}

/* LT, ST, UT and UR hold one value: a backslash there is a character. */
static bool vr_single(df_dicom_vr vr)
{
    return vr == DF_DICOM_VR_LT || vr == DF_DICOM_VR_ST || vr == DF_DICOM_VR_UT ||
           vr == DF_DICOM_VR_UR;
}

/* Leading spaces are insignificant for these (PS3.5 6.2); for the others
 * only trailing ones are (and LT, ST, UT, UC, PN keep their leading spaces). */
static bool vr_trim_leading(df_dicom_vr vr)
{
    switch (vr) {
    case DF_DICOM_VR_AE:
    case DF_DICOM_VR_CS:
    case DF_DICOM_VR_DS:
    case DF_DICOM_VR_IS:
    case DF_DICOM_VR_LO:
    case DF_DICOM_VR_SH:
    case DF_DICOM_VR_AS:
    case DF_DICOM_VR_DA:
    case DF_DICOM_VR_DT:
    case DF_DICOM_VR_TM:
    case DF_DICOM_VR_UI:
        return true;
    default:
        return false;
    }
}

static void trim(const char **s, size_t *n, bool leading)
{
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\0'))
        (*n)--;
    while (leading && *n > 0 && (**s == ' ' || **s == '\0')) {
        (*s)++;
        (*n)--;
    }
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Writes a DS or IS value as a JSON number when it is one written the DICOM
 * way ("+1.5", ".5", "5.", "007"), keeping its digits: only what JSON forbids
 * is changed (a plus sign, leading zeros, a bare decimal point). Returns false
 * (nothing written) when it is not a number, or is one a double cannot hold. */
static bool append_decimal(df_buf *b, const char *s, size_t n, bool integer)
{
    char out[80];
    size_t o = 0, i = 0;
    if (n == 0 || n > 64)
        return false;
    if (s[i] == '+' || s[i] == '-') {
        if (s[i] == '-')
            out[o++] = '-';
        i++;
    }
    size_t int_start = i;
    while (i < n && is_digit(s[i]))
        i++;
    size_t int_end = i, frac_start = i, frac_end = i;
    if (i < n && s[i] == '.' && !integer) {
        frac_start = ++i;
        while (i < n && is_digit(s[i]))
            i++;
        frac_end = i;
    }
    if (int_end == int_start && frac_end == frac_start)
        return false;
    size_t z = int_start;
    while (z + 1 < int_end && s[z] == '0')
        z++;
    if (z == int_end) {
        out[o++] = '0';
    } else {
        memcpy(out + o, s + z, int_end - z);
        o += int_end - z;
    }
    if (frac_end > frac_start) {
        out[o++] = '.';
        memcpy(out + o, s + frac_start, frac_end - frac_start);
        o += frac_end - frac_start;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E') && !integer) {
        out[o++] = s[i++];
        if (i < n && (s[i] == '+' || s[i] == '-'))
            out[o++] = s[i++];
        size_t exp_start = i;
        while (i < n && is_digit(s[i]))
            out[o++] = s[i++];
        if (i == exp_start)
            return false;
    }
    if (i != n)
        return false;
    out[o] = '\0';
    if (!isfinite(strtod(out, NULL)))
        return false; /* "1e999": valid text, but most JSON readers fail on it */
    df_buf_append(b, out, o);
    return true;
}

/* Appends text as a JSON string. A NUL is allowed by no text VR (PS3.5 6.1.3)
 * and \u0000 is refused by common JSON readers (jansson by default), so it
 * becomes U+FFFD, with a warning. */
static void append_json_text(df_dicomjson *c, uint32_t tag, const char *s, size_t n)
{
    if (memchr(s, '\0', n) == NULL) {
        df_json_append_string(&c->out, s, n);
        return;
    }
    warn(c, "(%04X,%04X): NUL characters in text written as U+FFFD", TAG_ARGS(tag));
    df_buf *t = &c->scratch;
    df_buf_reset(t);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0')
            df_buf_append_str(t, DF_UTF8_REPLACEMENT);
        else
            df_buf_append_char(t, s[i]);
    }
    if (t->failed) {
        c->out.failed = true;
        return;
    }
    df_json_append_string(&c->out, t->data, t->len);
}

/* A PN value: its '=' groups as Alphabetic, Ideographic, Phonetic; trailing
 * spaces and component delimiters ('^') dropped (PS3.5 6.2.1: they may be
 * omitted), empty groups left out; null when every group is empty. */
static void append_person_name(df_dicomjson *c, uint32_t tag, const char *s, size_t n)
{
    df_buf *b = &c->out;
    static const char *const names[3] = {"Alphabetic", "Ideographic", "Phonetic"};
    const char *g[3];
    size_t gl[3] = {0, 0, 0};
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n && k < 3; i++) {
        if (i == n || s[i] == '=') {
            g[k] = s + start;
            gl[k] = i - start;
            while (gl[k] > 0 &&
                   (g[k][gl[k] - 1] == ' ' || g[k][gl[k] - 1] == '^' || g[k][gl[k] - 1] == '\0'))
                gl[k]--;
            k++;
            start = i + 1;
        }
    }
    bool any = false;
    for (size_t j = 0; j < k; j++) {
        if (gl[j] == 0)
            continue;
        df_buf_append_str(b, any ? ",\"" : "{\"");
        df_buf_append_str(b, names[j]);
        df_buf_append_str(b, "\":");
        append_json_text(c, tag, g[j], gl[j]);
        any = true;
    }
    df_buf_append_str(b, any ? "}" : "null");
}

/* Text VRs: the values split on '\\', trimmed as their VR allows; an empty
 * value in a list is null (F.2.5); when every value is empty, no Value. */
static void append_text(df_dicomjson *c, uint32_t tag, df_dicom_vr vr, const unsigned char *v,
                        size_t n)
{
    df_buf *b = &c->out;
    const char *s;
    size_t len;
    if (vr_charset(vr))
        decode_text(c, tag, v, n, &s, &len);
    else {
        s = (const char *)v;
        len = n;
    }
    bool single = vr_single(vr), leading = vr_trim_leading(vr);
    bool any = false;
    for (size_t i = 0, start = 0; i <= len; i++) {
        if (i < len && (single || s[i] != '\\'))
            continue;
        const char *p = s + start;
        size_t m = i - start;
        trim(&p, &m, leading);
        if (vr == DF_DICOM_VR_PN)
            while (m > 0 && (p[m - 1] == '^' || p[m - 1] == '=' || p[m - 1] == ' '))
                m--;
        if (m > 0) {
            any = true;
            break;
        }
        start = i + 1;
    }
    if (!any)
        return;
    df_buf_append_str(b, ",\"Value\":[");
    for (size_t i = 0, start = 0; i <= len; i++) {
        if (i < len && (single || s[i] != '\\'))
            continue;
        const char *p = s + start;
        size_t m = i - start;
        if (start > 0)
            df_buf_append_char(b, ',');
        start = i + 1;
        trim(&p, &m, leading);
        if (m == 0)
            df_buf_append_str(b, "null");
        else if (vr == DF_DICOM_VR_PN)
            append_person_name(c, tag, p, m);
        else if ((vr == DF_DICOM_VR_DS || vr == DF_DICOM_VR_IS) &&
                 append_decimal(b, p, m, vr == DF_DICOM_VR_IS))
            ;
        else
            append_json_text(c, tag, p, m);
    }
    df_buf_append_char(b, ']');
}

static uint64_t le(const unsigned char *p, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = size; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* The shortest text that reads back as the same float or double. NaN and
 * infinities have no JSON form: null, with a warning. */
static void append_float(df_dicomjson *c, uint32_t tag, double v, bool single)
{
    df_buf *b = &c->out;
    if (!isfinite(v)) {
        warn(c, "(%04X,%04X): a NaN or infinite floating point value written as null",
             TAG_ARGS(tag));
        df_buf_append_str(b, "null");
        return;
    }
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        for (char *q = tmp; *q; q++)
            if (*q == ',')
                *q = '.'; /* a locale's decimal comma */
        if (single ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v)
            break;
    }
    df_buf_append_str(b, tmp);
}

/* SV and UV values beyond 2^53 are written as strings: F.2.3 allows a string
 * for them, and most JSON readers hold numbers in doubles. */
#define JSON_EXACT_MAX 9007199254740992u

static void append_binary_numbers(df_dicomjson *c, uint32_t tag, df_dicom_vr vr,
                                  const unsigned char *v, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    df_buf *b = &c->out;
    unsigned size = vr == DF_DICOM_VR_US || vr == DF_DICOM_VR_SS                           ? 2
                    : vr == DF_DICOM_VR_FD || vr == DF_DICOM_VR_SV || vr == DF_DICOM_VR_UV ? 8
                                                                                           : 4;
    if (n < size)
        return; /* the reader hands over whole numbers only; nothing to write */
    df_buf_append_str(b, ",\"Value\":[");
    for (size_t i = 0; i + size <= n; i += size) {
        if (i > 0)
            df_buf_append_char(b, ',');
        uint64_t u = le(v + i, size);
        switch (vr) {
        case DF_DICOM_VR_US:
        case DF_DICOM_VR_UL:
            df_buf_append_u64(b, u);
            break;
        case DF_DICOM_VR_UV: /* past 2^53 a JSON number loses digits in most readers */
            if (u > JSON_EXACT_MAX)
                df_buf_append_char(b, '"');
            df_buf_append_u64(b, u);
            if (u > JSON_EXACT_MAX)
                df_buf_append_char(b, '"');
            break;
        case DF_DICOM_VR_SS:
            df_buf_append_i64(b, (int16_t)(uint16_t)u);
            break;
        case DF_DICOM_VR_SL:
            df_buf_append_i64(b, (int32_t)(uint32_t)u);
            break;
        case DF_DICOM_VR_SV: {
            int64_t sv = (int64_t)u;
            bool big = sv > (int64_t)JSON_EXACT_MAX || sv < -(int64_t)JSON_EXACT_MAX;
            if (big)
                df_buf_append_char(b, '"');
            df_buf_append_i64(b, sv);
            if (big)
                df_buf_append_char(b, '"');
            break;
        }
        case DF_DICOM_VR_FL: {
            uint32_t w = (uint32_t)u;
            float f;
            memcpy(&f, &w, sizeof f);
            append_float(c, tag, f, true);
            break;
        }
        case DF_DICOM_VR_FD: {
            double d;
            memcpy(&d, &u, sizeof d);
            append_float(c, tag, d, false);
            break;
        }
        default: { /* AT: group then element, as "GGGGEEEE" */
            char t[10] = {'"'};
            uint32_t at = (uint32_t)le(v + i, 2) << 16 | (uint32_t)le(v + i + 2, 2);
            for (int k = 0; k < 8; k++)
                t[1 + k] = hex[(at >> (28 - 4 * k)) & 15];
            t[9] = '"';
            df_buf_append(b, t, sizeof t);
            break;
        }
        }
    }
    df_buf_append_char(b, ']');
}

static void append_base64(df_buf *b, const unsigned char *v, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char tmp[256];
    size_t o = 0;
    df_buf_append_str(b, ",\"InlineBinary\":\"");
    for (size_t i = 0; i < n; i += 3) {
        uint32_t w = (uint32_t)v[i] << 16;
        if (i + 1 < n)
            w |= (uint32_t)v[i + 1] << 8;
        if (i + 2 < n)
            w |= v[i + 2];
        tmp[o++] = abc[w >> 18];
        tmp[o++] = abc[(w >> 12) & 63];
        tmp[o++] = i + 1 < n ? abc[(w >> 6) & 63] : '=';
        tmp[o++] = i + 2 < n ? abc[w & 63] : '=';
        if (o + 4 > sizeof tmp) {
            df_buf_append(b, tmp, o);
            o = 0;
        }
    }
    df_buf_append(b, tmp, o);
    df_buf_append_char(b, '"');
}

/* ---- the reader's events ---- */

/* `"GGGGEEEE":{"vr":"XX"` with the comma before it when needed. */
static void open_attribute(df_dicomjson *c, uint32_t tag, const char *vr)
{
    static const char hex[] = "0123456789ABCDEF";
    char k[24];
    size_t o = 0;
    struct level *l = &c->lv[c->depth];
    if (!l->empty)
        k[o++] = ',';
    if (!l->empty && tag <= l->last_tag)
        l->unsorted = true;
    l->empty = false;
    l->last_tag = tag;
    if (c->nspans == c->span_cap) {
        size_t cap = c->span_cap ? 2 * c->span_cap : 256;
        struct span *p = realloc(c->spans, cap * sizeof *p);
        if (p == NULL) {
            c->out.failed = true;
            return;
        }
        c->spans = p;
        c->span_cap = cap;
    }
    c->spans[c->nspans++] = (struct span){tag, c->out.len + (o ? 1 : 0), 0};
    k[o++] = '"';
    for (int i = 0; i < 8; i++)
        k[o++] = hex[(tag >> (28 - 4 * i)) & 15];
    memcpy(k + o, "\":{\"vr\":\"", 9);
    o += 9;
    k[o++] = vr[0];
    k[o++] = vr[1];
    k[o++] = '"';
    df_buf_append(&c->out, k, o);
}

static void close_attribute(df_dicomjson *c)
{
    if (c->nspans > 0)
        c->spans[c->nspans - 1].end = c->out.len;
}

static int span_order(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->tag != y->tag)
        return x->tag < y->tag ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start; /* stable: file order */
}

/* Puts the object of level l in ascending tag order (F.2.2) when the file did
 * not have it so; of two attributes with one tag, the first is kept. */
static void finish_object(df_dicomjson *c, struct level *l)
{
    if (!l->unsorted || c->out.failed)
        return;
    struct span *sp = c->spans + l->span_base;
    size_t n = c->nspans - l->span_base;
    df_buf_reset(&c->scratch);
    df_buf_append(&c->scratch, c->out.data + l->obj_start, c->out.len - l->obj_start);
    if (c->scratch.failed) {
        c->out.failed = true;
        return;
    }
    qsort(sp, n, sizeof *sp, span_order);
    c->out.len = l->obj_start;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && sp[i].tag == sp[i - 1].tag) {
            warn(c, "(%04X,%04X) appears more than once in one dataset: the first kept",
                 TAG_ARGS(sp[i].tag));
            continue;
        }
        if (c->out.len > l->obj_start)
            df_buf_append_char(&c->out, ',');
        df_buf_append(&c->out, c->scratch.data + (sp[i].start - l->obj_start),
                      sp[i].end - sp[i].start);
    }
}

/* Group 0002 is the file's, not the dataset's; group lengths are not in DICOM
 * JSON (F.2.2); Data Set Trailing Padding has no meaning (PS3.10 7.2). */
static bool left_out(uint32_t tag)
{
    return DF_DICOM_TAG_GROUP(tag) == 0x0002 || DF_DICOM_TAG_ELEMENT(tag) == 0x0000 ||
           tag == DF_DICOM_TAG(0xFFFC, 0xFFFC);
}

static void capture_uid(df_dicomjson *c, uint32_t tag, const unsigned char *v, size_t n)
{
    for (int k = 0; k < 3; k++) {
        if (tag != uid_tags[k])
            continue;
        const char *s = (const char *)v;
        size_t m = n;
        trim(&s, &m, true);
        char *dst = k == 0 ? c->res->study_uid : k == 1 ? c->res->series_uid : c->res->sop_uid;
        c->uid_seen[k] = true;
        c->uid_long[k] = m > DF_UID_MAX;
        if (m > DF_UID_MAX)
            m = DF_UID_MAX;
        if (m > 0)
            memcpy(dst, s, m);
        dst[m] = '\0';
    }
}

static bool on_element(void *ctx, uint32_t tag, df_dicom_vr vr, const void *value, uint32_t length)
{
    df_dicomjson *c = ctx;
    const unsigned char *v = value;
    if (left_out(tag))
        return true;
    if (c->depth == 0)
        capture_uid(c, tag, v, length);
    if (tag == DF_DICOM_TAG(0x0008, 0x0005))
        set_charset(c, v, length);
    open_attribute(c, tag, df_dicom_vr_name(vr));
    if (length > 0 && df_dicom_vr_is_binary(vr)) {
        append_base64(&c->out, v, length);
    } else if (length > 0) {
        switch (vr) {
        case DF_DICOM_VR_AT:
        case DF_DICOM_VR_FD:
        case DF_DICOM_VR_FL:
        case DF_DICOM_VR_SL:
        case DF_DICOM_VR_SS:
        case DF_DICOM_VR_SV:
        case DF_DICOM_VR_UL:
        case DF_DICOM_VR_US:
        case DF_DICOM_VR_UV:
            append_binary_numbers(c, tag, vr, v, length);
            break;
        case DF_DICOM_VR_SQ: /* the reader gives sequences through sequence_begin */
            break;
        default:
            append_text(c, tag, vr, v, length);
            break;
        }
    }
    df_buf_append_char(&c->out, '}');
    close_attribute(c);
    return !c->out.failed;
}

/* Bulk data is left out of the metadata entirely (spec §3). */
static bool on_bulk(void *ctx, uint32_t tag, df_dicom_vr vr, uint32_t length)
{
    (void)tag;
    (void)vr;
    (void)length;
    df_dicomjson *c = ctx;
    return !c->out.failed;
}

/* What the reader accepted with a warning (trailing padding) is the file's
 * warning too; like the others, only a file's first is kept. */
static bool on_warning(void *ctx, const char *message)
{
    df_dicomjson *c = ctx;
    warn(c, "%s", message);
    return true;
}

/* A UN of undefined length was read as a sequence (PS3.5 6.2.2), so it is
 * written as what it is: SQ. */
static bool on_sequence_begin(void *ctx, uint32_t tag, df_dicom_vr vr)
{
    (void)vr;
    df_dicomjson *c = ctx;
    open_attribute(c, tag, "SQ");
    c->lv[c->depth].seq_items = false;
    return !c->out.failed;
}

static void open_object(df_dicomjson *c, df_charset cs)
{
    struct level *l = &c->lv[c->depth];
    l->cs = cs;
    l->empty = true;
    l->seq_items = false;
    l->unsorted = false;
    l->last_tag = 0;
    l->obj_start = c->out.len;
    l->span_base = c->nspans;
}

static bool on_item_begin(void *ctx)
{
    df_dicomjson *c = ctx;
    struct level *l = &c->lv[c->depth];
    if (c->depth + 1 >= LEVELS)
        return false; /* the reader bounds depth first; this keeps lv in range regardless */
    df_buf_append_str(&c->out, l->seq_items ? ",{" : ",\"Value\":[{");
    l->seq_items = true;
    c->depth++;
    open_object(c, l->cs);
    return !c->out.failed;
}

static bool on_item_end(void *ctx)
{
    df_dicomjson *c = ctx;
    struct level *l = &c->lv[c->depth];
    finish_object(c, l);
    df_buf_append_char(&c->out, '}');
    c->nspans = l->span_base;
    if (c->depth > 0)
        c->depth--;
    return !c->out.failed;
}

static bool on_sequence_end(void *ctx)
{
    df_dicomjson *c = ctx;
    df_buf_append_str(&c->out, c->lv[c->depth].seq_items ? "]}" : "}");
    c->lv[c->depth].seq_items = false;
    close_attribute(c);
    return !c->out.failed;
}

static const df_dicom_handler handler = {
    .element = on_element,
    .bulk = on_bulk,
    .sequence_begin = on_sequence_begin,
    .item_begin = on_item_begin,
    .item_end = on_item_end,
    .sequence_end = on_sequence_end,
    .warning = on_warning,
};

int df_dicomjson_convert_io(df_dicomjson *c, df_dicom_io *io, const char *name,
                            df_dicomjson_result *res, df_error *err)
{
    memset(res, 0, sizeof *res);
    /* One rare huge dataset should not pin its buffers for the next thousand
     * files (the previous result is no longer borrowed once this call starts). */
    df_buf_trim(&c->out, BUFFER_KEEP);
    df_buf_trim(&c->text, BUFFER_KEEP);
    df_buf_trim(&c->scratch, BUFFER_KEEP);
    if (c->span_cap > BUFFER_KEEP / sizeof *c->spans) {
        free(c->spans);
        c->spans = NULL;
        c->span_cap = 0;
    }
    c->res = res;
    c->depth = 0;
    c->nspans = 0;
    memset(c->uid_seen, 0, sizeof c->uid_seen);
    memset(c->uid_long, 0, sizeof c->uid_long);
    df_buf_reset(&c->out);
    df_buf_append_char(&c->out, '{');
    open_object(c, DF_CHARSET_DEFAULT);

    df_error perr = {0, ""};
    int rc = df_dicom_parse(c->reader, io, &handler, c, NULL, &perr);
    if (rc == 0 && c->out.failed)
        rc = df_error_set(err, DF_ENOMEM,
                          "%s: the metadata is larger than %u MiB, or memory ran out", name,
                          METADATA_MAX >> 20);
    else if (rc == 0 && c->depth != 0)
        rc = df_error_set(err, DF_EINVAL, "%s: sequences nested too deep", name);
    else if (rc != 0)
        df_error_set(err, rc, "%s: %s", name, perr.message);
    for (int k = 0; rc == 0 && k < 3; k++) {
        const char *u = k == 0 ? res->study_uid : k == 1 ? res->series_uid : res->sop_uid;
        if (!c->uid_seen[k] || u[0] == '\0')
            rc = df_error_set(err, DF_EINVAL, "%s: no %s in the dataset", name, uid_names[k]);
        else if (c->uid_long[k])
            rc = df_error_set(err, DF_EINVAL, "%s: %s is longer than %d characters", name,
                              uid_names[k], DF_UID_MAX);
        else if (!df_uid_valid(u, strlen(u))) {
            bool printable = true;
            for (const char *q = u; *q; q++)
                if (*q < 0x20 || *q >= 0x7F || *q == '"')
                    printable = false;
            rc = df_error_set(err, DF_EINVAL, "%s: invalid %s \"%s\"", name, uid_names[k],
                              printable ? u : "(not printable)");
        }
    }
    if (rc == 0)
        finish_object(c, &c->lv[0]);
    df_buf_append_char(&c->out, '}');
    if (rc == 0 && c->out.failed)
        rc = df_error_set(err, DF_ENOMEM, "%s: the metadata is larger than %u MiB", name,
                          METADATA_MAX >> 20);
    if (rc != 0) {
        char w[DF_ERROR_MESSAGE_MAX];
        memcpy(w, res->warning, sizeof w);
        memset(res, 0, sizeof *res);
        memcpy(res->warning, w, sizeof w);
        return rc;
    }
    res->metadata = c->out.data;
    res->metadata_len = c->out.len;
    return 0;
}

int df_dicomjson_convert_path(df_dicomjson *c, const char *path, df_dicomjson_result *res,
                              df_error *err)
{
    memset(res, 0, sizeof *res);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return df_error_set(err, DF_EIO, "%s: cannot open: %s", path, strerror(errno));
    df_dicom_fileio f;
    df_error ferr = {0, ""};
    int rc = df_dicom_fileio_init(&f, fp, &ferr);
    if (rc != 0)
        df_error_set(err, rc, "%s: %s", path, ferr.message);
    else
        rc = df_dicomjson_convert_io(c, &f.io, path, res, err);
    fclose(fp);
    return rc;
}
