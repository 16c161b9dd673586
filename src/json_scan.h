/* The one reader of JSON text as bytes, for the places that must keep a
 * value's original bytes rather than a parser's re-serialisation (which turns
 * 0.1 into 0.10000000000000001 and a 64-bit Sequence into a double): the
 * ingest's compact copy of DICOM JSON and the consumer's split of a page into
 * its entries. jansson still parses where a tree is wanted; this scanner only
 * finds where values begin and end.
 *
 * It follows RFC 8259's grammar (strings with valid escapes and no control
 * characters, numbers as the grammar writes them, true, false, null), without
 * checking that strings are valid UTF-8 (jansson does that where the text
 * enters). Nesting is bounded by DF_JSON_SCAN_MAX_DEPTH without recursion, and
 * every index is checked against the text's length, so any bytes at all end in
 * a result or an error, never in a read out of bounds. Nothing here allocates. */
#ifndef DF_JSON_SCAN_H
#define DF_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Deepest nesting of arrays and objects followed: jansson's own limit, so
 * that text jansson accepted is never refused here. */
#define DF_JSON_SCAN_MAX_DEPTH 2048

/* A piece of the text: t[start .. start + len). */
typedef struct df_json_span {
    size_t start;
    size_t len;
} df_json_span;

/* Index of the first byte at or after i in t[0..n) that is not JSON
 * whitespace (space, tab, CR, LF); n when there is none. */
size_t df_json_skip_ws(const char *t, size_t n, size_t i);

/* Checks that one JSON value starts exactly at t[i] (no whitespace skipped)
 * and sets *end to the index just past it. Returns 0, or DF_EINVAL with err
 * set to "byte N: REASON" (N counted from 0 in t) and *end untouched. */
int df_json_value_end(const char *t, size_t n, size_t i, size_t *end, df_error *err);

/* Walks the members of an object or the elements of an array one at a time:
 *     df_json_iter it;
 *     if (df_json_iter_begin(&it, t, n, i, err) == 0)
 *         while ((rc = df_json_iter_next(&it, &key, &value, err)) == 1) ...
 * Each value is checked whole (df_json_value_end) before it is handed out. */
typedef struct df_json_iter {
    const char *t;
    size_t n;
    size_t i;   /* where the scan is; past the closing bracket once done */
    char close; /* '}' or ']' */
    bool first;
} df_json_iter;

/* Starts at the '{' or '[' at t[i]; DF_EINVAL when t[i] is neither. */
int df_json_iter_begin(df_json_iter *it, const char *t, size_t n, size_t i, df_error *err);

/* The next member (key: the raw bytes between the name's quotes, escapes
 * kept; NULL for an array) and its value, whitespace excluded. Returns 1 with
 * them, 0 at the closing bracket, DF_EINVAL with err for malformed text. */
int df_json_iter_next(df_json_iter *it, df_json_span *key, df_json_span *value, df_error *err);

/* The value of the first member of the object t[0..n) (leading and trailing
 * whitespace allowed) whose name is written exactly as name, without
 * escapes. Returns 0 with *value, DF_ENOTFOUND (err untouched), DF_EINVAL
 * when t is not an object the scanner can follow. Members after the one
 * found are not checked. */
int df_json_member(const char *t, size_t n, const char *name, df_json_span *value, df_error *err);

/* Copies t[0..n) into out without the whitespace outside strings and returns
 * the length written; out may be t itself (never longer than n). Meant for
 * text already scanned: an unclosed string is copied to the end. */
size_t df_json_compact(const char *t, size_t n, char *out);

/* Decodes the next character of a string's raw content s[0..len) (the bytes
 * between its quotes) at *i: an escape (\n, \u00e9, a surrogate pair) or a
 * UTF-8 sequence becomes one code point in *cp and *i moves past it. Returns 1,
 * 0 at the end, DF_EINVAL for a bad escape or a byte that is not UTF-8. */
int df_json_string_next(const char *s, size_t len, size_t *i, uint32_t *cp);

#endif
