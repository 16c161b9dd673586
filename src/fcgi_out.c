/* FastCGI framing and sending of one answer: see fcgi_out.h for why dcmfeed
 * does this itself rather than through libfcgi's 8 KiB stream buffer. */
#include "fcgi_out.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

/* FastCGI 1.0: version 1, record types 3 (FCGI_END_REQUEST) and 6
 * (FCGI_STDOUT), protocol status 0 (FCGI_REQUEST_COMPLETE). */
#define FCGI_VERSION_1    1
#define FCGI_END_REQUEST  3
#define FCGI_STDOUT       6
#define FCGI_END_BODY_LEN 8u
/* A full record: header and content, no padding (the content is a multiple of 8). */
#define RECORD_SPAN (DF_FCGI_HEADER_LEN + DF_FCGI_RECORD_MAX)
/* Records per system call; each takes at most 2 + DF_FCGI_PARTS_MAX iovecs
 * (header, a slice of each part, padding), well under IOV_MAX (1024 on
 * Linux): a 64 MiB answer takes a few dozen calls. */
#define RECORDS_PER_CALL 64
#define IOV_PER_CALL     (RECORDS_PER_CALL * (2 + DF_FCGI_PARTS_MAX) + 1)

static const unsigned char zeros[8];

static void put_header(unsigned char *h, unsigned type, uint16_t request_id, size_t content_len,
                       unsigned padding)
{
    h[0] = FCGI_VERSION_1;
    h[1] = (unsigned char)type;
    h[2] = (unsigned char)(request_id >> 8);
    h[3] = (unsigned char)(request_id & 0xff);
    h[4] = (unsigned char)(content_len >> 8);
    h[5] = (unsigned char)(content_len & 0xff);
    h[6] = (unsigned char)padding;
    h[7] = 0;
}

unsigned df_fcgi_stdout_header(unsigned char *header, uint16_t request_id, size_t content_len)
{
    unsigned padding = (unsigned)(-content_len & 7u);
    put_header(header, FCGI_STDOUT, request_id, content_len, padding);
    return padding;
}

static size_t content_len(const df_fcgi_answer *a)
{
    size_t n = 0;
    for (int i = 0; i < a->nparts; i++)
        n += a->parts[i].iov_len;
    return n;
}

/* Bytes of the records alone, without the end. */
static size_t records_len(size_t content)
{
    if (content == 0)
        return 0;
    size_t full = (content - 1) / DF_FCGI_RECORD_MAX;
    size_t last = content - full * DF_FCGI_RECORD_MAX;
    return full * RECORD_SPAN + DF_FCGI_HEADER_LEN + last + (-last & 7u);
}

size_t df_fcgi_framed_len(const df_fcgi_answer *a)
{
    return records_len(content_len(a)) + DF_FCGI_END_LEN;
}

/* The iovecs of a stretch of the framed answer, and the bytes they point
 * at that are not the answer's own. */
struct frame {
    struct iovec iov[IOV_PER_CALL];
    int n;
    size_t skip; /* bytes still to leave out at the front */
    unsigned char headers[RECORDS_PER_CALL][DF_FCGI_HEADER_LEN];
    unsigned char end[DF_FCGI_END_LEN];
};

static void push(struct frame *f, const void *base, size_t len)
{
    if (f->skip >= len) {
        f->skip -= len;
        return;
    }
    f->iov[f->n++] = (struct iovec){(char *)base + f->skip, len - f->skip};
    f->skip = 0;
}

/* Fills f with the framed answer from byte from on: up to RECORDS_PER_CALL
 * records, and the end once the records left fit. Empty when from is the
 * framed length. */
static void frame_from(const df_fcgi_answer *a, size_t from, struct frame *f)
{
    size_t total = content_len(a);
    size_t records = (total + DF_FCGI_RECORD_MAX - 1) / DF_FCGI_RECORD_MAX;
    size_t end_at = records_len(total);
    f->n = 0;
    /* Every record before the last is full, so record k starts at k spans. */
    size_t k = from >= end_at ? records : from / RECORD_SPAN;
    f->skip = from - (k < records ? k * RECORD_SPAN : end_at);
    size_t c = k * DF_FCGI_RECORD_MAX; /* content offset of record k */
    int part = 0;
    size_t off = c;
    while (part < a->nparts && off >= a->parts[part].iov_len)
        off -= a->parts[part++].iov_len;
    for (int h = 0; k < records && h < RECORDS_PER_CALL; k++, h++) {
        size_t chunk = total - c < DF_FCGI_RECORD_MAX ? total - c : DF_FCGI_RECORD_MAX;
        unsigned padding = df_fcgi_stdout_header(f->headers[h], a->request_id, chunk);
        push(f, f->headers[h], DF_FCGI_HEADER_LEN);
        for (size_t left = chunk; left > 0;) {
            size_t take = a->parts[part].iov_len - off;
            if (take > left)
                take = left;
            push(f, (const char *)a->parts[part].iov_base + off, take);
            left -= take;
            off += take;
            while (part < a->nparts && off >= a->parts[part].iov_len) {
                off -= a->parts[part].iov_len;
                part++;
            }
        }
        c += chunk;
        if (padding > 0)
            push(f, zeros, padding);
    }
    if (k == records) {
        put_header(f->end, FCGI_STDOUT, a->request_id, 0, 0);
        put_header(f->end + DF_FCGI_HEADER_LEN, FCGI_END_REQUEST, a->request_id, FCGI_END_BODY_LEN,
                   0);
        /* appStatus 0, FCGI_REQUEST_COMPLETE, reserved: all zero. */
        for (unsigned i = 2 * DF_FCGI_HEADER_LEN; i < DF_FCGI_END_LEN; i++)
            f->end[i] = 0;
        push(f, f->end, DF_FCGI_END_LEN);
    }
}

int df_fcgi_send(int fd, df_fcgi_answer *a)
{
    size_t len = df_fcgi_framed_len(a);
    struct frame f;
    while (a->sent < len) {
        frame_from(a, a->sent, &f);
        struct msghdr msg = {.msg_iov = f.iov, .msg_iovlen = (size_t)f.n};
        ssize_t n = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 1;
            return -1;
        }
        a->sent += (size_t)n;
    }
    return 0;
}

int df_fcgi_copy_rest(const df_fcgi_answer *a, df_buf *out)
{
    size_t len = df_fcgi_framed_len(a);
    struct frame f;
    for (size_t at = a->sent; at < len && !df_buf_failed(out);) {
        frame_from(a, at, &f);
        for (int i = 0; i < f.n; i++) {
            df_buf_append(out, f.iov[i].iov_base, f.iov[i].iov_len);
            at += f.iov[i].iov_len;
        }
    }
    return df_buf_failed(out) ? -1 : 0;
}
