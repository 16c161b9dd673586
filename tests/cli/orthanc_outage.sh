#!/bin/bash
# The Orthanc plugin when the log is not there for a while, in a real
# Orthanc: stores are answered at once and nothing is lost, each change goes
# into the log once, in order, when it can.
# - another process holds the SQLite log's write lock: Orthanc stores and
#   deletes meanwhile, the changes wait in the spool and all arrive after;
# - Orthanc killed (-9) while changes wait: its next start applies them;
# - the spool itself cannot be written (a full disk, made by a preloaded
#   shim): the change in hand waits in memory and Orthanc refuses new
#   instances (an error the sender sees) until the spool can be written;
# - a PostgreSQL log whose server stops and comes back.
#   INGEST=… FCGI=… ORTHANC_PLUGIN=… FAIL_SPOOL=tests/lib/fail_spool.so tests/cli/orthanc_outage.sh
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/orthanc_lib.sh"
unset DCMFEED_DB

mkdir -p "$test_dir/log"
db="$test_dir/log/feed.db"
conf="$test_dir/orthanc.json"
expected="$test_dir/expected"
: >"$expected"

# post_all DIR NAME N: POSTs the instances make_instances made; each answer's
# Status into $test_dir/statuses; their creates expected.
post_all() {
    local i
    : >"$test_dir/statuses"
    for i in $(seq 1 "$3"); do
        api POST /instances --data-binary @"$1/$2-$i.dcm" | jq -r .Status >>"$test_dir/statuses"
    done
    sop_list "$1" "$2" "$3" | sed 's/^/create /' >>"$expected"
}
all_success() { [ "$(sort -u "$test_dir/statuses")" = Success ]; }
# post_one DIR NAME I: POSTs instance I of set NAME alone; its Status in
# $test_dir/statuses, its create expected.
post_one() {
    api POST /instances --data-binary @"$1/$2-$3.dcm" | jq -r .Status >"$test_dir/statuses"
    echo "create 1.2.826.0.1.3680043.10.543.88.$2.1.$3" >>"$expected"
}
spool="$test_dir/orthanc/index/dcmfeed.spool"
# spool_mentions ID: how many records of the spool name the Orthanc ID (its
# store's record stays until the spool is compacted, at 8 MiB).
spool_mentions() { grep -a -o -F "$1" "$spool" 2>/dev/null | wc -l; }
# delete_one NAME I: DELETE of instance I of set NAME ($deleted_id its
# Orthanc ID, named $mentions times in the spool before); its delete expected.
delete_one() {
    local sop="1.2.826.0.1.3680043.10.543.88.$1.1.$2"
    deleted_id=$(api POST /tools/lookup -d "$sop" | jq -r '.[] | select(.Type == "Instance") | .ID')
    mentions=$(spool_mentions "$deleted_id")
    api DELETE "/instances/$deleted_id" >/dev/null
    echo "delete $sop" >>"$expected"
}
history_is_expected() {
    feed_lines "$1" >"$test_dir/feed.txt"
    cmp -s <(awk '{ print $2, $3 }' "$test_dir/feed.txt") "$expected" ||
        { diff <(awk '{ print $2, $3 }' "$test_dir/feed.txt") "$expected" | head -n 10 | sed 's/^/# /'; return 1; }
}

# hold_lock SECONDS: another writer takes the log's write lock for SECONDS
# ($holder its PID); returns once it holds it.
hold_lock() {
    rm -f "$test_dir/locked"
    /usr/bin/python3 - "$db" "$test_dir/locked" "$1" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
c.execute("COMMIT")
PY
    holder=$!
    cleanup_pids="$cleanup_pids $holder"
    until_true 10 test -e "$test_dir/locked"
}

# --- a busy log -----------------------------------------------------------------------------
init_log "$db"
orthanc_config "$conf" "{ \"Db\": \"$db\" }"
orthanc_start "$conf" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
make_instances "$test_dir/a" 2 1
post_all "$test_dir/a" 1 2
check "two instances stored: two creates" wait_entries "$db" 2

make_instances "$test_dir/b" 10 2
hold_lock 4
post_all "$test_dir/b" 2 10
delete_one 1 1
check "while another writer holds the log's lock: every store is answered, Success" all_success
check "... without waiting for the log (it still holds 2 entries)" [ "$(entries "$db")" = 2 ]
wait "$holder" || true
check "once the lock is let go, every change is in the feed" wait_entries "$db" 13 40
sleep 0.3
check "... exactly once, in the order of the archive" history_is_expected "$db"

