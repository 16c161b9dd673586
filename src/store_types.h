/* The log's vocabulary, shared by the store's public API (store.h) and its
 * backends (store_backend.h): an entry as read, its action and State, the
 * open modes, the size of the log's identity. A column added to the log is
 * a member of df_entry here, which each backend then writes and reads. */
#ifndef DF_STORE_TYPES_H
#define DF_STORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uid.h"

/* The schema version this build writes and reads (SQLite: PRAGMA
 * user_version; PostgreSQL: table dcmfeed_schema); docs/schema.md lists what
 * each version added. A writer brings an older log up to it; a reader reads
 * every version from 1 to it, and refuses a newer one. */
#define DF_SCHEMA_VERSION 4

/* The log's identity is DF_FEED_ID_LEN lowercase hex digits (a buffer for
 * it holds DF_FEED_ID_LEN + 1 bytes); an ETag carries its first
 * DF_FEED_ID_ETAG_LEN. */
#define DF_FEED_ID_LEN      32
#define DF_FEED_ID_ETAG_LEN 16

typedef enum df_store_mode {
    DF_STORE_READONLY,  /* responders: never writes, never creates */
    DF_STORE_READWRITE, /* the ingest side: a log that exists; its schema brought up to date */
    DF_STORE_CREATE,    /* dcmfeed-ingest init (and a writer allowed to make the log): as
                         * READWRITE, and makes the log and its schema when there is none */
} df_store_mode;

/* The values are the log's (entries.action). An update (schema version 2)
 * gives an existing instance new metadata without a new file. */
/* What df_store_count answers. */
typedef struct df_store_stats {
    int64_t entries;        /* rows of entries */
    int64_t instances;      /* instances ever seen, deleted ones included */
    int64_t newest;         /* the newest Sequence, 0 for an empty log */
    int64_t newest_us;      /* its Timestamp (microseconds since the epoch), 0 for an empty log */
    int64_t schema_version; /* as docs/schema.md numbers them */
    int64_t bytes;          /* what the log takes on disk (SQLite: the file and its -wal) */
} df_store_stats;

typedef enum df_action {
    DF_ACTION_CREATE = 0,
    DF_ACTION_DELETE = 1,
    DF_ACTION_UPDATE = 2
} df_action;
typedef enum df_state { DF_STATE_CURRENT, DF_STATE_REPLACED, DF_STATE_DELETED } df_state;

/* Which metadata a reader hands out with each entry: none, the instance's
 * as stored, or its de-identified copy (deid.h; schema version 4). The first
 * two are the values of the bool they replace (false, true). */
typedef enum df_metadata {
    DF_METADATA_NONE = 0,
    DF_METADATA_FULL = 1,
    DF_METADATA_DEID = 2,
} df_metadata;

/* The most values one filter of a df_filter takes (spec §5: 16). */
#define DF_FILTER_VALUES_MAX 16

/* Which entries a filtered read returns (schema version 4): those that match
 * every filter given. A filter with no value is not given. Values are
 * borrowed for the call; an entry's SOP Class UID and Modality are compared
 * byte for byte. */
typedef struct df_filter {
    size_t sop_class_count;
    const char *sop_classes[DF_FILTER_VALUES_MAX];
    size_t modality_count;
    const char *modalities[DF_FILTER_VALUES_MAX];
    unsigned actions; /* bit (1u << action) for each df_action asked; 0: any */
} df_filter;

/* One entry as read from the log. Every pointer is borrowed and valid only
 * during the callback that receives it. */
typedef struct df_entry {
    int64_t sequence;
    const char *study_uid;
    const char *series_uid;
    const char *sop_uid;
    df_action action;
    int64_t timestamp_us; /* microseconds since the Unix epoch, UTC */
    df_state state;
    /* The SOP Class UID (0008,0016) and Modality (0008,0060) of the instance
     * as this entry made it (a delete: as it was), kept by schema version 4:
     * "" when its dataset had none; NULL when the read does not give them
     * (a page) or the log is older. A writer's copy of an entry
     * (df_store_append_entry) gives them as its source read them
     * (df_store_copy_page); with both NULL, the copy derives them as an upgrade would: a
     * create's or an update's from its metadata, a delete's the instance's. */
    const char *sop_class_uid;
    const char *modality;
    const char *metadata; /* compact DICOM JSON; NULL when deleted or not asked for */
    size_t metadata_len;
    /* Only in what store.c hands a backend's append, never read back: the
     * de-identified copy of metadata (store_derive.h), NULL with it. */
    const char *deid_metadata;
    size_t deid_metadata_len;
} df_entry;

/* An instance as the log holds it, found by the identifier an archive gave
 * it (df_store_find_archive_id): its UIDs, and whether it has a present
 * version (false once deleted). */
typedef struct df_store_instance {
    char study_uid[DF_UID_MAX + 1];
    char series_uid[DF_UID_MAX + 1];
    char sop_uid[DF_UID_MAX + 1];
    bool current;
} df_store_instance;

/* The longest archive name and archive identifier the log keeps
 * (df_store_set_archive_id), and the longest writer name
 * (df_store_set_writer_position), in bytes. */
#define DF_ARCHIVE_NAME_MAX 64
#define DF_ARCHIVE_ID_MAX   128
#define DF_WRITER_NAME_MAX  128

/* Called once per entry, in Sequence order. Returning non-zero stops the read,
 * and the read function returns that value. */
typedef int (*df_entry_fn)(void *ctx, const df_entry *entry);

/* Called once per UID (NUL-terminated, borrowed for the call); non-zero stops
 * the read, which returns that value. */
typedef int (*df_uid_fn)(void *ctx, const char *uid);

/* An instance the log holds a present version of, and the identifier an
 * archive gave it (df_store_archive_instances). Strings are borrowed for
 * the call. Returns 0 to go on, non-zero to stop the walk. */
typedef int (*df_archive_instance_fn)(void *ctx, const char *archive_id, const char *study_uid,
                                      const char *series_uid, const char *sop_uid);

#endif
