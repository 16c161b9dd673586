/* The Orthanc plugin (libdcmfeed-orthanc.so): Orthanc's callbacks → the
 * spool (spool.h) → the log (spool_writer.h). The only file that includes
 * Orthanc's SDK.
 *
 * A store of an instance is read as dcmfeed-ingest add reads a Part 10 file
 * (dicomjson.h, on the bytes Orthanc hands over) and appended to the spool
 * before Orthanc answers the sender; a delete, which Orthanc signals by the
 * deleted instance's Orthanc ID from its change thread, likewise. Nothing in
 * a callback waits for the log or calls back into Orthanc (the SDK warns of
 * deadlocks): the writer's thread does both. What the plugin cannot do is
 * refused loudly: a configuration it cannot use stops Orthanc at start, and
 * a spool it cannot write makes Orthanc refuse new instances until it can.
 * docs/deploy.md ("The Orthanc plugin") is the user's side of this. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <orthanc/OrthancCPlugin.h>

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "dicom.h"
#include "dicomjson.h"
#include "error.h"
#include "spool.h"
#include "spool_writer.h"
#include "store.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define PLUGIN_NAME "dcmfeed"
/* The configuration's section and its settings, as messages name them. */
#define SECTION       "DcmFeed"
#define SETTING_DB    SECTION ".Db"
#define SETTING_SPOOL SECTION ".Spool"
#define SETTING_CHECK SECTION ".CheckDeletesAtStart"
/* The spool's file name in Orthanc's IndexDirectory, when DcmFeed.Spool is
 * not given. */
#define SPOOL_NAME "dcmfeed.spool"

static OrthancPluginContext *context;

static struct plugin {
    char *db;         /* DcmFeed.Db */
    char *spool_path; /* DcmFeed.Spool, or the default */
    df_spool *spool;
    df_spool_writer *writer;
    df_archive archive;
    /* Orthanc answers REST calls (between OrthancStarted and OrthancStopped):
     * the writer may ask whether it holds an instance. */
    pthread_mutex_t ready_lock;
    bool ready;
    /* One converter, as for add; OnStoredInstance calls are one at a time
     * in Orthanc 1.10 already, the lock makes it so whatever the version. */
    pthread_mutex_t convert_lock;
    df_dicomjson *dicom;
    /* Records the spool could not take (a full disk), in order, until it
     * can: meanwhile new instances are refused (spool_filter). */
    pthread_mutex_t backlog_lock;
    struct backlog *backlog, **backlog_tail;
    /* The check of deletes at start (check_thread), run once per start of
     * Orthanc unless DcmFeed.CheckDeletesAtStart is false. */
    bool check_at_start;
    bool check_started;
    pthread_t check;
    atomic_bool check_stop;
} plugin = {
    .ready_lock = PTHREAD_MUTEX_INITIALIZER,
    .convert_lock = PTHREAD_MUTEX_INITIALIZER,
    .backlog_lock = PTHREAD_MUTEX_INITIALIZER,
};

/* --- Orthanc's log ------------------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static void say(df_archive_log_level level, const char *fmt,
                                                      ...)
{
    char line[1024];
    int n = snprintf(line, sizeof line, "%s: ", SECTION);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    if (level == DF_ARCHIVE_LOG_ERROR)
        OrthancPluginLogError(context, line);
    else if (level == DF_ARCHIVE_LOG_WARNING)
        OrthancPluginLogWarning(context, line);
    else
        OrthancPluginLogInfo(context, line);
}

static void writer_log(void *ctx, df_archive_log_level level, const char *message)
{
    (void)ctx;
    say(level, "%s", message);
}

/* --- the backlog: records the spool could not take ---------------------------- */

struct backlog {
    struct backlog *next;
    df_spool_record r; /* its strings point into the bytes after it */
};

static char *copy_into(char **at, const char *s, size_t n)
{
    char *start = *at;
    if (n > 0)
        memcpy(start, s, n);
    start[n] = '\0';
    *at += n + 1;
    return start;
}

