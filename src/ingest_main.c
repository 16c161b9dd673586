/* dcmfeed-ingest: appends create and delete entries to the log. All the
 * changes of one call are one transaction, and every input is read and
 * checked before the log is even opened, so a bad file never takes the write
 * lock and never leaves half a call in the feed. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ingest_json.h"
#include "store.h"
#include "uid.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define PROG "dcmfeed-ingest"

/* The exit codes, as --help documents them. */
enum {
    EXIT_DONE = 0,
    EXIT_INPUT = 1, /* a file unreadable or invalid, an invalid UID */
    EXIT_USAGE = 2,
    EXIT_LOG = 3,     /* the log cannot be opened or written */
    EXIT_NOMATCH = 4, /* delete matched no instance */
};

/* The metadata of one call is held in memory until it is written; past this
 * the call is refused rather than left to the OOM killer. */
#define BATCH_MAX ((size_t)1024 * 1024 * 1024)

static const char usage_text[] = "Usage: " PROG " [--db PATH] [-q] add FILE...\n"
                                 "       " PROG " [--db PATH] [-q] delete STUDY [SERIES [SOP]]\n"
                                 "       " PROG " --help | --version\n";

static const char help_text[] =
    "\n"
    "Appends changes to a dcmfeed log, the SQLite database the change feed is\n"
    "served from. Each call is one transaction: all of it is written, or nothing.\n"
    "\n"
    "Commands:\n"
    "  add FILE...      append one create entry per dataset in the DICOM JSON files\n"
    "                   (PS3.18 F.2: a dataset object, or an array of them as WADO-RS\n"
    "                   metadata returns). Every file is read and checked before the\n"
    "                   log is opened; one bad file and nothing is written.\n"
    "                   Prints a line per entry on stdout, in file order:\n"
    "                     create SEQUENCE SOP_INSTANCE_UID (new|replaced)\n"
    "                   and a summary on stderr. Files named after a '--' may\n"
    "                   start with '-'.\n"
    "  delete STUDY [SERIES [SOP]]\n"
    "                   append one delete entry per instance that exists in the\n"
    "                   study, in the series, or the one instance. Prints on stdout:\n"
    "                     delete COUNT study|series|instance UID\n"
    "\n"
    "Options (before the command):\n"
    "  --db PATH        the log; created with its schema if missing\n"
    "  -q, --quiet      print nothing but errors\n"
    "  -h, --help       print this help and exit\n"
    "  -V, --version    print the version and exit\n"
    "\n"
    "Environment:\n"
    "  DCMFEED_DB       the log, when --db is not given\n"
    "\n"
    "Exit status:\n"
    "  0  done\n"
    "  1  invalid input: a file unreadable or not valid DICOM JSON, an invalid UID;\n"
    "     nothing written\n"
    "  2  usage error; nothing written\n"
    "  3  the log cannot be opened or written (busy, permissions, schema);\n"
    "     nothing written\n"
    "  4  delete matched no instance; nothing written\n"
    "\n"
    "Messages name the file and the reason; they never show metadata values.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    fputs(PROG ": ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n"
          "Try '" PROG " --help' for more information.\n",
          stderr);
    return EXIT_USAGE;
}

/* Arguments after the command are files or UIDs, never options: a '-'
 * there is an option in the wrong place (a file named "-x" is "./-x"). */
static bool looks_like_option(const char *arg)
{
    return arg[0] == '-' && arg[1] != '\0';
}

/* Store failures: bad input the store refused is the caller's fault (1);
 * anything else is the log's (3). */
static int store_exit(int rc)
{
    return rc == DF_EINVAL ? EXIT_INPUT : EXIT_LOG;
}

static int open_log(const char *db, df_store **store)
{
    df_error err = {0};
    int rc = df_store_open(db, DF_STORE_READWRITE, store, &err);
    if (rc != 0) {
        fprintf(stderr, PROG ": %s: %s\n", db, err.message);
        return store_exit(rc);
    }
    rc = df_store_begin(*store, &err);
    if (rc != 0) {
        fprintf(stderr, PROG ": %s: %s\n", db, err.message);
        df_store_close(*store);
        *store = NULL;
        return store_exit(rc);
    }
    return EXIT_DONE;
}

typedef struct added {
    int64_t sequence;
    bool replaced;
} added;

