#!/bin/bash
# Push throughput of dcmfeed-pull --post: events delivered per second to a
# receiver on loopback, one event per request and in batches, beside the
# same feed read to /dev/null (the most any delivery can reach) in the same
# run. Two receivers: null_receiver.c (answers 200 once a body is read, no
# work) and the test suite's tests/lib/receiver.py (parses and checks every
# event, in Python). Prints a table; asserts nothing but that every event
# arrived.
#   top_srcdir=… PULL=… INGEST=… FCGI=… LIGHTTPD=… bash tests/bench/pull_push.sh
# BENCH_PUSH_ENTRIES (100000): the log (tests/bench/gen_log's studies and
# metadata); BENCH_PUSH_SINGLE (2000): events of the one-per-request rows,
# the last ones of the log (they cost a request and an fsync each).
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
[ -n "${EPOCHREALTIME:-}" ] || skip_all "needs bash 5 (EPOCHREALTIME)"
builddir=${BUILDDIR:-$(cd "$(dirname "$PULL")/.." && pwd)}
. "$top_srcdir/tests/bench/bench_program.sh"
GEN_LOG=$(bench_program gen_log)
NULL_RECEIVER=$(bench_program null_receiver)

entries=${BENCH_PUSH_ENTRIES:-100000}
single=${BENCH_PUSH_SINGLE:-2000}
db="$test_dir/feed.db"
"$GEN_LOG" make "$db" "$entries" 1000 >/dev/null 2>&1
start_pull_server
base2="${base%/v1}/v2"

# A receiver: null (C) or python; sets $url, stops the previous one.
receiver_pid=""
start() {
    [ -z "$receiver_pid" ] || { kill "$receiver_pid" 2>/dev/null || true; wait "$receiver_pid" 2>/dev/null || true; }
    local dir="$test_dir/recv-$1-$RANDOM"
    mkdir -p "$dir"
    if [ "$1" = null ]; then
        "$NULL_RECEIVER" "$dir" &
    else
        /usr/bin/python3 "$top_srcdir/tests/lib/receiver.py" "$dir" &
    fi
    receiver_pid=$!
    cleanup_pids="$cleanup_pids $receiver_pid"
    until_true 10 test -s "$dir/port"
    recv_dir=$dir
    url="http://127.0.0.1:$(cat "$dir/port")/events"
}
# delivered: sets $got to the events the receiver got (its acknowledged
# lines, or the count the null receiver writes when it stops).
delivered() {
    if [ -e "$recv_dir/acked" ]; then
        got=$(wc -l <"$recv_dir/acked")
    else
        kill "$receiver_pid"
        wait "$receiver_pid" 2>/dev/null || true
        receiver_pid=""
        got=$(cut -d' ' -f2 "$recv_dir/count")
    fi
}

# row LABEL EVENTS [ARGS...]: runs dcmfeed-pull with ARGS over the last
# EVENTS entries (its state file starts before them) and prints the row;
# with nostate=1 there is no state file: the whole log, nothing recorded.
row() {
    local label=$1 events=$2
    shift 2
    local st="$test_dir/state-$RANDOM"
    echo "$((entries - events))" >"$st"
    local t0=$EPOCHREALTIME
    if [ -n "${nostate:-}" ]; then
        "$PULL" -q --user "$pull_user" "$@" "${feed:-$base}" >/dev/null
    else
        "$PULL" -q --user "$pull_user" --state "$st" "$@" "${feed:-$base}" >/dev/null
    fi
    local t1=$EPOCHREALTIME
    local seconds
    seconds=$(echo "$t1 - $t0" | bc -l)
    got=$events
    if [[ " $* " == *" --post "* ]]; then delivered; fi
    local rate
    rate=$(echo "$events / $seconds" | bc -l)
    printf '%-52s %7d %8.2f %9.0f%s\n' "$label" "$events" "$seconds" "$rate" \
        "$([ "$got" = "$events" ] || echo "  (receiver got $got!)")"
    last_rate=$rate
}

echo "# dcmfeed-pull --post, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; log of $entries entries" \
    "(gen_log); lighttpd with the shipped config; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# rows with --state replace and fsync the state file after each entry written (stdout) or"
echo "# each request acknowledged (--post); 'no state' rows record nothing"
printf '%-52s %7s %8s %9s\n' "row" "events" "seconds" "events/s"
nostate=1 row "feed to /dev/null, v1 limit=100, no metadata, no state" "$entries" --no-metadata --limit 100
read_v1=$last_rate
nostate=1 feed=$base2 row "feed to /dev/null, v2 limit=200, no metadata, no state" "$entries" --no-metadata --limit 200
row "feed to /dev/null, v1, no metadata, --state" "$single" --no-metadata
start null
nostate=1 row "null receiver: one event per request, no state" "$entries" --no-metadata --post "$url"
single_nostate=$last_rate
start null
row "null receiver: one event per request, no metadata" "$single" --no-metadata --post "$url"
single_null=$last_rate
start null
row "null receiver: --batch-post 100, no metadata" "$entries" --no-metadata --batch-post 100 --post "$url"
batch100=$last_rate
start null
row "null receiver: --batch-post 1000, no metadata" "$entries" --no-metadata --batch-post 1000 --post "$url"
batch1000=$last_rate
start null
row "null receiver: --batch-post 100, with metadata" "$entries" --batch-post 100 --post "$url"
start python
nostate=1 row "receiver.py: one event per request, no state" "$entries" --no-metadata --post "$url"
start python
row "receiver.py: one event per request, no metadata" "$single" --no-metadata --post "$url"
single_py=$last_rate
start python
row "receiver.py: --batch-post 100, no metadata" "$entries" --no-metadata --batch-post 100 --post "$url"
batch_py=$last_rate
echo
printf '# batched ÷ single, null receiver: %.1f× (--batch-post 100), %.1f× (--batch-post 1000)\n' \
    "$(echo "$batch100 / $single_null" | bc -l)" "$(echo "$batch1000 / $single_null" | bc -l)"
printf '# batched ÷ single, receiver.py: %.1f×\n' "$(echo "$batch_py / $single_py" | bc -l)"
printf '# without the state file: --batch-post 1000 ÷ one event per request, null receiver: %.1f×\n' \
    "$(echo "$batch1000 / $single_nostate" | bc -l)"
printf '# --batch-post 1000 ÷ the feed read alone (v1): %.2f\n' "$(echo "$batch1000 / $read_v1" | bc -l)"
