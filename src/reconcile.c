/* reconcile (reconcile.h): the walk over the archive, the comparison of each
 * study with the log, and the batches of changes. */
#include "reconcile.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest_json.h"
#include "metadata_canon.h"
#include "uid.h"
#include "uid_table.h"

/* A batch is also written when its metadata passes this, so that memory
 * stays flat whatever the archive holds. */
#define BATCH_BYTES ((size_t)64 * 1024 * 1024)
/* The largest metadata answer read, for a series or an instance: past it a
 * series is read instance by instance. */
#define METADATA_ANSWER_MAX ((size_t)DF_INGEST_JSON_MAX_FILE)
/* The log's studies and entries are read in pages of this many. */
#define LOG_PAGE 1000
/* With --since, the log's entries are looked at from this many days before
 * DATE: StudyDate is the modality's local date, Timestamps are UTC. */
#define SLACK_DAYS 2
/* Dates before this one, and after today, are walked as one open range each. */
#define FIRST_SPLIT_YEAR 1900

/* --- dates ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool df_reconcile_parse_date(const char *s, int32_t *day)
{
    int y, m, d;
    size_t n = strlen(s);
    bool ok = (n == 8 && digits(s, 4, &y) && digits(s + 4, 2, &m) && digits(s + 6, 2, &d)) ||
              (n == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4, &y) && digits(s + 5, 2, &m) &&
               digits(s + 8, 2, &d));
    if (!ok || y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return false;
    *day = days_from_civil(y, m, d);
    return true;
}

void df_reconcile_format_date(int32_t day, char out[9])
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    /* The ranges reconcile asks for lie within years 1 to 9999. */
    unsigned v = (unsigned)(y < 1      ? 1
                            : y > 9999 ? 9999
                                       : y) *
                     10000u +
                 (unsigned)m * 100u + (unsigned)d;
    for (int i = 7; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[8] = '\0';
}

/* --- the run's state ---------------------------------------------------------- */

/* A change decided, waiting for its batch. */
typedef struct change {
    df_reconcile_action action;
    char study[DF_UID_MAX + 1], series[DF_UID_MAX + 1], sop[DF_UID_MAX + 1];
    int64_t expect;            /* the present version decided against, 0: none */
    size_t meta_off, meta_len; /* in bytes: creates and updates */
    int64_t sequence;
    bool replaced;
    bool superseded; /* the instance moved on in the log: dropped */
    bool refused;    /* the store refused it: dropped */
} change;

/* An instance of the study in progress as the log holds it. */
typedef struct logged {
    int64_t sequence;
    uint64_t digest;
    bool digest_ok; /* false: the log's metadata has no canonical form (it differs) */
    bool seen;      /* the archive has it */
} logged;

/* How the archive gave a series of the study in progress. */
typedef enum series_state {
    SERIES_WHOLE,  /* one metadata answer: every instance it has, none missing */
    SERIES_LISTED, /* instance by instance after a paged listing */
    SERIES_ABSENT, /* the archive answered that it has no such series */
} series_state;

typedef struct run {
    df_store *log;
    df_dicomweb *archive;
    const df_reconcile_options *o;
    const df_reconcile_report *r;
    volatile sig_atomic_t *stop;
    df_reconcile_stats *st;
    df_error *err;

    df_uid_table visited; /* studies compared */

    /* The study in progress. */
    const char *study;
    df_uid_table log_keys; /* "SERIES SOP" of the log's instances */
    logged *log_items;
    size_t log_cap;
    df_uid_table series; /* its series, as listed or met */
    series_state *series_states;
    size_t series_cap;
    df_uid_table taken; /* "SERIES SOP" of the archive's instances compared */

    /* The changes waiting for their batch. */
    change *changes;
    size_t nchanges, changes_cap;
    char *bytes;
    size_t used, bytes_cap;

    df_buf body;    /* a metadata answer */
    df_buf scratch; /* a canonical form */
} run;

static bool stopped(const run *x)
{
    return x->stop != NULL && *x->stop != 0;
}

