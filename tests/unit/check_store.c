/* Unit tests of the log store: appends, States, keyset pages, schema checks
 * and read-only access, on real SQLite files in a temporary folder, and on
 * the PostgreSQL database that DCMFEED_PG_TEST names (a conninfo), when set
 * and the build has PostgreSQL support: tests/unit/pg_store.sh makes one. */
#ifdef HAVE_CONFIG_H
#include "config.h" /* HAVE_LIBPQ */
#endif
#include <check.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "path_check.h"
#include "store.h"

static char dir[256];
static char path[1024]; /* the log's address: a file, or the PostgreSQL conninfo */
static bool pg;         /* the test runs on PostgreSQL */

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_store.XXXXXX", tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/feed.db", dir);
}

#ifdef HAVE_LIBPQ
/* Runs sql on the test database; true when it succeeded. */
static bool pg_exec(const char *sql)
{
    PGconn *conn = PQconnectdb(getenv("DCMFEED_PG_TEST"));
    ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    PGresult *res = PQexec(conn, sql);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    PQclear(res);
    PQfinish(conn);
    return ok;
}

/* The first column of the first row of sql's answer, as a number. */
static long long pg_number(const char *sql)
{
    PGconn *conn = PQconnectdb(getenv("DCMFEED_PG_TEST"));
    ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
    PGresult *res = PQexec(conn, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1, "%s: %s", sql,
                  PQresultErrorMessage(res));
    long long n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    PQfinish(conn);
    return n;
}

/* Every test starts on an empty database: the log's tables live in the
 * public schema, which is dropped with all it holds. */
static void pg_reset(void)
{
    ck_assert(pg_exec("DROP SCHEMA IF EXISTS other CASCADE;"
                      "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"));
}

static void setup_pg(void)
{
    setup();
    pg = true;
    snprintf(path, sizeof path, "%s", getenv("DCMFEED_PG_TEST"));
    pg_reset();
}
#endif

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static df_store *open_at(const char *address, df_store_mode mode)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_msg(df_store_open(address, mode, &s, &err) == 0, "%s", err.message);
    return s;
}

static df_store *open_rw(void)
{
    return open_at(path, DF_STORE_CREATE);
}

static df_store *open_ro(void)
{
    return open_at(path, DF_STORE_READONLY);
}

static int64_t add(df_store *s, const char *study, const char *series, const char *sop,
                   bool *replaced)
{
    char meta[200];
    snprintf(meta, sizeof meta, "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"%s\"]}}", sop);
    int64_t seq = 0;
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_msg(df_store_add(s, study, series, sop, meta, strlen(meta), &seq, replaced, &err) ==
                      0,
                  "%s", err.message);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    return seq;
}

static int64_t del(df_store *s, const char *study, const char *series, const char *sop)
{
    int64_t n = -1;
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_msg(df_store_delete(s, study, series, sop, &n, &err) == 0, "%s", err.message);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    return n;
}

#define MAX_SEEN 64
struct seen {
    int n;
    df_entry e[MAX_SEEN]; /* its pointers are stale: the strings are copied below */
    char study[MAX_SEEN][65];
    char series[MAX_SEEN][65];
    char sop[MAX_SEEN][65];
    char meta[MAX_SEEN][1500];
    bool has_meta[MAX_SEEN];
    char sop_class[MAX_SEEN][65]; /* "" when the entry has none */
    char modality[MAX_SEEN][17];
};

static int collect(void *ctx, const df_entry *e)
{
    struct seen *w = ctx;
    ck_assert_int_lt(w->n, MAX_SEEN);
    w->e[w->n] = *e;
    snprintf(w->study[w->n], sizeof w->study[0], "%s", e->study_uid);
    snprintf(w->series[w->n], sizeof w->series[0], "%s", e->series_uid);
    snprintf(w->sop[w->n], sizeof w->sop[0], "%s", e->sop_uid);
    w->has_meta[w->n] = e->metadata != NULL;
    if (e->metadata != NULL)
        snprintf(w->meta[w->n], sizeof w->meta[0], "%.*s", (int)e->metadata_len, e->metadata);
    snprintf(w->sop_class[w->n], sizeof w->sop_class[0], "%s",
             e->sop_class_uid != NULL ? e->sop_class_uid : "");
    snprintf(w->modality[w->n], sizeof w->modality[0], "%s",
             e->modality != NULL ? e->modality : "");
    w->n++;
    return 0;
}

static struct seen page(df_store *s, int64_t after, int limit, df_metadata meta)
{
    struct seen w;
    memset(&w, 0, sizeof w);
    df_error err = {0};
    ck_assert_msg(df_store_page(s, after, limit, meta, collect, &w, &err) == 0, "%s", err.message);
    return w;
}

START_TEST(empty_log)
{
    df_store *s = open_rw();
    struct seen w = page(s, 0, 10, true);
    ck_assert_int_eq(w.n, 0);
    df_error err = {0};
    ck_assert_int_eq(df_store_latest(s, true, collect, &w, &err), DF_ENOTFOUND);
    ck_assert_int_eq(err.code, 0);
    int64_t last = -1;
    ck_assert_int_eq(df_store_last_sequence(s, &last, &err), 0);
    ck_assert_int_eq(last, 0);
    df_store_close(s);
    /* A reader of the freshly made log sees it empty, not broken. */
    s = open_ro();
    w = page(s, 0, 10, true);
    ck_assert_int_eq(w.n, 0);
    df_store_close(s);
}
END_TEST

START_TEST(sequences_have_no_gaps)
{
    df_store *s = open_rw();
    for (int i = 1; i <= 5; i++) {
        char sop[32];
        snprintf(sop, sizeof sop, "1.2.3.%d", i);
        ck_assert_int_eq(add(s, "1.2", "1.2.3", sop, NULL), i);
    }
    /* A rolled-back batch takes no Sequence. */
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_add(s, "1.2", "1.2.3", "1.2.3.99", "{}", 2, NULL, NULL, &err), 0);
    df_store_rollback(s);
    ck_assert_int_eq(add(s, "1.2", "1.2.3", "1.2.3.6", NULL), 6);
    struct seen w = page(s, 0, 100, false);
    ck_assert_int_eq(w.n, 6);
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(w.e[i].sequence, i + 1);
        ck_assert(!w.has_meta[i]);
        if (i > 0)
            ck_assert_int_ge(w.e[i].timestamp_us, w.e[i - 1].timestamp_us);
    }
    ck_assert_str_ne(w.sop[5], "1.2.3.99");
    df_store_close(s);
}
END_TEST

START_TEST(states_after_recreate_and_delete)
{
    df_store *s = open_rw();
    bool replaced = true;
    add(s, "1.1", "1.1.1", "1.1.1.1", &replaced); /* 1 */
    ck_assert(!replaced);
    add(s, "1.1", "1.1.1", "1.1.1.2", NULL);      /* 2 */
    add(s, "1.1", "1.1.1", "1.1.1.1", &replaced); /* 3: new version of 1 */
    ck_assert(replaced);
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.2"), 1); /* 4 */
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.2"), 0); /* already gone: nothing appended */
    add(s, "1.1", "1.1.1", "1.1.1.3", NULL);                /* 5 */
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.3"), 1); /* 6 */
    add(s, "1.1", "1.1.1", "1.1.1.3", &replaced);           /* 7: re-created after delete */
    ck_assert(!replaced);

    struct seen w = page(s, 0, 100, true);
    ck_assert_int_eq(w.n, 7);
    const df_state want[7] = {DF_STATE_REPLACED, DF_STATE_DELETED,  DF_STATE_CURRENT,
                              DF_STATE_DELETED,  DF_STATE_REPLACED, DF_STATE_REPLACED,
                              DF_STATE_CURRENT};
    const df_action act[7] = {DF_ACTION_CREATE, DF_ACTION_CREATE, DF_ACTION_CREATE,
                              DF_ACTION_DELETE, DF_ACTION_CREATE, DF_ACTION_DELETE,
                              DF_ACTION_CREATE};
    for (int i = 0; i < 7; i++) {
        ck_assert_msg(w.e[i].state == want[i], "entry %d: state %d, want %d", i + 1, w.e[i].state,
                      want[i]);
        ck_assert_int_eq(w.e[i].action, act[i]);
        /* Metadata is the instance's current one, null once deleted. */
        ck_assert(w.has_meta[i] == (want[i] != DF_STATE_DELETED));
    }
    ck_assert_str_eq(w.meta[0], "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.1.1.1\"]}}");
    df_store_close(s);
}
END_TEST

START_TEST(delete_study_series_instance)
{
    df_store *s = open_rw();
    add(s, "1.1", "1.1.1", "1.1.1.1", NULL);
    add(s, "1.1", "1.1.1", "1.1.1.2", NULL);
    add(s, "1.1", "1.1.2", "1.1.2.1", NULL);
    add(s, "1.1", "1.1.2", "1.1.2.2", NULL);
    add(s, "1.9", "1.9.1", "1.9.1.1", NULL);
    ck_assert_int_eq(del(s, "1.1", "1.1.2", "1.1.2.1"), 1);
    ck_assert_int_eq(del(s, "1.1", "1.1.2", NULL), 1); /* the one left of the series */
    ck_assert_int_eq(del(s, "1.1", NULL, NULL), 2);    /* the two of series 1.1.1 */
    ck_assert_int_eq(del(s, "1.1", NULL, NULL), 0);
    ck_assert_int_eq(del(s, "7.7", NULL, NULL), 0);
    struct seen w = page(s, 5, 100, true);
    ck_assert_int_eq(w.n, 4);
    ck_assert_str_eq(w.sop[0], "1.1.2.1");
    ck_assert_str_eq(w.sop[1], "1.1.2.2");
    ck_assert_str_eq(w.sop[2], "1.1.1.1");
    ck_assert_str_eq(w.sop[3], "1.1.1.2");
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(w.e[i].action, DF_ACTION_DELETE);
        ck_assert_int_eq(w.e[i].state, DF_STATE_DELETED);
    }
    /* The other study is untouched. */
    w = page(s, 4, 1, true);
    ck_assert_str_eq(w.sop[0], "1.9.1.1");
    ck_assert_int_eq(w.e[0].state, DF_STATE_CURRENT);
    df_store_close(s);
}
END_TEST

START_TEST(paging_to_the_end)
{
    df_store *s = open_rw();
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    for (int i = 1; i <= 25; i++) {
        char sop[32];
        snprintf(sop, sizeof sop, "1.2.3.%d", i);
        ck_assert_int_eq(df_store_add(s, "1.2", "1.2.3", sop, "{}", 2, NULL, NULL, &err), 0);
    }
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    struct seen w = page(s, 0, 10, true);
    ck_assert_int_eq(w.n, 10);
    ck_assert_int_eq(w.e[9].sequence, 10);
    w = page(s, 20, 10, true);
    ck_assert_int_eq(w.n, 5);
    ck_assert_int_eq(w.e[0].sequence, 21);
    w = page(s, 25, 10, true);
    ck_assert_int_eq(w.n, 0);
    w = page(s, INT64_MAX, 10, true);
    ck_assert_int_eq(w.n, 0);
    w.n = 0;
    ck_assert_int_eq(df_store_latest(s, false, collect, &w, &err), 0);
    ck_assert_int_eq(w.n, 1);
    ck_assert_int_eq(w.e[0].sequence, 25);
    ck_assert(!w.has_meta[0]);
    int64_t last = 0;
    ck_assert_int_eq(df_store_last_sequence(s, &last, &err), 0);
    ck_assert_int_eq(last, 25);
    df_store_close(s);
}
END_TEST

static int stop_at_two(void *ctx, const df_entry *e)
{
    (void)e;
    int *n = ctx;
    return ++*n == 2 ? 42 : 0;
}

START_TEST(callback_stops_the_read)
{
    df_store *s = open_rw();
    for (int i = 1; i <= 4; i++)
        add(s, "1.2", "1.2.3", i % 2 ? "1.2.3.1" : "1.2.3.2", NULL);
    int n = 0;
    df_error err = {0};
    ck_assert_int_eq(df_store_page(s, 0, 10, true, stop_at_two, &n, &err), 42);
    ck_assert_int_eq(n, 2);
    /* The statement was reset: the next page starts afresh. */
    struct seen w = page(s, 0, 10, true);
    ck_assert_int_eq(w.n, 4);
    df_store_close(s);
}
END_TEST

START_TEST(reader_cannot_write)
{
    df_store *s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store_close(s);
    s = open_ro();
    df_error err = {0};
    ck_assert_int_ne(df_store_begin(s, &err), 0);
    ck_assert_int_ne(df_store_add(s, "1.2", "1.2.3", "1.2.3.2", "{}", 2, NULL, NULL, &err), 0);
    df_store_close(s);
}
END_TEST

START_TEST(missing_log_is_an_error)
{
    df_store *s = NULL;
    df_error err = {0};
    if (pg) /* later keywords of a conninfo win: a database that does not exist */
        strncat(path, " dbname=dcmfeed_no_such_database", sizeof path - strlen(path) - 1);
    ck_assert_int_eq(df_store_open(path, DF_STORE_READONLY, &s, &err), DF_EDB);
    ck_assert_ptr_null(s);
    ck_assert_str_ne(err.message, "");
    if (pg) /* a database that does not exist: libpq says so */
        return;
    /* The message is for the operator's log (the responder shows clients a
     * fixed text): it says what is missing and how to make it. */
    ck_assert_msg(strstr(err.message, "create it with dcmfeed-ingest init") != NULL, "%s",
                  err.message);
    {
        ck_assert_int_ne(access(path, F_OK), 0); /* and a reader did not create it */
        ck_assert_ptr_nonnull(strstr(err.message, path));
    }
    /* Nor does a writer: only DF_STORE_CREATE (dcmfeed-ingest init) makes a log. */
    df_error_clear(&err);
    ck_assert_int_eq(df_store_open(path, DF_STORE_READWRITE, &s, &err), DF_EDB);
    ck_assert_msg(strstr(err.message, "create it with dcmfeed-ingest init") != NULL, "%s",
                  err.message);
    if (!pg)
        ck_assert_int_ne(access(path, F_OK), 0);
    df_error_clear(&err);
    ck_assert_msg(df_store_open(path, DF_STORE_CREATE, &s, &err) == 0, "%s", err.message);
    ck_assert(df_store_created(s));
    df_store_close(s);
    s = open_at(path, DF_STORE_READWRITE);
    ck_assert(!df_store_created(s));
    df_store_close(s);
    s = open_at(path, DF_STORE_CREATE);
    ck_assert(!df_store_created(s)); /* a log that is there is opened, not made again */
    df_store_close(s);
}
END_TEST

