/* If-None-Match against an entity tag: see etag.h. */
#include "etag.h"

#include <string.h>

bool df_etag_matches(const char *header, const char *tag, size_t tag_len)
{
    const char *p = header;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '\0')
            return false;
        if (*p == '*')
            return true;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        if (*p != '"')
            return false;
        const char *end = strchr(p + 1, '"');
        if (end == NULL)
            return false;
        if ((size_t)(end + 1 - p) == tag_len && memcmp(p, tag, tag_len) == 0)
            return true;
        p = end + 1;
    }
}
