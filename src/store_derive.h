/* What the log keeps beside an instance's metadata, derived from it once,
 * when it is written: its de-identified copy (deid.h), which the routes that
 * may not see patient identity serve without parsing anything, and its SOP
 * Class UID and Modality, which v2 entries carry and filter on (schema
 * version 4, docs/schema.md). Every writer goes through store.c, which
 * derives them for each create and update, so that none can forget; each
 * backend's migration to version 4 derives them for the instances a log
 * already holds. Pure: no SQL, no I/O. */
#ifndef DF_STORE_DERIVE_H
#define DF_STORE_DERIVE_H

#include <stddef.h>

#include "error.h"
#include "json.h"
#include "uid.h"

/* The largest de-identified copy kept, in bytes (48 MiB): half again the
 * metadata cap (store.h's DF_METADATA_MAX, 32 MiB), since a dummy value may be
 * longer than the empty one it replaces, and still within one answer
 * (responder.h's DF_ANSWER_MAX, 64 MiB) with room for the rest of a page. */
#define DF_DEID_METADATA_MAX 50331648u

/* The longest Modality kept (a CS is at most 16 characters; a longer one is
 * not a Modality the filters could name, and is kept as none). */
#define DF_MODALITY_MAX 16

typedef struct df_derived {
    df_buf deid;                        /* the de-identified copy, NUL-terminated */
    char sop_class_uid[DF_UID_MAX + 1]; /* "" when the dataset has none (or not a valid UID) */
    char modality[DF_MODALITY_MAX + 1]; /* "" when it has none (or not printable ASCII) */
} df_derived;

/* Prepares d; its buffer is reused by every df_derive_metadata call. */
void df_derived_init(df_derived *d);
void df_derived_free(df_derived *d);

/* Fills d from the dataset metadata[0..len) (compact DICOM JSON): the SOP
 * Class UID and Modality are the first values of the top-level (0008,0016)
 * and (0008,0060), taken as they are (no escapes, printable ASCII). Returns
 * 0; DF_EINVAL with err set when the dataset cannot be de-identified (deid.h)
 * or its copy would pass DF_DEID_METADATA_MAX; DF_ENOMEM. */
int df_derive_metadata(const char *metadata, size_t len, df_derived *d, df_error *err);

#endif
