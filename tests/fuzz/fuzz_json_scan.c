/* libFuzzer target for json_scan.c, the scanner the consumer splits pages
 * with and the ingest copies DICOM JSON with. Any bytes end in a result or an
 * error, and jansson is the oracle: text jansson accepts as one JSON value is
 * accepted whole by the scanner, and its compact copy parses to an equal
 * value. Every member the iterator hands out is a value by itself. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    df_error err = {0};
    size_t i = df_json_skip_ws(t, size, 0), end = 0;
    int rc = df_json_value_end(t, size, i, &end, &err);
    if (rc == 0 && (end <= i || end > size))
        abort();
    if (rc != 0 && (err.message[0] == '\0' || strncmp(err.message, "byte ", 5) != 0))
        abort();
    bool whole = rc == 0 && df_json_skip_ws(t, size, end) == size;

    /* jansson ends its input at a raw NUL byte, which the scanner, like the
     * grammar, refuses outside strings: no oracle for such text. */
    json_t *v = memchr(t, '\0', size) != NULL
                    ? NULL
                    : json_loadb(t, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (v != NULL) {
        if (!whole)
            abort();
        char *copy = malloc(size ? size : 1);
        if (copy == NULL)
            abort();
        size_t n = df_json_compact(t, size, copy);
        if (n > size)
            abort();
        json_t *w = json_loadb(copy, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (w == NULL || !json_equal(v, w))
            abort();
        json_decref(w);
        free(copy);
        json_decref(v);
    }

    if (i < size && (t[i] == '{' || t[i] == '[')) {
        df_json_iter it;
        df_json_span key, value;
        if (df_json_iter_begin(&it, t, size, i, NULL) != 0)
            abort();
        while ((rc = df_json_iter_next(&it, &key, &value, NULL)) == 1) {
            size_t e = 0;
            if (value.start + value.len > size ||
                df_json_value_end(t, size, value.start, &e, NULL) != 0 ||
                e != value.start + value.len)
                abort();
            if (t[i] == '{' && (key.start == 0 || key.start + key.len >= size ||
                                t[key.start - 1] != '"' || t[key.start + key.len] != '"'))
                abort();
            /* A member's name decodes, or fails, within its bytes. */
            size_t k = 0;
            uint32_t cp;
            while (df_json_string_next(t + key.start, key.len, &k, &cp) == 1)
                if (k > key.len || cp > 0x10FFFF)
                    abort();
        }
        if (rc == 0 && (it.i > size || it.i != end))
            abort();
        df_json_span m;
        rc = df_json_member(t, size, "Sequence", &m, NULL);
        if (rc == 0 && m.start + m.len > size)
            abort();
    }
    return 0;
}
