#!/bin/bash
# Scale-out: two web nodes, each a lighttpd + responder (the shipped FastCGI
# config) on its own loopback port, serve one PostgreSQL log while
# dcmfeed-ingest appends to it.
# - While the writer runs, any complete page is the same on both nodes, byte
#   for byte, and the newest page read from node 1 and then from node 2 grows
#   by appending only (a reader sees a prefix of the log: no gap).
# - After it stops, every page of the whole feed is the same on both nodes,
#   with the same ETag (a client may switch nodes and still get 304), and the
#   feed is Sequence 1..N with no gap and no duplicate.
# - A dcmfeed-pull that followed node 2 during the writes, and one that reads
#   node 2 from the start afterwards, each get every entry once, in order.
# - A request waiting on node 2 (wait=30) is answered within 100 ms of a
#   commit made with node 1's address.
# - The database away (node 2's password changed, then the server stopped):
#   each node answers 503 and its responder logs why, with the log's address;
#   back, they serve again. Node 2's password is in none of the logs (its
#   address shows *** in its place), nor anything about patients.
# Node 1 has the log's address as a libpq conninfo, node 2 as a URI with the
# user and password of a role that may only SELECT and must log in with that
# password (scram-sha-256): both forms pass through lighttpd's bin-environment.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
[ -n "${PULL:-}" ] && [ -x "$PULL" ] || skip_all "dcmfeed-pull is not built (PULL=${PULL:-})"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"
unset DCMFEED_CORPUS DCMFEED_DB PGPASSWORD PGPASSFILE

DCMFEED_TEST_BACKEND=pg use_test_backend
user='reader:correct horse'
auth=(-u "$user")
batches=30   # of 5 instances each, after a first 10
per_page=10

# start_node N ADDRESS: lighttpd + responder with its files in nodeN/, over
# the log at ADDRESS; sets $baseN to its feed's URL.
start_node() {
    test_dir="$test_root/node$1"
    mkdir -p "$test_dir"
    add_user reader 'correct horse'
    db=$2
    start_lighttpd
    test_dir=$test_root
    eval "base$1=\$base"
}

# fetch NODE PATH_AND_QUERY FILE: the body of a 200 answer into FILE (and
# its ETag into FILE.etag); fails on any other status.
fetch() {
    local base
    eval "base=\$base$1"
    http GET "$base$2" "${auth[@]}"
    cp "$test_dir/body" "$3"
    header ETag >"$3.etag"
    [ "$status" = 200 ]
}

