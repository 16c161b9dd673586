/* Specific Character Set -> UTF-8 (see charset.h). One table holds every
 * defined term and escape sequence with what it designates and the iconv
 * encoding that reads it; parsing a Specific Character Set value and following
 * an ISO 2022 escape each look a row up there, and a df_charset keeps row
 * numbers, so decoding never compares names again. */
#include "charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What a value designates as a whole. */
enum cs_kind {
    CS_ASCII,    /* ISO_IR 6, the default */
    CS_UTF8,     /* ISO_IR 192 (and an unknown term: text kept where valid UTF-8) */
    CS_LATIN1,   /* ISO_IR 100, decoded here */
    CS_KATAKANA, /* ISO_IR 13: JIS X 0201, decoded here */
    CS_ICONV,    /* a single encoding through iconv */
    CS_ISO2022,  /* code extensions: escape sequences switch G0 and G1 */
};

/* What an escape sequence puts in G0 (7-bit bytes) or G1 (bytes 0xA0-0xFF). */
enum g_set { G_NONE, G_ASCII, G_SB96, G_KATAKANA, G_JIS0208, G_JIS0212, G_KSX1001, G_GB2312 };

_Static_assert(CS_ASCII == 0 && G_NONE == 0, "DF_CHARSET_DEFAULT is all zeros");

/* The defined terms (PS3.3 C.12.1.1.2) without and with code extensions, and
 * the escape sequences PS3.5 6.1.2.5 allows. */
static const struct term {
    const char *name;     /* the term used alone, or NULL */
    const char *name2022; /* the term with code extensions, or NULL */
    const char *esc;      /* what follows ESC to designate it, or NULL */
    unsigned char kind;   /* enum cs_kind when used alone */
    unsigned char g;      /* the register esc designates: 0 (G0) or 1 (G1) */
    unsigned char set;    /* enum g_set: what esc puts there */
    const char *iconv;    /* the encoding iconv reads it as; NULL: decoded here */
} terms[] = {
    {"ISO_IR 6", "ISO 2022 IR 6", "(B", CS_ASCII, 0, G_ASCII, NULL},
    {"ISO_IR 100", "ISO 2022 IR 100", "-A", CS_LATIN1, 1, G_SB96, "ISO-8859-1"},
    {"ISO_IR 101", "ISO 2022 IR 101", "-B", CS_ICONV, 1, G_SB96, "ISO-8859-2"},
    {"ISO_IR 109", "ISO 2022 IR 109", "-C", CS_ICONV, 1, G_SB96, "ISO-8859-3"},
    {"ISO_IR 110", "ISO 2022 IR 110", "-D", CS_ICONV, 1, G_SB96, "ISO-8859-4"},
    {"ISO_IR 144", "ISO 2022 IR 144", "-L", CS_ICONV, 1, G_SB96, "ISO-8859-5"},
    {"ISO_IR 127", "ISO 2022 IR 127", "-G", CS_ICONV, 1, G_SB96, "ISO-8859-6"},
    {"ISO_IR 126", "ISO 2022 IR 126", "-F", CS_ICONV, 1, G_SB96, "ISO-8859-7"},
    {"ISO_IR 138", "ISO 2022 IR 138", "-H", CS_ICONV, 1, G_SB96, "ISO-8859-8"},
    {"ISO_IR 148", "ISO 2022 IR 148", "-M", CS_ICONV, 1, G_SB96, "ISO-8859-9"},
    {"ISO_IR 203", "ISO 2022 IR 203", "-b", CS_ICONV, 1, G_SB96, "ISO-8859-15"},
    {"ISO_IR 166", "ISO 2022 IR 166", "-T", CS_ICONV, 1, G_SB96, "TIS-620"},
    {"ISO_IR 13", "ISO 2022 IR 13", ")I", CS_KATAKANA, 1, G_KATAKANA, NULL},
    {"ISO_IR 192", NULL, NULL, CS_UTF8, 0, G_NONE, NULL},
    {"GB18030", NULL, NULL, CS_ICONV, 0, G_NONE, "GB18030"},
    {"GBK", NULL, NULL, CS_ICONV, 0, G_NONE, "GBK"},
    /* Multi-byte sets, only as code extensions: JIS X 0208 and 0212 as 7-bit
     * pairs in G0 (read as EUC-JP once the high bits are set), KS X 1001 and
     * GB 2312 as 8-bit pairs in G1. */
    {NULL, "ISO 2022 IR 87", "$B", CS_ISO2022, 0, G_JIS0208, "EUC-JP"},
    {NULL, "ISO 2022 IR 159", "$(D", CS_ISO2022, 0, G_JIS0212, "EUC-JP"},
    {NULL, "ISO 2022 IR 149", "$)C", CS_ISO2022, 1, G_KSX1001, "EUC-KR"},
    {NULL, "ISO 2022 IR 58", "$)A", CS_ISO2022, 1, G_GB2312, "GB2312"},
    /* Escapes of no defined term that real files use, read as DCMTK does: JIS X
     * 0201 Romaji as ASCII, JIS C 6226-1978 as JIS X 0208. */
    {NULL, NULL, "(J", CS_ISO2022, 0, G_ASCII, NULL},
    {NULL, NULL, "$@", CS_ISO2022, 0, G_JIS0208, "EUC-JP"},
};
#define TERM_COUNT (sizeof terms / sizeof terms[0])

