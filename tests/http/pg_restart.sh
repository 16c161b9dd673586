#!/bin/bash
# A PostgreSQL restart under a running lighttpd + responder (the shipped
# FastCGI config, tests/lib/lib.sh's start_lighttpd, over a throwaway cluster):
# - a restart between two requests costs no 503: every responder thread
#   holds a connection when the server restarts, so the next requests all
#   meet a dead one, reconnect at once and answer 200;
# - while the server is down every request answers 503 with Retry-After and
#   the JSON error body, whole;
# - once it is back the next request answers 200 with the same page, from the
#   same lighttpd and responder processes, and new entries show.
# The conninfo carries a quoted password with a space in it (the cluster
# trusts local users, so it is not checked): it has to pass through
# lighttpd's config whole, and must never reach a log.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"

DCMFEED_TEST_BACKEND=pg use_test_backend
db="$PG_CONNINFO password='s3cret pw'"
make_sample "$test_dir/sample" 15
init_log "$db"
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json
add_user reader 'correct horse'
start_lighttpd
auth=(-u 'reader:correct horse')
lighttpd_pid=${cleanup_pids##* }
responders() { pgrep -P "$lighttpd_pid" | sort | tr '\n' ' '; }
# The responder's sessions on the test database (psql's own aside).
sessions() {
    pg_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$pg_db' AND pid <> pg_backend_pid()"
}
# whole: the last answer's Content-Length is its body's.
whole() { [ "$(header Content-Length)" = "$(wc -c <"$test_dir/body")" ]; }

http GET "$base/v1/changefeed?limit=5" "${auth[@]}"
check "the feed is served over PostgreSQL" body_is '[.[].Sequence] == [1,2,3,4,5]'
check "the password with a space passed through lighttpd's config" bash -c "grep -qF \"password='s3cret pw'\" '$test_dir/dcmfeed.conf'"
cp "$test_dir/body" "$test_dir/page"

# lighttpd starts min-procs responder processes and spawns more, up to
# max-procs, under load. Bursts of requests that wait (wait=1 on an empty
# page holds a thread, up to DCMFEED_MAX_WAITERS a process) until all of
# them run and every thread of each has opened its connection.
# The full route's pool: the config's first fastcgi.server.
setting() { grep -m1 "\"$1\"" "$test_dir/dcmfeed.conf" | tr -dc '0-9'; }
want=$(($(setting max-procs) * $(setting DCMFEED_THREADS)))
for _ in $(seq 1 30); do
    [ "$(sessions)" -ge "$want" ] && break
    seq 1 $((want * 2)) | xargs -P $((want * 2)) -I{} "$CURL" -s -o /dev/null \
        -u 'reader:correct horse' "$base/v1/changefeed?offset=15&wait=1&_={}"
done
check "every thread of every responder process holds a connection ($want)" [ "$(sessions)" -ge "$want" ]
procs_before=$(responders)

# --- a restart between requests ----------------------------------------------------------
pg_halt
pg_resume
not_200=0
changed=0
for _ in $(seq 1 $((want * 3))); do
    http GET "$base/v1/changefeed?limit=5" "${auth[@]}"
    [ "$status" = 200 ] || not_200=$((not_200 + 1))
    cmp -s "$test_dir/body" "$test_dir/page" || changed=$((changed + 1))
done
check "after a restart every request answers 200, none 503 ($not_200 did not)" [ "$not_200" = 0 ]
check "and the same page ($changed differed)" [ "$changed" = 0 ]
check "the responders reconnected" grep -q 'reopening the log' "$test_dir/responder.log"

# --- the server away ----------------------------------------------------------------------
pg_halt
bad=0
for _ in $(seq 1 $((want + 2))); do
    http GET "$base/v1/changefeed?limit=5" "${auth[@]}"
    if [ "$status" != 503 ] || ! whole || [ -z "$(header Retry-After)" ] ||
        ! body_is '.error.code == "ServiceUnavailable"'; then
        bad=$((bad + 1))
    fi
done
check "while the server is down: 503, Retry-After, the JSON body, whole ($bad were not)" [ "$bad" = 0 ]
http GET "$base/v1/changefeed?offset=15&wait=30" "${auth[@]}"
check "a wait=30 request answers 503 too" [ "$status" = 503 ]
http HEAD "$base/v1/changefeed/latest" "${auth[@]}"
check "HEAD while down: 503" [ "$status" = 503 ]

# --- the server back ------------------------------------------------------------------------
pg_resume
http GET "$base/v1/changefeed?limit=5" "${auth[@]}"
check "once the server is back the next request answers 200" [ "$status" = 200 ]
check "with the same page, byte for byte" cmp -s "$test_dir/body" "$test_dir/page"
check "from the same lighttpd" kill -0 "$lighttpd_pid"
# (lighttpd may have stopped a process that had been idle for a while.)
new_procs=0
for pid in $(responders); do
    case " $procs_before " in *" $pid "*) ;; *) new_procs=$((new_procs + 1)) ;; esac
done
check "and responder processes started before the outage ($new_procs new)" [ "$new_procs" = 0 ]
"$INGEST" --db "$db" -q delete 1.2.826.0.1.3680043.10.543.1 1.2.826.0.1.3680043.10.543.1.1
http GET "$base/v1/changefeed?offset=15" "${auth[@]}"
check "entries ingested after the restart show" body_is 'length == 5 and all(.[]; .Action == "delete")'

# --- what was logged ---------------------------------------------------------------------------
check "the address was logged while the server was down" grep -q 'DCMFEED_DB=host=' "$test_dir/responder.log"
check "with its password hidden" grep -qF "password=***" "$test_dir/responder.log"
check "the password is in no log" absent 'password=\*\*\*' s3cret "$test_dir/responder.log" "$test_dir/error.log"
check "nothing was logged about patients" absent 'DCMFEED_DB=host=' 'Doe\^Jane|PAT1' "$test_dir/error.log" "$test_dir/responder.log"
finish
