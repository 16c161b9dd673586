#!/bin/bash
# v1 answers pinned byte for byte (status, headers, body) over a log with
# fixed content: a change of the wire format fails here first. To accept an
# intended change, run with GOLDEN_UPDATE=1 and review the diff.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (apt-get install sqlite3)"

golden="$top_srcdir/tests/data/golden"
db="$test_dir/feed.db"
sqlite3 "$db" <"$golden/log.sql" >/dev/null

pin() {
    local name=$1
    shift
    env -i PATH="$PATH" DCMFEED_DB="$db" REQUEST_METHOD=GET "$@" "$FCGI" </dev/null >"$test_dir/$name"
    if [ -n "${GOLDEN_UPDATE:-}" ]; then cp "$test_dir/$name" "$golden/$name"; fi
    check "golden $name" cmp "$golden/$name" "$test_dir/$name"
}
pin v1-page.txt PATH_INFO=/v1/changefeed
pin v1-page-nometa.txt PATH_INFO=/v1/changefeed QUERY_STRING='offset=1&limit=3&includemetadata=false'
pin v1-latest.txt PATH_INFO=/v1/changefeed/latest
pin v1-error.txt PATH_INFO=/v1/changefeed QUERY_STRING='limit=0'
pin v2-window.txt PATH_INFO=/v2/changefeed QUERY_STRING='startTime=2020-03-04T01:03:08.4834Z&endTime=2020-03-05T01:03:16.483401Z'
finish
