#!/bin/bash
# The shipped lighttpd CGI config (apache-conf/lighttpd-dcmfeed-cgi.conf.in) in
# a real lighttpd on a loopback port, running the responder with mod_cgi as
# the server's user: access needs a password, no URL outside the prefix
# reaches the responder, and the feed and its errors come through unchanged
# while that user can only read the log.
set -eu
. "${top_srcdir:-.}/tests/lib/apache_lib.sh"
. "$top_srcdir/tests/lib/viewer_lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"

# What make installs, with this test's paths: the responder is copied so that
# the server's user can reach it wherever the build tree is.
install -m 0755 "$FCGI" "$test_dir/cgi-bin/changefeed.fcgi"
render_config "$top_srcdir/apache-conf/lighttpd-dcmfeed-cgi.conf.in" "$test_dir/dcmfeed.conf" "$test_dir/cgi-bin/changefeed.fcgi"
install_viewer

# As Debian's lighttpd.conf: mod_alias is loaded before the include.
lighttpd_start() {
    # lighttpd opens its logs as the server's user.
    : >"$test_dir/error.log"
    : >"$test_dir/responder.log"
    [ "$(id -u)" != 0 ] || chown "$server_user:$server_group" "$test_dir/error.log" "$test_dir/responder.log"
    {
        echo "server.modules = ( \"mod_access\", \"mod_alias\" )"
        echo "server.document-root = \"$test_dir/www\""
        echo "server.bind = \"127.0.0.1\""
        echo "server.port = $port"
        echo "server.errorlog = \"$test_dir/error.log\""
        # Where the CGI's stderr goes (else lighttpd's own stderr).
        echo "server.breakagelog = \"$test_dir/responder.log\""
        echo "server.pid-file = \"$test_dir/server/lighttpd.pid\""
        echo "server.max-request-field-size = 16384"
        if [ "$(id -u)" = 0 ]; then
            echo "server.username = \"$server_user\""
            echo "server.groupname = \"$server_group\""
        fi
        echo "include \"$test_dir/dcmfeed.conf\""
    } >"$test_dir/lighttpd.conf"
    "$LIGHTTPD" -tt -f "$test_dir/lighttpd.conf" || { echo "lighttpd rejects the config"; exit 1; }
    "$LIGHTTPD" -D -f "$test_dir/lighttpd.conf" &
    server_pid=$!
    wait_port "$port" || { cat "$test_dir/error.log"; echo "lighttpd did not start"; exit 1; }
}
server_pid=""
lighttpd_start
# stop_all (apache_lib.sh) stops whatever the trap finds; stop the server first.
trap '[ -z "$server_pid" ] || stop_pid "$server_pid" 10; stop_all' EXIT

base="http://127.0.0.1:$port/dicom"
auth=(-u 'reader:correct horse')

http GET "$base/v1/changefeed"
check "anonymous request answers 401" [ "$status" = 401 ]
check "401 asks for Basic credentials" bash -c "grep -qi '^WWW-Authenticate: Basic' '$test_dir/head'"
http GET "$base/v1/changefeed" -u 'reader:wrong'
check "wrong password answers 401" [ "$status" = 401 ]
http GET "$base/v1/changefeed" -u 'nobody:correct horse'
check "unknown user answers 401" [ "$status" = 401 ]
# Had they reached it, the responder would have logged the missing log.
check "the 401s came before the responder ran" \
    absent "password doesn't match for /dicom/v1/changefeed username: nobody" 'changefeed\.fcgi:' \
    "$test_dir/error.log" "$test_dir/responder.log"

http GET "$base/v1/changefeed" "${auth[@]}"
check "no log yet answers 503 through lighttpd CGI" [ "$status" = 503 ]
check "503 JSON body through lighttpd CGI" body_is '.error.code == "ServiceUnavailable"'
check "503 Retry-After through lighttpd CGI" [ "$(header Retry-After)" = 5 ]
check "the responder's complaint is in the error log" grep -q 'changefeed.fcgi: no log at ' "$test_dir/responder.log"

make_log 15

http GET "$base/v1/changefeed" "${auth[@]}"
check "right password answers 200" [ "$status" = 200 ]
check "the feed comes through" body_is '[.[].Sequence] == [1,2,3,4,5,6,7,8,9,10]'
check "with metadata" body_is 'all(.[]; .Metadata["00100010"].vr == "PN")'
check "Content-Type through lighttpd CGI" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
check "Cache-Control through lighttpd CGI" [ "$(header Cache-Control)" = "no-store" ]
check "nosniff through lighttpd CGI" [ "$(header X-Content-Type-Options)" = "nosniff" ]
http GET "$base/v1/changefeed/?offset=10&limit=100" "${auth[@]}"
check "paging (and a trailing slash) through lighttpd CGI" body_is '[.[].Sequence] == [11,12,13,14,15]'

