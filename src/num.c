/* Strict decimal integers: see num.h. */
#include "num.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

df_num_status df_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    if (len > 0 && s[0] == '-' && min < 0) {
        negative = true;
        i = 1;
    }
    if (i == len)
        return DF_NUM_SYNTAX;
    /* The magnitude is accumulated as unsigned, whose wrap-around is defined,
     * and checked against the largest magnitude allowed before each step:
     * INT64_MIN's magnitude is one more than INT64_MAX's. */
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    bool too_large = false;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < '0' || c > '9')
            return DF_NUM_SYNTAX;
        unsigned d = (unsigned)(c - '0');
        if (too_large || v > (limit - d) / 10) {
            too_large = true; /* keep reading: junk after the digits is still a syntax error */
            continue;
        }
        v = v * 10 + d;
    }
    if (too_large)
        return DF_NUM_RANGE;
    int64_t n;
    if (negative)
        n = v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v;
    else
        n = (int64_t)v;
    if (n < min || n > max)
        return DF_NUM_RANGE;
    *out = n;
    return DF_NUM_OK;
}

df_num_status df_parse_seconds(const char *s, double max, double *out)
{
    if (s == NULL)
        return DF_NUM_SYNTAX;
    size_t digits = strspn(s, "0123456789");
    if (digits == 0)
        return DF_NUM_SYNTAX;
    if (s[digits] == '.' && strspn(s + digits + 1, "0123456789") == strlen(s + digits + 1))
        digits = strlen(s);
    if (s[digits] != '\0')
        return DF_NUM_SYNTAX;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v) || v > max)
        return DF_NUM_RANGE;
    *out = v;
    return DF_NUM_OK;
}
