#!/bin/bash
# Concurrent soak: 4 ingest processes append while wrk reads the feed through
# lighttpd for SOAK_SECONDS (default 15; the issue's 60 with SOAK_SECONDS=60).
# Writers never fail under readers, readers never get a 5xx, and a full read
# afterwards shows Sequence 1..N with no gap or repeat and exactly the
# instances written.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v wrk >/dev/null || skip_all "wrk is not installed (apt-get install wrk)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"

seconds=${SOAK_SECONDS:-15}
per_batch=20
db="$test_dir/feed.db"
add_user reader soak
make_sample "$test_dir/first" 5 1
init_log "$db"
"$INGEST" --db "$db" -q add "$test_dir"/first/*.json
start_lighttpd
auth_header="Authorization: Basic $(printf 'reader:soak' | base64)"

make_sample "$test_dir/template" "$per_batch" 999
jq -s . "$test_dir"/template/*.json >"$test_dir/batch.json"

# writer N: appends batches with studies N*100000+1, +2, … until the deadline,
# and lists the studies it committed.
writer() {
    local n=$1 round=0 deadline=$(($(date +%s) + seconds))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        round=$((round + 1))
        local study=$((n * 100000 + round))
        sed "s/\\.543\\.999/.543.$study/g" "$test_dir/batch.json" >"$test_dir/w$n.json"
        if ! "$INGEST" --db "$db" -q add "$test_dir/w$n.json" 2>>"$test_dir/w$n.err"; then
            echo "FAILED $study" >>"$test_dir/w$n.studies"
            return 1
        fi
        echo "$study" >>"$test_dir/w$n.studies"
        sleep 0.02
    done
}

pids=""
for n in 1 2 3 4; do
    writer "$n" &
    pids="$pids $!"
done
wrk -t2 -c8 -d"${seconds}s" -H "$auth_header" "$base/v1/changefeed?limit=100" >"$test_dir/wrk1" &
wrk1=$!
wrk -t1 -c4 -d"${seconds}s" -H "$auth_header" "$base/v2/changefeed/latest" >"$test_dir/wrk2" &
wrk2=$!
writers_ok=0
for pid in $pids; do wait "$pid" && writers_ok=$((writers_ok + 1)); done
wait "$wrk1" "$wrk2"

check "the 4 writers never failed under readers" [ "$writers_ok" = 4 ]
for f in "$test_dir"/wrk1 "$test_dir"/wrk2; do
    reqs=$(awk '/requests in/ {print $1}' "$f")
    check "wrk $(basename "$f"): $reqs requests, no answer but 2xx" bash -c "! grep -q 'Non-2xx' '$f' && [ '${reqs:-0}' -gt 0 ]"
done

# A full read through the server.
offset=0
: >"$test_dir/seqs"
: >"$test_dir/sops"
while :; do
    curl -s -H "$auth_header" -o "$test_dir/page" "$base/v1/changefeed?offset=$offset&limit=100&includemetadata=false"
    n=$(jq length "$test_dir/page")
    [ "$n" -gt 0 ] || break
    jq -r '.[].Sequence' "$test_dir/page" >>"$test_dir/seqs"
    jq -r '.[].SopInstanceUid' "$test_dir/page" >>"$test_dir/sops"
    offset=$(tail -n 1 "$test_dir/seqs")
done
total=$(wc -l <"$test_dir/seqs")
check "Sequences 1..$total in order, no gap, no repeat" cmp -s "$test_dir/seqs" <(seq 1 "$total")
written=$(cat "$test_dir"/w*.studies | grep -vc FAILED || true)
check "$written batches of $per_batch plus 5 first: exactly the instances written" \
    [ "$(sort -u "$test_dir/sops" | wc -l)" = $((written * per_batch + 5)) ]
check "every entry read is a different instance" [ "$(sort -u "$test_dir/sops" | wc -l)" = "$total" ]
finish
