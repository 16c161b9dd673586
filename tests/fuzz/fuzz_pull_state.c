/* libFuzzer target for the consumer's state file reader (pull_state.c): any
 * file content is a Sequence or an error with a message, never 0 by default;
 * what is accepted is exactly digits with at most one "\n" after them, of at
 * most DF_PULL_STATE_MAX bytes, and means the number those digits write. The
 * file is a memfd, read through its path as dcmfeed-pull reads its state. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pull_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* limited: the whole file was read, so more than DF_PULL_STATE_MAX bytes are
 * refused; the parse alone takes any length of leading zeros. */
static void check(const char *t, size_t size, bool limited, int rc, int64_t seq,
                  const df_error *err)
{
    if (rc != 0) {
        if (rc != DF_EINVAL || err->message[0] == '\0')
            abort();
        return;
    }
    size_t n = size > 0 && t[size - 1] == '\n' ? size - 1 : size;
    if (n == 0 || (limited && size > DF_PULL_STATE_MAX) || seq < 0)
        abort();
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            abort();
        v = v * 10 + (uint64_t)(t[i] - '0');
        if (v > (uint64_t)INT64_MAX)
            abort();
    }
    if ((int64_t)v != seq)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    df_error err = {0};
    int64_t seq = -1;
    int rc = df_pull_state_parse(t, size, &seq, &err);
    check(t, size, false, rc, seq, &err);

    static int fd = -1;
    if (fd < 0 && (fd = memfd_create("state", 0)) < 0)
        abort();
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    bool found = false;
    df_error lerr = {0};
    seq = -1;
    rc = df_pull_state_load(path, &seq, &found, &lerr);
    if (rc == 0 && !found)
        abort();
    check(t, size, true, rc, seq, &lerr);
    return 0;
}
