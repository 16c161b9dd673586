/* Power loss for SQLite, the way SQLite's own crash tests simulate it: a
 * shared object preloaded into a program (LD_PRELOAD) that registers itself
 * as SQLite's default VFS, wrapping "unix". Every write and truncation not
 * yet made durable by an xSync of its file is kept in an undo log per file
 * (the bytes it overwrote or cut, and the bytes it wrote). At a chosen event
 * the power goes: the undo log turns each file back into what its last sync
 * left on the disk, then _exit(POWERLOSS_EXIT), before anything else runs.
 *
 * Environment (read once, at load):
 *   DCMFEED_POWERLOSS_AT=N       the power goes at the Nth event (a write, a
 *                                truncation or a sync, counted from 1); 0 or
 *                                unset: never, the events are only counted
 *   DCMFEED_POWERLOSS_SYNC=1     N counts the syncs only (they are few among
 *                                the writes, and the moment that matters most)
 *   DCMFEED_POWERLOSS_MODE=all   every unsynced change is lost (the default)
 *                     =subset    each unsynced change is lost or kept at
 *                                random, and a kept write of several sectors
 *                                may be torn (each 512-byte sector of it new
 *                                or old): a disk's cache writes in any order
 *                                between two syncs
 *   DCMFEED_POWERLOSS_SEED=S     the seed of those choices
 *   DCMFEED_POWERLOSS_SHM=garbage the -shm files are overwritten with random
 *                                bytes as well (the wal-index is shared memory
 *                                that no sync covers; SQLite must rebuild it)
 *   DCMFEED_POWERLOSS_CHECKPOINT=P a connection opened with sqlite3_open_v2
 *                                gets wal_autocheckpoint=P (pages), so that
 *                                checkpoints come often
 *   DCMFEED_POWERLOSS_REPORT=FILE one line appended: what the power loss hit,
 *                                or, at a normal exit, how many events there were
 *
 * Modelled as a disk does it: syncing a file makes its own changes durable,
 * no other file's; a file created by this process and never synced loses its
 * directory entry (SQLite syncs the folder on a new WAL's first sync).
 * Not modelled: deletions (a log in WAL mode with SQLITE_FCNTL_PERSIST_WAL
 * deletes no file) and the main database file's own creation (the tests start
 * from a log that exists). One connection's thread uses the VFS at a time
 * (dcmfeed-ingest writes from one thread), so the state has no lock. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

/* Not an exit status of the programs under test: the test tells a power
 * loss from an ordinary failure by it. */
#define POWERLOSS_EXIT 86
#define SECTOR         512

typedef enum { OP_WRITE, OP_TRUNCATE } op_kind;

/* One unsynced change. A write replaced before[0..before_len) at off (the
 * rest of it extended the file from old_size); a truncation cut the file
 * from old_size to off, before holding what was cut. */
typedef struct op {
    op_kind kind;
    sqlite3_int64 off;
    sqlite3_int64 old_size;
    unsigned char *before;
    size_t before_len;
    unsigned char *after; /* a write's bytes */
    size_t after_len;
} op;

/* A file by its path: it outlives the handles that open it, since a closed
 * file's unsynced changes are lost all the same. */
typedef struct tracked {
    char *path;
    const char *type; /* "db", "wal", "journal", "other" */
    bool created;     /* by this process, and not synced since */
    op *ops;
    size_t n_ops, cap_ops;
    struct tracked *next;
} tracked;

typedef struct {
    sqlite3_file base;
    tracked *t;         /* NULL for a file without a name */
    sqlite3_file *real; /* the unix VFS's file, right behind this struct */
} pl_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs pl_vfs;
static tracked *files;
static long long events, syncs, crash_at;
static bool count_syncs;
static bool subset_mode, garbage_shm;
static uint64_t rng = 0x9E3779B97F4A7C15u;
static const char *report_path;
static bool crashed;
static int checkpoint_pages;

