/* The log in SQLite, a backend of the store (store_backend.h): the schema and
 * its migrations, the writer's appends and the readers' keyset pages, as
 * docs/schema.md documents them. The only file that includes sqlite3.h. Any
 * address that no other backend claims is a SQLite file path. */
#include "store_backend.h"
#include "store_derive.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "path_check.h"

/* Writers wait this long for the write lock before giving up with DF_EBUSY:
 * several ingest processes queue behind one another's batches. */
#define WRITER_BUSY_MS 30000
/* Readers only wait on a writer's WAL recovery or checkpoint; a responder
 * answers 503 rather than keep a web request hanging. */
#define READER_BUSY_MS 2000
/* A reader's page cache, in KiB (negative: SQLite's unit for a size). Its
 * pages are in the system's file cache anyway, and a keyset page walks one
 * path of the B-tree and then reads forward: SQLite's default of 2 MiB per
 * connection, one per responder thread, was most of a responder's memory
 * (9 of 15 MB with 4 threads). But a page whose rows need more pages than
 * the cache holds finds none of them there the next time (the cache keeps
 * the most recent): a page of 100 real headers, de-identified, reads ~180
 * (their instances, copies and overflow pages; 720 KB), and with 512 KiB
 * each request read all of them again from the WAL, 60 µs of system time
 * per request on top of 63 in the process (tests/bench/real_log.py's log).
 * 1 MiB holds them; SQLite takes the memory only as pages are read. */
#define READER_CACHE_KIB "-1024"
/* The mode of a log's files: the owner writes, the folder's group (the web
 * server's) reads, nobody else. SQLite gives the -wal and -shm files the
 * log's own mode and, run as root, its owner. */
#define LOG_FILE_MODE 0640

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

/* Version 4: every entry has a kind, its SOP Class UID, Modality and action
 * ('' for none), so that v2 entries carry the first two and a filter finds
 * the entries it matches through entries_kind, one index range per kind;
 * an instance keeps the kind of its present version (for its delete) and,
 * beside its metadata, the de-identified copy of it (store_derive.h). */
static const char SQL_SCHEMA_V4[] =
    "CREATE TABLE kinds ("
    "  id INTEGER PRIMARY KEY,"
    "  sop_class_uid TEXT NOT NULL,"
    "  modality TEXT NOT NULL,"
    "  action INTEGER NOT NULL,"
    "  UNIQUE (sop_class_uid, modality, action)"
    ");"
    "CREATE TABLE deid_metadata ("
    "  instance_id INTEGER PRIMARY KEY REFERENCES instances(id),"
    "  metadata TEXT NOT NULL"
    ");"
    "ALTER TABLE instances ADD COLUMN kind INTEGER REFERENCES kinds(id);"
    "ALTER TABLE entries ADD COLUMN kind INTEGER REFERENCES kinds(id);";
/* After the instances have their kind: every kind an entry of theirs may
 * have, then each entry's. The entries' trigger forbids an UPDATE; this one,
 * the migration's, is the only one there is, inside its transaction (a log
 * written without the trigger, by a third-party writer, gets it here). */
static const char SQL_UPGRADE_V4_ENTRIES[] =
    "INSERT OR IGNORE INTO kinds (sop_class_uid, modality, action)"
    "  SELECT k.sop_class_uid, k.modality, a.action"
    "  FROM (SELECT DISTINCT kind FROM instances WHERE kind IS NOT NULL) AS x"
    "  JOIN kinds AS k ON k.id = x.kind,"
    "  (SELECT 0 AS action UNION ALL SELECT 1 UNION ALL SELECT 2) AS a;"
    "INSERT OR IGNORE INTO kinds (sop_class_uid, modality, action)"
    "  VALUES ('', '', 0), ('', '', 1), ('', '', 2);"
    "DROP TRIGGER IF EXISTS entries_no_update;"
    "UPDATE entries SET kind = (SELECT d.id FROM instances AS i"
    "  LEFT JOIN kinds AS k ON k.id = i.kind"
    "  JOIN kinds AS d ON d.sop_class_uid = coalesce(k.sop_class_uid, '')"
    "  AND d.modality = coalesce(k.modality, '') AND d.action = entries.action"
    "  WHERE i.id = entries.instance_id);"
    "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries"
    "  BEGIN SELECT RAISE(ABORT, 'change feed entries are immutable'); END;"
    "CREATE INDEX entries_kind ON entries(kind, seq);"
    "PRAGMA user_version = 4;";

/* State is derived from the instance's current Sequence: NULL = deleted, the
 * entry's own = current, another = replaced. Metadata is the instance's
 * current one, or its de-identified copy. The metadata column is last in its
 * row, so the statements that leave it out never touch its overflow pages.
 * Every reader's row is: seq, UIDs, action, timestamp, current_seq, SOP Class
 * UID, Modality (NULL where the statement or the log has no kinds), and the
 * metadata when asked for. */
#define SELECT_ENTRY                                                                               \
    "SELECT e.seq, i.study_uid, i.series_uid, i.sop_uid, e.action, e.timestamp, i.current_seq"
#define NO_KIND    ", NULL, NULL"
#define KIND       ", k.sop_class_uid, k.modality"
#define META       ", i.metadata"
#define DEID       ", d.metadata"
#define FROM_ENTRY " FROM entries AS e JOIN instances AS i ON i.id = e.instance_id"
#define JOIN_KIND  " LEFT JOIN kinds AS k ON k.id = e.kind"
#define JOIN_DEID  " LEFT JOIN deid_metadata AS d ON d.instance_id = e.instance_id"

#define PAGE_WHERE " WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2"
/* The window's first Sequence comes from the timestamp index (ties go to the
 * lowest Sequence, which the index holds in rowid order). */
#define WINDOW_FIRST                                                                               \
    "(SELECT seq FROM entries WHERE timestamp >= ?1 ORDER BY timestamp, seq LIMIT 1)"
#define WINDOW_WHERE                                                                               \
    " WHERE e.seq >= " WINDOW_FIRST " + ?3 AND e.timestamp < ?2 ORDER BY e.seq LIMIT ?4"
#define LATEST_WHERE " ORDER BY e.seq DESC LIMIT 1"
/* A filtered window: the Sequences [?1, ?2) of the window (SQL_WINDOW_BOUNDS),
 * the entries of the kinds that match, found through entries_kind: SQLite
 * reads each kind's range in Sequence order and stops it after ?3 + ?4 rows
 * (its ORDER BY LIMIT optimisation of IN), then orders what it read, so a
 * page costs what it reads and skips, not what does not match. The
 * Sequences are chosen alone, in a subquery that entries_kind covers, and
 * only the page's are joined to their rows: with the joins in the same
 * query SQLite read every entry of the kinds that match (36 ms instead of
 * 0.3 for a page of a kind with 23,000 entries), and with the entries' rows
 * in the subquery each entry skipped by offset cost a row's page (900
 * skipped in a 10,000,000-entry log: 3.4 ms). ?5 says whether SOP Classes
 * are asked (?8 … ?23), ?6 whether Modalities are (?24 … ?39); ?7 is the
 * mask of actions. */
#define FROM_MATCHING                                                                              \
    " FROM (SELECT seq FROM entries"                                                               \
    " WHERE kind IN (SELECT id FROM kinds WHERE (?5 = 0 OR sop_class_uid IN (?8, ?9, ?10, ?11, "   \
    "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23))"                                 \
    " AND (?6 = 0 OR modality IN (?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, "    \
    "?36, ?37, ?38, ?39))"                                                                         \
    " AND (?7 >> action) & 1)"                                                                     \
    " AND seq >= ?1 AND seq < ?2 ORDER BY seq LIMIT ?3 OFFSET ?4) AS s"                            \
    " JOIN entries AS e ON e.seq = s.seq JOIN instances AS i ON i.id = e.instance_id"
#define MATCHING_ORDER " ORDER BY e.seq"
#define FILTER_FIRST   8 /* the first SOP Class slot; FILTER_FIRST + 16 the first Modality's */

static const char SQL_WINDOW_BOUNDS[] =
    "SELECT (SELECT seq FROM entries WHERE timestamp >= ?1 ORDER BY timestamp, seq LIMIT 1),"
    " (SELECT seq FROM entries WHERE timestamp >= ?2 ORDER BY timestamp, seq LIMIT 1)";
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
static const char SQL_FIND_KIND[] =
    "SELECT id FROM kinds WHERE sop_class_uid = ?1 AND modality = ?2 AND action = ?3";
static const char SQL_NEW_KIND[] =
    "INSERT INTO kinds (sop_class_uid, modality, action) VALUES (?1, ?2, ?3)";
/* A copied delete whose source gave no kind takes the instance's. */
static const char SQL_INSTANCE_KIND[] = "SELECT k.sop_class_uid, k.modality FROM instances AS i"
                                        " JOIN kinds AS k ON k.id = i.kind WHERE i.id = ?1";
/* Every entry's Sequence is given: the newest + 1, which the store read
 * under the write lock (as SQLite's own rowid would be: no AUTOINCREMENT, and
 * rows are never deleted). */
static const char SQL_NEW_ENTRY[] =
    "INSERT INTO entries (seq, instance_id, action, timestamp, kind) VALUES (?1, ?2, ?3, ?4, ?5)";
/* A delete keeps the instance's kind: its delete to come has it. */
static const char SQL_SET_CURRENT[] =
    "UPDATE instances SET current_seq = ?2, metadata = ?3, kind = coalesce(?4, kind) WHERE id = ?1";
static const char SQL_SET_DEID[] =
    "INSERT OR REPLACE INTO deid_metadata (instance_id, metadata) VALUES (?1, ?2)";
static const char SQL_DROP_DEID[] = "DELETE FROM deid_metadata WHERE instance_id = ?1";
static const char SQL_SET_FEED_ID[] = "UPDATE feed SET id = ?1";
/* Version 3: an identifier names one instance, so a new one replaces the
 * row (an UPSERT needs SQLite 3.24; configure asks for 3.22). */
static const char SQL_SET_ARCHIVE_ID[] =
    "INSERT OR REPLACE INTO archive_ids (archive, archive_id, instance_id)"
    " SELECT ?1, ?2, id FROM instances WHERE study_uid = ?3 AND series_uid = ?4 AND sop_uid = ?5";
static const char SQL_FIND_ARCHIVE_ID[] =
    "SELECT i.study_uid, i.series_uid, i.sop_uid, i.current_seq IS NOT NULL"
    " FROM archive_ids AS a JOIN instances AS i ON i.id = a.instance_id"
    " WHERE a.archive = ?1 AND a.archive_id = ?2";
