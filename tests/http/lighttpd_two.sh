#!/bin/bash
# Two lighttpd servers that include the same shipped FastCGI config (a test
# instance beside the real one): each spawns and talks to its own responders.
# They once shared the first one's socket, and when the first stopped the
# second answered 503 for ever. And a missing socket folder makes
# `lighttpd -tt` fail with the reason, not the start after it.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"

db="$test_dir/feed.db"
make_sample "$test_dir/sample" 3
init_log "$db"
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json
add_user reader 'correct horse'
auth=(-u 'reader:correct horse')
start_lighttpd
first_pid=$lighttpd_pid first_base=$base

# The second server: its own port, logs and pid, the same include.
port2=$(free_port)
cat >"$test_dir/second.conf" <<CONF
server.document-root = "$test_dir/www"
server.bind = "127.0.0.1"
server.port = $port2
server.errorlog = "$test_dir/error2.log"
server.breakagelog = "$test_dir/responder2.log"
include "$test_dir/dcmfeed.conf"
CONF
"$LIGHTTPD" -D -f "$test_dir/second.conf" &
second_pid=$!
cleanup_pids="$cleanup_pids $second_pid"
wait_port "$port2" || { cat "$test_dir/error2.log"; echo "the second lighttpd did not start"; exit 1; }
second_base="http://127.0.0.1:$port2/dicom"

http GET "$first_base/v1/changefeed" "${auth[@]}"
check "the first server answers 200" [ "$status" = 200 ]
http GET "$second_base/v1/changefeed" "${auth[@]}"
check "the second server answers 200" [ "$status" = 200 ]
ls "$test_dir/run" >"$test_dir/sockets"
check "each server has sockets of its own (its PID in their names)" \
    bash -c "grep -q 'lighttpd-$first_pid\.sock' '$test_dir/sockets' && grep -q 'lighttpd-$second_pid\.sock' '$test_dir/sockets'"
check "... the second server's responders are its own children" [ -n "$(fcgi_children "$second_pid")" ]

kill "$first_pid"
for _ in $(seq 1 50); do kill -0 "$first_pid" 2>/dev/null || break; sleep 0.1; done
for _ in 1 2 3 4 5 6; do
    http GET "$second_base/v1/changefeed" "${auth[@]}"
    [ "$status" = 200 ] || break
done
check "with the first server stopped, the second still answers 200" [ "$status" = 200 ]
check "... with the feed" body_is '[.[].Sequence] == [1,2,3]'

# A missing socket folder: -tt refuses, saying which folder.
sed "s|$test_dir/run|$test_dir/no-run|g" "$test_dir/dcmfeed.conf" >"$test_dir/norun.conf"
sed "s|$test_dir/dcmfeed.conf|$test_dir/norun.conf|" "$test_dir/second.conf" >"$test_dir/third.conf"
rc=0
"$LIGHTTPD" -tt -f "$test_dir/third.conf" >"$test_dir/tt.out" 2>&1 || rc=$?
check "lighttpd -tt with the socket folder missing fails" [ "$rc" != 0 ]
check "... saying which folder and what to do" \
    grep -q "dcmfeed: lighttpd-dcmfeed.conf: the FastCGI socket folder $test_dir/no-run is missing, create it first" "$test_dir/tt.out"
finish
