/* The log in SQLite: schema and migrations, the writer's appends and the
 * readers' keyset pages; the schema is documented in docs/schema.md. A log
 * whose address is a PostgreSQL URI or conninfo is forwarded to store_pg.c. */
#include "store.h"
#include "store_backend.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Writers wait this long for the write lock before giving up with DF_EBUSY:
 * several ingest processes queue behind one another's batches. */
#define WRITER_BUSY_MS 30000
/* Readers only wait on a writer's WAL recovery or checkpoint; a responder
 * answers 503 rather than keep a web request hanging. */
#define READER_BUSY_MS 2000

static const char SQL_SCHEMA_V1[] =
    "CREATE TABLE instances ("
    "  id INTEGER PRIMARY KEY,"
    "  study_uid TEXT NOT NULL,"
    "  series_uid TEXT NOT NULL,"
    "  sop_uid TEXT NOT NULL,"
    "  current_seq INTEGER,"
    "  metadata TEXT,"
    "  UNIQUE (study_uid, series_uid, sop_uid)"
    ");"
    "CREATE TABLE entries ("
    "  seq INTEGER PRIMARY KEY,"
    "  instance_id INTEGER NOT NULL REFERENCES instances(id),"
    "  action INTEGER NOT NULL CHECK (action IN (0, 1)),"
    "  timestamp INTEGER NOT NULL"
    ");"
    "CREATE INDEX entries_timestamp ON entries(timestamp);"
    /* The log's identity, for ETags: a replaced file, or another log behind
     * the same path, never answers 304 to a client of the old one. */
    "CREATE TABLE feed (id TEXT NOT NULL);"
    "INSERT INTO feed (id) VALUES (lower(hex(randomblob(16))));"
    "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries"
    "  BEGIN SELECT RAISE(ABORT, 'change feed entries are immutable'); END;"
    "CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries"
    "  BEGIN SELECT RAISE(ABORT, 'change feed entries are immutable'); END;"
    "PRAGMA user_version = 1;";

/* State is derived from the instance's current Sequence: NULL = deleted, the
 * entry's own = current, another = replaced. Metadata is the instance's
 * current one. The metadata column is last in its row, so the statements that
 * leave it out never touch its overflow pages. */
#define SELECT_ENTRY                                                                               \
    "SELECT e.seq, i.study_uid, i.series_uid, i.sop_uid, e.action, e.timestamp, i.current_seq"
#define FROM_ENTRY " FROM entries AS e JOIN instances AS i ON i.id = e.instance_id"

static const char SQL_PAGE[] = SELECT_ENTRY FROM_ENTRY " WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2";
static const char SQL_PAGE_META[] =
    SELECT_ENTRY ", i.metadata" FROM_ENTRY " WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2";
/* The window's first Sequence comes from the timestamp index (ties go to the
 * lowest Sequence, which the index holds in rowid order). */
#define WINDOW_FIRST                                                                               \
    "(SELECT seq FROM entries WHERE timestamp >= ?1 ORDER BY timestamp, seq LIMIT 1)"
static const char SQL_WINDOW[] = SELECT_ENTRY FROM_ENTRY
    " WHERE e.seq >= " WINDOW_FIRST " + ?3 AND e.timestamp < ?2 ORDER BY e.seq LIMIT ?4";
static const char SQL_WINDOW_META[] =
    SELECT_ENTRY ", i.metadata" FROM_ENTRY " WHERE e.seq >= " WINDOW_FIRST
                 " + ?3 AND e.timestamp < ?2 ORDER BY e.seq LIMIT ?4";
static const char SQL_LATEST[] = SELECT_ENTRY FROM_ENTRY " ORDER BY e.seq DESC LIMIT 1";
static const char SQL_LATEST_META[] =
    SELECT_ENTRY ", i.metadata" FROM_ENTRY " ORDER BY e.seq DESC LIMIT 1";
static const char SQL_FEED_ID[] = "SELECT id FROM feed LIMIT 1";
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
static const char SQL_BEGIN_READ[] = "BEGIN";
static const char SQL_END_READ[] = "COMMIT";
static const char SQL_LAST[] = "SELECT seq, timestamp FROM entries ORDER BY seq DESC LIMIT 1";

static const char SQL_FIND_INSTANCE[] =
    "SELECT id, current_seq FROM instances"
    " WHERE study_uid = ?1 AND series_uid = ?2 AND sop_uid = ?3";
static const char SQL_NEW_INSTANCE[] =
    "INSERT INTO instances (study_uid, series_uid, sop_uid) VALUES (?1, ?2, ?3)";
static const char SQL_NEW_ENTRY[] =
    "INSERT INTO entries (instance_id, action, timestamp) VALUES (?1, ?2, ?3)";
static const char SQL_SET_CURRENT[] =
    "UPDATE instances SET current_seq = ?2, metadata = ?3 WHERE id = ?1";