static int cmd_add(const char *db, bool quiet, int nfiles, char **paths)
{
    int status = EXIT_DONE;
    df_store *store = NULL;
    added *results = NULL;
    size_t total = 0, total_bytes = 0;
    df_ingest_json_file *files = calloc((size_t)nfiles, sizeof *files);
    if (files == NULL) {
        fputs(PROG ": out of memory\n", stderr);
        return EXIT_INPUT;
    }

    /* Every file is read, and every bad one reported, before the log opens. */
    for (int i = 0; i < nfiles; i++) {
        df_error err = {0};
        if (df_ingest_json_read(paths[i], &files[i], &err) != 0) {
            fprintf(stderr, PROG ": %s\n", err.message);
            status = EXIT_INPUT;
            continue;
        }
        total += files[i].count;
        for (size_t d = 0; d < files[i].count; d++)
            total_bytes += files[i].datasets[d].metadata_len;
        if (total_bytes > BATCH_MAX) {
            fprintf(stderr,
                    PROG ": the files hold more than %zu MiB of metadata; "
                         "ingest them in several calls\n",
                    BATCH_MAX / (1024 * 1024));
            status = EXIT_INPUT;
            goto out;
        }
    }
    if (status != EXIT_DONE) {
        fputs(PROG ": nothing written\n", stderr);
        goto out;
    }

    results = calloc(total, sizeof *results);
    if (results == NULL) {
        fputs(PROG ": out of memory\n", stderr);
        status = EXIT_INPUT;
        goto out;
    }
    status = open_log(db, &store);
    if (status != EXIT_DONE)
        goto out;

    size_t k = 0;
    for (int i = 0; i < nfiles; i++) {
        for (size_t d = 0; d < files[i].count; d++, k++) {
            const df_ingest_dataset *ds = &files[i].datasets[d];
            df_error err = {0};
            int rc =
                df_store_add(store, ds->study_uid, ds->series_uid, ds->sop_uid, ds->metadata,
                             ds->metadata_len, &results[k].sequence, &results[k].replaced, &err);
            if (rc != 0) {
                fprintf(stderr, PROG ": %s: dataset %zu: %s; nothing written\n", paths[i], d + 1,
                        err.message);
                df_store_rollback(store);
                status = store_exit(rc);
                goto out;
            }
        }
    }
    df_error err = {0};
    int rc = df_store_commit(store, &err);
    if (rc != 0) {
        fprintf(stderr, PROG ": %s: %s; nothing written\n", db, err.message);
        status = store_exit(rc);
        goto out;
    }

    /* Printed only now: a line means an entry that is in the log. */
    if (!quiet) {
        size_t replaced = 0;
        k = 0;
        for (int i = 0; i < nfiles; i++) {
            for (size_t d = 0; d < files[i].count; d++, k++) {
                printf("create %" PRId64 " %s (%s)\n", results[k].sequence,
                       files[i].datasets[d].sop_uid, results[k].replaced ? "replaced" : "new");
                replaced += results[k].replaced;
            }
        }
        fflush(stdout);
        fprintf(stderr, PROG ": added %zu dataset%s from %d file%s (%zu new, %zu replaced)\n",
                total, total == 1 ? "" : "s", nfiles, nfiles == 1 ? "" : "s", total - replaced,
                replaced);
    }

out:
    df_store_close(store);
    for (int i = 0; i < nfiles; i++)
        df_ingest_json_free(&files[i]);
    free(files);
    free(results);
    return status;
}

static int cmd_delete(const char *db, bool quiet, int nuids, char **uids)
{
    static const char *const keyword[] = {"StudyInstanceUID", "SeriesInstanceUID",
                                          "SOPInstanceUID"};
    static const char *const level[] = {"study", "series", "instance"};
    for (int i = 0; i < nuids; i++) {
        if (!df_uid_valid(uids[i], strlen(uids[i]))) {
            fprintf(stderr, PROG ": '%s' is not a valid %s; nothing written\n", uids[i],
                    keyword[i]);
            return EXIT_INPUT;
        }
    }
    const char *study = uids[0];
    const char *series = nuids > 1 ? uids[1] : NULL;
    const char *sop = nuids > 2 ? uids[2] : NULL;
    const char *what = uids[nuids - 1];

    df_store *store = NULL;
    int status = open_log(db, &store);
    if (status != EXIT_DONE)
        return status;
    df_error err = {0};
    int64_t count = 0;
    int rc = df_store_delete(store, study, series, sop, &count, &err);
    if (rc == 0 && count == 0) {
        df_store_rollback(store);
        fprintf(stderr, PROG ": no instance of %s %s is in the log; nothing written\n",
                level[nuids - 1], what);
        status = EXIT_NOMATCH;
    } else if (rc == 0 && (rc = df_store_commit(store, &err)) == 0) {
        if (!quiet)
            printf("delete %" PRId64 " %s %s\n", count, level[nuids - 1], what);
    }
    if (rc != 0) {
        df_store_rollback(store);
        fprintf(stderr, PROG ": %s: %s; nothing written\n", db, err.message);
        status = store_exit(rc);
    }
    df_store_close(store);
    return status;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    bool quiet = false;
    int c;
    opterr = 0;
    /* '+': options end at the command; ':' reports a missing argument apart. */
    while ((c = getopt_long(argc, argv, "+:qhV", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(help_text, stdout);
            return EXIT_DONE;
        case 'V':
            puts(PROG " (dcmfeed) " PACKAGE_VERSION);
            return EXIT_DONE;
        case ':':
            return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            if (optopt != 0) {
                char opt[3] = {'-', (char)optopt, '\0'};
                return usage_error("unknown option '%s'", opt);
            }
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }

    if (optind >= argc)
        return usage_error("%s", "no command given (add or delete)");
    const char *command = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    bool add = strcmp(command, "add") == 0;
    if (!add && strcmp(command, "delete") != 0)
        return usage_error("unknown command '%s' (add or delete)", command);
    if (add && nargs > 0 && strcmp(args[0], "--") == 0) {
        nargs--;
        args++;
    } else {
        for (int i = 0; i < nargs; i++)
            if (looks_like_option(args[i]))
                return usage_error("'%s': options go before the command", args[i]);
    }
    if (add && nargs < 1)
        return usage_error("%s", "add needs at least one FILE");
    if (!add && (nargs < 1 || nargs > 3))
        return usage_error("%s", "delete needs STUDY [SERIES [SOP]]");

    if (db == NULL || db[0] == '\0')
        db = getenv("DCMFEED_DB");
    if (db == NULL || db[0] == '\0')
        return usage_error("%s", "no log given: use --db PATH or set DCMFEED_DB");

    return add ? cmd_add(db, quiet, nargs, args) : cmd_delete(db, quiet, nargs, args);
}
