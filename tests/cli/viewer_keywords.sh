#!/bin/bash
# The viewer's keyword table (viewer/dicom-keywords.json), which the build
# writes from the reader's dictionary with tools/dicom_keywords.awk: every
# tag of src/dicom_dict.c is in it with the keyword of its comment, read
# here another way (sed), and nothing else is; a table line the script does
# not understand stops it rather than lose a tag.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${top_builddir:-}" ] || skip_all "run from make check (top_builddir)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
table="$top_srcdir/src/dicom_dict.c"
json="$top_builddir/viewer/dicom-keywords.json"

check "the build wrote the keyword table" jq -e 'type == "object"' "$json"
sed -n 's/^    {0x\([0-9A-F]\{8\}\), DF_DICOM_[A-Z_0-9]*}, \/\* \([A-Za-z0-9_]*\) \*\/$/\1 \2/p' "$table" \
    >"$test_dir/from-c"
jq -r 'to_entries[] | "\(.key) \(.value)"' "$json" >"$test_dir/from-json"
if diff "$test_dir/from-c" "$test_dir/from-json" >"$test_dir/diff"; then
    ok "every tag of src/dicom_dict.c, with its keyword, in its order ($(wc -l <"$test_dir/from-json"))"
else
    head -n 10 "$test_dir/diff" | sed 's/^/# /'
    not_ok "the keyword table differs from src/dicom_dict.c"
fi
check "the table holds the standard's ~5,000 tags" [ "$(wc -l <"$test_dir/from-json")" -gt 4500 ]
check "retired tags keep their mark" bash -c "grep -q '^50000005 RETIRED_CurveDimensions$' '$test_dir/from-json'"

# A table line that is not as expected (a keyword without its comment).
sed '0,/{0x00100010, DF_DICOM_VR_PN}, \/\* PatientName \*\//s//{0x00100010, DF_DICOM_VR_PN},/' "$table" \
    >"$test_dir/broken.c"
check "a line without its keyword stops the script, naming it" \
    bash -c "! LC_ALL=C \${AWK:-awk} -f '$top_srcdir/tools/dicom_keywords.awk' '$test_dir/broken.c' \
        >/dev/null 2>'$test_dir/err' && grep -q 'broken.c:.*no keyword comment' '$test_dir/err'"
finish
