#!/bin/bash
# A log made by the previous release (schema version 1, committed as
# tests/data/logs/v1.db with the page its responder answered,
# tests/data/logs/v1.page.json) is served unchanged by this release's
# responder, and upgraded by this release's first writer (through every
# version since, docs/schema.md) without changing a byte of what was there.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (apt-get install sqlite3)"
data=${TEST_DATA:-$top_srcdir/tests/data}/logs
db="$test_dir/feed.db"
cp "$data/v1.db" "$db"
chmod u+w "$db"

check "the log is of schema version 1" [ "$(sqlite3 "$db" 'PRAGMA user_version')" = 1 ]
cgi DCMFEED_DB="$db" QUERY_STRING='limit=100' PATH_INFO=/v1/changefeed
check "this responder serves it: 200" [ "$status" = 200 ]
check "... the page the previous release's responder answered, byte for byte" \
    cmp -s "$test_dir/body" "$data/v1.page.json"
check "a reader does not upgrade it" [ "$(sqlite3 "$db" 'PRAGMA user_version')" = 1 ]
cgi DCMFEED_DB="$db" QUERY_STRING='limit=200' PATH_INFO=/v2/changefeed
check "v2 serves it too" body_is 'length == 17'

make_sample "$test_dir/new" 1 7
"$INGEST" --db "$db" -q add "$test_dir/new"
init_log "$test_dir/fresh.db"
newest=$(sqlite3 "$test_dir/fresh.db" 'PRAGMA user_version')
check "the first writer upgrades it to this release's version ($newest), step by step" \
    [ "$newest" -ge 2 -a "$(sqlite3 "$db" 'PRAGMA user_version')" = "$newest" ]
check "... and appends after it" [ "$(sqlite3 "$db" 'SELECT max(seq) FROM entries')" = 18 ]
check "the upgraded log passes its integrity check" [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ]
cgi DCMFEED_DB="$db" QUERY_STRING='limit=100' PATH_INFO=/v1/changefeed
jq -c '.[0:17]' "$test_dir/body" >"$test_dir/first17"
jq -c '.' "$data/v1.page.json" >"$test_dir/before"
check "its first 17 entries are as they were" cmp -s "$test_dir/first17" "$test_dir/before"
check "the new entry follows" body_is '.[17].Sequence == 18 and .[17].Action == "create"'
finish
