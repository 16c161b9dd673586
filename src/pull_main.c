/* dcmfeed-pull: follows a change feed over HTTP and hands each entry, in
 * order and once, to stdout (JSON Lines) or to a command; the flow itself is
 * pull.c. This file holds the options, the two ways of processing an entry,
 * the signals and the exit codes. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "num.h"
#include "pull.h"
#include "pull_exec.h"
#include "pull_post.h"
#include "pull_state.h"
#include "pull_study.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

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
    EXIT_RECEIVER = 9,
    EXIT_FEED = 10,
};

static const char usage_text[] =
    "Usage: dcmfeed-pull [OPTION]... URL\n"
    "Reads a DICOM change feed from URL (its base with the API version, e.g.\n"
    "https://pacs.example/dicom/v1) in Sequence order and processes each entry once:\n"
    "writes it as one line of JSON to stdout, runs --exec CMD with it, or POSTs it\n"
    "as a CloudEvent to --post URL.\n"
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
    "  --modality LIST     only entries of these Modalities (MR,CT)      } v2 URLs;\n"
    "  --sop-class LIST    only entries of these SOP Class UIDs          } each may be\n"
    "  --action LIST       only these actions (create,delete,update)     } repeated\n"
    "Whole studies:\n"
    "  --per-study         group entries by StudyInstanceUid and hand each study over\n"
    "                      once it is complete: to --exec CMD (its entries as a JSON\n"
    "                      array on stdin; DCMFEED_STUDY_UID, DCMFEED_FIRST_SEQUENCE,\n"
    "                      DCMFEED_LAST_SEQUENCE, DCMFEED_REVISION, DCMFEED_ENTRIES),\n"
    "                      to --post URL (one org.dcmfeed.StudyComplete event), or to\n"
    "                      stdout (one line of JSON per study)\n"
    "  --stable-age SECONDS  a study is complete when none of its entries was read\n"
    "                      for SECONDS (default 60), or when the feed shows it deleted;\n"
    "                      with --once the pull waits for every study read\n"
    "Push (CloudEvents 1.0 over HTTP):\n"
    "  --post URL          POST each entry's event to URL (application/cloudevents+json);\n"
    "                      a 2xx acknowledges it and the state moves past it; network\n"
    "                      errors, timeouts, 408, 429 and 5xx are retried as for the\n"
    "                      feed; any other answer stops the pull (exit 9)\n"
    "  --batch-post N      up to N events per POST (application/cloudevents-batch+json)\n"
    "  --header 'NAME: VALUE'  an extra header of each POST (repeatable), e.g.\n"
    "                      'Authorization: Bearer TOKEN'; the feed's credentials\n"
    "                      (--user, --netrc) are never sent to the receiver\n"
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
    "     state stays before it\n"
    "  9  the receiver of --post refused an event (a 4xx other than 408 and 429, or a\n"
    "     redirect): its answer is shown; the state stays before that event\n"
    "  10 the feed's identity changed: another log answers at URL, and the state's\n"
    "     Sequences do not belong to it\n";

static volatile sig_atomic_t stop_requests;

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
    case DF_EPULL_RECEIVER:
        return EXIT_RECEIVER;
    case DF_EPULL_FEED:
        return EXIT_FEED;
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

/* --- --exec CMD ---------------------------------------------------------------- */

static int run_command(void *ctx, const df_pull_entry *e, df_error *err)
{
    return df_pull_exec_entry(ctx, e, &stop_requests, err);
}

/* --- --per-study: a study's entries to stdout, a command or a receiver ------------- */

/* Largest study handed to a command or to stdout (its entries with their
 * metadata); --no-metadata makes any study fit. */
#define STUDY_MAX (1024u * 1024u * 1024u)

typedef struct study_sink {
    const char *command;
    df_pull_post *post;
    df_buf entries; /* the entries as a JSON array (for --post: their events' data) */
} study_sink;

static int study_begin(void *ctx, const df_pull_study_info *s, df_error *err)
{
    (void)s, (void)err;
    study_sink *k = ctx;
    df_buf_reset(&k->entries);
    df_buf_append_char(&k->entries, '[');
    return 0;
}

static int study_entry(void *ctx, const df_pull_entry *e, df_error *err)
{
    study_sink *k = ctx;
    if (k->entries.len > 1)
        df_buf_append_char(&k->entries, ',');
    if (k->post != NULL) {
        int rc = df_pull_post_entry_data(k->post, &k->entries, e, err);
        if (rc != 0 && rc != DF_ENOMEM)
            return rc;
    } else {
        df_buf_append(&k->entries, e->json, e->json_len);
    }
    if (df_buf_failed(&k->entries))
        return df_error_set(err, DF_ENOMEM,
                            "its entries pass %u MiB; --no-metadata hands studies over without "
                            "their metadata",
                            (unsigned)(k->entries.max / (1024u * 1024u)));
    return 0;
}

