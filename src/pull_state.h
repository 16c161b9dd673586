/* The consumer's state file: the Sequence of the last entry it processed,
 * replaced atomically (write a temporary file, fsync it, rename it over the
 * state, fsync the folder) so that a crash at any moment leaves either the old
 * or the new Sequence on disk, never a torn or empty file. A state file that
 * exists but does not hold a Sequence is an error, never read as 0: starting
 * over from 0 would reprocess the whole feed.
 *
 * The file is one line, the Sequence in decimal: "1234\n". */
#ifndef DF_PULL_STATE_H
#define DF_PULL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Longest state file read, in bytes: a Sequence has at most 19 digits. */
#define DF_PULL_STATE_MAX 64

/* Parses the text of a state file: decimal digits (a Sequence 0 …
 * INT64_MAX), optionally followed by one "\n"; nothing else (no sign, no
 * spaces, no second line). Returns 0 and sets *sequence, or DF_EINVAL with a
 * message naming what is wrong. */
int df_pull_state_parse(const char *text, size_t len, int64_t *sequence, df_error *err);

/* Reads the state file at path. Returns 0 with *found = false and *sequence =
 * 0 when it does not exist; 0 with *found = true and the Sequence when it
 * holds one; DF_EINVAL when it exists but is corrupt (empty, junk, too long),
 * DF_EIO when it cannot be read. */
int df_pull_state_load(const char *path, int64_t *sequence, bool *found, df_error *err);

/* Replaces the state file at path with sequence, atomically and durably:
 * writes "path.tmp", fsyncs it, renames it over path and fsyncs the folder.
 * Returns 0, or DF_EIO (the old state stays in place). */
int df_pull_state_save(const char *path, int64_t sequence, df_error *err);

/* Takes an exclusive lock on "path.lock" (created if needed) so that two
 * consumers never share one state file; the lock is released when *fd is
 * closed or the process ends, even by SIGKILL. It is a POSIX record lock,
 * owned by this process alone: a command it spawned never keeps it, a
 * second lock taken by this same process would not be refused, and closing
 * any descriptor of the lock file in this process releases it (so the file
 * is opened once, here). Returns 0 and sets *fd, DF_EBUSY
 * when another process holds the lock, DF_EIO when the file cannot be opened. */
int df_pull_state_lock(const char *path, int *fd, df_error *err);

/* fsyncs the folder of path, so that a rename into it is durable (a folder
 * that cannot be fsynced counts as done). Returns 0, or -1 with errno set. */
int df_pull_sync_folder(const char *path);

/* Writes all of p[0..n) to fd, resuming after partial writes and EINTR.
 * Returns 0, or -1 with errno set. */
int df_pull_write_all(int fd, const char *p, size_t n);

/* Replaces the state file at path with data[0..n), whole or not at all
 * across a crash: written to path.tmp, fsynced, renamed over path, and the
 * folder fsynced. Returns 0, DF_ENOMEM or DF_EIO naming the file. */
int df_pull_replace_file(const char *path, const char *data, size_t n, df_error *err);

#endif
