/* The spool's writer: applies the changes an archive signalled (spool.h) to
 * the log (store.h), in their order, exactly once, in batches; from a thread
 * of its own, so that the archive's store never waits for the log.
 *
 * What a record becomes (docs/deploy.md, "The Orthanc plugin", says why):
 * - STORED, an instance the archive stored: a create, a new version when the
 *   log holds the instance (as dcmfeed-ingest add does). Two exceptions:
 *   an archive that keeps the file it has when an instance comes again
 *   (Orthanc's "OverwriteInstances": false) changed nothing, so a store of
 *   an instance the log holds under the same archive identifier appends
 *   nothing; and an instance the archive made by modifying one (Orthanc's
 *   ModifiedFrom) whose UIDs the log holds is an update (its metadata
 *   changed, its pixels did not). The archive's identifier is recorded with
 *   the entry (df_store_set_archive_id).
 * - DELETED: the archive's identifier is looked up in the log; a delete of
 *   the instance it names is appended, unless the log does not know the
 *   identifier (an instance stored before the plugin was there), holds the
 *   instance deleted already, or the archive still holds an instance with
 *   those UIDs (it replaced the file, or holds it under another patient ID).
 *
 * Each batch reads the writer's position from the log, skips the records the
 * log already holds (a crash after a commit), applies the others and moves
 * the position, in one transaction (df_store_set_writer_position). */
#ifndef DF_SPOOL_WRITER_H
#define DF_SPOOL_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "spool.h"
#include "store.h"

typedef enum df_archive_log_level {
    DF_ARCHIVE_LOG_INFO,
    DF_ARCHIVE_LOG_WARNING,
    DF_ARCHIVE_LOG_ERROR
} df_archive_log_level;

/* What the writer needs of the archive. */
typedef struct df_archive {
    const char *name; /* its name in the log (archive_ids): "orthanc" */
    /* A store of an instance the archive holds replaces its file (Orthanc's
     * "OverwriteInstances"); false: the archive keeps the file it has. */
    bool overwrite;
    /* Sets *holds to whether the archive holds an instance with these UIDs
     * now. 0, or DF_EBUSY when it cannot tell now (it is starting or
     * stopping): the record then waits. NULL: never. Called from the
     * writer's thread, inside a batch. */
    int (*holds)(void *ctx, const char *study_uid, const char *series_uid, const char *sop_uid,
                 bool *holds);
    /* One line for the archive's log; never patient data (UIDs and the
     * archive's identifiers only). NULL: nothing is logged. */
    void (*log)(void *ctx, df_archive_log_level level, const char *message);
    void *ctx;
} df_archive;

/* What the writer did, counted since it started. */
typedef struct df_spool_stats {
    int64_t created;   /* creates appended */
    int64_t updated;   /* updates appended */
    int64_t deleted;   /* deletes appended */
    int64_t unchanged; /* stores of an instance the archive kept as it was */
    int64_t held;      /* deletes of an instance the archive still holds */
    int64_t unknown;   /* deletes of an instance the log never had from the archive */
    int64_t refused;   /* stores the log cannot take (metadata over the cap) */
    int64_t skipped;   /* records the log already held (applied before a crash) */
} df_spool_stats;

/* The name of the spool's position in the log: "ARCHIVE-spool-ID". */
int df_spool_writer_name(const df_archive *a, const df_spool *sp, char *out, size_t size);

/* Applies one batch: the records after *c, at most max_records of them, in
 * one transaction of s. Returns the number of records it consumed (applied
 * or skipped; *c is past them), 0 when there were none, or a DF_E… code
 * with nothing written and *c where it was. *waiting is set when it stopped
 * before a record the archive cannot decide now (holds answered DF_EBUSY). */
int df_spool_apply(df_store *s, df_spool *sp, df_spool_cursor *c, const df_archive *a,
                   size_t max_records, bool *waiting, df_spool_stats *stats, df_error *err);

typedef struct df_spool_writer df_spool_writer;

/* Starts the thread that applies sp to the log at address db (opened and
 * reopened by the thread: a log that goes away, a PostgreSQL server that
 * restarts, is retried with back-off, from 100 ms to 5 s, for as long as it
 * takes; every change waits in the spool meanwhile). store, when not NULL,
 * is a read-write store of that log the writer takes over. sp and a (and
 * what it points to) must outlive the writer. */
int df_spool_writer_start(const char *db, df_store *store, df_spool *sp, const df_archive *a,
                          df_spool_writer **out, df_error *err);

/* Wakes the writer: records were appended. Cheap; any thread. */
void df_spool_writer_poke(df_spool_writer *w);

/* Stops the thread, after one last pass over what the spool holds when the
 * log can take it at once (what remains waits for the next start), and frees
 * the writer. */
void df_spool_writer_stop(df_spool_writer *w);

/* A copy of the writer's counts, and the number of the last record applied
 * (or skipped). Any thread. */
void df_spool_writer_stats(df_spool_writer *w, df_spool_stats *stats, int64_t *applied);

#endif
