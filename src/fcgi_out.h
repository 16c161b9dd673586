/* Writes a whole answer to the web server as FastCGI STDOUT records of up to
 * 64 KiB, in as few system calls as the socket allows. libfcgi's output
 * stream cuts everything into 8 KiB records with one write() each (13 for a
 * 100-entry page), and the web server then reads and relays each one; this
 * module is only the framing (FastCGI 1.0, section 3.3) and the writing. */
#ifndef DF_FCGI_OUT_H
#define DF_FCGI_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* Content bytes of one record: the largest multiple of 8 a record can hold,
 * so that no record but the last needs padding. */
#define DF_FCGI_RECORD_MAX 65528u
#define DF_FCGI_HEADER_LEN 8u

/* Fills header (DF_FCGI_HEADER_LEN bytes) for a STDOUT record of the request
 * request_id carrying content_len (≤ DF_FCGI_RECORD_MAX) bytes, and returns
 * the padding that brings the record to a multiple of 8 bytes (0–7). */
unsigned df_fcgi_stdout_header(unsigned char *header, uint16_t request_id, size_t content_len);

/* Writes bytes[0..len) to fd as STDOUT records of request_id, followed by
 * nothing else: the caller's FastCGI library still ends the stream (the empty
 * STDOUT record and END_REQUEST, which libfcgi's FCGX_Finish_r writes), so it
 * must not have written to that request's output stream itself. Retries short
 * writes and EINTR. Returns 0, or -1 with errno set (a web server that hung
 * up: EPIPE or ECONNRESET; the caller ignores SIGPIPE). len 0 writes nothing. */
int df_fcgi_write_stdout(int fd, uint16_t request_id, const char *bytes, size_t len);

#endif
