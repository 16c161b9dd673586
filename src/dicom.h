/* The DICOM Part 10 reader: a streaming parser in the shape of libdicom's that
 * reads a file through a small IO abstraction and reports what it finds through
 * callbacks, never building a tree. Bulk data is skipped without being read into
 * memory, so memory stays flat whatever the size of the file.
 *
 * What is accepted (PS3.10 7.1, PS3.5 7, 10):
 * - a 128-byte preamble + "DICM" + File Meta Information (group 0002, always
 *   Explicit VR Little Endian); the group length (0002,0000) is used to find the
 *   end of the meta group when it agrees with the elements, and otherwise the
 *   group is read up to its last 0002 element;
 * - group 0002 without a preamble (read as above);
 * - no preamble and no meta at all: the dataset starts directly; its transfer
 *   syntax is guessed from the first element (Explicit VR Little Endian when the
 *   bytes after the tag are an upper-case VR, Explicit VR Big Endian when the tag
 *   is only plausible read big-endian, else Implicit VR Little Endian). A deflated
 *   or encapsulated dataset cannot be recognised that way;
 * - transfer syntaxes: Implicit VR LE (1.2.840.10008.1.2), Explicit VR LE
 *   (1.2.840.10008.1.2.1), Deflated Explicit VR LE (1.2.840.10008.1.2.1.99, and
 *   JPIP Referenced Deflate 1.2.840.10008.1.2.4.95), Explicit VR BE
 *   (1.2.840.10008.1.2.2); any other UID is read as Explicit VR LE with its
 *   encapsulated Pixel Data skipped.
 * Sequences and items of defined and undefined length are nested up to
 * DF_DICOM_MAX_DEPTH; a UN element of undefined length is read as a sequence in
 * Implicit VR LE (PS3.5 6.2.2), and so is any element of undefined length in an
 * Implicit VR dataset (but Pixel Data, which is then encapsulated). Undefined
 * length is an error anywhere else. Odd lengths are accepted, except for binary
 * numbers (US, UL, FD, AT, OW, ...) whose length must be a multiple of the
 * number's size: an error in Explicit VR, and in Implicit VR a sign that the
 * dictionary's VR does not fit, so the value is reported as UN. The order of
 * tags is not checked.
 *
 * Trailing padding: zero bytes where a top-level element would start, running
 * to the end of the input (any number of them, e.g. a file written in
 * fixed-size blocks), end the dataset with a warning (the warning callback)
 * rather than an error, as pydicom reads them (DCMTK 3.6.7 reads 8 zero bytes
 * at a time as empty (0000,0000) elements, so only a multiple of 8). A zero byte
 * run followed by anything else is an error, and so are zero bytes inside an
 * item or sequence, whose length says where it ends. In Implicit VR this
 * takes 8 zero bytes for padding, not for a (0000,0000) element of length 0:
 * group 0000 has no place in a stored dataset. */
#ifndef DF_DICOM_H
#define DF_DICOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "uid.h"

/* Sequences nested deeper than this are an error (DF_EINVAL), so a hostile file
 * cannot exhaust the C stack. Real files rarely go past 6. */
#define DF_DICOM_MAX_DEPTH 32

/* Binary values (OB, OD, OF, OL, OV, OW, UN) longer than this are skipped and
 * reported through the bulk callback; Pixel Data, Float Pixel Data and Double
 * Float Pixel Data always are, whatever their length. */
#define DF_DICOM_BULK_THRESHOLD 1024u

/* Longest value that is read into memory (any VR that is not bulk); longer is
 * an error (DF_EINVAL). */
#define DF_DICOM_VALUE_MAX (16u * 1024u * 1024u)

/* The length field of an element or item of undefined length. */
#define DF_DICOM_UNDEFINED_LENGTH 0xFFFFFFFFu

/* A tag as one number: group in the high 16 bits, element in the low 16. */
#define DF_DICOM_TAG(group, element) (((uint32_t)(group) << 16) | (uint32_t)(element))
#define DF_DICOM_TAG_GROUP(tag)      ((uint16_t)((tag) >> 16))
#define DF_DICOM_TAG_ELEMENT(tag)    ((uint16_t)((tag)&0xFFFFu))

/* Value representations (PS3.5 6.2). An explicit VR that this table does not
 * know is reported as UN; in Implicit VR the VR comes from the built-in
 * dictionary (see df_dicom_dict_vr). */