/* A copy of r in one allocation; NULL when out of memory. */
static struct backlog *backlog_copy(const df_spool_record *r)
{
    const char *f[4] = {r->archive_id, r->study_uid ? r->study_uid : "",
                        r->series_uid ? r->series_uid : "", r->sop_uid ? r->sop_uid : ""};
    size_t need = sizeof(struct backlog) + r->metadata_len + 1;
    for (int i = 0; i < 4; i++)
        need += strlen(f[i]) + 1;
    struct backlog *b = malloc(need);
    if (b == NULL)
        return NULL;
    char *at = (char *)(b + 1);
    b->next = NULL;
    b->r = *r;
    b->r.archive_id = copy_into(&at, f[0], strlen(f[0]));
    b->r.study_uid = copy_into(&at, f[1], strlen(f[1]));
    b->r.series_uid = copy_into(&at, f[2], strlen(f[2]));
    b->r.sop_uid = copy_into(&at, f[3], strlen(f[3]));
    b->r.metadata = r->metadata != NULL ? copy_into(&at, r->metadata, r->metadata_len) : NULL;
    return b;
}

/* Appends what waits in the backlog, in order; true when it is empty. */
static bool backlog_flush_locked(df_error *err)
{
    while (plugin.backlog != NULL) {
        if (df_spool_append(plugin.spool, &plugin.backlog->r, err) != 0)
            return false;
        struct backlog *done = plugin.backlog;
        plugin.backlog = done->next;
        if (plugin.backlog == NULL)
            plugin.backlog_tail = &plugin.backlog;
        free(done);
    }
    return true;
}

/* Puts r into the spool, after anything the backlog holds; when the spool
 * cannot take it, into the backlog (the writer is not told: it would find
 * nothing new). Any thread. */
static void spool_put(df_spool_record *r)
{
    df_error err = {0};
    pthread_mutex_lock(&plugin.backlog_lock);
    bool appended = backlog_flush_locked(&err) && df_spool_append(plugin.spool, r, &err) == 0;
    if (!appended) {
        struct backlog *b = backlog_copy(r);
        if (b != NULL) {
            *plugin.backlog_tail = b;
            plugin.backlog_tail = &b->next;
        }
        say(DF_ARCHIVE_LOG_ERROR,
            "%s: the change to instance %s waits in memory%s, and Orthanc refuses new instances "
            "until the spool can be written",
            err.message, r->archive_id[0] != '\0' ? r->archive_id : "(none)",
            b != NULL ? "" : " (out of memory: it is lost; run reconcile)");
    }
    pthread_mutex_unlock(&plugin.backlog_lock);
    if (appended)
        df_spool_writer_poke(plugin.writer);
}

/* Before Orthanc stores an instance: refused (-1, an error the sender
 * sees: HTTP 500, a C-STORE failure) while the spool cannot be written, so
 * that no instance enters the archive without entering the feed. A probe
 * (an empty record) tells when it can again. */
static int32_t spool_filter(const OrthancPluginDicomInstance *instance)
{
    (void)instance;
    pthread_mutex_lock(&plugin.backlog_lock);
    bool ok = plugin.backlog == NULL;
    if (!ok) {
        df_error err = {0};
        df_spool_record probe = {.kind = DF_SPOOL_NOOP};
        ok = backlog_flush_locked(&err) && df_spool_append(plugin.spool, &probe, &err) == 0;
        if (!ok)
            say(DF_ARCHIVE_LOG_ERROR, "an instance is refused: %s", err.message);
    }
    pthread_mutex_unlock(&plugin.backlog_lock);
    if (ok)
        df_spool_writer_poke(plugin.writer);
    return ok ? 1 : -1;
}

/* --- Orthanc's callbacks ------------------------------------------------------------ */

