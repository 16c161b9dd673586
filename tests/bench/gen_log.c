/* The scale benchmark's tools (tests/bench/scale.sh), through the store API
 * only, so they measure what dcmfeed itself writes and reads:
 *   gen_log make DB N [BATCH]            appends N create entries, BATCH per transaction
 *   gen_log make DB N BATCH FIRST LAST   the same with Timestamps spread evenly from FIRST
 *       to LAST (µs since the epoch; after the log's newest), through df_store_append_entry
 *       as an import writes them: a log of past days for the viewer's chart
 *   gen_log page DB AFTER LIMIT META REPS  times df_store_page, prints p50 and p99 in µs
 *       and this process's CPU per read in µs (a PostgreSQL server's is not in it)
 *   gen_log request DB AFTER LIMIT META REPS  the same, each page inside the
 *       store calls of the responder's answer to a page: df_store_read_begin,
 *       df_store_last_sequence, df_store_page, df_store_read_end
 *   gen_log find DB MODALITY LIMIT       the entries of MODALITY: prints their count,
 *       the Timestamp (µs) of the first and of the first of the last LIMIT
 *   gen_log match DB START_US SKIP LIMIT MODALITY REPS  times
 *       df_store_window_matching (the window from START_US, the filter
 *       modality=MODALITY), prints p50, p99, CPU per read in µs and the rows read
 * Every 10,000th instance `make` writes (the 5,000th, 15,000th, …) is an XA
 * (X-Ray Angiography) image, a kind no other instance has: the selective
 * filter of the scale benchmark.
 * DB is a SQLite path or a PostgreSQL address (the store dispatches on it).
 * Built with the tests (Makefile.am: bench_programs) against src/libdcmfeed.a and
 * the libraries the programs link (libpq is loaded for a PostgreSQL log). */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "num.h"
#include "store.h"

static double clock_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* A count or offset from the command line (num.h's parser, as every program). */
static bool parse_i64(const char *s, int64_t *out)
{
    return df_parse_i64(s, strlen(s), 0, INT64_MAX, out) == DF_NUM_OK;
}

/* A cheap deterministic generator, so that two runs make the same log. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static const char *const names[] = {"Doe^Jane",
                                    "M\xc3\xbcller^J\xc3\xb6rg",
                                    "Smith^John^^Dr.",
                                    "Yamada^Tarou",
                                    "O'Brien^Siobh\xc3\xa1n",
                                    "Nguyen^Van^An",
                                    "Garc\xc3\xad"
                                    "a^Luc\xc3\xad"
                                    "a",
                                    "Kowalski^Piotr"};
static const char *const modalities[] = {"CT", "MR", "CR", "DX", "US", "PT", "MG", "NM"};
static const char *const classes[] = {"1.2.840.10008.5.1.4.1.1.2",   "1.2.840.10008.5.1.4.1.1.4",
                                      "1.2.840.10008.5.1.4.1.1.1",   "1.2.840.10008.5.1.4.1.1.1.1",
                                      "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.128",
                                      "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.20"};
static const char *const descriptions[] = {"CT THORAX \\\"LOW DOSE\\\"",
                                           "MR BRAIN W/O CONTRAST",
                                           "CHEST PA/LAT",
                                           "KNEE 3 VIEWS",
                                           "ABDOMEN US",
                                           "PET/CT WHOLE BODY",
                                           "SCREENING MAMMOGRAPHY",
                                           "BONE SCAN"};

/* Studies of 50 to 449 instances in series of up to 100. UID components are
 * fixed-width numbers without leading zeros, so UIDs grow in byte order as
 * an archive's date-based UIDs do (appends at the end of the UID index). */
static int make(const char *path, int64_t n, int64_t batch, const int64_t *span)
{
    df_store *s = NULL;
    df_error err = {0};
    int rc = df_store_open(path, DF_STORE_CREATE, &s, &err);
    if (rc != 0) {
        fprintf(stderr, "gen_log: %s\n", err.message);
        return 1;
    }
    char study[128], series[192], sop[256], meta[2048];
    int64_t study_no = 0, in_study = 0, study_size = 0, series_no = 0, newest = 0;
    if (span != NULL && (rc = df_store_last_sequence(s, &newest, &err)) != 0)
        goto out;
    uint64_t h = 0;
    double t0 = now_s(), tlast = t0;
    int64_t bytes = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i % batch == 0 && (rc = df_store_begin(s, &err)) != 0)
            goto out;
        if (in_study == study_size) {
            study_no++;
            h = mix((uint64_t)study_no);
            study_size = 50 + (int64_t)(h % 400);
            in_study = 0;
            series_no = 0;
            snprintf(study, sizeof study, "1.2.826.0.1.3680043.10.543.%" PRIu64 ".%" PRId64,
                     20200101 + (h >> 20) % 60000, 100000000 + study_no);
        }
        if (in_study % 100 == 0) {
            series_no++;
            snprintf(series, sizeof series, "%s.%" PRId64, study, 100 + series_no);
        }
        in_study++;
        snprintf(sop, sizeof sop, "%s.%" PRId64, series, 100000 + in_study);
        uint64_t k = h % 8, r = mix((uint64_t)i);
        bool rare = i % 10000 == 4999;
        int len = snprintf(
            meta, sizeof meta,
            "{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},"
            "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},"
            "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"%" PRIu64 "\"]},"
            "\"00080050\":{\"vr\":\"SH\",\"Value\":[\"A%" PRIu64 "\"]},"
            "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"%s\"]},"
            "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"%s\"]},"
            "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"%s\"}]},"
            "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PAT%" PRIu64 "\"]},"
            "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},"
            "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},"
            "\"00200013\":{\"vr\":\"IS\",\"Value\":[%" PRId64 "]},"
            "\"00280030\":{\"vr\":\"DS\",\"Value\":[0.%06" PRIu64 ",0.%06" PRIu64 "]}}",
            rare ? "1.2.840.10008.5.1.4.1.1.12.1" : classes[k], sop, 20200101 + (h >> 20) % 60000,
            h % 100000000, rare ? "XA" : modalities[k], descriptions[k], names[(h >> 8) % 8],
            (h >> 12) % 10000000, study, series, in_study, r % 1000000, r % 1000000);
        bytes += len;
        if (span == NULL) {
            rc = df_store_add(s, study, series, sop, meta, (size_t)len, NULL, NULL, &err);
        } else {
            df_entry e = {.sequence = newest + i + 1,
                          .study_uid = study,
                          .series_uid = series,
                          .sop_uid = sop,
                          .action = DF_ACTION_CREATE,
                          .timestamp_us = span[0],
                          .metadata = meta,
                          .metadata_len = (size_t)len};
            /* In floating point: (LAST - FIRST) * i overflows 64 bits for long spans. */
            if (n > 1)
                e.timestamp_us +=
                    (int64_t)((double)(span[1] - span[0]) * (double)i / (double)(n - 1));
            rc = df_store_append_entry(s, &e, &err);
        }
        if (rc != 0)
            goto out;
        if ((i + 1) % batch == 0 || i + 1 == n) {
            if ((rc = df_store_commit(s, &err)) != 0)
                goto out;
            double t = now_s();
            if (t - tlast >= 10 || i + 1 == n) {
                fprintf(stderr, "gen_log: %" PRId64 " entries, %.0f/s\n", i + 1,
                        (double)(i + 1) / (t - t0));
                tlast = t;
            }
        }
    }
    printf("entries %" PRId64 " seconds %.1f metadata_bytes_mean %.0f\n", n, now_s() - t0,
           n ? (double)bytes / (double)n : 0.0);
