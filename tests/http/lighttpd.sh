#!/bin/bash
# The shipped lighttpd config (apache-conf/lighttpd-dcmfeed.conf.in) in a real
# lighttpd on a loopback port, spawning the responder over FastCGI: access
# needs a password, and the feed and its errors come through unchanged.
# With DCMFEED_TEST_BACKEND=pg (tests/http/lighttpd_pg.sh) the log is a PostgreSQL
# database, its conninfo passed through lighttpd's bin-environment.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/viewer_lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"

use_test_backend
add_user reader 'correct horse'
install_viewer
add_research_user researcher 'open data'
start_lighttpd "server.max-request-field-size = 16384"
auth=(-u 'reader:correct horse')

http GET "$base/v1/changefeed"
check "anonymous request answers 401" [ "$status" = 401 ]
http GET "$base/v1/changefeed" -u 'reader:wrong'
check "wrong password answers 401" [ "$status" = 401 ]

http GET "http://127.0.0.1:$port/dicomX/v1/changefeed" "${auth[@]}"
check "a URL that merely starts with the prefix does not reach the responder" [ "$status" = 404 ]
http GET "http://127.0.0.1:$port/dicom-web/x"
check "nor does the feed's password guard the rest of the server" [ "$status" = 404 ]

http GET "$base/v1/changefeed" "${auth[@]}"
check "no log yet answers 503 through lighttpd" [ "$status" = 503 ]
check "503 JSON body through lighttpd" body_is '.error.code == "ServiceUnavailable"'
check "503 Retry-After through lighttpd" [ -n "$(header Retry-After)" ]

make_sample "$test_dir/sample" 15
init_log "$db"
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json

http GET "$base/v1/changefeed" "${auth[@]}"
check "right password answers 200" [ "$status" = 200 ]
check "the feed comes through" body_is '[.[].Sequence] == [1,2,3,4,5,6,7,8,9,10]'
check "with metadata" body_is 'all(.[]; .Metadata["00100010"].vr == "PN")'
check "Content-Type through lighttpd" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
check "Cache-Control through lighttpd" [ "$(header Cache-Control)" = "no-store" ]
check "nosniff through lighttpd" [ "$(header X-Content-Type-Options)" = "nosniff" ]
http GET "$base/v1/changefeed?offset=10&limit=100" "${auth[@]}"
check "paging through lighttpd" body_is '[.[].Sequence] == [11,12,13,14,15]'

# The shipped config's second route: the same feed de-identified.
check_research_route "http://127.0.0.1:$port"
http GET "$base/v1/changefeed/latest?includemetadata=false" "${auth[@]}"
check "latest through lighttpd" body_is '.Sequence == 15 and (has("Metadata") | not)'
http GET "$base/v1/changefeed?limit=2" "${auth[@]}"
get_len=$(header Content-Length)
http HEAD "$base/v1/changefeed?limit=2" "${auth[@]}"
check "HEAD through lighttpd" [ "$status" = 200 ]
check "HEAD gives GET's Content-Length through lighttpd" [ "$(header Content-Length)" = "$get_len" ]
check_gzip "$base/v1/changefeed?limit=15" "${auth[@]}"
# lighttpd keeps the responder's Content-Length: it must be there.
http GET "$base/v1/changefeed?limit=15" "${auth[@]}" -H 'Accept-Encoding: gzip'
gz_len=$(wc -c <"$test_dir/body")
check "gzip's Content-Length through lighttpd" [ "$(header Content-Length)" = "$gz_len" ]
http HEAD "$base/v1/changefeed?limit=15" "${auth[@]}" -H 'Accept-Encoding: gzip'
check "HEAD with gzip gives GET's Content-Length through lighttpd" [ "$(header Content-Length)" = "$gz_len" ]

http GET "$base/v1/changefeed?limit=500" "${auth[@]}"
check "400 through lighttpd" [ "$status" = 400 ]
check "400 body through lighttpd" body_is '.error.code == "InvalidParameter"'
http GET "$base/v7/changefeed" "${auth[@]}"
check "unsupported version through lighttpd" [ "$status" = 400 ]
check "UnsupportedApiVersion body through lighttpd" body_is '.error.code == "UnsupportedApiVersion"'
http GET "$base/v1/elsewhere" "${auth[@]}"
check "404 through lighttpd" [ "$status" = 404 ]
check "404 body through lighttpd" body_is '.error.code == "NotFound"'
http POST "$base/v1/changefeed" "${auth[@]}" -d x=1
check "405 through lighttpd" [ "$status" = 405 ]
check "405 Allow through lighttpd" [ "$(header Allow)" = "GET, HEAD" ]
http GET "$base/v1/changefeed?x=$(head -c 9000 /dev/zero | tr '\0' a)" "${auth[@]}"
check "414 through lighttpd" [ "$status" = 414 ]
check "414 body through lighttpd" body_is '.error.code == "UriTooLong"'