static OrthancPluginErrorCode on_stored(const OrthancPluginDicomInstance *instance,
                                        const char *instance_id)
{
    int64_t size = OrthancPluginGetInstanceSize(context, instance);
    const void *data = OrthancPluginGetInstanceData(context, instance);
    if (data == NULL || size < 0) {
        say(DF_ARCHIVE_LOG_ERROR, "instance %s is not in the feed: Orthanc gave no bytes",
            instance_id);
        return OrthancPluginErrorCode_Success;
    }
    /* Made by a modification of an instance (Orthanc 1.10 has no change of
     * tags in place: a modification stores a new file, under the same
     * Orthanc ID when it keeps the UIDs and the patient ID). */
    bool modified = OrthancPluginHasInstanceMetadata(context, instance, "ModifiedFrom") == 1;
    df_dicom_memio m;
    df_dicom_memio_init(&m, data, (size_t)size);
    df_dicomjson_result res;
    df_error err = {0};
    pthread_mutex_lock(&plugin.convert_lock);
    int rc = df_dicomjson_convert_io(plugin.dicom, &m.io, instance_id, &res, &err);
    if (rc == 0) {
        if (res.warning[0] != '\0')
            say(DF_ARCHIVE_LOG_WARNING, "instance %s: %s", instance_id, res.warning);
        df_spool_record r = {.kind = DF_SPOOL_STORED,
                             .modified = modified,
                             .archive_id = instance_id,
                             .study_uid = res.study_uid,
                             .series_uid = res.series_uid,
                             .sop_uid = res.sop_uid,
                             .metadata = res.metadata,
                             .metadata_len = res.metadata_len};
        spool_put(&r);
    }
    pthread_mutex_unlock(&plugin.convert_lock);
    if (rc != 0)
        say(DF_ARCHIVE_LOG_ERROR, "instance %s is not in the feed: %s", instance_id, err.message);
    return OrthancPluginErrorCode_Success;
}

static void set_ready(bool ready)
{
    pthread_mutex_lock(&plugin.ready_lock);
    plugin.ready = ready;
    pthread_mutex_unlock(&plugin.ready_lock);
}

static void start_check(void);

/* Orthanc signals every instance deleted, alone or with its series, study
 * or patient, as a Deleted change of an instance (and one per deleted
 * parent, which the feed does not need). */
static OrthancPluginErrorCode on_change(OrthancPluginChangeType type,
                                        OrthancPluginResourceType level, const char *id)
{
    if (type == OrthancPluginChangeType_Deleted && level == OrthancPluginResourceType_Instance &&
        id != NULL) {
        df_spool_record r = {.kind = DF_SPOOL_DELETED, .archive_id = id};
        spool_put(&r);
    } else if (type == OrthancPluginChangeType_OrthancStarted) {
        set_ready(true);
        df_spool_writer_poke(plugin.writer);
        start_check();
    } else if (type == OrthancPluginChangeType_OrthancStopped) {
        set_ready(false);
        atomic_store(&plugin.check_stop, true);
    }
    return OrthancPluginErrorCode_Success;
}

/* Whether Orthanc holds an instance with this SOP Instance UID now, under
 * any Orthanc ID (/tools/lookup lists them all): asked by the writer's
 * thread before it appends a delete. DF_EBUSY while Orthanc is not running
 * its REST API, or answers an error (the delete waits and is asked again). */
static int archive_holds(void *ctx, const char *study_uid, const char *series_uid,
                         const char *sop_uid, bool *holds)
{
    (void)ctx;
    (void)study_uid;
    (void)series_uid;
    *holds = false;
    pthread_mutex_lock(&plugin.ready_lock);
    bool ready = plugin.ready;
    pthread_mutex_unlock(&plugin.ready_lock);
    if (!ready)
        return DF_EBUSY;
    OrthancPluginMemoryBuffer answer = {NULL, 0};
    OrthancPluginErrorCode code = OrthancPluginRestApiPost(context, &answer, "/tools/lookup",
                                                           sop_uid, (uint32_t)strlen(sop_uid));
    if (code != OrthancPluginErrorCode_Success)
        return DF_EBUSY;
    json_error_t jerr;
    json_t *list = json_loadb(answer.data, answer.size, 0, &jerr);
    OrthancPluginFreeMemoryBuffer(context, &answer);
    int rc = json_is_array(list) ? 0 : DF_EBUSY;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *type = json_string_value(json_object_get(item, "Type"));
        if (type != NULL && strcmp(type, "Instance") == 0)
            *holds = true;
    }
    json_decref(list);
    return rc;
}

/* --- the check of deletes at start ------------------------------------------------------ */

