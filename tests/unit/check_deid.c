/* Tests of the de-identification (deid.h): the generated table's shape, and
 * every row of Table E.1-1 whose action is remove, empty or dummy applied to
 * a dataset that has the attribute, at the top level and inside an item of a
 * sequence; the rules no row holds (private attributes, curves, overlays,
 * group lengths); the attributes that record the de-identification; the
 * dummy value of each VR; and what is refused. The output is read back with
 * jansson, never compared as text alone. */
#include "deid.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dicom.h"

/* A sequence the table does not name, so kept, its items de-identified. */
#define CONTAINER "00540016" /* Radiopharmaceutical Information Sequence */

static df_buf out;

static void setup(void)
{
    df_buf_init(&out, 64u * 1024u * 1024u);
}

static void teardown(void)
{
    df_buf_free(&out);
}

/* De-identifies text, which must succeed, and parses the result. */
static json_t *deid(const char *text)
{
    df_buf_reset(&out);
    df_error err = {0};
    int rc = df_deid_apply(text, strlen(text), &out, &err);
    ck_assert_msg(rc == 0, "%s: %s", text, err.message);
    json_error_t jerr;
    json_t *j = json_loadb(out.data, out.len, 0, &jerr);
    ck_assert_msg(j != NULL, "not JSON (%s): %s", jerr.text, out.data);
    return j;
}

START_TEST(table_is_sorted_and_whole)
{
    ck_assert_uint_gt(df_deid_rule_count, 600);
    for (size_t i = 1; i < df_deid_rule_count; i++)
        ck_assert_msg(df_deid_rules[i - 1].tag < df_deid_rules[i].tag, "row %zu out of order", i);
    /* Rows the profile is known for, as the standard gives them. */
    ck_assert_int_eq(df_deid_action_of(0x00100010), DF_DEID_EMPTY);  /* Patient's Name: Z */
    ck_assert_int_eq(df_deid_action_of(0x00100020), DF_DEID_EMPTY);  /* Patient ID: Z/D */
    ck_assert_int_eq(df_deid_action_of(0x00100030), DF_DEID_EMPTY);  /* Birth Date: Z */
    ck_assert_int_eq(df_deid_action_of(0x00101040), DF_DEID_REMOVE); /* Patient's Address: X */
    ck_assert_int_eq(df_deid_action_of(0x00080080), DF_DEID_REMOVE); /* Institution: X/Z/D */
    ck_assert_int_eq(df_deid_action_of(0x00080050), DF_DEID_EMPTY);  /* Accession Number: Z */
    ck_assert_int_eq(df_deid_action_of(0x0040A730), DF_DEID_DUMMY);  /* Content Sequence: D */
    /* Retain UIDs Option: U becomes K. */
    ck_assert_int_eq(df_deid_action_of(0x0020000D), DF_DEID_KEEP);
    ck_assert_int_eq(df_deid_action_of(0x0020000E), DF_DEID_KEEP);
    ck_assert_int_eq(df_deid_action_of(0x00080018), DF_DEID_KEEP);
    ck_assert_int_eq(df_deid_action_of(0x00200052), DF_DEID_KEEP);
    /* Not in the table: kept. */
    ck_assert_int_eq(df_deid_action_of(0x00280010), DF_DEID_KEEP); /* Rows */
    ck_assert_int_eq(df_deid_action_of(0x00080060), DF_DEID_KEEP); /* Modality */
    ck_assert_int_eq(df_deid_action_of(0x00540016), DF_DEID_KEEP); /* CONTAINER */
    /* The pattern rows and the rules of deid.c. */
    ck_assert_int_eq(df_deid_action_of(0x00090010), DF_DEID_REMOVE); /* private creator */
    ck_assert_int_eq(df_deid_action_of(0x00291010), DF_DEID_REMOVE); /* private */
    ck_assert_int_eq(df_deid_action_of(0x50000010), DF_DEID_REMOVE); /* curve */
    ck_assert_int_eq(df_deid_action_of(0x501E3000), DF_DEID_REMOVE);
    ck_assert_int_eq(df_deid_action_of(0x60003000), DF_DEID_REMOVE); /* overlay data */
    ck_assert_int_eq(df_deid_action_of(0x601E4000), DF_DEID_REMOVE); /* overlay comments */
    ck_assert_int_eq(df_deid_action_of(0x60000010), DF_DEID_KEEP);   /* overlay rows */
    ck_assert_int_eq(df_deid_action_of(0x00280000), DF_DEID_REMOVE); /* group length */
}
END_TEST

