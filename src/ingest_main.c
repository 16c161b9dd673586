/* dcmfeed-ingest: appends create, update and delete entries to the log. `add`
 * reads DICOM JSON and Part 10 files (named, found in folders, or listed on
 * stdin) in batches, one transaction each: every file of a batch is read and
 * checked before the log is even opened, so a bad file never takes the write
 * lock and never leaves half a batch in the feed. `update` reads files the
 * same way and gives instances the log holds their new metadata. `delete` is
 * one transaction. `import` copies another log's entries, Sequences and
 * Timestamps kept, in batches. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dicomjson.h"
#include "error.h"
#include "ingest_json.h"
#include "ingest_reconcile.h"
#include "ingest_walk.h"
#include "log_admin.h"
#include "log_copy.h"
#include "num.h"
#include "progress.h"
#include "store.h"
#include "uid.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define PROG          "dcmfeed-ingest"
#define COMMAND_NAMES "add, update, delete, import, reconcile, init, backup, restore or status"

/* The exit codes, as --help documents them. */
enum {
    EXIT_DONE = 0,
    EXIT_INPUT = 1, /* a file unreadable or invalid, an invalid UID */
    EXIT_USAGE = 2,
    EXIT_LOG = 3,     /* the log cannot be opened or written */
    EXIT_NOMATCH = 4, /* delete or update matched no instance */
};

/* Datasets per transaction: large enough that the commit's fsync is paid
 * rarely, small enough that a batch's metadata stays a few MiB. */
#define BATCH_DEFAULT 500
#define BATCH_LIMIT   100000
/* Entries per transaction of an import: an entry is one small row and its
 * instance, so batches can be larger than add's. */
#define IMPORT_BATCH_DEFAULT 1000
/* A batch is also written early when its metadata passes this, so that memory
 * stays flat whatever the files hold. */
#define BATCH_BYTES ((size_t)64 * 1024 * 1024)

static const char usage_text[] =
    "Usage: " PROG " [--db PATH] [-q] [--batch N] [--strict] [-n] add FILE|FOLDER|-...\n"
    "       " PROG " [--db PATH] [-q] [--batch N] [--strict] [-n] update FILE|FOLDER|-...\n"
    "       " PROG " [--db PATH] [-q] delete STUDY [SERIES [SOP]]\n"
    "       " PROG " [--db PATH] [-q] [--batch N] import SOURCE\n"
    "       " PROG " " DF_INGEST_RECONCILE_USAGE "\n"
    "       " PROG " [--db PATH] [-q] init [--owner USER]\n"
    "       " PROG " [--db PATH] [-q] backup DEST | restore BACKUP\n"
    "       " PROG " [--db PATH] status [--max-age WARN[,CRIT]]\n"
    "       " PROG " --help | --version\n";

