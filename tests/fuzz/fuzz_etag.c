/* libFuzzer target for etag.c: any If-None-Match header, matched against
 * the entity tags the responder makes. Besides not crashing, a match must
 * be justified: the header holds the tag's bytes (as "x" or W/"x"), or a
 * '*' outside any quoted tag.
 *
 * Input layout: TAG \0 HEADER; without a NUL the whole input is the header
 * and the tag is a fixed one of the responder's shape. */
#include "etag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char fixed[] = "\"0123456789abcdef-42-fedcba9876543210\"";
    const uint8_t *nul = memchr(data, '\0', size);
    const char *tag = fixed;
    size_t tag_len = sizeof fixed - 1;
    char *tag_copy = NULL;
    if (nul != NULL) {
        tag_len = (size_t)(nul - data);
        tag_copy = malloc(tag_len + 1);
        if (tag_copy == NULL)
            abort();
        memcpy(tag_copy, data, tag_len);
        tag_copy[tag_len] = '\0';
        tag = tag_copy;
        size -= tag_len + 1;
        data = nul + 1;
    }
    char *header = malloc(size + 1);
    if (header == NULL)
        abort();
    memcpy(header, data, size);
    header[size] = '\0';

    if (df_etag_matches(header, tag, tag_len)) {
        bool star = false;
        int quotes = 0;
        for (const char *p = header; *p != '\0'; p++) {
            if (*p == '"')
                quotes++;
            else if (*p == '*' && quotes % 2 == 0)
                star = true;
        }
        bool named = tag_len >= 2 && tag[0] == '"' && tag[tag_len - 1] == '"' &&
                     memmem(header, strlen(header), tag, tag_len) != NULL;
        if (!star && !named)
            abort();
    }
    free(header);
    free(tag_copy);
    return 0;
}
