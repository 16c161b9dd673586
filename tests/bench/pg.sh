#!/bin/bash
# PostgreSQL beside SQLite: the same entries served from a PostgreSQL log
# through the same lighttpd config, each request measured on the SQLite server
# and then on the PostgreSQL one (back to back, so that the ratio is taken
# under the same load of a shared machine), with the CPU per request of
# lighttpd, of the responders and of the PostgreSQL server processes (ticks
# from /proc over the wrk run ÷ requests); then the store's own time for a
# 100-entry page on both logs (gen_log.c, no HTTP, no JSON).
#   top_srcdir=SRC INGEST=… FCGI=… LIGHTTPD=… tests/bench/pg.sh
# Alone it makes its own SQLite log of BENCH_ENTRIES sample entries and its
# server (feed_server.sh); tests/bench/run passes the log and server of its
# throughput table instead: BENCH_PG_SQLITE_DB (the log), BENCH_PG_SQLITE_BASE
# (the feed URL, user bench:bench) and BENCH_PG_SQLITE_LIGHTTPD (its PID).
# The PostgreSQL log is a throwaway cluster (tests/lib/pg_lib.sh: a temp folder,
# its Unix socket only, fsync=off, stopped by PID), loaded with
# `dcmfeed-ingest import` of the SQLite log. Prints "postgresql: skipped
# (why)" and exits 0 when PostgreSQL cannot run here.
# Variables: BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ENTRIES (alone), as run.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pg_lib.sh"
cleanup_hooks="$cleanup_hooks pg_stop"
: "${INGEST:?set INGEST to the dcmfeed-ingest to use}"
: "${FCGI:?set FCGI to the changefeed.fcgi to measure}"
: "${LIGHTTPD:=$(command -v lighttpd || echo /usr/sbin/lighttpd)}"
builddir=${BUILDDIR:-$(cd "$(dirname "$FCGI")/.." && pwd)}
duration=${BENCH_SECONDS:-5}
connections=${BENCH_CONNECTIONS:-16}

