/* Content codings of an answer (RFC 9110, 8.4 and 12.5.3): whether a
 * request's Accept-Encoding lets the answer be gzip, and the gzip of a body.
 * Apart from the responder so that the parser of these untrusted bytes has a
 * fuzz target of its own (tests/fuzz/fuzz_encoding.c). The answer is
 * compressed whole, per request (libdeflate at level 1: 0.46 ms for a page of
 * 100 real entries, 396 KB to 33 KB, where zlib's level 1 takes 1.0 ms for
 * 38 KB; the notes of issue #16 give the figures and the designs measured). */
#ifndef DF_ENCODING_H
#define DF_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "json.h"

/* True when header (NUL-terminated, as the web server passed it; NULL when
 * the request had none) lets the answer be gzip: "gzip" or "x-gzip" with a
 * qvalue above 0, or, when neither is named, "*" with one; and "identity"
 * is not preferred to it by a higher qvalue. A coding named more than once
 * counts with its lowest qvalue, and an element that does not parse
 * (a qvalue that is no qvalue) counts for nothing: in doubt, identity, which
 * every client takes. */
bool df_accepts_gzip(const char *header);

/* A compressor, kept by one thread for its requests (its tables cost more
 * to make than a small answer costs to compress). */
typedef struct df_gzip df_gzip;

/* NULL when out of memory. */
df_gzip *df_gzip_new(void);
void df_gzip_free(df_gzip *z);

/* Appends the gzip member (RFC 1952) of in[0..n) to out. DF_ENOMEM, out as
 * it was but failed, when out's ceiling or the memory cannot take it. */
int df_gzip_append(df_gzip *z, const void *in, size_t n, df_buf *out, df_error *err);

#endif
