/* Where `dcmfeed-ingest add` finds its files, and what each one holds: the
 * FILE arguments, folders walked recursively, "-" for a list of paths on
 * stdin; each file opened once and sniffed as DICOM JSON or DICOM Part 10 from
 * its first bytes. Nothing here parses DICOM or touches the log.
 *
 * The walk's rules (dcmfeed-ingest --help repeats them):
 *  - a FILE argument is taken as given, whatever it is (a pipe from <(...)
 *    too), except a folder, which is walked; a symbolic link given as an
 *    argument is followed;
 *  - in a folder, entries come in byte order of their names (strcmp, not the
 *    locale's collation), depth first, so two runs over the same tree ingest
 *    in the same order;
 *  - in a folder, names starting with '.' are skipped (.DS_Store, the ._*
 *    AppleDouble files a Mac leaves on USB sticks, .git), and so is DICOMDIR
 *    (the media index PS3.10 names so, which is not an instance);
 *  - in a folder, a symbolic link to a file is followed, a symbolic link to a
 *    folder is not: no loop, and no file seen twice through two names;
 *  - in a folder, anything but a regular file or a folder (a FIFO, a socket,
 *    a device) is skipped;
 *  - folders deeper than DF_WALK_MAX_DEPTH below an argument are an error;
 *  - "-" reads one path per line from the stream given to df_walk_open (a
 *    trailing "\r" is dropped, empty lines are ignored); a path there that
 *    names a folder or anything but a regular file is skipped without a word,
 *    because `find DIR | dcmfeed-ingest add -` lists the folders too.
 *
 * Memory: a folder's names are held while it is walked (one folder per level
 * of depth), never the whole tree. */
#ifndef DF_INGEST_WALK_H
#define DF_INGEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dicom.h"
#include "error.h"

/* Folders nested deeper than this below an argument are reported, not walked. */
#define DF_WALK_MAX_DEPTH 64

/* --- the walk ------------------------------------------------------------- */

typedef struct df_walk df_walk;

/* Starts a walk over args[0..nargs) (borrowed: they must outlive the walk);
 * an argument "-" reads paths from list (borrowed, not closed). Returns 0
 * and sets *out, which the caller frees with df_walk_free, or DF_ENOMEM. */
int df_walk_open(char *const *args, size_t nargs, FILE *list, df_walk **out, df_error *err);

/* The next path: returns 1 and sets *path (borrowed, valid until the next call
 * or df_walk_free); 0 when the walk is over; DF_EIO or DF_EINVAL when one
 * folder or the list cannot be read (err names it and says why; the walk goes
 * on past it at the next call); DF_ENOMEM (the walk cannot go on). A path is
 * not opened here: one that does not exist is yielded, and opening it fails. */
int df_walk_next(df_walk *w, const char **path, df_error *err);

/* Frees the walk; NULL is a no-op. */
void df_walk_free(df_walk *w);

/* --- one file, sniffed ---------------------------------------------------- */

typedef enum df_input_kind {
    DF_INPUT_JSON,   /* the first byte that is not blank is '{' or '[' */
    DF_INPUT_PART10, /* anything else: "DICM" at offset 128, or a bare dataset */
} df_input_kind;

/* An input keeps its read buffer and text buffer between files, so reading
 * many files allocates nothing per file. Caller frees with df_input_free.
 * NULL when out of memory. */
typedef struct df_input df_input;

df_input *df_input_new(void);
void df_input_free(df_input *in);

/* Opens the file at path (closing the one open before), reads its first bytes
 * and says what it holds. "DICM" at offset 128 makes it Part 10 whatever the
 * preamble holds; otherwise the first byte that is not blank (space, tab, CR,
 * LF, after an optional UTF-8 byte order mark) decides: '{' or '[' is JSON,
 * anything else Part 10; a file that is empty or all blank is JSON (the JSON
 * reader then says it is empty). Returns 0 and sets *kind, or DF_EIO with
 * err "PATH: cannot open: REASON", "PATH: is a directory", "PATH: cannot
 * read: REASON". */
int df_input_open(df_input *in, const char *path, df_input_kind *kind, df_error *err);

/* The whole open file as text, for the JSON reader: *text is borrowed, valid
 * until the next df_input_open or df_input_free, and not NUL-terminated. A
 * file larger than max bytes is refused with DF_EINVAL ("PATH: is larger than
 * N MiB, the limit for one file"): a regular file by its size, before any of
 * it is read into memory; anything else (a pipe) once max + 1 bytes have
 * arrived, so memory never holds more. Returns 0, DF_EINVAL, DF_EIO or
 * DF_ENOMEM. This is the one bounded reader of whole files. */
int df_input_text(df_input *in, size_t max, const char **text, size_t *len, df_error *err);

/* The open file as a byte stream from its first byte, for the Part 10
 * reader; borrowed, valid until the next df_input_open. Skips seek in a
 * regular file; a pipe is read and discarded instead. */
df_dicom_io *df_input_io(df_input *in);

/* Closes the open file, if any (df_input_open and df_input_free do too). */
void df_input_close(df_input *in);

#endif
