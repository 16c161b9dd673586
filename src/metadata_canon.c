/* The canonical form of DICOM JSON metadata (metadata_canon.h): jansson
 * parses the dataset (numbers as doubles, which is what the form compares),
 * and a walk writes the kept attributes in tag order into a df_buf. */
#include "metadata_canon.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

typedef struct canon {
    df_buf *out;
    df_error *err;
    bool failed; /* the buffer failed before a cut cleared its flag */
} canon;

/* Cuts the form back to len bytes (a value or an attribute that turned out
 * empty), remembering a failure of the buffer, which the cut clears. */
static void cut(canon *c, size_t len)
{
    c->failed = c->failed || df_buf_failed(c->out);
    df_buf_truncate(c->out, len);
}

static bool is_tag(const char *k)
{
    for (int i = 0; i < 8; i++) {
        char c = k[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return k[8] == '\0';
}

static uint32_t tag_of(const char *k)
{
    return (uint32_t)strtoul(k, NULL, 16);
}

/* Attributes the form leaves out whatever their value (the header says why). */
static bool left_out(uint32_t tag)
{
    uint16_t group = (uint16_t)(tag >> 16), element = (uint16_t)tag;
    if (group % 2 == 1 || element == 0 || group == 0x0002)
        return true;
    return tag == 0x00080005 || tag == 0x00080054 || tag == 0x00080056 || tag == 0x00081190;
}

static bool vr_is(const char *vr, const char *const *set)
{
    for (; *set != NULL; set++)
        if (strcmp(vr, *set) == 0)
            return true;
    return false;
}

static const char *const binary_vrs[] = {"OB", "OD", "OF", "OL", "OV", "OW", "UN", NULL};
static const char *const numeric_vrs[] = {"DS", "IS", "FL", "FD", "SL", "SS",
                                          "UL", "US", "SV", "UV", NULL};
static const char *const leading_blank_vrs[] = {"AE", "CS", "DS", "IS", "LO", "SH", NULL};

static void put_number(df_buf *b, double v, const char *vr)
{
    if (strcmp(vr, "FL") == 0)
        v = (double)(float)v;
    if (v == 0)
        v = 0; /* -0 */
    char text[40];
    snprintf(text, sizeof text, "%.17g", v);
    df_buf_append_str(b, text);
}

/* s[0..n) as a finite number, when it is one whole (blanks around allowed). */
static bool as_number(const char *s, size_t n, double *v)
{
    char text[64];
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\0'))
        n--;
    while (n > 0 && *s == ' ') {
        s++;
        n--;
    }
    if (n == 0 || n >= sizeof text)
        return false;
    memcpy(text, s, n);
    text[n] = '\0';
    /* strtod takes hex, "inf" and "nan" too: a DS or IS is digits, a sign,
     * a point and an exponent only. */
    if (strspn(text, "0123456789+-.eE") != n)
        return false;
    char *end = NULL;
    *v = strtod(text, &end);
    return end == text + n && isfinite(*v);
}

/* s[0..*n) without its padding: trailing spaces and NULs; leading spaces
 * where the VR makes them insignificant. */
static const char *trimmed(const char *s, size_t *n, const char *vr)
{
    while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\0'))
        (*n)--;
    if (vr_is(vr, leading_blank_vrs))
        while (*n > 0 && *s == ' ') {
            s++;
            (*n)--;
        }
    return s;
}

/* A person name's value: its non-empty groups, in a fixed order, each
 * without trailing spaces and component separators. Writes nothing and
 * returns false when the name is empty. */
static bool put_person_name(canon *c, json_t *pn)
{
    df_buf *b = c->out;
    static const char *const groups[] = {"Alphabetic", "Ideographic", "Phonetic"};
    size_t start = b->len;
    bool any = false;
    for (int g = 0; g < 3; g++) {
        json_t *v = json_is_string(pn) ? (g == 0 ? pn : NULL) : json_object_get(pn, groups[g]);
        if (!json_is_string(v))
            continue;
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '^' || s[n - 1] == '\0'))
            n--;
        if (n == 0)
            continue;
        df_buf_append_str(b, any ? ",\"" : "{\"");
        df_buf_append_str(b, groups[g]);
        df_buf_append_str(b, "\":");
        df_json_append_string(b, s, n);
        any = true;
    }
    if (any)
        df_buf_append_char(b, '}');
    else
        cut(c, start);
    return any;
}

static int put_dataset(canon *c, json_t *ds, int depth);

