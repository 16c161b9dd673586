/* The spool (spool.h): a header, then records, each a small header and a
 * payload, little-endian, with a CRC-32 (zlib's) over the number and the
 * payload.
 *
 *   header (64 bytes): "DFSPOOL1", 32 hex digits of identity, the last
 *                      number cut away (u64), CRC-32 of the 48 bytes before
 *                      it (u32), zeros
 *   record (24 bytes + payload): "DFRC", payload length (u32), number
 *                      (u64), CRC-32 (u32), zero (u32); the payload: kind
 *                      (u8), flags (u8), zero (u16), then five fields, each
 *                      a length (u32) and its bytes and a NUL: the archive's
 *                      identifier, the three UIDs, the metadata.
 *
 * Records are written with pwrite() at the end the spool keeps (not
 * O_APPEND: Linux's pwrite() would ignore the offset of the header's
 * rewrite), under one mutex. */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define HEADER_SIZE        64
#define HEADER_MAGIC       "DFSPOOL1"
#define RECORD_HEADER_SIZE 24
#define RECORD_MAGIC       "DFRC"
#define ID_LEN             32
/* Bytes read at a time when a record's CRC is checked at open. */
#define SCAN_CHUNK 65536

struct df_spool {
    pthread_mutex_t lock; /* appends, the end, the last number, the file */
    int fd;
    char *path;
    char id[ID_LEN + 1];
    int64_t base;        /* the header's last number cut away */
    int64_t last;        /* the last number given */
    int64_t end;         /* where the next record goes */
    unsigned char *wbuf; /* an append's bytes, under lock */
    size_t wcap;
    unsigned char *rbuf; /* the reader's record */
    size_t rcap;
};

static void put_u16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t crc(uint32_t start, const unsigned char *p, size_t n)
{
    uLong c = start;
    while (n > 0) {
        uInt chunk = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = crc32(c, p, chunk);
        p += chunk;
        n -= chunk;
    }
    return (uint32_t)c;
}

static int io_error(df_error *err, const char *path, const char *what)
{
    char shown[DF_ERROR_PATH_SHOWN];
    return df_error_set(err, DF_EIO, "%s: %s: %s", df_error_path(path, shown), what,
                        strerror(errno));
}

static int read_full(int fd, void *buf, size_t n, int64_t offset)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = pread(fd, p, n, (off_t)offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        p += got;
        n -= (size_t)got;
        offset += got;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t n, int64_t offset)
{
    const unsigned char *p = buf;
    while (n > 0) {
        ssize_t put = pwrite(fd, p, n, (off_t)offset);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0)
            return -1;
        if (put == 0) {
            errno = ENOSPC;
            return -1;
        }
        p += put;
        n -= (size_t)put;
        offset += put;
    }
    return 0;
}

static void make_header(unsigned char h[HEADER_SIZE], const char *id, int64_t base)
{
    memset(h, 0, HEADER_SIZE);
    memcpy(h, HEADER_MAGIC, 8);
    memcpy(h + 8, id, ID_LEN);
    put_u64(h + 40, (uint64_t)base);
    put_u32(h + 48, crc(0, h, 48));
}

/* The folder of path, for an fsync after a rename ("." when it has none). */
static int sync_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *folder = slash == NULL   ? strdup(".")
                   : slash == path ? strdup("/")
                                   : strndup(path, (size_t)(slash - path));
    if (folder == NULL)
        return -1;
    int fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(folder);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes a spool of one header (identity id, last number base) at path
 * through a temporary file renamed over it, so that a crash leaves the old
 * file or the new one, whole; returns the new file open, or -1 (errno). */
static int write_fresh(const char *path, const char *id, int64_t base)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (tmp == NULL)
        return -1;
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    unsigned char h[HEADER_SIZE];
    make_header(h, id, base);
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd >= 0 && (write_full(fd, h, sizeof h, 0) != 0 || fsync(fd) != 0 ||
                    rename(tmp, path) != 0 || sync_folder(path) != 0)) {
        int saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        fd = -1;
    }
    free(tmp);
    return fd;
}