/* The attribute object of tag with a value that names it: a string, a
 * person name, a number or bytes by its VR, or for a sequence one item
 * holding a person name. *marker receives the text of the value, which
 * must be gone from the output unless the attribute is kept. */
static void attribute_for(uint32_t tag, char *attr, size_t size, char *marker, size_t msize)
{
    df_dicom_vr vr = df_dicom_dict_vr(tag);
    const char *name = vr == DF_DICOM_VR_UN ? "LO" : df_dicom_vr_name(vr);
    if (strcmp(name, "UN") == 0 || strlen(name) != 2)
        name = "LO";
    if (strcmp(name, "SQ") == 0) {
        snprintf(marker, msize, "PHI^SQ%08X", tag);
        snprintf(
            attr, size,
            "{\"vr\":\"SQ\",\"Value\":[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":"
            "\"%s\"}]}}]}",
            marker);
    } else if (strcmp(name, "PN") == 0) {
        snprintf(marker, msize, "PHI^PN%08X", tag);
        snprintf(attr, size, "{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"%s\"}]}", marker);
    } else if (strchr("FL FD SL SS SV UL US UV", name[0]) != NULL &&
               strstr("FL FD SL SS SV UL US UV", name) != NULL) {
        snprintf(marker, msize, "9%08u", tag % 100000000u);
        snprintf(attr, size, "{\"vr\":\"%s\",\"Value\":[%s]}", name, marker);
    } else if (name[0] == 'O' || strcmp(name, "UN") == 0) {
        /* "PHI" and the tag, base64: "UEhJ" then the tag's bytes. */
        snprintf(marker, msize, "UEhJ%08X", tag);
        snprintf(attr, size, "{\"vr\":\"%s\",\"InlineBinary\":\"%s\"}", name, marker);
    } else {
        snprintf(marker, msize, "PHI-%08X", tag);
        snprintf(attr, size, "{\"vr\":\"%s\",\"Value\":[\"%s\"]}", name, marker);
    }
}

/* Checks the attribute as the action leaves it in dataset ds. */
static void check_action(uint32_t tag, df_deid_action action, json_t *ds, const char *where)
{
    char key[9];
    snprintf(key, sizeof key, "%08X", tag);
    json_t *a = json_object_get(ds, key);
    switch (action) {
    case DF_DEID_REMOVE:
        ck_assert_msg(a == NULL, "%s %s: X, but present", where, key);
        break;
    case DF_DEID_EMPTY:
        ck_assert_msg(a != NULL && json_object_size(a) == 1 && json_object_get(a, "vr") != NULL,
                      "%s %s: Z, but not an empty attribute", where, key);
        break;
    case DF_DEID_DUMMY:
        ck_assert_msg(
            a != NULL && json_object_get(a, "vr") != NULL &&
                (json_object_get(a, "Value") != NULL || json_object_get(a, "InlineBinary") != NULL),
            "%s %s: D, but no dummy value", where, key);
        break;
    default:
        ck_abort_msg("%s %s: not an action tested here", where, key);
    }
}

/* Every row whose action is X, Z or D, on a dataset that has the
 * attribute: at the top level, and inside an item of a kept sequence. The
 * value put in is gone from the output, whatever the action. */