/* Descriptors are opened on first use, one per row that names an encoding. */
struct df_charset_decoder {
    iconv_t ic[TERM_COUNT];
    bool ic_failed[TERM_COUNT];
};

df_charset_decoder *df_charset_decoder_new(void)
{
    df_charset_decoder *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    for (size_t i = 0; i < TERM_COUNT; i++)
        d->ic[i] = (iconv_t)-1;
    return d;
}

void df_charset_decoder_free(df_charset_decoder *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < TERM_COUNT; i++)
        if (d->ic[i] != (iconv_t)-1)
            iconv_close(d->ic[i]);
    free(d);
}

const char *df_charset_encoding(df_charset cs)
{
    if (cs.kind != CS_ICONV || cs.term >= TERM_COUNT || terms[cs.term].iconv == NULL)
        return "";
    return terms[cs.term].iconv;
}

/* The descriptor for row term's encoding in its initial state, or (iconv_t)-1
 * when iconv lacks it. */
static iconv_t get_iconv(df_charset_decoder *d, size_t term)
{
    if (term >= TERM_COUNT || terms[term].iconv == NULL)
        return (iconv_t)-1;
    if (d->ic[term] == (iconv_t)-1 && !d->ic_failed[term]) {
        d->ic[term] = iconv_open("UTF-8", terms[term].iconv);
        if (d->ic[term] == (iconv_t)-1)
            d->ic_failed[term] = true;
    }
    if (d->ic[term] != (iconv_t)-1)
        iconv(d->ic[term], NULL, NULL, NULL, NULL); /* back to the initial state */
    return d->ic[term];
}

/* ---- Specific Character Set values ---- */

static const struct term *find_term(const unsigned char *s, size_t len, bool iso2022)
{
    for (size_t k = 0; k < TERM_COUNT && len > 0; k++) {
        const char *name = iso2022 ? terms[k].name2022 : terms[k].name;
        if (name && strlen(name) == len && memcmp(name, s, len) == 0)
            return &terms[k];
    }
    return NULL;
}