static const char help_text[] =
    "\n"
    "Appends changes to a dcmfeed log, the SQLite database (or PostgreSQL\n"
    "database) the change feed is served from.\n"
    "\n"
    "Commands:\n"
    "  add FILE|FOLDER|-...\n"
    "                   append one create entry per dataset found in DICOM Part 10\n"
    "                   files and DICOM JSON files (PS3.18 F.2: a dataset object, or\n"
    "                   an array of them as WADO-RS metadata returns). What a file\n"
    "                   holds is sniffed, whatever its name: JSON when its first\n"
    "                   byte that is not blank is '{' or '[', Part 10 otherwise.\n"
    "                   A FOLDER is walked recursively in byte order of names;\n"
    "                   there, names starting with '.', DICOMDIR, symbolic links to\n"
    "                   folders and anything but regular files are skipped.\n"
    "                   '-' reads paths from stdin, one per line, as in\n"
    "                     find DIR -name '*.dcm' | " PROG " add -\n"
    "                   (folders named there are skipped, not walked).\n"
    "                   Files go in batches of N datasets (--batch), one\n"
    "                   transaction each; every file of a batch is read and\n"
    "                   checked before the batch takes the log's write lock.\n"
    "                   A bad file is named with the reason on stderr and\n"
    "                   skipped (exit status 1 at the end); with --strict the\n"
    "                   first bad file stops the call and nothing of its batch\n"
    "                   is written. Prints a line per entry on stdout, once its\n"
    "                   batch is in the log:\n"
    "                     create SEQUENCE SOP_INSTANCE_UID (new|replaced)\n"
    "                   and a summary on stderr: datasets added, new and replaced,\n"
    "                   files rejected. On a terminal, a progress line on stderr\n"
    "                   shows files, files/s and the time left. Files named after\n"
    "                   a '--' may start with '-'.\n"
    "  update FILE|FOLDER|-...\n"
    "                   append one update entry per dataset, read as add reads\n"
    "                   them: the instance's metadata changed without a new file\n"
    "                   (a corrected patient name). The instance must be in the\n"
    "                   log and not deleted; one that is not is named on stderr\n"
    "                   with its file, nothing is written for it, the others\n"
    "                   are (exit status 4 at the end); with --strict it stops\n"
    "                   the call as a bad file does. Prints per entry:\n"
    "                     update SEQUENCE SOP_INSTANCE_UID\n"
    "  delete STUDY [SERIES [SOP]]\n"
    "                   append one delete entry per instance that exists in the\n"
    "                   study, in the series, or the one instance, in one\n"
    "                   transaction. Prints on stdout:\n"
    "                     delete COUNT study|series|instance UID\n"
    "  import SOURCE    copy the entries of the log SOURCE (a SQLite path or a\n"
    "                   PostgreSQL address, opened read-only) into the log,\n"
    "                   keeping their Sequence and Timestamp, so that both serve\n"
    "                   the same pages; an empty log also takes SOURCE's\n"
    "                   identity, so that clients' ETags stay valid. Batches of\n"
    "                   N entries (--batch), one transaction each: a call that\n"
    "                   stops leaves the first entries, and the same call again\n"
    "                   continues after the log's newest Sequence. A log that\n"
    "                   holds another log's entries, or more than SOURCE, is\n"
    "                   refused with nothing written. Prints on stdout:\n"
    "                     import COUNT entries (Sequence FIRST to LAST)\n"
    "  reconcile [OPTION]... URL\n"
    "                   make the log tell what the DICOMweb archive at URL holds:\n"
    "                   a create for each instance the archive has and the log\n"
    "                   lacks or shows deleted, an update for each whose metadata\n"
    "                   differs, a delete for each the archive no longer has\n"
    "                   (within the scope: --study UID, --since DATE). Takes\n"
    "                   dcmfeed-pull's HTTP options after the command; prints\n"
    "                   'create|update|delete SEQUENCE SOP_INSTANCE_UID' per\n"
    "                   entry. '" PROG " reconcile --help' tells more.\n"
    "  init [--owner USER]\n"
    "                   make the log (mode 0640, its folder's group); the only\n"
    "                   command that makes one. On a log that is there: check\n"
    "                   and repair it (schema, -wal, -shm, owner, modes). As\n"
    "                   root it needs --owner USER, the user that writes the log\n"
    "  backup DEST      a consistent copy of the log as it is now, writers going\n"
    "                   on, into the new file DEST (0640, one file, checked)\n"
    "  restore BACKUP   put a backup back into the live log, under running\n"
    "                   responders, in one transaction, with a new identity;\n"
    "                   never move a file over a live log\n"
    "  status [--max-age WARN[,CRIT]]\n"
    "                   entries, newest Sequence and Timestamp, size, a quick\n"
    "                   integrity check; with --max-age a Nagios/Icinga check:\n"
    "                   one line, exit 0 OK, 1 WARNING (newest entry older than\n"
    "                   WARN seconds, or none), 2 CRITICAL (older than CRIT, the\n"
    "                   log missing, unreadable or corrupt)\n"
    "\n"
    "Options (before the command):\n"
    "  --db PATH        the log (only init makes one)\n"
    "  -q, --quiet      print nothing but errors\n"
    "  --batch N        add, update: datasets per transaction, 1 to 100000\n"
    "                   (default 500);\n"
    "                   a file's datasets are never split between two batches.\n"
    "                   import: entries per transaction (default 1000)\n"
    "  --strict         add, update: stop at the first bad file (update: or\n"
    "                   instance not in the log); the batch it belongs to is not\n"
    "                   written (earlier batches are). With fewer datasets than\n"
    "                   N, the whole call is written or nothing is.\n"
    "  -n, --dry-run    add, update: read and check every file and print the\n"
    "                   entries it would append (create - SOP_INSTANCE_UID\n"
    "                   (dry-run)); the log is not opened, so update cannot tell\n"
    "                   an instance the log does not hold. reconcile: compare,\n"
    "                   print, write nothing\n"
    "  -h, --help       print this help and exit\n"
    "  -V, --version    print the version and exit\n"
    "\n"
    "Environment:\n"
    "  DCMFEED_DB       the log, when --db is not given\n"
    "\n"
    "Exit status:\n"
    "  0  done\n"
    "  1  invalid input: a file unreadable, not DICOM, without valid UIDs, an\n"
    "     invalid UID; add and update skipped it and wrote the other files\n"
    "     (with --strict, stopped there), delete wrote nothing; import: the log\n"
    "     holds another log or more entries than SOURCE (nothing written), or an\n"
    "     entry of SOURCE breaks the log's rules (earlier batches were written)\n"
    "  2  usage error; nothing written\n"
    "  3  the log (or import's SOURCE) cannot be opened, read or written (busy,\n"
    "     permissions, schema); the batch in progress was not written, earlier\n"
    "     batches were\n"
    "  4  delete matched no instance, nothing written; update named an instance\n"
    "     the log does not hold or holds deleted: nothing written for it, the\n"
    "     other datasets were (with --strict, stopped there); when a file was\n"
    "     also rejected, the status is 1\n"
    "  5  reconcile: the archive stayed unreachable or failing (network, TLS,\n"
    "     timeouts, 5xx) past --max-retries; what was decided before is written\n"
    "  6  reconcile: the archive refused (401/403: credentials; 404: not a\n"
    "     DICOMweb URL) or answered what DICOMweb does not; likewise\n"
    "  (reconcile exits 1 when some instances of the archive could not be read:\n"
    "  they are named and left as the log has them)\n"
    "\n"
    "Messages name the file and the reason; they never show metadata values.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    fputs(PROG ": ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n"
          "Try '" PROG " --help' for more information.\n",
          stderr);
    return EXIT_USAGE;
}

