/* The data dictionary the Part 10 reader uses for Implicit VR: every tag of the
 * standard (PS3.6) outside groups 0000, 0002 and FFFE, with its VR. The table
 * is generated (src/dicom_dict.c says from what and how; `make dicom-dict`
 * writes it again) and read only through df_dicom_dict_vr (dicom.h), which adds
 * the rules no table holds: group lengths, private tags, repeating groups. */
#ifndef DF_DICOM_DICT_H
#define DF_DICOM_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "dicom.h"

/* "US or SS" in the dictionary: the reader picks by Pixel Representation. */
#define DF_DICOM_DICT_US_OR_SS DF_DICOM_VR_COUNT

typedef struct df_dicom_dict_entry {
    uint32_t tag; /* DF_DICOM_TAG(group, element); repeating groups as 5000, 6000, 7F00 */
    uint8_t vr;   /* a df_dicom_vr, or DF_DICOM_DICT_US_OR_SS */
} df_dicom_dict_entry;

/* Sorted by tag, strictly increasing; static data, never freed. */
extern const df_dicom_dict_entry df_dicom_dict[];
extern const size_t df_dicom_dict_count;

/* The same tags by keyword (PS3.6's, "PatientName"; a retired attribute's
 * too), in src/dicom_keywords.c, generated from the same source: sorted by
 * keyword in byte order (strcmp), strictly increasing. A keyword of a
 * repeating group or a range of tags names its first tag. Only the programs
 * that look keywords up link it (the responder's allow-lists, profile.h). */
typedef struct df_dicom_keyword {
    const char *keyword;
    uint32_t tag;
} df_dicom_keyword;

extern const df_dicom_keyword df_dicom_keywords[];
extern const size_t df_dicom_keyword_count;

#endif
