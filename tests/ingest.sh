#!/bin/bash
# dcmfeed-ingest end to end: add, re-add, delete at each level, and every way
# a call is refused, checking the log with the sqlite3 CLI each time: a refused
# call writes nothing, even the good files given with a bad one.
#   INGEST=path/to/dcmfeed-ingest [SQLITE3=sqlite3] tests/ingest.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

: "${INGEST:?set INGEST to the dcmfeed-ingest to test}"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null || skip_all "the sqlite3 CLI is not installed (apt-get install sqlite3)"
data=${TEST_DATA:-$here/data}/json
db="$test_dir/feed.db"
unset DCMFEED_DB

ct_study=1.2.826.0.1.3680043.10.543.100
ct_series=$ct_study.1
ct_sop=$ct_series.1
mr_study=1.2.826.0.1.3680043.10.543.200
mr_series=$mr_study.2

# run ARGS...: runs the CLI; $status, $test_dir/out and $test_dir/err hold the outcome.
run() {
    set +e
    "$INGEST" "$@" >"$test_dir/out" 2>"$test_dir/err"
    status=$?
    set -e
}
sql() { "$SQLITE3" "$db" "$1"; }
entries() { sql 'SELECT count(*) FROM entries'; }
out_is() { [ "$(cat "$test_dir/out")" = "$1" ]; }
err_has() { grep -qF -- "$1" "$test_dir/err"; }
quiet_err() { [ ! -s "$test_dir/err" ]; }

# --- help, version, usage ----------------------------------------------------
run --help
check "--help exits 0" [ "$status" = 0 ]
check "--help documents DCMFEED_DB and the exit codes" \
    bash -c "grep -q DCMFEED_DB '$test_dir/out' && grep -q '4  delete matched no instance' '$test_dir/out'"
run --version
check "--version exits 0" [ "$status" = 0 ]
check "--version prints the version" grep -qE '^dcmfeed-ingest \(dcmfeed\) [0-9]' "$test_dir/out"

run add "$data/ct.json"
check "no --db and no DCMFEED_DB: exit 2" [ "$status" = 2 ]
check "... says how to name the log" err_has "use --db PATH or set DCMFEED_DB"
DCMFEED_DB= run add "$data/ct.json"
check "an empty DCMFEED_DB: exit 2" [ "$status" = 2 ]
for args in "" "--db $db" "--db $db frobnicate" "--db $db add" "--db $db delete" \
    "--db $db delete 1 2 3 4" "--db $db add -q $data/ct.json" "--db $db --bogus add x" "--db"; do
    # shellcheck disable=SC2086
    run $args
    check "usage error exits 2: '${args//$test_dir/\$dir}'" [ "$status" = 2 ]
done
check "no usage error created the log" [ ! -e "$db" ]

# --- add ------------------------------------------------------------------------
run --db "$db" add "$data/ct.json"
check "add one file: exit 0" [ "$status" = 0 ]
check "add prints the entry" out_is "create 1 $ct_sop (new)"
check "add prints a summary on stderr" err_has "added 1 dataset from 1 file (1 new, 0 replaced)"
check "the log has 1 entry" [ "$(entries)" = 1 ]
meta=$(sql "SELECT metadata FROM instances WHERE sop_uid = '$ct_sop'")
check "metadata is stored compact" \
    [ "${meta:0:60}" = '{"00080005":{"vr":"CS","Value":["ISO_IR 192"]},"00080008":{"' ]
check "metadata keeps numbers byte for byte" \
    grep -qF '"00180050":{"vr":"DS","Value":[1.0]}' <<<"$meta"
check "metadata keeps strings and escapes" \
    grep -qF '"00081030":{"vr":"LO","Value":["CT THORAX \"LOW DOSE\" \u2013 follow-up"]}' <<<"$meta"
check "metadata keeps UTF-8 names" \
    grep -qF '"00100010":{"vr":"PN","Value":[{"Alphabetic":"Müller^Jörg"}]}' <<<"$meta"
check "metadata keeps sequences" grep -qF '"00081140":{"vr":"SQ","Value":[{"00081150":' <<<"$meta"
check "metadata leaves out group 0002" bash -c "! grep -q '\"0002' <<<'$meta'"
check "metadata has no whitespace between tokens" bash -c "! grep -qE '[{,:] |\": ' <<<'$meta'"

run --db "$db" add "$data/series.json"
check "add an array of 3: exit 0" [ "$status" = 0 ]
check "add prints one line per dataset, in order" \
    out_is "create 2 $mr_series.1 (new)
create 3 $mr_series.2 (new)
create 4 $mr_series.3 (new)"
check "the log has 4 entries" [ "$(entries)" = 4 ]

DCMFEED_DB=$db run add "$data/ct.json"
check "DCMFEED_DB names the log" [ "$status" = 0 ]
check "re-adding an instance says replaced" out_is "create 5 $ct_sop (replaced)"
check "the replaced instance points at its new entry" \
    [ "$(sql "SELECT current_seq FROM instances WHERE sop_uid = '$ct_sop'")" = 5 ]

run --db "$db" -q add "$data/series.json" "$data/ct.json"
check "-q add: exit 0" [ "$status" = 0 ]
check "-q prints nothing" bash -c "[ ! -s '$test_dir/out' ] && [ ! -s '$test_dir/err' ]"
check "two files went in: 4 entries more" [ "$(entries)" = 9 ]

