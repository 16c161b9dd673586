/* DICOM JSON for the ingest side: see ingest_json.h. jansson parses each
 * dataset and so guarantees its text is well-formed JSON; a walk over its tree
 * checks the DICOM shape and takes the UIDs; then a small token copier goes
 * over the original bytes (never jansson's re-serialisation, which changes
 * numbers) to drop whitespace and group 0002. */
#include "ingest_json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dicom.h"
#include "json_scan.h"

/* ---- the walk over jansson's tree: the DICOM shape --------------------- */

/* Where the walk is, for messages: the dataset (from 1) and the sequence
 * items entered on the way to the current attribute. */
typedef struct walk {
    const char *name; /* as shown */
    size_t dataset;
    df_error *err;
    int depth; /* entries used in path */
    struct {
        const char *tag;
        size_t item; /* from 1 */
    } path[DF_INGEST_JSON_MAX_DEPTH];
} walk;

/* Copies s into out as something safe to print: at most max printable ASCII
 * characters (max < PRINTABLE_SIZE - 3), others shown as '?', "..." when
 * cut. Used for keys and UIDs, which are never patient data but may be
 * garbage. */
#define PRINTABLE_SIZE 72
static const char *printable(const char *s, size_t len, size_t max, char out[PRINTABLE_SIZE])
{
    size_t o = 0;
    for (size_t i = 0; i < len && o < max; i++)
        out[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (len > max) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

/* Records "NAME: dataset N: [T item i > ...] tag: reason". tag may be NULL
 * for a problem with the dataset as a whole. Returns DF_EINVAL. */
__attribute__((format(printf, 3, 4))) static int fail(walk *w, const char *tag, const char *fmt,
                                                      ...)
{
    char where[DF_ERROR_MESSAGE_MAX];
    size_t n = 0;
    int r = snprintf(where, sizeof where, "dataset %zu: ", w->dataset);
    n = r > 0 ? (size_t)r : 0;
    /* A deep path shows its two outer and two inner steps, so that the
     * reason at the end always fits the message. */
    for (int i = 0; i < w->depth && n < sizeof where; i++) {
        if (w->depth > 4 && i == 2) {
            r = snprintf(where + n, sizeof where - n, "(%d more) > ", w->depth - 4);
            i = w->depth - 3;
        } else {
            r = snprintf(where + n, sizeof where - n, "%s item %zu > ", w->path[i].tag,
                         w->path[i].item);
        }
        n += r > 0 ? (size_t)r : 0;
    }
    if (tag != NULL && n < sizeof where)
        snprintf(where + n, sizeof where - n, "%s: ", tag);

    char reason[DF_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return df_error_set(w->err, DF_EINVAL, "%s: %s%s", w->name, where, reason);
}

static const char *kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "something else";
}

static bool is_tag(const char *k)
{
    for (int i = 0; i < 8; i++) {
        char c = k[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return k[8] == '\0';
}

static bool is_vr(const json_t *vr)
{
    if (!json_is_string(vr) || json_string_length(vr) != 2)
        return false;
    const char *s = json_string_value(vr);
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static int check_dataset(walk *w, json_t *ds, int depth);

/* An object of PN components (PS3.18 F.2.2): only the three groups, strings. */
static int check_person_name(walk *w, const char *tag, json_t *pn, size_t index)
{
    if (!json_is_object(pn))
        return json_is_null(pn)
                   ? 0
                   : fail(w, tag, "value %zu is %s, not a person name object", index, kind(pn));
    const char *k;
    json_t *v;
    json_object_foreach(pn, k, v)
    {
        char safe[PRINTABLE_SIZE];
        if (strcmp(k, "Alphabetic") != 0 && strcmp(k, "Ideographic") != 0 &&
            strcmp(k, "Phonetic") != 0)
            return fail(w, tag, "value %zu has an unknown member '%s'", index,
                        printable(k, strlen(k), 24, safe));
        if (!json_is_string(v))
            return fail(w, tag, "value %zu: '%s' is %s, not a string", index, k, kind(v));
    }
    return 0;
}

static int check_attribute(walk *w, const char *tag, json_t *attr, int depth)
{
    if (!json_is_object(attr))
        return fail(w, tag, "is %s, not an attribute object", kind(attr));
    json_t *vr = json_object_get(attr, "vr");
    if (vr == NULL)
        return fail(w, tag, "has no \"vr\"");
    if (!is_vr(vr))
        return fail(w, tag, "\"vr\" is not two upper-case letters");

    json_t *value = NULL;
    int payloads = 0;
    const char *k;
    json_t *v;
    json_object_foreach(attr, k, v)
    {
        char safe[PRINTABLE_SIZE];
        if (strcmp(k, "vr") == 0)
            continue;
        if (strcmp(k, "Value") == 0) {
            if (!json_is_array(v))
                return fail(w, tag, "\"Value\" is %s, not an array", kind(v));
            value = v;
        } else if (strcmp(k, "InlineBinary") == 0 || strcmp(k, "BulkDataURI") == 0) {
            if (!json_is_string(v))
                return fail(w, tag, "\"%s\" is %s, not a string", k, kind(v));
        } else {
            return fail(w, tag, "has an unknown member '%s'", printable(k, strlen(k), 24, safe));
        }
        payloads++;
    }
    if (payloads > 1)
        return fail(w, tag, "has more than one of \"Value\", \"InlineBinary\", \"BulkDataURI\"");
    if (value == NULL)
        return 0;

    const char *vrs = json_string_value(vr);
    size_t i;
    json_t *item;
    json_array_foreach(value, i, item)
    {
        if (strcmp(vrs, "SQ") == 0) {
            if (!json_is_object(item))
                return fail(w, tag, "item %zu is %s, not an object", i + 1, kind(item));
            if (depth >= DF_INGEST_JSON_MAX_DEPTH)
                return fail(w, tag, "sequences are nested deeper than %d",
                            DF_INGEST_JSON_MAX_DEPTH);
            w->path[w->depth].tag = tag;
            w->path[w->depth].item = i + 1;
            w->depth++;
            int rc = check_dataset(w, item, depth + 1);
            w->depth--;
            if (rc != 0)
                return rc;
        } else if (strcmp(vrs, "PN") == 0) {
            int rc = check_person_name(w, tag, item, i + 1);
            if (rc != 0)
                return rc;
        } else if (!json_is_string(item) && !json_is_number(item) && !json_is_null(item)) {
            return fail(w, tag, "value %zu is %s, not a string, number or null", i + 1, kind(item));
        }
    }
    return 0;
}

/* depth is that of ds's attributes: 1 for a top-level dataset. */
static int check_dataset(walk *w, json_t *ds, int depth)
{
    const char *k;
    json_t *v;
    json_object_foreach(ds, k, v)
    {
        char safe[PRINTABLE_SIZE];
        if (!is_tag(k))
            return fail(w, NULL, "key '%s' is not a tag of 8 upper-case hex digits",
                        printable(k, strlen(k), 24, safe));
        int rc = check_attribute(w, k, v, depth);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Takes one of the three UIDs of a top-level dataset into out. */
static int take_uid(walk *w, json_t *ds, const char *tag, const char *keyword,
                    char out[DF_UID_MAX + 1])
{
    json_t *attr = json_object_get(ds, tag);
    if (attr == NULL)
        return fail(w, NULL, "%s (%s) is missing", tag, keyword);
    if (!json_is_object(attr))
        return fail(w, NULL, "%s (%s) is %s, not an attribute object", tag, keyword, kind(attr));
    json_t *vr = json_object_get(attr, "vr");
    if (!json_is_string(vr) || strcmp(json_string_value(vr), "UI") != 0)
        return fail(w, NULL, "%s (%s) does not have vr \"UI\"", tag, keyword);
    json_t *value = json_object_get(attr, "Value");
    if (value == NULL)
        return fail(w, NULL, "%s (%s) has no value", tag, keyword);
    if (!json_is_array(value))
        return fail(w, NULL, "%s (%s): \"Value\" is %s, not an array", tag, keyword, kind(value));
    if (json_array_size(value) != 1)
        return fail(w, NULL, "%s (%s) must have exactly one value, has %zu", tag, keyword,
                    json_array_size(value));
    json_t *uid = json_array_get(value, 0);
    if (!json_is_string(uid))
        return fail(w, NULL, "%s (%s): the value is %s, not a string", tag, keyword, kind(uid));
    const char *s = json_string_value(uid);
    size_t len = json_string_length(uid);
    if (!df_uid_valid(s, len)) {
        char safe[PRINTABLE_SIZE];
        return fail(w, NULL, "%s '%s' is not a valid UID", keyword,
                    printable(s, len, DF_UID_MAX, safe));
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return 0;
}

static int check_top_dataset(walk *w, json_t *ds, df_ingest_dataset *out)
{
    if (!json_is_object(ds))
        return fail(w, NULL, "is %s, not a dataset object", kind(ds));
    int rc = take_uid(w, ds, "0020000D", "StudyInstanceUID", out->study_uid);
    if (rc == 0)
        rc = take_uid(w, ds, "0020000E", "SeriesInstanceUID", out->series_uid);
    if (rc == 0)
        rc = take_uid(w, ds, "00080018", "SOPInstanceUID", out->sop_uid);
    if (rc == 0)
        rc = check_dataset(w, ds, 1);
    return rc;
}

/* ---- the copier over the original bytes -------------------------------- */

/* It goes over the text jansson accepted with json_scan.h's scanner, which
 * checks every index against the text's end, so that a mismatch between the
 * two can only end in an error, never in a read out of bounds. What it writes
 * is never longer than what it reads. */

typedef struct copier {
    const char *t;
    char *out;
    size_t o;
} copier;

static void emit(copier *c, const char *s, size_t n)
{
    memcpy(c->out + c->o, s, n);
    c->o += n;
}

/* Decodes the raw string s[0..len) (between its quotes) into out (size cap),
 * ASCII only: false when it is longer or holds anything else. Keys are almost
 * always written plainly, but "\u0030" is also a '0', and a key of group 0002
 * must not slip through the filter by being escaped. */
static bool decode_ascii(const char *s, size_t len, char *out, size_t cap)
{
    size_t i = 0, o = 0;
    uint32_t cp;
    int rc;
    while ((rc = df_json_string_next(s, len, &i, &cp)) == 1) {
        if (o + 1 == cap || cp >= 0x80)
            return false;
        out[o++] = (char)cp;
    }
    out[o] = '\0';
    return rc == 0;
}

/* The tag of a dataset key the walk has checked (8 upper-case hex digits). */
static bool decode_tag(const char *t, df_json_span key, char text[9], uint32_t *tag)
{
    if (!decode_ascii(t + key.start, key.len, text, 9) || strlen(text) != 8)
        return false;
    int64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 16 + (text[i] <= '9' ? text[i] - '0' : text[i] - 'A' + 10);
    *tag = (uint32_t)v;
    return true;
}

/* The members an attribute may have (the walk refused any other). */
enum member { M_VR, M_VALUE, M_INLINE, M_BULK_URI, M_OTHER };
static const char *const member_names[] = {"vr", "Value", "InlineBinary", "BulkDataURI"};

static enum member member_of(const char *t, df_json_span key)
{
    char name[16];
    if (!decode_ascii(t + key.start, key.len, name, sizeof name))
        return M_OTHER;
    for (int m = M_VR; m < M_OTHER; m++)
        if (strcmp(name, member_names[m]) == 0)
            return (enum member)m;
    return M_OTHER;
}

/* The VR of a "vr" string: an unknown pair is UN, as the Part 10 reader reads it. */
static df_dicom_vr vr_of(const char *t, df_json_span v)
{
    char name[3];
    if (v.len < 2 || !decode_ascii(t + v.start + 1, v.len - 2, name, sizeof name))
        return DF_DICOM_VR_UN;
    for (int i = 0; i < DF_DICOM_VR_COUNT; i++)
        if (strcmp(name, df_dicom_vr_name((df_dicom_vr)i)) == 0)
            return (df_dicom_vr)i;
    return DF_DICOM_VR_UN;
}

/* The number of bytes the base64 string v decodes to: three per four
 * characters of its alphabet ('=' padding and anything else not counted). */
static uint64_t base64_length(const char *t, df_json_span v)
{
    uint64_t chars = 0;
    size_t i = 0;
    uint32_t cp;
    if (v.len < 2)
        return 0;
    while (df_json_string_next(t + v.start + 1, v.len - 2, &i, &cp) == 1)
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
            cp == '+' || cp == '/')
            chars++;
    return chars * 3 / 4;
}

static bool copy_dataset(copier *c, df_json_span ds, bool top);

/* Copies one attribute as "TAG":{...}, after a ',' unless *first, or leaves
 * it out when it is bulk data (df_dicom_is_bulk), as the Part 10 path does:
 * an InlineBinary by its decoded length, and any BulkDataURI, which names
 * bytes somewhere else that the sender already judged bulk (the feed's
 * readers could not fetch them anyway). Members keep their order, their
 * names are written plainly, and the items of an SQ are copied by the same
 * rules. */
static bool copy_attribute(copier *c, const char tag_text[9], uint32_t tag, df_json_span attr,
                           bool *first)
{
    size_t end = attr.start + attr.len;
    df_json_iter it;
    df_json_span key, v, inline_binary = {0, 0};
    df_dicom_vr vr = DF_DICOM_VR_UN;
    bool has_inline = false, has_uri = false;
    int rc = df_json_iter_begin(&it, c->t, end, attr.start, NULL);
    while (rc == 0 && (rc = df_json_iter_next(&it, &key, &v, NULL)) == 1) {
        switch (member_of(c->t, key)) {
        case M_VR:
            vr = vr_of(c->t, v);
            break;
        case M_INLINE:
            has_inline = true;
            inline_binary = v;
            break;
        case M_BULK_URI:
            has_uri = true;
            break;
        default:
            break;
        }
        rc = 0;
    }
    if (rc != 0)
        return false;
    if (has_uri || (has_inline && df_dicom_is_bulk(tag, vr, base64_length(c->t, inline_binary))))
        return true;

    if (!*first)
        emit(c, ",", 1);
    *first = false;
    emit(c, "\"", 1);
    emit(c, tag_text, 8);
    emit(c, "\":{", 3);
    bool first_member = true;
    rc = df_json_iter_begin(&it, c->t, end, attr.start, NULL);
    while (rc == 0 && (rc = df_json_iter_next(&it, &key, &v, NULL)) == 1) {
        enum member m = member_of(c->t, key);
        if (m == M_OTHER)
            return false;
        if (!first_member)
            emit(c, ",", 1);
        first_member = false;
        emit(c, "\"", 1);
        emit(c, member_names[m], strlen(member_names[m]));
        emit(c, "\":", 2);
        if (m == M_VALUE && vr == DF_DICOM_VR_SQ) {
            df_json_iter items;
            df_json_span item;
            bool first_item = true;
            emit(c, "[", 1);
            rc = df_json_iter_begin(&items, c->t, v.start + v.len, v.start, NULL);
            while (rc == 0 && (rc = df_json_iter_next(&items, NULL, &item, NULL)) == 1) {
                if (!first_item)
                    emit(c, ",", 1);
                first_item = false;
                if (!copy_dataset(c, item, false))
                    return false;
                rc = 0;
            }
            if (rc != 0)
                return false;
            emit(c, "]", 1);
        } else {
            c->o += df_json_compact(c->t + v.start, v.len, c->out + c->o);
        }
        rc = 0;
    }
    emit(c, "}", 1);
    return rc == 0;
}

/* Copies the dataset object ds compact, without group 0002 at the top level
 * and without bulk data at any level, its keys written plainly. */
static bool copy_dataset(copier *c, df_json_span ds, bool top)
{
    df_json_iter it;
    df_json_span key, v;
    bool first = true;
    int rc = df_json_iter_begin(&it, c->t, ds.start + ds.len, ds.start, NULL);
    if (rc != 0 || c->t[ds.start] != '{')
        return false;
    emit(c, "{", 1);
    while ((rc = df_json_iter_next(&it, &key, &v, NULL)) == 1) {
        char text[9];
        uint32_t tag;
        if (!decode_tag(c->t, key, text, &tag))
            return false;
        if (top && DF_DICOM_TAG_GROUP(tag) == 0x0002)
            continue;
        if (!copy_attribute(c, text, tag, v, &first))
            return false;
    }
    emit(c, "}", 1);
    return rc == 0;
}

/* ---- splitting a file into datasets ----------------------------------- */

/* jansson parses one dataset at a time (JSON_DISABLE_EOF_CHECK stops it at
 * the end of the value), so memory holds the tree of one dataset, not of a
 * whole WADO-RS answer; the few bytes between datasets ('[', ',', ']') are
 * checked here. */
#define JSON_FLAGS                                                                                 \
    (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_DISABLE_EOF_CHECK)

typedef struct reader {
    const char *name; /* as shown */
    const char *t;
    size_t n;
    df_ingest_json_file *out;
    size_t cap;  /* datasets allocated */
    size_t used; /* compact bytes used */
    df_error *err;
} reader;

/* The line and column (from 1, in characters as jansson counts them) of
 * byte off. Only used on the way to an error message. */
static void line_column(const char *t, size_t off, int *line, int *column)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (t[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)t[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

static int syntax_error(reader *r, size_t off, const char *reason)
{
    int line, column;
    line_column(r->t, off, &line, &column);
    return df_error_set(r->err, DF_EINVAL, "%s: line %d, column %d: invalid JSON: %s", r->name,
                        line, column, reason);
}

/* jansson's messages end in " near '<token>'", and the token may be a piece
 * of a value (a patient's name in an unterminated string): it is cut off.
 * je's line and column count from start, where this parse began. */
static int jansson_error(reader *r, size_t start, const json_error_t *je)
{
    size_t len = strlen(je->text);
    const char *near = strstr(je->text, " near ");
    if (near != NULL)
        len = (size_t)(near - je->text);
    char reason[JSON_ERROR_TEXT_LENGTH];
    memcpy(reason, je->text, len);
    reason[len] = '\0';
    if (je->line <= 0)
        return df_error_set(r->err, DF_EINVAL, "%s: invalid JSON: %s", r->name, reason);
    int line, column;
    line_column(r->t, start, &line, &column);
    if (je->line == 1)
        column += je->column - 1;
    else
        column = je->column;
    line += je->line - 1;
    return df_error_set(r->err, DF_EINVAL, "%s: line %d, column %d: invalid JSON: %s", r->name,
                        line, column, reason);
}

/* Reads the value at *pos as the next dataset: parses and checks it, takes
 * its UIDs, copies it compact. Advances *pos past it. */
static int read_dataset(reader *r, size_t *pos, bool top)
{
    size_t start = *pos;
    json_error_t je;
    json_t *v = json_loadb(r->t + start, r->n - start, JSON_FLAGS, &je);
    if (v == NULL)
        return jansson_error(r, start, &je);
    int rc = 0;
    if (top && !json_is_object(v)) {
        rc = df_error_set(r->err, DF_EINVAL,
                          "%s: the top level is %s, not a dataset object or an array of them",
                          r->name, kind(v));
        goto out;
    }
    df_ingest_json_file *f = r->out;
    if (f->count == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 8;
        df_ingest_dataset *nd = realloc(f->datasets, ncap * sizeof *nd);
        if (nd == NULL) {
            rc = df_error_set(r->err, DF_ENOMEM, "%s: out of memory", r->name);
            goto out;
        }
        f->datasets = nd;
        r->cap = ncap;
    }
    df_ingest_dataset *ds = &f->datasets[f->count];
    memset(ds, 0, sizeof *ds);
    walk w = {.name = r->name, .dataset = f->count + 1, .err = r->err};
    rc = check_top_dataset(&w, v, ds);
    if (rc != 0)
        goto out;

    size_t end = start + (size_t)je.position;
    size_t from = r->used;
    size_t at = df_json_skip_ws(r->t, r->n, start);
    copier c = {.t = r->t, .out = f->compact, .o = r->used};
    if (end > r->n || at >= end || !copy_dataset(&c, (df_json_span){at, end - at}, true)) {
        rc = df_error_set(r->err, DF_EINVAL, "%s: dataset %zu could not be compacted", r->name,
                          f->count + 1);
        goto out;
    }
    r->used = c.o;
    ds->metadata_len = r->used - from; /* pointed at once compact is final */
    f->count++;
    *pos = end;
out:
    json_decref(v);
    return rc;
}

static int read_all(reader *r)
{
    size_t i = df_json_skip_ws(r->t, r->n, 0);
    if (i == r->n)
        return df_error_set(r->err, DF_EINVAL, "%s: is empty", r->name);
    int rc;
    if (r->t[i] != '[') {
        rc = read_dataset(r, &i, true);
    } else {
        i = df_json_skip_ws(r->t, r->n, i + 1);
        if (i < r->n && r->t[i] == ']')
            return df_error_set(r->err, DF_EINVAL, "%s: the array holds no dataset", r->name);
        for (;;) {
            rc = read_dataset(r, &i, false);
            if (rc != 0)
                return rc;
            i = df_json_skip_ws(r->t, r->n, i);
            if (i < r->n && r->t[i] == ',') {
                i++;
                continue;
            }
            if (i < r->n && r->t[i] == ']') {
                i++;
                break;
            }
            return syntax_error(r, i, i < r->n ? "',' or ']' expected" : "unexpected end of file");
        }
    }
    if (rc != 0)
        return rc;
    i = df_json_skip_ws(r->t, r->n, i);
    if (i != r->n)
        return syntax_error(r, i, "end of file expected");
    return 0;
}

/* ---- the public functions ---------------------------------------------- */

int df_ingest_json_parse(const char *name, const char *text, size_t len, df_ingest_json_file *out,
                         df_error *err)
{
    memset(out, 0, sizeof *out);
    char name_buf[DF_ERROR_PATH_SHOWN];
    name = df_error_path(name, name_buf);
    if (len > DF_INGEST_JSON_MAX_FILE)
        return df_error_set(err, DF_EINVAL, "%s: is larger than %u MiB, the limit for one file",
                            name, DF_INGEST_JSON_MAX_FILE / (1024u * 1024u));
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    /* Compact is never longer than the text: room for all of it at once,
     * given back at the end. */
    out->compact = malloc(len + 1);
    if (out->compact == NULL)
        return df_error_set(err, DF_ENOMEM, "%s: out of memory", name);

    reader r = {.name = name, .t = text, .n = len, .out = out, .err = err};
    int rc = read_all(&r);
    if (rc != 0) {
        df_ingest_json_free(out);
        return rc;
    }
    char *shrunk = realloc(out->compact, r.used);
    if (shrunk != NULL)
        out->compact = shrunk;
    size_t off = 0;
    for (size_t d = 0; d < out->count; d++) {
        out->datasets[d].metadata = out->compact + off;
        off += out->datasets[d].metadata_len;
    }
    return 0;
}

void df_ingest_json_free(df_ingest_json_file *f)
{
    if (f == NULL)
        return;
    free(f->datasets);
    free(f->compact);
    f->datasets = NULL;
    f->compact = NULL;
    f->count = 0;
}