# The shipped config's second route: the same feed de-identified, run
# with its own DCMFEED_METADATA.
check_research_route "http://127.0.0.1:$port"
http GET "$base/v1/changefeed/latest?includemetadata=false" "${auth[@]}"
check "latest through lighttpd CGI" body_is '.Sequence == 15 and (has("Metadata") | not)'
http GET "$base/v1/changefeed?offset=10" "${auth[@]}"
etag=$(header ETag)
check "ETag through lighttpd CGI" [ -n "$etag" ]
http GET "$base/v1/changefeed?offset=10" "${auth[@]}" -H "If-None-Match: $etag"
check "If-None-Match reaches the responder: 304 through lighttpd CGI" [ "$status" = 304 ]
check "304 has no body through lighttpd CGI" [ ! -s "$test_dir/body" ]
http GET "$base/v1/changefeed?limit=2" "${auth[@]}"
get_len=$(header Content-Length)
http HEAD "$base/v1/changefeed?limit=2" "${auth[@]}"
check "HEAD through lighttpd CGI" [ "$status" = 200 ]
check "HEAD gives GET's Content-Length through lighttpd CGI" [ "$(header Content-Length)" = "$get_len" ]
http HEAD "$base/v1/changefeed" -u 'reader:wrong'
check "HEAD needs the password too" [ "$status" = 401 ]

http GET "$base/v1/changefeed?limit=500" "${auth[@]}"
check "400 through lighttpd CGI" [ "$status" = 400 ]
check "400 body through lighttpd CGI" body_is '.error.code == "InvalidParameter" and (.error.message | test("limit"))'
check "400 Content-Type through lighttpd CGI" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
http GET "$base/v7/changefeed" "${auth[@]}"
check "unsupported version through lighttpd CGI" [ "$status" = 400 ]
check "UnsupportedApiVersion body through lighttpd CGI" body_is '.error.code == "UnsupportedApiVersion"'
http GET "$base/v1/elsewhere" "${auth[@]}"
check "404 through lighttpd CGI" [ "$status" = 404 ]
check "404 body through lighttpd CGI" body_is '.error.code == "NotFound"'
posts_ok=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
    http POST "$base/v1/changefeed" "${auth[@]}" --data-binary "@$test_dir/dcmfeed.conf"
    [ "$status" != 405 ] || [ "$(header Allow)" != "GET, HEAD" ] ||
        ! body_is '.error.code == "MethodNotAllowed"' || posts_ok=$((posts_ok + 1))
done
check "ten POSTs with a body each get the whole 405 with Allow ($posts_ok/10)" [ "$posts_ok" = 10 ]
http GET "$base/v1/changefeed?x=$(head -c 9000 /dev/zero | tr '\0' a)" "${auth[@]}"
check "414 through lighttpd CGI" [ "$status" = 414 ]
check "414 body through lighttpd CGI" body_is '.error.code == "UriTooLong"'

check_prefix_boundaries
check_viewer_served "$base" "${auth[@]}"

"$INGEST" --db "$db" -q delete 1.2.826.0.1.3680043.10.543.1 1.2.826.0.1.3680043.10.543.1.1
http GET "$base/v1/changefeed?offset=15" "${auth[@]}"
check "new entries appear" body_is 'length == 5 and all(.[]; .Action == "delete")'
http GET "$base/v2/changefeed?limit=200" "${auth[@]}"
check "v2 through lighttpd CGI" body_is 'length == 20'

t0=$(date +%s%N)
http GET "$base/v1/changefeed?offset=20&wait=1" "${auth[@]}"
held_ms=$((($(date +%s%N) - t0) / 1000000))
check "wait=1 at the end answers an empty page" bash -c "[ '$status' = 200 ] && [ \"\$(cat '$test_dir/body')\" = '[]' ]"
check "wait=1 held the request about a second (${held_ms} ms)" [ "$held_ms" -ge 900 ]

check_concurrent "$base/v1/changefeed?limit=100" 'length == 20'

check "nothing was logged about patients" absent 'changefeed\.fcgi: no log at ' 'Doe\^Jane|PAT1' \
    "$test_dir/error.log" "$test_dir/responder.log"
stop_pid "$server_pid" 10
wait "$server_pid" 2>/dev/null || true
server_pid=""
check "no server or responder process is left" no_process_left
finish