# --- killed while changes wait -------------------------------------------------------------------
make_instances "$test_dir/c" 5 3
hold_lock 60
post_all "$test_dir/c" 3 5
delete_one 2 5
check "stores answered while the log is locked" all_success
# Orthanc answers a DELETE before it tells plugins (a queue in memory, which
# a kill -9 loses: dcmfeed-orthanc(7), NOTES); the kill waits for the delete
# to be in the spool, where the plugin's promise begins.
delete_spooled() { [ "$(spool_mentions "$deleted_id")" -gt "$mentions" ]; }
check "... the delete is in the spool (a record more names its Orthanc ID)" until_true 20 delete_spooled
orthanc_stop KILL
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
check "Orthanc killed (-9) with changes in the spool: none in the log yet" [ "$(entries "$db")" = 13 ]
orthanc_start "$conf" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
check "the next start says what waits" grep -q 'DcmFeed: writing the change feed to .*, [1-9][0-9]* changes waiting)' "$orthanc_log"
check "... and applies it" wait_entries "$db" 19
sleep 0.3
check "... once each, in order" history_is_expected "$db"
orthanc_stop

# --- deleted while the plugin did not hear of it ----------------------------------------------------
# Orthanc run once without the plugin deletes an instance the feed holds (as
# a delete in the instant before a crash or a stop, which Orthanc's queue
# drops): the next start with the plugin finds it gone from Orthanc, and the
# feed gets its delete.
sed 's#"Plugins": \[.*\]#"Plugins": []#' "$conf" >"$test_dir/no-plugin.json"
orthanc_start "$test_dir/no-plugin.json" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
delete_one 3 1
orthanc_stop
check "an instance deleted while the plugin was not loaded: not in the feed yet" [ "$(entries "$db")" = 19 ]
sed 's#"DcmFeed": {#"DcmFeed": { "CheckDeletesAtStart": false,#' "$conf" >"$test_dir/no-check.json"
orthanc_start "$test_dir/no-check.json" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
api POST /tools/lookup -d 1.2.3 >/dev/null # the REST API is up: a check would have begun
sleep 2
check "... nor after a start with CheckDeletesAtStart false" [ "$(entries "$db")" = 19 ] &&
    check "... (no line of the check)" bash -c "! grep -q 'check of deletes\|no longer in Orthanc' '$orthanc_log'"
orthanc_stop
orthanc_start "$conf" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
check "the next start with the plugin finds it gone: its delete is in the feed" wait_entries "$db" 20
check "... Orthanc's log says so" until_true 10 \
    grep -q 'DcmFeed: 1 of the [0-9]* instances the feed holds from Orthanc are no longer in Orthanc' "$orthanc_log"
sleep 0.3
check "... once, in order" history_is_expected "$db"
orthanc_stop
# An Orthanc that did not write this feed (another index folder): empty, or
# holding one of its instances, it is taken for a mistake, nothing deleted.
deletes() { feed_lines "$db" | awk '$2 == "delete"' | wc -l; }
deletes_before=$(deletes)
sed "s#$test_dir/orthanc/#$test_dir/other-orthanc/#g" "$conf" >"$test_dir/other.json"
mkdir -p "$test_dir/other-orthanc/storage" "$test_dir/other-orthanc/index"
orthanc_start "$test_dir/other.json" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
check "an empty Orthanc on this feed: the check deletes nothing, and says why" until_true 10 \
    grep -q 'DcmFeed: Orthanc holds no instance, the feed [0-9]* from it: the check of deletes at start deletes nothing' "$orthanc_log"
check "... (20 entries)" [ "$(entries "$db")" = 20 ]
api POST /instances --data-binary @"$test_dir/c/3-2.dcm" >/dev/null
orthanc_stop
orthanc_start "$test_dir/other.json" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
check "an Orthanc holding 1 of the feed's instances: the check deletes nothing, and says why" until_true 20 \
    grep -q 'DcmFeed: the check of deletes at start found more than 10 of the [0-9]* instances the feed holds from Orthanc missing in Orthanc' "$orthanc_log"
check "... (no delete appended)" [ "$(deletes)" = "$deletes_before" ]
orthanc_stop