__attribute__((format(printf, 2, 3))) static void warn(run *x, const char *fmt, ...)
{
    if (x->r == NULL || x->r->warning == NULL)
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    x->r->warning(x->r->ctx, text);
}

static void progress(run *x)
{
    x->st->searches = df_dicomweb_searches(x->archive);
    x->st->fetches = df_dicomweb_fetches(x->archive);
    if (x->r != NULL && x->r->progress != NULL)
        x->r->progress(x->r->ctx, x->st);
}

static int no_memory(run *x)
{
    return df_error_set(x->err, DF_ENOMEM, "out of memory");
}

/* "SERIES SOP" into key. */
static void pair_key(char key[2 * DF_UID_MAX + 2], const char *series, const char *sop)
{
    snprintf(key, 2 * DF_UID_MAX + 2, "%s %s", series, sop);
}

/* --- the batches ---------------------------------------------------------------- */

static int present_sequence_fn(void *ctx, const df_entry *e)
{
    *(int64_t *)ctx = e->sequence;
    return 0;
}

/* Writes the changes waiting, in one transaction, each only if its
 * instance's present version is still the one it was decided against. */
static int flush(run *x, df_error *err)
{
    if (x->nchanges == 0)
        return 0;
    int rc = 0;
    if (!x->o->dry_run) {
        rc = df_store_begin(x->log, err);
        for (size_t i = 0; rc == 0 && i < x->nchanges; i++) {
            change *c = &x->changes[i];
            int64_t present = 0;
            rc = df_store_current(x->log, c->study, c->series, c->sop, false, present_sequence_fn,
                                  &present, err);
            if (rc != 0)
                break;
            if (present != c->expect) {
                c->superseded = true;
                continue;
            }
            const char *meta = x->bytes + c->meta_off;
            df_error refused = {0};
            int64_t count = 0;
            switch (c->action) {
            case DF_RECONCILE_CREATE:
                rc = df_store_add(x->log, c->study, c->series, c->sop, meta, c->meta_len,
                                  &c->sequence, &c->replaced, &refused);
                break;
            case DF_RECONCILE_UPDATE:
                rc = df_store_update(x->log, c->study, c->series, c->sop, meta, c->meta_len,
                                     &c->sequence, &refused);
                break;
            case DF_RECONCILE_DELETE:
                rc = df_store_delete(x->log, c->study, c->series, c->sop, &count, &refused);
                if (rc == 0)
                    rc = df_store_last_sequence(x->log, &c->sequence, &refused);
                break;
            }
            /* Refused by the store's rules (metadata over its cap): that
             * instance is left as it is, the batch goes on. */
            if (rc == DF_EINVAL || rc == DF_ENOTFOUND) {
                warn(x, "instance %s of study %s: %s; left as the log has it", c->sop, c->study,
                     refused.message);
                c->refused = true;
                x->st->unreadable++;
                rc = 0;
            } else if (rc != 0) {
                df_error_set(err, rc, "%s", refused.message);
            }
        }
        if (rc == 0)
            rc = df_store_commit(x->log, err);
        if (rc != 0) {
            df_store_rollback(x->log);
            return rc;
        }
    }
    for (size_t i = 0; i < x->nchanges; i++) {
        const change *c = &x->changes[i];
        x->st->superseded += c->superseded;
        if (c->superseded || c->refused)
            continue;
        x->st->created += c->action == DF_RECONCILE_CREATE;
        x->st->updated += c->action == DF_RECONCILE_UPDATE;
        x->st->deleted += c->action == DF_RECONCILE_DELETE;
        if (x->r != NULL && x->r->entry != NULL)
            x->r->entry(x->r->ctx, c->action, x->o->dry_run ? 0 : c->sequence, c->sop, c->replaced);
    }
    x->nchanges = 0;
    x->used = 0;
    progress(x);
    return 0;
}

