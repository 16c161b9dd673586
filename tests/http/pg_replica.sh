#!/bin/bash
# A streaming replica serving a read-only node: dcmfeed-ingest writes to a
# primary PostgreSQL cluster, a hot standby made from it with pg_basebackup -R
# replays its WAL, and two web nodes (lighttpd + responder, the shipped
# FastCGI config) read one each, as the web role of docs/deploy.md.
# - The roles as docs/deploy.md sets them up: the ingest role owns the
#   schema it creates, the web role may only SELECT (it can neither write
#   nor create), and logs in with a password that only its password file
#   (PGPASSFILE) holds.
# - Once the standby has replayed what the primary wrote, every page of the
#   standby's node is the primary's node's, byte for byte, with the same
#   ETag (a client may switch nodes and still get 304); every route works
#   on the standby (v1, latest, v2, HEAD, wait=N woken by a replayed commit).
# - While the writer appends, every page the standby's node answers is a
#   run of Sequences with no gap, and a prefix of what the primary's node
#   answers right after.
# - The standby stopped: its node answers 503 with Retry-After and the JSON
#   body (never 500, and the responder survives), the primary's node goes on;
#   the standby back: its node answers 200 again, with what was written
#   meanwhile.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"
unset DCMFEED_CORPUS DCMFEED_DB PGPASSFILE

DCMFEED_TEST_BACKEND=pg use_test_backend
[ -x "$pg_bin/pg_basebackup" ] || skip_all "pg_basebackup is not installed"
batches=20 # of 5 instances each, after a first 10
per_page=10

# --- the roles, as docs/deploy.md gives them --------------------------------------------------
# sql_in DB SQL: SQL as the cluster's superuser in database DB.
sql_in() { pg_psql "host=$pg_dir port=$pg_port user=$pg_owner dbname=$1" "$2"; }
sql_in postgres "CREATE ROLE dcmfeed_ingest LOGIN"
sql_in postgres "CREATE ROLE dcmfeed_web LOGIN PASSWORD 'web pw'"
sql_in postgres "CREATE DATABASE dcmfeed OWNER dcmfeed_ingest"
sql_in postgres "REVOKE ALL ON DATABASE dcmfeed FROM PUBLIC"
sql_in postgres "GRANT CONNECT ON DATABASE dcmfeed TO dcmfeed_web"
sql_in dcmfeed "REVOKE CREATE ON SCHEMA public FROM PUBLIC"
sql_in dcmfeed "GRANT CREATE ON SCHEMA public TO dcmfeed_ingest"
sql_in dcmfeed "ALTER DEFAULT PRIVILEGES FOR ROLE dcmfeed_ingest IN SCHEMA public GRANT SELECT ON TABLES TO dcmfeed_web"
# The web role logs in with its password; the standby gets that rule with
# its copy of the data.
pg_password_login dcmfeed_web
# The web server's password file, only its user's (libpq ignores one that
# others may read). lighttpd passes PGPASSFILE on to the responders.
printf '*:*:dcmfeed:dcmfeed_web:web pw\n' >"$test_dir/pgpass"
chmod 0600 "$test_dir/pgpass"
export PGPASSFILE="$test_dir/pgpass"