static void run_sql(const char *sql);

/* The message of a failed open of path in mode, which must fail with code. */
static const char *open_fails(const char *at, df_store_mode mode, int code, df_error *err)
{
    df_store *s = NULL;
    df_error_clear(err);
    ck_assert_int_eq(df_store_open(at, mode, &s, err), code);
    ck_assert_ptr_null(s);
    return err->message;
}

#define ASSERT_HAS(text, part) ck_assert_msg(strstr((text), (part)) != NULL, "%s", (text))

/* Each reason a SQLite log cannot be opened has its own words: SQLite's
 * "unable to open database file" said the same for all of them. */
START_TEST(file_problems_are_named)
{
    df_error err = {0};
    char at[1200];
    snprintf(at, sizeof at, "%s/no/such/feed.db", dir);
    ASSERT_HAS(open_fails(at, DF_STORE_READONLY, DF_EDB, &err), "missing folder: ");
    ASSERT_HAS(err.message, "/no does not exist");
    ASSERT_HAS(open_fails(at, DF_STORE_CREATE, DF_EDB, &err), "missing folder: ");
    /* A folder given as the log ("disk I/O error" before). */
    ASSERT_HAS(open_fails(dir, DF_STORE_READONLY, DF_EDB, &err), "wrong type: ");
    ASSERT_HAS(err.message, "is a folder, not a file");
    ASSERT_HAS(open_fails(dir, DF_STORE_CREATE, DF_EDB, &err), "is a folder, not a file");
    /* A file on the way used as a folder. */
    FILE *f = fopen(path, "w");
    fputs("not a database at all, but long enough to have a header of a hundred bytes......."
          "...................",
          f);
    fclose(f);
    snprintf(at, sizeof at, "%s/feed.db", path);
    ASSERT_HAS(open_fails(at, DF_STORE_READONLY, DF_EDB, &err), "is not a folder");
    /* Another kind of file. */
    ASSERT_HAS(open_fails(path, DF_STORE_READONLY, DF_EDB, &err), "not a SQLite database");
    ASSERT_HAS(open_fails(path, DF_STORE_CREATE, DF_EDB, &err), "wrong type: ");
    /* An empty file is no log, but may become one. */
    f = fopen(path, "w");
    fclose(f);
    ASSERT_HAS(open_fails(path, DF_STORE_READWRITE, DF_EDB, &err), "(an empty file)");
    df_store *s = open_at(path, DF_STORE_CREATE);
    ck_assert(df_store_created(s));
    df_store_close(s);
    /* A FIFO. */
    snprintf(at, sizeof at, "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(at, 0600), 0);
    ASSERT_HAS(open_fails(at, DF_STORE_READONLY, DF_EDB, &err), "is not a regular file");
}
END_TEST

/* A database of another program is neither read nor made into a log. */
START_TEST(another_programs_database_is_left_alone)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    df_error err = {0};
    ASSERT_HAS(open_fails(path, DF_STORE_CREATE, DF_ESCHEMA, &err), "but not a dcmfeed log");
    ASSERT_HAS(open_fails(path, DF_STORE_READWRITE, DF_ESCHEMA, &err), "but not a dcmfeed log");
    ASSERT_HAS(open_fails(path, DF_STORE_READONLY, DF_ESCHEMA, &err), "but not a dcmfeed log");
}
END_TEST

/* A new log's file is 0640 whatever the umask: the web server's group
 * reads it, nobody else; SQLite gives its -wal and -shm the same. */
START_TEST(a_new_log_is_0640)
{
    mode_t old = umask(077);
    df_store *s = open_at(path, DF_STORE_CREATE);
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store_close(s);
    umask(old);
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char f[1100];
        snprintf(f, sizeof f, "%s%s", path, suffixes[i]);
        struct stat sb;
        ck_assert_int_eq(stat(f, &sb), 0);
        ck_assert_msg((sb.st_mode & 07777) == 0640, "%s: %o", f, (unsigned)(sb.st_mode & 07777));
    }
}
END_TEST

/* A log file replaced by mv beside its -wal and -shm: SQLite would lay the
 * old log's last commits over the new file. Neither reader nor writer opens
 * it; removing the stale files lets init make them anew. */
START_TEST(stale_wal_files_are_refused)
{
    df_store *s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store_close(s);
    char other[1100], cmd[4800];
    snprintf(other, sizeof other, "%s.copy", path);
    /* A copy made now is born after the -wal and -shm beside the log. */
    struct timespec pause = {0, 20 * 1000000L};
    nanosleep(&pause, NULL);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && mv '%s' '%s'", path, other, other, path);
    ck_assert_int_eq(system(cmd), 0);
    struct timespec born;
    if (!df_path_birth(path, &born))
        return; /* a file system without birth times: nothing to tell by */
    df_error err = {0};
    ASSERT_HAS(open_fails(path, DF_STORE_READONLY, DF_EDB, &err), "stale files: ");
    ASSERT_HAS(err.message, "-wal is older than the log file");
    ASSERT_HAS(open_fails(path, DF_STORE_READWRITE, DF_EDB, &err), "stale files: ");
    snprintf(cmd, sizeof cmd, "rm '%s-wal' '%s-shm'", path, path);
    ck_assert_int_eq(system(cmd), 0);
    s = open_at(path, DF_STORE_CREATE);
    ck_assert(!df_store_created(s));
    df_store_close(s);
    s = open_ro();
    df_store_close(s);
    /* And an empty log file beside the -wal of a removed one. */
    snprintf(cmd, sizeof cmd, "rm '%s' && touch '%s'", path, path);
    ck_assert_int_eq(system(cmd), 0);
    ASSERT_HAS(open_fails(path, DF_STORE_CREATE, DF_EDB, &err), "stale files: ");
}
END_TEST

/* A reader where it may not make the -wal and -shm says which is missing
 * and how to make it; a writer makes them. Root may write anywhere, so the
 * folder's write bit cannot be taken from it: the test runs for others. */
START_TEST(missing_wal_files_are_named)
{
    if (geteuid() == 0)
        return;
    df_store *s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store_close(s);
    char f[1100];
    snprintf(f, sizeof f, "%s-shm", path);
    ck_assert_int_eq(unlink(f), 0);
    ck_assert_int_eq(chmod(dir, 0500), 0);
    df_error err = {0};
    ASSERT_HAS(open_fails(path, DF_STORE_READONLY, DF_EDB, &err), "missing file: ");
    ASSERT_HAS(err.message, "-shm is missing");
    ASSERT_HAS(open_fails(path, DF_STORE_READWRITE, DF_EDB, &err), "permission denied: ");
    ck_assert_int_eq(chmod(dir, 0700), 0);
    df_store_close(open_rw());
    df_store_close(open_ro());
}
END_TEST

START_TEST(counts_and_check)
{
    df_store *s = open_rw();
    df_store_stats st;
    df_error err = {0};
    ck_assert_msg(df_store_count(s, &st, &err) == 0, "%s", err.message);
    ck_assert_int_eq(st.entries, 0);
    ck_assert_int_eq(st.newest, 0);
    ck_assert_int_eq(st.schema_version, DF_SCHEMA_VERSION);
    ck_assert_int_gt(st.bytes, 0);
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    add(s, "1.2", "1.2.3", "1.2.3.2", NULL);
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    ck_assert_msg(df_store_count(s, &st, &err) == 0, "%s", err.message);
    ck_assert_int_eq(st.entries, 3);
    ck_assert_int_eq(st.instances, 2);
    ck_assert_int_eq(st.newest, 3);
    ck_assert_int_gt(st.newest_us, 0);
    ck_assert_msg(df_store_check(s, &err) == 0, "%s", err.message);
    df_store_close(s);
    if (pg)
        return;
    /* A gap in the Sequences (written behind the store's back, the
     * immutability trigger dropped) is corruption the check finds. */
    run_sql("DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 2");
    s = open_ro();
    ck_assert_int_eq(df_store_check(s, &err), DF_EDB);
    ASSERT_HAS(err.message, "corrupt: ");
    df_store_close(s);
}
END_TEST

/* A backup is the log, identity included; restoring it under an open reader
 * replaces the content in one step, and the reader sees the new identity
 * in its next snapshot. */
START_TEST(backup_and_restore)
{
    df_store *s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    add(s, "1.2", "1.2.3", "1.2.3.2", NULL);
    char copy[1100];
    snprintf(copy, sizeof copy, "%s/backup.db", dir);
    df_error err = {0};
    df_store *r = open_ro();
    ck_assert_msg(df_store_backup(r, copy, &err) == 0, "%s", err.message);
    ck_assert_int_eq(df_store_backup(r, copy, &err), DF_EINVAL); /* never over a file */
    ASSERT_HAS(err.message, "exists");
    df_error_clear(&err);
    char before[DF_FEED_ID_LEN + 1];
    snprintf(before, sizeof before, "%s", df_store_feed_id(r));
    df_store *b = open_at(copy, DF_STORE_READONLY);
    ck_assert_str_eq(df_store_feed_id(b), before);
    ck_assert_int_eq(page(b, 0, 10, false).n, 2);
    df_store_close(b);
    char side[1200];
    snprintf(side, sizeof side, "%s-wal", copy);
    ck_assert_int_ne(access(side, F_OK), 0); /* one file */
    struct stat sb;
    ck_assert_int_eq(stat(copy, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 07777, 0640);

    add(s, "1.2", "1.2.3", "1.2.3.3", NULL);
    add(s, "1.2", "1.2.3", "1.2.3.4", NULL);
    struct stat log_before, log_after;
    ck_assert_int_eq(stat(path, &log_before), 0);
    ck_assert_int_eq(page(r, 0, 10, false).n, 4);
    ck_assert_msg(df_store_restore(s, copy, &err) == 0, "%s", err.message);
    ck_assert_int_eq(stat(path, &log_after), 0);
    ck_assert(log_before.st_ino == log_after.st_ino); /* the same file */
    ck_assert_str_ne(df_store_feed_id(s), before);
    /* The reader, open all along. */
    ck_assert_int_eq(df_store_read_begin(r, &err), 0);
    ck_assert_str_eq(df_store_feed_id(r), df_store_feed_id(s));
    ck_assert_int_eq(page(r, 0, 10, false).n, 2);
    df_store_read_end(r);
    /* The writer goes on after the backup's newest Sequence. */
    ck_assert_int_eq(add(s, "1.2", "1.2.3", "1.2.3.5", NULL), 3);
    ck_assert_msg(df_store_check(s, &err) == 0, "%s", err.message);
    /* Neither a reader nor anything but a log restores. */
    ck_assert_int_eq(df_store_restore(r, copy, &err), DF_EINVAL);
    df_error_clear(&err);
    FILE *f = fopen(copy, "w");
    fputs("not a log", f);
    fclose(f);
    ck_assert_int_ne(df_store_restore(s, copy, &err), 0);
    ck_assert_int_eq(page(s, 0, 10, false).n, 3); /* untouched */
    df_store_close(r);
    df_store_close(s);
}
END_TEST

/* Runs sql on the log behind the store's back (SQLite: one file; PostgreSQL:
 * the test database). */
static void run_sql(const char *sql)
{
#ifdef HAVE_LIBPQ
    if (pg) {
        ck_assert_msg(pg_exec(sql), "%s", sql);
        return;
    }
#endif
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

START_TEST(foreign_file_is_refused)
{
    run_sql("CREATE TABLE t(x int)");
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_READONLY, &s, &err), DF_ESCHEMA);
    ck_assert_ptr_null(s);
}
END_TEST

START_TEST(newer_schema_is_refused)
{
    df_store_close(open_rw());
    run_sql(pg ? "UPDATE dcmfeed_schema SET version = 99" : "PRAGMA user_version = 99");
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(path, DF_STORE_READONLY, &s, &err), DF_ESCHEMA);
    ck_assert_ptr_nonnull(strstr(err.message, "99"));
    df_error_clear(&err);
    ck_assert_int_eq(df_store_open(path, DF_STORE_CREATE, &s, &err), DF_ESCHEMA);
}
END_TEST

