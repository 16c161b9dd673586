/* dcmfeed-pull: follows a change feed over HTTP and hands each entry, in
 * order and once, to stdout (JSON Lines) or to a command; the flow itself is
 * pull.c. This file holds the options, the two ways of processing an entry,
 * the signals and the exit codes. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "num.h"
#include "pull.h"
#include "pull_state.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

extern char **environ;

enum {
    EXIT_DONE = 0,
    EXIT_INTERNAL = 1,
    EXIT_USAGE = 2,
    EXIT_STATE = 3,
    EXIT_REJECTED = 4,
    EXIT_AUTH = 5,
    EXIT_UNAVAILABLE = 6,
    EXIT_PROTOCOL = 7,
    EXIT_HANDLER = 8,
};

static const char usage_text[] =
    "Usage: dcmfeed-pull [OPTION]... URL\n"
    "Reads a DICOM change feed from URL (its base with the API version, e.g.\n"
    "https://pacs.example/dicom/v1) in Sequence order and processes each entry once:\n"
    "writes it as one line of JSON to stdout, or runs --exec CMD with it.\n"
    "\n"
    "Where to start:\n"
    "  --state FILE        resume after the Sequence stored in FILE, and store each\n"
    "                      entry's Sequence there once it is processed (atomically;\n"
    "                      FILE.lock keeps a second consumer away)\n"
    "  --from-start        without a state: from the first entry (the default)\n"
    "  --from-latest       without a state: only entries newer than now\n"
    "How long:\n"
    "  --once              read to the end of the feed and exit (the default)\n"
    "  --follow            keep reading: poll an empty feed every --interval\n"
    "  --interval SECONDS  pause between polls of an empty feed, +-20 % (0.1 or\n"
    "                      more, default 5)\n"
    "  --wait SECONDS      with --follow, ask the server to hold an empty answer\n"
    "                      until news arrive, up to SECONDS (0-60, default 20; 0 off)\n"
    "Processing:\n"
    "  --exec CMD          run CMD with /bin/sh -c for each entry: the entry's JSON on\n"
    "                      stdin; DCMFEED_SEQUENCE, DCMFEED_ACTION, DCMFEED_STATE,\n"
    "                      DCMFEED_STUDY_UID, DCMFEED_SERIES_UID, DCMFEED_SOP_UID and\n"
    "                      DCMFEED_TIMESTAMP in its environment. A non-zero exit\n"
    "                      stops the pull before that entry (exit 8)\n"
    "  --limit N           entries per request (default 100; the server caps it)\n"
    "  --no-metadata       ask for entries without Metadata\n"
    "HTTP (--timeout counts beyond --wait; --max-retries is 8 by default, without\n"
    "end with --follow):\n" DF_HTTP_OPTIONS_HELP "Other:\n"
    "  -q, --quiet         report errors only, not retries\n"
    "  -v, --verbose       report every request\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "SIGINT or SIGTERM finishes the entry in flight, keeps the state and exits 0; a\n"
    "second signal stops the --exec command (its entry is offered again next run).\n"
    "\n"
    "Exit status:\n"
    "  0  the end of the feed was reached (--once), or stopped by a signal\n"
    "  1  internal error (out of memory)\n"
    "  2  usage error\n"
    "  3  the state file is corrupt or unreadable, cannot be written, or is in use\n"
    "     by another dcmfeed-pull\n"
    "  4  the server refused the request (4xx, a redirect): its message is shown\n"
    "  5  authentication failed (401 or 403): give --user or --netrc\n"
    "  6  the server stayed unreachable or failing (network, TLS, 5xx) past\n"
    "     --max-retries\n"
    "  7  the server's answer is not a valid page (bad JSON, a gap or a repeat in\n"
    "     the Sequences): nothing of that page was processed\n"
    "  8  an entry could not be processed (--exec CMD failed, stdout closed); the\n"
    "     state stays before it\n";

static volatile sig_atomic_t stop_requests;
static pid_t child; /* the --exec command running now, 0 when none */

static void on_signal(int sig)
{
    (void)sig;
    if (stop_requests < 2)
        stop_requests++;
}

