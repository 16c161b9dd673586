/* The feed's entries as CloudEvents 1.0 in JSON (structured mode), shaped as
 * the seed service's Event Grid events so that handlers written for them
 * work (spec §11): one event per entry, of type
 * Microsoft.HealthcareApis.DicomImageCreated, …Deleted or …Updated, and one
 * event of type org.dcmfeed.StudyComplete per study handed over whole.
 *
 *   {"specversion":"1.0","type":"Microsoft.HealthcareApis.DicomImageCreated",
 *    "source":"https://pacs.example/dicom/v1","id":"0123456789abcdef-42",
 *    "time":"2026-11-28T01:03:08.483400Z","subject":"/studies/1.2/series/1.2.3/instances/1.2.3.4",
 *    "datacontenttype":"application/json",
 *    "data":{"imageStudyInstanceUid":"1.2","imageSeriesInstanceUid":"1.2.3",
 *            "imageSopInstanceUid":"1.2.3.4","serviceHostName":"pacs.example",
 *            "sequenceNumber":42,"action":"create","state":"current","metadata":{…}}}
 *
 * `id` is the feed's identity and the Sequence, the same on every try and
 * every run, so that a receiver de-duplicates by it; Metadata is copied as
 * the server's bytes. Pure: building only, no I/O. */
#ifndef DF_CLOUDEVENTS_H
#define DF_CLOUDEVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "json.h"
#include "pull.h"

#define DF_CE_CONTENT_TYPE       "application/cloudevents+json"
#define DF_CE_BATCH_CONTENT_TYPE "application/cloudevents-batch+json"
#define DF_CE_STUDY_TYPE         "org.dcmfeed.StudyComplete"

/* What every event of one feed shares. */
typedef struct df_ce_feed {
    char *source; /* the feed's URL without credentials, query or trailing '/' (owned) */
    char *host;   /* its host, for serviceHostName (owned) */
} df_ce_feed;

/* Fills f from the feed's URL (http:// or https://). Returns 0, DF_EINVAL for
 * a URL without a host, DF_ENOMEM. Free with df_ce_feed_free. */
int df_ce_feed_init(df_ce_feed *f, const char *url, df_error *err);
void df_ce_feed_free(df_ce_feed *f);

/* The event type of an entry's Action, NULL for an Action it has none for. */
const char *df_ce_type(const char *action);

/* Appends the event of entry e to out; with metadata, data carries the
 * entry's Metadata (as the server sent it, null for a deleted instance) when
 * the entry has it. Returns 0, DF_EINVAL when the entry lacks a field an event
 * needs (a UID, the Timestamp, an Action with an event type), DF_ENOMEM when
 * out failed. */
int df_ce_entry(df_buf *out, const df_ce_feed *f, const df_pull_entry *e, bool metadata,
                df_error *err);

/* Appends the data object of entry e (as in an entry's event, the members of
 * data) to out: a study's event lists its entries so. Same results. */
int df_ce_entry_data(df_buf *out, const df_ce_feed *f, const df_pull_entry *e, bool metadata,
                     df_error *err);

/* A study handed over whole: its UID, the revision (1, 2, … each time it is
 * handed over again), the Sequences of its first and last entries, the
 * newest entry's Timestamp, and its entries' data objects as a JSON array
 * (entries_json[0..entries_len), built with df_ce_entry_data). The id is
 * "{feed}-study-{last}". Returns 0, DF_ENOMEM. */
int df_ce_study(df_buf *out, const df_ce_feed *f, const char *feed_id, const char *study_uid,
                int64_t revision, int64_t first, int64_t last, const char *time,
                const char *entries_json, size_t entries_len, df_error *err);

#endif
