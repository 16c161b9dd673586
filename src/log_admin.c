/* init, backup, restore and status (log_admin.h): what each checks before it
 * touches the log, and what it tells the administrator. */
#include "log_admin.h"

#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "log_copy.h"
#include "num.h"
#include "path_check.h"
#include "store.h"

#define PROG "dcmfeed-ingest"

/* Entries per transaction when a log that is no file is copied into a
 * backup (log_copy.h). */
#define BACKUP_BATCH 1000

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    fputs(PROG ": ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry '" PROG " --help' for more information.\n", stderr);
    return DF_ADMIN_USAGE;
}

/* The log's address as a message may show it (a PostgreSQL password hidden). */
typedef struct shown_address {
    char text[512];
} shown_address;

static const char *shown(const char *db, shown_address *buf)
{
    return df_store_address_for_log(db, buf->text, sizeof buf->text);
}

/* "dcmfeed-ingest: MESSAGE" for a failure of the log: the store's messages
 * about a file name it; a PostgreSQL one is prefixed with its address. */
static int log_failure(const char *db, const df_error *err, const char *lost)
{
    shown_address a;
    if (df_store_is_file(db))
        fprintf(stderr, PROG ": %s%s%s\n", err->message, lost[0] ? "; " : "", lost);
    else
        fprintf(stderr, PROG ": %s: %s%s%s\n", shown(db, &a), err->message, lost[0] ? "; " : "",
                lost);
    return DF_ADMIN_LOG;
}

/* No argument but those named: options of a command follow it. */
static bool only_args(int argc, int want)
{
    return argc == want;
}

/* ---- init -------------------------------------------------------------- */

/* Whether user pw may do what mode bits `bits` (4 read, 2 write, 1 enter) of
 * sb allow, as the kernel decides it: owner, else one of the user's groups,
 * else others. */
static bool user_may(const struct passwd *pw, const struct stat *sb, unsigned bits)
{
    if (pw->pw_uid == 0)
        return true;
    unsigned mode = (unsigned)sb->st_mode;
    if (sb->st_uid == pw->pw_uid)
        return ((mode >> 6) & bits) == bits;
    gid_t groups[256];
    int n = (int)(sizeof groups / sizeof groups[0]);
    if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
        n = 0;
    for (int i = 0; i < n; i++)
        if (groups[i] == sb->st_gid)
            return ((mode >> 3) & bits) == bits;
    return (mode & bits) == bits;
}

/* The folder that holds a SQLite log, checked for the user that will write
 * it: the writer makes the -wal and -shm there, and the set-group-ID bit
 * gives them the folder's group (the readers') when they are made anew.
 * Prints what it changed or would have the administrator change. */
