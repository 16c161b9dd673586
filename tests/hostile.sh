#!/bin/bash
# Hostile requests, table-driven: each gets the right 4xx with the JSON error
# body from the responder run as CGI; through a real lighttpd none gets a 5xx
# and the one FastCGI process keeps serving.
set -eu
. "${top_srcdir:-.}/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"

db="$test_dir/feed.db"
make_sample "$test_dir/sample" 3
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json

long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }
# status | code | method | PATH_INFO | QUERY_STRING
table=$(cat <<TABLE
414|UriTooLong|GET|/v1/changefeed|x=$(long 8193)
414|UriTooLong|GET|/v1/changefeed|limit=1&$(long 9000 '%')
414|UriTooLong|GET|/v1/changefeed|$(long 65536 '&')
400|InvalidParameter|GET|/v1/changefeed|limit=%
400|InvalidParameter|GET|/v1/changefeed|limit=%4
400|InvalidParameter|GET|/v1/changefeed|limit=%G1
400|InvalidParameter|GET|/v1/changefeed|limit=1%ZZ
400|InvalidParameter|GET|/v1/changefeed|%zz=1
400|InvalidParameter|GET|/v1/changefeed|cachebuster=%
400|InvalidParameter|GET|/v1/changefeed|x=%00
400|InvalidParameter|GET|/v1/changefeed|limit=1%00
400|InvalidParameter|GET|/v1/changefeed|limit%00=1
400|InvalidParameter|GET|/v1/changefeed|limit=%2531
400|InvalidParameter|GET|/v1/changefeed|limit=%C0%B1
400|InvalidParameter|GET|/v1/changefeed|limit=%EF%BC%91
400|InvalidParameter|GET|/v1/changefeed|limit=%FF
400|InvalidParameter|GET|/v1/changefeed|limit=99999999999999999999999999999999
400|InvalidParameter|GET|/v1/changefeed|offset=9223372036854775808
400|InvalidParameter|GET|/v1/changefeed|offset=18446744073709551616
400|InvalidParameter|GET|/v1/changefeed|offset=-9223372036854775808
400|InvalidParameter|GET|/v1/changefeed|offset=0x10
400|InvalidParameter|GET|/v1/changefeed|offset=1e3
400|InvalidParameter|GET|/v1/changefeed|offset=1.0
400|InvalidParameter|GET|/v1/changefeed|offset=%20%201
400|InvalidParameter|GET|/v1/changefeed|offset=1%09
400|InvalidParameter|GET|/v1/changefeed|offset=+1
400|InvalidParameter|GET|/v1/changefeed|offset=%2B1
400|InvalidParameter|GET|/v1/changefeed|offset=
400|InvalidParameter|GET|/v1/changefeed|offset
400|InvalidParameter|GET|/v1/changefeed|limit=1&limit=1
400|InvalidParameter|GET|/v1/changefeed|LIMIT=1&limit=2
400|InvalidParameter|GET|/v1/changefeed|offset=1&OfFsEt=2
400|InvalidParameter|GET|/v1/changefeed|includemetadata=yes
400|InvalidParameter|GET|/v1/changefeed|includemetadata=
400|InvalidParameter|GET|/v1/changefeed|includemetadata=1
400|InvalidParameter|GET|/v1/changefeed|includemetadata=truee
400|InvalidParameter|GET|/v1/changefeed|includemetadata=%74rue%00
400|InvalidParameter|GET|/v1/changefeed|wait=61
400|InvalidParameter|GET|/v1/changefeed|wait=-1
400|InvalidParameter|GET|/v1/changefeed|wait=99999999999
400|InvalidParameter|GET|/v2/changefeed|startTime=2023-05-03T10:58:00
400|InvalidParameter|GET|/v2/changefeed|startTime=2023-02-30T00:00:00Z
400|InvalidParameter|GET|/v2/changefeed|startTime=2023-05-03T25:00:00Z
400|InvalidParameter|GET|/v2/changefeed|startTime=2023-05-03T10:58:00.1234567890Z
400|InvalidParameter|GET|/v2/changefeed|startTime=2023-05-03T10:58:00+24:00
400|InvalidParameter|GET|/v2/changefeed|startTime=99999-01-01T00:00:00Z
400|InvalidParameter|GET|/v2/changefeed|startTime=2023-05-03T10:58:00Z&endTime=2023-05-03T10:58:00Z
400|InvalidParameter|GET|/v2/changefeed|startTime=2024-01-01T00:00:00Z&endTime=2023-01-01T00:00:00Z
400|InvalidParameter|GET|/v2/changefeed|limit=201
400|InvalidParameter|GET|/v2/changefeed|endTime=%3Cscript%3E
400|UnsupportedApiVersion|GET|/v3/changefeed|
400|UnsupportedApiVersion|GET|/V1/changefeed|
400|UnsupportedApiVersion|GET|/v1.0/changefeed|
400|UnsupportedApiVersion|GET|/changefeed|
400|UnsupportedApiVersion|GET||
400|UnsupportedApiVersion|GET|/|
400|UnsupportedApiVersion|GET|/../v1/changefeed|
400|UnsupportedApiVersion|GET|//v1/changefeed|
400|UnsupportedApiVersion|GET|/etc/passwd|
400|UnsupportedApiVersion|GET|/v1%00/changefeed|
404|NotFound|GET|/v1/changefeed/../../etc/passwd|
404|NotFound|GET|/v1/changefeed/latest/x|
404|NotFound|GET|/v1//changefeed|
404|NotFound|GET|/v1/changefeed//|
404|NotFound|GET|/v1/ChangeFeed|
404|NotFound|GET|/v1/changefeed%2Flatest|
404|NotFound|GET|/v1/$(long 5000 x)|
405|MethodNotAllowed|POST|/v1/changefeed|
405|MethodNotAllowed|PUT|/v1/changefeed|
405|MethodNotAllowed|DELETE|/v1/changefeed/latest|
405|MethodNotAllowed|OPTIONS|/v1/changefeed|
405|MethodNotAllowed|TRACE|/v1/changefeed|
405|MethodNotAllowed|get|/v1/changefeed|
405|MethodNotAllowed|GET |/v1/changefeed|
405|MethodNotAllowed|PROPFIND|/v2/changefeed|
TABLE
)