static int queue(run *x, df_reconcile_action action, const char *series, const char *sop,
                 int64_t expect, const char *meta, size_t meta_len)
{
    if (x->nchanges == x->changes_cap) {
        size_t cap = x->changes_cap ? x->changes_cap * 2 : 64;
        change *c = realloc(x->changes, cap * sizeof *c);
        if (c == NULL)
            return no_memory(x);
        x->changes = c;
        x->changes_cap = cap;
    }
    if (meta_len > x->bytes_cap - x->used) {
        size_t cap = x->bytes_cap ? x->bytes_cap : 1024 * 1024;
        while (cap - x->used < meta_len)
            cap *= 2;
        char *b = realloc(x->bytes, cap);
        if (b == NULL)
            return no_memory(x);
        x->bytes = b;
        x->bytes_cap = cap;
    }
    change *c = &x->changes[x->nchanges++];
    memset(c, 0, sizeof *c);
    c->action = action;
    snprintf(c->study, sizeof c->study, "%s", x->study);
    snprintf(c->series, sizeof c->series, "%s", series);
    snprintf(c->sop, sizeof c->sop, "%s", sop);
    c->expect = expect;
    c->meta_off = x->used;
    c->meta_len = meta_len;
    if (meta_len > 0)
        memcpy(x->bytes + x->used, meta, meta_len);
    x->used += meta_len;
    if (x->nchanges >= x->o->batch || x->used >= BATCH_BYTES)
        return flush(x, x->err);
    return 0;
}

/* --- the log's side of a study ------------------------------------------------------ */

static int take_logged(void *ctx, const df_entry *e)
{
    run *x = ctx;
    char key[2 * DF_UID_MAX + 2];
    pair_key(key, e->series_uid, e->sop_uid);
    size_t i;
    if (!df_uid_table_add(&x->log_keys, key, &i, NULL))
        return no_memory(x);
    if (i >= x->log_cap) {
        size_t cap = x->log_cap ? x->log_cap * 2 : 256;
        logged *l = realloc(x->log_items, cap * sizeof *l);
        if (l == NULL)
            return no_memory(x);
        x->log_items = l;
        x->log_cap = cap;
    }
    logged *l = &x->log_items[i];
    memset(l, 0, sizeof *l);
    l->sequence = e->sequence;
    df_error ignored = {0};
    int rc = e->metadata == NULL ? DF_EINVAL
                                 : df_metadata_digest(e->metadata, e->metadata_len, &x->scratch,
                                                      &l->digest, &ignored);
    if (rc == DF_ENOMEM)
        return no_memory(x);
    l->digest_ok = rc == 0;
    return 0;
}

static int read_log_study(run *x)
{
    df_uid_table_clear(&x->log_keys);
    return df_store_current(x->log, x->study, NULL, NULL, true, take_logged, x, x->err);
}

/* --- the archive's side ---------------------------------------------------------------- */

/* Adds each UID a search hands out to a table. */
static int collect_uid(void *ctx, const char *uid)
{
    df_uid_table *t = ((void **)ctx)[0];
    run *x = ((void **)ctx)[1];
    size_t i;
    return df_uid_table_add(t, uid, &i, NULL) ? 0 : no_memory(x);
}

/* One page of q into t (cleared first unless keep); *count receives the
 * datasets of the page, *added how many UIDs were new to t. */
static int search_into(run *x, const df_qido *q, df_uid_table *t, bool keep, int *count,
                       size_t *added)
{
    if (!keep)
        df_uid_table_clear(t);
    size_t before = t->count;
    void *ctx[2] = {t, x};
    int invalid = 0;
    int rc = df_dicomweb_search(x->archive, q, collect_uid, ctx, count, &invalid, x->err);
    if (rc == 0 && invalid > 0)
        warn(x, "the archive listed %d dataset%s without a valid UID: left out", invalid,
             invalid == 1 ? "" : "s");
    *added = t->count - before;
    return rc;
}

/* Every page of q (offset paging) into t: stops at a page that is not full,
 * or that brings nothing new (an archive that ignores offset). */
