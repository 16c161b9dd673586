#!/bin/bash
# Scale: does a page cost the same at the end of a big log as at its start?
#  - builds a log of N create entries (default 10,000,000) with gen_log.c,
#    batched appends through the store API (df_store_add, 50,000 per commit),
#    metadata ≈ 700 bytes of DICOM JSON per instance with varying UIDs;
#  - SQLite's own time for one 100-entry page (df_store_page in a loop) at
#    offsets 0, 50 % and 99.9 %, with and without metadata;
#  - the same pages through lighttpd and the FastCGI responder (wrk, one
#    connection, so p50 is one request's latency, not a queue);
#  - the log's size on disk per entry, extrapolated to 2 and 4 KB metadata;
#  - a selective v2 filter (modality=XA: gen_log.c makes 1 instance in 10,000
#    an XA image): the store's time and the HTTP p50 for a page at the start
#    (the window from the first XA entry) and at the end (from the first of
#    the last 100), and a page at the end reached by offset from the start;
#    with BENCH_SCALE_PG=1, the store's time on a PostgreSQL log of
#    BENCH_SCALE_PG_ENTRIES (1,000,000) made the same way.
# Prints figures, asserts nothing (the goal: p50 at 99.9 % ≤ 1.2 × p50 at 0,
# and for the selective filter p50 at the end ≤ 1.2 × p50 at the start).
#   top_srcdir=SRC FCGI=… LIGHTTPD=… [BUILDDIR=…] tests/bench/scale.sh
# Variables: BENCH_SCALE_ENTRIES (N), BENCH_SCALE_SECONDS (wrk per row, 3),
# BENCH_KEEP=1 keeps the log (its folder is printed), TMPDIR (where it goes).
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -z "${BENCH_KEEP:-}" ] || export KEEP_TEST_DIR=1
. "$top_srcdir/tests/lib/lib.sh"
: "${FCGI:?set FCGI to the changefeed.fcgi to measure}"
: "${LIGHTTPD:=$(command -v lighttpd || echo /usr/sbin/lighttpd)}"
builddir=${BUILDDIR:-$(cd "$(dirname "$FCGI")/.." && pwd)}
for tool in wrk curl openssl cc pkg-config; do
    command -v "$tool" >/dev/null || { echo "scale: $tool is needed" >&2; exit 1; }
done
seconds=${BENCH_SCALE_SECONDS:-3}
entries=${BENCH_SCALE_ENTRIES:-10000000}
limit=100

. "$top_srcdir/tests/bench/bench_program.sh"
gen_log=$(bench_program gen_log)

print_size() {
    awk -v n="$entries" -v b="$size" -v m="$meta_mean" -v w="$wal" 'BEGIN {
    per = b / n; fixed = per - m
    printf "size on disk: %.2f GB, %.0f bytes per entry (metadata %.0f bytes of it on average); -wal and -shm %.0f MB more\n", b / 1e9, per, m, w / 1e6
    printf "extrapolated: 2 KB metadata ≈ %.0f bytes/entry (%.1f GB per 10 M); 4 KB ≈ %.0f bytes/entry (%.1f GB per 10 M)\n",
        fixed + 2048, (fixed + 2048) * 1e7 / 1e9, fixed + 4096 * 1.03, (fixed + 4096 * 1.03) * 1e7 / 1e9
}'
    echo "(the 4 KB figure adds 3 % for overflow pages: a row over ≈ 4 KB spills out of its 4 KiB page)"
}

if [ -n "${BENCH_SCALE_DB:-}" ]; then
    # A log kept by an earlier run (BENCH_KEEP=1): measure it again, no generation.
    db=$BENCH_SCALE_DB
    entries=$(sqlite3 -readonly "$db" 'SELECT max(seq) FROM entries')
    meta_mean=$(sqlite3 -readonly "$db" 'SELECT avg(length(metadata)) FROM (SELECT metadata FROM instances LIMIT 100000)')
    echo "# scale: the existing log $db, $entries entries (BENCH_SCALE_DB: not generated)"
    size=$(du -B1 "$db" | cut -f1)
    wal=$(du -cB1 "$db"-* 2>/dev/null | tail -n 1 | cut -f1)
    print_size