/* Arguments after the command are files or UIDs, never options: a '-'
 * there is an option in the wrong place (a file named "-x" is "./-x"). */
static bool looks_like_option(const char *arg)
{
    return arg[0] == '-' && arg[1] != '\0';
}

/* Store failures: bad input the store refused is the caller's fault (1);
 * anything else is the log's (3). */
static int store_exit(int rc)
{
    return rc == DF_EINVAL ? EXIT_INPUT : EXIT_LOG;
}

/* The log's address for a message: a PostgreSQL address may hold a
 * password, and stderr often ends up in a PACS's log files. */
typedef struct shown_address {
    char text[512];
} shown_address;

static const char *shown(const char *db, shown_address *buf)
{
    return df_store_address_for_log(db, buf->text, sizeof buf->text);
}

/* "dcmfeed-ingest: ADDRESS: MESSAGE; WHAT WAS LOST", the address shown
 * safely; the store's messages about a SQLite log name its path themselves
 * ("no log at PATH; ..."), so the address is not said twice. */
static void log_failure(const char *db, const char *message, const char *lost)
{
    shown_address a;
    if (df_store_is_file(db))
        fprintf(stderr, PROG ": %s%s%s\n", message, lost[0] ? "; " : "", lost);
    else
        fprintf(stderr, PROG ": %s: %s%s%s\n", shown(db, &a), message, lost[0] ? "; " : "", lost);
}

static int open_log(const char *db, df_store **store)
{
    df_error err = {0};
    int rc = df_store_open(db, DF_STORE_READWRITE, store, &err);
    if (rc != 0) {
        log_failure(db, err.message, "nothing written");
        return store_exit(rc);
    }
    rc = df_store_begin(*store, &err);
    if (rc != 0) {
        log_failure(db, err.message, "nothing written");
        df_store_close(*store);
        *store = NULL;
        return store_exit(rc);
    }
    return EXIT_DONE;
}

/* ---- add: the progress line ------------------------------------------- */

/* Files done of the total, on a progress line (progress.h). */
typedef struct progress {
    df_progress line;
    long long total; /* files the walk will yield, -1 when unknown (stdin) */
    size_t done;
} progress;

static void progress_tick(progress *p)
{
    p->done++;
    if (!df_progress_due(&p->line))
        return;
    double rate = df_progress_rate(&p->line, (double)p->done);
    long long left;
    if (p->total < 0)
        df_progress_draw(&p->line, "%zu files, %.0f files/s", p->done, rate);
    else if (df_progress_eta(rate, (long long)p->done, p->total, &left))
        df_progress_draw(&p->line, "%zu/%lld files, %.0f files/s, ETA %lld:%02lld", p->done,
                         p->total, rate, left / 60, left % 60);
    else
        df_progress_draw(&p->line, "%zu/%lld files, %.0f files/s", p->done, p->total, rate);
}

/* Counts what the walk will yield, for the ETA; -1 when paths come from
 * stdin. Walks the folders once more, reading only their names. */
static long long count_files(char **paths, size_t npaths)
{
    for (size_t i = 0; i < npaths; i++)
        if (strcmp(paths[i], "-") == 0)
            return -1;
    df_walk *w = NULL;
    if (df_walk_open(paths, npaths, NULL, &w, NULL) != 0)
        return -1;
    long long n = 0;
    const char *path;
    int rc;
    while ((rc = df_walk_next(w, &path, NULL)) != 0) {
        if (rc == DF_ENOMEM) {
            n = -1;
            break;
        }
        n += rc == 1;
    }
    df_walk_free(w);
    return n;
}

/* ---- add and update: the batch ------------------------------------------ */

/* One dataset waiting for its batch's transaction. Its metadata and its
 * file's path are copied into the batch's byte buffer, since what the readers
 * hand out is borrowed until their next file. */
