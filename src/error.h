/* The one error pattern of dcmfeed: fallible functions return 0 or a negative
 * DF_E… code and fill an optional df_error with a message meant for a person.
 * The first error set is the one kept (sticky), so a caller can check once. */
#ifndef DF_ERROR_H
#define DF_ERROR_H

#include <stdbool.h>

enum {
    DF_OK = 0,
    DF_EINVAL = -1,    /* bad input: a parameter, a file, a UID */
    DF_ENOMEM = -2,    /* out of memory, or a buffer's ceiling reached */
    DF_EIO = -3,       /* a read or write of a file failed */
    DF_EDB = -4,       /* the log cannot be used (missing, unreadable, corrupt) */
    DF_EBUSY = -5,     /* the log stayed locked past the busy timeout */
    DF_ESCHEMA = -6,   /* the log has a schema version this build does not know */
    DF_ENOTFOUND = -7, /* nothing matched (a route, an instance, an entry) */
    DF_EVERSION = -8,  /* unsupported or missing API version */
    DF_EMETHOD = -9,   /* HTTP method not allowed */
    DF_ETOOLONG = -10, /* request URI or query string too long */
};

/* Room for a message that names two paths (df_error_path) and what to do. */
#define DF_ERROR_MESSAGE_MAX 512

typedef struct df_error {
    int code; /* 0 while no error has been set */
    char message[DF_ERROR_MESSAGE_MAX];
} df_error;

/* Records code and message in err unless err is NULL or already holds an
 * error. Returns code, so a caller can write `return df_error_set(...)`. */
int df_error_set(df_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears err so that it can be reused for the next request. */
void df_error_clear(df_error *err);

/* Room for a path as messages show it (df_error_path), NUL included. */
#define DF_ERROR_PATH_SHOWN 100

/* path as a message shows it: whole when it is shorter than
 * DF_ERROR_PATH_SHOWN, else "..." and its last bytes (the file's name is the
 * part that tells, and a long path must not push the reason out of a
 * df_error), cut at a UTF-8 character's start. Returns path itself or buf. */
const char *df_error_path(const char *path, char buf[DF_ERROR_PATH_SHOWN]);

#endif