else
    # --- disk: ≈ 2,400 bytes per entry with its -wal (the metadata and its de-identified
    # copy, version 4); keep a quarter of the disk free ------------------------------------
    need_per_entry=2600
    avail=$(df -B1 --output=avail "$test_dir" | tail -n 1 | tr -d ' ')
    fit=$((avail * 3 / 4 / need_per_entry))
    if [ "$entries" -gt "$fit" ]; then
        echo "# scale: $((avail / 1000000000)) GB free under $test_dir: $entries entries need" \
            "≈ $((entries * need_per_entry / 1000000000)) GB; scaled down to $fit entries"
        entries=$fit
    fi
    [ "$entries" -ge 1000 ] || { echo "# scale: not enough free disk for a meaningful log; skipped"; exit 0; }

    db="$test_dir/feed.db"
    echo "# scale: a log of $entries entries in $test_dir ($(df -h --output=avail "$test_dir" | tail -n 1 | tr -d ' ') free before)"
    gen_start=$EPOCHREALTIME
    read -r _ _ _ gen_s _ meta_mean < <("$gen_log" make "$db" "$entries" 50000)
    [ -n "${gen_s:-}" ] || { echo "scale: gen_log failed" >&2; exit 1; }
    gen_end=$EPOCHREALTIME
    size=$(du -B1 "$db" | cut -f1)
    wal=$(du -cB1 "$db"-* 2>/dev/null | tail -n 1 | cut -f1)
    awk -v n="$entries" -v s="$gen_s" -v w="$gen_start" -v e="$gen_end" 'BEGIN {
        printf "generation: %.1f s (%.0f entries/s; %.1f s with opening and closing), 50,000 per transaction\n", s, n / s, e - w }'
    print_size
fi
echo

offsets=(0 $((entries / 2)) $((entries - entries / 1000 - limit)))
labels=("0" "50 %" "99.9 %")

# --- SQLite's own time: df_store_page in a loop, no HTTP, no JSON -----------------------
echo "# SQLite time for one page of $limit (df_store_page, 2,000 reads after one untimed), µs"
printf '%-10s %12s %8s %8s | %8s %8s\n' "offset" "Sequence >" "p50" "p99" "p50" "p99"
printf '%-10s %12s %17s | %17s\n' "" "" "with metadata" "without"
declare -A sql_p50
for i in 0 1 2; do
    read -r m50 m99 _ < <("$gen_log" page "$db" "${offsets[$i]}" "$limit" 1 2000)
    read -r n50 n99 _ < <("$gen_log" page "$db" "${offsets[$i]}" "$limit" 0 2000)
    sql_p50[$i]="$m50 $n50"
    printf '%-10s %12s %8s %8s | %8s %8s\n' "${labels[$i]}" "${offsets[$i]}" "$m50" "$m99" "$n50" "$n99"
done
read -r a _ <<<"${sql_p50[0]}"; read -r b _ <<<"${sql_p50[2]}"
awk -v a="$a" -v b="$b" 'BEGIN { printf "end/start (with metadata): %.2f\n", b / a }'
echo

# --- through lighttpd and the FastCGI responder -----------------------------------------
add_user bench bench
auth_header="Authorization: Basic $(printf 'bench:bench' | base64)"
start_lighttpd "server.max-connections = 1024"
. "$top_srcdir/tests/bench/wrk_lib.sh"
# wrk_p50 URL: "req/s p50 p99" with one connection (latencies in ms).
wrk_p50() {
    local out
    curl -s -o /dev/null -H "$auth_header" "$1"
    out=$(wrk -t1 -c1 -d"${seconds}s" --latency -H "$auth_header" "$1")
    echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" \
        "$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")" 3)" \
        "$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")" 3)"
}
echo "# through lighttpd + changefeed.fcgi (2 processes), wrk 1 connection ${seconds}s per row, limit=$limit"
printf '%-10s %12s | %9s %8s %8s | %9s %8s %8s\n' "offset" "Sequence >" "req/s" "p50 ms" "p99 ms" "req/s" "p50 ms" "p99 ms"
printf '%-10s %12s | %27s | %27s\n' "" "" "with metadata" "includemetadata=false"
declare -A http_p50
for i in 0 1 2; do
    read -r mr m50 m99 < <(wrk_p50 "$base/v1/changefeed?offset=${offsets[$i]}&limit=$limit")
    read -r nr n50 n99 < <(wrk_p50 "$base/v1/changefeed?offset=${offsets[$i]}&limit=$limit&includemetadata=false")
    http_p50[$i]="$m50 $n50"
    printf '%-10s %12s | %9s %8s %8s | %9s %8s %8s\n' "${labels[$i]}" "${offsets[$i]}" "$mr" "$m50" "$m99" "$nr" "$n50" "$n99"
done
read -r a c <<<"${http_p50[0]}"; read -r b d <<<"${http_p50[2]}"
awk -v a="$a" -v b="$b" -v c="$c" -v d="$d" 'BEGIN {
    printf "p50 end/start: %.2f with metadata, %.2f without (target ≤ 1.2)\n", b / a, d / c }'
bytes=$(curl -s -H "$auth_header" "$base/v1/changefeed?offset=${offsets[1]}&limit=$limit" | wc -c)
echo "(one page with metadata is $bytes bytes)"
[ -z "${BENCH_KEEP:-}" ] || echo "# kept the log: $db"
echo

