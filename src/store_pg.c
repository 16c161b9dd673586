/* The log in PostgreSQL, a backend of the store (store_backend.h): the same
 * schema and rules as the SQLite log (docs/schema.md), reached through libpq
 * (loaded by pq.c). The only file that includes libpq-fe.h. It claims the
 * addresses that are libpq URIs or conninfo strings; a build without libpq
 * claims them too, to refuse them with a clear message. */
#ifdef HAVE_CONFIG_H
#include "config.h" /* HAVE_LIBPQ */
#endif
#include "store_backend.h"

#include <string.h>

/* True when address names a PostgreSQL log: a postgresql:// or postgres://
 * URI, or a conninfo string with a host=, hostaddr=, dbname= or service=
 * keyword. */
static bool pg_claims(const char *address)
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

#ifndef HAVE_LIBPQ

static int pg_refuse(const char *address, df_store_mode mode, df_store_conn **out,
                     char feed_id[DF_FEED_ID_LEN + 1], df_error *err)
{
    (void)address;
    (void)mode;
    (void)feed_id;
    *out = NULL;
    return df_error_set(err, DF_EDB, "this build has no PostgreSQL support");
}

/* Nothing but the refusal: no log is ever open, so no other operation is
 * ever called. */
const df_store_backend df_store_pg = {
    .claims = pg_claims,
    .open = pg_refuse,
};

#else

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "pq.h"
#include "store_derive.h"

/* Key of the advisory lock that serialises schema set-up: two writers
 * starting on an empty database must not both create the tables. */
#define MIGRATE_LOCK_KEY "4702331207"

static const char SQL_SCHEMA_V1[] =
    "CREATE TABLE instances ("
    "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  study_uid text NOT NULL,"
    "  series_uid text NOT NULL,"
    "  sop_uid text NOT NULL,"
    "  current_seq bigint,"
    "  metadata text,"
    "  UNIQUE (study_uid, series_uid, sop_uid)"
    ");"
    "CREATE TABLE entries ("
    "  seq bigint PRIMARY KEY,"
    "  instance_id bigint NOT NULL REFERENCES instances(id),"
    "  action smallint NOT NULL CHECK (action IN (0, 1)),"
    "  timestamp bigint NOT NULL"
    ");"
    "CREATE INDEX entries_timestamp ON entries(timestamp, seq);"
    "CREATE TABLE feed (id text NOT NULL);"
    "INSERT INTO feed (id) VALUES (md5(random()::text || clock_timestamp()::text));"
    "CREATE FUNCTION dcmfeed_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS"
    "  $$BEGIN RAISE EXCEPTION 'change feed entries are immutable'; END$$;"
    "CREATE TRIGGER entries_no_change BEFORE UPDATE OR DELETE ON entries"
    "  FOR EACH ROW EXECUTE FUNCTION dcmfeed_entries_immutable();"
    "CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries"
    "  FOR EACH STATEMENT EXECUTE FUNCTION dcmfeed_entries_immutable();"
    "CREATE TABLE dcmfeed_schema (version int NOT NULL);"
    "INSERT INTO dcmfeed_schema (version) VALUES (1);";

/* Version 4 (store_sqlite.c says why): the kinds, the de-identified copies;
 * then upgrade_v4 derives each instance's, and SQL_UPGRADE_V4_ENTRIES gives
 * each entry its kind. */
static const char SQL_SCHEMA_V4[] =
    "CREATE TABLE kinds ("
    "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  sop_class_uid text NOT NULL,"
    "  modality text NOT NULL,"
    "  action smallint NOT NULL,"
    "  UNIQUE (sop_class_uid, modality, action)"
    ");"
    "CREATE TABLE deid_metadata ("
    "  instance_id bigint PRIMARY KEY REFERENCES instances(id),"
    "  metadata text NOT NULL"
    ");"
    "ALTER TABLE instances ADD COLUMN kind bigint REFERENCES kinds(id);"
    "ALTER TABLE entries ADD COLUMN kind bigint REFERENCES kinds(id);";
static const char SQL_UPGRADE_V4_ENTRIES[] =
    "INSERT INTO kinds (sop_class_uid, modality, action)"
    "  SELECT k.sop_class_uid, k.modality, a.action"
    "  FROM (SELECT DISTINCT kind FROM instances WHERE kind IS NOT NULL) AS x"
    "  JOIN kinds AS k ON k.id = x.kind CROSS JOIN (VALUES (0), (1), (2)) AS a(action)"
    "  ON CONFLICT DO NOTHING;"
    "INSERT INTO kinds (sop_class_uid, modality, action)"
    "  VALUES ('', '', 0), ('', '', 1), ('', '', 2) ON CONFLICT DO NOTHING;"
    "ALTER TABLE entries DISABLE TRIGGER entries_no_change;"
    "UPDATE entries AS e SET kind = d.id FROM instances AS i"
    "  LEFT JOIN kinds AS k ON k.id = i.kind"
    "  JOIN kinds AS d ON d.sop_class_uid = coalesce(k.sop_class_uid, '')"
    "  AND d.modality = coalesce(k.modality, '')"
    "  WHERE i.id = e.instance_id AND d.action = e.action;"
    "ALTER TABLE entries ENABLE TRIGGER entries_no_change;"
    "CREATE INDEX entries_kind ON entries(kind, seq);"
    "UPDATE dcmfeed_schema SET version = 4;";
/* One batch of instances, as arrays: their kinds, then each its kind and
 * its de-identified copy. */
static const char SQL_UPGRADE_V4_KINDS[] =
    "INSERT INTO kinds (sop_class_uid, modality, action)"
    " SELECT DISTINCT s, m, 0 FROM unnest($1::text[], $2::text[]) AS v(s, m)"
    " ON CONFLICT DO NOTHING";
static const char SQL_UPGRADE_V4_INSTANCES[] =
    "WITH v AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])"
    "  AS v(id, s, m, deid)),"
    " u AS (UPDATE instances AS i SET kind = k.id FROM v JOIN kinds AS k"
    "  ON k.sop_class_uid = v.s AND k.modality = v.m AND k.action = 0 WHERE i.id = v.id)"
    " INSERT INTO deid_metadata (instance_id, metadata) SELECT id, deid FROM v";

/* Each step brings a log from the version before to its own, in the
 * writer's transaction (docs/schema.md lists what each added); 4 is
 * upgrade_v4's, which derives what SQL cannot. */
static const char *const upgrades[DF_SCHEMA_VERSION + 1] = {
    [1] = SQL_SCHEMA_V1,
    /* 2: the update action. */
    [2] = "ALTER TABLE entries DROP CONSTRAINT entries_action_check;"
          "ALTER TABLE entries ADD CONSTRAINT entries_action_check CHECK (action IN (0, 1, 2));"
          "UPDATE dcmfeed_schema SET version = 2;",
    /* 3: an archive's identifiers of instances, a writer's position (store.h). */
    [3] = "CREATE TABLE archive_ids ("
          "  archive text NOT NULL,"
          "  archive_id text NOT NULL,"
          "  instance_id bigint NOT NULL REFERENCES instances(id),"
          "  PRIMARY KEY (archive, archive_id)"
          ");"
          "CREATE TABLE writer_positions (writer text PRIMARY KEY, position bigint NOT NULL);"
          "UPDATE dcmfeed_schema SET version = 3;",
};

/* Two statements: one naming dcmfeed_schema fails to parse where it is missing. */
static const char SQL_HAS_SCHEMA[] = "SELECT to_regclass('dcmfeed_schema') IS NOT NULL";
static const char SQL_VERSION[] = "SELECT coalesce(max(version), 0) FROM dcmfeed_schema";

/* Every reader's row: seq, UIDs, action, timestamp, current_seq, SOP Class
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
#define WINDOW_FIRST                                                                               \
    "(SELECT seq FROM entries WHERE timestamp >= $1 ORDER BY timestamp, seq LIMIT 1)"
#define PAGE_WHERE " WHERE e.seq > $1 ORDER BY e.seq LIMIT $2"
#define WINDOW_WHERE                                                                               \
    " WHERE e.seq >= " WINDOW_FIRST " + $3 AND e.timestamp < $2 ORDER BY e.seq LIMIT $4"
#define LATEST_WHERE " ORDER BY e.seq DESC LIMIT 1"
/* A filtered window: the Sequences [$1, $2) of the window (window_bounds),
 * for each kind that matches its Sequences in order through entries_kind, at
 * most $3 + $4 of them (a LATERAL join, one index range per kind), then in
 * Sequence order what they read, $4 skipped and $3 taken, and only then the
 * entries' rows. The LATERAL selects the Sequence alone, so that it is an
 * index-only range of entries_kind: asked for the row too, the planner took
 * the primary key in Sequence order and filtered it by kind, as if every kind
 * were common (its estimate for a kind it cannot see at planning time), and
 * a kind of 1 entry in 10,000 cost 7 ms a page instead of 0.2. $5 says
 * whether SOP Classes are asked ($8 … $23), $6 whether Modalities are ($24 …
 * $39); $7 is the mask of actions. */
