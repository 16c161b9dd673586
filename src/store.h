/* The log: its public API. Writers (the ingest side) append in batches, one
 * batch at a time; any number of read-only readers (the responders) page
 * through it.
 *
 * Behind this header, store.c keeps the batch and snapshot state and the
 * rules every backend shares (Sequences without gaps, Timestamps that never
 * decrease, the checks of an entry and of the identity, the metadata cap),
 * and hands the SQL to one backend, chosen by the log's address from a table
 * of peers (store_backend.h): store_sqlite.c, the only file that includes
 * sqlite3.h, and store_pg.c, the only one that includes libpq-fe.h. The
 * schema of both is documented in docs/schema.md. */
#ifndef DF_STORE_H
#define DF_STORE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "store_types.h"

/* The most metadata one instance may carry, in bytes: an answer holds at
 * most DF_ANSWER_MAX (64 MiB, responder.h), and a page must always make
 * progress, so one entry alone must fit in an answer with room to spare
 * (docs/schema.md, "Rules a writer must keep"). */
#define DF_METADATA_MAX 33554432

typedef struct df_store df_store;

/* Opens the log at path. READONLY and READWRITE fail with DF_EDB when there
 * is no log ("no log at PATH; create it with dcmfeed-ingest init"), and
 * neither ever makes one; DF_ESCHEMA when the file is another program's
 * database or its schema version is newer than DF_SCHEMA_VERSION. READWRITE
 * turns on WAL and brings the schema up to DF_SCHEMA_VERSION. CREATE does
 * what READWRITE does and, where there is no log, makes one: for SQLite the
 * file, mode 0640 whatever the umask, in the group of its folder (the web
 * server's, which reads it; SQLite gives the -wal and -shm the same), then
 * the schema; df_store_created tells whether it did. Only dcmfeed-ingest
 * init and a writer that is meant to make the log (a PACS plugin) use it.
 * A SQLite log's failure says which of a missing file, a missing folder, a
 * permission (whose, on what), a wrong type, a busy log, a corrupt one or
 * stale -wal/-shm files (left by a file moved over a live log; such a log
 * is not opened, as SQLite would mix the two) stands in the way.
 * On success *out is set; the caller closes it with df_store_close.
 * A path that is a postgresql:// or postgres:// URI, or a libpq conninfo
 * ("host=… dbname=…"), opens a PostgreSQL log with the same semantics: a
 * failed connection is DF_EDB (the message never holds the password), and so
 * is any such path in a build without libpq ("this build has no PostgreSQL
 * support"). */
int df_store_open(const char *path, df_store_mode mode, df_store **out, df_error *err);

/* Closes the log and frees everything; NULL is a no-op. */
void df_store_close(df_store *s);

/* --- the writer ---------------------------------------------------------- */

/* Starts a batch: every append until df_store_commit is one transaction, so a
 * batch is wholly in the log or wholly absent. It holds the log's write lock
 * until it ends, so batches of several writers follow one another. Ends the
 * read snapshot in progress, if any. DF_EINVAL on a read-only log or while
 * a batch is in progress. */
int df_store_begin(df_store *s, df_error *err);
int df_store_commit(df_store *s, df_error *err);
/* Undoes the batch in progress, if any. Never fails in a way the caller can act on. */
void df_store_rollback(df_store *s);

/* Appends a create entry for the instance (study, series, sop) with its
 * metadata (compact DICOM JSON, metadata[0..len), copied). Inside a batch.
 * What the log keeps beside the metadata is derived from it here, for every
 * writer (store_derive.h): its de-identified copy, its SOP Class UID and
 * Modality; metadata that cannot be de-identified (not a DICOM JSON dataset)
 * is refused with DF_EINVAL, nothing written, the batch still usable.
 * *sequence (optional) receives the new entry's Sequence, *replaced
 * (optional) whether the instance existed, so that this is a new version.
 * Metadata longer than DF_METADATA_MAX is refused with DF_EINVAL, nothing
 * written and the batch still usable. */