/* One line of JSON per study: its UID, revision, Sequences and entries. */
static int study_line(const df_pull_study_info *s, const df_buf *entries, df_error *err)
{
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigprocmask(SIG_BLOCK, &stops, &old);
    df_buf head;
    df_buf_init(&head, 1024);
    df_buf_append_str(&head, "{\"StudyInstanceUid\":");
    df_json_append_string(&head, s->uid, strlen(s->uid));
    df_buf_append_str(&head, ",\"Revision\":");
    df_buf_append_i64(&head, s->revision);
    df_buf_append_str(&head, ",\"FirstSequence\":");
    df_buf_append_i64(&head, s->first);
    df_buf_append_str(&head, ",\"LastSequence\":");
    df_buf_append_i64(&head, s->last);
    df_buf_append_str(&head, ",\"Entries\":");
    int rc = 0;
    if (df_buf_failed(&head) || fwrite(head.data, 1, head.len, stdout) != head.len ||
        fwrite(entries->data, 1, entries->len, stdout) != entries->len ||
        fputs("}\n", stdout) == EOF || fflush(stdout) != 0)
        rc = df_error_set(err, DF_EIO, "cannot write to stdout: %s", strerror(errno));
    df_buf_free(&head);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int study_deliver(void *ctx, const df_pull_study_info *s, df_error *err)
{
    study_sink *k = ctx;
    df_buf_append_char(&k->entries, ']');
    if (df_buf_failed(&k->entries))
        return df_error_set(err, DF_ENOMEM, "its entries pass %u MiB",
                            (unsigned)(k->entries.max / (1024u * 1024u)));
    if (k->post != NULL)
        return df_pull_post_study(k->post, s->feed_id, s->uid, s->revision, s->first, s->last,
                                  s->time, k->entries.data, k->entries.len, err);
    if (k->command != NULL)
        return df_pull_exec_study(k->command, s, k->entries.data, k->entries.len, &stop_requests,
                                  err);
    return study_line(s, &k->entries, err);
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
    OPT_POST,
    OPT_BATCH_POST,
    OPT_HEADER,
    OPT_PER_STUDY,
    OPT_STABLE_AGE,
    OPT_SOP_CLASS, /* the three filters in the order of filter_names */
    OPT_MODALITY,
    OPT_ACTION,
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
    {"post", required_argument, NULL, OPT_POST},
    {"batch-post", required_argument, NULL, OPT_BATCH_POST},
    {"header", required_argument, NULL, OPT_HEADER},
    {"per-study", no_argument, NULL, OPT_PER_STUDY},
    {"stable-age", required_argument, NULL, OPT_STABLE_AGE},
    {"sop-class", required_argument, NULL, OPT_SOP_CLASS},
    {"modality", required_argument, NULL, OPT_MODALITY},
    {"action", required_argument, NULL, OPT_ACTION},
    DF_HTTP_LONG_OPTIONS,
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* The v2 filters (spec §5), by option: their values joined with commas, up
 * to FILTER_TEXT_MAX bytes each. */
#define FILTER_TEXT_MAX 4096
static const char *const filter_names[3] = {"sopclassuid=", "modality=", "action="};
static const char *const filter_options[3] = {"--sop-class", "--modality", "--action"};

/* The filters as the query text sent with each page: a space written %20 (a
 * Modality may hold one), the URL's own separators escaped; the server
 * checks the values and names a bad one. */
static bool filters_text(char lists[3][FILTER_TEXT_MAX], df_buf *out)
{
    for (int i = 0; i < 3; i++) {
        if (lists[i][0] == '\0')
            continue;
        if (out->len > 0)
            df_buf_append_char(out, '&');
        df_buf_append_str(out, filter_names[i]);
        for (const char *p = lists[i]; *p != '\0'; p++) {
            const char *escaped = *p == ' '   ? "%20"
                                  : *p == '&' ? "%26"
                                  : *p == '#' ? "%23"
                                  : *p == '%' ? "%25"
                                  : *p == '+' ? "%2B"
                                              : NULL;
            if (escaped != NULL)
                df_buf_append_str(out, escaped);
            else
                df_buf_append_char(out, *p);
        }
    }
    return !df_buf_failed(out);
}

/* True when the URL's path ends with the version v2 (trailing slashes and a
 * query aside). */
static bool is_v2(const char *url)
{
    size_t n = strcspn(url, "?#");
    while (n > 0 && url[n - 1] == '/')
        n--;
    return n >= 3 && memcmp(url + n - 3, "/v2", 3) == 0;
}

int main(int argc, char **argv)
{
    /* What main allocates hangs off these statics: a usage error returns at
     * once, and what it leaves is still reachable (for LeakSanitizer too). */
    static df_pull_options o;
    static const char **headers;
    static char filter_lists[3][FILTER_TEXT_MAX];
    static df_buf filters;
    df_buf_init(&filters, 3 * FILTER_TEXT_MAX * 3 + 64);
    df_pull_options_init(&o);
    o.http.user_agent = "dcmfeed-pull/" PACKAGE_VERSION;
    o.http.name = "dcmfeed-pull";
    o.http.stop = &stop_requests;
    const char *command = NULL;
    df_pull_post_options post;
    memset(&post, 0, sizeof post);
    size_t nheaders = 0;
    headers = calloc((size_t)argc + 1, sizeof *headers);
    if (headers == NULL) {
        fputs("dcmfeed-pull: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    bool batch_given = false, per_study = false, stable_age_given = false;
    double stable_age = 60;
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
        case OPT_POST:
            post.url = optarg;
            break;
        case OPT_BATCH_POST:
            if (!parse_long(optarg, 1, 100000, &n))
                return usage_error("--batch-post wants a count from 1 to 100000, not '%s'", optarg);
            post.batch = (size_t)n;
            batch_given = true;
            break;
        case OPT_PER_STUDY:
            per_study = true;
            break;
        case OPT_STABLE_AGE:
            if (!parse_seconds(optarg, 86400, &stable_age))
                return usage_error("--stable-age wants seconds from 0 to 86400, not '%s'", optarg);
            stable_age_given = true;
            break;
        case OPT_HEADER:
            if (!df_http_header_valid(optarg))
                return usage_error("--header wants 'Name: value' (a token, a colon, no line "
                                   "breaks), not '%s'",
                                   optarg);
            /* Kept, then blanked in the process list as --user's password:
             * a header is where a bearer token goes. */
            headers[nheaders] = strdup(optarg);
            if (headers[nheaders] == NULL) {
                fputs("dcmfeed-pull: out of memory\n", stderr);
                return EXIT_INTERNAL;
            }
            memset(strchr(optarg, ':') + 1, '*', strlen(strchr(optarg, ':') + 1));
            nheaders++;
            break;
        case OPT_SOP_CLASS:
        case OPT_MODALITY:
        case OPT_ACTION: {
            char *list = filter_lists[c - OPT_SOP_CLASS];
            size_t used = strlen(list);
            if (used + 1 + strlen(optarg) >= FILTER_TEXT_MAX)
                return usage_error("%s: too many values", filter_options[c - OPT_SOP_CLASS]);
            snprintf(list + used, FILTER_TEXT_MAX - used, "%s%s", used > 0 ? "," : "", optarg);
            break;
        }
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
    if (post.url != NULL && command != NULL)
        return usage_error("--post and --exec are two ways of processing: give one");
    if (post.url == NULL && (batch_given || nheaders > 0))
        return usage_error("%s is for --post", batch_given ? "--batch-post" : "--header");
    if (stable_age_given && !per_study)
        return usage_error("--stable-age is for --per-study");
    if (per_study && batch_given)
        return usage_error("--batch-post is for entries: --per-study posts one event per study");
    if (post.url != NULL && strncmp(post.url, "http://", 7) != 0 &&
        strncmp(post.url, "https://", 8) != 0) {
        char shown[2048];
        return usage_error("--post wants an http:// or https:// URL, not '%s'",
                           df_http_shown_url(post.url, shown, sizeof shown));
    }
    if (filter_lists[0][0] != '\0' || filter_lists[1][0] != '\0' || filter_lists[2][0] != '\0') {
        if (!is_v2(o.url))
            return usage_error("%s", "--modality, --sop-class and --action need a v2 URL, e.g. "
                                     "https://pacs.example/dicom/v2");
        if (!filters_text(filter_lists, &filters)) {
            fputs("dcmfeed-pull: out of memory\n", stderr);
            return EXIT_INTERNAL;
        }
        o.filters = filters.data;
    }

    /* No SA_RESTART: a signal interrupts a pause or a wait for the command. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    df_error err = {0};
    int64_t last = 0;
    uint64_t studies = 0;
    int rc = 0;
    df_pull_post *sender = NULL;
    if (post.url != NULL) {
        post.feed_url = o.url;
        post.headers = headers;
        post.metadata = o.include_metadata;
        post.http = &o.http;
        rc = df_pull_post_open(&post, &sender, &err);
    }
    if (rc == 0 && per_study) {
        study_sink k = {command, sender, {0}};
        df_buf_init(&k.entries, sender != NULL ? DF_PULL_POST_MAX : STUDY_MAX);
        df_pull_study_sink sink = {study_begin, study_entry, study_deliver, &k};
        rc = df_pull_study_run(&o, stable_age, &sink, &studies, &err);
        df_buf_free(&k.entries);
    } else if (rc == 0 && sender != NULL) {
        rc = df_pull_run_held(&o, df_pull_post_entry, df_pull_post_flush, sender, &last, &err);
    } else if (rc == 0) {
        rc = df_pull_run(&o, command != NULL ? run_command : write_line, (void *)command, &last,
                         &err);
    }
    df_pull_post_close(sender);
    if (rc != 0)
        fprintf(stderr, "dcmfeed-pull: %s\n", err.message[0] ? err.message : "failed");
    else if (stop_requests > 0 && o.http.verbosity > 0 && per_study)
        fprintf(stderr, "dcmfeed-pull: stopped after %llu studies handed over\n",
                (unsigned long long)studies);
    else if (stop_requests > 0 && o.http.verbosity > 0)
        fprintf(stderr, "dcmfeed-pull: stopped after Sequence %lld\n", (long long)last);
    df_http_settings_free(&o.http);
    for (size_t i = 0; i < nheaders; i++)
        free((char *)headers[i]);
    free(headers);
    df_buf_free(&filters);
    return exit_code(rc);
}