START_TEST(every_protecting_row_is_applied_at_every_depth)
{
    size_t tested = 0;
    for (size_t i = 0; i < df_deid_rule_count; i++) {
        const df_deid_rule *r = &df_deid_rules[i];
        if (r->action == DF_DEID_KEEP)
            continue;
        char attr[512], marker[32], text[2048];
        attribute_for(r->tag, attr, sizeof attr, marker, sizeof marker);
        snprintf(text, sizeof text,
                 "{\"%08X\":%s,\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
                 "\"" CONTAINER "\":{\"vr\":\"SQ\",\"Value\":[{\"%08X\":%s}]}}",
                 r->tag, attr, r->tag, attr);
        json_t *ds = deid(text);
        ck_assert_msg(strstr(out.data, marker) == NULL, "%08X: its value %s is still there: %s",
                      r->tag, marker, out.data);
        check_action(r->tag, (df_deid_action)r->action, ds, "top level");
        json_t *item = json_array_get(json_object_get(json_object_get(ds, CONTAINER), "Value"), 0);
        ck_assert_msg(json_is_object(item), "%08X: the kept sequence lost its item", r->tag);
        check_action(r->tag, (df_deid_action)r->action, item, "in a sequence");
        /* The SOP Instance UID stays. */
        ck_assert_str_eq(json_string_value(json_array_get(
                             json_object_get(json_object_get(ds, "00080018"), "Value"), 0)),
                         "1.2.3");
        json_decref(ds);
        tested++;
    }
    ck_assert_uint_gt(tested, 550);
}
END_TEST

/* The rows kept by the Retain UIDs Option keep their values, at every depth. */
START_TEST(retained_uids_stay)
{
    for (size_t i = 0; i < df_deid_rule_count; i++) {
        const df_deid_rule *r = &df_deid_rules[i];
        if (r->action != DF_DEID_KEEP || df_dicom_dict_vr(r->tag) != DF_DICOM_VR_UI)
            continue;
        char text[512];
        snprintf(text, sizeof text,
                 "{\"%08X\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.99.%u\"]},\"" CONTAINER
                 "\":{\"vr\":\"SQ\",\"Value\":[{\"%08X\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.99.%"
                 "u\"]}}]}}",
                 r->tag, r->tag, r->tag, r->tag);
        json_t *ds = deid(text);
        char key[9], want[40];
        snprintf(key, sizeof key, "%08X", r->tag);
        snprintf(want, sizeof want, "1.2.840.99.%u", r->tag);
        json_t *top = json_array_get(json_object_get(json_object_get(ds, key), "Value"), 0);
        ck_assert_msg(json_is_string(top) && strcmp(json_string_value(top), want) == 0,
                      "%s: not kept", key);
        json_t *item = json_array_get(json_object_get(json_object_get(ds, CONTAINER), "Value"), 0);
        json_t *in = json_array_get(json_object_get(json_object_get(item, key), "Value"), 0);
        ck_assert_msg(json_is_string(in) && strcmp(json_string_value(in), want) == 0,
                      "%s: not kept in a sequence", key);
        json_decref(ds);
    }
}
END_TEST

