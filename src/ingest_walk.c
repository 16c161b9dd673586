/* Where `dcmfeed-ingest add` finds its files (arguments, folders walked in a
 * stable order, paths on stdin) and what each one holds, sniffed from its
 * first bytes. The rules are in ingest_walk.h. */
#include "ingest_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The read buffer of an input: large enough that a small Part 10 file is one
 * read(), small enough to stay flat. */
#define INPUT_BUF (64u * 1024u)

/* Bytes a sniff wants: "DICM" sits at 128..131. */
#define SNIFF_LEN 132u

/* ---- the walk ------------------------------------------------------------ */

/* One folder being walked: its entries' names, sorted, each stored as one
 * byte of d_type followed by the NUL-terminated name. */
typedef struct level {
    char *text;
    size_t text_len, text_cap;
    char **names;
    size_t count, next;
    size_t path_len; /* the folder's path is w->path[0..path_len) */
} level;

struct df_walk {
    char *const *args;
    size_t nargs, arg;
    FILE *list;
    bool in_list;
    level levels[DF_WALK_MAX_DEPTH + 1];
    size_t depth; /* levels in use */
    char *path;   /* the folder being walked, then the entry yielded */
    size_t path_cap;
    char *line; /* the last line of the list */
    size_t line_cap;
};

