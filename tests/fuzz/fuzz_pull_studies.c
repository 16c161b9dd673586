/* libFuzzer target for the --per-study state reader (pull_studies.c): any
 * text is a state or an error with a message; an accepted state has a resume
 * point of 1 or more and no pending study, and then takes entries, hands
 * them over and hands out revisions without failing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pull_studies.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    df_studies *s = df_studies_new();
    if (s == NULL)
        abort();
    df_error err = {0};
    int rc = df_studies_parse(s, (const char *)data, size, &err);
    if (rc != 0) {
        if ((rc != DF_EINVAL && rc != DF_ENOMEM) || err.message[0] == '\0')
            abort();
        df_studies_free(s);
        return 0;
    }
    int64_t resume = df_studies_resume(s);
    if (resume < 1 || df_studies_pending_count(s) != 0)
        abort();
    /* A few entries of studies the state may know, read from the resume point. */
    static const char *const uids[] = {"1.2", "1.2.3", "1.3"};
    int64_t seq = resume;
    for (int i = 0; i < 6 && seq < INT64_MAX - 8; i++, seq++) {
        df_studies_taken taken;
        if (df_studies_add(s, seq, uids[i % 3], i == 5 ? "delete" : "create", "current", 0, &taken,
                           NULL) != 0)
            abort();
    }
    df_studies_pending p;
    double wait;
    while (df_studies_next(s, 10, 1, &p, &wait)) {
        if (p.revision < 1 || p.count == 0)
            abort();
        char uid[DF_STUDIES_UID_MAX + 1];
        snprintf(uid, sizeof uid, "%s", p.uid);
        if (df_studies_handed(s, uid, seq - 1, NULL) != 0)
            abort();
    }
    if (df_studies_pending_count(s) != 0)
        abort();
    df_studies_free(s);
    return 0;
}