int df_store_add(df_store *s, const char *study_uid, const char *series_uid, const char *sop_uid,
                 const char *metadata, size_t metadata_len, int64_t *sequence, bool *replaced,
                 df_error *err);

/* Appends an update entry for the instance (study, series, sop), which the
 * log holds and has not deleted, with its new metadata (as df_store_add):
 * the update carries the instance's present metadata from now on, so it is
 * `current` and the entries before it `replaced` (spec §4). Inside a batch.
 * DF_ENOTFOUND (err set, nothing written, the batch still usable) when the
 * log does not hold the instance or it is deleted; metadata over
 * DF_METADATA_MAX is DF_EINVAL. *sequence (optional) receives the Sequence. */
int df_store_update(df_store *s, const char *study_uid, const char *series_uid, const char *sop_uid,
                    const char *metadata, size_t metadata_len, int64_t *sequence, df_error *err);

/* Appends one delete entry per existing instance of the study, or of the
 * series when series_uid is not NULL, or the one instance when sop_uid is not
 * NULL too. Inside a batch. *count (optional) receives the number of entries
 * appended (0 when nothing matched, which is not an error here). */
int df_store_delete(df_store *s, const char *study_uid, const char *series_uid, const char *sop_uid,
                    int64_t *count, df_error *err);

/* Appends one entry as another log holds it, keeping its Sequence and
 * Timestamp: replaying a log's entries in order (as df_store_page reads them,
 * with metadata) into an empty log reproduces it, States and Metadata
 * included. Inside a batch. Only e's sequence, UIDs, action, timestamp_us,
 * sop_class_uid, modality and metadata are read (borrowed for the call);
 * state is derived, not copied, and so is the de-identified copy of the
 * metadata (as df_store_add derives it); the SOP Class UID and Modality are
 * the entry's as given (its source's, which a create of a version replaced
 * since does not take from the newer metadata it carries).
 * A create upserts the instance by its UIDs and makes this entry its present
 * version with e->metadata, which may be NULL (a source log keeps only the
 * present version's metadata, so the create of a version deleted since comes
 * without any). A delete makes the instance deleted (metadata NULL); its
 * e->metadata is ignored.
 * Refused with DF_EINVAL, nothing written and the batch still usable, when
 * the entry would break the log's rules: its Sequence is not exactly the
 * newest + 1 (1 on an empty log), its Timestamp is smaller than the newest
 * entry's or outside 1970-01-01 to 9999-12-31, its metadata is longer than
 * DF_METADATA_MAX, or it deletes an instance that is not in the log or is
 * deleted. */
int df_store_append_entry(df_store *s, const df_entry *e, df_error *err);

/* --- an archive's identifiers and a writer's position (schema version 3) --
 * A writer that follows an archive (the Orthanc plugin) learns of a deleted
 * instance by the archive's own identifier only (an Orthanc ID, a hash of
 * the instance's identifiers that cannot be reversed), and applies what it
 * learned from a journal of its own (its spool) that it must apply exactly
 * once. Both are kept in the log, in the batch that writes the entries, so
 * that they can never disagree with them after a crash (docs/schema.md). */

/* Records that the archive named archive (at most DF_ARCHIVE_NAME_MAX
 * bytes, e.g. "orthanc") calls the instance (study, series, sop) archive_id
 * (at most DF_ARCHIVE_ID_MAX bytes); the log must hold the instance (a create
 * earlier in the batch makes it). An identifier names one instance: given
 * again it moves to the instance given; an instance may have several (an
 * archive that holds it under two patient IDs). Inside a batch.
 * DF_ENOTFOUND (err set, nothing written, the batch usable) when the log has
 * no such instance; DF_EINVAL for an empty or too long name. */
int df_store_set_archive_id(df_store *s, const char *archive, const char *archive_id,
                            const char *study_uid, const char *series_uid, const char *sop_uid,
                            df_error *err);

