/* The progress line (progress.h): when to draw it, and the terminal codes
 * that draw and clear it. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "progress.h"

#include <stdarg.h>
#include <time.h>
#include <unistd.h>

/* Back to the line's start, then erase to its end: the next text replaces
 * the line, however long the previous one was. */
static const char wipe[] = "\r\033[K";

static long long monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(const df_progress *p)
{
    return p->clock != NULL ? p->clock() : monotonic_ns();
}

bool df_progress_wanted(FILE *f, bool quiet)
{
    return !quiet && isatty(fileno(f));
}

void df_progress_start(df_progress *p, FILE *out, bool on, bool at_once)
{
    p->out = out;
    p->on = on;
    p->drawn = false;
    p->start_ns = now_ns(p);
    p->last_ns = at_once ? p->start_ns - DF_PROGRESS_NS : p->start_ns;
}

bool df_progress_due(df_progress *p)
{
    if (!p->on)
        return false;
    long long t = now_ns(p);
    if (t - p->last_ns < DF_PROGRESS_NS)
        return false;
    p->last_ns = t;
    return true;
}

double df_progress_per_second(double count, double secs)
{
    return secs > 0 ? count / secs : 0;
}

double df_progress_rate(const df_progress *p, double count)
{
    return df_progress_per_second(count, (double)(p->last_ns - p->start_ns) / 1e9);
}

double df_progress_elapsed(const df_progress *p)
{
    return (double)(now_ns(p) - p->start_ns) / 1e9;
}

bool df_progress_eta(double rate, long long done, long long total, long long *left)
{
    if (total < 0 || rate <= 0 || done > total)
        return false;
    *left = (long long)((double)(total - done) / rate + 0.5);
    return true;
}

void df_progress_draw(df_progress *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(wipe, p->out);
    vfprintf(p->out, fmt, ap);
    va_end(ap);
    fflush(p->out);
    p->drawn = true;
}

void df_progress_clear(df_progress *p)
{
    if (p->drawn) {
        fputs(wipe, p->out);
        p->drawn = false;
    }
}