ingest_db="host=$pg_dir port=$pg_port dbname=dcmfeed user=dcmfeed_ingest"
web_primary="host=$pg_dir port=$pg_port dbname=dcmfeed user=dcmfeed_web connect_timeout=5"
make_sample "$test_dir/sample" 10 1
init_log "$ingest_db"
"$INGEST" --db "$ingest_db" -q add "$test_dir"/sample/*.json
for b in $(seq 1 "$batches"); do make_sample "$test_dir/batch/$b" 5 $((b + 1)); done

check "the ingest role owns the tables it made" \
    [ "$(sql_in dcmfeed "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")" = dcmfeed_ingest ]
# web_psql SQL: SQL as the web role on the primary; prints rows or the error.
web_psql() { pg_psql "$web_primary" "$1" 2>&1 || true; }
contains() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
check "the web role reads the log with the password from PGPASSFILE" [ "$(web_psql "SELECT count(*) FROM entries")" = 10 ]
check "without the password file it is refused" \
    contains "$(PGPASSFILE=/dev/null web_psql "SELECT 1")" "password"
check "the web role cannot write" contains "$(web_psql "INSERT INTO feed VALUES ('x')")" "permission denied"
check "nor create a table" contains "$(web_psql "CREATE TABLE x (y int)")" "permission denied"
rc=0
"$INGEST" --db "$web_primary" -q add "$test_dir/batch/1"/*.json 2>"$test_dir/web-ingest.err" || rc=$?
check "dcmfeed-ingest as the web role fails" [ "$rc" != 0 ]
check "and the log is as it was" [ "$(web_psql "SELECT max(seq) FROM entries")" = 10 ]
# A web role added once the log exists gets its SELECT on the tables there are.
sql_in postgres "CREATE ROLE dcmfeed_web2 LOGIN"
sql_in postgres "GRANT CONNECT ON DATABASE dcmfeed TO dcmfeed_web2"
sql_in dcmfeed "GRANT SELECT ON ALL TABLES IN SCHEMA public TO dcmfeed_web2"
web2() { pg_psql "host=$pg_dir port=$pg_port dbname=dcmfeed user=dcmfeed_web2" "$1" 2>&1 || true; }
check "a web role granted SELECT on the existing tables reads them" [ "$(web2 "SELECT count(*) FROM entries")" = 10 ]
check "and cannot write either" contains "$(web2 "INSERT INTO feed VALUES ('x')")" "permission denied"

# --- the standby and the nodes ---------------------------------------------------------------------
pg_start_standby
check "the standby is in recovery (read-only)" [ "$(pg_standby_sql "SELECT pg_is_in_recovery()")" = t ]
streaming() { [ "$(pg_sql "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ]; }
check "it streams from the primary" until_true 30 streaming
web_standby="host=$pg_standby_dir port=$pg_standby_port dbname=dcmfeed user=dcmfeed_web connect_timeout=5"

# start_node NAME ADDRESS: lighttpd + responder with its files in NAME/, over
# the log at ADDRESS, as the web role (its password from PGPASSFILE);
# sets $base_NAME and $pid_NAME (lighttpd's).
start_node() {
    test_dir="$test_root/$1"
    mkdir -p "$test_dir"
    add_user reader 'correct horse'
    db=$2
    start_lighttpd
    test_dir=$test_root
    eval "base_$1=\$base pid_$1=\${cleanup_pids##* }"
}
start_node primary "$web_primary"
start_node standby "$web_standby"
auth=(-u 'reader:correct horse')

# fetch NODE PATH_AND_QUERY FILE: the body of a 200 answer into FILE (and
# its ETag into FILE.etag); fails on any other status, and counts a 500.
fives=0
fetch() {
    local base
    eval "base=\$base_$1"
    http GET "$base$2" "${auth[@]}"
    [ "$status" != 500 ] || fives=$((fives + 1))
    cp "$test_dir/body" "$3"
    header ETag >"$3.etag"
    [ "$status" = 200 ]
}

# same_everywhere TOTAL: every page of the feed (and v1 latest, v2) is the
# same on both nodes, with the same ETag; sets $differ and $etags_differ.
same_everywhere() {
    local offset
    differ=0
    etags_differ=0
    : >"$test_dir/all-pages"
    for ((offset = 0; offset < $1; offset += 7)); do
        fetch primary "/v1/changefeed?offset=$offset&limit=7" "$test_dir/p" || differ=$((differ + 1))
        fetch standby "/v1/changefeed?offset=$offset&limit=7" "$test_dir/s" || differ=$((differ + 1))
        cmp -s "$test_dir/p" "$test_dir/s" || differ=$((differ + 1))
        cmp -s "$test_dir/p.etag" "$test_dir/s.etag" || etags_differ=$((etags_differ + 1))
        jq -c '.[]' "$test_dir/p" >>"$test_dir/all-pages"
    done
    for route in "/v1/changefeed/latest" "/v2/changefeed?limit=200"; do
        fetch primary "$route" "$test_dir/p" || differ=$((differ + 1))
        fetch standby "$route" "$test_dir/s" || differ=$((differ + 1))
        cmp -s "$test_dir/p" "$test_dir/s" || differ=$((differ + 1))
        cmp -s "$test_dir/p.etag" "$test_dir/s.etag" || etags_differ=$((etags_differ + 1))
    done
}

pg_wait_replay
same_everywhere 10
check "after replay: every page the same on both nodes ($differ differed)" [ "$differ" = 0 ]
check "with the same ETags ($etags_differ differed)" [ "$etags_differ" = 0 ]
check "the standby's node serves the feed" cmp -s <(jq .Sequence "$test_dir/all-pages") <(seq 1 10)
http HEAD "$base_standby/v1/changefeed?limit=3" "${auth[@]}"
check "HEAD on the standby's node" [ "$status" = 200 ]

# --- a writer on the primary, readers of the standby ---------------------------------------------------
# Twice on its way it holds until the readers have compared pages three more
# times, so that comparisons surely run while it writes, however fast it is.
compared="$test_dir/compared"
: >"$compared"
lines_at_least() { [ "$(wc -l <"$1")" -ge "$2" ]; }
(
    for b in $(seq 1 "$batches"); do
        "$INGEST" --db "$ingest_db" -q add "$test_dir/batch/$b"/*.json
        case $b in 7 | 14) until_true 120 lines_at_least "$compared" $((b / 7 * 3)) || true ;; esac
    done
    touch "$test_dir/writer.done"
) &
writer=$!
cleanup_pids="$cleanup_pids $writer"

gaps=0
not_prefix=0
rounds=0
while [ ! -e "$test_dir/writer.done" ] && kill -0 "$writer" 2>/dev/null; do
    fetch standby "/v1/changefeed/latest?includemetadata=false" "$test_dir/latest" || continue
    last=$(jq .Sequence "$test_dir/latest")
    # The standby's newest page, then the primary's, which started later.
    offset=$(((last - 1) / per_page * per_page))
    if fetch standby "/v1/changefeed?offset=$offset&limit=100" "$test_dir/t_s" &&
        fetch primary "/v1/changefeed?offset=$offset&limit=100" "$test_dir/t_p"; then
        jq -e "[.[].Sequence] == [range($((offset + 1)); $((offset + 1)) + length)] and length > 0" \
            "$test_dir/t_s" >/dev/null || gaps=$((gaps + 1))
        jq -e --slurpfile s "$test_dir/t_s" '.[:($s[0] | length)] == $s[0]' "$test_dir/t_p" >/dev/null ||
            not_prefix=$((not_prefix + 1))
    else
        gaps=$((gaps + 1))
    fi
    rounds=$((rounds + 1))
    echo "$rounds" >>"$compared"
done
writer_rc=0
wait "$writer" || writer_rc=$?
check "the writer's ingests succeeded" [ "$writer_rc" = 0 ]
check "the standby was read while the primary was written ($rounds rounds)" [ "$rounds" -ge 6 ]
check "no page of the standby's node had a gap ($gaps did)" [ "$gaps" = 0 ]
check "each was a prefix of the primary's node's page ($not_prefix were not)" [ "$not_prefix" = 0 ]

total=$((10 + batches * 5))
pg_wait_replay
same_everywhere "$total"
check "after the writer, once replayed: every page the same on both nodes ($differ differed)" [ "$differ" = 0 ]
check "with the same ETags ($etags_differ differed)" [ "$etags_differ" = 0 ]
check "the feed is Sequence 1..$total, no gap, no duplicate" cmp -s <(jq .Sequence "$test_dir/all-pages") <(seq 1 "$total")
fetch primary "/v1/changefeed?limit=7" "$test_dir/e"
http GET "$base_standby/v1/changefeed?limit=7" "${auth[@]}" -H "If-None-Match: $(cat "$test_dir/e.etag")"
check "the primary's node's ETag answers 304 on the standby's node" [ "$status" = 304 ]

# A waiting client of the standby's node is woken by a commit it replays.
"$CURL" -s -u 'reader:correct horse' -o "$test_dir/waited" -w '%{http_code}' \
    "$base_standby/v1/changefeed?offset=$total&wait=30" >"$test_dir/waited.status" &
waiter=$!
cleanup_pids="$cleanup_pids $waiter"
"$INGEST" --db "$ingest_db" -q delete 1.2.826.0.1.3680043.10.543.2 1.2.826.0.1.3680043.10.543.2.1
wait "$waiter" || true
check "wait=30 on the standby's node answers with the entries the primary got" \
    bash -c "[ \"\$(cat '$test_dir/waited.status')\" = 200 ] && jq -e 'length == 5 and all(.[]; .Action == \"delete\")' '$test_dir/waited' >/dev/null"
total=$((total + 5))

# --- the standby away and back ---------------------------------------------------------------------------
fetch standby "/v1/changefeed?offset=$((total - 10))&limit=10" "$test_dir/before"
pg_standby_halt
bad=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
    http GET "$base_standby/v1/changefeed?limit=5" "${auth[@]}"
    if [ "$status" != 503 ] || [ -z "$(header Retry-After)" ] || ! body_is '.error.code == "ServiceUnavailable"'; then
        bad=$((bad + 1))
    fi
done
check "the standby stopped: its node answers 503, Retry-After, the JSON body ($bad did not)" [ "$bad" = 0 ]
http GET "$base_standby/v1/changefeed?offset=$total&wait=30" "${auth[@]}"
check "a wait=30 request answers 503 too" [ "$status" = 503 ]
fetch primary "/v1/changefeed?limit=5" "$test_dir/p"
check "the primary's node goes on" body_is '[.[].Sequence] == [1,2,3,4,5]'
"$INGEST" --db "$ingest_db" -q add "$test_dir/sample/instance-1-001.json"
total=$((total + 1))

pg_standby_resume
http GET "$base_standby/v1/changefeed?offset=$((total - 11))&limit=10" "${auth[@]}"
check "the standby back: its node answers 200 at once" [ "$status" = 200 ]
check "with the same page" cmp -s "$test_dir/body" "$test_dir/before"
check "from the same lighttpd" kill -0 "$pid_standby"
pg_wait_replay
fetch standby "/v1/changefeed/latest?includemetadata=false" "$test_dir/latest"
check "and what was written while it was away" body_is ".Sequence == $total"
same_everywhere "$total"
check "every page the same on both nodes again ($differ differed, $etags_differ ETags)" \
    [ "$differ.$etags_differ" = 0.0 ]

# --- logs ----------------------------------------------------------------------------------------------------
check "no answer was a 500 ($fives were)" [ "$fives" = 0 ]
check "the standby's responder said why it answered 503" grep -q 'DCMFEED_DB=host=' "$test_root/standby/responder.log"
mapfile -t logs < <(find "$test_root" -name '*.log' -type f)
check "the web role's password is in no log (${#logs[@]} logs)" absent 'DCMFEED_DB=host=' 'web pw' "${logs[@]}"
mapfile -t logs < <(find "$test_root/primary" "$test_root/standby" -name '*.log' -type f)
check "nothing was logged about patients" absent 'DCMFEED_DB=host=' 'Doe\^Jane|PAT1' "${logs[@]}"
finish
