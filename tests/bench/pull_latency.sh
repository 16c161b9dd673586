#!/bin/bash
# How soon a follow-mode dcmfeed-pull sees a newly ingested instance: with the
# server's wait=N (the request is held until a commit) and without it (plain
# polling every --interval). Prints the figures; asserts nothing.
#   PULL=… INGEST=… FCGI=… LIGHTTPD=… top_srcdir=… bash tests/bench/pull_latency.sh [ROUNDS] [INTERVAL]
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
[ -n "${EPOCHREALTIME:-}" ] || skip_all "needs bash 5 (EPOCHREALTIME)"

rounds=${1:-10}
interval=${2:-1}
db="$test_dir/feed.db"
start_pull_server
ingest_sample "$db" 5 1

# Does the server hold an empty page? (A server without wait answers at once.)
t0=$EPOCHREALTIME
"$CURL" -s -o /dev/null -u "$pull_user" "$base/changefeed?offset=1000000&wait=1"
held=$(echo "$EPOCHREALTIME - $t0" | bc)
echo "# an empty page with wait=1 took ${held} s"

for i in $(seq 1 $((rounds * 2))); do
    make_sample "$test_dir/one-$i" 1 "$((i + 1))" # one instance per round, a study each
done

study=1
measure() {
    local label=$1 wait=$2
    local seen="$test_dir/seen-$wait" lat="$test_dir/latency-$wait"
    : >"$seen"
    : >"$lat"
    # Each line the consumer prints is stamped as it arrives (through a FIFO,
    # so that both processes have a PID to stop).
    local fifo="$test_dir/fifo-$wait"
    mkfifo "$fifo"
    (while IFS= read -r _; do echo "$EPOCHREALTIME" >>"$seen"; done <"$fifo") &
    local reader=$!
    "$PULL" -q --user "$pull_user" --follow --from-latest --no-metadata --interval "$interval" \
        --wait "$wait" "$base" >"$fifo" &
    local consumer=$!
    cleanup_pids="$cleanup_pids $consumer $reader"
    sleep 0.5
    for r in $(seq 1 "$rounds"); do
        study=$((study + 1))
        # A random moment within the consumer's poll cycle.
        sleep "$(printf '0.%03d' $((RANDOM % 1000)))"
        local before=$EPOCHREALTIME
        "$INGEST" --db "$db" -q add "$test_dir/one-$((study - 1))"/*.json
        local after=$EPOCHREALTIME
        for _ in $(seq 1 400); do
            [ "$(wc -l <"$seen")" -ge "$r" ] && break
            sleep 0.01
        done
        local got
        got=$(sed -n "${r}p" "$seen")
        if [ -z "$got" ]; then
            echo "$label: round $r not seen within 4 s"
            continue
        fi
        echo "$got - $before" | bc >>"$lat"
        echo "# $label round $r: ingest took $(echo "$after - $before" | bc) s"
    done
    kill -TERM "$consumer" 2>/dev/null || true
    wait "$consumer" 2>/dev/null || true
    wait "$reader" 2>/dev/null || true
    sort -n "$lat" | awk -v label="$label" '
        { v[NR] = $1; sum += $1 }
        END {
            if (NR == 0) { print label ": no samples"; exit }
            printf "%-34s n=%d  min %.3f s  median %.3f s  mean %.3f s  max %.3f s\n",
                label, NR, v[1], v[int((NR + 1) / 2)], sum / NR, v[NR]
        }'
}

echo "# latency from the start of dcmfeed-ingest to the line on the consumer's stdout"
measure "with wait=20 (server holds)" 20
measure "without wait, --interval $interval" 0