static uint64_t next_random(void)
{
    /* xorshift64: reproducible from the seed, good enough to pick subsets. */
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static bool coin(unsigned one_in)
{
    return next_random() % one_in == 0;
}

static void fail(const char *what)
{
    /* The test must not mistake a broken simulation for a sound log. */
    fprintf(stderr, "powerloss_vfs: %s: %s\n", what, strerror(errno));
    _exit(125);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        fail("out of memory");
    return p;
}

static const char *type_of(int flags)
{
    if (flags & SQLITE_OPEN_MAIN_DB)
        return "db";
    if (flags & SQLITE_OPEN_WAL)
        return "wal";
    if (flags & SQLITE_OPEN_MAIN_JOURNAL)
        return "journal";
    return "other";
}

static tracked *track(const char *path, int flags, bool created)
{
    for (tracked *t = files; t != NULL; t = t->next)
        if (strcmp(t->path, path) == 0) {
            t->created = t->created || created;
            return t;
        }
    tracked *t = xmalloc(sizeof *t);
    *t = (tracked){.type = type_of(flags), .created = created, .next = files};
    t->path = xmalloc(strlen(path) + 1);
    memcpy(t->path, path, strlen(path) + 1);
    files = t;
    return t;
}

static void forget_ops(tracked *t)
{
    for (size_t i = 0; i < t->n_ops; i++) {
        free(t->ops[i].before);
        free(t->ops[i].after);
    }
    t->n_ops = 0;
}

static op *new_op(tracked *t)
{
    if (t->n_ops == t->cap_ops) {
        size_t cap = t->cap_ops ? t->cap_ops * 2 : 16;
        op *ops = realloc(t->ops, cap * sizeof *ops);
        if (ops == NULL)
            fail("out of memory");
        t->ops = ops;
        t->cap_ops = cap;
    }
    op *o = &t->ops[t->n_ops++];
    *o = (op){0};
    return o;
}

static void pwrite_all(int fd, const unsigned char *p, size_t n, sqlite3_int64 off)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            fail("cannot write back");
        p += w;
        n -= (size_t)w;
        off += w;
    }
}

/* Puts a file back to what its last sync left, then, in subset mode, lets
 * some of the lost changes through after all (in their order, writes
 * possibly torn). Returns the number of changes lost for good. */
static size_t lose_unsynced(tracked *t)
{
    if (t->created && (!subset_mode || coin(2))) {
        if (unlink(t->path) != 0 && errno != ENOENT)
            fail("cannot remove a file never synced");
        return t->n_ops;
    }
    if (t->n_ops == 0)
        return 0;
    int fd = open(t->path, O_RDWR);
    if (fd < 0)
        fail("cannot reopen a file to undo its writes");
    for (size_t i = t->n_ops; i-- > 0;) {
        const op *o = &t->ops[i];
        pwrite_all(fd, o->before, o->before_len, o->off);
        if (ftruncate(fd, (off_t)o->old_size) != 0)
            fail("cannot restore a file's size");
    }
    size_t lost = t->n_ops;
    if (subset_mode) {
        for (size_t i = 0; i < t->n_ops; i++) {
            const op *o = &t->ops[i];
            if (coin(2))
                continue;
            lost--;
            if (o->kind == OP_TRUNCATE) {
                if (ftruncate(fd, (off_t)o->off) != 0)
                    fail("cannot redo a truncation");
                continue;
            }
            bool torn = o->after_len > SECTOR && coin(4);
            sqlite3_int64 end = o->off + (sqlite3_int64)o->after_len;
            for (sqlite3_int64 s = o->off; s < end;) {
                sqlite3_int64 next = (s / SECTOR + 1) * SECTOR;
                if (next > end)
                    next = end;
                if (!torn || coin(2))
                    pwrite_all(fd, o->after + (s - o->off), (size_t)(next - s), s);
                s = next;
            }
        }
    }
    close(fd);
    return lost;
}

static void scramble_shm(const tracked *db)
{
    size_t len = strlen(db->path);
    char *shm = xmalloc(len + sizeof "-shm");
    memcpy(shm, db->path, len);
    memcpy(shm + len, "-shm", sizeof "-shm");
    int fd = open(shm, O_RDWR);
    free(shm);
    if (fd < 0)
        return;
    off_t size = lseek(fd, 0, SEEK_END);
    unsigned char block[SECTOR];
    for (off_t off = 0; off < size; off += SECTOR) {
        for (size_t i = 0; i < sizeof block; i++)
            block[i] = (unsigned char)next_random();
        size_t n = size - off < SECTOR ? (size_t)(size - off) : SECTOR;
        pwrite_all(fd, block, n, off);
    }
    close(fd);
}