typedef enum df_dicom_vr {
    DF_DICOM_VR_UN = 0,
    DF_DICOM_VR_AE,
    DF_DICOM_VR_AS,
    DF_DICOM_VR_AT,
    DF_DICOM_VR_CS,
    DF_DICOM_VR_DA,
    DF_DICOM_VR_DS,
    DF_DICOM_VR_DT,
    DF_DICOM_VR_FD,
    DF_DICOM_VR_FL,
    DF_DICOM_VR_IS,
    DF_DICOM_VR_LO,
    DF_DICOM_VR_LT,
    DF_DICOM_VR_OB,
    DF_DICOM_VR_OD,
    DF_DICOM_VR_OF,
    DF_DICOM_VR_OL,
    DF_DICOM_VR_OV,
    DF_DICOM_VR_OW,
    DF_DICOM_VR_PN,
    DF_DICOM_VR_SH,
    DF_DICOM_VR_SL,
    DF_DICOM_VR_SQ,
    DF_DICOM_VR_SS,
    DF_DICOM_VR_ST,
    DF_DICOM_VR_SV,
    DF_DICOM_VR_TM,
    DF_DICOM_VR_UC,
    DF_DICOM_VR_UI,
    DF_DICOM_VR_UL,
    DF_DICOM_VR_UR,
    DF_DICOM_VR_US,
    DF_DICOM_VR_UT,
    DF_DICOM_VR_UV,
    DF_DICOM_VR_COUNT
} df_dicom_vr;

/* The two-letter name of vr ("PN"); a static string, "UN" for an unknown value. */
const char *df_dicom_vr_name(df_dicom_vr vr);

/* Whether vr holds raw bytes (OB, OD, OF, OL, OV, OW, UN): bulk data past
 * DF_DICOM_BULK_THRESHOLD, InlineBinary in DICOM JSON below it. */
bool df_dicom_vr_is_binary(df_dicom_vr vr);

/* Whether an element of tag and vr whose value is length bytes is bulk data,
 * which the metadata leaves out (spec §3): Pixel Data, Float Pixel Data and
 * Double Float Pixel Data whatever their length, and binary values (above)
 * longer than DF_DICOM_BULK_THRESHOLD. The one rule of both ingest paths: the
 * Part 10 reader skips such a value, the DICOM JSON reader leaves out an
 * InlineBinary whose decoded length makes it one. */
bool df_dicom_is_bulk(uint32_t tag, df_dicom_vr vr, uint64_t length);

/* The VR the built-in dictionary (dicom_dict.h: the standard's, as DCMTK
 * ships it) gives tag, as an Implicit VR reader uses it: group lengths
 * (gggg,0000) are UL, private creators (odd group, element 0010-00FF) are LO,
 * other private and unknown tags are UN; groups 50xx, 60xx and 7Fxx (xx even,
 * up to 1E) are looked up as 5000, 6000 and 7F00. Tags whose VR is "US or SS"
 * give US here (the reader picks SS when Pixel Representation is 1); "OB or
 * OW", "US or OW" and "US or SS or OW" give OW. */
df_dicom_vr df_dicom_dict_vr(uint32_t tag);

/* Where the reader gets its bytes. read() copies up to n bytes into buf and
 * returns how many it copied, 0 at the end of the input, or -1 on a read error;
 * skip() moves n bytes forward and returns 0, or -1 on error (NULL: the reader
 * reads and discards). size is the number of bytes from the current position to
 * the end, or -1 when unknown; when known, every length is checked against it
 * before anything is read. The structs below fill one in. */
typedef struct df_dicom_io {
    long long (*read)(void *handle, void *buf, size_t n);
    int (*skip)(void *handle, uint64_t n);
    void *handle;
    long long size;
} df_dicom_io;

/* IO over a memory buffer. data is borrowed and must stay valid while the
 * reader runs; nothing is allocated. Pass &m->io to df_dicom_parse. */
typedef struct df_dicom_memio {
    df_dicom_io io;
    const unsigned char *data;
    size_t len;
    size_t pos;
} df_dicom_memio;

void df_dicom_memio_init(df_dicom_memio *m, const void *data, size_t len);

/* IO over an open FILE*, read from its current position; skips use fseeko when
 * the file is seekable. fp is borrowed (the caller closes it). The size is taken
 * from fstat for a regular file, else unknown. Returns 0, or DF_EIO. */
typedef struct df_dicom_fileio {
    df_dicom_io io;
    FILE *fp;
    bool seekable;
} df_dicom_fileio;

int df_dicom_fileio_init(df_dicom_fileio *f, FILE *fp, df_error *err);

/* What the File Meta Information said, filled before the dataset is read.
 * Strings are NUL-terminated, without their padding; "" when absent. The
 * dataset's own SOP Class and Instance UIDs (0008,0016/0018) come through
 * element() like any other. */
