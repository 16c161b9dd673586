/* Push delivery for dcmfeed-pull --post: the feed's entries as CloudEvents
 * (cloudevents.h) POSTed to a receiver, one event per request (structured
 * mode, application/cloudevents+json) or up to a batch of them
 * (application/cloudevents-batch+json), and a study handed over whole as one
 * event.
 *
 * Delivery is at least once: a 2xx acknowledges; network errors, timeouts,
 * 408, 429 and 5xx are tried again by the HTTP client (http.h: back-off,
 * Retry-After); any other answer stops the pull with DF_EPULL_RECEIVER and
 * the receiver's message. An entry counts as done (the flow records it) only
 * once the request that carried its event was acknowledged, so a crash or a
 * refusal never loses one; a retry or a restart may send one again, with the
 * same id. */
#ifndef DF_PULL_POST_H
#define DF_PULL_POST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "http.h"
#include "pull.h"

/* Largest request body built: a batch is sent before it would pass this, and
 * one event past it (a study with much metadata) is refused with a message. */
#define DF_PULL_POST_MAX (256u * 1024u * 1024u)
/* A batch is sent once it holds this much, whatever its count, so that
 * events with metadata do not make requests of hundreds of megabytes. */
#define DF_PULL_POST_BATCH_BYTES (8u * 1024u * 1024u)

typedef struct df_pull_post_options {
    const char *url;              /* the receiver */
    const char *feed_url;         /* the feed's URL: the events' source and host */
    const char *const *headers;   /* extra "Name: value" lines (checked), NULL-ended, or NULL */
    size_t batch;                 /* 0: one event per request; N: batches of up to N events */
    bool metadata;                /* events carry the entries' Metadata */
    const df_http_settings *http; /* TLS, timeouts, retries, stop flag, verbosity; the feed's
                                    credentials are never sent to the receiver */
} df_pull_post_options;

typedef struct df_pull_post df_pull_post;

/* Opens a sender with o (borrowed for its life). Returns 0 and *out (close
 * with df_pull_post_close), DF_EINVAL, DF_ENOMEM. */
int df_pull_post_open(const df_pull_post_options *o, df_pull_post **out, df_error *err);

void df_pull_post_close(df_pull_post *p);

/* A df_pull_handler (ctx: the df_pull_post): sends the entry's event, or
 * adds it to the batch and returns DF_PULL_HELD until the batch is full. */
int df_pull_post_entry(void *ctx, const df_pull_entry *e, df_error *err);

/* A df_pull_flush: sends the batch held, if any. */
int df_pull_post_flush(void *ctx, df_error *err);

/* The data object of entry e, appended to out as a study's event lists it. */
int df_pull_post_entry_data(df_pull_post *p, df_buf *out, const df_pull_entry *e, df_error *err);

/* Sends one org.dcmfeed.StudyComplete event (cloudevents.h's df_ce_study)
 * built from the arguments. Returns 0 once acknowledged, DF_HTTP_STOPPED,
 * DF_EPULL_RECEIVER, DF_EPULL_UNAVAILABLE, DF_EINVAL, DF_ENOMEM. */
int df_pull_post_study(df_pull_post *p, const char *feed_id, const char *study_uid,
                       int64_t revision, int64_t first, int64_t last, const char *time,
                       const char *entries_json, size_t entries_len, df_error *err);

/* Requests sent and acknowledged, and events in them, since the open. */
void df_pull_post_counts(const df_pull_post *p, uint64_t *requests, uint64_t *events);

#endif
