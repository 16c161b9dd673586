/* Finished answer bodies of one process, kept for the next request that asks
 * for the same answer of the same log state: consumers that follow the feed
 * together read the same pages, and a page of real metadata costs the
 * responder ~20 times more to read, write and compress than to send again.
 *
 * Sound because one state of the log gives one body per request: entries are
 * immutable and every change appends one, so the log's identity and its
 * newest Sequence (the "generation") name the state, as they do in the
 * ETag, and on what the ETag relies on: a log never goes back under the
 * same identity (and, for a file copied over it by hand, every open of the
 * log empties the cache). The cache holds bodies of one generation only, the newest
 * it was shown: a newer one empties it, so it never holds pages nobody can
 * ask for again.
 * Keys are compared byte for byte (never by hash): a key is everything else
 * the body depends on, and it is the caller's to make whole.
 *
 * Safe for the threads of a process (one mutex); a body handed out stays
 * valid, even when evicted, until its reference is released. */
#ifndef DF_ANSWER_CACHE_H
#define DF_ANSWER_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct df_answer_cache df_answer_cache;

/* A body in the cache, read-only; valid until released. */
typedef struct df_cached_body df_cached_body;

/* Default of DCMFEED_CACHE_MB, per process. */
#define DF_ANSWER_CACHE_MB_DEFAULT 32

/* A cache holding at most max_bytes of keys and bodies (one body takes at
 * most a quarter of it). NULL when out of memory. Free with
 * df_answer_cache_free once every body is released. */
df_answer_cache *df_answer_cache_new(size_t max_bytes);
void df_answer_cache_free(df_answer_cache *c);

/* The count of df_answer_cache_clear calls so far (0 for NULL). A request
 * takes it before it looks at the log and hands it to get and put: a body
 * read by a thread that began before a clear (from a log file since
 * replaced) is then neither answered from nor kept. */
uint64_t df_answer_cache_epoch(df_answer_cache *c);

/* The body stored for key under the generation (feed_id, NUL-terminated,
 * and last), with a reference the caller releases; NULL when there is none
 * or epoch is not the cache's. A generation newer than the cache's (another
 * feed_id, or a larger last) empties the cache. */
const df_cached_body *df_answer_cache_get(df_answer_cache *c, uint64_t epoch, const char *feed_id,
                                          int64_t last, const void *key, size_t key_len);

/* Stores a copy of body[0..len) for key under the generation, emptying the
 * cache first when the generation is newer than the one it holds. Best
 * effort: a body too large, one of an older generation or another epoch,
 * or no memory, and nothing is stored (the caller already has its
 * answer). */
void df_answer_cache_put(df_answer_cache *c, uint64_t epoch, const char *feed_id, int64_t last,
                         const void *key, size_t key_len, const void *body, size_t len);

void df_answer_cache_release(df_answer_cache *c, const df_cached_body *b);

/* Empties the cache and starts a new epoch, which it returns (0 for
 * NULL): a responder opened the log (again: a file replaced, a server
 * reconnected), and what was read before may be of another log; what the
 * responder reads from the log it opened belongs to the new epoch. */
uint64_t df_answer_cache_clear(df_answer_cache *c);

const char *df_cached_body_data(const df_cached_body *b);
size_t df_cached_body_len(const df_cached_body *b);

/* What the cache holds now, for tests and the operator's figures. */
typedef struct df_answer_cache_stats {
    size_t entries, bytes;
    uint64_t hits, misses;
} df_answer_cache_stats;

void df_answer_cache_stats_get(df_answer_cache *c, df_answer_cache_stats *out);

#endif
