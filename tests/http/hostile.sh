#!/bin/bash
# Hostile requests, table-driven: each gets its exact status and error code
# (spec §2, §5, §7) from the responder run as CGI, and its exact answer
# through a real lighttpd, where the one FastCGI process it spawned serves
# them all and is still the same process afterwards: a crash is caught by
# its PID (lighttpd respawns a dead child and words the crash its own way).
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"

db="$test_dir/feed.db"
make_sample "$test_dir/sample" 3
init_log "$db"
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json

long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }
# status | code | through lighttpd | method | PATH_INFO | QUERY_STRING
# "Through lighttpd" is "=" when lighttpd passes the request on and the
# answer is the same; else what lighttpd 1.4.69 makes of it with its default
# server.http-parseopts: "STATUS -" when it refuses the request itself (no
# JSON body of the responder), "STATUS CODE" when it normalises the URL and the
# responder answers that, "200 page" or "200 latest" when the normalised URL
# is a valid request of the feed.
table=$(cat <<TABLE
414|UriTooLong|=|GET|/v1/changefeed|x=$(long 8193)
414|UriTooLong|=|GET|/v1/changefeed|limit=1&$(long 9000 '%')
414|UriTooLong|431 -|GET|/v1/changefeed|$(long 65536 '&')
400|InvalidParameter|=|GET|/v1/changefeed|limit=%
400|InvalidParameter|=|GET|/v1/changefeed|limit=%4
400|InvalidParameter|=|GET|/v1/changefeed|limit=%G1
400|InvalidParameter|=|GET|/v1/changefeed|limit=1%ZZ
400|InvalidParameter|200 page|GET|/v1/changefeed|%zz=1
400|InvalidParameter|200 page|GET|/v1/changefeed|cachebuster=%
400|InvalidParameter|400 -|GET|/v1/changefeed|x=%00
400|InvalidParameter|400 -|GET|/v1/changefeed|limit=1%00
400|InvalidParameter|400 -|GET|/v1/changefeed|limit%00=1
400|InvalidParameter|=|GET|/v1/changefeed|limit=%2531
400|InvalidParameter|400 -|GET|/v1/changefeed|limit=%C0%B1
400|InvalidParameter|=|GET|/v1/changefeed|limit=%EF%BC%91
400|InvalidParameter|400 -|GET|/v1/changefeed|limit=%FF
400|InvalidParameter|=|GET|/v1/changefeed|limit=99999999999999999999999999999999
400|InvalidParameter|=|GET|/v1/changefeed|offset=9223372036854775808
400|InvalidParameter|=|GET|/v1/changefeed|offset=18446744073709551616
400|InvalidParameter|=|GET|/v1/changefeed|offset=-9223372036854775808
400|InvalidParameter|=|GET|/v1/changefeed|offset=0x10
400|InvalidParameter|=|GET|/v1/changefeed|offset=1e3
400|InvalidParameter|=|GET|/v1/changefeed|offset=1.0
400|InvalidParameter|=|GET|/v1/changefeed|offset=%20%201
400|InvalidParameter|400 -|GET|/v1/changefeed|offset=1%09
400|InvalidParameter|=|GET|/v1/changefeed|offset=+1
400|InvalidParameter|=|GET|/v1/changefeed|offset=%2B1
400|InvalidParameter|=|GET|/v1/changefeed|offset=
400|InvalidParameter|=|GET|/v1/changefeed|offset
400|InvalidParameter|=|GET|/v1/changefeed|limit=1&limit=1
400|InvalidParameter|=|GET|/v1/changefeed|LIMIT=1&limit=2
400|InvalidParameter|=|GET|/v1/changefeed|offset=1&OfFsEt=2
400|InvalidParameter|=|GET|/v1/changefeed|includemetadata=yes
400|InvalidParameter|=|GET|/v1/changefeed|includemetadata=
400|InvalidParameter|=|GET|/v1/changefeed|includemetadata=1
400|InvalidParameter|=|GET|/v1/changefeed|includemetadata=truee
400|InvalidParameter|400 -|GET|/v1/changefeed|includemetadata=%74rue%00
400|InvalidParameter|=|GET|/v1/changefeed|wait=61
400|InvalidParameter|=|GET|/v1/changefeed|wait=-1
400|InvalidParameter|=|GET|/v1/changefeed|wait=99999999999
400|InvalidParameter|=|GET|/v2/changefeed|startTime=2023-05-03T10:58:00
400|InvalidParameter|=|GET|/v2/changefeed|startTime=2023-02-30T00:00:00Z
400|InvalidParameter|=|GET|/v2/changefeed|startTime=2023-05-03T25:00:00Z
400|InvalidParameter|=|GET|/v2/changefeed|startTime=2023-05-03T10:58:00.1234567890Z
400|InvalidParameter|=|GET|/v2/changefeed|startTime=2023-05-03T10:58:00+24:00
400|InvalidParameter|=|GET|/v2/changefeed|startTime=99999-01-01T00:00:00Z
400|InvalidParameter|=|GET|/v2/changefeed|startTime=2023-05-03T10:58:00Z&endTime=2023-05-03T10:58:00Z
400|InvalidParameter|=|GET|/v2/changefeed|startTime=2024-01-01T00:00:00Z&endTime=2023-01-01T00:00:00Z
400|InvalidParameter|=|GET|/v2/changefeed|limit=201
400|InvalidParameter|=|GET|/v2/changefeed|endTime=%3Cscript%3E
400|UnsupportedApiVersion|=|GET|/v3/changefeed|
400|UnsupportedApiVersion|=|GET|/V1/changefeed|
400|UnsupportedApiVersion|=|GET|/v1.0/changefeed|
400|UnsupportedApiVersion|=|GET|/changefeed|
400|UnsupportedApiVersion|=|GET||
400|UnsupportedApiVersion|=|GET|/|
400|UnsupportedApiVersion|404 -|GET|/../v1/changefeed|
400|UnsupportedApiVersion|200 page|GET|//v1/changefeed|
400|UnsupportedApiVersion|=|GET|/etc/passwd|
400|UnsupportedApiVersion|400 -|GET|/v1%00/changefeed|
404|NotFound|400 UnsupportedApiVersion|GET|/v1/changefeed/../../etc/passwd|
404|NotFound|=|GET|/v1/changefeed/latest/x|
404|NotFound|200 page|GET|/v1//changefeed|
404|NotFound|200 page|GET|/v1/changefeed//|
404|NotFound|=|GET|/v1/ChangeFeed|
404|NotFound|200 latest|GET|/v1/changefeed%2Flatest|
404|NotFound|=|GET|/v1/$(long 5000 x)|
405|MethodNotAllowed|411 -|POST|/v1/changefeed|
405|MethodNotAllowed|=|PUT|/v1/changefeed|
405|MethodNotAllowed|=|DELETE|/v1/changefeed/latest|
405|MethodNotAllowed|=|OPTIONS|/v1/changefeed|
405|MethodNotAllowed|=|TRACE|/v1/changefeed|
405|MethodNotAllowed|501 -|get|/v1/changefeed|
405|MethodNotAllowed|400 -|GET |/v1/changefeed|
405|MethodNotAllowed|=|PROPFIND|/v2/changefeed|
TABLE
)

