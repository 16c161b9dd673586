/* The process's cache of finished answer bodies (answer_cache.h). A small
 * table scanned in full: a hit costs a few hundred nanoseconds against the
 * tens of microseconds of the snapshot that must precede it anyway, and the
 * table stays small because every append empties it. */
#include "answer_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

/* Entries at most: more distinct pages of one generation than consumers
 * read at once between two appends. */
#define ENTRIES_MAX 128
/* A feed identity longer than this is not cached (ours are 32 characters). */
#define FEED_MAX 64

struct df_cached_body {
    unsigned refs; /* the table's (while in it) and the answers' holding it */
    uint64_t hash; /* of the key: compared before the key itself */
    uint64_t used; /* the cache's clock at the last hit: the least recent goes first */
    size_t key_len, len;
    char *body;   /* in bytes[], after the key */
    char bytes[]; /* the key, then the body */
};

struct df_answer_cache {
    pthread_mutex_t lock;
    size_t max_bytes, bytes;
    uint64_t epoch;          /* df_answer_cache_clear's count */
    char feed[FEED_MAX + 1]; /* the generation held: "" when none yet */
    int64_t last;
    uint64_t clock, hits, misses;
    int count;
    df_cached_body *entries[ENTRIES_MAX];
};

df_answer_cache *df_answer_cache_new(size_t max_bytes)
{
    df_answer_cache *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    return c;
}

static size_t cost(const df_cached_body *b)
{
    return sizeof *b + b->key_len + b->len;
}

/* Takes a body out of the table; it is freed when no answer holds it.
 * Called with the lock held. */
static void unlink_entry(df_answer_cache *c, int i)
{
    df_cached_body *b = c->entries[i];
    c->entries[i] = c->entries[--c->count];
    c->entries[c->count] = NULL;
    c->bytes -= cost(b);
    if (--b->refs == 0)
        free(b);
}

static void empty(df_answer_cache *c)
{
    while (c->count > 0)
        unlink_entry(c, c->count - 1);
}

