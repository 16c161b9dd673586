#!/bin/bash
# Power loss, the way SQLite tests itself. crash.sh kills dcmfeed-ingest and
# keeps the page cache; here the power goes: with tests/lib/powerloss_vfs.so
# preloaded, at a random write, truncation or sync of the log every change no
# sync made durable is undone (in half the rounds a random subset of them,
# writes torn by sector, and the -shm made garbage) and the process ends.
# Then, without the shim, the log passes integrity_check, every entry ingest
# reported (its stdout) is in it, every batch is whole or absent and its
# Sequences consecutive, Sequences have no gap, and the responder (CGI)
# answers the last page. Checkpoints come every few batches in a third of the
# rounds. POWERLOSS_ROUNDS (default 300) sets how many rounds.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (apt-get install sqlite3)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
shim=${POWERLOSS_VFS:-}
[ -n "$shim" ] && [ -f "$shim" ] || skip_all "tests/lib/powerloss_vfs.so is not built (POWERLOSS_VFS=$shim)"

rounds=${POWERLOSS_ROUNDS:-300}
per_batch=10
batches=3
# The shim's _exit status for a power loss (powerloss_vfs.c).
powerloss_exit=86
# The shim comes before ASan's runtime in the list of libraries: it wraps
# no function of ASan's, so the order does not matter here.
asan_options="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

