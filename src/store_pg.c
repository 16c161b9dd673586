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

/* Each step brings a log from the version before to its own, in the
 * writer's transaction (docs/schema.md lists what each added). */
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

#define SELECT_ENTRY                                                                               \
    "SELECT e.seq, i.study_uid, i.series_uid, i.sop_uid, e.action, e.timestamp, i.current_seq"
#define FROM_ENTRY " FROM entries AS e JOIN instances AS i ON i.id = e.instance_id"
#define WINDOW_FIRST                                                                               \
    "(SELECT seq FROM entries WHERE timestamp >= $1 ORDER BY timestamp, seq LIMIT 1)"
#define DELETE_MATCH                                                                               \
    " WHERE study_uid = $1 AND ($2::text IS NULL OR series_uid = $2)"                              \
    " AND ($3::text IS NULL OR sop_uid = $3) AND current_seq IS NOT NULL"

/* The channel a writer's commit notifies and a waiting reader listens on
 * (docs/schema.md). */
#define CHANNEL      "dcmfeed"

enum {
    ST_PAGE,
    ST_PAGE_META,
    ST_WINDOW,
    ST_WINDOW_META,
    ST_LATEST,
    ST_LATEST_META,
    ST_LAST,
    ST_FEED_ID,
    ST_READERS, /* statements above this line are prepared for every store */
    ST_APPEND_CREATE = ST_READERS,
    ST_APPEND_DELETE,
    ST_APPEND_UPDATE,
    ST_DELETE_ENTRIES,
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
    ST_COUNT,
};

/* The instances with a present version, for a writer that compares the log
 * with an archive (reconcile), in the shape read_entries reads (state
 * current). Series and SOP Instance UIDs in byte order (COLLATE "C"), as the
 * SQLite log orders them; a study's rows come from the UNIQUE index. */
#define FROM_CURRENT " FROM instances AS i JOIN entries AS e ON e.seq = i.current_seq"
#define CURRENT_IN_STUDY                                                                           \
    " WHERE i.study_uid = $1 AND ($2::text IS NULL OR i.series_uid = $2)"                          \
    " AND i.current_seq IS NOT NULL ORDER BY i.series_uid COLLATE \"C\", i.sop_uid COLLATE \"C\""
#define CURRENT_ONE                                                                                \
    " WHERE i.study_uid = $1 AND i.series_uid = $2 AND i.sop_uid = $3 AND i.current_seq IS NOT "   \
    "NULL"

/* Every entry's Sequence is given: the newest + 1, which the store read
 * inside the writer's transaction, after it took the entries table's
 * EXCLUSIVE lock, held to the commit (see docs/schema.md for why this leaves
 * no gap a reader could see). */
