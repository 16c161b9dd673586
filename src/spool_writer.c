/* The spool's writer (spool_writer.h): what each record becomes in the log,
 * a batch at a time, and the thread that keeps applying them through the
 * log's outages. */
#include "spool_writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The writer waits this long after a failure, doubling up to the cap. */
#define RETRY_MIN_MS 100
#define RETRY_MAX_MS 5000
/* How long a record the archive cannot decide now (it is starting) waits. */
#define WAITING_MS 200
/* How long the writer gathers records after the first that woke it. */
#define GATHER_MS 50
/* Records per transaction: enough that a burst costs few commits (each an
 * fsync of the log), few enough that a batch's metadata stays small. */
#define BATCH_RECORDS 500
/* The spool starts again empty once it is all applied and this large. */
#define COMPACT_BYTES ((int64_t)8 * 1024 * 1024)

__attribute__((format(printf, 3, 4))) static void
say(const df_archive *a, df_archive_log_level level, const char *fmt, ...)
{
    if (a->log == NULL)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    a->log(a->ctx, level, line);
}

int df_spool_writer_name(const df_archive *a, const df_spool *sp, char *out, size_t size)
{
    int n = snprintf(out, size, "%s-spool-%s", a->name, df_spool_id(sp));
    return n > 0 && (size_t)n < size ? 0 : DF_EINVAL;
}

static bool same_uids(const df_store_instance *in, const df_spool_record *r)
{
    return strcmp(in->study_uid, r->study_uid) == 0 && strcmp(in->series_uid, r->series_uid) == 0 &&
           strcmp(in->sop_uid, r->sop_uid) == 0;
}

static int apply_stored(df_store *s, const df_archive *a, const df_spool_record *r,
                        df_spool_stats *st, df_error *err)
{
    df_store_instance in;
    int rc = df_store_find_archive_id(s, a->name, r->archive_id, &in, err);
    if (rc != 0 && rc != DF_ENOTFOUND)
        return rc;
    if (rc == 0 && in.current && !a->overwrite && same_uids(&in, r)) {
        /* The archive kept the file it had: nothing changed. */
        st->unchanged++;
        say(a, DF_ARCHIVE_LOG_INFO,
            "instance %s came again and the archive kept the file it has: nothing appended",
            r->archive_id);
        return 0;
    }
    rc = DF_ENOTFOUND;
    if (r->modified) {
        rc = df_store_update(s, r->study_uid, r->series_uid, r->sop_uid, r->metadata,
                             r->metadata_len, NULL, err);
        if (rc == 0)
            st->updated++;
        if (rc == DF_ENOTFOUND)
            df_error_clear(err);
    }
    if (rc == DF_ENOTFOUND) {
        rc = df_store_add(s, r->study_uid, r->series_uid, r->sop_uid, r->metadata, r->metadata_len,
                          NULL, NULL, err);
        if (rc == 0)
            st->created++;
    }
    if (rc == DF_EINVAL) {
        /* The log can never take it (metadata over the cap): said once, and
         * the spool goes on. */
        st->refused++;
        say(a, DF_ARCHIVE_LOG_ERROR, "instance %s (SOP Instance UID %s) is not in the feed: %s",
            r->archive_id, r->sop_uid, err->message);
        df_error_clear(err);
        return 0;
    }
    if (rc == 0)
        rc = df_store_set_archive_id(s, a->name, r->archive_id, r->study_uid, r->series_uid,
                                     r->sop_uid, err);
    return rc;
}

/* DF_EBUSY: the archive cannot tell now whether it holds the instance. */
static int apply_deleted(df_store *s, const df_archive *a, const df_spool_record *r,
                         df_spool_stats *st, df_error *err)
{
    df_store_instance in;
    int rc = df_store_find_archive_id(s, a->name, r->archive_id, &in, err);
    if (rc == DF_ENOTFOUND) {
        st->unknown++;
        say(a, DF_ARCHIVE_LOG_INFO,
            "instance %s was deleted; the feed never had it from this archive: nothing appended",
            r->archive_id);
        return 0;
    }
    if (rc != 0 || !in.current)
        return rc;
    bool holds = false;
    if (a->holds != NULL) {
        rc = a->holds(a->ctx, in.study_uid, in.series_uid, in.sop_uid, &holds);
        if (rc != 0 && rc != DF_EBUSY)
            return df_error_set(err, rc, "cannot ask the archive whether it holds instance %s",
                                in.sop_uid);
        if (rc != 0)
            return rc;
    }
    if (holds) {
        /* Replaced (a new file, a modification), or held under another
         * patient ID: the instance is still there. */
        st->held++;
        return 0;
    }
    int64_t n = 0;
    rc = df_store_delete(s, in.study_uid, in.series_uid, in.sop_uid, &n, err);
    st->deleted += n;
    return rc;
}

