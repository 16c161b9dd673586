#!/bin/bash
# dcmfeed-ingest end to end: add, re-add, delete at each level, and every way
# a file or a call is refused, checking the log with the sqlite3 CLI each time:
# a bad file is named and skipped (exit 1), and with --strict it stops the call
# with nothing of its batch written, not even the good files given with it.
# Folders, '-' (paths on stdin), Part 10 sniffing, batches, --dry-run and the
# progress line too; the Part 10 checks need Debian's python3-pydicom (they are
# skipped without it).
#   INGEST=path/to/dcmfeed-ingest [SQLITE3=sqlite3] tests/cli/ingest.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/lib.sh"

: "${INGEST:?set INGEST to the dcmfeed-ingest to test}"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null || skip_all "the sqlite3 CLI is not installed (apt-get install sqlite3)"
data=${TEST_DATA:-$here/../data}/json
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
# not_in_err REGEX: the last command's stderr holds its messages, none with REGEX.
not_in_err() { absent '^dcmfeed-ingest: ' "$1" "$test_dir/err"; }
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

# --- no log yet: only init makes one ---------------------------------------------
# A typo in --db (feeed.db) once made a new empty log and exited 0.
run --db "$db" add "$data/ct.json" "$data/series.json"
check "add on a missing log: exit 3" [ "$status" = 3 ]
check "... says there is no log and how to make one" \
    err_has "dcmfeed-ingest: no log at $db; create it with dcmfeed-ingest init; nothing written"
check "... the summary counts what was given (4 datasets from 2 files), not 0 files" \
    err_has "added 0 datasets from 0 files (0 new, 0 replaced); 4 datasets from 2 files not written"
check "... and no log was made" [ ! -e "$db" ]
init_log "$test_dir/other.db" # import reads its SOURCE first
for cmd in "delete 1.2.3" "import $test_dir/other.db" "status" "backup $test_dir/b.db" "restore $test_dir/b.db"; do
    # shellcheck disable=SC2086
    run --db "$db" $cmd
    check "$cmd on a missing log: exit 3" [ "$status" = 3 ]
    check "... 'no log at PATH; create it with dcmfeed-ingest init'" \
        err_has "no log at $db; create it with dcmfeed-ingest init"
done
check "no command but init made the log" [ ! -e "$db" ]
if [ "$(id -u)" = 0 ]; then
    run --db "$db" init
    check "init as root without --owner: exit 2" [ "$status" = 2 ]
    check "... says to give --owner USER" err_has "init as root would make a log that only root may write: give --owner USER"
    check "... and made nothing" [ ! -e "$db" ]
fi
init_log "$db"
check "init makes the log" [ -f "$db" ]
check "... mode 0640" [ "$(stat -c %a "$db")" = 640 ]
run --db "$db" init $([ "$(id -u)" != 0 ] || echo --owner root)
check "init on a log that is there: exit 0" [ "$status" = 0 ]
check "... says so, with 0 entries" grep -q "^init: the log is there: $db (owner [a-z]*:[a-z]*, mode 0640), identity [0-9a-f]\{32\}, schema version [0-9]*, 0 entries$" "$test_dir/out"

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
printf '%s\n' "$meta" >"$test_dir/meta"
check "metadata leaves out group 0002" absent '"00080018":' '"0002' "$test_dir/meta"
check "metadata has no whitespace between tokens" absent '^\{"00080005":\{"vr":"CS",' '[{,:] |": ' "$test_dir/meta"

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

