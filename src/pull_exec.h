/* dcmfeed-pull --exec CMD: runs /bin/sh -c CMD once per entry (or per study
 * handed over), with the entry's (or the study's) JSON on its stdin and
 * DCMFEED_* variables in its environment, and says whether it succeeded.
 *
 * The command runs in its own process group with default signal handling:
 * a Ctrl-C at the terminal stops dcmfeed-pull after the entry in flight
 * instead of killing the command halfway through it; a second stop request
 * (*stop >= 2) sends it SIGTERM. DCMFEED_* variables of dcmfeed-pull's own
 * environment that name an entry or a study are left out, so that a command
 * never sees a stale value. */
#ifndef DF_PULL_EXEC_H
#define DF_PULL_EXEC_H

#include <signal.h>
#include <stddef.h>

#include "error.h"
#include "pull.h"
#include "pull_study.h"

/* Runs command for entry e: its JSON and a newline on stdin; DCMFEED_SEQUENCE,
 * DCMFEED_ACTION, DCMFEED_STATE, DCMFEED_STUDY_UID, DCMFEED_SERIES_UID,
 * DCMFEED_SOP_UID and DCMFEED_TIMESTAMP set. Returns 0 when it exited 0, else
 * DF_EIO (or DF_ENOMEM) with the reason ("the command exited with status 3"). */
int df_pull_exec_entry(const char *command, const df_pull_entry *e, volatile sig_atomic_t *stop,
                       df_error *err);

/* Runs command for study s: json[0..len) (its entries as a JSON array) and a
 * newline on stdin; DCMFEED_STUDY_UID, DCMFEED_FIRST_SEQUENCE,
 * DCMFEED_LAST_SEQUENCE, DCMFEED_REVISION and DCMFEED_ENTRIES (their count)
 * set. Same results. */
int df_pull_exec_study(const char *command, const df_pull_study_info *s, const char *json,
                       size_t len, volatile sig_atomic_t *stop, df_error *err);

#endif