#define MATCHING_FROM                                                                              \
    " FROM (SELECT x.seq, x.instance_id, x.action, x.timestamp, x.kind FROM"                       \
    " (SELECT m.seq FROM kinds AS f CROSS JOIN LATERAL (SELECT seq FROM entries"                   \
    " WHERE kind = f.id AND seq >= $1 AND seq < $2 ORDER BY seq LIMIT $3::bigint + $4) AS m"       \
    " WHERE ($5::int = 0 OR f.sop_class_uid IN ($8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "  \
    "$18, $19, $20, $21, $22, $23))"                                                               \
    " AND ($6::int = 0 OR f.modality IN ($24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, "  \
    "$35, $36, $37, $38, $39))"                                                                    \
    " AND (($7::int >> f.action) & 1) = 1"                                                         \
    " ORDER BY m.seq LIMIT $3 OFFSET $4) AS s JOIN entries AS x ON x.seq = s.seq) AS e"            \
    " JOIN instances AS i ON i.id = e.instance_id"
#define MATCHING_ORDER " ORDER BY e.seq"
#define FILTER_FIRST   8 /* the first SOP Class slot; FILTER_FIRST + 16 the first Modality's */
#define FILTER_PARAMS  39
#define DELETE_MATCH                                                                               \
    " WHERE study_uid = $1 AND ($2::text IS NULL OR series_uid = $2)"                              \
    " AND ($3::text IS NULL OR sop_uid = $3) AND current_seq IS NOT NULL"
/* The kind (SOP Class UID sc, Modality md, '' for none) of an entry of the
 * action given, made in the statement that appends it when the log has none
 * yet (kinds are only made under the writer's lock, so no other statement
 * makes it in between); made only when the entry is appended (exists). */
#define KIND_OF(sc, md, action, exists)                                                            \
    " k0 AS (SELECT id FROM kinds WHERE sop_class_uid = " sc " AND modality = " md                 \
    " AND action = " action "),"                                                                   \
    " kn AS (INSERT INTO kinds (sop_class_uid, modality, action) SELECT " sc ", " md ", " action   \
    " WHERE NOT EXISTS (SELECT 1 FROM k0)" exists " RETURNING id),"                                \
    " k AS (SELECT id FROM k0 UNION ALL SELECT id FROM kn),"
#define INSTANCE_EXISTS                                                                            \
    " AND EXISTS (SELECT 1 FROM instances WHERE study_uid = $1 AND series_uid = $2"                \
    " AND sop_uid = $3 AND current_seq IS NOT NULL)"
/* The de-identified copy ($9) of the instances of i: kept, or dropped when
 * there is none. */
#define SET_DEID                                                                                   \
    " d AS (INSERT INTO deid_metadata (instance_id, metadata) SELECT id, $9 FROM i"                \
    " WHERE $9::text IS NOT NULL ON CONFLICT (instance_id) DO UPDATE SET metadata = "              \
    "EXCLUDED.metadata),"                                                                          \
    " dd AS (DELETE FROM deid_metadata WHERE $9::text IS NULL"                                     \
    " AND instance_id IN (SELECT id FROM i))"

/* The channel a writer's commit notifies and a waiting reader listens on
 * (docs/schema.md). */
#define CHANNEL "dcmfeed"

/* Readers: one statement per route and metadata (none, full, de-identified),
 * indexed [route][metadata]. */