typedef struct pending {
    char study_uid[DF_UID_MAX + 1];
    char series_uid[DF_UID_MAX + 1];
    char sop_uid[DF_UID_MAX + 1];
    size_t meta_off, meta_len; /* in bytes */
    size_t path_off;           /* NUL-terminated, in bytes */
    size_t index;              /* the dataset's place in its file, from 1 */
    int64_t sequence;
    bool replaced;
    bool missing; /* update: the log holds no such instance; nothing written for it */
} pending;

typedef struct batch {
    pending *items;
    size_t count, cap;
    char *bytes;
    size_t used, bytes_cap;
    size_t files;
} batch;

static void batch_free(batch *b)
{
    free(b->items);
    free(b->bytes);
    memset(b, 0, sizeof *b);
}

static void batch_reset(batch *b)
{
    b->count = 0;
    b->used = 0;
    b->files = 0;
}

/* Appends data[0..len) to the batch's bytes; *off receives where. */
static int batch_copy(batch *b, const char *data, size_t len, size_t *off)
{
    if (len > b->bytes_cap - b->used) {
        size_t cap = b->bytes_cap ? b->bytes_cap : 64 * 1024;
        while (cap - b->used < len)
            cap *= 2;
        char *p = realloc(b->bytes, cap);
        if (p == NULL)
            return DF_ENOMEM;
        b->bytes = p;
        b->bytes_cap = cap;
    }
    memcpy(b->bytes + b->used, data, len);
    *off = b->used;
    b->used += len;
    return 0;
}

static int batch_add(batch *b, const char *study, const char *series, const char *sop,
                     const char *metadata, size_t metadata_len, size_t path_off, size_t index)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        pending *p = realloc(b->items, cap * sizeof *p);
        if (p == NULL)
            return DF_ENOMEM;
        b->items = p;
        b->cap = cap;
    }
    pending *it = &b->items[b->count];
    memset(it, 0, sizeof *it);
    /* The readers checked the UIDs: each fits. */
    snprintf(it->study_uid, sizeof it->study_uid, "%s", study);
    snprintf(it->series_uid, sizeof it->series_uid, "%s", series);
    snprintf(it->sop_uid, sizeof it->sop_uid, "%s", sop);
    it->path_off = path_off;
    it->index = index;
    it->meta_len = metadata_len;
    int rc = batch_copy(b, metadata, metadata_len, &it->meta_off);
    if (rc != 0)
        return rc;
    b->count++;
    return 0;
}

/* ---- add and update: the run -------------------------------------------- */

typedef struct run {
    const char *db;
    df_action action; /* DF_ACTION_CREATE (add) or DF_ACTION_UPDATE (update) */
    bool quiet, strict, dry_run;
    size_t batch_size;
    df_store *store; /* opened when the first batch is written */
    df_input *input;
    df_dicomjson *dicom; /* one converter for every Part 10 file */
    batch b;
    progress prog;
    size_t files, datasets, replaced, rejected;
    size_t lost_files, lost_datasets; /* read, then not written: the log failed */
    size_t missing;                   /* update: datasets of instances the log does not hold */
    bool written;                     /* some batch is in the log */
    bool stopped; /* --strict stopped the call at an instance the log does not hold */
} run;

/* Appends one dataset of the batch as the command says: a create, or an
 * update of an instance the log holds (DF_ENOTFOUND, nothing written and the
 * batch usable, when it does not). */
static int append_item(run *r, pending *it, df_error *err)
{
    const char *metadata = r->b.bytes + it->meta_off;
    if (r->action == DF_ACTION_UPDATE) {
        it->replaced = true;
        return df_store_update(r->store, it->study_uid, it->series_uid, it->sop_uid, metadata,
                               it->meta_len, &it->sequence, err);
    }
    return df_store_add(r->store, it->study_uid, it->series_uid, it->sop_uid, metadata,
                        it->meta_len, &it->sequence, &it->replaced, err);
}

static void print_item(const run *r, const pending *it)
{
    const char *verb = r->action == DF_ACTION_UPDATE ? "update" : "create";
    if (r->dry_run)
        printf("%s - %s (dry-run)\n", verb, it->sop_uid);
    else if (r->action == DF_ACTION_UPDATE)
        printf("update %" PRId64 " %s\n", it->sequence, it->sop_uid);
    else
        printf("create %" PRId64 " %s (%s)\n", it->sequence, it->sop_uid,
               it->replaced ? "replaced" : "new");
}

/* Writes the batch in one transaction and prints its entries. Returns
 * EXIT_DONE, or the exit status after saying why nothing of it was written. */