START_TEST(entries_are_immutable)
{
    df_store *s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store_close(s);
#ifdef HAVE_LIBPQ
    if (pg) {
        ck_assert(!pg_exec("UPDATE entries SET action = 1"));
        ck_assert(!pg_exec("DELETE FROM entries"));
        ck_assert(!pg_exec("TRUNCATE entries CASCADE"));
        s = open_ro();
        ck_assert_int_eq(page(s, 0, 10, false).n, 1);
        df_store_close(s);
        return;
    }
#endif
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(db, "UPDATE entries SET action = 1", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(db, "DELETE FROM entries", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}
END_TEST

START_TEST(wal_files_stay_for_readers)
{
    df_store *s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store_close(s);
    char wal[1100];
    snprintf(wal, sizeof wal, "%s-wal", path);
    ck_assert_int_eq(access(wal, F_OK), 0);
    snprintf(wal, sizeof wal, "%s-shm", path);
    ck_assert_int_eq(access(wal, F_OK), 0);
}
END_TEST

START_TEST(replaced_file_is_noticed)
{
    df_store_close(open_rw());
    df_store *s = open_ro();
    ck_assert(!df_store_replaced(s));
    char other[1100];
    snprintf(other, sizeof other, "%s.new", path);
    ck_assert_int_eq(rename(path, other), 0);
    ck_assert(df_store_replaced(s));
    df_store_close(s);
}
END_TEST

static struct seen window(df_store *s, int64_t start, int64_t end, int64_t skip, int limit)
{
    struct seen w;
    memset(&w, 0, sizeof w);
    df_error err = {0};
    ck_assert_msg(df_store_window(s, start, end, skip, limit, false, collect, &w, &err) == 0, "%s",
                  err.message);
    return w;
}

START_TEST(windows_by_timestamp)
{
    df_store *s = open_rw();
    /* Batches a few milliseconds apart, so that timestamps differ. */
    for (int i = 1; i <= 12; i++) {
        char sop[32];
        snprintf(sop, sizeof sop, "1.2.3.%d", i);
        add(s, "1.2", "1.2.3", sop, NULL);
        struct timespec pause = {0, 2 * 1000000L};
        nanosleep(&pause, NULL);
    }
    struct seen all = page(s, 0, 100, false);
    ck_assert_int_eq(all.n, 12);
    int64_t t4 = all.e[3].timestamp_us, t9 = all.e[8].timestamp_us;
    ck_assert_int_lt(all.e[2].timestamp_us, t4);
    /* Start inclusive, end exclusive. */
    struct seen w = window(s, t4, t9, 0, 100);
    ck_assert_int_eq(w.n, 5);
    ck_assert_int_eq(w.e[0].sequence, 4);
    ck_assert_int_eq(w.e[4].sequence, 8);
    /* Offsets skip entries of the window, not of the log. */
    w = window(s, t4, t9, 2, 100);
    ck_assert_int_eq(w.n, 3);
    ck_assert_int_eq(w.e[0].sequence, 6);
    w = window(s, t4, t9, 5, 100);
    ck_assert_int_eq(w.n, 0);
    w = window(s, t4, t9, INT64_MAX, 100);
    ck_assert_int_eq(w.n, 0);
    w = window(s, t4, t9, 1, 2);
    ck_assert_int_eq(w.n, 2);
    ck_assert_int_eq(w.e[1].sequence, 6);
    /* Open ends. */
    w = window(s, INT64_MIN, INT64_MAX, 10, 100);
    ck_assert_int_eq(w.n, 2);
    ck_assert_int_eq(w.e[0].sequence, 11);
    w = window(s, INT64_MIN, t4, 0, 100);
    ck_assert_int_eq(w.n, 3);
    w = window(s, all.e[11].timestamp_us + 1, INT64_MAX, 0, 100);
    ck_assert_int_eq(w.n, 0);
    /* A window that starts between two entries starts at the later one. */
    w = window(s, all.e[3].timestamp_us + 1, INT64_MAX, 0, 1);
    ck_assert_int_eq(w.e[0].sequence, 5);
    df_store_close(s);
}
END_TEST

/* A reader's snapshots, one after another as a responder's requests: each
 * has the identity and the newest Sequence of its own moment, whether a
 * commit or a restore came between them or nothing did; a writer's own
 * commits count too. */
static void snapshot_sees(df_store *r, const char *feed_id, int64_t last)
{
    df_error err = {0};
    int64_t seen = -1;
    ck_assert_msg(df_store_read_begin(r, &err) == 0, "%s", err.message);
    ck_assert_str_eq(df_store_feed_id(r), feed_id);
    ck_assert_int_eq(df_store_last_sequence(r, &seen, &err), 0);
    ck_assert_int_eq(seen, last);
    ck_assert_int_eq(df_store_last_sequence(r, &seen, &err), 0); /* asked twice */
    ck_assert_int_eq(seen, last);
    df_store_read_end(r);
}

START_TEST(snapshots_follow_commits_and_restores)
{
    df_store *s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    char copy[1100], before[DF_FEED_ID_LEN + 1];
    snprintf(copy, sizeof copy, "%s/backup.db", dir);
    snprintf(before, sizeof before, "%s", df_store_feed_id(s));
    df_error err = {0};
    ck_assert_msg(df_store_backup(s, copy, &err) == 0, "%s", err.message);
    df_store *r = open_ro();
    snapshot_sees(r, before, 1);
    snapshot_sees(r, before, 1); /* nothing happened between */
    add(s, "1.2", "1.2.3", "1.2.3.2", NULL);
    snapshot_sees(r, before, 2);
    snapshot_sees(s, before, 2);
    add(s, "1.2", "1.2.3", "1.2.3.3", NULL);
    snapshot_sees(s, before, 3); /* the writer's own commit */
    snapshot_sees(r, before, 3);
    ck_assert_msg(df_store_restore(s, copy, &err) == 0, "%s", err.message);
    char after[DF_FEED_ID_LEN + 1];
    snprintf(after, sizeof after, "%s", df_store_feed_id(s));
    ck_assert_str_ne(after, before);
    snapshot_sees(r, after, 1);
    snapshot_sees(s, after, 1);
    snapshot_sees(r, after, 1);
    df_store_close(r);
    df_store_close(s);
}
END_TEST

START_TEST(identity_and_snapshots)
{
    df_store *s = open_rw();
    const char *id = df_store_feed_id(s);
    ck_assert_uint_eq(strlen(id), 32);
    char first[33];
    snprintf(first, sizeof first, "%s", id);
    df_store_close(s);
    s = open_ro();
    ck_assert_str_eq(df_store_feed_id(s), first); /* the same log keeps it */
    df_store_close(s);
    /* On PostgreSQL another log is the same database under another schema. */
    char other[1200];
    if (pg) {
        run_sql("CREATE SCHEMA other");
        snprintf(other, sizeof other, "%s options='-c search_path=other'", path);
    } else {
        snprintf(other, sizeof other, "%s/other.db", dir);
    }
    df_store *o = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open(other, DF_STORE_CREATE, &o, &err), 0);
    ck_assert_str_ne(df_store_feed_id(o), first); /* another log has another */

    /* A reader's snapshot does not see a commit made during it; data_version
     * tells that one happened. */
    df_store *w = open_rw();
    df_store *r = open_ro();
    int64_t v0, v1, last;
    ck_assert_int_eq(df_store_data_version(r, &v0, &err), 0);
    ck_assert_int_eq(df_store_read_begin(r, &err), 0);
    ck_assert_int_eq(df_store_last_sequence(r, &last, &err), 0);
    ck_assert_int_eq(last, 0);
    add(w, "1.2", "1.2.3", "1.2.3.1", NULL);
    ck_assert_int_eq(df_store_last_sequence(r, &last, &err), 0);
    ck_assert_int_eq(last, 0);
    df_store_read_end(r);
    ck_assert_int_eq(df_store_last_sequence(r, &last, &err), 0);
    ck_assert_int_eq(last, 1);
    ck_assert_int_eq(df_store_data_version(r, &v1, &err), 0);
    ck_assert_int_ne(v0, v1);
    df_store_close(r);
    df_store_close(w);
    df_store_close(o);
}
END_TEST

START_TEST(clock_stepping_back_keeps_order)
{
    /* Timestamps never decrease along Sequence even if the newest entry is
     * ahead of the clock (a clock stepped back, or a writer with a fast clock). */
    df_store *s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store_close(s);
    run_sql(pg ? "ALTER TABLE entries DISABLE TRIGGER entries_no_change;"
                 "UPDATE entries SET timestamp = 4102444800000000;"
               : "DROP TRIGGER entries_no_update;"
                 "UPDATE entries SET timestamp = 4102444800000000;"); /* 2100-01-01 */
    s = open_rw();
    add(s, "1.2", "1.2.3", "1.2.3.2", NULL);
    struct seen w = page(s, 0, 10, false);
    ck_assert_int_eq(w.n, 2);
    ck_assert_int_ge(w.e[1].timestamp_us, w.e[0].timestamp_us);
    df_store_close(s);
}
END_TEST

START_TEST(writers_creating_the_log_at_once)
{
    /* Switching a new log to WAL does not wait through the busy handler: the
     * store retries it, so that every one of several first writers succeeds. */
    enum { WRITERS = 8 };
    for (int round = 0; round < 10; round++) {
#ifdef HAVE_LIBPQ
        if (pg)
            pg_reset();
#endif
        if (!pg) {
            char cmd[3200];
            snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
            ck_assert_int_eq(system(cmd), 0);
        }
        pid_t pids[WRITERS];
        for (int i = 0; i < WRITERS; i++) {
            pids[i] = fork();
            ck_assert_int_ge(pids[i], 0);
            if (pids[i] == 0) {
                df_store *s = NULL;
                df_error err = {0};
                char sop[32];
                snprintf(sop, sizeof sop, "1.2.3.%d", i + 1);
                int rc = df_store_open(path, DF_STORE_CREATE, &s, &err);
                if (rc == 0)
                    rc = df_store_begin(s, &err);
                if (rc == 0)
                    rc = df_store_add(s, "1.2", "1.2.3", sop, "{}", 2, NULL, NULL, &err);
                if (rc == 0)
                    rc = df_store_commit(s, &err);
                df_store_close(s);
                if (rc != 0)
                    fprintf(stderr, "# writer %d: %s\n", i, err.message);
                _exit(rc == 0 ? 0 : 1);
            }
        }
        for (int i = 0; i < WRITERS; i++) {
            int status = 0;
            ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
            ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                          "round %d: writer %d failed", round, i);
        }
        df_store *s = open_ro();
        struct seen w = page(s, 0, 100, false);
        ck_assert_int_eq(w.n, WRITERS);
        df_store_close(s);
    }
}
END_TEST

START_TEST(concurrent_writers_leave_no_gaps)
{
    /* Writers in several processes take Sequences in commit order, so that a
     * reader polling meanwhile always sees 1, 2, … n with no hole: never
     * Sequence 11 before 10 is committed. */
    enum { WRITERS = 8, BATCHES = 10 };
    df_store_close(open_rw());
    pid_t pids[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        pids[i] = fork();
        ck_assert_int_ge(pids[i], 0);
        if (pids[i] == 0) {
            df_store *s = NULL;
            df_error err = {0};
            int rc = df_store_open(path, DF_STORE_CREATE, &s, &err);
            for (int b = 0; b < BATCHES && rc == 0; b++) {
                char sop[32];
                snprintf(sop, sizeof sop, "1.2.3.%d.%d", i + 1, b + 1);
                rc = df_store_begin(s, &err);
                if (rc == 0)
                    rc = df_store_add(s, "1.2", "1.2.3", sop, "{}", 2, NULL, NULL, &err);
                if (rc == 0)
                    rc = df_store_commit(s, &err);
            }
            if (rc != 0)
                fprintf(stderr, "writer %d: %s\n", i, err.message);
            df_store_close(s);
            _exit(rc == 0 ? 0 : 1);
        }
    }
    df_store *r = open_ro();
    int running = WRITERS;
    while (running > 0) {
        struct seen w = page(r, 0, MAX_SEEN, false);
        for (int i = 0; i < w.n; i++)
            ck_assert_int_eq(w.e[i].sequence, i + 1);
        int status = 0;
        pid_t done = waitpid(-1, &status, WNOHANG);
        if (done > 0) {
            ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a writer failed");
            running--;
        }
    }
    int64_t last = 0;
    df_error err = {0};
    ck_assert_int_eq(df_store_last_sequence(r, &last, &err), 0);
    ck_assert_int_eq(last, WRITERS * BATCHES);
    int64_t after = 0, prev_ts = 0;
    while (after < last) {
        struct seen w = page(r, after, MAX_SEEN, false);
        ck_assert_int_gt(w.n, 0);
        for (int i = 0; i < w.n; i++) {
            ck_assert_int_eq(w.e[i].sequence, after + i + 1);
            ck_assert_int_ge(w.e[i].timestamp_us, prev_ts);
            prev_ts = w.e[i].timestamp_us;
        }
        after += w.n;
    }
    df_store_close(r);
}
END_TEST

/* The address of a second log beside the test's: on PostgreSQL the same
 * database under another schema, on SQLite another file. */
static void other_log(char *address, size_t size)
{
    if (pg) {
        run_sql("CREATE SCHEMA IF NOT EXISTS other");
        snprintf(address, size, "%s options='-c search_path=other'", path);
    } else {
        snprintf(address, size, "%s/other.db", dir);
    }
}

static int append_one(void *ctx, const df_entry *e)
{
    df_error err = {0};
    ck_assert_msg(df_store_append_entry(ctx, e, &err) == 0, "%s", err.message);
    return 0;
}

/* Copies the log at from into the empty log at to, as `dcmfeed-ingest
 * import` does: its identity, then its entries, batch entries per batch. */
static void copy_log(const char *from, const char *to, int batch)
{
    df_store *src = open_at(from, DF_STORE_READONLY);
    df_store *dest = open_at(to, DF_STORE_CREATE);
    df_error err = {0};
    int64_t last = 0;
    ck_assert_int_eq(df_store_last_sequence(src, &last, &err), 0);
    ck_assert_int_eq(df_store_begin(dest, &err), 0);
    ck_assert_msg(df_store_set_feed_id(dest, df_store_feed_id(src), NULL, &err) == 0, "%s",
                  err.message);
    for (int64_t after = 0; after < last; after += batch) {
        if (after > 0)
            ck_assert_int_eq(df_store_begin(dest, &err), 0);
        ck_assert_msg(df_store_page(src, after, batch, true, append_one, dest, &err) == 0, "%s",
                      err.message);
        ck_assert_int_eq(df_store_commit(dest, &err), 0);
    }
    if (last == 0)
        ck_assert_int_eq(df_store_commit(dest, &err), 0);
    ck_assert_str_eq(df_store_feed_id(dest), df_store_feed_id(src));
    df_store_close(dest);
    df_store_close(src);
}

/* The two logs answer the same pages: every field of every entry, States and
 * Metadata included, and the same identity. */
static void assert_same_log(const char *a, const char *b)
{
    df_store *sa = open_at(a, DF_STORE_READONLY);
    df_store *sb = open_at(b, DF_STORE_READONLY);
    ck_assert_str_eq(df_store_feed_id(sa), df_store_feed_id(sb));
    struct seen wa = page(sa, 0, MAX_SEEN, true), wb = page(sb, 0, MAX_SEEN, true);
    ck_assert_int_eq(wa.n, wb.n);
    for (int i = 0; i < wa.n; i++) {
        ck_assert_int_eq(wa.e[i].sequence, wb.e[i].sequence);
        ck_assert_str_eq(wa.study[i], wb.study[i]);
        ck_assert_str_eq(wa.series[i], wb.series[i]);
        ck_assert_str_eq(wa.sop[i], wb.sop[i]);
        ck_assert_int_eq(wa.e[i].action, wb.e[i].action);
        ck_assert_int_eq(wa.e[i].timestamp_us, wb.e[i].timestamp_us);
        ck_assert_msg(wa.e[i].state == wb.e[i].state, "entry %d: state %d, copy's %d", i + 1,
                      wa.e[i].state, wb.e[i].state);
        ck_assert(wa.has_meta[i] == wb.has_meta[i]);
        ck_assert_str_eq(wa.meta[i], wb.meta[i]);
    }
    df_store_close(sb);
    df_store_close(sa);
}

