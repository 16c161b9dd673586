/* Sticky error records: see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int df_error_set(df_error *err, int code, const char *fmt, ...)
{
    if (err == NULL || err->code != 0)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void df_error_clear(df_error *err)
{
    if (err == NULL)
        return;
    err->code = 0;
    err->message[0] = '\0';
}

const char *df_error_path(const char *path, char buf[DF_ERROR_PATH_SHOWN])
{
    size_t len = strlen(path);
    if (len < DF_ERROR_PATH_SHOWN)
        return path;
    const char *tail = path + len - (DF_ERROR_PATH_SHOWN - 4);
    while ((*tail & 0xC0) == 0x80) /* not in the middle of a UTF-8 character */
        tail++;
    snprintf(buf, DF_ERROR_PATH_SHOWN, "...%s", tail);
    return buf;
}