# --- a selective filter: modality=XA, 1 entry in 10,000 ----------------------------------
# iso_us MICROSECONDS: the time as a v2 startTime.
iso_us() {
    printf '%s.%06dZ' "$(date -u -d "@$(($1 / 1000000))" +%Y-%m-%dT%H:%M:%S)" $(($1 % 1000000))
}
# filter_rows DB LABEL: the store's time for the three pages of the selective filter,
# pages of $limit, or of a third of the XA entries when there are fewer than 3 pages.
filter_rows() {
    local fdb=$1 label=$2 matches first_us last_us s50 s99 srows e50 e99 erows o50 o99 orows
    read -r matches _ _ < <("$gen_log" find "$fdb" XA 1)
    flimit=$limit
    [ "${matches:-0}" -ge $((3 * limit)) ] || flimit=$((${matches:-0} / 3))
    [ "$flimit" -ge 1 ] || { echo "# $label: only ${matches:-0} XA entries; no filter rows"; return 1; }
    read -r matches first_us last_us < <("$gen_log" find "$fdb" XA "$flimit")
    read -r s50 s99 _ srows < <("$gen_log" match "$fdb" "$first_us" 0 "$flimit" XA 2000)
    read -r e50 e99 _ erows < <("$gen_log" match "$fdb" "$last_us" 0 "$flimit" XA 2000)
    read -r o50 o99 _ orows < <("$gen_log" match "$fdb" 0 $((matches - flimit)) "$flimit" XA 2000)
    echo "# $label: the store's time for a page of modality=XA ($matches entries of the log's), with metadata, µs (2,000 reads)"
    printf '%-44s %8s %8s %6s\n' "page" "p50" "p99" "rows"
    printf '%-44s %8s %8s %6s\n' "start (window from the first XA entry)" "$s50" "$s99" "$srows"
    printf '%-44s %8s %8s %6s\n' "end (window from the last $flimit)" "$e50" "$e99" "$erows"
    printf '%-44s %8s %8s %6s\n' "end by offset=$((matches - flimit)) from the start" "$o50" "$o99" "$orows"
    awk -v a="$s50" -v b="$e50" -v c="$o50" 'BEGIN {
        printf "end/start: %.2f by startTime, %.2f by offset (target ≤ 1.2)\n", b / a, c / a }'
    filter_first=$first_us filter_last=$last_us filter_matches=$matches
}
if filter_rows "$db" "SQLite"; then
    echo
    echo "# through lighttpd + changefeed.fcgi, wrk 1 connection ${seconds}s per row: /v2/changefeed?modality=XA&limit=$flimit"
    printf '%-44s | %9s %8s %8s\n' "page" "req/s" "p50 ms" "p99 ms"
    read -r sr s50 s99 < <(wrk_p50 "$base/v2/changefeed?startTime=$(iso_us "$filter_first")&modality=XA&limit=$flimit")
    read -r er e50 e99 < <(wrk_p50 "$base/v2/changefeed?startTime=$(iso_us "$filter_last")&modality=XA&limit=$flimit")
    read -r or o50 o99 < <(wrk_p50 "$base/v2/changefeed?offset=$((filter_matches - flimit))&modality=XA&limit=$flimit")
    printf '%-44s | %9s %8s %8s\n' "start" "$sr" "$s50" "$s99"
    printf '%-44s | %9s %8s %8s\n' "end" "$er" "$e50" "$e99"
    printf '%-44s | %9s %8s %8s\n' "end by offset" "$or" "$o50" "$o99"
    awk -v a="$s50" -v b="$e50" -v c="$o50" 'BEGIN {
        printf "p50 end/start: %.2f by startTime, %.2f by offset (target ≤ 1.2)\n", b / a, c / a }'
fi

if [ "${BENCH_SCALE_PG:-0}" != 0 ]; then
    echo
    . "$top_srcdir/tests/lib/pg_lib.sh"
    cleanup_hooks="$cleanup_hooks pg_stop"
    pg_entries=${BENCH_SCALE_PG_ENTRIES:-1000000}
    if ! pg_find; then
        echo "# PostgreSQL: not installed; skipped"
    elif ! pg_start dcmfeed_scale >/dev/null; then
        echo "# PostgreSQL: the throwaway cluster did not start; skipped"
    else
        pg_gen_start=$EPOCHREALTIME
        read -r _ _ _ pg_gen_s _ < <("$gen_log" make "$PG_CONNINFO" "$pg_entries" 50000)
        pg_sql 'VACUUM ANALYZE' >/dev/null
        awk -v n="$pg_entries" -v s="${pg_gen_s:-0}" 'BEGIN {
            printf "# PostgreSQL log of %d entries made in %.0f s (%.0f entries/s), then VACUUM ANALYZE\n", n, s, (s > 0 ? n / s : 0) }'
        filter_rows "$PG_CONNINFO" "PostgreSQL" || true
    fi
fi
