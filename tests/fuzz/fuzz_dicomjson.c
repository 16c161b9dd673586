/* libFuzzer target for the DICOM JSON writer over the Part 10 reader: any
 * bytes are refused with a message, or give the three valid UIDs and a
 * metadata object that jansson accepts as JSON. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dicomjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static df_dicomjson *converter;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (converter == NULL && (converter = df_dicomjson_new()) == NULL)
        abort();
    df_dicom_memio m;
    df_dicom_memio_init(&m, data, size);
    df_dicomjson_result res;
    df_error err = {0};
    int rc = df_dicomjson_convert_io(converter, &m.io, "fuzz.dcm", &res, &err);
    if (rc != 0) {
        if (err.message[0] == '\0')
            abort();
        return 0;
    }
    if (!df_uid_valid(res.study_uid, strlen(res.study_uid)) ||
        !df_uid_valid(res.series_uid, strlen(res.series_uid)) ||
        !df_uid_valid(res.sop_uid, strlen(res.sop_uid)))
        abort();
    json_error_t jerr;
    json_t *j = json_loadb(res.metadata, res.metadata_len, JSON_REJECT_DUPLICATES, &jerr);
    if (j == NULL || !json_is_object(j))
        abort();
    json_decref(j);
    return 0;
}
