/* Unit tests of the HTTP client (http.h) against a real server on loopback: a
 * small HTTP/1.1 server in a child process that answers from a script, one
 * item per request (an answer's bytes, "hang": never answer, "close": drop
 * the connection), and writes every request it read to a file. They check
 * the retry rule (which answers are tried again, how often, how long apart,
 * Retry-After), the bounded body, POST bodies and headers, the stop flag,
 * and the command-line options shared by every program. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

/* --- the scripted server ------------------------------------------------------ */

#define MAX_CONNS  16
#define SCRIPT_MAX 16

static char dir[] = "/tmp/check_http.XXXXXX";
static char log_path[256];
static pid_t server;
static int port;
static char url[128];

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

/* The length of the request at the start of b[0..n), headers and body, or 0
 * while it is incomplete. */
static size_t request_length(const char *b, size_t n)
{
    const char *end = memmem(b, n, "\r\n\r\n", 4);
    if (end == NULL)
        return 0;
    size_t head = (size_t)(end - b) + 4;
    size_t body = 0;
    for (const char *p = b; p < end; p++) {
        if ((p == b || p[-1] == '\n') && strncasecmp(p, "Content-Length:", 15) == 0)
            body = strtoul(p + 15, NULL, 10);
    }
    return n >= head + body ? head + body : 0;
}

/* Writes item, with a Content-Length for its body when it has none (a 304
 * has no body). */
static void answer(int fd, const char *item)
{
    const char *blank = strstr(item, "\r\n\r\n");
    if (blank == NULL || strstr(item, "Content-Length:") != NULL ||
        strncmp(item + 9, "304", 3) == 0) {
        write_all(fd, item, strlen(item));
        return;
    }
    char line[64];
    snprintf(line, sizeof line, "\r\nContent-Length: %zu", strlen(blank + 4));
    write_all(fd, item, (size_t)(blank - item));
    write_all(fd, line, strlen(line));
    write_all(fd, blank, strlen(blank));
}

typedef struct conn {
    int fd;
    bool hung;
    char *buf;
    size_t len, cap;
} conn;