int df_walk_open(char *const *args, size_t nargs, FILE *list, df_walk **out, df_error *err)
{
    *out = NULL;
    df_walk *w = calloc(1, sizeof *w);
    if (w == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    w->args = args;
    w->nargs = nargs;
    w->list = list;
    *out = w;
    return 0;
}

static void level_clear(level *l)
{
    free(l->text);
    free(l->names);
    memset(l, 0, sizeof *l);
}

void df_walk_free(df_walk *w)
{
    if (w == NULL)
        return;
    for (size_t i = 0; i < w->depth; i++)
        level_clear(&w->levels[i]);
    free(w->path);
    free(w->line);
    free(w);
}

/* Makes w->path hold w->path[0..keep) + "/" + name, or name alone when keep
 * is 0 (no '/' is doubled: a folder given as "dir/" yields "dir/file"). */
static int set_path(df_walk *w, size_t keep, const char *name, df_error *err)
{
    size_t nlen = strlen(name);
    size_t need = keep + 1 + nlen + 1;
    if (need > w->path_cap) {
        size_t cap = w->path_cap ? w->path_cap : 256;
        while (cap < need)
            cap *= 2;
        char *p = realloc(w->path, cap);
        if (p == NULL)
            return df_error_set(err, DF_ENOMEM, "out of memory");
        w->path = p;
        w->path_cap = cap;
    }
    size_t at = keep;
    if (at > 0 && w->path[at - 1] != '/')
        w->path[at++] = '/';
    memcpy(w->path + at, name, nlen + 1);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    /* Past the d_type byte. */
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Names that a walk leaves out (see the header). */
static bool skipped_name(const char *name)
{
    return name[0] == '.' || strcasecmp(name, "DICOMDIR") == 0;
}

static int level_add(level *l, unsigned char type, const char *name, df_error *err)
{
    size_t n = strlen(name) + 2;
    if (l->text_len + n > l->text_cap) {
        size_t cap = l->text_cap ? l->text_cap : 4096;
        while (cap < l->text_len + n)
            cap *= 2;
        char *t = realloc(l->text, cap);
        if (t == NULL)
            return df_error_set(err, DF_ENOMEM, "out of memory");
        l->text = t;
        l->text_cap = cap;
    }
    l->text[l->text_len] = (char)type;
    memcpy(l->text + l->text_len + 1, name, n - 1);
    l->text_len += n;
    l->count++;
    return 0;
}

/* Reads the folder w->path[0..path_len) into a new level, sorted. */
static int push_folder(df_walk *w, size_t path_len, df_error *err)
{
    char buf[DF_ERROR_PATH_SHOWN];
    if (w->depth == sizeof w->levels / sizeof w->levels[0])
        return df_error_set(err, DF_EINVAL, "%s: folders nested more than %d deep; not walked",
                            df_error_path(w->path, buf), DF_WALK_MAX_DEPTH);
    DIR *d = opendir(w->path);
    if (d == NULL)
        return df_error_set(err, DF_EIO, "%s: cannot open folder: %s", df_error_path(w->path, buf),
                            strerror(errno));
    level *l = &w->levels[w->depth];
    memset(l, 0, sizeof *l);
    int rc = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (e == NULL) {
            if (errno != 0)
                rc = df_error_set(err, DF_EIO, "%s: cannot read folder: %s",
                                  df_error_path(w->path, buf), strerror(errno));
            break;
        }
        if (skipped_name(e->d_name))
            continue;
        rc = level_add(l, e->d_type, e->d_name, err);
        if (rc != 0)
            break;
    }
    closedir(d);
    if (rc == 0 && l->count > 0) {
        l->names = malloc(l->count * sizeof *l->names);
        if (l->names == NULL) {
            rc = df_error_set(err, DF_ENOMEM, "out of memory");
        } else {
            size_t off = 0;
            for (size_t i = 0; i < l->count; i++) {
                l->names[i] = l->text + off;
                off += strlen(l->text + off + 1) + 2;
            }
            qsort(l->names, l->count, sizeof *l->names, by_name);
        }
    }
    if (rc != 0) {
        level_clear(l);
        return rc;
    }
    l->path_len = path_len;
    w->depth++;
    return 0;
}

/* The next entry of the innermost folder: 1 with a path to yield, 0 when it
 * was a folder entered or an entry skipped (call again), < 0 on error. */
static int next_in_folder(df_walk *w, const char **path, df_error *err)
{
    level *l = &w->levels[w->depth - 1];
    if (l->next == l->count) {
        level_clear(l);
        w->depth--;
        return 0;
    }
    const char *entry = l->names[l->next++];
    int rc = set_path(w, l->path_len, entry + 1, err);
    if (rc != 0)
        return rc;
    unsigned char type = (unsigned char)entry[0];
    struct stat st;
    if (type == DT_LNK) {
        /* Followed to a file, never to a folder; a dangling link is
         * yielded so that opening it says what is wrong. */
        if (stat(w->path, &st) != 0 || S_ISREG(st.st_mode)) {
            *path = w->path;
            return 1;
        }
        return 0;
    }
    if (type == DT_UNKNOWN) {
        if (lstat(w->path, &st) != 0) {
            *path = w->path;
            return 1;
        }
        if (S_ISLNK(st.st_mode)) {
            if (stat(w->path, &st) != 0 || S_ISREG(st.st_mode)) {
                *path = w->path;
                return 1;
            }
            return 0;
        }
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_FIFO;
    }
    if (type == DT_REG) {
        *path = w->path;
        return 1;
    }
    if (type == DT_DIR)
        return push_folder(w, strlen(w->path), err);
    return 0;
}

/* The next path of the list: 1 with a path, 0 for a line skipped, 2 at its end. */
static int next_in_list(df_walk *w, const char **path, df_error *err)
{
    errno = 0;
    ssize_t n = getline(&w->line, &w->line_cap, w->list);
    if (n < 0) {
        w->in_list = false;
        if (ferror(w->list))
            return df_error_set(err, DF_EIO, "stdin: cannot read the list of paths: %s",
                                errno ? strerror(errno) : "read error");
        return 2;
    }
    size_t len = (size_t)n;
    if (len > 0 && w->line[len - 1] == '\n')
        w->line[--len] = '\0';
    if (len > 0 && w->line[len - 1] == '\r')
        w->line[--len] = '\0';
    if (len == 0)
        return 0;
    if (strlen(w->line) != len)
        return df_error_set(err, DF_EINVAL, "stdin: a line of the list holds a NUL byte");
    struct stat st;
    if (stat(w->line, &st) == 0 && !S_ISREG(st.st_mode))
        return 0;
    *path = w->line;
    return 1;
}

int df_walk_next(df_walk *w, const char **path, df_error *err)
{
    for (;;) {
        int rc;
        if (w->depth > 0) {
            rc = next_in_folder(w, path, err);
            if (rc != 0)
                return rc;
            continue;
        }
        if (w->in_list) {
            rc = next_in_list(w, path, err);
            if (rc == 1 || rc < 0)
                return rc;
            continue;
        }
        if (w->arg == w->nargs)
            return 0;
        const char *arg = w->args[w->arg++];
        if (strcmp(arg, "-") == 0) {
            w->in_list = w->list != NULL;
            continue;
        }
        struct stat st;
        if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = set_path(w, 0, arg, err);
            if (rc == 0)
                rc = push_folder(w, strlen(arg), err);
            if (rc != 0)
                return rc;
            continue;
        }
        *path = arg;
        return 1;
    }
}

