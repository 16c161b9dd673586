/* Unit tests of fcgi_out.c: the records it writes, read back from a socket
 * pair and parsed the way a web server parses them (FastCGI 1.0, 3.3, 5.5). */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/fcgi_out.h"

struct parsed {
    unsigned char *content; /* the records' content, concatenated */
    size_t content_len;
    int records;
    size_t largest; /* content bytes of the largest record */
};

/* Reads fd to its end. */
static unsigned char *read_all(int fd, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        ssize_t got = read(fd, buf + n, cap - n);
        ck_assert_int_ge(got, 0);
        if (got == 0)
            break;
        n += (size_t)got;
    }
    *len = n;
    return buf;
}

/* Parses a run of STDOUT records of request id, then the empty STDOUT
 * record and END_REQUEST, failing the test on any framing error: a record of
 * another type, a wrong id, padding that does not align the record, a
 * missing end, or bytes past it. */
static struct parsed parse(const unsigned char *b, size_t len, unsigned id)
{
    struct parsed p = {.content = malloc(len + 1)};
    ck_assert_ptr_nonnull(p.content);
    size_t at = 0;
    ck_assert_uint_ge(len, 24);
    const unsigned char hi = (unsigned char)(id >> 8), lo = (unsigned char)(id & 0xff);
    const unsigned char end[24] = {1, 6, hi, lo, 0, 0, 0, 0, 1, 3, hi, lo, 0, 8, 0, 0};
    ck_assert_mem_eq(b + len - 24, end, sizeof end);
    len -= 24;
    while (at < len) {
        ck_assert_uint_ge(len - at, 8);
        ck_assert_uint_eq(b[at], 1);
        ck_assert_uint_eq(b[at + 1], 6);
        ck_assert_uint_eq((unsigned)b[at + 2] << 8 | b[at + 3], id);
        size_t clen = (size_t)b[at + 4] << 8 | b[at + 5];
        size_t plen = b[at + 6];
        ck_assert_uint_gt(clen, 0); /* an empty one ends the stream */
        ck_assert_uint_eq((clen + plen) % 8, 0);
        ck_assert_uint_le(clen + plen, len - at - 8);
        memcpy(p.content + p.content_len, b + at + 8, clen);
        p.content_len += clen;
        p.records++;
        if (clen > p.largest)
            p.largest = clen;
        at += 8 + clen + plen;
    }
    return p;
}

/* Sends the whole answer, waiting whenever the socket is full. */
static int send_all(int fd, df_fcgi_answer *a)
{
    for (;;) {
        int rc = df_fcgi_send(fd, a);
        if (rc != 1)
            return rc;
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        if (poll(&p, 1, -1) < 0 && errno != EINTR)
            return -1;
    }
}

/* The pattern every test sends: a period of no power of two, so that bytes
 * put at a wrong offset show. */
static unsigned char *pattern(size_t len)
{
    unsigned char *bytes = malloc(len + 1);
    ck_assert_ptr_nonnull(bytes);
    for (size_t i = 0; i < len; i++)
        bytes[i] = (unsigned char)(i * 31 + (i >> 9));
    return bytes;
}

/* Sends len bytes of a pattern, cut into parts at the offsets cuts[0..ncuts)
 * (ascending), through df_fcgi_send from a child process, and parses what
 * arrives on the other end. */
