/* The FastCGI floor of the benchmarks (tests/bench/run): a responder that
 * does no work. A request for …/NAME is answered with the bytes of the
 * file $NULL_FCGI_DIR/NAME, a whole CGI answer (Status, headers, blank line,
 * body) recorded from changefeed.fcgi run as CGI for the same request, so the
 * web server gets the very bytes the feed would send it. Each file is read
 * once and then kept in memory, and written as changefeed.fcgi writes its
 * answers (src/fcgi_out.h). What the web server and this program spend on a
 * request is the least any FastCGI responder can cost it: the rest of the
 * feed's figure is the responder's own work.
 *
 * Built with the tests (Makefile.am: bench_programs) against libdcmfeed.a and libfcgi;
 * one thread, as many processes as the web server starts. Not installed. */
#include "fcgi_out.h"

#include <fcgiapp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 64
#define MAX_NAME  128
#define MAX_BYTES (64u << 20)

struct answer {
    char name[MAX_NAME];
    char *bytes; /* owned, malloc'd */
    size_t len;
};

static struct answer answers[MAX_FILES];
static int nanswers;

static const char not_found[] = "Status: 404 Not Found\r\nContent-Length: 0\r\n\r\n";

/* The answer for NAME, read from dir on first use; NULL if there is no such
 * file (or it is too big, or the table is full). */
static const struct answer *answer_for(const char *dir, const char *name)
{
    if (strlen(name) >= MAX_NAME || name[0] == '\0' || name[0] == '.')
        return NULL;
    for (int i = 0; i < nanswers; i++)
        if (strcmp(answers[i].name, name) == 0)
            return &answers[i];
    if (nanswers == MAX_FILES)
        return NULL;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct answer *a = &answers[nanswers];
    a->bytes = malloc(MAX_BYTES);
    a->len = a->bytes != NULL ? fread(a->bytes, 1, MAX_BYTES, f) : 0;
    int bad = a->bytes == NULL || ferror(f) || a->len == MAX_BYTES;
    fclose(f);
    if (bad) {
        free(a->bytes);
        return NULL;
    }
    char *fitted = realloc(a->bytes, a->len > 0 ? a->len : 1);
    if (fitted != NULL)
        a->bytes = fitted;
    snprintf(a->name, sizeof a->name, "%s", name);
    nanswers++;
    return a;
}

int main(void)
{
    const char *dir = getenv("NULL_FCGI_DIR");
    if (dir == NULL || FCGX_Init() != 0) {
        fprintf(stderr, "null_fcgi: NULL_FCGI_DIR is not set, or FastCGI cannot start\n");
        return EXIT_FAILURE;
    }
    FCGX_Request request;
    if (FCGX_InitRequest(&request, 0, 0) != 0)
        return EXIT_FAILURE;
    while (FCGX_Accept_r(&request) >= 0) {
        /* The name is the last segment of the URI's path: lighttpd and
         * Apache's mod_proxy_fcgi split it between SCRIPT_NAME and PATH_INFO
         * each their own way, both send REQUEST_URI whole. */
        const char *uri = FCGX_GetParam("REQUEST_URI", request.envp);
        char name[MAX_NAME] = "";
        if (uri != NULL) {
            size_t end = strcspn(uri, "?");
            size_t start = end;
            while (start > 0 && uri[start - 1] != '/')
                start--;
            if (end - start < sizeof name) {
                memcpy(name, uri + start, end - start);
                name[end - start] = '\0';
            }
        }
        const struct answer *a = answer_for(dir, name);
        const char *bytes = a != NULL ? a->bytes : not_found;
        size_t len = a != NULL ? a->len : sizeof not_found - 1;
        /* Framed and ended as the feed does (changefeed_main.c); a full
         * socket is waited for here, where the feed parks the rest. */
        struct iovec part = {(void *)bytes, len};
        df_fcgi_answer out = {
            .request_id = (uint16_t)request.requestId, .parts = &part, .nparts = 1};
        struct pollfd wait = {.fd = request.ipcFd, .events = POLLOUT};
        while (df_fcgi_send(request.ipcFd, &out) == 1 && poll(&wait, 1, -1) >= 0)
            ;
        request.out->wasFCloseCalled = 1;
        request.err->wasFCloseCalled = 1;
        FCGX_Finish_r(&request);
    }
    return EXIT_SUCCESS;
}