# --- refused input: named and skipped; with --strict, nothing written -------------
# good.json is an instance of its own study, so the deletes below do not see it.
good_study=1.2.826.0.1.3680043.10.543.900
sed "s/$ct_study/$good_study/g" "$data/ct.json" >"$test_dir/good.json"
good_sop=$good_study.1.1
mkdir "$test_dir/folder"
refused() { # NAME EXPECTED_MESSAGE FILE
    local before
    before=$(entries)
    run --db "$db" --strict add "$test_dir/good.json" "$3"
    check "$1, --strict: exit 1" [ "$status" = 1 ]
    check "$1, --strict: the message names the file and the reason" err_has "$3: $2"
    check "$1, --strict: says it stopped" err_has "--strict: stopped at the first bad file; nothing written"
    check "$1, --strict: nothing written, not even the good file" \
        bash -c "[ \"\$($SQLITE3 '$db' 'SELECT count(*) FROM entries')\" = $before ]"
    check "$1, --strict: nothing printed on stdout" [ ! -s "$test_dir/out" ]
    check "$1, --strict: no patient data in the message" not_in_err Doe
    run --db "$db" add "$test_dir/good.json" "$3"
    check "$1: exit 1" [ "$status" = 1 ]
    check "$1: the message names the file and the reason" err_has "$3: $2"
    check "$1: the good file is written" \
        bash -c "[ \"\$($SQLITE3 '$db' 'SELECT count(*) FROM entries')\" = $((before + 1)) ]"
    check "$1: stdout has the good file's entry only" \
        bash -c "grep -qx 'create [0-9]* $good_sop (\(new\|replaced\))' '$test_dir/out' && [ \$(wc -l <'$test_dir/out') = 1 ]"
    check "$1: the summary counts the rejected file" \
        err_has "added 1 dataset from 1 file (0 new, 1 replaced); 1 file rejected"
    check "$1: no patient data in the message" not_in_err Doe
}
run --db "$db" -q add "$test_dir/good.json"
refused "missing UID" "dataset 1: 0020000D (StudyInstanceUID) is missing" "$data/bad-missing-uid.json"
refused "invalid UID" \
    "dataset 1: SOPInstanceUID '1.2.826.0.1.3680043.10.543.300.01.1' is not a valid UID" \
    "$data/bad-invalid-uid.json"
refused "malformed JSON" "line 3, column" "$data/bad-malformed.json"
refused "missing file" "cannot open: No such file or directory" "$test_dir/nope.json"
printf 'not DICOM, not JSON' >"$test_dir/text.txt"
refused "neither JSON nor DICOM" "not a DICOM file" "$test_dir/text.txt"
: >"$test_dir/empty.dcm"
refused "an empty file" "is empty" "$test_dir/empty.dcm"
if [ "$(id -u)" != 0 ]; then
    cp "$test_dir/good.json" "$test_dir/secret.json"
    chmod 000 "$test_dir/secret.json"
    refused "an unreadable file" "cannot open: Permission denied" "$test_dir/secret.json"
else
    skip "an unreadable file" "root reads any file"
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
check "a log in a missing folder: exit 3" [ "$status" = 3 ]
check "... names the missing folder" err_has "missing folder: $test_dir/no does not exist (for $test_dir/no/such/folder/feed.db)"
run --db "$test_dir" add "$data/ct.json"
check "a folder given as the log: exit 3" [ "$status" = 3 ]
check "... says it is the wrong type" err_has "wrong type: $test_dir is a folder, not a file"
printf 'x%.0s' $(seq 1 200) >"$test_dir/text.log"
run --db "$test_dir/text.log" add "$data/ct.json"
check "a text file given as the log: exit 3" [ "$status" = 3 ]
check "... says it is no log" err_has "wrong type: $test_dir/text.log is not a dcmfeed log (not a SQLite database)"
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

# --- options of add -------------------------------------------------------------------
for args in "--batch 0 add x" "--batch 100001 add x" "--batch -1 add x" "--batch 1x add x" \
    "--batch '' add x" "--batch" "--strict delete 1.2.3" "--dry-run delete 1.2.3" "add - -" "add"; do
    # shellcheck disable=SC2086
    eval run --db "'$test_dir/opts.db'" $args </dev/null
    check "usage error exits 2: '$args'" [ "$status" = 2 ]
done
check "no usage error of add created the log" [ ! -e "$test_dir/opts.db" ]
run --help
check "--help documents --batch, --strict, --dry-run and '-'" \
    bash -c "grep -q -- '--batch N' '$test_dir/out' && grep -q -- '--strict' '$test_dir/out' &&
             grep -q -- '--dry-run' '$test_dir/out' && grep -q 'find DIR' '$test_dir/out'"

