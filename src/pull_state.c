/* The consumer's state file, replaced atomically: see pull_state.h. */
#include "pull_state.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "num.h"

int df_pull_state_parse(const char *text, size_t len, int64_t *sequence, df_error *err)
{
    size_t n = len;
    if (n > 0 && text[n - 1] == '\n')
        n--;
    if (n == 0)
        return df_error_set(err, DF_EINVAL, "is empty (it should hold a Sequence)");
    int64_t v = 0;
    switch (df_parse_i64(text, n, 0, INT64_MAX, &v)) {
    case DF_NUM_OK:
        break;
    case DF_NUM_RANGE:
        return df_error_set(err, DF_EINVAL, "holds a number too large for a Sequence");
    default:
        return df_error_set(err, DF_EINVAL, "holds something other than a Sequence");
    }
    *sequence = v;
    return 0;
}

int df_pull_state_load(const char *path, int64_t *sequence, bool *found, df_error *err)
{
    *sequence = 0;
    *found = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        return df_error_set(err, DF_EIO, "cannot open the state file %s: %s", path,
                            strerror(errno));
    }
    /* One byte more than the longest valid file tells "too long" from "full". */
    char text[DF_PULL_STATE_MAX + 1];
    size_t len = 0;
    int rc = 0;
    while (len < sizeof text) {
        ssize_t got = read(fd, text + len, sizeof text - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = df_error_set(err, DF_EIO, "cannot read the state file %s: %s", path,
                              strerror(errno));
            goto out;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    if (len >= 20 && memcmp(text, "dcmfeed-pull per-stu", 20) == 0) {
        rc = df_error_set(err, DF_EINVAL,
                          "the state file %s was written with --per-study: give --per-study, "
                          "or another file",
                          path);
        goto out;
    }
    if (len > DF_PULL_STATE_MAX) {
        rc = df_error_set(err, DF_EINVAL, "the state file %s is corrupt: it is too long", path);
        goto out;
    }
    df_error why = {0};
    if (df_pull_state_parse(text, len, sequence, &why) != 0) {
        rc = df_error_set(err, DF_EINVAL,
                          "the state file %s is corrupt: it %s; fix or remove it (removing it "
                          "starts over from --from-start or --from-latest)",
                          path, why.message);
        goto out;
    }
    *found = true;
out:
    close(fd);
    return rc;
}

int df_pull_write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t put = write(fd, p, n);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0)
            return -1;
        p += put;
        n -= (size_t)put;
    }
    return 0;
}

/* fsync of the folder makes the rename itself durable (a crash after
 * rename() but before the folder's metadata reaches the disk can otherwise
 * bring back the old name). */
int df_pull_sync_folder(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    /* Some file systems cannot fsync a folder; the rename is as durable as
     * they can make it. */
    if (rc != 0 && (errno == EINVAL || errno == EROFS))
        rc = 0;
    close(fd);
    return rc;
}

int df_pull_replace_file(const char *path, const char *data, size_t n, df_error *err)
{
    df_buf tmp;
    df_buf_init(&tmp, 4096 + strlen(path));
    df_buf_append_str(&tmp, path);
    df_buf_append_str(&tmp, ".tmp");
    if (df_buf_failed(&tmp)) {
        df_buf_free(&tmp);
        return df_error_set(err, DF_ENOMEM, "out of memory saving the state");
    }
    int rc = 0;
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0 || df_pull_write_all(fd, data, n) != 0 || fsync(fd) != 0) {
        rc = df_error_set(err, DF_EIO, "cannot write the state file %s: %s", tmp.data,
                          strerror(errno));
        goto out;
    }
    int closed = close(fd);
    fd = -1;
    if (closed != 0) {
        rc = df_error_set(err, DF_EIO, "cannot write the state file %s: %s", tmp.data,
                          strerror(errno));
        goto out;
    }
    if (rename(tmp.data, path) != 0) {
        rc = df_error_set(err, DF_EIO, "cannot replace the state file %s: %s", path,
                          strerror(errno));
        goto out;
    }
    if (df_pull_sync_folder(path) != 0)
        rc = df_error_set(err, DF_EIO, "cannot sync the folder of the state file %s: %s", path,
                          strerror(errno));
out:
    if (fd >= 0)
        close(fd);
    df_buf_free(&tmp);
    return rc;
}

int df_pull_state_save(const char *path, int64_t sequence, df_error *err)
{
    char text[24];
    int n = snprintf(text, sizeof text, "%" PRId64 "\n", sequence);
    return df_pull_replace_file(path, text, (size_t)n, err);
}

int df_pull_state_lock(const char *path, int *fd, df_error *err)
{
    df_buf name;
    df_buf_init(&name, 4096 + strlen(path));
    df_buf_append_str(&name, path);
    df_buf_append_str(&name, ".lock");
    if (df_buf_failed(&name))
        return df_error_set(err, DF_ENOMEM, "out of memory locking the state");
    int rc = 0;
    int lfd = open(name.data, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (lfd < 0) {
        rc = df_error_set(err, DF_EIO, "cannot open the lock file %s: %s", name.data,
                          strerror(errno));
        goto out;
    }
    /* A POSIX record lock, not flock(): it belongs to this process alone, so
     * an --exec command spawned while this process is killed cannot keep it
     * alive (a flock() lock lives as long as any process holds a descriptor
     * of the file, and a spawned child holds one until its exec). */
    struct flock whole = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    while (fcntl(lfd, F_SETLK, &whole) != 0) {
        if (errno == EINTR)
            continue;
        if (errno == EACCES || errno == EAGAIN)
            rc = df_error_set(err, DF_EBUSY,
                              "another dcmfeed-pull is using the state file %s (it holds %s)", path,
                              name.data);
        else
            rc = df_error_set(err, DF_EIO, "cannot lock %s: %s", name.data, strerror(errno));
        close(lfd);
        goto out;
    }
    *fd = lfd;
out:
    df_buf_free(&name);
    return rc;
}