static int exit_code(int rc)
{
    switch (rc) {
    case 0:
        return EXIT_DONE;
    case DF_EINVAL:
    case DF_EIO:
    case DF_EBUSY:
        return EXIT_STATE;
    case DF_EPULL_REJECTED:
        return EXIT_REJECTED;
    case DF_EPULL_AUTH:
        return EXIT_AUTH;
    case DF_EPULL_UNAVAILABLE:
        return EXIT_UNAVAILABLE;
    case DF_EPULL_PROTOCOL:
        return EXIT_PROTOCOL;
    case DF_EPULL_HANDLER:
        return EXIT_HANDLER;
    default:
        return EXIT_INTERNAL;
    }
}

/* --- stdout: one entry per line -------------------------------------------- */

static int write_line(void *ctx, const df_pull_entry *e, df_error *err)
{
    (void)ctx;
    /* A stop request arriving now waits until the line is out: an
     * interrupted write would leave half a line for the reader. */
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigprocmask(SIG_BLOCK, &stops, &old);
    /* The state moves past the entry only after the line left the process. */
    int rc = 0;
    if (fwrite(e->json, 1, e->json_len, stdout) != e->json_len || putchar('\n') == EOF ||
        fflush(stdout) != 0)
        rc = df_error_set(err, DF_EIO, "cannot write to stdout: %s", strerror(errno));
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* --- --exec CMD ----------------------------------------------------------------- */

typedef struct exec_ctx {
    const char *command;
} exec_ctx;

static const char *const entry_vars[] = {
    "DCMFEED_SEQUENCE",   "DCMFEED_ACTION",  "DCMFEED_STATE",     "DCMFEED_STUDY_UID",
    "DCMFEED_SERIES_UID", "DCMFEED_SOP_UID", "DCMFEED_TIMESTAMP",
};
#define ENTRY_VARS (sizeof entry_vars / sizeof entry_vars[0])

static bool is_entry_var(const char *assignment)
{
    for (size_t i = 0; i < ENTRY_VARS; i++) {
        size_t n = strlen(entry_vars[i]);
        if (strncmp(assignment, entry_vars[i], n) == 0 && assignment[n] == '=')
            return true;
    }
    return false;
}

/* The command's environment: ours without stale entry variables, then the
 * entry's. Built before the spawn, so the child only calls exec. Returns
 * NULL when out of memory; frees with free_env. */
static void free_env(char **env);

static char **entry_env(const df_pull_entry *e)
{
    size_t n = 0;
    while (environ[n] != NULL)
        n++;
    char **env = calloc(n + ENTRY_VARS + 1, sizeof *env);
    if (env == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!is_entry_var(environ[i]))
            env[k++] = environ[i];
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)e->sequence);
    const char *values[ENTRY_VARS] = {seq,           e->action,  e->state,    e->study_uid,
                                      e->series_uid, e->sop_uid, e->timestamp};
    for (size_t i = 0; i < ENTRY_VARS; i++) {
        if (values[i] == NULL)
            continue;
        size_t len = strlen(entry_vars[i]) + 1 + strlen(values[i]) + 1;
        char *a = malloc(len);
        if (a == NULL) {
            env[k] = NULL;
            free_env(env);
            return NULL;
        }
        snprintf(a, len, "%s=%s", entry_vars[i], values[i]);
        env[k++] = a;
    }
    env[k] = NULL;
    return env;
}

static void free_env(char **env)
{
    if (env == NULL)
        return;
    for (size_t i = 0; env[i] != NULL; i++)
        if (is_entry_var(env[i]))
            free(env[i]);
    free(env);
}

