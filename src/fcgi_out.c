/* FastCGI STDOUT framing and writing: see fcgi_out.h for why dcmfeed does
 * this itself rather than through libfcgi's 8 KiB stream buffer. */
#include "fcgi_out.h"

#include <errno.h>

/* FastCGI 1.0: version 1, record type 6 (FCGI_STDOUT). */
#define FCGI_VERSION_1 1
#define FCGI_STDOUT    6

/* Records per writev(): 3 iovecs each (header, content, padding), well under
 * IOV_MAX (1024 on Linux); a 64 MiB answer takes a few dozen calls. */
#define RECORDS_PER_CALL 64

static const unsigned char zeros[8];

unsigned df_fcgi_stdout_header(unsigned char *header, uint16_t request_id, size_t content_len)
{
    unsigned padding = (unsigned)(-content_len & 7u);
    header[0] = FCGI_VERSION_1;
    header[1] = FCGI_STDOUT;
    header[2] = (unsigned char)(request_id >> 8);
    header[3] = (unsigned char)(request_id & 0xff);
    header[4] = (unsigned char)(content_len >> 8);
    header[5] = (unsigned char)(content_len & 0xff);
    header[6] = (unsigned char)padding;
    header[7] = 0;
    return padding;
}

/* Writes every byte the iovecs name, resuming after short writes. The array
 * is consumed (its entries are advanced). */
static int write_all(int fd, struct iovec *iov, int count)
{
    while (count > 0) {
        ssize_t n = writev(fd, iov, count);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        size_t done = (size_t)n;
        while (count > 0 && done >= iov->iov_len) {
            done -= iov->iov_len;
            iov++;
            count--;
        }
        if (count > 0) {
            iov->iov_base = (char *)iov->iov_base + done;
            iov->iov_len -= done;
        }
    }
    return 0;
}

int df_fcgi_write_stdout(int fd, uint16_t request_id, const char *bytes, size_t len)
{
    unsigned char headers[RECORDS_PER_CALL][DF_FCGI_HEADER_LEN];
    struct iovec iov[RECORDS_PER_CALL * 3];
    while (len > 0) {
        int count = 0;
        for (int r = 0; r < RECORDS_PER_CALL && len > 0; r++) {
            size_t chunk = len < DF_FCGI_RECORD_MAX ? len : DF_FCGI_RECORD_MAX;
            unsigned padding = df_fcgi_stdout_header(headers[r], request_id, chunk);
            iov[count++] = (struct iovec){.iov_base = headers[r], .iov_len = DF_FCGI_HEADER_LEN};
            iov[count++] = (struct iovec){.iov_base = (void *)bytes, .iov_len = chunk};
            if (padding > 0)
                iov[count++] = (struct iovec){.iov_base = (void *)zeros, .iov_len = padding};
            bytes += chunk;
            len -= chunk;
        }
        if (write_all(fd, iov, count) != 0)
            return -1;
    }
    return 0;
}
