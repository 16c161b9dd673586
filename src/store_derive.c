/* Deriving what the log keeps beside an instance's metadata: see
 * store_derive.h. */
#include "store_derive.h"

#include <string.h>

#include "deid.h"
#include "json_scan.h"

void df_derived_init(df_derived *d)
{
    df_buf_init(&d->deid, DF_DEID_METADATA_MAX);
    d->sop_class_uid[0] = '\0';
    d->modality[0] = '\0';
}

void df_derived_free(df_derived *d)
{
    df_buf_free(&d->deid);
}

/* The first value of the top-level attribute tag, when it is a plain string
 * (printable ASCII, no escape) of at most max bytes: copied into out. */
static void first_value(const char *t, size_t n, const char *tag, char *out, size_t max)
{
    out[0] = '\0';
    df_json_span attr, values, v, key;
    if (df_json_member(t, n, tag, &attr, NULL) != 0 || t[attr.start] != '{')
        return;
    const char *a = t + attr.start;
    if (df_json_member(a, attr.len, "Value", &values, NULL) != 0 || a[values.start] != '[')
        return;
    df_json_iter it;
    if (df_json_iter_begin(&it, a, values.start + values.len, values.start, NULL) != 0 ||
        df_json_iter_next(&it, &key, &v, NULL) != 1 || a[v.start] != '"')
        return;
    size_t len = v.len - 2;
    if (len > max)
        return;
    for (size_t i = 0; i < len; i++) {
        char c = a[v.start + 1 + i];
        if (c < 0x20 || c > 0x7E || c == '\\')
            return;
    }
    memcpy(out, a + v.start + 1, len);
    out[len] = '\0';
}

int df_derive_metadata(const char *metadata, size_t len, df_derived *d, df_error *err)
{
    df_buf_reset(&d->deid);
    int rc = df_deid_apply(metadata, len, &d->deid, err);
    /* The buffer fails at its ceiling, or when memory runs out before it. A
     * copy grows at most 2.7 times (an emptied attribute of 23 bytes may
     * become a dummy of 60), so only metadata of more than a third of the
     * ceiling can reach it. */
    if (rc == DF_ENOMEM && len > DF_DEID_METADATA_MAX / 3)
        return df_error_set(err, DF_EINVAL,
                            "the instance's de-identified metadata would pass %u bytes, the most"
                            " the feed keeps (docs/schema.md)",
                            DF_DEID_METADATA_MAX);
    if (rc == DF_ENOMEM)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    if (rc != 0)
        return rc;
    first_value(metadata, len, "00080016", d->sop_class_uid, DF_UID_MAX);
    if (!df_uid_valid(d->sop_class_uid, strlen(d->sop_class_uid)))
        d->sop_class_uid[0] = '\0';
    first_value(metadata, len, "00080060", d->modality, DF_MODALITY_MAX);
    return 0;
}
