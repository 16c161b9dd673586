/* The progress line of dcmfeed-ingest's long commands (add, update,
 * reconcile): one line on a terminal, redrawn at most every
 * DF_PROGRESS_NS and cleared before anything else is written there, so that
 * scripts and hooks (stderr not a terminal) see nothing of it. The caller
 * owns what the line says; this module owns when it is drawn and the
 * terminal codes that draw and clear it. */
#ifndef DF_PROGRESS_H
#define DF_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

/* The line is redrawn at most this often (nanoseconds): often enough to
 * look alive, rarely enough to cost nothing beside the work it reports. */
#define DF_PROGRESS_NS 250000000LL

/* One progress line. Owned by the caller (on its stack or in its struct),
 * zero-initialised, then started with df_progress_start; holds nothing to
 * free. Fields are read-only for the caller, apart from clock. */
typedef struct df_progress {
    FILE *out;  /* borrowed: where the line goes (stderr) */
    bool on;    /* lines are drawn at all */
    bool drawn; /* a line stands on out now: df_progress_clear before other output */
    long long start_ns, last_ns;
    /* Nanoseconds of a monotonic clock; NULL (the default): CLOCK_MONOTONIC.
     * Set before df_progress_start, by tests that need time to pass at will. */
    long long (*clock)(void);
} df_progress;

/* True when a progress line belongs on f: not quiet, and f is a terminal. */
bool df_progress_wanted(FILE *f, bool quiet);

/* Starts p's clock now, drawing on out (borrowed, must outlive p's use) when
 * on. With at_once the first df_progress_due is true at once; without it
 * only after DF_PROGRESS_NS, so that a short call draws nothing. */
void df_progress_start(df_progress *p, FILE *out, bool on, bool at_once);

/* True when a line should be drawn now: p is on and DF_PROGRESS_NS has
 * passed since the last line (the time of which now becomes this). The
 * clock is read only when p is on. */
bool df_progress_due(df_progress *p);

/* count per second from p's start to the last time df_progress_due was
 * true; 0 when no time had passed. */
double df_progress_rate(const df_progress *p, double count);

/* Seconds from p's start until now. */
double df_progress_elapsed(const df_progress *p);

/* count / secs, or 0 when secs is not positive. */
double df_progress_per_second(double count, double secs);

/* The seconds left, rounded, to reach total from done at rate, in *left.
 * False (and *left untouched) when that cannot be told: total unknown
 * (negative), rate not positive, or done already past total. */
bool df_progress_eta(double rate, long long done, long long total, long long *left);

/* Replaces the line on p->out with fmt's text and flushes it. Call it after
 * df_progress_due was true. */
void df_progress_draw(df_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Wipes the line off p->out when one is drawn; does nothing otherwise. */
void df_progress_clear(df_progress *p);

#endif