static void power_loss(const char *event, const tracked *at)
{
    crashed = true;
    size_t pending = 0, lost = 0;
    for (tracked *t = files; t != NULL; t = t->next) {
        pending += t->n_ops;
        lost += lose_unsynced(t);
    }
    if (garbage_shm)
        for (tracked *t = files; t != NULL; t = t->next)
            if (strcmp(t->type, "db") == 0)
                scramble_shm(t);
    if (report_path != NULL) {
        FILE *f = fopen(report_path, "a");
        if (f != NULL) {
            fprintf(f, "powerloss at event %lld: %s %s; %s: %zu of %zu unsynced changes lost%s\n",
                    events, event, at->type, subset_mode ? "subset" : "all", lost, pending,
                    garbage_shm ? "; -shm garbage" : "");
            fclose(f);
        }
    }
    _exit(POWERLOSS_EXIT);
}

/* Counts an event; true when the power goes now. */
static bool tick(bool sync)
{
    events++;
    syncs += sync;
    return (count_syncs ? sync && syncs == crash_at : events == crash_at);
}

/* ---- the file methods: the unix VFS's, with the undo log kept ----------- */

static int pl_close(sqlite3_file *file)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xClose(f->real);
}

static int pl_read(sqlite3_file *file, void *buf, int n, sqlite3_int64 off)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xRead(f->real, buf, n, off);
}

static int pl_write(sqlite3_file *file, const void *buf, int n, sqlite3_int64 off)
{
    pl_file *f = (pl_file *)file;
    if (f->t == NULL)
        return f->real->pMethods->xWrite(f->real, buf, n, off);
    bool now = tick(false);
    sqlite3_int64 size = 0;
    int rc = f->real->pMethods->xFileSize(f->real, &size);
    if (rc != SQLITE_OK)
        return rc;
    op *o = new_op(f->t);
    o->kind = OP_WRITE;
    o->off = off;
    o->old_size = size;
    o->before_len = off >= size ? 0 : (size_t)(size - off < n ? size - off : n);
    o->before = xmalloc(o->before_len);
    if (o->before_len > 0) {
        rc = f->real->pMethods->xRead(f->real, o->before, (int)o->before_len, off);
        if (rc != SQLITE_OK)
            return rc;
    }
    o->after_len = (size_t)n;
    o->after = xmalloc(o->after_len);
    memcpy(o->after, buf, o->after_len);
    rc = f->real->pMethods->xWrite(f->real, buf, n, off);
    if (now)
        power_loss("write", f->t);
    return rc;
}

static int pl_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    pl_file *f = (pl_file *)file;
    if (f->t == NULL)
        return f->real->pMethods->xTruncate(f->real, size);
    bool now = tick(false);
    sqlite3_int64 old = 0;
    int rc = f->real->pMethods->xFileSize(f->real, &old);
    if (rc != SQLITE_OK)
        return rc;
    op *o = new_op(f->t);
    o->kind = OP_TRUNCATE;
    o->off = size < old ? size : old;
    o->old_size = old;
    o->before_len = (size_t)(old - o->off);
    o->before = xmalloc(o->before_len);
    if (o->before_len > 0) {
        rc = f->real->pMethods->xRead(f->real, o->before, (int)o->before_len, o->off);
        if (rc != SQLITE_OK)
            return rc;
    }
    rc = f->real->pMethods->xTruncate(f->real, size);
    if (now)
        power_loss("truncate", f->t);
    return rc;
}

static int pl_sync(sqlite3_file *file, int flags)
{
    pl_file *f = (pl_file *)file;
    if (f->t != NULL && tick(true))
        power_loss("sync", f->t); /* before the sync: it did not happen */
    int rc = f->real->pMethods->xSync(f->real, flags);
    if (rc == SQLITE_OK && f->t != NULL) {
        forget_ops(f->t);
        f->t->created = false;
    }
    return rc;
}

static int pl_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xFileSize(f->real, size);
}

static int pl_lock(sqlite3_file *file, int level)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xLock(f->real, level);
}

static int pl_unlock(sqlite3_file *file, int level)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xUnlock(f->real, level);
}

static int pl_check_reserved_lock(sqlite3_file *file, int *out)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int pl_file_control(sqlite3_file *file, int op_code, void *arg)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xFileControl(f->real, op_code, arg);
}

static int pl_sector_size(sqlite3_file *file)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int pl_device_characteristics(sqlite3_file *file)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int pl_shm_map(sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xShmMap(f->real, page, size, extend, out);
}

static int pl_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void pl_shm_barrier(sqlite3_file *file)
{
    pl_file *f = (pl_file *)file;
    f->real->pMethods->xShmBarrier(f->real);
}

static int pl_shm_unmap(sqlite3_file *file, int delete_flag)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

static int pl_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **out)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xFetch(f->real, off, n, out);
}