static const char *const statement_sql[ST_COUNT] = {
    [ST_PAGE] = SELECT_ENTRY FROM_ENTRY " WHERE e.seq > $1 ORDER BY e.seq LIMIT $2",
    [ST_PAGE_META] =
        SELECT_ENTRY ", i.metadata" FROM_ENTRY " WHERE e.seq > $1 ORDER BY e.seq LIMIT $2",
    [ST_WINDOW] = SELECT_ENTRY FROM_ENTRY " WHERE e.seq >= " WINDOW_FIRST
                                          " + $3 AND e.timestamp < $2 ORDER BY e.seq LIMIT $4",
    [ST_WINDOW_META] = SELECT_ENTRY ", i.metadata" FROM_ENTRY " WHERE e.seq >= " WINDOW_FIRST
                                    " + $3 AND e.timestamp < $2 ORDER BY e.seq LIMIT $4",
    [ST_LATEST] = SELECT_ENTRY FROM_ENTRY " ORDER BY e.seq DESC LIMIT 1",
    [ST_LATEST_META] = SELECT_ENTRY ", i.metadata" FROM_ENTRY " ORDER BY e.seq DESC LIMIT 1",
    [ST_LAST] = "SELECT seq, timestamp FROM entries ORDER BY seq DESC LIMIT 1",
    [ST_FEED_ID] = "SELECT id FROM feed LIMIT 1",
    /* One statement per entry, as a batch is many entries and every
     * statement a round trip to the server. Every part of it sees the log as
     * it was before it (one snapshot), so "old" is the instance's row before
     * the upsert: the answer is whether it had a present version. */
    [ST_APPEND_CREATE] =
        "WITH old AS (SELECT current_seq FROM instances"
        " WHERE study_uid = $1 AND series_uid = $2 AND sop_uid = $3),"
        " i AS (INSERT INTO instances (study_uid, series_uid, sop_uid, current_seq, metadata)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (study_uid, series_uid, sop_uid)"
        " DO UPDATE SET current_seq = EXCLUDED.current_seq, metadata = EXCLUDED.metadata"
        " RETURNING id),"
        " e AS (INSERT INTO entries (seq, instance_id, action, timestamp)"
        " SELECT $4, id, 0, $6 FROM i)"
        " SELECT EXISTS (SELECT 1 FROM old WHERE current_seq IS NOT NULL)",
    /* Appends nothing (0 rows) when the instance is missing or deleted. */
    [ST_APPEND_DELETE] =
        "WITH i AS (UPDATE instances SET current_seq = NULL, metadata = NULL"
        " WHERE study_uid = $1 AND series_uid = $2 AND sop_uid = $3 AND current_seq IS NOT NULL"
        " RETURNING id)"
        " INSERT INTO entries (seq, instance_id, action, timestamp) SELECT $4, id, 1, $5 FROM i",
    /* Appends nothing (0 rows) when the instance is missing or deleted. */
    [ST_APPEND_UPDATE] =
        "WITH i AS (UPDATE instances SET current_seq = $4, metadata = $5"
        " WHERE study_uid = $1 AND series_uid = $2 AND sop_uid = $3 AND current_seq IS NOT NULL"
        " RETURNING id)"
        " INSERT INTO entries (seq, instance_id, action, timestamp) SELECT $4, id, 2, $6 FROM i",
    /* Sequences $5, $5 + 1, … in the order the instances first appeared. */
    [ST_DELETE_ENTRIES] = "INSERT INTO entries (seq, instance_id, action, timestamp)"
                          " SELECT $5::bigint - 1 + row_number() OVER (ORDER BY id), id, 1, $4"
                          " FROM instances" DELETE_MATCH " ORDER BY id",
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
    [ST_CURRENT] = SELECT_ENTRY FROM_CURRENT CURRENT_IN_STUDY,
    [ST_CURRENT_META] = SELECT_ENTRY ", i.metadata" FROM_CURRENT CURRENT_IN_STUDY,
    [ST_CURRENT_ONE] = SELECT_ENTRY FROM_CURRENT CURRENT_ONE,
    [ST_CURRENT_ONE_META] = SELECT_ENTRY ", i.metadata" FROM_CURRENT CURRENT_ONE,
    /* The UNIQUE index gives each study once, in the database's collation
     * (which the caller's keyset "after" uses too). */
    [ST_CURRENT_STUDIES] = "SELECT DISTINCT study_uid FROM instances"
                           " WHERE study_uid > $1 AND current_seq IS NOT NULL"
                           " ORDER BY study_uid LIMIT $2",
};

static const int statement_params[ST_COUNT] = {
    [ST_PAGE] = 2,
    [ST_PAGE_META] = 2,
    [ST_WINDOW] = 4,
    [ST_WINDOW_META] = 4,
    [ST_LATEST] = 0,
    [ST_LATEST_META] = 0,
    [ST_LAST] = 0,
    [ST_FEED_ID] = 0,
    [ST_APPEND_CREATE] = 6,
    [ST_APPEND_DELETE] = 5,
    [ST_APPEND_UPDATE] = 6,
    [ST_DELETE_ENTRIES] = 5,
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
};

static const char *statement_name(int i)
{
    static const char *const names[ST_COUNT] = {
        "page",
        "page_meta",
        "window",
        "window_meta",
        "latest",
        "latest_meta",
        "last",
        "feed_id",
        "append_create",
        "append_delete",
        "append_update",
        "delete_entries",
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
    };
    return names[i];
}

/* Whether a reader's server can LISTEN: a hot standby cannot (PostgreSQL
 * refuses LISTEN during recovery, and NOTIFY is not replicated). */
enum server_kind { SERVER_UNKNOWN, SERVER_PRIMARY, SERVER_STANDBY };

