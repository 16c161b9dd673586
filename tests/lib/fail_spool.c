/* Preloaded into Orthanc by tests/cli/orthanc_outage.sh: while the file that
 * DCMFEED_FAIL_SPOOL names exists, every write to a file whose name ends in
 * ".spool" fails as on a full disk (ENOSPC), so that the test sees what the
 * plugin does when its spool cannot be written. Other files are untouched. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset);
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t offset);

static bool failing(int fd)
{
    const char *trigger = getenv("DCMFEED_FAIL_SPOOL");
    if (trigger == NULL || access(trigger, F_OK) != 0)
        return false;
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, target, sizeof target - 1);
    if (len < 6)
        return false;
    target[len] = '\0';
    return strcmp(target + len - 6, ".spool") == 0;
}

typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);

static ssize_t call(const char *name, int fd, const void *buf, size_t n, off_t offset)
{
    if (failing(fd)) {
        errno = ENOSPC;
        return -1;
    }
    pwrite_fn real = (pwrite_fn)dlsym(RTLD_NEXT, name);
    return real(fd, buf, n, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset)
{
    return call("pwrite", fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t offset)
{
    return call("pwrite64", fd, buf, n, offset);
}
