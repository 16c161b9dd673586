/* Reading DICOM JSON (PS3.18 F.2) for the ingest side: one file holds a single
 * dataset object, or an array of dataset objects as WADO-RS metadata returns.
 * Each dataset is validated whole at the door and handed on with its three
 * UIDs and its metadata compacted, ready for df_store_add.
 *
 * What the door checks, so that nothing behind it has to:
 *  - the text is JSON (jansson, duplicate keys rejected), UTF-8, at most
 *    DF_INGEST_JSON_MAX_FILE bytes; a leading UTF-8 byte order mark is skipped;
 *  - every dataset is an object whose keys are tags of 8 upper-case hex digits
 *    ("0020000D"; lower case is rejected rather than silently stored in a form
 *    clients looking up "0020000D" would miss);
 *  - every attribute is an object with a "vr" of two upper-case letters and at
 *    most one of "Value" (an array), "InlineBinary" or "BulkDataURI" (strings),
 *    nothing else; values of an SQ are objects (items, checked as datasets,
 *    nested at most DF_INGEST_JSON_MAX_DEPTH deep), values of a PN are objects
 *    of "Alphabetic", "Ideographic", "Phonetic" strings, other values are
 *    strings, numbers or null;
 *  - 0020000D, 0020000E and 00080018 are present at the top level with vr UI
 *    and exactly one value that is a valid UID (uid.h).
 *
 * Compacting copies the original bytes of each dataset with insignificant
 * whitespace removed; it never re-serialises, so numbers stay byte-identical
 * (0.1 stays 0.1) and strings keep their escapes. As the spec's §3 asks,
 * top-level members of group 0002 (file meta information) are left out, and
 * so is bulk data at every depth, by the rule the Part 10 path applies
 * (df_dicom_is_bulk): an attribute whose InlineBinary decodes to more than
 * 1024 bytes of a binary VR (OB, OD, OF, OL, OV, OW, UN), Pixel Data, Float
 * and Double Float Pixel Data whatever their length, and every attribute given
 * by BulkDataURI (bytes elsewhere, which the sender judged bulk).
 *
 * Error messages name the file, the dataset (counted from 1) and the reason;
 * they may quote UIDs and tags, never any other value (it may name a patient).
 * Numbers beyond the range of a double (1e400) are rejected by jansson. */
#ifndef DF_INGEST_JSON_H
#define DF_INGEST_JSON_H

#include <stddef.h>

#include "error.h"
#include "uid.h"

/* Largest file read, in bytes (64 MiB). */
#define DF_INGEST_JSON_MAX_FILE (64u * 1024u * 1024u)
/* Deepest nesting of sequences: a top-level attribute is at depth 1, an
 * attribute inside an item of a top-level SQ at depth 2, and so on. */
#define DF_INGEST_JSON_MAX_DEPTH 32

typedef struct df_ingest_dataset {
    char study_uid[DF_UID_MAX + 1];  /* NUL-terminated, valid */
    char series_uid[DF_UID_MAX + 1]; /* NUL-terminated, valid */
    char sop_uid[DF_UID_MAX + 1];    /* NUL-terminated, valid */
    const char *metadata;            /* compact DICOM JSON object, borrowed from the file's
                                        buffer; not NUL-terminated */
    size_t metadata_len;
} df_ingest_dataset;

/* The datasets of one file, in file order. Owns everything it points to;
 * released with df_ingest_json_free. */
typedef struct df_ingest_json_file {
    df_ingest_dataset *datasets;
    size_t count;  /* at least 1 after a successful read */
    char *compact; /* every dataset's metadata, back to back */
} df_ingest_json_file;

/* Reads and validates text[0..len) (a file's bytes: ingest_walk.h's
 * df_input_text reads it within DF_INGEST_JSON_MAX_FILE); name is used in
 * messages (a path, or anything that tells the reader where the text came
 * from), cut as df_error_path cuts it. text is only read, and need not
 * outlive the call. On success fills *out (the caller frees it with
 * df_ingest_json_free) and returns 0. On failure returns DF_EINVAL (too
 * large, not JSON, not DICOM JSON, a missing or invalid UID) or DF_ENOMEM,
 * sets err to a message that starts with the name, and leaves *out empty
 * (safe to free). */
int df_ingest_json_parse(const char *name, const char *text, size_t len, df_ingest_json_file *out,
                         df_error *err);

/* Releases what f owns and empties it; an empty f is a no-op. */
void df_ingest_json_free(df_ingest_json_file *f);

#endif