START_TEST(copied_log_answers_the_same)
{
    /* Every State a log can hold: current, replaced by a new version,
     * deleted, deleted with its series, re-created after a delete (its
     * create and delete entries then replaced). */
    df_store *s = open_rw();
    add(s, "1.1", "1.1.1", "1.1.1.1", NULL);
    add(s, "1.1", "1.1.1", "1.1.1.2", NULL);
    add(s, "1.1", "1.1.2", "1.1.2.1", NULL);
    add(s, "1.1", "1.1.1", "1.1.1.1", NULL);
    del(s, "1.1", "1.1.1", "1.1.1.2");
    add(s, "1.2", "1.2.1", "1.2.1.1", NULL);
    add(s, "1.2", "1.2.1", "1.2.1.2", NULL);
    del(s, "1.2", "1.2.1", NULL);
    add(s, "1.2", "1.2.1", "1.2.1.2", NULL);
    add(s, "1.1", "1.1.2", "1.1.2.2", NULL);
    df_store_close(s);

    /* The backend under test to SQLite and back to the backend, in batches
     * that end between an instance's create and its delete. */
    char copy[1100], back[1200];
    snprintf(copy, sizeof copy, "%s/copy.db", dir);
    other_log(back, sizeof back);
    copy_log(path, copy, 3);
    assert_same_log(path, copy);
    copy_log(copy, back, 5);
    assert_same_log(path, back);

    /* The copy is a log like any other: the next entries follow the copied
     * ones, and a delete of a study appends the same entries as the
     * source's would, in the same order (that of the instances' first
     * appearance). */
    const char *logs[2] = {path, back};
    struct seen w[2];
    for (int i = 0; i < 2; i++) {
        s = open_at(logs[i], DF_STORE_CREATE);
        ck_assert_int_eq(del(s, "1.1", NULL, NULL), 3);
        ck_assert_int_eq(add(s, "1.2", "1.2.1", "1.2.1.1", NULL), 15);
        w[i] = page(s, 11, 10, false);
        df_store_close(s);
    }
    ck_assert_int_eq(w[0].n, 4);
    ck_assert_int_eq(w[1].n, 4);
    for (int i = 0; i < 4; i++)
        ck_assert_str_eq(w[0].sop[i], w[1].sop[i]);
}
END_TEST

static df_entry entry(int64_t seq, df_action action, const char *sop, int64_t ts)
{
    static const char meta[] = "{}";
    df_entry e = {.sequence = seq,
                  .study_uid = "1.2",
                  .series_uid = "1.2.3",
                  .sop_uid = sop,
                  .action = action,
                  .timestamp_us = ts,
                  .metadata = meta,
                  .metadata_len = 2};
    return e;
}

/* Appends e, expecting rc; err's message must say why when rc is not 0. */
static void append_expect(df_store *s, df_entry e, int rc)
{
    df_error err = {0};
    ck_assert_msg(df_store_append_entry(s, &e, &err) == rc, "entry %lld: %s", (long long)e.sequence,
                  err.message);
    if (rc != 0)
        ck_assert_str_ne(err.message, "");
}

START_TEST(copied_entries_keep_the_rules)
{
    df_store *s = open_rw();
    df_error err = {0};
    append_expect(s, entry(1, DF_ACTION_CREATE, "1.2.3.1", 100), DF_EINVAL); /* no batch */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    append_expect(s, entry(0, DF_ACTION_CREATE, "1.2.3.1", 100), DF_EINVAL);
    append_expect(s, entry(1, DF_ACTION_CREATE, "1.2.3.1", -1), DF_EINVAL);  /* before 1970 */
    append_expect(s, entry(2, DF_ACTION_CREATE, "1.2.3.1", 100), DF_EINVAL); /* a gap */
    append_expect(s, entry(1, DF_ACTION_DELETE, "1.2.3.1", 100), DF_EINVAL); /* not in the log */
    append_expect(s, entry(1, DF_ACTION_CREATE, "1.2.3.1", 100), 0);
    append_expect(s, entry(1, DF_ACTION_CREATE, "1.2.3.2", 100), DF_EINVAL); /* taken */
    append_expect(s, entry(INT64_MAX, DF_ACTION_CREATE, "1.2.3.2", 100), DF_EINVAL);
    append_expect(s, entry(2, DF_ACTION_CREATE, "1.2.3.2", 99), DF_EINVAL); /* back in time */
    append_expect(s, entry(2, (df_action)7, "1.2.3.2", 100), DF_EINVAL);
    df_entry no_uid = entry(2, DF_ACTION_CREATE, NULL, 100);
    append_expect(s, no_uid, DF_EINVAL);
    df_entry no_meta = entry(2, DF_ACTION_CREATE, "1.2.3.2", 100); /* the same Timestamp: fine */
    no_meta.metadata = NULL;
    append_expect(s, no_meta, 0);
    append_expect(s, entry(3, DF_ACTION_DELETE, "1.2.3.1", 150), 0);
    append_expect(s, entry(4, DF_ACTION_DELETE, "1.2.3.1", 150), DF_EINVAL); /* deleted */
    /* The refusals wrote nothing and left the batch usable. */
    ck_assert_int_eq(df_store_commit(s, &err), 0);

    struct seen w = page(s, 0, 10, true);
    ck_assert_int_eq(w.n, 3);
    ck_assert_int_eq(w.e[0].timestamp_us, 100);
    ck_assert_int_eq(w.e[1].timestamp_us, 100);
    ck_assert_int_eq(w.e[2].timestamp_us, 150);
    ck_assert_int_eq(w.e[0].state, DF_STATE_DELETED);
    ck_assert_int_eq(w.e[2].action, DF_ACTION_DELETE);
    ck_assert_int_eq(w.e[1].state, DF_STATE_CURRENT);
    ck_assert(!w.has_meta[1]); /* as given */

    /* A rolled-back copy takes no Sequence; the next batch reads where the
     * log is, whoever appended last (add, delete or a copy). */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    append_expect(s, entry(4, DF_ACTION_CREATE, "1.2.3.4", 200), 0);
    df_store_rollback(s);
    ck_assert_int_eq(add(s, "1.2", "1.2.3", "1.2.3.5", NULL), 4);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    append_expect(s, entry(4, DF_ACTION_CREATE, "1.2.3.4", INT64_MAX / 2), DF_EINVAL);
    int64_t n = 0;
    ck_assert_int_eq(df_store_delete(s, "1.2", NULL, NULL, &n, &err), 0); /* 5, 6 */
    ck_assert_int_eq(n, 2);
    append_expect(s, entry(6, DF_ACTION_CREATE, "1.2.3.4", INT64_MAX / 2), DF_EINVAL);
    /* Timestamps an answer cannot write (years past 9999, or before 1970):
     * refused, or every page from there on would fail. */
    append_expect(s, entry(7, DF_ACTION_CREATE, "1.2.3.4", 253402300800000000), DF_EINVAL);
    append_expect(s, entry(7, DF_ACTION_CREATE, "1.2.3.4", INT64_MAX), DF_EINVAL);
    /* 2100-01-01: a copied Timestamp ahead of the clock holds back add's. */
    append_expect(s, entry(7, DF_ACTION_CREATE, "1.2.3.4", 4102444800000000), 0);
    int64_t seq = 0;
    ck_assert_int_eq(df_store_add(s, "1.2", "1.2.3", "1.2.3.6", "{}", 2, &seq, NULL, &err), 0);
    ck_assert_int_eq(seq, 8);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    w = page(s, 6, 10, false);
    ck_assert_int_eq(w.n, 2);
    ck_assert_int_eq(w.e[1].timestamp_us, 4102444800000000);
    df_store_close(s);

    s = open_ro();
    df_error_clear(&err);
    ck_assert_int_eq(df_store_begin(s, &err), DF_EINVAL);
    append_expect(s, entry(9, DF_ACTION_CREATE, "1.2.3.9", 4102444800000000), DF_EINVAL);
    df_store_close(s);
}
END_TEST