static int search_all(run *x, df_qido q, df_uid_table *t)
{
    df_uid_table_clear(t);
    for (q.offset = 0;;) {
        int count = 0;
        size_t added = 0;
        int rc = search_into(x, &q, t, true, &count, &added);
        if (rc != 0)
            return rc;
        if (count < q.limit || added == 0)
            return 0;
        q.offset += count;
    }
}

/* Whether the archive holds anything that search q (limit 1) matches. */
static int exists(run *x, df_qido q, bool *found)
{
    q.limit = 1;
    q.offset = 0;
    df_uid_table t;
    df_uid_table_init(&t);
    int count = 0;
    size_t added = 0;
    int rc = search_into(x, &q, &t, false, &count, &added);
    df_uid_table_free(&t);
    *found = count > 0;
    return rc;
}

static int ensure_series_state(run *x, size_t i)
{
    if (i < x->series_cap)
        return 0;
    size_t cap = x->series_cap ? x->series_cap * 2 : 64;
    while (cap <= i)
        cap *= 2;
    series_state *s = realloc(x->series_states, cap * sizeof *s);
    if (s == NULL)
        return no_memory(x);
    x->series_states = s;
    x->series_cap = cap;
    return 0;
}

/* One instance of the archive, its metadata as add of a DICOM JSON file
 * stores it: compared with the log's, a change queued when they differ. */
static int take_instance(run *x, const char *series, const df_ingest_dataset *ds)
{
    if (strcmp(ds->study_uid, x->study) != 0 || strcmp(ds->series_uid, series) != 0) {
        warn(x,
             "instance %s: the archive gives it in series %s of study %s, not in series %s of"
             " study %s where it is listed: left out",
             ds->sop_uid, ds->series_uid, ds->study_uid, series, x->study);
        return 0;
    }
    char key[2 * DF_UID_MAX + 2];
    pair_key(key, series, ds->sop_uid);
    size_t i;
    bool added;
    if (!df_uid_table_add(&x->taken, key, &i, &added))
        return no_memory(x);
    if (!added)
        return 0; /* listed twice */
    uint64_t digest = 0;
    df_error why = {0};
    int rc = df_metadata_digest(ds->metadata, ds->metadata_len, &x->scratch, &digest, &why);
    if (rc == DF_ENOMEM)
        return no_memory(x);
    x->st->instances++;
    if (df_uid_table_find(&x->log_keys, key, &i)) {
        logged *l = &x->log_items[i];
        l->seen = true;
        if (rc == 0 && l->digest_ok && l->digest == digest)
            return 0;
        return queue(x, DF_RECONCILE_UPDATE, series, ds->sop_uid, l->sequence, ds->metadata,
                     ds->metadata_len);
    }
    return queue(x, DF_RECONCILE_CREATE, series, ds->sop_uid, 0, ds->metadata, ds->metadata_len);
}

/* An instance the archive lists but does not give the metadata of: left as
 * the log has it (and never deleted for it). */
static void unreadable(run *x, const char *series, const char *sop, const char *why)
{
    char key[2 * DF_UID_MAX + 2];
    pair_key(key, series, sop);
    size_t i;
    if (df_uid_table_find(&x->log_keys, key, &i))
        x->log_items[i].seen = true;
    x->st->unreadable++;
    warn(x, "instance %s of series %s of study %s: %s; left as the log has it", sop, series,
         x->study, why);
}

/* Reads the series instance by instance: a paged listing, then each one's
 * metadata. */
