#!/bin/bash
# The de-identified route of the shipped lighttpd config (/dicom-research/,
# DCMFEED_METADATA=deid) over real files: pydicom's test files (Debian's
# python3-pydicom, data/test_files: CT, MR, RT, SR, secondary captures, many
# transfer syntaxes), ingested as they are. Every answer of the research route
# is searched for each value of the files' identifying attributes (names, IDs,
# dates of birth, addresses, institution, physicians, accession number, at any
# depth), and compared with the full route's: the same entries, the same UIDs
# and technical attributes (tests/lib/deid_check.py says which). The checker
# is shown to fail on the full route's answers first.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (apt-get install sqlite3)"
files_dir=$(/usr/bin/python3 -c 'import os, pydicom.data; print(os.path.join(os.path.dirname(pydicom.data.__file__), "test_files"))' 2>/dev/null) ||
    skip_all "python3-pydicom is not installed (apt-get install python3-pydicom)"
[ -d "$files_dir" ] || skip_all "pydicom has no test files at $files_dir"

db="$test_dir/feed.db"
# Files that are not DICOM enough to ingest (truncated, no UIDs) are named
# and skipped; the call exits 1 for them.
init_log "$db"
"$INGEST" --db "$db" -q add "$files_dir"/*.dcm 2>"$test_dir/ingest.err" || [ $? = 1 ]
ingested=$(sqlite3 "$db" 'SELECT count(*) FROM entries' 2>/dev/null || echo 0)
check "most of pydicom's test files are in the feed ($ingested entries)" [ "$ingested" -ge 40 ]
# The files whose instance is in the log: the checker reads their values.
files=()
for f in "$files_dir"/*.dcm; do
    grep -qF "$f:" "$test_dir/ingest.err" || files+=("$f")
done

add_user reader 'correct horse'
add_research_user researcher 'open data'
start_lighttpd
root="http://127.0.0.1:$port"

# every_page ROUTE USER VERSION OUT: all entries of a route, page after page.
every_page() {
    local route=$1 user=$2 version=$3 out=$4 offset=0 n
    echo '[]' >"$out"
    while :; do
        http GET "$root/$route/$version/changefeed?offset=$offset&limit=100" -u "$user"
        [ "$status" = 200 ] || { echo "# $route: $status"; return 1; }
        n=$(jq length "$test_dir/body")
        [ "$n" -gt 0 ] || break
        jq -s '.[0] + .[1]' "$out" "$test_dir/body" >"$out.new" && mv "$out.new" "$out"
        offset=$((offset + n))
    done
}
every_page dicom 'reader:correct horse' v1 "$test_dir/full.json"
every_page dicom-research 'researcher:open data' v1 "$test_dir/deid.json"
check "both routes answer every entry" bash -c \
    "[ \"\$(jq length '$test_dir/full.json')\" = '$ingested' ] && [ \"\$(jq length '$test_dir/deid.json')\" = '$ingested' ]"

# The checker finds the identifying values in the full route's answers.
if /usr/bin/python3 "$top_srcdir/tests/lib/deid_check.py" "$test_dir/full.json" "$test_dir/full.json" \
    "${files[@]}" >/dev/null 2>"$test_dir/control.err"; then
    not_ok "the checker finds nothing in the full route's answers: it proves nothing"
else
    ok "the checker finds $(wc -l <"$test_dir/control.err") findings in the full route's answers"
fi
check_deid() {
    if /usr/bin/python3 "$top_srcdir/tests/lib/deid_check.py" "$1" "$2" "${files[@]}" \
        >"$test_dir/summary" 2>"$test_dir/findings"; then
        ok "$3: no identifying value of ${#files[@]} files, UIDs and technical attributes kept ($(cat "$test_dir/summary"))"
    else
        head -n 20 "$test_dir/findings"
        not_ok "$3: $(wc -l <"$test_dir/findings") findings"
    fi
}
check_deid "$test_dir/full.json" "$test_dir/deid.json" "v1 pages"

every_page dicom 'reader:correct horse' v2 "$test_dir/full2.json"
every_page dicom-research 'researcher:open data' v2 "$test_dir/deid2.json"
check_deid "$test_dir/full2.json" "$test_dir/deid2.json" "v2 pages"
check "v2 entries carry SopClassUid and Modality on both routes alike" bash -c \
    "[ \"\$(jq -c '[.[] | [.SopClassUid, .Modality]]' '$test_dir/full2.json')\" = \"\$(jq -c '[.[] | [.SopClassUid, .Modality]]' '$test_dir/deid2.json')\" ]"
check "... and most have both" bash -c "[ \"\$(jq '[.[] | select(.SopClassUid and .Modality)] | length' '$test_dir/deid2.json')\" -ge 30 ]"

http GET "$root/dicom-research/v2/changefeed/latest" -u 'researcher:open data'
jq -s '.' "$test_dir/body" >"$test_dir/deid_latest.json"
http GET "$root/dicom/v2/changefeed/latest" -u 'reader:correct horse'
jq -s '.' "$test_dir/body" >"$test_dir/full_latest.json"
check_deid "$test_dir/full_latest.json" "$test_dir/deid_latest.json" "latest"

# A filter on the research route: the same entries as on the full route.
http GET "$root/dicom-research/v2/changefeed?modality=MR,CT&includemetadata=false" -u 'researcher:open data'
jq -c '[.[].Sequence]' "$test_dir/body" >"$test_dir/deid_mr"
check "modality=MR,CT selects only MR and CT entries" body_is 'length > 0 and all(.[]; .Modality == "MR" or .Modality == "CT")'
check "... as many as the full feed has" bash -c \
    "[ \"\$(cat '$test_dir/deid_mr')\" = \"\$(jq -c '[.[] | select(.Modality == \"MR\" or .Modality == \"CT\") | .Sequence]' '$test_dir/full2.json')\" ]"
check "nothing was logged about patients" bash -c \
    "! grep -qE 'CompressedSamples|Anonymized|TOSHIBA' '$test_dir/error.log' '$test_dir/responder.log'"
finish