START_TEST(identity_set_on_an_empty_log_only)
{
    static const char theirs[] = "00112233445566778899aabbccddeeff";
    df_store *s = open_rw();
    char mine[33];
    snprintf(mine, sizeof mine, "%s", df_store_feed_id(s));
    df_error err = {0};
    ck_assert_int_eq(df_store_set_feed_id(s, theirs, NULL, &err), DF_EINVAL); /* no batch */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    const char *bad[] = {"", "0011", "00112233445566778899AABBCCDDEEFF",
                         "00112233445566778899aabbccddeefg", "00112233445566778899aabbccddeeff0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_error_clear(&err);
        ck_assert_msg(df_store_set_feed_id(s, bad[i], NULL, &err) == DF_EINVAL, "%s", bad[i]);
    }
    /* Taken at commit, not before; a rollback forgets it. */
    ck_assert_int_eq(df_store_set_feed_id(s, theirs, NULL, &err), 0);
    ck_assert_str_eq(df_store_feed_id(s), mine);
    df_store_rollback(s);
    ck_assert_str_eq(df_store_feed_id(s), mine);
    df_store_close(s);
    s = open_rw();
    ck_assert_str_eq(df_store_feed_id(s), mine);

    /* An entry earlier in the same batch makes the log not empty. */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    append_expect(s, entry(1, DF_ACTION_CREATE, "1.2.3.1", 100), 0);
    df_error_clear(&err);
    ck_assert_int_eq(df_store_set_feed_id(s, theirs, NULL, &err), DF_EINVAL);
    df_store_rollback(s);

    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_feed_id(s, theirs, NULL, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    ck_assert_str_eq(df_store_feed_id(s), theirs);
    add(s, "1.2", "1.2.3", "1.2.3.1", NULL);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_feed_id(s, mine, NULL, &err), DF_EINVAL); /* holds an entry now */
    /* With entries, only from the identity the caller expects (an import
     * finishing its copy): never from another. */
    df_error_clear(&err);
    ck_assert_int_eq(df_store_set_feed_id(s, mine, mine, &err), DF_EINVAL);
    ck_assert_int_eq(df_store_set_feed_id(s, mine, theirs, &err), 0);
    /* ... and a second change in the batch starts from the first. */
    df_error_clear(&err);
    ck_assert_int_eq(df_store_set_feed_id(s, theirs, theirs, &err), DF_EINVAL);
    ck_assert_int_eq(df_store_set_feed_id(s, theirs, mine, &err), 0);
    ck_assert_int_eq(df_store_set_feed_id(s, mine, theirs, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    ck_assert_str_eq(df_store_feed_id(s), mine);
    /* A reader that stays open (a responder) takes the new identity at its
     * next snapshot, not during one begun before the commit: its ETags and
     * cached answers name the log it reads. */
    df_store *r = open_ro();
    ck_assert_int_eq(df_store_read_begin(r, &err), 0);
    ck_assert_str_eq(df_store_feed_id(r), mine);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_feed_id(s, theirs, mine, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    int64_t last;
    ck_assert_int_eq(df_store_last_sequence(r, &last, &err), 0);
    ck_assert_str_eq(df_store_feed_id(r), mine);
    df_store_read_end(r);
    ck_assert_int_eq(df_store_read_begin(r, &err), 0);
    ck_assert_str_eq(df_store_feed_id(r), theirs);
    df_store_read_end(r);
    df_store_close(r);
    df_store_close(s);
    s = open_ro();
    ck_assert_str_eq(df_store_feed_id(s), theirs);
    df_store_close(s);
}
END_TEST

#ifdef HAVE_LIBPQ
START_TEST(pg_log_is_never_replaced)
{
    df_store_close(open_rw());
    df_store *s = open_ro();
    ck_assert(!df_store_replaced(s));
    df_store_close(s);
}
END_TEST
#endif

#ifndef HAVE_LIBPQ
START_TEST(postgresql_needs_support_built_in)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_int_eq(df_store_open("postgresql://localhost/feed", DF_STORE_READONLY, &s, &err),
                     DF_EDB);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err.message, "this build has no PostgreSQL support");
    df_error_clear(&err);
    ck_assert_int_eq(df_store_open("host=/run/postgresql dbname=feed", DF_STORE_CREATE, &s, &err),
                     DF_EDB);
}
END_TEST
#endif

#ifdef HAVE_LIBPQ
/* libpq quotes a malformed address whole in its message, password and all:
 * opening one must fail without that message. No server is needed. */
START_TEST(malformed_pg_addresses_never_echo_the_password)
{
    static const char *const bad[] = {
        "postgresql://web:s3cret@[::1/feed",  "postgresql://u:s3cr%zzet@h/db",
        "postgresql://u:s3cret@[::1]x/db",    "host=/nonexistent password=my s3cret",
        "host=/nonexistent password='s3cret",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_store *s = NULL;
        df_error err = {0};
        ck_assert_int_eq(df_store_open(bad[i], DF_STORE_READONLY, &s, &err), DF_EDB);
        ck_assert_ptr_null(s);
        ck_assert_ptr_null(strstr(err.message, "s3cr"));
        ck_assert_ptr_nonnull(strstr(err.message, "malformed"));
    }
}
END_TEST
#endif

/* Addresses as the responder logs them: no password of any form survives,
 * everything else stays for the operator. */
START_TEST(addresses_for_logs_hide_passwords)
{
    static const char *const cases[][2] = {
        {"/var/lib/dcmfeed/feed.db", "/var/lib/dcmfeed/feed.db"},
        {"feed dir/feed.db", "feed dir/feed.db"},
        {"host=/run/postgresql dbname=feed user=web", "host=/run/postgresql dbname=feed user=web"},
        {"host=db dbname=feed user=web password=s3cret",
         "host=db dbname=feed user=web password=***"},
        {"password = 'se cret' host=db", "password = *** host=db"},
        {"host=db password='it\\'s s3cret' sslpassword=k3y port=5432",
         "host=db password=*** sslpassword=*** port=5432"},
        {"host=db Password=s3cret", "host=db Password=***"},
        {"host=db password='unterminated s3cret", "host=db password=***"},
        {"host=db password=pa\\ ss port=1", "host=db password=*** port=1"},
        {"host=db password=my s3cret port=1", "host=db password=*** *** port=1"},
        {"password=my s3 cr et", "password=*** *** *** ***"},
        {"dbname='postgresql://web:s3cret@db/feed'", "dbname=***"},
        {"dbname='host=db password=s3cret'", "dbname=***"},
        {"postgresql://web:s3cret@db.example/feed", "postgresql://web:***@db.example/feed"},
        {"postgres://web:s3@cr/et@db/feed?sslmode=require",
         "postgres://web:***@db/feed?sslmode=require"},
        {"postgresql://web:s3c?ret@db/feed", "postgresql://web:***@db/feed"},
        {"postgresql://web@db/feed?password=s3cret&sslmode=require",
         "postgresql://web@db/feed?password=***&sslmode=require"},
        {"postgresql://db/feed?pass%77ord=s3cret", "postgresql://db/feed?pass%77ord=***"},
        {"postgresql://db/feed?dbname=host%3Ddb%20password%3Ds3cret",
         "postgresql://db/feed?dbname=***"},
        {"postgresql://web:s3cret@%2Frun%2Fpostgresql:5432/feed",
         "postgresql://web:***@%2Frun%2Fpostgresql:5432/feed"},
        {"postgresql://db:5432/feed?application_name=x",
         "postgresql://db:5432/feed?application_name=x"},
        {"postgresql://", "postgresql://"},
        {"", ""},
    };
    char out[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_str_eq(df_store_address_for_log(cases[i][0], out, sizeof out), cases[i][1]);
        ck_assert_ptr_null(strstr(out, "s3"));
    }
    /* Past eight secrets the rest of the address is hidden. */
    const char *many = "password=1 password=2 password=3 password=4 password=5 password=6 "
                       "password=7 password=8 password=9 host=db";
    ck_assert_str_eq(df_store_address_for_log(many, out, sizeof out),
                     "password=*** password=*** password=*** password=*** password=*** "
                     "password=*** password=*** password=***");
    /* A short buffer truncates, still NUL-terminated, still without the secret. */
    char small[12];
    ck_assert_str_eq(df_store_address_for_log("host=db password=s3cret", small, sizeof small),
                     "host=db pas");
    ck_assert_str_eq(df_store_address_for_log("password=s3cret", small, sizeof small),
                     "password=**");
    ck_assert_str_eq(df_store_address_for_log("host=db", small, 1), "");
}
END_TEST

/* A metadata of n bytes (not JSON: the store does not read it). */
/* A dataset of exactly n bytes (n >= 32): one long text attribute. */
static char *big_metadata(size_t n)
{
    static const char head[] = "{\"00204000\":{\"vr\":\"LT\",\"Value\":[\"";
    static const char tail[] = "\"]}}";
    char *m = malloc(n);
    ck_assert_ptr_nonnull(m);
    memset(m, 'x', n);
    memcpy(m, head, sizeof head - 1);
    memcpy(m + n - (sizeof tail - 1), tail, sizeof tail - 1);
    return m;
}

static int metadata_length(void *ctx, const df_entry *e)
{
    size_t *lengths = ctx;
    lengths[e->sequence - 1] = e->metadata_len;
    return 0;
}

START_TEST(metadata_is_capped_per_instance)
{
    /* One entry must always fit in an answer (DF_ANSWER_MAX, 64 MiB), so
     * that a page always makes progress: the cap is 32 MiB, to the byte. */
    ck_assert_int_eq(DF_METADATA_MAX, 33554432);
    char *meta = big_metadata(DF_METADATA_MAX + 1);
    char *fits = big_metadata(DF_METADATA_MAX);
    df_store *s = open_rw();
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    int64_t seq = 0;
    ck_assert_int_eq(
        df_store_add(s, "1.2", "1.2.3", "1.2.3.1", meta, DF_METADATA_MAX + 1, &seq, NULL, &err),
        DF_EINVAL);
    ck_assert_str_eq(err.message, "the instance's metadata is 33554433 bytes; the feed serves at "
                                  "most 33554432 bytes of metadata per instance (docs/schema.md)");
    /* Nothing written, the batch still usable: the next add is Sequence 1. */
    df_error_clear(&err);
    ck_assert_int_eq(
        df_store_add(s, "1.2", "1.2.3", "1.2.3.1", fits, DF_METADATA_MAX, &seq, NULL, &err), 0);
    ck_assert_int_eq(seq, 1);
    /* A copied entry keeps the same rule. */
    df_entry e = {.sequence = 2,
                  .study_uid = "1.2",
                  .series_uid = "1.2.3",
                  .sop_uid = "1.2.3.2",
                  .action = DF_ACTION_CREATE,
                  .timestamp_us = INT64_C(4102444800000000),
                  .metadata = meta,
                  .metadata_len = DF_METADATA_MAX + 1};
    ck_assert_int_eq(df_store_append_entry(s, &e, &err), DF_EINVAL);
    ck_assert_str_eq(err.message,
                     "entry 2: the instance's metadata is 33554433 bytes; the feed serves at "
                     "most 33554432 bytes of metadata per instance (docs/schema.md)");
    e.metadata = fits;
    e.metadata_len = DF_METADATA_MAX;
    df_error_clear(&err);
    ck_assert_msg(df_store_append_entry(s, &e, &err) == 0, "%s", err.message);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    free(meta);
    free(fits);
    size_t lengths[2] = {0, 0};
    ck_assert_int_eq(df_store_page(s, 0, 10, true, metadata_length, lengths, &err), 0);
    ck_assert_uint_eq(lengths[0], DF_METADATA_MAX);
    ck_assert_uint_eq(lengths[1], DF_METADATA_MAX);
    df_store_close(s);
}
END_TEST

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* One df_store_wait_change in a thread of its own; the test's thread
 * checks what it found after joining it. */
struct waiter {
    df_store *s;
    int64_t seen;
    int timeout_ms;
    const _Atomic bool *cancel;
    int rc;
    int64_t version;
    int64_t began_ms, woke_ms;
    df_error err;
    pthread_t thread;
};

static void *waiter_main(void *arg)
{
    struct waiter *w = arg;
    w->began_ms = monotonic_ms();
    w->rc = df_store_wait_change(w->s, w->seen, w->timeout_ms, w->cancel, &w->version, &w->err);
    w->woke_ms = monotonic_ms();
    return NULL;
}

/* Starts a wait on s for a change of its present version. */
static void start_waiter(struct waiter *w, df_store *s, int timeout_ms, const _Atomic bool *cancel)
{
    memset(w, 0, sizeof *w);
    w->s = s;
    w->timeout_ms = timeout_ms;
    w->cancel = cancel;
    df_error err = {0};
    ck_assert_msg(df_store_data_version(s, &w->seen, &err) == 0, "%s", err.message);
    ck_assert_int_eq(pthread_create(&w->thread, NULL, waiter_main, w), 0);
}

static void join_waiter(struct waiter *w)
{
    ck_assert_int_eq(pthread_join(w->thread, NULL), 0);
}

START_TEST(a_waiter_wakes_at_a_commit)
{
    /* A reader waiting in one thread, a writer committing in another: the
     * wait ends within 100 ms of the commit (on PostgreSQL through the
     * commit's NOTIFY: without it the wait would last its 10 s). */
    df_store *w = open_rw();
    df_store *r = open_ro();
    int64_t worst = 0;
    for (int round = 1; round <= 3; round++) {
        struct waiter waiter;
        start_waiter(&waiter, r, 10000, NULL);
        sleep_ms(150); /* the waiter is asleep in its wait by now */
        char sop[32];
        snprintf(sop, sizeof sop, "1.2.3.%d", round);
        int64_t committing = monotonic_ms();
        add(w, "1.2", "1.2.3", sop, NULL);
        join_waiter(&waiter);
        ck_assert_msg(waiter.rc == 0, "%s", waiter.err.message);
        ck_assert_int_ne(waiter.version, waiter.seen);
        int64_t latency = waiter.woke_ms - committing;
        if (latency > worst)
            worst = latency;
        /* What woke it is there to read. */
        int64_t last = 0;
        df_error err = {0};
        ck_assert_int_eq(df_store_last_sequence(r, &last, &err), 0);
        ck_assert_int_eq(last, round);
    }
    fprintf(stderr, "check_store: %s: a waiter woke at most %lld ms after a commit began\n",
            pg ? "PostgreSQL" : "SQLite", (long long)worst);
    ck_assert_int_lt(worst, 100);
    df_store_close(r);
    df_store_close(w);
}
END_TEST

START_TEST(a_wait_ends_at_its_timeout_or_its_cancel)
{
    df_store *w = open_rw();
    add(w, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store *r = open_ro();
    /* Nothing is committed: the wait lasts its timeout and reports no change. */
    struct waiter waiter;
    start_waiter(&waiter, r, 300, NULL);
    join_waiter(&waiter);
    ck_assert_msg(waiter.rc == 0, "%s", waiter.err.message);
    ck_assert_int_eq(waiter.version, waiter.seen);
    ck_assert_int_ge(waiter.woke_ms - waiter.began_ms, 295);
    ck_assert_int_lt(waiter.woke_ms - waiter.began_ms, 1000);
    /* A cancel (the responder's SIGTERM) ends it within a slice. */
    _Atomic bool cancel = false;
    start_waiter(&waiter, r, 10000, &cancel);
    sleep_ms(150);
    int64_t cancelled = monotonic_ms();
    atomic_store(&cancel, true);
    join_waiter(&waiter);
    ck_assert_msg(waiter.rc == 0, "%s", waiter.err.message);
    ck_assert_int_eq(waiter.version, waiter.seen);
    ck_assert_int_lt(waiter.woke_ms - cancelled, DF_STORE_WAIT_SLICE_MS + 50);
    /* A wait ends the reader's snapshot, which would never see the commit. */
    df_error err = {0};
    ck_assert_int_eq(df_store_read_begin(r, &err), 0);
    start_waiter(&waiter, r, 10000, NULL);
    sleep_ms(100);
    add(w, "1.2", "1.2.3", "1.2.3.2", NULL);
    join_waiter(&waiter);
    ck_assert_msg(waiter.rc == 0, "%s", waiter.err.message);
    ck_assert_int_lt(waiter.woke_ms - waiter.began_ms, 5000);
    /* Not during a batch: the writer's own appends are no news. */
    int64_t version = -1;
    ck_assert_int_eq(df_store_begin(w, &err), 0);
    ck_assert_int_eq(df_store_wait_change(w, 0, 10, NULL, &version, &err), DF_EINVAL);
    ck_assert_int_eq(version, 0);
    df_store_rollback(w);
    df_store_close(r);
    df_store_close(w);
}
END_TEST

#ifdef HAVE_LIBPQ
/* Runs sql in the cluster's other database, postgres (later keywords of a
 * conninfo win). */
static void pg_exec_elsewhere(const char *sql)
{
    char other[1200];
    snprintf(other, sizeof other, "%s dbname=postgres", path);
    PGconn *conn = PQconnectdb(other);
    ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
    PGresult *res = PQexec(conn, sql);
    ck_assert_int_eq(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(conn);
}

#define XACTS "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"

START_TEST(pg_a_wait_costs_no_query_until_news)
{
    /* A waiting reader LISTENs and sleeps: the server counts a handful of
     * transactions for the whole wait, where polling every 5 ms would count
     * some 200 a second. NOTIFYs that are not a commit of the log (another
     * channel, the same channel from another program, another database)
     * cost it one look at the version and do not end the wait. */
    df_store *w = open_rw();
    add(w, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store *r = open_ro();
    long long xacts = pg_number(XACTS);
    struct waiter waiter;
    start_waiter(&waiter, r, 1500, NULL);
    sleep_ms(300);
    ck_assert(pg_exec("NOTIFY dcmfeed_other; NOTIFY dcmfeed, 'not a commit'"));
    pg_exec_elsewhere("NOTIFY dcmfeed");
    join_waiter(&waiter);
    ck_assert_msg(waiter.rc == 0, "%s", waiter.err.message);
    ck_assert_int_eq(waiter.version, waiter.seen);
    ck_assert_int_ge(waiter.woke_ms - waiter.began_ms, 1495);
    long long spent = pg_number(XACTS) - xacts;
    fprintf(stderr, "check_store: PostgreSQL: %lld transactions during a 1.5 s wait\n", spent);
    ck_assert_int_lt(spent, 100);
    /* The reader stopped listening: the connection gets no notifications
     * while it is not waiting. */
    ck_assert_int_eq(pg_number("SELECT count(*) FROM pg_stat_activity a, pg_listening_channels()"
                               " WHERE a.pid = pg_backend_pid()"),
                     0);
    df_store_close(r);
    df_store_close(w);
}
END_TEST

START_TEST(pg_a_connection_lost_while_waiting_is_edb)
{
    df_store *w = open_rw();
    add(w, "1.2", "1.2.3", "1.2.3.1", NULL);
    df_store_close(w);
    char address[1200];
    snprintf(address, sizeof address, "%s application_name=dcmfeed_waiter", path);
    df_store *r = open_at(address, DF_STORE_READONLY);
    struct waiter waiter;
    start_waiter(&waiter, r, 10000, NULL);
    sleep_ms(200);
    ck_assert_int_eq(pg_number("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                               " WHERE application_name = 'dcmfeed_waiter'"),
                     1);
    join_waiter(&waiter);
    ck_assert_int_eq(waiter.rc, DF_EDB);
    ck_assert_str_ne(waiter.err.message, "");
    ck_assert_int_lt(waiter.woke_ms - waiter.began_ms, 5000);
    df_store_close(r);
}
END_TEST
#endif

/* The tests that hold for every backend. */
/* Appends an update with metadata naming sop and tag; returns its rc. */
static int update(df_store *s, const char *sop, const char *tag, int64_t *seq, df_error *err)
{
    char meta[200];
    snprintf(meta, sizeof meta, "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},\"%s\":{}}", sop,
             tag);
    return df_store_update(s, "1.1", "1.1.1", sop, meta, strlen(meta), seq, err);
}

/* Spec §4: an update carries the instance's present metadata, so it is
 * current and what came before it replaced; a later delete makes all of
 * them deleted; an update needs an instance that exists. */
START_TEST(updates_carry_the_present_metadata)
{
    df_store *s = open_rw();
    df_error err = {0};
    add(s, "1.1", "1.1.1", "1.1.1.1", NULL); /* 1 */
    add(s, "1.1", "1.1.1", "1.1.1.2", NULL); /* 2 */
    int64_t seq = 0;
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_msg(update(s, "1.1.1.1", "00100010", &seq, &err) == 0, "%s", err.message); /* 3 */
    ck_assert_int_eq(seq, 3);
    /* Missing, or of another series: refused, nothing written, the batch goes on. */
    ck_assert_int_eq(update(s, "1.1.1.9", "00100010", &seq, &err), DF_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "1.1.1.9"));
    df_error_clear(&err);
    ck_assert_int_eq(df_store_update(s, "1.1", "1.1.2", "1.1.1.2", "{}", 2, &seq, &err),
                     DF_ENOTFOUND);
    df_error_clear(&err);
    ck_assert_msg(update(s, "1.1.1.1", "00100020", &seq, &err) == 0, "%s", err.message); /* 4 */
    ck_assert_int_eq(seq, 4);
    ck_assert_int_eq(df_store_commit(s, &err), 0);

    struct seen w = page(s, 0, 100, true);
    ck_assert_int_eq(w.n, 4);
    const df_action act[4] = {DF_ACTION_CREATE, DF_ACTION_CREATE, DF_ACTION_UPDATE,
                              DF_ACTION_UPDATE};
    const df_state want[4] = {DF_STATE_REPLACED, DF_STATE_CURRENT, DF_STATE_REPLACED,
                              DF_STATE_CURRENT};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(w.e[i].action, act[i]);
        ck_assert_msg(w.e[i].state == want[i], "entry %d: state %d", i + 1, w.e[i].state);
    }
    /* Every entry of the instance shows its present metadata: the last update's. */
    ck_assert_ptr_nonnull(strstr(w.meta[0], "00100020"));
    ck_assert_ptr_null(strstr(w.meta[0], "00100010"));
    ck_assert_str_eq(w.meta[0], w.meta[3]);

    /* A delete makes all of them deleted; an update of a deleted instance is
     * refused; a new create undoes the delete. */
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.1"), 1); /* 5 */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(update(s, "1.1.1.1", "00100010", &seq, &err), DF_ENOTFOUND);
    df_error_clear(&err);
    df_store_rollback(s);
    w = page(s, 0, 100, true);
    ck_assert_int_eq(w.n, 5);
    for (int i = 0; i < 5; i++)
        if (i != 1)
            ck_assert_msg(w.e[i].state == DF_STATE_DELETED && !w.has_meta[i], "entry %d", i + 1);
    add(s, "1.1", "1.1.1", "1.1.1.1", NULL); /* 6 */
    w = page(s, 0, 100, false);
    ck_assert_int_eq(w.e[2].state, DF_STATE_REPLACED);
    ck_assert_int_eq(w.e[4].state, DF_STATE_REPLACED);
    ck_assert_int_eq(w.e[5].state, DF_STATE_CURRENT);

    /* Copied updates keep the same rules. */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    df_entry u = {.sequence = 7,
                  .study_uid = "1.1",
                  .series_uid = "1.1.1",
                  .sop_uid = "1.1.1.2",
                  .action = DF_ACTION_UPDATE,
                  .timestamp_us = INT64_C(4102444800000000),
                  .metadata = "{}",
                  .metadata_len = 2};
    ck_assert_msg(df_store_append_entry(s, &u, &err) == 0, "%s", err.message);
    u.sequence = 8;
    u.sop_uid = "1.1.1.8";
    ck_assert_int_eq(df_store_append_entry(s, &u, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "updates an instance the log does not hold"));
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    w = page(s, 6, 100, true);
    ck_assert_int_eq(w.n, 1);
    ck_assert_int_eq(w.e[0].action, DF_ACTION_UPDATE);
    ck_assert_str_eq(w.meta[0], "{}");
    df_store_close(s);
}
END_TEST

/* What version 1 of each backend made (src/store_sqlite.c, src/store_pg.c),
 * for the tests of the upgrades. */
static const char SQLITE_V1[] =
    "CREATE TABLE instances (id INTEGER PRIMARY KEY, study_uid TEXT NOT NULL,"
    " series_uid TEXT NOT NULL, sop_uid TEXT NOT NULL, current_seq INTEGER, metadata TEXT,"
    " UNIQUE (study_uid, series_uid, sop_uid));"
    "CREATE TABLE entries (seq INTEGER PRIMARY KEY,"
    " instance_id INTEGER NOT NULL REFERENCES instances(id),"
    " action INTEGER NOT NULL CHECK (action IN (0, 1)), timestamp INTEGER NOT NULL);"
    "CREATE INDEX entries_timestamp ON entries(timestamp);"
    "CREATE TABLE feed (id TEXT NOT NULL);"
    "INSERT INTO feed (id) VALUES (lower(hex(randomblob(16))));"
    "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries"
    "  BEGIN SELECT RAISE(ABORT, 'change feed entries are immutable'); END;"
    "CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries"
    "  BEGIN SELECT RAISE(ABORT, 'change feed entries are immutable'); END;"
    "PRAGMA user_version = 1;";
static const char PG_V1[] =
    "CREATE TABLE instances (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " study_uid text NOT NULL, series_uid text NOT NULL, sop_uid text NOT NULL,"
    " current_seq bigint, metadata text, UNIQUE (study_uid, series_uid, sop_uid));"
    "CREATE TABLE entries (seq bigint PRIMARY KEY,"
    " instance_id bigint NOT NULL REFERENCES instances(id),"
    " action smallint NOT NULL CHECK (action IN (0, 1)), timestamp bigint NOT NULL);"
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

/* A log as version 2 left it: version 1, then its step (the update action). */
static void make_version_2(void)
{
    run_sql(pg ? PG_V1 : SQLITE_V1);
    run_sql(
        pg ? "ALTER TABLE entries DROP CONSTRAINT entries_action_check;"
             "ALTER TABLE entries ADD CONSTRAINT entries_action_check CHECK (action IN (0, 1, 2));"
             "UPDATE dcmfeed_schema SET version = 2;"
           : "PRAGMA writable_schema = ON;"
             "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (action IN (0, 1))',"
             " 'CHECK (action IN (0, 1, 2))') WHERE name = 'entries';"
             "PRAGMA writable_schema = OFF; PRAGMA user_version = 2;");
}

/* A log of schema version 1 (made before the update action) is brought to
 * the present version by the first writer that opens it, and readers read
 * every version. */
START_TEST(a_version_1_log_is_upgraded)
{
    run_sql(pg ? PG_V1 : SQLITE_V1);
    df_store *r = open_ro(); /* a reader reads it as it is */
    ck_assert_int_eq(page(r, 0, 10, false).n, 0);
    ck_assert_int_eq(df_store_schema_version(r), 1);
    df_store_close(r);
    /* The first writer upgrades it: an update goes in. */
    df_store *s = open_rw();
    add(s, "1.1", "1.1.1", "1.1.1.1", NULL);
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_msg(update(s, "1.1.1.1", "00100010", NULL, &err) == 0, "%s", err.message);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
    r = open_ro();
    ck_assert_int_eq(df_store_schema_version(r), DF_SCHEMA_VERSION);
    struct seen w = page(r, 0, 10, false);
    ck_assert_int_eq(w.n, 2);
    ck_assert_int_eq(w.e[1].action, DF_ACTION_UPDATE);
    df_store_close(r);
}
END_TEST

/* --- version 4: kinds, filters, de-identified copies ----------------------- */

#define CT_IMAGE "1.2.840.10008.5.1.4.1.1.2"
#define MR_IMAGE "1.2.840.10008.5.1.4.1.1.4"
#define MG_IMAGE "1.2.840.10008.5.1.4.1.1.1.2"

/* A dataset of SOP Class sop_class (none when NULL) and Modality modality
 * (none when NULL), with a patient's name. */
static void dataset_of(char *out, size_t size, const char *sop, const char *sop_class,
                       const char *modality, const char *name)
{
    int n = snprintf(out, size, "{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},",
                     sop_class != NULL ? sop_class : "");
    if (sop_class == NULL)
        n = snprintf(out, size, "{");
    n += snprintf(out + n, size - (size_t)n, "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},",
                  sop);
    if (modality != NULL)
        n += snprintf(out + n, size - (size_t)n, "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"%s\"]},",
                      modality);
    snprintf(out + n, size - (size_t)n,
             "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"%s\"}]},"
             "\"00280010\":{\"vr\":\"US\",\"Value\":[512]}}",
             name);
}

static int64_t add_kind(df_store *s, const char *sop, const char *sop_class, const char *modality)
{
    char meta[600];
    dataset_of(meta, sizeof meta, sop, sop_class, modality, "Smith^Jane");
    int64_t seq = 0;
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_msg(df_store_add(s, "1.9", "1.9.1", sop, meta, strlen(meta), &seq, NULL, &err) == 0,
                  "%s", err.message);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    return seq;
}

static struct seen matching(df_store *s, int64_t start, int64_t end, int64_t skip, int limit,
                            const df_filter *f, df_metadata metadata)
{
    struct seen w;
    memset(&w, 0, sizeof w);
    df_error err = {0};
    ck_assert_msg(
        df_store_window_matching(s, start, end, skip, limit, metadata, f, collect, &w, &err) == 0,
        "%s", err.message);
    return w;
}

/* The Sequences of w, as "1,4,7". */
static const char *sequences(const struct seen *w)
{
    static char text[512];
    size_t n = 0;
    text[0] = '\0';
    for (int i = 0; i < w->n; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%lld", i ? "," : "",
                              (long long)w->e[i].sequence);
    return text;
}

/* v2's SopClassUid and Modality: each entry's own (a create's and an
 * update's from their metadata, a delete's as the instance was), none when
 * the dataset has none; v1's pages carry none. */
START_TEST(entries_carry_their_kind)
{
    df_store *s = open_rw();
    add_kind(s, "1.9.1.1", CT_IMAGE, "CT");    /* 1 */
    add_kind(s, "1.9.1.2", MR_IMAGE, "MR");    /* 2 */
    add_kind(s, "1.9.1.3", NULL, NULL);        /* 3 */
    add_kind(s, "1.9.1.4", "not a uid", "mr"); /* 4: kept as none, and as it is */
    char meta[600];
    dataset_of(meta, sizeof meta, "1.9.1.2", MR_IMAGE, "OT", "Smith^Jane");
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_update(s, "1.9", "1.9.1", "1.9.1.2", meta, strlen(meta), NULL, &err),
                     0); /* 5 */
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    del(s, "1.9", "1.9.1", "1.9.1.2"); /* 6: as the update left it */
    del(s, "1.9", "1.9.1", "1.9.1.1"); /* 7 */
    struct seen w = window(s, INT64_MIN, INT64_MAX, 0, 20);
    ck_assert_int_eq(w.n, 7);
    const char *classes[] = {CT_IMAGE, MR_IMAGE, "", "", MR_IMAGE, MR_IMAGE, CT_IMAGE};
    const char *modalities[] = {"CT", "MR", "", "mr", "OT", "OT", "CT"};
    for (int i = 0; i < 7; i++) {
        ck_assert_str_eq(w.sop_class[i], classes[i]);
        ck_assert_str_eq(w.modality[i], modalities[i]);
    }
    w = page(s, 0, 20, false);
    for (int i = 0; i < 7; i++)
        ck_assert(w.sop_class[i][0] == '\0' && w.modality[i][0] == '\0');
    memset(&w, 0, sizeof w);
    ck_assert_int_eq(df_store_latest(s, DF_METADATA_NONE, collect, &w, &err), 0);
    ck_assert_str_eq(w.modality[0], "CT");
    df_store_close(s);
}
END_TEST

/* Filters: every filter given must match; several values of one filter are
 * alternatives; skip counts matching entries of the window; a window's ends
 * hold; nothing that does not match is returned. */
START_TEST(filters_select_entries)
{
    df_store *s = open_rw();
    /* 1 CT, 2 MR, 3 MG, 4 CT, 5 MR, 6 MG, 7 CT, 8 MR, 9 MG: a batch each. */
    const char *classes[] = {CT_IMAGE, MR_IMAGE, MG_IMAGE};
    const char *modalities[] = {"CT", "MR", "MG"};
    for (int i = 0; i < 9; i++) {
        char sop[32];
        snprintf(sop, sizeof sop, "1.9.1.%d", i + 1);
        add_kind(s, sop, classes[i % 3], modalities[i % 3]);
    }
    del(s, "1.9", "1.9.1", "1.9.1.6"); /* 10: an MG deleted */
    del(s, "1.9", "1.9.1", "1.9.1.1"); /* 11: a CT deleted */
    df_filter f = {.modality_count = 1, .modalities = {"MG"}};
    struct seen w = matching(s, INT64_MIN, INT64_MAX, 0, 100, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "3,6,9,10");
    ck_assert_str_eq(w.modality[3], "MG"); /* the delete of what a filtered consumer processed */
    f = (df_filter){.modality_count = 2, .modalities = {"MG", "CT"}};
    w = matching(s, INT64_MIN, INT64_MAX, 0, 100, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "1,3,4,6,7,9,10,11");
    /* skip and limit count matching entries. */
    w = matching(s, INT64_MIN, INT64_MAX, 2, 3, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "4,6,7");
    w = matching(s, INT64_MIN, INT64_MAX, 7, 3, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "11");
    w = matching(s, INT64_MIN, INT64_MAX, 8, 3, &f, DF_METADATA_NONE);
    ck_assert_int_eq(w.n, 0);
    w = matching(s, INT64_MIN, INT64_MAX, INT64_MAX, 3, &f, DF_METADATA_NONE);
    ck_assert_int_eq(w.n, 0);
    /* Actions, alone and with another filter (AND). */
    f = (df_filter){.actions = 1u << DF_ACTION_DELETE};
    w = matching(s, INT64_MIN, INT64_MAX, 0, 100, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "10,11");
    f.sop_class_count = 1;
    f.sop_classes[0] = CT_IMAGE;
    w = matching(s, INT64_MIN, INT64_MAX, 0, 100, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "11");
    f = (df_filter){.sop_class_count = 2,
                    .sop_classes = {MR_IMAGE, CT_IMAGE},
                    .modality_count = 1,
                    .modalities = {"MR"},
                    .actions = 1u << DF_ACTION_CREATE};
    w = matching(s, INT64_MIN, INT64_MAX, 0, 100, &f, DF_METADATA_FULL);
    ck_assert_str_eq(sequences(&w), "2,5,8");
    ck_assert(w.has_meta[0] && strstr(w.meta[0], "Smith^Jane") != NULL);
    /* Nothing matches: a class the log has not seen, an empty kind. */
    f = (df_filter){.sop_class_count = 1, .sop_classes = {"1.2.3"}};
    ck_assert_int_eq(matching(s, INT64_MIN, INT64_MAX, 0, 100, &f, DF_METADATA_NONE).n, 0);
    f = (df_filter){.modality_count = 1, .modalities = {""}};
    ck_assert_int_eq(matching(s, INT64_MIN, INT64_MAX, 0, 100, &f, DF_METADATA_NONE).n, 0);
    /* A window: its Sequences by their Timestamps. */
    struct seen all = window(s, INT64_MIN, INT64_MAX, 0, 100);
    f = (df_filter){.modality_count = 1, .modalities = {"CT"}};
    w = matching(s, all.e[3].timestamp_us, all.e[10].timestamp_us, 0, 100, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "4,7");
    w = matching(s, all.e[10].timestamp_us + 1, INT64_MAX, 0, 100, &f, DF_METADATA_NONE);
    ck_assert_int_eq(w.n, 0);
    /* More than DF_FILTER_VALUES_MAX values: refused. */
    f = (df_filter){.modality_count = DF_FILTER_VALUES_MAX + 1};
    df_error err = {0};
    ck_assert_int_eq(df_store_window_matching(s, INT64_MIN, INT64_MAX, 0, 10, DF_METADATA_NONE, &f,
                                              collect, &w, &err),
                     DF_EINVAL);
    df_store_close(s);
}
END_TEST

/* The de-identified copy is made when metadata is written, replaced by an
 * update, gone with a delete, and read instead of the metadata on asking;
 * a copied entry gets its own, and keeps the kind its source gave. */
START_TEST(deidentified_copies_follow_the_metadata)
{
    df_store *s = open_rw();
    add_kind(s, "1.9.1.1", CT_IMAGE, "CT");
    struct seen w = page(s, 0, 10, DF_METADATA_DEID);
    ck_assert(w.has_meta[0]);
    ck_assert_ptr_null(strstr(w.meta[0], "Smith"));
    ck_assert_ptr_nonnull(strstr(w.meta[0], "\"00100010\":{\"vr\":\"PN\"}"));
    ck_assert_ptr_nonnull(strstr(w.meta[0], "\"00120062\":{\"vr\":\"CS\",\"Value\":[\"YES\"]}"));
    ck_assert_ptr_nonnull(strstr(w.meta[0], "\"00280010\":{\"vr\":\"US\",\"Value\":[512]}"));
    ck_assert_ptr_nonnull(strstr(w.meta[0], "1.9.1.1"));
    char meta[600];
    dataset_of(meta, sizeof meta, "1.9.1.1", CT_IMAGE, "CT", "Jones^Ann");
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_update(s, "1.9", "1.9.1", "1.9.1.1", meta, strlen(meta), NULL, &err),
                     0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    w = page(s, 0, 10, DF_METADATA_FULL);
    ck_assert_ptr_nonnull(strstr(w.meta[0], "Jones^Ann"));
    w = page(s, 0, 10, DF_METADATA_DEID);
    ck_assert_int_eq(w.n, 2);
    ck_assert(w.has_meta[0] && w.has_meta[1]);
    ck_assert_ptr_null(strstr(w.meta[1], "Jones"));
    memset(&w, 0, sizeof w);
    ck_assert_int_eq(df_store_latest(s, DF_METADATA_DEID, collect, &w, &err), 0);
    ck_assert_ptr_nonnull(strstr(w.meta[0], "00120062"));
    w = window(s, INT64_MIN, INT64_MAX, 0, 10);
    del(s, "1.9", NULL, NULL);
    w = page(s, 0, 10, DF_METADATA_DEID);
    ck_assert_int_eq(w.n, 3);
    ck_assert(!w.has_meta[0] && !w.has_meta[1] && !w.has_meta[2]);
    /* Metadata that is not a dataset cannot be de-identified: refused,
     * nothing written, the batch goes on. */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_add(s, "1.9", "1.9.1", "1.9.1.5", "not json", 8, NULL, NULL, &err),
                     DF_EINVAL);
    ck_assert_str_eq(err.message, "the metadata cannot be de-identified: it is not a JSON object");
    int64_t seq = 0;
    df_error_clear(&err);
    ck_assert_int_eq(df_store_add(s, "1.9", "1.9.1", "1.9.1.5", "{}", 2, &seq, NULL, &err), 0);
    ck_assert_int_eq(seq, 4);
    /* A copied entry: its kind as given, its copy made here. */
    dataset_of(meta, sizeof meta, "1.9.1.6", CT_IMAGE, "CT", "Brown^Bo");
    df_entry e = {.sequence = 5,
                  .study_uid = "1.9",
                  .series_uid = "1.9.1",
                  .sop_uid = "1.9.1.6",
                  .action = DF_ACTION_CREATE,
                  .timestamp_us = INT64_C(4102444800000000),
                  .sop_class_uid = MG_IMAGE,
                  .modality = "MG",
                  .metadata = meta,
                  .metadata_len = strlen(meta)};
    ck_assert_msg(df_store_append_entry(s, &e, &err) == 0, "%s", err.message);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    w = window(s, INT64_MIN, INT64_MAX, 4, 10);
    ck_assert_str_eq(w.modality[0], "MG");
    ck_assert_str_eq(w.sop_class[0], MG_IMAGE);
    w = page(s, 4, 10, DF_METADATA_DEID);
    ck_assert(w.has_meta[0] && strstr(w.meta[0], "Brown") == NULL);
    df_store_close(s);
}
END_TEST

/* A copied entry whose source gave no kind (a log older than version 4) gets
 * the one the upgrade would give it: a create's or an update's from its
 * metadata, a delete's the instance's; one given "" (a dataset without SOP
 * Class or Modality) keeps it. */
START_TEST(copied_entries_without_kinds_get_the_upgrades)
{
    df_store *s = open_rw();
    char meta[600];
    dataset_of(meta, sizeof meta, "1.9.1.1", CT_IMAGE, "CT", "Smith^Jane");
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    df_entry e = {.sequence = 1,
                  .study_uid = "1.9",
                  .series_uid = "1.9.1",
                  .sop_uid = "1.9.1.1",
                  .action = DF_ACTION_CREATE,
                  .timestamp_us = INT64_C(4102444800000000),
                  .metadata = meta,
                  .metadata_len = strlen(meta)};
    ck_assert_msg(df_store_append_entry(s, &e, &err) == 0, "%s", err.message);
    e.sequence = 2;
    e.action = DF_ACTION_DELETE;
    e.metadata = NULL;
    e.metadata_len = 0;
    ck_assert_msg(df_store_append_entry(s, &e, &err) == 0, "%s", err.message);
    e.sequence = 3;
    e.action = DF_ACTION_CREATE;
    e.sop_class_uid = "";
    e.modality = "";
    e.metadata = meta;
    e.metadata_len = strlen(meta);
    ck_assert_msg(df_store_append_entry(s, &e, &err) == 0, "%s", err.message);
    e.sequence = 4;
    e.action = DF_ACTION_DELETE;
    e.sop_class_uid = NULL;
    e.modality = NULL;
    e.metadata = NULL;
    e.metadata_len = 0;
    ck_assert_msg(df_store_append_entry(s, &e, &err) == 0, "%s", err.message);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    struct seen w = window(s, INT64_MIN, INT64_MAX, 0, 10);
    ck_assert_int_eq(w.n, 4);
    const char *classes[] = {CT_IMAGE, CT_IMAGE, "", ""};
    const char *modalities[] = {"CT", "CT", "", ""};
    for (int i = 0; i < 4; i++) {
        ck_assert_str_eq(w.sop_class[i], classes[i]);
        ck_assert_str_eq(w.modality[i], modalities[i]);
    }
    df_store_close(s);
}
END_TEST

/* A log of version 2 is read as it is (no kinds, no copies: asking for them
 * is DF_ESCHEMA), and the first writer brings it to version 4 with the
 * kinds and copies of what it holds: an instance deleted before has none. */
START_TEST(a_version_2_log_gets_kinds_and_copies)
{
    make_version_2();
    char a[600];
    dataset_of(a, sizeof a, "1.9.1.1", CT_IMAGE, "CT", "Smith^Jane");
    char sql[4096];
    /* 1 create A, 2 create B, 3 delete B, 4 update A (current). */
    snprintf(
        sql, sizeof sql,
        "INSERT INTO instances (study_uid, series_uid, sop_uid, current_seq, metadata)"
        " VALUES ('1.9', '1.9.1', '1.9.1.1', 4, '%s'), ('1.9', '1.9.1', '1.9.1.2', NULL, NULL);"
        "INSERT INTO entries (seq, instance_id, action, timestamp) VALUES"
        " (1, 1, 0, 1000), (2, 2, 0, 2000), (3, 2, 1, 3000), (4, 1, 2, 4000);",
        a);
    run_sql(sql);
    df_store *r = open_ro();
    ck_assert_int_eq(df_store_schema_version(r), 2);
    df_error err = {0};
    struct seen w;
    memset(&w, 0, sizeof w);
    ck_assert_int_eq(df_store_page(r, 0, 10, DF_METADATA_DEID, collect, &w, &err), DF_ESCHEMA);
    ck_assert_str_eq(err.message, "the log has schema version 2: de-identified metadata and "
                                  "filters need version 4 (the first writer of this release "
                                  "upgrades it)");
    df_filter f = {.modality_count = 1, .modalities = {"CT"}};
    df_error_clear(&err);
    ck_assert_int_eq(df_store_window_matching(r, INT64_MIN, INT64_MAX, 0, 10, DF_METADATA_NONE, &f,
                                              collect, &w, &err),
                     DF_ESCHEMA);
    w = window(r, INT64_MIN, INT64_MAX, 0, 10);
    ck_assert_int_eq(w.n, 4);
    ck_assert_str_eq(w.modality[0], "");
    df_store_close(r);
    df_store_close(open_rw());
    r = open_ro();
    ck_assert_int_eq(df_store_schema_version(r), DF_SCHEMA_VERSION);
    w = window(r, INT64_MIN, INT64_MAX, 0, 10);
    ck_assert_int_eq(w.n, 4);
    /* A's entries from its metadata; B's are gone with it. */
    ck_assert_str_eq(w.modality[0], "CT");
    ck_assert_str_eq(w.sop_class[0], CT_IMAGE);
    ck_assert_str_eq(w.modality[1], "");
    ck_assert_str_eq(w.modality[2], "");
    ck_assert_str_eq(w.modality[3], "CT");
    w = matching(r, INT64_MIN, INT64_MAX, 0, 10, &f, DF_METADATA_DEID);
    ck_assert_str_eq(sequences(&w), "1,4");
    ck_assert(w.has_meta[1] && strstr(w.meta[1], "Smith") == NULL &&
              strstr(w.meta[1], "00120062") != NULL);
    f = (df_filter){.actions = 1u << DF_ACTION_DELETE};
    w = matching(r, INT64_MIN, INT64_MAX, 0, 10, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "3");
    f = (df_filter){.actions = 1u << DF_ACTION_UPDATE};
    w = matching(r, INT64_MIN, INT64_MAX, 0, 10, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "4");
    df_store_close(r);
    /* Entries stay immutable after the migration. */
    df_store *s = open_rw();
    add_kind(s, "1.9.1.2", MR_IMAGE, "MR");
    df_store_close(s);
    r = open_ro();
    f = (df_filter){.modality_count = 1, .modalities = {"MR"}};
    w = matching(r, INT64_MIN, INT64_MAX, 0, 10, &f, DF_METADATA_NONE);
    ck_assert_str_eq(sequences(&w), "5");
    df_store_close(r);
}
END_TEST

/* Version 3: the identifiers an archive gives instances, kept in the batch
 * that writes the instance, found again whether the instance is deleted or
 * not; a writer's position, read and moved forward in a batch. */
START_TEST(archive_ids_name_instances)
{
    df_store *s = open_rw();
    df_error err = {0};
    df_store_instance in;
    ck_assert_int_eq(df_store_find_archive_id(s, "orthanc", "a-1", &in, &err), DF_ENOTFOUND);
    ck_assert_int_eq(err.code, 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    const char *meta = "{}";
    ck_assert_int_eq(df_store_add(s, "1.1", "1.1.1", "1.1.1.1", meta, 2, NULL, NULL, &err), 0);
    ck_assert_msg(df_store_set_archive_id(s, "orthanc", "a-1", "1.1", "1.1.1", "1.1.1.1", &err) ==
                      0,
                  "%s", err.message);
    /* Found inside the batch that wrote it. */
    ck_assert_int_eq(df_store_find_archive_id(s, "orthanc", "a-1", &in, &err), 0);
    ck_assert_str_eq(in.sop_uid, "1.1.1.1");
    ck_assert(in.current);
    /* An instance the log does not hold: refused, the batch usable. */
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "a-2", "1.1", "1.1.1", "1.1.1.2", &err),
                     DF_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "1.1.1.2"));
    df_error_clear(&err);
    char long_id[DF_ARCHIVE_ID_MAX + 2];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    ck_assert_int_eq(
        df_store_set_archive_id(s, "orthanc", long_id, "1.1", "1.1.1", "1.1.1.1", &err), DF_EINVAL);
    df_error_clear(&err);
    ck_assert_int_eq(df_store_set_archive_id(s, "", "a-1", "1.1", "1.1.1", "1.1.1.1", &err),
                     DF_EINVAL);
    df_error_clear(&err);
    /* A second identifier of the same instance; the names of two archives
     * do not meet. */
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "a-3", "1.1", "1.1.1", "1.1.1.1", &err),
                     0);
    ck_assert_int_eq(df_store_find_archive_id(s, "other", "a-1", &in, &err), DF_ENOTFOUND);
    ck_assert_int_eq(df_store_commit(s, &err), 0);

    /* Deleted, the instance is still found, not current. */
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.1"), 1);
    ck_assert_int_eq(df_store_find_archive_id(s, "orthanc", "a-3", &in, &err), 0);
    ck_assert_str_eq(in.study_uid, "1.1");
    ck_assert_str_eq(in.series_uid, "1.1.1");
    ck_assert(!in.current);
    /* An identifier given again moves to the instance given. */
    add(s, "1.1", "1.1.1", "1.1.1.5", NULL);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "a-1", "1.1", "1.1.1", "1.1.1.5", &err),
                     0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    ck_assert_int_eq(df_store_find_archive_id(s, "orthanc", "a-1", &in, &err), 0);
    ck_assert_str_eq(in.sop_uid, "1.1.1.5");
    ck_assert(in.current);
    /* A rolled-back batch keeps none. */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "a-9", "1.1", "1.1.1", "1.1.1.5", &err),
                     0);
    df_store_rollback(s);
    ck_assert_int_eq(df_store_find_archive_id(s, "orthanc", "a-9", &in, &err), DF_ENOTFOUND);

    /* Positions: 0 for a writer never seen, forward only, kept by the commit. */
    int64_t pos = -1;
    ck_assert_int_eq(df_store_writer_position(s, "spool-1", &pos, &err), DF_EINVAL); /* no batch */
    df_error_clear(&err);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_writer_position(s, "spool-1", &pos, &err), 0);
    ck_assert_int_eq(pos, 0);
    ck_assert_int_eq(df_store_set_writer_position(s, "spool-1", 42, &err), 0);
    ck_assert_int_eq(df_store_writer_position(s, "spool-1", &pos, &err), 0);
    ck_assert_int_eq(pos, 42);
    ck_assert_int_eq(df_store_set_writer_position(s, "spool-1", 41, &err), DF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "only moves forward"));
    df_error_clear(&err);
    ck_assert_int_eq(df_store_set_writer_position(s, "spool-2", 7, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_writer_position(s, "spool-1", 50, &err), 0);
    df_store_rollback(s);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_writer_position(s, "spool-1", &pos, &err), 0);
    ck_assert_int_eq(pos, 42);
    ck_assert_int_eq(df_store_writer_position(s, "spool-2", &pos, &err), 0);
    ck_assert_int_eq(pos, 7);
    df_store_rollback(s);
    df_store_close(s);

    /* A reader has none of this: the responder never needs it. */
    df_store *r = open_ro();
    ck_assert_int_eq(df_store_find_archive_id(r, "orthanc", "a-1", &in, &err), DF_EINVAL);
    df_store_close(r);
}
END_TEST