static struct parsed round_trip_parts(size_t len, unsigned id, const size_t *cuts, int ncuts,
                                      unsigned char **sent)
{
    unsigned char *bytes = pattern(len);
    struct iovec parts[DF_FCGI_PARTS_MAX];
    int nparts = 0;
    size_t from = 0;
    for (int i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        parts[nparts++] = (struct iovec){bytes + from, to - from};
        from = to;
    }
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(sv[0]);
        df_fcgi_answer a = {.request_id = (uint16_t)id, .parts = parts, .nparts = nparts};
        int rc = send_all(sv[1], &a);
        _exit(rc == 0 && a.sent == df_fcgi_framed_len(&a) ? 0 : 1);
    }
    close(sv[1]);
    size_t got;
    unsigned char *wire = read_all(sv[0], &got);
    close(sv[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct parsed p = parse(wire, got, id);
    free(wire);
    *sent = bytes;
    return p;
}

static struct parsed round_trip(size_t len, unsigned id, unsigned char **sent)
{
    return round_trip_parts(len, id, NULL, 0, sent);
}

/* The framed answer whole, as df_fcgi_copy_rest writes it from 0. */
static df_buf framed(const df_fcgi_answer *a)
{
    df_buf b;
    df_buf_init(&b, SIZE_MAX / 2);
    df_fcgi_answer from0 = *a;
    from0.sent = 0;
    ck_assert_int_eq(df_fcgi_copy_rest(&from0, &b), 0);
    ck_assert_uint_eq(b.len, df_fcgi_framed_len(a));
    return b;
}

START_TEST(test_header)
{
    unsigned char h[DF_FCGI_HEADER_LEN];
    ck_assert_uint_eq(df_fcgi_stdout_header(h, 0x0102, 0x0304), 4); /* 772 + 4 = 776 */
    const unsigned char want[] = {1, 6, 1, 2, 3, 4, 4, 0};
    ck_assert_mem_eq(h, want, sizeof want);
    ck_assert_uint_eq(df_fcgi_stdout_header(h, 1, DF_FCGI_RECORD_MAX), 0);
    ck_assert_uint_eq((unsigned)(h[4] << 8 | h[5]), 65528);
    ck_assert_uint_eq(df_fcgi_stdout_header(h, 1, 1), 7);
    ck_assert_uint_eq(df_fcgi_stdout_header(h, 1, 8), 0);
}
END_TEST

/* Sizes around every boundary: one record, exactly full, one byte over, the
 * size of a 100-entry page, and more records than one writev() takes. */
static const size_t sizes[] = {
    1, 7, 8, 1000, 65527, 65528, 65529, 131056, 131057, 97311, 64u * 65528u + 3, 5u << 20};

START_TEST(test_round_trip)
{
    size_t len = sizes[_i];
    unsigned char *sent;
    struct parsed p = round_trip(len, 1, &sent);
    ck_assert_uint_eq(p.content_len, len);
    ck_assert_mem_eq(p.content, sent, len);
    ck_assert_uint_le(p.largest, DF_FCGI_RECORD_MAX);
    /* As few records as the 64 KiB limit allows. */
    ck_assert_int_eq(p.records, (int)((len + DF_FCGI_RECORD_MAX - 1) / DF_FCGI_RECORD_MAX));
    free(p.content);
    free(sent);
}
END_TEST

START_TEST(test_request_id)
{
    unsigned char *sent;
    struct parsed p = round_trip(100, 65535, &sent);
    ck_assert_uint_eq(p.content_len, 100);
    free(p.content);
    free(sent);
}
END_TEST

START_TEST(test_nothing_for_empty)
{
    unsigned char *sent;
    struct parsed p = round_trip(0, 1, &sent);
    ck_assert_int_eq(p.records, 0); /* only the end */
    free(p.content);
    free(sent);
}
END_TEST

/* Records span the parts: cuts at, around and far from record boundaries,
 * and empty parts, give the same bytes and as few records as one part. */
START_TEST(test_parts)
{
    const size_t len = 3u * 65528u + 100u;
    const size_t cut_sets[][3] = {
        {0, 0, 0},           {1, 2, 3},
        {250, 65528, 65529}, {65527, 65528, 131056},
        {100, 100, 196684},  {196684, 196684, 196684},
        {7, 65535, 131071},  {0, 196684, 196684},
    };
    for (size_t k = 0; k < sizeof cut_sets / sizeof cut_sets[0]; k++) {
        unsigned char *sent;
        struct parsed p = round_trip_parts(len, 9, cut_sets[k], 3, &sent);
        ck_assert_uint_eq(p.content_len, len);
        ck_assert_mem_eq(p.content, sent, len);
        ck_assert_int_eq(p.records, 4);
        free(p.content);
        free(sent);
    }
}
END_TEST

/* The rest copied from any byte is the framed answer's tail: at, around
 * and between record boundaries and inside the end. */
START_TEST(test_copy_rest)
{
    const size_t len = 2u * 65528u + 13u;
    unsigned char *bytes = pattern(len);
    struct iovec parts[2] = {{bytes, 1000}, {bytes + 1000, len - 1000}};
    df_fcgi_answer a = {.request_id = 3, .parts = parts, .nparts = 2};
    df_buf whole = framed(&a);
    const size_t n = whole.len, span = 65536;
    const size_t froms[] = {0,
                            1,
                            7,
                            8,
                            9,
                            span - 1,
                            span,
                            span + 1,
                            span + 8,
                            2 * span,
                            2 * span + 8,
                            n - 24,
                            n - 23,
                            n - 16,
                            n - 1,
                            n};
    for (size_t i = 0; i < sizeof froms / sizeof froms[0]; i++) {
        df_buf rest;
        df_buf_init(&rest, SIZE_MAX / 2);
        a.sent = froms[i];
        ck_assert_int_eq(df_fcgi_copy_rest(&a, &rest), 0);
        ck_assert_uint_eq(rest.len, n - froms[i]);
        if (rest.len > 0)
            ck_assert_mem_eq(rest.data, whole.data + froms[i], rest.len);
        df_buf_free(&rest);
    }
    struct parsed p = parse((unsigned char *)whole.data, whole.len, 3);
    ck_assert_uint_eq(p.content_len, len);
    ck_assert_mem_eq(p.content, bytes, len);
    free(p.content);
    df_buf_free(&whole);
    free(bytes);
}
END_TEST

/* A socket nobody reads takes part of a large answer and then nothing: the
 * send says so at once instead of waiting, and what it sent followed by the
 * rest it copies is the whole framed answer. */
START_TEST(test_full_socket)
{
    const size_t len = 4u << 20;
    unsigned char *bytes = pattern(len);
    struct iovec part = {bytes, len};
    df_fcgi_answer a = {.request_id = 5, .parts = &part, .nparts = 1};
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(df_fcgi_send(sv[1], &a), 1);
    ck_assert_uint_gt(a.sent, 0);
    ck_assert_uint_lt(a.sent, len);
    df_buf rest;
    df_buf_init(&rest, SIZE_MAX / 2);
    ck_assert_int_eq(df_fcgi_copy_rest(&a, &rest), 0);
    close(sv[1]);
    size_t got;
    unsigned char *wire = read_all(sv[0], &got);
    close(sv[0]);
    ck_assert_uint_eq(got, a.sent);
    unsigned char *all = malloc(got + rest.len);
    ck_assert_ptr_nonnull(all);
    memcpy(all, wire, got);
    memcpy(all + got, rest.data, rest.len);
    struct parsed p = parse(all, got + rest.len, 5);
    ck_assert_uint_eq(p.content_len, len);
    ck_assert_mem_eq(p.content, bytes, len);
    free(p.content);
    free(all);
    free(wire);
    df_buf_free(&rest);
    free(bytes);
}
END_TEST

/* A web server that hung up: an error, not a signal that kills the process. */
START_TEST(test_peer_gone)
{
    signal(SIGPIPE, SIG_IGN);
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    close(sv[0]);
    static char big[300000];
    struct iovec part = {big, sizeof big};
    df_fcgi_answer a = {.request_id = 1, .parts = &part, .nparts = 1};
    errno = 0;
    ck_assert_int_eq(df_fcgi_send(sv[1], &a), -1);
    ck_assert_int_eq(errno, EPIPE);
    close(sv[1]);
}
END_TEST

/* The reading end of test_interrupted: small reads keep the writer blocked in
 * writev() most of the time, which is where a signal cuts a write short. A
 * pause longer than the timer's period every 512 KiB lets alarms also find a
 * writev() that has sent nothing yet (EINTR), and makes the write last long
 * enough for alarms to come at all. No ck_assert here: Check's failure exit is
 * for the test's own thread. */
struct drain {
    int fd;
    unsigned char *buf;
    size_t cap, len;
    int error; /* errno of a failed read, or 0 */
};

static void *drain(void *arg)
{
    struct drain *d = arg;
    const struct timespec pause = {0, 1000000};
    for (unsigned reads = 1; d->len < d->cap; reads++) {
        if (reads % 1024 == 0)
            nanosleep(&pause, NULL);
        size_t want = d->cap - d->len < 512 ? d->cap - d->len : 512;
        ssize_t got = read(d->fd, d->buf + d->len, want);
        if (got < 0) {
            d->error = errno;
            break;
        }
        if (got == 0)
            break;
        d->len += (size_t)got;
    }
    return NULL;
}

static volatile sig_atomic_t alarms;

static void count_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* A handler installed without SA_RESTART (a server's SIGTERM handler often
 * is) cuts system calls short: every send must resume at the right byte.
 * A 200 us timer interrupts an 8 MiB answer, sent through the smallest
 * socket buffer in many short sends, many times over. */
START_TEST(test_interrupted)
{
    const size_t len = 8u << 20;
    unsigned char *bytes = malloc(len);
    ck_assert_ptr_nonnull(bytes);
    /* A period of no power of two, so a resume at a wrong offset shows. */
    for (size_t i = 0; i < len; i++)
        bytes[i] = (unsigned char)(i * 7 + i / 251);
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    /* An AF_UNIX stream is flow-controlled by the sender's buffer alone; the
     * smallest one the kernel allows makes every writev() wait many times. */
    int small = 1;
    ck_assert_int_eq(setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    struct drain d = {.fd = sv[0], .cap = len + len / 4};
    d.buf = malloc(d.cap);
    ck_assert_ptr_nonnull(d.buf);

    /* The reader blocks SIGALRM (it inherits the mask), so every alarm goes
     * to the writing thread. */
    sigset_t alrm, old_mask;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &alrm, &old_mask), 0);
    pthread_t reader;
    ck_assert_int_eq(pthread_create(&reader, NULL, drain, &d), 0);
    ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old_mask, NULL), 0);

    struct sigaction sa = {.sa_handler = count_alarm}, old_sa;
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(sigaction(SIGALRM, &sa, &old_sa), 0);
    const struct itimerval every = {.it_interval = {0, 200}, .it_value = {0, 200}}, off = {0};
    alarms = 0;
    ck_assert_int_eq(setitimer(ITIMER_REAL, &every, NULL), 0);
    struct iovec part = {bytes, len};
    df_fcgi_answer a = {.request_id = 1, .parts = &part, .nparts = 1};
    int rc = send_all(sv[1], &a);
    int write_errno = errno;
    /* Disarmed before any assertion can leave the test, and before the old
     * handler returns: an alarm already sent is delivered by then. */
    ck_assert_int_eq(setitimer(ITIMER_REAL, &off, NULL), 0);
    ck_assert_int_eq(sigaction(SIGALRM, &old_sa, NULL), 0);
    close(sv[1]);
    ck_assert_int_eq(pthread_join(reader, NULL), 0);
    close(sv[0]);

    ck_assert_msg(rc == 0, "df_fcgi_send: %s", strerror(write_errno));
    ck_assert_int_gt(alarms, 0);
    ck_assert_int_eq(d.error, 0);
    struct parsed p = parse(d.buf, d.len, 1);
    ck_assert_uint_eq(p.content_len, len);
    ck_assert_mem_eq(p.content, bytes, len);
    free(p.content);
    free(d.buf);
    free(bytes);
}
END_TEST

static Suite *fcgi_out_suite(void)
{
    Suite *s = suite_create("fcgi_out");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_header);
    tcase_add_loop_test(tc, test_round_trip, 0, (int)(sizeof sizes / sizeof sizes[0]));
    tcase_add_test(tc, test_request_id);
    tcase_add_test(tc, test_nothing_for_empty);
    tcase_add_test(tc, test_parts);
    tcase_add_test(tc, test_copy_rest);
    tcase_add_test(tc, test_full_socket);
    tcase_add_test(tc, test_peer_gone);
    tcase_add_test(tc, test_interrupted);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fcgi_out_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
