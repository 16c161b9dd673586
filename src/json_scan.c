/* JSON text as bytes, iteratively and within bounds: see json_scan.h. */
#include "json_scan.h"

#include <string.h>

#include "num.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t df_json_skip_ws(const char *t, size_t n, size_t i)
{
    while (i < n && is_ws(t[i]))
        i++;
    return i;
}

static int fail(df_error *err, size_t at, const char *reason)
{
    return df_error_set(err, DF_EINVAL, "byte %zu: %s", at, reason);
}

/* t[i] is '"': sets *end past the closing quote. */
static int scan_string(const char *t, size_t n, size_t i, size_t *end, df_error *err)
{
    size_t open = i;
    for (i++; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == '"') {
            *end = i + 1;
            return 0;
        }
        if (c < 0x20)
            return fail(err, i, "a control character in a string");
        if (c != '\\')
            continue;
        if (++i == n)
            break;
        if (t[i] == 'u') {
            if (n - i < 5)
                break;
            for (size_t k = 1; k <= 4; k++)
                if (df_hex_digit(t[i + k]) < 0)
                    return fail(err, i - 1, "a \\u escape without four hex digits");
            i += 4;
        } else if (strchr("\"\\/bfnrt", t[i]) == NULL || t[i] == '\0') {
            return fail(err, i - 1, "an unknown escape in a string");
        }
    }
    return fail(err, open, "a string is not closed");
}

/* t[i] is '-' or a digit: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int scan_number(const char *t, size_t n, size_t i, size_t *end, df_error *err)
{
    size_t start = i;
    if (t[i] == '-')
        i++;
    if (i < n && t[i] == '0') {
        i++;
    } else if (i < n && is_digit(t[i])) {
        while (i < n && is_digit(t[i]))
            i++;
    } else {
        return fail(err, start, "a number without digits");
    }
    if (i < n && t[i] == '.') {
        if (++i == n || !is_digit(t[i]))
            return fail(err, start, "a number without digits after its '.'");
        while (i < n && is_digit(t[i]))
            i++;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i == n || !is_digit(t[i]))
            return fail(err, start, "a number without digits in its exponent");
        while (i < n && is_digit(t[i]))
            i++;
    }
    /* "01" or "1x": the grammar ends the number here, and only whitespace or
     * a separator may follow it. */
    if (i < n && !is_ws(t[i]) && (t[i] == '\0' || strchr(",]}", t[i]) == NULL))
        return fail(err, start, "a malformed number");
    *end = i;
    return 0;
}

static int scan_literal(const char *t, size_t n, size_t i, size_t *end, df_error *err)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t len = strlen(words[w]);
        if (n - i >= len && memcmp(t + i, words[w], len) == 0) {
            *end = i + len;
            return 0;
        }
    }
    return fail(err, i, "not a JSON value");
}

/* A scalar (string, number, literal) at t[i]. */
static int scan_scalar(const char *t, size_t n, size_t i, size_t *end, df_error *err)
{
    if (t[i] == '"')
        return scan_string(t, n, i, end, err);
    if (t[i] == '-' || is_digit(t[i]))
        return scan_number(t, n, i, end, err);
    return scan_literal(t, n, i, end, err);
}

/* In an object, after '{' or ',': a member name and its ':'; *i ends at the
 * value. */
static int scan_key(const char *t, size_t n, size_t *i, df_error *err)
{
    size_t k = df_json_skip_ws(t, n, *i);
    if (k == n || t[k] != '"')
        return fail(err, k, "a member name expected");
    int rc = scan_string(t, n, k, &k, err);
    if (rc != 0)
        return rc;
    k = df_json_skip_ws(t, n, k);
    if (k == n || t[k] != ':')
        return fail(err, k, "':' expected after a member name");
    *i = df_json_skip_ws(t, n, k + 1);
    return 0;
}

int df_json_value_end(const char *t, size_t n, size_t i, size_t *end, df_error *err)
{
    /* One bit per open container, set for an object: all the state there is. */
    unsigned char objects[DF_JSON_SCAN_MAX_DEPTH / 8];
    size_t depth = 0;
    int rc;
    for (;;) {
        /* At a value. */
        if (i >= n)
            return fail(err, i, "a value expected, found the end");
        char c = t[i];
        if (c == '{' || c == '[') {
            if (depth == DF_JSON_SCAN_MAX_DEPTH)
                return df_error_set(err, DF_EINVAL, "byte %zu: nested deeper than %d", i,
                                    DF_JSON_SCAN_MAX_DEPTH);
            unsigned char bit = (unsigned char)(1u << (depth % 8));
            if (c == '{')
                objects[depth / 8] |= bit;
            else
                objects[depth / 8] &= (unsigned char)~bit;
            depth++;
            i = df_json_skip_ws(t, n, i + 1);
            if (i < n && t[i] == (c == '{' ? '}' : ']')) {
                i++;
                depth--;
            } else {
                if (c == '{' && (rc = scan_key(t, n, &i, err)) != 0)
                    return rc;
                continue;
            }
        } else if ((rc = scan_scalar(t, n, i, &i, err)) != 0) {
            return rc;
        }
        /* After a value: close containers, or go on to the next element. */
        for (;;) {
            if (depth == 0) {
                *end = i;
                return 0;
            }
            bool object = objects[(depth - 1) / 8] & (1u << ((depth - 1) % 8));
            i = df_json_skip_ws(t, n, i);
            if (i < n && t[i] == (object ? '}' : ']')) {
                i++;
                depth--;
                continue;
            }
            if (i < n && t[i] == ',') {
                i = df_json_skip_ws(t, n, i + 1);
                if (object && (rc = scan_key(t, n, &i, err)) != 0)
                    return rc;
                break;
            }
            return fail(err, i, object ? "',' or '}' expected" : "',' or ']' expected");
        }
    }
}

