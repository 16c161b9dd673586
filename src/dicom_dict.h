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

#endif