/* Orthanc tells plugins of a delete from a queue in memory, which a crash
 * or a stop drops: a delete made in that instant is in Orthanc, not in the
 * feed (Orthanc's own change log keeps no delete either). At each start,
 * once the spool is applied, this thread walks the instances the log holds
 * present under an Orthanc ID and asks Orthanc for each by its UIDs, as the
 * writer does before any delete; the deletes of those Orthanc no longer
 * holds go into the spool, and the writer applies them as any delete
 * (appending nothing for an instance Orthanc holds again by then).
 * What a crash loses is a few deletes; many missing instances rather mean
 * an Orthanc that did not write this feed (another index folder, a second
 * Orthanc on one feed): then nothing is deleted, and one line says why.
 * The bound: CHECK_MOST_MISSING, or a tenth of what the feed holds. */

#define CHECK_PAGE         500
#define CHECK_MOST_MISSING 10

struct check_page {
    int n;
    char last[DF_ARCHIVE_ID_MAX + 1];
    struct {
        char archive_id[DF_ARCHIVE_ID_MAX + 1];
        char study[DF_UID_MAX + 1], series[DF_UID_MAX + 1], sop[DF_UID_MAX + 1];
    } item[CHECK_PAGE];
};

static int keep_instance(void *ctx, const char *archive_id, const char *study_uid,
                         const char *series_uid, const char *sop_uid)
{
    struct check_page *page = ctx;
    if (page->n == CHECK_PAGE)
        return 0;
    snprintf(page->item[page->n].archive_id, sizeof page->item[0].archive_id, "%s", archive_id);
    snprintf(page->item[page->n].study, sizeof page->item[0].study, "%s", study_uid);
    snprintf(page->item[page->n].series, sizeof page->item[0].series, "%s", series_uid);
    snprintf(page->item[page->n].sop, sizeof page->item[0].sop, "%s", sop_uid);
    snprintf(page->last, sizeof page->last, "%s", archive_id);
    page->n++;
    return 0;
}

/* The next page of the walk after page->last ("" at first) into page. */
static int next_page(df_store *store, struct check_page *page, df_error *err)
{
    char after[DF_ARCHIVE_ID_MAX + 1];
    memcpy(after, page->last, sizeof after);
    page->n = 0;
    return df_store_archive_instances(store, plugin.archive.name, after, CHECK_PAGE, keep_instance,
                                      page, err);
}