int df_json_iter_begin(df_json_iter *it, const char *t, size_t n, size_t i, df_error *err)
{
    if (i >= n || (t[i] != '{' && t[i] != '['))
        return fail(err, i, "an object or an array expected");
    it->t = t;
    it->n = n;
    it->i = i + 1;
    it->close = t[i] == '{' ? '}' : ']';
    it->first = true;
    return 0;
}

int df_json_iter_next(df_json_iter *it, df_json_span *key, df_json_span *value, df_error *err)
{
    const char *t = it->t;
    size_t n = it->n, i = df_json_skip_ws(t, n, it->i);
    if (i < n && t[i] == it->close) {
        it->i = i + 1;
        return 0;
    }
    if (!it->first) {
        if (i == n || t[i] != ',')
            return fail(err, i, it->close == '}' ? "',' or '}' expected" : "',' or ']' expected");
        i = df_json_skip_ws(t, n, i + 1);
    }
    if (it->close == '}') {
        if (i == n || t[i] != '"')
            return fail(err, i, "a member name expected");
        size_t key_end;
        int rc = scan_string(t, n, i, &key_end, err);
        if (rc != 0)
            return rc;
        if (key != NULL) {
            key->start = i + 1;
            key->len = key_end - i - 2;
        }
        i = df_json_skip_ws(t, n, key_end);
        if (i == n || t[i] != ':')
            return fail(err, i, "':' expected after a member name");
        i = df_json_skip_ws(t, n, i + 1);
    } else if (key != NULL) {
        key->start = key->len = 0;
    }
    size_t end;
    int rc = df_json_value_end(t, n, i, &end, err);
    if (rc != 0)
        return rc;
    value->start = i;
    value->len = end - i;
    it->i = end;
    it->first = false;
    return 1;
}

int df_json_member(const char *t, size_t n, const char *name, df_json_span *value, df_error *err)
{
    size_t name_len = strlen(name);
    size_t i = df_json_skip_ws(t, n, 0);
    if (i == n || t[i] != '{')
        return fail(err, i, "an object expected");
    df_json_iter it;
    int rc = df_json_iter_begin(&it, t, n, i, err);
    df_json_span key, v;
    while (rc == 0 && (rc = df_json_iter_next(&it, &key, &v, err)) == 1) {
        if (key.len == name_len && memcmp(t + key.start, name, name_len) == 0) {
            *value = v;
            return 0;
        }
        rc = 0;
    }
    return rc == 0 ? DF_ENOTFOUND : rc;
}

/* Past the string whose quote is at t[i], or n when it is not closed. */
static size_t string_end_lenient(const char *t, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (t[i] == '\\')
            i++;
        else if (t[i] == '"')
            return i + 1;
    }
    return n;
}

size_t df_json_compact(const char *t, size_t n, char *out)
{
    size_t w = 0;
    for (size_t r = 0; r < n;) {
        if (t[r] == '"') {
            size_t e = string_end_lenient(t, n, r);
            memmove(out + w, t + r, e - r);
            w += e - r;
            r = e;
        } else if (is_ws(t[r])) {
            r++;
        } else {
            out[w++] = t[r++];
        }
    }
    return w;
}

/* Four hex digits at s[i..i+4) as a number, or -1. */
static long hex4(const char *s, size_t len, size_t i)
{
    if (len < 4 || i > len - 4)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int d = df_hex_digit(s[i + k]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

int df_json_string_next(const char *s, size_t len, size_t *i, uint32_t *cp)
{
    size_t k = *i;
    if (k >= len)
        return 0;
    unsigned char c = (unsigned char)s[k];
    if (c == '\\') {
        if (k + 1 >= len)
            return DF_EINVAL;
        char e = s[k + 1];
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *p = e != '\0' ? strchr(from, e) : NULL;
        if (p != NULL) {
            *cp = (unsigned char)to[p - from];
            *i = k + 2;
            return 1;
        }
        if (e != 'u')
            return DF_EINVAL;
        long u = hex4(s, len, k + 2);
        if (u < 0)
            return DF_EINVAL;
        k += 6;
        if (u >= 0xD800 && u <= 0xDBFF) {
            long lo = k + 1 < len && s[k] == '\\' && s[k + 1] == 'u' ? hex4(s, len, k + 2) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return DF_EINVAL;
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            k += 6;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            return DF_EINVAL;
        }
        *cp = (uint32_t)u;
        *i = k;
        return 1;
    }
    if (c < 0x80) {
        *cp = c;
        *i = k + 1;
        return 1;
    }
    /* UTF-8: the lead byte says how many continuation bytes follow; overlong
     * forms, surrogates and values past U+10FFFF are refused. */
    size_t more;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        more = 1, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3, v = c & 0x07u, min = 0x10000;
    } else {
        return DF_EINVAL;
    }
    if (len - k - 1 < more)
        return DF_EINVAL;
    for (size_t m = 1; m <= more; m++) {
        unsigned char b = (unsigned char)s[k + m];
        if ((b & 0xC0) != 0x80)
            return DF_EINVAL;
        v = v << 6 | (b & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return DF_EINVAL;
    *cp = v;
    *i = k + 1 + more;
    return 1;
}
