/* changefeed.fcgi: the responder's process. One binary, two modes: spawned by
 * a FastCGI server (fd 0 is a listening socket) it answers requests with a
 * few threads, each with its own open log and buffers; run by a CGI server
 * or a shell it answers the one request its environment describes. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcgiapp.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "answer_cache.h"
#include "drainer.h"
#include "fcgi_out.h"
#include "num.h"
#include "responder.h"

/* An answer's headers. */
#define HEAD_MAX 16384u
/* The largest framed answer a slow client may leave with the drainer. */
#define PARK_MAX (HEAD_MAX + DF_ANSWER_MAX + DF_ANSWER_MAX / DF_FCGI_RECORD_MAX * 16u + 64u)
/* Bytes of answers waiting for slow clients, per process
 * (DCMFEED_SLOW_CLIENTS_MB), and how long one may take nothing before it is
 * cut: a client on a slow link always takes something, one that stopped
 * reading never does. */
#define SLOW_CLIENTS_MB_DEFAULT 256
#define SLOW_CLIENTS_MB_MAX     65536
/* Megabytes of finished answers a process keeps (DCMFEED_CACHE_MB; 0: none). */
#define CACHE_MB_MAX 65536
#define STALL_MS     60000
/* On a stop, how long parked answers still get to go out. */
#define STOP_GRACE_MS 5000
/* Allocations from this size on get pages of their own, given back to the
 * system when freed. glibc raises its threshold to the size of the largest
 * block freed (up to 32 MiB), after which a 13 MB answer's buffer stays in the
 * process's heap for good; a fixed threshold turns that off. */
#define MMAP_THRESHOLD (256 * 1024)
/* Threads of a FastCGI process (DCMFEED_THREADS): requests answered at once.
 * A few suffice for immediate answers; wait=N holds one thread per waiter. */
#define THREADS_DEFAULT 4
#define THREADS_MAX     64

static const char out_of_memory_head[] = "Status: 503 Service Unavailable\r\n"
                                         "Content-Type: application/json; charset=utf-8\r\n"
                                         "Cache-Control: no-store\r\n"
                                         "X-Content-Type-Options: nosniff\r\n"
                                         "Retry-After: 5\r\n"
                                         "Content-Length: 108\r\n"
                                         "\r\n";
static const char out_of_memory_body[] =
    "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":"
    "\"The change feed is temporarily unavailable; retry later.\"}}";

static df_responder_shared shared;
static df_drainer *drainer;
/* DCMFEED_METADATA, parsed once (profile.h), and why it did not parse. */
static df_profile profile;
static df_error profile_error;

struct worker {
    pthread_t thread;
    df_responder *responder;
    df_answer out;
    df_buf park; /* the framed rest of an answer a slow client left */
};

/* Accepting is serialised, as libfcgi's threaded example does: one thread
 * waits in accept() at a time, the others wait for it. */
static pthread_mutex_t accept_lock = PTHREAD_MUTEX_INITIALIZER;

/* Reads a small positive setting from the environment; an invalid value is
 * logged and the default used, so that a typo does not take the feed down. */
static int env_int(const char *name, int def, int min, int max)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return def;
    int64_t n = 0;
    if (df_parse_i64(v, strlen(v), min, max, &n) != DF_NUM_OK) {
        fprintf(stderr, "changefeed.fcgi: %s must be an integer from %d to %d; using %d\n", name,
                min, max, def);
        return def;
    }
    return (int)n;
}

/* The answer's pieces; a fixed 503 when its headers could not be made. */
static int answer_parts(const df_answer *out, struct iovec *parts)
{
    if (df_buf_failed(&out->head) || out->head.data == NULL) {
        parts[0] = (struct iovec){(void *)out_of_memory_head, sizeof out_of_memory_head - 1};
        parts[1] = (struct iovec){(void *)out_of_memory_body, sizeof out_of_memory_body - 1};
        return 2;
    }
    parts[0] = (struct iovec){out->head.data, out->head.len};
    parts[1] = (struct iovec){(void *)out->body, out->body_len};
    return 2;
}

/* A CGI server passes a request's body on stdin. None of our routes takes
 * one, but a process that exits without reading it makes some servers
 * (Apache's mod_cgid) reset the connection before the answer is out; so up to
 * this much of it is read and dropped before answering. */