static void check_pause(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* How many instances Orthanc holds (/statistics); -1 when it cannot tell
 * (it stops: no REST call then). */
static long long orthanc_instances(void)
{
    pthread_mutex_lock(&plugin.ready_lock);
    bool ready = plugin.ready;
    pthread_mutex_unlock(&plugin.ready_lock);
    if (!ready)
        return -1;
    OrthancPluginMemoryBuffer answer = {NULL, 0};
    if (OrthancPluginRestApiGet(context, &answer, "/statistics") != OrthancPluginErrorCode_Success)
        return -1;
    json_error_t jerr;
    json_t *stats = json_loadb(answer.data, answer.size, 0, &jerr);
    OrthancPluginFreeMemoryBuffer(context, &answer);
    json_t *count = json_object_get(stats, "CountInstances");
    long long n = json_is_integer(count) ? (long long)json_integer_value(count) : -1;
    json_decref(stats);
    return n;
}

/* The Orthanc IDs of the instances found missing, kept until the walk ends
 * (at most the bound, plus one). */
struct missing {
    size_t n, cap;
    char (*id)[DF_ARCHIVE_ID_MAX + 1];
};

static bool missing_add(struct missing *m, const char *archive_id)
{
    if (m->n == m->cap) {
        size_t cap = m->cap == 0 ? 64 : m->cap * 2;
        void *grown = realloc(m->id, cap * sizeof m->id[0]);
        if (grown == NULL)
            return false;
        m->id = grown;
        m->cap = cap;
    }
    snprintf(m->id[m->n++], sizeof m->id[0], "%s", archive_id);
    return true;
}

/* Asks Orthanc for each instance of the log, page by page; *missing gets
 * those it does not hold, up to most + 1 (then the walk stops). */
static int walk(df_store *store, struct check_page *page, long long most, struct missing *missing,
                long long *checked, df_error *err)
{
    int rc = 0;
    int busy = 0;
    page->last[0] = '\0';
    while (rc == 0 && !atomic_load(&plugin.check_stop)) {
        rc = next_page(store, page, err);
        for (int i = 0; rc == 0 && i < page->n && !atomic_load(&plugin.check_stop); i++) {
            bool holds = true;
            if (archive_holds(NULL, page->item[i].study, page->item[i].series, page->item[i].sop,
                              &holds) == DF_EBUSY) {
                /* Orthanc cannot answer now (it stops: the loop ends). */
                if (++busy == 50)
                    say(DF_ARCHIVE_LOG_WARNING, "the check of deletes at start waits: Orthanc "
                                                "does not answer its lookups");
                check_pause(busy < 10 ? 100 : 1000);
                i--;
                continue;
            }
            busy = 0;
            ++*checked;
            if (!holds && !missing_add(missing, page->item[i].archive_id))
                rc = df_error_set(err, DF_ENOMEM, "out of memory");
            if ((long long)missing->n > most)
                return rc;
        }
        if (page->n < CHECK_PAGE)
            break;
    }
    return rc;
}

static void *check_thread(void *arg)
{
    (void)arg;
    /* What the spool held at start is in the log first, so that the walk
     * sees the log as Orthanc left it. */
    int64_t target = df_spool_last(plugin.spool), applied = 0;
    for (;;) {
        df_spool_writer_stats(plugin.writer, NULL, &applied);
        if (applied >= target || atomic_load(&plugin.check_stop))
            break;
        check_pause(100);
    }
    struct check_page *page = malloc(sizeof *page);
    struct missing missing = {0};
    df_store *store = NULL;
    df_error err = {0};
    int rc = page != NULL ? df_store_open(plugin.db, DF_STORE_READONLY, &store, &err)
                          : df_error_set(&err, DF_ENOMEM, "out of memory");
    /* How many there are, from the log alone: the bound, and nothing to do
     * for a feed that holds none from Orthanc. */
    long long in_log = 0, checked = 0;
    if (page != NULL)
        page->last[0] = '\0';
    while (rc == 0 && !atomic_load(&plugin.check_stop)) {
        rc = next_page(store, page, &err);
        in_log += rc == 0 ? page->n : 0;
        if (rc != 0 || page->n < CHECK_PAGE)
            break;
    }
    long long most = in_log / 10 > CHECK_MOST_MISSING ? in_log / 10 : CHECK_MOST_MISSING;
    long long held = rc == 0 && in_log > 0 ? orthanc_instances() : 0;
    if (atomic_load(&plugin.check_stop) || (rc == 0 && in_log == 0)) {
        /* Orthanc stops (the next start checks again), or nothing to check. */
    } else if (rc == 0 && held < 0) {
        say(DF_ARCHIVE_LOG_WARNING,
            "the check of deletes at start cannot ask Orthanc how many instances it holds; not "
            "checked (run reconcile if Orthanc crashed)");
    } else if (rc == 0 && held == 0) {
        say(DF_ARCHIVE_LOG_WARNING,
            "Orthanc holds no instance, the feed %lld from it: the check of deletes at start "
            "deletes nothing (an empty Orthanc on a feed written from another is taken for a "
            "mistake; %s turns the check off)",
            in_log, SETTING_CHECK);
    } else {
        if (rc == 0)
            rc = walk(store, page, most, &missing, &checked, &err);
        if (rc != 0) {
            say(DF_ARCHIVE_LOG_ERROR,
                "the check of deletes at start stopped after %lld instances: %s; nothing deleted "
                "(run reconcile)",
                checked, err.message);
        } else if ((long long)missing.n > most) {
            say(DF_ARCHIVE_LOG_ERROR,
                "the check of deletes at start found more than %lld of the %lld instances the "
                "feed holds from Orthanc missing in Orthanc: more than a crash loses, so this "
                "Orthanc is taken for one that did not write this feed; nothing deleted (if it "
                "did lose them, run dcmfeed-ingest reconcile)",
                most, in_log);
        } else if (!atomic_load(&plugin.check_stop)) {
            for (size_t i = 0; i < missing.n; i++) {
                df_spool_record r = {.kind = DF_SPOOL_DELETED, .archive_id = missing.id[i]};
                spool_put(&r);
            }
            if (missing.n > 0)
                say(DF_ARCHIVE_LOG_WARNING,
                    "%zu of the %lld instances the feed holds from Orthanc are no longer in "
                    "Orthanc (deleted while Orthanc stopped or crashed, or while the plugin was "
                    "not loaded): their deletes go into the feed",
                    missing.n, checked);
            else
                say(DF_ARCHIVE_LOG_WARNING,
                    "the check of deletes at start: the %lld instances the feed holds from "
                    "Orthanc are all in Orthanc",
                    checked);
        }
    }
    free(missing.id);
    df_store_close(store);
    free(page);
    return NULL;
}

static void start_check(void)
{
    if (!plugin.check_at_start || plugin.check_started)
        return;
    atomic_store(&plugin.check_stop, false);
    if (pthread_create(&plugin.check, NULL, check_thread, NULL) == 0)
        plugin.check_started = true;
    else
        say(DF_ARCHIVE_LOG_ERROR, "cannot start the check of deletes at start (run reconcile)");
}

static void stop_check(void)
{
    atomic_store(&plugin.check_stop, true);
    if (plugin.check_started)
        pthread_join(plugin.check, NULL);
    plugin.check_started = false;
}

/* --- the configuration ---------------------------------------------------------------- */

/* path as Orthanc reads the paths of its own configuration: relative to the
 * folder of the configuration file (or the folder of files it was given). */
static char *resolve(const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    char *config = OrthancPluginGetConfigurationPath(context);
    char *out = NULL;
    if (config != NULL) {
        struct stat st;
        size_t n = strlen(config);
        if (stat(config, &st) != 0 || !S_ISDIR(st.st_mode)) {
            const char *slash = strrchr(config, '/');
            n = slash != NULL ? (size_t)(slash - config) : 0;
        }
        size_t need = n + 1 + strlen(path) + 1;
        out = malloc(need);
        if (out != NULL)
            snprintf(out, need, "%.*s%s%s", (int)n, config, n > 0 ? "/" : "", path);
        OrthancPluginFreeString(context, config);
    }
    return out != NULL ? out : strdup(path);
}

/* A string setting of obj, NULL when absent; *bad when present but not a
 * non-empty string. */
static const char *string_setting(json_t *obj, const char *key, bool *bad)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL)
        return NULL;
    const char *s = json_string_value(v);
    if (s == NULL || s[0] == '\0')
        *bad = true;
    return s;
}