static void serve(int listener, const char *const *script)
{
    conn conns[MAX_CONNS];
    int nconns = 0;
    size_t next = 0;
    FILE *log = fopen(log_path, "w");
    if (log == NULL)
        _exit(2);
    for (;;) {
        struct pollfd p[MAX_CONNS + 1];
        p[0] = (struct pollfd){.fd = listener, .events = POLLIN};
        for (int i = 0; i < nconns; i++)
            p[i + 1] = (struct pollfd){.fd = conns[i].fd, .events = conns[i].hung ? 0 : POLLIN};
        if (poll(p, (nfds_t)nconns + 1, -1) < 0)
            continue;
        if ((p[0].revents & POLLIN) && nconns < MAX_CONNS) {
            int fd = accept(listener, NULL, NULL);
            if (fd >= 0)
                conns[nconns++] = (conn){fd, false, NULL, 0, 0};
        }
        for (int i = nconns - 1; i >= 0; i--) {
            conn *c = &conns[i];
            if (c->hung || !(p[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (c->cap - c->len < 65536) {
                c->cap = c->cap * 2 + 65536;
                c->buf = realloc(c->buf, c->cap);
            }
            ssize_t got = read(c->fd, c->buf + c->len, c->cap - c->len);
            bool drop = got <= 0;
            if (got > 0)
                c->len += (size_t)got;
            size_t n;
            while (!drop && !c->hung && (n = request_length(c->buf, c->len)) > 0) {
                fwrite(c->buf, 1, n, log);
                fputs("\n=====\n", log);
                fflush(log);
                memmove(c->buf, c->buf + n, c->len - n);
                c->len -= n;
                const char *item = next < SCRIPT_MAX && script[next] != NULL
                                       ? script[next++]
                                       : "HTTP/1.1 410 Gone\r\nContent-Length: 9\r\n\r\nexhausted";
                if (strcmp(item, "hang") == 0)
                    c->hung = true;
                else if (strcmp(item, "close") == 0)
                    drop = true;
                else
                    answer(c->fd, item);
            }
            if (drop) {
                close(c->fd);
                free(c->buf);
                conns[i] = conns[--nconns];
            }
        }
    }
}

/* Starts the server with script (NULL-terminated, copied by the fork). */
static void start(const char *const *script)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(l, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(l, 16), 0);
    socklen_t len = sizeof a;
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/feed", port);
    server = fork();
    ck_assert_int_ge(server, 0);
    if (server == 0) {
        serve(l, script);
        _exit(0);
    }
    close(l);
}

/* What the server has read so far: every request, each followed by a
 * separator line. Caller frees. */
static char *requests(void)
{
    FILE *f = fopen(log_path, "rb");
    ck_assert_ptr_nonnull(f);
    char *text = calloc(1, 8 * 1024 * 1024);
    ck_assert_ptr_nonnull(text);
    size_t n = fread(text, 1, 8 * 1024 * 1024 - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static int count_of(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

static int request_count(void)
{
    char *t = requests();
    int n = count_of(t, "\n=====\n");
    free(t);
    return n;
}

static df_http_settings s;
static df_http *h;
static df_buf body;
static df_http_answer a;
static volatile sig_atomic_t stop_flag;

static void setup(void)
{
    strcpy(dir, "/tmp/check_http.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(log_path, sizeof log_path, "%s/requests", dir);
    server = 0;
    df_http_settings_init(&s);
    s.backoff_base = 0.01;
    s.backoff_cap = 0.05;
    s.max_retries = 3;
    s.verbosity = 0;
    stop_flag = 0;
    s.stop = &stop_flag;
    h = NULL;
    df_buf_init(&body, 1024 * 1024);
    memset(&a, 0, sizeof a);
}

static void teardown(void)
{
    df_http_close(h);
    df_buf_free(&body);
    df_http_settings_free(&s);
    if (server > 0) {
        kill(server, SIGKILL);
        waitpid(server, NULL, 0);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void open_client(void)
{
    ck_assert_int_eq(df_http_open(&s, &h, NULL), 0);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define OK_JSON                                                                                    \
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"0123456789abcdef-7-x\"\r\n"      \
    "\r\n[1,2,3]"
#define UNAVAILABLE(retry_after)                                                                   \
    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: " retry_after "\r\n\r\n"                     \
    "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"the log is locked now.\"}}"

/* --- GET -------------------------------------------------------------------------- */

START_TEST(get_returns_status_headers_and_body)
{
    const char *script[] = {OK_JSON, NULL};
    start(script);
    open_client();
    const char *headers[] = {"Accept: application/json", "If-None-Match: \"x\"", NULL};
    ck_assert_int_eq(df_http_get(h, url, headers, 0, &body, &a, NULL), 0);
    ck_assert_int_eq(a.status, 200);
    ck_assert_str_eq(a.etag, "\"0123456789abcdef-7-x\"");
    ck_assert_str_eq(a.content_type, "application/json");
    ck_assert_int_eq(a.retries, 0);
    ck_assert_uint_eq(body.len, 7);
    ck_assert_str_eq(body.data, "[1,2,3]");
    char *t = requests();
    ck_assert_ptr_nonnull(strstr(t, "GET /feed HTTP/1.1\r\n"));
    ck_assert_ptr_nonnull(strstr(t, "\r\nAccept: application/json\r\n"));
    ck_assert_ptr_nonnull(strstr(t, "\r\nIf-None-Match: \"x\"\r\n"));
    free(t);
}
END_TEST

START_TEST(answers_not_retried_are_returned)
{
    /* A 304, a 404 and a redirect are answers for the caller: one request each. */
    const char *script[] = {
        "HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\n\r\n",
        "HTTP/1.1 404 Not Found\r\n\r\n"
        "{\"error\":{\"code\":\"NotFound\",\"message\":\"no such route.\"}}",
        "HTTP/1.1 302 Found\r\nLocation: http://elsewhere.example/v1\r\nContent-Length: 0\r\n\r\n",
        NULL};
    start(script);
    open_client();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    ck_assert_int_eq(a.status, 304);
    ck_assert_str_eq(a.etag, "\"e\"");
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    ck_assert_int_eq(a.status, 404);
    char why[DF_ERROR_MESSAGE_MAX];
    df_http_describe(a.status, &body, why, sizeof why);
    ck_assert_str_eq(why, "HTTP 404 NotFound: no such route.");
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    ck_assert_int_eq(a.status, 302);
    ck_assert_str_eq(a.location, "http://elsewhere.example/v1");
    ck_assert_int_eq(request_count(), 3);
}
END_TEST

START_TEST(retried_statuses_are_tried_again)
{
    const char *script[] = {
        UNAVAILABLE("0"), "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n", OK_JSON, NULL};
    start(script);
    open_client();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(a.retries, 3);
    ck_assert_str_eq(body.data, "[1,2,3]"); /* the failed answers' bodies are gone */
    ck_assert_int_eq(request_count(), 4);
}
END_TEST

START_TEST(gives_up_after_max_retries_with_the_server_s_message)
{
    const char *script[] = {UNAVAILABLE("0"), UNAVAILABLE("0"), UNAVAILABLE("0"), OK_JSON, NULL};
    start(script);
    s.max_retries = 2;
    open_client();
    df_error err = {0};
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, &err), DF_EHTTP_UNAVAILABLE);
    ck_assert_str_eq(err.message, "HTTP 503 ServiceUnavailable: the log is locked now. "
                                  "(gave up after 2 retries)");
    ck_assert_int_eq(request_count(), 3);
}
END_TEST

START_TEST(no_retries_means_one_try)
{
    const char *script[] = {UNAVAILABLE("0"), OK_JSON, NULL};
    start(script);
    s.max_retries = 0;
    open_client();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), DF_EHTTP_UNAVAILABLE);
    ck_assert_int_eq(request_count(), 1);
}
END_TEST

START_TEST(retry_after_is_honoured)
{
    const char *script[] = {UNAVAILABLE("1"), OK_JSON, NULL};
    start(script);
    open_client();
    double began = now();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    /* The back-off alone would wait 0.01 s: the server's second is what counts. */
    ck_assert(now() - began >= 0.95);
    ck_assert_int_eq(a.retries, 1);
}
END_TEST

START_TEST(a_dropped_connection_is_retried)
{
    const char *script[] = {"close", OK_JSON, NULL};
    start(script);
    open_client();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(a.retries, 1);
}
END_TEST

START_TEST(a_timeout_is_retried)
{
    const char *script[] = {"hang", OK_JSON, NULL};
    start(script);
    s.timeout = 1;
    open_client();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(a.retries, 1);
    ck_assert_int_eq(request_count(), 2);
}
END_TEST

START_TEST(extra_timeout_lets_a_server_hold_the_request)
{
    /* timeout 1 s plus 3 s of the server's wait: a server that answers after
     * 2 s is not cut off. */
    const char *script[] = {"hang", NULL};
    start(script);
    s.timeout = 1;
    s.max_retries = 0;
    open_client();
    double began = now();
    ck_assert_int_eq(df_http_get(h, url, NULL, 2, &body, &a, NULL), DF_EHTTP_UNAVAILABLE);
    ck_assert(now() - began >= 2.9);
}
END_TEST

START_TEST(connection_refused_is_unavailable)
{
    /* A port that was free a moment ago and has no listener. */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    getsockname(l, (struct sockaddr *)&sa, &len);
    close(l);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(sa.sin_port));
    s.max_retries = 1;
    open_client();
    df_error err = {0};
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, &err), DF_EHTTP_UNAVAILABLE);
    ck_assert_ptr_nonnull(strstr(err.message, "gave up after 1 retry)"));
}
END_TEST

START_TEST(body_ceiling_is_an_error)
{
    const char *script[] = {OK_JSON, OK_JSON, NULL};
    start(script);
    open_client();
    df_buf small;
    df_buf_init(&small, 4);
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &small, &a, NULL), DF_EHTTP_TOOBIG);
    df_buf_free(&small);
    /* Without a buffer, the body is dropped. */
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, NULL, &a, NULL), 0);
    ck_assert_int_eq(a.status, 200);
}
END_TEST

