/* Unit tests of answer_cache.c: a body is found only under its exact key
 * and generation, a newer generation empties the cache, the budget and the
 * table's size hold with the least recently used going first, a body handed
 * out outlives its eviction (ASan sees a use after free otherwise), and
 * threads share it (the TSan build sees a race otherwise). */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_cache.h"

static const char feed[] = "0123456789abcdef0123456789abcdef";
static const char other_feed[] = "fedcba9876543210fedcba9876543210";

static void put(df_answer_cache *c, const char *f, int64_t last, const char *key, const char *body)
{
    df_answer_cache_put(c, df_answer_cache_epoch(c), f, last, key, strlen(key), body, strlen(body));
}

/* The body under key as a string ("" when none), the reference released. */
static const char *get(df_answer_cache *c, const char *f, int64_t last, const char *key)
{
    static char text[2048];
    text[0] = '\0';
    const df_cached_body *b =
        df_answer_cache_get(c, df_answer_cache_epoch(c), f, last, key, strlen(key));
    if (b != NULL) {
        ck_assert_uint_lt(df_cached_body_len(b), sizeof text);
        memcpy(text, df_cached_body_data(b), df_cached_body_len(b));
        text[df_cached_body_len(b)] = '\0';
        df_answer_cache_release(c, b);
    }
    return text;
}

static df_answer_cache_stats stats(df_answer_cache *c)
{
    df_answer_cache_stats s;
    df_answer_cache_stats_get(c, &s);
    return s;
}

