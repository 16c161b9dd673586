/* A DICOM dataset as DICOM JSON (PS3.18 Annex F.2), written while the Part 10
 * reader (dicom.h) streams the file: every VR mapped as the standard says,
 * text turned into UTF-8 from the dataset's Specific Character Set, bulk data
 * left out (spec §3), group 0002 left out. The result is compact JSON that the
 * store keeps and the responder copies without parsing.
 *
 * Character sets (charset.h): ISO_IR 6 (default), ISO_IR 100, ISO_IR 13 and
 * ISO_IR 192 are converted directly; the other defined terms (and ISO 2022
 * code extensions) through iconv.
 * An unknown or unconvertible character set does not lose the instance from
 * the feed: its text is kept where it is valid UTF-8, other bytes become
 * U+FFFD, and the result carries a warning. */
#ifndef DF_DICOMJSON_H
#define DF_DICOMJSON_H

#include <stddef.h>

#include "dicom.h"
#include "error.h"
#include "uid.h"

/* A converter keeps its reader, character set decoder and output buffer between
 * files, so converting many files allocates nothing per file. Caller frees
 * with df_dicomjson_free. NULL when out of memory. */
typedef struct df_dicomjson df_dicomjson;

df_dicomjson *df_dicomjson_new(void);
void df_dicomjson_free(df_dicomjson *c);

typedef struct df_dicomjson_result {
    char study_uid[DF_UID_MAX + 1];  /* (0020,000D), padding stripped, valid */
    char series_uid[DF_UID_MAX + 1]; /* (0020,000E), padding stripped, valid */
    char sop_uid[DF_UID_MAX + 1];    /* (0008,0018), padding stripped, valid */
    const char *metadata;            /* compact DICOM JSON object; borrowed from the
                                        converter, valid until its next call */
    size_t metadata_len;
    char warning[DF_ERROR_MESSAGE_MAX]; /* "" or one line for a person (e.g. an
                                           unknown character set), no patient data */
} df_dicomjson_result;

/* Reads the Part 10 file at path (or from io; name is used in messages) and
 * converts its dataset. Returns 0 and fills *res; DF_EINVAL when the file is
 * not DICOM, is malformed or truncated, or lacks a valid Study, Series or SOP
 * Instance UID; DF_EIO when it cannot be read; DF_ENOMEM. err names the file
 * and the reason (offset and tag for malformed input), never a value other
 * than a UID. */
int df_dicomjson_convert_path(df_dicomjson *c, const char *path, df_dicomjson_result *res,
                              df_error *err);
int df_dicomjson_convert_io(df_dicomjson *c, df_dicom_io *io, const char *name,
                            df_dicomjson_result *res, df_error *err);

#endif
