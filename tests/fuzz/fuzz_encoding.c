/* libFuzzer target for encoding.c: any Accept-Encoding header, and the gzip
 * of any bytes. Besides not crashing, gzip must be justified (the header
 * names gzip, in any case, or '*'), and the gzip of the input must inflate
 * with zlib to the input itself. */
#include "encoding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = malloc(size + 1);
    if (header == NULL)
        abort();
    memcpy(header, data, size);
    header[size] = '\0';
    if (df_accepts_gzip(header) && strcasestr(header, "gzip") == NULL &&
        strchr(header, '*') == NULL)
        abort();

    static df_gzip *z;
    if (z == NULL && (z = df_gzip_new()) == NULL)
        abort();
    df_buf out;
    df_buf_init(&out, size * 2 + 4096);
    df_error err = {0};
    if (df_gzip_append(z, data, size, &out, &err) != 0)
        abort();
    char *back = malloc(size + 1);
    if (back == NULL)
        abort();
    z_stream zs = {0};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        abort();
    zs.next_in = (Bytef *)out.data;
    zs.avail_in = (uInt)out.len;
    zs.next_out = (Bytef *)back;
    zs.avail_out = (uInt)(size + 1);
    if (inflate(&zs, Z_FINISH) != Z_STREAM_END || zs.total_out != size ||
        memcmp(back, data, size) != 0)
        abort();
    inflateEnd(&zs);
    free(back);
    df_buf_free(&out);
    free(header);
    return 0;
}
