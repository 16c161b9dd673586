/* dcmfeed-ingest reconcile URL: the command around reconcile.h. Its options
 * (the HTTP ones of http.h, --study, --since, --qido-limit), its output (a
 * line per entry on stdout, a progress line on a terminal, a summary and the
 * warnings on stderr), signals and exit status. dcmfeed-ingest's main hands
 * it the command's words and the options given before the command. */
#ifndef DF_INGEST_RECONCILE_H
#define DF_INGEST_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>

/* The exit statuses beside dcmfeed-ingest's own (0 done, 1 invalid input, 2
 * usage, 3 the log). */
enum {
    DF_EXIT_ARCHIVE_UNAVAILABLE =
        5,                       /* the archive stayed unreachable or failing past the retries */
    DF_EXIT_ARCHIVE_REFUSED = 6, /* the archive refused (credentials, a wrong URL) or answered
                                    what DICOMweb does not */
};

/* Its lines for dcmfeed-ingest --help: the command, and its options. */
#define DF_INGEST_RECONCILE_USAGE "[--db PATH] [-q] [--batch N] [-n] reconcile [OPTION]... URL"

/* Runs reconcile with argv[0] "reconcile" and its options and URL after it
 * (argc words). db: --db as given before the command, or NULL
 * ($DCMFEED_DB then); quiet, dry_run, batch (0: the default), strict: as
 * given before the command. Returns the exit status. */
int df_ingest_reconcile(const char *db, bool quiet, bool dry_run, bool strict, size_t batch,
                        int argc, char **argv);

/* Its part of dcmfeed-ingest --help. */
extern const char df_ingest_reconcile_help[];

#endif
