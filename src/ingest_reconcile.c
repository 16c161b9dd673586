/* dcmfeed-ingest reconcile (ingest_reconcile.h): options, output, signals
 * and exit status around reconcile.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ingest_reconcile.h"

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dicomweb.h"
#include "http.h"
#include "num.h"
#include "progress.h"
#include "reconcile.h"
#include "store.h"
#include "uid.h"

#define PROG "dcmfeed-ingest"

enum {
    EXIT_DONE = 0,
    EXIT_INPUT = 1,
    EXIT_USAGE = 2,
    EXIT_LOG = 3,
};

/* Entries per transaction, and the QIDO-RS page: below the maximum of
 * common archives (dcm4chee-arc, Orthanc's LimitFindResults when set), since
 * an archive that cuts a search short without saying so cannot be told from
 * one that has no more. */
#define BATCH_DEFAULT 500
#define PAGE_DEFAULT  100
#define PAGE_LIMIT    10000
#define STUDIES_LIMIT 10000

const char df_ingest_reconcile_help[] =
    "Usage: " PROG " " DF_INGEST_RECONCILE_USAGE "\n"
    "Makes the log tell what the DICOMweb archive at URL holds (its QIDO-RS and\n"
    "WADO-RS root, e.g. https://pacs.example/dicom-web): appends a create for each\n"
    "instance the archive has and the log lacks or shows deleted, an update for\n"
    "each whose metadata differs, a delete for each the log shows and the archive\n"
    "no longer has (within the scope walked). A second run appends nothing.\n"
    "\n"
    "Scope (default: the whole archive, and every study of the log):\n"
    "  --study UID         only this study (repeatable)\n"
    "  --since DATE        studies of DATE (YYYY-MM-DD) or later, by StudyDate\n"
    "Walk:\n"
    "  --qido-limit N      datasets per QIDO-RS page, 1 to 10000 (default 100); keep\n"
    "                      it at or below the archive's own maximum\n"
    "  --batch N           entries per transaction (default 500)\n"
    "  -n, --dry-run       compare and print what would be appended; write nothing\n"
    "HTTP:\n" DF_HTTP_OPTIONS_HELP "Other:\n"
    "  -q, --quiet         print nothing but errors\n"
    "  -v, --verbose       report every request\n"
    "  -h, --help          print this help and exit\n"
    "\n"
    "Prints a line per entry once its batch is in the log:\n"
    "  create SEQUENCE SOP_INSTANCE_UID (new|replaced)\n"
    "  update SEQUENCE SOP_INSTANCE_UID\n"
    "  delete SEQUENCE SOP_INSTANCE_UID\n"
    "(with --dry-run, '-' for SEQUENCE and '(dry-run)' after), a summary and\n"
    "warnings on stderr, and a progress line there on a terminal. SIGINT or\n"
    "SIGTERM writes what was decided and exits 0; run it again to go on.\n"
    "\n"
    "Exit status: 0 done; 1 some instances of the archive could not be read\n"
    "(named on stderr, left as the log has them; the rest was done); 2 usage;\n"
    "3 the log cannot be opened or written (the batch in progress was not\n"
    "written, earlier ones were); 5 the archive stayed unreachable or failing\n"
    "(network, TLS, timeouts, 5xx) past --max-retries; 6 the archive refused\n"
    "(401/403: credentials; 404: not a DICOMweb URL) or answered what DICOMweb\n"
    "does not. With 5 and 6, what was decided before was written.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    fputs(PROG ": ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry '" PROG " reconcile --help' for more information.\n", stderr);
    return EXIT_USAGE;
}

/* --- output ------------------------------------------------------------------ */

typedef struct out {
    bool quiet, dry_run;
    df_progress line;
} out;

static void on_entry(void *ctx, df_reconcile_action action, int64_t sequence, const char *sop,
                     bool replaced)
{
    out *o = ctx;
    if (o->quiet)
        return;
    df_progress_clear(&o->line);
    static const char *const words[] = {"create", "update", "delete"};
    if (o->dry_run)
        printf("%s - %s (dry-run)\n", words[action], sop);
    else if (action == DF_RECONCILE_CREATE)
        printf("create %" PRId64 " %s (%s)\n", sequence, sop, replaced ? "replaced" : "new");
    else
        printf("%s %" PRId64 " %s\n", words[action], sequence, sop);
    fflush(stdout);
}

static void on_warning(void *ctx, const char *message)
{
    out *o = ctx;
    df_progress_clear(&o->line);
    fprintf(stderr, PROG ": reconcile: %s\n", message);
}