/* A copied entry keeps its Sequence: df_store_check_entry made sure that it
 * is max(seq) + 1, as SQLite would have chosen. */
static const char SQL_COPY_ENTRY[] =
    "INSERT INTO entries (seq, instance_id, action, timestamp) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_SET_FEED_ID[] = "UPDATE feed SET id = ?1";
/* A delete matches the existing instances of a study, a series or one
 * instance; the NULL tests let one statement serve all three. */
#define DELETE_MATCH                                                                               \
    " WHERE study_uid = ?1 AND (?2 IS NULL OR series_uid = ?2) AND (?3 IS NULL OR sop_uid = ?3)"   \
    " AND current_seq IS NOT NULL"
static const char SQL_DELETE_ENTRIES[] =
    "INSERT INTO entries (instance_id, action, timestamp)"
    " SELECT id, 1, ?4 FROM instances" DELETE_MATCH " ORDER BY id";
static const char SQL_DELETE_INSTANCES[] =
    "UPDATE instances SET current_seq = NULL, metadata = NULL" DELETE_MATCH;

enum {
    ST_PAGE,
    ST_PAGE_META,
    ST_WINDOW,
    ST_WINDOW_META,
    ST_LATEST,
    ST_LATEST_META,
    ST_LAST,
    ST_FEED_ID,
    ST_DATA_VERSION,
    ST_BEGIN_READ,
    ST_END_READ,
    ST_READERS, /* statements above this line are prepared for every store */
    ST_FIND_INSTANCE = ST_READERS,
    ST_NEW_INSTANCE,
    ST_NEW_ENTRY,
    ST_SET_CURRENT,
    ST_DELETE_ENTRIES,
    ST_DELETE_INSTANCES,
    ST_COPY_ENTRY,
    ST_SET_FEED_ID,
    ST_COUNT,
};

static const char *const statement_sql[ST_COUNT] = {
    [ST_PAGE] = SQL_PAGE,
    [ST_PAGE_META] = SQL_PAGE_META,
    [ST_WINDOW] = SQL_WINDOW,
    [ST_WINDOW_META] = SQL_WINDOW_META,
    [ST_LATEST] = SQL_LATEST,
    [ST_LATEST_META] = SQL_LATEST_META,
    [ST_LAST] = SQL_LAST,
    [ST_FEED_ID] = SQL_FEED_ID,
    [ST_DATA_VERSION] = SQL_DATA_VERSION,
    [ST_BEGIN_READ] = SQL_BEGIN_READ,
    [ST_END_READ] = SQL_END_READ,
    [ST_FIND_INSTANCE] = SQL_FIND_INSTANCE,
    [ST_NEW_INSTANCE] = SQL_NEW_INSTANCE,
    [ST_NEW_ENTRY] = SQL_NEW_ENTRY,
    [ST_SET_CURRENT] = SQL_SET_CURRENT,
    [ST_DELETE_ENTRIES] = SQL_DELETE_ENTRIES,
    [ST_DELETE_INSTANCES] = SQL_DELETE_INSTANCES,
    [ST_COPY_ENTRY] = SQL_COPY_ENTRY,
    [ST_SET_FEED_ID] = SQL_SET_FEED_ID,
};

struct df_store {
    sqlite3 *db;
    df_store_mode mode;
    char *path;
    dev_t dev;
    ino_t ino;
    bool in_batch;
    bool in_read;
    char feed_id[33];
    char next_feed_id[33];  /* set in the batch in progress ("" if not): the id at commit */
    int64_t last_sequence;  /* newest Sequence in the log, during a batch */
    int64_t last_timestamp; /* newest Timestamp in the log, during a batch */
    sqlite3_stmt *st[ST_COUNT];
#ifdef HAVE_LIBPQ
    df_pg *pg; /* not NULL for a PostgreSQL log: every call goes there */
#endif
};

/* Forwards a public call to the PostgreSQL backend when the store is one. */
#ifdef HAVE_LIBPQ
#define FORWARD(call)                                                                              \
    do {                                                                                           \
        if (s->pg != NULL)                                                                         \
            return call;                                                                           \
    } while (0)
#else
#define FORWARD(call) ((void)0)
#endif

bool df_store_is_pg_address(const char *address)
{
    if (strncmp(address, "postgresql://", 13) == 0 || strncmp(address, "postgres://", 11) == 0)
        return true;
    /* A conninfo is "keyword=value" pairs separated by spaces: a keyword
     * counts only at the start or after a space, so that a file path with
     * "dbname=" inside a folder's name stays a SQLite path. */
    if (strchr(address, '/') != NULL && strchr(address, '=') == NULL)
        return false;
    const char *keywords[] = {"host=", "hostaddr=", "dbname=", "service="};
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
        const char *at = strstr(address, keywords[i]);
        if (at != NULL && (at == address || at[-1] == ' '))
            return true;
    }
    return false;
}