static const char SQL_WRITER_POSITION[] = "SELECT position FROM writer_positions WHERE writer = ?1";
static const char SQL_SET_WRITER_POSITION[] =
    "INSERT OR REPLACE INTO writer_positions (writer, position) VALUES (?1, ?2)";
/* A delete matches the existing instances of a study, a series or one
 * instance; the NULL tests let one statement serve all three. */
#define DELETE_MATCH                                                                               \
    " WHERE study_uid = ?1 AND (?2 IS NULL OR series_uid = ?2) AND (?3 IS NULL OR sop_uid = ?3)"   \
    " AND current_seq IS NOT NULL"
/* The kinds of the deletes to append, before the entries that have them. */
static const char SQL_DELETE_KINDS[] =
    "INSERT OR IGNORE INTO kinds (sop_class_uid, modality, action)"
    " SELECT DISTINCT coalesce(k.sop_class_uid, ''), coalesce(k.modality, ''), 1"
    " FROM instances LEFT JOIN kinds AS k ON k.id = instances.kind" DELETE_MATCH;
/* SQLite numbers the rows max(seq) + 1, + 2, … in the order the instances
 * first appeared: the Sequences the store expects (checked after; a window
 * function would say it in the SQL, but needs SQLite 3.25). */
static const char SQL_DELETE_ENTRIES[] =
    "INSERT INTO entries (instance_id, action, timestamp, kind)"
    " SELECT instances.id, 1, ?4, (SELECT d.id FROM kinds AS d WHERE d.action = 1"
    " AND d.sop_class_uid = coalesce(k.sop_class_uid, '') AND d.modality = coalesce(k.modality, "
    "''))"
    " FROM instances LEFT JOIN kinds AS k ON k.id = instances.kind" DELETE_MATCH
    " ORDER BY instances.id";
static const char SQL_DELETE_DEID[] =
    "DELETE FROM deid_metadata WHERE instance_id IN (SELECT id FROM instances" DELETE_MATCH ")";
static const char SQL_DELETE_INSTANCES[] =
    "UPDATE instances SET current_seq = NULL, metadata = NULL" DELETE_MATCH;

/* Readers: one statement per route and metadata (none, full, de-identified),
 * indexed [route][metadata]. */
/* R_COPY: a page whose entries carry their kinds (df_store_copy_page). */
enum { R_PAGE, R_COPY, R_WINDOW, R_MATCHING, R_LATEST, R_COUNT };

/* The instances with a present version, for a writer that compares the log
 * with an archive (reconcile): the entries of their present versions, in the
 * shape read_entries reads (state current), by the instances' index. */
#define FROM_CURRENT " FROM instances AS i JOIN entries AS e ON e.seq = i.current_seq"
#define CURRENT_IN_STUDY                                                                           \
    " WHERE i.study_uid = ?1 AND (?2 IS NULL OR i.series_uid = ?2) AND i.current_seq IS NOT NULL"  \
    " ORDER BY i.series_uid, i.sop_uid"
#define CURRENT_ONE                                                                                \
    " WHERE i.study_uid = ?1 AND i.series_uid = ?2 AND i.sop_uid = ?3"                             \
    " AND i.current_seq IS NOT NULL"
static const char SQL_CURRENT[] = SELECT_ENTRY NO_KIND FROM_CURRENT CURRENT_IN_STUDY;
static const char SQL_CURRENT_META[] = SELECT_ENTRY NO_KIND META FROM_CURRENT CURRENT_IN_STUDY;
static const char SQL_CURRENT_ONE[] = SELECT_ENTRY NO_KIND FROM_CURRENT CURRENT_ONE;
static const char SQL_CURRENT_ONE_META[] = SELECT_ENTRY NO_KIND META FROM_CURRENT CURRENT_ONE;
/* Walks the instances' UNIQUE index: each study once, in byte order. */
static const char SQL_CURRENT_STUDIES[] =
    "SELECT DISTINCT study_uid FROM instances WHERE study_uid > ?1 AND current_seq IS NOT NULL"
    " ORDER BY study_uid LIMIT ?2";

/* Walks archive_ids' primary key (archive, archive_id): a page costs its
 * rows, wherever it starts. */
static const char SQL_ARCHIVE_INSTANCES[] =
    "SELECT a.archive_id, i.study_uid, i.series_uid, i.sop_uid"
    " FROM archive_ids AS a JOIN instances AS i ON i.id = a.instance_id"
    " WHERE a.archive = ?1 AND a.archive_id > ?2 AND i.current_seq IS NOT NULL"
    " ORDER BY a.archive_id LIMIT ?3";

enum {
    ST_READ, /* R_COUNT × 3 statements */
    ST_WINDOW_BOUNDS = ST_READ + R_COUNT * 3,
    ST_LAST,
    ST_FEED_ID,
    ST_DATA_VERSION,
    ST_BEGIN_READ,
    ST_END_READ,
    ST_READERS, /* statements above this line are prepared for every store */
    ST_FIND_INSTANCE = ST_READERS,
    ST_NEW_INSTANCE,
    ST_FIND_KIND,
    ST_NEW_KIND,
    ST_INSTANCE_KIND,
    ST_NEW_ENTRY,
    ST_SET_CURRENT,
    ST_SET_DEID,
    ST_DROP_DEID,
    ST_DELETE_KINDS,
    ST_DELETE_ENTRIES,
    ST_DELETE_DEID,
    ST_DELETE_INSTANCES,
    ST_SET_FEED_ID,
    ST_SET_ARCHIVE_ID,
    ST_FIND_ARCHIVE_ID,
    ST_WRITER_POSITION,
    ST_SET_WRITER_POSITION,
    ST_LAZY, /* statements from here on are prepared at their first use: few programs need them */
    ST_CURRENT = ST_LAZY,
    ST_CURRENT_META,
    ST_CURRENT_ONE,
    ST_CURRENT_ONE_META,
    ST_CURRENT_STUDIES,
    ST_ARCHIVE_INSTANCES,
    ST_COUNT,
};

#define READ(route, meta) (ST_READ + (route)*3 + (meta))

