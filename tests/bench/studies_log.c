/* The --per-study memory benchmark's tools (tests/bench/pull_study_mem.sh):
 *   studies_log make DB STUDIES ENTRIES [BATCH]
 *       appends STUDIES × ENTRIES create entries with the studies interleaved
 *       as tightly as a feed can: one instance of each study in turn, ENTRIES
 *       rounds, BATCH entries per transaction (10,000); small metadata
 *   studies_log mem STUDIES ENTRIES
 *       the same entries, in the same order, taken by pull_studies.h alone (no
 *       HTTP): prints the bytes it counts and this process's RSS growth
 * Built with the tests against src/libdcmfeed.a and pull_studies.c. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "num.h"
#include "pull_studies.h"
#include "store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool number(const char *s, int64_t *out)
{
    return df_parse_i64(s, strlen(s), 1, INT64_MAX, out) == DF_NUM_OK;
}

static void study_uid(char *out, size_t size, int64_t k)
{
    snprintf(out, size, "1.2.826.0.1.3680043.10.543.20261128.%" PRId64, 100000 + k);
}

static int make(const char *path, int64_t studies, int64_t entries, int64_t batch)
{
    df_store *s = NULL;
    df_error err = {0};
    int rc = df_store_open(path, DF_STORE_CREATE, &s, &err);
    char study[96], series[128], sop[160], meta[512];
    int64_t i = 0, total = studies * entries;
    double t0 = now_s();
    for (int64_t e = 0; rc == 0 && e < entries; e++) {
        for (int64_t k = 0; rc == 0 && k < studies; k++, i++) {
            if (i % batch == 0 && (rc = df_store_begin(s, &err)) != 0)
                break;
            study_uid(study, sizeof study, k);
            snprintf(series, sizeof series, "%s.%" PRId64, study, 1 + e / 100);
            snprintf(sop, sizeof sop, "%s.%" PRId64, series, 1 + e);
            int len = snprintf(meta, sizeof meta,
                               "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},"
                               "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
                               "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"%s\"]}}",
                               sop, study);
            rc = df_store_add(s, study, series, sop, meta, (size_t)len, NULL, NULL, &err);
            if (rc == 0 && ((i + 1) % batch == 0 || i + 1 == total))
                rc = df_store_commit(s, &err);
        }
    }
    if (rc != 0)
        fprintf(stderr, "studies_log: %s\n", err.message);
    else
        fprintf(stderr, "studies_log: %" PRId64 " entries in %.1f s\n", total, now_s() - t0);
    df_store_close(s);
    return rc == 0 ? 0 : 1;
}

/* Resident set size now, kB (from /proc/self/statm). */
static long rss_kb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident * 4;
}

static int mem(int64_t studies, int64_t entries)
{
    df_studies *s = df_studies_new();
    if (s == NULL)
        return 1;
    long before = rss_kb();
    char study[96];
    int64_t seq = 0;
    df_error err = {0};
    double t0 = now_s();
    for (int64_t e = 0; e < entries; e++) {
        for (int64_t k = 0; k < studies; k++) {
            study_uid(study, sizeof study, k);
            df_studies_taken taken;
            if (df_studies_add(s, ++seq, study, "create", "current", (double)e, &taken, &err) !=
                0) {
                fprintf(stderr, "studies_log: %s\n", err.message);
                return 1;
            }
        }
    }
    double took = now_s() - t0;
    long after = rss_kb();
    printf("%" PRId64 " %zu %.1f %.1f %.2f\n", studies, df_studies_pending_count(s),
           (double)df_studies_bytes(s) / 1e6, (double)(after - before) / 1e3, took);
    df_studies_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    int64_t studies = 0, entries = 0, batch = 10000;
    if (argc >= 5 && strcmp(argv[1], "make") == 0 && number(argv[3], &studies) &&
        number(argv[4], &entries) && (argc == 5 || (argc == 6 && number(argv[5], &batch))))
        return make(argv[2], studies, entries, batch);
    if (argc == 4 && strcmp(argv[1], "mem") == 0 && number(argv[2], &studies) &&
        number(argv[3], &entries))
        return mem(studies, entries);
    fputs("usage: studies_log make DB STUDIES ENTRIES [BATCH] | studies_log mem STUDIES ENTRIES\n",
          stderr);
    return 2;
}
