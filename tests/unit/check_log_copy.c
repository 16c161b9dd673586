/* Unit tests of log_copy.c, the rules of `dcmfeed-ingest import` (docs/schema.md
 * "Copying a log"), on real logs: SQLite files in a temporary folder, and,
 * when DCMFEED_PG_TEST names a PostgreSQL database (tests/unit/pg_log_copy.sh makes
 * one) and the build has PostgreSQL support, the same tests with the
 * destination there (SQLite to PostgreSQL is the usual move). */
#ifdef HAVE_CONFIG_H
#include "config.h" /* HAVE_LIBPQ */
#endif
#include <check.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_copy.h"
#include "store.h"

static char dir[256];
static char src_path[300];
static char dest_path[1024]; /* a file, or the PostgreSQL conninfo */

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_log_copy.XXXXXX", tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(src_path, sizeof src_path, "%s/source.db", dir);
    snprintf(dest_path, sizeof dest_path, "%s/copy.db", dir);
}

#ifdef HAVE_LIBPQ
/* Every test starts on an empty database, as in check_store.c. */
static void setup_pg(void)
{
    setup();
    snprintf(dest_path, sizeof dest_path, "%s", getenv("DCMFEED_PG_TEST"));
    PGconn *conn = PQconnectdb(dest_path);
    ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    PGresult *res = PQexec(conn, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    ck_assert_int_eq(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(conn);
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

/* Appends instances from .. to - 1 of one series, one batch; each one's
 * metadata names it, so that a copy's metadata can be told apart. */
static void add_instances(const char *address, int from, int to)
{
    df_store *s = open_at(address, DF_STORE_CREATE);
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    for (int i = from; i < to; i++) {
        char sop[32], meta[96];
        snprintf(sop, sizeof sop, "1.2.3.4.%d", i);
        snprintf(meta, sizeof meta, "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"%s\"]}}", sop);
        ck_assert_msg(
            df_store_add(s, "1.2.3", "1.2.3.4", sop, meta, strlen(meta), NULL, NULL, &err) == 0,
            "%s", err.message);
    }
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    df_store_close(s);
}

static int64_t last_sequence(const char *address)
{
    df_store *s = open_at(address, DF_STORE_READONLY);
    int64_t n = -1;
    ck_assert_int_eq(df_store_last_sequence(s, &n, NULL), 0);
    df_store_close(s);
    return n;
}

/* A log's identity, copied out. */
static void feed_id(const char *address, char out[DF_FEED_ID_LEN + 1])
{
    df_store *s = open_at(address, DF_STORE_READONLY);
    snprintf(out, DF_FEED_ID_LEN + 1, "%s", df_store_feed_id(s));
    df_store_close(s);
}

/* Every entry of a log as one line of text: Sequence, Timestamp, action,
 * State, UIDs and Metadata. Caller frees. */
typedef struct dump {
    char *text;
    size_t len, cap;
} dump;

static int dump_entry(void *ctx, const df_entry *e)
{
    dump *d = ctx;
    char line[512];
    int n = snprintf(line, sizeof line, "%" PRId64 " %" PRId64 " %d %d %s %s %s %.*s\n",
                     e->sequence, e->timestamp_us, (int)e->action, (int)e->state, e->study_uid,
                     e->series_uid, e->sop_uid, e->metadata ? (int)e->metadata_len : 4,
                     e->metadata ? e->metadata : "null");
    ck_assert(n > 0 && (size_t)n < sizeof line);
    if (d->len + (size_t)n + 1 > d->cap) {
        d->cap = (d->len + (size_t)n + 1) * 2;
        d->text = realloc(d->text, d->cap);
        ck_assert_ptr_nonnull(d->text);
    }
    memcpy(d->text + d->len, line, (size_t)n + 1);
    d->len += (size_t)n;
    return 0;
}

static char *dump_log(const char *address)
{
    df_store *s = open_at(address, DF_STORE_READONLY);
    dump d = {.text = calloc(1, 1), .cap = 1};
    ck_assert_ptr_nonnull(d.text);
    df_error err = {0};
    ck_assert_int_eq(df_store_page(s, 0, 1000, true, dump_entry, &d, &err), 0);
    df_store_close(s);
    return d.text;
}

/* One run of the import: opens both logs, steps up to max_steps batches
 * (-1: to the end), closes them. Returns the last step's result; *c and err
 * keep what the run left. */
static int run(size_t batch, int max_steps, df_log_copy *c, df_error *err)
{
    df_store *src = open_at(src_path, DF_STORE_READONLY);
    df_store *dest = open_at(dest_path, DF_STORE_CREATE);
    df_error_clear(err);
    int rc = df_log_copy_init(c, src, batch, err);
    ck_assert_int_eq(rc, 0);
    for (int i = 0; max_steps < 0 || i < max_steps; i++)
        if ((rc = df_log_copy_step(c, dest, err)) <= 0)
            break;
    df_store_close(dest);
    df_store_close(src);
    return rc;
}

START_TEST(copy_whole_in_batches)
{
    add_instances(src_path, 1, 8);
    df_log_copy c;
    df_error err;
    ck_assert_int_eq(run(3, -1, &c, &err), 0);
    ck_assert_int_eq(c.start, 0);
    ck_assert_int_eq(c.copied, 7);
    ck_assert_int_eq(c.src_last, 7);
    char *a = dump_log(src_path), *b = dump_log(dest_path);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    char want[DF_FEED_ID_LEN + 1], got[DF_FEED_ID_LEN + 1];
    feed_id(src_path, want);
    feed_id(dest_path, got);
    ck_assert_str_eq(got, want);
    /* Again: nothing to copy, nothing changes. */
    ck_assert_int_eq(run(3, -1, &c, &err), 0);
    ck_assert_int_eq(c.start, 7);
    ck_assert_int_eq(c.copied, 7);
}
END_TEST

/* Each entry's kind (v2's SopClassUid and Modality) is the source's, not one
 * derived again from the metadata the copy reads, which is the instance's
 * present one (none once deleted): an instance made CT, updated to MR and
 * deleted keeps CT, MR, MR; one made without a SOP Class and updated to CT
 * keeps none, CT. */
static void write(df_store *s, const char *sop, const char *sop_class, const char *modality,
                  bool update)
{
    char meta[256];
    int n = snprintf(meta, sizeof meta, "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"%s\"]}", sop);
    if (sop_class != NULL)
        n += snprintf(meta + n, sizeof meta - (size_t)n,
                      ",\"00080016\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},"
                      "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"%s\"]}",
                      sop_class, modality);
    snprintf(meta + n, sizeof meta - (size_t)n, "}");
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    int rc = update
                 ? df_store_update(s, "1.2.3", "1.2.3.4", sop, meta, strlen(meta), NULL, &err)
                 : df_store_add(s, "1.2.3", "1.2.3.4", sop, meta, strlen(meta), NULL, NULL, &err);
    ck_assert_msg(rc == 0, "%s", err.message);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
}

static int kind_line(void *ctx, const df_entry *e)
{
    char *text = ctx;
    size_t n = strlen(text);
    snprintf(text + n, 1024 - n, "%" PRId64 ":%s:%s:%d ", e->sequence,
             e->sop_class_uid != NULL ? e->sop_class_uid : "-",
             e->modality != NULL ? e->modality : "-", (int)e->action);
    return 0;
}

static void kinds_of(const char *address, char text[1024])
{
    df_store *s = open_at(address, DF_STORE_READONLY);
    text[0] = '\0';
    df_error err = {0};
    ck_assert_int_eq(
        df_store_window(s, INT64_MIN, INT64_MAX, 0, 100, DF_METADATA_NONE, kind_line, text, &err),
        0);
    df_store_close(s);
}

START_TEST(copies_keep_each_entry_kind)
{
    df_store *s = open_at(src_path, DF_STORE_CREATE);
    write(s, "1.2.3.4.1", "1.2.840.10008.5.1.4.1.1.2", "CT", false);
    write(s, "1.2.3.4.1", "1.2.840.10008.5.1.4.1.1.4", "MR", true);
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    ck_assert_int_eq(df_store_delete(s, "1.2.3", "1.2.3.4", "1.2.3.4.1", NULL, &err), 0);
    ck_assert_int_eq(df_store_commit(s, &err), 0);
    write(s, "1.2.3.4.2", NULL, NULL, false);
    write(s, "1.2.3.4.2", "1.2.840.10008.5.1.4.1.1.2", "CT", true);
    df_store_close(s);
    df_log_copy c;
    ck_assert_int_eq(run(2, -1, &c, &err), 0);
    char want[1024], got[1024];
    kinds_of(src_path, want);
    kinds_of(dest_path, got);
    ck_assert_str_eq(want,
                     "1:1.2.840.10008.5.1.4.1.1.2:CT:0 2:1.2.840.10008.5.1.4.1.1.4:MR:2 "
                     "3:1.2.840.10008.5.1.4.1.1.4:MR:1 4:::0 5:1.2.840.10008.5.1.4.1.1.2:CT:2 ");
    ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(empty_source)
{
    df_store *s = open_at(src_path, DF_STORE_CREATE); /* creates an empty log */
    df_store_close(s);
    df_log_copy c;
    df_error err;
    ck_assert_int_eq(run(3, -1, &c, &err), 0);
    ck_assert_int_eq(c.copied, 0);
    ck_assert_int_eq(last_sequence(dest_path), 0);
}
END_TEST

START_TEST(provisional_identity_until_whole)
{
    add_instances(src_path, 1, 6);
    char src_id[DF_FEED_ID_LEN + 1], provisional[DF_FEED_ID_LEN + 1], got[DF_FEED_ID_LEN + 1];
    feed_id(src_path, src_id);
    df_log_copy_provisional_id(src_id, provisional);
    ck_assert_str_ne(provisional, src_id);
    for (size_t i = 0; i < DF_FEED_ID_LEN; i++) /* d becomes 15 - d */
        ck_assert_int_eq((int)(strchr("0123456789abcdef", src_id[i]) - "0123456789abcdef") +
                             (int)(strchr("0123456789abcdef", provisional[i]) - "0123456789abcdef"),
                         15);

    df_log_copy c;
    df_error err;
    ck_assert_int_eq(run(2, 1, &c, &err), 1); /* one batch of two, then stopped */
    ck_assert_int_eq(last_sequence(dest_path), 2);
    feed_id(dest_path, got);
    ck_assert_str_eq(got, provisional);
    /* The next run resumes after Sequence 2 (the provisional identity is
     * recognised), and the batch that completes the copy takes the source's. */
    ck_assert_int_eq(run(2, 1, &c, &err), 1);
    ck_assert_int_eq(c.start, 2);
    ck_assert_int_eq(c.copied, 4);
    feed_id(dest_path, got);
    ck_assert_str_eq(got, provisional);
    ck_assert_int_eq(run(2, -1, &c, &err), 0);
    ck_assert_int_eq(c.start, 4);
    ck_assert_int_eq(c.copied, 5);
    feed_id(dest_path, got);
    ck_assert_str_eq(got, src_id);
    char *a = dump_log(src_path), *b = dump_log(dest_path);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);

    /* The source grows: a whole copy resumed takes the provisional identity
     * again in its first batch, the source's in its last. */
    add_instances(src_path, 6, 11);
    ck_assert_int_eq(run(2, 1, &c, &err), 1);
    feed_id(dest_path, got);
    ck_assert_str_eq(got, provisional);
    ck_assert_int_eq(run(2, -1, &c, &err), 0);
    feed_id(dest_path, got);
    ck_assert_str_eq(got, src_id);
    ck_assert_int_eq(last_sequence(dest_path), 10);
}
END_TEST

START_TEST(refuses_another_log)
{
    add_instances(src_path, 1, 6);
    add_instances(dest_path, 1, 3); /* a log of its own, another identity */
    char *before = dump_log(dest_path);
    df_log_copy c;
    df_error err;
    ck_assert_int_eq(run(2, -1, &c, &err), DF_EINVAL);
    ck_assert_ptr_null(c.whose);
    ck_assert_str_eq(err.message, "the log holds 2 entries of another log, not a copy of SOURCE");
    ck_assert_int_eq(c.copied, 0);
    char *after = dump_log(dest_path);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

START_TEST(refuses_a_log_ahead_of_source)
{
    add_instances(src_path, 1, 6);
    df_log_copy c;
    df_error err;
    ck_assert_int_eq(run(10, -1, &c, &err), 0);
    /* The whole copy, with the source's identity, written to since. */
    add_instances(dest_path, 100, 102);
    char *before = dump_log(dest_path);
    ck_assert_int_eq(run(10, -1, &c, &err), DF_EINVAL);
    ck_assert_ptr_null(c.whose);
    ck_assert_str_eq(err.message,
                     "the log holds 7 entries, SOURCE only 5: it is not an earlier copy of SOURCE");
    char *after = dump_log(dest_path);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

START_TEST(refuses_a_copy_written_to_since)
{
    add_instances(src_path, 1, 6);
    df_log_copy c;
    df_error err;
    ck_assert_int_eq(run(2, 1, &c, &err), 1); /* 2 of 5 */
    /* Another writer appends to the copy between two runs. */
    add_instances(dest_path, 100, 101);
    ck_assert_int_eq(last_sequence(dest_path), 3);
    char *before = dump_log(dest_path);
    ck_assert_int_eq(run(2, -1, &c, &err), DF_EINVAL);
    ck_assert_ptr_null(c.whose);
    ck_assert_str_eq(err.message, "the log's entry 3 differs from SOURCE's: the log was written to"
                                  " since it was copied");
    char *after = dump_log(dest_path);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

START_TEST(refuses_after_another_writer_between_batches)
{
    add_instances(src_path, 1, 8);
    df_store *src = open_at(src_path, DF_STORE_READONLY);
    df_store *dest = open_at(dest_path, DF_STORE_CREATE);
    df_log_copy c;
    df_error err = {0};
    ck_assert_int_eq(df_log_copy_init(&c, src, 3, &err), 0);
    ck_assert_int_eq(df_log_copy_step(&c, dest, &err), 1);
    ck_assert_int_eq(c.copied, 3);
    /* Between two batches the copy holds no lock: another writer appends. */
    add_instances(dest_path, 100, 101);
    char *before = dump_log(dest_path);
    ck_assert_int_eq(df_log_copy_step(&c, dest, &err), DF_EINVAL);
    ck_assert_str_eq(c.whose, "the log");
    ck_assert_str_eq(err.message, "another writer appended to it during the import (its newest"
                                  " Sequence is 4)");
    ck_assert_int_eq(c.copied, 3);
    char *after = dump_log(dest_path);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    df_store_close(dest);
    df_store_close(src);
}
END_TEST

START_TEST(snapshot_of_the_source)
{
    /* Entries written to the source after the copy began are not copied by
     * this run: the copy is the source as it was at one moment. */
    add_instances(src_path, 1, 5);
    df_store *src = open_at(src_path, DF_STORE_READONLY);
    df_store *dest = open_at(dest_path, DF_STORE_CREATE);
    df_log_copy c;
    df_error err = {0};
    ck_assert_int_eq(df_log_copy_init(&c, src, 2, &err), 0);
    ck_assert_int_eq(c.src_last, 4);
    ck_assert_int_eq(df_log_copy_step(&c, dest, &err), 1);
    add_instances(src_path, 5, 9);
    int rc;
    while ((rc = df_log_copy_step(&c, dest, &err)) > 0)
        ;
    ck_assert_msg(rc == 0, "%s", err.message);
    ck_assert_int_eq(c.copied, 4);
    df_store_close(dest);
    df_store_close(src);
    ck_assert_int_eq(last_sequence(dest_path), 4);
}
END_TEST

static void add_tests(TCase *tc)
{
    tcase_add_test(tc, copy_whole_in_batches);
    tcase_add_test(tc, empty_source);
    tcase_add_test(tc, copies_keep_each_entry_kind);
    tcase_add_test(tc, provisional_identity_until_whole);
    tcase_add_test(tc, refuses_another_log);
    tcase_add_test(tc, refuses_a_log_ahead_of_source);
    tcase_add_test(tc, refuses_a_copy_written_to_since);
    tcase_add_test(tc, refuses_after_another_writer_between_batches);
    tcase_add_test(tc, snapshot_of_the_source);
}

static Suite *log_copy_suite(void)
{
    Suite *su = suite_create("log_copy");
    TCase *tc = tcase_create("sqlite");
    tcase_add_checked_fixture(tc, setup, teardown);
    add_tests(tc);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(su, tc);
#ifdef HAVE_LIBPQ
    if (getenv("DCMFEED_PG_TEST") != NULL && getenv("DCMFEED_PG_TEST")[0] != '\0') {
        tc = tcase_create("postgresql");
        tcase_add_checked_fixture(tc, setup_pg, teardown);
        add_tests(tc);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(su, tc);
    } else {
        fprintf(stderr, "check_log_copy: DCMFEED_PG_TEST not set, PostgreSQL tests skipped\n");
    }
#endif
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(log_copy_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