static int write_batch(run *r)
{
    batch *b = &r->b;
    if (b->count == 0)
        return EXIT_DONE;
    const char *lost =
        r->written ? "this batch not written (earlier batches were)" : "nothing written";
    df_error err = {0};
    if (!r->dry_run) {
        if (r->store == NULL) {
            df_error oerr = {0};
            int rc = df_store_open(r->db, DF_STORE_READWRITE, &r->store, &oerr);
            if (rc != 0) {
                df_progress_clear(&r->prog.line);
                log_failure(r->db, oerr.message, lost);
                return store_exit(rc);
            }
        }
        int rc = df_store_begin(r->store, &err);
        if (rc != 0) {
            df_progress_clear(&r->prog.line);
            log_failure(r->db, err.message, lost);
            return store_exit(rc);
        }
        for (size_t i = 0; i < b->count; i++) {
            pending *it = &b->items[i];
            df_error_clear(&err);
            rc = append_item(r, it, &err);
            /* An update of an instance the log lacks is that dataset's fault
             * alone: named, skipped, the batch goes on (as a bad file). */
            if (rc == DF_ENOTFOUND && !r->strict) {
                df_progress_clear(&r->prog.line);
                fprintf(stderr, PROG ": %s: dataset %zu: %s; nothing written for it\n",
                        b->bytes + it->path_off, it->index, err.message);
                it->missing = true;
                r->missing++;
                continue;
            }
            if (rc == DF_ENOTFOUND) {
                df_store_rollback(r->store);
                df_progress_clear(&r->prog.line);
                fprintf(stderr, PROG ": %s: dataset %zu: %s\n", b->bytes + it->path_off, it->index,
                        err.message);
                fprintf(stderr,
                        PROG ": --strict: stopped at an instance the log does not hold; %s\n",
                        lost);
                r->missing++;
                r->stopped = true;
                batch_reset(b); /* as --strict does for a bad file: not counted as lost */
                return EXIT_NOMATCH;
            }
            if (rc != 0) {
                df_store_rollback(r->store);
                df_progress_clear(&r->prog.line);
                fprintf(stderr, PROG ": %s: dataset %zu: %s; %s\n", b->bytes + it->path_off,
                        it->index, err.message, lost);
                return store_exit(rc);
            }
        }
        rc = df_store_commit(r->store, &err);
        if (rc != 0) {
            df_store_rollback(r->store);
            df_progress_clear(&r->prog.line);
            log_failure(r->db, err.message, lost);
            return store_exit(rc);
        }
        r->written = true;
    }

    /* Printed only now: a line means an entry that is in the log. */
    if (!r->quiet) {
        df_progress_clear(&r->prog.line);
        for (size_t i = 0; i < b->count; i++)
            if (!b->items[i].missing)
                print_item(r, &b->items[i]);
        fflush(stdout);
    }
    for (size_t i = 0; i < b->count; i++) {
        r->replaced += b->items[i].replaced && !b->items[i].missing;
        r->datasets += !b->items[i].missing;
    }
    r->files += b->files;
    batch_reset(b);
    return EXIT_DONE;
}

/* Makes room for a file of n datasets and bytes of metadata: the batch is
 * written first when the file would take it past its size. */
static int make_room(run *r, size_t n, size_t bytes)
{
    batch *b = &r->b;
    if (b->count > 0 && (b->count + n > r->batch_size || b->used + bytes > BATCH_BYTES))
        return write_batch(r);
    return EXIT_DONE;
}

/* Reads the file at path into the batch. Returns 0; a DF_E… code when the
 * file is bad (err says why); or, with *status set, when writing the batch
 * before it failed. */
static int read_file(run *r, const char *path, int *status, df_error *err)
{
    df_input_kind kind;
    int rc = df_input_open(r->input, path, &kind, err);
    if (rc != 0)
        return rc;
    size_t path_off = 0, json_count = 0;
    if (kind == DF_INPUT_JSON) {
        const char *text;
        size_t len;
        df_ingest_json_file f;
        rc = df_input_text(r->input, DF_INGEST_JSON_MAX_FILE, &text, &len, err);
        if (rc == 0)
            rc = df_ingest_json_parse(path, text, len, &f, err);
        df_input_close(r->input);
        if (rc != 0)
            return rc;
        size_t bytes = strlen(path) + 1;
        for (size_t d = 0; d < f.count; d++)
            bytes += f.datasets[d].metadata_len;
        json_count = f.count;
        *status = make_room(r, f.count, bytes);
        if (*status == EXIT_DONE)
            rc = batch_copy(&r->b, path, strlen(path) + 1, &path_off);
        for (size_t d = 0; rc == 0 && *status == EXIT_DONE && d < f.count; d++) {
            const df_ingest_dataset *ds = &f.datasets[d];
            rc = batch_add(&r->b, ds->study_uid, ds->series_uid, ds->sop_uid, ds->metadata,
                           ds->metadata_len, path_off, d + 1);
        }
        df_ingest_json_free(&f);
    } else {
        df_dicomjson_result res;
        rc = df_dicomjson_convert_io(r->dicom, df_input_io(r->input), path, &res, err);
        df_input_close(r->input);
        if (rc != 0)
            return rc;
        if (res.warning[0] != '\0') {
            df_progress_clear(&r->prog.line);
            fprintf(stderr, PROG ": %s: warning: %s\n", path, res.warning);
        }
        *status = make_room(r, 1, strlen(path) + 1 + res.metadata_len);
        if (*status == EXIT_DONE)
            rc = batch_copy(&r->b, path, strlen(path) + 1, &path_off);
        if (rc == 0 && *status == EXIT_DONE)
            rc = batch_add(&r->b, res.study_uid, res.series_uid, res.sop_uid, res.metadata,
                           res.metadata_len, path_off, 1);
    }
    if (*status != EXIT_DONE) {
        r->lost_files++;
        r->lost_datasets += kind == DF_INPUT_JSON ? json_count : 1;
        return DF_EIO;
    }
    if (rc == DF_ENOMEM)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    r->b.files++;
    return 0;
}