typedef struct df_dicom_meta {
    bool has_preamble;                     /* 128 bytes + "DICM" were present */
    bool has_meta;                         /* a group 0002 was present */
    char transfer_syntax[DF_UID_MAX + 1];  /* (0002,0010), or the one guessed when absent */
    char sop_class_uid[DF_UID_MAX + 1];    /* (0002,0002) Media Storage SOP Class UID */
    char sop_instance_uid[DF_UID_MAX + 1]; /* (0002,0003) Media Storage SOP Instance UID */
    bool implicit_vr;                      /* how the dataset is encoded ... */
    bool big_endian;
    bool deflated;
    unsigned long long dataset_offset; /* file offset where the dataset starts */
} df_dicom_meta;

/* The callbacks. Each may be NULL (the event is then ignored); each returns
 * true to go on or false to stop parsing cleanly (df_dicom_parse returns 0).
 * ctx is the caller's pointer, passed back unchanged. Whatever the transfer
 * syntax, tags are given as numbers and binary values in little-endian byte
 * order, so a caller never needs to know the transfer syntax. */
typedef struct df_dicom_handler {
    /* The File Meta Information, once, before the first dataset event (also
     * for a file without group 0002: then has_meta is false and the transfer
     * syntax is the guessed one). meta is borrowed, valid during the call.
     * Group 0002 elements are not reported through element(). */
    bool (*meta)(void *ctx, const df_dicom_meta *meta);
    /* An element whose value was read. value is borrowed, valid during the call
     * only (NULL when length is 0). Bytes are as in the file (text keeps its
     * padding; multiple values stay joined by '\\'), except that binary numbers
     * (AT, FD, FL, OD, OF, OL, OV, OW, SL, SS, SV, UL, US, UV) read from Big
     * Endian are given in little-endian order: length is a multiple of the
     * value size for those. */
    bool (*element)(void *ctx, uint32_t tag, df_dicom_vr vr, const void *value, uint32_t length);
    /* A value that was skipped without being read: length is its length, or
     * DF_DICOM_UNDEFINED_LENGTH for encapsulated Pixel Data (fragments). Called
     * before the bytes are skipped, so a caller may stop before Pixel Data. */
    bool (*bulk)(void *ctx, uint32_t tag, df_dicom_vr vr, uint32_t length);
    /* A sequence starts: vr is SQ, or UN for a UN of undefined length. */
    bool (*sequence_begin)(void *ctx, uint32_t tag, df_dicom_vr vr);
    bool (*item_begin)(void *ctx);
    bool (*item_end)(void *ctx);
    bool (*sequence_end)(void *ctx);
    /* Something accepted although the file is not as PS3.10 wants it (today:
     * trailing zero padding, at the end of the dataset). message is one line
     * for a person, naming no value, borrowed during the call. Like the other
     * callbacks, false stops the parse (which returns 0). */
    bool (*warning)(void *ctx, const char *message);
} df_dicom_handler;

/* A reader keeps its buffers (the value buffer, grown up to DF_DICOM_VALUE_MAX,
 * and the inflate state) between files, so that reading many files does not
 * allocate per file. Caller frees with df_dicom_reader_free. NULL when out of
 * memory. */
typedef struct df_dicom_reader df_dicom_reader;

df_dicom_reader *df_dicom_reader_new(void);
void df_dicom_reader_free(df_dicom_reader *r);

/* Reads one Part 10 file (or bare dataset) from io to its end, calling h.
 * meta, when not NULL, receives the File Meta Information. Returns 0 when the
 * whole input was read or a callback stopped it; DF_EINVAL for a malformed or
 * truncated input (err names the offset and the tag, e.g. "truncated element
 * (0010,0010) at offset 1234: length 65536 exceeds the 12 bytes left"); DF_EIO
 * when io fails; DF_ENOMEM. Offsets are file offsets, except in a deflated
 * dataset where they count inflated bytes from the dataset's start. */
int df_dicom_parse(df_dicom_reader *r, df_dicom_io *io, const df_dicom_handler *h, void *ctx,
                   df_dicom_meta *meta, df_error *err);

/* df_dicom_parse over the file at path, opened and closed here. Returns as
 * df_dicom_parse does, or DF_EIO when the file cannot be opened (err names
 * the path and the reason). */
int df_dicom_parse_path(df_dicom_reader *r, const char *path, const df_dicom_handler *h, void *ctx,
                        df_dicom_meta *meta, df_error *err);

#endif
