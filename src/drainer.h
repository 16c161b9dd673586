/* Finishes sending the answers the web server does not take as fast as they
 * are made, so that a responder thread never waits for one client. A web
 * server that passes answers on as they come (lighttpd's
 * stream-response-body, Apache's mod_proxy_fcgi) stops reading the
 * responder's socket when its client stops reading: eight clients that ask
 * for large pages and never read them held every thread of a responder, and
 * the feed answered nobody. An answer the socket does not take at once is
 * parked here instead: one thread per process waits on every parked
 * connection with epoll, sends what each takes, and closes it once all is
 * sent, or when it took nothing for stall_ms. The bytes parked are bounded:
 * past the bound a new answer is refused, and its connection cut. */
#ifndef DF_DRAINER_H
#define DF_DRAINER_H

#include <stddef.h>

#include "error.h"
#include "json.h"

typedef struct df_drainer df_drainer;

/* Starts the drainer's thread. At most max_bytes wait in it at once; a
 * connection that takes nothing for stall_ms is closed (its client gets a
 * cut answer). On success *out is set; stop it with df_drainer_stop. */
int df_drainer_start(size_t max_bytes, int stall_ms, df_drainer **out, df_error *err);

/* Parks the connection fd with the bytes still to send on it, bytes->data
 * from offset from on (a whole framed answer: fcgi_out.h). On success the
 * drainer owns fd (it closes it) and bytes (its contents are taken and the
 * buffer left empty, ready for reuse). Fails with DF_EBUSY when the bytes
 * would take the drainer past its bound, DF_EIO when fd cannot be watched;
 * then fd and bytes stay the caller's. */
int df_drainer_park(df_drainer *d, int fd, df_buf *bytes, size_t from, df_error *err);

/* Bytes parked now, for the tests and the logs. */
size_t df_drainer_parked(df_drainer *d);

/* Gives the parked answers up to grace_ms to be taken, then closes what is
 * left, ends the thread and frees everything. NULL is a no-op. */
void df_drainer_stop(df_drainer *d, int grace_ms);

#endif
