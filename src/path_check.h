/* Why a file path cannot be used by this process, in words an administrator
 * can act on: a missing file, a missing folder, a permission (whose, on
 * what), a wrong type. Only the file system is asked (stat, access): the
 * SQLite backend of the store (store_sqlite.c) uses it to replace SQLite's
 * "unable to open database file", which says none of these. No SQL here. */
#ifndef DF_PATH_CHECK_H
#define DF_PATH_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"

/* What the process wants to do with a file (df_path_check). */
enum { DF_PATH_READ = 1, DF_PATH_WRITE = 2 };

/* Room for "user NAME (uid N)" and for "owner NAME:GROUP, mode 0NNNN". */
#define DF_PATH_WHO_MAX 96

/* "user NAME (uid N)" of this process's effective user, into buf. */
const char *df_path_who(char buf[DF_PATH_WHO_MAX]);

/* "owner NAME:GROUP, mode 0NNNN" of sb, into buf. */
const char *df_path_owner(const struct stat *sb, char buf[DF_PATH_WHO_MAX]);

/* Checks that path is a regular file this process may open for want
 * (DF_PATH_READ, DF_PATH_WRITE or both), through folders it may enter.
 * Returns 0 when it may; DF_ENOTFOUND, err not set, when the file is missing
 * but its folder is there and may be entered (the caller words what is
 * missing); DF_EDB with err saying which otherwise:
 *   "no folder F (for P)", "F is not a folder", "P is a folder, not a
 *   file", "P is not a regular file", "permission denied: user U (uid N)
 *   cannot enter folder F | read P | write P (owner O:G, mode 0NNN)".
 * what names the file in messages ("the log", "the backup"). */
int df_path_check(const char *path, int want, const char *what, df_error *err);

/* Checks that this process may make files in the folder that holds path
 * (the log's -wal and -shm, a new log): 0, or DF_EDB with a message in the
 * words of df_path_check ("cannot create files in folder F"). */
int df_path_check_folder_writable(const char *path, df_error *err);

/* The folder of path, into buf (size bytes): "." for a bare name. */
const char *df_path_folder(const char *path, char *buf, size_t size);

/* The time path's inode was made (statx's birth time), false when the file
 * system does not keep it or path cannot be read. */
bool df_path_birth(const char *path, struct timespec *born);

#endif
