/* Unit tests of spool_writer.c on a real SQLite log and spool in a temporary
 * folder, with a fake archive: what each record becomes, each change once
 * even when a batch is applied again (a crash after the commit), records
 * that wait for the archive, and the thread: changes appended while another
 * writer holds the log's write lock wait in the spool and all arrive, in
 * order, once it lets go. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../src/spool_writer.h"

static char dir[256];
static char db[512];
static char spool_path[512];

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_spool_writer.XXXXXX", tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/feed.db", dir);
    snprintf(spool_path, sizeof spool_path, "%s/dcmfeed.spool", dir);
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The fake archive: the SOP Instance UIDs it holds now, and whether it can
 * answer at all (not while it starts). */
struct fake {
    const char *holding[4];
    bool busy;
    int asked;
    char said[2048];
};

static int fake_holds(void *ctx, const char *study, const char *series, const char *sop,
                      bool *holds)
{
    (void)study;
    (void)series;
    struct fake *f = ctx;
    f->asked++;
    if (f->busy)
        return DF_EBUSY;
    *holds = false;
    for (int i = 0; i < 4; i++)
        if (f->holding[i] != NULL && strcmp(f->holding[i], sop) == 0)
            *holds = true;
    return 0;
}

static void fake_log(void *ctx, df_archive_log_level level, const char *message)
{
    (void)level;
    struct fake *f = ctx;
    size_t n = strlen(f->said);
    snprintf(f->said + n, sizeof f->said - n, "%s\n", message);
}

static df_spool *open_spool(void)
{
    df_spool *sp = NULL;
    df_error err = {0};
    ck_assert_msg(df_spool_open(spool_path, &sp, &err) == 0, "%s", err.message);
    return sp;
}

static df_store *open_log(void)
{
    df_store *s = NULL;
    df_error err = {0};
    ck_assert_msg(df_store_open(db, DF_STORE_CREATE, &s, &err) == 0, "%s", err.message);
    return s;
}

static void stored(df_spool *sp, const char *id, const char *sop, const char *name, bool modified)
{
    char meta[200];
    snprintf(meta, sizeof meta,
             "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"%s\"}]}}", name);
    df_spool_record r = {.kind = DF_SPOOL_STORED,
                         .modified = modified,
                         .archive_id = id,
                         .study_uid = "1.2",
                         .series_uid = "1.2.3",
                         .sop_uid = sop,
                         .metadata = meta,
                         .metadata_len = strlen(meta)};
    df_error err = {0};
    ck_assert_msg(df_spool_append(sp, &r, &err) == 0, "%s", err.message);
}

static void deleted(df_spool *sp, const char *id)
{
    df_spool_record r = {.kind = DF_SPOOL_DELETED, .archive_id = id};
    df_error err = {0};
    ck_assert_msg(df_spool_append(sp, &r, &err) == 0, "%s", err.message);
}

/* The log as one line per entry: "SEQ ACTION SOP STATE NAME". */
struct lines {
    char text[4096];
    int n;
};

static int line_of(void *ctx, const df_entry *e)
{
    struct lines *l = ctx;
    static const char *const action[] = {"create", "delete", "update"};
    static const char *const state[] = {"current", "replaced", "deleted"};
    const char *name = "-";
    char buf[64] = "-";
    if (e->metadata != NULL) {
        const char *at = strstr(e->metadata, "Alphabetic\":\"");
        if (at != NULL) {
            at += 13;
            size_t n = strcspn(at, "\"");
            snprintf(buf, sizeof buf, "%.*s", (int)n, at);
        }
        name = buf;
    }
    size_t used = strlen(l->text);
    snprintf(l->text + used, sizeof l->text - used, "%lld %s %s %s %s\n", (long long)e->sequence,
             action[e->action], e->sop_uid, state[e->state], name);
    l->n++;
    return 0;
}

static struct lines feed(void)
{
    struct lines l = {.n = 0};
    l.text[0] = '\0';
    df_store *r = NULL;
    df_error err = {0};
    ck_assert_msg(df_store_open(db, DF_STORE_READONLY, &r, &err) == 0, "%s", err.message);
    ck_assert_int_eq(df_store_page(r, 0, 100, true, line_of, &l, &err), 0);
    df_store_close(r);
    return l;
}

