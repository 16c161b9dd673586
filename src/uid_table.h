/* A set of keys made of UIDs (a UID, or "SERIES SOP": UIDs hold only digits
 * and dots, so a space separates two), each numbered from 0 in the order it
 * was first added, so that a caller keeps what belongs to a key in an array
 * of its own indexed by that number. reconcile uses it for the studies it
 * has visited, the series and instances of a listing (archives may list one
 * twice), and the log's instances of a study. Open addressing over one array
 * of slots; the keys are copied into one growing arena. */
#ifndef DF_UID_TABLE_H
#define DF_UID_TABLE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct df_uid_table {
    size_t *slots;  /* index + 1 of the key in each slot, 0 when empty */
    size_t nslots;  /* a power of two */
    size_t *offset; /* where key i starts in keys */
    size_t count, cap;
    char *keys; /* NUL-terminated keys, back to back */
    size_t used, keys_cap;
} df_uid_table;

/* An empty table; nothing is allocated until the first add. Free with
 * df_uid_table_free; df_uid_table_clear empties it and keeps its memory. */
void df_uid_table_init(df_uid_table *t);
void df_uid_table_free(df_uid_table *t);
void df_uid_table_clear(df_uid_table *t);

/* Adds key (NUL-terminated, copied) unless present. *index receives its
 * number, *added (may be NULL) whether it is new. Returns false when out of
 * memory (the table unchanged). */
bool df_uid_table_add(df_uid_table *t, const char *key, size_t *index, bool *added);

/* True with *index when key is in the table. */
bool df_uid_table_find(const df_uid_table *t, const char *key, size_t *index);

/* Key number index (< count), borrowed until the next add or clear. */
const char *df_uid_table_key(const df_uid_table *t, size_t index);

#endif
