#!/bin/bash
# The responder run as plain CGI, as a CGI-only server or a script runs it:
# every route, header and error of the spec's v1 (and the v2 window basics),
# over a real log written by dcmfeed-ingest.
# With DCMFEED_TEST_BACKEND=pg (tests/http/cgi_pg.sh) the log is a PostgreSQL
# database and every answer is also compared, byte for byte, with the one
# from a SQLite log that went through the same ingests (Timestamps and ETags
# aside). The checks of a SQLite log's files (a reader with read permission
# only, a newer schema by sqlite3) run on SQLite only; PostgreSQL has its
# own (a role that may only SELECT, a newer schema by SQL).
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"

use_test_backend
twin="$test_dir/twin.db"
get() { cgi DCMFEED_DB="$db" REQUEST_METHOD=GET "$@"; }
# ingest ARGS...: dcmfeed-ingest on the log (and on the SQLite twin).
ingest() {
    "$INGEST" --db "$db" -q "$@"
    [ "$backend" = sqlite ] || "$INGEST" --db "$twin" -q "$@"
}

# --- libpq is loaded for a PostgreSQL log only (src/pq.h) ------------------------------
if [ "$backend" = sqlite ] && command -v ldd >/dev/null; then
    ldd "$FCGI" >"$test_dir/ldd.fcgi" && ldd "$INGEST" >"$test_dir/ldd.ingest"
    check "the responder does not link libpq (it links libsqlite3)" absent libsqlite3 libpq "$test_dir/ldd.fcgi"
    check "dcmfeed-ingest does not link libpq (it links libsqlite3)" absent libsqlite3 libpq "$test_dir/ldd.ingest"
fi
# A libpq.so.5 that is not libpq (it has one of the functions): a 503 that
# says what is wrong, never a crash.
if [ "$backend" = pg ] && command -v "${CC:-cc}" >/dev/null; then
    mkdir -p "$test_dir/fakepq"
    echo 'void PQclear(void *result) { (void)result; }' >"$test_dir/fakepq/pq.c"
    "${CC:-cc}" -shared -fPIC -o "$test_dir/fakepq/libpq.so.5" "$test_dir/fakepq/pq.c"
    get PATH_INFO=/v1/changefeed LD_LIBRARY_PATH="$test_dir/fakepq"
    check "an unusable libpq answers 503" [ "$status" = 503 ]
    check "an unusable libpq is named on stderr" grep -q "cannot use libpq.so.5: it has no PQ" "$test_dir/stderr"
    check "ingest refuses with an unusable libpq" bash -c \
        "! LD_LIBRARY_PATH='$test_dir/fakepq' '$INGEST' --db '$db' -q delete 1.2.3 2>'$test_dir/err' &&
         grep -q 'it has no PQ' '$test_dir/err'"
fi

# --- no log yet ------------------------------------------------------------------
get PATH_INFO=/v1/changefeed
check "missing log answers 503" [ "$status" = 503 ]
check "503 carries Retry-After" [ -n "$(header Retry-After)" ]
check "503 has the JSON error body" body_is '.error.code == "ServiceUnavailable"'
check "503 does not show the log's address" absent '"ServiceUnavailable"' 'feed\.db|dcmfeed_test|dcmfeed-pg' "$test_dir/body"
check "a 503 is logged on stderr" grep -q "$no_log_logged" "$test_dir/stderr"
if log_exists; then not_ok "the responder did not create the log"; else ok "the responder did not create the log"; fi
cgi REQUEST_METHOD=GET PATH_INFO=/v1/changefeed
check "DCMFEED_DB unset answers 503" [ "$status" = 503 ]

# --- an empty log ------------------------------------------------------------------
init_log "$db"
[ "$backend" = sqlite ] || init_log "$twin"
check "init made an empty log" log_exists
get PATH_INFO=/v1/changefeed/latest
check "latest of an empty log is 204" [ "$status" = 204 ]
check "204 has no body" [ ! -s "$test_dir/body" ]
get PATH_INFO=/v1/changefeed
check "feed of an empty log is []" [ "$(cat "$test_dir/body")" = "[]" ]