# answer_is STATUS CODE: the last answer is exactly that (see the table).
# Says what it got otherwise.
answer_is() {
    local want=$1 code=$2 got
    got=$(jq -r 'if type == "object" and has("error") then .error.code
                 elif type == "array" then "page" elif type == "object" then "latest" else "?" end' \
        "$test_dir/body" 2>/dev/null) || got=-
    case $code in
    -) # lighttpd's own refusal: not an answer of the responder.
        [ "$status" = "$want" ] && [ "$got" = - ] && return 0 ;;
    page) [ "$status" = "$want" ] && body_is 'type == "array" and length == 3' && return 0 ;;
    latest) [ "$status" = "$want" ] && body_is '.Sequence == 3' && return 0 ;;
    *)
        if [ "$status" = "$want" ] && [ "$got" = "$code" ] &&
            [ "$(header Content-Type)" = "application/json; charset=utf-8" ] &&
            [ "$(header X-Content-Type-Options)" = nosniff ] &&
            { [ "$want" != 405 ] || [ "$(header Allow)" = "GET, HEAD" ]; } &&
            ! grep -q 'script\|passwd' "$test_dir/body"; then
            return 0
        fi
        ;;
    esac
    echo "# got $status $got$([ "$want" != 405 ] || echo " Allow: $(header Allow)"): $(head -c 160 "$test_dir/body" | tr -c '[:print:]' '.')"
    return 1
}

