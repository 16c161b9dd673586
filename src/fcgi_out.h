/* Writes a whole answer to the web server as FastCGI records (FastCGI 1.0,
 * sections 3.3 and 5.5): STDOUT records of up to 64 KiB carrying the answer,
 * the empty STDOUT record that ends the stream, and END_REQUEST. Sent in as
 * few system calls as the socket allows and never blocking, so that a web
 * server that stops reading (it passes answers on as they come, and a client
 * stopped reading) never holds the thread: what the socket does not take is
 * copied out for drainer.h. libfcgi's own stream cuts everything into 8 KiB
 * records with one blocking write() each; the caller keeps it from writing
 * its closing records (changefeed_main.c). This module is only the framing
 * and the sending. */
#ifndef DF_FCGI_OUT_H
#define DF_FCGI_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "json.h"

/* Content bytes of one record: the largest multiple of 8 a record can hold,
 * so that no record but the last needs padding. */
#define DF_FCGI_RECORD_MAX 65528u
#define DF_FCGI_HEADER_LEN 8u
/* The end of an answer: an empty STDOUT record and END_REQUEST (a header and
 * an 8-byte body). */
#define DF_FCGI_END_LEN (3u * DF_FCGI_HEADER_LEN)
/* Pieces of one answer (its headers and its body, kept apart so that the
 * body is never copied behind the headers). */
#define DF_FCGI_PARTS_MAX 4

/* One answer and how much of it the web server has taken. */
typedef struct df_fcgi_answer {
    uint16_t request_id;
    const struct iovec *parts; /* borrowed: the answer is their bytes, in order */
    int nparts;                /* 0 to DF_FCGI_PARTS_MAX */
    size_t sent;               /* bytes of the framed answer sent so far; starts at 0 */
} df_fcgi_answer;

/* Fills header (DF_FCGI_HEADER_LEN bytes) for a STDOUT record of the request
 * request_id carrying content_len (≤ DF_FCGI_RECORD_MAX) bytes, and returns
 * the padding that brings the record to a multiple of 8 bytes (0–7). */
unsigned df_fcgi_stdout_header(unsigned char *header, uint16_t request_id, size_t content_len);

/* Bytes of the framed answer: records, padding and the end. */
size_t df_fcgi_framed_len(const df_fcgi_answer *a);

/* Sends as much of the framed answer, from a->sent on, as the socket fd takes
 * now, without waiting (MSG_DONTWAIT), and advances a->sent. Returns 0 once
 * every byte is sent, 1 when the socket is full (send the rest later, or
 * copy it out with df_fcgi_copy_rest), or -1 with errno set (a web server
 * that hung up: EPIPE, ECONNRESET; SIGPIPE is never raised). */
int df_fcgi_send(int fd, df_fcgi_answer *a);

/* Appends the framed answer from a->sent to its end to out (a buffer of the
 * caller's, which then no longer needs a->parts). Returns 0, or -1 when out
 * failed (its ceiling, or memory). */
int df_fcgi_copy_rest(const df_fcgi_answer *a, df_buf *out);

#endif