START_TEST(basic_credentials_are_sent)
{
    const char *script[] = {OK_JSON, NULL};
    start(script);
    char arg[] = "reader:correct horse";
    ck_assert_int_eq(df_http_option(&s, DF_HTTP_OPT_USER, arg, NULL), 0);
    open_client();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    char *t = requests();
    /* base64("reader:correct horse") */
    ck_assert_ptr_nonnull(strstr(t, "\r\nAuthorization: Basic cmVhZGVyOmNvcnJlY3QgaG9yc2U=\r\n"));
    free(t);
}
END_TEST

/* Every request takes a compressed answer (the feed's gzip, issue #16):
 * libcurl asks for what it can decode and decodes it. */
START_TEST(gzip_is_asked_for)
{
    const char *script[] = {OK_JSON, NULL};
    start(script);
    open_client();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    char *t = requests();
    const char *at = strstr(t, "\r\nAccept-Encoding: ");
    ck_assert_ptr_nonnull(at);
    const char *eol = strstr(at + 2, "\r\n");
    ck_assert_ptr_nonnull(eol);
    char line[200];
    snprintf(line, sizeof line, "%.*s", (int)(eol - at - 2), at + 2);
    ck_assert_msg(strstr(line, "gzip") != NULL, "%s", line);
    free(t);
}
END_TEST

