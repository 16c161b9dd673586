/* Building DICOM bytes by hand for the unit tests of the reader and the
 * DICOM JSON writer: a growable byte string and element headers in either
 * byte order. Test code only (it asserts with Check). */
#ifndef DF_TESTS_DICOM_BYTES_H
#define DF_TESTS_DICOM_BYTES_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct bytes {
    unsigned char *d;
    size_t n, cap;
} bytes;

static inline void put(bytes *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        b->d = realloc(b->d, cap);
        ck_assert_ptr_nonnull(b->d);
        b->cap = cap;
    }
    if (n)
        memcpy(b->d + b->n, p, n);
    b->n += n;
}

static inline void put16(bytes *b, unsigned v, bool big)
{
    unsigned char x[2] = {(unsigned char)(big ? v >> 8 : v), (unsigned char)(big ? v : v >> 8)};
    put(b, x, 2);
}

static inline void put32(bytes *b, uint32_t v, bool big)
{
    put16(b, big ? v >> 16 : v & 0xFFFF, big);
    put16(b, big ? v & 0xFFFF : v >> 16, big);
}

static inline void put_tag(bytes *b, uint32_t tag, bool big)
{
    put16(b, tag >> 16, big);
    put16(b, tag & 0xFFFF, big);
}

static inline bool long_form(const char *vr)
{
    static const char *const l[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ",
                                    "SV", "UC", "UN", "UR", "UT", "UV"};
    for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
        if (strcmp(vr, l[i]) == 0)
            return true;
    return false;
}

/* An explicit VR element header; length as given (may be undefined). */
static inline void ex_head(bytes *b, uint32_t tag, const char *vr, uint32_t length, bool big)
{
    put_tag(b, tag, big);
    put(b, vr, 2);
    if (long_form(vr)) {
        put16(b, 0, big);
        put32(b, length, big);
    } else {
        put16(b, length, big);
    }
}

static inline void ex(bytes *b, uint32_t tag, const char *vr, const void *v, size_t n, bool big)
{
    ex_head(b, tag, vr, (uint32_t)n, big);
    put(b, v, n);
}

#endif