START_TEST(private_curves_overlays_and_group_lengths_go)
{
    json_t *ds = deid("{\"00080000\":{\"vr\":\"UL\",\"Value\":[12]},"
                      "\"00090010\":{\"vr\":\"LO\",\"Value\":[\"ACME 1.0\"]},"
                      "\"00091001\":{\"vr\":\"LO\",\"Value\":[\"Smith^John\"]},"
                      "\"00280010\":{\"vr\":\"US\",\"Value\":[512]},"
                      "\"50000010\":{\"vr\":\"US\",\"Value\":[2]},"
                      "\"50003000\":{\"vr\":\"OW\",\"InlineBinary\":\"AAAA\"},"
                      "\"" CONTAINER "\":{\"vr\":\"SQ\",\"Value\":[{"
                      "\"00291010\":{\"vr\":\"LO\",\"Value\":[\"Smith^John\"]},"
                      "\"00291011\":{\"vr\":\"SQ\",\"Value\":[{\"00100010\":{\"vr\":\"PN\"}}]},"
                      "\"00181030\":{\"vr\":\"LO\",\"Value\":[\"protocol\"]}}]},"
                      "\"60000010\":{\"vr\":\"US\",\"Value\":[64]},"
                      "\"60003000\":{\"vr\":\"OW\",\"InlineBinary\":\"AAAA\"},"
                      "\"60024000\":{\"vr\":\"LT\",\"Value\":[\"Smith^John\"]}}");
    ck_assert_ptr_null(strstr(out.data, "Smith"));
    ck_assert_ptr_null(strstr(out.data, "ACME"));
    ck_assert_ptr_null(json_object_get(ds, "00080000"));
    ck_assert_ptr_null(json_object_get(ds, "50000010"));
    ck_assert_ptr_null(json_object_get(ds, "50003000"));
    ck_assert_ptr_null(json_object_get(ds, "60003000"));
    ck_assert_ptr_null(json_object_get(ds, "60024000"));
    ck_assert_ptr_nonnull(json_object_get(ds, "60000010")); /* overlay rows are technical */
    ck_assert_ptr_nonnull(json_object_get(ds, "00280010"));
    json_t *item = json_array_get(json_object_get(json_object_get(ds, CONTAINER), "Value"), 0);
    ck_assert_uint_eq(json_object_size(item), 0); /* private gone, Protocol Name X */
    json_decref(ds);
}
END_TEST

/* Patient Identity Removed, De-identification Method and its codes, in tag
 * order at the top level, whatever the dataset had there; never in items. */
START_TEST(the_method_is_recorded_in_order)
{
    json_t *ds = deid("{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
                      "\"00120062\":{\"vr\":\"CS\",\"Value\":[\"NO\"]},"
                      "\"00120063\":{\"vr\":\"LO\",\"Value\":[\"something else\"]},"
                      "\"00200013\":{\"vr\":\"IS\",\"Value\":[\"1\"]},"
                      "\"" CONTAINER "\":{\"vr\":\"SQ\",\"Value\":[{}]}}");
    ck_assert_str_eq(json_string_value(json_array_get(
                         json_object_get(json_object_get(ds, "00120062"), "Value"), 0)),
                     "YES");
    json_t *method = json_object_get(json_object_get(ds, "00120063"), "Value");
    ck_assert_str_eq(json_string_value(json_array_get(method, 0)),
                     "Basic Application Confidentiality Profile");
    ck_assert_str_eq(json_string_value(json_array_get(method, 1)), "Retain UIDs Option");
    json_t *codes = json_object_get(json_object_get(ds, "00120064"), "Value");
    ck_assert_uint_eq(json_array_size(codes), 2);
    const char *values[] = {"113100", "113110"};
    for (size_t i = 0; i < 2; i++) {
        json_t *code = json_array_get(codes, i);
        ck_assert_str_eq(json_string_value(json_array_get(
                             json_object_get(json_object_get(code, "00080100"), "Value"), 0)),
                         values[i]);
        ck_assert_str_eq(json_string_value(json_array_get(
                             json_object_get(json_object_get(code, "00080102"), "Value"), 0)),
                         "DCM");
    }
    ck_assert_ptr_null(strstr(out.data, "something else"));
    ck_assert_ptr_null(strstr(out.data, "\"NO\""));
    /* In tag order: 00080018, 00120062, 00120063, 00120064, 00200013. */
    const char *a = strstr(out.data, "\"00080018\""), *b = strstr(out.data, "\"00120062\""),
               *c = strstr(out.data, "\"00120064\""), *d = strstr(out.data, "\"00200013\"");
    ck_assert(a < b && b < c && c < d);
    /* Items get none. */
    json_t *item = json_array_get(json_object_get(json_object_get(ds, CONTAINER), "Value"), 0);
    ck_assert_uint_eq(json_object_size(item), 0);
    json_decref(ds);
    /* At the end when nothing follows them; alone in an empty dataset. */
    ds = deid("{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}}");
    ck_assert_uint_eq(json_object_size(ds), 4);
    json_decref(ds);
    ds = deid(" { } ");
    ck_assert_uint_eq(json_object_size(ds), 3);
    json_decref(ds);
}
END_TEST