void df_answer_cache_free(df_answer_cache *c)
{
    if (c == NULL)
        return;
    empty(c);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Compares the generation (feed_id, last) with the cache's: 0 the same, 1
 * newer, -1 older. A restore gives the log a new identity, whose Sequences
 * start again: another identity counts as newer. */
static int compare(const df_answer_cache *c, const char *feed_id, int64_t last)
{
    if (strcmp(c->feed, feed_id) != 0)
        return 1;
    return last == c->last ? 0 : last > c->last ? 1 : -1;
}

/* Makes the cache hold the generation (feed_id, last), emptied when it held
 * another. Called with the lock held. */
static void adopt(df_answer_cache *c, const char *feed_id, int64_t last)
{
    if (compare(c, feed_id, last) == 0)
        return;
    empty(c);
    strcpy(c->feed, feed_id);
    c->last = last;
}

uint64_t df_answer_cache_clear(df_answer_cache *c)
{
    if (c == NULL)
        return 0;
    pthread_mutex_lock(&c->lock);
    empty(c);
    c->feed[0] = '\0';
    uint64_t epoch = ++c->epoch;
    pthread_mutex_unlock(&c->lock);
    return epoch;
}

uint64_t df_answer_cache_epoch(df_answer_cache *c)
{
    if (c == NULL)
        return 0;
    pthread_mutex_lock(&c->lock);
    uint64_t epoch = c->epoch;
    pthread_mutex_unlock(&c->lock);
    return epoch;
}

/* The body stored for key, or NULL. Called with the lock held. */
static df_cached_body *find(const df_answer_cache *c, uint64_t hash, const void *key,
                            size_t key_len)
{
    for (int i = 0; i < c->count; i++) {
        df_cached_body *b = c->entries[i];
        if (b->hash == hash && b->key_len == key_len && memcmp(b->bytes, key, key_len) == 0)
            return b;
    }
    return NULL;
}

const df_cached_body *df_answer_cache_get(df_answer_cache *c, uint64_t epoch, const char *feed_id,
                                          int64_t last, const void *key, size_t key_len)
{
    if (strlen(feed_id) > FEED_MAX)
        return NULL;
    uint64_t hash = df_fnv1a(DF_FNV_START, key, key_len);
    df_cached_body *found = NULL;
    pthread_mutex_lock(&c->lock);
    /* A thread whose snapshot began before the last append may still ask
     * for the older generation: a miss, which leaves the newer bodies be. */
    int newer = compare(c, feed_id, last);
    if (epoch == c->epoch && newer > 0)
        adopt(c, feed_id, last);
    if (epoch == c->epoch && newer >= 0)
        found = find(c, hash, key, key_len);
    if (found != NULL) {
        found->refs++;
        found->used = ++c->clock;
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->lock);
    return found;
}

/* Makes room for need more bytes and one more entry, least recently used
 * first. Called with the lock held. */
static void make_room(df_answer_cache *c, size_t need)
{
    while (c->count > 0 && (c->count == ENTRIES_MAX || c->bytes + need > c->max_bytes)) {
        int oldest = 0;
        for (int i = 1; i < c->count; i++)
            if (c->entries[i]->used < c->entries[oldest]->used)
                oldest = i;
        unlink_entry(c, oldest);
    }
}

void df_answer_cache_put(df_answer_cache *c, uint64_t epoch, const char *feed_id, int64_t last,
                         const void *key, size_t key_len, const void *body, size_t len)
{
    /* Compared so that no sum can wrap. */
    size_t room = c->max_bytes / 4;
    if (strlen(feed_id) > FEED_MAX || room < sizeof(df_cached_body) ||
        key_len > room - sizeof(df_cached_body) || len > room - sizeof(df_cached_body) - key_len)
        return;
    /* Copied before the lock is taken: the other threads wait for a table
     * scan, never for a copy. */
    df_cached_body *b = malloc(sizeof *b + key_len + len);
    if (b == NULL)
        return;
    b->refs = 1;
    b->hash = df_fnv1a(DF_FNV_START, key, key_len);
    b->key_len = key_len;
    b->len = len;
    b->body = b->bytes + key_len;
    memcpy(b->bytes, key, key_len);
    memcpy(b->body, body, len);
    pthread_mutex_lock(&c->lock);
    /* A body read before the cache was last cleared, or of an older
     * generation than the cache's (a thread's snapshot from before an
     * append), is not kept; a newer one empties the cache. Two threads may
     * make the same body at once: the first one stays. */
    bool stored = false;
    if (epoch == c->epoch && compare(c, feed_id, last) >= 0) {
        adopt(c, feed_id, last);
        if (find(c, b->hash, key, key_len) == NULL) {
            make_room(c, cost(b));
            b->used = ++c->clock;
            c->entries[c->count++] = b;
            c->bytes += cost(b);
            stored = true;
        }
    }
    pthread_mutex_unlock(&c->lock);
    if (!stored)
        free(b);
}

void df_answer_cache_release(df_answer_cache *c, const df_cached_body *b)
{
    if (b == NULL)
        return;
    /* The table's bodies are reached only under the lock; const is the
     * readers' promise, the count is the cache's. */
    df_cached_body *m = (df_cached_body *)b;
    pthread_mutex_lock(&c->lock);
    bool gone = --m->refs == 0;
    pthread_mutex_unlock(&c->lock);
    if (gone)
        free(m);
}

const char *df_cached_body_data(const df_cached_body *b)
{
    return b->body;
}

size_t df_cached_body_len(const df_cached_body *b)
{
    return b->len;
}

void df_answer_cache_stats_get(df_answer_cache *c, df_answer_cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    *out = (df_answer_cache_stats){(size_t)c->count, c->bytes, c->hits, c->misses};
    pthread_mutex_unlock(&c->lock);
}