static void on_progress(void *ctx, const df_reconcile_stats *st)
{
    out *o = ctx;
    if (!df_progress_due(&o->line))
        return;
    df_progress_draw(&o->line,
                     "%ld studies, %ld instances compared (%.0f/s), %ld created, %ld updated,"
                     " %ld deleted",
                     st->studies, st->instances, df_progress_rate(&o->line, (double)st->instances),
                     st->created, st->updated, st->deleted);
}

static void summary(const out *o, const df_reconcile_stats *st, double secs)
{
    fprintf(stderr,
            PROG ": reconcile: %ld instance%s of %ld stud%s compared in %.1f s (%.0f/s; %ld"
                 " QIDO-RS and %ld WADO-RS requests): ",
            st->instances, st->instances == 1 ? "" : "s", st->studies,
            st->studies == 1 ? "y" : "ies", secs,
            df_progress_per_second((double)st->instances, secs), st->searches, st->fetches);
    if (o->dry_run)
        fprintf(stderr, "would create %ld, update %ld, delete %ld; nothing written", st->created,
                st->updated, st->deleted);
    else
        fprintf(stderr, "%ld created, %ld updated, %ld deleted", st->created, st->updated,
                st->deleted);
    if (st->superseded > 0)
        fprintf(stderr, "; %ld left to the next run (changed in the log meanwhile)",
                st->superseded);
    if (st->unreadable > 0)
        fprintf(stderr, "; %ld instance%s left unread", st->unreadable,
                st->unreadable == 1 ? "" : "s");
    fputc('\n', stderr);
}

/* --- signals ---------------------------------------------------------------- */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* --- the command -------------------------------------------------------------- */

static int32_t today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char text[16];
    strftime(text, sizeof text, "%Y%m%d", &tm);
    int32_t day = 0;
    df_reconcile_parse_date(text, &day);
    return day;
}

static int exit_status(int rc)
{
    switch (rc) {
    case DF_EHTTP_UNAVAILABLE:
        return DF_EXIT_ARCHIVE_UNAVAILABLE;
    case DF_EDICOMWEB_REFUSED:
    case DF_EDICOMWEB_INVALID:
    case DF_EHTTP_TOOBIG:
        return DF_EXIT_ARCHIVE_REFUSED;
    case DF_EINVAL:
        return EXIT_INPUT;
    default:
        return EXIT_LOG;
    }
}