/* R_COPY: a page whose entries carry their kinds (df_store_copy_page). */
enum { R_PAGE, R_COPY, R_WINDOW, R_MATCHING, R_LATEST, R_COUNT };
enum {
    ST_READ, /* R_COUNT × 3 statements */
    ST_WINDOW_BOUNDS = ST_READ + R_COUNT * 3,
    ST_LAST,
    ST_FEED_ID,
    ST_READERS, /* statements above this line are prepared for every store */
    ST_APPEND_CREATE = ST_READERS,
    ST_APPEND_DELETE,
    ST_APPEND_UPDATE,
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

/* The instances with a present version, for a writer that compares the log
 * with an archive (reconcile), in the shape read_entries reads (state
 * current). Series and SOP Instance UIDs in byte order (COLLATE "C"), as the
 * SQLite log orders them; a study's rows come from the UNIQUE index. */
#define FROM_CURRENT      " FROM instances AS i JOIN entries AS e ON e.seq = i.current_seq"
#define CURRENT_IN_STUDY                                                                           \
    " WHERE i.study_uid = $1 AND ($2::text IS NULL OR i.series_uid = $2)"                          \
    " AND i.current_seq IS NOT NULL ORDER BY i.series_uid COLLATE \"C\", i.sop_uid COLLATE \"C\""
#define CURRENT_ONE                                                                                \
    " WHERE i.study_uid = $1 AND i.series_uid = $2 AND i.sop_uid = $3 AND i.current_seq IS NOT "   \
    "NULL"

/* Every entry's Sequence is given: the newest + 1, which the store read
 * inside the writer's transaction, after it took the entries table's
 * EXCLUSIVE lock, held to the commit (see docs/schema.md for why this leaves
 * no gap a reader could see). Statements of a log of version 4;
 * statement_sql_old has the readers of an older one. */
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
    [READ(R_MATCHING, DF_METADATA_NONE)] = SELECT_ENTRY KIND MATCHING_FROM JOIN_KIND MATCHING_ORDER,
    [READ(R_MATCHING, DF_METADATA_FULL)] =
        SELECT_ENTRY KIND META MATCHING_FROM JOIN_KIND MATCHING_ORDER,
    [READ(R_MATCHING, DF_METADATA_DEID)] =
        SELECT_ENTRY KIND DEID MATCHING_FROM JOIN_KIND JOIN_DEID MATCHING_ORDER,
    [READ(R_LATEST, DF_METADATA_NONE)] = SELECT_ENTRY KIND FROM_ENTRY JOIN_KIND LATEST_WHERE,
    [READ(R_LATEST, DF_METADATA_FULL)] = SELECT_ENTRY KIND META FROM_ENTRY JOIN_KIND LATEST_WHERE,
    [READ(R_LATEST, DF_METADATA_DEID)] =
        SELECT_ENTRY KIND DEID FROM_ENTRY JOIN_KIND JOIN_DEID LATEST_WHERE,
    [ST_WINDOW_BOUNDS] =
        "SELECT (SELECT seq FROM entries WHERE timestamp >= $1 ORDER BY timestamp, seq LIMIT 1),"
        " (SELECT seq FROM entries WHERE timestamp >= $2 ORDER BY timestamp, seq LIMIT 1)",
    [ST_LAST] = "SELECT seq, timestamp FROM entries ORDER BY seq DESC LIMIT 1",
    [ST_FEED_ID] = "SELECT id FROM feed LIMIT 1",
    /* One statement per entry, as a batch is many entries and every
     * statement a round trip to the server. Every part of it sees the log as
     * it was before it (one snapshot), so "old" is the instance's row before
     * the upsert: the answer is whether it had a present version. */
    [ST_APPEND_CREATE] =
        "WITH old AS (SELECT current_seq FROM instances"
        " WHERE study_uid = $1 AND series_uid = $2 AND sop_uid = $3)," KIND_OF(
            "$7", "$8", "0",
            "") " i AS (INSERT INTO instances (study_uid, series_uid, sop_uid, current_seq, "
                "metadata, kind)"
                " VALUES ($1, $2, $3, $4, $5, (SELECT id FROM k)) ON CONFLICT (study_uid, "
                "series_uid, sop_uid)"
                " DO UPDATE SET current_seq = EXCLUDED.current_seq, metadata = EXCLUDED.metadata,"
                " kind = EXCLUDED.kind RETURNING id)," SET_DEID ","
                " e AS (INSERT INTO entries (seq, instance_id, action, timestamp, kind)"
                " SELECT $4, id, 0, $6, (SELECT id FROM k) FROM i)"
                " SELECT EXISTS (SELECT 1 FROM old WHERE current_seq IS NOT NULL)",
    /* Appends nothing (0 rows) when the instance is missing or deleted. The
     * instance keeps its kind. */
    /* A copied delete whose source gave no kind ($6 and $7 NULL) takes the
     * instance's. */
    [ST_APPEND_DELETE] = "WITH" KIND_OF(
        "coalesce($6::text, (SELECT k.sop_class_uid FROM instances AS ik JOIN kinds AS k"
        " ON k.id = ik.kind WHERE ik.study_uid = $1 AND ik.series_uid = $2 AND ik.sop_uid = $3), "
        "'')",
        "coalesce($7::text, (SELECT k.modality FROM instances AS ik JOIN kinds AS k"
        " ON k.id = ik.kind WHERE ik.study_uid = $1 AND ik.series_uid = $2 AND ik.sop_uid = $3), "
        "'')",
        "1",
        INSTANCE_EXISTS) " i AS (UPDATE instances SET current_seq = NULL, metadata = NULL"
                         " WHERE study_uid = $1 AND series_uid = $2 AND sop_uid = $3 AND "
                         "current_seq IS NOT NULL"
                         " RETURNING id),"
                         " dd AS (DELETE FROM deid_metadata WHERE instance_id IN (SELECT id FROM "
                         "i))"
                         " INSERT INTO entries (seq, instance_id, action, timestamp, kind)"
                         " SELECT $4, id, 1, $5, (SELECT id FROM k) FROM i",
    /* Appends nothing (0 rows) when the instance is missing or deleted. */
    [ST_APPEND_UPDATE] = "WITH" KIND_OF(
        "$7", "$8", "2",
        INSTANCE_EXISTS) " i AS (UPDATE instances SET current_seq = $4, metadata = $5, kind = "
                         "(SELECT id FROM k)"
                         " WHERE study_uid = $1 AND series_uid = $2 AND sop_uid = $3 AND "
                         "current_seq IS NOT NULL"
                         " RETURNING id)," SET_DEID
                         " INSERT INTO entries (seq, instance_id, action, timestamp, kind)"
                         " SELECT $4, id, 2, $6, (SELECT id FROM k) FROM i",
    /* The kinds of the deletes to append, before the entries that have them. */
    [ST_DELETE_KINDS] =
        "INSERT INTO kinds (sop_class_uid, modality, action)"
        " SELECT DISTINCT coalesce(k.sop_class_uid, ''), coalesce(k.modality, ''), 1"
        " FROM instances LEFT JOIN kinds AS k ON k.id = instances.kind" DELETE_MATCH
        " ON CONFLICT DO NOTHING",
    /* Sequences $5, $5 + 1, … in the order the instances first appeared. */
    [ST_DELETE_ENTRIES] =
        "INSERT INTO entries (seq, instance_id, action, timestamp, kind)"
        " SELECT $5::bigint - 1 + row_number() OVER (ORDER BY instances.id), instances.id, 1, $4,"
        " (SELECT d.id FROM kinds AS d WHERE d.action = 1"
        " AND d.sop_class_uid = coalesce(k.sop_class_uid, '')"
        " AND d.modality = coalesce(k.modality, ''))"
        " FROM instances LEFT JOIN kinds AS k ON k.id = instances.kind" DELETE_MATCH
        " ORDER BY instances.id",
    [ST_DELETE_DEID] =
        "DELETE FROM deid_metadata WHERE instance_id IN (SELECT id FROM instances" DELETE_MATCH ")",
    [ST_DELETE_INSTANCES] = "UPDATE instances SET current_seq = NULL, metadata = NULL" DELETE_MATCH,
    [ST_SET_FEED_ID] = "UPDATE feed SET id = $1",
    /* An identifier names one instance: given again, it moves. */
    [ST_SET_ARCHIVE_ID] =
        "INSERT INTO archive_ids (archive, archive_id, instance_id)"
        " SELECT $1, $2, id FROM instances WHERE study_uid = $3 AND series_uid = $4 AND sop_uid = "
        "$5"
        " ON CONFLICT (archive, archive_id) DO UPDATE SET instance_id = EXCLUDED.instance_id",
    [ST_FIND_ARCHIVE_ID] = "SELECT i.study_uid, i.series_uid, i.sop_uid, i.current_seq IS NOT NULL"
                           " FROM archive_ids AS a JOIN instances AS i ON i.id = a.instance_id"
                           " WHERE a.archive = $1 AND a.archive_id = $2",
    [ST_WRITER_POSITION] = "SELECT position FROM writer_positions WHERE writer = $1",
    [ST_SET_WRITER_POSITION] = "INSERT INTO writer_positions (writer, position) VALUES ($1, $2)"
                               " ON CONFLICT (writer) DO UPDATE SET position = EXCLUDED.position",
    [ST_CURRENT] = SELECT_ENTRY NO_KIND FROM_CURRENT CURRENT_IN_STUDY,
    [ST_CURRENT_META] = SELECT_ENTRY NO_KIND META FROM_CURRENT CURRENT_IN_STUDY,
    [ST_CURRENT_ONE] = SELECT_ENTRY NO_KIND FROM_CURRENT CURRENT_ONE,
    [ST_CURRENT_ONE_META] = SELECT_ENTRY NO_KIND META FROM_CURRENT CURRENT_ONE,
    /* The UNIQUE index gives each study once, in the database's collation
     * (which the caller's keyset "after" uses too). */
    [ST_CURRENT_STUDIES] = "SELECT DISTINCT study_uid FROM instances"
                           " WHERE study_uid > $1 AND current_seq IS NOT NULL"
                           " ORDER BY study_uid LIMIT $2",
    /* The primary key (archive, archive_id), in the database's collation,
     * which the keyset's "after" uses too. */
    [ST_ARCHIVE_INSTANCES] = "SELECT a.archive_id, i.study_uid, i.series_uid, i.sop_uid"
                             " FROM archive_ids AS a JOIN instances AS i ON i.id = a.instance_id"
                             " WHERE a.archive = $1 AND a.archive_id > $2"
                             " AND i.current_seq IS NOT NULL ORDER BY a.archive_id LIMIT $3",
};

