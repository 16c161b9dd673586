#!/bin/bash
# The mistakes an administrator makes, and the commands that look after the
# log (dcmfeed-ingest init, backup, restore, status): each message says which
# of a missing file, a missing folder, a permission (whose, on what), a wrong
# type, a busy log or a corrupt one stands in the way, in dcmfeed-ingest's
# words and in the responder's log line, with the exact exit status.
# Permissions are checked as another user (nobody, through setpriv) where the
# test runs as root, as CI does; as another user they are skipped.
#   INGEST=… FCGI=… [SQLITE3=sqlite3] tests/cli/admin.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/lib.sh"

: "${INGEST:?set INGEST to the dcmfeed-ingest to test}"
: "${FCGI:?set FCGI to the changefeed.fcgi to test}"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null || skip_all "the sqlite3 CLI is not installed (apt-get install sqlite3)"
unset DCMFEED_DB
data=${TEST_DATA:-$here/../data}/json

# run ARGS...: the CLI; $status, $test_dir/out and $test_dir/err hold the outcome.
run() {
    set +e
    "$INGEST" "$@" >"$test_dir/out" 2>"$test_dir/err"
    status=$?
    set -e
}
err_has() { grep -qF -- "$1" "$test_dir/err"; }
out_has() { grep -qF -- "$1" "$test_dir/out"; }
entries() { "$SQLITE3" "$1" 'SELECT count(*) FROM entries'; }
# responder_says DB TEXT: the responder, as CGI on DB, answers 503 and logs TEXT.
responder_says() {
    cgi DCMFEED_DB="$1" PATH_INFO=/v1/changefeed || true
    [ "$status" = 503 ] && grep -qF -- "$2" "$test_dir/stderr"
}

make_sample "$test_dir/sample" 20 1
db="$test_dir/log/feed.db"
mkdir -m 0750 "$test_dir/log"

# --- init ---------------------------------------------------------------------------------
run --db "$test_dir/log/feeed.db" add "$data/ct.json"
check "a typo in --db: exit 3, no new empty log" [ "$status" = 3 -a ! -e "$test_dir/log/feeed.db" ]
check "... 'no log at PATH; create it with dcmfeed-ingest init'" \
    err_has "dcmfeed-ingest: no log at $test_dir/log/feeed.db; create it with dcmfeed-ingest init; nothing written"
