/* The flow of dcmfeed-pull --per-study: whole studies, once they are
 * complete. Entries are read without metadata and grouped by
 * StudyInstanceUid (pull_studies.h holds them as Sequences); a study is
 * complete when nothing of it was read for stable_age seconds, by this
 * process's clock from when it read the study's newest entry, or at once when
 * everything of it since its last hand-over is deleted (the feed shows it
 * deleted). A complete study is handed over: its entries are read again
 * (with metadata when asked), in Sequence order, and given to a sink, which
 * runs a command or POSTs an event; once the sink succeeded, the hand-over is
 * recorded in the state file. An update is news like a create: it joins its
 * study's pending entries and restarts its clock.
 *
 * Exactly once per revision: a kill at any moment repeats at most the study
 * being handed over; a study handed over while an older one is still
 * pending is not handed over again when the run starts again below it. */
#ifndef DF_PULL_STUDY_H
#define DF_PULL_STUDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "pull.h"

/* Longest Timestamp kept for a study's event, with its NUL. */
#define DF_PULL_STUDY_TIME_MAX 64

/* A study being handed over. Borrowed, valid during the sink's calls. */
typedef struct df_pull_study_info {
    const char *uid;
    int64_t revision; /* 1, 2, … each time it is handed over again */
    int64_t first;    /* the Sequences of its first and last entries handed over */
    int64_t last;
    size_t count;     /* entries handed over */
    bool deleted;     /* complete because the feed shows it deleted */
    const char *time; /* the newest entry's Timestamp ("" before the entries are read) */
    const char *feed_id;
} df_pull_study_info;

/* Where complete studies go. Each callback returns 0, DF_HTTP_STOPPED (a
 * stop request: nothing recorded), or a negative code with err (the flow
 * stops and the study is handed over again next run; DF_EPULL_RECEIVER and
 * DF_EPULL_UNAVAILABLE are kept, others become DF_EPULL_HANDLER). */
typedef struct df_pull_study_sink {
    /* A hand-over begins: forget any earlier, unfinished one. */
    int (*begin)(void *ctx, const df_pull_study_info *study, df_error *err);
    /* Each of its entries as read again, in Sequence order. */
    int (*entry)(void *ctx, const df_pull_entry *entry, df_error *err);
    /* All entries given: process the study; 0 records it as handed over. */
    int (*deliver)(void *ctx, const df_pull_study_info *study, df_error *err);
    void *ctx;
} df_pull_study_sink;

/* Runs the flow with o (state_path: the --per-study state file; follow,
 * from_latest, limit, interval, wait and http as for df_pull_run;
 * include_metadata: for the entries handed over) until the end (without
 * follow: the feed read to its end, then every pending study waited for and
 * handed over, without reading further), a stop request (returns 0 after the
 * study in flight), or an error. *handed (may be NULL) receives the number
 * of hand-overs made. Returns 0 or a negative code as df_pull_run. */
int df_pull_study_run(const df_pull_options *o, double stable_age, const df_pull_study_sink *sink,
                      uint64_t *handed, df_error *err);

#endif