static int apply(df_store *s, df_spool *sp, df_spool_cursor *c, df_archive *a, bool *waiting,
                 df_spool_stats *st)
{
    df_error err = {0};
    int rc = df_spool_apply(s, sp, c, a, 100, waiting, st, &err);
    ck_assert_msg(rc >= 0, "%s", err.message);
    return rc;
}

START_TEST(each_record_becomes_what_the_archive_did)
{
    struct fake f = {.holding = {NULL}};
    df_archive a = {
        .name = "orthanc", .overwrite = false, .holds = fake_holds, .log = fake_log, .ctx = &f};
    df_spool *sp = open_spool();
    df_store *s = open_log();
    df_spool_cursor c = df_spool_start(sp);
    df_spool_stats st = {0};
    bool waiting;

    stored(sp, "id-1", "1.2.3.1", "Doe^Jane", false); /* create */
    stored(sp, "id-2", "1.2.3.2", "Doe^John", false); /* create */
    /* OverwriteInstances false: Orthanc keeps the file it has, whatever
     * came (a file sent again, a modification that kept the UIDs): nothing. */
    stored(sp, "id-1", "1.2.3.1", "Other^Name", false);
    stored(sp, "id-2", "1.2.3.2", "Fixed^Name", true);
    /* Made by a modification, the same UIDs under another ID (another
     * patient ID): an update. */
    stored(sp, "id-9", "1.2.3.2", "Moved^Patient", true);
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 5);
    ck_assert_str_eq(feed().text, "1 create 1.2.3.1 current Doe^Jane\n"
                                  "2 create 1.2.3.2 replaced Moved^Patient\n"
                                  "3 update 1.2.3.2 current Moved^Patient\n");
    ck_assert_int_eq(st.created, 2);
    ck_assert_int_eq(st.updated, 1);
    ck_assert_int_eq(st.unchanged, 2);
    ck_assert_ptr_nonnull(strstr(f.said, "instance id-1 came again and the archive kept the file"));

    /* Deletes: by the archive's identifier; one the archive still holds
     * under another ID (id-2's UIDs are held as id-9) is not one; one the log
     * never had from the archive is said and skipped. */
    f.holding[0] = "1.2.3.2";
    deleted(sp, "id-2");
    deleted(sp, "id-1");
    deleted(sp, "id-77");
    deleted(sp, "id-1"); /* twice: deleted already */
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 4);
    ck_assert(!waiting);
    struct lines l = feed();
    ck_assert_int_eq(l.n, 4);
    ck_assert_ptr_nonnull(strstr(l.text, "1 create 1.2.3.1 deleted -\n"));
    ck_assert_ptr_nonnull(strstr(l.text, "4 delete 1.2.3.1 deleted -\n"));
    ck_assert_int_eq(st.deleted, 1);
    ck_assert_int_eq(st.held, 1);
    ck_assert_int_eq(st.unknown, 1);
    ck_assert_ptr_nonnull(strstr(f.said, "instance id-77 was deleted; the feed never had it"));

    /* Stored again after its delete: a new create; with OverwriteInstances
     * the archive replaces the file, so a store of an instance it holds is
     * a new version. */
    stored(sp, "id-1", "1.2.3.1", "Doe^Jane", false);
    a.overwrite = true;
    stored(sp, "id-1", "1.2.3.1", "Doe^Jane", false);
    /* With OverwriteInstances, a modification that keeps the UIDs (and the
     * patient ID: the same Orthanc ID) replaced the file: an update. */
    stored(sp, "id-1", "1.2.3.1", "Fixed^Name", true);
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 3);
    l = feed();
    ck_assert_ptr_nonnull(strstr(l.text, "5 create 1.2.3.1 replaced Fixed^Name\n"
                                         "6 create 1.2.3.1 replaced Fixed^Name\n"
                                         "7 update 1.2.3.1 current Fixed^Name\n"));
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 0);
    df_store_close(s);
    df_spool_close(sp);
}
END_TEST

/* A batch applied again from an earlier cursor (the commit happened, the
 * process died before it moved on) appends nothing twice. */