START_TEST(a_body_is_found_under_its_key_and_generation)
{
    df_answer_cache *c = df_answer_cache_new(1 << 20);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(get(c, feed, 7, "page 0"), "");
    put(c, feed, 7, "page 0", "[0]");
    put(c, feed, 7, "page 1", "[1]");
    ck_assert_str_eq(get(c, feed, 7, "page 0"), "[0]");
    ck_assert_str_eq(get(c, feed, 7, "page 1"), "[1]");
    /* Byte for byte: a prefix, a longer key, one byte apart: none is it. */
    ck_assert_str_eq(get(c, feed, 7, "page "), "");
    ck_assert_str_eq(get(c, feed, 7, "page 00"), "");
    ck_assert_str_eq(get(c, feed, 7, "page 2"), "");
    /* Keys may hold NULs (the responder's are binary). */
    char k1[] = {'a', 0, 'b'}, k2[] = {'a', 0, 'c'};
    df_answer_cache_put(c, 0, feed, 7, k1, sizeof k1, "one", 3);
    const df_cached_body *b = df_answer_cache_get(c, 0, feed, 7, k2, sizeof k2);
    ck_assert_ptr_null(b);
    b = df_answer_cache_get(c, 0, feed, 7, k1, sizeof k1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(df_cached_body_len(b), 3);
    df_answer_cache_release(c, b);
    /* The first body made for a key stays: two threads made the same. */
    put(c, feed, 7, "page 0", "[0 again]");
    ck_assert_str_eq(get(c, feed, 7, "page 0"), "[0]");
    df_answer_cache_stats s = stats(c);
    ck_assert_uint_eq(s.entries, 3);
    ck_assert_uint_eq(s.hits, 4);
    ck_assert_uint_eq(s.misses, 5);
    df_answer_cache_free(c);
    df_answer_cache_free(NULL);
}
END_TEST

START_TEST(a_newer_generation_empties_it)
{
    df_answer_cache *c = df_answer_cache_new(1 << 20);
    put(c, feed, 7, "page 0", "[0]");
    /* An older snapshot's request misses and leaves the newer bodies be. */
    ck_assert_str_eq(get(c, feed, 6, "page 0"), "");
    ck_assert_str_eq(get(c, feed, 7, "page 0"), "[0]");
    /* An append: the next Sequence's request empties the cache. */
    ck_assert_str_eq(get(c, feed, 8, "page 0"), "");
    ck_assert_uint_eq(stats(c).entries, 0);
    put(c, feed, 8, "page 0", "[0,8]");
    ck_assert_str_eq(get(c, feed, 8, "page 0"), "[0,8]");
    ck_assert_str_eq(get(c, feed, 7, "page 0"), "");
    /* A body made from a snapshot older than the cache's is not kept, and
     * leaves the newer ones be. */
    put(c, feed, 5, "page 0", "[0,5]");
    ck_assert_str_eq(get(c, feed, 5, "page 0"), "");
    ck_assert_str_eq(get(c, feed, 8, "page 0"), "[0,8]");
    /* A restore: another identity, its Sequences from 1 again. */
    ck_assert_str_eq(get(c, other_feed, 8, "page 0"), "");
    ck_assert_str_eq(get(c, feed, 8, "page 0"), "");
    put(c, other_feed, 3, "page 0", "[restored]");
    ck_assert_str_eq(get(c, other_feed, 3, "page 0"), "[restored]");
    /* The log opened again: nothing kept, and what a thread read before
     * (its epoch taken before the clear) is neither answered nor kept. */
    uint64_t before = df_answer_cache_epoch(c);
    df_answer_cache_clear(c);
    df_answer_cache_clear(NULL);
    ck_assert_uint_eq(df_answer_cache_epoch(NULL), 0);
    ck_assert_uint_eq(df_answer_cache_epoch(c), before + 1);
    ck_assert_str_eq(get(c, other_feed, 3, "page 0"), "");
    ck_assert_uint_eq(stats(c).entries, 0);
    ck_assert_uint_eq(stats(c).bytes, 0);
    df_answer_cache_put(c, before, other_feed, 3, "page 0", 6, "[old file]", 10);
    ck_assert_uint_eq(stats(c).entries, 0);
    put(c, other_feed, 3, "page 0", "[new file]");
    ck_assert_ptr_null(df_answer_cache_get(c, before, other_feed, 3, "page 0", 6));
    ck_assert_str_eq(get(c, other_feed, 3, "page 0"), "[new file]");
    /* An identity longer than any log's is not cached. */
    char long_feed[100];
    memset(long_feed, 'a', sizeof long_feed - 1);
    long_feed[sizeof long_feed - 1] = '\0';
    put(c, long_feed, 1, "page 0", "[0]");
    ck_assert_str_eq(get(c, long_feed, 1, "page 0"), "");
    df_answer_cache_free(c);
}
END_TEST

START_TEST(the_budget_holds_least_recent_first)
{
    /* Room for four bodies of 1,000 bytes (with their keys and headers),
     * not five; one body takes at most a quarter of it. */
    df_answer_cache *c = df_answer_cache_new(4400);
    char big[1001];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    put(c, feed, 1, "a", big);
    put(c, feed, 1, "b", big);
    put(c, feed, 1, "c", big);
    put(c, feed, 1, "d", big);
    ck_assert_uint_eq(stats(c).entries, 4);
    ck_assert_str_eq(get(c, feed, 1, "a"), big); /* a is now more recent than b */
    put(c, feed, 1, "e", big);
    ck_assert_uint_eq(stats(c).entries, 4);
    ck_assert_uint_le(stats(c).bytes, 4400);
    ck_assert_str_eq(get(c, feed, 1, "b"), "");
    ck_assert_str_eq(get(c, feed, 1, "a"), big);
    ck_assert_str_eq(get(c, feed, 1, "c"), big);
    ck_assert_str_eq(get(c, feed, 1, "e"), big);
    char huge[1200];
    memset(huge, 'y', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    put(c, feed, 1, "f", huge);
    ck_assert_str_eq(get(c, feed, 1, "f"), "");
    ck_assert_str_eq(get(c, feed, 1, "e"), big);
    df_answer_cache_free(c);

    /* Many small pages: the table keeps the most recent ones. */
    c = df_answer_cache_new(1 << 20);
    char key[32], text[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "offset=%d", i);
        snprintf(text, sizeof text, "[%d]", i);
        put(c, feed, 1, key, text);
    }
    size_t kept = stats(c).entries;
    ck_assert_uint_gt(kept, 16);
    ck_assert_uint_lt(kept, 1000);
    ck_assert_str_eq(get(c, feed, 1, "offset=999"), "[999]");
    ck_assert_str_eq(get(c, feed, 1, "offset=0"), "");
    df_answer_cache_free(c);
}
END_TEST

START_TEST(a_body_handed_out_outlives_its_eviction)
{
    df_answer_cache *c = df_answer_cache_new(1 << 20);
    put(c, feed, 1, "page 0", "[the old page]");
    const df_cached_body *held = df_answer_cache_get(c, 0, feed, 1, "page 0", 6);
    ck_assert_ptr_nonnull(held);
    /* An append empties the cache while the answer is still being sent. */
    put(c, feed, 2, "page 0", "[the new page]");
    df_answer_cache_clear(c);
    ck_assert_uint_eq(df_cached_body_len(held), 14);
    ck_assert(memcmp(df_cached_body_data(held), "[the old page]", 14) == 0);
    df_answer_cache_release(c, held);
    df_answer_cache_release(c, NULL);
    df_answer_cache_free(c);
}
END_TEST

/* Threads asking for and making bodies of moving generations, some of them
 * a generation or two behind, one clearing now and then. Keys do not hold
 * the generation (the responder's do not): each body names the generation
 * it was made for, and every body handed out must be of the one asked. */
struct worker_arg {
    df_answer_cache *cache;
    _Atomic long *newest;
    int id, wrong;
};

static void *worker(void *p)
{
    struct worker_arg *a = p;
    unsigned seed = (unsigned)a->id * 7919u + 1u;
    char key[16], body[64];
    for (int i = 0; i < 50000; i++) {
        if (a->id == 0 && i % 97 == 0)
            atomic_fetch_add(a->newest, 1);
        if (a->id == 1 && i % 1013 == 0)
            df_answer_cache_clear(a->cache);
        uint64_t epoch = df_answer_cache_epoch(a->cache);
        long last = atomic_load(a->newest) - (long)(rand_r(&seed) % 3);
        int n = snprintf(key, sizeof key, "page %d", rand_r(&seed) % 5);
        int m = snprintf(body, sizeof body, "%ld:%s", last, key);
        const df_cached_body *b = df_answer_cache_get(a->cache, epoch, feed, last, key, (size_t)n);
        if (b == NULL) {
            df_answer_cache_put(a->cache, epoch, feed, last, key, (size_t)n, body, (size_t)m);
            continue;
        }
        if (df_cached_body_len(b) != (size_t)m || memcmp(df_cached_body_data(b), body, (size_t)m))
            a->wrong++;
        df_answer_cache_release(a->cache, b);
    }
    return NULL;
}

START_TEST(threads_share_it)
{
    df_answer_cache *c = df_answer_cache_new(4096);
    _Atomic long newest = 3;
    pthread_t t[4];
    struct worker_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (struct worker_arg){c, &newest, i, 0};
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(args[i].wrong, 0);
    }
    df_answer_cache_stats s = stats(c);
    ck_assert_uint_gt(s.hits, 0);
    ck_assert_uint_le(s.bytes, 4096);
    df_answer_cache_free(c);
}
END_TEST

static Suite *answer_cache_suite(void)
{
    Suite *s = suite_create("answer_cache");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_body_is_found_under_its_key_and_generation);
    tcase_add_test(tc, a_newer_generation_empties_it);
    tcase_add_test(tc, the_budget_holds_least_recent_first);
    tcase_add_test(tc, a_body_handed_out_outlives_its_eviction);
    tcase_add_test(tc, threads_share_it);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(answer_cache_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
