#!/bin/bash
# A shipped Apache config (apache-conf/apache-dcmfeed-MODE.conf.in) in a real
# apache2 on a loopback port, MODE being fcgid (mod_fcgid spawns the
# responder), proxy-fcgi (mod_proxy_fcgi to the responder run by spawn-fcgi on
# a unix socket) or cgi (mod_cgid): access needs a password, no URL outside
# the prefix reaches the responder, and the feed and its errors come through
# unchanged while the server's user can only read the log.
set -eu
mode=${1:-${APACHE_MODE:-}}
. "${top_srcdir:-.}/tests/lib/apache_lib.sh"
. "$top_srcdir/tests/lib/viewer_lib.sh"

case $mode in
fcgid) modules="fcgid env" ;;
proxy-fcgi) modules="proxy proxy_fcgi setenvif env" ;;
cgi) modules="cgid env" ;;
*)
    echo "usage: apache.sh fcgid|proxy-fcgi|cgi" >&2
    exit 2
    ;;
esac
apache_require $modules
if [ "$mode" = proxy-fcgi ]; then
    [ -n "${SPAWN_FCGI:-}" ] && [ -x "$SPAWN_FCGI" ] ||
        skip_all "spawn-fcgi is not installed (apt-get install spawn-fcgi)"
fi

# What make installs, with this test's paths: the responder is copied so that
# the server's user can reach it wherever the build tree is.
install -m 0755 "$FCGI" "$test_dir/cgi-bin/changefeed.fcgi"
render_config "$top_srcdir/apache-conf/apache-dcmfeed-$mode.conf.in" "$test_dir/dcmfeed.conf" "$test_dir/cgi-bin/changefeed.fcgi"
install_viewer

