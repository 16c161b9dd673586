/* DICOM Unique Identifiers (PS3.5 §9.1): the one check every UID passes
 * before it reaches the log, whether it comes from a file or a command line. */
#ifndef DF_UID_H
#define DF_UID_H

#include <stdbool.h>
#include <stddef.h>

/* The longest UID the standard allows, in characters. */
#define DF_UID_MAX 64

/* True when s[0..len) is a valid UID: 1 to 64 characters, only digits and
 * '.', components that are non-empty and have no leading zero unless the
 * component is exactly "0" ("1.0.2" is valid, "1.02", "1..2", ".1", "1."
 * are not). s need not be NUL-terminated and may be NULL when len is 0.
 *
 * Padding is the caller's business: a Part 10 value of VR UI is padded to an
 * even length with one trailing NUL, and the reader strips that NUL (and only
 * that) before calling; here a NUL or a space anywhere makes the UID invalid,
 * so a UID typed on a command line or given in DICOM JSON is taken as is. */
bool df_uid_valid(const char *s, size_t len);

#endif