/* The instances an archive named that the log holds present, in pages
 * after an identifier, for the plugin's check at start. */
static int collect_archive_instance(void *ctx, const char *archive_id, const char *study_uid,
                                    const char *series_uid, const char *sop_uid)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 512 - n, "%s=%s/%s/%s;", archive_id, study_uid, series_uid, sop_uid);
    return strcmp(archive_id, "stop") == 0 ? 7 : 0;
}

START_TEST(archive_instances_in_pages)
{
    df_store *s = open_rw();
    df_error err = {0};
    char got[512] = "";
    ck_assert_int_eq(
        df_store_archive_instances(s, "orthanc", "", 10, collect_archive_instance, got, &err), 0);
    ck_assert_str_eq(got, "");
    const char *sops[] = {"1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"};
    for (int i = 0; i < 4; i++)
        add(s, "1.1", "1.1.1", sops[i], NULL);
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "c", "1.1", "1.1.1", "1.1.1.1", &err),
                     0);
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "a", "1.1", "1.1.1", "1.1.1.2", &err),
                     0);
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "b", "1.1", "1.1.1", "1.1.1.3", &err),
                     0);
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "d", "1.1", "1.1.1", "1.1.1.2", &err),
                     0);
    ck_assert_int_eq(df_store_set_archive_id(s, "other", "a", "1.1", "1.1.1", "1.1.1.4", &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.3"), 1); /* b: deleted, not listed */
    /* In the identifiers' order, each identifier once (a and d name one
     * instance), only this archive's, only present instances. */
    ck_assert_int_eq(
        df_store_archive_instances(s, "orthanc", "", 10, collect_archive_instance, got, &err), 0);
    ck_assert_str_eq(got, "a=1.1/1.1.1/1.1.1.2;c=1.1/1.1.1/1.1.1.1;d=1.1/1.1.1/1.1.1.2;");
    /* Pages: after the last identifier of the previous one. */
    got[0] = '\0';
    ck_assert_int_eq(
        df_store_archive_instances(s, "orthanc", NULL, 1, collect_archive_instance, got, &err), 0);
    ck_assert_int_eq(
        df_store_archive_instances(s, "orthanc", "a", 1, collect_archive_instance, got, &err), 0);
    ck_assert_int_eq(
        df_store_archive_instances(s, "orthanc", "c", 5, collect_archive_instance, got, &err), 0);
    ck_assert_str_eq(got, "a=1.1/1.1.1/1.1.1.2;c=1.1/1.1.1/1.1.1.1;d=1.1/1.1.1/1.1.1.2;");
    got[0] = '\0';
    ck_assert_int_eq(
        df_store_archive_instances(s, "other", "", 5, collect_archive_instance, got, &err), 0);
    ck_assert_str_eq(got, "a=1.1/1.1.1/1.1.1.4;");
    /* The callback's value stops the walk and is returned. */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_set_archive_id(s, "orthanc", "stop", "1.1", "1.1.1", "1.1.1.1", &err),
                     0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    got[0] = '\0';
    ck_assert_int_eq(
        df_store_archive_instances(s, "orthanc", "", 10, collect_archive_instance, got, &err), 7);
    ck_assert_str_eq(
        got, "a=1.1/1.1.1/1.1.1.2;c=1.1/1.1.1/1.1.1.1;d=1.1/1.1.1/1.1.1.2;stop=1.1/1.1.1/1.1.1.1;");
    ck_assert_int_eq(
        df_store_archive_instances(s, "orthanc", "", 0, collect_archive_instance, got, &err),
        DF_EINVAL);
    df_store_close(s);
}
END_TEST

/* A log of schema version 2 (made before version 3's tables) is read as it
 * is and upgraded by the first writer, its entries untouched. */
START_TEST(a_version_2_log_is_upgraded)
{
    make_version_2();
    run_sql("INSERT INTO instances (study_uid, series_uid, sop_uid, current_seq, metadata)"
            " VALUES ('1.1', '1.1.1', '1.1.1.1', 1, NULL);"
            "INSERT INTO entries (seq, instance_id, action, timestamp) VALUES (1, 1, 0, 1000);");
    df_store *r = open_ro();
    ck_assert_int_eq(page(r, 0, 10, false).n, 1);
    df_store_close(r);
    df_store *s = open_rw();
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_msg(df_store_set_archive_id(s, "orthanc", "a-1", "1.1", "1.1.1", "1.1.1.1", &err) ==
                      0,
                  "%s", err.message);
    ck_assert_int_eq(df_store_set_writer_position(s, "spool", 1, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
    r = open_ro();
    struct seen w = page(r, 0, 10, false);
    ck_assert_int_eq(w.n, 1);
    ck_assert_int_eq(w.e[0].state, DF_STATE_CURRENT);
    df_store_close(r);
}
END_TEST

/* Collects study UIDs for current_studies. */
struct studies {
    int n;
    char uid[8][65];
};

static int collect_study(void *ctx, const char *uid)
{
    struct studies *w = ctx;
    ck_assert_int_lt(w->n, 8);
    snprintf(w->uid[w->n++], sizeof w->uid[0], "%s", uid);
    return 0;
}

static struct seen current(df_store *s, const char *study, const char *series, const char *sop,
                           bool meta)
{
    struct seen w;
    memset(&w, 0, sizeof w);
    df_error err = {0};
    ck_assert_msg(df_store_current(s, study, series, sop, meta, collect, &w, &err) == 0, "%s",
                  err.message);
    return w;
}

/* What reconcile compares an archive with: the instances of a study that
 * have a present version, with that version's Sequence, action and
 * metadata, in byte order of their UIDs; and every study that has one. */
START_TEST(current_instances_of_a_study)
{
    df_store *s = open_rw();
    df_error err = {0};
    add(s, "1.1", "1.1.2", "1.1.2.2", NULL);                /* 1 */
    add(s, "1.1", "1.1.2", "1.1.2.10", NULL);               /* 2: sorts before 1.1.2.2 */
    add(s, "1.1", "1.1.1", "1.1.1.1", NULL);                /* 3 */
    add(s, "1.2", "1.2.1", "1.2.1.1", NULL);                /* 4 */
    add(s, "1.3", "1.3.1", "1.3.1.1", NULL);                /* 5 */
    add(s, "1.1", "1.1.1", "1.1.1.5", NULL);                /* 6 */
    ck_assert_int_eq(del(s, "1.3", NULL, NULL), 1);         /* 7 */
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.5"), 1); /* 8 */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    const char *meta = "{\"00100010\":{\"vr\":\"PN\"}}";
    ck_assert_msg(df_store_update(s, "1.1", "1.1.2", "1.1.2.2", meta, strlen(meta), NULL, &err) ==
                      0,
                  "%s", err.message); /* 9 */
    ck_assert_int_eq(df_store_commit(s, &err), 0);

    struct seen w = current(s, "1.1", NULL, NULL, true);
    ck_assert_int_eq(w.n, 3);
    ck_assert_str_eq(w.sop[0], "1.1.1.1");
    ck_assert_str_eq(w.sop[1], "1.1.2.10");
    ck_assert_str_eq(w.sop[2], "1.1.2.2");
    ck_assert_int_eq(w.e[0].sequence, 3);
    ck_assert_int_eq(w.e[1].sequence, 2);
    ck_assert_int_eq(w.e[2].sequence, 9);
    ck_assert_int_eq(w.e[2].action, DF_ACTION_UPDATE);
    ck_assert_str_eq(w.meta[2], meta);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(w.e[i].state, DF_STATE_CURRENT);
        ck_assert_str_eq(w.study[i], "1.1");
        ck_assert(w.has_meta[i]);
    }
    ck_assert_int_eq(w.e[0].action, DF_ACTION_CREATE);
    /* Narrowed to a series, to one instance; without metadata. */
    w = current(s, "1.1", "1.1.2", NULL, false);
    ck_assert_int_eq(w.n, 2);
    ck_assert(!w.has_meta[0] && !w.has_meta[1]);
    w = current(s, "1.1", "1.1.2", "1.1.2.2", true);
    ck_assert_int_eq(w.n, 1);
    ck_assert_int_eq(w.e[0].sequence, 9);
    /* Deleted instances, an instance of another series, a study without any. */
    ck_assert_int_eq(current(s, "1.1", "1.1.1", "1.1.1.5", false).n, 0);
    ck_assert_int_eq(current(s, "1.1", "1.1.1", "1.1.2.2", false).n, 0);
    ck_assert_int_eq(current(s, "1.3", NULL, NULL, false).n, 0);
    ck_assert_int_eq(current(s, "9.9", NULL, NULL, false).n, 0);
    ck_assert_int_eq(df_store_current(s, "1.1", NULL, "1.1.2.2", false, collect, &w, &err),
                     DF_EINVAL);
    df_error_clear(&err);

    /* Inside a batch the writer sees its own appends. */
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    int64_t seq = 0;
    ck_assert_int_eq(df_store_add(s, "1.3", "1.3.1", "1.3.1.1", "{}", 2, &seq, NULL, &err), 0);
    w = current(s, "1.3", "1.3.1", "1.3.1.1", false);
    ck_assert_int_eq(w.n, 1);
    ck_assert_int_eq(w.e[0].sequence, seq);
    df_store_rollback(s);

    /* Every study with a present version, paged by the last one seen. */
    struct studies st = {0};
    ck_assert_int_eq(df_store_current_studies(s, "", 1, collect_study, &st, &err), 0);
    ck_assert_int_eq(st.n, 1);
    ck_assert_str_eq(st.uid[0], "1.1");
    ck_assert_int_eq(df_store_current_studies(s, st.uid[0], 5, collect_study, &st, &err), 0);
    ck_assert_int_eq(st.n, 2);
    ck_assert_str_eq(st.uid[1], "1.2");
    ck_assert_int_eq(df_store_current_studies(s, st.uid[1], 5, collect_study, &st, &err), 0);
    ck_assert_int_eq(st.n, 2);
    df_store_close(s);

    /* A reader may ask too. */
    df_store *r = open_ro();
    ck_assert_int_eq(current(r, "1.1", NULL, NULL, true).n, 3);
    memset(&st, 0, sizeof st);
    ck_assert_int_eq(df_store_current_studies(r, NULL, 10, collect_study, &st, &err), 0);
    ck_assert_int_eq(st.n, 2);
    df_store_close(r);
}
END_TEST

static void add_common_tests(TCase *tc)
{
    tcase_add_test(tc, empty_log);
    tcase_add_test(tc, sequences_have_no_gaps);
    tcase_add_test(tc, states_after_recreate_and_delete);
    tcase_add_test(tc, delete_study_series_instance);
    tcase_add_test(tc, paging_to_the_end);
    tcase_add_test(tc, callback_stops_the_read);
    tcase_add_test(tc, reader_cannot_write);
    tcase_add_test(tc, missing_log_is_an_error);
    tcase_add_test(tc, foreign_file_is_refused);
    tcase_add_test(tc, newer_schema_is_refused);
    tcase_add_test(tc, entries_are_immutable);
    tcase_add_test(tc, windows_by_timestamp);
    tcase_add_test(tc, identity_and_snapshots);
    tcase_add_test(tc, clock_stepping_back_keeps_order);
    tcase_add_test(tc, writers_creating_the_log_at_once);
    tcase_add_test(tc, concurrent_writers_leave_no_gaps);
    tcase_add_test(tc, copied_log_answers_the_same);
    tcase_add_test(tc, copied_entries_keep_the_rules);
    tcase_add_test(tc, identity_set_on_an_empty_log_only);
    tcase_add_test(tc, metadata_is_capped_per_instance);
    tcase_add_test(tc, updates_carry_the_present_metadata);
    tcase_add_test(tc, a_version_1_log_is_upgraded);
    tcase_add_test(tc, entries_carry_their_kind);
    tcase_add_test(tc, filters_select_entries);
    tcase_add_test(tc, deidentified_copies_follow_the_metadata);
    tcase_add_test(tc, copied_entries_without_kinds_get_the_upgrades);
    tcase_add_test(tc, a_version_2_log_gets_kinds_and_copies);
    tcase_add_test(tc, archive_ids_name_instances);
    tcase_add_test(tc, archive_instances_in_pages);
    tcase_add_test(tc, a_version_2_log_is_upgraded);
    tcase_add_test(tc, current_instances_of_a_study);
    tcase_add_test(tc, a_waiter_wakes_at_a_commit);
    tcase_add_test(tc, a_wait_ends_at_its_timeout_or_its_cancel);
    tcase_add_test(tc, counts_and_check);
}

static Suite *store_suite(void)
{
    Suite *su = suite_create("store");
    TCase *tc = tcase_create("sqlite");
    tcase_add_checked_fixture(tc, setup, teardown);
    add_common_tests(tc);
    /* Files: WAL files kept for readers, a log file replaced under a reader. */
    tcase_add_test(tc, wal_files_stay_for_readers);
    tcase_add_test(tc, replaced_file_is_noticed);
    tcase_add_test(tc, file_problems_are_named);
    tcase_add_test(tc, another_programs_database_is_left_alone);
    tcase_add_test(tc, a_new_log_is_0640);
    tcase_add_test(tc, stale_wal_files_are_refused);
    tcase_add_test(tc, missing_wal_files_are_named);
    tcase_add_test(tc, backup_and_restore);
    tcase_add_test(tc, snapshots_follow_commits_and_restores);
    tcase_add_test(tc, addresses_for_logs_hide_passwords);
#ifndef HAVE_LIBPQ
    tcase_add_test(tc, postgresql_needs_support_built_in);
#else
    tcase_add_test(tc, malformed_pg_addresses_never_echo_the_password);
#endif
    tcase_set_timeout(tc, 60);
    suite_add_tcase(su, tc);
#ifdef HAVE_LIBPQ
    if (getenv("DCMFEED_PG_TEST") != NULL && getenv("DCMFEED_PG_TEST")[0] != '\0') {
        tc = tcase_create("postgresql");
        tcase_add_checked_fixture(tc, setup_pg, teardown);
        add_common_tests(tc);
        tcase_add_test(tc, pg_log_is_never_replaced);
        tcase_add_test(tc, pg_a_wait_costs_no_query_until_news);
        tcase_add_test(tc, pg_a_connection_lost_while_waiting_is_edb);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(su, tc);
    } else {
        fprintf(stderr, "check_store: DCMFEED_PG_TEST not set, PostgreSQL tests skipped\n");
    }
#endif
#ifndef HAVE_LIBPQ
    if (getenv("DCMFEED_PG_TEST") != NULL)
        fprintf(stderr,
                "check_store: this build has no PostgreSQL support, PostgreSQL tests skipped\n");
#endif
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(store_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