db="$test_dir/feed.db"
work="$test_dir/round"
mkdir -p "$work" "$test_dir/seed"
# One file per batch (--batch $per_batch, a file's datasets are never split):
# a batch is the entries of one study.
make_sample "$test_dir/sample" "$per_batch" 999
jq -s . "$test_dir"/sample/*.json >"$test_dir/batch.json"
batch_file() { sed "s/\.543\.999/.543.$1/g" "$test_dir/batch.json" >"$2"; }
batch_file 1000 "$test_dir/seed/b.json"
init_log "$test_dir/seed/feed.db"
"$INGEST" --db "$test_dir/seed/feed.db" -q add "$test_dir/seed/b.json"
sql() { sqlite3 -readonly "$db" "$@"; }
fresh_log() {
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$test_dir/seed/feed.db" "$test_dir/seed/feed.db-wal" "$test_dir/seed/feed.db-shm" "$test_dir/"
    : >"$test_dir/reported"
}

# ingest_with_shim AT SYNC MODE SHM CHECKPOINT SEED FILE...: sets $rc.
ingest_with_shim() {
    local at=$1 sync=$2 mode=$3 shm=$4 checkpoint=$5 seed=$6
    shift 6
    rc=0
    : >"$work/report"
    env LD_PRELOAD="$shim" ASAN_OPTIONS="$asan_options" DCMFEED_POWERLOSS_AT="$at" DCMFEED_POWERLOSS_SYNC="$sync" \
        DCMFEED_POWERLOSS_MODE="$mode" DCMFEED_POWERLOSS_SHM="$shm" \
        DCMFEED_POWERLOSS_CHECKPOINT="$checkpoint" DCMFEED_POWERLOSS_SEED="$seed" \
        DCMFEED_POWERLOSS_REPORT="$work/report" \
        "$INGEST" --db "$db" --batch "$per_batch" add "$@" >"$work/out" 2>"$work/err" || rc=$?
}

# How many events (and syncs) a round has, per checkpoint interval (0:
# SQLite's 1000 pages, that is at the close only), so that the power goes
# anywhere in it and a few rounds end before it goes.
checkpoints=(0 8 40)
declare -A span sync_span
for ck in "${checkpoints[@]}"; do
    fresh_log
    for b in $(seq 1 "$batches"); do batch_file $((1000 + b)) "$work/b$b.json"; done
    ingest_with_shim 0 0 all keep "$ck" 0 "$work"/b*.json
    read -r events syncs <<<"$(sed -n 's/^no power loss: \([0-9]*\) events, \([0-9]*\) syncs$/\1 \2/p' "$work/report")"
    [ "$rc" = 0 ] && [ -n "$syncs" ] || {
        cat "$work/err" "$work/report"
        echo "ingest with the shim failed without a power loss"
        exit 1
    }
    span[$ck]=$((events * 11 / 10 + 1))
    sync_span[$ck]=$((syncs + 1))
    echo "# a round of $batches batches of $per_batch, wal_autocheckpoint=$ck: $events events, $syncs syncs"
done

# check_round ROUND: the log after the round, without the shim. Prints what
# is wrong, returns 1 if anything is.
check_round() {
    local r=$1 bad=0 integrity count max
    # Half the rounds let the responder, a read-only reader, be the first to
    # open the log after the power loss (it rebuilds the wal-index then).
    if [ $((r / 2 % 2)) = 0 ]; then answers_last_page || bad=1; fi
    integrity=$(sql 'PRAGMA integrity_check' 2>&1)
    [ "$integrity" = ok ] || { echo "# integrity_check: $integrity"; return 1; }
    read -r count max <<<"$(sql 'SELECT count(*), coalesce(max(seq), 0) FROM entries' -separator ' ')"
    [ "$count" = "$max" ] || { echo "# $count entries, the last Sequence $max: a gap"; bad=1; }
    sql -separator ' ' "SELECT i.study_uid, count(*), min(e.seq), max(e.seq) FROM entries e
        JOIN instances i ON i.id = e.instance_id GROUP BY i.study_uid
        HAVING count(*) != $per_batch OR max(e.seq) - min(e.seq) + 1 != $per_batch" >"$work/torn"
    [ ! -s "$work/torn" ] || { sed 's/^/# a batch not whole (study, entries, first, last): /' "$work/torn"; bad=1; }
    sql "SELECT 'create ' || e.seq || ' ' || i.sop_uid || ' (new)' FROM entries e
        JOIN instances i ON i.id = e.instance_id" | sort >"$work/in_log"
    sort "$test_dir/reported" | comm -23 - "$work/in_log" >"$work/lost"
    [ ! -s "$work/lost" ] || { sed 's/^/# reported but not in the log: /' "$work/lost" | head -n 5; bad=1; }
    if [ $((r / 2 % 2)) = 1 ]; then answers_last_page || bad=1; fi
    return "$bad"
}

# answers_last_page: the responder answers the page with the newest entries.
answers_last_page() {
    local n
    n=$(sql 'SELECT coalesce(max(seq), 0) FROM entries')
    if ! cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed \
        QUERY_STRING="offset=$((n - 2))&limit=10&includemetadata=false"; then
        echo "# the responder exited with $cgi_rc"
        return 1
    fi
    [ "$status" = 200 ] && jq -e "[.[].Sequence] == [$((n - 1)), $n]" "$test_dir/body" >/dev/null || {
        echo "# the responder answered $status: $(head -c 200 "$test_dir/body")"
        return 1
    }
}

powerlosses=0 completed=0 reported=0 round_failures=0
: >"$test_dir/reports"
for r in $(seq 1 "$rounds"); do
    # A fresh log now and then keeps a round short.
    [ $((r % 25)) != 1 ] || fresh_log
    for b in $(seq 1 "$batches"); do batch_file $((1000 + r * batches + b)) "$work/b$b.json"; done
    ck=${checkpoints[$((r % ${#checkpoints[@]}))]}
    mode=all shm=keep
    [ $((r / 4 % 2)) = 0 ] || mode=subset
    [ $((r % 2)) = 0 ] || shm=garbage
    # One round in five the power goes at a sync: syncs are few among the
    # writes, and the moment a commit becomes durable.
    sync=$((r % 5 == 0 ? 1 : 0))
    if [ "$sync" = 1 ]; then
        at=$((1 + RANDOM % ${sync_span[$ck]}))
    else
        at=$((1 + (RANDOM * 32768 + RANDOM) % ${span[$ck]}))
    fi
    ingest_with_shim "$at" "$sync" "$mode" "$shm" "$ck" "$r" "$work"/b*.json
    cat "$work/out" >>"$test_dir/reported"
    reported=$((reported + $(wc -l <"$work/out")))
    case $rc in
    0) completed=$((completed + 1)) ;;
    "$powerloss_exit") powerlosses=$((powerlosses + 1)) ;;
    *)
        not_ok "round $r: ingest exited with $rc, not a power loss: $(head -c 300 "$work/err")"
        round_failures=$((round_failures + 1))
        continue
        ;;
    esac
    sed "s/^/round $r: /" "$work/report" >>"$test_dir/reports"
    if ! check_round "$r" >"$work/why"; then
        not_ok "round $r: $(cat "$work/report") (at $([ "$sync" = 0 ] || echo "sync ")$at, $mode, -shm $shm, checkpoint $ck)"
        cat "$work/why"
        round_failures=$((round_failures + 1))
    fi
done

check "after each of $rounds rounds ($powerlosses power losses, $completed ended first): integrity_check ok, every entry reported ($reported) in the log, batches whole, no gap, the last page served" \
    [ "$round_failures" = 0 ]
# count PATTERN: how many power losses' reports match; covered PATTERN...:
# each pattern matches one at least.
count() { grep -c -- "$1" "$test_dir/reports" || true; }
covered() {
    local p
    for p in "$@"; do [ "$(count "$p")" -gt 0 ] || return 1; done
}
check "the power went while the WAL was written ($(count ': write wal;')) and at its sync ($(count ': sync wal;'))" \
    covered ': write wal;' ': sync wal;'
check "and in checkpoints: writing the log ($(count ': write db;')), at its sync ($(count ': sync db;'))" \
    covered ': write db;' ': sync db;'
check "in subset mode ($(count '; subset:')), with the -shm garbage ($(count '; -shm garbage'))" \
    covered '; subset:' '; -shm garbage'
check "unsynced changes were lost in $(count ' [1-9][0-9]* of [0-9]* unsynced') power losses" \
    covered ' [1-9][0-9]* of [0-9]* unsynced'
finish
