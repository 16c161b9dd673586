#!/bin/bash
# dcmfeed-ingest update: new metadata for instances the log holds, read from
# DICOM JSON and Part 10 files as add reads them. What the feed then answers
# through the responder (run as CGI) in both API versions: the update is the
# `current` entry, the create before it `replaced`, the Metadata shown is the
# present one; a delete after it makes them all `deleted`. An instance the log
# does not hold (or holds deleted) is named with its file and skipped, nothing
# written for it, exit 4; with --strict it stops the call and nothing of its
# batch is written. The Part 10 checks need Debian's python3-pydicom.
#   INGEST=… FCGI=… tests/cli/update.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/lib.sh"

: "${INGEST:?set INGEST to the dcmfeed-ingest to test}"
: "${FCGI:?set FCGI to the changefeed.fcgi to test}"
command -v sqlite3 >/dev/null || skip_all "the sqlite3 CLI is not installed (apt-get install sqlite3)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
data=${TEST_DATA:-$here/../data}/json
db="$test_dir/feed.db"
unset DCMFEED_DB

ct_study=1.2.826.0.1.3680043.10.543.100
ct_series=$ct_study.1
ct_sop=$ct_series.1
mr_series=1.2.826.0.1.3680043.10.543.200.2

run() {
    set +e
    "$INGEST" "$@" >"$test_dir/out" 2>"$test_dir/err"
    status=$?
    set -e
}
sql() { sqlite3 "$db" "$1"; }
entries() { sql 'SELECT count(*) FROM entries'; }
out_is() { [ "$(cat "$test_dir/out")" = "$1" ]; }
err_has() { grep -qF -- "$1" "$test_dir/err"; }
# feed VERSION QUERY: the responder's answer as CGI; $status and body.
feed() { cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO="/$1/changefeed" QUERY_STRING="$2"; }

# The corrected file: the same instance, another patient's name.
sed 's/Müller^Jörg/Mueller^Joerg/' "$data/ct.json" >"$test_dir/ct-corrected.json"
grep -q 'Mueller^Joerg' "$test_dir/ct-corrected.json"

# --- usage ------------------------------------------------------------------------------------
run --db "$db" update
check "update without a file: exit 2" [ "$status" = 2 ]
check "... says what it needs" err_has "update needs at least one FILE, FOLDER or -"
run --db "$db" update -x
check "an option after update: exit 2" [ "$status" = 2 ]
check "no usage error created the log" [ ! -e "$db" ]
run --help
check "--help documents update and its exit status" \
    bash -c "grep -q '  update FILE|FOLDER|-...' '$test_dir/out' && grep -q 'update named an instance' '$test_dir/out'"

# --- an instance the log does not hold --------------------------------------------------------
run --db "$db" update "$data/ct.json"
check "update without a log: exit 3, only init makes one" [ "$status" = 3 ]
check "... says so" err_has "no log at $db; create it with dcmfeed-ingest init"
init_log "$db"
run --db "$db" update "$data/ct.json"
check "update of an instance not in the log: exit 4" [ "$status" = 4 ]
check "... the message names the file and the instance" \
    err_has "$data/ct.json: dataset 1: the log holds no instance $ct_sop of series $ct_series of study $ct_study to update (or it is deleted); nothing written for it"
check "... nothing written" [ "$(entries)" = 0 ]
check "... nothing on stdout" [ ! -s "$test_dir/out" ]
check "... the summary counts it" err_has "updated 0 datasets from 1 file; 1 not in the log"

# --- an update ------------------------------------------------------------------------------
run --db "$db" -q add "$data/ct.json" "$data/series.json"
run --db "$db" update "$test_dir/ct-corrected.json"
check "update: exit 0" [ "$status" = 0 ]
check "update prints the entry" out_is "update 5 $ct_sop"
check "... and a summary" err_has "updated 1 dataset from 1 file"
check "the log holds an update entry (action 2)" [ "$(sql 'SELECT action FROM entries WHERE seq = 5')" = 2 ]
check "the instance's present version is the update" \
    [ "$(sql "SELECT current_seq FROM instances WHERE sop_uid = '$ct_sop'")" = 5 ]