make_sample "$test_dir/sample" 10 1
init_log "$PG_CONNINFO"
"$INGEST" --db "$PG_CONNINFO" -q add "$test_dir"/sample/*.json
for b in $(seq 1 "$batches"); do make_sample "$test_dir/batch/$b" 5 $((b + 1)); done
# Node 2's role: SELECT only, and its password checked (before pg_lib.sh's
# trust lines), so that node 2 serves only if the password in its address
# reaches libpq.
password=s3cret-pw
pg_sql "CREATE ROLE feed_web LOGIN PASSWORD '$password'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO feed_web"
pg_password_login feed_web
uri=$(pg_uri "feed_web:$password")
# web_psql ADDRESS: SELECT 1 over ADDRESS, never asking for a password.
web_psql() { pg_psql "$1" 'SELECT 1' 2>&1 || true; }
check "node 2's role is refused without its password" \
    grep -q 'password' <(web_psql "$(pg_uri feed_web)")
check "and admitted with it" [ "$(web_psql "$uri")" = 1 ]
start_node 1 "$PG_CONNINFO"
start_node 2 "$uri"
check "node 1's config holds the conninfo" grep -qF "\"$PG_CONNINFO\"" "$test_root/node1/dcmfeed.conf"
check "node 2's config holds the URI" grep -qF "\"$uri\"" "$test_root/node2/dcmfeed.conf"
check "the nodes listen on different ports" [ "$base1" != "$base2" ]
fetch 1 "/v1/changefeed?limit=$per_page" "$test_dir/n1" && fetch 2 "/v1/changefeed?limit=$per_page" "$test_dir/n2"
check "both nodes serve the feed" cmp -s "$test_dir/n1" "$test_dir/n2"
check "with the same ETag" cmp -s "$test_dir/n1.etag" "$test_dir/n2.etag"

# A consumer following node 2 from the start, through the writes.
"$PULL" --user "$user" --follow --interval 0.2 --wait 5 --state "$test_dir/follow.state" \
    "$base2/v1" >"$test_dir/follow.out" 2>"$test_dir/follow.err" &
follower=$!
cleanup_pids="$cleanup_pids $follower"

# --- the writer ------------------------------------------------------------------------------
# Twice on its way it holds until the readers have compared pages three more
# times, so that comparisons surely run while it writes, however fast it is.
compared="$test_dir/compared"
: >"$compared"
lines_at_least() { [ "$(wc -l <"$1")" -ge "$2" ]; }
(
    for b in $(seq 1 "$batches"); do
        "$INGEST" --db "$PG_CONNINFO" -q add "$test_dir/batch/$b"/*.json
        case $b in 10 | 20) until_true 120 lines_at_least "$compared" $((b / 10 * 3)) || true ;; esac
    done
    touch "$test_dir/writer.done"
) &
writer=$!
cleanup_pids="$cleanup_pids $writer"

mismatch=0
not_prefix=0
rounds=0
while [ ! -e "$test_dir/writer.done" ] && kill -0 "$writer" 2>/dev/null; do
    fetch 1 "/v1/changefeed/latest?includemetadata=false" "$test_dir/latest" || continue
    last=$(jq .Sequence "$test_dir/latest")
    # A complete page: every Sequence in it is committed, so it can no longer change
    # (the writer only adds new instances).
    full=$((last / per_page))
    offset=$((RANDOM % full * per_page))
    fetch 2 "/v1/changefeed?offset=$offset&limit=$per_page" "$test_dir/p2" &&
        fetch 1 "/v1/changefeed?offset=$offset&limit=$per_page" "$test_dir/p1" &&
        cmp -s "$test_dir/p1" "$test_dir/p2" &&
        jq -e "[.[].Sequence] == [range($((offset + 1)); $((offset + per_page + 1)))]" "$test_dir/p1" >/dev/null ||
        mismatch=$((mismatch + 1))
    # The newest page, node 1 first: what node 2 answers later starts with it.
    offset=$((full * per_page))
    fetch 1 "/v1/changefeed?offset=$offset&limit=100" "$test_dir/t1" &&
        fetch 2 "/v1/changefeed?offset=$offset&limit=100" "$test_dir/t2" &&
        jq -e --slurpfile a "$test_dir/t1" \
            "(.[:(\$a[0] | length)] == \$a[0]) and ([.[].Sequence] == [range($((offset + 1)); $((offset + 1)) + length)])" \
            "$test_dir/t2" >/dev/null ||
        not_prefix=$((not_prefix + 1))
    rounds=$((rounds + 1))
    echo "$rounds" >>"$compared"
done
writer_rc=0
wait "$writer" || writer_rc=$?
check "the writer's ingests succeeded" [ "$writer_rc" = 0 ]
check "comparisons ran while the writer wrote ($rounds rounds)" [ "$rounds" -ge 6 ]
check "complete pages are the same on both nodes while writing ($mismatch differed)" [ "$mismatch" = 0 ]
check "the newest page grows by appending only, across nodes ($not_prefix did not)" [ "$not_prefix" = 0 ]

# A delete changes States and Metadata of earlier entries: both nodes show it.
"$INGEST" --db "$PG_CONNINFO" -q delete 1.2.826.0.1.3680043.10.543.2 1.2.826.0.1.3680043.10.543.2.1
total=$((10 + batches * 5 + 5))

# --- after the writer ----------------------------------------------------------------------
differ=0
etags_differ=0
: >"$test_dir/all-pages"
for ((offset = 0; offset < total; offset += 7)); do
    fetch 1 "/v1/changefeed?offset=$offset&limit=7" "$test_dir/p1" || differ=$((differ + 1))
    fetch 2 "/v1/changefeed?offset=$offset&limit=7" "$test_dir/p2" || differ=$((differ + 1))
    cmp -s "$test_dir/p1" "$test_dir/p2" || differ=$((differ + 1))
    cmp -s "$test_dir/p1.etag" "$test_dir/p2.etag" || etags_differ=$((etags_differ + 1))
    jq -c '.[]' "$test_dir/p1" >>"$test_dir/all-pages"
done
check "every page of the feed is the same on both nodes ($differ differed)" [ "$differ" = 0 ]
check "with the same ETags ($etags_differ differed)" [ "$etags_differ" = 0 ]
check "the feed is Sequence 1..$total, no gap, no duplicate" \
    cmp -s <(jq .Sequence "$test_dir/all-pages") <(seq 1 "$total")
check "and the delete shows on both nodes" \
    bash -c "[ \"\$(jq -c 'select(.State == \"deleted\")' '$test_dir/all-pages' | wc -l)\" = 10 ]"
fetch 2 "/v2/changefeed?limit=200" "$test_dir/v2.2" && fetch 1 "/v2/changefeed?limit=200" "$test_dir/v2.1"
check "v2: the same window on both nodes" cmp -s "$test_dir/v2.1" "$test_dir/v2.2"
http GET "$base2/v1/changefeed?limit=7" "${auth[@]}" -H "If-None-Match: $(cat "$test_dir/n1.etag")"
check "an ETag from before the writes is stale on node 2" [ "$status" = 200 ]
fetch 1 "/v1/changefeed?limit=7" "$test_dir/e1"
http GET "$base2/v1/changefeed?limit=7" "${auth[@]}" -H "If-None-Match: $(cat "$test_dir/e1.etag")"
check "node 1's ETag answers 304 on node 2" [ "$status" = 304 ]

# --- consumers of node 2 -------------------------------------------------------------------------
state_is_total() { [ "$(cat "$test_dir/follow.state" 2>/dev/null)" = "$total" ]; }
until_true 120 state_is_total || true
kill -TERM "$follower"
follow_rc=0
wait "$follower" || follow_rc=$?
check "the follower of node 2 stopped cleanly" [ "$follow_rc" = 0 ]
check "the follower of node 2 got Sequence 1..$total once each, in order" \
    cmp -s <(jq .Sequence "$test_dir/follow.out") <(seq 1 "$total")
rc=0
"$PULL" --user "$user" --limit 100 "$base2/v1" >"$test_dir/pull.out" 2>"$test_dir/pull.err" || rc=$?
check "dcmfeed-pull reads node 2 whole: exit 0" [ "$rc" = 0 ]
check "dcmfeed-pull from node 2: the entries node 1 serves" cmp -s <(jq -c . "$test_dir/pull.out") "$test_dir/all-pages"

# --- a waiter on node 2, a commit with node 1's address ------------------------------------
# A wait=30 request on node 2 at the end of the feed is answered within 100 ms
# of the commit of an instance added with node 1's address: the commit's
# NOTIFY wakes it (the responder does not poll PostgreSQL). The commit is
# after the entry's Timestamp, so the time from that Timestamp to the answer
# is at least the delay.
make_sample "$test_dir/late" 1 $((batches + 2))
(
    "$CURL" -s -u "$user" -o "$test_dir/waited" "$base2/v1/changefeed?offset=$total&wait=30"
    echo "$EPOCHREALTIME" >"$test_dir/waited.at"
) &
waiter=$!
cleanup_pids="$cleanup_pids $waiter"
sleep 0.5 # the request is waiting by now
"$INGEST" --db "$PG_CONNINFO" -q add "$test_dir"/late/*.json
wait "$waiter" || true
total=$((total + 1))
check "node 2's waiter got the new entry" jq -e "length == 1 and .[0].Sequence == $total" "$test_dir/waited"
stamped=$(date -d "$(jq -r '.[0].Timestamp' "$test_dir/waited")" +%s%6N)
woke=$(tr -d . <"$test_dir/waited.at")
delay_ms=$(((woke - stamped) / 1000))
echo "# node 2's waiter answered $delay_ms ms after the entry was stamped"
check "within 100 ms of the commit through node 1 ($delay_ms ms)" [ "$delay_ms" -lt 100 ]

# --- the database away: 503s, logged ----------------------------------------------------------
# Node 2's password changed: its connections ended, it cannot log in again.
pg_sql "ALTER ROLE feed_web PASSWORD 'changed'" >/dev/null
pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'feed_web'" >/dev/null
http GET "$base2/v1/changefeed?limit=7" "${auth[@]}"
check "node 2 with a wrong password answers 503" [ "$status" = 503 ]
fetch 1 "/v1/changefeed?limit=7" "$test_dir/w1"
check "node 1 goes on" cmp -s "$test_dir/w1" "$test_dir/e1"
pg_sql "ALTER ROLE feed_web PASSWORD '$password'" >/dev/null
fetch 2 "/v1/changefeed?limit=7" "$test_dir/w2"
check "node 2 serves again with its password right" cmp -s "$test_dir/w2" "$test_dir/e1"
# The server stopped: both nodes' connections end, no new one is made.
pg_halt
down=0
for n in 1 2; do
    eval "base=\$base$n"
    http GET "$base/v1/changefeed?limit=7" "${auth[@]}"
    [ "$status" = 503 ] && down=$((down + 1))
done
check "the server stopped, both nodes answer 503" [ "$down" = 2 ]
pg_resume
fetch 1 "/v1/changefeed?limit=7" "$test_dir/r1" && fetch 2 "/v1/changefeed?limit=7" "$test_dir/r2"
check "the server back, both nodes serve again" \
    bash -c "cmp -s '$test_dir/r1' '$test_dir/e1' && cmp -s '$test_dir/r2' '$test_dir/e1'"

# --- logs --------------------------------------------------------------------------------------------
# Every log of the test: lighttpd's error logs, the responders' stderr, the
# consumers' stderr. The web nodes' four must exist and hold the lines above.
logs=()
while IFS= read -r f; do logs+=("$f"); done < <(find "$test_root" -type f \( -name '*.log' -o -name '*.err' \))
web_logs=("$test_root"/node{1,2}/{error,responder}.log)
all_written() { local f; for f in "$@"; do [ -s "$f" ] || return 1; done; }
check "the web nodes' logs exist and are not empty" all_written "${web_logs[@]}"
check "node 1's responder logged the stopped server, with its address" \
    grep -qF "(DCMFEED_DB=$PG_CONNINFO)" "$test_root/node1/responder.log"
# What stands where the password would: the refusal and its address, masked.
check "node 2's responder logged the refused password" \
    grep -qF 'password authentication failed' "$test_root/node2/responder.log"
check "... with *** for the password" \
    grep -qF "(DCMFEED_DB=postgresql://feed_web:***@" "$test_root/node2/responder.log"
# in_no_log STRING...: none of the strings is in any of the logs (grep
# answers 1: read them all, found none; 2, a log it cannot read, fails).
in_no_log() {
    local args=() s rc=0
    [ "${#logs[@]}" -gt 0 ] || return 1
    for s in "$@"; do args+=(-e "$s"); done
    grep -qF "${args[@]}" -- "${logs[@]}" || rc=$?
    [ "$rc" = 1 ]
}
check "node 2's password is in no log (${#logs[@]} searched)" in_no_log "$password"
check "nothing was logged about patients" in_no_log 'Doe^Jane' 'PAT1'
finish
