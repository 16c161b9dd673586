#!/bin/bash
# Crash safety: dcmfeed-ingest killed with SIGKILL at random moments while it
# appends batches. Every time the log passes SQLite's integrity check, each
# batch is wholly in the feed or wholly absent, and Sequences have no gap.
# A killed process leaves its writes in the page cache, so this tests the
# transactions, not the syncs: tests/cli/powerloss.sh drops what was not synced.
# CRASH_ROUNDS (default 100) sets how many kills.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (apt-get install sqlite3)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"

db="$test_dir/feed.db"
rounds=${CRASH_ROUNDS:-100}
per_batch=300
init_log "$db"

# How long a batch takes here, so that the kills land before, during and
# after its commit.
# One file holds a batch (an array of datasets); each round renames its study.
make_sample "$test_dir/calibrate" "$per_batch" 999
jq -s . "$test_dir"/calibrate/*.json >"$test_dir/batch.json"
t0=$(date +%s%N)
init_log "$test_dir/calibrate.db"
"$INGEST" --db "$test_dir/calibrate.db" -q add "$test_dir/batch.json"
span_us=$((($(date +%s%N) - t0) * 12 / 10000))
echo "# one batch of $per_batch takes about $((span_us * 10 / 12 / 1000)) ms; kills land within $((span_us / 1000)) ms"

in_log=0
for round in $(seq 1 "$rounds"); do
    sed "s/\.543\.999/.543.$((1000 + round))/g" "$test_dir/batch.json" >"$test_dir/round.json"
    "$INGEST" --db "$db" -q add "$test_dir/round.json" &
    pid=$!
    # Somewhere between before it opens the log and after it commits.
    delay=$(((RANDOM * 32768 + RANDOM) % span_us))
    sleep "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true

    integrity=$(sqlite3 "$db" 'PRAGMA integrity_check')
    [ "$integrity" = ok ] || { not_ok "round $round: integrity_check says $integrity"; continue; }
    study="1.2.826.0.1.3680043.10.543.$((1000 + round))"
    n=$(sqlite3 "$db" "SELECT count(*) FROM entries e JOIN instances i ON i.id = e.instance_id WHERE i.study_uid = '$study'")
    if [ "$n" != 0 ] && [ "$n" != "$per_batch" ]; then
        not_ok "round $round: $n of $per_batch entries of a batch are in the log"
        continue
    fi
    [ "$n" = 0 ] || in_log=$((in_log + 1))
done
check "every round left a sound log with whole batches ($in_log of $rounds batches committed before the kill)" [ "$failed" = 0 ]
total=$(sqlite3 "$db" 'SELECT count(*) FROM entries')
max=$(sqlite3 "$db" 'SELECT coalesce(max(seq), 0) FROM entries')
check "Sequences 1..$max have no gap ($total entries)" [ "$total" = "$max" ]
check "the committed batches are all there" [ "$total" = $((in_log * per_batch)) ]
# The log stays writable and readable after all that.
make_sample "$test_dir/last" 3 999
check "an ingest after the crashes succeeds" "$INGEST" --db "$db" -q add "$test_dir"/last/*.json
cgi DCMFEED_DB="$db" PATH_INFO=/v1/changefeed/latest QUERY_STRING=includemetadata=false
check "the responder reads the log after the crashes" [ "$status" = 200 ]
finish
