/* The second backend of the store: PostgreSQL through libpq. store.c owns the
 * public API and forwards every call here when the log's address is a libpq
 * URI or conninfo; these functions keep the contracts written in store.h. */
#ifndef DF_STORE_BACKEND_H
#define DF_STORE_BACKEND_H

#include "store.h"

/* True when address names a PostgreSQL log: a postgresql:// or postgres://
 * URI, or a conninfo string with a host= or dbname= keyword. */
bool df_store_is_pg_address(const char *address);

/* The Timestamp of the next entry, for every backend: the clock, but never
 * before *last (the newest entry's), which it then becomes; so Timestamp
 * never decreases along Sequence even when the system clock steps back. */
int64_t df_store_next_timestamp(int64_t *last);

/* 9999-12-31T23:59:59.999999Z in microseconds: the newest Timestamp an
 * answer can write (json.h: four-digit years). */
#define DF_TIMESTAMP_MAX INT64_C(253402300799999999)

/* The checks of df_store_append_entry that need no SQL, for every backend:
 * e may follow a log whose newest entry has last_sequence and last_timestamp
 * (0 and 0 for an empty log). Returns 0 or DF_EINVAL with err set. */
int df_store_check_entry(const df_entry *e, int64_t last_sequence, int64_t last_timestamp,
                         df_error *err);

/* The checks of df_store_set_feed_id that need no SQL, for every backend:
 * feed_id is 32 lowercase hex digits, and the log (its newest Sequence
 * last_sequence, its present identity current) is empty when expected is
 * NULL, or has the identity expected. */
int df_store_check_feed_id(const char *feed_id, const char *expected, const char *current,
                           int64_t last_sequence, df_error *err);

#ifdef HAVE_LIBPQ
typedef struct df_pg df_pg;

int df_pg_open(const char *conninfo, df_store_mode mode, df_pg **out, df_error *err);
void df_pg_close(df_pg *p);
int df_pg_begin(df_pg *p, df_error *err);
int df_pg_commit(df_pg *p, df_error *err);
void df_pg_rollback(df_pg *p);
int df_pg_add(df_pg *p, const char *study_uid, const char *series_uid, const char *sop_uid,
              const char *metadata, size_t metadata_len, int64_t *sequence, bool *replaced,
              df_error *err);
int df_pg_delete(df_pg *p, const char *study_uid, const char *series_uid, const char *sop_uid,
                 int64_t *count, df_error *err);
int df_pg_append_entry(df_pg *p, const df_entry *e, df_error *err);
int df_pg_set_feed_id(df_pg *p, const char *feed_id, const char *expected, df_error *err);
int df_pg_page(df_pg *p, int64_t after, int limit, bool with_metadata, df_entry_fn fn, void *ctx,
               df_error *err);
int df_pg_window(df_pg *p, int64_t start_us, int64_t end_us, int64_t skip, int limit,
                 bool with_metadata, df_entry_fn fn, void *ctx, df_error *err);
int df_pg_latest(df_pg *p, bool with_metadata, df_entry_fn fn, void *ctx, df_error *err);
int df_pg_last_sequence(df_pg *p, int64_t *sequence, df_error *err);
const char *df_pg_feed_id(const df_pg *p);
int df_pg_read_begin(df_pg *p, df_error *err);
void df_pg_read_end(df_pg *p);
#endif

#endif