rows=0
while IFS='|' read -r want code method path query; do
    rows=$((rows + 1))
    cgi DCMFEED_DB="$db" REQUEST_METHOD="$method" PATH_INFO="$path" QUERY_STRING="$query"
    label="${method:0:8} ${path:0:40}?${query:0:40}"
    if [ "$status" = "$want" ] && body_is ".error.code == \"$code\"" &&
        [ "$(header Content-Type)" = "application/json; charset=utf-8" ] &&
        ! grep -q 'script\|passwd' "$test_dir/body"; then
        ok "CGI $want $code: $label"
    else
        not_ok "CGI $label: got $status $(head -c 200 "$test_dir/body"), want $want $code"
    fi
done <<<"$table"
check "the table has at least 60 hostile requests ($rows)" [ "$rows" -ge 60 ]
# The responder reads the environment as raw bytes: invalid UTF-8 anywhere.
cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=$'/v1/\xff\xfe' QUERY_STRING=$'\xc3\x28=\xa0\xa1'
check "invalid UTF-8 in the route answers 404 with valid JSON" body_is '.error.code == "NotFound"'
cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=$'/\xff\xfe/changefeed'
check "invalid UTF-8 as the version answers 400 with valid JSON" body_is '.error.code == "UnsupportedApiVersion"'
cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=$'\xc3\x28=\xa0\xa1&limit=1'
check "invalid UTF-8 in an unknown parameter is ignored" body_is 'length == 1'

# --- the same table through lighttpd, one long-lived FastCGI process ----------------------
if [ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] && command -v curl >/dev/null; then
    add_user reader hostile
    start_lighttpd "server.max-request-field-size = 65536"
    answered=0 refused=0
    while IFS='|' read -r want code method path query; do
        http "$method" "$base$path${query:+?$query}" -u reader:hostile --path-as-is 2>/dev/null || true
        case "$status" in
        2??) answered=$((answered + 1)) ;;
        4??) refused=$((refused + 1)) ;;
        *) not_ok "lighttpd: $method $path?${query:0:40} answered $status" ;;
        esac
    done <<<"$(grep -v '^405|MethodNotAllowed|\(GET \|get\)|' <<<"$table")"
    check "through lighttpd no hostile request got a 5xx ($refused refused, $answered normalised and served)" \
        [ "$refused" -ge 55 ]
    http GET "$base/v1/changefeed?limit=2" -u reader:hostile
    check "and the responder keeps serving afterwards" body_is 'length == 2'
    check "without an error logged about a crash" bash -c "! grep -qi 'segfault\\|abort\\|terminated' '$test_dir/error.log'"
fi
finish
