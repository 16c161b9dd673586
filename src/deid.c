/* PS3.15 Annex E applied to DICOM JSON: see deid.h. One pass over the text
 * with the bounds-checked scanner (json_scan.h), writing the copy as it goes:
 * no tree is built, and kept attributes are copied byte for byte. */
#include "deid.h"

#include <string.h>

#include "json_scan.h"

/* The attributes added at the top level, in tag order. */
#define TAG_PATIENT_IDENTITY_REMOVED 0x00120062u
#define TAG_DEID_METHOD              0x00120063u
#define TAG_DEID_METHOD_CODES        0x00120064u

static const char added_attributes[] =
    "\"00120062\":{\"vr\":\"CS\",\"Value\":[\"YES\"]},"
    "\"00120063\":{\"vr\":\"LO\",\"Value\":[\"Basic Application Confidentiality Profile\","
    "\"Retain UIDs Option\"]},"
    "\"00120064\":{\"vr\":\"SQ\",\"Value\":["
    "{\"00080100\":{\"vr\":\"SH\",\"Value\":[\"113100\"]},"
    "\"00080102\":{\"vr\":\"SH\",\"Value\":[\"DCM\"]},"
    "\"00080104\":{\"vr\":\"LO\",\"Value\":[\"Basic Application Confidentiality Profile\"]}},"
    "{\"00080100\":{\"vr\":\"SH\",\"Value\":[\"113110\"]},"
    "\"00080102\":{\"vr\":\"SH\",\"Value\":[\"DCM\"]},"
    "\"00080104\":{\"vr\":\"LO\",\"Value\":[\"Retain UIDs Option\"]}}]}";