struct df_store_conn {
    const df_pq *pq; /* libpq's functions (pq.h) */
    PGconn *conn;
    enum server_kind server; /* asked at the first wait */
    bool prepared[ST_COUNT]; /* the statements from ST_LAZY on prepared so far */
    /* The address's password= and sslpassword= values (owned, NULL if
     * none): a message that contains one is never passed on. */
    char *secrets[2];
    bool created; /* this open made the log's schema (DF_STORE_CREATE) */
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
        rc = exec(p, upgrades[v], err,
                  v == 1 ? "cannot create the log's schema" : "cannot upgrade the log's schema");
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
    int n = mode != DF_STORE_READONLY ? ST_LAZY : ST_READERS;
    for (int i = 0; i < n && rc == 0; i++) {
        PGresult *res = p->pq->PQprepare(p->conn, statement_name(i), statement_sql[i], 0, NULL);
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
    char *meta = NULL;
    int rc = deleted ? 0 : text_copy(e->metadata, e->metadata_len, &meta, err);
    if (rc != 0)
        return rc;
    const char *with_metadata[6] = {e->study_uid, e->series_uid, e->sop_uid,
                                    seq_text,     meta,          ts_text};
    const char *delete_values[5] = {e->study_uid, e->series_uid, e->sop_uid, seq_text, ts_text};
    int st = e->action == DF_ACTION_CREATE   ? ST_APPEND_CREATE
             : e->action == DF_ACTION_UPDATE ? ST_APPEND_UPDATE
                                             : ST_APPEND_DELETE;
    PGresult *res;
    rc = run(p, st, deleted ? delete_values : with_metadata, &res, err, "cannot append to the log");
    free(meta);
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
    PGresult *res;
    int rc = run(p, ST_DELETE_ENTRIES, match, &res, err, "cannot append to the log");
    if (rc != 0)
        return rc;
    *count = strtoll(p->pq->PQcmdTuples(res), NULL, 10);
    p->pq->PQclear(res);
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

static int read_entries(df_store_conn *p, int st, const char *const *values, bool with_metadata,
                        df_entry_fn fn, void *ctx, int *rows, df_error *err)
{
    *rows = 0;
    PGresult *res;
    int rc = run(p, st, values, &res, err, "cannot read the log");
    if (rc != 0)
        return rc;
    int n = p->pq->PQntuples(res);
    for (int r = 0; r < n && rc == 0; r++) {
        df_entry e;
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
        e.metadata = NULL;
        e.metadata_len = 0;
        if (with_metadata && e.state != DF_STATE_DELETED && !p->pq->PQgetisnull(res, r, 7)) {
            e.metadata = p->pq->PQgetvalue(res, r, 7);
            e.metadata_len = (size_t)p->pq->PQgetlength(res, r, 7);
        }
        (*rows)++;
        rc = fn(ctx, &e);
    }
    p->pq->PQclear(res);
    return rc;
}

static int pg_page(df_store_conn *p, int64_t after, int limit, bool with_metadata, df_entry_fn fn,
                   void *ctx, df_error *err)
{
    char a[24], l[16];
    snprintf(a, sizeof a, "%" PRId64, after);
    snprintf(l, sizeof l, "%d", limit);
    const char *values[2] = {a, l};
    int rows;
    return read_entries(p, with_metadata ? ST_PAGE_META : ST_PAGE, values, with_metadata, fn, ctx,
                        &rows, err);
}

/* bigint arithmetic raises an error on overflow where SQLite turns to a
 * float, so skip is capped far above any Sequence a log can reach. */
#define MAX_SKIP (INT64_MAX / 2)

static int pg_window(df_store_conn *p, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                     bool with_metadata, df_entry_fn fn, void *ctx, df_error *err)
{
    char a[24], b[24], c[24], l[16];
    snprintf(a, sizeof a, "%" PRId64, start_us);
    snprintf(b, sizeof b, "%" PRId64, end_us);
    snprintf(c, sizeof c, "%" PRId64, skip > MAX_SKIP ? MAX_SKIP : skip < 0 ? 0 : skip);
    snprintf(l, sizeof l, "%d", limit);
    const char *values[4] = {a, b, c, l};
    int rows;
    return read_entries(p, with_metadata ? ST_WINDOW_META : ST_WINDOW, values, with_metadata, fn,
                        ctx, &rows, err);
}

static int pg_latest(df_store_conn *p, bool with_metadata, df_entry_fn fn, void *ctx, df_error *err)
{
    int rows;
    int rc = read_entries(p, with_metadata ? ST_LATEST_META : ST_LATEST, NULL, with_metadata, fn,
                          ctx, &rows, err);
    if (rc == 0 && rows == 0)
        return DF_ENOTFOUND;
    return rc;
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
    return read_entries(p, st, values, with_metadata, fn, ctx, &rows, err);
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

static int pg_read_begin(df_store_conn *p, df_error *err)
{
    return exec(p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err, "cannot read the log");
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
    .last_sequence = pg_last_sequence,
    .data_version = pg_last_sequence,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .current = pg_current,
    .current_studies = pg_current_studies,
    .watch = pg_watch,
    .wait_notice = pg_wait_notice,
    .unwatch = pg_unwatch,
    .created = pg_created,
    .stats = pg_stats,
};

#endif