static int pl_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    pl_file *f = (pl_file *)file;
    return f->real->pMethods->xUnfetch(f->real, off, p);
}

static const sqlite3_io_methods pl_io = {
    3,
    pl_close,
    pl_read,
    pl_write,
    pl_truncate,
    pl_sync,
    pl_file_size,
    pl_lock,
    pl_unlock,
    pl_check_reserved_lock,
    pl_file_control,
    pl_sector_size,
    pl_device_characteristics,
    pl_shm_map,
    pl_shm_lock,
    pl_shm_barrier,
    pl_shm_unmap,
    pl_fetch,
    pl_unfetch,
};

static int pl_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                   int *out_flags)
{
    (void)vfs;
    pl_file *f = (pl_file *)file;
    f->real = (sqlite3_file *)(f + 1);
    bool created = name != NULL && (flags & SQLITE_OPEN_CREATE) && access(name, F_OK) != 0;
    int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        file->pMethods = NULL;
        return rc;
    }
    if (f->real->pMethods->iVersion < 3) {
        f->real->pMethods->xClose(f->real);
        file->pMethods = NULL;
        return SQLITE_CANTOPEN;
    }
    f->t = name != NULL ? track(name, flags, created) : NULL;
    file->pMethods = &pl_io;
    return SQLITE_OK;
}

/* dcmfeed's programs open their logs here: this one, found first, hands the
 * connection its checkpoint interval (an auto-extension cannot: SQLite sets
 * the default interval after it runs them). */
int sqlite3_open_v2(const char *name, sqlite3 **db, int flags, const char *vfs)
{
    static int (*real_open)(const char *, sqlite3 **, int, const char *);
    if (real_open == NULL) {
        *(void **)&real_open = dlsym(RTLD_NEXT, "sqlite3_open_v2");
        if (real_open == NULL) {
            fprintf(stderr, "powerloss_vfs: no sqlite3_open_v2 to wrap\n");
            _exit(125);
        }
    }
    int rc = real_open(name, db, flags, vfs);
    if (rc == SQLITE_OK && checkpoint_pages > 0)
        sqlite3_wal_autocheckpoint(*db, checkpoint_pages);
    return rc;
}

static long long env_number(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return 0;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno != 0 || *end != '\0' || n < 0 || v[0] < '0' || v[0] > '9') {
        fprintf(stderr, "powerloss_vfs: %s must be a number, not '%s'\n", name, v);
        _exit(125);
    }
    return n;
}

__attribute__((constructor)) static void powerloss_init(void)
{
    crash_at = env_number("DCMFEED_POWERLOSS_AT");
    count_syncs = env_number("DCMFEED_POWERLOSS_SYNC") != 0;
    long long seed = env_number("DCMFEED_POWERLOSS_SEED");
    rng ^= (uint64_t)seed * 0xD1B54A32D192ED03u + (uint64_t)crash_at;
    if (rng == 0)
        rng = 1;
    const char *mode = getenv("DCMFEED_POWERLOSS_MODE");
    subset_mode = mode != NULL && strcmp(mode, "subset") == 0;
    const char *shm = getenv("DCMFEED_POWERLOSS_SHM");
    garbage_shm = shm != NULL && strcmp(shm, "garbage") == 0;
    report_path = getenv("DCMFEED_POWERLOSS_REPORT");

    real_vfs = sqlite3_vfs_find("unix");
    if (real_vfs == NULL) {
        fprintf(stderr, "powerloss_vfs: SQLite has no unix VFS\n");
        _exit(125);
    }
    pl_vfs = *real_vfs;
    pl_vfs.zName = "powerloss";
    pl_vfs.szOsFile = (int)sizeof(pl_file) + real_vfs->szOsFile;
    pl_vfs.xOpen = pl_open;
    pl_vfs.pNext = NULL;
    if (sqlite3_vfs_register(&pl_vfs, 1) != SQLITE_OK) {
        fprintf(stderr, "powerloss_vfs: cannot register the VFS\n");
        _exit(125);
    }
    long long pages = env_number("DCMFEED_POWERLOSS_CHECKPOINT");
    checkpoint_pages = pages > 1000000 ? 1000000 : (int)pages;
}

__attribute__((destructor)) static void powerloss_report(void)
{
    if (crashed || report_path == NULL)
        return;
    FILE *f = fopen(report_path, "a");
    if (f != NULL) {
        fprintf(f, "no power loss: %lld events, %lld syncs\n", events, syncs);
        fclose(f);
    }
}