/* The dummy value of each VR (deid.h), on a row whose action is D. */
START_TEST(dummy_values_per_vr)
{
    static const struct {
        const char *vr, *value;
    } cases[] = {
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
        {"OW", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
        {"PN", "\"Value\":[{\"Alphabetic\":\"ANONYMOUS\"}]"},
        {"SH", "\"Value\":[\"ANONYMOUS\"]"},
        {"SQ", "\"Value\":[{}]"},
        {"SS", "\"Value\":[0]"},
        {"TM", "\"Value\":[\"000000.000000\"]"},
        {"UI", "\"Value\":[\"2.25.0\"]"},
        {"UN", "\"InlineBinary\":\"AAAAAAAAAAA=\""},
        {"UR", "\"Value\":[\"ANONYMOUS\"]"},
        {"US", "\"Value\":[0]"},
        {"UT", "\"Value\":[\"ANONYMOUS\"]"},
    };
    ck_assert_int_eq(df_deid_action_of(0x0040A123), DF_DEID_DUMMY); /* Person Name */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256], want[256];
        snprintf(text, sizeof text, "{\"0040A123\":{\"vr\":\"%s\",\"Value\":[\"x\"]}}",
                 cases[i].vr);
        snprintf(want, sizeof want, "\"0040A123\":{\"vr\":\"%s\",%s}", cases[i].vr, cases[i].value);
        json_decref(deid(text));
        ck_assert_msg(strstr(out.data, want) != NULL, "%s: %s", cases[i].vr, out.data);
    }
    /* A VR with no dummy, or none at all: removed, not guessed at. */
    json_t *ds = deid("{\"0040A123\":{\"vr\":\"XX\",\"Value\":[\"x\"]},"
                      "\"00100010\":{\"Value\":[\"x\"]}}");
    ck_assert_ptr_null(json_object_get(ds, "0040A123"));
    ck_assert_ptr_null(json_object_get(ds, "00100010"));
    json_decref(ds);
    /* An emptied sequence has no items. */
    ds = deid("{\"00081084\":{\"vr\":\"SQ\",\"Value\":[{}]},"
              "\"00080082\":{\"vr\":\"SQ\",\"Value\":[{\"00080100\":{\"vr\":\"SH\"}}]}}");
    ck_assert_int_eq(df_deid_action_of(0x00080082), DF_DEID_REMOVE);
    json_decref(ds);
}
END_TEST

/* What is not in the table is copied byte for byte: numbers as written,
 * strings with their escapes, members in their order. */
START_TEST(kept_attributes_are_copied_as_they_are)
{
    const char *text = "{\"00180050\":{\"vr\":\"DS\",\"Value\":[0.10000000000000001]},"
                       "\"00280030\":{\"Value\":[\"0.5\",\"0.5\"],\"vr\":\"DS\"},"
                       "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"caf\\u00e9\"]}}";
    json_decref(deid(text));
    ck_assert_ptr_nonnull(
        strstr(out.data, "\"00180050\":{\"vr\":\"DS\",\"Value\":[0.10000000000000001]}"));
    ck_assert_ptr_nonnull(
        strstr(out.data, "\"00280030\":{\"Value\":[\"0.5\",\"0.5\"],\"vr\":\"DS\"}"));
    /* Study Description is X: gone with its escape. */
    ck_assert_ptr_null(strstr(out.data, "caf"));
}
END_TEST