static void print_summary(const run *r)
{
    size_t n = r->datasets, f = r->files;
    bool update = r->action == DF_ACTION_UPDATE;
    if (r->dry_run)
        fprintf(stderr, PROG ": dry run: would %s %zu dataset%s from %zu file%s",
                update ? "update" : "add", n, n == 1 ? "" : "s", f, f == 1 ? "" : "s");
    else if (update)
        fprintf(stderr, PROG ": updated %zu dataset%s from %zu file%s", n, n == 1 ? "" : "s", f,
                f == 1 ? "" : "s");
    else
        fprintf(stderr, PROG ": added %zu dataset%s from %zu file%s (%zu new, %zu replaced)", n,
                n == 1 ? "" : "s", f, f == 1 ? "" : "s", n - r->replaced, r->replaced);
    if (r->missing > 0)
        fprintf(stderr, "; %zu not in the log", r->missing);
    /* What was read and then not written, so that the counts add up to what
     * was given: the batch the log refused, and the file that waited for it. */
    size_t ld = r->lost_datasets + r->b.count, lf = r->lost_files + r->b.files;
    if (ld > 0)
        fprintf(stderr, "; %zu dataset%s from %zu file%s not written", ld, ld == 1 ? "" : "s", lf,
                lf == 1 ? "" : "s");
    if (r->rejected > 0)
        fprintf(stderr, "; %zu file%s rejected", r->rejected, r->rejected == 1 ? "" : "s");
    fputs(r->dry_run ? "; nothing written\n" : "\n", stderr);
}

static int cmd_add(run *r, size_t npaths, char **paths)
{
    int status = EXIT_DONE;
    df_walk *walk = NULL;
    df_error err = {0};
    r->input = df_input_new();
    r->dicom = df_dicomjson_new();
    if (r->input == NULL || r->dicom == NULL || df_walk_open(paths, npaths, stdin, &walk, &err)) {
        fputs(PROG ": out of memory\n", stderr);
        status = EXIT_INPUT;
        goto out;
    }
    bool on = df_progress_wanted(stderr, r->quiet);
    r->prog.total = on ? count_files(paths, npaths) : -1;
    df_progress_start(&r->prog.line, stderr, on, false); /* a call under 250 ms draws nothing */

    for (;;) {
        const char *path;
        df_error_clear(&err);
        int rc = df_walk_next(walk, &path, &err);
        if (rc == 0)
            break;
        int wstatus = EXIT_DONE;
        if (rc == 1)
            rc = read_file(r, path, &wstatus, &err);
        if (wstatus != EXIT_DONE) {
            status = wstatus;
            goto out;
        }
        progress_tick(&r->prog);
        if (rc == 0)
            continue;
        df_progress_clear(&r->prog.line);
        fprintf(stderr, PROG ": %s\n", err.message);
        r->rejected++;
        if (rc == DF_ENOMEM) {
            status = EXIT_INPUT;
            goto out;
        }
        if (r->strict) {
            const char *what = !r->written       ? "nothing written"
                               : r->b.count == 0 ? "earlier batches were written"
                                                 : "this batch not written (earlier batches were)";
            fprintf(stderr, PROG ": --strict: stopped at the first bad file; %s\n", what);
            batch_reset(&r->b);
            goto out;
        }
    }
    status = write_batch(r);

out:
    df_progress_clear(&r->prog.line);
    if (!r->quiet)
        print_summary(r);
    if (status == EXIT_DONE && r->rejected > 0)
        status = EXIT_INPUT;
    if (status == EXIT_DONE && r->missing > 0)
        status = EXIT_NOMATCH;
    df_walk_free(walk);
    df_store_close(r->store);
    df_input_free(r->input);
    df_dicomjson_free(r->dicom);
    batch_free(&r->b);
    return status;
}

