/* libFuzzer target for what reconcile reads from an archive and from the
 * log as JSON: a QIDO-RS search's answer (df_dicomweb_parse_uids, for each
 * level's tag) and a dataset's canonical form (df_metadata_canon). Any bytes
 * end in a result or an error with a message; every UID handed out is valid;
 * the count never falls below the UIDs handed out. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dicomweb.h"
#include "metadata_canon.h"
#include "uid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int take(void *ctx, const char *uid)
{
    if (!df_uid_valid(uid, strlen(uid)))
        abort();
    (*(int *)ctx)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    static const char *const tags[] = {"0020000D", "0020000E", "00080018"};
    for (int k = 0; k < 3; k++) {
        int seen = 0, count = -1, invalid = -1;
        df_error err = {0};
        int rc = df_dicomweb_parse_uids(t, size, tags[k], take, &seen, &count, &invalid, &err);
        if (rc == 0 && (count != seen + invalid || invalid < 0))
            abort();
        if (rc != 0 && (rc != DF_EDICOMWEB_INVALID || err.message[0] == '\0'))
            abort();
    }
    df_buf b;
    df_buf_init(&b, 1 << 20);
    df_error err = {0};
    int rc = df_metadata_canon(t, size, &b, &err);
    if (rc != 0 && err.message[0] == '\0')
        abort();
    if (rc == 0 && (b.data == NULL || b.data[0] != '{' || b.data[b.len - 1] != '}'))
        abort();
    df_buf_free(&b);
    return 0;
}