# --- refused input: exit 1 and nothing written ------------------------------------
sed "s/$ct_sop/$ct_series.9/g" "$data/ct.json" >"$test_dir/good.json"
mkdir "$test_dir/folder"
refused() { # NAME EXPECTED_MESSAGE FILE
    local before
    before=$(entries)
    run --db "$db" add "$test_dir/good.json" "$3"
    check "$1: exit 1" [ "$status" = 1 ]
    check "$1: the message names the file and the reason" err_has "$3: $2"
    check "$1: nothing written, not even the good file" \
        bash -c "[ \"\$($SQLITE3 '$db' 'SELECT count(*) FROM entries')\" = $before ]"
    check "$1: nothing printed on stdout" [ ! -s "$test_dir/out" ]
    check "$1: no patient data in the message" bash -c "! grep -q Doe '$test_dir/err'"
}
refused "missing UID" "dataset 1: 0020000D (StudyInstanceUID) is missing" "$data/bad-missing-uid.json"
refused "invalid UID" \
    "dataset 1: SOPInstanceUID '1.2.826.0.1.3680043.10.543.300.01.1' is not a valid UID" \
    "$data/bad-invalid-uid.json"
refused "malformed JSON" "line 3, column" "$data/bad-malformed.json"
refused "missing file" "cannot open: No such file or directory" "$test_dir/nope.json"
refused "a directory" "is a directory" "$test_dir/folder"
check "the good file's instance is not in the log" \
    [ "$(sql "SELECT count(*) FROM instances WHERE sop_uid = '$ct_series.9'")" = 0 ]
if [ "$(id -u)" != 0 ]; then
    cp "$test_dir/good.json" "$test_dir/secret.json"
    chmod 000 "$test_dir/secret.json"
    refused "an unreadable file" "cannot open: Permission denied" "$test_dir/secret.json"
else
    echo "ok - an unreadable file # SKIP root reads any file"
fi

run --db "$db" add "$data/bad-missing-uid.json" "$data/bad-invalid-uid.json"
check "every bad file of a call is reported" \
    bash -c "grep -q bad-missing-uid '$test_dir/err' && grep -q bad-invalid-uid '$test_dir/err'"

run --db "$test_dir/fresh.db" add "$data/bad-malformed.json"
check "a refused call does not even create the log" [ ! -e "$test_dir/fresh.db" ]

# A bad file never takes the write lock: with another writer holding it, the
# call is refused at once (a good one would wait for the lock).
mkfifo "$test_dir/lock"
"$SQLITE3" "$db" <"$test_dir/lock" >/dev/null 2>&1 &
holder=$!
cleanup_pids="$cleanup_pids $holder"
exec 7>"$test_dir/lock"
echo 'BEGIN IMMEDIATE; SELECT 1;' >&7
for _ in $(seq 1 50); do
    "$SQLITE3" "$db" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1 || break
    sleep 0.1
done
start=$SECONDS
run --db "$db" add "$data/bad-invalid-uid.json"
check "with the log locked, a bad file is refused at once with exit 1" \
    [ "$status" = 1 -a $((SECONDS - start)) -lt 5 ]
exec 7>&-
wait "$holder" || true

# --- the log unusable: exit 3 ------------------------------------------------------
run --db "$test_dir/no/such/folder/feed.db" add "$data/ct.json"
check "a log that cannot be created: exit 3" [ "$status" = 3 ]
check "... names the log" err_has "$test_dir/no/such/folder/feed.db: "
"$SQLITE3" "$test_dir/future.db" 'PRAGMA user_version = 99; CREATE TABLE t (x);'
run --db "$test_dir/future.db" add "$data/ct.json"
check "a log of a newer schema: exit 3" [ "$status" = 3 ]
check "... says so" err_has "schema version 99"

# --- delete -------------------------------------------------------------------------
before=$(entries)
run --db "$db" delete "$mr_study" "$mr_series" "$mr_series.1"
check "delete an instance: exit 0" [ "$status" = 0 ]
check "delete an instance prints the count" out_is "delete 1 instance $mr_series.1"
check "one delete entry appended" [ "$(entries)" = $((before + 1)) ]
check "the entry is a delete" [ "$(sql 'SELECT action FROM entries ORDER BY seq DESC LIMIT 1')" = 1 ]
check "the deleted instance has no metadata left" \
    [ "$(sql "SELECT metadata IS NULL FROM instances WHERE sop_uid = '$mr_series.1'")" = 1 ]

run --db "$db" delete "$mr_study" "$mr_series"
check "delete a series: exit 0" [ "$status" = 0 ]
check "delete a series counts only existing instances" out_is "delete 2 series $mr_series"
check "two delete entries appended" [ "$(entries)" = $((before + 3)) ]

DCMFEED_DB=$db run -q delete "$ct_study"
check "delete a study (DCMFEED_DB, -q): exit 0, silent" \
    [ "$status" = 0 -a ! -s "$test_dir/out" -a ! -s "$test_dir/err" ]
check "one delete entry for the study's instance" [ "$(entries)" = $((before + 4)) ]

run --db "$db" delete "$ct_study"
check "delete what is gone: exit 4" [ "$status" = 4 ]
check "... with a clear message" err_has "no instance of study $ct_study is in the log"
check "... and nothing written" [ "$(entries)" = $((before + 4)) ]
run --db "$db" delete 1.2.3 1.2.3.4 1.2.3.4.5
check "delete an unknown instance: exit 4" [ "$status" = 4 ]

run --db "$db" delete "$ct_study" 1.02
check "delete with an invalid UID: exit 1" [ "$status" = 1 ]
check "... names the UID" err_has "'1.02' is not a valid SeriesInstanceUID"
check "... and nothing written" [ "$(entries)" = $((before + 4)) ]

run --db "$db" add "$data/ct.json"
check "an instance added again after its delete is new" out_is "create $((before + 5)) $ct_sop (new)"

finish