/* A whole number from 1 to max, as num.h reads it. */
static bool parse_count(const char *s, size_t max, size_t *out)
{
    int64_t v = 0;
    if (df_parse_i64(s, strlen(s), 1, (int64_t)max, &v) != DF_NUM_OK)
        return false;
    *out = (size_t)v;
    return true;
}

static int cmd_delete(const char *db, bool quiet, int nuids, char **uids)
{
    static const char *const keyword[] = {"StudyInstanceUID", "SeriesInstanceUID",
                                          "SOPInstanceUID"};
    static const char *const level[] = {"study", "series", "instance"};
    for (int i = 0; i < nuids; i++) {
        if (!df_uid_valid(uids[i], strlen(uids[i]))) {
            fprintf(stderr, PROG ": '%s' is not a valid %s; nothing written\n", uids[i],
                    keyword[i]);
            return EXIT_INPUT;
        }
    }
    const char *study = uids[0];
    const char *series = nuids > 1 ? uids[1] : NULL;
    const char *sop = nuids > 2 ? uids[2] : NULL;
    const char *what = uids[nuids - 1];

    df_store *store = NULL;
    int status = open_log(db, &store);
    if (status != EXIT_DONE)
        return status;
    df_error err = {0};
    int64_t count = 0;
    int rc = df_store_delete(store, study, series, sop, &count, &err);
    if (rc == 0 && count == 0) {
        df_store_rollback(store);
        fprintf(stderr, PROG ": no instance of %s %s is in the log; nothing written\n",
                level[nuids - 1], what);
        status = EXIT_NOMATCH;
    } else if (rc == 0 && (rc = df_store_commit(store, &err)) == 0) {
        if (!quiet)
            printf("delete %" PRId64 " %s %s\n", count, level[nuids - 1], what);
    }
    if (rc != 0) {
        df_store_rollback(store);
        log_failure(db, err.message, "nothing written");
        status = store_exit(rc);
    }
    df_store_close(store);
    return status;
}

/* ---- import: copying a log (log_copy.h) -------------------------------- */

static int cmd_import(const char *db, const char *source, size_t batch_size, bool quiet)
{
    df_store *src = NULL, *dest = NULL;
    df_log_copy c;
    df_error err = {0};
    int status = EXIT_DONE;
    /* The source first: a source that cannot be read leaves no new log behind. */
    int rc = df_store_open(source, DF_STORE_READONLY, &src, &err);
    if (rc == 0)
        rc = df_log_copy_init(&c, src, batch_size, &err);
    if (rc != 0) {
        fprintf(stderr, PROG ": SOURCE: %s; nothing written\n", err.message);
        status = EXIT_LOG;
        goto out;
    }
    rc = df_store_open(db, DF_STORE_READWRITE, &dest, &err);
    if (rc != 0) {
        log_failure(db, err.message, "nothing written");
        status = store_exit(rc);
        goto out;
    }
    while ((rc = df_log_copy_step(&c, dest, &err)) > 0)
        ;
    if (rc != 0) {
        /* Running the import again continues, unless the log was refused or
         * an entry was (SOURCE breaks the rules, or another writer wrote the
         * log): then it would stop at the same place. */
        const char *again = rc == DF_EINVAL ? "" : ": run the import again to continue";
        fprintf(stderr, PROG ": %s%s%s; ", c.whose != NULL ? c.whose : "",
                c.whose != NULL ? ": " : "", err.message);
        if (c.copied > c.start)
            fprintf(stderr,
                    "this batch not written (the log holds Sequence 1 to %" PRId64
                    " of SOURCE%s)\n",
                    c.copied, again);
        else
            fputs("nothing written\n", stderr);
        status = rc == DF_EINVAL ? EXIT_INPUT : EXIT_LOG;
        goto out;
    }
    if (!quiet) {
        int64_t n = c.copied - c.start;
        if (n > 0)
            printf("import %" PRId64 " %s (Sequence %" PRId64 " to %" PRId64 ")\n", n,
                   n == 1 ? "entry" : "entries", c.start + 1, c.copied);
        else if (c.src_last == 0)
            puts("import 0 entries (SOURCE is empty)");
        else
            printf("import 0 entries (the log holds all %" PRId64 " of SOURCE already)\n",
                   c.copied);
    }
out:
    df_store_close(dest);
    df_store_close(src);
    return status;
}

/* The commands that look after the log as a whole (log_admin.h): each
 * takes its own arguments, options included, after its name. */
typedef struct admin_command {
    const char *name;
    int (*run)(const char *db, bool quiet, int argc, char **argv);
} admin_command;

static const admin_command admin_commands[] = {
    {"init", df_admin_init},
    {"backup", df_admin_backup},
    {"restore", df_admin_restore},
    {"status", df_admin_status},
};