START_TEST(what_cannot_be_followed_is_refused)
{
    static const char *const bad[] = {
        "",
        "[]",
        "{\"00100010\":}",
        "{\"0010001\":{\"vr\":\"PN\"}}",
        "{\"0010001G\":{\"vr\":\"PN\"}}",
        "{\"00280010\":[512]}",
        "{\"" CONTAINER "\":{\"vr\":\"SQ\",\"Value\":[\"Smith\"]}}",
        "{\"" CONTAINER "\":{\"vr\":\"SQ\",\"Value\":{}}}",
        "{} {}",
        "{\"00100010\":{\"vr\":\"PN\",\"Value\":[\"Smith",
        /* Kept attributes are copied as they are: only what DICOM JSON allows
         * there (fuzz_deid found a dataset in a value of another VR). */
        "{\"00280010\":{\"vr\":\"zQ\",\"Value\":[{\"00100010\":{\"vr\":\"PN\","
        "\"Value\":[{\"Alphabetic\":\"Smith\"}]}}]}}",
        "{\"00280010\":{\"vr\":\"US\",\"Value\":[[\"Smith\"]]}}",
        "{\"00280010\":{\"vr\":\"US\",\"Value\":[512],\"Note\":\"Smith\"}}",
        "{\"00280010\":{\"vr\":\"US\",\"Value\":512}}",
        "{\"00280010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"A\",\"Nick\":\"Smith\"}]}}",
        "{\"00280010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":[\"Smith\"]}]}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        df_error err = {0};
        df_buf_reset(&out);
        ck_assert_msg(df_deid_apply(bad[i], strlen(bad[i]), &out, &err) == DF_EINVAL, "%s", bad[i]);
        ck_assert_ptr_null(strstr(err.message, "Smith"));
    }
    /* Sequences nested deeper than DF_DEID_MAX_DEPTH: the top level is
     * depth 1, an item of its sequence depth 2, … */
    static const char open[] = "{\"" CONTAINER "\":{\"vr\":\"SQ\",\"Value\":[";
    size_t depth = DF_DEID_MAX_DEPTH;
    char *deep = malloc(depth * 48 + 16);
    ck_assert_ptr_nonnull(deep);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(deep + n, "%s", open);
    n += (size_t)sprintf(deep + n, "{}");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(deep + n, "]}}");
    df_error err = {0};
    ck_assert_int_eq(df_deid_apply(deep, n, &out, &err), DF_EINVAL);
    ck_assert_str_eq(err.message,
                     "the metadata cannot be de-identified: sequences are nested too deep");
    /* One level less is followed. */
    df_buf_reset(&out);
    df_error_clear(&err);
    ck_assert_int_eq(df_deid_apply(deep + strlen(open), n - strlen(open) - 3, &out, &err), 0);
    free(deep);
    /* A buffer that fills up is DF_ENOMEM, err untouched. */
    df_buf small;
    df_buf_init(&small, 16);
    df_error_clear(&err);
    ck_assert_int_eq(df_deid_apply("{}", 2, &small, &err), DF_ENOMEM);
    ck_assert_int_eq(err.code, 0);
    df_buf_free(&small);
}
END_TEST

static Suite *deid_suite(void)
{
    Suite *s = suite_create("deid");
    TCase *tc = tcase_create("table");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, table_is_sorted_and_whole);
    tcase_add_test(tc, every_protecting_row_is_applied_at_every_depth);
    tcase_add_test(tc, retained_uids_stay);
    tcase_add_test(tc, private_curves_overlays_and_group_lengths_go);
    tcase_add_test(tc, the_method_is_recorded_in_order);
    tcase_add_test(tc, dummy_values_per_vr);
    tcase_add_test(tc, kept_attributes_are_copied_as_they_are);
    tcase_add_test(tc, what_cannot_be_followed_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(deid_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