/* Reads the plugin's settings and Orthanc's that it follows. 0, or -1 after
 * an error line that names the setting. */
static int configure(void)
{
    char *text = OrthancPluginGetConfiguration(context);
    if (text == NULL) {
        say(DF_ARCHIVE_LOG_ERROR, "cannot read Orthanc's configuration");
        return -1;
    }
    json_error_t jerr;
    json_t *conf = json_loads(text, 0, &jerr);
    OrthancPluginFreeString(context, text);
    int rc = -1;
    json_t *section = json_object_get(conf, SECTION);
    bool bad_db = false, bad_spool = false;
    json_t *check =
        json_is_object(section) ? json_object_get(section, "CheckDeletesAtStart") : NULL;
    const char *db = json_is_object(section) ? string_setting(section, "Db", &bad_db) : NULL;
    const char *spool =
        json_is_object(section) ? string_setting(section, "Spool", &bad_spool) : NULL;
    if (!json_is_object(conf)) {
        say(DF_ARCHIVE_LOG_ERROR, "cannot read Orthanc's configuration: %s", jerr.text);
    } else if (section == NULL) {
        say(DF_ARCHIVE_LOG_ERROR,
            "the configuration has no \"%s\" section: the plugin needs the log it writes, e.g. "
            "\"%s\": { \"Db\": \"/var/lib/dcmfeed/feed.db\" } (%s: a SQLite path or a "
            "PostgreSQL address, as DCMFEED_DB); Orthanc does not start without it",
            SECTION, SECTION, SETTING_DB);
    } else if (!json_is_object(section)) {
        say(DF_ARCHIVE_LOG_ERROR,
            "\"%s\" must be an object, e.g. { \"Db\": \"/var/lib/dcmfeed/feed.db\" }; Orthanc "
            "does not start without it",
            SECTION);
    } else if (db == NULL || bad_db) {
        say(DF_ARCHIVE_LOG_ERROR,
            "%s %s: it names the log (a SQLite path or a PostgreSQL address, as DCMFEED_DB); "
            "Orthanc does not start without it",
            SETTING_DB, bad_db ? "must be a non-empty string" : "is missing");
    } else if (bad_spool) {
        say(DF_ARCHIVE_LOG_ERROR,
            "%s must be a non-empty string (the spool's file path); Orthanc does not start",
            SETTING_SPOOL);
    } else if (check != NULL && !json_is_boolean(check)) {
        say(DF_ARCHIVE_LOG_ERROR, "%s must be true or false; Orthanc does not start",
            SETTING_CHECK);
    } else {
        plugin.check_at_start = check == NULL || json_is_true(check);
        /* A SQLite path is read as Orthanc reads its own paths; a PostgreSQL
         * address is kept as it is (a conninfo has spaces and no '/'). */
        bool pg = strncmp(db, "postgres", 8) == 0 || strchr(db, '=') != NULL;
        plugin.db = pg ? strdup(db) : resolve(db);
        if (spool != NULL) {
            plugin.spool_path = resolve(spool);
        } else {
            /* Orthanc's own folder for its index: the spool belongs to this
             * Orthanc as its index does. */
            const char *index = json_string_value(json_object_get(conf, "IndexDirectory"));
            if (index == NULL)
                index = json_string_value(json_object_get(conf, "StorageDirectory"));
            if (index == NULL)
                index = "OrthancStorage";
            char *folder = resolve(index);
            size_t need = folder != NULL ? strlen(folder) + sizeof SPOOL_NAME + 1 : 0;
            plugin.spool_path = folder != NULL ? malloc(need) : NULL;
            if (plugin.spool_path != NULL)
                snprintf(plugin.spool_path, need, "%s/%s", folder, SPOOL_NAME);
            free(folder);
        }
        json_t *overwrite = json_object_get(conf, "OverwriteInstances");
        plugin.archive.overwrite = json_is_true(overwrite);
        rc = plugin.db != NULL && plugin.spool_path != NULL ? 0 : -1;
        if (rc != 0)
            say(DF_ARCHIVE_LOG_ERROR, "out of memory");
    }
    json_decref(conf);
    return rc;
}