check "... the summary counts the one file given" err_has "1 dataset from 1 file not written"
run --db "$db" init --owner
check "init --owner without a user: exit 2" [ "$status" = 2 ]
run --db "$db" init --owner no-such-user-here
check "init --owner with an unknown user: exit 2" [ "$status" = 2 ]
check "... names it" err_has "--owner: no user 'no-such-user-here'"
run --db "$db" init extra
check "init with an argument: exit 2" [ "$status" = 2 ]
run --db "postgresql://u@127.0.0.1:1/x" init --owner root
check "init --owner with a PostgreSQL address: exit 2" [ "$status" = 2 ]
check "... says --owner goes with a file" err_has "--owner goes with a log that is a file (SQLite)"
run --db "$test_dir/no/such/feed.db" init $([ "$(id -u)" != 0 ] || echo --owner root)
check "init in a missing folder: exit 3" [ "$status" = 3 ]
check "... names the missing folder" err_has "missing folder: $test_dir/no does not exist"

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    run --db "$db" init
    check "init as root without --owner: exit 2, nothing made" [ "$status" = 2 -a ! -e "$db" ]
    chmod 0711 "$test_dir"
    chgrp daemon "$test_dir/log"
    run --db "$db" init --owner nobody
    check "init --owner nobody where nobody may not write the folder: exit 3" [ "$status" = 3 ]
    check "... says whose permission is missing on what" \
        err_has "permission denied: user nobody (uid 65534) may not create files in folder $test_dir/log (owner root:daemon, mode 0750)"
    check "... and made nothing" [ ! -e "$db" ]
    chown nobody "$test_dir/log"
    run --db "$db" init --owner nobody
    check "init --owner nobody as root: exit 0" [ "$status" = 0 ]
    check "... says it made the log, owner and mode" out_has "init: made the log $db (owner nobody:daemon, mode 0640)"
    check "... the log, -wal and -shm are nobody's, in the folder's group, 0640" \
        [ "$(stat -c '%U:%G %a' "$db" "$db-wal" "$db-shm" | sort -u)" = "nobody:daemon 640" ]
    check "... the folder got the set-group-ID bit" [ "$(stat -c %a "$test_dir/log")" = 2750 ]
    check "... and said so" err_has "set the set-group-ID bit of folder $test_dir/log"
    as_nobody "$INGEST" --db "$db" -q add "$test_dir"/sample/*.json
    check "the owner ingests" [ "$(entries "$db")" = 20 ]

    # The first ingest run as root once made the log root's (0644): from then
    # on every hook call as the ingest user failed, blaming the DICOM file.
    root_db="$test_dir/log/root.db"
    init_log "$root_db"
    chmod 0644 "$root_db" "$root_db-wal" "$root_db-shm"
    set +e
    as_nobody "$INGEST" --db "$root_db" add "$data/ct.json" >"$test_dir/out" 2>"$test_dir/err"
    status=$?
    set -e
    check "a writer that may not write the log: exit 3" [ "$status" = 3 ]
    check "... says whose permission is missing on what, not the DICOM file's fault" \
        err_has "permission denied: user nobody (uid 65534) cannot write $root_db (owner root:daemon, mode 0644)"
    check "... no 'dataset 1:' blamed" bash -c "! grep -q 'dataset 1' '$test_dir/err'"
    run --db "$root_db" init --owner nobody
    check "init --owner repairs such a log: exit 0" [ "$status" = 0 ]
    check "... its files are the owner's, 0640" \
        [ "$(stat -c '%U %a' "$root_db" "$root_db-wal" "$root_db-shm" | sort -u)" = "nobody 640" ]
    as_nobody "$INGEST" --db "$root_db" -q add "$data/ct.json"
    check "... and the owner writes it again" [ "$(entries "$root_db")" = 1 ]

    # The responder's log line, as a web server's user that may not read.
    mkdir -m 0700 "$test_dir/closed"
    init_log "$test_dir/closed/feed.db"
    set +e
    as_nobody env -i PATH="$PATH" DCMFEED_DB="$test_dir/closed/feed.db" PATH_INFO=/v1/changefeed \
        "$FCGI" >"$test_dir/answer" 2>"$test_dir/stderr"
    set -e
    check "responder in a folder it may not enter: its line says whose permission on what" \
        grep -qF "changefeed.fcgi: permission denied: user nobody (uid 65534) cannot enter folder $test_dir/closed (owner root:root, mode 0700)" "$test_dir/stderr"
    run --db "$test_dir/closed/feed.db" status
    check "... (root may)" [ "$status" = 0 ]
    chmod 0755 "$test_dir/closed"
    chmod 0600 "$test_dir/closed/feed.db"
    set +e
    as_nobody env -i PATH="$PATH" DCMFEED_DB="$test_dir/closed/feed.db" PATH_INFO=/v1/changefeed \
        "$FCGI" >"$test_dir/answer" 2>"$test_dir/stderr"
    set -e
    check "responder that may not read the log: its line says so" \
        grep -qF "permission denied: user nobody (uid 65534) cannot read $test_dir/closed/feed.db (owner root:root, mode 0600)" "$test_dir/stderr"
    chmod 0644 "$test_dir/closed/feed.db" "$test_dir/closed/feed.db-wal"
    rm "$test_dir/closed/feed.db-shm"
    set +e
    as_nobody env -i PATH="$PATH" DCMFEED_DB="$test_dir/closed/feed.db" PATH_INFO=/v1/changefeed \
        "$FCGI" >"$test_dir/answer" 2>"$test_dir/stderr"
    set -e
    check "responder without the -shm it may not make: says which file and what to run" \
        grep -qF "missing file: $test_dir/closed/feed.db-shm is missing and user nobody (uid 65534) may not make it: run dcmfeed-ingest init as the log's owner" "$test_dir/stderr"
    init_log "$test_dir/closed/feed.db"
    check "... init makes it again" [ -f "$test_dir/closed/feed.db-shm" ]
else
    init_log "$db"
    "$INGEST" --db "$db" -q add "$test_dir"/sample/*.json
    skip "permissions as another user" "needs root and setpriv"
fi

# --- the responder's log line for each problem --------------------------------------------
check "responder, missing log: 'no log at PATH'" \
    responder_says "$test_dir/log/nope.db" "changefeed.fcgi: no log at $test_dir/log/nope.db; create it with dcmfeed-ingest init"
check "responder, missing folder: names it" \
    responder_says "$test_dir/gone/feed.db" "changefeed.fcgi: missing folder: $test_dir/gone does not exist"
check "responder, a folder as the log: wrong type" \
    responder_says "$test_dir/log" "changefeed.fcgi: wrong type: $test_dir/log is a folder, not a file"
check "responder, not a SQLite file: wrong type" \
    responder_says "$data/ct.json" "wrong type: $data/ct.json is not a dcmfeed log (not a SQLite database)"
check "... the client sees none of it" absent ServiceUnavailable 'no log|wrong type|json' "$test_dir/body"

# --- busy ------------------------------------------------------------------------------------
# A writer that waits 30 s behind another says so (not "cannot lock the log
# to set up its schema").
busy_db="$test_dir/busy.db"
init_log "$busy_db"
mkfifo "$test_dir/lock"
"$SQLITE3" "$busy_db" <"$test_dir/lock" >/dev/null 2>&1 &
holder=$!
cleanup_pids="$cleanup_pids $holder"
exec 7>"$test_dir/lock"
echo 'BEGIN IMMEDIATE; SELECT 1;' >&7
until_true 5 bash -c "! '$SQLITE3' '$busy_db' 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null" || true
run --db "$busy_db" add "$data/ct.json"
check "a writer behind another for 30 s: exit 3" [ "$status" = 3 ]
check "... 'the log is busy: another writer holds it'" \
    err_has "dcmfeed-ingest: the log is busy: another writer holds it (waited 30 s)"
exec 7>&-
wait "$holder" || true

# --- status -------------------------------------------------------------------------------------
run --db "$db" status
check "status: exit 0" [ "$status" = 0 ]
check "... the entries" out_has "entries    20 (20 instances)"
check "... the newest Sequence and Timestamp" grep -qE '^newest     Sequence 20, [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z \([0-9]+ s ago\)$' "$test_dir/out"
check "... the size" grep -qE '^size       [0-9]+ bytes \([0-9]+ per entry\)$' "$test_dir/out"
check "... the integrity check" out_has "integrity  ok"
run --db "$db" status --max-age 3600
check "status --max-age 3600 on a fresh log: exit 0 (OK)" [ "$status" = 0 ]
check "... one Nagios line with perfdata" \
    grep -qE '^DCMFEED OK - 20 entries, the newest [0-9]+ s old \(Sequence 20, .*Z\) \| entries=20c;;;0 age=[0-9]+s;3600;;0 size=[0-9]+B;;;0$' "$test_dir/out"
check "... and only that line" [ "$(wc -l <"$test_dir/out")" = 1 ]
sleep 1.1
run --db "$db" status --max-age 1
check "status --max-age 1 on an entry older than that: exit 1 (WARNING)" [ "$status" = 1 ]
check "... says WARNING" grep -q '^DCMFEED WARNING - 20 entries' "$test_dir/out"
run --db "$db" status --max-age 1,1
check "status --max-age 1,1: exit 2 (CRITICAL)" [ "$status" = 2 ]
run --db "$test_dir/log/nope.db" status --max-age 60
check "status --max-age on a missing log: exit 2 (CRITICAL), says why" \
    [ "$status" = 2 ] && check "... (the line)" grep -q "^DCMFEED CRITICAL - no log at $test_dir/log/nope.db" "$test_dir/out"
empty_db="$test_dir/empty.db"
init_log "$empty_db"
run --db "$empty_db" status --max-age 60
check "status --max-age on an empty log: exit 1 (WARNING)" [ "$status" = 1 ]
check "... 'the log is empty', age unknown" grep -q '^DCMFEED WARNING - the log is empty | entries=0c;;;0 age=U;60;;0' "$test_dir/out"
for bad in "--max-age" "--max-age 0" "--max-age x" "--max-age 10,5" "--bogus"; do
    # shellcheck disable=SC2086
    run --db "$db" status $bad
    check "status $bad: usage error, exit 2" [ "$status" = 2 ] && check "... (says so)" err_has "Try 'dcmfeed-ingest --help'"
done

# A damaged log: a page overwritten in the middle of the file.
"$INGEST" --db "$empty_db" -q add "$test_dir"/sample/*.json
cp "$empty_db" "$test_dir/damaged.db"
"$SQLITE3" "$test_dir/damaged.db" 'PRAGMA journal_mode = DELETE' >/dev/null
size=$(stat -c %s "$test_dir/damaged.db")
printf 'garbage%.0s' $(seq 1 600) | dd of="$test_dir/damaged.db" bs=1 seek=$((size - 4096 + 100)) conv=notrunc status=none
run --db "$test_dir/damaged.db" status
check "status on a damaged log: exit 3" [ "$status" = 3 ]
check "... says it is corrupt" err_has "corrupt: "
run --db "$test_dir/damaged.db" status --max-age 60
check "... CRITICAL under --max-age" [ "$status" = 2 ] && check "... (corrupt)" grep -q '^DCMFEED CRITICAL - corrupt: ' "$test_dir/out"

# --- backup under a writer, restore ----------------------------------------------------------------
src="$test_dir/live.db"
init_log "$src"
make_sample "$test_dir/more" 300 2
# A writer appends one instance per call while the backup is taken.
(for f in "$test_dir"/more/*.json; do "$INGEST" --db "$src" -q add "$f" || exit 1; done) &
writer=$!
cleanup_pids="$cleanup_pids $writer"
until_true 30 bash -c "[ \"\$('$SQLITE3' '$src' 'SELECT count(*) FROM entries')\" -ge 50 ]"
run --db "$src" backup "$test_dir/b1.db"
check "backup under a writer: exit 0" [ "$status" = 0 ]
check "... says what it copied" grep -qE "^backup [0-9]+ entries \(Sequence 1 to [0-9]+\) to $test_dir/b1.db, [0-9]+ bytes, identity [0-9a-f]{32}$" "$test_dir/out"
wait "$writer"
n=$(entries "$test_dir/b1.db")
check "... a copy of one moment: Sequences 1 to $n without a gap, while the writer went on to 300" \
    [ "$n" -ge 50 -a "$n" -lt 300 -a "$("$SQLITE3" "$test_dir/b1.db" 'SELECT max(seq) FROM entries')" = "$n" ]
check "... passes its integrity check" [ "$("$SQLITE3" "$test_dir/b1.db" 'PRAGMA integrity_check')" = ok ]
check "... one file, mode 0640" [ ! -e "$test_dir/b1.db-wal" -a "$(stat -c %a "$test_dir/b1.db")" = 640 ]
check "... every instance it lists has its metadata" \
    [ "$("$SQLITE3" "$test_dir/b1.db" 'SELECT count(*) FROM instances WHERE metadata IS NULL')" = 0 ]
run --db "$src" backup "$test_dir/b1.db"
check "backup over a file: exit 1, the file kept" [ "$status" = 1 ] && check "... (says so)" err_has "exists: a backup never overwrites a file"
run --db "$src" backup "$test_dir/no/such/b.db"
check "backup into a missing folder: exit 3, names it" [ "$status" = 3 ] && check "... (missing folder)" err_has "$test_dir/no"
run --db "$src" backup
check "backup without DEST: exit 2" [ "$status" = 2 ]

old_id=$("$SQLITE3" "$src" 'SELECT id FROM feed')
run --db "$src" restore "$test_dir/b1.db"
check "restore: exit 0" [ "$status" = 0 ]
check "... says what the log holds now and held before" \
    out_has "restore $n entries (Sequence 1 to $n) from $test_dir/b1.db; the log held Sequence 1 to 300; new identity"
check "... warns that the entries after the backup are gone" \
    err_has "the $((300 - n)) entries after Sequence $n are gone: consumers that read past it must go back to Sequence $n"
check "... the log holds the backup's entries" [ "$(entries "$src")" = "$n" ]
check "... under a new identity" [ "$("$SQLITE3" "$src" 'SELECT id FROM feed')" != "$old_id" ]
check "... and passes its integrity check" [ "$("$SQLITE3" "$src" 'PRAGMA integrity_check')" = ok ]
"$INGEST" --db "$src" -q add "$data/ct.json"
check "the next ingest follows the backup's newest Sequence" [ "$("$SQLITE3" "$src" 'SELECT max(seq) FROM entries')" = $((n + 1)) ]
run --db "$src" restore "$src"
check "restore of the log onto itself: exit 1" [ "$status" = 1 ] && check "... (says so)" err_has "the backup is the log itself"
run --db "$src" restore "$data/ct.json"
check "restore of a file that is no log: exit 1" [ "$status" = 1 ] && check "... (wrong type)" err_has "wrong type: "
check "... the log untouched" [ "$(entries "$src")" = $((n + 1)) ]
run --db "$src" restore "$test_dir/no-backup.db"
check "restore of a missing backup: exit 1, names it" [ "$status" = 1 ] && check "... (no log)" err_has "no log at $test_dir/no-backup.db"

finish
