/* A DICOMweb archive (PS3.18) as reconcile reads it, over the shared HTTP
 * client (http.h): QIDO-RS searches for studies, series and instances, one
 * page (limit, offset) at a time, and WADO-RS metadata of a series or of one
 * instance. Nothing here decides what a page means for the walk (reconcile.c
 * does); this module builds the URLs, sends the requests, tells the answers
 * apart and takes the UIDs out of a search's DICOM JSON.
 *
 * Answers: a search's 200 is a JSON array of datasets (204, or an empty
 * body, is an empty page); a search under a study or a series that answers
 * 404 is an empty page too (some archives say so for a study they do not
 * hold), while a 404 at the top level (/studies, /series, /instances) means
 * that the base URL is not a DICOMweb service. Messages name the URL's path
 * and the status, never a value of a dataset. */
#ifndef DF_DICOMWEB_H
#define DF_DICOMWEB_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "http.h"
#include "json.h"
#include "store_types.h" /* df_uid_fn */

/* Error codes, beside error.h's and http.h's (DF_EHTTP_UNAVAILABLE: the
 * archive stayed unreachable or failing past the retries). */
enum {
    DF_EDICOMWEB_REFUSED = -120, /* 4xx other than 404 below a study, a redirect: the archive
                                    refuses what was asked (credentials, a wrong URL) */
    DF_EDICOMWEB_INVALID = -121, /* the answer is not what DICOMweb answers (not a JSON
                                    array of datasets) */
};

/* The most a search's answer may hold, in bytes: a page of a few thousand
 * datasets of a few kilobytes each. */
#define DF_DICOMWEB_SEARCH_MAX (32u * 1024u * 1024u)
/* The longest StudyDate match kept ("YYYYMMDD-YYYYMMDD"). */
#define DF_DICOMWEB_DATE_MAX 17

typedef enum df_qido_level {
    DF_QIDO_STUDIES,
    DF_QIDO_SERIES,
    DF_QIDO_INSTANCES,
} df_qido_level;

/* One search: the level, its matches and the page. UIDs must be valid
 * (uid.h) and StudyDate digits and one '-', as reconcile makes them: they
 * go into the URL as they are. */
typedef struct df_qido {
    df_qido_level level;
    bool scoped;            /* series and instances: under /studies/{study}[/series/{series}]
                               (study_uid, series_uid), rather than matches at the top level */
    const char *study_uid;  /* StudyInstanceUID: the scope, or a match; NULL: any */
    const char *series_uid; /* SeriesInstanceUID: the scope (instances), or a match; NULL: any */
    const char *sop_uid;    /* SOPInstanceUID match (instances), NULL: any */
    const char *study_date; /* StudyDate match (studies): "A-B", "A-", "-B" (YYYYMMDD), NULL */
    int limit;              /* datasets per page, 1 or more */
    long offset;            /* datasets skipped, 0 or more */
} df_qido;

typedef struct df_dicomweb df_dicomweb;

/* Opens base_url (http:// or https://, the service's root: the URL before
 * /studies) over http, which is borrowed for the object's life. Returns 0
 * and *out (close with df_dicomweb_close), DF_EINVAL for a URL that is not
 * one, DF_ENOMEM. */
int df_dicomweb_open(const char *base_url, df_http *http, df_dicomweb **out, df_error *err);
void df_dicomweb_close(df_dicomweb *w);

/* Runs search q and calls fn with the level's UID of each dataset of the
 * page, in the answer's order (an archive may list one twice). *count
 * receives the number of datasets in the page, *invalid (may be NULL) those
 * among them without a valid UID, which fn does not see. Returns 0, fn's
 * non-zero value, DF_HTTP_STOPPED, DF_EHTTP_UNAVAILABLE, DF_EDICOMWEB_REFUSED,
 * DF_EDICOMWEB_INVALID, DF_EHTTP_TOOBIG (past DF_DICOMWEB_SEARCH_MAX),
 * DF_ENOMEM; err names the request. */
int df_dicomweb_search(df_dicomweb *w, const df_qido *q, df_uid_fn fn, void *ctx, int *count,
                       int *invalid, df_error *err);

/* GETs the WADO-RS metadata of the series (sop_uid NULL) or of the one
 * instance into body (reset first; its ceiling bounds the answer). Returns 0,
 * DF_ENOTFOUND (the archive answered 404 or nothing: it does not serve that
 * metadata), DF_HTTP_STOPPED, DF_EHTTP_UNAVAILABLE, DF_EHTTP_TOOBIG,
 * DF_EDICOMWEB_REFUSED, DF_ENOMEM. The body is not checked here: it is
 * DICOM JSON for ingest_json.h. */
int df_dicomweb_metadata(df_dicomweb *w, const char *study_uid, const char *series_uid,
                         const char *sop_uid, df_buf *body, df_error *err);

/* Requests sent so far (retries not counted), searches and metadata apart. */
long df_dicomweb_searches(const df_dicomweb *w);
long df_dicomweb_fetches(const df_dicomweb *w);

/* --- pure helpers (tested alone) --------------------------------------------- */

/* Appends the URL of search q under base (without a trailing '/') to out. */
void df_dicomweb_search_url(const char *base, const df_qido *q, df_buf *out);

/* Takes the UIDs of tag ("0020000D", "0020000E" or "00080018") out of the
 * search answer text[0..len): a JSON array of dataset objects (empty text is
 * an empty array). Same fn, *count and *invalid as df_dicomweb_search;
 * DF_EDICOMWEB_INVALID with err for anything else (jansson's message without
 * the text it quotes). */
int df_dicomweb_parse_uids(const char *text, size_t len, const char *tag, df_uid_fn fn, void *ctx,
                           int *count, int *invalid, df_error *err);

#endif
