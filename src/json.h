/* The growable output buffer every answer is built in, and the JSON writing
 * helpers on top of it. A buffer has a ceiling given at init so that no input
 * can grow an answer without bound; its errors are sticky: once an append
 * fails, later appends do nothing and df_buf_failed() tells the caller. */
#ifndef DF_JSON_H
#define DF_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct df_buf {
    char *data;  /* owned; NUL-terminated while !failed; NULL until first append */
    size_t len;  /* bytes used, without the terminating NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* ceiling for len */
    bool failed; /* an append hit the ceiling or ran out of memory */
} df_buf;

/* Prepares an empty buffer that will never hold more than max bytes.
 * No allocation happens until the first append. */
void df_buf_init(df_buf *b, size_t max);

/* Empties the buffer and clears its failure, keeping the allocation for reuse
 * (a FastCGI process resets one buffer per request). */
void df_buf_reset(df_buf *b);

/* Releases the memory; the buffer may be initialised again. */
void df_buf_free(df_buf *b);

/* Empties the buffer, and gives its memory back when it holds more than keep
 * bytes: a long-lived process reuses a buffer of the usual size, but one rare
 * large answer does not pin its memory for the life of the process (as
 * lighttpd's BUFFER_MAX_REUSE_SIZE). */
void df_buf_trim(df_buf *b, size_t keep);

/* Cuts the content back to its first len bytes (len ≤ b->len) and clears a
 * failure: undoes the appends made since b->len was len. */
void df_buf_truncate(df_buf *b, size_t len);

bool df_buf_failed(const df_buf *b);

/* Appenders: on failure they set b->failed and leave the content as it was. */
void df_buf_append(df_buf *b, const void *p, size_t n);
void df_buf_append_str(df_buf *b, const char *s);
void df_buf_append_char(df_buf *b, char c);
void df_buf_append_i64(df_buf *b, int64_t v);
void df_buf_append_u64(df_buf *b, uint64_t v);

/* Room for n more bytes at the end of the content, for a writer that fills
 * them itself (a compressor): returns where they start, then the writer says
 * how many it wrote (at most n) with df_buf_written. NULL, and the buffer
 * failed, past its ceiling or out of memory. */
char *df_buf_space(df_buf *b, size_t n);
void df_buf_written(df_buf *b, size_t n);

/* Appends s[0..n) as a quoted JSON string (RFC 8259): quote, backslash and
 * control characters are escaped; bytes that are not valid UTF-8 become
 * U+FFFD, so the output is always valid UTF-8 JSON whatever the input. */
void df_json_append_string(df_buf *b, const char *s, size_t n);

/* Appends a time given in microseconds since the Unix epoch as the feed's
 * Timestamp text, e.g. 2020-03-04T01:03:08.483400Z (no quotes). */
void df_json_append_timestamp(df_buf *b, int64_t unix_us);

#endif