/* Fills *out with the instance the archive's archive_id names, deleted or
 * not (out->current). DF_ENOTFOUND without setting err when the log has no
 * such identifier. Inside a batch (under the write lock) or out of one. */
int df_store_find_archive_id(df_store *s, const char *archive, const char *archive_id,
                             df_store_instance *out, df_error *err);

/* Calls fn for up to limit instances that the log holds a present version
 * of and that the archive named archive has an identifier for, one call per
 * identifier, in the order of the identifiers (bytes for SQLite, the
 * database's collation for PostgreSQL), after the identifier after ("" for
 * the first page). A writer that follows an archive pages through them all
 * to find what the archive no longer holds (the Orthanc plugin at start),
 * at a cost independent of where it is. Returns 0, fn's non-zero value, or
 * a DF_E… code. */
int df_store_archive_instances(df_store *s, const char *archive, const char *after, int limit,
                               df_archive_instance_fn fn, void *ctx, df_error *err);

/* How far the writer named writer (at most DF_WRITER_NAME_MAX bytes) has
 * applied its journal: 0 for a writer the log has not seen. Inside a batch,
 * so that the position read and the entries appended after it agree. */
int df_store_writer_position(df_store *s, const char *writer, int64_t *position, df_error *err);

/* Records the writer's position, in the batch that appends the entries it
 * covers. A position only moves forward: a smaller one than the log holds,
 * or a negative one, is DF_EINVAL (nothing written, the batch usable). */
int df_store_set_writer_position(df_store *s, const char *writer, int64_t position, df_error *err);

/* Gives the log the identity feed_id (DF_FEED_ID_LEN lowercase hex digits,
 * as df_store_feed_id answers them), so that a copy of a log made with
 * df_store_append_entry answers the same ETags as its source. Inside a batch.
 * An ETag is the identity and the newest Sequence, so a log must never take
 * an identity under which its answers could differ from another log's:
 * with expected NULL only an empty log may take one; otherwise the log's
 * present identity (the one set earlier in this batch, if any) must be
 * expected, and the caller vouches that the log's answers are those of the
 * log feed_id names (a copy that has just been completed). DF_EINVAL
 * otherwise. df_store_feed_id answers the new identity once the batch
 * commits; readers opened earlier take it at their next df_store_read_begin. */
int df_store_set_feed_id(df_store *s, const char *feed_id, const char *expected, df_error *err);

/* --- the readers --------------------------------------------------------- */

/* Reads up to limit entries with Sequence > after, in Sequence order, calling
 * fn for each. Cost is independent of after (keyset paging). Metadata is read
 * as metadata says (DF_METADATA_NONE: none; false and true are NONE and FULL).
 * The entries carry no SOP Class UID nor Modality (v1's entries show none).
 * Returns 0, fn's non-zero value, or a DF_E… code; DF_ESCHEMA for
 * DF_METADATA_DEID on a log older than schema version 4 (a writer of this
 * release upgrades it). */
int df_store_page(df_store *s, int64_t after, int limit, df_metadata metadata, df_entry_fn fn,
                  void *ctx, df_error *err);

/* As df_store_page with the full metadata, and each entry's SOP Class UID
 * and Modality as df_store_window gives them: what a copy of the log reads
 * (log_copy.h), so that its entries keep the kinds the source's have. On a
 * log older than schema version 4 they are NULL (df_store_append_entry then
 * derives them as the upgrade would). */
int df_store_copy_page(df_store *s, int64_t after, int limit, df_entry_fn fn, void *ctx,
                       df_error *err);

/* Reads up to limit entries of the time window [start_us, end_us), skipping
 * the first skip entries of the window, in Sequence order. Because Timestamp
 * never decreases along Sequence, a window is a run of consecutive Sequences:
 * its start is found through the timestamp index and the skip is added to it,
 * so the cost is independent of both skip and the window's place in the log.
 * Pass INT64_MIN / INT64_MAX for an open start / end. The entries carry their
 * SOP Class UID and Modality (v2's). */
