/* The thread that finishes slow answers: see drainer.h. Workers park
 * connections (under the lock, then register them with epoll); only the
 * drainer's thread sends on, closes and frees them. */
#include "drainer.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Once all is sent, the drainer shuts its side down and waits this long for
 * the web server to close its own, reading what it still sends, as
 * libfcgi's OS_Close does: closing a socket with unread bytes makes the
 * kernel reset the connection, and the server could lose the answer's tail. */
#define CLOSE_WAIT_MS 2000
/* Longest sleep between two looks at the deadlines. */
#define TICK_MS    1000
#define EVENTS_MAX 64

struct parked {
    struct parked *prev, *next;
    int fd;
    char *data; /* owned; NULL once all is sent */
    size_t len, at;
    int64_t deadline_ms; /* closed when nothing happens before it */
};

struct df_drainer {
    pthread_t thread;
    int epfd;
    int wake; /* eventfd: df_drainer_stop wakes the thread with it */
    size_t max_bytes;
    int stall_ms;
    pthread_mutex_t lock; /* guards list and parked */
    struct parked *list;
    size_t parked;
    _Atomic bool stopping;
    int64_t stop_at_ms;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Takes p out of the list and its bytes out of the count; under the lock. */
static void unlink_locked(df_drainer *d, struct parked *p)
{
    if (p->prev != NULL)
        p->prev->next = p->next;
    else
        d->list = p->next;
    if (p->next != NULL)
        p->next->prev = p->prev;
    if (p->data != NULL)
        d->parked -= p->len;
}

/* Ends one parked connection, in the drainer's thread only. */
static void release(df_drainer *d, struct parked *p)
{
    pthread_mutex_lock(&d->lock);
    unlink_locked(d, p);
    pthread_mutex_unlock(&d->lock);
    close(p->fd); /* which also takes it out of the epoll set */
    free(p->data);
    free(p);
}

/* Moves one connection on as far as its socket allows. */
static void advance(df_drainer *d, struct parked *p)
{
    if (p->data == NULL) {
        /* All sent: read what the server still sends until it closes. */
        char trash[1024];
        ssize_t n;
        while ((n = recv(p->fd, trash, sizeof trash, MSG_DONTWAIT)) > 0)
            ;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            release(d, p);
        return;
    }
    size_t before = p->at;
    while (p->at < p->len) {
        ssize_t n = send(p->fd, p->data + p->at, p->len - p->at, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            release(d, p); /* the web server hung up */
            return;
        }
        p->at += (size_t)n;
    }
    if (p->at > before)
        p->deadline_ms = now_ms() + d->stall_ms;
    if (p->at < p->len)
        return;
    pthread_mutex_lock(&d->lock);
    d->parked -= p->len;
    pthread_mutex_unlock(&d->lock);
    free(p->data);
    p->data = NULL;
    p->deadline_ms = now_ms() + CLOSE_WAIT_MS;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = p};
    if (shutdown(p->fd, SHUT_WR) != 0 || epoll_ctl(d->epfd, EPOLL_CTL_MOD, p->fd, &ev) != 0)
        release(d, p);
}

/* Closes every connection whose deadline passed (all of them when all is
 * true) and returns the milliseconds to the next deadline. */
static int expire(df_drainer *d, bool all)
{
    int64_t now = now_ms(), next = now + TICK_MS;
    /* Workers only add at the head, and only this thread removes. */
    pthread_mutex_lock(&d->lock);
    struct parked *p = d->list;
    pthread_mutex_unlock(&d->lock);
    while (p != NULL) {
        pthread_mutex_lock(&d->lock);
        struct parked *following = p->next;
        pthread_mutex_unlock(&d->lock);
        if (all || p->deadline_ms <= now)
            release(d, p);
        else if (p->deadline_ms < next)
            next = p->deadline_ms;
        p = following;
    }
    return (int)(next - now);
}