if [ "$mode" = proxy-fcgi ]; then
    # As installed: the responder runs as its own service, here as the
    # server's user, on a socket only that user may use.
    spawn_user=()
    [ "$(id -u)" != 0 ] || spawn_user=(-u "$server_user" -g "$server_group" -U "$server_user" -G "$server_group")
    # spawn_responder LOG SOCKET: a responder on LOG listening on SOCKET;
    # sets spawned_pid.
    spawn_responder() {
        env DCMFEED_DB="$1" "$SPAWN_FCGI" -n -s "$2" -M 0660 "${spawn_user[@]}" \
            -- "$test_dir/cgi-bin/changefeed.fcgi" 2>>"$test_dir/responder.log" &
        spawned_pid=$!
        for _ in $(seq 1 50); do [ -S "$2" ] && break; sleep 0.1; done
        [ -S "$2" ] || { cat "$test_dir/responder.log"; echo "spawn-fcgi did not start"; exit 1; }
    }
    spawn_responder "$db" "$test_dir/run/changefeed.sock"
    responder_pid=$spawned_pid

    # A neighbour: another FastCGI application of the same Apache, behind a
    # ProxyPass named fcgi://localhost/ as Debian's PHP-FPM config and most
    # guides name theirs (here a second responder on a log of its own, without
    # a password). mod_proxy keeps one worker, and so one socket, per fcgi://
    # name: were the feed's named the same, one would get the other's answers.
    make_sample "$test_dir/other-sample" 3 7 >/dev/null
    init_log "$test_dir/db/other.db"
    (umask 027 && "$INGEST" --db "$test_dir/db/other.db" -q add "$test_dir"/other-sample/*.json)
    spawn_responder "$test_dir/db/other.db" "$test_dir/run/other.sock"
    neighbour_pid=$spawned_pid
    cat >>"$test_dir/dcmfeed.conf" <<CONF
<Location "/other/">
    ProxyPass "unix:$test_dir/run/other.sock|fcgi://localhost/"
    SetEnvIf Request_URI "^" proxy-fcgi-pathinfo=1
</Location>
CONF
fi

apache_start "$modules"

base="http://127.0.0.1:$port/dicom"
auth=(-u 'reader:correct horse')

http GET "$base/v1/changefeed"
check "anonymous request answers 401" [ "$status" = 401 ]
check "401 asks for Basic credentials" bash -c "grep -qi '^WWW-Authenticate: Basic' '$test_dir/head'"
http GET "$base/v1/changefeed" -u 'reader:wrong'
check "wrong password answers 401" [ "$status" = 401 ]
http GET "$base/v1/changefeed" -u 'nobody:correct horse'
check "unknown user answers 401" [ "$status" = 401 ]
# Had they reached it, the responder would have logged the missing log
# (as it does below); Apache logged the refusals.
check "the 401s came before the responder ran" absent 'AH01618: user nobody not found' 'changefeed\.fcgi:' \
    "$test_dir/error.log" "$test_dir/responder.log"

http GET "$base/v1/changefeed" "${auth[@]}"
check "no log yet answers 503 through apache ($mode)" [ "$status" = 503 ]
check "503 JSON body through apache" body_is '.error.code == "ServiceUnavailable"'
check "503 Retry-After through apache" [ "$(header Retry-After)" = 5 ]
check "503 Content-Type through apache" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
check "the responder's complaint is in the error log" \
    bash -c "grep -q 'changefeed.fcgi: no log at ' '$test_dir/error.log' '$test_dir/responder.log'"

make_log 15

http GET "$base/v1/changefeed" "${auth[@]}"
check "right password answers 200" [ "$status" = 200 ]
check "the feed comes through" body_is '[.[].Sequence] == [1,2,3,4,5,6,7,8,9,10]'
check "with metadata" body_is 'all(.[]; .Metadata["00100010"].vr == "PN")'
if [ "$mode" = proxy-fcgi ]; then
    http GET "http://127.0.0.1:$port/other/v1/changefeed"
    check "a neighbour FastCGI app behind fcgi://localhost/ answers from its own socket" \
        body_is 'length == 3 and all(.[]; .StudyInstanceUid | endswith(".543.7"))'
    http GET "$base/v1/changefeed" "${auth[@]}"
    check "and the feed from its own, asked after it" \
        body_is 'length == 10 and all(.[]; .StudyInstanceUid | endswith(".543.1"))'
fi
check "Content-Type through apache" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
check "Cache-Control through apache" [ "$(header Cache-Control)" = "no-store" ]
check "nosniff through apache" [ "$(header X-Content-Type-Options)" = "nosniff" ]
http GET "$base/v1/changefeed/?offset=10&limit=100" "${auth[@]}"
check "paging (and a trailing slash) through apache" body_is '[.[].Sequence] == [11,12,13,14,15]'

# The shipped config's second route: the same feed de-identified, by the
# same responder processes (SetEnv) or CGI program.
check_research_route "http://127.0.0.1:$port"
http GET "$base/v1/changefeed/latest?includemetadata=false" "${auth[@]}"
check "latest through apache" body_is '.Sequence == 15 and (has("Metadata") | not)'
# A query without '=' (a cache-buster): CGI servers pass such a query as the
# program's arguments too (RFC 3875 4.4, "search strings"); it is a request
# like any other.
http GET "$base/v1/changefeed?cachebuster1234" "${auth[@]}"
check "a query without '=' through apache: the first page" body_is '[.[].Sequence] == [1,2,3,4,5,6,7,8,9,10]'
http GET "$base/v1/changefeed?offset=10" "${auth[@]}"
etag=$(header ETag)
check "ETag through apache" [ -n "$etag" ]
http GET "$base/v1/changefeed?offset=10" "${auth[@]}" -H "If-None-Match: $etag"
check "If-None-Match reaches the responder: 304 through apache" [ "$status" = 304 ]
check "304 has no body through apache" [ ! -s "$test_dir/body" ]
http GET "$base/v1/changefeed?limit=2" "${auth[@]}"
get_len=$(wc -c <"$test_dir/body")
http HEAD "$base/v1/changefeed?limit=2" "${auth[@]}"
check "HEAD through apache" [ "$status" = 200 ]
# Apache keeps a responder's Content-Length only when it reads the whole
# answer at once; else it sends GET chunked, and HEAD without one.
head_len=$(header Content-Length)
check "HEAD's Content-Length, if any, is GET's through apache" \
    bash -c "[ -z '$head_len' ] || [ '$head_len' = '$get_len' ]"
check "HEAD's Content-Type through apache" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
check_gzip "$base/v1/changefeed?limit=15" "${auth[@]}"
http HEAD "$base/v1/changefeed" -u 'reader:wrong'
check "HEAD needs the password too" [ "$status" = 401 ]

http GET "$base/v1/changefeed?limit=500" "${auth[@]}"
check "400 through apache" [ "$status" = 400 ]
check "400 body through apache" body_is '.error.code == "InvalidParameter" and (.error.message | test("limit"))'
check "400 Content-Type through apache" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
http GET "$base/v7/changefeed" "${auth[@]}"
check "unsupported version through apache" [ "$status" = 400 ]
check "UnsupportedApiVersion body through apache" body_is '.error.code == "UnsupportedApiVersion"'
http GET "$base/v1/elsewhere" "${auth[@]}"
check "404 through apache" [ "$status" = 404 ]
check "404 body through apache" body_is '.error.code == "NotFound"'
check "404 Content-Type through apache" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
http POST "$base/v1/changefeed" "${auth[@]}" -d x=1
check "405 through apache" [ "$status" = 405 ]
check "405 Allow through apache" [ "$(header Allow)" = "GET, HEAD" ]
check "405 body through apache" body_is '.error.code == "MethodNotAllowed"'
# The responder does not want the body; the answer must arrive whole anyway.
posts_ok=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
    http POST "$base/v1/changefeed" "${auth[@]}" --data-binary "@$test_dir/dcmfeed.conf"
    [ "$status" != 405 ] || ! body_is '.error.code == "MethodNotAllowed"' || posts_ok=$((posts_ok + 1))
done
check "ten POSTs with a body each get the whole 405 ($posts_ok/10)" [ "$posts_ok" = 10 ]
http DELETE "$base/v1/changefeed" "${auth[@]}"
check "DELETE answers 405 through apache" [ "$status" = 405 ]
http GET "$base/v1/changefeed?x=$(head -c 9000 /dev/zero | tr '\0' a)" "${auth[@]}"
check "414 through apache" [ "$status" = 414 ]
check "414 body through apache" body_is '.error.code == "UriTooLong"'

# Only URLs under the prefix reach the responder, and all of them need the
# password: neighbours of the prefix, and spellings Apache normalises.
check_prefix_boundaries
# The viewer beside the feed, under the same password.
check_viewer_served "$base" "${auth[@]}"

# The process keeps serving after errors, and sees entries ingested since.
"$INGEST" --db "$db" -q delete 1.2.826.0.1.3680043.10.543.1 1.2.826.0.1.3680043.10.543.1.1
http GET "$base/v1/changefeed?offset=15" "${auth[@]}"
check "new entries appear without a restart" body_is 'length == 5 and all(.[]; .Action == "delete")'
http GET "$base/v2/changefeed?limit=200" "${auth[@]}"
check "v2 through apache" body_is 'length == 20'

# wait=N at the end of the feed: held for news where the responder has threads
# to spare; under mod_fcgid (one request per process) answered at once.
t0=$(date +%s%N)
http GET "$base/v1/changefeed?offset=20&wait=1" "${auth[@]}"
held_ms=$((($(date +%s%N) - t0) / 1000000))
check "wait=1 at the end answers an empty page" bash -c "[ '$status' = 200 ] && [ \"\$(cat '$test_dir/body')\" = '[]' ]"
if [ "$mode" = fcgid ]; then
    check "under mod_fcgid wait=1 answers at once (${held_ms} ms)" [ "$held_ms" -lt 900 ]
else
    check "wait=1 held the request about a second (${held_ms} ms)" [ "$held_ms" -ge 900 ]
fi

check_concurrent "$base/v1/changefeed?limit=100" 'length == 20'

if [ "$mode" = proxy-fcgi ]; then
    # With enablereuse=on Apache keeps its connections to the responder
    # (FCGI_KEEP_CONN), and the responder still closes each after its answer:
    # a kept one held a thread, and the accept lock, reading it while Apache
    # sent the next request on another, and every other request got a 504.
    # The short timeout makes such a wait fail in seconds.
    stop_pid "$apache_pid" 15
    wait "$apache_pid" 2>/dev/null || true
    sed -i 's/ timeout=75$/ timeout=5 enablereuse=on/' "$test_dir/dcmfeed.conf"
    apache_start "$modules"
    base="http://127.0.0.1:$port/dicom"
    answered=0
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        http GET "$base/v1/changefeed/latest" "${auth[@]}"
        [ "$status" != 200 ] || answered=$((answered + 1))
    done
    check "with enablereuse=on, ten requests in a row are answered ($answered/10)" [ "$answered" = 10 ]
fi

check "nothing was logged about patients" absent 'changefeed\.fcgi: no log at ' 'Doe\^Jane|PAT1' \
    "$test_dir/error.log" "$test_dir/responder.log"
[ -z "${neighbour_pid:-}" ] || { stop_pid "$neighbour_pid" 5; wait "$neighbour_pid" 2>/dev/null || true; }
apache_stop
check "no server or responder process is left" no_process_left
finish
