/* Output buffer and JSON writing: see json.h. Appends never use a temporary
 * string per field; numbers and timestamps are formatted in place. */
#include "json.h"

#include <stdlib.h>
#include <string.h>

void df_buf_init(df_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->failed = false;
}

void df_buf_reset(df_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data != NULL)
        b->data[0] = '\0';
}

void df_buf_free(df_buf *b)
{
    free(b->data);
    df_buf_init(b, b->max);
}

void df_buf_trim(df_buf *b, size_t keep)
{
    if (b->cap > keep)
        df_buf_free(b);
    else
        df_buf_reset(b);
}

void df_buf_truncate(df_buf *b, size_t len)
{
    if (len > b->len)
        return;
    b->len = len;
    b->failed = false;
    if (b->data != NULL)
        b->data[len] = '\0';
}

bool df_buf_failed(const df_buf *b)
{
    return b->failed;
}

/* Makes room for n more bytes plus the terminating NUL. */
static bool reserve(df_buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (n > b->max - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

char *df_buf_space(df_buf *b, size_t n)
{
    return reserve(b, n) ? b->data + b->len : NULL;
}

void df_buf_written(df_buf *b, size_t n)
{
    b->len += n;
    b->data[b->len] = '\0';
}

void df_buf_append(df_buf *b, const void *p, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void df_buf_append_str(df_buf *b, const char *s)
{
    df_buf_append(b, s, strlen(s));
}

void df_buf_append_char(df_buf *b, char c)
{
    df_buf_append(b, &c, 1);
}

void df_buf_append_u64(df_buf *b, uint64_t v)
{
    char tmp[20];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    df_buf_append(b, tmp + i, sizeof tmp - i);
}

void df_buf_append_i64(df_buf *b, int64_t v)
{
    if (v < 0) {
        df_buf_append_char(b, '-');
        /* Negate in unsigned arithmetic: -INT64_MIN overflows int64_t. */
        df_buf_append_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        df_buf_append_u64(b, (uint64_t)v);
    }
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when the
 * bytes there are not one (overlong forms, surrogates and values past
 * U+10FFFF are invalid, per RFC 3629). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

void df_json_append_string(df_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    df_buf_append_char(b, '"');
    size_t run = 0; /* start of the bytes that need no escaping */
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t seq = 1;
        const char *esc = NULL;
        char uesc[6];
        if (c == '"') {
            esc = "\\\"";
        } else if (c == '\\') {
            esc = "\\\\";
        } else if (c < 0x20) {
            switch (c) {
            case '\b':
                esc = "\\b";
                break;
            case '\f':
                esc = "\\f";
                break;
            case '\n':
                esc = "\\n";
                break;
            case '\r':
                esc = "\\r";
                break;
            case '\t':
                esc = "\\t";
                break;
            default:
                memcpy(uesc, "\\u00", 4);
                uesc[4] = hex[c >> 4];
                uesc[5] = hex[c & 15];
                break;
            }
        } else if (c >= 0x80) {
            seq = utf8_sequence(p + i, n - i);
            if (seq == 0) {
                esc = "\\ufffd";
                seq = 1;
            }
        }
        if (esc == NULL && !(c < 0x20)) {
            i += seq;
            continue;
        }
        df_buf_append(b, p + run, i - run);
        if (esc != NULL)
            df_buf_append_str(b, esc);
        else
            df_buf_append(b, uesc, sizeof uesc);
        i += seq;
        run = i;
    }
    df_buf_append(b, p + run, n - run);
    df_buf_append_char(b, '"');
}

static void append_digits(char *out, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * days_from_civil inverse). Pure arithmetic: gmtime_r takes glibc's time zone
 * lock for every call, and the responder's threads format a timestamp per
 * entry. */
static void civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    days += 719468; /* from 0000-03-01, so that a leap day ends its year */
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);                       /* [0, 146096] */
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    unsigned mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int64_t)yoe + era * 400 + (*month <= 2);
}

void df_json_append_timestamp(df_buf *b, int64_t unix_us)
{
    /* Floor division, so that times before 1970 count back from a whole second and day. */
    int64_t secs = unix_us / 1000000;
    int64_t us = unix_us % 1000000;
    if (us < 0) {
        us += 1000000;
        secs -= 1;
    }
    int64_t days = secs / 86400;
    int64_t sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days -= 1;
    }
    int64_t year;
    unsigned month, day;
    civil_from_days(days, &year, &month, &day);
    if (year < 0 || year > 9999) {
        b->failed = true;
        return;
    }
    char out[27]; /* YYYY-MM-DDTHH:MM:SS.ffffffZ */
    append_digits(out, (unsigned)year, 4);
    out[4] = '-';
    append_digits(out + 5, month, 2);
    out[7] = '-';
    append_digits(out + 8, day, 2);
    out[10] = 'T';
    append_digits(out + 11, (unsigned)(sod / 3600), 2);
    out[13] = ':';
    append_digits(out + 14, (unsigned)(sod / 60 % 60), 2);
    out[16] = ':';
    append_digits(out + 17, (unsigned)(sod % 60), 2);
    out[19] = '.';
    append_digits(out + 20, (unsigned)us, 6);
    out[26] = 'Z';
    df_buf_append(b, out, sizeof out);
}