/* The statements of a log of version 4. */
static const char *const statement_sql[ST_COUNT] = {
    [READ(R_PAGE, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY PAGE_WHERE,
    [READ(R_PAGE, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY PAGE_WHERE,
    [READ(R_PAGE, DF_METADATA_DEID)] = SELECT_ENTRY NO_KIND DEID FROM_ENTRY JOIN_DEID PAGE_WHERE,
    [READ(R_COPY, DF_METADATA_NONE)] = SELECT_ENTRY KIND FROM_ENTRY JOIN_KIND PAGE_WHERE,
    [READ(R_COPY, DF_METADATA_FULL)] = SELECT_ENTRY KIND META FROM_ENTRY JOIN_KIND PAGE_WHERE,
    [READ(R_COPY, DF_METADATA_DEID)] =
        SELECT_ENTRY KIND DEID FROM_ENTRY JOIN_KIND JOIN_DEID PAGE_WHERE,
    [READ(R_WINDOW, DF_METADATA_NONE)] = SELECT_ENTRY KIND FROM_ENTRY JOIN_KIND WINDOW_WHERE,
    [READ(R_WINDOW, DF_METADATA_FULL)] = SELECT_ENTRY KIND META FROM_ENTRY JOIN_KIND WINDOW_WHERE,
    [READ(R_WINDOW, DF_METADATA_DEID)] =
        SELECT_ENTRY KIND DEID FROM_ENTRY JOIN_KIND JOIN_DEID WINDOW_WHERE,
    [READ(R_MATCHING, DF_METADATA_NONE)] = SELECT_ENTRY KIND FROM_MATCHING JOIN_KIND MATCHING_ORDER,
    [READ(R_MATCHING, DF_METADATA_FULL)] =
        SELECT_ENTRY KIND META FROM_MATCHING JOIN_KIND MATCHING_ORDER,
    [READ(R_MATCHING, DF_METADATA_DEID)] =
        SELECT_ENTRY KIND DEID FROM_MATCHING JOIN_KIND JOIN_DEID MATCHING_ORDER,
    [READ(R_LATEST, DF_METADATA_NONE)] = SELECT_ENTRY KIND FROM_ENTRY JOIN_KIND LATEST_WHERE,
    [READ(R_LATEST, DF_METADATA_FULL)] = SELECT_ENTRY KIND META FROM_ENTRY JOIN_KIND LATEST_WHERE,
    [READ(R_LATEST, DF_METADATA_DEID)] =
        SELECT_ENTRY KIND DEID FROM_ENTRY JOIN_KIND JOIN_DEID LATEST_WHERE,
    [ST_WINDOW_BOUNDS] = SQL_WINDOW_BOUNDS,
    [ST_LAST] = SQL_LAST,
    [ST_FEED_ID] = SQL_FEED_ID,
    [ST_DATA_VERSION] = SQL_DATA_VERSION,
    [ST_BEGIN_READ] = SQL_BEGIN_READ,
    [ST_END_READ] = SQL_END_READ,
    [ST_FIND_INSTANCE] = SQL_FIND_INSTANCE,
    [ST_NEW_INSTANCE] = SQL_NEW_INSTANCE,
    [ST_FIND_KIND] = SQL_FIND_KIND,
    [ST_NEW_KIND] = SQL_NEW_KIND,
    [ST_INSTANCE_KIND] = SQL_INSTANCE_KIND,
    [ST_NEW_ENTRY] = SQL_NEW_ENTRY,
    [ST_SET_CURRENT] = SQL_SET_CURRENT,
    [ST_SET_DEID] = SQL_SET_DEID,
    [ST_DROP_DEID] = SQL_DROP_DEID,
    [ST_DELETE_KINDS] = SQL_DELETE_KINDS,
    [ST_DELETE_ENTRIES] = SQL_DELETE_ENTRIES,
    [ST_DELETE_DEID] = SQL_DELETE_DEID,
    [ST_DELETE_INSTANCES] = SQL_DELETE_INSTANCES,
    [ST_SET_FEED_ID] = SQL_SET_FEED_ID,
    [ST_SET_ARCHIVE_ID] = SQL_SET_ARCHIVE_ID,
    [ST_FIND_ARCHIVE_ID] = SQL_FIND_ARCHIVE_ID,
    [ST_WRITER_POSITION] = SQL_WRITER_POSITION,
    [ST_SET_WRITER_POSITION] = SQL_SET_WRITER_POSITION,
    [ST_CURRENT] = SQL_CURRENT,
    [ST_CURRENT_META] = SQL_CURRENT_META,
    [ST_CURRENT_ONE] = SQL_CURRENT_ONE,
    [ST_CURRENT_ONE_META] = SQL_CURRENT_ONE_META,
    [ST_CURRENT_STUDIES] = SQL_CURRENT_STUDIES,
    [ST_ARCHIVE_INSTANCES] = SQL_ARCHIVE_INSTANCES,
};

/* A reader of a log of version 1 to 3 (no writer of this release has opened
 * it yet): no kinds, no de-identified copies, so no filter either; the
 * statements left out answer DF_ESCHEMA. */
static const char *const statement_sql_old[ST_READERS] = {
    [READ(R_PAGE, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY PAGE_WHERE,
    [READ(R_PAGE, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY PAGE_WHERE,
    [READ(R_COPY, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY PAGE_WHERE,
    [READ(R_COPY, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY PAGE_WHERE,
    [READ(R_WINDOW, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY WINDOW_WHERE,
    [READ(R_WINDOW, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY WINDOW_WHERE,
    [READ(R_LATEST, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY LATEST_WHERE,
    [READ(R_LATEST, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY LATEST_WHERE,
    [ST_LAST] = SQL_LAST,
    [ST_FEED_ID] = SQL_FEED_ID,
    [ST_DATA_VERSION] = SQL_DATA_VERSION,
    [ST_BEGIN_READ] = SQL_BEGIN_READ,
    [ST_END_READ] = SQL_END_READ,
};

struct df_store_conn {
    sqlite3 *db;
    int version; /* the schema version as opened */
    char *path;
    bool writer;  /* opened to write: the messages of a busy log differ */
    bool created; /* this open made the log (DF_STORE_CREATE) */
    dev_t dev;    /* the file opened at path, to tell when it is replaced */
    ino_t ino;
    sqlite3_stmt *st[ST_COUNT];
    /* A reader's snapshot (read_begin to read_end) and what it knows of the
     * last one: the log's identity and newest Sequence as the snapshot of
     * data_version seen_version had them. PRAGMA data_version changes with
     * every commit of another connection (a restore included), so a snapshot
     * with the same version holds the same identity and newest Sequence, and
     * a request reads neither again. A writer's own commits leave its
     * data_version alone: a writer never keeps them. */
    bool snapshot_same; /* this snapshot's data_version is seen_version */
    int64_t seen_version;
    bool have_feed_id, have_last;
    char feed_id[DF_FEED_ID_LEN + 1];
    int64_t last_sequence;
};

static int check_files(const char *path, bool writer, bool empty_ok, df_error *err);

/* Turns the connection's last failure into a DF_E… code and a message that
 * says which of busy, corrupt, wrong type or permission it is: SQLite's own
 * "unable to open database file" says the same for a missing file, a missing
 * folder and an unreadable one, so the file system is asked (check_files).
 * Messages name the log's path, never a stored value. */
static int db_error(df_store_conn *c, df_error *err, const char *what)
{
    int rc = sqlite3_errcode(c->db);
    char shown[DF_ERROR_PATH_SHOWN];
    const char *path = df_error_path(c->path, shown);
    switch (rc) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        if (c->writer)
            return df_error_set(err, DF_EBUSY,
                                "the log is busy: another writer holds it (waited %d s)",
                                WRITER_BUSY_MS / 1000);
        return df_error_set(err, DF_EBUSY,
                            "the log is busy: a writer holds it locked (waited %d s)",
                            READER_BUSY_MS / 1000);
    case SQLITE_NOMEM:
        return df_error_set(err, DF_ENOMEM, "out of memory");
    case SQLITE_NOTADB:
        return df_error_set(err, DF_EDB,
                            "wrong type: %s is not a dcmfeed log (not a SQLite database)", path);
    case SQLITE_CORRUPT:
        return df_error_set(err, DF_EDB,
                            "corrupt: the log %s is damaged (%s); put a backup back with "
                            "dcmfeed-ingest restore",
                            path, sqlite3_errmsg(c->db));
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_IOERR:
    case SQLITE_AUTH: {
        df_error why = {0};
        if (check_files(c->path, c->writer, false, &why) != 0)
            return df_error_set(err, why.code, "%s", why.message);
        break;
    }
    default:
        break;
    }
    return df_error_set(err, DF_EDB, "%s: %s", what, sqlite3_errmsg(c->db));
}

static int exec(df_store_conn *c, const char *sql, df_error *err, const char *what)
{
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(c, err, what);
    return 0;
}

static int pragma_int(df_store_conn *c, const char *sql, int64_t *value, df_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        int code = db_error(c, err, "cannot read the log");
        sqlite3_finalize(st);
        return code;
    }
    *value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}

/* Runs a statement that returns no row, then readies it for the next use. */
static int step_done(df_store_conn *c, sqlite3_stmt *st, df_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    int code = rc == SQLITE_DONE ? 0 : db_error(c, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return code;
}

/* PRAGMA quick_check answers "ok" on a sound log. */
static int quick_check(df_store_conn *c, df_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, "PRAGMA quick_check", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int code = 0;
    if (rc != SQLITE_ROW)
        code = db_error(c, err, "cannot check the log");
    else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
        code = df_error_set(err, DF_EDB, "corrupt: the log fails its integrity check: %s",
                            (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return code;
}

/* --- the log's files ------------------------------------------------------ */

static int no_log(const char *path, const char *how, df_error *err)
{
    char shown[DF_ERROR_PATH_SHOWN];
    return df_error_set(err, DF_EDB, "no log at %s%s; create it with dcmfeed-ingest init",
                        df_error_path(path, shown), how);
}

enum file_kind { FILE_EMPTY, FILE_NOT_SQLITE, FILE_ROLLBACK, FILE_WAL, FILE_UNREADABLE };

/* What the file's header says it is. */
static enum file_kind file_kind(const char *path)
{
    /* Read through SQLite's file layer, never with open() and close() of
     * our own: a close of any descriptor of a file drops every POSIX lock
     * the process holds on it, those of its other threads' connections
     * included (SQLite's "How To Corrupt An SQLite Database File", 2.2).
     * A responder thread opening the log did so while the others read: a
     * writer then took itself for the last connection and reset the WAL
     * under their reads, which saw "database disk image is malformed"
     * (tests/http/soak.sh). SQLite's unix layer keeps such a descriptor
     * open until the process's locks on the file are released. */
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    sqlite3_file *f = vfs != NULL ? calloc(1, (size_t)vfs->szOsFile) : NULL;
    if (f == NULL)
        return FILE_UNREADABLE;
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB;
    if (vfs->xOpen(vfs, path, f, flags, &flags) != SQLITE_OK) {
        if (f->pMethods != NULL)
            f->pMethods->xClose(f);
        free(f);
        return FILE_UNREADABLE;
    }
    unsigned char h[100];
    sqlite3_int64 size = 0;
    int rc = f->pMethods->xFileSize(f, &size);
    if (rc == SQLITE_OK && size >= (sqlite3_int64)sizeof h)
        rc = f->pMethods->xRead(f, h, (int)sizeof h, 0);
    f->pMethods->xClose(f);
    free(f);
    if (rc != SQLITE_OK)
        return FILE_UNREADABLE;
    if (size == 0)
        return FILE_EMPTY;
    if (size < (sqlite3_int64)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return FILE_NOT_SQLITE;
    /* Bytes 18 and 19, the write and read versions: 2 in WAL mode. */
    return h[18] == 2 ? FILE_WAL : FILE_ROLLBACK;
}

static bool born_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The -wal and -shm files of a log in WAL mode: there and usable, or
 * makeable by this process. Older than the log file itself, they were left
 * by another file at this path (a log replaced with mv while in use): SQLite
 * would lay that log's last commits over this one, and serve or extend a mix
 * of both, so the log is not opened. */
static int check_wal_files(const char *path, bool writer, df_error *err)
{
    static const char *const suffixes[] = {"-wal", "-shm"};
    size_t len = strlen(path);
    char *side = malloc(len + 5);
    if (side == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    int want = writer ? DF_PATH_READ | DF_PATH_WRITE : DF_PATH_READ;
    struct timespec log_born, side_born;
    bool known = df_path_birth(path, &log_born);
    char shown[DF_ERROR_PATH_SHOWN], who[DF_PATH_WHO_MAX];
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < 2; i++) {
        memcpy(side, path, len);
        memcpy(side + len, suffixes[i], 5);
        rc = df_path_check(side, want, NULL, err);
        if (rc == DF_ENOTFOUND) {
            rc = 0;
            /* A reader makes neither file where it may not write. */
            df_error cannot = {0};
            if (df_path_check_folder_writable(side, &cannot) != 0)
                rc = writer ? df_error_set(err, cannot.code, "%s", cannot.message)
                            : df_error_set(err, DF_EDB,
                                           "missing file: %s is missing and %s may not make it: "
                                           "run dcmfeed-ingest init as the log's owner to make it",
                                           df_error_path(side, shown), df_path_who(who));
        } else if (rc == 0 && known && df_path_birth(side, &side_born) &&
                   born_before(&side_born, &log_born)) {
            rc = df_error_set(err, DF_EDB,
                              "stale files: %s is older than the log file beside it, left from a "
                              "log that was replaced (mv over a live log); not opened, as SQLite "
                              "would mix the two: with the writers stopped remove the log's -wal "
                              "and -shm, then run dcmfeed-ingest init (deploy.md, backups)",
                              df_error_path(side, shown));
        }
    }
    free(side);
    return rc;
}

/* A log in one file has no -wal or -shm of its own: any there are stale.
 * An empty file is a log being made: one made after it is its maker's (a
 * writer creating the log at the same moment), one made before it is
 * stale, and one of unknown age is taken for its maker's (a log replaced by
 * an empty file is rarer than two first writers). */
static int check_no_wal_files(const char *path, bool empty, df_error *err)
{
    static const char *const suffixes[] = {"-wal", "-shm"};
    char side[4096], shown[DF_ERROR_PATH_SHOWN];
    struct timespec log_born, side_born;
    bool known = empty && df_path_birth(path, &log_born);
    for (size_t i = 0; i < 2; i++) {
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        struct stat sb;
        if (stat(side, &sb) != 0)
            continue;
        if (empty &&
            (!known || !df_path_birth(side, &side_born) || !born_before(&side_born, &log_born)))
            continue;
        return df_error_set(err, DF_EDB,
                            "stale files: %s is left from an earlier log at this path; not "
                            "used, as SQLite would lay that log over this one: with the "
                            "writers stopped remove the log's -wal and -shm",
                            df_error_path(side, shown));
    }
    return 0;
}

/* Says which of a missing file or folder, a permission, a wrong type or
 * stale -wal and -shm files keeps this process from the log at path; 0 when
 * the file system shows nothing in the way. empty_ok: an empty file (a log
 * about to be made) is no error. */
static int check_files(const char *path, bool writer, bool empty_ok, df_error *err)
{
    int rc = df_path_check(path, writer ? DF_PATH_READ | DF_PATH_WRITE : DF_PATH_READ, NULL, err);
    if (rc == DF_ENOTFOUND)
        return no_log(path, "", err);
    if (rc != 0)
        return rc;
    char shown[DF_ERROR_PATH_SHOWN];
    switch (file_kind(path)) {
    case FILE_EMPTY:
        if (check_no_wal_files(path, true, err) != 0)
            return DF_EDB;
        return empty_ok ? 0 : no_log(path, " (an empty file)", err);
    case FILE_NOT_SQLITE:
        return df_error_set(err, DF_EDB,
                            "wrong type: %s is not a dcmfeed log (not a SQLite database)",
                            df_error_path(path, shown));
    case FILE_WAL:
        return check_wal_files(path, writer, err);
    case FILE_ROLLBACK:
        /* A log in one file (a backup, a copy) has no -wal of its own: one
         * beside it is another log's, which the switch to WAL would lay
         * over it. */
        return check_no_wal_files(path, false, err);
    default:
        return 0;
    }
}

/* Makes the empty file of a new log, mode LOG_FILE_MODE whatever the umask,
 * in the group of its folder (the web server's, which reads it). Another
 * writer making it at the same moment is no error. */
static int create_file(const char *path, df_error *err)
{
    int rc = df_path_check_folder_writable(path, err);
    if (rc != 0)
        return rc;
    char shown[DF_ERROR_PATH_SHOWN];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, LOG_FILE_MODE);
    if (fd < 0)
        return errno == EEXIST ? 0
                               : df_error_set(err, DF_EDB, "cannot create the log %s: %s",
                                              df_error_path(path, shown), strerror(errno));
    char folder[4096];
    struct stat sb;
    if (fchmod(fd, LOG_FILE_MODE) != 0 ||
        (stat(df_path_folder(path, folder, sizeof folder), &sb) == 0 &&
         fchown(fd, (uid_t)-1, sb.st_gid) != 0 && errno != EPERM))
        rc = df_error_set(err, DF_EDB, "cannot set the mode of the new log %s: %s",
                          df_error_path(path, shown), strerror(errno));
    close(fd);
    return rc;
}

/* Removes the log at path, and its -wal and -shm when sides. */
static void unlink_log(const char *path, bool sides)
{
    char side[4096];
    unlink(path);
    for (int i = 0; sides && i < 2; i++) {
        snprintf(side, sizeof side, "%s%s", path, i == 0 ? "-wal" : "-shm");
        unlink(side);
    }
}

/* True when the database holds no table: a new file, not another
 * program's database. */
static bool no_tables(df_store_conn *c)
{
    int64_t n = 1;
    return pragma_int(c, "SELECT count(*) FROM sqlite_schema", &n, NULL) == 0 && n == 0;
}

/* A log of schema version 0: nothing at this path for a writer that does
 * not create (READWRITE, READONLY), or a database of another program. */
static int not_a_log(df_store_conn *c, df_error *err)
{
    char shown[DF_ERROR_PATH_SHOWN];
    if (no_tables(c))
        return no_log(c->path, " (an empty database)", err);
    return df_error_set(err, DF_ESCHEMA,
                        "wrong type: %s is a SQLite database but not a dcmfeed log (no schema "
                        "version)",
                        df_error_path(c->path, shown));
}

/* Version 2, the update action: the CHECK of entries.action takes 2 too.
 * SQLite has no ALTER for a constraint; loosening one changes nothing on
 * disk, so the table's text in sqlite_schema is changed in place, the way
 * SQLite's documentation gives for it ("Making Other Kinds Of Table Schema
 * Changes"): in the write transaction, then schema_version bumped so that
 * every connection reads the schema again, then an integrity check. A
 * rebuild of the table would copy every entry of a large log. */
static int upgrade_v2(df_store_conn *c, df_error *err)
{
    int64_t cookie = 0;
    int rc = pragma_int(c, "PRAGMA schema_version", &cookie, err);
    if (rc == 0)
        rc = exec(c,
                  "PRAGMA writable_schema = ON;"
                  "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (action IN (0, 1))',"
                  " 'CHECK (action IN (0, 1, 2))') WHERE type = 'table' AND name = 'entries';",
                  err, "cannot upgrade the log's schema");
    if (rc == 0) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA schema_version = %lld", (long long)cookie + 1);
        rc = exec(c, bump, err, "cannot upgrade the log's schema");
    }
    sqlite3_exec(c->db, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
    /* A table another writer made differently is left alone, not guessed at. */
    int64_t changed = 0;
    if (rc == 0)
        rc = pragma_int(c,
                        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                        " AND name = 'entries' AND sql LIKE '%CHECK (action IN (0, 1, 2))%'",
                        &changed, err);
    if (rc == 0 && changed != 1)
        rc = df_error_set(err, DF_ESCHEMA,
                          "cannot upgrade the log's schema to version 2: its table entries is not"
                          " as version 1 makes it");
    if (rc == 0)
        rc = quick_check(c, err);
    if (rc == 0)
        rc = exec(c, "PRAGMA user_version = 2", err, "cannot upgrade the log's schema");
    return rc;
}

/* Version 3: what a writer that follows an archive keeps beside the entries
 * (store.h): the archive's identifier of each instance it wrote, and how far
 * it applied its journal. New tables only: nothing existing changes. */
static const char SQL_SCHEMA_V3[] = "CREATE TABLE archive_ids ("
                                    "  archive TEXT NOT NULL,"
                                    "  archive_id TEXT NOT NULL,"
                                    "  instance_id INTEGER NOT NULL REFERENCES instances(id),"
                                    "  PRIMARY KEY (archive, archive_id)"
                                    ") WITHOUT ROWID;"
                                    "CREATE TABLE writer_positions ("
                                    "  writer TEXT PRIMARY KEY,"
                                    "  position INTEGER NOT NULL"
                                    ") WITHOUT ROWID;"
                                    "PRAGMA user_version = 3;";

/* The kind (SOP Class UID, Modality, action; NULL ones are '') in *id, made
 * when the log has none yet. */
static int kind_of(df_store_conn *c, sqlite3_stmt *find, sqlite3_stmt *add, const char *sop_class,
                   const char *modality, int action, int64_t *id, df_error *err)
{
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *st = pass == 0 ? find : add;
        sqlite3_bind_text(st, 1, sop_class != NULL ? sop_class : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, modality != NULL ? modality : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, action);
        if (pass == 1) {
            int rc = step_done(c, st, err, "cannot append to the log");
            if (rc == 0)
                *id = sqlite3_last_insert_rowid(c->db);
            return rc;
        }
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (step == SQLITE_ROW)
            return 0;
        if (step != SQLITE_DONE)
            return db_error(c, err, "cannot read the log");
    }
    return 0;
}

/* Instances whose metadata version 4 derives at a time: each batch's rows
 * are read before their kinds are written. */
#define UPGRADE_BATCH      1000
#define UPGRADE_BATCH_TEXT "1000"

/* Version 4: the kinds, the de-identified copies (SQL_SCHEMA_V4). Every
 * instance with metadata gets its copy and its kind from it (store_derive.h),
 * batch after batch in id order; then each entry its kind, the kind of its
 * instance's present version with the entry's action (the log keeps no
 * older metadata, so a replaced version's entries take the present one's,
 * and an instance deleted before the upgrade has none: its entries show no
 * SOP Class UID nor Modality), and entries_kind is built. */
static int upgrade_v4(df_store_conn *c, df_error *err)
{
    int rc = exec(c, SQL_SCHEMA_V4, err, "cannot upgrade the log's schema");
    sqlite3_stmt *rows = NULL, *find = NULL, *add = NULL, *set_kind = NULL, *set_deid = NULL;
    if (rc == 0 &&
        (sqlite3_prepare_v2(c->db,
                            "SELECT id, metadata FROM instances WHERE id > ?1 AND metadata IS NOT"
                            " NULL ORDER BY id LIMIT " UPGRADE_BATCH_TEXT,
                            -1, &rows, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(c->db, SQL_FIND_KIND, -1, &find, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(c->db, SQL_NEW_KIND, -1, &add, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(c->db, "UPDATE instances SET kind = ?2 WHERE id = ?1", -1, &set_kind,
                            NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(c->db, SQL_SET_DEID, -1, &set_deid, NULL) != SQLITE_OK))
        rc = db_error(c, err, "cannot upgrade the log's schema");
    df_derived d;
    df_derived_init(&d);
    int64_t after = 0;
    int64_t ids[UPGRADE_BATCH], kinds[UPGRADE_BATCH];
    size_t n = 0;
    do {
        n = 0;
        sqlite3_bind_int64(rows, 1, after);
        int step = SQLITE_DONE;
        while (rc == 0 && (step = sqlite3_step(rows)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(rows, 0);
            const char *meta = (const char *)sqlite3_column_text(rows, 1);
            size_t len = (size_t)sqlite3_column_bytes(rows, 1);
            df_error why = {0};
            rc = df_derive_metadata(meta, len, &d, &why);
            if (rc != 0) {
                rc = df_error_set(err, rc, "cannot upgrade the log: instance %lld: %s",
                                  (long long)id, why.message);
                break;
            }
            ids[n] = id;
            rc = kind_of(c, find, add, d.sop_class_uid[0] ? d.sop_class_uid : NULL,
                         d.modality[0] ? d.modality : NULL, DF_ACTION_CREATE, &kinds[n], err);
            n++;
            /* Another table than the one being read: written at once. */
            if (rc == 0) {
                sqlite3_bind_int64(set_deid, 1, id);
                sqlite3_bind_text(set_deid, 2, d.deid.data, (int)d.deid.len, SQLITE_STATIC);
                rc = step_done(c, set_deid, err, "cannot upgrade the log's schema");
            }
        }
        if (rc == 0 && step != SQLITE_DONE)
            rc = db_error(c, err, "cannot read the log");
        sqlite3_reset(rows);
        for (size_t i = 0; i < n && rc == 0; i++) {
            sqlite3_bind_int64(set_kind, 1, ids[i]);
            sqlite3_bind_int64(set_kind, 2, kinds[i]);
            rc = step_done(c, set_kind, err, "cannot upgrade the log's schema");
        }
        if (n > 0)
            after = ids[n - 1];
    } while (rc == 0 && n == UPGRADE_BATCH);
    df_derived_free(&d);
    sqlite3_finalize(rows);
    sqlite3_finalize(find);
    sqlite3_finalize(add);
    sqlite3_finalize(set_kind);
    sqlite3_finalize(set_deid);
    if (rc == 0)
        rc = exec(c, SQL_UPGRADE_V4_ENTRIES, err, "cannot upgrade the log's schema");
    return rc;
}

/* Each step brings a log from the version before to its own, in the
 * writer's transaction (docs/schema.md lists what each added). */
static int upgrade(df_store_conn *c, int64_t to, df_error *err)
{
    switch (to) {
    case 1:
        return exec(c, SQL_SCHEMA_V1, err, "cannot create the log's schema");
    case 2:
        return upgrade_v2(c, err);
    case 3:
        return exec(c, SQL_SCHEMA_V3, err, "cannot upgrade the log's schema");
    case 4:
        return upgrade_v4(c, err);
    default:
        return df_error_set(err, DF_ESCHEMA, "this build cannot make schema version %lld",
                            (long long)to);
    }
}

/* Creates (DF_STORE_CREATE only) or upgrades the schema under the write
 * lock, so that two writers starting at once do not both create it. */
static int migrate(df_store_conn *c, df_store_mode mode, df_error *err)
{
    int rc = exec(c, "BEGIN IMMEDIATE", err, "cannot lock the log to set up its schema");
    if (rc != 0)
        return rc;
    int64_t version = 0;
    rc = pragma_int(c, "PRAGMA user_version", &version, err);
    if (rc == 0 && version == 0 && (mode != DF_STORE_CREATE || !no_tables(c)))
        rc = not_a_log(c, err);
    if (rc == 0 && version == 0)
        c->created = true;
    if (rc == 0 && version > DF_SCHEMA_VERSION)
        rc = df_error_set(err, DF_ESCHEMA,
                          "the log has schema version %lld; this build knows up to %d",
                          (long long)version, DF_SCHEMA_VERSION);
    for (int64_t v = version + 1; rc == 0 && v <= DF_SCHEMA_VERSION; v++)
        rc = upgrade(c, v, err);
    if (rc == 0)
        rc = exec(c, "COMMIT", err, "cannot commit the log's schema");
    if (rc != 0)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int check_schema(df_store_conn *c, df_error *err)
{
    int64_t version = 0;
    int rc = pragma_int(c, "PRAGMA user_version", &version, err);
    if (rc != 0)
        return rc;
    c->version = (int)version;
    if (version == 0)
        return not_a_log(c, err);
    if (version > DF_SCHEMA_VERSION)
        return df_error_set(err, DF_ESCHEMA,
                            "the log has schema version %lld; this build knows up to %d",
                            (long long)version, DF_SCHEMA_VERSION);
    return 0;
}

static int setup_writer(df_store_conn *c, df_store_mode mode, df_error *err)
{
    sqlite3_busy_timeout(c->db, WRITER_BUSY_MS);
    /* journal_mode answers with a row; WAL lets readers go on while we write.
     * Switching a new log to WAL needs an exclusive lock and does not wait
     * through the busy handler: writers creating the log at the same moment
     * would fail at once, so it is retried until the writer's timeout. */
    int64_t ignored;
    int rc = 0;
    /* Timed by the clock: an attempt may itself wait in the busy handler. */
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        rc = pragma_int(c, "PRAGMA journal_mode = WAL", &ignored, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t waited_ms =
            (int64_t)(now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (rc != DF_EBUSY || waited_ms >= WRITER_BUSY_MS)
            break;
        struct timespec pause = {0, 10 * 1000000L};
        nanosleep(&pause, NULL);
    }
    if (rc != 0)
        return db_error(c, err, "cannot set the log to WAL mode");
    /* Read-only readers (a web server's user) cannot create the -wal and
     * -shm files, so the writer keeps them in place after it closes. */
    int persist = 1;
    sqlite3_file_control(c->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    /* The feed promises that a committed entry is never lost: FULL syncs
     * the WAL on every commit, not just at checkpoints. */
    rc = exec(c, "PRAGMA synchronous = FULL", err, "cannot configure the log");
    if (rc == 0)
        rc = migrate(c, mode, err);
    return rc;
}

static int read_feed_id(df_store_conn *c, char feed_id[DF_FEED_ID_LEN + 1], df_error *err)
{
    if (c->snapshot_same && c->have_feed_id) {
        memcpy(feed_id, c->feed_id, sizeof c->feed_id);
        return 0;
    }
    sqlite3_stmt *st = c->st[ST_FEED_ID];
    int rc = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_bytes(st, 0) <= DF_FEED_ID_LEN)
        memcpy(feed_id, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0) + 1);
    else if (step == SQLITE_ROW || step == SQLITE_DONE)
        rc = df_error_set(err, DF_ESCHEMA, "the log has no identity (table feed)");
    else
        rc = db_error(c, err, "cannot read the log's identity");
    sqlite3_reset(st);
    if (rc == 0 && c->snapshot_same) {
        memcpy(c->feed_id, feed_id, sizeof c->feed_id);
        c->have_feed_id = true;
    }
    return rc;
}

static void sqlite_close(df_store_conn *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(c->st[i]);
    sqlite3_close(c->db);
    free(c->path);
    free(c);
}

static int sqlite_open(const char *path, df_store_mode mode, df_store_conn **out,
                       char feed_id[DF_FEED_ID_LEN + 1], df_error *err)
{
    *out = NULL;
    df_store_conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    int rc = 0;
    bool made_file = false, sides_made = false;
    c->writer = mode != DF_STORE_READONLY;
    c->path = strdup(path);
    if (c->path == NULL) {
        rc = df_error_set(err, DF_ENOMEM, "out of memory");
        goto out;
    }
    /* The file system first: its words for what is wrong are better than
     * SQLite's, and a writer that may not create never makes a file. */
    bool create = mode == DF_STORE_CREATE;
    if (create && df_path_check(path, DF_PATH_READ, NULL, NULL) == DF_ENOTFOUND) {
        rc = create_file(path, err);
        made_file = rc == 0;
    }
    if (rc == 0)
        rc = check_files(path, c->writer, create, err);
    if (rc != 0)
        goto out;
    sides_made = made_file; /* the -wal and -shm SQLite makes from here on are this log's */
    if (sqlite3_open_v2(path, &c->db,
                        (c->writer ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = c->db != NULL ? db_error(c, err, "cannot open the log")
                           : df_error_set(err, DF_ENOMEM, "out of memory");
        goto out;
    }
    sqlite3_extended_result_codes(c->db, 0);
    if (c->writer && sqlite3_db_readonly(c->db, "main") == 1) {
        char shown[DF_ERROR_PATH_SHOWN];
        rc = df_error_set(err, DF_EDB,
                          "permission denied: %s opened read-only (a read-only file "
                          "system?)",
                          df_error_path(path, shown));
        goto out;
    }
    if (c->writer) {
        rc = setup_writer(c, mode, err);
        c->version = DF_SCHEMA_VERSION;
    } else {
        sqlite3_busy_timeout(c->db, READER_BUSY_MS);
        rc = exec(c, "PRAGMA query_only = 1; PRAGMA cache_size = " READER_CACHE_KIB, err,
                  "cannot configure the log");
        if (rc == 0)
            rc = check_schema(c, err);
    }
    if (rc != 0)
        goto out;
    struct stat sb;
    if (stat(path, &sb) == 0) {
        c->dev = sb.st_dev;
        c->ino = sb.st_ino;
    }
    int n = c->writer ? ST_LAZY : ST_READERS;
    const char *const *sql = c->version >= 4 ? statement_sql : statement_sql_old;
    for (int i = 0; i < n; i++) {
        if (sql[i] != NULL && sqlite3_prepare_v3(c->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                                 &c->st[i], NULL) != SQLITE_OK) {
            rc = db_error(c, err, "cannot prepare a statement on the log");
            goto out;
        }
    }
    rc = read_feed_id(c, feed_id, err);
out:
    if (rc != 0) {
        sqlite_close(c);
        /* A log this call began to make and could not finish is no log. */
        if (made_file)
            unlink_log(path, sides_made);
        return rc;
    }
    *out = c;
    return 0;
}

/* Every address is a file path to SQLite: it is the last backend asked. */
static bool sqlite_claims(const char *address)
{
    (void)address;
    return true;
}

static bool sqlite_replaced(const df_store_conn *c)
{
    struct stat sb;
    if (stat(c->path, &sb) != 0)
        return true;
    return sb.st_dev != c->dev || sb.st_ino != c->ino;
}

static void sqlite_rollback(df_store_conn *c)
{
    for (int i = ST_READERS; i < ST_COUNT; i++)
        if (c->st[i] != NULL)
            sqlite3_reset(c->st[i]);
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

/* IMMEDIATE takes the write lock now, so the newest entry read below stays
 * the newest until we commit. */
static int sqlite_begin(df_store_conn *c, int64_t *last_sequence, int64_t *last_timestamp,
                        df_error *err)
{
    int rc = exec(c, "BEGIN IMMEDIATE", err, "cannot lock the log for writing");
    if (rc != 0)
        return rc;
    *last_sequence = 0;
    *last_timestamp = 0;
    sqlite3_stmt *st = c->st[ST_LAST];
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *last_sequence = sqlite3_column_int64(st, 0);
        *last_timestamp = sqlite3_column_int64(st, 1);
    } else if (step != SQLITE_DONE) {
        rc = db_error(c, err, "cannot read the log");
    }
    sqlite3_reset(st);
    if (rc != 0)
        sqlite_rollback(c);
    return rc;
}

/* Readers learn of the commit through data_version: news is not needed. */
static int sqlite_commit(df_store_conn *c, bool news, df_error *err)
{
    (void)news;
    int rc = exec(c, "COMMIT", err, "cannot commit to the log");
    if (rc != 0)
        sqlite_rollback(c);
    return rc;
}

static void bind_uids(sqlite3_stmt *st, const char *study, const char *series, const char *sop)
{
    sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sop, -1, SQLITE_STATIC);
}

/* Looks the instance up by its UIDs: *id is 0 when the log has none, and
 * *current tells whether it has a present version (is not deleted). */
static int find_instance(df_store_conn *c, const df_entry *e, int64_t *id, bool *current,
                         df_error *err)
{
    sqlite3_stmt *find = c->st[ST_FIND_INSTANCE];
    bind_uids(find, e->study_uid, e->series_uid, e->sop_uid);
    *id = 0;
    *current = false;
    int rc = 0;
    int step = sqlite3_step(find);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(find, 0);
        *current = sqlite3_column_type(find, 1) != SQLITE_NULL;
    } else if (step != SQLITE_DONE) {
        rc = db_error(c, err, "cannot read the log");
    }
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    return rc;
}

/* The instance's row, made when the log has none yet; *id receives it. */
static int ensure_instance(df_store_conn *c, const df_entry *e, int64_t *id, df_error *err)
{
    if (*id != 0)
        return 0;
    sqlite3_stmt *ins = c->st[ST_NEW_INSTANCE];
    bind_uids(ins, e->study_uid, e->series_uid, e->sop_uid);
    int rc = step_done(c, ins, err, "cannot append to the log");
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

/* Makes entry seq the instance's present version with metadata, its
 * de-identified copy and kind, or, when seq is 0, makes the instance deleted
 * (current_seq and metadata NULL, the copy gone, the kind kept). */
static int set_current(df_store_conn *c, int64_t id, int64_t seq, const df_entry *e, int64_t kind,
                       df_error *err)
{
    sqlite3_stmt *set = c->st[ST_SET_CURRENT];
    sqlite3_bind_int64(set, 1, id);
    if (seq != 0)
        sqlite3_bind_int64(set, 2, seq);
    /* The store caps metadata far below INT_MAX (DF_METADATA_MAX). */
    if (seq != 0 && e->metadata != NULL)
        sqlite3_bind_text(set, 3, e->metadata, (int)e->metadata_len, SQLITE_STATIC);
    if (seq != 0)
        sqlite3_bind_int64(set, 4, kind);
    int rc = step_done(c, set, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    if (seq != 0 && e->deid_metadata != NULL) {
        sqlite3_stmt *deid = c->st[ST_SET_DEID];
        sqlite3_bind_int64(deid, 1, id);
        sqlite3_bind_text(deid, 2, e->deid_metadata, (int)e->deid_metadata_len, SQLITE_STATIC);
        return step_done(c, deid, err, "cannot append to the log");
    }
    sqlite3_stmt *drop = c->st[ST_DROP_DEID];
    sqlite3_bind_int64(drop, 1, id);
    return step_done(c, drop, err, "cannot append to the log");
}

static int sqlite_append(df_store_conn *c, const df_entry *e, bool *replaced, df_error *err)
{
    int64_t id = 0;
    bool current = false;
    int rc = find_instance(c, e, &id, &current, err);
    if (rc != 0)
        return rc;
    bool create = e->action == DF_ACTION_CREATE;
    if (!create && !current)
        return DF_ENOTFOUND;
    if (create)
        rc = ensure_instance(c, e, &id, err);
    const char *sop_class = e->sop_class_uid, *modality = e->modality;
    sqlite3_stmt *own = NULL;
    if (rc == 0 && !create && e->action == DF_ACTION_DELETE && sop_class == NULL &&
        modality == NULL) {
        own = c->st[ST_INSTANCE_KIND];
        sqlite3_bind_int64(own, 1, id);
        int step = sqlite3_step(own);
        if (step == SQLITE_ROW) {
            sop_class = (const char *)sqlite3_column_text(own, 0);
            modality = (const char *)sqlite3_column_text(own, 1);
        } else if (step != SQLITE_DONE) {
            rc = db_error(c, err, "cannot read the log");
        }
    }
    int64_t kind = 0;
    if (rc == 0)
        rc = kind_of(c, c->st[ST_FIND_KIND], c->st[ST_NEW_KIND], sop_class, modality,
                     (int)e->action, &kind, err);
    if (own != NULL) {
        sqlite3_reset(own);
        sqlite3_clear_bindings(own);
    }
    if (rc != 0)
        return rc;
    sqlite3_stmt *entry = c->st[ST_NEW_ENTRY];
    sqlite3_bind_int64(entry, 1, e->sequence);
    sqlite3_bind_int64(entry, 2, id);
    sqlite3_bind_int(entry, 3, (int)e->action);
    sqlite3_bind_int64(entry, 4, e->timestamp_us);
    sqlite3_bind_int64(entry, 5, kind);
    rc = step_done(c, entry, err, "cannot append to the log");
    /* A create or an update is the present version from now on. */
    bool deleted = e->action == DF_ACTION_DELETE;
    if (rc == 0)
        rc = set_current(c, id, deleted ? 0 : e->sequence, e, kind, err);
    if (rc == 0 && replaced != NULL)
        *replaced = current;
    return rc;
}

static void bind_match(sqlite3_stmt *st, const char *study, const char *series, const char *sop)
{
    sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
    if (series != NULL)
        sqlite3_bind_text(st, 2, series, -1, SQLITE_STATIC);
    if (series != NULL && sop != NULL)
        sqlite3_bind_text(st, 3, sop, -1, SQLITE_STATIC);
}

static int sqlite_delete_matching(df_store_conn *c, const char *study_uid, const char *series_uid,
                                  const char *sop_uid, int64_t first_sequence, int64_t timestamp_us,
                                  int64_t *count, df_error *err)
{
    /* The kinds first, then the entries, while the instances still count as
     * existing; then the instances lose their current version, their
     * metadata (PHI) and its de-identified copy. */
    sqlite3_stmt *kinds = c->st[ST_DELETE_KINDS];
    bind_match(kinds, study_uid, series_uid, sop_uid);
    int rc = step_done(c, kinds, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    sqlite3_stmt *entries = c->st[ST_DELETE_ENTRIES];
    bind_match(entries, study_uid, series_uid, sop_uid);
    sqlite3_bind_int64(entries, 4, timestamp_us);
    rc = step_done(c, entries, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    *count = sqlite3_changes64(c->db);
    if (*count > 0 && sqlite3_last_insert_rowid(c->db) != first_sequence + *count - 1)
        return df_error_set(err, DF_EDB, "the log's newest Sequence moved during the batch");
    sqlite3_stmt *deid = c->st[ST_DELETE_DEID];
    bind_match(deid, study_uid, series_uid, sop_uid);
    rc = step_done(c, deid, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    sqlite3_stmt *instances = c->st[ST_DELETE_INSTANCES];
    bind_match(instances, study_uid, series_uid, sop_uid);
    return step_done(c, instances, err, "cannot append to the log");
}

static int sqlite_set_feed_id(df_store_conn *c, const char *feed_id, df_error *err)
{
    sqlite3_stmt *st = c->st[ST_SET_FEED_ID];
    sqlite3_bind_text(st, 1, feed_id, -1, SQLITE_STATIC);
    return step_done(c, st, err, "cannot write the log's identity");
}

static int sqlite_set_archive_id(df_store_conn *c, const char *archive, const char *archive_id,
                                 const char *study_uid, const char *series_uid, const char *sop_uid,
                                 df_error *err)
{
    sqlite3_stmt *st = c->st[ST_SET_ARCHIVE_ID];
    sqlite3_bind_text(st, 1, archive, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, archive_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, study_uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, series_uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, sop_uid, -1, SQLITE_STATIC);
    int rc = step_done(c, st, err, "cannot write to the log");
    if (rc == 0 && sqlite3_changes(c->db) == 0)
        return DF_ENOTFOUND;
    return rc;
}

/* Copies a UID column into a buffer of DF_UID_MAX + 1 bytes; false when
 * the log holds a longer one (a third-party writer's). */
static bool copy_uid(sqlite3_stmt *st, int col, char out[DF_UID_MAX + 1])
{
    const unsigned char *text = sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    if (text == NULL || n > DF_UID_MAX)
        return false;
    memcpy(out, text, (size_t)n + 1);
    return true;
}

static int sqlite_find_archive_id(df_store_conn *c, const char *archive, const char *archive_id,
                                  df_store_instance *out, df_error *err)
{
    sqlite3_stmt *st = c->st[ST_FIND_ARCHIVE_ID];
    sqlite3_bind_text(st, 1, archive, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, archive_id, -1, SQLITE_STATIC);
    int rc = DF_ENOTFOUND;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        rc = 0;
        if (!copy_uid(st, 0, out->study_uid) || !copy_uid(st, 1, out->series_uid) ||
            !copy_uid(st, 2, out->sop_uid))
            rc = df_error_set(err, DF_EDB, "the log holds an instance with a UID over %d bytes",
                              DF_UID_MAX);
        out->current = sqlite3_column_int(st, 3) != 0;
    } else if (step != SQLITE_DONE) {
        rc = db_error(c, err, "cannot read the log");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int sqlite_writer_position(df_store_conn *c, const char *writer, int64_t *position,
                                  df_error *err)
{
    sqlite3_stmt *st = c->st[ST_WRITER_POSITION];
    sqlite3_bind_text(st, 1, writer, -1, SQLITE_STATIC);
    int rc = 0;
    int step = sqlite3_step(st);
    *position = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_error(c, err, "cannot read the log");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int sqlite_set_writer_position(df_store_conn *c, const char *writer, int64_t position,
                                      df_error *err)
{
    sqlite3_stmt *st = c->st[ST_SET_WRITER_POSITION];
    sqlite3_bind_text(st, 1, writer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, position);
    return step_done(c, st, err, "cannot write to the log");
}

/* A kind's text column: '' is none. */
static const char *kind_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

/* Steps a reader statement and hands each row to fn as a df_entry; kinds:
 * the statement reads the SOP Class UID and Modality (its columns 7 and 8 are
 * NULL otherwise, and not asked for: each column call costs, a page of 100
 * makes 1,000 of them). */
static int read_entries(df_store_conn *c, sqlite3_stmt *st, bool kinds, df_metadata metadata,
                        df_entry_fn fn, void *ctx, int *rows, df_error *err)
{
    int rc = 0;
    int step;
    *rows = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        df_entry e = {0};
        e.sequence = sqlite3_column_int64(st, 0);
        e.study_uid = (const char *)sqlite3_column_text(st, 1);
        e.series_uid = (const char *)sqlite3_column_text(st, 2);
        e.sop_uid = (const char *)sqlite3_column_text(st, 3);
        bool known = df_store_action_of(sqlite3_column_int64(st, 4), &e.action);
        e.timestamp_us = sqlite3_column_int64(st, 5);
        /* NULL reads as 0: only then is its type asked. */
        int64_t current = sqlite3_column_int64(st, 6);
        if (current == 0 && sqlite3_column_type(st, 6) == SQLITE_NULL)
            e.state = DF_STATE_DELETED;
        else if (current == e.sequence)
            e.state = DF_STATE_CURRENT;
        else
            e.state = DF_STATE_REPLACED;
        if (kinds) {
            e.sop_class_uid = kind_text(st, 7);
            e.modality = kind_text(st, 8);
        }
        if (metadata != DF_METADATA_NONE && e.state != DF_STATE_DELETED) {
            e.metadata = (const char *)sqlite3_column_text(st, 9);
            e.metadata_len = (size_t)sqlite3_column_bytes(st, 9);
        }
        if (e.study_uid == NULL || e.series_uid == NULL || e.sop_uid == NULL || !known) {
            rc = df_error_set(err, DF_EDB, "the log holds an entry %s",
                              known ? "without its UIDs" : "of an unknown action");
            break;
        }
        (*rows)++;
        rc = fn(ctx, &e);
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(c, err, "cannot read the log");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* The reader statement of a route and a metadata, or DF_ESCHEMA when the
 * log is too old to have it. */
static int reader(df_store_conn *c, int route, df_metadata metadata, sqlite3_stmt **st,
                  df_error *err)
{
    *st = c->st[READ(route, (int)metadata)];
    if (*st == NULL)
        return df_error_set(err, DF_ESCHEMA,
                            "the log has schema version %d: de-identified metadata and filters "
                            "need version 4 (the first writer of this release upgrades it)",
                            c->version);
    return 0;
}

static int sqlite_page(df_store_conn *c, int64_t after, int limit, df_metadata metadata, bool kinds,
                       df_entry_fn fn, void *ctx, df_error *err)
{
    sqlite3_stmt *st;
    int rc = reader(c, kinds ? R_COPY : R_PAGE, metadata, &st, err);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, limit);
    int rows;
    return read_entries(c, st, kinds && c->version >= 4, metadata, fn, ctx, &rows, err);
}

/* The Sequences [*first, *end) of the window [start_us, end_us); *first is
 * 0 when no entry is at or after start_us. */
static int window_bounds(df_store_conn *c, int64_t start_us, int64_t end_us, int64_t *first,
                         int64_t *end, df_error *err)
{
    sqlite3_stmt *st = c->st[ST_WINDOW_BOUNDS];
    sqlite3_bind_int64(st, 1, start_us);
    sqlite3_bind_int64(st, 2, end_us);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *first = sqlite3_column_int64(st, 0);
        *end = sqlite3_column_type(st, 1) == SQLITE_NULL ? INT64_MAX : sqlite3_column_int64(st, 1);
    } else {
        rc = db_error(c, err, "cannot read the log");
    }
    sqlite3_reset(st);
    return rc;
}

static void bind_filter(sqlite3_stmt *st, const df_filter *f)
{
    sqlite3_bind_int(st, 5, f->sop_class_count > 0);
    sqlite3_bind_int(st, 6, f->modality_count > 0);
    sqlite3_bind_int(st, 7, f->actions != 0 ? (int)f->actions : 7);
    for (size_t i = 0; i < f->sop_class_count; i++)
        sqlite3_bind_text(st, FILTER_FIRST + (int)i, f->sop_classes[i], -1, SQLITE_STATIC);
    for (size_t i = 0; i < f->modality_count; i++)
        sqlite3_bind_text(st, FILTER_FIRST + DF_FILTER_VALUES_MAX + (int)i, f->modalities[i], -1,
                          SQLITE_STATIC);
}

static int sqlite_window(df_store_conn *c, int64_t start_us, int64_t end_us, int64_t skip,
                         int limit, df_metadata metadata, const df_filter *filter, df_entry_fn fn,
                         void *ctx, df_error *err)
{
    sqlite3_stmt *st;
    int rows;
    int rc = reader(c, filter != NULL ? R_MATCHING : R_WINDOW, metadata, &st, err);
    if (rc != 0)
        return rc;
    if (filter == NULL) {
        sqlite3_bind_int64(st, 1, start_us);
        sqlite3_bind_int64(st, 2, end_us);
        sqlite3_bind_int64(st, 3, skip);
        sqlite3_bind_int(st, 4, limit);
        return read_entries(c, st, c->version >= 4, metadata, fn, ctx, &rows, err);
    }
    int64_t first = 0, end = 0;
    rc = window_bounds(c, start_us, end_us, &first, &end, err);
    if (rc != 0 || first == 0)
        return rc;
    sqlite3_bind_int64(st, 1, first);
    sqlite3_bind_int64(st, 2, end);
    sqlite3_bind_int(st, 3, limit);
    sqlite3_bind_int64(st, 4, skip);
    bind_filter(st, filter);
    return read_entries(c, st, true, metadata, fn, ctx, &rows, err);
}

static int sqlite_latest(df_store_conn *c, df_metadata metadata, df_entry_fn fn, void *ctx,
                         df_error *err)
{
    sqlite3_stmt *st;
    int rows;
    int rc = reader(c, R_LATEST, metadata, &st, err);
    if (rc == 0)
        rc = read_entries(c, st, c->version >= 4, metadata, fn, ctx, &rows, err);
    if (rc == 0 && rows == 0)
        return DF_ENOTFOUND;
    return rc;
}

static int sqlite_schema_version(const df_store_conn *c)
{
    return c->version;
}

static int sqlite_last_sequence(df_store_conn *c, int64_t *sequence, df_error *err)
{
    if (c->snapshot_same && c->have_last) {
        *sequence = c->last_sequence;
        return 0;
    }
    sqlite3_stmt *st = c->st[ST_LAST];
    int rc = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *sequence = sqlite3_column_int64(st, 0);
    else if (step == SQLITE_DONE)
        *sequence = 0;
    else
        rc = db_error(c, err, "cannot read the log");
    sqlite3_reset(st);
    if (rc == 0 && c->snapshot_same) {
        c->last_sequence = *sequence;
        c->have_last = true;
    }
    return rc;
}

/* Statement i, prepared now if this is its first use. */
static int lazy_statement(df_store_conn *c, int i, sqlite3_stmt **st, df_error *err)
{
    if (c->st[i] == NULL &&
        sqlite3_prepare_v3(c->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->st[i],
                           NULL) != SQLITE_OK)
        return db_error(c, err, "cannot prepare a statement on the log");
    *st = c->st[i];
    return 0;
}

static int sqlite_current(df_store_conn *c, const char *study_uid, const char *series_uid,
                          const char *sop_uid, bool with_metadata, df_entry_fn fn, void *ctx,
                          df_error *err)
{
    int i = sop_uid != NULL ? (with_metadata ? ST_CURRENT_ONE_META : ST_CURRENT_ONE)
                            : (with_metadata ? ST_CURRENT_META : ST_CURRENT);
    sqlite3_stmt *st = NULL;
    int rc = lazy_statement(c, i, &st, err);
    if (rc != 0)
        return rc;
    sqlite3_bind_text(st, 1, study_uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, series_uid, -1, SQLITE_STATIC); /* NULL: every series */
    if (sop_uid != NULL)
        sqlite3_bind_text(st, 3, sop_uid, -1, SQLITE_STATIC);
    int rows;
    return read_entries(c, st, false, with_metadata ? DF_METADATA_FULL : DF_METADATA_NONE, fn, ctx,
                        &rows, err);
}

static int sqlite_current_studies(df_store_conn *c, const char *after, int limit, df_uid_fn fn,
                                  void *ctx, df_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = lazy_statement(c, ST_CURRENT_STUDIES, &st, err);
    if (rc != 0)
        return rc;
    sqlite3_bind_text(st, 1, after, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *uid = (const char *)sqlite3_column_text(st, 0);
        if (uid == NULL) {
            rc = df_error_set(err, DF_EDB, "the log holds an instance without its study");
            break;
        }
        rc = fn(ctx, uid);
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(c, err, "cannot read the log");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int sqlite_archive_instances(df_store_conn *c, const char *archive, const char *after,
                                    int limit, df_archive_instance_fn fn, void *ctx, df_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = lazy_statement(c, ST_ARCHIVE_INSTANCES, &st, err);
    if (rc != 0)
        return rc;
    sqlite3_bind_text(st, 1, archive, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, after, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, limit);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *f[4];
        for (int i = 0; i < 4; i++)
            f[i] = (const char *)sqlite3_column_text(st, i);
        if (f[0] == NULL || f[1] == NULL || f[2] == NULL || f[3] == NULL) {
            rc = df_error_set(err, DF_EDB,
                              "the log holds an archive's identifier without its instance");
            break;
        }
        rc = fn(ctx, f[0], f[1], f[2], f[3]);
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(c, err, "cannot read the log");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* PRAGMA data_version reads no page: cheap enough to poll. */
static int sqlite_data_version(df_store_conn *c, int64_t *version, df_error *err)
{
    sqlite3_stmt *st = c->st[ST_DATA_VERSION];
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        *version = sqlite3_column_int64(st, 0);
    else
        rc = db_error(c, err, "cannot read the log");
    sqlite3_reset(st);
    return rc;
}

static void sqlite_read_end(df_store_conn *c)
{
    c->snapshot_same = false;
    /* A statement left unfinished (an error midway) would keep the snapshot
     * open past COMMIT; the reads reset theirs, so this is rarely one. */
    for (int i = 0; i < ST_READERS; i++)
        if (c->st[i] != NULL && sqlite3_stmt_busy(c->st[i]))
            sqlite3_reset(c->st[i]);
    if (sqlite3_step(c->st[ST_END_READ]) != SQLITE_DONE)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_reset(c->st[ST_END_READ]);
}

/* BEGIN is deferred: a reader's snapshot starts at its first read, here
 * data_version's, which is then the snapshot's own. */
static int sqlite_read_begin(df_store_conn *c, df_error *err)
{
    int rc = step_done(c, c->st[ST_BEGIN_READ], err, "cannot read the log");
    if (rc != 0)
        return rc;
    if (c->writer)
        return 0;
    int64_t version = 0;
    rc = sqlite_data_version(c, &version, err);
    if (rc != 0) {
        sqlite_read_end(c); /* store.c ends only a snapshot that began */
        return rc;
    }
    if (version != c->seen_version) {
        c->seen_version = version;
        c->have_feed_id = c->have_last = false;
    }
    c->snapshot_same = true;
    return 0;
}

/* --- administration: stats, check, owner, backup, restore ------------------- */

static bool sqlite_created(const df_store_conn *c)
{
    return c->created;
}

static int sqlite_stats(df_store_conn *c, df_store_stats *st, df_error *err)
{
    memset(st, 0, sizeof *st);
    int64_t page_count = 0, page_size = 0;
    int rc = pragma_int(c, "SELECT count(*) FROM entries", &st->entries, err);
    if (rc == 0)
        rc = pragma_int(c, "SELECT count(*) FROM instances", &st->instances, err);
    if (rc == 0)
        rc = pragma_int(c, "PRAGMA user_version", &st->schema_version, err);
    if (rc == 0)
        rc = pragma_int(c, "PRAGMA page_count", &page_count, err);
    if (rc == 0)
        rc = pragma_int(c, "PRAGMA page_size", &page_size, err);
    if (rc != 0)
        return rc;
    sqlite3_stmt *last = c->st[ST_LAST];
    int step = sqlite3_step(last);
    if (step == SQLITE_ROW) {
        st->newest = sqlite3_column_int64(last, 0);
        st->newest_us = sqlite3_column_int64(last, 1);
    } else if (step != SQLITE_DONE) {
        rc = db_error(c, err, "cannot read the log");
    }
    sqlite3_reset(last);
    st->bytes = page_count * page_size;
    char wal[4096];
    struct stat sb;
    snprintf(wal, sizeof wal, "%s-wal", c->path);
    if (stat(wal, &sb) == 0)
        st->bytes += (int64_t)sb.st_size;
    return rc;
}

static int sqlite_check(df_store_conn *c, df_error *err)
{
    return quick_check(c, err);
}

static int sqlite_set_owner(df_store_conn *c, uid_t uid, gid_t gid, df_error *err)
{
    char file[4096], shown[DF_ERROR_PATH_SHOWN];
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s%s", c->path, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
        struct stat sb;
        if (stat(file, &sb) != 0 && errno == ENOENT)
            continue;
        if (chown(file, uid, gid) != 0 || chmod(file, LOG_FILE_MODE) != 0)
            return df_error_set(err, DF_EDB, "cannot give %s to its owner: %s",
                                df_error_path(file, shown), strerror(errno));
    }
    return 0;
}

/* Copies the database of from into to with SQLite's online backup, in one
 * step: one read transaction on from, so the copy is one state of it
 * whatever writers do meanwhile; to's write lock is waited for as its busy
 * timeout says. */
static int copy_database(sqlite3 *to, sqlite3 *from, df_error *err, const char *what)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (b == NULL)
        return df_error_set(err, DF_EDB, "%s: %s", what, sqlite3_errmsg(to));
    int rc;
    for (int waited_ms = 0;; waited_ms += 10) {
        rc = sqlite3_backup_step(b, -1);
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited_ms >= WRITER_BUSY_MS)
            break;
        struct timespec pause = {0, 10 * 1000000L};
        nanosleep(&pause, NULL);
    }
    sqlite3_backup_finish(b);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return df_error_set(err, DF_EBUSY, "the log is busy: another writer holds it (waited %d s)",
                            WRITER_BUSY_MS / 1000);
    if (rc == SQLITE_READONLY)
        return df_error_set(err, DF_EDB,
                            "%s: the page sizes differ, which SQLite cannot copy into a log in "
                            "WAL mode",
                            what);
    return df_error_set(err, rc == SQLITE_NOMEM ? DF_ENOMEM : DF_EDB, "%s: %s", what,
                        sqlite3_errstr(rc));
}

/* A new file next to path for a copy in progress, mode 0600 (its content
 * names patients), made with mkstemp; *fd receives it open. */
static char *temp_beside(const char *path, const char *tag, int *fd, df_error *err)
{
    size_t n = strlen(path) + strlen(tag) + 8;
    char *tmp = malloc(n);
    if (tmp == NULL) {
        df_error_set(err, DF_ENOMEM, "out of memory");
        return NULL;
    }
    snprintf(tmp, n, "%s%sXXXXXX", path, tag);
    *fd = mkostemp(tmp, O_CLOEXEC);
    if (*fd < 0) {
        char folder[4096], shown[DF_ERROR_PATH_SHOWN];
        if (df_path_check_folder_writable(tmp, err) == 0)
            df_error_set(err, DF_EIO, "cannot make a file in %s: %s",
                         df_error_path(df_path_folder(path, folder, sizeof folder), shown),
                         strerror(errno));
        free(tmp);
        return NULL;
    }
    return tmp;
}

/* Opens the file at path, made empty just now, as a plain connection (no
 * WAL: it is one file, written by this process alone). */
static int open_plain(const char *path, sqlite3 **db, df_error *err)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK)
        return 0;
    int rc = df_error_set(err, DF_EDB, "cannot open %s: %s", path,
                          *db != NULL ? sqlite3_errmsg(*db) : "out of memory");
    sqlite3_close(*db);
    *db = NULL;
    return rc;
}

static void remove_copy(const char *path)
{
    static const char *const sides[] = {"-journal", "-wal", "-shm"};
    char side[4096];
    unlink(path);
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        snprintf(side, sizeof side, "%s%s", path, sides[i]);
        unlink(side);
    }
}

static int sqlite_backup(df_store_conn *c, const char *dest, df_error *err)
{
    char shown[DF_ERROR_PATH_SHOWN];
    struct stat sb;
    if (lstat(dest, &sb) == 0)
        return df_error_set(err, DF_EINVAL, "%s exists: a backup never overwrites a file",
                            df_error_path(dest, shown));
    int fd = -1;
    char *tmp = temp_beside(dest, ".part-", &fd, err);
    if (tmp == NULL)
        return err != NULL && err->code != 0 ? err->code : DF_EIO;
    sqlite3 *d = NULL;
    int rc = fchmod(fd, LOG_FILE_MODE) == 0
                 ? 0
                 : df_error_set(err, DF_EIO, "cannot set the mode of %s: %s", tmp, strerror(errno));
    if (rc == 0)
        rc = open_plain(tmp, &d, err);
    if (rc == 0)
        rc = copy_database(d, c->db, err, "cannot copy the log");
    /* One file that needs no -wal: a copy that can be carried anywhere. */
    if (rc == 0 && sqlite3_exec(d, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
        rc = df_error_set(err, DF_EIO, "cannot finish the copy: %s", sqlite3_errmsg(d));
    if (rc == 0) {
        df_store_conn check = {.db = d, .path = tmp};
        rc = quick_check(&check, err);
    }
    sqlite3_close(d);
    if (rc == 0 && fsync(fd) != 0)
        rc = df_error_set(err, DF_EIO, "cannot write %s: %s", tmp, strerror(errno));
    close(fd);
    /* The copy appears whole under its name, and never over a file that
     * appeared meanwhile. */
    if (rc == 0 && renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) != 0)
        rc = df_error_set(err, DF_EIO, "cannot name the copy %s: %s", df_error_path(dest, shown),
                          strerror(errno));
    if (rc != 0)
        remove_copy(tmp);
    free(tmp);
    return rc;
}

/* The backup at src, brought to this build's schema, with a new identity,
 * into a temporary file beside the log: then copied over the log in one
 * transaction (the identity changes with the content, so no client's ETag
 * of the log before matches an answer after). */
static int sqlite_restore(df_store_conn *c, const char *src, char feed_id[DF_FEED_ID_LEN + 1],
                          df_error *err)
{
    df_store_conn *from = NULL;
    char from_id[DF_FEED_ID_LEN + 1];
    int rc = sqlite_open(src, DF_STORE_READONLY, &from, from_id, err);
    if (rc == 0)
        rc = quick_check(from, err);
    int fd = -1;
    char *tmp = rc == 0 ? temp_beside(c->path, ".restore-", &fd, err) : NULL;
    if (rc == 0 && tmp == NULL)
        rc = err != NULL && err->code != 0 ? err->code : DF_EIO;
    df_store_conn copy = {.path = tmp, .writer = true};
    if (rc == 0)
        rc = open_plain(tmp, &copy.db, err);
    if (rc == 0)
        rc = copy_database(copy.db, from->db, err, "cannot read the backup");
    sqlite_close(from);
    if (rc == 0)
        rc = exec(&copy, "PRAGMA journal_mode = DELETE", err, "cannot read the backup");
    /* The log's page size, which a log in WAL mode cannot change. */
    int64_t page_size = 0, copy_page_size = 0;
    if (rc == 0)
        rc = pragma_int(c, "PRAGMA page_size", &page_size, err);
    if (rc == 0)
        rc = pragma_int(&copy, "PRAGMA page_size", &copy_page_size, err);
    if (rc == 0 && page_size != copy_page_size) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA journal_mode = DELETE; PRAGMA page_size = %lld; VACUUM",
                 (long long)page_size);
        rc = exec(&copy, sql, err, "cannot give the backup the log's page size");
    }
    if (rc == 0)
        rc = migrate(&copy, DF_STORE_READWRITE, err);
    if (rc == 0)
        rc = exec(&copy, "UPDATE feed SET id = lower(hex(randomblob(16)))", err,
                  "cannot give the restored log a new identity");
    if (rc == 0)
        rc = copy_database(c->db, copy.db, err, "cannot write the log");
    sqlite3_close(copy.db);
    if (fd >= 0)
        close(fd);
    if (tmp != NULL)
        remove_copy(tmp);
    free(tmp);
    if (rc == 0)
        rc = read_feed_id(c, feed_id, err);
    /* The whole log went through the -wal: give its pages back to the file
     * where no reader holds them. */
    if (rc == 0)
        sqlite3_exec(c->db, "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL, NULL);
    return rc;
}

/* No watch: a commit of another connection shows only in data_version,
 * which the store polls. */
const df_store_backend df_store_sqlite = {
    .claims = sqlite_claims,
    .open = sqlite_open,
    .close = sqlite_close,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .append = sqlite_append,
    .delete_matching = sqlite_delete_matching,
    .set_feed_id = sqlite_set_feed_id,
    .set_archive_id = sqlite_set_archive_id,
    .set_writer_position = sqlite_set_writer_position,
    .find_archive_id = sqlite_find_archive_id,
    .writer_position = sqlite_writer_position,
    .page = sqlite_page,
    .window = sqlite_window,
    .latest = sqlite_latest,
    .schema_version = sqlite_schema_version,
    .last_sequence = sqlite_last_sequence,
    .data_version = sqlite_data_version,
    .read_begin = sqlite_read_begin,
    .read_end = sqlite_read_end,
    .current = sqlite_current,
    .current_studies = sqlite_current_studies,
    .archive_instances = sqlite_archive_instances,
    .replaced = sqlite_replaced,
    .created = sqlite_created,
    .read_feed_id = read_feed_id,
    .stats = sqlite_stats,
    .check = sqlite_check,
    .set_owner = sqlite_set_owner,
    .backup = sqlite_backup,
    .restore = sqlite_restore,
};
