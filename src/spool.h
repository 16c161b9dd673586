/* The spool: an append-only file of changes an archive signalled, kept on the
 * archive's own disk until they are in the log. The Orthanc plugin appends a
 * record when Orthanc stores or deletes an instance, which costs a write() to
 * a local file and never waits for the log (busy, a PostgreSQL server
 * restarting); one reader, the plugin's writer thread (spool_writer.h),
 * applies the records to the log in order and records there how far it got.
 *
 * Every record has a number, 1, 2, 3, … in the order of appending, which
 * never goes back for the life of the file (the file's header keeps the
 * highest number written so far when the applied records are cut away), and
 * a CRC: a record cut short by a crash, at the end of the file, is found and
 * dropped when the spool is opened again. Records reach the operating
 * system's page cache when df_spool_append returns, so they survive the
 * process (a crash, kill -9); df_spool_sync makes them survive a power loss.
 *
 * A spool has an identity (32 hex digits made with the file), so that the
 * log can tell one spool's position from another's (df_store_writer_position). */
#ifndef DF_SPOOL_H
#define DF_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef enum df_spool_kind {
    DF_SPOOL_NOOP = 0,   /* takes a number and carries nothing (a probe that the file
                            can be written); readers skip it */
    DF_SPOOL_STORED = 1, /* the archive stored an instance: UIDs and metadata */
    DF_SPOOL_DELETED = 2 /* the archive deleted the instance archive_id names */
} df_spool_kind;

/* A record. Every pointer is borrowed: by df_spool_append for the call, and
 * from df_spool_read until the next read. Strings are NUL-terminated. */
typedef struct df_spool_record {
    int64_t number; /* set by df_spool_append and df_spool_read */
    df_spool_kind kind;
    bool modified;          /* STORED: the archive made it by modifying an instance */
    const char *archive_id; /* the archive's identifier of the instance (an Orthanc ID) */
    const char *study_uid;  /* STORED; "" otherwise */
    const char *series_uid;
    const char *sop_uid;
    const char *metadata; /* STORED: compact DICOM JSON; NULL otherwise */
    size_t metadata_len;
} df_spool_record;

/* The longest record's payload the spool writes or reads: the log's cap on
 * metadata (DF_METADATA_MAX, 32 MiB) and room for the rest. */
#define DF_SPOOL_RECORD_MAX ((size_t)40 * 1024 * 1024)

typedef struct df_spool df_spool;

/* Opens the spool at path, creating it (with a new identity) when it is
 * missing. A record cut short at the end (a crash during a write) is dropped
 * and the file truncated after the last whole record; anything else that is
 * not a spool (a bad header, a CRC that fails before the end) is DF_EINVAL,
 * so that a file is never taken for a spool by mistake. DF_EIO when the file
 * or its folder cannot be read or written (err names path and the reason).
 * The caller closes it with df_spool_close. */
int df_spool_open(const char *path, df_spool **out, df_error *err);
void df_spool_close(df_spool *sp);

/* The spool's identity: 32 lowercase hex digits. Borrowed. */
const char *df_spool_id(const df_spool *sp);

/* The number of the last record appended, or of the last one cut away when
 * applied records were compacted (0 for a new spool). Thread-safe. */
int64_t df_spool_last(df_spool *sp);

/* Makes the next record's number larger than position: the log says it
 * applied records up to position, which a spool that lost its tail in a
 * power loss may not have reached, and a number it already applied must not
 * be given again. Rewrites the header (fsync'd) when it moves. */
int df_spool_advance(df_spool *sp, int64_t position, df_error *err);

/* Appends r (its number is set), in one write(); thread-safe: appenders
 * take turns, and their numbers follow the order of their writes. A write
 * that fails (a full disk) leaves the file as it was. DF_EINVAL for a record
 * over DF_SPOOL_RECORD_MAX or with a missing field; DF_EIO. */
int df_spool_append(df_spool *sp, df_spool_record *r, df_error *err);

/* Makes every record appended so far survive a power loss (fdatasync).
 * The reader's thread only (the one that calls df_spool_compact). */
int df_spool_sync(df_spool *sp, df_error *err);

/* Where a reader is: the offset of the next record in the file, and the
 * number of the last record it read; before the first, the number of the
 * last one cut away from the file (0 for a new spool), so that a reader of
 * a spool with nothing to read knows how far it is applied. */
typedef struct df_spool_cursor {
    int64_t offset;
    int64_t last;
} df_spool_cursor;

/* The cursor at the first record of the file. */
df_spool_cursor df_spool_start(df_spool *sp);

/* Reads the record at *c into *r and moves *c past it: 1; 0 when there is
 * none yet (the end). The record's fields are valid until the next read.
 * One reader at a time; appends may go on meanwhile. DF_EINVAL when a record
 * in the middle of the file is damaged, DF_EIO, DF_ENOMEM. */
int df_spool_read(df_spool *sp, df_spool_cursor *c, df_spool_record *r, df_error *err);

/* The number of bytes of records the reader at c has not read yet. */
int64_t df_spool_pending_bytes(df_spool *sp, const df_spool_cursor *c);

/* When the reader at *c has read every record and the file holds at least
 * min_bytes of them, starts the file again empty (keeping its identity and
 * the last number: a new file renamed over the old one, so that a crash
 * leaves one or the other whole) and moves *c to its start. Appends wait
 * meanwhile. Does nothing otherwise. *compacted (optional) says whether it
 * did. */
int df_spool_compact(df_spool *sp, df_spool_cursor *c, int64_t min_bytes, bool *compacted,
                     df_error *err);

#endif
