/* The metadata profile of a route (spec §10): what Metadata the responder
 * shows, set per web-server route by DCMFEED_METADATA, so that one server
 * publishes /dicom/ in full for the PACS team and /dicom-research/
 * de-identified for a research consumer. Parsed once when the process
 * starts; a setting that does not parse makes every request answer 503
 * rather than fall back to showing more than was asked.
 *
 * The settings:
 *  - "full" (or unset, or empty): the metadata as stored;
 *  - "none": no Metadata, whatever includemetadata says (as
 *    includemetadata=false answers);
 *  - "deid": the de-identified copy the log keeps beside each instance's
 *    metadata (deid.h, made when it is written: serving it parses nothing);
 *  - "allow:FILE": only the top-level attributes FILE names, one per line,
 *    by keyword ("PatientAge", as PS3.6 spells it) or by tag ("(0010,1010)",
 *    "0010,1010" or "00101010"); blank lines and lines starting with '#' are
 *    skipped. A sequence named is kept whole, with all its items (its
 *    nested attributes cannot be named: an allow-list is for a consumer that
 *    needs a few attributes, and a path syntax would be a second language to
 *    get wrong). An attribute the file does not name is left out wherever it
 *    is. This one is applied when an answer is written: the responder reads
 *    the stored metadata's top-level members and copies those named. */
#ifndef DF_PROFILE_H
#define DF_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "json.h"

typedef enum df_profile_kind {
    DF_PROFILE_FULL,
    DF_PROFILE_NONE,
    DF_PROFILE_DEID,
    DF_PROFILE_ALLOW,
} df_profile_kind;

/* The largest allow-list file read, and the most attributes it names. */
#define DF_PROFILE_FILE_MAX (1024 * 1024)
#define DF_PROFILE_TAGS_MAX 8192

typedef struct df_profile {
    df_profile_kind kind;
    uint32_t *tags; /* DF_PROFILE_ALLOW: the attributes, sorted, unique; owned */
    size_t tag_count;
    uint64_t digest; /* tells profiles apart in ETags (allow-lists by their tags) */
} df_profile;

/* Parses a DCMFEED_METADATA setting (NULL or "" is "full") into *out, which
 * the caller frees with df_profile_free. An allow-list's file is read here.
 * Returns 0; DF_EINVAL with err naming what is wrong (an unknown setting, a
 * file that cannot be read, an unknown keyword with its line); DF_ENOMEM.
 * On failure *out is "none" (safe to free, and to use: it shows nothing). */
int df_profile_parse(const char *setting, df_profile *out, df_error *err);

void df_profile_free(df_profile *p);

/* The tag of a keyword of the data dictionary ("PatientName"); false when
 * the dictionary has none. */
bool df_profile_keyword_tag(const char *keyword, size_t len, uint32_t *tag);

/* Appends to out the dataset json[0..len) (a DICOM JSON object, as the log
 * stores it) with only the top-level attributes p (DF_PROFILE_ALLOW) names,
 * each copied byte for byte. Returns 0; DF_EINVAL with err set when json is
 * not an object of tags (the log holds what its writers checked, so that is
 * a broken log); a failure of out shows in df_buf_failed only. */
int df_profile_allow(const df_profile *p, const char *json, size_t len, df_buf *out, df_error *err);

#endif