START_TEST(stop_ends_a_request_at_once)
{
    const char *script[] = {UNAVAILABLE("30"), OK_JSON, NULL};
    start(script);
    open_client();
    stop_flag = 1;
    double began = now();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), DF_HTTP_STOPPED);
    ck_assert(now() - began < 5);
}
END_TEST

static void raise_stop(int sig)
{
    (void)sig;
    stop_flag = 1;
}

START_TEST(stop_ends_a_retry_pause)
{
    const char *script[] = {UNAVAILABLE("30"), OK_JSON, NULL};
    start(script);
    open_client();
    signal(SIGALRM, raise_stop);
    alarm(1);
    double began = now();
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), DF_HTTP_STOPPED);
    ck_assert(now() - began < 10);
    ck_assert_int_eq(request_count(), 1);
}
END_TEST

/* --- POST ------------------------------------------------------------------------ */

START_TEST(post_sends_body_type_and_headers)
{
    const char *script[] = {"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", NULL};
    start(script);
    open_client();
    const char *headers[] = {"Authorization: Bearer t0ken", NULL};
    const char *event = "{\"specversion\":\"1.0\",\"id\":\"x-1\"}";
    ck_assert_int_eq(df_http_post(h, url, "application/cloudevents+json", event, strlen(event),
                                  headers, &body, &a, NULL),
                     0);
    ck_assert_int_eq(a.status, 202);
    char *t = requests();
    ck_assert_ptr_nonnull(strstr(t, "POST /feed HTTP/1.1\r\n"));
    ck_assert_ptr_nonnull(strstr(t, "\r\nContent-Type: application/cloudevents+json\r\n"));
    ck_assert_ptr_nonnull(strstr(t, "\r\nAuthorization: Bearer t0ken\r\n"));
    ck_assert_ptr_nonnull(strstr(t, "\r\n\r\n{\"specversion\":\"1.0\",\"id\":\"x-1\"}\n====="));
    free(t);
}
END_TEST

