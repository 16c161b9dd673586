/* Metadata profiles: see profile.h. The setting and an allow-list's file
 * are read once, at start; df_profile_allow runs per entry, one pass of the
 * bounds-checked scanner over the stored text (json_scan.h). */
#include "profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dicom_dict.h"
#include "json_scan.h"

/* FNV-1a (64 bits): digests for ETags, which only have to tell profiles apart. */
static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

#define FNV_START 0xcbf29ce484222325ULL

bool df_profile_keyword_tag(const char *keyword, size_t len, uint32_t *tag)
{
    size_t lo = 0, hi = df_dicom_keyword_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k = df_dicom_keywords[mid].keyword;
        int c = strncmp(k, keyword, len);
        if (c == 0 && k[len] != '\0')
            c = 1;
        if (c < 0)
            lo = mid + 1;
        else if (c > 0)
            hi = mid;
        else {
            *tag = df_dicom_keywords[mid].tag;
            return true;
        }
    }
    return false;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* n hex digits at s, as a number; false when one is not a hex digit. */
static bool hex_run(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return true;
}

/* A tag written "(gggg,eeee)", "gggg,eeee" or "ggggeeee". */
static bool parse_tag(const char *s, size_t len, uint32_t *tag)
{
    uint32_t g, e;
    if (len == 8)
        return hex_run(s, 8, tag);
    if (len == 11 && s[0] == '(' && s[10] == ')') {
        s++;
        len = 9;
    }
    if (len != 9 || s[4] != ',' || !hex_run(s, 4, &g) || !hex_run(s + 5, 4, &e))
        return false;
    *tag = g << 16 | e;
    return true;
}

static int compare_tags(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Reads the allow-list at path into p->tags (sorted, unique). */
static int read_allow_list(const char *path, df_profile *p, df_error *err)
{
    char shown[DF_ERROR_PATH_SHOWN];
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return df_error_set(err, DF_EINVAL, "DCMFEED_METADATA: cannot read %s: %s",
                            df_error_path(path, shown), strerror(errno));
    char *text = malloc(DF_PROFILE_FILE_MAX + 1);
    p->tags = malloc(DF_PROFILE_TAGS_MAX * sizeof *p->tags);
    if (text == NULL || p->tags == NULL) {
        fclose(f);
        free(text);
        return df_error_set(err, DF_ENOMEM, "out of memory");
    }
    size_t n = fread(text, 1, DF_PROFILE_FILE_MAX + 1, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    int rc = 0;
    if (failed)
        rc = df_error_set(err, DF_EINVAL, "DCMFEED_METADATA: cannot read %s",
                          df_error_path(path, shown));
    else if (n > DF_PROFILE_FILE_MAX)
        rc = df_error_set(err, DF_EINVAL, "DCMFEED_METADATA: %s is longer than %d bytes",
                          df_error_path(path, shown), DF_PROFILE_FILE_MAX);
    size_t line_no = 0;
    for (size_t at = 0; rc == 0 && at < n;) {
        const char *line = text + at;
        const char *nl = memchr(line, '\n', n - at);
        size_t len = nl != NULL ? (size_t)(nl - line) : n - at;
        at += len + 1;
        line_no++;
        while (len > 0 && strchr(" \t\r", line[len - 1]) != NULL)
            len--;
        while (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
            line++;
            len--;
        }
        if (len == 0 || line[0] == '#')
            continue;
        uint32_t tag;
        if (!parse_tag(line, len, &tag) && !df_profile_keyword_tag(line, len, &tag)) {
            rc = df_error_set(err, DF_EINVAL,
                              "DCMFEED_METADATA: %s, line %zu: \"%.*s\" is neither a keyword of "
                              "the data dictionary nor a tag such as (0010,1010)",
                              df_error_path(path, shown), line_no, len > 64 ? 64 : (int)len, line);
        } else if (p->tag_count == DF_PROFILE_TAGS_MAX) {
            rc = df_error_set(err, DF_EINVAL, "DCMFEED_METADATA: %s names more than %d attributes",
                              df_error_path(path, shown), DF_PROFILE_TAGS_MAX);
        } else {
            p->tags[p->tag_count++] = tag;
        }
    }
    free(text);
    if (rc != 0)
        return rc;
    qsort(p->tags, p->tag_count, sizeof *p->tags, compare_tags);
    size_t unique = 0;
    for (size_t i = 0; i < p->tag_count; i++)
        if (unique == 0 || p->tags[unique - 1] != p->tags[i])
            p->tags[unique++] = p->tags[i];
    p->tag_count = unique;
    return 0;
}

int df_profile_parse(const char *setting, df_profile *out, df_error *err)
{
    *out = (df_profile){.kind = DF_PROFILE_NONE, .digest = fnv1a(FNV_START, "none", 4)};
    df_profile_kind kind;
    if (setting == NULL || setting[0] == '\0' || strcmp(setting, "full") == 0)
        kind = DF_PROFILE_FULL;
    else if (strcmp(setting, "none") == 0)
        kind = DF_PROFILE_NONE;
    else if (strcmp(setting, "deid") == 0)
        kind = DF_PROFILE_DEID;
    else if (strncmp(setting, "allow:", 6) == 0 && setting[6] != '\0')
        kind = DF_PROFILE_ALLOW;
    else
        return df_error_set(err, DF_EINVAL,
                            "DCMFEED_METADATA must be full, none, deid or allow:FILE");
    if (kind == DF_PROFILE_ALLOW) {
        df_profile allow = {.kind = DF_PROFILE_ALLOW};
        int rc = read_allow_list(setting + 6, &allow, err);
        if (rc != 0) {
            df_profile_free(&allow);
            return rc;
        }
        allow.digest =
            fnv1a(fnv1a(FNV_START, "allow", 5), allow.tags, allow.tag_count * sizeof *allow.tags);
        *out = allow;
        return 0;
    }
    static const char *const names[] = {"full", "none", "deid"};
    *out = (df_profile){.kind = kind, .digest = fnv1a(FNV_START, names[kind], strlen(names[kind]))};
    return 0;
}

void df_profile_free(df_profile *p)
{
    free(p->tags);
    p->tags = NULL;
    p->tag_count = 0;
}

static bool allowed(const df_profile *p, uint32_t tag)
{
    return bsearch(&tag, p->tags, p->tag_count, sizeof *p->tags, compare_tags) != NULL;
}

int df_profile_allow(const df_profile *p, const char *json, size_t len, df_buf *out, df_error *err)
{
    df_json_iter it;
    df_json_span key, value;
    size_t at = df_json_skip_ws(json, len, 0);
    if (at == len || json[at] != '{' || df_json_iter_begin(&it, json, len, at, NULL) != 0)
        return df_error_set(err, DF_EINVAL, "the log holds metadata that is not a JSON object");
    df_buf_append_char(out, '{');
    bool first = true;
    int rc;
    while ((rc = df_json_iter_next(&it, &key, &value, NULL)) == 1) {
        uint32_t tag;
        if (key.len != 8 || !hex_run(json + key.start, 8, &tag))
            return df_error_set(err, DF_EINVAL, "the log holds metadata keyed by other than tags");
        if (!allowed(p, tag))
            continue;
        if (!first)
            df_buf_append_char(out, ',');
        first = false;
        df_buf_append_char(out, '"');
        df_buf_append(out, json + key.start, key.len);
        df_buf_append(out, "\":", 2);
        df_buf_append(out, json + value.start, value.len);
    }
    if (rc != 0)
        return df_error_set(err, DF_EINVAL, "the log holds metadata that is not valid JSON");
    df_buf_append_char(out, '}');
    return 0;
}
