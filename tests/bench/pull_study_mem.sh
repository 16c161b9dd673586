#!/bin/bash
# Memory of dcmfeed-pull --per-study holding 10,000 pending studies of 500
# entries each (5,000,000 entries, the studies as interleaved as a feed can
# be: one instance of each in turn), the promise being under 64 MB. Two
# figures: pull_studies.h alone (the bytes it counts and the RSS it adds,
# no HTTP), and the whole program reading the feed through lighttpd, its
# resident set once every entry is read, beside the same program reading the
# same feed without --per-study (its buffers, libcurl, TLS: the floor).
# Prints the figures; asserts nothing.
#   top_srcdir=… PULL=… FCGI=… LIGHTTPD=… INGEST=… bash tests/bench/pull_study_mem.sh
# BENCH_STUDIES (10000) and BENCH_STUDY_ENTRIES (500) scale it; the log takes
# about 1 GB in TMPDIR, and the reading a few minutes.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
builddir=${BUILDDIR:-$(cd "$(dirname "$PULL")/.." && pwd)}
. "$top_srcdir/tests/bench/bench_program.sh"
STUDIES_LOG=$(bench_program studies_log)
[ -x /usr/bin/time ] || skip_all "GNU time is not installed (apt-get install time)"

studies=${BENCH_STUDIES:-10000}
per=${BENCH_STUDY_ENTRIES:-500}
total=$((studies * per))
echo "# dcmfeed-pull --per-study, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores;" \
    "$studies studies of $per entries, interleaved; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r _ pending counted grown took < <("$STUDIES_LOG" mem "$studies" "$per")
echo "pull_studies.h alone: $pending pending studies, $counted MB counted, RSS grown by $grown MB" \
    "($took s to take $total entries)"

db="$test_dir/feed.db"
t0=$(date +%s)
"$STUDIES_LOG" make "$db" "$studies" "$per" 2>/dev/null
echo "# the log: $total entries in $(($(date +%s) - t0)) s, $(du -m "$db" | cut -f1) MB"
start_pull_server
base2="${base%/v1}/v2"

# The floor: the same reading, no grouping (GNU time's maximum RSS).
t0=$(date +%s)
/usr/bin/time -f '%M' -o "$test_dir/floor" "$PULL" -q --user "$pull_user" --no-metadata \
    --limit 200 "$base2" >/dev/null
echo "without --per-study: maximum RSS $(($(cat "$test_dir/floor") / 1024)) MB" \
    "(read in $(($(date +%s) - t0)) s)"

# --per-study: read to the end (the request after the last entry), then the
# resident set while it waits for the studies to be stable, then a stop.
t0=$(date +%s)
"$PULL" -v --user "$pull_user" --per-study --stable-age 86400 --no-metadata --limit 200 \
    "$base2" >/dev/null 2>"$test_dir/pull.log" &
pid=$!
cleanup_pids="$cleanup_pids $pid"
until grep -q "offset=$total&" "$test_dir/pull.log"; do
    kill -0 "$pid" 2>/dev/null || { echo "dcmfeed-pull stopped: $(tail -n 1 "$test_dir/pull.log")"; exit 1; }
    sleep 1
done
sleep 1
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
echo "with --per-study, every entry read ($(($(date +%s) - t0)) s): RSS $((rss / 1024)) MB," \
    "maximum $((hwm / 1024)) MB"
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