# --- twelve instances --------------------------------------------------------------
make_sample "$test_dir/sample" 12
ingest add "$test_dir"/sample/*.json
get PATH_INFO=/v1/changefeed
check "feed answers 200" [ "$status" = 200 ]
check "Content-Type is JSON UTF-8" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
check "Cache-Control no-store" [ "$(header Cache-Control)" = "no-store" ]
check "X-Content-Type-Options nosniff" [ "$(header X-Content-Type-Options)" = "nosniff" ]
check "Content-Length is the body's" [ "$(header Content-Length)" = "$(wc -c <"$test_dir/body")" ]
check "default limit is 10" body_is 'length == 10'
check "entries start at Sequence 1, in order" body_is '[.[].Sequence] == [1,2,3,4,5,6,7,8,9,10]'
check "fields in the spec's order" body_is \
    '.[0] | keys_unsorted == ["Sequence","StudyInstanceUid","SeriesInstanceUid","SopInstanceUid","Action","Timestamp","State","Metadata"]'
check "Timestamp has microseconds and Z" body_is \
    'all(.[]; .Timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"))'
check "create entries are current" body_is 'all(.[]; .Action == "create" and .State == "current")'
check "body is compact JSON" absent '^\[\{"Sequence":1,"StudyInstanceUid":"' ': ' "$test_dir/body"
check "metadata is the dataset as ingested" bash -c \
    "[ \"\$(jq -S '.[0].Metadata' '$test_dir/body')\" = \"\$(jq -S . '$test_dir/sample/instance-1-001.json')\" ]"
check "UIDs come from the dataset" body_is '.[4].SopInstanceUid == "1.2.826.0.1.3680043.10.543.1.1.5"'

get PATH_INFO=/v1/changefeed QUERY_STRING='offset=10'
check "offset 10 gives Sequences 11 and 12" body_is '[.[].Sequence] == [11,12]'
get PATH_INFO=/v1/changefeed QUERY_STRING='offset=12'
check "offset at the end gives []" [ "$(cat "$test_dir/body")" = "[]" ]
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=2&offset=3'
check "limit and offset" body_is '[.[].Sequence] == [4,5]'
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=100'
check "limit 100" body_is 'length == 12'
get PATH_INFO=/v1/changefeed QUERY_STRING='includemetadata=false&limit=3'
check "includemetadata=false leaves Metadata out" body_is 'all(.[]; has("Metadata") | not)'
get PATH_INFO=/v1/changefeed QUERY_STRING='IncludeMetadata=FALSE&limit=3'
check "parameter names and booleans are case-insensitive" body_is 'all(.[]; has("Metadata") | not)'
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=1&_=1700000000'
check "unknown parameters are ignored" body_is 'length == 1'
get PATH_INFO=/v1/changefeed/ QUERY_STRING='limit=1'
check "trailing slash is the same route" [ "$status" = 200 ]
get PATH_INFO=/v1.0-prerelease/changefeed QUERY_STRING='limit=1'
check "v1.0-prerelease is an alias of v1" body_is '.[0].Sequence == 1'

get PATH_INFO=/v1/changefeed/latest
check "latest answers the newest entry" body_is '.Sequence == 12 and .State == "current" and (.Metadata | type) == "object"'
get PATH_INFO=/v1/changefeed/latest QUERY_STRING='includemetadata=false'
check "latest without metadata" body_is 'has("Metadata") | not'

# The seed's own request, as its C# client sends it.
get PATH_INFO=/v1/changefeed QUERY_STRING='offset=0&limit=10&includeMetadata=True'
check "the seed client's query" body_is 'length == 10'

# --- HEAD --------------------------------------------------------------------------
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=3'
get_len=$(header Content-Length)
cgi DCMFEED_DB="$db" REQUEST_METHOD=HEAD PATH_INFO=/v1/changefeed QUERY_STRING='limit=3'
check "HEAD answers 200" [ "$status" = 200 ]
check "HEAD has no body" [ ! -s "$test_dir/body" ]
check "HEAD gives GET's Content-Length" [ "$(header Content-Length)" = "$get_len" ]

# --- the route from REQUEST_URI when PATH_INFO is empty ------------------------------
get SCRIPT_NAME=/dicom REQUEST_URI='/dicom/v1/changefeed?limit=2' QUERY_STRING='limit=2'
check "route from REQUEST_URI" body_is 'length == 2'

# --- States -----------------------------------------------------------------------
ingest add "$test_dir/sample/instance-1-001.json"
ingest delete 1.2.826.0.1.3680043.10.543.1 1.2.826.0.1.3680043.10.543.1.3
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=100'
check "a stored-again instance: old entry replaced" body_is '.[0].State == "replaced"'
check "a stored-again instance: new entry current" body_is '.[12].Sequence == 13 and .[12].State == "current"'
check "replaced entries show the current metadata" body_is '.[0].Metadata == .[12].Metadata'
check "deleting a series appends one entry per instance" body_is '[.[] | select(.Action == "delete")] | length == 2'
check "deleted instances: State deleted, Metadata null" body_is \
    'all(.[] | select(.SeriesInstanceUid == "1.2.826.0.1.3680043.10.543.1.3"); .State == "deleted" and .Metadata == null)'

# --- errors -----------------------------------------------------------------------
bad_param() {
    get PATH_INFO=/v1/changefeed QUERY_STRING="$1"
    check "400 for $1" [ "$status" = 400 ]
    check "InvalidParameter body naming the parameter for $1" body_is \
        ".error.code == \"InvalidParameter\" and (.error.message | test(\"$2\"))"
}
bad_param 'limit=0' limit
bad_param 'limit=101' limit
bad_param 'limit=' limit
bad_param 'limit=10abc' limit
bad_param 'limit=%2B5' limit
bad_param 'offset=-1' offset
bad_param 'offset=99999999999999999999' offset
bad_param 'includemetadata=1' includemetadata
bad_param 'limit=1&LIMIT=2' limit
bad_param 'limit=%G1' percent
bad_param 'x=%00' percent
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=%3Cscript%3E'
check "error messages never echo the input" absent '"InvalidParameter"' script "$test_dir/body"
get PATH_INFO=/v1/changefeed QUERY_STRING="x=$(head -c 8200 /dev/zero | tr '\0' a)"
check "a query over 8 KiB answers 414" [ "$status" = 414 ]
check "414 body" body_is '.error.code == "UriTooLong"'
get PATH_INFO=/v3/changefeed
check "unknown version answers 400" [ "$status" = 400 ]
check "UnsupportedApiVersion names the versions" body_is \
    '.error.code == "UnsupportedApiVersion" and (.error.message | test("v1"))'
get PATH_INFO=/changefeed
check "missing version answers 400" body_is '.error.code == "UnsupportedApiVersion"'
get PATH_INFO=/v1/nothing
check "unknown route answers 404" [ "$status" = 404 ]
check "404 body" body_is '.error.code == "NotFound"'
cgi DCMFEED_DB="$db" REQUEST_METHOD=POST PATH_INFO=/v1/changefeed
check "POST answers 405" [ "$status" = 405 ]
check "405 has Allow: GET, HEAD" [ "$(header Allow)" = "GET, HEAD" ]
check "405 body" body_is '.error.code == "MethodNotAllowed"'
check "errors carry the JSON Content-Type" [ "$(header Content-Type)" = "application/json; charset=utf-8" ]
check "errors carry nosniff" [ "$(header X-Content-Type-Options)" = "nosniff" ]

# No REQUEST_METHOD, as from a shell: a GET.
cgi DCMFEED_DB="$db" PATH_INFO=/v1/changefeed QUERY_STRING=limit=2
check "no REQUEST_METHOD is a GET" body_is 'length == 2'

# --- v2 windows ----------------------------------------------------------------------
get PATH_INFO=/v2/changefeed
check "v2 default limit is 100" body_is 'length == 15'
t5=$(jq -r '.[4].Timestamp' "$test_dir/body")
t8=$(jq -r '.[7].Timestamp' "$test_dir/body")
get PATH_INFO=/v2/changefeed QUERY_STRING="startTime=$t5&endTime=$t8"
check "v2 window: an entry at startTime is in, at endTime is out" body_is \
    "[.[].Timestamp] | (.[0] == \"$t5\") and (index(\"$t8\") == null)"
get PATH_INFO=/v2/changefeed QUERY_STRING="startTime=2020-01-01T00:00:00"
check "v2: a time without a zone answers 400" [ "$status" = 400 ]

# --- a log with a newer schema ---------------------------------------------------------
if [ "$backend" = pg ]; then
    version=$(pg_sql 'SELECT version FROM dcmfeed_schema')
    pg_sql 'UPDATE dcmfeed_schema SET version = 99'
    get PATH_INFO=/v1/changefeed
    check "a newer schema answers 503" [ "$status" = 503 ]
    check "a newer schema says so" body_is '.error.message | test("schema")'
    pg_sql "UPDATE dcmfeed_schema SET version = $version"
elif command -v sqlite3 >/dev/null; then
    cp "$db" "$test_dir/new.db"
    sqlite3 "$test_dir/new.db" 'PRAGMA user_version = 99' && touch "$test_dir/new.db-wal" "$test_dir/new.db-shm"
    cgi DCMFEED_DB="$test_dir/new.db" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed
    check "a newer schema answers 503" [ "$status" = 503 ]
    check "a newer schema says so" body_is '.error.message | test("schema")'
fi

# --- conditional GET as CGI ---------------------------------------------------------------
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=2'
tag=$(header ETag)
check "200 carries an ETag" [ -n "$tag" ]
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=2' HTTP_IF_NONE_MATCH="$tag"
check "HTTP_IF_NONE_MATCH answers 304" [ "$status" = 304 ]
check "304 without a body" [ ! -s "$test_dir/body" ]
get PATH_INFO=/v1/changefeed QUERY_STRING='limit=2' HTTP_IF_NONE_MATCH='"other"'
check "another tag answers 200" [ "$status" = 200 ]
get PATH_INFO=/v1/changefeed QUERY_STRING='offset=1000&wait=1'
check "wait=1 as CGI answers [] after the wait" [ "$(cat "$test_dir/body")" = "[]" ]
get PATH_INFO=/v1/changefeed QUERY_STRING='wait=61'
check "wait=61 is a 400" [ "$status" = 400 ]

# --- a reader that may only read (spec §8) ---------------------------------------------
if [ "$backend" = pg ]; then
    # The database's counterpart of a file the web server's user may only
    # read: a role that may only SELECT (a later keyword of a conninfo wins).
    pg_sql "CREATE ROLE feed_reader LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO feed_reader"
    cgi DCMFEED_DB="$db user=feed_reader" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=limit=3
    check "a role that may only SELECT is served" body_is 'length == 3'
elif [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    ro="$test_dir/ro"
    mkdir -p "$ro" && cp "$db" "$db-wal" "$db-shm" "$ro/" 2>/dev/null
    chmod 0755 "$test_dir" && chmod 0555 "$ro" && chmod 0444 "$ro"/feed.db*
    before=$(cat "$ro"/feed.db* | md5sum)
    env -i DCMFEED_DB="$ro/feed.db" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=limit=3 \
        setpriv --reuid=nobody --regid=nogroup --clear-groups "$FCGI" </dev/null >"$test_dir/answer" 2>"$test_dir/stderr" || true
    split_answer "$test_dir/answer"
    check "a user with read permission only is served" body_is 'length == 3'
    check "and the log's files are unchanged" [ "$(cat "$ro"/feed.db* | md5sum)" = "$before" ]
    chmod 0755 "$ro"
else
    echo "# skipped the read-only user check (needs root and setpriv)"
fi

# --- the same bytes as from SQLite ----------------------------------------------------
# The answer (status, headers, body) of each request from the PostgreSQL log
# and from its SQLite twin: identical but for the Timestamps, which each
# ingest took from the clock, and the ETags, which hold each log's identity.
if [ "$backend" = pg ]; then
    masked() { sed -e 's/"Timestamp":"[^"]*"/"Timestamp":"-"/g' -e '/^ETag: /d' "$test_dir/answer"; }
    same_answer() {
        cgi DCMFEED_DB="$db" "$@"
        masked >"$test_dir/answer.pg"
        cgi DCMFEED_DB="$twin" "$@"
        masked >"$test_dir/answer.sqlite"
        cmp -s "$test_dir/answer.pg" "$test_dir/answer.sqlite" || {
            diff "$test_dir/answer.sqlite" "$test_dir/answer.pg" | cut -c1-300 | head -8 | sed 's/^/# /'
            return 1
        }
    }
    check "same answer as SQLite: v1 limit=100" same_answer REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=limit=100
    check "and that answer is the whole feed" grep -q '"Sequence":15,.*"State":"deleted"' "$test_dir/answer.pg"
    for query in 'limit=100&includemetadata=false' 'offset=3&limit=4' offset=1000; do
        check "same answer as SQLite: v1 $query" same_answer REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING="$query"
    done
    check "same answer as SQLite: v2" same_answer REQUEST_METHOD=GET PATH_INFO=/v2/changefeed QUERY_STRING='limit=200'
    check "same answer as SQLite: latest" same_answer REQUEST_METHOD=GET PATH_INFO=/v1/changefeed/latest
    check "same answer as SQLite: HEAD" same_answer REQUEST_METHOD=HEAD PATH_INFO=/v1/changefeed
    check "same answer as SQLite: 400" same_answer REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=limit=0
    check "same answer as SQLite: 405" same_answer REQUEST_METHOD=POST PATH_INFO=/v1/changefeed
fi

# --- command line ---------------------------------------------------------------------
check "--help exits 0" bash -c "'$FCGI' --help >/dev/null"
finish
