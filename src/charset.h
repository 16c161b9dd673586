/* Text of a DICOM dataset turned into UTF-8 according to its Specific
 * Character Set (0008,0005; PS3.3 C.12.1.1.2, PS3.5 6.1): ISO_IR 6 (the
 * default), ISO_IR 192 (UTF-8), ISO_IR 100 and ISO_IR 13 are decoded here; the
 * other defined terms through iconv; ISO 2022 code extensions by following the
 * escape sequences DICOM allows. Bad bytes never lose the text: they become
 * U+FFFD, or are left for the JSON writer to replace, and the caller is told
 * which happened (df_charset_status) so that it can warn. */
#ifndef DF_CHARSET_H
#define DF_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
#define DF_UTF8_REPLACEMENT "\xEF\xBF\xBD"

/* What one Specific Character Set value designates. A small value copied
 * freely (a sequence item inherits its parent's); its fields are charset.c's. */
typedef struct df_charset {
    unsigned char kind, term, g1, g1term;
} df_charset;

/* The default repertoire (ISO_IR 6), in force when a dataset has no Specific
 * Character Set or an empty one. */
#define DF_CHARSET_DEFAULT ((df_charset){0, 0, 0, 0})

/* Room for an unknown defined term as df_charset_from_value shows it. */
#define DF_CHARSET_SHOWN_MAX 33

/* Reads a Specific Character Set value (n bytes at v, values split on '\\',
 * padding ignored) into *cs. Returns false when a value is not a defined term
 * that this module knows: *cs then keeps text that is valid UTF-8 (the reader
 * cannot know better) and shown receives the term, cut to
 * DF_CHARSET_SHOWN_MAX - 1 characters, with anything not printable ASCII or a
 * double quote as '?', so that it can be put in a message. */
bool df_charset_from_value(const void *v, size_t n, df_charset *cs,
                           char shown[DF_CHARSET_SHOWN_MAX]);

/* What df_charset_decode did besides converting. */
typedef enum df_charset_status {
    DF_CHARSET_OK,              /* the text was valid in its character set */
    DF_CHARSET_REPLACED,        /* bytes invalid in the character set became U+FFFD */
    DF_CHARSET_INVALID_UTF8,    /* ISO_IR 192, or an unknown set: text not valid UTF-8,
                                   given back unchanged (the JSON writer replaces) */
    DF_CHARSET_INVALID_DEFAULT, /* the default repertoire declared, bytes that are
                                   neither ASCII nor UTF-8: given back unchanged */
    DF_CHARSET_BEYOND_DEFAULT,  /* the default repertoire declared, text valid UTF-8
                                   beyond ASCII: kept as UTF-8 */
    DF_CHARSET_UNAVAILABLE,     /* iconv here lacks the encoding
                                   (df_charset_encoding names it): text given back
                                   unchanged */
    DF_CHARSET_NOMEM,           /* out holds no result: out of memory or its ceiling */
} df_charset_status;

/* A decoder keeps the iconv descriptors it opened (on first use, once per
 * encoding) for the next values and files. Caller frees with
 * df_charset_decoder_free. NULL when out of memory. */
typedef struct df_charset_decoder df_charset_decoder;

df_charset_decoder *df_charset_decoder_new(void);
void df_charset_decoder_free(df_charset_decoder *d);

/* Decodes n bytes at s written in cs. *text and *text_len receive UTF-8 text
 * that is either s itself (nothing to change, or see the statuses that give
 * the text back unchanged) or out's content; out is reset first and is the
 * caller's (its ceiling bounds the result: 3 bytes per input byte suffice). */
df_charset_status df_charset_decode(df_charset_decoder *d, df_charset cs, const unsigned char *s,
                                    size_t n, df_buf *out, const char **text, size_t *text_len);

/* iconv's name of the encoding cs is read through ("ISO-8859-5"), "" when it
 * is not read through iconv. A static string. */
const char *df_charset_encoding(df_charset cs);

#endif