static int run_command(void *ctx, const df_pull_entry *e, df_error *err)
{
    const exec_ctx *x = ctx;
    int rc = 0, pipe_fd[2] = {-1, -1};
    char **env = entry_env(e);
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    bool have_actions = false, have_attr = false;
    if (env == NULL || pipe2(pipe_fd, O_CLOEXEC) != 0) {
        rc = df_error_set(err, DF_ENOMEM, "cannot prepare the command: %s", strerror(errno));
        goto out;
    }
    /* The command runs in its own process group: a Ctrl-C at the terminal
     * stops dcmfeed-pull after this entry instead of killing the command
     * halfway through it. It gets default signal handling back. */
    sigset_t defaults, none;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    have_actions = posix_spawn_file_actions_init(&actions) == 0;
    have_attr = have_actions && posix_spawnattr_init(&attr) == 0;
    if (!have_attr || posix_spawn_file_actions_adddup2(&actions, pipe_fd[0], 0) != 0 ||
        posix_spawnattr_setpgroup(&attr, 0) != 0 ||
        posix_spawnattr_setsigdefault(&attr, &defaults) != 0 ||
        posix_spawnattr_setsigmask(&attr, &none) != 0 ||
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                            POSIX_SPAWN_SETSIGMASK) != 0) {
        rc = df_error_set(err, DF_ENOMEM, "cannot prepare the command");
        goto out;
    }
    char *argv[] = {"sh", "-c", (char *)x->command, NULL};
    int spawned = posix_spawn(&child, "/bin/sh", &actions, &attr, argv, env);
    if (spawned != 0) {
        child = 0;
        rc = df_error_set(err, DF_EIO, "cannot run /bin/sh: %s", strerror(spawned));
        goto out;
    }
    close(pipe_fd[0]);
    pipe_fd[0] = -1;
    /* A command that does not read its stdin closes the pipe early: EPIPE
     * (SIGPIPE is ignored) is then no error of ours. */
    if ((df_pull_write_all(pipe_fd[1], e->json, e->json_len) != 0 ||
         df_pull_write_all(pipe_fd[1], "\n", 1) != 0) &&
        errno != EPIPE) {
        rc = df_error_set(err, DF_EIO, "cannot write to the command: %s", strerror(errno));
    }
    close(pipe_fd[1]);
    pipe_fd[1] = -1;
    int status = 0;
    bool killed_by_us = false;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            rc = df_error_set(err, DF_EIO, "cannot wait for the command: %s", strerror(errno));
            child = 0;
            goto out;
        }
        if (stop_requests >= 2 && !killed_by_us) {
            kill(-child, SIGTERM);
            killed_by_us = true;
        }
    }
    child = 0;
    if (rc != 0)
        goto out;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        goto out;
    if (WIFEXITED(status))
        rc = df_error_set(err, DF_EIO, "the command exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        rc = df_error_set(err, DF_EIO, "the command was killed by signal %d%s", WTERMSIG(status),
                          killed_by_us ? " (a second stop request)" : "");
    else
        rc = df_error_set(err, DF_EIO, "the command failed");
out:
    if (have_attr)
        posix_spawnattr_destroy(&attr);
    if (have_actions)
        posix_spawn_file_actions_destroy(&actions);
    if (pipe_fd[0] >= 0)
        close(pipe_fd[0]);
    if (pipe_fd[1] >= 0)
        close(pipe_fd[1]);
    free_env(env);
    return rc;
}

/* --- options ---------------------------------------------------------------------- */

static bool parse_long(const char *s, long min, long max, long *out)
{
    int64_t v = 0;
    if (s == NULL || df_parse_i64(s, strlen(s), min, max, &v) != DF_NUM_OK)
        return false;
    *out = (long)v;
    return true;
}

static bool parse_seconds(const char *s, double max, double *out)
{
    return df_parse_seconds(s, max, out) == DF_NUM_OK;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dcmfeed-pull: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'dcmfeed-pull --help'.\n", stderr);
    return EXIT_USAGE;
}

enum {
    OPT_STATE = 256,
    OPT_FROM_START,
    OPT_FROM_LATEST,
    OPT_ONCE,
    OPT_FOLLOW,
    OPT_INTERVAL,
    OPT_WAIT,
    OPT_EXEC,
    OPT_LIMIT,
    OPT_NO_METADATA,
};