/* Opens the spool and the log (the spool first: it is Orthanc's own folder,
 * and a log is not made for nothing), and moves the spool's numbers past
 * what the log holds of it: every failure is one error line naming the
 * setting, and Orthanc does not start. */
static int open_feed(void)
{
    char shown[512];
    df_store_address_for_log(plugin.db, shown, sizeof shown);
    df_error err = {0};
    int rc = df_spool_open(plugin.spool_path, &plugin.spool, &err);
    if (rc != 0) {
        say(DF_ARCHIVE_LOG_ERROR,
            "%s: cannot use the spool %s: %s; Orthanc does not start without it", SETTING_SPOOL,
            plugin.spool_path, err.message);
        return -1;
    }
    df_store *store = NULL;
    rc = df_store_open(plugin.db, DF_STORE_READWRITE, &store, &err);
    if (rc != 0) {
        say(DF_ARCHIVE_LOG_ERROR,
            "%s: cannot write the log %s: %s; Orthanc does not start without its feed", SETTING_DB,
            shown, err.message);
        return -1;
    }
    char name[DF_WRITER_NAME_MAX + 1];
    int64_t position = 0;
    rc = df_spool_writer_name(&plugin.archive, plugin.spool, name, sizeof name);
    if (rc == 0)
        rc = df_store_begin(store, &err);
    if (rc == 0) {
        rc = df_store_writer_position(store, name, &position, &err);
        df_store_rollback(store);
    }
    if (rc == 0)
        rc = df_spool_advance(plugin.spool, position, &err);
    if (rc == 0)
        rc = df_spool_writer_start(plugin.db, store, plugin.spool, &plugin.archive, &plugin.writer,
                                   &err);
    if (rc != 0) {
        say(DF_ARCHIVE_LOG_ERROR, "%s: cannot write the log %s: %s; Orthanc does not start",
            SETTING_DB, shown, err.message);
        df_store_close(store);
        return -1;
    }
    say(DF_ARCHIVE_LOG_WARNING, "writing the change feed to %s (spool %s, %lld changes waiting)",
        shown, plugin.spool_path,
        (long long)(df_spool_last(plugin.spool) > position ? df_spool_last(plugin.spool) - position
                                                           : 0));
    return 0;
}