int df_spool_apply(df_store *s, df_spool *sp, df_spool_cursor *c, const df_archive *a,
                   size_t max_records, bool *waiting, df_spool_stats *stats, df_error *err)
{
    *waiting = false;
    char name[DF_WRITER_NAME_MAX + 1];
    if (df_spool_writer_name(a, sp, name, sizeof name) != 0)
        return df_error_set(err, DF_EINVAL, "the archive's name is too long");
    df_spool_cursor start = *c;
    df_spool_stats st = *stats;
    int64_t position = 0, last = 0;
    int consumed = 0;
    int rc = df_store_begin(s, err);
    if (rc != 0)
        return rc;
    rc = df_store_writer_position(s, name, &position, err);
    while (rc == 0 && (size_t)consumed < max_records) {
        df_spool_cursor before = *c;
        df_spool_record r;
        rc = df_spool_read(sp, c, &r, err);
        if (rc <= 0)
            break;
        rc = 0;
        if (r.number <= position) {
            st.skipped++;
        } else if (r.kind == DF_SPOOL_STORED) {
            rc = apply_stored(s, a, &r, &st, err);
        } else {
            rc = apply_deleted(s, a, &r, &st, err);
            if (rc == DF_EBUSY) {
                *c = before;
                *waiting = true;
                rc = 0;
                break;
            }
        }
        if (rc == 0) {
            consumed++;
            if (r.number > position)
                last = r.number;
        }
    }
    if (rc == 0 && last > 0)
        rc = df_store_set_writer_position(s, name, last, err);
    if (rc == 0)
        rc = df_store_commit(s, err);
    if (rc != 0) {
        df_store_rollback(s);
        *c = start;
        return rc;
    }
    *stats = st;
    return consumed;
}

/* --- the thread ------------------------------------------------------------- */

struct df_spool_writer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop, poked;
    bool idle; /* waiting in rest(): only then does a poke signal (a store
                  does not wake the thread while it gathers or writes) */
    char *db;
    df_store *store;
    df_spool *sp;
    const df_archive *archive;
    df_spool_cursor cursor;
    df_spool_stats stats; /* under lock */
    int64_t applied;      /* under lock */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until poked, stopped, or ms pass; false when stopping. */
static bool rest(df_spool_writer *w, int ms)
{
    pthread_mutex_lock(&w->lock);
    w->idle = true;
    if (!w->poked && !w->stop && ms > 0) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += ms / 1000;
        until.tv_nsec += (long)(ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!w->poked && !w->stop)
            if (pthread_cond_timedwait(&w->wake, &w->lock, &until) == ETIMEDOUT)
                break;
    }
    w->poked = false;
    w->idle = false;
    bool go_on = !w->stop;
    pthread_mutex_unlock(&w->lock);
    return go_on;
}

/* Sleeps ms unless stopped (pokes do not end it); false when stopping. */
static bool pause_for(df_spool_writer *w, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (long)ms * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->lock);
    while (!w->stop)
        if (pthread_cond_timedwait(&w->wake, &w->lock, &until) == ETIMEDOUT)
            break;
    w->poked = false;
    bool go_on = !w->stop;
    pthread_mutex_unlock(&w->lock);
    return go_on;
}

/* What pass() answers when a record waits for the archive. */
#define WAITING 1

/* One pass: opens the log when it is not open, applies batches until the
 * spool is applied. 0 when it is; WAITING when a record waits for the
 * archive; or the failure (the log closed when its connection may be lost,
 * so that the next pass opens it again). */
static int pass(df_spool_writer *w, df_error *err)
{
    if (w->store == NULL) {
        int rc = df_store_open(w->db, DF_STORE_READWRITE, &w->store, err);
        if (rc != 0)
            return rc;
    }
    int rc = 0;
    bool waiting = false;
    while (rc == 0 && !waiting) {
        pthread_mutex_lock(&w->lock);
        df_spool_stats stats = w->stats;
        pthread_mutex_unlock(&w->lock);
        rc = df_spool_apply(w->store, w->sp, &w->cursor, w->archive, BATCH_RECORDS, &waiting,
                            &stats, err);
        if (rc < 0)
            break;
        pthread_mutex_lock(&w->lock);
        w->stats = stats;
        w->applied = w->cursor.last;
        pthread_mutex_unlock(&w->lock);
        if (rc == 0)
            break;
        rc = 0;
    }
    if (rc < 0) {
        if (rc != DF_EBUSY) {
            df_store_close(w->store);
            w->store = NULL;
        }
        return rc;
    }
    if (waiting)
        return WAITING;
    /* All applied: a large spool starts again empty (a failure here only
     * leaves it large). */
    df_error ignored = {0};
    df_spool_compact(w->sp, &w->cursor, COMPACT_BYTES, NULL, &ignored);
    return 0;
}