# --- folders, '-' and sniffing ----------------------------------------------------------
# A tree of JSON files under names that do not say JSON, with what a walk skips.
tree="$test_dir/tree"
mkdir -p "$tree/b/deep/er" "$tree/a" "$tree/.hidden" "$tree/other"
mk() { # SOP_SUFFIX FILE
    sed "s/$ct_sop/$ct_series.$1/g" "$data/ct.json" >"$2"
}
mk 11 "$tree/b/deep/er/z.dcm"
mk 12 "$tree/a/2"
mk 13 "$tree/a/10"
mk 14 "$tree/B.txt"
mk 15 "$tree/.hidden/x.json"
mk 16 "$tree/.dotfile.json"
mk 17 "$tree/DICOMDIR"
mk 18 "$tree/other/target.json"
ln -s ../other/target.json "$tree/b/link-to-file"
ln -s .. "$tree/b/loop"
ln -s "$tree/other" "$tree/b/link-to-folder"
mkfifo "$tree/b/fifo"
walk_db="$test_dir/walk.db"
init_log "$walk_db"
run --db "$walk_db" add "$tree"
check "add FOLDER: exit 0" [ "$status" = 0 ]
check "a folder is walked recursively, in byte order, skipping dot names, DICOMDIR, links to folders and a FIFO" \
    out_is "create 1 $ct_series.14 (new)
create 2 $ct_series.13 (new)
create 3 $ct_series.12 (new)
create 4 $ct_series.11 (new)
create 5 $ct_series.18 (new)
create 6 $ct_series.18 (replaced)"
check "... the summary counts the files" err_has "added 6 datasets from 6 files (5 new, 1 replaced)"
run --db "$walk_db" -q add "$tree/" "$tree/.dotfile.json"
check "a folder given with a trailing '/' and a dot file named explicitly: exit 0" [ "$status" = 0 ]
check "... the dot file named explicitly is read" \
    [ "$("$SQLITE3" "$walk_db" 'SELECT count(*) FROM entries')" = 13 ]
# Paths show in messages: a file refused under a folder given as 'dir/'.
mkdir -p "$test_dir/slash/sub"
echo 'not JSON' >"$test_dir/slash/sub/bad.json"
run --db "$walk_db" -q add "$test_dir/slash/"
check "paths under a folder given as 'dir/' have one '/'" absent '/slash/sub/bad\.json: ' 'slash//|sub//' "$test_dir/err"

mkdir "$test_dir/empty-folder"
run --db "$test_dir/empty.db" add "$test_dir/empty-folder"
check "an empty folder: exit 0, nothing to do" [ "$status" = 0 ]
check "... says so" err_has "added 0 datasets from 0 files"
check "... and does not create the log" [ ! -e "$test_dir/empty.db" ]

if [ "$(id -u)" != 0 ]; then
    mkdir -p "$test_dir/closed/inside" && mk 19 "$test_dir/closed/inside/f.json" && chmod 000 "$test_dir/closed/inside"
    run --db "$test_dir/closed.db" add "$test_dir/closed"
    check "an unreadable folder: exit 1" [ "$status" = 1 ]
    check "... named with the reason" err_has "$test_dir/closed/inside: cannot open folder: Permission denied"
    chmod 700 "$test_dir/closed/inside"
else
    skip "an unreadable folder" "root reads any folder"
fi

deep="$test_dir/deep"
path=$deep
for _ in $(seq 1 65); do path="$path/d"; done
mkdir -p "$path"
mk 20 "$path/f.json"
mk 21 "$deep/g.json"
init_log "$test_dir/deep.db"
run --db "$test_dir/deep.db" add "$deep"
check "folders nested more than 64 deep: exit 1" [ "$status" = 1 ]
check "... named, with the bound" err_has "/d: folders nested more than 64 deep; not walked"
check "... the files above are read" err_has "added 1 dataset from 1 file"