static const admin_command *find_admin_command(const char *name)
{
    for (size_t i = 0; i < sizeof admin_commands / sizeof admin_commands[0]; i++)
        if (strcmp(admin_commands[i].name, name) == 0)
            return &admin_commands[i];
    return NULL;
}

/* Runs an admin command: the options of add and import do not apply. */
static int run_admin_command(const admin_command *cmd, const char *db, bool quiet, bool add_only,
                             bool batch_given, int nargs, char **args)
{
    if (add_only)
        return usage_error("%s", "--strict and --dry-run go with add");
    if (batch_given)
        return usage_error("%s", "--batch goes with add or import");
    if (db == NULL || db[0] == '\0')
        db = getenv("DCMFEED_DB");
    if (db == NULL || db[0] == '\0')
        return usage_error("%s", "no log given: use --db PATH or set DCMFEED_DB");
    return cmd->run(db, quiet, nargs, args);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},    {"quiet", no_argument, NULL, 'q'},
        {"batch", required_argument, NULL, 'b'}, {"strict", no_argument, NULL, 's'},
        {"dry-run", no_argument, NULL, 'n'},     {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},     {NULL, 0, NULL, 0},
    };
    run r = {.batch_size = BATCH_DEFAULT};
    const char *db = NULL;
    bool quiet = false, add_only = false, batch_given = false;
    int c;
    opterr = 0;
    /* '+': options end at the command; ':' reports a missing argument apart. */
    while ((c = getopt_long(argc, argv, "+:qhVn", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'b':
            if (!parse_count(optarg, BATCH_LIMIT, &r.batch_size))
                return usage_error("--batch must be a whole number from 1 to %d", BATCH_LIMIT);
            batch_given = true;
            break;
        case 's':
            r.strict = true;
            add_only = true;
            break;
        case 'n':
            r.dry_run = true;
            add_only = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(help_text, stdout);
            return EXIT_DONE;
        case 'V':
            puts(PROG " (dcmfeed) " PACKAGE_VERSION);
            return EXIT_DONE;
        case ':':
            return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            if (optopt != 0) {
                char opt[3] = {'-', (char)optopt, '\0'};
                return usage_error("unknown option '%s'", opt);
            }
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }

    if (optind >= argc)
        return usage_error("%s", "no command given (" COMMAND_NAMES ")");
    const char *command = argv[optind];
    /* reconcile takes options of its own after the command. */
    if (strcmp(command, "reconcile") == 0)
        return df_ingest_reconcile(db, quiet, r.dry_run, r.strict, batch_given ? r.batch_size : 0,
                                   argc - optind, argv + optind);
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    const admin_command *admin = find_admin_command(command);
    if (admin != NULL)
        return run_admin_command(admin, db, quiet, add_only, batch_given, nargs, args);
    bool update = strcmp(command, "update") == 0;
    /* add and update read files alike; "files" says either. */
    bool files = strcmp(command, "add") == 0 || update;
    bool import = strcmp(command, "import") == 0;
    if (!files && !import && strcmp(command, "delete") != 0)
        return usage_error("unknown command '%s' (" COMMAND_NAMES ")", command);
    if (!files && add_only)
        return usage_error("%s", "--strict and --dry-run go with add or update");
    if (!files && !import && batch_given)
        return usage_error("%s", "--batch goes with add, update or import");
    if (files && nargs > 0 && strcmp(args[0], "--") == 0) {
        nargs--;
        args++;
    } else {
        for (int i = 0; i < nargs; i++)
            if (looks_like_option(args[i]))
                return usage_error("'%s': options go before the command", args[i]);
    }
    if (files && nargs < 1)
        return usage_error("%s needs at least one FILE, FOLDER or -", command);
    if (import && nargs != 1)
        return usage_error("%s", "import needs one SOURCE");
    if (!files && !import && (nargs < 1 || nargs > 3))
        return usage_error("%s", "delete needs STUDY [SERIES [SOP]]");
    if (files) {
        int stdin_lists = 0;
        for (int i = 0; i < nargs; i++)
            stdin_lists += strcmp(args[i], "-") == 0;
        if (stdin_lists > 1)
            return usage_error("%s", "'-' (paths on stdin) may be given once");
    }

    if (db == NULL || db[0] == '\0')
        db = getenv("DCMFEED_DB");
    /* A dry run never opens the log, so it needs none. */
    if ((db == NULL || db[0] == '\0') && !(files && r.dry_run))
        return usage_error("%s", "no log given: use --db PATH or set DCMFEED_DB");

    if (import)
        return cmd_import(db, args[0], batch_given ? r.batch_size : IMPORT_BATCH_DEFAULT, quiet);
    if (!files)
        return cmd_delete(db, quiet, nargs, args);
    r.db = db;
    r.quiet = quiet;
    r.action = update ? DF_ACTION_UPDATE : DF_ACTION_CREATE;
    return cmd_add(&r, (size_t)nargs, args);
}
