/* CloudEvents for the feed's entries and studies: see cloudevents.h. */
#include "cloudevents.h"

#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

int df_ce_feed_init(df_ce_feed *f, const char *url, df_error *err)
{
    memset(f, 0, sizeof *f);
    size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
    if (scheme == 0)
        return df_error_set(err, DF_EINVAL, "the URL must start with http:// or https://");
    size_t end = scheme + strcspn(url + scheme, "?#");
    size_t authority_end = scheme + strcspn(url + scheme, "/?#");
    /* Credentials in the URL never travel in an event. */
    size_t host_start = scheme;
    for (size_t i = scheme; i < authority_end; i++)
        if (url[i] == '@')
            host_start = i + 1;
    size_t host_end = authority_end;
    if (url[host_start] == '[') {
        const char *close = memchr(url + host_start, ']', authority_end - host_start);
        if (close != NULL)
            host_end = (size_t)(close - url) + 1;
    } else {
        const char *colon = memchr(url + host_start, ':', authority_end - host_start);
        if (colon != NULL)
            host_end = (size_t)(colon - url);
    }
    if (host_end == host_start)
        return df_error_set(err, DF_EINVAL, "the URL has no host");
    while (end > authority_end && url[end - 1] == '/')
        end--;
    size_t source_len = scheme + (end - host_start);
    f->source = malloc(source_len + 1);
    f->host = malloc(host_end - host_start + 1);
    if (f->source == NULL || f->host == NULL) {
        df_ce_feed_free(f);
        return df_error_set(err, DF_ENOMEM, "out of memory");
    }
    memcpy(f->source, url, scheme);
    memcpy(f->source + scheme, url + host_start, end - host_start);
    f->source[source_len] = '\0';
    memcpy(f->host, url + host_start, host_end - host_start);
    f->host[host_end - host_start] = '\0';
    return 0;
}

void df_ce_feed_free(df_ce_feed *f)
{
    free(f->source);
    free(f->host);
    f->source = NULL;
    f->host = NULL;
}

const char *df_ce_type(const char *action)
{
    if (action == NULL)
        return NULL;
    if (strcmp(action, "create") == 0)
        return "Microsoft.HealthcareApis.DicomImageCreated";
    if (strcmp(action, "delete") == 0)
        return "Microsoft.HealthcareApis.DicomImageDeleted";
    if (strcmp(action, "update") == 0)
        return "Microsoft.HealthcareApis.DicomImageUpdated";
    return NULL;
}

static void member(df_buf *out, const char *name, const char *value)
{
    df_buf_append_char(out, '"');
    df_buf_append_str(out, name);
    df_buf_append_str(out, "\":");
    df_json_append_string(out, value, strlen(value));
}

static int check_entry(const df_pull_entry *e, df_error *err)
{
    const char *missing = e->study_uid == NULL    ? "StudyInstanceUid"
                          : e->series_uid == NULL ? "SeriesInstanceUid"
                          : e->sop_uid == NULL    ? "SopInstanceUid"
                          : e->timestamp == NULL  ? "Timestamp"
                          : e->action == NULL     ? "Action"
                                                  : NULL;
    if (missing != NULL)
        return df_error_set(err, DF_EINVAL, "the entry has no %s: it cannot become an event",
                            missing);
    if (df_ce_type(e->action) == NULL)
        return df_error_set(err, DF_EINVAL,
                            "the entry's Action '%.40s' has no event type (create, delete or "
                            "update)",
                            e->action);
    return 0;
}

static int finish(df_buf *out, size_t mark, df_error *err)
{
    if (!df_buf_failed(out))
        return 0;
    df_buf_truncate(out, mark);
    return df_error_set(err, DF_ENOMEM, "an event does not fit in its buffer");
}

/* The data members, without the braces. */
static void data_members(df_buf *out, const df_ce_feed *f, const df_pull_entry *e, bool metadata)
{
    member(out, "imageStudyInstanceUid", e->study_uid);
    df_buf_append_char(out, ',');
    member(out, "imageSeriesInstanceUid", e->series_uid);
    df_buf_append_char(out, ',');
    member(out, "imageSopInstanceUid", e->sop_uid);
    df_buf_append_char(out, ',');
    member(out, "serviceHostName", f->host);
    df_buf_append_str(out, ",\"sequenceNumber\":");
    df_buf_append_i64(out, e->sequence);
    df_buf_append_char(out, ',');
    member(out, "action", e->action);
    if (e->state != NULL) {
        df_buf_append_char(out, ',');
        member(out, "state", e->state);
    }
    df_json_span m;
    if (metadata && df_json_member(e->json, e->json_len, "Metadata", &m, NULL) == 0) {
        df_buf_append_str(out, ",\"metadata\":");
        df_buf_append(out, e->json + m.start, m.len);
    }
}

