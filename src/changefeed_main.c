/* changefeed.fcgi: the responder's process. One binary, two modes: spawned by
 * a FastCGI server (fd 0 is a listening socket) it answers requests in a loop
 * with one open log; run by a CGI server or a shell it answers the one
 * request described by its environment and exits. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "responder.h"

/* Headers and body of the largest answer, plus room for the headers. */
#define OUT_MAX (DF_ANSWER_MAX + 16384u)

static const char out_of_memory_answer[] =
    "Status: 503 Service Unavailable\r\n"
    "Content-Type: application/json; charset=utf-8\r\n"
    "Cache-Control: no-store\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Retry-After: 5\r\n"
    "Content-Length: 108\r\n"
    "\r\n"
    "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":"
    "\"The change feed is temporarily unavailable; retry later.\"}}";

static volatile sig_atomic_t stopping;

/* SIGTERM between requests ends the accept wait (the handler is installed
 * without SA_RESTART and the request with FCGI_FAIL_ACCEPT_ON_INTR); during a
 * request it lets the request finish, and the loop ends after it. */
static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
    FCGX_ShutdownPending();
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL); /* Apache's mod_fcgid asks for a graceful stop with it */
    /* A client that went away must not kill the process serving others. */
    signal(SIGPIPE, SIG_IGN);
}

static const char *answer_bytes(const df_buf *out, size_t *len)
{
    if (df_buf_failed(out) || out->data == NULL) {
        *len = sizeof out_of_memory_answer - 1;
        return out_of_memory_answer;
    }
    *len = out->len;
    return out->data;
}

static int serve_cgi(df_responder *r, df_buf *out)
{
    df_http_request req = {
        .method = getenv("REQUEST_METHOD"),
        .path_info = getenv("PATH_INFO"),
        .request_uri = getenv("REQUEST_URI"),
        .script_name = getenv("SCRIPT_NAME"),
        .query_string = getenv("QUERY_STRING"),
    };
    df_responder_handle(r, &req, out);
    size_t len;
    const char *bytes = answer_bytes(out, &len);
    if (fwrite(bytes, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, "changefeed.fcgi: cannot write the answer: %s\n", strerror(errno));
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

static int serve_fastcgi(df_responder *r, df_buf *out)
{
    if (FCGX_Init() != 0) {
        fprintf(stderr, "changefeed.fcgi: cannot initialise FastCGI\n");
        return EXIT_FAILURE;
    }
    FCGX_Request request;
    if (FCGX_InitRequest(&request, 0, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
        fprintf(stderr, "changefeed.fcgi: cannot initialise a FastCGI request\n");
        return EXIT_FAILURE;
    }
    while (!stopping && FCGX_Accept_r(&request) >= 0) {
        df_http_request req = {
            .method = FCGX_GetParam("REQUEST_METHOD", request.envp),
            .path_info = FCGX_GetParam("PATH_INFO", request.envp),
            .request_uri = FCGX_GetParam("REQUEST_URI", request.envp),
            .script_name = FCGX_GetParam("SCRIPT_NAME", request.envp),
            .query_string = FCGX_GetParam("QUERY_STRING", request.envp),
        };
        df_responder_handle(r, &req, out);
        size_t len;
        const char *bytes = answer_bytes(out, &len);
        /* A client that hung up is not the service's problem: no log line. */
        FCGX_PutStr(bytes, (int)len, request.out);
        FCGX_Finish_r(&request);
    }
    FCGX_Free(&request, 1);
    return EXIT_SUCCESS;
}

static void usage(void)
{
    printf("Usage: changefeed.fcgi\n"
           "The dcmfeed change feed responder (%s). Run by a web server as FastCGI or CGI,\n"
           "or from a shell as CGI:\n"
           "  DCMFEED_DB=/var/lib/dcmfeed/feed.db QUERY_STRING='limit=5' \\\n"
           "  PATH_INFO=/v1/changefeed changefeed.fcgi\n"
           "Environment: DCMFEED_DB (the log, read-only), REQUEST_METHOD (default GET),\n"
           "PATH_INFO or REQUEST_URI, QUERY_STRING.\n",
           PACKAGE_VERSION);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        usage();
        return strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "--version") == 0
                   ? EXIT_SUCCESS
                   : 2;
    }
    install_signals();
    df_responder *r = df_responder_new(getenv("DCMFEED_DB"));
    if (r == NULL) {
        fprintf(stderr, "changefeed.fcgi: out of memory\n");
        return EXIT_FAILURE;
    }
    df_buf out;
    df_buf_init(&out, OUT_MAX);
    int rc = FCGX_IsCGI() ? serve_cgi(r, &out) : serve_fastcgi(r, &out);
    df_buf_free(&out);
    df_responder_free(r);
    return rc;
}
