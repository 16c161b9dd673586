/* What dcmfeed-pull --per-study knows between pages: the studies whose
 * entries were read but not yet handed over (pending), and the studies
 * handed over (their revision and the last Sequence handed), with the state
 * file that makes a hand-over happen once per revision across kill -9.
 *
 * Pending studies hold Sequences only (8 bytes an entry), never metadata:
 * the entries are read again when a study is handed over. The resume point
 * is the lowest Sequence not yet handed over; a run that starts again reads
 * from there, and what it reads of a study already handed over past that
 * entry (studies interleave in the feed) is skipped, by the records.
 *
 * The state file is text, a line per fact, appended and fsynced after each
 * hand-over, rewritten whole (atomically, as pull_state.h does) when it has
 * grown to twice what it must hold:
 *
 *     dcmfeed-pull per-study 1          the format
 *     feed 0123456789abcdef             the feed's identity (when known)
 *     study REVISION LAST UID           a record, in the order of hand-over
 *     resume SEQUENCE                   the resume point
 *     handed REVISION LAST RESUME UID   a hand-over appended: the record and
 *                                       the new resume point
 *
 * Read in order, later lines win. A last line without its newline was being
 * written at a crash: it is ignored (that hand-over happens again). Anything
 * else that is not a line above is an error, never read as an empty state.
 *
 * Records are kept for every study handed over past the resume point (they
 * are what prevents a second hand-over) and for the DF_STUDIES_REMEMBER
 * studies handed over last (their revision numbers); older ones are
 * forgotten, and such a study's next hand-over is revision 1 again. */
#ifndef DF_PULL_STUDIES_H
#define DF_PULL_STUDIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Studies whose revision is remembered past the resume point. */
#define DF_STUDIES_REMEMBER 100000
/* Longest StudyInstanceUid kept: a UID has at most 64 characters, and a
 * longer "UID" from a server is refused. */
#define DF_STUDIES_UID_MAX 64
/* The first line of the state file. */
#define DF_STUDIES_MAGIC "dcmfeed-pull per-study 1"

typedef struct df_studies df_studies;

/* A new, empty set: resume point 1, nothing handed over. Returns NULL when
 * out of memory. Free with df_studies_free. */
df_studies *df_studies_new(void);
void df_studies_free(df_studies *s);

/* --- the state file ---------------------------------------------------------- */

/* Reads the state file path into s (new), and keeps path for the writes that
 * follow (df_studies_handed, df_studies_save). *found is false when the file
 * does not exist (s stays empty). Returns 0, DF_EINVAL for a file that is not
 * such a state (a plain Sequence from a run without --per-study, junk,
 * a line cut in the middle), DF_EIO. */
int df_studies_load(df_studies *s, const char *path, bool *found, df_error *err);

/* Writes the whole state to its file, atomically and durably (a temporary
 * file, fsync, rename, fsync of the folder), and appends from then on.
 * Returns 0, DF_EIO. Without a path (no df_studies_load) it does nothing. */
int df_studies_save(df_studies *s, df_error *err);

/* The resume point: the lowest Sequence not yet handed over. */
int64_t df_studies_resume(const df_studies *s);

/* Sets the resume point of a state that has handed nothing over yet (a
 * --from-latest start); pending studies must be none. */
void df_studies_set_resume(df_studies *s, int64_t resume);

/* The feed's identity the state belongs to, "" when not known yet. */
const char *df_studies_feed_id(const df_studies *s);

/* Records the feed's identity (16 hex digits) of a state that had none; it is
 * written with the next write. */
void df_studies_set_feed_id(df_studies *s, const char *feed_id);

/* --- reading ----------------------------------------------------------------------- */

/* What df_studies_add did with an entry. */
typedef enum df_studies_taken {
    DF_STUDIES_PENDING, /* added to its study's pending entries */
    DF_STUDIES_SKIPPED, /* its study was handed over past it already (a re-read) */
} df_studies_taken;

/* Takes the entry with Sequence sequence of study uid, read at now (seconds
 * on a monotonic clock), with its Action and State as read (either may be
 * NULL): an update is news like a create. Entries come in Sequence order.
 * Returns 0 with *taken, DF_EINVAL for a UID that is empty or longer than
 * DF_STUDIES_UID_MAX, DF_ENOMEM. */
int df_studies_add(df_studies *s, int64_t sequence, const char *uid, const char *action,
                   const char *state, double now, df_studies_taken *taken, df_error *err);

/* The feed was read to its end (a page shorter than asked for): the study
 * read last cannot have more entries in the same commit, so it may be
 * complete by deletion now. */
void df_studies_settle(df_studies *s);

/* A pending study as handed out by df_studies_next; borrowed until the next
 * call that changes s. */
typedef struct df_studies_pending {
    const char *uid;
    const int64_t *sequences; /* ascending */
    size_t count;
    int64_t revision; /* of the hand-over to come: 1 + those before */
    bool deleted;     /* complete because the feed shows it deleted */
} df_studies_pending;

/* The next study to hand over: one complete by deletion, else the one read
 * longest ago if nothing of it was read for stable_age seconds by now.
 * Returns true with *out; false when none is complete yet, with *wait the
 * seconds until one may be (-1 when nothing is pending). */
bool df_studies_next(df_studies *s, double now, double stable_age, df_studies_pending *out,
                     double *wait);

/* Studies pending now. */
size_t df_studies_pending_count(const df_studies *s);

/* Records that the pending entries of study uid were handed over: its
 * revision and last Sequence, the new resume point (its lowest pending
 * Sequence of the studies still pending, else read + 1, read being the last
 * Sequence read), appended to the state file and fsynced before it returns.
 * Returns 0, DF_EINVAL when uid is not pending, DF_EIO (s unchanged: the
 * hand-over happens again next run), DF_ENOMEM. */
int df_studies_handed(df_studies *s, const char *uid, int64_t read, df_error *err);

/* Bytes of memory s holds, counted by what it allocated: the measure of the
 * "pending studies as Sequence lists" promise. */
size_t df_studies_bytes(const df_studies *s);

/* --- pure, for the tests ------------------------------------------------------------- */

/* Parses a state file's text[0..len) into s (new, without a path). Same
 * results as df_studies_load. */
int df_studies_parse(df_studies *s, const char *text, size_t len, df_error *err);

#endif
