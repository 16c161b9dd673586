/* reconcile: the log converges on a DICOMweb archive (dcmfeed-ingest
 * reconcile). It walks the archive's studies over QIDO-RS, each study's
 * series, and each series' instances with their metadata over WADO-RS,
 * compares them with the instances the log holds a present version of
 * (df_store_current), and appends what makes the log tell the archive's
 * truth: a create for an instance the archive has and the log lacks (or
 * shows deleted), an update for one whose metadata differs
 * (metadata_canon.h says what differs), a delete for one the log shows and
 * the archive no longer has.
 *
 * The walk. Studies are listed in pages of `page` (QIDO's limit). A page
 * that comes back full is a sign that the archive holds more than one page
 * can show, and some archives cut a search at their own maximum however far
 * offset goes: a full answer for a StudyDate range splits the range in
 * halves, down to single days, which are then paged with offset. The whole
 * archive is first asked without a date; when that is full, it is walked as
 * "-18991231", 19000101 to today (split) and "tomorrow-". --since DATE walks
 * DATE to today and "tomorrow-". Within a study, series and (where needed)
 * instances are paged with offset. A series' instances and their metadata
 * come from one WADO-RS request (…/series/{uid}/metadata); a series the
 * archive does not serve that way (404, an answer past the ceiling, or one
 * ingest_json refuses) is read instance by instance (a QIDO-RS listing, then
 * …/instances/{uid}/metadata each), and an instance whose metadata cannot be
 * read is reported and left as the log has it.
 *
 * Deletes, only within the scope walked. An instance is deleted when its
 * series' metadata (one complete answer) no longer lists it, or when the
 * archive answers, to a search for exactly it (its series, for a series no
 * longer listed; its study, for a study the walk did not meet), that it has
 * none: a paged listing that shifted while it was read never deletes
 * anything. Studies the log holds and the walk did not meet are asked for by
 * UID: with no scope, every study of the log; with --since, those the log
 * received an entry of from two days before DATE on whose StudyDate (in the
 * log's metadata) is DATE or later (a study reaches the log no earlier than
 * it was made; the two days allow for time zones).
 *
 * Writing. Changes go in batches of `batch` entries (and at most 64 MiB of
 * metadata), one transaction each. Each change remembers the Sequence of
 * the instance's present version it was decided against (0: none); under
 * the batch's write lock the log is read again and a change whose instance
 * moved on in between (another writer: storescp, the Orthanc plugin) is
 * dropped and left to the next run. So a run appends nothing twice, a crash
 * loses at most the batch in progress, and a run right after another
 * appends nothing. */
#ifndef DF_RECONCILE_H
#define DF_RECONCILE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dicomweb.h"
#include "error.h"
#include "store.h"

/* A date as a day number: days since 1970-01-01. */
#define DF_RECONCILE_NO_DATE INT32_MIN

/* Parses "YYYY-MM-DD" or "YYYYMMDD" (a real calendar date, years 1 to 9999)
 * into *day. */
bool df_reconcile_parse_date(const char *s, int32_t *day);
/* Writes day as "YYYYMMDD" into out (9 bytes). */
void df_reconcile_format_date(int32_t day, char out[9]);

typedef struct df_reconcile_options {
    const char *const *studies; /* only these studies (nstudies > 0), UIDs checked */
    size_t nstudies;
    int32_t since; /* studies of this day or later, or DF_RECONCILE_NO_DATE */
    int32_t today; /* the top of the date ranges: the archive's today */
    int page;      /* datasets per QIDO-RS page (limit) */
    size_t batch;  /* entries per transaction */
    bool dry_run;  /* compare and report, write nothing */
} df_reconcile_options;

typedef enum df_reconcile_action {
    DF_RECONCILE_CREATE,
    DF_RECONCILE_UPDATE,
    DF_RECONCILE_DELETE,
} df_reconcile_action;

typedef struct df_reconcile_stats {
    long studies;   /* studies compared */
    long series;    /* series compared */
    long instances; /* instances of the archive compared */
    long created, updated, deleted;
    long superseded; /* changes dropped: the instance moved on in the log meanwhile */
    long unreadable; /* instances the archive lists but whose metadata it does not give */
    long searches;   /* QIDO-RS requests */
    long fetches;    /* WADO-RS requests */
} df_reconcile_stats;

/* What the caller hears, all optional. */
typedef struct df_reconcile_report {
    void *ctx;
    /* An entry now in the log (sequence), or one a dry run would append
     * (sequence 0); replaced: a create of an instance with a present version
     * (never, in practice: reconcile updates those). */
    void (*entry)(void *ctx, df_reconcile_action action, int64_t sequence, const char *sop_uid,
                  bool replaced);
    /* Something left alone, and why (never a metadata value). */
    void (*warning)(void *ctx, const char *message);
    /* After each study and each batch. */
    void (*progress)(void *ctx, const df_reconcile_stats *stats);
} df_reconcile_report;

/* Runs one reconcile of log (opened read-write, or read-only for a dry run)
 * on archive. *stats is filled as it goes. When *stop (may be NULL) becomes
 * non-zero, the walk stops at its next request and the changes decided so
 * far are written. Returns 0; DF_HTTP_STOPPED when stopped; an archive's
 * failure (DF_EHTTP_UNAVAILABLE, DF_EDICOMWEB_REFUSED, DF_EDICOMWEB_INVALID,
 * DF_EHTTP_TOOBIG for a search) after writing what was decided before it;
 * the log's (DF_EDB, DF_EBUSY, DF_ESCHEMA), the batch in progress not
 * written; DF_ENOMEM. err says why. */
int df_reconcile_run(df_store *log, df_dicomweb *archive, const df_reconcile_options *o,
                     const df_reconcile_report *r, volatile sig_atomic_t *stop,
                     df_reconcile_stats *stats, df_error *err);

#endif