static void *drain(void *arg)
{
    df_drainer *d = arg;
    struct epoll_event events[EVENTS_MAX];
    for (;;) {
        int timeout = expire(d, false);
        bool stopping = atomic_load(&d->stopping);
        if (stopping) {
            pthread_mutex_lock(&d->lock);
            bool empty = d->list == NULL;
            pthread_mutex_unlock(&d->lock);
            int64_t left = d->stop_at_ms - now_ms();
            if (empty || left <= 0)
                break;
            if (left < timeout)
                timeout = (int)left;
        }
        int n = epoll_wait(d->epfd, events, EVENTS_MAX, timeout);
        for (int i = 0; i < n; i++) {
            if (events[i].data.ptr == NULL) {
                uint64_t ignored;
                if (read(d->wake, &ignored, sizeof ignored) < 0) {
                    /* Only ever woken to stop: nothing to do about it. */
                }
                continue;
            }
            advance(d, events[i].data.ptr);
        }
    }
    expire(d, true);
    return NULL;
}

int df_drainer_start(size_t max_bytes, int stall_ms, df_drainer **out, df_error *err)
{
    *out = NULL;
    df_drainer *d = calloc(1, sizeof *d);
    if (d == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    d->max_bytes = max_bytes;
    d->stall_ms = stall_ms;
    d->epfd = epoll_create1(EPOLL_CLOEXEC);
    d->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (d->epfd < 0 || d->wake < 0 || epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->wake, &ev) != 0) {
        int rc = df_error_set(err, DF_EIO, "cannot watch slow connections: %s", strerror(errno));
        if (d->epfd >= 0)
            close(d->epfd);
        if (d->wake >= 0)
            close(d->wake);
        free(d);
        return rc;
    }
    pthread_mutex_init(&d->lock, NULL);
    int e = pthread_create(&d->thread, NULL, drain, d);
    if (e != 0) {
        pthread_mutex_destroy(&d->lock);
        close(d->epfd);
        close(d->wake);
        free(d);
        return df_error_set(err, DF_EIO, "cannot start the thread for slow connections: %s",
                            strerror(e));
    }
    *out = d;
    return 0;
}

int df_drainer_park(df_drainer *d, int fd, df_buf *bytes, size_t from, df_error *err)
{
    struct parked *p = calloc(1, sizeof *p);
    if (p == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    p->fd = fd;
    p->data = bytes->data;
    p->len = bytes->len;
    p->at = from;
    p->deadline_ms = now_ms() + d->stall_ms;
    pthread_mutex_lock(&d->lock);
    size_t parked = d->parked;
    /* Counted at once, so that two workers cannot both fit in one room. */
    bool fits = bytes->len <= d->max_bytes && parked <= d->max_bytes - bytes->len;
    if (fits) {
        d->parked += p->len;
        p->next = d->list;
        if (d->list != NULL)
            d->list->prev = p;
        d->list = p;
    }
    pthread_mutex_unlock(&d->lock);
    if (!fits) {
        free(p);
        return df_error_set(err, DF_EBUSY,
                            "%zu bytes already wait for slow clients; the bound is %zu", parked,
                            d->max_bytes);
    }
    /* The drainer's thread may act on p from here on: nothing touches it after. */
    struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = p};
    if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        int rc = df_error_set(err, DF_EIO, "cannot watch a slow connection: %s", strerror(errno));
        pthread_mutex_lock(&d->lock);
        unlink_locked(d, p);
        pthread_mutex_unlock(&d->lock);
        free(p);
        return rc;
    }
    /* The buffer's memory now belongs to p. */
    df_buf_init(bytes, bytes->max);
    return 0;
}

size_t df_drainer_parked(df_drainer *d)
{
    pthread_mutex_lock(&d->lock);
    size_t n = d->parked;
    pthread_mutex_unlock(&d->lock);
    return n;
}

void df_drainer_stop(df_drainer *d, int grace_ms)
{
    if (d == NULL)
        return;
    d->stop_at_ms = now_ms() + grace_ms;
    atomic_store(&d->stopping, true);
    uint64_t one = 1;
    if (write(d->wake, &one, sizeof one) < 0) {
        /* The thread still sees stopping at its next tick. */
    }
    pthread_join(d->thread, NULL);
    close(d->epfd);
    close(d->wake);
    pthread_mutex_destroy(&d->lock);
    free(d);
}