static int read_series_by_instance(run *x, const char *series)
{
    df_uid_table sops;
    df_uid_table_init(&sops);
    df_qido q = {.level = DF_QIDO_INSTANCES,
                 .scoped = true,
                 .study_uid = x->study,
                 .series_uid = series,
                 .limit = x->o->page};
    int rc = search_all(x, q, &sops);
    for (size_t k = 0; rc == 0 && k < sops.count; k++) {
        const char *sop = df_uid_table_key(&sops, k);
        df_error why = {0};
        rc = df_dicomweb_metadata(x->archive, x->study, series, sop, &x->body, &why);
        if (rc == DF_ENOTFOUND || rc == DF_EHTTP_TOOBIG) {
            unreadable(x, series, sop,
                       rc == DF_ENOTFOUND ? "the archive lists it but does not give its metadata"
                                          : "its metadata is larger than 64 MiB");
            rc = 0;
            continue;
        }
        if (rc != 0) {
            df_error_set(x->err, rc, "%s", why.message);
            break;
        }
        df_ingest_json_file f;
        rc = df_ingest_json_parse("the archive's metadata", x->body.data, x->body.len, &f, &why);
        if (rc == DF_EINVAL) {
            unreadable(x, series, sop, why.message);
            rc = 0;
            continue;
        }
        if (rc != 0) {
            df_error_set(x->err, rc, "%s", why.message);
            break;
        }
        if (f.count != 1 || strcmp(f.datasets[0].sop_uid, sop) != 0)
            unreadable(x, series, sop, "the archive's metadata for it is of another instance");
        else
            rc = take_instance(x, series, &f.datasets[0]);
        df_ingest_json_free(&f);
    }
    df_uid_table_free(&sops);
    return rc;
}

/* Compares series number si of the study with the log. */
static int read_series(run *x, size_t si)
{
    int rc = ensure_series_state(x, si);
    if (rc != 0)
        return rc;
    char series[DF_UID_MAX + 1];
    snprintf(series, sizeof series, "%s", df_uid_table_key(&x->series, si));
    x->st->series++;
    df_error why = {0};
    rc = df_dicomweb_metadata(x->archive, x->study, series, NULL, &x->body, &why);
    if (rc == 0) {
        df_ingest_json_file f;
        rc = df_ingest_json_parse("the archive's metadata", x->body.data, x->body.len, &f, &why);
        if (rc == 0) {
            x->series_states[si] = SERIES_WHOLE;
            for (size_t d = 0; rc == 0 && d < f.count; d++)
                rc = take_instance(x, series, &f.datasets[d]);
            df_ingest_json_free(&f);
            return rc;
        }
        if (rc != DF_EINVAL) {
            df_error_set(x->err, rc, "%s", why.message);
            return rc;
        }
        /* One bad dataset spoils the whole answer: read one by one, so that
         * only that instance is left out. */
    } else if (rc != DF_ENOTFOUND && rc != DF_EHTTP_TOOBIG) {
        df_error_set(x->err, rc, "%s", why.message);
        return rc;
    }
    x->series_states[si] = SERIES_LISTED;
    return read_series_by_instance(x, series);
}

/* Queues the delete of the log's instance i of the study. */
static int delete_logged(run *x, size_t i)
{
    char key[2 * DF_UID_MAX + 2];
    snprintf(key, sizeof key, "%s", df_uid_table_key(&x->log_keys, i));
    char *sop = strchr(key, ' ');
    *sop++ = '\0';
    return queue(x, DF_RECONCILE_DELETE, key, sop, x->log_items[i].sequence, NULL, 0);
}

/* The log's instances of the study that the archive did not give: deleted
 * where the archive says it has none. */
