/* Why a file path cannot be used (path_check.h): each folder on the way and
 * the file itself are looked at in turn, so that the message names the first
 * thing in the way, with whose permission is missing on what. */
#include "path_check.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* getpwuid_r's and getgrgid_r's scratch room: a responder's threads open
 * logs at once, so the non-reentrant lookups are not used. */
#define NAME_SCRATCH 2048

static const char *user_name(uid_t uid, char *buf, size_t size)
{
    struct passwd pw, *found = NULL;
    char scratch[NAME_SCRATCH];
    if (getpwuid_r(uid, &pw, scratch, sizeof scratch, &found) == 0 && found != NULL)
        snprintf(buf, size, "%s", pw.pw_name);
    else
        snprintf(buf, size, "%lu", (unsigned long)uid);
    return buf;
}

static const char *group_name(gid_t gid, char *buf, size_t size)
{
    struct group gr, *found = NULL;
    char scratch[NAME_SCRATCH];
    if (getgrgid_r(gid, &gr, scratch, sizeof scratch, &found) == 0 && found != NULL)
        snprintf(buf, size, "%s", gr.gr_name);
    else
        snprintf(buf, size, "%lu", (unsigned long)gid);
    return buf;
}

const char *df_path_who(char buf[DF_PATH_WHO_MAX])
{
    char name[40];
    uid_t uid = geteuid();
    snprintf(buf, DF_PATH_WHO_MAX, "user %s (uid %lu)", user_name(uid, name, sizeof name),
             (unsigned long)uid);
    return buf;
}

const char *df_path_owner(const struct stat *sb, char buf[DF_PATH_WHO_MAX])
{
    char user[40], group[40];
    snprintf(buf, DF_PATH_WHO_MAX, "owner %s:%s, mode %04o",
             user_name(sb->st_uid, user, sizeof user), group_name(sb->st_gid, group, sizeof group),
             (unsigned)(sb->st_mode & 07777));
    return buf;
}

const char *df_path_folder(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
    return buf;
}

/* "permission denied: user U (uid N) cannot VERB PATH (owner O:G, mode M)". */
static int denied(const char *verb, const char *path, const struct stat *sb, df_error *err)
{
    char who[DF_PATH_WHO_MAX], owner[DF_PATH_WHO_MAX], shown[DF_ERROR_PATH_SHOWN];
    return df_error_set(err, DF_EDB, "permission denied: %s cannot %s %s (%s)", df_path_who(who),
                        verb, df_error_path(path, shown), df_path_owner(sb, owner));
}

/* Each folder on the way to path (its every prefix ending before a '/')
 * exists, is a folder, and may be entered. */
static int check_folders(const char *path, df_error *err)
{
    size_t len = strlen(path);
    char *prefix = malloc(len + 1);
    if (prefix == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    int rc = 0;
    char shown[DF_ERROR_PATH_SHOWN], shown_path[DF_ERROR_PATH_SHOWN];
    for (size_t i = 0; rc == 0 && i < len; i++) {
        if (path[i] != '/' || (i > 0 && path[i - 1] == '/'))
            continue;
        size_t n = i == 0 ? 1 : i; /* the root itself for a leading '/' */
        memcpy(prefix, path, n);
        prefix[n] = '\0';
        struct stat sb;
        if (stat(prefix, &sb) != 0) {
            if (errno == ENOENT)
                rc = df_error_set(err, DF_EDB, "missing folder: %s does not exist (for %s)",
                                  df_error_path(prefix, shown), df_error_path(path, shown_path));
            else if (errno == ENOTDIR)
                rc = df_error_set(err, DF_EDB, "wrong type: a part of %s is not a folder",
                                  df_error_path(prefix, shown));
            else
                rc = df_error_set(err, DF_EDB, "cannot look at folder %s: %s",
                                  df_error_path(prefix, shown), strerror(errno));
        } else if (!S_ISDIR(sb.st_mode)) {
            rc = df_error_set(err, DF_EDB, "wrong type: %s is not a folder (in %s)",
                              df_error_path(prefix, shown), df_error_path(path, shown_path));
        } else if (faccessat(AT_FDCWD, prefix, X_OK, AT_EACCESS) != 0) {
            rc = denied("enter folder", prefix, &sb, err);
        }
    }
    free(prefix);
    return rc;
}

int df_path_check(const char *path, int want, const char *what, df_error *err)
{
    int rc = check_folders(path, err);
    if (rc != 0)
        return rc;
    char shown[DF_ERROR_PATH_SHOWN];
    const char *space = what != NULL ? " " : "";
    what = what != NULL ? what : "";
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT)
            return DF_ENOTFOUND;
        return df_error_set(err, DF_EDB, "cannot look at %s%s%s: %s", what, space,
                            df_error_path(path, shown), strerror(errno));
    }
    if (S_ISDIR(sb.st_mode))
        return df_error_set(err, DF_EDB, "wrong type: %s%s%s is a folder, not a file", what, space,
                            df_error_path(path, shown));
    if (!S_ISREG(sb.st_mode))
        return df_error_set(err, DF_EDB, "wrong type: %s%s%s is not a regular file", what, space,
                            df_error_path(path, shown));
    if ((want & DF_PATH_READ) && faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0)
        return denied("read", path, &sb, err);
    if ((want & DF_PATH_WRITE) && faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
        return denied("write", path, &sb, err);
    return 0;
}

int df_path_check_folder_writable(const char *path, df_error *err)
{
    char folder[4096];
    df_path_folder(path, folder, sizeof folder);
    struct stat sb;
    if (stat(folder, &sb) == 0 && faccessat(AT_FDCWD, folder, W_OK | X_OK, AT_EACCESS) != 0)
        return denied("create files in folder", folder, &sb, err);
    return 0;
}

bool df_path_birth(const char *path, struct timespec *born)
{
    struct statx sx;
    if (statx(AT_FDCWD, path, 0, STATX_BTIME, &sx) != 0 || !(sx.stx_mask & STATX_BTIME))
        return false;
    born->tv_sec = (time_t)sx.stx_btime.tv_sec;
    born->tv_nsec = (long)sx.stx_btime.tv_nsec;
    return true;
}
