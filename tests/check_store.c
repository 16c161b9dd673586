/* Unit tests of the log store: appends, States, keyset pages, schema checks
 * and read-only access, on real SQLite files in a temporary folder, and on
 * the PostgreSQL database that DCMFEED_PG_TEST names (a conninfo), when set
 * and the build has PostgreSQL support: tests/pg_store.sh makes one. */
#include <check.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

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

static df_store *open_rw(void)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_msg(df_store_open(path, DF_STORE_READWRITE, &s, &err) == 0, "%s", err.message);
    return s;
}

static df_store *open_ro(void)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_msg(df_store_open(path, DF_STORE_READONLY, &s, &err) == 0, "%s", err.message);
    return s;
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
    df_entry e[MAX_SEEN];
    char sop[MAX_SEEN][65];
    char meta[MAX_SEEN][200];
    bool has_meta[MAX_SEEN];
};

static int collect(void *ctx, const df_entry *e)
{
    struct seen *w = ctx;
    ck_assert_int_lt(w->n, MAX_SEEN);
    w->e[w->n] = *e;
    snprintf(w->sop[w->n], sizeof w->sop[0], "%s", e->sop_uid);
    w->has_meta[w->n] = e->metadata != NULL;
    if (e->metadata != NULL)
        snprintf(w->meta[w->n], sizeof w->meta[0], "%.*s", (int)e->metadata_len, e->metadata);
    w->n++;
    return 0;
}

static struct seen page(df_store *s, int64_t after, int limit, bool meta)
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
    add(s, "1.1", "1.1.1", "1.1.1.2", NULL); /* 2 */
    add(s, "1.1", "1.1.1", "1.1.1.1", &replaced); /* 3: new version of 1 */
    ck_assert(replaced);
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.2"), 1); /* 4 */
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.2"), 0); /* already gone: nothing appended */
    add(s, "1.1", "1.1.1", "1.1.1.3", NULL); /* 5 */
    ck_assert_int_eq(del(s, "1.1", "1.1.1", "1.1.1.3"), 1); /* 6 */
    add(s, "1.1", "1.1.1", "1.1.1.3", &replaced); /* 7: re-created after delete */
    ck_assert(!replaced);

    struct seen w = page(s, 0, 100, true);
    ck_assert_int_eq(w.n, 7);
    const df_state want[7] = {DF_STATE_REPLACED, DF_STATE_DELETED, DF_STATE_CURRENT,
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
    ck_assert_ptr_null(strstr(err.message, path)); /* the path is not shown to clients */
    if (!pg)
        ck_assert_int_ne(access(path, F_OK), 0); /* and a reader did not create it */
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
    ck_assert_int_eq(df_store_open(path, DF_STORE_READWRITE, &s, &err), DF_ESCHEMA);
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
    ck_assert_int_eq(df_store_open(other, DF_STORE_READWRITE, &o, &err), 0);
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
                int rc = df_store_open(path, DF_STORE_READWRITE, &s, &err);
                if (rc == 0)
                    rc = df_store_begin(s, &err);
                if (rc == 0)
                    rc = df_store_add(s, "1.2", "1.2.3", sop, "{}", 2, NULL, NULL, &err);
                if (rc == 0)
                    rc = df_store_commit(s, &err);
                df_store_close(s);
                _exit(rc == 0 ? 0 : 1);
            }
        }
        for (int i = 0; i < WRITERS; i++) {
            int status = 0;
            ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
            ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "round %d: writer %d failed",
                          round, i);
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
            int rc = df_store_open(path, DF_STORE_READWRITE, &s, &err);
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
    ck_assert_int_eq(
        df_store_open("host=/run/postgresql dbname=feed", DF_STORE_READWRITE, &s, &err), DF_EDB);
}
END_TEST
#endif

/* The tests that hold for every backend. */
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
#ifndef HAVE_LIBPQ
    tcase_add_test(tc, postgresql_needs_support_built_in);
#endif
    tcase_set_timeout(tc, 60);
    suite_add_tcase(su, tc);
#ifdef HAVE_LIBPQ
    if (getenv("DCMFEED_PG_TEST") != NULL && getenv("DCMFEED_PG_TEST")[0] != '\0') {
        tc = tcase_create("postgresql");
        tcase_add_checked_fixture(tc, setup_pg, teardown);
        add_common_tests(tc);
        tcase_add_test(tc, pg_log_is_never_replaced);
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