static int new_identity(char id[ID_LEN + 1])
{
    unsigned char raw[ID_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        id[2 * i] = hex[raw[i] >> 4];
        id[2 * i + 1] = hex[raw[i] & 15];
    }
    id[ID_LEN] = '\0';
    return 0;
}

static int read_header(df_spool *sp, df_error *err)
{
    unsigned char h[HEADER_SIZE];
    char shown[DF_ERROR_PATH_SHOWN];
    if (read_full(sp->fd, h, sizeof h, 0) != 0 || memcmp(h, HEADER_MAGIC, 8) != 0 ||
        get_u32(h + 48) != crc(0, h, 48))
        return df_error_set(err, DF_EINVAL, "%s: not a dcmfeed spool (its header is not one)",
                            df_error_path(sp->path, shown));
    for (int i = 0; i < ID_LEN; i++)
        if (strchr("0123456789abcdef", h[8 + i]) == NULL || h[8 + i] == '\0')
            return df_error_set(err, DF_EINVAL, "%s: not a dcmfeed spool (its identity is not one)",
                                df_error_path(sp->path, shown));
    memcpy(sp->id, h + 8, ID_LEN);
    sp->id[ID_LEN] = '\0';
    sp->base = (int64_t)get_u64(h + 40);
    if (sp->base < 0)
        return df_error_set(err, DF_EINVAL, "%s: not a dcmfeed spool (its last number is not one)",
                            df_error_path(sp->path, shown));
    return 0;
}

/* True when the file holds only zero bytes from offset to size: the tail a
 * power loss leaves where blocks were allocated but not written. */
static bool zeros_to_end(int fd, int64_t offset, int64_t size)
{
    unsigned char buf[SCAN_CHUNK];
    while (offset < size) {
        size_t n = size - offset < (int64_t)sizeof buf ? (size_t)(size - offset) : sizeof buf;
        if (read_full(fd, buf, n, offset) != 0)
            return false;
        for (size_t i = 0; i < n; i++)
            if (buf[i] != 0)
                return false;
        offset += (int64_t)n;
    }
    return true;
}

/* Checks the record at offset without keeping it: *next and *number on
 * success (1); 0 when it is cut short or damaged at the end of the file (a
 * crash); DF_EINVAL when it is damaged with whole records after it. */
static int scan_record(df_spool *sp, int64_t offset, int64_t size, int64_t *next, int64_t *number,
                       df_error *err)
{
    unsigned char h[RECORD_HEADER_SIZE];
    if (size - offset < RECORD_HEADER_SIZE || read_full(sp->fd, h, sizeof h, offset) != 0)
        return 0;
    uint64_t len = get_u32(h + 4);
    bool whole = memcmp(h, RECORD_MAGIC, 4) == 0 && len <= DF_SPOOL_RECORD_MAX &&
                 (uint64_t)(size - offset - RECORD_HEADER_SIZE) >= len;
    if (whole) {
        uint32_t c = crc(0, h + 8, 8);
        unsigned char buf[SCAN_CHUNK];
        for (uint64_t done = 0; done < len && whole;) {
            size_t n = len - done < sizeof buf ? (size_t)(len - done) : sizeof buf;
            whole = read_full(sp->fd, buf, n, offset + RECORD_HEADER_SIZE + (int64_t)done) == 0;
            c = crc(c, buf, n);
            done += n;
        }
        whole = whole && c == get_u32(h + 16);
    }
    int64_t after = offset + RECORD_HEADER_SIZE + (int64_t)len;
    if (whole) {
        *next = after;
        *number = (int64_t)get_u64(h + 8);
        return 1;
    }
    /* A record that runs past the end, or the last record, or zeros to the
     * end: what a crash during an append leaves. */
    if (memcmp(h, RECORD_MAGIC, 4) != 0 ? zeros_to_end(sp->fd, offset, size)
                                        : (after >= size || len > DF_SPOOL_RECORD_MAX))
        return 0;
    char shown[DF_ERROR_PATH_SHOWN];
    return df_error_set(err, DF_EINVAL,
                        "%s: the record at byte %lld is damaged and records follow it: the "
                        "spool is not used (move it away to start a new one; its changes are "
                        "then not in the feed)",
                        df_error_path(sp->path, shown), (long long)offset);
}