static int settle_unseen(run *x, bool study_absent)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < x->log_keys.count; i++) {
        if (x->log_items[i].seen)
            continue;
        if (study_absent) {
            rc = delete_logged(x, i);
            continue;
        }
        char series[DF_UID_MAX + 1];
        const char *key = df_uid_table_key(&x->log_keys, i);
        snprintf(series, sizeof series, "%.*s", (int)strcspn(key, " "), key);
        const char *sop = key + strlen(series) + 1;
        size_t si;
        bool added;
        if (!df_uid_table_add(&x->series, series, &si, &added))
            return no_memory(x);
        if (added) {
            /* A series the listing did not show: asked for by its UID. */
            rc = ensure_series_state(x, si);
            bool found = false;
            if (rc == 0)
                rc = exists(
                    x,
                    (df_qido){.level = DF_QIDO_SERIES, .study_uid = x->study, .series_uid = series},
                    &found);
            if (rc != 0)
                return rc;
            x->series_states[si] = SERIES_ABSENT;
            if (found && (rc = read_series(x, si)) != 0)
                return rc;
            if (x->log_items[i].seen)
                continue;
        }
        switch (x->series_states[si]) {
        case SERIES_WHOLE:
        case SERIES_ABSENT:
            rc = delete_logged(x, i);
            break;
        case SERIES_LISTED: {
            bool found = false;
            rc = exists(x,
                        (df_qido){.level = DF_QIDO_INSTANCES,
                                  .study_uid = x->study,
                                  .series_uid = series,
                                  .sop_uid = sop},
                        &found);
            if (rc == 0 && !found)
                rc = delete_logged(x, i);
            else if (rc == 0)
                warn(x,
                     "instance %s of series %s of study %s: the archive has it but did not list"
                     " it (is --qido-limit above the archive's own maximum?); left as the log"
                     " has it",
                     sop, series, x->study);
            break;
        }
        }
    }
    return rc;
}

/* Compares one study of the archive with the log. study_absent: the archive
 * has answered that it has no such study. */
static int compare_study(run *x, const char *study, bool study_absent)
{
    size_t vi;
    bool added;
    if (!df_uid_table_add(&x->visited, study, &vi, &added))
        return no_memory(x);
    if (!added)
        return 0;
    if (stopped(x))
        return DF_HTTP_STOPPED;
    char uid[DF_UID_MAX + 1];
    snprintf(uid, sizeof uid, "%s", study);
    x->study = uid;
    df_uid_table_clear(&x->series);
    df_uid_table_clear(&x->taken);
    int rc = read_log_study(x);
    if (rc == 0 && !study_absent) {
        x->st->studies++;
        rc = search_all(
            x,
            (df_qido){
                .level = DF_QIDO_SERIES, .scoped = true, .study_uid = uid, .limit = x->o->page},
            &x->series);
        size_t listed = x->series.count;
        for (size_t si = 0; rc == 0 && si < listed; si++)
            rc = read_series(x, si);
    }
    if (rc == 0)
        rc = settle_unseen(x, study_absent);
    x->study = NULL;
    if (rc == 0)
        progress(x);
    return rc;
}

/* A study of the log that the walk did not meet: asked for by its UID. */
static int compare_logged_study(run *x, const char *study)
{
    size_t vi;
    if (df_uid_table_find(&x->visited, study, &vi))
        return 0;
    bool found = false;
    int rc = exists(x, (df_qido){.level = DF_QIDO_STUDIES, .study_uid = study}, &found);
    return rc != 0 ? rc : compare_study(x, study, !found);
}

/* --- the walk over the archive's studies ------------------------------------------------- */

static int compare_page(run *x, const df_uid_table *page)
{
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < page->count; k++)
        rc = compare_study(x, df_uid_table_key(page, k), false);
    return rc;
}

#define OPEN_LOW  INT32_MIN
#define OPEN_HIGH INT32_MAX

static void date_match(int32_t lo, int32_t hi, char out[DF_DICOMWEB_DATE_MAX + 1])
{
    char a[9] = "", b[9] = "";
    if (lo != OPEN_LOW)
        df_reconcile_format_date(lo, a);
    if (hi != OPEN_HIGH)
        df_reconcile_format_date(hi, b);
    snprintf(out, DF_DICOMWEB_DATE_MAX + 1, "%s-%s", a, b);
}

/* Walks the studies dated lo to hi (OPEN_LOW and OPEN_HIGH: no bound; both:
 * no StudyDate asked at all). */