bool df_charset_from_value(const void *value, size_t n, df_charset *out,
                           char shown[DF_CHARSET_SHOWN_MAX])
{
    const unsigned char *v = value;
    df_charset cs = DF_CHARSET_DEFAULT;
    size_t i = 0;
    int index = 0;
    shown[0] = '\0';
    if (n == 0) { /* empty: the default repertoire */
        *out = cs;
        return true;
    }
    /* More than one value means code extensions, whatever the names say. */
    bool extended = memchr(v, '\\', n) != NULL;
    while (i <= n) {
        size_t start = i;
        while (i < n && v[i] != '\\')
            i++;
        size_t a = start, z = i;
        while (a < z && (v[a] == ' ' || v[a] == '\0'))
            a++;
        while (z > a && (v[z - 1] == ' ' || v[z - 1] == '\0'))
            z--;
        size_t len = z - a;
        bool named2022 = len > 9 && memcmp(v + a, "ISO 2022 ", 9) == 0;
        const struct term *t = find_term(v + a, len, extended || named2022);
        if (len > 0 && t == NULL) {
            size_t m = 0;
            for (size_t k = a; k < z && m < DF_CHARSET_SHOWN_MAX - 1; k++)
                shown[m++] = v[k] >= 0x20 && v[k] < 0x7F && v[k] != '"' ? (char)v[k] : '?';
            shown[m] = '\0';
            cs.kind = CS_UTF8;
            *out = cs;
            return false;
        }
        if (extended || (t != NULL && named2022)) {
            cs.kind = CS_ISO2022;
            /* Value 1, a single-byte set, is in force in G1 from the start. */
            if (index == 0 && t != NULL && t->name != NULL && t->g == 1) {
                cs.g1 = t->set;
                cs.g1term = (unsigned char)(t - terms);
            }
        } else if (t != NULL) {
            cs.kind = t->kind;
            cs.term = (unsigned char)(t - terms);
        }
        index++;
        i++;
    }
    *out = cs;
    return true;
}

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (len > n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_sequence(s + i, n - i);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

static bool ascii_only(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 0x80)
            return false;
    return true;
}

