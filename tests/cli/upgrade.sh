#!/bin/bash
# A log made by the previous release (schema version 1, committed as
# tests/data/logs/v1.db with the page its responder answered,
# tests/data/logs/v1.page.json) is served unchanged by this release's
# responder, and upgraded by this release's first writer (through every
# version since, docs/schema.md) without changing a byte of what was there;
# version 4 gives its instances their de-identified copies and its entries
# their SOP Class and Modality, which a deid route and the v2 filters need:
# until then they answer 503.
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
check "... without SopClassUid nor Modality (the log has no kinds yet)" \
    body_is 'all(.[]; has("SopClassUid") or has("Modality") | not)'
cgi DCMFEED_DB="$db" DCMFEED_METADATA=deid QUERY_STRING='limit=100' PATH_INFO=/v1/changefeed
check "a deid route answers 503 before the upgrade (nothing de-identified to show)" [ "$status" = 503 ]
check "... and shows no metadata" bash -c "! grep -q 'Doe' '$test_dir/body'"
cgi DCMFEED_DB="$db" QUERY_STRING='modality=CT' PATH_INFO=/v2/changefeed
check "a filter answers 503 before the upgrade" [ "$status" = 503 ]

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

# What version 4 derived: each entry's kind from its instance's present
# metadata (none for the instances deleted before the upgrade and not made
# again: 6, 8, 9, 10), and a de-identified copy of each instance's metadata.
check "every entry has a kind" [ "$(sqlite3 "$db" 'SELECT count(*) FROM entries WHERE kind IS NULL')" = 0 ]
check "every instance with metadata has its de-identified copy" [ "$(sqlite3 "$db" \
    'SELECT count(*) FROM instances AS i LEFT JOIN deid_metadata AS d ON d.instance_id = i.id
     WHERE i.metadata IS NOT NULL AND d.metadata IS NULL')" = 0 ]
cgi DCMFEED_DB="$db" QUERY_STRING='limit=200&includemetadata=false' PATH_INFO=/v2/changefeed
check "v2 entries of the instances still there carry SopClassUid and Modality" \
    body_is '[.[] | select(.SopClassUid == "1.2.840.10008.5.1.4.1.1.2" and .Modality == "CT") | .Sequence] == [1,2,3,4,5,7,9,13,17,18]'
check "... those of the instances deleted before the upgrade none" \
    body_is '[.[] | select(has("Modality") | not) | .Sequence] == [6,8,10,11,12,14,15,16]'
cgi DCMFEED_DB="$db" QUERY_STRING='modality=CT&includemetadata=false' PATH_INFO=/v2/changefeed
check "the filters work on the upgraded log" body_is '[.[].Sequence] == [1,2,3,4,5,7,9,13,17,18]'
cgi DCMFEED_DB="$db" DCMFEED_METADATA=deid QUERY_STRING='limit=17' PATH_INFO=/v1/changefeed
check "the deid route serves the upgraded log" [ "$status" = 200 ]
check "... with no patient's name" bash -c "! grep -qE 'Doe|M\\u00fcller|Müller' '$test_dir/body'"
check "... and the identity removed wherever there is metadata" \
    body_is 'all(.[]; .Metadata == null or .Metadata["00120062"].Value == ["YES"])'
check "... and every UID kept" bash -c "[ \"\$(jq -c '[.[].Metadata | select(. != null) | .[\"00080018\"]]' '$test_dir/body')\" = \"\$(jq -c '[.[0:17][].Metadata | select(. != null) | .[\"00080018\"]]' '$test_dir/before')\" ]"
finish