int df_ce_entry_data(df_buf *out, const df_ce_feed *f, const df_pull_entry *e, bool metadata,
                     df_error *err)
{
    int rc = check_entry(e, err);
    if (rc != 0)
        return rc;
    size_t mark = out->len;
    df_buf_append_char(out, '{');
    data_members(out, f, e, metadata);
    df_buf_append_char(out, '}');
    return finish(out, mark, err);
}

/* ,"subject":"/studies/{study}[/series/{series}/instances/{sop}]", escaped
 * as a whole (UIDs are digits and dots, but an entry comes from outside). */
static void subject(df_buf *out, const char *study, const char *series, const char *sop)
{
    df_buf path;
    df_buf_init(&path, out->max);
    df_buf_append_str(&path, "/studies/");
    df_buf_append_str(&path, study);
    if (series != NULL) {
        df_buf_append_str(&path, "/series/");
        df_buf_append_str(&path, series);
        df_buf_append_str(&path, "/instances/");
        df_buf_append_str(&path, sop);
    }
    df_buf_append_str(out, ",\"subject\":");
    if (df_buf_failed(&path))
        out->failed = true;
    else
        df_json_append_string(out, path.data, path.len);
    df_buf_free(&path);
}

/* "{feed}-{sequence}", or the Sequence alone when the feed gives no identity. */
static void event_id(df_buf *out, const char *feed_id, const char *kind, int64_t sequence)
{
    df_buf_append_str(out, "\"id\":\"");
    if (feed_id != NULL && feed_id[0] != '\0') {
        df_buf_append_str(out, feed_id);
        df_buf_append_char(out, '-');
    }
    df_buf_append_str(out, kind);
    df_buf_append_i64(out, sequence);
    df_buf_append_char(out, '"');
}

int df_ce_entry(df_buf *out, const df_ce_feed *f, const df_pull_entry *e, bool metadata,
                df_error *err)
{
    int rc = check_entry(e, err);
    if (rc != 0)
        return rc;
    size_t mark = out->len;
    df_buf_append_str(out, "{\"specversion\":\"1.0\",");
    member(out, "type", df_ce_type(e->action));
    df_buf_append_char(out, ',');
    member(out, "source", f->source);
    df_buf_append_char(out, ',');
    event_id(out, e->feed_id, "", e->sequence);
    df_buf_append_char(out, ',');
    member(out, "time", e->timestamp);
    subject(out, e->study_uid, e->series_uid, e->sop_uid);
    df_buf_append_str(out, ",\"datacontenttype\":\"application/json\",\"data\":{");
    data_members(out, f, e, metadata);
    df_buf_append_str(out, "}}");
    return finish(out, mark, err);
}

int df_ce_study(df_buf *out, const df_ce_feed *f, const char *feed_id, const char *study_uid,
                int64_t revision, int64_t first, int64_t last, const char *time,
                const char *entries_json, size_t entries_len, df_error *err)
{
    size_t mark = out->len;
    df_buf_append_str(out, "{\"specversion\":\"1.0\",");
    member(out, "type", DF_CE_STUDY_TYPE);
    df_buf_append_char(out, ',');
    member(out, "source", f->source);
    df_buf_append_char(out, ',');
    event_id(out, feed_id, "study-", last);
    df_buf_append_char(out, ',');
    member(out, "time", time);
    subject(out, study_uid, NULL, NULL);
    df_buf_append_str(out, ",\"datacontenttype\":\"application/json\",\"data\":{");
    member(out, "imageStudyInstanceUid", study_uid);
    df_buf_append_char(out, ',');
    member(out, "serviceHostName", f->host);
    df_buf_append_str(out, ",\"revision\":");
    df_buf_append_i64(out, revision);
    df_buf_append_str(out, ",\"firstSequenceNumber\":");
    df_buf_append_i64(out, first);
    df_buf_append_str(out, ",\"lastSequenceNumber\":");
    df_buf_append_i64(out, last);
    df_buf_append_str(out, ",\"entries\":");
    df_buf_append(out, entries_json, entries_len);
    df_buf_append_str(out, "}}");
    return finish(out, mark, err);
}