stdin_db="$test_dir/stdin.db"
init_log "$stdin_db"
set +e
find "$tree" | "$INGEST" --db "$stdin_db" add - >"$test_dir/out" 2>"$test_dir/err"
status=$?
set -e
check "find DIR | add -: exit 0" [ "$status" = 0 ]
check "... folders listed on stdin are skipped, not walked: every file once" \
    [ "$(wc -l <"$test_dir/out")" = 9 -a "$(grep -c "$ct_series.18 " "$test_dir/out")" = 2 ]
check "... the FIFO listed on stdin is skipped" absent '^dcmfeed-ingest: added [0-9]+ datasets' fifo "$test_dir/err"
set +e
printf '%s\r\n\n%s\n%s' "$tree/a/2" "$test_dir/nope.json" "$tree/a/10" |
    "$INGEST" --db "$stdin_db" add "$tree/B.txt" - >"$test_dir/out" 2>"$test_dir/err"
status=$?
set -e
check "add FILE -: a missing path on stdin is rejected, the others read (exit 1)" [ "$status" = 1 ]
check "... CRLF and empty lines, no final newline; arguments in order" \
    out_is "create 10 $ct_series.14 (replaced)
create 11 $ct_series.12 (replaced)
create 12 $ct_series.13 (replaced)"
check "... names the missing path" err_has "$test_dir/nope.json: cannot open: No such file or directory"

run --db "$stdin_db" add <(cat "$data/series.json")
check "a pipe (<(...)) given as FILE is read" [ "$status" = 0 -a "$(wc -l <"$test_dir/out")" = 3 ]
{ printf ' \r\n\t'; cat "$data/ct.json"; } >"$test_dir/blanks.dcm"
{ printf '\xEF\xBB\xBF'; cat "$data/ct.json"; } >"$test_dir/bom.dcm"
run --db "$stdin_db" add "$test_dir/blanks.dcm" "$test_dir/bom.dcm"
check "JSON after blanks or a byte order mark is sniffed as JSON, whatever the name" \
    [ "$status" = 0 -a "$(wc -l <"$test_dir/out")" = 2 ]

# --- batches, --strict, --dry-run ---------------------------------------------------------
bdir="$test_dir/batches"
mkdir "$bdir"
for i in 1 2 3 5 6; do mk "3$i" "$bdir/$i.json"; done
cp "$data/bad-malformed.json" "$bdir/4.json"
bdb="$test_dir/batch.db"
init_log "$bdb"
run --db "$bdb" --strict --batch 2 add "$bdir"
check "--strict --batch 2, the 4th of 6 files bad: exit 1" [ "$status" = 1 ]
check "... the first batch (files 1, 2) is written, the second (3 and the bad 4) is not" \
    out_is "create 1 $ct_series.31 (new)
create 2 $ct_series.32 (new)"
check "... the log agrees" [ "$("$SQLITE3" "$bdb" 'SELECT count(*) FROM entries')" = 2 ]
check "... says so" err_has "--strict: stopped at the first bad file; this batch not written (earlier batches were)"
run --db "$bdb" --batch 2 add "$bdir"
check "--batch 2 without --strict: exit 1, the bad file skipped" [ "$status" = 1 ]
check "... every good file written" [ "$("$SQLITE3" "$bdb" 'SELECT count(*) FROM entries')" = 7 ]
check "... summary" err_has "added 5 datasets from 5 files (3 new, 2 replaced); 1 file rejected"
run --db "$bdb" --batch 2 add "$data/series.json" "$bdir/1.json"
check "a file of 3 datasets is not split by --batch 2" \
    [ "$status" = 0 -a "$(wc -l <"$test_dir/out")" = 4 ]

run --dry-run add "$bdir" "$data/series.json"
check "--dry-run without a log: exit 1 for the bad file" [ "$status" = 1 ]
check "--dry-run prints the entries it would append" \
    bash -c "[ \$(grep -c '^create - [0-9.]* (dry-run)\$' '$test_dir/out') = 8 ]"
