/* dcmfeed-ingest's commands that look after the log as a whole: init (the
 * only command that makes a log), backup, restore and status (a health check
 * for cron and Nagios/Icinga). Each takes the log's address, -q, and the
 * arguments that follow its name on the command line; it says on stderr
 * what went wrong and returns the program's exit status (ingest_main.c's
 * table, dcmfeed-ingest(1)). The SQL is the store's (store.h); here are the
 * rules of each command and its messages. */
#ifndef DF_LOG_ADMIN_H
#define DF_LOG_ADMIN_H

#include <stdbool.h>

/* The exit statuses these commands share with the rest of dcmfeed-ingest. */
enum {
    DF_ADMIN_DONE = 0,
    DF_ADMIN_INPUT = 1, /* a BACKUP that is no good dcmfeed log */
    DF_ADMIN_USAGE = 2,
    DF_ADMIN_LOG = 3, /* the log cannot be opened, read or written */
};

/* status --max-age: the statuses of a Nagios/Icinga plugin. */
enum { DF_CHECK_OK = 0, DF_CHECK_WARNING = 1, DF_CHECK_CRITICAL = 2, DF_CHECK_UNKNOWN = 3 };

/* init [--owner USER]: makes the log where there is none (mode 0640, the
 * folder's group), or checks and repairs one that exists (its schema brought
 * up to date, -wal and -shm made, its files given to USER). Refuses to run as
 * root without --owner: a log made by root could be written by no one else. */
int df_admin_init(const char *db, bool quiet, int argc, char **argv);

/* backup DEST: a consistent copy of the live log into the new file DEST. */
int df_admin_backup(const char *db, bool quiet, int argc, char **argv);

/* restore BACKUP: puts a backup back into the live log under running
 * readers and writers, the files staying the same, with a new identity. */
int df_admin_restore(const char *db, bool quiet, int argc, char **argv);

/* status [--max-age WARN[,CRIT]]: entries, newest Sequence and Timestamp,
 * size, a quick integrity check; with --max-age one line and the exit status
 * of a Nagios plugin. */
int df_admin_status(const char *db, bool quiet, int argc, char **argv);

#endif