static void release(void)
{
    stop_check();
    df_spool_writer_stop(plugin.writer);
    plugin.writer = NULL;
    df_spool_close(plugin.spool);
    plugin.spool = NULL;
    df_dicomjson_free(plugin.dicom);
    plugin.dicom = NULL;
    while (plugin.backlog != NULL) {
        struct backlog *b = plugin.backlog;
        plugin.backlog = b->next;
        say(DF_ARCHIVE_LOG_ERROR,
            "stopping with the change to instance %s not written to the spool: it is not in the "
            "feed (run reconcile)",
            b->r.archive_id);
        free(b);
    }
    free(plugin.db);
    free(plugin.spool_path);
    plugin.db = plugin.spool_path = NULL;
}

/* --- the plugin's entry points ----------------------------------------------------------- */

/* What Orthanc looks up in the shared object (the SDK names them in its
 * documentation only). */
ORTHANC_PLUGINS_API int32_t OrthancPluginInitialize(OrthancPluginContext *c);
ORTHANC_PLUGINS_API void OrthancPluginFinalize(void);
ORTHANC_PLUGINS_API const char *OrthancPluginGetName(void);
ORTHANC_PLUGINS_API const char *OrthancPluginGetVersion(void);

ORTHANC_PLUGINS_API int32_t OrthancPluginInitialize(OrthancPluginContext *c)
{
    context = c;
    if (!OrthancPluginCheckVersion(c)) {
        char line[256];
        snprintf(line, sizeof line,
                 "%s: this plugin needs Orthanc %d.%d.%d or newer; this Orthanc is %s", SECTION,
                 ORTHANC_PLUGINS_MINIMAL_MAJOR_NUMBER, ORTHANC_PLUGINS_MINIMAL_MINOR_NUMBER,
                 ORTHANC_PLUGINS_MINIMAL_REVISION_NUMBER, c->orthancVersion);
        OrthancPluginLogError(c, line);
        return -1;
    }
    OrthancPluginSetDescription(c, "Writes every instance Orthanc stores and deletes to a dcmfeed "
                                   "change feed log");
    plugin.backlog_tail = &plugin.backlog;
    plugin.archive = (df_archive){.name = "orthanc", .holds = archive_holds, .log = writer_log};
    plugin.dicom = df_dicomjson_new();
    if (plugin.dicom == NULL || configure() != 0 || open_feed() != 0) {
        release();
        return -1;
    }
    OrthancPluginRegisterOnStoredInstanceCallback(c, on_stored);
    OrthancPluginRegisterOnChangeCallback(c, on_change);
    if (OrthancPluginRegisterIncomingDicomInstanceFilter(c, spool_filter) !=
        OrthancPluginErrorCode_Success) {
        say(DF_ARCHIVE_LOG_ERROR, "cannot register the filter of incoming instances");
        release();
        return -1;
    }
    return 0;
}

ORTHANC_PLUGINS_API void OrthancPluginFinalize(void)
{
    set_ready(false);
    release();
}

ORTHANC_PLUGINS_API const char *OrthancPluginGetName(void)
{
    return PLUGIN_NAME;
}

ORTHANC_PLUGINS_API const char *OrthancPluginGetVersion(void)
{
    return PACKAGE_VERSION;
}
