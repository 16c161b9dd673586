/* Copying a log, batch by batch, by the rules of log_copy.h and
 * docs/schema.md; through store.h only. */
#include "log_copy.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "uid.h"

void df_log_copy_provisional_id(const char *feed_id, char out[DF_FEED_ID_LEN + 1])
{
    /* An ETag is the identity and the newest Sequence, and a part copy at
     * Sequence N is not the source as it was at N (it holds the source's
     * present Metadata and States): under the source's identity its ETags
     * would label other answers. Derived, so the next run recognises it. */
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < DF_FEED_ID_LEN; i++) {
        const char *d = feed_id[i] != '\0' ? strchr(hex, feed_id[i]) : NULL;
        out[i] = d != NULL ? hex[15 - (d - hex)] : '0';
    }
    out[DF_FEED_ID_LEN] = '\0';
}

int df_log_copy_init(df_log_copy *c, df_store *src, size_t batch_size, df_error *err)
{
    memset(c, 0, sizeof *c);
    c->src = src;
    c->batch_size = batch_size > 0 ? batch_size : 1;
    c->whose = "SOURCE";
    int rc = df_store_read_begin(src, err);
    if (rc == 0)
        rc = df_store_last_sequence(src, &c->src_last, err);
    if (rc == 0)
        c->whose = NULL;
    return rc;
}

/* Appends one source entry to the destination (df_store_copy_page's callback). */
static int copy_entry(void *ctx, const df_entry *e)
{
    df_log_copy *c = ctx;
    /* The destination is a log like any other: its UIDs are checked at its
     * door, whoever wrote the source. */
    const char *uids[] = {e->study_uid, e->series_uid, e->sop_uid};
    for (size_t i = 0; i < sizeof uids / sizeof uids[0]; i++)
        if (!df_uid_valid(uids[i], strlen(uids[i])))
            return df_error_set(c->err, DF_EINVAL, "entry %" PRId64 " has an invalid UID",
                                e->sequence);
    /* Readers copy Metadata into answers without parsing it: it must be a
     * JSON object in valid UTF-8, whoever wrote the source. */
    if (e->metadata != NULL) {
        json_error_t jerr;
        json_t *m = json_loadb(e->metadata, e->metadata_len, JSON_ALLOW_NUL, &jerr);
        bool object = json_is_object(m);
        json_decref(m);
        if (!object)
            return df_error_set(c->err, DF_EINVAL,
                                "entry %" PRId64 " has Metadata that is not a JSON object",
                                e->sequence);
    }
    int rc = df_store_append_entry(c->dest, e, c->err);
    if (rc != 0) {
        c->dest_failed = rc != DF_EINVAL; /* a refusal is the source entry's fault */
        return rc;
    }
    c->appended = e->sequence;
    return 0;
}

/* The UIDs, action and Timestamp of an entry, to compare two logs' entries. */
typedef struct entry_key {
    bool found;
    int64_t sequence, timestamp_us;
    df_action action;
    char uids[3][DF_UID_MAX + 2]; /* one more than a UID: a longer one never compares equal */
} entry_key;

static int keep_key(void *ctx, const df_entry *e)
{
    entry_key *k = ctx;
    k->found = true;
    k->sequence = e->sequence;
    k->timestamp_us = e->timestamp_us;
    k->action = e->action;
    snprintf(k->uids[0], sizeof k->uids[0], "%s", e->study_uid);
    snprintf(k->uids[1], sizeof k->uids[1], "%s", e->series_uid);
    snprintf(k->uids[2], sizeof k->uids[2], "%s", e->sop_uid);
    return 0;
}

static bool same_key(const entry_key *a, const entry_key *b)
{
    return a->found && b->found && a->sequence == b->sequence &&
           a->timestamp_us == b->timestamp_us && a->action == b->action &&
           strcmp(a->uids[0], b->uids[0]) == 0 && strcmp(a->uids[1], b->uids[1]) == 0 &&
           strcmp(a->uids[2], b->uids[2]) == 0;
}

static bool is_feed_id(const char *id)
{
    return strlen(id) == DF_FEED_ID_LEN && strspn(id, "0123456789abcdef") == DF_FEED_ID_LEN;
}

/* Inside the first batch, so under the destination's write lock: decides
 * where the copy starts (log_copy.h says when a destination is refused). */
