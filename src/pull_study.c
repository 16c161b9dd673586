/* The --per-study flow: see pull_study.h. */
#include "pull_study.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "pull_state.h"
#include "pull_studies.h"

typedef struct flow {
    const df_pull_options *o;
    double stable_age;
    const df_pull_study_sink *sink;
    df_pull_reader *reader;
    df_studies *studies;
    int64_t read; /* the Sequence of the last entry read */
    uint64_t handed;
    uint64_t rng;
} flow;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool stopping(const flow *f)
{
    return f->o->http.stop != NULL && *f->o->http.stop != 0;
}

static double unit_random(flow *f)
{
    f->rng ^= f->rng >> 12;
    f->rng ^= f->rng << 25;
    f->rng ^= f->rng >> 27;
    return (double)((f->rng * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

static void say(const flow *f, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(const flow *f, int level, const char *fmt, ...)
{
    if (f->o->http.verbosity < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("dcmfeed-pull: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* The sink's error as the flow reports it, naming the study. */
static int sink_failed(const df_pull_study_info *info, int code, const df_error *why, df_error *err)
{
    if (code == DF_HTTP_STOPPED)
        return code;
    if (code != DF_EPULL_RECEIVER && code != DF_EPULL_UNAVAILABLE)
        code = DF_EPULL_HANDLER;
    return df_error_set(err, code, "study %s (revision %lld) was not handed over: %s", info->uid,
                        (long long)info->revision,
                        why->message[0] ? why->message : "the handler failed");
}

/* The feed's identity must stay the one the state was written for. */
static int check_feed(flow *f, df_error *err)
{
    const char *now = df_pull_reader_feed_id(f->reader);
    const char *was = df_studies_feed_id(f->studies);
    if (now[0] == '\0')
        return 0;
    if (was[0] == '\0') {
        df_studies_set_feed_id(f->studies, now);
        return 0;
    }
    if (strcmp(now, was) != 0)
        return df_error_set(err, DF_EPULL_FEED,
                            "the state %s belongs to the feed %s, but %s answers at this URL "
                            "now (the log was replaced): its Sequences mean other entries; "
                            "remove the state to start over",
                            f->o->state_path != NULL ? f->o->state_path : "", was, now);
    return 0;
}

/* Reads the pending entries p again and hands them to the sink, then
 * records the hand-over. */
static int hand_over(flow *f, const df_studies_pending *p, df_error *err)
{
    const df_pull_options *o = f->o;
    const df_pull_study_sink *sink = f->sink;
    char uid[DF_STUDIES_UID_MAX + 1];
    char time[DF_PULL_STUDY_TIME_MAX] = "";
    snprintf(uid, sizeof uid, "%s", p->uid);
    df_pull_study_info info = {
        .uid = uid,
        .revision = p->revision,
        .first = p->sequences[0],
        .last = p->sequences[p->count - 1],
        .count = p->count,
        .deleted = p->deleted,
        .time = time,
        .feed_id = df_pull_reader_feed_id(f->reader),
    };
    df_error why = {0};
    int rc = sink->begin(sink->ctx, &info, &why);
    if (rc != 0)
        return sink_failed(&info, rc, &why, err);
    /* Windows of at most a page from each Sequence not yet read again: a
     * study whose entries are close together costs a request per page, one
     * spread thin a request per entry. */
    size_t i = 0;
    while (i < p->count) {
        int64_t span = p->sequences[p->count - 1] - p->sequences[i] + 1;
        int limit = span < o->limit ? (int)span : o->limit;
        const df_pull_entry *entries;
        size_t count = 0;
        rc = df_pull_reader_page(f->reader, p->sequences[i] - 1, limit, o->include_metadata, 0,
                                 &entries, &count, err);
        if (rc != 0)
            return rc;
        rc = check_feed(f, err);
        if (rc != 0)
            return rc;
        for (size_t k = 0; k < count && i < p->count; k++) {
            const df_pull_entry *e = &entries[k];
            if (e->sequence != p->sequences[i])
                continue;
            if (e->study_uid == NULL || strcmp(e->study_uid, uid) != 0)
                return df_error_set(err, DF_EPULL_PROTOCOL,
                                    "entry %lld was of study %s when read first, and is of "
                                    "another study now: the server's entries changed",
                                    (long long)e->sequence, uid);
            if (e->timestamp != NULL)
                snprintf(time, sizeof time, "%s", e->timestamp);
            df_error_clear(&why);
            rc = sink->entry(sink->ctx, e, &why);
            if (rc != 0)
                return sink_failed(&info, rc, &why, err);
            i++;
        }
        if (i < p->count && (count == 0 || p->sequences[i] <= entries[count - 1].sequence))
            return df_error_set(err, DF_EPULL_PROTOCOL,
                                "entry %lld of study %s is not in the feed any more",
                                (long long)p->sequences[i], uid);
        if (stopping(f))
            return DF_HTTP_STOPPED;
    }
    df_error_clear(&why);
    rc = sink->deliver(sink->ctx, &info, &why);
    if (rc != 0)
        return sink_failed(&info, rc, &why, err);
    rc = df_studies_handed(f->studies, uid, f->read, err);
    if (rc != 0)
        return rc;
    f->handed++;
    say(f, 2, "study %s revision %lld: %zu entries handed over (%lld to %lld)%s", uid,
        (long long)info.revision, info.count, (long long)info.first, (long long)info.last,
        info.deleted ? ", deleted" : "");
    return 0;
}

/* Hands over every study complete now; *wait gets the seconds until the next
 * may be (-1: none pending). */
static int hand_over_complete(flow *f, double *wait, df_error *err)
{
    df_studies_pending p;
    while (!stopping(f) && df_studies_next(f->studies, now_seconds(), f->stable_age, &p, wait)) {
        int rc = hand_over(f, &p, err);
        if (rc != 0)
            return rc;
    }
    return stopping(f) ? DF_HTTP_STOPPED : 0;
}

/* Reads the page after f->read and groups its entries; *got: how many. */
static int read_page(flow *f, int wait, size_t *got, df_error *err)
{
    const df_pull_entry *entries;
    size_t count = 0;
    *got = 0;
    int rc =
        df_pull_reader_page(f->reader, f->read, f->o->limit, false, wait, &entries, &count, err);
    if (rc == 0)
        rc = check_feed(f, err);
    if (rc != 0)
        return rc;
    double now = now_seconds();
    for (size_t i = 0; i < count; i++) {
        df_studies_taken taken;
        rc = df_studies_add(f->studies, entries[i].sequence, entries[i].study_uid,
                            entries[i].action, entries[i].state, now, &taken, err);
        if (rc == DF_EINVAL)
            rc = DF_EPULL_PROTOCOL;
        if (rc != 0)
            return rc;
        f->read = entries[i].sequence;
    }
    *got = count;
    if ((int)count < f->o->limit)
        df_studies_settle(f->studies);
    return 0;
}

static int start(flow *f, df_error *err)
{
    const df_pull_options *o = f->o;
    bool found = false;
    if (o->state_path != NULL) {
        int rc = df_studies_load(f->studies, o->state_path, &found, err);
        if (rc != 0)
            return rc;
    }
    if (!found && o->from_latest) {
        int64_t latest = 0;
        int rc = df_pull_reader_latest(f->reader, &latest, err);
        if (rc == 0)
            rc = check_feed(f, err);
        if (rc != 0)
            return rc;
        df_studies_set_resume(f->studies, latest + 1);
        say(f, 2, "starting after the latest entry, %lld", (long long)latest);
        /* Stored at once, as without --per-study. */
        rc = df_studies_save(f->studies, err);
        if (rc != 0)
            return rc;
    }
    f->read = df_studies_resume(f->studies) - 1;
    return 0;
}

int df_pull_study_run(const df_pull_options *o, double stable_age, const df_pull_study_sink *sink,
                      uint64_t *handed, df_error *err)
{
    flow f;
    memset(&f, 0, sizeof f);
    f.o = o;
    f.stable_age = stable_age;
    f.sink = sink;
    f.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(now_seconds() * 1e9);
    if (f.rng == 0)
        f.rng = 1;
    int lock_fd = -1, rc = 0;
    if (o->url == NULL || o->limit <= 0 || o->interval < 0 || o->wait < 0 ||
        o->wait > DF_PULL_WAIT_MAX || !(stable_age >= 0)) {
        rc = df_error_set(err, DF_EINVAL, "invalid options");
        goto out;
    }
    f.studies = df_studies_new();
    if (f.studies == NULL) {
        rc = df_error_set(err, DF_ENOMEM, "out of memory");
        goto out;
    }
    rc = df_pull_reader_open(o, &f.reader, err);
    if (rc == 0 && o->state_path != NULL)
        rc = df_pull_state_lock(o->state_path, &lock_fd, err);
    if (rc == 0)
        rc = start(&f, err);
    /* Without --follow the feed is read to its end once; then the studies
     * still pending are waited for, and nothing more is read. */
    bool draining = false;
    while (rc == 0 && !stopping(&f)) {
        double wait = -1;
        rc = hand_over_complete(&f, &wait, err);
        if (rc != 0)
            break;
        if (draining) {
            if (wait < 0)
                break;
            if (df_http_pause(o->http.stop, wait))
                break;
            continue;
        }
        /* The server may hold an empty answer until news, but not past the
         * moment a pending study becomes complete. */
        int server_wait = o->follow ? o->wait : 0;
        if (wait >= 0 && wait < server_wait)
            server_wait = (int)floor(wait);
        size_t got = 0;
        double began = now_seconds();
        rc = read_page(&f, server_wait, &got, err);
        if (rc != 0)
            break;
        if (got > 0)
            continue; /* a full or partial page: ask again at once */
        if (!o->follow) {
            draining = true;
            continue;
        }
        double left = df_http_jitter(o->interval, unit_random(&f)) - (now_seconds() - began);
        double next = -1;
        df_studies_pending p;
        if (df_studies_next(f.studies, now_seconds(), stable_age, &p, &next))
            continue;
        if (next >= 0 && next < left)
            left = next;
        if (left > 0 && df_http_pause(o->http.stop, left))
            break;
    }
    if (rc == DF_HTTP_STOPPED)
        rc = 0;
out:
    if (handed != NULL)
        *handed = f.handed;
    df_pull_reader_close(f.reader);
    df_studies_free(f.studies);
    if (lock_fd >= 0)
        close(lock_fd);
    return rc;
}