out:
    if (rc != 0) {
        fprintf(stderr, "gen_log: %s\n", err.message);
        df_store_rollback(s);
    }
    df_store_close(s);
    return rc != 0;
}

static int touch(void *ctx, const df_entry *e)
{
    size_t *sum = ctx;
    *sum += e->metadata_len + strlen(e->sop_uid);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One timed read: the page alone, or with the responder's snapshot around it. */
static int read_once(df_store *s, bool request, int64_t after, int limit, bool meta, size_t *sum,
                     df_error *err)
{
    if (!request)
        return df_store_page(s, after, limit, meta, touch, sum, err);
    int64_t last = 0;
    int rc = df_store_read_begin(s, err);
    if (rc == 0)
        rc = df_store_last_sequence(s, &last, err);
    if (rc == 0)
        rc = df_store_page(s, after, limit, meta, touch, sum, err);
    df_store_read_end(s);
    *sum += (size_t)last;
    return rc;
}

static int page(const char *path, bool request, int64_t after, int limit, bool meta, int reps)
{
    df_store *s = NULL;
    df_error err = {0};
    if (df_store_open(path, DF_STORE_READONLY, &s, &err) != 0) {
        fprintf(stderr, "gen_log: %s\n", err.message);
        return 1;
    }
    double *us = calloc((size_t)reps, sizeof *us);
    size_t sum = 0;
    int rc = 0;
    double cpu = 0;
    /* One untimed read first: the first touch of the pages pays for the disk. */
    for (int i = -1; i < reps && rc == 0; i++) {
        if (i == 0)
            cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        double t = now_s();
        rc = read_once(s, request, after, limit, meta, &sum, &err);
        if (i >= 0)
            us[i] = (now_s() - t) * 1e6;
    }
    if (rc != 0)
        fprintf(stderr, "gen_log: %s\n", err.message);
    else {
        qsort(us, (size_t)reps, sizeof *us, cmp_double);
        cpu = (clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu) * 1e6 / reps;
        printf("%.1f %.1f %.1f\n", us[reps / 2], us[(reps * 99) / 100], cpu);
    }
    free(us);
    df_store_close(s);
    return rc != 0;
}

struct found {
    int64_t count;
    int64_t first_us;
    int64_t *stamps; /* every match's Timestamp, in order */
    int64_t cap;
};

static int keep_stamp(void *ctx, const df_entry *e)
{
    struct found *f = ctx;
    if (f->count == f->cap) {
        int64_t cap = f->cap ? f->cap * 2 : 1024;
        int64_t *grown = realloc(f->stamps, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return DF_ENOMEM;
        f->stamps = grown;
        f->cap = cap;
    }
    f->stamps[f->count++] = e->timestamp_us;
    return 0;
}

static int find(const char *path, const char *modality, int64_t limit)
{
    df_store *s = NULL;
    df_error err = {0};
    if (df_store_open(path, DF_STORE_READONLY, &s, &err) != 0) {
        fprintf(stderr, "gen_log: %s\n", err.message);
        return 1;
    }
    df_filter f = {.modality_count = 1, .modalities = {modality}};
    struct found found = {0};
    int rc = 0;
    for (int64_t before = -1; rc == 0 && found.count != before;) {
        before = found.count;
        rc = df_store_window_matching(s, INT64_MIN, INT64_MAX, found.count, 200, DF_METADATA_NONE,
                                      &f, keep_stamp, &found, &err);
    }
    if (rc != 0)
        fprintf(stderr, "gen_log: %s\n", rc == DF_ENOMEM ? "out of memory" : err.message);
    else if (found.count == 0)
        printf("0 0 0\n");
    else
        printf("%" PRId64 " %" PRId64 " %" PRId64 "\n", found.count, found.stamps[0],
               found.stamps[found.count > limit ? found.count - limit : 0]);
    free(found.stamps);
    df_store_close(s);
    return rc != 0;
}

static int count_row(void *ctx, const df_entry *e)
{
    (void)e;
    ++*(int64_t *)ctx;
    return 0;
}

static int match(const char *path, int64_t start_us, int64_t skip, int limit, const char *modality,
                 int reps)
{
    df_store *s = NULL;
    df_error err = {0};
    if (df_store_open(path, DF_STORE_READONLY, &s, &err) != 0) {
        fprintf(stderr, "gen_log: %s\n", err.message);
        return 1;
    }
    df_filter f = {.modality_count = 1, .modalities = {modality}};
    double *us = calloc((size_t)reps, sizeof *us);
    double cpu = 0;
    int64_t rows = 0;
    int rc = 0;
    for (int i = -1; i < reps && rc == 0; i++) {
        if (i == 0)
            cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        rows = 0;
        double t = now_s();
        rc = df_store_window_matching(s, start_us, INT64_MAX, skip, limit, DF_METADATA_FULL, &f,
                                      count_row, &rows, &err);
        if (i >= 0)
            us[i] = (now_s() - t) * 1e6;
    }
    if (rc != 0)
        fprintf(stderr, "gen_log: %s\n", err.message);
    else {
        qsort(us, (size_t)reps, sizeof *us, cmp_double);
        cpu = (clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu) * 1e6 / reps;
        printf("%.1f %.1f %.1f %" PRId64 "\n", us[reps / 2], us[(reps * 99) / 100], cpu, rows);
    }
    free(us);
    df_store_close(s);
    return rc != 0;
}

int main(int argc, char **argv)
{
    int64_t n, batch = 50000, after, limit, meta, reps, span[2];
    if (argc >= 4 && strcmp(argv[1], "make") == 0 && parse_i64(argv[3], &n) &&
        (argc == 4 || ((argc == 5 || argc == 7) && parse_i64(argv[4], &batch) && batch > 0))) {
        if (argc == 5 || argc == 4)
            return make(argv[2], n, batch, NULL);
        if (parse_i64(argv[5], &span[0]) && parse_i64(argv[6], &span[1]) && span[0] <= span[1])
            return make(argv[2], n, batch, span);
    }
    bool request = argc == 7 && strcmp(argv[1], "request") == 0;
    if (argc == 7 && (strcmp(argv[1], "page") == 0 || request) && parse_i64(argv[3], &after) &&
        parse_i64(argv[4], &limit) && limit > 0 && limit <= 1000 && parse_i64(argv[5], &meta) &&
        parse_i64(argv[6], &reps) && reps > 0 && reps <= 1000000)
        return page(argv[2], request, after, (int)limit, meta != 0, (int)reps);
    if (argc == 5 && strcmp(argv[1], "find") == 0 && parse_i64(argv[4], &limit) && limit > 0)
        return find(argv[2], argv[3], limit);
    int64_t start, skip;
    if (argc == 8 && strcmp(argv[1], "match") == 0 && parse_i64(argv[3], &start) &&
        parse_i64(argv[4], &skip) && parse_i64(argv[5], &limit) && limit > 0 && limit <= 1000 &&
        parse_i64(argv[7], &reps) && reps > 0 && reps <= 1000000)
        return match(argv[2], start, skip, (int)limit, argv[6], (int)reps);
    fprintf(stderr,
            "usage: gen_log make DB N [BATCH [FIRST_US LAST_US]] | gen_log page|request DB AFTER "
            "LIMIT META(0|1) REPS | gen_log find DB MODALITY LIMIT | gen_log match DB START_US "
            "SKIP LIMIT MODALITY REPS\n");
    return 2;
}