# The process keeps serving after errors, and sees entries ingested since.
"$INGEST" --db "$db" -q delete 1.2.826.0.1.3680043.10.543.1 1.2.826.0.1.3680043.10.543.1.1
http GET "$base/v1/changefeed?offset=15" "${auth[@]}"
check "new entries appear without a restart" body_is 'length == 5 and all(.[]; .Action == "delete")'
http GET "$base/v2/changefeed?limit=200" "${auth[@]}"
check "v2 through lighttpd" body_is 'length == 20'

# --- conditional GET: 304 round trips in both versions ----------------------------------
for v in v1 v2; do
    http GET "$base/$v/changefeed?limit=3" "${auth[@]}"
    tag=$(header ETag)
    check "$v: 200 carries a strong ETag" [ "${tag:0:1}" = '"' ]
    http GET "$base/$v/changefeed?limit=3" "${auth[@]}" -H "If-None-Match: $tag"
    check "$v: If-None-Match answers 304" [ "$status" = 304 ]
    check "$v: 304 has no body" [ ! -s "$test_dir/body" ]
    check "$v: 304 repeats the ETag" [ "$(header ETag)" = "$tag" ]
    eval "tag_$v='$tag'"
done
# The process keeps finished answers (DCMFEED_CACHE_MB) only while the log
# stays as it was: the same page asked again after an ingest, in either
# encoding, shows what the ingest changed.
for i in 1 2; do http GET "$base/v1/changefeed?limit=3" "${auth[@]}" -H 'Accept-Encoding: gzip'; done
check "a page asked twice with gzip has the gzip ETag" [ "$(header ETag)" = "${tag_v1%\"}-gz\"" ]
gzip -dc "$test_dir/body" >"$test_dir/plain" && mv "$test_dir/plain" "$test_dir/body"
check "... and shows the State before the ingest (deleted)" body_is '.[1].State == "deleted"'
"$INGEST" --db "$db" -q add "$test_dir/sample/instance-1-002.json"
http GET "$base/v1/changefeed?limit=3" "${auth[@]}" -H "If-None-Match: $tag_v1"
check "after an ingest the old ETag gets 200" [ "$status" = 200 ]
check "after an ingest the ETag changed" [ "$(header ETag)" != "$tag_v1" ]
check "and the page shows the new State" body_is '.[1].State == "replaced"'
http GET "$base/v1/changefeed?limit=3" "${auth[@]}" -H 'Accept-Encoding: gzip'
gzip -dc "$test_dir/body" >"$test_dir/plain" && mv "$test_dir/plain" "$test_dir/body"
check "and so does its gzip, asked before the ingest" body_is '.[1].State == "replaced"'

# --- wait=N -----------------------------------------------------------------------------
http GET "$base/v1/changefeed/latest" "${auth[@]}"
last=$(jq .Sequence "$test_dir/body")
start=$(date +%s%N)
http GET "$base/v1/changefeed?offset=$last&wait=1" "${auth[@]}"
took=$((($(date +%s%N) - start) / 1000000))
check "wait=1 on an empty page answers [] (after ${took} ms)" [ "$(cat "$test_dir/body")" = "[]" ]
check "wait=1 held the request about a second" [ "$took" -ge 900 ]

( sleep 0.5; "$INGEST" --db "$db" -q add "$test_dir/sample/instance-1-003.json" ) &
writer=$!
start=$(date +%s%N)
http GET "$base/v1/changefeed?offset=$last&wait=20" "${auth[@]}"
took=$((($(date +%s%N) - start) / 1000000))
wait "$writer"
check "wait returns with the entry ingested meanwhile (after ${took} ms)" body_is \
    ".[0].Sequence == $((last + 1)) and (.[0].SopInstanceUid | endswith(\".1.1.3\"))"
check "wait returned early" [ "$took" -lt 10000 ]

# A waiting request does not hold up others: the process has threads for them.
"$CURL" -s -o /dev/null -u 'reader:correct horse' "$base/v1/changefeed?offset=$((last + 1))&wait=4" &
waiter=$!
sleep 0.3
start=$(date +%s%N)
http GET "$base/v1/changefeed/latest" "${auth[@]}"
took=$((($(date +%s%N) - start) / 1000000))
check "a request beside a waiting one answers at once (${took} ms)" [ "$took" -lt 2000 ]
kill "$waiter" 2>/dev/null || true

# The viewer beside the feed, under the same password.
check_viewer_served "$base" "${auth[@]}"

# SIGTERM between requests: a responder process exits at once, cleanly.
lighttpd_pid=${cleanup_pids##* }
responder=$(pgrep -P "$lighttpd_pid" | head -n 1 || true)
if [ -n "$responder" ]; then
    kill -TERM "$responder"
    for _ in $(seq 1 30); do kill -0 "$responder" 2>/dev/null || break; sleep 0.1; done
    check "a responder process exits on SIGTERM between requests" bash -c "! kill -0 $responder 2>/dev/null"
else
    not_ok "no responder process found under lighttpd"
fi

check "the responder's error lines reach the server's log" grep -q "$no_log_logged" "$test_dir/responder.log"
check "nothing was logged about patients" absent "$no_log_logged" 'Doe\^Jane|PAT1' "$test_dir/error.log" "$test_dir/responder.log"
finish
