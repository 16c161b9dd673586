/* The store's public API (store.h): which backend an address names, the
 * batch and snapshot state, and the rules every backend keeps, written once
 * here: Sequences numbered without gaps, Timestamps that never decrease, the
 * checks of a copied entry, of the log's identity and of the metadata cap,
 * waiting for a change. The SQL is the backends' (store_backend.h). */
#include "store.h"
#include "store_backend.h"
#include "store_derive.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The backends, asked in this order which one an address names: SQLite,
 * whose addresses are file paths, claims every address and comes last. */
static const df_store_backend *const backends[] = {&df_store_pg, &df_store_sqlite};

/* 9999-12-31T23:59:59.999999Z in microseconds: the newest Timestamp an
 * answer can write (json.h: four-digit years). */
#define TIMESTAMP_MAX INT64_C(253402300799999999)

struct df_store {
    const df_store_backend *backend;
    df_store_conn *conn;
    df_store_mode mode;
    bool in_batch;
    bool in_read;
    char feed_id[DF_FEED_ID_LEN + 1];
    /* The batch in progress: */
    char next_feed_id[DF_FEED_ID_LEN + 1]; /* set in it ("" if not): the identity at commit */
    int64_t first_sequence;                /* the newest Sequence when it began */
    int64_t last_sequence;  /* the newest Sequence in the log, its own entries included */
    int64_t last_timestamp; /* the newest Timestamp, likewise */
    df_derived derived;     /* what the entry being appended derives from its metadata */
};

/* The backend that claims address (store_backend.h). */
static const df_store_backend *backend_of(const char *address)
{
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
        if (backends[i]->claims(address))
            return backends[i];
    return NULL;
}