static int walk_dates(run *x, int32_t lo, int32_t hi)
{
    char match[DF_DICOMWEB_DATE_MAX + 1];
    bool undated = lo == OPEN_LOW && hi == OPEN_HIGH;
    date_match(lo, hi, match);
    df_qido q = {
        .level = DF_QIDO_STUDIES, .study_date = undated ? NULL : match, .limit = x->o->page};
    df_uid_table page;
    df_uid_table_init(&page);
    int count = 0;
    size_t added = 0;
    int rc = search_into(x, &q, &page, false, &count, &added);
    if (rc == 0 && count < q.limit) {
        rc = compare_page(x, &page);
    } else if (rc == 0 && undated) {
        /* The archive holds more than a page: by dates. */
        int32_t first = days_from_civil(FIRST_SPLIT_YEAR, 1, 1);
        int32_t today = x->o->today < first ? first : x->o->today;
        rc = walk_dates(x, OPEN_LOW, first - 1);
        if (rc == 0)
            rc = walk_dates(x, first, today);
        if (rc == 0)
            rc = walk_dates(x, today + 1, OPEN_HIGH);
    } else if (rc == 0 && lo != OPEN_LOW && hi != OPEN_HIGH && lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        rc = walk_dates(x, lo, mid);
        if (rc == 0)
            rc = walk_dates(x, mid + 1, hi);
    } else if (rc == 0) {
        /* One day (or an open end) with more than a page: by offset. */
        df_uid_table all;
        df_uid_table_init(&all);
        size_t from = 0;
        for (;;) {
            for (size_t k = 0; rc == 0 && k < page.count; k++) {
                size_t i;
                bool is_new;
                if (!df_uid_table_add(&all, df_uid_table_key(&page, k), &i, &is_new))
                    rc = no_memory(x);
                else if (is_new)
                    rc = compare_study(x, df_uid_table_key(&page, k), false);
            }
            if (rc != 0 || count < q.limit || all.count == from)
                break;
            from = all.count;
            q.offset += count;
            rc = search_into(x, &q, &page, false, &count, &added);
            if (rc != 0)
                break;
        }
        df_uid_table_free(&all);
    }
    df_uid_table_free(&page);
    return rc;
}

/* --- the log's studies the walk did not meet ------------------------------------------------ */

static int collect_study(void *ctx, const char *uid)
{
    void **c = ctx;
    size_t i;
    return df_uid_table_add(c[0], uid, &i, NULL) ? 0 : no_memory(c[1]);
}

/* A walk that met no study at all, while the log holds studies in the scope,
 * is far more often a wrong URL or an archive being restored than an archive
 * emptied on purpose: nothing is deleted, and the user is told. */
static int refuse_empty_archive(run *x)
{
    return df_error_set(x->err, DF_EDICOMWEB_INVALID,
                        "the archive lists no study in the scope, and the log holds some: "
                        "nothing deleted (a wrong URL?); delete them with --study UID, or "
                        "dcmfeed-ingest delete");
}

/* With no scope: every study of the log. */
static int settle_logged_studies(run *x)
{
    char after[DF_UID_MAX + 1] = "";
    df_uid_table page;
    df_uid_table_init(&page);
    int rc = 0;
    do {
        df_uid_table_clear(&page);
        void *ctx[2] = {&page, x};
        rc = df_store_current_studies(x->log, after, LOG_PAGE, collect_study, ctx, x->err);
        if (rc != 0 || page.count == 0)
            break;
        if (x->st->studies == 0)
            rc = refuse_empty_archive(x);
        snprintf(after, sizeof after, "%s", df_uid_table_key(&page, page.count - 1));
        for (size_t k = 0; rc == 0 && k < page.count; k++)
            rc = compare_logged_study(x, df_uid_table_key(&page, k));
    } while (rc == 0 && page.count == LOG_PAGE);
    df_uid_table_free(&page);
    return rc;
}

static int entry_study(void *ctx, const df_entry *e)
{
    void **c = ctx;
    (*(int *)c[2])++;
    size_t i;
    return df_uid_table_add(c[0], e->study_uid, &i, NULL) ? 0 : no_memory(c[1]);
}

static int first_metadata(void *ctx, const df_entry *e)
{
    char *date = ctx;
    if (e->metadata == NULL)
        return 1;
    json_t *ds = json_loadb(e->metadata, e->metadata_len, 0, NULL);
    json_t *v = json_array_get(json_object_get(json_object_get(ds, "00080020"), "Value"), 0);
    if (json_is_string(v))
        snprintf(date, 11, "%s", json_string_value(v));
    json_decref(ds);
    return 1; /* one instance tells */
}

