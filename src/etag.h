/* Comparing a request's If-None-Match header with an answer's entity tag
 * (RFC 9110, 13.1.2), apart from the responder so that the parser of these
 * untrusted bytes has a fuzz target of its own (tests/fuzz/fuzz_etag.c). */
#ifndef DF_ETAG_H
#define DF_ETAG_H

#include <stdbool.h>
#include <stddef.h>

/* True when header (NUL-terminated, as the web server passed it) is "*" or
 * a comma-separated list holding tag[0..tag_len) (a quoted entity tag),
 * compared weakly: W/"x" matches "x". Anything unparsable from some point
 * on matches nothing from there: a malformed header never answers 304 for
 * a tag it does not name. */
bool df_etag_matches(const char *header, const char *tag, size_t tag_len);

#endif
