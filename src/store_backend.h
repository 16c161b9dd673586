/* The table of operations a backend of the store implements, as SQLite's VFS
 * is the table a file system implements. store.c, behind the public API of
 * store.h, keeps the batch and snapshot state and every rule that needs no
 * SQL: which backend an address names, Sequences without gaps, Timestamps
 * that never decrease, the checks of an entry, of the identity and of the
 * metadata cap. It calls a backend only to run SQL, and only as this header
 * promises (a writer's operation on a read-write log inside a batch, never
 * two calls at once on one connection).
 *
 * A backend (store_sqlite.c, store_pg.c) is one file that includes this
 * header and no other of the store, defines its own struct df_store_conn and
 * one df_store_backend, and never calls back into store.c. A new backend is
 * a new file, its declaration below and a line in store.c's table of
 * backends, and changes no existing function; a new column of the
 * log is a member of df_entry (store_types.h) that each backend's append
 * writes and each reader fills; a new action is a df_action value that each
 * backend's append handles. */
#ifndef DF_STORE_BACKEND_H
#define DF_STORE_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "store_types.h"

/* One open log of one backend. Each backend completes this type in its own
 * file; store.c only holds the pointer. */
typedef struct df_store_conn df_store_conn;

typedef struct df_store_backend {
    /* True when address names a log of this backend. store.c asks the
     * backends in the order of its table and opens the log with the first
     * that claims it; the last (SQLite: a file path) claims every address. */
    bool (*claims)(const char *address);

    /* Opens the log at address with df_store_open's contract (a missing log
     * is DF_EDB for a reader, DF_ESCHEMA a log this build cannot read; a
     * writer creates the log and brings its schema to DF_SCHEMA_VERSION),
     * prepares its statements and copies its identity into feed_id. No
     * message may hold a password the address holds. */
    int (*open)(const char *address, df_store_mode mode, df_store_conn **out,
                char feed_id[DF_FEED_ID_LEN + 1], df_error *err);
    /* Frees everything; store.c has ended any batch or snapshot first. */
    void (*close)(df_store_conn *c);

    /* --- the writer: a read-write log only; the calls between begin and the
     * commit or rollback are one transaction --------------------------------- */

    /* Starts the batch's transaction and takes the log's write lock, held
     * until it ends, so that one batch of any writer appends at a time; then
     * reads the newest entry's Sequence and Timestamp under it (0 and 0 for
     * an empty log). store.c numbers the batch's entries from there. */
    int (*begin)(df_store_conn *c, int64_t *last_sequence, int64_t *last_timestamp, df_error *err);
    /* Commits the batch; the transaction has ended whatever the outcome.
     * news: the batch appended entries, so waiting readers are to be woken
     * (wait_notice) once the commit is visible. */
    int (*commit)(df_store_conn *c, bool news, df_error *err);
    /* Undoes the batch. */
    void (*rollback)(df_store_conn *c);

    /* Appends e with its Sequence and Timestamp as given (store.c has checked
     * them, its UIDs and its metadata's size, and derived its de-identified
     * copy) and its kind (its SOP Class UID, Modality, action; NULL ones are
     * none), and sets its instance's row: a
     * create upserts the instance by its three UIDs and makes e its present
     * version with e->metadata (NULL allowed) and e->deid_metadata; an update
     * makes e the present version of an instance the log holds, with both; a
     * delete makes the instance deleted (current Sequence and metadata NULL,
     * the de-identified copy gone). The instance keeps the SOP Class UID and
     * Modality of its present version for the deletes to come. An update or
     * a delete of an instance the log does not hold, or holds deleted, writes
     * nothing and returns DF_ENOTFOUND without setting err. *replaced
     * (optional) receives whether the instance had a present version before. */
    int (*append)(df_store_conn *c, const df_entry *e, bool *replaced, df_error *err);
    /* Appends one delete entry per instance with a present version that
     * matches (study_uid; series_uid unless NULL; sop_uid unless NULL, then
     * series_uid is not NULL), in the order the instances first appeared in
     * the log, with Sequences first_sequence, first_sequence + 1, … and
     * Timestamp timestamp_us, each of the kind of its instance's present
     * version with the action delete; then makes them deleted. *count
     * receives the number appended. */
    int (*delete_matching)(df_store_conn *c, const char *study_uid, const char *series_uid,
                           const char *sop_uid, int64_t first_sequence, int64_t timestamp_us,
                           int64_t *count, df_error *err);
    /* Writes the log's identity (DF_FEED_ID_LEN hex digits, checked). */
    int (*set_feed_id)(df_store_conn *c, const char *feed_id, df_error *err);
    /* As df_store_set_archive_id and df_store_set_writer_position (store.h),
     * their arguments checked: set_archive_id returns DF_ENOTFOUND without
     * setting err when the log has no such instance. */
    int (*set_archive_id)(df_store_conn *c, const char *archive, const char *archive_id,
                          const char *study_uid, const char *series_uid, const char *sop_uid,
                          df_error *err);
    int (*set_writer_position)(df_store_conn *c, const char *writer, int64_t position,
                               df_error *err);

    /* --- the readers: any log, inside or outside a snapshot or a batch ------ */

    /* As df_store_page, df_store_window(_matching) and df_store_latest
     * (store.h); window's filter is NULL for df_store_window; latest returns
     * DF_ENOTFOUND without setting err when the log is empty. An entry's
     * state is derived from its instance's present version, its metadata is
     * the instance's (or its de-identified copy), NULL when deleted or not
     * asked for; window and latest fill its SOP Class UID and Modality from
     * its kind, page only when kinds is true (df_store_copy_page). On a log older than version 4
     * the de-identified copy and a filter are DF_ESCHEMA. */
    int (*page)(df_store_conn *c, int64_t after, int limit, df_metadata metadata, bool kinds,
                df_entry_fn fn, void *ctx, df_error *err);
    int (*window)(df_store_conn *c, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                  df_metadata metadata, const df_filter *filter, df_entry_fn fn, void *ctx,
                  df_error *err);
    int (*latest)(df_store_conn *c, df_metadata metadata, df_entry_fn fn, void *ctx, df_error *err);
    /* The schema version of the log as opened (a writer's: DF_SCHEMA_VERSION). */
    int (*schema_version)(const df_store_conn *c);
    /* The newest Sequence, 0 for an empty log. */
    int (*last_sequence)(df_store_conn *c, int64_t *sequence, df_error *err);
    /* As df_store_find_archive_id (DF_ENOTFOUND without setting err) and
     * df_store_writer_position (0 for an unknown writer). A read-write log
     * only: a reader prepares neither. */
    int (*find_archive_id)(df_store_conn *c, const char *archive, const char *archive_id,
                           df_store_instance *out, df_error *err);
    int (*writer_position)(df_store_conn *c, const char *writer, int64_t *position, df_error *err);
    /* A number that changes when another connection commits to the log. */
    int (*data_version)(df_store_conn *c, int64_t *version, df_error *err);
    /* A read snapshot: the reads until read_end see one state of the log.
     * store.c never nests them, nor starts one during a batch. */
    int (*read_begin)(df_store_conn *c, df_error *err);
    void (*read_end)(df_store_conn *c);

    /* As df_store_current (study_uid is not NULL; sop_uid only with
     * series_uid, checked) and df_store_current_studies. */
    int (*current)(df_store_conn *c, const char *study_uid, const char *series_uid,
                   const char *sop_uid, bool with_metadata, df_entry_fn fn, void *ctx,
                   df_error *err);
    int (*current_studies)(df_store_conn *c, const char *after, int limit, df_uid_fn fn, void *ctx,
                           df_error *err);
    /* As df_store_archive_instances (after is not NULL, limit >= 1). */
    int (*archive_instances)(df_store_conn *c, const char *archive, const char *after, int limit,
                             df_archive_instance_fn fn, void *ctx, df_error *err);

    /* --- optional operations (NULL: what store.c does without them) -------- */

    /* True when the open that made c made the log too (DF_STORE_CREATE on an
     * address that held none). NULL: never. */
    bool (*created)(const df_store_conn *c);
    /* Reads the log's identity again into feed_id, inside the snapshot
     * read_begin began: a restore (below), or the batch that completes an
     * import (set_feed_id), gives the log a new one under readers that stay
     * open. NULL: the identity read at open is kept. */
    int (*read_feed_id)(df_store_conn *c, char feed_id[DF_FEED_ID_LEN + 1], df_error *err);

    /* --- administration (dcmfeed-ingest init, backup, restore, status) ------ */

    /* Fills *stats (store_types.h). Required. */
    int (*stats)(df_store_conn *c, df_store_stats *stats, df_error *err);
    /* The database's own integrity check, quick rather than thorough.
     * NULL: store.c checks only the log's rules. */
    int (*check)(df_store_conn *c, df_error *err);
    /* The log is files on this machine: gives them (the log, its -wal and
     * -shm) to uid:gid, mode 0640. NULL for a log that is no file. */
    int (*set_owner)(df_store_conn *c, uid_t uid, gid_t gid, df_error *err);
    /* Writes a consistent copy of the log, as it is at one moment while
     * writers go on, into the new file dest (a SQLite log, mode 0640), which
     * appears whole or not at all. NULL: the backend has no such copy. */
    int (*backup)(df_store_conn *c, const char *dest, df_error *err);
    /* Replaces the content of the log (a read-write log, no batch) with the
     * log in the file src, in one transaction that readers see at once, the
     * log's files staying the same; the log takes a new identity, copied
     * into feed_id. NULL: the backend cannot. */
    int (*restore)(df_store_conn *c, const char *src, char feed_id[DF_FEED_ID_LEN + 1],
                   df_error *err);

    /* True when the address now names another log than the one open (a
     * replaced file), so that a long-lived reader reopens. NULL: never. */
    bool (*replaced)(const df_store_conn *c);

    /* All three or none. NULL: store.c waits for a change by polling
     * data_version every DF_STORE_POLL_MS.
     * watch asks to hear of the commits of other connections from now on;
     * store.c calls it before it reads the version to compare with, so that
     * no commit falls between. *watching is false, without an error, when
     * this connection cannot hear of them (a PostgreSQL hot standby): store.c
     * then polls. Never called during a batch or a snapshot.
     * wait_notice waits up to timeout_ms for a commit heard of since watch or
     * since the last call that reported one; *noticed says whether one came.
     * A notice may be about another log (store.c reads data_version to
     * tell); a lost connection is DF_EDB.
     * unwatch stops listening and forgets what was heard. */
    int (*watch)(df_store_conn *c, bool *watching, df_error *err);
    int (*wait_notice)(df_store_conn *c, int timeout_ms, bool *noticed, df_error *err);
    void (*unwatch)(df_store_conn *c);
} df_store_backend;

/* The action of the log's value v (entries.action), false for a value this
 * build does not know (the schema's CHECK allows none). */
static inline bool df_store_action_of(int64_t v, df_action *action)
{
    if (v != DF_ACTION_CREATE && v != DF_ACTION_DELETE && v != DF_ACTION_UPDATE)
        return false;
    *action = (df_action)v;
    return true;
}

/* The backends, in store_sqlite.c and store_pg.c (the latter, in a build
 * without libpq, claims PostgreSQL addresses only to refuse them). */
extern const df_store_backend df_store_sqlite;
extern const df_store_backend df_store_pg;

#endif