static int check_folder(const char *db, const struct passwd *owner, bool quiet)
{
    char folder[4096], shown_folder[DF_ERROR_PATH_SHOWN], owner_text[DF_PATH_WHO_MAX];
    df_path_folder(db, folder, sizeof folder);
    struct stat sb;
    if (stat(folder, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return 0; /* the store says what is wrong with it */
    const char *f = df_error_path(folder, shown_folder);
    if (!user_may(owner, &sb, 3)) {
        fprintf(stderr,
                PROG ": permission denied: user %s (uid %lu) may not create files in folder %s "
                     "(%s), where the log's -wal and -shm are made; give it the folder "
                     "(chown %s %s); nothing written\n",
                owner->pw_name, (unsigned long)owner->pw_uid, f, df_path_owner(&sb, owner_text),
                owner->pw_name, f);
        return DF_ADMIN_LOG;
    }
    if (!(sb.st_mode & S_ISGID) && sb.st_gid != owner->pw_gid) {
        if (chmod(folder, (sb.st_mode & 07777) | S_ISGID) == 0) {
            if (!quiet)
                fprintf(stderr,
                        PROG ": set the set-group-ID bit of folder %s, so that files made there "
                             "keep its group (the readers')\n",
                        f);
        } else {
            fprintf(stderr,
                    PROG ": warning: folder %s lacks the set-group-ID bit (chmod g+s %s): a -wal "
                         "or -shm made anew would not be in its group, the readers'\n",
                    f, f);
        }
    }
    if (sb.st_mode & 07)
        fprintf(stderr,
                PROG ": warning: every user may enter folder %s (%s): the log names patients; "
                     "chmod o-rwx %s\n",
                f, df_path_owner(&sb, owner_text), f);
    return 0;
}

int df_admin_init(const char *db, bool quiet, int argc, char **argv)
{
    const char *owner_name = NULL;
    if (argc == 2 && strcmp(argv[0], "--owner") == 0)
        owner_name = argv[1];
    else if (argc != 0)
        return usage_error("%s", "init takes only --owner USER");
    bool file = df_store_is_file(db);
    if (owner_name != NULL && !file)
        return usage_error("%s", "--owner goes with a log that is a file (SQLite); a "
                                 "PostgreSQL log belongs to the role that makes it");
    if (file && owner_name == NULL && geteuid() == 0)
        return usage_error("%s", "init as root would make a log that only root may write: "
                                 "give --owner USER, the user that runs dcmfeed-ingest (and "
                                 "storescp), e.g. --owner dcmfeed");
    struct passwd pw_buf, *owner = NULL;
    char scratch[2048];
    uid_t self = geteuid();
    if (file) {
        int rc = owner_name != NULL
                     ? getpwnam_r(owner_name, &pw_buf, scratch, sizeof scratch, &owner)
                     : getpwuid_r(self, &pw_buf, scratch, sizeof scratch, &owner);
        if (rc != 0 || owner == NULL) {
            if (owner_name != NULL)
                return usage_error("--owner: no user '%s'", owner_name);
            fprintf(stderr, PROG ": this process's user (uid %lu) has no name\n",
                    (unsigned long)self);
            return DF_ADMIN_LOG;
        }
        if (self != 0 && owner->pw_uid != self) {
            fprintf(stderr, PROG ": only root may give the log to user %s; nothing written\n",
                    owner->pw_name);
            return DF_ADMIN_LOG;
        }
        rc = check_folder(db, owner, quiet);
        if (rc != 0)
            return rc;
    }

    df_store *s = NULL;
    df_error err = {0};
    int rc = df_store_open(db, DF_STORE_CREATE, &s, &err);
    if (rc != 0)
        return log_failure(db, &err, "");
    bool created = df_store_created(s);
    struct stat sb = {0};
    if (file) {
        /* The files go to the owner, in the group of their folder (the
         * readers'), mode 0640: a log made before, by root or with another
         * umask, is repaired too. Without root, the group is the one the
         * store gave a new log. */
        char folder[4096];
        struct stat fs;
        gid_t group = (gid_t)-1;
        if (self == 0 && stat(df_path_folder(db, folder, sizeof folder), &fs) == 0)
            group = fs.st_gid;
        rc = df_store_set_owner(s, self == 0 ? owner->pw_uid : (uid_t)-1, group, &err);
        if (rc == 0)
            stat(db, &sb);
    }
    df_store_stats st = {0};
    if (rc == 0)
        rc = df_store_count(s, &st, &err);
    if (rc != 0) {
        df_store_close(s);
        return log_failure(db, &err, "");
    }
    if (!quiet) {
        shown_address a;
        char files[DF_PATH_WHO_MAX] = "";
        if (file)
            df_path_owner(&sb, files);
        printf("init: %s %s%s%s%s, identity %s, schema version %" PRId64 ", %" PRId64 " entries\n",
               created ? "made the log" : "the log is there:", shown(db, &a), file ? " (" : "",
               files, file ? ")" : "", df_store_feed_id(s), st.schema_version, st.entries);
    }
    df_store_close(s);
    return DF_ADMIN_DONE;
}

/* ---- backup -------------------------------------------------------------- */

/* A log that is no file is copied entry by entry into a new SQLite file
 * (log_copy.h): the source in one snapshot, its identity kept. */
static int copy_into_file(df_store *src, const char *dest, df_error *err)
{
    char shown_dest[DF_ERROR_PATH_SHOWN];
    struct stat sb;
    if (lstat(dest, &sb) == 0)
        return df_error_set(err, DF_EINVAL, "%s exists: a backup never overwrites a file",
                            df_error_path(dest, shown_dest));
    df_log_copy c;
    df_store *d = NULL;
    int rc = df_log_copy_init(&c, src, BACKUP_BATCH, err);
    if (rc == 0)
        rc = df_store_open(dest, DF_STORE_CREATE, &d, err);
    while (rc == 0 && (rc = df_log_copy_step(&c, d, err)) > 0)
        ;
    df_store_close(d);
    if (rc != 0 && d != NULL) {
        char side[4096];
        unlink(dest);
        snprintf(side, sizeof side, "%s-wal", dest);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", dest);
        unlink(side);
    }
    return rc;
}

int df_admin_backup(const char *db, bool quiet, int argc, char **argv)
{
    if (!only_args(argc, 1))
        return usage_error("%s", "backup needs one DEST, a file that does not exist yet");
    const char *dest = argv[0];
    df_store *s = NULL, *copy = NULL;
    df_error err = {0};
    /* A reader: the writers go on while the copy is made. */
    int rc = df_store_open(db, DF_STORE_READONLY, &s, &err);
    if (rc != 0)
        return log_failure(db, &err, "no backup made");
    rc = df_store_is_file(db) ? df_store_backup(s, dest, &err) : copy_into_file(s, dest, &err);
    df_store_close(s);
    if (rc != 0) {
        if (rc == DF_EINVAL) {
            fprintf(stderr, PROG ": %s; no backup made\n", err.message);
            return DF_ADMIN_INPUT;
        }
        return log_failure(db, &err, "no backup made");
    }
    /* What the copy holds, read back from it. */
    df_store_stats st = {0};
    rc = df_store_open(dest, DF_STORE_READONLY, &copy, &err);
    if (rc == 0)
        rc = df_store_count(copy, &st, &err);
    if (rc != 0) {
        df_store_close(copy);
        fprintf(stderr, PROG ": the backup %s cannot be read back: %s\n", dest, err.message);
        return DF_ADMIN_LOG;
    }
    if (!quiet)
        printf("backup %" PRId64 " entries (Sequence 1 to %" PRId64 ") to %s, %" PRId64
               " bytes, identity %s\n",
               st.entries, st.newest, dest, st.bytes, df_store_feed_id(copy));
    df_store_close(copy);
    return DF_ADMIN_DONE;
}

/* ---- restore ------------------------------------------------------------- */

int df_admin_restore(const char *db, bool quiet, int argc, char **argv)
{
    if (!only_args(argc, 1))
        return usage_error("%s", "restore needs one BACKUP, a file made by dcmfeed-ingest backup");
    const char *backup = argv[0];
    if (!df_store_is_file(db)) {
        fprintf(stderr, PROG ": a PostgreSQL log is restored with pg_restore from a dump of its "
                             "database, and given a new identity (deploy.md, section 13, "
                             "Restores); nothing written\n");
        return DF_ADMIN_INPUT;
    }
    struct stat a, b;
    if (stat(db, &a) == 0 && stat(backup, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        fprintf(stderr, PROG ": the backup is the log itself; nothing written\n");
        return DF_ADMIN_INPUT;
    }
    df_store *s = NULL;
    df_error err = {0};
    df_store_stats before = {0}, after = {0};
    int rc = df_store_open(db, DF_STORE_READWRITE, &s, &err);
    if (rc != 0)
        return log_failure(db, &err, "nothing written");
    rc = df_store_count(s, &before, &err);
    if (rc == 0)
        rc = df_store_restore(s, backup, &err);
    if (rc != 0) {
        df_store_close(s);
        /* What is wrong with the backup is the caller's; the log's is 3. */
        if (rc == DF_ESCHEMA || (rc == DF_EDB && strstr(err.message, backup) != NULL) ||
            rc == DF_EINVAL) {
            fprintf(stderr, PROG ": the backup: %s; nothing written\n", err.message);
            return DF_ADMIN_INPUT;
        }
        return log_failure(db, &err, "nothing written");
    }
    rc = df_store_count(s, &after, &err);
    if (rc != 0) {
        df_store_close(s);
        return log_failure(db, &err, "the backup was put back");
    }
    if (!quiet)
        printf("restore %" PRId64 " entries (Sequence 1 to %" PRId64 ") from %s; the log held "
               "Sequence 1 to %" PRId64 "; new identity %s\n",
               after.entries, after.newest, backup, before.newest, df_store_feed_id(s));
    if (before.newest > after.newest)
        fprintf(stderr,
                PROG ": the %" PRId64 " entries after Sequence %" PRId64
                     " are gone: consumers that read past it must go back to Sequence %" PRId64
                     " (deploy.md, backups)\n",
                before.newest - after.newest, after.newest, after.newest);
    df_store_close(s);
    return DF_ADMIN_DONE;
}

/* ---- status --------------------------------------------------------------- */

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --max-age WARN[,CRIT]: seconds, CRIT (if given) not below WARN. */
static bool parse_ages(const char *text, int64_t *warn, int64_t *crit)
{
    const char *comma = strchr(text, ',');
    size_t len = comma != NULL ? (size_t)(comma - text) : strlen(text);
    if (df_parse_i64(text, len, 1, INT64_MAX / 1000000, warn) != DF_NUM_OK)
        return false;
    *crit = -1;
    if (comma == NULL)
        return true;
    return df_parse_i64(comma + 1, strlen(comma + 1), *warn, INT64_MAX / 1000000, crit) ==
           DF_NUM_OK;
}

/* One line of a Nagios plugin: "DCMFEED STATE - text | perfdata". */
static int check_line(int state, const char *text, const char *perfdata)
{
    static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    printf("DCMFEED %s - %s%s%s\n", names[state], text, perfdata[0] ? " | " : "", perfdata);
    return state;
}

int df_admin_status(const char *db, bool quiet, int argc, char **argv)
{
    int64_t warn = -1, crit = -1;
    if (argc == 2 && strcmp(argv[0], "--max-age") == 0) {
        if (!parse_ages(argv[1], &warn, &crit))
            return usage_error("%s", "--max-age takes WARN or WARN,CRIT: seconds, CRIT not "
                                     "below WARN");
    } else if (argc != 0) {
        return usage_error("%s", "status takes only --max-age WARN[,CRIT]");
    }
    bool check = warn >= 0;
    df_store *s = NULL;
    df_error err = {0};
    df_store_stats st = {0};
    /* A reader: a check never waits for a writer, nor changes the log. */
    int rc = df_store_open(db, DF_STORE_READONLY, &s, &err);
    if (rc == 0)
        rc = df_store_count(s, &st, &err);
    int integrity = rc == 0 ? df_store_check(s, &err) : 0;
    if (rc != 0 || integrity != 0) {
        df_store_close(s);
        if (!check)
            return log_failure(db, &err, "");
        shown_address a;
        char text[DF_ERROR_MESSAGE_MAX + 600];
        snprintf(text, sizeof text, "%s%s%s", df_store_is_file(db) ? "" : shown(db, &a),
                 df_store_is_file(db) ? "" : ": ", err.message);
        return check_line(DF_CHECK_CRITICAL, text, "");
    }
    int64_t age_s = st.newest > 0 ? (now_us() - st.newest_us) / 1000000 : -1;
    if (age_s < -1)
        age_s = 0; /* a clock stepped back */
    char when[64] = "";
    if (st.newest > 0) {
        df_buf b;
        df_buf_init(&b, 64);
        df_json_append_timestamp(&b, st.newest_us);
        if (!df_buf_failed(&b) && b.data != NULL)
            snprintf(when, sizeof when, "%s", b.data);
        df_buf_free(&b);
    }
    if (check) {
        char perf[256], text[256];
        char age_perf[64] = "age=U";
        if (age_s >= 0)
            snprintf(age_perf, sizeof age_perf, "age=%" PRId64 "s", age_s);
        char crit_text[32] = "";
        if (crit >= 0)
            snprintf(crit_text, sizeof crit_text, "%" PRId64, crit);
        snprintf(perf, sizeof perf,
                 "entries=%" PRId64 "c;;;0 %s;%" PRId64 ";%s;0 size=%" PRId64 "B;;;0", st.entries,
                 age_perf, warn, crit_text, st.bytes);
        int state = DF_CHECK_OK;
        if (st.newest == 0) {
            snprintf(text, sizeof text, "the log is empty");
            state = DF_CHECK_WARNING;
        } else {
            snprintf(text, sizeof text,
                     "%" PRId64 " entries, the newest %" PRId64 " s old (Sequence %" PRId64 ", %s)",
                     st.entries, age_s, st.newest, when);
            if (crit >= 0 && age_s > crit)
                state = DF_CHECK_CRITICAL;
            else if (age_s > warn)
                state = DF_CHECK_WARNING;
        }
        df_store_close(s);
        return check_line(state, text, perf);
    }
    if (!quiet) {
        shown_address a;
        printf("log        %s (%s, schema version %" PRId64 ")\n", shown(db, &a),
               df_store_is_file(db) ? "SQLite" : "PostgreSQL", st.schema_version);
        printf("identity   %s\n", df_store_feed_id(s));
        printf("entries    %" PRId64 " (%" PRId64 " instances)\n", st.entries, st.instances);
        if (st.newest > 0)
            printf("newest     Sequence %" PRId64 ", %s (%" PRId64 " s ago)\n", st.newest, when,
                   age_s);
        else
            printf("newest     none: the log is empty\n");
        printf("size       %" PRId64 " bytes", st.bytes);
        if (st.entries > 0)
            printf(" (%" PRId64 " per entry)", st.bytes / st.entries);
        printf("\nintegrity  ok\n");
    }
    df_store_close(s);
    return DF_ADMIN_DONE;
}