static const char *const statement_sql_old[ST_READERS] = {
    [READ(R_PAGE, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY PAGE_WHERE,
    [READ(R_PAGE, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY PAGE_WHERE,
    [READ(R_COPY, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY PAGE_WHERE,
    [READ(R_COPY, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY PAGE_WHERE,
    [READ(R_WINDOW, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY WINDOW_WHERE,
    [READ(R_WINDOW, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY WINDOW_WHERE,
    [READ(R_LATEST, DF_METADATA_NONE)] = SELECT_ENTRY NO_KIND FROM_ENTRY LATEST_WHERE,
    [READ(R_LATEST, DF_METADATA_FULL)] = SELECT_ENTRY NO_KIND META FROM_ENTRY LATEST_WHERE,
    [ST_LAST] = "SELECT seq, timestamp FROM entries ORDER BY seq DESC LIMIT 1",
    [ST_FEED_ID] = "SELECT id FROM feed LIMIT 1",
};

static const int statement_params[ST_COUNT] = {
    [READ(R_PAGE, DF_METADATA_NONE)] = 2,
    [READ(R_PAGE, DF_METADATA_FULL)] = 2,
    [READ(R_PAGE, DF_METADATA_DEID)] = 2,
    [READ(R_COPY, DF_METADATA_NONE)] = 2,
    [READ(R_COPY, DF_METADATA_FULL)] = 2,
    [READ(R_COPY, DF_METADATA_DEID)] = 2,
    [READ(R_WINDOW, DF_METADATA_NONE)] = 4,
    [READ(R_WINDOW, DF_METADATA_FULL)] = 4,
    [READ(R_WINDOW, DF_METADATA_DEID)] = 4,
    [READ(R_MATCHING, DF_METADATA_NONE)] = FILTER_PARAMS,
    [READ(R_MATCHING, DF_METADATA_FULL)] = FILTER_PARAMS,
    [READ(R_MATCHING, DF_METADATA_DEID)] = FILTER_PARAMS,
    [ST_WINDOW_BOUNDS] = 2,
    [ST_APPEND_CREATE] = 9,
    [ST_APPEND_DELETE] = 7,
    [ST_APPEND_UPDATE] = 9,
    [ST_DELETE_KINDS] = 3,
    [ST_DELETE_ENTRIES] = 5,
    [ST_DELETE_DEID] = 3,
    [ST_DELETE_INSTANCES] = 3,
    [ST_SET_FEED_ID] = 1,
    [ST_SET_ARCHIVE_ID] = 5,
    [ST_FIND_ARCHIVE_ID] = 2,
    [ST_WRITER_POSITION] = 1,
    [ST_SET_WRITER_POSITION] = 2,
    [ST_CURRENT] = 2,
    [ST_CURRENT_META] = 2,
    [ST_CURRENT_ONE] = 3,
    [ST_CURRENT_ONE_META] = 3,
    [ST_CURRENT_STUDIES] = 2,
    [ST_ARCHIVE_INSTANCES] = 3,
};

static const char *statement_name(int i)
{
    static const char *const names[ST_COUNT] = {
        "page",
        "page_meta",
        "page_deid",
        "copy",
        "copy_meta",
        "copy_deid",
        "window",
        "window_meta",
        "window_deid",
        "matching",
        "matching_meta",
        "matching_deid",
        "latest",
        "latest_meta",
        "latest_deid",
        "window_bounds",
        "last",
        "feed_id",
        "append_create",
        "append_delete",
        "append_update",
        "delete_kinds",
        "delete_entries",
        "delete_deid",
        "delete_instances",
        "set_feed_id",
        "set_archive_id",
        "find_archive_id",
        "writer_position",
        "set_writer_position",
        "current",
        "current_meta",
        "current_one",
        "current_one_meta",
        "current_studies",
        "archive_instances",
    };
    return names[i];
}

/* Whether a reader's server can LISTEN: a hot standby cannot (PostgreSQL
 * refuses LISTEN during recovery, and NOTIFY is not replicated). */
enum server_kind { SERVER_UNKNOWN, SERVER_PRIMARY, SERVER_STANDBY };

struct df_store_conn {
    const df_pq *pq; /* libpq's functions (pq.h) */
    PGconn *conn;
    int version; /* the schema version as opened */
    /* The statements prepared on this connection: at the open, those the log
     * has (an older one lacks some); from ST_LAZY on, each at its first use. */
    bool prepared[ST_COUNT];
    enum server_kind server; /* asked at the first wait */
    /* The address's password= and sslpassword= values (owned, NULL if
     * none): a message that contains one is never passed on. */
    char *secrets[2];
    bool created;                         /* this open made the log's schema (DF_STORE_CREATE) */
    char snapshot_id[DF_FEED_ID_LEN + 1]; /* the identity the last read_begin read */
};

/* True when msg holds one of the address's secrets. */
static bool reveals_secret(const df_store_conn *p, const char *msg)
{
    for (size_t i = 0; i < sizeof p->secrets / sizeof p->secrets[0]; i++)
        if (p->secrets[i] != NULL && strstr(msg, p->secrets[i]) != NULL)
            return true;
    return false;
}

/* The server's message, first line only: libpq's messages name the host and
 * the user, and should not hold the password; one that does (libpq quotes
 * parts of the address in some messages) is replaced by a fixed text. A lost
 * connection is DF_EDB, so that the responder answers 503; a lock or
 * serialisation failure is DF_EBUSY. */
static int pg_error(df_store_conn *p, const PGresult *res, df_error *err, const char *what)
{
    const char *msg = res != NULL ? p->pq->PQresultErrorMessage(res) : "";
    if (msg == NULL || msg[0] == '\0')
        msg = p->pq->PQerrorMessage(p->conn);
    if (reveals_secret(p, msg))
        msg = "the server's message is withheld: it quotes the address's password";
    size_t n = strcspn(msg, "\n");
    const char *state = res != NULL ? p->pq->PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    int code = DF_EDB;
    if (state != NULL &&
        (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0))
        code = DF_EBUSY;
    return df_error_set(err, code, "%s: %.*s", what, (int)n, msg);
}

static int exec(df_store_conn *p, const char *sql, df_error *err, const char *what)
{
    PGresult *res = p->pq->PQexec(p->conn, sql);
    int rc = 0;
    ExecStatusType st = p->pq->PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = pg_error(p, res, err, what);
    p->pq->PQclear(res);
    return rc;
}

static int64_t int_value(const df_store_conn *p, const PGresult *res, int row, int col)
{
    return strtoll(p->pq->PQgetvalue(res, row, col), NULL, 10);
}

/* Runs a prepared statement with text parameters (NULL is SQL NULL). The
 * caller clears the result it gets; on failure *out is NULL. */
static int run(df_store_conn *p, int st, const char *const *values, PGresult **out, df_error *err,
               const char *what)
{
    *out = NULL;
    PGresult *res = p->pq->PQexecPrepared(p->conn, statement_name(st), statement_params[st], values,
                                          NULL, NULL, 0);
    ExecStatusType status = p->pq->PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        int rc = pg_error(p, res, err, what);
        p->pq->PQclear(res);
        return rc;
    }
    *out = res;
    return 0;
}

/* Runs a statement whose result is not needed. */
static int run_done(df_store_conn *p, int st, const char *const *values, df_error *err,
                    const char *what)
{
    PGresult *res;
    int rc = run(p, st, values, &res, err, what);
    p->pq->PQclear(res);
    return rc;
}

/* The schema version, 0 when the database holds no dcmfeed log. */
static int schema_version(df_store_conn *p, int64_t *version, df_error *err)
{
    *version = 0;
    PGresult *res = p->pq->PQexec(p->conn, SQL_HAS_SCHEMA);
    int rc = 0;
    if (p->pq->PQresultStatus(res) != PGRES_TUPLES_OK || p->pq->PQntuples(res) != 1)
        rc = pg_error(p, res, err, "cannot read the log's schema version");
    bool present = rc == 0 && p->pq->PQgetvalue(res, 0, 0)[0] == 't';
    p->pq->PQclear(res);
    if (!present)
        return rc;
    res = p->pq->PQexec(p->conn, SQL_VERSION);
    if (p->pq->PQresultStatus(res) != PGRES_TUPLES_OK || p->pq->PQntuples(res) != 1)
        rc = pg_error(p, res, err, "cannot read the log's schema version");
    else
        *version = int_value(p, res, 0, 0);
    p->pq->PQclear(res);
    return rc;
}

static int too_new(int64_t version, df_error *err)
{
    return df_error_set(err, DF_ESCHEMA,
                        "the log has schema version %lld; this build knows up to %d",
                        (long long)version, DF_SCHEMA_VERSION);
}

/* Appends text to an array literal in b ({"a","b"}): quoted, with '"' and
 * '\\' escaped. */
static void array_element(df_buf *b, const char *text, size_t len)
{
    df_buf_append_char(b, b->len == 0 ? '{' : ',');
    df_buf_append_char(b, '"');
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"' || text[i] == '\\') {
            df_buf_append(b, text + from, i - from);
            df_buf_append_char(b, '\\');
            from = i;
        }
    }
    df_buf_append(b, text + from, len - from);
    df_buf_append_char(b, '"');
}

/* Instances whose metadata version 4 derives at a time: the rows of one
 * read, written back with two statements of arrays. A result is held whole
 * in memory: 100 instances are a few hundred kilobytes as archives go, and
 * at most 3.2 GB at the metadata cap. */
#define UPGRADE_BATCH "100"

/* Runs sql with text parameters outside the prepared statements (the
 * migration runs before they are prepared); *out as run's. */
static int run_params(df_store_conn *p, const char *sql, int n, const char *const *values,
                      PGresult **out, df_error *err)
{
    *out = p->pq->PQexecParams(p->conn, sql, n, NULL, values, NULL, NULL, 0);
    ExecStatusType st = p->pq->PQresultStatus(*out);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return 0;
    int rc = pg_error(p, *out, err, "cannot upgrade the log's schema");
    p->pq->PQclear(*out);
    *out = NULL;
    return rc;
}

/* Version 4 (store_sqlite.c's upgrade_v4 says what it derives, and why so). */
static int upgrade_v4(df_store_conn *p, df_error *err)
{
    int rc = exec(p, SQL_SCHEMA_V4, err, "cannot upgrade the log's schema");
    df_derived d;
    df_derived_init(&d);
    /* Arrays of one batch: ids, SOP Classes, Modalities, copies. */
    df_buf arrays[4];
    for (int i = 0; i < 4; i++)
        df_buf_init(&arrays[i], SIZE_MAX / 2);
    char after[24] = "0";
    int rows = 0;
    do {
        PGresult *res = NULL;
        const char *values[4] = {after};
        if (rc == 0)
            rc = run_params(p,
                            "SELECT id, metadata FROM instances WHERE id > $1::bigint"
                            " AND metadata IS NOT NULL ORDER BY id LIMIT " UPGRADE_BATCH,
                            1, values, &res, err);
        rows = rc == 0 ? p->pq->PQntuples(res) : 0;
        for (int i = 0; i < 4; i++)
            df_buf_reset(&arrays[i]);
        for (int r = 0; r < rows && rc == 0; r++) {
            const char *id = p->pq->PQgetvalue(res, r, 0);
            df_error why = {0};
            rc = df_derive_metadata(p->pq->PQgetvalue(res, r, 1),
                                    (size_t)p->pq->PQgetlength(res, r, 1), &d, &why);
            if (rc != 0) {
                rc = df_error_set(err, rc, "cannot upgrade the log: instance %s: %s", id,
                                  why.message);
                break;
            }
            array_element(&arrays[0], id, strlen(id));
            array_element(&arrays[1], d.sop_class_uid, strlen(d.sop_class_uid));
            array_element(&arrays[2], d.modality, strlen(d.modality));
            array_element(&arrays[3], d.deid.data, d.deid.len);
            snprintf(after, sizeof after, "%s", id);
        }
        p->pq->PQclear(res);
        for (int i = 0; i < 4 && rc == 0 && rows > 0; i++) {
            df_buf_append_char(&arrays[i], '}');
            if (df_buf_failed(&arrays[i]))
                rc = df_error_set(err, DF_ENOMEM, "out of memory");
        }
        if (rc == 0 && rows > 0) {
            const char *kinds[2] = {arrays[1].data, arrays[2].data};
            rc = run_params(p, SQL_UPGRADE_V4_KINDS, 2, kinds, &res, err);
            p->pq->PQclear(res);
        }
        if (rc == 0 && rows > 0) {
            const char *all[4] = {arrays[0].data, arrays[1].data, arrays[2].data, arrays[3].data};
            rc = run_params(p, SQL_UPGRADE_V4_INSTANCES, 4, all, &res, err);
            p->pq->PQclear(res);
        }
    } while (rc == 0 && rows == atoi(UPGRADE_BATCH));
    for (int i = 0; i < 4; i++)
        df_buf_free(&arrays[i]);
    df_derived_free(&d);
    if (rc == 0)
        rc = exec(p, SQL_UPGRADE_V4_ENTRIES, err, "cannot upgrade the log's schema");
    return rc;
}

/* Creates (DF_STORE_CREATE only) or upgrades the schema under an advisory
 * lock held to the commit. */
static int migrate(df_store_conn *p, df_store_mode mode, df_error *err)
{
    int rc = exec(p, "BEGIN", err, "cannot set up the log's schema");
    if (rc != 0)
        return rc;
    rc = exec(p, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")", err,
              "cannot lock the log to set up its schema");
    int64_t version = 0;
    if (rc == 0)
        rc = schema_version(p, &version, err);
    if (rc == 0 && version == 0 && mode != DF_STORE_CREATE)
        rc = df_error_set(err, DF_EDB,
                          "no log in this database (no dcmfeed schema); create it with "
                          "dcmfeed-ingest init");
    if (rc == 0 && version > DF_SCHEMA_VERSION)
        rc = too_new(version, err);
    if (rc == 0 && version == 0)
        p->created = true;
    for (int64_t v = version + 1; rc == 0 && v <= DF_SCHEMA_VERSION; v++)
        rc = v == 4 ? upgrade_v4(p, err)
                    : exec(p, upgrades[v], err,
                           v == 1 ? "cannot create the log's schema"
                                  : "cannot upgrade the log's schema");
    if (rc == 0)
        rc = exec(p, "COMMIT", err, "cannot commit the log's schema");
    if (rc != 0)
        p->pq->PQclear(p->pq->PQexec(p->conn, "ROLLBACK"));
    return rc;
}

static int check_schema(df_store_conn *p, df_error *err)
{
    int64_t version = 0;
    int rc = schema_version(p, &version, err);
    if (rc != 0)
        return rc;
    if (version == 0)
        return df_error_set(err, DF_ESCHEMA,
                            "no log in this database (no dcmfeed schema); create it with "
                            "dcmfeed-ingest init");
    if (version > DF_SCHEMA_VERSION)
        return too_new(version, err);
    p->version = (int)version;
    return 0;
}

static int read_feed_id(df_store_conn *p, char feed_id[DF_FEED_ID_LEN + 1], df_error *err)
{
    PGresult *res;
    int rc = run(p, ST_FEED_ID, NULL, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    if (p->pq->PQntuples(res) == 1 && p->pq->PQgetlength(res, 0, 0) <= DF_FEED_ID_LEN)
        memcpy(feed_id, p->pq->PQgetvalue(res, 0, 0), (size_t)p->pq->PQgetlength(res, 0, 0) + 1);
    else
        rc = df_error_set(err, DF_ESCHEMA, "the log has no identity (table feed)");
    p->pq->PQclear(res);
    return rc;
}

/* Parses the address before libpq connects with it: libpq's message for a
 * malformed address quotes the address whole, password included, so that
 * message is never shown. Keeps copies of the secrets for pg_error. */
static int remember_secrets(df_store_conn *p, const char *conninfo, df_error *err)
{
    char *parse_error = NULL;
    PQconninfoOption *options = p->pq->PQconninfoParse(conninfo, &parse_error);
    if (options == NULL) {
        int rc = parse_error == NULL
                     ? df_error_set(err, DF_ENOMEM, "out of memory")
                     : df_error_set(err, DF_EDB,
                                    "cannot connect to the log: its PostgreSQL address is "
                                    "malformed (libpq's message is withheld: it quotes the "
                                    "address, which may hold a password)");
        p->pq->PQfreemem(parse_error);
        return rc;
    }
    int rc = 0;
    size_t k = 0;
    for (PQconninfoOption *o = options; o->keyword != NULL && rc == 0; o++) {
        bool secret = strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "sslpassword") == 0;
        if (!secret || o->val == NULL || o->val[0] == '\0' || k == 2)
            continue;
        p->secrets[k] = strdup(o->val);
        if (p->secrets[k++] == NULL)
            rc = df_error_set(err, DF_ENOMEM, "out of memory");
    }
    p->pq->PQconninfoFree(options);
    return rc;
}

static void pg_close(df_store_conn *p)
{
    if (p == NULL)
        return;
    if (p->conn != NULL)
        p->pq->PQfinish(p->conn);
    for (size_t i = 0; i < sizeof p->secrets / sizeof p->secrets[0]; i++)
        free(p->secrets[i]);
    free(p);
}

static int pg_open(const char *conninfo, df_store_mode mode, df_store_conn **out,
                   char feed_id[DF_FEED_ID_LEN + 1], df_error *err)
{
    *out = NULL;
    df_store_conn *p = calloc(1, sizeof *p);
    if (p == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    int rc = df_pq_load(&p->pq, err);
    if (rc == 0)
        rc = remember_secrets(p, conninfo, err);
    if (rc != 0)
        goto out;
    p->conn = p->pq->PQconnectdb(conninfo);
    if (p->conn == NULL) {
        rc = df_error_set(err, DF_ENOMEM, "out of memory");
        goto out;
    }
    if (p->pq->PQstatus(p->conn) != CONNECTION_OK) {
        rc = pg_error(p, NULL, err, "cannot connect to the log");
        goto out;
    }
    /* Keep the server's notices off our stderr: a responder's stderr is the
     * web server's error log. */
    rc = exec(p, "SET client_min_messages = warning", err, "cannot configure the log");
    if (rc == 0 && mode == DF_STORE_READONLY)
        rc = exec(p, "SET default_transaction_read_only = on", err, "cannot configure the log");
    if (rc == 0)
        rc = mode != DF_STORE_READONLY ? migrate(p, mode, err) : check_schema(p, err);
    if (rc != 0)
        goto out;
    if (mode != DF_STORE_READONLY)
        p->version = DF_SCHEMA_VERSION;
    int n = mode != DF_STORE_READONLY ? ST_LAZY : ST_READERS;
    const char *const *sql = p->version >= 4 ? statement_sql : statement_sql_old;
    for (int i = 0; i < n && rc == 0; i++) {
        if (sql[i] == NULL)
            continue;
        p->prepared[i] = true;
        PGresult *res = p->pq->PQprepare(p->conn, statement_name(i), sql[i], 0, NULL);
        if (p->pq->PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = pg_error(p, res, err, "cannot prepare a statement on the log");
        p->pq->PQclear(res);
    }
    if (rc == 0)
        rc = read_feed_id(p, feed_id, err);
out:
    if (rc != 0) {
        pg_close(p);
        return rc;
    }
    *out = p;
    return 0;
}

static void pg_rollback(df_store_conn *p)
{
    p->pq->PQclear(p->pq->PQexec(p->conn, "ROLLBACK"));
}

/* READ COMMITTED, so that every statement after the lock sees every batch
 * committed before we got it; EXCLUSIVE blocks other writers (and any
 * third-party INSERT) but not readers. */
static int pg_begin(df_store_conn *p, int64_t *last_sequence, int64_t *last_timestamp,
                    df_error *err)
{
    int rc =
        exec(p, "BEGIN ISOLATION LEVEL READ COMMITTED", err, "cannot lock the log for writing");
    if (rc != 0)
        return rc;
    rc = exec(p, "LOCK TABLE entries IN EXCLUSIVE MODE", err, "cannot lock the log for writing");
    PGresult *res = NULL;
    if (rc == 0)
        rc = run(p, ST_LAST, NULL, &res, err, "cannot read the log");
    *last_sequence = 0;
    *last_timestamp = 0;
    if (rc == 0 && p->pq->PQntuples(res) == 1) {
        *last_sequence = int_value(p, res, 0, 0);
        *last_timestamp = int_value(p, res, 0, 1);
    }
    p->pq->PQclear(res);
    if (rc != 0)
        pg_rollback(p);
    return rc;
}

/* The NOTIFY is part of the batch's transaction: PostgreSQL delivers it only
 * once the commit is visible to the listener, and never for a batch rolled
 * back. */
static int pg_commit(df_store_conn *p, bool news, df_error *err)
{
    if (news) {
        int rc = exec(p, "NOTIFY " CHANNEL, err, "cannot commit to the log");
        if (rc != 0) {
            pg_rollback(p);
            return rc;
        }
    }
    /* COMMIT of a failed transaction answers ROLLBACK without an error. */
    PGresult *res = p->pq->PQexec(p->conn, "COMMIT");
    int rc = 0;
    if (p->pq->PQresultStatus(res) != PGRES_COMMAND_OK ||
        strcmp(p->pq->PQcmdStatus(res), "COMMIT") != 0)
        rc = p->pq->PQresultStatus(res) == PGRES_COMMAND_OK
                 ? df_error_set(err, DF_EDB, "cannot commit to the log: the batch failed")
                 : pg_error(p, res, err, "cannot commit to the log");
    p->pq->PQclear(res);
    return rc;
}

/* Text parameters end at a NUL, not at a length: metadata is not
 * NUL-terminated, so it goes through a copy (*out, freed by the caller;
 * NULL, an SQL NULL, when text is). */
static int text_copy(const char *text, size_t len, char **out, df_error *err)
{
    *out = NULL;
    if (text == NULL)
        return 0;
    *out = malloc(len + 1);
    if (*out == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    memcpy(*out, text, len);
    (*out)[len] = '\0';
    return 0;
}

static int pg_append(df_store_conn *p, const df_entry *e, bool *replaced, df_error *err)
{
    bool deleted = e->action == DF_ACTION_DELETE;
    char seq_text[24], ts_text[24];
    snprintf(seq_text, sizeof seq_text, "%" PRId64, e->sequence);
    snprintf(ts_text, sizeof ts_text, "%" PRId64, e->timestamp_us);
    char *meta = NULL, *deid = NULL;
    int rc = deleted ? 0 : text_copy(e->metadata, e->metadata_len, &meta, err);
    if (rc == 0 && !deleted)
        rc = text_copy(e->deid_metadata, e->deid_metadata_len, &deid, err);
    if (rc != 0) {
        free(meta);
        return rc;
    }
    bool unknown = deleted && e->sop_class_uid == NULL && e->modality == NULL;
    const char *sop_class = e->sop_class_uid != NULL ? e->sop_class_uid : unknown ? NULL : "";
    const char *modality = e->modality != NULL ? e->modality : unknown ? NULL : "";
    const char *with_metadata[9] = {e->study_uid, e->series_uid, e->sop_uid, seq_text, meta,
                                    ts_text,      sop_class,     modality,   deid};
    const char *delete_values[7] = {e->study_uid, e->series_uid, e->sop_uid, seq_text,
                                    ts_text,      sop_class,     modality};
    int st = e->action == DF_ACTION_CREATE   ? ST_APPEND_CREATE
             : e->action == DF_ACTION_UPDATE ? ST_APPEND_UPDATE
                                             : ST_APPEND_DELETE;
    PGresult *res;
    rc = run(p, st, deleted ? delete_values : with_metadata, &res, err, "cannot append to the log");
    free(meta);
    free(deid);
    if (rc != 0)
        return rc;
    /* A create answers whether the instance had a present version; an update
     * or a delete appends an entry only when it had one. */
    bool had = st == ST_APPEND_CREATE
                   ? p->pq->PQntuples(res) == 1 && p->pq->PQgetvalue(res, 0, 0)[0] == 't'
                   : strcmp(p->pq->PQcmdTuples(res), "1") == 0;
    p->pq->PQclear(res);
    if (st != ST_APPEND_CREATE && !had)
        return DF_ENOTFOUND;
    if (replaced != NULL)
        *replaced = had;
    return 0;
}

static int pg_delete_matching(df_store_conn *p, const char *study_uid, const char *series_uid,
                              const char *sop_uid, int64_t first_sequence, int64_t timestamp_us,
                              int64_t *count, df_error *err)
{
    char ts_text[24], first_text[24];
    snprintf(ts_text, sizeof ts_text, "%" PRId64, timestamp_us);
    snprintf(first_text, sizeof first_text, "%" PRId64, first_sequence);
    const char *match[5] = {study_uid, series_uid, sop_uid, ts_text, first_text};
    /* The kinds first, then the entries, while the instances still count as
     * existing; then the instances lose their current version, their
     * metadata (PHI) and its de-identified copy. */
    int rc = run_done(p, ST_DELETE_KINDS, match, err, "cannot append to the log");
    PGresult *res;
    if (rc == 0)
        rc = run(p, ST_DELETE_ENTRIES, match, &res, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    *count = strtoll(p->pq->PQcmdTuples(res), NULL, 10);
    p->pq->PQclear(res);
    rc = run_done(p, ST_DELETE_DEID, match, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    return run_done(p, ST_DELETE_INSTANCES, match, err, "cannot append to the log");
}

static int pg_set_feed_id(df_store_conn *p, const char *feed_id, df_error *err)
{
    const char *values[1] = {feed_id};
    return run_done(p, ST_SET_FEED_ID, values, err, "cannot write the log's identity");
}

static int pg_set_archive_id(df_store_conn *p, const char *archive, const char *archive_id,
                             const char *study_uid, const char *series_uid, const char *sop_uid,
                             df_error *err)
{
    const char *values[5] = {archive, archive_id, study_uid, series_uid, sop_uid};
    PGresult *res;
    int rc = run(p, ST_SET_ARCHIVE_ID, values, &res, err, "cannot write to the log");
    if (rc != 0)
        return rc;
    bool set = strcmp(p->pq->PQcmdTuples(res), "1") == 0;
    p->pq->PQclear(res);
    return set ? 0 : DF_ENOTFOUND;
}

static int pg_find_archive_id(df_store_conn *p, const char *archive, const char *archive_id,
                              df_store_instance *out, df_error *err)
{
    const char *values[2] = {archive, archive_id};
    PGresult *res;
    int rc = run(p, ST_FIND_ARCHIVE_ID, values, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    rc = DF_ENOTFOUND;
    if (p->pq->PQntuples(res) == 1) {
        char *uids[3] = {out->study_uid, out->series_uid, out->sop_uid};
        rc = 0;
        for (int i = 0; i < 3 && rc == 0; i++) {
            if (p->pq->PQgetlength(res, 0, i) > DF_UID_MAX)
                rc = df_error_set(err, DF_EDB, "the log holds an instance with a UID over %d bytes",
                                  DF_UID_MAX);
            else
                memcpy(uids[i], p->pq->PQgetvalue(res, 0, i),
                       (size_t)p->pq->PQgetlength(res, 0, i) + 1);
        }
        out->current = p->pq->PQgetvalue(res, 0, 3)[0] == 't';
    }
    p->pq->PQclear(res);
    return rc;
}

static int pg_writer_position(df_store_conn *p, const char *writer, int64_t *position,
                              df_error *err)
{
    const char *values[1] = {writer};
    PGresult *res;
    int rc = run(p, ST_WRITER_POSITION, values, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    *position = p->pq->PQntuples(res) == 1 ? int_value(p, res, 0, 0) : 0;
    p->pq->PQclear(res);
    return 0;
}

static int pg_set_writer_position(df_store_conn *p, const char *writer, int64_t position,
                                  df_error *err)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, position);
    const char *values[2] = {writer, text};
    return run_done(p, ST_SET_WRITER_POSITION, values, err, "cannot write to the log");
}

/* A kind's text column: NULL where the statement or the log has no kinds,
 * '' where the entry's dataset had none (df_entry). */
static const char *kind_text(const df_store_conn *p, const PGresult *res, int row, int col)
{
    if (p->pq->PQgetisnull(res, row, col))
        return NULL;
    return p->pq->PQgetvalue(res, row, col);
}

static int read_entries(df_store_conn *p, int st, const char *const *values, df_metadata metadata,
                        df_entry_fn fn, void *ctx, int *rows, df_error *err)
{
    *rows = 0;
    PGresult *res;
    int rc = run(p, st, values, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    int n = p->pq->PQntuples(res);
    for (int r = 0; r < n && rc == 0; r++) {
        df_entry e = {0};
        e.sequence = int_value(p, res, r, 0);
        e.study_uid = p->pq->PQgetvalue(res, r, 1);
        e.series_uid = p->pq->PQgetvalue(res, r, 2);
        e.sop_uid = p->pq->PQgetvalue(res, r, 3);
        if (!df_store_action_of(int_value(p, res, r, 4), &e.action)) {
            rc = df_error_set(err, DF_EDB, "the log holds an entry of an unknown action");
            break;
        }
        e.timestamp_us = int_value(p, res, r, 5);
        if (p->pq->PQgetisnull(res, r, 6))
            e.state = DF_STATE_DELETED;
        else if (int_value(p, res, r, 6) == e.sequence)
            e.state = DF_STATE_CURRENT;
        else
            e.state = DF_STATE_REPLACED;
        e.sop_class_uid = kind_text(p, res, r, 7);
        e.modality = kind_text(p, res, r, 8);
        if (metadata != DF_METADATA_NONE && e.state != DF_STATE_DELETED &&
            !p->pq->PQgetisnull(res, r, 9)) {
            e.metadata = p->pq->PQgetvalue(res, r, 9);
            e.metadata_len = (size_t)p->pq->PQgetlength(res, r, 9);
        }
        (*rows)++;
        rc = fn(ctx, &e);
    }
    p->pq->PQclear(res);
    return rc;
}

/* The reader statement of a route and a metadata, or DF_ESCHEMA when the
 * log is too old to have it. */
static int reader(const df_store_conn *p, int route, df_metadata metadata, int *st, df_error *err)
{
    *st = READ(route, (int)metadata);
    if (!p->prepared[*st])
        return df_error_set(err, DF_ESCHEMA,
                            "the log has schema version %d: de-identified metadata and filters "
                            "need version 4 (the first writer of this release upgrades it)",
                            p->version);
    return 0;
}

static int pg_page(df_store_conn *p, int64_t after, int limit, df_metadata metadata, bool kinds,
                   df_entry_fn fn, void *ctx, df_error *err)
{
    char a[24], l[16];
    snprintf(a, sizeof a, "%" PRId64, after);
    snprintf(l, sizeof l, "%d", limit);
    const char *values[2] = {a, l};
    int rows, st;
    int rc = reader(p, kinds ? R_COPY : R_PAGE, metadata, &st, err);
    if (rc != 0)
        return rc;
    return read_entries(p, st, values, metadata, fn, ctx, &rows, err);
}

/* bigint arithmetic raises an error on overflow where SQLite turns to a
 * float, so skip is capped far above any Sequence a log can reach. */
#define MAX_SKIP      (INT64_MAX / 2)

/* The Sequences [*first, *end) of the window [start_us, end_us); *first is
 * 0 when no entry is at or after start_us. */
static int window_bounds(df_store_conn *p, int64_t start_us, int64_t end_us, int64_t *first,
                         int64_t *end, df_error *err)
{
    char a[24], b[24];
    snprintf(a, sizeof a, "%" PRId64, start_us);
    snprintf(b, sizeof b, "%" PRId64, end_us);
    const char *values[2] = {a, b};
    PGresult *res;
    int rc = run(p, ST_WINDOW_BOUNDS, values, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    *first = p->pq->PQgetisnull(res, 0, 0) ? 0 : int_value(p, res, 0, 0);
    *end = p->pq->PQgetisnull(res, 0, 1) ? INT64_MAX : int_value(p, res, 0, 1);
    p->pq->PQclear(res);
    return 0;
}

static int pg_window(df_store_conn *p, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                     df_metadata metadata, const df_filter *filter, df_entry_fn fn, void *ctx,
                     df_error *err)
{
    int rows, st;
    int rc = reader(p, filter != NULL ? R_MATCHING : R_WINDOW, metadata, &st, err);
    if (rc != 0)
        return rc;
    char a[24], b[24], c[24], l[16];
    snprintf(c, sizeof c, "%" PRId64, skip > MAX_SKIP ? MAX_SKIP : skip < 0 ? 0 : skip);
    snprintf(l, sizeof l, "%d", limit);
    if (filter == NULL) {
        snprintf(a, sizeof a, "%" PRId64, start_us);
        snprintf(b, sizeof b, "%" PRId64, end_us);
        const char *values[4] = {a, b, c, l};
        return read_entries(p, st, values, metadata, fn, ctx, &rows, err);
    }
    int64_t first = 0, end = 0;
    rc = window_bounds(p, start_us, end_us, &first, &end, err);
    if (rc != 0 || first == 0)
        return rc;
    snprintf(a, sizeof a, "%" PRId64, first);
    snprintf(b, sizeof b, "%" PRId64, end);
    char mask[4];
    snprintf(mask, sizeof mask, "%u", filter->actions != 0 ? filter->actions & 7u : 7u);
    const char *values[FILTER_PARAMS] = {a,
                                         b,
                                         l,
                                         c,
                                         filter->sop_class_count > 0 ? "1" : "0",
                                         filter->modality_count > 0 ? "1" : "0",
                                         mask};
    for (size_t i = 0; i < filter->sop_class_count; i++)
        values[FILTER_FIRST - 1 + i] = filter->sop_classes[i];
    for (size_t i = 0; i < filter->modality_count; i++)
        values[FILTER_FIRST - 1 + DF_FILTER_VALUES_MAX + i] = filter->modalities[i];
    return read_entries(p, st, values, metadata, fn, ctx, &rows, err);
}

static int pg_latest(df_store_conn *p, df_metadata metadata, df_entry_fn fn, void *ctx,
                     df_error *err)
{
    int rows, st;
    int rc = reader(p, R_LATEST, metadata, &st, err);
    if (rc == 0)
        rc = read_entries(p, st, NULL, metadata, fn, ctx, &rows, err);
    if (rc == 0 && rows == 0)
        return DF_ENOTFOUND;
    return rc;
}

static int pg_schema_version(const df_store_conn *p)
{
    return p->version;
}

/* Also the data version: PostgreSQL has no data_version, and every change
 * to the log appends an entry, so the newest Sequence changes exactly when
 * the log does. */
static int pg_last_sequence(df_store_conn *p, int64_t *sequence, df_error *err)
{
    PGresult *res;
    int rc = run(p, ST_LAST, NULL, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    *sequence = p->pq->PQntuples(res) == 1 ? int_value(p, res, 0, 0) : 0;
    p->pq->PQclear(res);
    return 0;
}

/* Prepares statement st at its first use (those from ST_LAZY on). */
static int prepare_lazy(df_store_conn *p, int st, df_error *err)
{
    if (p->prepared[st])
        return 0;
    PGresult *res = p->pq->PQprepare(p->conn, statement_name(st), statement_sql[st], 0, NULL);
    int rc = 0;
    if (p->pq->PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = pg_error(p, res, err, "cannot prepare a statement on the log");
    p->pq->PQclear(res);
    p->prepared[st] = rc == 0;
    return rc;
}

static int pg_current(df_store_conn *p, const char *study_uid, const char *series_uid,
                      const char *sop_uid, bool with_metadata, df_entry_fn fn, void *ctx,
                      df_error *err)
{
    int st = sop_uid != NULL ? (with_metadata ? ST_CURRENT_ONE_META : ST_CURRENT_ONE)
                             : (with_metadata ? ST_CURRENT_META : ST_CURRENT);
    int rc = prepare_lazy(p, st, err);
    if (rc != 0)
        return rc;
    const char *values[3] = {study_uid, series_uid, sop_uid};
    int rows;
    return read_entries(p, st, values, with_metadata ? DF_METADATA_FULL : DF_METADATA_NONE, fn, ctx,
                        &rows, err);
}

static int pg_current_studies(df_store_conn *p, const char *after, int limit, df_uid_fn fn,
                              void *ctx, df_error *err)
{
    int rc = prepare_lazy(p, ST_CURRENT_STUDIES, err);
    if (rc != 0)
        return rc;
    char l[16];
    snprintf(l, sizeof l, "%d", limit);
    const char *values[2] = {after, l};
    PGresult *res;
    rc = run(p, ST_CURRENT_STUDIES, values, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    int n = p->pq->PQntuples(res);
    for (int r = 0; r < n && rc == 0; r++)
        rc = fn(ctx, p->pq->PQgetvalue(res, r, 0));
    p->pq->PQclear(res);
    return rc;
}

/* BEGIN, and the identity read in the snapshot, in one round trip (a query
 * string of two statements answers with the last one's result): an import
 * that completes its copy, or a restore with pg_restore (deploy.md, section
 * 13), changes it under responders that stay connected, and an ETag or a
 * cached answer must name the log they read. Sets *found to whether the
 * table feed has its row in this snapshot. */
static int begin_snapshot(df_store_conn *p, bool *found, df_error *err)
{
    PGresult *res = p->pq->PQexec(p->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
                                           " SELECT id FROM feed");
    int rc = 0;
    *found = false;
    if (p->pq->PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = pg_error(p, res, err, "cannot read the log");
    else if (p->pq->PQntuples(res) == 1 && p->pq->PQgetlength(res, 0, 0) <= DF_FEED_ID_LEN) {
        memcpy(p->snapshot_id, p->pq->PQgetvalue(res, 0, 0),
               (size_t)p->pq->PQgetlength(res, 0, 0) + 1);
        *found = true;
    }
    p->pq->PQclear(res);
    return rc;
}

/* A snapshot taken while a restore held its locks (it is taken before the
 * first statement waits for them) sees the tables the restore made, but
 * none of their rows: no identity. One more snapshot, taken after the
 * restore's commit, sees the restored log; a feed still empty then is a
 * broken log. A failed read_begin leaves no transaction open. */
static int pg_archive_instances(df_store_conn *p, const char *archive, const char *after, int limit,
                                df_archive_instance_fn fn, void *ctx, df_error *err)
{
    int rc = prepare_lazy(p, ST_ARCHIVE_INSTANCES, err);
    if (rc != 0)
        return rc;
    char l[16];
    snprintf(l, sizeof l, "%d", limit);
    const char *values[3] = {archive, after, l};
    PGresult *res;
    rc = run(p, ST_ARCHIVE_INSTANCES, values, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    int n = p->pq->PQntuples(res);
    for (int r = 0; r < n && rc == 0; r++)
        rc = fn(ctx, p->pq->PQgetvalue(res, r, 0), p->pq->PQgetvalue(res, r, 1),
                p->pq->PQgetvalue(res, r, 2), p->pq->PQgetvalue(res, r, 3));
    p->pq->PQclear(res);
    return rc;
}

static int pg_read_begin(df_store_conn *p, df_error *err)
{
    bool found = false;
    int rc = begin_snapshot(p, &found, err);
    if (rc == 0 && !found) {
        p->pq->PQclear(p->pq->PQexec(p->conn, "ROLLBACK"));
        rc = begin_snapshot(p, &found, err);
    }
    if (rc == 0 && !found)
        rc = df_error_set(err, DF_ESCHEMA, "the log has no identity (table feed)");
    if (rc != 0)
        p->pq->PQclear(p->pq->PQexec(p->conn, "ROLLBACK"));
    return rc;
}

static int pg_snapshot_feed_id(df_store_conn *p, char feed_id[DF_FEED_ID_LEN + 1], df_error *err)
{
    (void)err;
    memcpy(feed_id, p->snapshot_id, sizeof p->snapshot_id);
    return 0;
}

static void pg_read_end(df_store_conn *p)
{
    PGresult *res = p->pq->PQexec(p->conn, "COMMIT");
    if (p->pq->PQresultStatus(res) != PGRES_COMMAND_OK)
        p->pq->PQclear(p->pq->PQexec(p->conn, "ROLLBACK"));
    p->pq->PQclear(res);
}

/* LISTEN outside a transaction takes effect when it returns, so a commit
 * after it is heard of and one before it shows in the version the store
 * reads next. A standby is polled: it is asked once per connection, since a
 * LISTEN it refuses would write an error into the server's log each time. */
static int pg_watch(df_store_conn *p, bool *watching, df_error *err)
{
    *watching = false;
    if (p->server == SERVER_UNKNOWN) {
        PGresult *res = p->pq->PQexec(p->conn, "SELECT pg_is_in_recovery()");
        int rc = 0;
        if (p->pq->PQresultStatus(res) != PGRES_TUPLES_OK || p->pq->PQntuples(res) != 1)
            rc = pg_error(p, res, err, "cannot read the log");
        else
            p->server = p->pq->PQgetvalue(res, 0, 0)[0] == 't' ? SERVER_STANDBY : SERVER_PRIMARY;
        p->pq->PQclear(res);
        if (rc != 0)
            return rc;
    }
    if (p->server == SERVER_STANDBY)
        return 0;
    int rc = exec(p, "LISTEN " CHANNEL, err, "cannot read the log");
    *watching = rc == 0;
    return rc;
}

/* Reads what the server sent without blocking and takes the notifications
 * libpq collected: *noticed when one is on our channel (others, from other
 * programs, are dropped). */
static int take_notices(df_store_conn *p, bool *noticed, df_error *err)
{
    if (!p->pq->PQconsumeInput(p->conn) || p->pq->PQstatus(p->conn) != CONNECTION_OK)
        return pg_error(p, NULL, err, "cannot read the log");
    PGnotify *n;
    while ((n = p->pq->PQnotifies(p->conn)) != NULL) {
        if (strcmp(n->relname, CHANNEL) == 0)
            *noticed = true;
        p->pq->PQfreemem(n);
    }
    return 0;
}

/* Blocks in poll() on the connection's socket: a waiting reader costs the
 * server nothing until a commit notifies it. */
static int pg_wait_notice(df_store_conn *p, int timeout_ms, bool *noticed, df_error *err)
{
    *noticed = false;
    int rc = take_notices(p, noticed, err);
    if (rc != 0 || *noticed)
        return rc;
    struct pollfd fd = {.fd = p->pq->PQsocket(p->conn), .events = POLLIN};
    if (fd.fd < 0)
        return pg_error(p, NULL, err, "cannot read the log");
    int ready = poll(&fd, 1, timeout_ms);
    if (ready < 0 && errno != EINTR)
        return df_error_set(err, DF_EDB, "cannot read the log: %s", strerror(errno));
    return ready > 0 ? take_notices(p, noticed, err) : 0;
}

/* What arrived before the UNLISTEN took effect is dropped with it. */
static void pg_unwatch(df_store_conn *p)
{
    p->pq->PQclear(p->pq->PQexec(p->conn, "UNLISTEN " CHANNEL));
    PGnotify *n;
    while ((n = p->pq->PQnotifies(p->conn)) != NULL)
        p->pq->PQfreemem(n);
}

/* No replaced: a database has no file to be replaced; a log re-created in
 * the same database has a new identity, which changes every ETag. */
static bool pg_created(const df_store_conn *p)
{
    return p->created;
}

/* Counted by the server; bytes are what the three tables and their indexes
 * take (pg_total_relation_size). */
static int pg_stats(df_store_conn *p, df_store_stats *st, df_error *err)
{
    memset(st, 0, sizeof *st);
    PGresult *res = p->pq->PQexec(
        p->conn, "SELECT (SELECT count(*) FROM entries), (SELECT count(*) FROM instances),"
                 " coalesce((SELECT max(seq) FROM entries), 0),"
                 " coalesce((SELECT timestamp FROM entries ORDER BY seq DESC LIMIT 1), 0),"
                 " (SELECT max(version) FROM dcmfeed_schema),"
                 " pg_total_relation_size('entries') + pg_total_relation_size('instances')"
                 " + pg_total_relation_size('feed')");
    int rc = 0;
    if (p->pq->PQresultStatus(res) != PGRES_TUPLES_OK || p->pq->PQntuples(res) != 1) {
        rc = pg_error(p, res, err, "cannot read the log");
    } else {
        int64_t *fields[] = {&st->entries,   &st->instances,      &st->newest,
                             &st->newest_us, &st->schema_version, &st->bytes};
        for (int i = 0; i < 6; i++)
            *fields[i] = int_value(p, res, 0, i);
    }
    p->pq->PQclear(res);
    return rc;
}

const df_store_backend df_store_pg = {
    .claims = pg_claims,
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .append = pg_append,
    .delete_matching = pg_delete_matching,
    .set_feed_id = pg_set_feed_id,
    .set_archive_id = pg_set_archive_id,
    .set_writer_position = pg_set_writer_position,
    .find_archive_id = pg_find_archive_id,
    .writer_position = pg_writer_position,
    .page = pg_page,
    .window = pg_window,
    .latest = pg_latest,
    .schema_version = pg_schema_version,
    .last_sequence = pg_last_sequence,
    .data_version = pg_last_sequence,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .read_feed_id = pg_snapshot_feed_id,
    .current = pg_current,
    .current_studies = pg_current_studies,
    .archive_instances = pg_archive_instances,
    .watch = pg_watch,
    .wait_notice = pg_wait_notice,
    .unwatch = pg_unwatch,
    .created = pg_created,
    .stats = pg_stats,
};

#endif
