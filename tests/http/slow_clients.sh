#!/bin/bash
# Clients that ask for large pages and never read them, twice as many as the
# responder has threads, through the shipped lighttpd config (which passes
# answers on as they come: server.stream-response-body = 2, so lighttpd stops
# reading the responder when its client stops reading). The feed keeps
# answering everyone else at once: the responder parks what a slow client
# has not taken (src/drainer.h) instead of waiting for it. Then the bound on
# parked bytes: past it an answer is cut, never waited for.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
[ -x /usr/bin/python3 ] || skip_all "python3 is not installed"

db="$test_dir/feed.db"
# 100 entries of 170 KB: a page of 100 is about 17 MB.
/usr/bin/python3 "$top_srcdir/tests/lib/make_big.py" "$test_dir/big" 100 170000
init_log "$db"
"$INGEST" --db "$db" -q add "$test_dir/big"
add_user reader slow
auth=(-u reader:slow)

# never_readers N URL: N connections that each send a request for URL and
# then read nothing, held until the test ends; waits until every request is
# sent.
never_readers() {
    /usr/bin/python3 - "$1" "$port" "$2" "$test_dir/never.ready" <<'PY' &
import base64, socket, sys, time
n, port, path, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
auth = base64.b64encode(b"reader:slow").decode()
held = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    # The smallest receive buffer: the kernel takes the least on our behalf.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n\r\n".encode())
    held.append(s)
open(ready, "w").close()
time.sleep(600)
PY
    cleanup_pids="$cleanup_pids $!"
    until_true 20 test -f "$test_dir/never.ready"
    rm -f "$test_dir/never.ready"
    # Let the responders build and start sending those answers.
    sleep 2
}

# latest_answers LABEL: /latest answers 200 within 10 s (it takes a few ms;
# a responder whose every thread waits on a slow client never answers).
latest_answers() {
    local start took
    start=$(date +%s%N)
    http GET "$base/v1/changefeed/latest?includemetadata=false" "${auth[@]}" --max-time 10
    took=$((($(date +%s%N) - start) / 1000000))
    check "$1 (${took} ms)" [ "$status" = 200 ]
}

start_lighttpd
# The full route's pool: the config's first fastcgi.server (the research
# route's comes after it).
threads=$(sed -n 's/.*"DCMFEED_THREADS" *=> *"\([0-9]*\)".*/\1/p' "$test_dir/dcmfeed.conf" | head -1)
procs=$(sed -n 's/.*"max-procs" *=> *\([0-9]*\).*/\1/p' "$test_dir/dcmfeed.conf" | head -1)
slow=$((2 * threads * procs))
echo "# $procs processes x $threads threads; $slow clients that never read"

http GET "$base/v1/changefeed?limit=100" "${auth[@]}"
check "a page of 100 large entries answers whole" body_is 'length == 100'
size=$(stat -c %s "$test_dir/body")
check "and is larger than 16 MB ($size bytes)" [ "$size" -gt 16000000 ]

# lighttpd starts its second responder process only when the first is busy:
# requests that wait for news bring up every process first, so that the
# clients below find them all.
lighttpd_pid=${cleanup_pids##* }
warm=""
for _ in $(seq 1 $((threads * procs))); do
    "$CURL" -s -o /dev/null "${auth[@]}" "$base/v1/changefeed?offset=100&wait=2" &
    warm="$warm $!"
done
all_started() { [ "$(pgrep -c -P "$lighttpd_pid")" -ge "$procs" ]; }
until_true 10 all_started || echo "# lighttpd started $(pgrep -c -P "$lighttpd_pid") of $procs processes"
# shellcheck disable=SC2086
wait $warm
responders_before=$(pgrep -P "$lighttpd_pid" | sort | tr '\n' ' ')
never_readers "$slow" "/dicom/v1/changefeed?limit=100"
for i in 1 2 3; do latest_answers "latest answers while $slow clients never read, try $i"; done
http GET "$base/v1/changefeed?offset=90&limit=10" "${auth[@]}" --max-time 10
check "a page of large entries answers too" body_is 'length == 10'
responders_after=$(pgrep -P "$lighttpd_pid" | sort | tr '\n' ' ')
# lighttpd starts its second process when the first is busy: every
# responder that was there is still there, and no crashed one was replaced.
kept=true
for pid in $responders_before; do case " $responders_after " in *" $pid "*) ;; *) kept=false ;; esac; done
# (The research route's pool, full_route leaves out, has its own process.)
alive() { [ -n "$responders_before" ] && $kept && [ "$(full_route $responders_after | wc -l)" -le "$procs" ]; }
check "no responder died ($responders_before-> $responders_after)" alive
for pid in $responders_after; do
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
    echo "# responder $pid holds $((rss / 1024)) MB for the clients that never read"
done

# The bound: 20 MB per process holds one parked answer of 17 MB, not two;
# the others are cut (their connections closed, logged), while the feed goes
# on answering everyone else.
kill "$lighttpd_pid" "${cleanup_pids##* }"
wait "$lighttpd_pid" 2>/dev/null || true
sed -i 's/"DCMFEED_SLOW_CLIENTS_MB" *=> *"[0-9]*"/"DCMFEED_SLOW_CLIENTS_MB" => "20"/' "$test_dir/dcmfeed.conf"
check "the shipped config sets the bound" grep -q '"DCMFEED_SLOW_CLIENTS_MB" => "20"' "$test_dir/dcmfeed.conf"
"$LIGHTTPD" -D -f "$test_dir/lighttpd.conf" &
cleanup_pids="$cleanup_pids $!"
wait_port "$port" || { cat "$test_dir/error.log"; echo "lighttpd did not start again"; exit 1; }
: >"$test_dir/responder.log"
never_readers "$slow" "/dicom/v1/changefeed?limit=100"
for i in 1 2 3; do latest_answers "latest answers past the bound, try $i"; done
# (The responders may still be building those answers: a sanitizer's build
# on a loaded machine takes seconds for each.)
cut_logged() { grep -q "an answer for a slow client is cut: .* bytes already wait for slow clients" "$test_dir/responder.log"; }
check "answers past the bound are cut, and logged" until_true 60 cut_logged
check "nothing was logged about patients" \
    bash -c "! grep -q -e '1\.5,1\.5' -e xxxxxxxx '$test_dir/responder.log' '$test_dir/error.log'"
finish