/* The value a D gives, per VR: the members after "vr" (deid.h lists them). */
static const struct {
    char vr[3];
    const char *value;
} dummies[] = {
    {"AE", "\"Value\":[\"ANONYMOUS\"]"},
    {"AS", "\"Value\":[\"000D\"]"},
    {"AT", "\"Value\":[\"00000000\"]"},
    {"CS", "\"Value\":[\"ANONYMOUS\"]"},
    {"DA", "\"Value\":[\"19000101\"]"},
    {"DS", "\"Value\":[\"0\"]"},
    {"DT", "\"Value\":[\"19000101000000.000000\"]"},
    {"FD", "\"Value\":[0]"},
    {"FL", "\"Value\":[0]"},
    {"IS", "\"Value\":[\"0\"]"},
    {"LO", "\"Value\":[\"ANONYMOUS\"]"},
    {"LT", "\"Value\":[\"ANONYMOUS\"]"},
    {"OB", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
    {"OD", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
    {"OF", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
    {"OL", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
    {"OV", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
    {"OW", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
    {"PN", "\"Value\":[{\"Alphabetic\":\"ANONYMOUS\"}]"},
    {"SH", "\"Value\":[\"ANONYMOUS\"]"},
    {"SL", "\"Value\":[0]"},
    {"SQ", "\"Value\":[{}]"},
    {"SS", "\"Value\":[0]"},
    {"ST", "\"Value\":[\"ANONYMOUS\"]"},
    {"SV", "\"Value\":[0]"},
    {"TM", "\"Value\":[\"000000.000000\"]"},
    {"UC", "\"Value\":[\"ANONYMOUS\"]"},
    {"UI", "\"Value\":[\"2.25.0\"]"},
    {"UL", "\"Value\":[0]"},
    {"UN", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
    {"UR", "\"Value\":[\"ANONYMOUS\"]"},
    {"US", "\"Value\":[0]"},
    {"UT", "\"Value\":[\"ANONYMOUS\"]"},
    {"UV", "\"Value\":[0]"},
};

df_deid_action df_deid_action_of(uint32_t tag)
{
    size_t lo = 0, hi = df_deid_rule_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (df_deid_rules[mid].tag < tag)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < df_deid_rule_count && df_deid_rules[lo].tag == tag)
        return (df_deid_action)df_deid_rules[lo].action;
    uint32_t group = tag >> 16, element = tag & 0xFFFFu;
    /* Private attributes; curve data (50XX,XXXX); overlay data and comments
     * (60XX,3000), (60XX,4000): the table's pattern rows. A group length
     * would no longer be the group's. */
    if ((group & 1u) != 0 || (group & 0xFF00u) == 0x5000u ||
        ((group & 0xFF00u) == 0x6000u && (element == 0x3000u || element == 0x4000u)) ||
        element == 0)
        return DF_DEID_REMOVE;
    return DF_DEID_KEEP;
}

typedef struct walk {
    const char *t;
    size_t n;
    df_buf *out;
    df_error *err;
} walk;

static int invalid(walk *w, const char *what)
{
    return df_error_set(w->err, DF_EINVAL, "the metadata cannot be de-identified: %s", what);
}

static void put(walk *w, const char *s, size_t len)
{
    df_buf_append(w->out, s, len);
}

static void put_span(walk *w, df_json_span s)
{
    df_buf_append(w->out, w->t + s.start, s.len);
}

/* A member name of 8 hex digits, either case (the ingest side writes upper
 * case; a log written by another program may not). */
static bool tag_of(const walk *w, df_json_span key, uint32_t *tag)
{
    if (key.len != 8)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < 8; i++) {
        char c = w->t[key.start + i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = (uint32_t)(c - '0');
        else if (c >= 'A' && c <= 'F')
            d = (uint32_t)(c - 'A' + 10);
        else if (c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *tag = v;
    return true;
}

/* The attribute's VR: its "vr" member, two upper-case letters in quotes;
 * false when it has none or another value. */
static bool vr_of(const walk *w, df_json_span attr, char vr[3])
{
    df_json_span v;
    if (df_json_member(w->t + attr.start, attr.len, "vr", &v, NULL) != 0 || v.len != 4)
        return false;
    const char *s = w->t + attr.start + v.start;
    if (s[0] != '"' || s[3] != '"' || s[1] < 'A' || s[1] > 'Z' || s[2] < 'A' || s[2] > 'Z')
        return false;
    vr[0] = s[1];
    vr[1] = s[2];
    vr[2] = '\0';
    return true;
}

static const char *dummy_of(const char vr[3])
{
    for (size_t i = 0; i < sizeof dummies / sizeof dummies[0]; i++)
        if (memcmp(dummies[i].vr, vr, 2) == 0)
            return dummies[i].value;
    return NULL;
}

static int dataset(walk *w, size_t at, int depth, bool top, size_t *end);

static bool span_is(const walk *w, df_json_span s, const char *text)
{
    return s.len == strlen(text) && memcmp(w->t + s.start, text, s.len) == 0;
}

/* A kept attribute that is not a sequence is copied as it is, so it must be
 * what DICOM JSON allows there and nothing more: the members vr, Value,
 * InlineBinary, BulkDataURI; values that are strings, numbers, null, or for
 * a PN objects of Alphabetic, Ideographic and Phonetic strings. Anything else
 * (a dataset in a value of another VR, a member of another name) could carry
 * what the profile would have removed: the metadata is refused. */
static int check_plain(walk *w, df_json_span attr, bool person_name)
{
    df_json_iter it, values, names;
    df_json_span key, value, item, name, part;
    if (df_json_iter_begin(&it, w->t, attr.start + attr.len, attr.start, NULL) != 0)
        return invalid(w, "malformed JSON");
    int rc;
    while ((rc = df_json_iter_next(&it, &key, &value, NULL)) == 1) {
        if (!span_is(w, key, "vr") && !span_is(w, key, "Value") &&
            !span_is(w, key, "InlineBinary") && !span_is(w, key, "BulkDataURI"))
            return invalid(w, "an attribute has a member DICOM JSON does not define");
        if (!span_is(w, key, "Value"))
            continue;
        if (w->t[value.start] != '[' ||
            df_json_iter_begin(&values, w->t, value.start + value.len, value.start, NULL) != 0)
            return invalid(w, "an attribute's \"Value\" is not an array");
        while ((rc = df_json_iter_next(&values, NULL, &item, NULL)) == 1) {
            char c = w->t[item.start];
            if (c == '[' || (c == '{' && !person_name))
                return invalid(w, "a value is neither a string, a number nor a person name");
            if (c != '{')
                continue;
            if (df_json_iter_begin(&names, w->t, item.start + item.len, item.start, NULL) != 0)
                return invalid(w, "malformed JSON");
            while ((rc = df_json_iter_next(&names, &name, &part, NULL)) == 1)
                if ((!span_is(w, name, "Alphabetic") && !span_is(w, name, "Ideographic") &&
                     !span_is(w, name, "Phonetic")) ||
                    w->t[part.start] != '"')
                    return invalid(w, "a person name has a member DICOM JSON does not define");
            if (rc != 0)
                return invalid(w, "malformed JSON");
        }
        if (rc != 0)
            return invalid(w, "malformed JSON");
    }
    return rc != 0 ? invalid(w, "malformed JSON") : 0;
}

/* A kept sequence: its items, each de-identified. Members other than "vr"
 * and "Value" (a sequence has none in DICOM JSON) are not copied. */
static int kept_sequence(walk *w, df_json_span attr, int depth)
{
    df_json_span items;
    put(w, "{\"vr\":\"SQ\"", 10);
    int rc = df_json_member(w->t + attr.start, attr.len, "Value", &items, NULL);
    if (rc == DF_ENOTFOUND) {
        put(w, "}", 1);
        return 0;
    }
    size_t at = attr.start + items.start;
    if (rc != 0 || w->t[at] != '[')
        return invalid(w, "a sequence's \"Value\" is not an array");
    put(w, ",\"Value\":[", 10);
    df_json_iter it;
    df_json_span key, item;
    if (df_json_iter_begin(&it, w->t, at + items.len, at, NULL) != 0)
        return invalid(w, "malformed JSON");
    bool first = true;
    while ((rc = df_json_iter_next(&it, &key, &item, NULL)) == 1) {
        if (w->t[item.start] != '{')
            return invalid(w, "an item of a sequence is not an object");
        if (!first)
            put(w, ",", 1);
        first = false;
        size_t end;
        rc = dataset(w, item.start, depth + 1, false, &end);
        if (rc != 0)
            return rc;
    }
    if (rc != 0)
        return invalid(w, "malformed JSON");
    put(w, "]}", 2);
    return 0;
}

static void add_method(walk *w, bool *first);

/* One attribute under its action; the member name is written here, so that
 * a removed attribute leaves nothing (first tells whether a comma goes
 * before it). When *pending, the attributes that record the
 * de-identification go before it: they follow the attributes written, not
 * those removed, so that a copy de-identified again is the same copy. */
static int attribute(walk *w, df_json_span key, df_json_span attr, df_deid_action action, int depth,
                     bool *first, bool *pending)
{
    if (action == DF_DEID_REMOVE)
        return 0;
    if (w->t[attr.start] != '{')
        return invalid(w, "an attribute is not an object");
    char vr[3];
    bool has_vr = vr_of(w, attr, vr);
    const char *dummy = has_vr ? dummy_of(vr) : NULL;
    /* What cannot be emptied or replaced by its VR is removed, not kept. */
    if ((action == DF_DEID_EMPTY || action == DF_DEID_DUMMY) && dummy == NULL)
        return 0;
    if (*pending) {
        add_method(w, first);
        *pending = false;
    }
    if (!*first)
        put(w, ",", 1);
    *first = false;
    put(w, "\"", 1);
    put_span(w, key);
    put(w, "\":", 2);
    if (action == DF_DEID_KEEP) {
        if (has_vr && strcmp(vr, "SQ") == 0)
            return kept_sequence(w, attr, depth);
        int rc = check_plain(w, attr, has_vr && strcmp(vr, "PN") == 0);
        if (rc == 0)
            put_span(w, attr);
        return rc;
    }
    put(w, "{\"vr\":\"", 7);
    put(w, vr, 2);
    put(w, "\"", 1);
    if (action == DF_DEID_DUMMY) {
        put(w, ",", 1);
        put(w, dummy, strlen(dummy));
    }
    put(w, "}", 1);
    return 0;
}

static void add_method(walk *w, bool *first)
{
    if (!*first)
        put(w, ",", 1);
    *first = false;
    put(w, added_attributes, sizeof added_attributes - 1);
}

/* The dataset (an object) at t[at]; *end receives the index past it. At the
 * top level the three attributes that record the de-identification go in tag
 * order: before the first attribute written past them, or at the end. */
static int dataset(walk *w, size_t at, int depth, bool top, size_t *end)
{
    if (depth > DF_DEID_MAX_DEPTH)
        return invalid(w, "sequences are nested too deep");
    df_json_iter it;
    df_json_span key, attr;
    int rc = df_json_iter_begin(&it, w->t, w->n, at, NULL);
    if (rc != 0)
        return invalid(w, "a dataset is not an object");
    put(w, "{", 1);
    bool first = true, added = !top;
    while ((rc = df_json_iter_next(&it, &key, &attr, NULL)) == 1) {
        uint32_t tag;
        if (!tag_of(w, key, &tag))
            return invalid(w, "a member of a dataset is not a tag of 8 hex digits");
        if (top && tag >= TAG_PATIENT_IDENTITY_REMOVED && tag <= TAG_DEID_METHOD_CODES)
            continue;
        bool pending = !added && tag > TAG_DEID_METHOD_CODES;
        rc = attribute(w, key, attr, df_deid_action_of(tag), depth, &first, &pending);
        if (!added && tag > TAG_DEID_METHOD_CODES && !pending)
            added = true;
        if (rc != 0)
            return rc;
    }
    if (rc != 0)
        return invalid(w, "malformed JSON");
    if (!added)
        add_method(w, &first);
    put(w, "}", 1);
    *end = it.i;
    return 0;
}

int df_deid_apply(const char *json, size_t len, df_buf *out, df_error *err)
{
    walk w = {json, len, out, err};
    size_t at = df_json_skip_ws(json, len, 0);
    if (at == len || json[at] != '{')
        return invalid(&w, "it is not a JSON object");
    size_t end = 0;
    int rc = dataset(&w, at, 1, true, &end);
    if (rc == 0 && df_json_skip_ws(json, len, end) != len)
        rc = invalid(&w, "text follows the dataset");
    if (rc == 0 && df_buf_failed(out))
        rc = DF_ENOMEM;
    return rc;
}