static void *run(void *arg)
{
    df_spool_writer *w = arg;
    const df_archive *a = w->archive;
    int backoff = 0;
    int64_t failing_since = 0;
    bool go_on = true;
    while (go_on) {
        df_error err = {0};
        int rc = pass(w, &err);
        /* Idle until poked (a minute at most); a record that waits for the
         * archive is looked at again soon; a failure is retried with
         * back-off, and said once per outage. */
        int pause = rc == 0 ? 60000 : WAITING_MS;
        if (rc >= 0 && failing_since != 0) {
            say(a, DF_ARCHIVE_LOG_WARNING,
                "the log is writable again after %.1f s: the changes that waited in the spool are "
                "in the feed",
                (double)(now_ms() - failing_since) / 1000.0);
            failing_since = 0;
        }
        if (rc >= 0)
            backoff = 0;
        if (rc < 0) {
            /* The changes may wait long now: on the disk, so that a power
             * loss does not take them (while the log takes them, its commit
             * a few ms later is what keeps them; a power loss before it
             * takes what Orthanc's own index may lose too). */
            df_error ignored = {0};
            df_spool_sync(w->sp, &ignored);
            backoff = backoff == 0 ? RETRY_MIN_MS : backoff * 2;
            if (backoff > RETRY_MAX_MS)
                backoff = RETRY_MAX_MS;
            pause = backoff;
            if (failing_since == 0) {
                failing_since = now_ms();
                say(a, DF_ARCHIVE_LOG_WARNING,
                    "the log cannot be written now (%s); the changes wait in the spool (%lld "
                    "bytes) "
                    "and are retried",
                    err.message, (long long)df_spool_pending_bytes(w->sp, &w->cursor));
            }
        }
        go_on = rest(w, pause);
        /* Woken by a new record: let its neighbours come too, so that a
         * burst of stores costs the log one commit (an fsync) per
         * GATHER_MS rather than one per instance, on the disk the archive
         * syncs its own files to. A feed is polled: 50 ms more is not seen. */
        if (go_on && rc == 0)
            go_on = pause_for(w, GATHER_MS);
    }
    /* Stopping: one last pass when the log takes it at once. */
    df_error err = {0};
    if (pass(w, &err) < 0)
        say(a, DF_ARCHIVE_LOG_WARNING,
            "stopping with changes in the spool (%s): they go into the log at the next start",
            err.message);
    return NULL;
}

int df_spool_writer_start(const char *db, df_store *store, df_spool *sp, const df_archive *a,
                          df_spool_writer **out, df_error *err)
{
    *out = NULL;
    df_spool_writer *w = calloc(1, sizeof *w);
    if (w == NULL || (w->db = strdup(db)) == NULL) {
        free(w);
        return df_error_set(err, DF_ENOMEM, "out of memory");
    }
    w->store = store;
    w->sp = sp;
    w->archive = a;
    w->cursor = df_spool_start(sp);
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    int rc = pthread_create(&w->thread, NULL, run, w);
    if (rc == 0) /* so that top -H and /proc show the feed's thread apart */
        pthread_setname_np(w->thread, "dcmfeed-writer");
    if (rc != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w->db);
        free(w);
        return df_error_set(err, DF_ENOMEM, "cannot start the writer's thread: %s", strerror(rc));
    }
    *out = w;
    return 0;
}

void df_spool_writer_poke(df_spool_writer *w)
{
    pthread_mutex_lock(&w->lock);
    w->poked = true;
    if (w->idle)
        pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void df_spool_writer_stop(df_spool_writer *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    df_store_close(w->store);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w->db);
    free(w);
}

void df_spool_writer_stats(df_spool_writer *w, df_spool_stats *stats, int64_t *applied)
{
    pthread_mutex_lock(&w->lock);
    if (stats != NULL)
        *stats = w->stats;
    if (applied != NULL)
        *applied = w->applied;
    pthread_mutex_unlock(&w->lock);
}