check "--dry-run says nothing was written" \
    err_has "dry run: would add 8 datasets from 6 files; 1 file rejected; nothing written"
before=$("$SQLITE3" "$bdb" 'SELECT count(*) FROM entries')
run --db "$bdb" -n add "$bdir/1.json"
check "-n with a log: exit 0, the log untouched" \
    [ "$status" = 0 -a "$("$SQLITE3" "$bdb" 'SELECT count(*) FROM entries')" = "$before" ]

# --- the progress line: on a terminal only -------------------------------------------------
init_log "$test_dir/progress.db"
run --db "$test_dir/progress.db" add "$bdir/1.json"
check "no progress line when stderr is not a terminal" absent '^dcmfeed-ingest: added 1 dataset' 'files/s' "$test_dir/err"
if command -v script >/dev/null; then
    # A list that arrives slowly, so that the line is drawn (at most 4 times a second).
    script -qec "(echo '$bdir/1.json'; sleep 0.6; echo '$bdir/2.json') |
        '$INGEST' --db '$test_dir/progress.db' add - >/dev/null" /dev/null >"$test_dir/tty" 2>&1 || true
    check "on a terminal, a progress line with files/s" grep -q '2 files, [0-9]* files/s' "$test_dir/tty"
    check "... cleared before the summary" grep -q $'\r\033\\[Kdcmfeed-ingest: added 2 datasets' "$test_dir/tty"
    # With the files known in advance, the line counts down to an ETA: the
    # second FILE is a FIFO that gets its JSON 0.6 s late.
    mkfifo "$test_dir/late.json"
    script -qec "(sleep 0.6; cat '$bdir/2.json' >'$test_dir/late.json') &
        '$INGEST' --db '$test_dir/progress.db' add '$bdir/1.json' '$test_dir/late.json' '$bdir/3.json' >/dev/null" \
        /dev/null >"$test_dir/tty" 2>&1 || true
    check "... with the total and an ETA when the files are known" \
        grep -qE '[23]/3 files, [0-9]+ files/s, ETA 0:[0-9]{2}' "$test_dir/tty"
    # The slow list that draws the line above, with a missing file: -q
    # leaves its error message and nothing else.
    script -qec "(echo '$bdir/1.json'; sleep 0.6; echo '$test_dir/missing.json') |
        '$INGEST' --db '$test_dir/progress.db' -q add - >/dev/null" /dev/null >"$test_dir/tty" 2>&1 || true
    check "-q on a terminal: no progress line" absent '/missing\.json: cannot open' 'files/s' "$test_dir/tty"
else
    skip "the progress line" "script (bsdutils) is not installed"
fi