int df_ingest_reconcile(const char *db, bool quiet, bool dry_run, bool strict, size_t batch,
                        int argc, char **argv)
{
    enum { OPT_STUDY = 0x5200, OPT_SINCE, OPT_PAGE, OPT_BATCH };
    static const struct option options[] = {
        DF_HTTP_LONG_OPTIONS,
        {"study", required_argument, NULL, OPT_STUDY},
        {"since", required_argument, NULL, OPT_SINCE},
        {"qido-limit", required_argument, NULL, OPT_PAGE},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"dry-run", no_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (strict)
        return usage_error("%s", "--strict goes with add");
    df_http_settings http;
    df_http_settings_init(&http);
    http.name = PROG;
    http.label = "the archive";
    const char **studies = NULL;
    size_t nstudies = 0;
    df_reconcile_options o = {.since = DF_RECONCILE_NO_DATE,
                              .page = PAGE_DEFAULT,
                              .batch = batch > 0 ? batch : BATCH_DEFAULT,
                              .dry_run = dry_run};
    int status = EXIT_DONE;
    bool verbose = false;
    int c;
    opterr = 0;
    optind = 0; /* GNU getopt: start afresh on this argv */
    while (status == EXIT_DONE && (c = getopt_long(argc, argv, ":nqvh", options, NULL)) != -1) {
        int64_t n = 0;
        df_error err = {0};
        if (df_http_is_option(c)) {
            if (df_http_option(&http, c, optarg, &err) != 0)
                status = usage_error("%s", err.message);
            continue;
        }
        switch (c) {
        case OPT_STUDY: {
            if (!df_uid_valid(optarg, strlen(optarg))) {
                status = usage_error("--study: '%s' is not a valid StudyInstanceUID", optarg);
                break;
            }
            const char **more =
                nstudies < STUDIES_LIMIT ? realloc(studies, (nstudies + 1) * sizeof *more) : NULL;
            if (more == NULL) {
                status = usage_error("at most %d --study options", STUDIES_LIMIT);
                break;
            }
            studies = more;
            studies[nstudies++] = optarg;
            break;
        }
        case OPT_SINCE:
            if (!df_reconcile_parse_date(optarg, &o.since))
                status = usage_error("--since wants a date, YYYY-MM-DD, not '%s'", optarg);
            break;
        case OPT_PAGE:
            if (df_parse_i64(optarg, strlen(optarg), 1, PAGE_LIMIT, &n) != DF_NUM_OK)
                status = usage_error("--qido-limit wants a whole number from 1 to %d", PAGE_LIMIT);
            o.page = (int)n;
            break;
        case OPT_BATCH:
            if (df_parse_i64(optarg, strlen(optarg), 1, 100000, &n) != DF_NUM_OK)
                status = usage_error("%s", "--batch must be a whole number from 1 to 100000");
            o.batch = (size_t)n;
            break;
        case 'n':
            o.dry_run = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            fputs(df_ingest_reconcile_help, stdout);
            free(studies);
            df_http_settings_free(&http);
            return EXIT_DONE;
        case ':':
            status = usage_error("option '%s' needs an argument", argv[optind - 1]);
            break;
        default:
            if (optopt != 0) {
                char opt[3] = {'-', (char)optopt, '\0'};
                status = usage_error("unknown option '%s'", opt);
            } else {
                status = usage_error("unknown option '%s'", argv[optind - 1]);
            }
        }
    }
    /* The password came from the environment if at all: commands this one
     * might run never see it. */
    unsetenv("DCMFEED_PASSWORD");
    if (status == EXIT_DONE && optind != argc - 1)
        status = usage_error("%s", optind >= argc ? "reconcile needs the archive's URL"
                                                  : "reconcile takes one URL");
    if (status == EXIT_DONE && nstudies > 0 && o.since != DF_RECONCILE_NO_DATE)
        status = usage_error("%s", "--study and --since do not go together");
    if (status == EXIT_DONE && (db == NULL || db[0] == '\0'))
        db = getenv("DCMFEED_DB");
    if (status == EXIT_DONE && (db == NULL || db[0] == '\0'))
        status = usage_error("%s", "no log given: use --db PATH or set DCMFEED_DB");
    if (status != EXIT_DONE) {
        free(studies);
        df_http_settings_free(&http);
        return status;
    }
    const char *url = argv[optind];
    o.studies = studies;
    o.nstudies = nstudies;
    o.today = today();
    http.verbosity = quiet ? 0 : verbose ? 2 : 1;
    http.stop = &stop_requested;

    df_store *log = NULL;
    df_http *client = NULL;
    df_dicomweb *archive = NULL;
    df_error err = {0};
    char shown[512];
    /* The log first: one that cannot be opened costs the archive nothing. */
    int rc = df_store_open(db, o.dry_run ? DF_STORE_READONLY : DF_STORE_READWRITE, &log, &err);
    if (rc != 0) {
        fprintf(stderr, PROG ": %s: %s; nothing written\n",
                df_store_address_for_log(db, shown, sizeof shown), err.message);
        status = EXIT_LOG;
        goto out;
    }
    rc = df_http_open(&http, &client, &err);
    if (rc == 0)
        rc = df_dicomweb_open(url, client, &archive, &err);
    if (rc != 0) {
        fprintf(stderr, PROG ": %s; nothing written\n", err.message);
        status = rc == DF_EINVAL ? EXIT_USAGE : EXIT_INPUT;
        goto out;
    }

    out output = {.quiet = quiet, .dry_run = o.dry_run};
    /* The first study draws the line at once, the next ones every 250 ms. */
    df_progress_start(&output.line, stderr, df_progress_wanted(stderr, quiet), true);
    df_reconcile_report report = {
        .ctx = &output, .entry = on_entry, .warning = on_warning, .progress = on_progress};
    df_reconcile_stats stats;
    catch_signals();
    rc = df_reconcile_run(log, archive, &o, &report, &stop_requested, &stats, &err);
    df_progress_clear(&output.line);
    double secs = df_progress_elapsed(&output.line);
    if (rc == DF_HTTP_STOPPED) {
        if (!quiet)
            fputs(PROG ": reconcile: stopped by a signal; what was decided is written, run it"
                       " again to go on\n",
                  stderr);
        rc = 0;
    }
    if (!quiet)
        summary(&output, &stats, secs);
    if (rc != 0) {
        const char *where = rc == DF_EDB || rc == DF_EBUSY || rc == DF_ESCHEMA
                                ? df_store_address_for_log(db, shown, sizeof shown)
                                : "the archive";
        bool wrote = stats.created + stats.updated + stats.deleted > 0 && !o.dry_run;
        fprintf(stderr, PROG ": reconcile: %s: %s; %s\n", where, err.message,
                rc == DF_EDB || rc == DF_EBUSY || rc == DF_ESCHEMA
                    ? (wrote ? "the batch in progress was not written (earlier ones were)"
                             : "nothing written")
                    : (wrote ? "what was decided before it is written" : "nothing written"));
        status = exit_status(rc);
    } else if (stats.unreadable > 0) {
        status = EXIT_INPUT;
    }
out:
    df_dicomweb_close(archive);
    df_http_close(client);
    df_store_close(log);
    free(studies);
    df_http_settings_free(&http);
    return status;
}