/* With --since: the studies the log received entries of since two days
 * before DATE, whose StudyDate in the log is DATE or later. */
static int settle_recent_studies(run *x)
{
    df_uid_table recent;
    df_uid_table_init(&recent);
    int64_t start = ((int64_t)x->o->since - SLACK_DAYS) * 86400 * 1000000;
    int64_t skip = 0;
    int rc = 0, rows = 0;
    do {
        rows = 0;
        void *ctx[3] = {&recent, x, &rows};
        rc = df_store_window(x->log, start, INT64_MAX, skip, LOG_PAGE, false, entry_study, ctx,
                             x->err);
        skip += rows;
    } while (rc == 0 && rows == LOG_PAGE);
    for (size_t k = 0; rc == 0 && k < recent.count; k++) {
        const char *study = df_uid_table_key(&recent, k);
        size_t vi;
        if (df_uid_table_find(&x->visited, study, &vi))
            continue;
        char date[11] = "";
        rc = df_store_current(x->log, study, NULL, NULL, true, first_metadata, date, x->err);
        if (rc == 1)
            rc = 0;
        int32_t day;
        if (rc == 0 && df_reconcile_parse_date(date, &day) && day >= x->o->since)
            rc = x->st->studies == 0 ? refuse_empty_archive(x) : compare_logged_study(x, study);
    }
    df_uid_table_free(&recent);
    return rc;
}

/* --- the run ------------------------------------------------------------------------------- */

static int walk(run *x)
{
    const df_reconcile_options *o = x->o;
    int rc = 0;
    if (o->nstudies > 0) {
        for (size_t i = 0; rc == 0 && i < o->nstudies; i++)
            rc = compare_logged_study(x, o->studies[i]);
        return rc;
    }
    if (o->since == DF_RECONCILE_NO_DATE) {
        rc = walk_dates(x, OPEN_LOW, OPEN_HIGH);
        return rc != 0 ? rc : settle_logged_studies(x);
    }
    if (o->since <= o->today)
        rc = walk_dates(x, o->since, o->today);
    if (rc == 0)
        rc = walk_dates(x, o->since > o->today ? o->since : o->today + 1, OPEN_HIGH);
    return rc != 0 ? rc : settle_recent_studies(x);
}

int df_reconcile_run(df_store *log, df_dicomweb *archive, const df_reconcile_options *o,
                     const df_reconcile_report *r, volatile sig_atomic_t *stop,
                     df_reconcile_stats *stats, df_error *err)
{
    memset(stats, 0, sizeof *stats);
    run x = {.log = log, .archive = archive, .o = o, .r = r, .stop = stop, .st = stats, .err = err};
    df_uid_table_init(&x.visited);
    df_uid_table_init(&x.log_keys);
    df_uid_table_init(&x.series);
    df_uid_table_init(&x.taken);
    df_buf_init(&x.body, METADATA_ANSWER_MAX);
    df_buf_init(&x.scratch, 2 * (size_t)DF_METADATA_MAX);

    int rc = walk(&x);
    /* What was decided before the archive failed or a signal came is
     * correct: it is written. A failing log writes nothing more. */
    bool log_failed = rc == DF_EDB || rc == DF_EBUSY || rc == DF_ESCHEMA || rc == DF_ENOMEM;
    if (!log_failed) {
        df_error ferr = {0};
        int frc = flush(&x, &ferr);
        if (frc != 0) {
            *err = ferr;
            rc = frc;
        }
    }
    progress(&x);

    df_buf_free(&x.body);
    df_buf_free(&x.scratch);
    df_uid_table_free(&x.visited);
    df_uid_table_free(&x.log_keys);
    df_uid_table_free(&x.series);
    df_uid_table_free(&x.taken);
    free(x.log_items);
    free(x.series_states);
    free(x.changes);
    free(x.bytes);
    return rc;
}