#define CGI_BODY_DRAIN_MAX (1024 * 1024)
#define CGI_BODY_CHUNK     16384

static void drain_cgi_body(void)
{
    const char *cl = getenv("CONTENT_LENGTH");
    int64_t left = 0;
    /* More than is drained, even past 64 bits: the most is drained. */
    if (cl != NULL && df_parse_i64(cl, strlen(cl), 0, CGI_BODY_DRAIN_MAX, &left) == DF_NUM_RANGE)
        left = CGI_BODY_DRAIN_MAX;
    char chunk[CGI_BODY_CHUNK];
    while (left > 0) {
        size_t n =
            fread(chunk, 1, (size_t)left < sizeof chunk ? (size_t)left : sizeof chunk, stdin);
        if (n == 0)
            break;
        left -= (int64_t)n;
    }
}

static int serve_cgi(df_responder *r, df_answer *out)
{
    drain_cgi_body();
    df_http_request req = {
        .method = getenv("REQUEST_METHOD"),
        .path_info = getenv("PATH_INFO"),
        .request_uri = getenv("REQUEST_URI"),
        .script_name = getenv("SCRIPT_NAME"),
        .query_string = getenv("QUERY_STRING"),
        .if_none_match = getenv("HTTP_IF_NONE_MATCH"),
        .accept_encoding = getenv("HTTP_ACCEPT_ENCODING"),
    };
    df_responder_handle(r, &req, out);
    struct iovec parts[2];
    int n = answer_parts(out, parts);
    bool written = true;
    /* An answer without a body (HEAD, 304) has a NULL part: not for fwrite. */
    for (int i = 0; i < n; i++)
        if (parts[i].iov_len > 0)
            written = written &&
                      fwrite(parts[i].iov_base, 1, parts[i].iov_len, stdout) == parts[i].iov_len;
    if (!written || fflush(stdout) != 0) {
        fprintf(stderr, "changefeed.fcgi: cannot write the answer: %s\n", strerror(errno));
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

/* Sends the answer and ends the request's stream (fcgi_out.h) without ever
 * waiting for the web server: what its socket does not take at once goes to
 * the drainer with the connection. Either way libfcgi must write nothing
 * more on it: its closing records would come after our END_REQUEST, or in
 * the middle of the parked rest. */
static void send_answer(struct worker *w, FCGX_Request *request)
{
    struct iovec parts[2];
    df_fcgi_answer a = {.request_id = (uint16_t)request->requestId};
    a.nparts = answer_parts(&w->out, parts);
    a.parts = parts;
    int rc = df_fcgi_send(request->ipcFd, &a);
    request->out->wasFCloseCalled = 1;
    request->err->wasFCloseCalled = 1;
    /* One request per connection, whatever FCGI_KEEP_CONN says. A kept
     * connection would hold this thread in FCGX_Accept_r reading it,
     * under the accept lock, while the web server sends its next
     * requests on other connections nobody accepts: Apache's
     * `enablereuse=on` gave every other request a 504. Closed, the
     * server sees it closed and connects again. */
    request->keepConnection = 0;
    if (rc == 0)
        return;
    if (rc == 1) {
        df_error err = {0};
        df_buf_reset(&w->park);
        if (df_fcgi_copy_rest(&a, &w->park) == 0 &&
            df_drainer_park(drainer, request->ipcFd, &w->park, 0, &err) == 0) {
            /* The drainer owns the connection now; libfcgi closes nothing. */
            request->ipcFd = -1;
            return;
        }
        if (err.code == 0)
            df_error_set(&err, DF_ENOMEM, "out of memory");
        char line[DF_ERROR_MESSAGE_MAX + 64];
        snprintf(line, sizeof line, "changefeed.fcgi: an answer for a slow client is cut: %s\n",
                 err.message);
        fputs(line, stderr);
        df_buf_trim(&w->park, 0);
    }
    /* A client that hung up is not the service's problem: no log line. Never
     * let a cut-off answer end as if whole: the server then sees a broken
     * connection, not a short page. */
    shutdown(request->ipcFd, SHUT_RDWR);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    FCGX_Request request;
    if (FCGX_InitRequest(&request, 0, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
        fprintf(stderr, "changefeed.fcgi: cannot initialise a FastCGI request\n");
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&accept_lock);
        int rc = atomic_load(&shared.stopping) ? -1 : FCGX_Accept_r(&request);
        pthread_mutex_unlock(&accept_lock);
        if (rc < 0)
            break;
        df_http_request req = {
            .method = FCGX_GetParam("REQUEST_METHOD", request.envp),
            .path_info = FCGX_GetParam("PATH_INFO", request.envp),
            .request_uri = FCGX_GetParam("REQUEST_URI", request.envp),
            .script_name = FCGX_GetParam("SCRIPT_NAME", request.envp),
            .query_string = FCGX_GetParam("QUERY_STRING", request.envp),
            .if_none_match = FCGX_GetParam("HTTP_IF_NONE_MATCH", request.envp),
            .accept_encoding = FCGX_GetParam("HTTP_ACCEPT_ENCODING", request.envp),
            .metadata = FCGX_GetParam("DCMFEED_METADATA", request.envp),
        };
        df_responder_handle(w->responder, &req, &w->out);
        send_answer(w, &request);
        df_responder_end(w->responder);
        FCGX_Finish_r(&request);
    }
    FCGX_Free(&request, 0);
    return NULL;
}

/* The main thread only waits for a stop signal (the workers block them), then
 * wakes the thread in accept() by shutting the listening socket down; threads
 * in a request finish it (a waiting one at once), and the process exits 0. */
static int serve_fastcgi(const char *db)
{
    if (FCGX_Init() != 0) {
        fprintf(stderr, "changefeed.fcgi: cannot initialise FastCGI\n");
        return EXIT_FAILURE;
    }
    int nthreads = env_int("DCMFEED_THREADS", THREADS_DEFAULT, 1, THREADS_MAX);
    /* At least one thread always stays free for immediate answers. */
    int max_waiting = nthreads - 1 < DF_MAX_WAITERS_DEFAULT ? nthreads - 1 : DF_MAX_WAITERS_DEFAULT;
    shared.max_waiting = env_int("DCMFEED_MAX_WAITERS", max_waiting, 0, nthreads - 1);

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    sigaddset(&stop, SIGUSR1); /* Apache's mod_fcgid asks for a graceful stop with it */
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    int slow_mb =
        env_int("DCMFEED_SLOW_CLIENTS_MB", SLOW_CLIENTS_MB_DEFAULT, 1, SLOW_CLIENTS_MB_MAX);
    df_error err = {0};
    if (df_drainer_start((size_t)slow_mb << 20, STALL_MS, &drainer, &err) != 0) {
        fprintf(stderr, "changefeed.fcgi: %s\n", err.message);
        return EXIT_FAILURE;
    }

    int cache_mb = env_int("DCMFEED_CACHE_MB", DF_ANSWER_CACHE_MB_DEFAULT, 0, CACHE_MB_MAX);
    /* Without memory for it, the feed answers without a cache. */
    if (cache_mb > 0 && (shared.cache = df_answer_cache_new((size_t)cache_mb << 20)) == NULL)
        fprintf(stderr, "changefeed.fcgi: out of memory for the answer cache; none kept\n");

    struct worker *workers = calloc((size_t)nthreads, sizeof *workers);
    int started = 0;
    int rc = EXIT_SUCCESS;
    for (; workers != NULL && started < nthreads; started++) {
        struct worker *w = &workers[started];
        df_buf_init(&w->out.head, HEAD_MAX);
        df_buf_init(&w->park, PARK_MAX);
        w->responder = df_responder_new(db, &shared);
        if (w->responder == NULL || pthread_create(&w->thread, NULL, work, w) != 0) {
            df_responder_free(w->responder);
            break;
        }
    }
    if (started < nthreads) {
        fprintf(stderr, "changefeed.fcgi: cannot start %d threads\n", nthreads);
        rc = EXIT_FAILURE;
        atomic_store(&shared.stopping, true);
    } else {
        int sig;
        sigwait(&stop, &sig);
        atomic_store(&shared.stopping, true);
    }
    FCGX_ShutdownPending();
    shutdown(0, SHUT_RDWR);
    for (int i = 0; i < started; i++) {
        pthread_join(workers[i].thread, NULL);
        df_responder_free(workers[i].responder);
        df_buf_free(&workers[i].out.head);
        df_buf_free(&workers[i].park);
    }
    free(workers);
    df_answer_cache_free(shared.cache);
    df_drainer_stop(drainer, STOP_GRACE_MS);
    return rc;
}

static void usage(FILE *to)
{
    fprintf(to,
            "Usage: changefeed.fcgi\n"
            "The dcmfeed change feed responder (%s). Run by a web server as FastCGI or CGI,\n"
            "or from a shell as CGI:\n"
            "  DCMFEED_DB=/var/lib/dcmfeed/feed.db QUERY_STRING='limit=5' \\\n"
            "  PATH_INFO=/v1/changefeed changefeed.fcgi\n"
            "Environment:\n"
            "  DCMFEED_DB           the log (opened read-only)\n"
            "  DCMFEED_THREADS      FastCGI: requests served at once per process (default %d)\n"
            "  DCMFEED_MAX_WAITERS  requests that may hold for news (wait=N) at once; past it\n"
            "                       they answer at once (default: the smaller of %d and\n"
            "                       THREADS - 1; as CGI, default %d and 0 turns waiting off)\n"
            "  DCMFEED_SLOW_CLIENTS_MB  FastCGI: megabytes of answers a process holds for\n"
            "                       clients that read slowly (default %d); past it, an answer\n"
            "                       the web server does not take at once is cut\n"
            "  DCMFEED_CACHE_MB     FastCGI: megabytes of finished answers a process keeps\n"
            "                       for clients asking for the same page before the log\n"
            "                       changes (default %d; 0: none)\n"
            "  DCMFEED_METADATA     what Metadata this route shows: full (default), none,\n"
            "                       deid (PS3.15 Basic Profile, Retain UIDs Option) or\n"
            "                       allow:FILE (the attributes FILE names, one per line);\n"
            "                       FastCGI: a request variable of that name (the server's,\n"
            "                       per route) wins over the process's; a setting that does\n"
            "                       not parse answers 503\n"
            "  REQUEST_METHOD (default GET), PATH_INFO or REQUEST_URI, QUERY_STRING,\n"
            "  HTTP_IF_NONE_MATCH   the request, as a CGI server sets them\n",
            PACKAGE_VERSION, THREADS_DEFAULT, DF_MAX_WAITERS_DEFAULT, DF_MAX_WAITERS_DEFAULT,
            SLOW_CLIENTS_MB_DEFAULT, DF_ANSWER_CACHE_MB_DEFAULT);
}

int main(int argc, char **argv)
{
    /* A CGI server passes a query without '=' as arguments too (RFC 3875
     * 4.4: Apache's mod_cgi does): under a server (GATEWAY_INTERFACE set)
     * the request is in the environment, and arguments mean nothing. */
    if (argc > 1 && getenv("GATEWAY_INTERFACE") == NULL) {
        bool asked = strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "--version") == 0;
        usage(asked ? stdout : stderr);
        return asked ? EXIT_SUCCESS : 2;
    }
    /* A client that went away must not kill the process serving others. */
    signal(SIGPIPE, SIG_IGN);
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    const char *db = getenv("DCMFEED_DB");
    if (df_profile_parse(getenv("DCMFEED_METADATA"), &profile, &profile_error) != 0)
        shared.profile_error = profile_error.message;
    shared.profile = &profile;
    if (!FCGX_IsCGI()) {
        int rc = serve_fastcgi(db);
        df_profile_free(&profile);
        return rc;
    }

    shared.max_waiting = env_int("DCMFEED_MAX_WAITERS", DF_MAX_WAITERS_DEFAULT, 0, THREADS_MAX);
    df_responder *r = df_responder_new(db, &shared);
    if (r == NULL) {
        fprintf(stderr, "changefeed.fcgi: out of memory\n");
        return EXIT_FAILURE;
    }
    df_answer out = {0};
    df_buf_init(&out.head, HEAD_MAX);
    int rc = serve_cgi(r, &out);
    df_buf_free(&out.head);
    df_responder_free(r);
    df_profile_free(&profile);
    return rc;
}