/* Turns the connection's last failure into a DF_E… code and a message. The
 * message is SQLite's, which names neither the path nor any stored value. */
static int db_error(df_store *s, df_error *err, const char *what)
{
    int rc = sqlite3_errcode(s->db);
    int code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? DF_EBUSY : DF_EDB;
    if (rc == SQLITE_NOMEM)
        code = DF_ENOMEM;
    return df_error_set(err, code, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(df_store *s, const char *sql, df_error *err, const char *what)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(s, err, what);
    return 0;
}

static int pragma_int(df_store *s, const char *sql, int64_t *value, df_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        int code = db_error(s, err, "cannot read the log");
        sqlite3_finalize(st);
        return code;
    }
    *value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}

/* Creates or upgrades the schema under the write lock, so that two writers
 * starting at once do not both create it. */
static int migrate(df_store *s, df_error *err)
{
    int rc = exec(s, "BEGIN IMMEDIATE", err, "cannot lock the log to set up its schema");
    if (rc != 0)
        return rc;
    int64_t version = 0;
    rc = pragma_int(s, "PRAGMA user_version", &version, err);
    if (rc == 0 && version > DF_SCHEMA_VERSION)
        rc = df_error_set(err, DF_ESCHEMA,
                          "the log has schema version %lld; this build knows up to %d",
                          (long long)version, DF_SCHEMA_VERSION);
    if (rc == 0 && version == 0)
        rc = exec(s, SQL_SCHEMA_V1, err, "cannot create the log's schema");
    if (rc == 0)
        rc = exec(s, "COMMIT", err, "cannot commit the log's schema");
    if (rc != 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int check_schema(df_store *s, df_error *err)
{
    int64_t version = 0;
    int rc = pragma_int(s, "PRAGMA user_version", &version, err);
    if (rc != 0)
        return rc;
    if (version == 0)
        return df_error_set(err, DF_ESCHEMA, "the file is not a dcmfeed log (no schema version)");
    if (version > DF_SCHEMA_VERSION)
        return df_error_set(err, DF_ESCHEMA,
                            "the log has schema version %lld; this build knows up to %d",
                            (long long)version, DF_SCHEMA_VERSION);
    return 0;
}

static int setup_writer(df_store *s, df_error *err)
{
    sqlite3_busy_timeout(s->db, WRITER_BUSY_MS);
    /* journal_mode answers with a row; WAL lets readers go on while we write.
     * Switching a new log to WAL needs an exclusive lock and does not wait
     * through the busy handler: writers creating the log at the same moment
     * would fail at once, so it is retried until the writer's timeout. */
    int64_t ignored;
    int rc = 0;
    for (int waited_ms = 0;; waited_ms += 10) {
        rc = pragma_int(s, "PRAGMA journal_mode = WAL", &ignored, NULL);
        if (rc != DF_EBUSY || waited_ms >= WRITER_BUSY_MS)
            break;
        struct timespec pause = {0, 10 * 1000000L};
        nanosleep(&pause, NULL);
    }
    if (rc != 0)
        return db_error(s, err, "cannot set the log to WAL mode");
    /* Read-only readers (a web server's user) cannot create the -wal and
     * -shm files, so the writer keeps them in place after it closes. */
    int persist = 1;
    sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    /* The feed promises that a committed entry is never lost: FULL syncs
     * the WAL on every commit, not just at checkpoints. */
    rc = exec(s, "PRAGMA synchronous = FULL", err, "cannot configure the log");
    if (rc == 0)
        rc = migrate(s, err);
    return rc;
}

static int read_feed_id(df_store *s, df_error *err)
{
    sqlite3_stmt *st = s->st[ST_FEED_ID];
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) < (int)sizeof s->feed_id)
        memcpy(s->feed_id, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0) + 1);
    else
        rc = df_error_set(err, DF_ESCHEMA, "the log has no identity (table feed)");
    sqlite3_reset(st);
    return rc;
}

