/* libFuzzer target for the DICOM JSON door of the ingest side: any bytes are
 * either refused with a message or give datasets whose UIDs are valid and
 * whose metadata is a compact JSON object. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_json.h"
#include "uid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    df_ingest_json_file f = {0};
    df_error err = {0};
    int rc = df_ingest_json_parse("fuzz.json", (const char *)data, size, &f, &err);
    if (rc != 0) {
        if (err.message[0] == '\0' || memchr(err.message, '\0', sizeof err.message) == NULL)
            abort();
    } else {
        if (f.count == 0)
            abort();
        for (size_t i = 0; i < f.count; i++) {
            const df_ingest_dataset *d = &f.datasets[i];
            if (!df_uid_valid(d->study_uid, strlen(d->study_uid)) ||
                !df_uid_valid(d->series_uid, strlen(d->series_uid)) ||
                !df_uid_valid(d->sop_uid, strlen(d->sop_uid)))
                abort();
            if (d->metadata_len < 2 || d->metadata[0] != '{' ||
                d->metadata[d->metadata_len - 1] != '}')
                abort();
        }
    }
    df_ingest_json_free(&f);
    return 0;
}