static int decide_start(df_log_copy *c)
{
    df_error *err = c->err;
    c->whose = "the log";
    int rc = df_store_last_sequence(c->dest, &c->start, err);
    if (rc != 0)
        return rc;
    const char *src_id = df_store_feed_id(c->src);
    const char *dest_id = df_store_feed_id(c->dest);
    if (!is_feed_id(src_id)) {
        c->whose = "SOURCE";
        return df_error_set(err, DF_EINVAL,
                            "its identity (table feed) is not %d lowercase hex digits",
                            DF_FEED_ID_LEN);
    }
    df_log_copy_provisional_id(src_id, c->provisional);
    bool ours = strcmp(dest_id, src_id) == 0 || strcmp(dest_id, c->provisional) == 0;
    c->whose = NULL;
    if (c->start > 0 && !ours)
        return df_error_set(err, DF_EINVAL,
                            "the log holds %" PRId64 " entries of another log, not a copy of"
                            " SOURCE",
                            c->start);
    if (c->start > c->src_last)
        return df_error_set(err, DF_EINVAL,
                            "the log holds %" PRId64 " entries, SOURCE only %" PRId64
                            ": it is not an earlier copy of SOURCE",
                            c->start, c->src_last);
    if (c->start > 0) {
        entry_key mine = {0}, theirs = {0};
        c->whose = "the log";
        rc = df_store_latest(c->dest, false, keep_key, &mine, err);
        if (rc != 0)
            return rc;
        c->whose = "SOURCE";
        rc = df_store_page(c->src, c->start - 1, 1, false, keep_key, &theirs, err);
        if (rc != 0)
            return rc;
        c->whose = NULL;
        if (!same_key(&mine, &theirs))
            return df_error_set(err, DF_EINVAL,
                                "the log's entry %" PRId64 " differs from SOURCE's: the log was"
                                " written to since it was copied",
                                c->start);
    }
    return 0;
}

/* At the start of each batch: the identity the log has once it commits.
 * The source's when this batch completes the copy, else the provisional one.
 * An empty log may take either; a log with entries only replaces its own. */
static int set_identity(df_log_copy *c)
{
    const char *src_id = df_store_feed_id(c->src);
    bool completes = c->src_last - c->copied <= (int64_t)c->batch_size;
    const char *want = completes ? src_id : c->provisional;
    const char *now = df_store_feed_id(c->dest); /* as of the last commit */
    if (strcmp(now, want) == 0)
        return 0;
    return df_store_set_feed_id(c->dest, want, c->copied == 0 ? NULL : now, c->err);
}

/* Fills the batch in progress with up to batch_size entries of the source. */
static int fill_batch(df_log_copy *c)
{
    int64_t want = c->src_last - c->copied;
    if (want > (int64_t)c->batch_size)
        want = (int64_t)c->batch_size;
    int64_t end = c->copied + want;
    while (c->appended < end) {
        int64_t n = end - c->appended;
        int limit = n > DF_LOG_COPY_PAGE ? DF_LOG_COPY_PAGE : (int)n;
        int64_t before = c->appended;
        int rc = df_store_copy_page(c->src, c->appended, limit, copy_entry, c, c->err);
        if (rc != 0)
            return rc;
        /* A gap in the source's Sequences is refused by append_entry; an
         * empty page short of the newest Sequence its snapshot showed must
         * not loop forever either. */
        if (c->appended == before)
            return df_error_set(c->err, DF_EDB, "entry %" PRId64 " is missing", c->appended + 1);
    }
    return 0;
}

int df_log_copy_step(df_log_copy *c, df_store *dest, df_error *err)
{
    if (c->started && c->copied >= c->src_last)
        return 0;
    c->dest = dest;
    c->err = err;
    c->whose = "the log";
    int rc = df_store_begin(dest, err);
    if (rc == 0 && !c->started) {
        rc = decide_start(c);
        if (rc == 0) {
            c->copied = c->appended = c->start;
            c->started = true;
        }
    } else if (rc == 0) {
        /* Another writer's entries since the last batch would make the next
         * copied entry refused: that is the log's doing, not SOURCE's. */
        int64_t newest = 0;
        rc = df_store_last_sequence(dest, &newest, err);
        if (rc == 0 && newest != c->copied)
            rc = df_error_set(err, DF_EINVAL,
                              "another writer appended to it during the import (its newest"
                              " Sequence is %" PRId64 ")",
                              newest);
    }
    if (rc == 0) {
        c->whose = "the log";
        rc = set_identity(c);
    }
    if (rc == 0) {
        c->dest_failed = false;
        rc = fill_batch(c);
        c->whose = c->dest_failed    ? "the log"
                   : rc == DF_EINVAL ? "SOURCE breaks the log's rules"
                                     : "SOURCE";
    }
    if (rc == 0) {
        c->whose = "the log";
        rc = df_store_commit(dest, err);
    }
    if (rc != 0) {
        df_store_rollback(dest);
        c->appended = c->copied;
        return rc;
    }
    c->whose = NULL;
    c->copied = c->appended;
    return c->copied < c->src_last ? 1 : 0;
}