int df_store_open(const char *path, df_store_mode mode, df_store **out, df_error *err)
{
    *out = NULL;
    df_store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    s->mode = mode;
    s->path = strdup(path);
    int rc = 0;
    if (s->path == NULL) {
        rc = df_error_set(err, DF_ENOMEM, "out of memory");
        goto out;
    }
    if (df_store_is_pg_address(path)) {
#ifdef HAVE_LIBPQ
        rc = df_pg_open(path, mode, &s->pg, err);
#else
        rc = df_error_set(err, DF_EDB, "this build has no PostgreSQL support");
#endif
        goto out;
    }
    int flags = mode == DF_STORE_READONLY ? SQLITE_OPEN_READONLY
                                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = s->db != NULL ? db_error(s, err, "cannot open the log")
                           : df_error_set(err, DF_ENOMEM, "out of memory");
        goto out;
    }
    sqlite3_extended_result_codes(s->db, 0);
    if (mode == DF_STORE_READWRITE) {
        rc = setup_writer(s, err);
    } else {
        sqlite3_busy_timeout(s->db, READER_BUSY_MS);
        rc = exec(s, "PRAGMA query_only = 1", err, "cannot configure the log");
        if (rc == 0)
            rc = check_schema(s, err);
    }
    if (rc != 0)
        goto out;
    struct stat sb;
    if (stat(path, &sb) == 0) {
        s->dev = sb.st_dev;
        s->ino = sb.st_ino;
    }
    int n = mode == DF_STORE_READWRITE ? ST_COUNT : ST_READERS;
    for (int i = 0; i < n; i++) {
        if (sqlite3_prepare_v3(s->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK) {
            rc = db_error(s, err, "cannot prepare a statement on the log");
            goto out;
        }
    }
    rc = read_feed_id(s, err);
out:
    if (rc != 0) {
        df_store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void df_store_close(df_store *s)
{
    if (s == NULL)
        return;
#ifdef HAVE_LIBPQ
    df_pg_close(s->pg);
    s->pg = NULL;
#endif
    if (s->in_batch)
        df_store_rollback(s);
    df_store_read_end(s);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

bool df_store_replaced(const df_store *s)
{
    FORWARD(false);
    struct stat sb;
    if (stat(s->path, &sb) != 0)
        return true;
    return sb.st_dev != s->dev || sb.st_ino != s->ino;
}

/* Runs a statement that returns no row, then readies it for the next use. */
static int step_done(df_store *s, sqlite3_stmt *st, df_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    int code = rc == SQLITE_DONE ? 0 : db_error(s, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return code;
}

int64_t df_store_next_timestamp(int64_t *last)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t t = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    if (t < *last)
        t = *last;
    *last = t;
    return t;
}

static int require_writer(df_store *s, df_error *err)
{
    if (s->mode != DF_STORE_READWRITE)
        return df_error_set(err, DF_EINVAL, "the log is open read-only");
    if (!s->in_batch)
        return df_error_set(err, DF_EINVAL, "no batch in progress (call df_store_begin)");
    return 0;
}

int df_store_begin(df_store *s, df_error *err)
{
    FORWARD(df_pg_begin(s->pg, err));
    if (s->mode != DF_STORE_READWRITE)
        return df_error_set(err, DF_EINVAL, "the log is open read-only");
    if (s->in_batch)
        return df_error_set(err, DF_EINVAL, "a batch is already in progress");
    /* IMMEDIATE takes the write lock now, so the newest Timestamp read below
     * stays the newest until we commit. */
    int rc = exec(s, "BEGIN IMMEDIATE", err, "cannot lock the log for writing");
    if (rc != 0)
        return rc;
    s->in_batch = true;
    s->last_sequence = 0;
    s->last_timestamp = 0;
    s->next_feed_id[0] = '\0';
    sqlite3_stmt *st = s->st[ST_LAST];
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        s->last_sequence = sqlite3_column_int64(st, 0);
        s->last_timestamp = sqlite3_column_int64(st, 1);
    } else if (step != SQLITE_DONE)
        rc = db_error(s, err, "cannot read the log");
    sqlite3_reset(st);
    if (rc != 0)
        df_store_rollback(s);
    return rc;
}

int df_store_commit(df_store *s, df_error *err)
{
    FORWARD(df_pg_commit(s->pg, err));
    if (!s->in_batch)
        return df_error_set(err, DF_EINVAL, "no batch in progress (call df_store_begin)");
    int rc = exec(s, "COMMIT", err, "cannot commit to the log");
    if (rc != 0) {
        df_store_rollback(s);
        return rc;
    }
    s->in_batch = false;
    if (s->next_feed_id[0] != '\0')
        memcpy(s->feed_id, s->next_feed_id, sizeof s->feed_id);
    s->next_feed_id[0] = '\0';
    return 0;
}

void df_store_rollback(df_store *s)
{
#ifdef HAVE_LIBPQ
    if (s->pg != NULL) {
        df_pg_rollback(s->pg);
        return;
    }
#endif
    if (!s->in_batch)
        return;
    for (int i = ST_READERS; i < ST_COUNT; i++)
        if (s->st[i] != NULL)
            sqlite3_reset(s->st[i]);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_batch = false;
    s->next_feed_id[0] = '\0';
}

static void bind_uids(sqlite3_stmt *st, const char *study, const char *series, const char *sop)
{
    sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sop, -1, SQLITE_STATIC);
}

/* Looks the instance up by its UIDs: *id is 0 when the log has none, and
 * *current tells whether it has a present version (is not deleted). */
static int find_instance(df_store *s, const char *study_uid, const char *series_uid,
                         const char *sop_uid, int64_t *id, bool *current, df_error *err)
{
    sqlite3_stmt *find = s->st[ST_FIND_INSTANCE];
    bind_uids(find, study_uid, series_uid, sop_uid);
    *id = 0;
    *current = false;
    int rc = 0;
    int step = sqlite3_step(find);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(find, 0);
        *current = sqlite3_column_type(find, 1) != SQLITE_NULL;
    } else if (step != SQLITE_DONE) {
        rc = db_error(s, err, "cannot read the log");
    }
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    return rc;
}

