#!/bin/bash
# The viewer's chart (viewer/chart.js): what counting the entries per hour over
# 24 hours and per day over 30 days costs, on logs of BENCH_CHART_ENTRIES
# entries (default "10000 100000") spread evenly over the last 30 days, served
# by lighttpd through the shipped config. Two ways:
#  - boundaries (the page's): one v2 request per bin start,
#    startTime=T&limit=1&includemetadata=false, whose first entry's Sequence
#    is where the bin begins (Sequences have no gaps, Timestamps never
#    decrease): 54 requests (24 hour starts, 30 day starts) whatever the log;
#  - reading: every entry of the 30 days through v2, includemetadata=false,
#    200 a page, counted by its Timestamp.
# Each is timed over one connection one request after another, and 4 at a
# time (as the page asks); requests, bytes and seconds. Asserts nothing.
#   top_srcdir=SRC FCGI=… LIGHTTPD=… [BUILDDIR=…] tests/bench/viewer_chart.sh
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/lib.sh"
: "${FCGI:?set FCGI to the changefeed.fcgi to measure}"
: "${LIGHTTPD:=$(command -v lighttpd || echo /usr/sbin/lighttpd)}"
builddir=${BUILDDIR:-$(cd "$(dirname "$FCGI")/.." && pwd)}
command -v curl >/dev/null || { echo "viewer_chart: curl is needed" >&2; exit 1; }
. "$top_srcdir/tests/bench/bench_program.sh"
gen_log=$(bench_program gen_log)

add_user bench bench
db="$test_dir/feed.db"
start_lighttpd
auth=(-u bench:bench)

# The bin starts as the page computes them: local hours and local midnights.
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000000Z; }
starts=()
hour=$(date -d "$(date +%Y-%m-%dT%H:00)" +%s)
for i in $(seq 23 -1 0); do starts+=("$(iso $((hour - i * 3600)))"); done
today=$(date +%F)
for i in $(seq 29 -1 0); do starts+=("$(iso "$(date -d "$today 00:00 $i days ago" +%s)")"); done

# fetch CONFIG PARALLEL: runs curl over the URLs of CONFIG, prints
# "requests bytes seconds".
fetch() {
    local t0 t1 par=()
    [ "$2" = 1 ] || par=(--parallel --parallel-max "$2")
    t0=$(date +%s%N)
    "$CURL_BIN" -s "${auth[@]}" "${par[@]}" -K "$1" -w '%{size_download}\n' >"$test_dir/sizes" 2>/dev/null
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) '{ n++; b += $1 } END { printf "%d %d %.3f\n", n, b, ns / 1e9 }' "$test_dir/sizes"
}
CURL_BIN=${CURL:-curl}

printf '%-10s %-24s %9s %12s %9s %9s\n' "entries" "way" "requests" "bytes" "1 at a time" "4 at a time"
for n in ${BENCH_CHART_ENTRIES:-10000 100000}; do
    rm -f "$db" "$db-wal" "$db-shm"
    now_us=$(($(date +%s) * 1000000))
    "$gen_log" make "$db" "$n" 50000 $((now_us - 30 * 86400 * 1000000 + 60000000)) $((now_us - 1000000)) >/dev/null 2>&1

    # A first request: the password check (cached for 60 s) and the
    # responders' start are not the chart's.
    "$CURL_BIN" -s "${auth[@]}" -o /dev/null "$base/v1/changefeed/latest"
    : >"$test_dir/bounds.cfg"
    for s in "${starts[@]}"; do
        echo "url = \"$base/v2/changefeed?startTime=$s&limit=1&includemetadata=false\"" >>"$test_dir/bounds.cfg"
        echo "output = /dev/null" >>"$test_dir/bounds.cfg"
    done
    read -r req bytes s1 <<<"$(fetch "$test_dir/bounds.cfg" 1)"
    read -r _ _ s4 <<<"$(fetch "$test_dir/bounds.cfg" 4)"
    printf '%-10s %-24s %9d %12d %9.3f %9.3f\n' "$n" "boundaries (the page)" "$req" "$bytes" "$s1" "$s4"

    : >"$test_dir/read.cfg"
    for offset in $(seq 0 200 "$n"); do
        echo "url = \"$base/v2/changefeed?startTime=${starts[24]}&offset=$offset&limit=200&includemetadata=false\"" >>"$test_dir/read.cfg"
        echo "output = /dev/null" >>"$test_dir/read.cfg"
    done
    read -r req bytes s1 <<<"$(fetch "$test_dir/read.cfg" 1)"
    read -r _ _ s4 <<<"$(fetch "$test_dir/read.cfg" 4)"
    printf '%-10s %-24s %9d %12d %9.3f %9.3f\n' "$n" "reading every entry" "$req" "$bytes" "$s1" "$s4"
done
echo "(lighttpd $("$LIGHTTPD" -v | sed 's/ -.*//;s/.*\///'), the shipped FastCGI config, 2 responder processes;"
echo " Basic auth with the config's 60 s password cache; load average $(cut -d' ' -f1-3 /proc/loadavg))"