static const struct option long_options[] = {
    {"state", required_argument, NULL, OPT_STATE},
    {"from-start", no_argument, NULL, OPT_FROM_START},
    {"from-latest", no_argument, NULL, OPT_FROM_LATEST},
    {"once", no_argument, NULL, OPT_ONCE},
    {"follow", no_argument, NULL, OPT_FOLLOW},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"wait", required_argument, NULL, OPT_WAIT},
    {"exec", required_argument, NULL, OPT_EXEC},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"no-metadata", no_argument, NULL, OPT_NO_METADATA},
    DF_HTTP_LONG_OPTIONS,
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
    df_pull_options o;
    df_pull_options_init(&o);
    o.http.user_agent = "dcmfeed-pull/" PACKAGE_VERSION;
    o.http.name = "dcmfeed-pull";
    o.http.stop = &stop_requests;
    const char *command = NULL;
    df_error oerr = {0};
    int orc;
    long n;
    int c;
    while ((c = getopt_long(argc, argv, "qvhV", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_STATE:
            o.state_path = optarg;
            break;
        case OPT_FROM_START:
            o.from_latest = false;
            break;
        case OPT_FROM_LATEST:
            o.from_latest = true;
            break;
        case OPT_ONCE:
            o.follow = false;
            break;
        case OPT_FOLLOW:
            o.follow = true;
            break;
        case OPT_INTERVAL:
            /* Not below 0.1 s: a consumer must never poll an idle server hot. */
            if (!parse_seconds(optarg, 86400, &o.interval) || o.interval < 0.1)
                return usage_error("--interval wants seconds from 0.1 to 86400, not '%s'", optarg);
            break;
        case OPT_WAIT:
            if (!parse_long(optarg, 0, DF_PULL_WAIT_MAX, &n))
                return usage_error("--wait wants seconds from 0 to 60, not '%s'", optarg);
            o.wait = (int)n;
            break;
        case OPT_EXEC:
            command = optarg;
            break;
        case OPT_LIMIT:
            if (!parse_long(optarg, 1, 1000000, &n))
                return usage_error("--limit wants a positive number, not '%s'", optarg);
            o.limit = (int)n;
            break;
        case OPT_NO_METADATA:
            o.include_metadata = false;
            break;
        case 'q':
            o.http.verbosity = 0;
            break;
        case 'v':
            o.http.verbosity = 2;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_DONE;
        case 'V':
            puts("dcmfeed-pull " PACKAGE_VERSION);
            return EXIT_DONE;
        default:
            if (df_http_is_option(c)) {
                orc = df_http_option(&o.http, c, optarg, &oerr);
                if (orc == DF_ENOMEM) {
                    fputs("dcmfeed-pull: out of memory\n", stderr);
                    return EXIT_INTERNAL;
                }
                if (orc != 0)
                    return usage_error("%s", oerr.message);
                break;
            }
            fputs("Try 'dcmfeed-pull --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1)
        return usage_error("%s", optind == argc ? "give the feed's URL, e.g. "
                                                  "https://pacs.example/dicom/v1"
                                                : "give exactly one URL");
    o.url = argv[optind];
    /* The password has been read: --exec commands do not inherit it. */
    unsetenv("DCMFEED_PASSWORD");
    if (strncmp(o.url, "http://", 7) != 0 && strncmp(o.url, "https://", 8) != 0) {
        char shown[2048];
        return usage_error("the URL must start with http:// or https://, not '%s'",
                           df_http_shown_url(o.url, shown, sizeof shown));
    }

    /* No SA_RESTART: a signal interrupts a pause or a wait for the command. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    exec_ctx x = {command};
    df_error err = {0};
    int64_t last = 0;
    int rc = df_pull_run(&o, command != NULL ? run_command : write_line,
                         command != NULL ? (void *)&x : NULL, &last, &err);
    if (rc != 0)
        fprintf(stderr, "dcmfeed-pull: %s\n", err.message[0] ? err.message : "failed");
    else if (stop_requests > 0 && o.http.verbosity > 0)
        fprintf(stderr, "dcmfeed-pull: stopped after Sequence %lld\n", (long long)last);
    df_http_settings_free(&o.http);
    return exit_code(rc);
}