/* ---- one file, sniffed --------------------------------------------------- */

struct df_input {
    int fd; /* -1 when closed */
    bool eof;
    unsigned char *buf; /* bytes read, not yet consumed: buf[pos..len) */
    size_t pos, len;
    df_dicom_io io;
    char *text; /* the whole file, for JSON */
    size_t text_cap;
    const char *path; /* borrowed from df_input_open's caller */
};

df_input *df_input_new(void)
{
    df_input *in = calloc(1, sizeof *in);
    if (in == NULL)
        return NULL;
    in->fd = -1;
    in->buf = malloc(INPUT_BUF);
    if (in->buf == NULL) {
        free(in);
        return NULL;
    }
    return in;
}

void df_input_close(df_input *in)
{
    if (in->fd >= 0)
        close(in->fd);
    in->fd = -1;
    in->pos = in->len = 0;
    in->eof = false;
}

void df_input_free(df_input *in)
{
    if (in == NULL)
        return;
    df_input_close(in);
    free(in->buf);
    free(in->text);
    free(in);
}

static ssize_t read_fd(int fd, void *dst, size_t n)
{
    for (;;) {
        ssize_t r = read(fd, dst, n);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

/* Reads until the buffer holds at least want bytes or the file ends. */
static int fill(df_input *in, size_t want)
{
    if (in->pos > 0) {
        memmove(in->buf, in->buf + in->pos, in->len - in->pos);
        in->len -= in->pos;
        in->pos = 0;
    }
    while (in->len < want && !in->eof) {
        ssize_t r = read_fd(in->fd, in->buf + in->len, INPUT_BUF - in->len);
        if (r < 0)
            return -1;
        if (r == 0)
            in->eof = true;
        in->len += (size_t)r;
    }
    return 0;
}

static long long io_read(void *handle, void *dst, size_t n)
{
    df_input *in = handle;
    if (in->pos == in->len) {
        if (in->eof)
            return 0;
        if (n >= INPUT_BUF) {
            /* Large values go straight to the caller. */
            ssize_t r = read_fd(in->fd, dst, n);
            if (r == 0)
                in->eof = true;
            return r;
        }
        in->pos = in->len = 0;
        if (fill(in, 1) != 0)
            return -1;
    }
    size_t k = in->len - in->pos;
    if (k > n)
        k = n;
    memcpy(dst, in->buf + in->pos, k);
    in->pos += k;
    return (long long)k;
}

/* Only set for regular files: the reader knows their size, so a skip never
 * goes past the end unnoticed. */
static int io_skip(void *handle, uint64_t n)
{
    df_input *in = handle;
    size_t k = in->len - in->pos;
    if ((uint64_t)k > n)
        k = (size_t)n;
    in->pos += k;
    n -= k;
    if (n == 0)
        return 0;
    if (n > (uint64_t)INT64_MAX)
        return -1;
    return lseek(in->fd, (off_t)n, SEEK_CUR) < 0 ? -1 : 0;
}

int df_input_open(df_input *in, const char *path, df_input_kind *kind, df_error *err)
{
    char buf[DF_ERROR_PATH_SHOWN];
    df_input_close(in);
    in->path = path;
    in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (in->fd < 0)
        return df_error_set(err, DF_EIO, "%s: cannot open: %s", df_error_path(path, buf),
                            strerror(errno));
    struct stat st;
    if (fstat(in->fd, &st) != 0) {
        int e = errno;
        df_input_close(in);
        return df_error_set(err, DF_EIO, "%s: cannot read: %s", df_error_path(path, buf),
                            strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        df_input_close(in);
        return df_error_set(err, DF_EIO, "%s: is a directory", df_error_path(path, buf));
    }
    memset(&in->io, 0, sizeof in->io);
    in->io.read = io_read;
    in->io.handle = in;
    in->io.size = -1;
    if (S_ISREG(st.st_mode)) {
        in->io.skip = io_skip;
        in->io.size = (long long)st.st_size;
    }
    if (fill(in, SNIFF_LEN) != 0) {
        int e = errno;
        df_input_close(in);
        return df_error_set(err, DF_EIO, "%s: cannot read: %s", df_error_path(path, buf),
                            strerror(e));
    }

    const unsigned char *b = in->buf;
    size_t n = in->len;
    if (n >= SNIFF_LEN && memcmp(b + 128, "DICM", 4) == 0) {
        *kind = DF_INPUT_PART10;
        return 0;
    }
    size_t i = 0;
    if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    /* All blank so far (past the sniffed bytes too, for JSON that starts
     * with a long run of blanks): the JSON reader judges. */
    *kind = (i == n || b[i] == '{' || b[i] == '[') ? DF_INPUT_JSON : DF_INPUT_PART10;
    return 0;
}

static int too_large(const df_input *in, size_t max, df_error *err)
{
    char buf[DF_ERROR_PATH_SHOWN];
    const char *path = df_error_path(in->path, buf);
    if (max % (1024u * 1024u) == 0)
        return df_error_set(err, DF_EINVAL, "%s: is larger than %zu MiB, the limit for one file",
                            path, max / (1024u * 1024u));
    return df_error_set(err, DF_EINVAL, "%s: is larger than %zu bytes, the limit for one file",
                        path, max);
}

int df_input_text(df_input *in, size_t max, const char **text, size_t *len, df_error *err)
{
    char buf[DF_ERROR_PATH_SHOWN];
    /* Size before allocation: a regular file larger than max is refused
     * before a byte of it is read into memory. */
    if (in->io.size >= 0 && (unsigned long long)in->io.size > max)
        return too_large(in, max, err);
    size_t limit = max + 1;
    size_t have = in->len - in->pos;
    if (have > limit)
        have = limit;
    /* Size before allocation: a regular file says how big it is (+ 1 notices
     * one that grew); a pipe grows the buffer in steps. */
    size_t want = in->io.size >= 0 && (unsigned long long)in->io.size < limit
                      ? (size_t)in->io.size + 1
                      : (in->io.size >= 0 ? limit : 64 * 1024);
    if (want < have + 1)
        want = have + 1;
    for (;;) {
        if (want > in->text_cap) {
            char *t = realloc(in->text, want);
            if (t == NULL)
                return df_error_set(err, DF_ENOMEM, "%s: out of memory",
                                    df_error_path(in->path, buf));
            in->text = t;
            in->text_cap = want;
        }
        if (have > 0 && in->pos < in->len) {
            memcpy(in->text, in->buf + in->pos, have);
            in->pos = in->len;
        }
        while (have < in->text_cap && have < limit && !in->eof) {
            ssize_t r = read_fd(in->fd, in->text + have, in->text_cap - have);
            if (r < 0)
                return df_error_set(err, DF_EIO, "%s: cannot read: %s",
                                    df_error_path(in->path, buf), strerror(errno));
            if (r == 0)
                in->eof = true;
            have += (size_t)r;
        }
        if (in->eof || have >= limit)
            break;
        want = in->text_cap * 2 < limit ? in->text_cap * 2 : limit;
    }
    if (have > max) /* a pipe, or a file that grew */
        return too_large(in, max, err);
    *text = in->text;
    *len = have;
    return 0;
}

df_dicom_io *df_input_io(df_input *in)
{
    return &in->io;
}