START_TEST(each_change_once)
{
    df_archive a = {.name = "orthanc"};
    df_spool *sp = open_spool();
    df_store *s = open_log();
    df_spool_cursor c = df_spool_start(sp);
    df_spool_stats st = {0};
    bool waiting;
    stored(sp, "id-1", "1.2.3.1", "A^B", false);
    stored(sp, "id-2", "1.2.3.2", "A^B", false);
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 2);
    stored(sp, "id-3", "1.2.3.3", "A^B", false);
    df_spool_close(sp);
    df_store_close(s);
    /* A new process: the cursor starts over. */
    sp = open_spool();
    s = open_log();
    c = df_spool_start(sp);
    st = (df_spool_stats){0};
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 3);
    ck_assert_int_eq(st.skipped, 2);
    ck_assert_int_eq(st.created, 1);
    ck_assert_int_eq(feed().n, 3);
    /* A spool that lost its tail (the log is at 3): numbers go past 3. */
    df_spool_close(sp);
    ck_assert_int_eq(truncate(spool_path, 64), 0);
    sp = open_spool();
    df_error err = {0};
    ck_assert_int_eq(df_store_begin(s, &err), 0);
    int64_t pos = 0;
    char name[200];
    ck_assert_int_eq(df_spool_writer_name(&a, sp, name, sizeof name), 0);
    ck_assert_int_eq(df_store_writer_position(s, name, &pos, &err), 0);
    df_store_rollback(s);
    ck_assert_int_eq(pos, 3);
    ck_assert_int_eq(df_spool_advance(sp, pos, &err), 0);
    stored(sp, "id-4", "1.2.3.4", "A^B", false);
    c = df_spool_start(sp);
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 1);
    ck_assert_int_eq(feed().n, 4);
    df_store_close(s);
    df_spool_close(sp);
}
END_TEST

/* A delete waits while the archive cannot say whether it holds the
 * instance; what came before it is applied, nothing after it. */
START_TEST(a_delete_waits_for_the_archive)
{
    struct fake f = {.busy = true};
    df_archive a = {.name = "orthanc", .holds = fake_holds, .ctx = &f};
    df_spool *sp = open_spool();
    df_store *s = open_log();
    df_spool_cursor c = df_spool_start(sp);
    df_spool_stats st = {0};
    bool waiting;
    stored(sp, "id-1", "1.2.3.1", "A^B", false);
    deleted(sp, "id-1");
    stored(sp, "id-2", "1.2.3.2", "A^B", false);
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 1);
    ck_assert(waiting);
    ck_assert_int_eq(feed().n, 1);
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 0);
    ck_assert(waiting);
    f.busy = false;
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 2);
    ck_assert(!waiting);
    ck_assert_str_eq(feed().text, "1 create 1.2.3.1 deleted -\n"
                                  "2 delete 1.2.3.1 deleted -\n"
                                  "3 create 1.2.3.2 current A^B\n");
    df_store_close(s);
    df_spool_close(sp);
}
END_TEST

/* Metadata the log cannot take (over the 32 MiB cap) is said, and the rest
 * of the spool goes on. */
START_TEST(a_store_the_log_refuses_is_said)
{
    struct fake f = {.busy = false};
    df_archive a = {.name = "orthanc", .log = fake_log, .ctx = &f};
    df_spool *sp = open_spool();
    df_store *s = open_log();
    size_t big = (size_t)DF_METADATA_MAX + 10;
    char *meta = malloc(big);
    ck_assert_ptr_nonnull(meta);
    memset(meta, ' ', big);
    meta[0] = '{';
    meta[big - 1] = '}';
    df_spool_record r = {.kind = DF_SPOOL_STORED,
                         .archive_id = "id-big",
                         .study_uid = "1.2",
                         .series_uid = "1.2.3",
                         .sop_uid = "1.2.3.9",
                         .metadata = meta,
                         .metadata_len = big};
    df_error err = {0};
    ck_assert_int_eq(df_spool_append(sp, &r, &err), 0);
    free(meta);
    stored(sp, "id-1", "1.2.3.1", "A^B", false);
    df_spool_cursor c = df_spool_start(sp);
    df_spool_stats st = {0};
    bool waiting;
    ck_assert_int_eq(apply(s, sp, &c, &a, &waiting, &st), 2);
    ck_assert_int_eq(st.refused, 1);
    ck_assert_str_eq(feed().text, "1 create 1.2.3.1 current A^B\n");
    ck_assert_ptr_nonnull(strstr(f.said, "instance id-big (SOP Instance UID 1.2.3.9) is not in the "
                                         "feed: the instance's metadata is"));
    df_store_close(s);
    df_spool_close(sp);
}
END_TEST