# --- Part 10 files (the corpus of tests/lib/gen_corpus.py) ----------------------------------------
if /usr/bin/python3 -c 'import pydicom' 2>/dev/null; then
    corpus="$test_dir/corpus"
    /usr/bin/python3 "$top_srcdir/tests/lib/gen_corpus.py" --small "$corpus"
    pdb="$test_dir/part10.db"
    init_log "$pdb"
    init_log "$test_dir/padded.db"
    run --db "$pdb" add "$corpus"
    check "add a folder of Part 10 files with bad ones: exit 1" [ "$status" = 1 ]
    nbad=$(find "$corpus/bad" -type f | wc -l)
    check "every bad file is named with a reason" \
        bash -c "for f in '$corpus'/bad/*; do grep -qF \"\$f: \" '$test_dir/err' || exit 1; done"
    check "... and no other line but the summary, the files without UIDs, the padded ones' warnings" \
        bash -c "[ \$(grep -vc 'un_undefined_length\|bad/\|added \|trailing_zeros[a-z_]*\.dcm: warning: ' '$test_dir/err') = 0 ]"
    good=$(find "$corpus" -maxdepth 1 -name '*.dcm' ! -name 'un_*' | wc -l)
    check "every good file is in the log, once" \
        [ "$("$SQLITE3" "$pdb" 'SELECT count(*) FROM instances')" = "$good" -a \
          "$("$SQLITE3" "$pdb" 'SELECT count(*) FROM entries')" = "$good" ]
    check "the summary counts them" err_has "added $good datasets from $good files ($good new, 0 replaced); $((nbad + 1)) files rejected"
    check "Part 10 metadata is DICOM JSON with the patient's name" \
        [ "$("$SQLITE3" "$pdb" "SELECT count(*) FROM instances WHERE metadata LIKE '%\"00100010\":{\"vr\":\"PN\"%'")" = "$good" ]
    # 4096 zero bytes after the last element (a file written in fixed-size blocks).
    run --db "$test_dir/padded.db" add "$corpus/ct_trailing_zeros.dcm" "$corpus/ct_trailing_zeros_implicit.dcm"
    check "Part 10 files with trailing zero padding: added, exit 0" \
        [ "$status" = 0 -a "$("$SQLITE3" "$test_dir/padded.db" 'SELECT count(*) FROM instances')" = 2 ]
    check "... with one warning line on stderr naming each file" [ "$(grep -c "^dcmfeed-ingest: $corpus/ct_trailing_zeros\(_implicit\)\?\.dcm: warning: 4096 zero bytes after the last element" "$test_dir/err")" = 2 ]
    run --db "$pdb" add <(cat "$corpus/us_deflated.dcm") <(cat "$corpus/ct_implicit_le.dcm")
    check "Part 10 from pipes (no seek): exit 0" [ "$status" = 0 ]
    check "... read whole" [ "$(grep -c '(replaced)$' "$test_dir/out")" = 2 ]
    cp "$corpus/ct_explicit_le.dcm" "$test_dir/named.json"
    run --db "$pdb" add "$test_dir/named.json"
    check "a Part 10 file named .json is sniffed as Part 10" [ "$status" = 0 ]
    run --db "$pdb" --strict add "$corpus/ct_latin1.dcm" "$corpus/bad/cut_value.dcm"
    check "--strict with a bad Part 10 file: exit 1, nothing written" \
        [ "$status" = 1 -a ! -s "$test_dir/out" ]
else
    skip "Part 10 files" "/usr/bin/python3 has no pydicom (apt-get install python3-pydicom)"
fi

# A PostgreSQL address's password never reaches stderr (a PACS's log), whether
# the address cannot be reached (port 1), is malformed, or this build has no
# PostgreSQL support: every command that opens the log says so without it.
for address in 'postgresql://web:s3cret@127.0.0.1:1/feed' 'postgresql://web:s3cret@[::1/feed' \
    'host=127.0.0.1 port=1 dbname=feed password=s3cret'; do
    run --db "$address" add "$data/ct.json"
    check "add, unusable address: exit 3 ('$(head -c 60 "$test_dir/err")')" [ "$status" = 3 ]
    check "... and no password shown" not_in_err s3cret
    run --db "$address" delete 1.2.3
    check "delete, unusable address: an error without the password" \
        [ "$status" != 0 -a -s "$test_dir/err" ] && check "... (delete)" not_in_err s3cret
    run --db "$address" import "$db"
    check "import into an unusable address: an error without the password" \
        [ "$status" != 0 -a -s "$test_dir/err" ] && check "... (import)" not_in_err s3cret
done


# An instance whose metadata passes the 32 MiB the feed serves per instance
# (DF_METADATA_MAX) is refused by name, and the log keeps what it had.
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 "$top_srcdir/tests/lib/make_big.py" "$test_dir/huge" 1 40000000
    before=$(entries)
    run --db "$db" add "$test_dir/huge/big-0001.json"
    check "metadata over 32 MiB: exit 1" [ "$status" = 1 ]
    check "... the message names the file and the cap" \
        err_has "huge/big-0001.json: dataset 1: the instance's metadata is 40000377 bytes; the feed serves at most 33554432 bytes"
    check "... nothing written" [ "$(entries)" = "$before" ]
    rm -rf "$test_dir/huge"
else
    skip "metadata over 32 MiB" "/usr/bin/python3 is missing"
fi

finish