int df_store_window(df_store *s, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                    df_metadata metadata, df_entry_fn fn, void *ctx, df_error *err);

/* As df_store_window, but only the entries that match filter (not NULL), and
 * skip counts matching entries of the window. The entries that match are
 * found through an index of their kind (SOP Class UID, Modality, action), in
 * Sequence order within each kind, so a page costs one index range per kind
 * that matches plus the entries it reads and skips: not the entries that do
 * not match, wherever the window lies in the log (docs/schema.md). DF_ESCHEMA
 * on a log older than schema version 4. */
int df_store_window_matching(df_store *s, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                             df_metadata metadata, const df_filter *filter, df_entry_fn fn,
                             void *ctx, df_error *err);

/* Reads the newest entry into fn, with its SOP Class UID and Modality.
 * Returns 0 when there was one, DF_ENOTFOUND (without setting err) when the
 * log is empty. */
int df_store_latest(df_store *s, df_metadata metadata, df_entry_fn fn, void *ctx, df_error *err);

/* The schema version of the log as this store opened it (a writer's is
 * always DF_SCHEMA_VERSION; a reader may have opened an older log that a
 * writer has upgraded since: it sees the new version once it reopens). */
int df_store_schema_version(const df_store *s);

/* Reads the instances of the study study_uid that the log holds a present
 * version of (not deleted), narrowed to the series series_uid unless NULL,
 * and to the one instance sop_uid unless NULL (then series_uid is not NULL),
 * in byte order of their Series and SOP Instance UIDs, calling fn with an
 * entry per instance: the Sequence, action and Timestamp of its present
 * version, state current, and its metadata when with_metadata. Returns 0
 * (also when nothing matched), fn's non-zero value, or a DF_E… code
 * (DF_EINVAL for a sop_uid without its series_uid). Inside a batch too: a
 * writer that checks an instance's present version under the write lock. */
int df_store_current(df_store *s, const char *study_uid, const char *series_uid,
                     const char *sop_uid, bool with_metadata, df_entry_fn fn, void *ctx,
                     df_error *err);

/* Reads up to limit Study Instance UIDs, each once, of the studies the log
 * holds a present version of an instance of, that sort after after ("" for
 * the first page), in the order of the log's index: bytes for SQLite, the
 * database's collation for PostgreSQL. A caller pages through every study by
 * passing the last UID it got, at a cost independent of where it is.
 * Returns 0, fn's non-zero value, or a DF_E… code. */
int df_store_current_studies(df_store *s, const char *after, int limit, df_uid_fn fn, void *ctx,
                             df_error *err);

/* The newest Sequence (0 for an empty log). */
int df_store_last_sequence(df_store *s, int64_t *sequence, df_error *err);

/* The log's identity: DF_FEED_ID_LEN hex digits made when the log was
 * created. Borrowed, valid until df_store_close. ETags include it, so that a
 * replaced log never matches a client's old tag. */
const char *df_store_feed_id(const df_store *s);

/* SQLite's data_version of this connection: it changes when another
 * connection commits to the log. Cheap (no page is read), for polling.
 * PostgreSQL has none: there it is the newest Sequence, which changes with
 * every commit since every change appends an entry. */
int df_store_data_version(df_store *s, int64_t *version, df_error *err);

/* Waits until the log's data version (df_store_data_version) differs from
 * seen, timeout_ms pass, or *cancel (optional) becomes true, whichever comes
 * first, and sets *version to the data version it last read: seen when
 * nothing changed. A cancel is noticed within DF_STORE_WAIT_SLICE_MS.
 * Ends the read snapshot in progress, if any (it would never see a commit);
 * DF_EINVAL during a batch. On PostgreSQL the connection LISTENs while it
 * waits and the writer's commit NOTIFYs, so a wait costs no query until a
 * commit comes (on a hot standby, which cannot LISTEN, the newest Sequence
 * is polled every DF_STORE_POLL_MS); on SQLite data_version is polled every
 * DF_STORE_POLL_MS. A connection lost while waiting is DF_EDB. */