while IFS='|' read -r want code _ method path query; do
    label="$want $code: ${method:0:8} ${path:0:40}?${query:0:40}"
    if ! cgi DCMFEED_DB="$db" REQUEST_METHOD="$method" PATH_INFO="$path" QUERY_STRING="$query"; then
        not_ok "CGI $label: the responder exited with $cgi_rc$([ "$cgi_rc" -le 128 ] || echo " (signal $((cgi_rc - 128)))")"
    else
        check "CGI $label" answer_is "$want" "$code"
    fi
done <<<"$table"
# The responder reads the environment as raw bytes: invalid UTF-8 anywhere.
cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=$'/v1/\xff\xfe' QUERY_STRING=$'\xc3\x28=\xa0\xa1'
check "invalid UTF-8 in the route answers 404 NotFound" answer_is 404 NotFound
cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=$'/\xff\xfe/changefeed'
check "invalid UTF-8 as the version answers 400 UnsupportedApiVersion" answer_is 400 UnsupportedApiVersion
cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=$'\xc3\x28=\xa0\xa1&limit=1'
check "invalid UTF-8 in an unknown parameter is ignored" bash -c "[ '$status' = 200 ] && jq -e 'length == 1' '$test_dir/body' >/dev/null"

# --- the same table through lighttpd, one long-lived FastCGI process ----------------------
if [ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] && command -v curl >/dev/null; then
    add_user reader hostile
    start_lighttpd "server.max-request-field-size = 65536"
    http GET "$base/v1/changefeed/latest" -u reader:hostile
    check "through lighttpd: a first request is served" answer_is 200 latest
    # The shipped config starts one process (min-procs) and adds a second
    # only under load, which one client in turn never makes.
    before=$(fcgi_children "$lighttpd_pid")
    # (The research route's pool has a process of its own.)
    full=$(full_route $before)
    check "lighttpd spawned one responder process for the full route (${full//$'\n'/ })" [ "$(wc -w <<<"$full")" = 1 ]
    while IFS='|' read -r want code via method path query; do
        [ "$via" = = ] || { want=${via% *} code=${via#* }; }
        http "$method" "$base$path${query:+?$query}" -u reader:hostile --path-as-is 2>/dev/null || true
        check "lighttpd $want $code: ${method:0:8} ${path:0:40}?${query:0:40}" answer_is "$want" "$code"
    done <<<"$table"
    http GET "$base/v1/changefeed?limit=2" -u reader:hostile
    check "and the responder keeps serving afterwards" bash -c "[ '$status' = 200 ] && jq -e 'length == 2' '$test_dir/body' >/dev/null"
    after=$(fcgi_children "$lighttpd_pid")
    # Alive and lighttpd's children still (fcgi_children reads /proc now).
    same_processes() { [ -n "$before" ] && [ "$before" = "$after" ]; }
    check "the same responder process served them all and is alive (before: ${before//$'\n'/ }; after: ${after//$'\n'/ })" \
        same_processes
    check "lighttpd logged no dead child (lighttpd 1.4.69: child signalled/exited/died)" \
        absent 'server started' 'child (signalled|exited|died)' "$test_dir/error.log"
fi
finish
