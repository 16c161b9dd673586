/* De-identifying an instance's metadata (DICOM JSON, as the log stores it) by
 * DICOM PS3.15 Annex E: the Basic Application Level Confidentiality Profile
 * with the Retain UIDs Option, so that a consumer that may not see patient
 * identity still gets the technical attributes and every UID it needs to
 * retrieve the images. The table is the standard's Table E.1-1, generated
 * (src/deid_table.c says from which edition and how each conditional action
 * was resolved); this file adds the rules no table row holds.
 *
 * What df_deid_apply does to a dataset, at every depth:
 *  - each attribute of the table gets its action: keep, remove (X), empty (Z:
 *    the attribute stays with its "vr" and no value) or dummy (D: one value
 *    of its VR, below);
 *  - private attributes (odd groups, their creators included), curve data
 *    (groups 50xx), overlay data and comments ((60xx,3000), (60xx,4000)) and
 *    group lengths ((gggg,0000), whose value no longer holds) are removed;
 *  - a sequence that is kept (in the table as K, or not in it) is kept with
 *    each of its items de-identified the same way; a sequence that is emptied
 *    has no items; a dummy sequence has one item with no attribute (the
 *    standard applies a sequence's action to "the Sequence and all of its
 *    contents");
 *  - anything else is kept as it is (the profile lists what to protect);
 *  - at the top level, Patient Identity Removed (0012,0062) is "YES",
 *    De-identification Method (0012,0063) names the profile and the option,
 *    and De-identification Method Code Sequence (0012,0064) holds their codes
 *    (DCM 113100, 113110), whatever the dataset had there.
 *
 * Dummy values, per VR: AE, CS, LO, LT, SH, ST, UC, UR, UT "ANONYMOUS"; PN
 * {"Alphabetic":"ANONYMOUS"}; AS "000D"; DA "19000101"; DT
 * "19000101000000.000000"; TM "000000.000000"; DS, IS "0"; UI "2.25.0"; AT
 * "00000000"; FL, FD, SL, SS, SV, UL, US, UV 0; OB, OD, OF, OL, OV, OW, UN
 * eight zero bytes as InlineBinary; SQ one empty item. An attribute of any
 * other VR, or without one, is removed rather than guessed at. */
#ifndef DF_DEID_H
#define DF_DEID_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "json.h"

/* An action of the profile, resolved (tools/gen_deid_table.py says how). */
typedef enum df_deid_action {
    DF_DEID_KEEP,   /* K, and every attribute the table does not name */
    DF_DEID_REMOVE, /* X */
    DF_DEID_EMPTY,  /* Z */
    DF_DEID_DUMMY,  /* D */
} df_deid_action;

typedef struct df_deid_rule {
    uint32_t tag;   /* DF_DICOM_TAG(group, element) */
    uint8_t action; /* a df_deid_action */
} df_deid_rule;

/* Table E.1-1 (src/deid_table.c, generated): sorted by tag, strictly
 * increasing; static data. */
extern const df_deid_rule df_deid_rules[];
extern const size_t df_deid_rule_count;

/* Deepest nesting of sequences followed; a dataset nested deeper is refused
 * (the ingest side stores none deeper than 32). */
#define DF_DEID_MAX_DEPTH 64

/* The action for an attribute: its table row, else the rules above (private,
 * curves, overlays, group lengths: remove), else keep. */
df_deid_action df_deid_action_of(uint32_t tag);

/* Appends the de-identified copy of the dataset json[0..len) (a DICOM JSON
 * object, compact or not) to out, compact. The dataset's own bytes are copied
 * wherever an attribute is kept, so numbers and strings stay exactly as
 * stored. Returns 0; DF_EINVAL with err set when json is not a dataset it can
 * follow (not an object, malformed JSON, a key that is not a tag of 8 hex
 * digits, a sequence whose items are not objects, nesting past
 * DF_DEID_MAX_DEPTH): nothing of it may be shown, since what is not
 * understood cannot be de-identified; DF_ENOMEM, err untouched, when out
 * fails (its ceiling or memory: the caller knows which). On failure out holds a part of the copy:
 * the caller discards it. The messages never quote a value of the dataset. */
int df_deid_apply(const char *json, size_t len, df_buf *out, df_error *err);

#endif