/* One value; false (nothing written) for an empty one. */
static int put_value(canon *c, json_t *v, const char *vr, int depth, bool *written)
{
    df_buf *b = c->out;
    *written = true;
    if (strcmp(vr, "SQ") == 0) {
        if (!json_is_object(v))
            return df_error_set(c->err, DF_EINVAL, "an item of a sequence is not an object");
        return put_dataset(c, v, depth + 1);
    }
    if (json_is_null(v)) {
        *written = false;
        return 0;
    }
    if (strcmp(vr, "PN") == 0 && (json_is_object(v) || json_is_string(v))) {
        *written = put_person_name(c, v);
        return 0;
    }
    if (json_is_number(v)) {
        put_number(b, json_number_value(v), vr);
        return 0;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        double d;
        if (vr_is(vr, numeric_vrs) && as_number(s, n, &d)) {
            put_number(b, d, vr);
            return 0;
        }
        s = trimmed(s, &n, vr);
        if (n == 0)
            *written = false;
        else
            df_json_append_string(b, s, n);
        return 0;
    }
    return df_error_set(c->err, DF_EINVAL, "a value is neither a string, a number nor a name");
}

/* "TAG":[values] for an attribute that is kept and has a value; nothing
 * otherwise. A ',' goes first unless *first. */
static int put_attribute(canon *c, const char *tag, json_t *attr, int depth, bool *first)
{
    if (!json_is_object(attr))
        return df_error_set(c->err, DF_EINVAL, "attribute %s is not an object", tag);
    if (json_object_get(attr, "InlineBinary") != NULL ||
        json_object_get(attr, "BulkDataURI") != NULL)
        return 0;
    json_t *vr_value = json_object_get(attr, "vr");
    const char *vr = json_is_string(vr_value) ? json_string_value(vr_value) : "";
    json_t *values = json_object_get(attr, "Value");
    if (vr_is(vr, binary_vrs) || !json_is_array(values) || json_array_size(values) == 0)
        return 0;

    df_buf *b = c->out;
    size_t start = b->len;
    if (!*first)
        df_buf_append_char(b, ',');
    df_buf_append_char(b, '"');
    for (int i = 0; i < 8; i++) /* tags in upper case, whatever the writer's */
        df_buf_append_char(b, tag[i] >= 'a' ? (char)(tag[i] - 'a' + 'A') : tag[i]);
    df_buf_append_str(b, "\":[");
    size_t header = b->len;
    size_t kept = header; /* after the last non-empty value */
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v)
    {
        if (i > 0)
            df_buf_append_char(b, ',');
        bool written;
        int rc = put_value(c, v, vr, depth, &written);
        if (rc != 0)
            return rc;
        if (!written)
            df_buf_append_str(b, "null");
        else
            kept = b->len;
    }
    if (kept == header) { /* no value but empty ones */
        cut(c, start);
        return 0;
    }
    cut(c, kept); /* trailing empty values */
    df_buf_append_char(b, ']');
    *first = false;
    return 0;
}

static int compare_keys(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

static int put_dataset(canon *c, json_t *ds, int depth)
{
    if (depth > DF_CANON_MAX_DEPTH)
        return df_error_set(c->err, DF_EINVAL, "sequences are nested deeper than %d",
                            DF_CANON_MAX_DEPTH);
    size_t n = json_object_size(ds), k = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (keys == NULL)
        return df_error_set(c->err, DF_ENOMEM, "out of memory");
    const char *key;
    json_t *v;
    int rc = 0;
    json_object_foreach(ds, key, v)
    {
        if (!is_tag(key)) {
            rc = df_error_set(c->err, DF_EINVAL, "a key of the dataset is not a tag");
            break;
        }
        if (!left_out(tag_of(key)))
            keys[k++] = key;
    }
    if (rc == 0) {
        qsort(keys, k, sizeof *keys, compare_keys);
        df_buf_append_char(c->out, '{');
        bool first = true;
        for (size_t i = 0; i < k && rc == 0; i++)
            rc = put_attribute(c, keys[i], json_object_get(ds, keys[i]), depth, &first);
        df_buf_append_char(c->out, '}');
    }
    free(keys);
    return rc;
}

int df_metadata_canon(const char *json, size_t len, df_buf *out, df_error *err)
{
    df_buf_reset(out);
    json_error_t je;
    json_t *ds = json_loadb(json, len, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &je);
    if (ds == NULL)
        return df_error_set(err, DF_EINVAL, "the metadata is not JSON (line %d)", je.line);
    int rc;
    canon c = {.out = out, .err = err};
    if (!json_is_object(ds))
        rc = df_error_set(err, DF_EINVAL, "the metadata is not a dataset object");
    else
        rc = put_dataset(&c, ds, 1);
    json_decref(ds);
    if (rc == 0 && (c.failed || df_buf_failed(out)))
        rc = df_error_set(err, DF_ENOMEM, "the canonical form of the metadata does not fit");
    return rc;
}

int df_metadata_digest(const char *json, size_t len, df_buf *scratch, uint64_t *digest,
                       df_error *err)
{
    int rc = df_metadata_canon(json, len, scratch, err);
    if (rc != 0)
        return rc;
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < scratch->len; i++) {
        h ^= (unsigned char)scratch->data[i];
        h *= UINT64_C(1099511628211);
    }
    *digest = h;
    return 0;
}
