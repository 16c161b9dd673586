/* The one strict integer parser of dcmfeed, for every number that comes from
 * outside: query parameters, a state file, a page's Sequence, command-line
 * options and environment settings. Modelled on redis's string2ll: it reads
 * exactly the bytes it is given, and nothing but a plain decimal is a number. */
#ifndef DF_NUM_H
#define DF_NUM_H

#include <stddef.h>
#include <stdint.h>

/* What df_parse_i64 found, for callers whose message tells the two failures
 * apart ("not a Sequence" and "a number too large for a Sequence"). */
typedef enum df_num_status {
    DF_NUM_OK = 0,
    DF_NUM_SYNTAX, /* not written as a decimal integer */
    DF_NUM_RANGE,  /* a decimal integer, but below min or above max (past 64 bits too) */
} df_num_status;

/* Parses s[0..len) as a decimal integer from min to max (min <= max) into
 * *out, which is left alone unless DF_NUM_OK is returned.
 *
 * Accepted: one or more ASCII digits, with one leading '-' only when min < 0
 * (so a caller that wants no negatives never sees "-0" either). Leading zeros
 * are accepted and mean nothing ("007" is 7: query parameters always allowed
 * them, and decimal is the only base, so there is no octal to confuse).
 * Refused (DF_NUM_SYNTAX): the empty string, a lone "-", '+', any whitespace
 * before, inside or after (strtol skips leading blanks, tabs included), a
 * NUL anywhere inside len, decimals, exponents, hex. Values past 64 bits are
 * DF_NUM_RANGE, found without overflowing. s need not be NUL-terminated and
 * may be NULL when len is 0. */
df_num_status df_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);

/* Parses the NUL-terminated s as a duration in seconds from 0 to max, written
 * as plain decimal digits with an optional fraction ("5", "0.25"): strtod
 * alone would also take leading blanks, a sign, hex, exponents, "inf" and
 * "nan". Returns DF_NUM_OK with *out (left alone otherwise), DF_NUM_SYNTAX,
 * DF_NUM_RANGE. For command-line options and settings. */
df_num_status df_parse_seconds(const char *s, double max, double *out);

#endif