/* The entries of the log, or 0 while a writer has not made it yet. */
static int entries_now(void)
{
    df_store *r = NULL;
    df_error err = {0};
    if (df_store_open(db, DF_STORE_READONLY, &r, &err) != 0)
        return 0;
    struct lines l = {.n = 0};
    l.text[0] = '\0';
    int rc = df_store_page(r, 0, 100, false, line_of, &l, &err);
    df_store_close(r);
    return rc == 0 ? l.n : 0;
}

static int wait_for_entries(int want, int seconds)
{
    for (int i = 0; i < seconds * 20 && entries_now() < want; i++)
        usleep(50000);
    return entries_now();
}

/* The thread: changes appended while another process holds the log's write
 * lock (past the writer's 30 s busy timeout would be too long for a unit
 * test: the lock is held for 2 s, the writer's first attempt waits through
 * it) are all in the log, in order, once it lets go; a writer stopped with
 * changes it could not write leaves them for the next start. */
START_TEST(the_thread_waits_out_a_busy_log)
{
    struct fake f = {.busy = false};
    df_archive a = {.name = "orthanc", .holds = fake_holds, .log = fake_log, .ctx = &f};
    df_spool *sp = open_spool();
    df_store_close(open_log()); /* made as init makes it: the writer opens a log that exists */
    df_error err = {0};
    df_spool_writer *w = NULL;
    ck_assert_int_eq(df_spool_writer_start(db, NULL, sp, &a, &w, &err), 0);
    stored(sp, "id-1", "1.2.3.1", "A^B", false);
    df_spool_writer_poke(w);
    ck_assert_int_eq(wait_for_entries(1, 10), 1);

    /* Another writer holds the lock. */
    sqlite3 *other;
    ck_assert_int_eq(sqlite3_open(db, &other), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 2; i <= 50; i++) {
        char sop[32], id[32];
        snprintf(sop, sizeof sop, "1.2.3.%d", i);
        snprintf(id, sizeof id, "id-%d", i);
        stored(sp, id, sop, "A^B", false);
        df_spool_writer_poke(w);
    }
    deleted(sp, "id-2");
    df_spool_writer_poke(w);
    sleep(2);
    ck_assert_int_eq(feed().n, 1); /* nothing got through the lock */
    ck_assert_int_eq(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    ck_assert_int_eq(wait_for_entries(51, 40), 51);
    struct lines l = feed();
    ck_assert_ptr_nonnull(strstr(l.text, "50 create 1.2.3.50 current A^B\n"
                                         "51 delete 1.2.3.2 deleted -\n"));
    int64_t applied = 0;
    df_spool_writer_stats(w, NULL, &applied);
    ck_assert_int_eq(applied, df_spool_last(sp));
    df_spool_writer_stop(w);

    /* Stopped while the archive could not answer: the delete waits in the
     * spool and the next writer applies it. */
    f.busy = true;
    ck_assert_int_eq(df_spool_writer_start(db, NULL, sp, &a, &w, &err), 0);
    deleted(sp, "id-3");
    df_spool_writer_poke(w);
    usleep(300000);
    df_spool_writer_stop(w);
    ck_assert_int_eq(feed().n, 51);
    df_spool_close(sp);
    f.busy = false;
    sp = open_spool();
    ck_assert_int_eq(df_spool_writer_start(db, NULL, sp, &a, &w, &err), 0);
    df_spool_writer_poke(w);
    ck_assert_int_eq(wait_for_entries(52, 10), 52);
    df_spool_writer_stop(w);
    df_spool_close(sp);
}
END_TEST

static Suite *writer_suite(void)
{
    Suite *s = suite_create("spool_writer");
    TCase *tc = tcase_create("spool_writer");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, each_record_becomes_what_the_archive_did);
    tcase_add_test(tc, each_change_once);
    tcase_add_test(tc, a_delete_waits_for_the_archive);
    tcase_add_test(tc, a_store_the_log_refuses_is_said);
    tcase_add_test(tc, the_thread_waits_out_a_busy_log);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(writer_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
