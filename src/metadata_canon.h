/* Metadata compared by what it says, not by its bytes: reconcile asks
 * whether an archive's metadata of an instance (its WADO-RS answer, as
 * dcmfeed-ingest add of a DICOM JSON file stores it) differs from what the
 * log holds (often written from the Part 10 file by another path), and two
 * writers of DICOM JSON encode one dataset in many ways. The canonical form
 * keeps what the feed's consumers can rely on and drops the rest, so that
 * two encodings of one dataset have one form and a changed value changes it.
 *
 * Left out, at every depth (the attribute as a whole):
 *  - bulk data and binary values: an attribute with InlineBinary or
 *    BulkDataURI, or of a binary VR (OB, OD, OF, OL, OV, OW, UN); one writer
 *    inlines the small ones, another links to every one, and the feed leaves
 *    the large ones out (df_dicom_is_bulk);
 *  - private attributes (odd groups): without the creator's dictionary a
 *    writer knows neither their VR nor their meaning (UN and InlineBinary in
 *    one, LO and a string in the other), and archives rewrite or drop them;
 *  - group lengths (gggg,0000) and the file meta group 0002;
 *  - Specific Character Set (0008,0005): both sides are UTF-8 already, and
 *    an archive that transcodes rewrites it;
 *  - where the archive serves the instance from, not what it is: Retrieve AE
 *    Title (0008,0054), Instance Availability (0008,0056), Retrieve URL
 *    (0008,1190);
 *  - attributes without a value (no Value, an empty one, or only empty
 *    values): an empty Type 2 attribute says nothing, and writers differ on
 *    whether to write it.
 * Normalised, in what is kept:
 *  - attributes in tag order, at every depth (a writer's order is its own);
 *  - the VR is not part of the form; it only says how numbers are read;
 *  - strings lose trailing spaces and NULs (DICOM's padding), and leading
 *    spaces in the VRs where the standard makes them insignificant (AE, CS,
 *    DS, IS, LO, SH); an empty string is an empty value;
 *  - numbers (and strings of a numeric VR that are numbers: DS and IS are
 *    text in DICOM) are doubles written with 17 significant digits, FL
 *    rounded to single precision first (one writer prints -77.20406, another
 *    -77.20406341552734 for the same 4 bytes); -0 is 0;
 *  - person names keep their non-empty component groups, each without
 *    trailing spaces and '^' ("^^^^" and an empty name are one);
 *  - trailing empty values are dropped; sequences keep their items, in
 *    order, each item in canonical form.
 * Anything else (a different character decoding by the archive, a value
 * changed) is a difference: reconcile then writes the archive's version.
 *
 * The form is JSON text ({"TAG":[values],…}); the digest is its 64-bit FNV-1a,
 * which tells any two forms that differ in one byte apart (each step of
 * FNV-1a is a bijection) and others with a chance of 2^-64 of missing one. */
#ifndef DF_METADATA_CANON_H
#define DF_METADATA_CANON_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "json.h"

/* Deepest nesting of sequences followed (the ingest's own limit). */
#define DF_CANON_MAX_DEPTH 32

/* Writes the canonical form of the DICOM JSON dataset json[0..len) (an
 * object; text the ingest has checked, or the log holds) into out, which is
 * reset first. Returns 0, DF_EINVAL with err set when the text is not a
 * DICOM JSON dataset (not JSON, not an object of tags, nested too deep), or
 * DF_ENOMEM (out's ceiling, or memory). Messages never quote values. */
int df_metadata_canon(const char *json, size_t len, df_buf *out, df_error *err);

/* The digest of json[0..len)'s canonical form, built in scratch (reset
 * first; a buffer the caller reuses across calls). Same returns. */
int df_metadata_digest(const char *json, size_t len, df_buf *scratch, uint64_t *digest,
                       df_error *err);

#endif