# --- the spool cannot be written: Orthanc refuses new instances -----------------------------------
if [ -n "${FAIL_SPOOL:-}" ] && [ -f "$FAIL_SPOOL" ]; then
    full="$test_dir/disk-full"
    orthanc_start "$conf" env LD_PRELOAD="$FAIL_SPOOL" DCMFEED_FAIL_SPOOL="$full" ||
        { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
    make_instances "$test_dir/d" 5 4
    post_one "$test_dir/d" 4 1
    wait_entries "$db" 21
    touch "$full"
    post_one "$test_dir/d" 4 2
    check "the spool full: the store in hand is answered (Orthanc has stored it)" all_success
    check "... and its change waits in memory, said in Orthanc's log" \
        grep -q 'DcmFeed: .*dcmfeed.spool: cannot write to the spool: No space left on device: the change to instance .* waits in memory' "$orthanc_log"
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$test_dir/d/4-3.dcm" "$orthanc_url/instances")
    check "the next POST /instances is refused with an error ($code)" [ "$code" -ge 400 ]
    rc=0
    storescu -aec ORTHANC 127.0.0.1 "$dicom_port" "$test_dir/d/4-4.dcm" >"$test_dir/storescu.err" 2>&1 || rc=$?
    check "... and a C-STORE too (storescu exits $rc: $(grep -m 1 -o 'Store Failed.*\|Status.*' "$test_dir/storescu.err" | head -c 80))" \
        bash -c "[ $rc != 0 ] || grep -q 'Store Failed' '$test_dir/storescu.err'"
    check "... neither is in Orthanc" bash -c "[ \"\$(curl -s -X POST -d '$(sop_list x 4 3 | tail -n 1)' '$orthanc_url/tools/lookup')\" = '[]' ] &&
        [ \"\$(curl -s -X POST -d '$(sop_list x 4 4 | tail -n 1)' '$orthanc_url/tools/lookup')\" = '[]' ]"
    check "... Orthanc's log says why" grep -q 'DcmFeed: an instance is refused: .*dcmfeed.spool: cannot write to the spool' "$orthanc_log"
    rm -f "$full"
    post_one "$test_dir/d" 4 5
    check "the spool writable again: the next store is taken" all_success
    check "... and the change that waited is in the feed before it" wait_entries "$db" 23
    sleep 0.3
    check "... once each, in order" history_is_expected "$db"
    orthanc_stop
else
    skip "a spool that cannot be written" "tests/lib/fail_spool.so is not built (FAIL_SPOOL)"
fi

# --- a PostgreSQL log whose server stops and comes back ------------------------------------------
. "$top_srcdir/tests/lib/pg_lib.sh"
if ! pg_find || { [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; }; then
    skip "a PostgreSQL log" "PostgreSQL is not installed (apt-get install postgresql)"
elif "$INGEST" --db 'host=/nonexistent dbname=x' delete 1.2.3 2>&1 | grep -q 'no PostgreSQL support'; then
    skip "a PostgreSQL log" "this build has no PostgreSQL support (libpq-dev)"
else
    cleanup_hooks="$cleanup_hooks pg_stop"
    pg_start dcmfeed_orthanc
    init_log "$PG_CONNINFO"
    pg_holds() { [ "$(pg_sql 'SELECT count(*) FROM entries' 2>/dev/null || echo 0)" = "$1" ]; }
    : >"$expected"
    # A new spool for the new log (the other one's position is in the SQLite log).
    orthanc_config "$conf" "{ \"Db\": \"$PG_CONNINFO\", \"Spool\": \"$test_dir/pg.spool\" }"
    orthanc_start "$conf" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
    make_instances "$test_dir/e" 8 5
    post_all "$test_dir/e" 5 2
    check "PostgreSQL log: two creates" until_true 20 pg_holds 2
    pg_halt
    : >"$test_dir/all-statuses"
    for i in 3 4 5 6; do
        post_one "$test_dir/e" 5 "$i"
        cat "$test_dir/statuses" >>"$test_dir/all-statuses"
    done
    mv "$test_dir/all-statuses" "$test_dir/statuses"
    delete_one 5 1
    check "the server stopped: every store answered, Success" all_success
    check "... Orthanc's log says the changes wait" \
        until_true 20 grep -q 'DcmFeed: the log cannot be written now (.*); the changes wait in the spool' "$orthanc_log"
    sleep 1
    pg_resume
    check "the server back: every change is in the feed" until_true 30 pg_holds 7
    check "... the plugin says so" until_true 10 grep -q 'DcmFeed: the log is writable again after' "$orthanc_log"
    check "... once each, in order" history_is_expected "$PG_CONNINFO"
    orthanc_stop
fi
finish
