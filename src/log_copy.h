/* Copying a log into another (`dcmfeed-ingest import`, docs/schema.md
 * "Copying a log"): the source's entries with their Sequences and Timestamps,
 * in batches, so that the copy answers every request with the source's bytes
 * and, once whole, its ETags. The rules it keeps, whatever happens between two
 * runs or two batches:
 *  - the source is read in one snapshot, taken by df_log_copy_init, so the
 *    copy is the source as it was at one moment even while it is written;
 *  - a destination that holds entries must be an earlier copy of this source,
 *    whole or interrupted: the source's identity or its provisional one, no
 *    more entries than the source, and its newest entry the source's of that
 *    Sequence; otherwise nothing is written;
 *  - the copy resumes after the destination's newest Sequence;
 *  - a batch refuses to start when another writer appended since the last one
 *    (its entries would no longer be the source's);
 *  - while incomplete, the destination carries a provisional identity derived
 *    from the source's; the batch that completes the copy gives it the
 *    source's identity in the same transaction.
 * It talks to both logs through store.h's public functions only. */
#ifndef DF_LOG_COPY_H
#define DF_LOG_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

/* Entries read from the source at a time: a PostgreSQL page is held whole in
 * memory, metadata included, so a page stays small whatever the batch. */
#define DF_LOG_COPY_PAGE 256

/* One copy in progress. Fields are read-only for the caller. */
typedef struct df_log_copy {
    df_store *src;     /* borrowed */
    size_t batch_size; /* entries per transaction */
    int64_t src_last;  /* the source's newest Sequence, in its snapshot */
    int64_t start;     /* the destination's newest Sequence before the copy */
    int64_t copied;    /* the destination's newest Sequence now, in a committed batch */
    const char *whose; /* after a failure: whose it is, to begin a message ("the log",
                          "SOURCE", "SOURCE breaks the log's rules"), or NULL when
                          the message says it all (a destination refused whole) */
    /* private */
    df_store *dest;
    df_error *err;
    bool started;
    bool dest_failed;
    int64_t appended;
    char provisional[DF_FEED_ID_LEN + 1];
} df_log_copy;

/* Starts a copy of src (open, read-only is enough) in batches of batch_size
 * (>= 1) entries: takes src's snapshot (a read transaction, held until src is
 * closed) and its newest Sequence. Returns 0, or a DF_E… code with err set and
 * c->whose "SOURCE". */
int df_log_copy_init(df_log_copy *c, df_store *src, size_t batch_size, df_error *err);

/* Copies the next batch into dest (open read-write, no batch in progress; the
 * same dest on every call). The first call checks that dest may take the
 * copy and where it starts. Returns 1 when a batch was committed and more are
 * to come, 0 when the copy is whole (after committing the last batch, or at
 * once when there was nothing left to copy), or a negative code with err set
 * and c->whose: DF_EINVAL when dest is refused or an entry breaks the log's
 * rules (running again would stop at the same place), another code when a log
 * could not be read or written (running again continues). A failed batch is
 * rolled back; c->copied says what dest holds of the source. */
int df_log_copy_step(df_log_copy *c, df_store *dest, df_error *err);

/* The identity a copy of the log whose identity is feed_id carries while it
 * is incomplete: each hex digit d becomes 15 - d, so it never equals
 * feed_id. out receives DF_FEED_ID_LEN digits and a NUL. */
void df_log_copy_provisional_id(const char *feed_id, char out[DF_FEED_ID_LEN + 1]);

#endif