int df_store_open(const char *path, df_store_mode mode, df_store **out, df_error *err)
{
    *out = NULL;
    const df_store_backend *backend = backend_of(path);
    if (backend == NULL)
        return df_error_set(err, DF_EDB, "no backend of the store knows the log's address");
    df_store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    s->backend = backend;
    s->mode = mode;
    df_derived_init(&s->derived);
    int rc = backend->open(path, mode, &s->conn, s->feed_id, err);
    if (rc != 0) {
        df_derived_free(&s->derived);
        free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void df_store_close(df_store *s)
{
    if (s == NULL)
        return;
    df_store_rollback(s);
    df_store_read_end(s);
    s->backend->close(s->conn);
    df_derived_free(&s->derived);
    free(s);
}

bool df_store_replaced(const df_store *s)
{
    return s->backend->replaced != NULL && s->backend->replaced(s->conn);
}

bool df_store_created(const df_store *s)
{
    return s->backend->created != NULL && s->backend->created(s->conn);
}

bool df_store_is_file(const char *address)
{
    const df_store_backend *b = backend_of(address);
    return b != NULL && b->set_owner != NULL;
}

/* --- administration -------------------------------------------------------- */

/* Administration needs the log to itself: no batch or snapshot of its own in
 * progress (the writers and readers of other connections go on). */
static int require_idle(df_store *s, df_error *err)
{
    if (s->in_batch)
        return df_error_set(err, DF_EINVAL, "a batch is in progress");
    df_store_read_end(s);
    return 0;
}

int df_store_count(df_store *s, df_store_stats *stats, df_error *err)
{
    int rc = require_idle(s, err);
    if (rc == 0)
        rc = df_store_read_begin(s, err);
    if (rc == 0)
        rc = s->backend->stats(s->conn, stats, err);
    df_store_read_end(s);
    return rc;
}

int df_store_check(df_store *s, df_error *err)
{
    int rc = require_idle(s, err);
    if (rc == 0 && s->backend->check != NULL)
        rc = s->backend->check(s->conn, err);
    /* The rules every backend keeps, looked at in one snapshot: Sequences
     * 1, 2, 3, ... without gaps, so that as many entries as the newest. */
    df_store_stats st;
    if (rc == 0)
        rc = df_store_count(s, &st, err);
    if (rc == 0 && st.entries != st.newest)
        rc = df_error_set(err, DF_EDB,
                          "corrupt: the log holds %lld entries but its newest Sequence is %lld"
                          " (Sequences have gaps)",
                          (long long)st.entries, (long long)st.newest);
    return rc;
}

int df_store_set_owner(df_store *s, uid_t uid, gid_t gid, df_error *err)
{
    if (s->backend->set_owner == NULL)
        return df_error_set(err, DF_EINVAL,
                            "this log is no file: its owner is a role of its database");
    return s->backend->set_owner(s->conn, uid, gid, err);
}

int df_store_backup(df_store *s, const char *dest, df_error *err)
{
    int rc = require_idle(s, err);
    if (rc == 0 && s->backend->backup == NULL)
        rc = df_error_set(err, DF_EINVAL, "this kind of log has no online copy of its own");
    if (rc == 0)
        rc = s->backend->backup(s->conn, dest, err);
    return rc;
}

int df_store_restore(df_store *s, const char *backup, df_error *err)
{
    if (s->mode == DF_STORE_READONLY)
        return df_error_set(err, DF_EINVAL, "the log is open read-only");
    int rc = require_idle(s, err);
    if (rc == 0 && s->backend->restore == NULL)
        rc = df_error_set(err, DF_EINVAL, "this kind of log cannot be restored from a file");
    char feed_id[DF_FEED_ID_LEN + 1];
    if (rc == 0)
        rc = s->backend->restore(s->conn, backup, feed_id, err);
    if (rc == 0)
        memcpy(s->feed_id, feed_id, sizeof s->feed_id);
    return rc;
}

/* --- the writer ------------------------------------------------------------ */

static int require_writer(const df_store *s, df_error *err)
{
    if (s->mode == DF_STORE_READONLY)
        return df_error_set(err, DF_EINVAL, "the log is open read-only");
    if (!s->in_batch)
        return df_error_set(err, DF_EINVAL, "no batch in progress (call df_store_begin)");
    return 0;
}

/* The Timestamp of the next entry: the clock, but never before last (the
 * newest entry's), so that Timestamp never decreases along Sequence even
 * when the system clock steps back. */
static int64_t next_timestamp(int64_t last)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t t = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    return t < last ? last : t;
}

/* The cap that lets a page always make progress (DF_METADATA_MAX); copied
 * is the entry being copied, NULL for an add. */
static int check_metadata_size(size_t len, const df_entry *copied, df_error *err)
{
    if (len <= DF_METADATA_MAX)
        return 0;
    if (copied != NULL)
        return df_error_set(err, DF_EINVAL,
                            "entry %lld: the instance's metadata is %zu bytes; the feed serves at "
                            "most %d bytes of metadata per instance (docs/schema.md)",
                            (long long)copied->sequence, len, DF_METADATA_MAX);
    return df_error_set(err, DF_EINVAL,
                        "the instance's metadata is %zu bytes; the feed serves at most %d bytes "
                        "of metadata per instance (docs/schema.md)",
                        len, DF_METADATA_MAX);
}

/* The checks of df_store_append_entry that need no SQL: e may follow a log
 * whose newest entry has last_sequence and last_timestamp (0 and 0 for an
 * empty log). */
static int check_entry(const df_entry *e, int64_t last_sequence, int64_t last_timestamp,
                       df_error *err)
{
    if (e->study_uid == NULL || e->series_uid == NULL || e->sop_uid == NULL)
        return df_error_set(err, DF_EINVAL, "entry %lld has no UIDs", (long long)e->sequence);
    if (e->action != DF_ACTION_CREATE && e->action != DF_ACTION_DELETE &&
        e->action != DF_ACTION_UPDATE)
        return df_error_set(err, DF_EINVAL, "entry %lld has an unknown action",
                            (long long)e->sequence);
    if (e->action != DF_ACTION_DELETE) {
        int rc = check_metadata_size(e->metadata_len, e, err);
        if (rc != 0)
            return rc;
    }
    /* Written as a subtraction so that INT64_MAX cannot overflow. */
    if (e->sequence <= last_sequence || e->sequence - last_sequence != 1)
        return df_error_set(err, DF_EINVAL,
                            "entry %lld cannot follow the log's newest Sequence %lld:"
                            " Sequences have no gaps",
                            (long long)e->sequence, (long long)last_sequence);
    if (e->timestamp_us < last_timestamp)
        return df_error_set(err, DF_EINVAL,
                            "entry %lld has a Timestamp before the log's newest:"
                            " Timestamp never decreases along Sequence",
                            (long long)e->sequence);
    /* An answer writes a Timestamp with a four-digit year, and every later
     * entry is clamped to the newest: one beyond 9999 would make every page
     * from there on unanswerable. */
    if (e->timestamp_us < 0 || e->timestamp_us > TIMESTAMP_MAX)
        return df_error_set(err, DF_EINVAL,
                            "entry %lld has a Timestamp outside 1970-01-01 to 9999-12-31",
                            (long long)e->sequence);
    return 0;
}

/* The checks of df_store_set_feed_id that need no SQL: feed_id is
 * DF_FEED_ID_LEN lowercase hex digits, and the log is empty when expected is
 * NULL, or has the identity expected. */
static int check_feed_id(const df_store *s, const char *feed_id, const char *expected,
                         df_error *err)
{
    /* The responder puts the first DF_FEED_ID_ETAG_LEN digits into ETags as
     * they are. */
    size_t n = strspn(feed_id, "0123456789abcdef");
    if (n != DF_FEED_ID_LEN || feed_id[n] != '\0')
        return df_error_set(err, DF_EINVAL, "a log's identity is %d lowercase hex digits",
                            DF_FEED_ID_LEN);
    if (expected == NULL && s->last_sequence != 0)
        return df_error_set(err, DF_EINVAL,
                            "the log holds entries: only an empty log can take another identity");
    const char *current = s->next_feed_id[0] != '\0' ? s->next_feed_id : s->feed_id;
    if (expected != NULL && strcmp(current, expected) != 0)
        return df_error_set(err, DF_EINVAL,
                            "the log's identity is not the one expected: it keeps its own");
    return 0;
}

int df_store_begin(df_store *s, df_error *err)
{
    if (s->mode == DF_STORE_READONLY)
        return df_error_set(err, DF_EINVAL, "the log is open read-only");
    if (s->in_batch)
        return df_error_set(err, DF_EINVAL, "a batch is already in progress");
    df_store_read_end(s);
    int64_t last_sequence = 0, last_timestamp = 0;
    int rc = s->backend->begin(s->conn, &last_sequence, &last_timestamp, err);
    if (rc != 0)
        return rc;
    s->in_batch = true;
    s->first_sequence = last_sequence;
    s->last_sequence = last_sequence;
    s->last_timestamp = last_timestamp;
    s->next_feed_id[0] = '\0';
    return 0;
}

int df_store_commit(df_store *s, df_error *err)
{
    if (!s->in_batch)
        return df_error_set(err, DF_EINVAL, "no batch in progress (call df_store_begin)");
    int rc = s->backend->commit(s->conn, s->last_sequence != s->first_sequence, err);
    s->in_batch = false;
    if (rc == 0 && s->next_feed_id[0] != '\0')
        memcpy(s->feed_id, s->next_feed_id, sizeof s->feed_id);
    s->next_feed_id[0] = '\0';
    return rc;
}

void df_store_rollback(df_store *s)
{
    if (!s->in_batch)
        return;
    s->backend->rollback(s->conn);
    s->in_batch = false;
    s->next_feed_id[0] = '\0';
}

/* Fills e's de-identified copy, and (unless copied) its SOP Class UID and
 * Modality, from its metadata: one place, that every write passes, so that
 * no writer can store metadata without them. */
static int derive(df_store *s, df_entry *e, bool copied, df_error *err)
{
    e->deid_metadata = NULL;
    e->deid_metadata_len = 0;
    if (e->action == DF_ACTION_DELETE || e->metadata == NULL)
        return 0;
    int rc = df_derive_metadata(e->metadata, e->metadata_len, &s->derived, err);
    if (rc != 0)
        return rc;
    e->deid_metadata = s->derived.deid.data;
    e->deid_metadata_len = s->derived.deid.len;
    /* A copy keeps the kind its source read, unless the source gave none
     * (a log older than version 4): then as the upgrade derives it. */
    if (!copied || (e->sop_class_uid == NULL && e->modality == NULL)) {
        e->sop_class_uid = s->derived.sop_class_uid[0] != '\0' ? s->derived.sop_class_uid : NULL;
        e->modality = s->derived.modality[0] != '\0' ? s->derived.modality : NULL;
    }
    return 0;
}

/* Appends a create or an update made now: the next Sequence, the clock. */
static int append_new(df_store *s, df_action action, const char *study_uid, const char *series_uid,
                      const char *sop_uid, const char *metadata, size_t metadata_len,
                      int64_t *sequence, bool *replaced, df_error *err)
{
    int rc = require_writer(s, err);
    if (rc == 0)
        rc = check_metadata_size(metadata_len, NULL, err);
    if (rc == 0 && s->last_sequence == INT64_MAX)
        rc = df_error_set(err, DF_EINVAL, "the log's newest Sequence is the last there can be");
    if (rc != 0)
        return rc;
    df_entry e = {.sequence = s->last_sequence + 1,
                  .study_uid = study_uid,
                  .series_uid = series_uid,
                  .sop_uid = sop_uid,
                  .action = action,
                  .timestamp_us = next_timestamp(s->last_timestamp),
                  .metadata = metadata,
                  .metadata_len = metadata_len};
    rc = derive(s, &e, false, err);
    if (rc != 0)
        return rc;
    bool existed = false;
    rc = s->backend->append(s->conn, &e, &existed, err);
    if (rc == DF_ENOTFOUND)
        return df_error_set(err, DF_ENOTFOUND,
                            "the log holds no instance %s of series %s of study %s to update"
                            " (or it is deleted)",
                            sop_uid, series_uid, study_uid);
    if (rc != 0)
        return rc;
    s->last_sequence = e.sequence;
    s->last_timestamp = e.timestamp_us;
    if (sequence != NULL)
        *sequence = e.sequence;
    if (replaced != NULL)
        *replaced = existed;
    return 0;
}

int df_store_add(df_store *s, const char *study_uid, const char *series_uid, const char *sop_uid,
                 const char *metadata, size_t metadata_len, int64_t *sequence, bool *replaced,
                 df_error *err)
{
    return append_new(s, DF_ACTION_CREATE, study_uid, series_uid, sop_uid, metadata, metadata_len,
                      sequence, replaced, err);
}

int df_store_update(df_store *s, const char *study_uid, const char *series_uid, const char *sop_uid,
                    const char *metadata, size_t metadata_len, int64_t *sequence, df_error *err)
{
    return append_new(s, DF_ACTION_UPDATE, study_uid, series_uid, sop_uid, metadata, metadata_len,
                      sequence, NULL, err);
}

int df_store_delete(df_store *s, const char *study_uid, const char *series_uid, const char *sop_uid,
                    int64_t *count, df_error *err)
{
    int rc = require_writer(s, err);
    if (rc != 0)
        return rc;
    if (series_uid == NULL && sop_uid != NULL)
        return df_error_set(err, DF_EINVAL, "an instance to delete needs its series");
    int64_t timestamp = next_timestamp(s->last_timestamp);
    int64_t appended = 0;
    rc = s->backend->delete_matching(s->conn, study_uid, series_uid, sop_uid, s->last_sequence + 1,
                                     timestamp, &appended, err);
    if (rc != 0)
        return rc;
    if (appended > 0) {
        s->last_sequence += appended;
        s->last_timestamp = timestamp;
    }
    if (count != NULL)
        *count = appended;
    return 0;
}

int df_store_append_entry(df_store *s, const df_entry *e, df_error *err)
{
    int rc = require_writer(s, err);
    if (rc == 0)
        rc = check_entry(e, s->last_sequence, s->last_timestamp, err);
    df_entry copy = *e;
    if (rc == 0)
        rc = derive(s, &copy, true, err);
    if (rc == 0)
        rc = s->backend->append(s->conn, &copy, NULL, err);
    /* As df_store_delete and df_store_update append entries only for
     * instances that exist. */
    if (rc == DF_ENOTFOUND)
        return df_error_set(err, DF_EINVAL, "entry %lld %s an instance the log does not hold",
                            (long long)e->sequence,
                            e->action == DF_ACTION_UPDATE ? "updates" : "deletes");
    if (rc != 0)
        return rc;
    s->last_sequence = e->sequence;
    s->last_timestamp = e->timestamp_us;
    return 0;
}

int df_store_set_feed_id(df_store *s, const char *feed_id, const char *expected, df_error *err)
{
    int rc = require_writer(s, err);
    if (rc == 0)
        rc = check_feed_id(s, feed_id, expected, err);
    if (rc == 0)
        rc = s->backend->set_feed_id(s->conn, feed_id, err);
    if (rc == 0)
        memcpy(s->next_feed_id, feed_id, sizeof s->next_feed_id);
    return rc;
}

/* --- an archive's identifiers and a writer's position ------------------------ */

/* A name or an identifier the log keeps: 1 to max bytes. */
static int check_name(const char *value, size_t max, const char *what, df_error *err)
{
    size_t n = value != NULL ? strlen(value) : 0;
    if (n == 0 || n > max)
        return df_error_set(err, DF_EINVAL, "%s must be 1 to %zu bytes", what, max);
    return 0;
}

int df_store_set_archive_id(df_store *s, const char *archive, const char *archive_id,
                            const char *study_uid, const char *series_uid, const char *sop_uid,
                            df_error *err)
{
    int rc = require_writer(s, err);
    if (rc == 0)
        rc = check_name(archive, DF_ARCHIVE_NAME_MAX, "an archive's name", err);
    if (rc == 0)
        rc = check_name(archive_id, DF_ARCHIVE_ID_MAX, "an archive's identifier", err);
    if (rc == 0 && (study_uid == NULL || series_uid == NULL || sop_uid == NULL))
        rc = df_error_set(err, DF_EINVAL, "an archive's identifier names an instance by its UIDs");
    if (rc == 0)
        rc = s->backend->set_archive_id(s->conn, archive, archive_id, study_uid, series_uid,
                                        sop_uid, err);
    if (rc == DF_ENOTFOUND)
        return df_error_set(err, DF_ENOTFOUND,
                            "the log holds no instance %s of series %s of study %s to name",
                            sop_uid, series_uid, study_uid);
    return rc;
}

int df_store_find_archive_id(df_store *s, const char *archive, const char *archive_id,
                             df_store_instance *out, df_error *err)
{
    if (s->mode == DF_STORE_READONLY)
        return df_error_set(err, DF_EINVAL, "the log is open read-only");
    int rc = check_name(archive, DF_ARCHIVE_NAME_MAX, "an archive's name", err);
    if (rc == 0)
        rc = check_name(archive_id, DF_ARCHIVE_ID_MAX, "an archive's identifier", err);
    if (rc == 0)
        rc = s->backend->find_archive_id(s->conn, archive, archive_id, out, err);
    return rc;
}

int df_store_writer_position(df_store *s, const char *writer, int64_t *position, df_error *err)
{
    *position = 0;
    int rc = require_writer(s, err);
    if (rc == 0)
        rc = check_name(writer, DF_WRITER_NAME_MAX, "a writer's name", err);
    if (rc == 0)
        rc = s->backend->writer_position(s->conn, writer, position, err);
    return rc;
}

int df_store_set_writer_position(df_store *s, const char *writer, int64_t position, df_error *err)
{
    int64_t now = 0;
    int rc = df_store_writer_position(s, writer, &now, err);
    if (rc == 0 && (position < 0 || position < now))
        rc = df_error_set(err, DF_EINVAL,
                          "a writer's position only moves forward (the log holds %lld, not %lld)",
                          (long long)now, (long long)position);
    if (rc == 0 && position != now)
        rc = s->backend->set_writer_position(s->conn, writer, position, err);
    return rc;
}

/* --- the readers ----------------------------------------------------------- */

int df_store_page(df_store *s, int64_t after, int limit, df_metadata metadata, df_entry_fn fn,
                  void *ctx, df_error *err)
{
    return s->backend->page(s->conn, after, limit, metadata, false, fn, ctx, err);
}

int df_store_copy_page(df_store *s, int64_t after, int limit, df_entry_fn fn, void *ctx,
                       df_error *err)
{
    return s->backend->page(s->conn, after, limit, DF_METADATA_FULL, true, fn, ctx, err);
}

int df_store_window(df_store *s, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                    df_metadata metadata, df_entry_fn fn, void *ctx, df_error *err)
{
    return s->backend->window(s->conn, start_us, end_us, skip, limit, metadata, NULL, fn, ctx, err);
}

int df_store_window_matching(df_store *s, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                             df_metadata metadata, const df_filter *filter, df_entry_fn fn,
                             void *ctx, df_error *err)
{
    if (filter->sop_class_count > DF_FILTER_VALUES_MAX ||
        filter->modality_count > DF_FILTER_VALUES_MAX)
        return df_error_set(err, DF_EINVAL, "a filter takes at most %d values",
                            DF_FILTER_VALUES_MAX);
    return s->backend->window(s->conn, start_us, end_us, skip, limit, metadata, filter, fn, ctx,
                              err);
}

int df_store_latest(df_store *s, df_metadata metadata, df_entry_fn fn, void *ctx, df_error *err)
{
    return s->backend->latest(s->conn, metadata, fn, ctx, err);
}

int df_store_schema_version(const df_store *s)
{
    return s->backend->schema_version(s->conn);
}

int df_store_last_sequence(df_store *s, int64_t *sequence, df_error *err)
{
    return s->backend->last_sequence(s->conn, sequence, err);
}

int df_store_current(df_store *s, const char *study_uid, const char *series_uid,
                     const char *sop_uid, bool with_metadata, df_entry_fn fn, void *ctx,
                     df_error *err)
{
    if (study_uid == NULL || (sop_uid != NULL && series_uid == NULL))
        return df_error_set(err, DF_EINVAL, "an instance to read needs its study and series");
    return s->backend->current(s->conn, study_uid, series_uid, sop_uid, with_metadata, fn, ctx,
                               err);
}

int df_store_current_studies(df_store *s, const char *after, int limit, df_uid_fn fn, void *ctx,
                             df_error *err)
{
    return s->backend->current_studies(s->conn, after != NULL ? after : "", limit, fn, ctx, err);
}

int df_store_archive_instances(df_store *s, const char *archive, const char *after, int limit,
                               df_archive_instance_fn fn, void *ctx, df_error *err)
{
    if (limit < 1)
        return df_error_set(err, DF_EINVAL, "a page of an archive's instances needs a limit");
    return s->backend->archive_instances(s->conn, archive, after != NULL ? after : "", limit, fn,
                                         ctx, err);
}

const char *df_store_feed_id(const df_store *s)
{
    return s->feed_id;
}

int df_store_data_version(df_store *s, int64_t *version, df_error *err)
{
    return s->backend->data_version(s->conn, version, err);
}

int df_store_read_begin(df_store *s, df_error *err)
{
    if (s->in_read || s->in_batch)
        return 0;
    int rc = s->backend->read_begin(s->conn, err);
    if (rc == 0)
        s->in_read = true;
    /* The identity as this snapshot has it: a restore gives the log a new
     * one under readers that stay open. */
    if (rc == 0 && s->backend->read_feed_id != NULL)
        rc = s->backend->read_feed_id(s->conn, s->feed_id, err);
    return rc;
}

void df_store_read_end(df_store *s)
{
    if (!s->in_read)
        return;
    s->backend->read_end(s->conn);
    s->in_read = false;
}

/* --- waiting for a change -------------------------------------------------- */

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A backend that can hear of commits (watch) is woken by them and looks at
 * the version only then; one that cannot, or a connection that cannot (a
 * PostgreSQL standby), has its version polled. Either way the cancel flag is
 * looked at between two slices of at most DF_STORE_WAIT_SLICE_MS. */
int df_store_wait_change(df_store *s, int64_t seen, int timeout_ms, const _Atomic bool *cancel,
                         int64_t *version, df_error *err)
{
    *version = seen;
    if (s->in_batch)
        return df_error_set(err, DF_EINVAL, "cannot wait for a change during a batch");
    df_store_read_end(s);
    const df_store_backend *b = s->backend;
    int64_t deadline = monotonic_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    bool watching = false;
    int rc = b->watch != NULL ? b->watch(s->conn, &watching, err) : 0;
    if (rc == 0)
        rc = b->data_version(s->conn, version, err);
    while (rc == 0 && *version == seen && (cancel == NULL || !atomic_load(cancel))) {
        int64_t left = deadline - monotonic_ms();
        if (left <= 0)
            break;
        if (watching) {
            bool noticed = false;
            int slice = left < DF_STORE_WAIT_SLICE_MS ? (int)left : DF_STORE_WAIT_SLICE_MS;
            rc = b->wait_notice(s->conn, slice, &noticed, err);
            if (rc == 0 && noticed)
                rc = b->data_version(s->conn, version, err);
        } else {
            int64_t pause_ms = left < DF_STORE_POLL_MS ? left : DF_STORE_POLL_MS;
            struct timespec pause = {0, (long)pause_ms * 1000000L};
            nanosleep(&pause, NULL);
            rc = b->data_version(s->conn, version, err);
        }
    }
    if (watching)
        b->unwatch(s->conn);
    return rc;
}