check "the instance's metadata is the new one" \
    [ "$(sql "SELECT metadata LIKE '%Mueller^Joerg%' FROM instances WHERE sop_uid = '$ct_sop'")" = 1 ]

# The feed, v1 and v2: create replaced, update current, Metadata the present one.
for version in v1 v2; do
    feed "$version" ''
    check "$version: 200" [ "$status" = 200 ]
    check "$version: the create is replaced, the update current, both show the new metadata" body_is "
        [.[] | select(.SopInstanceUid == \"$ct_sop\")] as \$e |
        (\$e | length) == 2 and
        \$e[0].Sequence == 1 and \$e[0].Action == \"create\" and \$e[0].State == \"replaced\" and
        \$e[1].Sequence == 5 and \$e[1].Action == \"update\" and \$e[1].State == \"current\" and
        all(\$e[]; .Metadata[\"00100010\"].Value[0].Alphabetic == \"Mueller^Joerg\")"
    check "$version: the other instances are untouched" \
        body_is '[.[] | select(.Sequence >= 2 and .Sequence <= 4) | .State] == ["current", "current", "current"]'
done
feed v1 'includemetadata=false&offset=4'
check "v1 without metadata: the update's fields" body_is "
    . == [{\"Sequence\": 5, \"StudyInstanceUid\": \"$ct_study\", \"SeriesInstanceUid\": \"$ct_series\",
           \"SopInstanceUid\": \"$ct_sop\", \"Action\": \"update\", \"Timestamp\": .[0].Timestamp,
           \"State\": \"current\"}]"
feed v2 ''
check "v2: a window holds the update" body_is '[.[].Action] == ["create", "create", "create", "create", "update"]'
cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed/latest QUERY_STRING=
check "latest is the update" body_is ".Action == \"update\" and .State == \"current\" and .Sequence == 5"

# A second update, then a new file (create): the update becomes replaced.
run --db "$db" update "$data/ct.json"
check "a second update: exit 0" out_is "update 6 $ct_sop"
feed v1 'offset=4'
check "after a second update: the first is replaced, the second current with its metadata" body_is "
    [.[] | {Sequence, Action, State}] == [
      {\"Sequence\": 5, \"Action\": \"update\", \"State\": \"replaced\"},
      {\"Sequence\": 6, \"Action\": \"update\", \"State\": \"current\"}] and
    all(.[]; .Metadata[\"00100010\"].Value[0].Alphabetic == \"Müller^Jörg\")"
run --db "$db" -q add "$test_dir/ct-corrected.json"
feed v1 'offset=5'
check "a create after an update: the update is replaced, the create current" body_is '
    [.[] | {Action, State}] == [{"Action": "update", "State": "replaced"}, {"Action": "create", "State": "current"}]'

# --- a deleted instance -----------------------------------------------------------------------
run --db "$db" -q delete "$ct_study" "$ct_series" "$ct_sop"
feed v1 ''
check "after a delete: every entry of the instance is deleted, Metadata null" body_is "
    [.[] | select(.SopInstanceUid == \"$ct_sop\")] | length == 5 and
    all(.[]; .State == \"deleted\" and .Metadata == null)"
before=$(entries)
run --db "$db" update "$test_dir/ct-corrected.json"
check "update of a deleted instance: exit 4" [ "$status" = 4 ]
check "... named, with the instance" err_has "the log holds no instance $ct_sop of series $ct_series"
check "... nothing written" [ "$(entries)" = "$before" ]

# --- mixed calls: what the other files of the call do -----------------------------------------
sed 's/"20261127"/"20261128"/' "$data/series.json" >"$test_dir/series-corrected.json"
run --db "$db" update "$test_dir/ct-corrected.json" "$test_dir/series-corrected.json"
check "one instance missing among four: exit 4" [ "$status" = 4 ]
check "... the three present ones are updated, in order" out_is "update $((before + 1)) $mr_series.1
update $((before + 2)) $mr_series.2
update $((before + 3)) $mr_series.3"
check "... the log agrees" [ "$(entries)" = $((before + 3)) ]
check "... the summary" err_has "updated 3 datasets from 2 files; 1 not in the log"
before=$(entries)
run --db "$db" --strict update "$test_dir/series-corrected.json" "$test_dir/ct-corrected.json"
check "--strict, an instance missing: exit 4" [ "$status" = 4 ]
check "... says it stopped, nothing written" \
    err_has "--strict: stopped at an instance the log does not hold; nothing written"
check "... nothing written, not even the present instances" [ "$(entries)" = "$before" ]
check "... nothing on stdout" [ ! -s "$test_dir/out" ]
run --db "$db" --strict --batch 3 update "$test_dir/series-corrected.json" "$test_dir/ct-corrected.json"
check "--strict --batch 3: the first batch is written, the missing instance's is not" \
    [ "$status" = 4 -a "$(entries)" = $((before + 3)) ]
check "... says so" err_has "this batch not written (earlier batches were)"
before=$(entries)
run --db "$db" update "$data/bad-malformed.json" "$test_dir/ct-corrected.json" "$test_dir/series-corrected.json"
check "a bad file and a missing instance: exit 1 (the bad file wins)" [ "$status" = 1 ]
check "... the present instances are written" [ "$(entries)" = $((before + 3)) ]
check "... the summary counts both" err_has "updated 3 datasets from 2 files; 1 not in the log; 1 file rejected"

# --- --dry-run -----------------------------------------------------------------------------------
before=$(entries)
run --dry-run update "$test_dir/series-corrected.json"
check "--dry-run without a log: exit 0" [ "$status" = 0 ]
check "--dry-run prints what it would append" \
    bash -c "[ \$(grep -c '^update - $mr_series\.[123] (dry-run)\$' '$test_dir/out') = 3 ]"
check "--dry-run says nothing was written" err_has "dry run: would update 3 datasets from 1 file; nothing written"
run --db "$db" -n update "$test_dir/series-corrected.json"
check "-n with a log: exit 0, the log untouched" [ "$status" = 0 -a "$(entries)" = "$before" ]

# --- Part 10 ----------------------------------------------------------------------------------------
if /usr/bin/python3 -c 'import pydicom' 2>/dev/null; then
    corpus="$test_dir/corpus"
    /usr/bin/python3 "$top_srcdir/tests/lib/gen_corpus.py" --small "$corpus"
    /usr/bin/python3 - "$corpus/ct_explicit_le.dcm" "$test_dir/ct-renamed.dcm" <<'EOF'
import sys
import pydicom
ds = pydicom.dcmread(sys.argv[1])
ds.PatientName = "Renamed^Patient"
ds.save_as(sys.argv[2])
EOF
    pdb="$test_dir/part10.db"
    init_log "$pdb"
    init_log "$test_dir/ref.db"
    run --db "$pdb" -q add "$corpus/ct_explicit_le.dcm"
    run --db "$pdb" update "$test_dir/ct-renamed.dcm"
    check "update from a Part 10 file: exit 0" [ "$status" = 0 ]
    check "... one update entry" grep -qx 'update 2 [0-9.]*' "$test_dir/out"
    check "... the metadata is what add writes for that file" \
        [ "$(sqlite3 "$pdb" 'SELECT metadata FROM instances')" = \
          "$("$INGEST" --db "$test_dir/ref.db" -q add "$test_dir/ct-renamed.dcm" && sqlite3 "$test_dir/ref.db" 'SELECT metadata FROM instances')" ]
    check "... with the new name" [ "$(sqlite3 "$pdb" "SELECT metadata LIKE '%Renamed^Patient%' FROM instances")" = 1 ]
    run --db "$pdb" update "$corpus/ct_latin1.dcm"
    check "update from a Part 10 file of an instance not in the log: exit 4" [ "$status" = 4 ]
    check "... named" err_has "$corpus/ct_latin1.dcm: dataset 1: the log holds no instance"
else
    skip "Part 10 files" "/usr/bin/python3 has no pydicom (apt-get install python3-pydicom)"
fi

finish