START_TEST(post_retries_send_the_whole_body_again)
{
    /* 2 MiB: curl would ask "Expect: 100-continue" of a body this large. */
    size_t n = 2u * 1024u * 1024u;
    char *big = malloc(n);
    ck_assert_ptr_nonnull(big);
    memset(big, 'e', n);
    const char *script[] = {"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n",
                            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", NULL};
    start(script);
    open_client();
    ck_assert_int_eq(df_http_post(h, url, "application/json", big, n, NULL, &body, &a, NULL), 0);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(a.retries, 1);
    char *t = requests();
    ck_assert_int_eq(count_of(t, "Content-Length: 2097152\r\n"), 2);
    ck_assert_ptr_null(strstr(t, "Expect:"));
    ck_assert_int_eq(count_of(t, "\n=====\n"), 2);
    free(t);
    free(big);
}
END_TEST

START_TEST(get_after_post_is_a_get)
{
    const char *script[] = {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", OK_JSON, NULL};
    start(script);
    open_client();
    ck_assert_int_eq(df_http_post(h, url, "text/plain", "x", 1, NULL, NULL, &a, NULL), 0);
    ck_assert_int_eq(df_http_get(h, url, NULL, 0, &body, &a, NULL), 0);
    char *t = requests();
    ck_assert_int_eq(count_of(t, "POST /feed"), 1);
    ck_assert_int_eq(count_of(t, "GET /feed"), 1);
    free(t);
}
END_TEST

/* --- options ------------------------------------------------------------------------ */

/* The options from their defaults. */
static void options_setup(void)
{
    setup();
    df_http_settings_free(&s);
    df_http_settings_init(&s);
}

/* The options as a program reads them: DF_HTTP_LONG_OPTIONS in its table. */
START_TEST(options_through_getopt)
{
    static const struct option table[] = {
        {"once", no_argument, NULL, 'o'},
        DF_HTTP_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char a0[] = "prog", a1[] = "--timeout", a2[] = "7", a3[] = "--user=u:secret", a4[] = "--cacert",
         a5[] = "/ca.pem", a6[] = "--max-retries=-1", a7[] = "--retry-cap", a8[] = "0.5",
         a9[] = "--netrc", a10[] = "--once";
    char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, NULL};
    int argc = 11, c, others = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", table, NULL)) != -1) {
        if (df_http_is_option(c))
            ck_assert_int_eq(df_http_option(&s, c, optarg, NULL), 0);
        else
            others++;
    }
    ck_assert_int_eq(others, 1);
    ck_assert_int_eq(s.timeout, 7);
    ck_assert_str_eq(s.user, "u:secret");
    ck_assert_str_eq(a3, "--user=u:******"); /* out of the process list */
    ck_assert_str_eq(s.cacert, "/ca.pem");
    ck_assert_int_eq(s.max_retries, DF_HTTP_RETRY_FOREVER);
    ck_assert_double_eq_tol(s.backoff_cap, 0.5, 1e-12);
    ck_assert_double_eq_tol(s.backoff_base, 0.5, 1e-12); /* never above the cap */
    ck_assert(s.netrc);
    ck_assert(!df_http_is_option('o'));
}
END_TEST

START_TEST(options_refuse_bad_values)
{
    struct {
        int code;
        const char *arg;
        const char *message;
    } bad[] = {
        {DF_HTTP_OPT_TIMEOUT, "0", "--timeout wants seconds from 1 to 3600, not '0'"},
        {DF_HTTP_OPT_TIMEOUT, "3601", NULL},
        {DF_HTTP_OPT_TIMEOUT, " 5", NULL},
        {DF_HTTP_OPT_TIMEOUT, "5s", NULL},
        {DF_HTTP_OPT_MAX_RETRIES, "-2",
         "--max-retries wants -1 (without end) or a count, not '-2'"},
        {DF_HTTP_OPT_MAX_RETRIES, "", NULL},
        {DF_HTTP_OPT_RETRY_CAP, "0", "--retry-cap wants seconds from 0.001 to 86400, not '0'"},
        {DF_HTTP_OPT_RETRY_CAP, "1e3", NULL},
        {DF_HTTP_OPT_RETRY_CAP, "-1", NULL},
        {DF_HTTP_OPT_RETRY_CAP, "inf", NULL},
        {DF_HTTP_OPT_RETRY_CAP, "86401", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char arg[32];
        snprintf(arg, sizeof arg, "%s", bad[i].arg);
        df_error err = {0};
        ck_assert_int_eq(df_http_option(&s, bad[i].code, arg, &err), DF_EINVAL);
        if (bad[i].message != NULL)
            ck_assert_str_eq(err.message, bad[i].message);
    }
    ck_assert_int_eq(s.timeout, 30);
    ck_assert_int_eq(s.max_retries, DF_HTTP_RETRY_DEFAULT);
    ck_assert_double_eq_tol(s.backoff_cap, 60, 1e-12);
}
END_TEST

START_TEST(user_without_password_reads_the_environment)
{
    char user[] = "reader";
    df_error err = {0};
    unsetenv("DCMFEED_PASSWORD");
    ck_assert_int_eq(df_http_option(&s, DF_HTTP_OPT_USER, user, &err), DF_EINVAL);
    ck_assert_str_eq(err.message,
                     "--user reader has no password: give USER:PASSWORD or set DCMFEED_PASSWORD");
    ck_assert_ptr_null(s.user);
    setenv("DCMFEED_PASSWORD", "p:w", 1);
    ck_assert_int_eq(df_http_option(&s, DF_HTTP_OPT_USER, user, NULL), 0);
    ck_assert_str_eq(s.user, "reader:p:w");
    unsetenv("DCMFEED_PASSWORD");
    char other[] = "second:pw"; /* a second --user replaces the first */
    ck_assert_int_eq(df_http_option(&s, DF_HTTP_OPT_USER, other, NULL), 0);
    ck_assert_str_eq(s.user, "second:pw");
}
END_TEST

START_TEST(retries_default_is_the_program_s)
{
    ck_assert_int_eq(df_http_retries(&s, 8), 8);
    ck_assert_int_eq(df_http_retries(&s, 8), 8);
    ck_assert_int_eq(df_http_retries(&s, DF_HTTP_RETRY_FOREVER), DF_HTTP_RETRY_FOREVER);
    s.max_retries = 3;
    ck_assert_int_eq(df_http_retries(&s, 8), 3);
}
END_TEST

/* --- pure helpers ------------------------------------------------------------------- */

START_TEST(describe_answers)
{
    char why[DF_ERROR_MESSAGE_MAX];
    df_buf b;
    df_buf_init(&b, 4096);
    df_buf_append_str(&b, "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"limit must be "
                          "an integer from 1 to 100.\"}}");
    df_http_describe(400, &b, why, sizeof why);
    ck_assert_str_eq(why, "HTTP 400 InvalidParameter: limit must be an integer from 1 to 100.");
    df_buf_reset(&b);
    df_buf_append_str(&b, "\"Invalid offset\"");
    df_http_describe(400, &b, why, sizeof why);
    ck_assert_str_eq(why, "HTTP 400: Invalid offset");
    df_buf_reset(&b);
    df_buf_append_str(&b, "<html>Unauthorized</html>");
    df_http_describe(401, &b, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "--user USER:PASSWORD or --netrc"));
    df_http_describe(502, &b, why, sizeof why);
    ck_assert_str_eq(why, "HTTP 502");
    df_http_describe(500, NULL, why, sizeof why);
    ck_assert_str_eq(why, "HTTP 500");
    df_buf_free(&b);
}
END_TEST

START_TEST(header_lines)
{
    ck_assert(df_http_header_valid("Authorization: Bearer abc"));
    ck_assert(df_http_header_valid("X-Tenant:a"));
    ck_assert(df_http_header_valid("X-Empty:"));
    ck_assert(!df_http_header_valid("Authorization Bearer"));
    ck_assert(!df_http_header_valid(": value"));
    ck_assert(!df_http_header_valid("Bad Name: v"));
    ck_assert(!df_http_header_valid("X-A: v\r\nX-Injected: 1"));
    ck_assert(!df_http_header_valid("X-A: v\n"));
    ck_assert(!df_http_header_valid(""));
}
END_TEST

START_TEST(backoff_doubles_up_to_the_cap)
{
    /* unit 0.5 is the jitter's middle: factor 1. */
    ck_assert_double_eq_tol(df_http_backoff(0, 1, 60, 0, 0.5), 1, 1e-9);
    ck_assert_double_eq_tol(df_http_backoff(1, 1, 60, 0, 0.5), 2, 1e-9);
    ck_assert_double_eq_tol(df_http_backoff(3, 1, 60, 0, 0.5), 8, 1e-9);
    ck_assert_double_eq_tol(df_http_backoff(6, 1, 60, 0, 0.5), 60, 1e-9);
    ck_assert_double_eq_tol(df_http_backoff(1000000, 1, 60, 0, 0.5), 60, 1e-9);
    ck_assert_double_eq_tol(df_http_backoff(2, 0.25, 60, 0, 0.5), 1, 1e-9);
}
END_TEST

START_TEST(backoff_jitter_stays_within_20_percent)
{
    ck_assert_double_eq_tol(df_http_backoff(2, 1, 60, 0, 0), 3.2, 1e-9);
    ck_assert_double_eq_tol(df_http_backoff(2, 1, 60, 0, 0.999999), 4.8, 1e-5);
    for (int i = 0; i < 100; i++) {
        double d = df_http_backoff(10, 1, 60, 0, i / 100.0);
        ck_assert(d >= 48 && d <= 72);
    }
    ck_assert_double_eq_tol(df_http_jitter(5, 0), 4, 1e-9);
    ck_assert_double_eq_tol(df_http_jitter(5, 0.5), 5, 1e-9);
}
END_TEST

START_TEST(backoff_honours_retry_after)
{
    ck_assert_double_eq_tol(df_http_backoff(0, 1, 60, 5, 0.5), 5, 1e-9);
    ck_assert_double_eq_tol(df_http_backoff(0, 1, 60, 120, 0.5), 120, 1e-9);  /* past the cap */
    ck_assert_double_eq_tol(df_http_backoff(5, 1, 60, 5, 0.5), 32, 1e-9);     /* back-off longer */
    ck_assert_double_eq_tol(df_http_backoff(0, 1, 60, 1e9, 0.5), 3600, 1e-9); /* an hour at most */
}
END_TEST

/* A URL in a message or in -v's lines never shows its password. */
START_TEST(shown_urls_hide_the_password)
{
    char out[256];
    ck_assert_str_eq(df_http_shown_url("https://reader:s3cret@pacs/dicom/v1", out, sizeof out),
                     "https://reader:***@pacs/dicom/v1");
    ck_assert_str_eq(df_http_shown_url("http://reader@pacs/v1?offset=1", out, sizeof out),
                     "http://reader@pacs/v1?offset=1");
    ck_assert_str_eq(df_http_shown_url("https://pacs/dicom/v1?a=b@c", out, sizeof out),
                     "https://pacs/dicom/v1?a=b@c");
    /* A password with ':' in it: all of it goes. */
    ck_assert_str_eq(df_http_shown_url("https://u:p:w@h/x", out, sizeof out), "https://u:***@h/x");
    /* Cut to the buffer, never past it. */
    char small[12];
    df_http_shown_url("https://reader:s3cret@pacs/dicom/v1", small, sizeof small);
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
    ck_assert_ptr_null(strstr(small, "s3"));
}
END_TEST

static Suite *http_suite(void)
{
    Suite *suite = suite_create("http");
    TCase *tc = tcase_create("requests");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, get_returns_status_headers_and_body);
    tcase_add_test(tc, answers_not_retried_are_returned);
    tcase_add_test(tc, retried_statuses_are_tried_again);
    tcase_add_test(tc, gives_up_after_max_retries_with_the_server_s_message);
    tcase_add_test(tc, no_retries_means_one_try);
    tcase_add_test(tc, retry_after_is_honoured);
    tcase_add_test(tc, a_dropped_connection_is_retried);
    tcase_add_test(tc, a_timeout_is_retried);
    tcase_add_test(tc, extra_timeout_lets_a_server_hold_the_request);
    tcase_add_test(tc, connection_refused_is_unavailable);
    tcase_add_test(tc, body_ceiling_is_an_error);
    tcase_add_test(tc, basic_credentials_are_sent);
    tcase_add_test(tc, gzip_is_asked_for);
    tcase_add_test(tc, stop_ends_a_request_at_once);
    tcase_add_test(tc, stop_ends_a_retry_pause);
    tcase_add_test(tc, post_sends_body_type_and_headers);
    tcase_add_test(tc, post_retries_send_the_whole_body_again);
    tcase_add_test(tc, get_after_post_is_a_get);
    suite_add_tcase(suite, tc);

    tc = tcase_create("options");
    tcase_add_checked_fixture(tc, options_setup, teardown);
    tcase_add_test(tc, options_through_getopt);
    tcase_add_test(tc, options_refuse_bad_values);
    tcase_add_test(tc, user_without_password_reads_the_environment);
    tcase_add_test(tc, retries_default_is_the_program_s);
    suite_add_tcase(suite, tc);

    tc = tcase_create("helpers");
    tcase_add_test(tc, describe_answers);
    tcase_add_test(tc, header_lines);
    tcase_add_test(tc, backoff_doubles_up_to_the_cap);
    tcase_add_test(tc, backoff_jitter_stays_within_20_percent);
    tcase_add_test(tc, backoff_honours_retry_after);
    tcase_add_test(tc, shown_urls_hide_the_password);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *sr = srunner_create(http_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
