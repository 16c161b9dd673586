/* UID validation: see uid.h. A single pass over the characters, tracking
 * where the current component started. */
#include "uid.h"

bool df_uid_valid(const char *s, size_t len)
{
    if (s == NULL || len == 0 || len > DF_UID_MAX)
        return false;
    size_t start = 0; /* index of the first character of the current component */
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            size_t n = i - start;
            if (n == 0)
                return false; /* ".1", "1..2", "1." */
            if (n > 1 && s[start] == '0')
                return false; /* "1.02": a leading zero, except the component "0" */
            start = i + 1;
        } else if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}
