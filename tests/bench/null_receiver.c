/* A CloudEvents receiver that does no work, for the push benchmark
 * (tests/bench/pull_push.sh): HTTP/1.1 on loopback, keep-alive, any number of
 * connections on one thread (poll), every POST answered 200 at once once its
 * body is read. It counts requests and events (the "specversion" members of
 * the body, one per event whatever the batching) and writes the counts to
 * DIR/count when it gets SIGTERM, so that the benchmark checks that every
 * event arrived.
 *     null_receiver DIR      writes DIR/port once it listens
 * What it measures against: tests/lib/receiver.py, the test suite's receiver,
 * parses and checks every event in Python and is far slower. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 64
/* Longest request kept: a batch with metadata can be many megabytes. */
#define REQUEST_MAX (512u * 1024u * 1024u)

typedef struct conn {
    int fd;
    char *buf;
    size_t len, cap;
} conn;

static volatile sig_atomic_t stop;
static uint64_t requests, events;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/* The length of the request at the start of b[0..n) (headers and body), 0
 * while it is incomplete. */
static size_t request_length(const char *b, size_t n, size_t *head)
{
    const char *end = memmem(b, n, "\r\n\r\n", 4);
    if (end == NULL)
        return 0;
    *head = (size_t)(end - b) + 4;
    size_t body = 0;
    for (const char *p = b; p < end; p++)
        if ((p == b || p[-1] == '\n') && strncasecmp(p, "Content-Length:", 15) == 0)
            body = strtoul(p + 15, NULL, 10);
    return n >= *head + body ? *head + body : 0;
}

static uint64_t count_events(const char *body, size_t n)
{
    uint64_t k = 0;
    const char *p = body, *end = body + n;
    while ((p = memmem(p, (size_t)(end - p), "\"specversion\"", 13)) != NULL) {
        k++;
        p += 13;
    }
    return k;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: null_receiver DIR\n", stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 64) != 0 ||
        getsockname(l, (struct sockaddr *)&a, &alen) != 0) {
        perror("null_receiver");
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/port", argv[1]);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    fprintf(f, "%d\n", ntohs(a.sin_port));
    fclose(f);

    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    conn conns[MAX_CONNS];
    int nconns = 0;
    while (!stop) {
        struct pollfd p[MAX_CONNS + 1];
        p[0] = (struct pollfd){.fd = l, .events = POLLIN};
        for (int i = 0; i < nconns; i++)
            p[i + 1] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
        if (poll(p, (nfds_t)nconns + 1, 200) <= 0)
            continue;
        if ((p[0].revents & POLLIN) && nconns < MAX_CONNS) {
            int fd = accept(l, NULL, NULL);
            if (fd >= 0) {
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                conns[nconns++] = (conn){fd, NULL, 0, 0};
            }
        }
        for (int i = nconns - 1; i >= 0; i--) {
            conn *c = &conns[i];
            if (!(p[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (c->cap - c->len < 65536 && c->cap < REQUEST_MAX) {
                c->cap = c->cap * 2 + 65536;
                c->buf = realloc(c->buf, c->cap);
                if (c->buf == NULL)
                    return 1;
            }
            ssize_t got = read(c->fd, c->buf + c->len, c->cap - c->len);
            bool drop = got <= 0;
            if (got > 0)
                c->len += (size_t)got;
            size_t n, head = 0;
            while (!drop && (n = request_length(c->buf, c->len, &head)) > 0) {
                requests++;
                events += count_events(c->buf + head, n - head);
                write_all(c->fd, ok, sizeof ok - 1);
                memmove(c->buf, c->buf + n, c->len - n);
                c->len -= n;
            }
            if (drop) {
                close(c->fd);
                free(c->buf);
                conns[i] = conns[--nconns];
            }
        }
    }
    snprintf(path, sizeof path, "%s/count", argv[1]);
    f = fopen(path, "w");
    if (f == NULL)
        return 1;
    fprintf(f, "%llu %llu\n", (unsigned long long)requests, (unsigned long long)events);
    fclose(f);
    return 0;
}
