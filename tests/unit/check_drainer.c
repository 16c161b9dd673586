/* Unit tests of drainer.c: parked answers reach a reader that takes them
 * late, one that never reads is cut after the stall time, the bound on
 * parked bytes holds, and a stop gives the parked answers their grace. */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drainer.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A buffer of len pattern bytes, as a worker's park buffer would hold. */
static df_buf bytes_of(size_t len)
{
    df_buf b;
    df_buf_init(&b, len + 1);
    for (size_t i = 0; i < len; i++)
        df_buf_append_char(&b, (char)(i * 13 + i / 4093));
    ck_assert(!df_buf_failed(&b));
    return b;
}

/* Reads fd until the peer closes it or timeout_ms pass; returns the bytes
 * read, *closed tells which. */
static size_t read_until_closed(int fd, unsigned char *into, size_t cap, int timeout_ms,
                                bool *closed)
{
    size_t n = 0;
    int64_t end = now_ms() + timeout_ms;
    *closed = false;
    while (now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t got = read(fd, into + n, cap - n);
        if (got <= 0) {
            *closed = true;
            break;
        }
        n += (size_t)got;
    }
    return n;
}

/* A reader that starts reading only after the worker has parked the answer
 * gets every byte of it, in order, and then the end of the stream. */
START_TEST(late_reader_gets_everything)
{
    df_drainer *d;
    df_error err = {0};
    ck_assert_int_eq(df_drainer_start(64u << 20, 10000, &d, &err), 0);
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    const size_t len = 3u << 20, from = 12345;
    df_buf b = bytes_of(len);
    char *copy = malloc(len);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, b.data, len);
    ck_assert_int_eq(df_drainer_park(d, sv[1], &b, from, &err), 0);
    ck_assert_ptr_null(b.data); /* taken */
    ck_assert_uint_eq(df_drainer_parked(d), len);
    unsigned char *got = malloc(len);
    ck_assert_ptr_nonnull(got);
    bool closed;
    /* The drainer shuts its side down once all is sent, then waits for ours. */
    size_t n = read_until_closed(sv[0], got, len, 10000, &closed);
    ck_assert(closed);
    ck_assert_uint_eq(n, len - from);
    ck_assert_mem_eq(got, copy + from, n);
    close(sv[0]);
    for (int i = 0; i < 100 && df_drainer_parked(d) > 0; i++)
        usleep(10000);
    ck_assert_uint_eq(df_drainer_parked(d), 0);
    df_drainer_stop(d, 0);
    free(got);
    free(copy);
}
END_TEST

/* A reader that takes nothing is cut once the stall time passed, and the
 * memory it held is counted free again. */
START_TEST(stalled_reader_is_cut)
{
    df_drainer *d;
    df_error err = {0};
    ck_assert_int_eq(df_drainer_start(64u << 20, 300, &d, &err), 0);
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    df_buf b = bytes_of(4u << 20);
    int64_t parked_at = now_ms();
    ck_assert_int_eq(df_drainer_park(d, sv[1], &b, 0, &err), 0);
    while (df_drainer_parked(d) > 0 && now_ms() - parked_at < 5000)
        usleep(10000);
    int64_t waited = now_ms() - parked_at;
    ck_assert_uint_eq(df_drainer_parked(d), 0);
    ck_assert_int_ge(waited, 250);
    /* What the socket took arrives, then the cut. */
    unsigned char *got = malloc(4u << 20);
    ck_assert_ptr_nonnull(got);
    bool closed;
    size_t n = read_until_closed(sv[0], got, 4u << 20, 5000, &closed);
    ck_assert(closed);
    ck_assert_uint_lt(n, 4u << 20);
    close(sv[0]);
    df_drainer_stop(d, 0);
    free(got);
}
END_TEST

/* Past the bound an answer is refused, and stays the caller's. */
START_TEST(bound_refuses)
{
    df_drainer *d;
    df_error err = {0};
    ck_assert_int_eq(df_drainer_start(5u << 20, 10000, &d, &err), 0);
    int a[2], b[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
    df_buf first = bytes_of(3u << 20), second = bytes_of(3u << 20);
    ck_assert_int_eq(df_drainer_park(d, a[1], &first, 0, &err), 0);
    ck_assert_int_eq(df_drainer_park(d, b[1], &second, 0, &err), DF_EBUSY);
    ck_assert_ptr_nonnull(strstr(err.message, "slow clients"));
    ck_assert_ptr_nonnull(second.data); /* still the caller's */
    ck_assert_uint_eq(df_drainer_parked(d), 3u << 20);
    /* Its connection too: still open, nothing sent on it. */
    ck_assert_int_eq(send(b[1], "x", 1, MSG_DONTWAIT), 1);
    df_buf_free(&second);
    close(b[0]);
    close(b[1]);
    close(a[0]);
    df_drainer_stop(d, 0);
}
END_TEST

/* A stop lets a reader that is taking its answer finish within the grace
 * time, then ends. */
START_TEST(stop_gives_grace)
{
    df_drainer *d;
    df_error err = {0};
    ck_assert_int_eq(df_drainer_start(64u << 20, 10000, &d, &err), 0);
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    const size_t len = 2u << 20;
    df_buf b = bytes_of(len);
    ck_assert_int_eq(df_drainer_park(d, sv[1], &b, 0, &err), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(sv[1]); /* the drainer's: only its close may end the stream */
        unsigned char *got = malloc(len);
        bool closed;
        size_t n = read_until_closed(sv[0], got, len, 10000, &closed);
        _exit(n == len && closed ? 0 : 1);
    }
    close(sv[0]);
    df_drainer_stop(d, 5000);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

static Suite *drainer_suite(void)
{
    Suite *s = suite_create("drainer");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, late_reader_gets_everything);
    tcase_add_test(tc, stalled_reader_is_cut);
    tcase_add_test(tc, bound_refuses);
    tcase_add_test(tc, stop_gives_grace);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(drainer_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