/* Finds the end of the last whole record and the last number, dropping a
 * record a crash cut short. */
static int scan(df_spool *sp, df_error *err)
{
    struct stat st;
    if (fstat(sp->fd, &st) != 0)
        return io_error(err, sp->path, "cannot read");
    int64_t size = st.st_size, offset = HEADER_SIZE;
    sp->last = sp->base;
    for (;;) {
        int64_t next = 0, number = 0;
        int rc = scan_record(sp, offset, size, &next, &number, err);
        if (rc < 0)
            return rc;
        if (rc == 0)
            break;
        if (number <= sp->last) {
            char shown[DF_ERROR_PATH_SHOWN];
            return df_error_set(err, DF_EINVAL,
                                "%s: record %lld at byte %lld does not follow %lld: not a "
                                "dcmfeed spool",
                                df_error_path(sp->path, shown), (long long)number,
                                (long long)offset, (long long)sp->last);
        }
        sp->last = number;
        offset = next;
    }
    if (offset < size && (ftruncate(sp->fd, (off_t)offset) != 0 || fsync(sp->fd) != 0))
        return io_error(err, sp->path, "cannot drop the record a crash cut short");
    sp->end = offset;
    return 0;
}

int df_spool_open(const char *path, df_spool **out, df_error *err)
{
    *out = NULL;
    df_spool *sp = calloc(1, sizeof *sp);
    if (sp == NULL || (sp->path = strdup(path)) == NULL) {
        free(sp);
        return df_error_set(err, DF_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&sp->lock, NULL);
    int rc = 0;
    sp->fd = open(path, O_RDWR | O_CLOEXEC);
    struct stat st;
    if (sp->fd >= 0 && fstat(sp->fd, &st) == 0 && st.st_size == 0) {
        /* Empty: made by hand (touch); a spool is never empty. */
        close(sp->fd);
        sp->fd = -1;
        errno = ENOENT;
    }
    if (sp->fd < 0 && errno == ENOENT) {
        if (new_identity(sp->id) != 0) {
            rc = df_error_set(err, DF_EIO, "cannot make a spool's identity: %s", strerror(errno));
            goto out;
        }
        sp->fd = write_fresh(path, sp->id, 0);
    }
    if (sp->fd < 0) {
        rc = io_error(err, path, "cannot open the spool");
        goto out;
    }
    rc = read_header(sp, err);
    if (rc == 0)
        rc = scan(sp, err);
out:
    if (rc != 0) {
        df_spool_close(sp);
        return rc;
    }
    *out = sp;
    return 0;
}

void df_spool_close(df_spool *sp)
{
    if (sp == NULL)
        return;
    if (sp->fd >= 0)
        close(sp->fd);
    pthread_mutex_destroy(&sp->lock);
    free(sp->path);
    free(sp->wbuf);
    free(sp->rbuf);
    free(sp);
}

const char *df_spool_id(const df_spool *sp)
{
    return sp->id;
}

int64_t df_spool_last(df_spool *sp)
{
    pthread_mutex_lock(&sp->lock);
    int64_t last = sp->last;
    pthread_mutex_unlock(&sp->lock);
    return last;
}

int df_spool_advance(df_spool *sp, int64_t position, df_error *err)
{
    int rc = 0;
    pthread_mutex_lock(&sp->lock);
    if (position > sp->last) {
        unsigned char h[HEADER_SIZE];
        make_header(h, sp->id, position);
        if (write_full(sp->fd, h, sizeof h, 0) != 0 || fdatasync(sp->fd) != 0) {
            rc = io_error(err, sp->path, "cannot write the spool's header");
        } else {
            sp->base = position;
            sp->last = position;
        }
    }
    pthread_mutex_unlock(&sp->lock);
    return rc;
}

static size_t field_size(size_t len)
{
    return 4 + len + 1;
}

static unsigned char *put_field(unsigned char *p, const char *bytes, size_t len)
{
    put_u32(p, (uint32_t)len);
    if (len > 0)
        memcpy(p + 4, bytes, len);
    p[4 + len] = '\0';
    return p + field_size(len);
}

int df_spool_append(df_spool *sp, df_spool_record *r, df_error *err)
{
    const char *empty = "";
    bool stored = r->kind == DF_SPOOL_STORED;
    const char *fields[4] = {r->archive_id, stored ? r->study_uid : empty,
                             stored ? r->series_uid : empty, stored ? r->sop_uid : empty};
    if (r->kind == DF_SPOOL_NOOP)
        fields[0] = empty;
    if (r->kind != DF_SPOOL_NOOP && r->kind != DF_SPOOL_STORED && r->kind != DF_SPOOL_DELETED)
        return df_error_set(err, DF_EINVAL, "a spool record of an unknown kind");
    size_t lens[4];
    size_t meta_len = stored ? r->metadata_len : 0;
    size_t payload = 4 + field_size(meta_len);
    for (int i = 0; i < 4; i++) {
        if (fields[i] == NULL || (stored && fields[i][0] == '\0') ||
            (i == 0 && r->kind == DF_SPOOL_DELETED && fields[0][0] == '\0'))
            return df_error_set(err, DF_EINVAL, "a spool record misses a field");
        lens[i] = strlen(fields[i]);
        payload += field_size(lens[i]);
    }
    if ((stored && r->metadata == NULL) || payload > DF_SPOOL_RECORD_MAX)
        return df_error_set(err, DF_EINVAL, "a spool record of %zu bytes passes the spool's %zu",
                            payload, DF_SPOOL_RECORD_MAX);
    size_t total = RECORD_HEADER_SIZE + payload;

    pthread_mutex_lock(&sp->lock);
    int rc = 0;
    if (total > sp->wcap) {
        unsigned char *p = realloc(sp->wbuf, total);
        if (p == NULL) {
            rc = df_error_set(err, DF_ENOMEM, "out of memory");
            goto out;
        }
        sp->wbuf = p;
        sp->wcap = total;
    }
    int64_t number = sp->last + 1;
    unsigned char *h = sp->wbuf, *p = sp->wbuf + RECORD_HEADER_SIZE;
    memcpy(h, RECORD_MAGIC, 4);
    put_u32(h + 4, (uint32_t)payload);
    put_u64(h + 8, (uint64_t)number);
    put_u32(h + 20, 0);
    p[0] = (unsigned char)r->kind;
    p[1] = (unsigned char)(stored && r->modified ? 1 : 0);
    put_u16(p + 2, 0);
    unsigned char *q = p + 4;
    for (int i = 0; i < 4; i++)
        q = put_field(q, fields[i], lens[i]);
    put_field(q, stored ? r->metadata : empty, meta_len);
    put_u32(h + 16, crc(crc(0, h + 8, 8), p, payload));
    if (write_full(sp->fd, sp->wbuf, total, sp->end) != 0) {
        rc = io_error(err, sp->path, "cannot write to the spool");
        /* Whatever part reached the file goes: the next record starts here
         * (and if it cannot, the next open drops it as a torn record). */
        int ignored = ftruncate(sp->fd, (off_t)sp->end);
        (void)ignored;
        goto out;
    }
    sp->end += (int64_t)total;
    sp->last = number;
    r->number = number;
out:
    pthread_mutex_unlock(&sp->lock);
    return rc;
}

/* Outside the lock, so that appends go on during the flush: only the
 * reader's thread replaces the file (df_spool_compact), and it is the one
 * that calls this. */
int df_spool_sync(df_spool *sp, df_error *err)
{
    return fdatasync(sp->fd) == 0 ? 0 : io_error(err, sp->path, "cannot sync the spool");
}

df_spool_cursor df_spool_start(df_spool *sp)
{
    pthread_mutex_lock(&sp->lock);
    int64_t base = sp->base;
    pthread_mutex_unlock(&sp->lock);
    return (df_spool_cursor){.offset = HEADER_SIZE, .last = base};
}

int64_t df_spool_pending_bytes(df_spool *sp, const df_spool_cursor *c)
{
    pthread_mutex_lock(&sp->lock);
    int64_t n = sp->end - c->offset;
    pthread_mutex_unlock(&sp->lock);
    return n > 0 ? n : 0;
}

/* Reads one field of the payload at *p (bounded by end) into *out. */
static bool take_field(const unsigned char **p, const unsigned char *end, const char **out,
                       size_t *len)
{
    if (end - *p < 4)
        return false;
    size_t n = get_u32(*p);
    if ((size_t)(end - *p) - 4 < n + 1 || (*p)[4 + n] != '\0')
        return false;
    *out = (const char *)*p + 4;
    *len = n;
    *p += field_size(n);
    return true;
}

static int damaged(df_spool *sp, int64_t offset, df_error *err)
{
    char shown[DF_ERROR_PATH_SHOWN];
    return df_error_set(err, DF_EINVAL, "%s: the record at byte %lld is damaged",
                        df_error_path(sp->path, shown), (long long)offset);
}

int df_spool_read(df_spool *sp, df_spool_cursor *c, df_spool_record *r, df_error *err)
{
    for (;;) {
        pthread_mutex_lock(&sp->lock);
        int64_t end = sp->end;
        int fd = sp->fd;
        pthread_mutex_unlock(&sp->lock);
        if (end - c->offset < RECORD_HEADER_SIZE)
            return 0;
        unsigned char h[RECORD_HEADER_SIZE];
        if (read_full(fd, h, sizeof h, c->offset) != 0)
            return io_error(err, sp->path, "cannot read the spool");
        size_t len = get_u32(h + 4);
        if (memcmp(h, RECORD_MAGIC, 4) != 0 || len > DF_SPOOL_RECORD_MAX ||
            (int64_t)len > end - c->offset - RECORD_HEADER_SIZE)
            return damaged(sp, c->offset, err);
        if (len > sp->rcap) {
            unsigned char *p = realloc(sp->rbuf, len);
            if (p == NULL)
                return df_error_set(err, DF_ENOMEM, "out of memory");
            sp->rbuf = p;
            sp->rcap = len;
        }
        if (read_full(fd, sp->rbuf, len, c->offset + RECORD_HEADER_SIZE) != 0)
            return io_error(err, sp->path, "cannot read the spool");
        if (crc(crc(0, h + 8, 8), sp->rbuf, len) != get_u32(h + 16) || len < 4)
            return damaged(sp, c->offset, err);
        const unsigned char *p = sp->rbuf + 4, *pend = sp->rbuf + len;
        memset(r, 0, sizeof *r);
        r->number = (int64_t)get_u64(h + 8);
        r->kind = (df_spool_kind)sp->rbuf[0];
        r->modified = (sp->rbuf[1] & 1) != 0;
        size_t n;
        if (!take_field(&p, pend, &r->archive_id, &n) || !take_field(&p, pend, &r->study_uid, &n) ||
            !take_field(&p, pend, &r->series_uid, &n) || !take_field(&p, pend, &r->sop_uid, &n) ||
            !take_field(&p, pend, &r->metadata, &r->metadata_len) ||
            (r->kind != DF_SPOOL_NOOP && r->kind != DF_SPOOL_STORED && r->kind != DF_SPOOL_DELETED))
            return damaged(sp, c->offset, err);
        c->offset += RECORD_HEADER_SIZE + (int64_t)len;
        c->last = r->number;
        if (r->kind == DF_SPOOL_NOOP)
            continue;
        if (r->kind != DF_SPOOL_STORED)
            r->metadata = NULL;
        return 1;
    }
}

int df_spool_compact(df_spool *sp, df_spool_cursor *c, int64_t min_bytes, bool *compacted,
                     df_error *err)
{
    if (compacted != NULL)
        *compacted = false;
    int rc = 0;
    pthread_mutex_lock(&sp->lock);
    if (c->offset == sp->end && sp->end - HEADER_SIZE >= min_bytes && sp->end > HEADER_SIZE) {
        int fd = write_fresh(sp->path, sp->id, sp->last);
        if (fd < 0) {
            rc = io_error(err, sp->path, "cannot start the spool again");
        } else {
            close(sp->fd);
            sp->fd = fd;
            sp->base = sp->last;
            sp->end = HEADER_SIZE;
            c->offset = HEADER_SIZE;
            if (compacted != NULL)
                *compacted = true;
        }
    }
    pthread_mutex_unlock(&sp->lock);
    return rc;
}