static void append_codepoint(df_buf *b, unsigned cp)
{
    char u[3];
    if (cp < 0x80) {
        df_buf_append_char(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        df_buf_append(b, u, 2);
    } else {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        df_buf_append(b, u, 3);
    }
}

/* JIS X 0201 Katakana (0xA1-0xDF) is U+FF61-U+FF9F. */
static bool append_katakana(df_buf *b, unsigned char ch)
{
    if (ch < 0xA1 || ch > 0xDF)
        return false;
    append_codepoint(b, 0xFF61u + (unsigned)(ch - 0xA1));
    return true;
}

/* Converts n bytes through an iconv descriptor; bytes it refuses become
 * U+FFFD. Returns false when some did. */
static bool append_iconv(df_buf *b, iconv_t cd, const unsigned char *s, size_t n)
{
    bool clean = true;
    char *in = (char *)(uintptr_t)s;
    size_t left = n;
    char tmp[512];
    while (left > 0 && !b->failed) {
        char *o = tmp;
        size_t room = sizeof tmp;
        size_t r = iconv(cd, &in, &left, &o, &room);
        df_buf_append(b, tmp, (size_t)(o - tmp));
        if (r == (size_t)-1 && errno != E2BIG) {
            /* EILSEQ or EINVAL (cut short): replace one byte and go on. */
            df_buf_append_str(b, DF_UTF8_REPLACEMENT);
            in++;
            left--;
            clean = false;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    return clean;
}

/* The row whose escape sequence starts at s (n bytes, just past ESC), or NULL;
 * *len receives the escape's length. */
static const struct term *find_escape(const unsigned char *s, size_t n, size_t *len)
{
    for (size_t k = 0; k < TERM_COUNT; k++) {
        size_t el = terms[k].esc ? strlen(terms[k].esc) : 0;
        if (el > 0 && el <= n && memcmp(s, terms[k].esc, el) == 0) {
            *len = el;
            return &terms[k];
        }
    }
    return NULL;
}

/* ISO 2022 with the escape sequences DICOM allows (PS3.5 6.1.2.5, PS3.3
 * C.12.1.1.2): G0 is ASCII, JIS X 0201 Romaji, JIS X 0208 or JIS X 0212 (7-bit
 * pairs); G1 (bytes with the high bit set) is a 96-character set, JIS X 0201
 * Katakana, KS X 1001 or GB 2312. Delimiters put back what value 1 designated. */
static bool decode_iso2022(df_charset_decoder *d, df_charset cs, const unsigned char *s, size_t n,
                           df_buf *b)
{
    bool clean = true;
    int g0 = G_ASCII, g1 = cs.g1;
    size_t g0term = 0, g1term = cs.g1term;
    size_t i = 0;
    while (i < n && !b->failed) {
        unsigned char ch = s[i];
        if (ch == 0x1B) {
            size_t el;
            const struct term *t = find_escape(s + i + 1, n - i - 1, &el);
            if (t == NULL) {
                df_buf_append_str(b, DF_UTF8_REPLACEMENT);
                clean = false;
                i++;
                continue;
            }
            if (t->g == 0) {
                g0 = t->set;
                g0term = (size_t)(t - terms);
            } else {
                g1 = t->set;
                g1term = (size_t)(t - terms);
            }
            i += 1 + el;
            continue;
        }
        if (ch < 0x80) {
            if ((g0 == G_JIS0208 || g0 == G_JIS0212) && ch > 0x20 && ch < 0x7F) {
                unsigned char e[3];
                size_t en = 0;
                if (i + 1 >= n || s[i + 1] <= 0x20 || s[i + 1] >= 0x7F) {
                    df_buf_append_str(b, DF_UTF8_REPLACEMENT);
                    clean = false;
                    i++;
                    continue;
                }
                if (g0 == G_JIS0212)
                    e[en++] = 0x8F;
                e[en++] = (unsigned char)(ch | 0x80);
                e[en++] = (unsigned char)(s[i + 1] | 0x80);
                iconv_t cd = get_iconv(d, g0term);
                if (cd == (iconv_t)-1) {
                    df_buf_append_str(b, DF_UTF8_REPLACEMENT);
                    clean = false;
                } else if (!append_iconv(b, cd, e, en)) {
                    clean = false;
                }
                i += 2;
                continue;
            }
            df_buf_append_char(b, (char)ch);
            if (ch == '\\' || ch == '^' || ch == '=' || ch == '\r' || ch == '\n' || ch == '\t' ||
                ch == '\f') {
                g0 = G_ASCII;
                g1 = cs.g1;
                g1term = cs.g1term;
            }
            i++;
            continue;
        }
        /* G1 */
        if (g1 == G_KATAKANA && append_katakana(b, ch)) {
            i++;
            continue;
        }
        size_t take = g1 == G_KSX1001 || g1 == G_GB2312 ? 2 : 1;
        bool by_iconv = g1 == G_SB96 || take == 2;
        iconv_t cd = by_iconv ? get_iconv(d, g1term) : (iconv_t)-1;
        if (cd == (iconv_t)-1 || i + take > n) {
            df_buf_append_str(b, DF_UTF8_REPLACEMENT);
            clean = false;
            i++;
            continue;
        }
        if (!append_iconv(b, cd, s + i, take))
            clean = false;
        i += take;
    }
    return clean;
}

df_charset_status df_charset_decode(df_charset_decoder *d, df_charset cs, const unsigned char *s,
                                    size_t n, df_buf *b, const char **text, size_t *text_len)
{
    *text = (const char *)s;
    *text_len = n;
    if (ascii_only(s, n) && cs.kind != CS_ISO2022)
        return DF_CHARSET_OK;
    bool clean = true;
    df_buf_reset(b);
    switch (cs.kind) {
    case CS_ASCII:
    case CS_UTF8:
        if (!utf8_valid(s, n))
            return cs.kind == CS_UTF8 ? DF_CHARSET_INVALID_UTF8 : DF_CHARSET_INVALID_DEFAULT;
        return cs.kind == CS_ASCII ? DF_CHARSET_BEYOND_DEFAULT : DF_CHARSET_OK;
    case CS_LATIN1:
        for (size_t i = 0; i < n; i++)
            append_codepoint(b, s[i]);
        break;
    case CS_KATAKANA:
        for (size_t i = 0; i < n; i++) {
            if (s[i] < 0x80) {
                df_buf_append_char(b, (char)s[i]);
            } else if (!append_katakana(b, s[i])) {
                df_buf_append_str(b, DF_UTF8_REPLACEMENT);
                clean = false;
            }
        }
        break;
    case CS_ICONV: {
        iconv_t cd = get_iconv(d, cs.term);
        if (cd == (iconv_t)-1)
            return DF_CHARSET_UNAVAILABLE;
        clean = append_iconv(b, cd, s, n);
        break;
    }
    case CS_ISO2022:
        clean = decode_iso2022(d, cs, s, n, b);
        break;
    default:
        return DF_CHARSET_OK;
    }
    if (b->failed)
        return DF_CHARSET_NOMEM;
    *text = b->data ? b->data : "";
    *text_len = b->len;
    return clean ? DF_CHARSET_OK : DF_CHARSET_REPLACED;
}