/* The instance's row, made when the log has none yet; *id receives it. */
static int ensure_instance(df_store *s, const char *study_uid, const char *series_uid,
                           const char *sop_uid, int64_t *id, df_error *err)
{
    if (*id != 0)
        return 0;
    sqlite3_stmt *ins = s->st[ST_NEW_INSTANCE];
    bind_uids(ins, study_uid, series_uid, sop_uid);
    int rc = step_done(s, ins, err, "cannot append to the log");
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* Makes entry seq the instance's present version with metadata, or, when
 * seq is 0, makes the instance deleted (current_seq and metadata NULL). */
static int set_current(df_store *s, int64_t id, int64_t seq, const char *metadata,
                       size_t metadata_len, df_error *err)
{
    sqlite3_stmt *set = s->st[ST_SET_CURRENT];
    sqlite3_bind_int64(set, 1, id);
    if (seq != 0)
        sqlite3_bind_int64(set, 2, seq);
    if (seq != 0 && metadata != NULL)
        sqlite3_bind_text(set, 3, metadata, (int)metadata_len, SQLITE_STATIC);
    return step_done(s, set, err, "cannot append to the log");
}

int df_store_add(df_store *s, const char *study_uid, const char *series_uid, const char *sop_uid,
                 const char *metadata, size_t metadata_len, int64_t *sequence, bool *replaced,
                 df_error *err)
{
    FORWARD(df_pg_add(s->pg, study_uid, series_uid, sop_uid, metadata, metadata_len, sequence,
                      replaced, err));
    int rc = require_writer(s, err);
    if (rc != 0)
        return rc;
    if (metadata_len > (size_t)INT32_MAX)
        return df_error_set(err, DF_EINVAL, "metadata of %zu bytes is too large", metadata_len);

    int64_t id;
    bool existed;
    rc = find_instance(s, study_uid, series_uid, sop_uid, &id, &existed, err);
    if (rc == 0)
        rc = ensure_instance(s, study_uid, series_uid, sop_uid, &id, err);
    if (rc != 0)
        return rc;

    sqlite3_stmt *entry = s->st[ST_NEW_ENTRY];
    sqlite3_bind_int64(entry, 1, id);
    sqlite3_bind_int(entry, 2, DF_ACTION_CREATE);
    sqlite3_bind_int64(entry, 3, df_store_next_timestamp(&s->last_timestamp));
    rc = step_done(s, entry, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    int64_t seq = sqlite3_last_insert_rowid(s->db);
    s->last_sequence = seq;

    rc = set_current(s, id, seq, metadata, metadata_len, err);
    if (rc != 0)
        return rc;
    if (sequence != NULL)
        *sequence = seq;
    if (replaced != NULL)
        *replaced = existed;
    return 0;
}

static void bind_match(sqlite3_stmt *st, const char *study, const char *series, const char *sop)
{
    sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
    if (series != NULL)
        sqlite3_bind_text(st, 2, series, -1, SQLITE_STATIC);
    if (series != NULL && sop != NULL)
        sqlite3_bind_text(st, 3, sop, -1, SQLITE_STATIC);
}

int df_store_delete(df_store *s, const char *study_uid, const char *series_uid, const char *sop_uid,
                    int64_t *count, df_error *err)
{
    FORWARD(df_pg_delete(s->pg, study_uid, series_uid, sop_uid, count, err));
    int rc = require_writer(s, err);
    if (rc != 0)
        return rc;
    if (series_uid == NULL && sop_uid != NULL)
        return df_error_set(err, DF_EINVAL, "an instance to delete needs its series");

    /* Entries first, while the instances still count as existing; then the
     * instances lose their current version and their metadata (PHI). */
    sqlite3_stmt *entries = s->st[ST_DELETE_ENTRIES];
    bind_match(entries, study_uid, series_uid, sop_uid);
    sqlite3_bind_int64(entries, 4, df_store_next_timestamp(&s->last_timestamp));
    rc = step_done(s, entries, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    int64_t appended = sqlite3_changes64(s->db);
    s->last_sequence += appended;

    sqlite3_stmt *instances = s->st[ST_DELETE_INSTANCES];
    bind_match(instances, study_uid, series_uid, sop_uid);
    rc = step_done(s, instances, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    if (count != NULL)
        *count = appended;
    return 0;
}

int df_store_check_entry(const df_entry *e, int64_t last_sequence, int64_t last_timestamp,
                         df_error *err)
{
    if (e->study_uid == NULL || e->series_uid == NULL || e->sop_uid == NULL)
        return df_error_set(err, DF_EINVAL, "entry %lld has no UIDs", (long long)e->sequence);
    if (e->action != DF_ACTION_CREATE && e->action != DF_ACTION_DELETE)
        return df_error_set(err, DF_EINVAL, "entry %lld has an unknown action",
                            (long long)e->sequence);
    if (e->action == DF_ACTION_CREATE && e->metadata_len > (size_t)INT32_MAX)
        return df_error_set(err, DF_EINVAL, "entry %lld: metadata of %zu bytes is too large",
                            (long long)e->sequence, e->metadata_len);
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
    if (e->timestamp_us < 0 || e->timestamp_us > DF_TIMESTAMP_MAX)
        return df_error_set(err, DF_EINVAL,
                            "entry %lld has a Timestamp outside 1970-01-01 to 9999-12-31",
                            (long long)e->sequence);
    return 0;
}

int df_store_append_entry(df_store *s, const df_entry *e, df_error *err)
{
    FORWARD(df_pg_append_entry(s->pg, e, err));
    int rc = require_writer(s, err);
    if (rc == 0)
        rc = df_store_check_entry(e, s->last_sequence, s->last_timestamp, err);
    int64_t id = 0;
    bool current = false;
    if (rc == 0)
        rc = find_instance(s, e->study_uid, e->series_uid, e->sop_uid, &id, &current, err);
    if (rc != 0)
        return rc;
    bool create = e->action == DF_ACTION_CREATE;
    /* As df_store_delete appends entries only for instances that exist. */
    if (!create && !current)
        return df_error_set(err, DF_EINVAL, "entry %lld deletes an instance the log does not hold",
                            (long long)e->sequence);
    if (create)
        rc = ensure_instance(s, e->study_uid, e->series_uid, e->sop_uid, &id, err);
    if (rc != 0)
        return rc;
    sqlite3_stmt *entry = s->st[ST_COPY_ENTRY];
    sqlite3_bind_int64(entry, 1, e->sequence);
    sqlite3_bind_int64(entry, 2, id);
    sqlite3_bind_int(entry, 3, create ? DF_ACTION_CREATE : DF_ACTION_DELETE);
    sqlite3_bind_int64(entry, 4, e->timestamp_us);
    rc = step_done(s, entry, err, "cannot append to the log");
    if (rc == 0)
        rc = set_current(s, id, create ? e->sequence : 0, e->metadata, e->metadata_len, err);
    if (rc != 0)
        return rc;
    s->last_sequence = e->sequence;
    s->last_timestamp = e->timestamp_us;
    return 0;
}

int df_store_check_feed_id(const char *feed_id, const char *expected, const char *current,
                           int64_t last_sequence, df_error *err)
{
    /* The responder puts the first 16 digits into ETags as they are. */
    size_t n = strspn(feed_id, "0123456789abcdef");
    if (n != 32 || feed_id[n] != '\0')
        return df_error_set(err, DF_EINVAL, "a log's identity is 32 lowercase hex digits");
    if (expected == NULL && last_sequence != 0)
        return df_error_set(err, DF_EINVAL,
                            "the log holds entries: only an empty log can take another identity");
    if (expected != NULL && strcmp(current, expected) != 0)
        return df_error_set(err, DF_EINVAL,
                            "the log's identity is not the one expected: it keeps its own");
    return 0;
}

int df_store_set_feed_id(df_store *s, const char *feed_id, const char *expected, df_error *err)
{
    FORWARD(df_pg_set_feed_id(s->pg, feed_id, expected, err));
    int rc = require_writer(s, err);
    const char *current = s->next_feed_id[0] != '\0' ? s->next_feed_id : s->feed_id;
    if (rc == 0)
        rc = df_store_check_feed_id(feed_id, expected, current, s->last_sequence, err);
    if (rc != 0)
        return rc;
    sqlite3_stmt *st = s->st[ST_SET_FEED_ID];
    sqlite3_bind_text(st, 1, feed_id, -1, SQLITE_STATIC);
    rc = step_done(s, st, err, "cannot write the log's identity");
    if (rc == 0)
        memcpy(s->next_feed_id, feed_id, sizeof s->next_feed_id);
    return rc;
}

/* Steps a reader statement and hands each row to fn as a df_entry. */
static int read_entries(df_store *s, sqlite3_stmt *st, bool with_metadata, df_entry_fn fn,
                        void *ctx, int *rows, df_error *err)
{
    int rc = 0;
    int step;
    *rows = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        df_entry e;
        e.sequence = sqlite3_column_int64(st, 0);
        e.study_uid = (const char *)sqlite3_column_text(st, 1);
        e.series_uid = (const char *)sqlite3_column_text(st, 2);
        e.sop_uid = (const char *)sqlite3_column_text(st, 3);
        e.action =
            sqlite3_column_int(st, 4) == DF_ACTION_DELETE ? DF_ACTION_DELETE : DF_ACTION_CREATE;
        e.timestamp_us = sqlite3_column_int64(st, 5);
        if (sqlite3_column_type(st, 6) == SQLITE_NULL)
            e.state = DF_STATE_DELETED;
        else if (sqlite3_column_int64(st, 6) == e.sequence)
            e.state = DF_STATE_CURRENT;
        else
            e.state = DF_STATE_REPLACED;
        e.metadata = NULL;
        e.metadata_len = 0;
        if (with_metadata && e.state != DF_STATE_DELETED) {
            e.metadata = (const char *)sqlite3_column_text(st, 7);
            e.metadata_len = (size_t)sqlite3_column_bytes(st, 7);
        }
        if (e.study_uid == NULL || e.series_uid == NULL || e.sop_uid == NULL) {
            rc = df_error_set(err, DF_EDB, "the log holds an entry without its UIDs");
            break;
        }
        (*rows)++;
        rc = fn(ctx, &e);
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(s, err, "cannot read the log");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

int df_store_page(df_store *s, int64_t after, int limit, bool with_metadata, df_entry_fn fn,
                  void *ctx, df_error *err)
{
    FORWARD(df_pg_page(s->pg, after, limit, with_metadata, fn, ctx, err));
    sqlite3_stmt *st = s->st[with_metadata ? ST_PAGE_META : ST_PAGE];
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, limit);
    int rows;
    return read_entries(s, st, with_metadata, fn, ctx, &rows, err);
}

int df_store_window(df_store *s, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                    bool with_metadata, df_entry_fn fn, void *ctx, df_error *err)
{
    FORWARD(df_pg_window(s->pg, start_us, end_us, skip, limit, with_metadata, fn, ctx, err));
    sqlite3_stmt *st = s->st[with_metadata ? ST_WINDOW_META : ST_WINDOW];
    sqlite3_bind_int64(st, 1, start_us);
    sqlite3_bind_int64(st, 2, end_us);
    sqlite3_bind_int64(st, 3, skip);
    sqlite3_bind_int(st, 4, limit);
    int rows;
    return read_entries(s, st, with_metadata, fn, ctx, &rows, err);
}

int df_store_latest(df_store *s, bool with_metadata, df_entry_fn fn, void *ctx, df_error *err)
{
    FORWARD(df_pg_latest(s->pg, with_metadata, fn, ctx, err));
    int rows;
    int rc = read_entries(s, s->st[with_metadata ? ST_LATEST_META : ST_LATEST], with_metadata, fn,
                          ctx, &rows, err);
    if (rc == 0 && rows == 0)
        return DF_ENOTFOUND;
    return rc;
}

int df_store_last_sequence(df_store *s, int64_t *sequence, df_error *err)
{
    FORWARD(df_pg_last_sequence(s->pg, sequence, err));
    sqlite3_stmt *st = s->st[ST_LAST];
    int rc = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *sequence = sqlite3_column_int64(st, 0);
    else if (step == SQLITE_DONE)
        *sequence = 0;
    else
        rc = db_error(s, err, "cannot read the log");
    sqlite3_reset(st);
    return rc;
}

const char *df_store_feed_id(const df_store *s)
{
    FORWARD(df_pg_feed_id(s->pg));
    return s->feed_id;
}

int df_store_data_version(df_store *s, int64_t *version, df_error *err)
{
    FORWARD(df_pg_last_sequence(s->pg, version, err));
    sqlite3_stmt *st = s->st[ST_DATA_VERSION];
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        *version = sqlite3_column_int64(st, 0);
    else
        rc = db_error(s, err, "cannot read the log");
    sqlite3_reset(st);
    return rc;
}

int df_store_read_begin(df_store *s, df_error *err)
{
    FORWARD(df_pg_read_begin(s->pg, err));
    if (s->in_read || s->in_batch)
        return 0;
    int rc = step_done(s, s->st[ST_BEGIN_READ], err, "cannot read the log");
    if (rc == 0)
        s->in_read = true;
    return rc;
}

void df_store_read_end(df_store *s)
{
#ifdef HAVE_LIBPQ
    if (s->pg != NULL) {
        df_pg_read_end(s->pg);
        return;
    }
#endif
    if (!s->in_read)
        return;
    for (int i = 0; i < ST_READERS; i++)
        if (s->st[i] != NULL)
            sqlite3_reset(s->st[i]);
    if (sqlite3_step(s->st[ST_END_READ]) != SQLITE_DONE)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_reset(s->st[ST_END_READ]);
    s->in_read = false;
}

/* --- an address for logs ---------------------------------------------------- */

/* The secret spans of an address, as byte ranges [from, to). When more are
 * found than there are slots, the last one stretches to the end of the
 * address: hiding too much is the safe side. */
#define SECRETS_MAX 8

struct secrets {
    size_t from[SECRETS_MAX], to[SECRETS_MAX];
    int n;
};

static void add_secret(struct secrets *sc, size_t from, size_t to, size_t len)
{
    if (from >= to)
        return;
    if (sc->n == SECRETS_MAX) {
        if (from < sc->from[SECRETS_MAX - 1])
            sc->from[SECRETS_MAX - 1] = from;
        sc->to[SECRETS_MAX - 1] = len;
        return;
    }
    sc->from[sc->n] = from;
    sc->to[sc->n] = to;
    sc->n++;
}

/* The value a[v..v_end) of keyword a[key..key_end) is secret when the keyword
 * ends in "password" (any case), is percent-encoded (a URI parameter's name
 * may be), or is a dbname holding a connection string of its own (libpq
 * expands one, password included). */
static bool check_value(struct secrets *sc, const char *a, size_t key, size_t key_end, size_t v,
                        size_t v_end, size_t len)
{
    static const char word[] = "password";
    const size_t n = sizeof word - 1;
    bool secret = memchr(a + key, '%', key_end - key) != NULL;
    if (key_end - key >= n) {
        bool ends_in_word = true;
        for (size_t i = 0; i < n; i++) {
            char c = a[key_end - n + i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            ends_in_word = ends_in_word && c == word[i];
        }
        secret = secret || ends_in_word;
    }
    if (key_end - key == 6 && memcmp(a + key, "dbname", 6) == 0)
        for (size_t i = v; i < v_end; i++)
            secret = secret || a[i] == '=' || a[i] == ':' || a[i] == '%';
    if (secret)
        add_secret(sc, v, v_end, len);
    return secret;
}

static bool conninfo_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* libpq's conninfo: keyword = value pairs, a value unquoted up to a space or
 * in single quotes, with backslash escapes in both. A word without '=' (a
 * SQLite path) is skipped. */
static void conninfo_secrets(const char *a, size_t len, struct secrets *sc)
{
    size_t i = 0;
    /* Words without '=' after a secret value ("password=my s3cret", which
     * libpq refuses) are taken for the rest of that value. */
    bool in_secret = false;
    while (i < len) {
        while (i < len && conninfo_space(a[i]))
            i++;
        size_t key = i;
        while (i < len && !conninfo_space(a[i]) && a[i] != '=')
            i++;
        size_t key_end = i;
        while (i < len && conninfo_space(a[i]))
            i++;
        if (i >= len || a[i] != '=') {
            if (in_secret && key_end > key)
                add_secret(sc, key, key_end, len);
            continue;
        }
        i++;
        while (i < len && conninfo_space(a[i]))
            i++;
        size_t v = i;
        bool quoted = i < len && a[i] == '\'';
        if (quoted)
            i++;
        while (i < len && (quoted ? a[i] != '\'' : !conninfo_space(a[i]))) {
            if (a[i] == '\\' && i + 1 < len)
                i++;
            i++;
        }
        if (quoted && i < len)
            i++;
        in_secret = check_value(sc, a, key, key_end, v, i, len);
    }
}

/* A URI: the user information ends at the last '@' (libpq takes the first,
 * but a password with an unescaped '@' or '/' must not show its tail), the
 * password is what follows its first ':'. Parameters are split at '&' and at
 * every '?', in case a '?' sits in the password. */
static void uri_secrets(const char *a, size_t len, size_t start, struct secrets *sc)
{
    const char *at = strrchr(a + start, '@');
    if (at != NULL) {
        const char *colon = memchr(a + start, ':', (size_t)(at - (a + start)));
        if (colon != NULL)
            add_secret(sc, (size_t)(colon + 1 - a), (size_t)(at - a), len);
    }
    const char *q = strchr(a + start, '?');
    for (size_t i = q != NULL ? (size_t)(q - a) + 1 : len; i < len;) {
        size_t end = i + strcspn(a + i, "&?");
        const char *eq = memchr(a + i, '=', end - i);
        if (eq != NULL)
            check_value(sc, a, i, (size_t)(eq - a), (size_t)(eq - a) + 1, end, len);
        i = end + 1;
    }
}

const char *df_store_address_for_log(const char *address, char *out, size_t size)
{
    if (size == 0)
        return out;
    size_t len = strlen(address);
    struct secrets sc = {.n = 0};
    size_t start = strncmp(address, "postgresql://", 13) == 0 ? 13
                   : strncmp(address, "postgres://", 11) == 0 ? 11
                                                              : 0;
    if (start > 0)
        uri_secrets(address, len, start, &sc);
    else
        conninfo_secrets(address, len, &sc);
    size_t o = 0;
    bool in_secret = false;
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        bool secret = false;
        for (int k = 0; k < sc.n; k++)
            secret = secret || (i >= sc.from[k] && i < sc.to[k]);
        if (secret && !in_secret)
            for (const char *m = "***"; *m != '\0' && o + 1 < size; m++)
                out[o++] = *m;
        else if (!secret)
            out[o++] = address[i];
        in_secret = secret;
    }
    out[o] = '\0';
    return out;
}
