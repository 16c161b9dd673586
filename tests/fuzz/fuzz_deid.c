/* libFuzzer target for deid.c and the allow-lists' filter (profile.c): the
 * responder's profiles read what the log stores, which a third-party writer
 * may have made. Any bytes end in a copy or an error, and de-identifying a
 * copy again changes nothing. When the input is JSON to jansson (which the
 * ingest side checks, UTF-8 included: the scanner copies strings as they
 * are), a copy is JSON too, names the de-identification at its top level and
 * holds no private attribute at any depth, and an allow-list's copy is JSON
 * with at most the attributes it names. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deid.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool has_private(const json_t *ds)
{
    const char *key;
    json_t *attr;
    json_object_foreach((json_t *)ds, key, attr)
    {
        if (strlen(key) == 8 && strchr("13579bdfBDF", key[3]) != NULL)
            return true;
        json_t *items = json_object_get(attr, "Value");
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item)
        {
            if (json_is_object(item) && has_private(item))
                return true;
        }
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    json_t *input = memchr(t, '\0', size) != NULL ? NULL : json_loadb(t, size, 0, NULL);
    bool oracle = input != NULL;
    json_decref(input);
    df_buf out, again;
    df_buf_init(&out, 1u << 24);
    df_buf_init(&again, 1u << 24);
    df_error err = {0};
    int rc = df_deid_apply(t, size, &out, &err);
    if (rc != 0 && rc != DF_EINVAL && rc != DF_ENOMEM)
        abort();
    if (rc == DF_EINVAL && err.message[0] == '\0')
        abort();
    if (rc == 0 && oracle) {
        json_t *v = json_loadb(out.data, out.len, 0, NULL);
        if (!json_is_object(v) || json_object_get(v, "00120062") == NULL || has_private(v))
            abort();
        json_decref(v);
    }
    if (rc == 0) {
        if (df_deid_apply(out.data, out.len, &again, &err) != 0 || again.len != out.len ||
            memcmp(again.data, out.data, out.len) != 0)
            abort();
    }
    df_profile allow = {.kind = DF_PROFILE_ALLOW};
    uint32_t tags[] = {0x00080060, 0x00100010, 0x00400275};
    allow.tags = tags;
    allow.tag_count = 3;
    df_buf_reset(&out);
    df_error_clear(&err);
    if (df_profile_allow(&allow, t, size, &out, &err) == 0 && !df_buf_failed(&out) && oracle) {
        json_t *v = json_loadb(out.data, out.len, 0, NULL);
        if (!json_is_object(v) || json_object_size(v) > 3)
            abort();
        json_decref(v);
    }
    df_buf_free(&out);
    df_buf_free(&again);
    return 0;
}
