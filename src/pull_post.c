/* Push delivery of CloudEvents: see pull_post.h. */
#include "pull_post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloudevents.h"

struct df_pull_post {
    const df_pull_post_options *o;
    df_http_settings http; /* the feed's, without its credentials */
    df_http *client;
    df_ce_feed feed;
    df_buf body;   /* the request being built: an event, or a batch's array */
    df_buf answer; /* the receiver's answer, for its message */
    size_t count;  /* events in body */
    int64_t first; /* their first and last Sequences, for messages */
    int64_t last;
    char feed_id[DF_PULL_FEED_ID_SIZE];
    uint64_t requests; /* acknowledged */
    uint64_t events;
};

int df_pull_post_open(const df_pull_post_options *o, df_pull_post **out, df_error *err)
{
    *out = NULL;
    if (strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0)
        return df_error_set(err, DF_EINVAL, "--post wants an http:// or https:// URL, not '%s'",
                            o->url);
    for (size_t i = 0; o->headers != NULL && o->headers[i] != NULL; i++)
        if (!df_http_header_valid(o->headers[i]))
            return df_error_set(err, DF_EINVAL,
                                "--header wants 'Name: value' (a token, a colon, no line "
                                "breaks), not '%s'",
                                o->headers[i]);
    df_pull_post *p = calloc(1, sizeof *p);
    if (p == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    p->o = o;
    p->http = *o->http;
    /* The feed's credentials are for the feed: the receiver gets --header. */
    p->http.user = NULL;
    p->http.netrc = false;
    p->http.netrc_file = NULL;
    p->http.label = "the receiver";
    if (p->http.name == NULL)
        p->http.name = "dcmfeed-pull";
    df_buf_init(&p->body, DF_PULL_POST_MAX);
    df_buf_init(&p->answer, DF_PULL_ANSWER_MAX);
    int rc = df_ce_feed_init(&p->feed, o->feed_url, err);
    if (rc == 0)
        rc = df_http_open(&p->http, &p->client, err);
    if (rc != 0) {
        df_pull_post_close(p);
        return rc;
    }
    *out = p;
    return 0;
}

void df_pull_post_close(df_pull_post *p)
{
    if (p == NULL)
        return;
    df_http_close(p->client);
    df_ce_feed_free(&p->feed);
    df_buf_free(&p->body);
    df_buf_free(&p->answer);
    free(p);
}

void df_pull_post_counts(const df_pull_post *p, uint64_t *requests, uint64_t *events)
{
    *requests = p->requests;
    *events = p->events;
}

/* POSTs body as type; what = the events in it, for messages. */
static int deliver(df_pull_post *p, const char *type, const char *what, df_error *err)
{
    df_http_answer a;
    df_error why = {0};
    int rc = df_http_post(p->client, p->o->url, type, p->body.data, p->body.len, p->o->headers,
                          &p->answer, &a, &why);
    if (rc == DF_HTTP_STOPPED)
        return rc;
    if (rc == DF_EHTTP_TOOBIG)
        return df_error_set(err, DF_EPULL_RECEIVER,
                            "the receiver's answer to %s is larger than %u MiB", what,
                            DF_PULL_ANSWER_MAX / (1024u * 1024u));
    if (rc != 0)
        return df_error_set(err, rc == DF_EHTTP_UNAVAILABLE ? DF_EPULL_UNAVAILABLE : rc,
                            "%s not delivered: %s", what, why.message);
    if (a.status >= 200 && a.status < 300) {
        p->requests++;
        p->events += p->count;
        return 0;
    }
    char message[DF_ERROR_MESSAGE_MAX];
    if (a.status >= 300 && a.status < 400)
        snprintf(message, sizeof message, "HTTP %ld: it redirects to %.160s; give --post that URL",
                 a.status, a.location[0] != '\0' ? a.location : "another URL");
    else
        df_http_describe(a.status, &p->answer, message, sizeof message);
    return df_error_set(err, DF_EPULL_RECEIVER, "the receiver refused %s: %s", what, message);
}

static void describe_events(const df_pull_post *p, char *what, size_t size)
{
    const char *id = p->feed_id[0] != '\0' ? p->feed_id : NULL;
    if (p->count == 1)
        snprintf(what, size, "the event %s%s%lld", id != NULL ? id : "", id != NULL ? "-" : "",
                 (long long)p->first);
    else
        snprintf(what, size, "a batch of %zu events (%s%s%lld to %lld)", p->count,
                 id != NULL ? id : "", id != NULL ? "-" : "", (long long)p->first,
                 (long long)p->last);
}

int df_pull_post_flush(void *ctx, df_error *err)
{
    df_pull_post *p = ctx;
    if (p->count == 0)
        return 0;
    char what[160];
    describe_events(p, what, sizeof what);
    int rc = 0;
    if (p->o->batch > 0) {
        df_buf_append_char(&p->body, ']');
        rc = df_buf_failed(&p->body) ? df_error_set(err, DF_ENOMEM, "%s is larger than %u MiB",
                                                    what, DF_PULL_POST_MAX / (1024u * 1024u))
                                     : deliver(p, DF_CE_BATCH_CONTENT_TYPE, what, err);
    } else {
        rc = deliver(p, DF_CE_CONTENT_TYPE, what, err);
    }
    if (rc == 0) {
        df_buf_reset(&p->body);
        p->count = 0;
    } else if (p->o->batch > 0) {
        df_buf_truncate(&p->body, p->body.len - 1); /* the ']' again, for a retry */
    }
    return rc;
}

int df_pull_post_entry(void *ctx, const df_pull_entry *e, df_error *err)
{
    df_pull_post *p = ctx;
    if (e->feed_id != NULL)
        snprintf(p->feed_id, sizeof p->feed_id, "%s", e->feed_id);
    size_t mark = p->body.len;
    if (p->o->batch > 0)
        df_buf_append_char(&p->body, p->count == 0 ? '[' : ',');
    int rc = df_ce_entry(&p->body, &p->feed, e, p->o->metadata, err);
    if (rc != 0) {
        df_buf_truncate(&p->body, mark);
        if (rc == DF_ENOMEM)
            df_error_set(err, DF_ENOMEM, "the event of entry %lld is larger than %u MiB",
                         (long long)e->sequence, DF_PULL_POST_MAX / (1024u * 1024u));
        return rc;
    }
    if (p->count == 0)
        p->first = e->sequence;
    p->last = e->sequence;
    p->count++;
    if (p->o->batch > 0 && p->count < p->o->batch && p->body.len < DF_PULL_POST_BATCH_BYTES)
        return DF_PULL_HELD;
    return df_pull_post_flush(p, err);
}

int df_pull_post_entry_data(df_pull_post *p, df_buf *out, const df_pull_entry *e, df_error *err)
{
    return df_ce_entry_data(out, &p->feed, e, p->o->metadata, err);
}

int df_pull_post_study(df_pull_post *p, const char *feed_id, const char *study_uid,
                       int64_t revision, int64_t first, int64_t last, const char *time,
                       const char *entries_json, size_t entries_len, df_error *err)
{
    df_buf_reset(&p->body);
    p->count = 0;
    int rc = df_ce_study(&p->body, &p->feed, feed_id, study_uid, revision, first, last, time,
                         entries_json, entries_len, err);
    if (rc != 0) {
        df_buf_reset(&p->body);
        return df_error_set(err, rc, "the event of study %s is larger than %u MiB", study_uid,
                            DF_PULL_POST_MAX / (1024u * 1024u));
    }
    char what[160];
    snprintf(what, sizeof what, "the event of study %.64s (revision %lld)", study_uid,
             (long long)revision);
    p->count = 1;
    rc = deliver(p, DF_CE_CONTENT_TYPE, what, err);
    df_buf_reset(&p->body);
    p->count = 0;
    return rc;
}