int df_store_wait_change(df_store *s, int64_t seen, int timeout_ms, const _Atomic bool *cancel,
                         int64_t *version, df_error *err);

/* How often a wait that polls reads the data version: the delay between a
 * commit and the end of the wait it releases. */
#define DF_STORE_POLL_MS 5
/* The longest a wait goes without looking at its cancel flag. */
#define DF_STORE_WAIT_SLICE_MS 100

/* Groups the reads that follow into one snapshot of the log (a read
 * transaction), so that an ETag and the page it labels agree, and reads the
 * log's identity (df_store_feed_id) again in it where the backend can. No-op while a
 * batch or a snapshot is in progress. df_store_read_end ends it. */
int df_store_read_begin(df_store *s, df_error *err);
void df_store_read_end(df_store *s);

/* True when the file at the path this store was opened with is no longer the
 * one it has open (replaced or removed), so a long-lived reader should reopen.
 * Always false for a PostgreSQL log. */
bool df_store_replaced(const df_store *s);

/* True when df_store_open made the log (DF_STORE_CREATE where there was none). */
bool df_store_created(const df_store *s);

/* --- administration (dcmfeed-ingest init, backup, restore, status) ---------- */

/* True when address names a log that is files on this machine (SQLite), whose
 * owner and modes are the file system's; false for a PostgreSQL address. */
bool df_store_is_file(const char *address);

/* Gives a SQLite log's files (the log, its -wal and -shm) to uid:gid with
 * mode 0640. DF_EINVAL for a log that is no file (PostgreSQL). */
int df_store_set_owner(df_store *s, uid_t uid, gid_t gid, df_error *err);

/* Counts the log (store_types.h) in one snapshot. */
int df_store_count(df_store *s, df_store_stats *stats, df_error *err);

/* A quick integrity check: the database's own (SQLite's quick_check) and the
 * log's rules (Sequences without gaps). DF_EDB, the message starting with
 * "corrupt:", when it fails. */
int df_store_check(df_store *s, df_error *err);

/* Writes a consistent copy of the log as it was at one moment, while writers
 * go on, into the new file dest: a SQLite log in one file (no -wal), mode
 * 0640, with the log's identity, checked before it appears whole under its
 * name. Refuses (DF_EINVAL) a dest that exists. SQLite only (its online
 * backup); DF_EINVAL for a log of another kind (dcmfeed-ingest backup copies
 * those entry by entry, log_copy.h). */
int df_store_backup(df_store *s, const char *dest, df_error *err);

/* Replaces what the log holds with the backup at path (a SQLite log file,
 * checked first), on a read-write log, as one transaction: readers that
 * stay open see the old log until it commits and the backup after, never a
 * mix, and the log's files keep their inode, owner and mode. The log takes
 * a new identity with it, so that no ETag given before matches an answer
 * after (the Sequences after the backup's newest will be new entries).
 * Readers pick the identity up in their next snapshot (df_store_read_begin).
 * SQLite only; DF_EINVAL otherwise. */
int df_store_restore(df_store *s, const char *backup, df_error *err);

/* --- logging ------------------------------------------------------------- */

/* The log's address as it may be written to a log file (store_redact.c): a
 * PostgreSQL address may carry a password, so the value of every conninfo
 * keyword ending in "password" (password=, sslpassword=), the password of a
 * postgresql://user:password@host URI and its ?password= parameters become
 * "***" (and so does a dbname that is itself a connection string); a SQLite
 * path is copied as it is. Errs towards hiding too much when the text is
 * malformed. Writes at most size bytes (size > 0) into out, NUL included,
 * truncating what does not fit; returns out. */
const char *df_store_address_for_log(const char *address, char *out, size_t size);

#endif