skipped() {
    echo "postgresql: skipped ($*)"
    exit 0
}
pg_find || skipped "PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin; apt-get install postgresql"
[ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1 ||
    skipped "running as root and there is no postgres user to run the server"
grep -q '^LIBPQ_LIBS = .*[^ ]' "$builddir/Makefile" ||
    skipped "this build has no PostgreSQL backend: configure found no libpq (apt-get install libpq-dev)"
for tool in wrk curl jq openssl cc pgrep getconf; do
    command -v "$tool" >/dev/null || skipped "$tool is needed"
done

# --- the SQLite server: run's, or one of our own ------------------------------------------
if [ -n "${BENCH_PG_SQLITE_BASE:-}" ]; then
    sqlite_db=$BENCH_PG_SQLITE_DB
    sqlite_base=$BENCH_PG_SQLITE_BASE
    sqlite_lighttpd=$BENCH_PG_SQLITE_LIGHTTPD
    auth_header="Authorization: Basic $(printf 'bench:bench' | base64)"
else
    . "$top_srcdir/tests/bench/feed_server.sh"
    sqlite_db=$db
    sqlite_base=$base
    sqlite_lighttpd=${cleanup_pids##* }
fi
entries=$(curl -sf -H "$auth_header" "$sqlite_base/v1/changefeed/latest?includemetadata=false" | jq .Sequence) ||
    { echo "postgresql: the SQLite server does not answer" >&2; exit 1; }

# --- the PostgreSQL log and its server: the same config in a folder of their own -----------
test_dir="$test_root/pg"
mkdir -p "$test_dir"
pg_start dcmfeed_bench >/dev/null || skipped "the throwaway cluster did not start"
pg_version=$("$pg_bin/postgres" --version | awk '{ print $3 }')
# BENCH_PG_OPTIONS: server settings for the bench's sessions, to try one (libpq's options).
pg_db=$PG_CONNINFO
[ -z "${BENCH_PG_OPTIONS:-}" ] || pg_db+=" options='$BENCH_PG_OPTIONS'"
init_log "$pg_db"
import_start=$EPOCHREALTIME
"$INGEST" --db "$pg_db" -q import "$sqlite_db"
import_end=$EPOCHREALTIME
# The statistics autovacuum would gather soon after such a load anyway.
pg_sql 'VACUUM ANALYZE'
db=$pg_db
add_user bench bench
start_lighttpd "server.max-connections = 1024"
pg_base=$base
pg_lighttpd=${cleanup_pids##* }
test_dir=$test_root

# Both must answer 200 with the same body before anything is measured.
for path in "/v1/changefeed?limit=100" "/v1/changefeed?offset=$((entries / 2))&limit=100" "/v1/changefeed/latest"; do
    a=$(curl -s -o "$test_dir/sqlite.json" -w '%{http_code}' -H "$auth_header" "$sqlite_base$path")
    b=$(curl -s -o "$test_dir/pg.json" -w '%{http_code}' -H "$auth_header" "$pg_base$path")
    [ "$a $b" = "200 200" ] || { echo "postgresql: $path answers $a (SQLite) and $b (PostgreSQL)" >&2; exit 1; }
    cmp -s "$test_dir/sqlite.json" "$test_dir/pg.json" ||
        { echo "postgresql: $path differs between SQLite and PostgreSQL" >&2; exit 1; }
done

echo "# PostgreSQL $pg_version beside SQLite: the same $entries entries (dcmfeed-ingest import of the SQLite log in" \
    "$(awk -v s="$import_start" -v e="$import_end" 'BEGIN { printf "%.1f", e - s }') s, then VACUUM ANALYZE)"
echo "# served through the same lighttpd config (2 responders × 4 threads; to PostgreSQL over its Unix"
echo "# socket, stock settings but fsync=off); each row: wrk on the SQLite server, then on the PostgreSQL one,"
echo "# 2 threads, $connections connections, ${duration}s; load average before: $(cut -d" " -f1-3 /proc/loadavg)"
echo

. "$top_srcdir/tests/bench/wrk_lib.sh"

# Every responder thread opens its connection (and prepares its statements) before the
# first row, not during it.
wrk -t2 -c"$connections" -d1s -H "$auth_header" "$sqlite_base/v1/changefeed/latest" >/dev/null
wrk -t2 -c"$connections" -d1s -H "$auth_header" "$pg_base/v1/changefeed/latest" >/dev/null
sqlite_etag=$(curl -s -D - -o /dev/null -H "$auth_header" "$sqlite_base/v1/changefeed?offset=$entries" | sed -n 's/^ETag: //Ip' | tr -d '\r')
pg_etag=$(curl -s -D - -o /dev/null -H "$auth_header" "$pg_base/v1/changefeed?offset=$entries" | sed -n 's/^ETag: //Ip' | tr -d '\r')
names=("/v1/changefeed?limit=10" "/v1/changefeed?limit=100" "/v1/changefeed?limit=100&includemetadata=false"
    "/v1/changefeed?offset=<half>&limit=100" "/v1/changefeed/latest" "304 poll (If-None-Match, at the end)")
paths=("/v1/changefeed?limit=10" "/v1/changefeed?limit=100" "/v1/changefeed?limit=100&includemetadata=false"
    "/v1/changefeed?offset=$((entries / 2))&limit=100" "/v1/changefeed/latest" "/v1/changefeed?offset=$entries")
cpu_rows=()
printf '%-46s | %-26s | %-26s | %s\n' "" "SQLite" "PostgreSQL" "PG/SQLite"
printf '%-46s | %10s %7s %7s | %10s %7s %7s | %6s %5s %5s\n' "request" "req/s" "p50 ms" "p99 ms" \
    "req/s" "p50 ms" "p99 ms" "req/s" "p50" "p99"
for i in "${!names[@]}"; do
    s_header="" p_header=""
    if [ "$i" = 5 ]; then s_header="If-None-Match: $sqlite_etag" p_header="If-None-Match: $pg_etag"; fi
    read -r srps sp50 sp99 sbad sl sr _ <<<"$(wrk_measure "$sqlite_base${paths[$i]}" "$sqlite_lighttpd" "" "$s_header")"
    read -r prps pp50 pp99 pbad pl pr pp _ <<<"$(wrk_measure "$pg_base${paths[$i]}" "$pg_lighttpd" "$pg_pid" "$p_header")"
    bad=""
    [ "$sbad$pbad" = 00 ] || bad="  (errors: $sbad SQLite, $pbad PostgreSQL)"
    printf '%-46s | %10s %7s %7s | %10s %7s %7s | %6s %5s %5s%s\n' "${names[$i]}" "$srps" "$sp50" "$sp99" \
        "$prps" "$pp50" "$pp99" \
        "$(ratio "$prps" "$srps")" "$(ratio "$pp50" "$sp50" 1)" "$(ratio "$pp99" "$sp99" 1)" "$bad"
    cpu_rows+=("$sl $sr $pl $pr $pp")
done
echo "(ratios: PostgreSQL's figure over SQLite's; the 304 poll sends each server the ETag it gave)"
echo
echo "# CPU per request, µs: ticks (1/$tck s) of the processes over each wrk run above ÷ its requests"
printf '%-46s | %-19s | %-28s | %s\n' "" "SQLite" "PostgreSQL" "PG/SQLite"
printf '%-46s | %8s %10s | %8s %10s %8s | %9s\n' "request" "lighttpd" "responders" "lighttpd" "responders" \
    "postgres" "all"
for i in "${!cpu_rows[@]}"; do
    read -r sl sr pl pr pp <<<"${cpu_rows[$i]}"
    printf '%-46s | %8s %10s | %8s %10s %8s | %9s\n' "${names[$i]}" "$sl" "$sr" "$pl" "$pr" "$pp" \
        "$(ratio "$(sum "$pl" "$pr" "$pp")" "$(sum "$sl" "$sr")")"
done
echo

# --- the store alone: gen_log, df_store_page in a loop -------------------------------------
. "$top_srcdir/tests/bench/bench_program.sh"
gen_log=$(bench_program gen_log)
reps=2000
echo "# the store alone, one page of 100 (gen_log: $reps reads after one untimed; no HTTP, no JSON):"
echo "# page = df_store_page; request = the store calls of the responder's answer to a page: read_begin"
echo "# (on PostgreSQL a BEGIN … REPEATABLE READ), last_sequence, page, read_end (a COMMIT), 4 round trips."
echo "# p50/p99: wall time, µs; CPU µs per read: gen_log's own, and the PostgreSQL server's (ticks over"
echo "# the run ÷ $((reps + 1)) reads, its connection's start included: ±$(awk -v t="$tck" -v n="$reps" 'BEGIN { printf "%.0f", 1e6 / t / (n + 1) }') µs)"
printf '%-32s | %-20s | %-29s | %s\n' "" "SQLite" "PostgreSQL" "PG/SQLite"
printf '%-32s | %6s %6s %6s | %6s %6s %6s %8s | %5s %5s\n' "read" "p50" "p99" "CPU" "p50" "p99" "CPU" "postgres" \
    "p50" "CPU"
for mode in page request; do
    for offset in 0 $((entries / 2)); do
        for meta in 1 0; do
            read -r s50 s99 scpu < <("$gen_log" "$mode" "$sqlite_db" "$offset" 100 "$meta" "$reps")
            children=$(pgrep -c -P "$pg_pid" || true)
            ticks "" "$pg_pid" >"$test_dir/ticks.before"
            read -r p50 p99 pcpu < <("$gen_log" "$mode" "$pg_db" "$offset" 100 "$meta" "$reps")
            # gen_log's backend counts in the postmaster's once the postmaster has reaped it.
            for _ in $(seq 1 50); do
                [ "$(pgrep -c -P "$pg_pid" || true)" -gt "$children" ] || break
                sleep 0.02
            done
            ticks "" "$pg_pid" >"$test_dir/ticks.after"
            read -r _ _ server <<<"$(cpu_us "$test_dir/ticks.before" "$test_dir/ticks.after" $((reps + 1)))"
            printf '%-32s | %6s %6s %6s | %6s %6s %6s %8s | %5s %5s\n' \
                "$mode, offset $offset, $([ "$meta" = 1 ] && echo "metadata" || echo "no metadata")" \
                "$s50" "$s99" "$scpu" "$p50" "$p99" "$pcpu" "$server" \
                "$(ratio "$p50" "$s50" 1)" "$(ratio "$(sum "$pcpu" "$server")" "$scpu" 1)"
        done
    done
done
