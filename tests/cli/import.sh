#!/bin/bash
# dcmfeed-ingest import: a log copied into a fresh SQLite log and into a
# throwaway PostgreSQL answers every page (v1 and v2, with and without
# metadata, windows, latest) byte for byte as its source does, status and
# ETag included; an interrupted import continues where it stopped; a log that
# holds another log, more entries than the source, or entries written since it
# was copied is refused with nothing written; an import during which another
# writer appends to the log stops at its next batch, saying so, and leaves the
# log as that writer left it. The PostgreSQL half is skipped,
# saying so, when PostgreSQL or the build's support for it is missing.
#   INGEST=path/to/dcmfeed-ingest FCGI=path/to/changefeed.fcgi tests/cli/import.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/lib.sh"
. "$here/../lib/pg_lib.sh"
trap 'pg_stop; cleanup' EXIT

: "${INGEST:?set INGEST to the dcmfeed-ingest to test}"
: "${FCGI:?set FCGI to the changefeed.fcgi to test}"
command -v sqlite3 >/dev/null ||
    skip_all "the sqlite3 CLI is not installed (apt-get install sqlite3)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
data=${TEST_DATA:-$here/../data}
unset DCMFEED_DB

# run ARGS...: runs the CLI; $status, $test_dir/out and $test_dir/err hold the outcome.
run() {
    set +e
    "$INGEST" "$@" >"$test_dir/out" 2>"$test_dir/err"
    status=$?
    set -e
}
ingest() { "$INGEST" -q "$@"; }
out_is() { [ "$(cat "$test_dir/out")" = "$1" ]; }
err_has() { grep -qF -- "$1" "$test_dir/err"; }
# A SQLite log's whole content, for "nothing written".
dump() { sqlite3 "$1" .dump | md5sum; }
feed_id() { sqlite3 "$1" 'SELECT id FROM feed'; }

# --- the source: every State a log holds, in several batches ----------------------
study1=1.2.826.0.1.3680043.10.543.1
src="$test_dir/source.db"
make_sample "$test_dir/s1" 12 1
make_sample "$test_dir/s2" 8 2
# 1-12; 13-14 new versions of two; 15-19 a series deleted (one of the two in
# it); 20 one of them re-created; 21-24 the data's CT and MR series.
init_log "$src"
ingest --db "$src" add "$test_dir"/s1/*.json
ingest --db "$src" add "$test_dir/s1/instance-1-003.json" "$test_dir/s1/instance-1-007.json"
ingest --db "$src" delete "$study1" "$study1.2"
ingest --db "$src" add "$test_dir/s1/instance-1-008.json"
ingest --db "$src" add "$data/json/ct.json" "$data/json/series.json"
# The source as it was at 24 entries: a copy of it is an interrupted import.
sqlite3 "$src" ".backup '$test_dir/prefix.db'"
# 25-32 a second study; 33 the CT study deleted; 34 one instance deleted; 35
# another version of 13's.
ingest --db "$src" add "$test_dir"/s2/*.json
ingest --db "$src" delete 1.2.826.0.1.3680043.10.543.100
ingest --db "$src" delete 1.2.826.0.1.3680043.10.543.2 1.2.826.0.1.3680043.10.543.2.1 \
    1.2.826.0.1.3680043.10.543.2.1.2
ingest --db "$src" add "$test_dir/s1/instance-1-003.json"
last=$(sqlite3 "$src" 'SELECT max(seq) FROM entries')
check "the source has 35 entries" [ "$last" = 35 ]
check "the prefix has 24" [ "$(sqlite3 "$test_dir/prefix.db" 'SELECT max(seq) FROM entries')" = 24 ]

# The golden log: written by hand as a third-party ingest would, fixed
# identity, two entries with the same Timestamp.
# It is of schema version 1: golden-old.db as written, golden.db the same
# log upgraded by a writer (init), which a copy of the old one must answer
# as (the upgrade derives each entry's SOP Class and Modality as the copy
# does, docs/schema.md).
golden_old="$test_dir/golden-old.db"
sqlite3 "$golden_old" <"$data/golden/log.sql" >/dev/null
golden="$test_dir/golden.db"
cp "$golden_old" "$golden"
init_log "$golden"

# --- the pages compared ----------------------------------------------------------
# answers DB DIR: the responder's whole answers (status, headers with the ETag,
# body) to every kind of request, one file each in DIR.
answers() {
    local db=$1 out=$2
    mkdir -p "$out"
    cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=/v2/changefeed QUERY_STRING=limit=200
    local t2 t5
    t2=$(jq -r '.[1].Timestamp' "$test_dir/body")
    t5=$(jq -r '.[4].Timestamp' "$test_dir/body")
    local name query path
    while read -r name path query; do
        [ "$query" = - ] && query=
        query=${query//@T2@/$t2}
        query=${query//@T5@/$t5}
        cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO="$path" QUERY_STRING="$query"
        cp "$test_dir/answer" "$out/$name"
    done <<'EOF'
v1-page /v1/changefeed -
v1-all /v1/changefeed limit=100
v1-all-nometa /v1/changefeed includemetadata=false&limit=100
v1-offset /v1/changefeed offset=5&limit=7
v1-latest /v1/changefeed/latest -
v1-latest-nometa /v1/changefeed/latest includemetadata=false
v2-all /v2/changefeed -
v2-all-nometa /v2/changefeed includemetadata=false
v2-window /v2/changefeed startTime=@T2@&endTime=@T5@
v2-window-open /v2/changefeed startTime=@T5@&offset=2&limit=3
v2-latest /v2/changefeed/latest -
EOF
}

# same_answers WHAT WANT GOT: every answer in the folder WANT is byte for byte
# the one of the same name in GOT.
same_answers() {
    local what=$1 want=$2 got=$3 f
    for f in "$want"/*; do
        check "$what: ${f##*/} is the source's, byte for byte" cmp -s "$f" "$got/${f##*/}"
    done
}

answers "$src" "$test_dir/a.source"
answers "$golden" "$test_dir/a.golden"
all_200_with_etag() {
    local f
    for f in "$1"/*; do
        grep -q '^Status: 200' "$f" && grep -q '^ETag: "' "$f" || return 1
    done
}
check "the source's answers are 200s with an ETag" all_200_with_etag "$test_dir/a.source"
cgi DCMFEED_DB="$src" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=limit=100
check "the source holds current, replaced and deleted entries" body_is \
    '([.[].State] | unique) == ["current","deleted","replaced"] and
     ([.[].Action] | unique) == ["create","delete"]'
check "entries of a deleted instance have null Metadata, of a re-created one the present" body_is \
    '.[6].State == "deleted" and .[6].Metadata == null and
     .[7].State == "replaced" and .[7].Metadata != null'
src_tag=$(header ETag)

# --- usage -----------------------------------------------------------------------
for args in "import" "import $src $src" "--strict import $src" "--dry-run import $src" \
    "--batch 0 import $src" "import -x"; do
    # shellcheck disable=SC2086
    run --db "$test_dir/usage.db" $args
    check "usage error exits 2: '${args//$test_dir/\$dir}'" [ "$status" = 2 ]
done
run import "$src"
check "import without a log: exit 2" [ "$status" = 2 ]
run --db "$test_dir/usage.db" import "$test_dir/missing.db"
check "a missing SOURCE: exit 3" [ "$status" = 3 ]
check "... says it is SOURCE's" err_has "SOURCE: "
run --db "$test_dir/usage.db" import "$data/json/ct.json"
check "a SOURCE that is not a log: exit 3" [ "$status" = 3 ]
check "no usage or SOURCE error created the log" [ ! -e "$test_dir/usage.db" ]
run --help
check "--help documents import" grep -q 'import SOURCE' "$test_dir/out"

# --- SQLite to SQLite --------------------------------------------------------------
copy="$test_dir/copy.db"
init_log "$copy" # an empty log with an identity of its own
check "an empty log has an identity of its own" [ "$(feed_id "$copy")" != "$(feed_id "$src")" ]
run --db "$copy" import "$src"
check "import into an empty log: exit 0" [ "$status" = 0 ]
check "import prints what it copied" out_is "import 35 entries (Sequence 1 to 35)"
check "import is quiet on stderr" [ ! -s "$test_dir/err" ]
check "the empty log took the source's identity" [ "$(feed_id "$copy")" = "$(feed_id "$src")" ]
answers "$copy" "$test_dir/a.copy"
same_answers "SQLite copy" "$test_dir/a.source" "$test_dir/a.copy"
cgi DCMFEED_DB="$copy" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=limit=100 \
    HTTP_IF_NONE_MATCH="$src_tag"
check "the source's ETag is 304 on the copy" [ "$status" = 304 ]
instances() { sqlite3 "$1" 'SELECT * FROM instances' | md5sum; }
check "instances and their ids are the source's" [ "$(instances "$copy")" = "$(instances "$src")" ]

before=$(dump "$copy")
run --db "$copy" import "$src"
check "import again: exit 0" [ "$status" = 0 ]
check "import again copies nothing" \
    out_is "import 0 entries (the log holds all 35 of SOURCE already)"
check "import again writes nothing" [ "$(dump "$copy")" = "$before" ]
run -q --db "$copy" import "$src"
check "-q prints nothing" bash -c "[ ! -s '$test_dir/out' ] && [ ! -s '$test_dir/err' ]"

init_log "$test_dir/golden-copy.db"
run --db "$test_dir/golden-copy.db" --batch 2 import "$golden_old"
check "the golden log, in batches of 2: exit 0" [ "$status" = 0 ]
answers "$test_dir/golden-copy.db" "$test_dir/a.golden-copy"
same_answers "golden copy" "$test_dir/a.golden" "$test_dir/a.golden-copy"

# --- an interrupted import continues ------------------------------------------------------
resumed="$test_dir/resumed.db"
init_log "$resumed"
run --db "$resumed" import "$test_dir/prefix.db"
check "the source's first 24 entries copied" out_is "import 24 entries (Sequence 1 to 24)"
run --db "$resumed" --batch 4 import "$src"
check "import continues after the log's newest" out_is "import 11 entries (Sequence 25 to 35)"
answers "$resumed" "$test_dir/a.resumed"
same_answers "resumed copy" "$test_dir/a.source" "$test_dir/a.resumed"

# Killed once its first batches are in: what is in the log is whole batches,
# and the same call again completes it.
big="$test_dir/big.db"
make_sample "$test_dir/s3" 600 3
init_log "$big"
ingest --db "$big" --batch 50 add "$test_dir"/s3/*.json
ingest --db "$big" delete 1.2.826.0.1.3680043.10.543.3 1.2.826.0.1.3680043.10.543.3.7
killed="$test_dir/killed.db"
count_entries() {
    local n=0
    [ -s "$killed" ] && n=$(sqlite3 "$killed" 'SELECT count(*) FROM entries' 2>/dev/null || echo 0)
    echo "${n:-0}"
}
init_log "$killed"
"$INGEST" -q --db "$killed" --batch 7 import "$big" &
pid=$!
for _ in $(seq 1 500); do
    [ "$(count_entries)" -gt 0 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
n=$(count_entries)
echo "# the import was killed after $n of 605 entries"
check "a killed import leaves whole batches" [ $((n % 7)) = 0 -o "$n" = 605 ]
# A part copy is not SOURCE as it was at its newest Sequence (it holds
# SOURCE's present States and Metadata): it must not answer SOURCE's ETags.
if [ "$n" -gt 0 ] && [ "$n" -lt 605 ]; then
    check "a part copy does not carry SOURCE's identity" [ "$(feed_id "$killed")" != "$(feed_id "$big")" ]
fi
rest="import $((605 - n)) entries (Sequence $((n + 1)) to 605)"
[ "$n" = 605 ] && rest="import 0 entries (the log holds all 605 of SOURCE already)"
run --db "$killed" --batch 7 import "$big"
check "the killed import continues: exit 0" [ "$status" = 0 ]
check "... and copies the rest" out_is "$rest"
answers "$big" "$test_dir/a.big"
answers "$killed" "$test_dir/a.killed"
same_answers "killed and resumed copy" "$test_dir/a.big" "$test_dir/a.killed"

# --- refused, nothing written ----------------------------------------------------------
foreign="$test_dir/foreign.db"
init_log "$foreign"
ingest --db "$foreign" add "$test_dir"/s2/*.json
before=$(dump "$foreign")
run --db "$foreign" import "$src"
check "a log holding another log: exit 1" [ "$status" = 1 ]
check "... says so" err_has "entries of another log, not a copy of SOURCE; nothing written"
check "... and wrote nothing" [ "$(dump "$foreign")" = "$before" ]

before=$(dump "$copy")
run --db "$copy" import "$test_dir/prefix.db"
check "a log ahead of SOURCE: exit 1" [ "$status" = 1 ]
check "... says so" err_has "the log holds 35 entries, SOURCE only 24"
check "... and wrote nothing" [ "$(dump "$copy")" = "$before" ]

# refused_diverged LABEL LOG CONTENT: LOG, a copy of the prefix written to
# since, refuses the import of the whole source and keeps what CONTENT LOG
# shows.
refused_diverged() {
    local before
    init_log "$2"
    ingest --db "$2" import "$test_dir/prefix.db"
    ingest --db "$2" add "$test_dir/s2/instance-2-001.json"
    before=$("$3" "$2")
    run --db "$2" import "$src"
    check "$1: exit 1" [ "$status" = 1 ]
    check "... says so" err_has "the log's entry 25 differs from SOURCE's"
    check "... and wrote nothing" [ "$("$3" "$2")" = "$before" ]
}
refused_diverged "a copy written to since" "$test_dir/diverged.db" dump

# --- another writer during the import ------------------------------------------------------
# Between two batches an import holds no lock: another writer may append
# there. The import's next batch must see it and stop (its Sequences would
# no longer be SOURCE's), never interleave SOURCE's entries with the other's.
big_last=$(sqlite3 "$big" 'SELECT max(seq) FROM entries')
# import_raced DEST COUNT UNLOCKED CONTENT: imports $big into DEST in batches
# of 5 and, once a batch is in and more are to come, pauses it (SIGSTOP) at
# a moment it holds no write lock (UNLOCKED DEST takes the lock and gives it
# back at once), appends an instance there with `dcmfeed-ingest add` as
# another writer would, and lets the import go on. COUNT DEST prints how many
# entries DEST holds (0 before it exists). Sets $caught (the entries the
# import had copied when paused; 0 if it never was), $other_rc (add's exit
# status), $before (CONTENT DEST after the add), $status and $test_dir/err
# (the import's).
import_raced() {
    local dest=$1 count=$2 unlocked=$3 content=$4 pid n tries=0 deadline=$((SECONDS + 60))
    init_log "$dest"
    "$INGEST" --db "$dest" --batch 5 import "$big" >"$test_dir/out" 2>"$test_dir/err" &
    pid=$!
    cleanup_pids="$cleanup_pids $pid"
    caught=0 other_rc=- before=-
    # An import that ended is a zombie until waited for, which kill still
    # signals: the loop ends once all is copied, or after a minute.
    while [ "$SECONDS" -lt "$deadline" ] && kill -STOP "$pid" 2>/dev/null; do
        tries=$((tries + 1))
        n=$("$count" "$dest")
        if [ "$n" -ge "$big_last" ]; then
            kill -CONT "$pid"
            break
        fi
        if [ "$n" -gt 0 ] && "$unlocked" "$dest"; then
            caught=$n
            other_rc=0
            "$INGEST" -q --db "$dest" add "$test_dir/s2/instance-2-001.json" || other_rc=$?
            before=$("$content" "$dest")
            kill -CONT "$pid"
            break
        fi
        kill -CONT "$pid"
    done
    status=0
    wait "$pid" || status=$?
    cleanup_pids=${cleanup_pids% "$pid"}
    echo "# the import was paused after $caught of $big_last entries ($tries tries)"
}
# refused_midway WHAT DEST KEYS CONTENT FEED: the checks after import_raced.
# KEYS DEST N prints the UIDs, action and Timestamp of entries 1 to N; FEED
# DEST the log's identity.
refused_midway() {
    local what=$1 dest=$2 keys=$3 content=$4 feed=$5
    check "$what: the import paused between two batches" [ "$caught" -gt 0 ]
    check "$what: another writer appends meanwhile: exit 0" [ "$other_rc" = 0 ]
    check "$what: the import then stops: exit 1" [ "$status" = 1 ]
    check "... says another writer appended, and where" err_has \
        "the log: another writer appended to it during the import (its newest Sequence is $((caught + 1)))"
    check "... and what the log holds" \
        err_has "this batch not written (the log holds Sequence 1 to $caught of SOURCE)"
    check "... and no count of entries copied" [ ! -s "$test_dir/out" ]
    check "... leaves the log as the other writer left it" [ "$("$content" "$dest")" = "$before" ]
    check "... whole batches of the import ($caught entries)" [ $((caught % 5)) = 0 ]
    check "... which are SOURCE's first $caught" \
        [ "$("$keys" "$dest" "$caught")" = "$(sqlite_keys "$big" "$caught")" ]
    check "... then the other writer's entry, and no more" \
        [ "$("$keys" "$dest" $((caught + 2)) | wc -l)" = $((caught + 1)) ]
    check "... under the provisional identity, not SOURCE's" \
        [ "$("$feed" "$dest")" != "$(feed_id "$big")" -a "$("$feed" "$dest")" != "" ]
    run --db "$dest" --batch 5 import "$big"
    check "$what: the import again: exit 1" [ "$status" = 1 ]
    check "... says the log was written to" err_has "the log's entry $((caught + 1)) differs from SOURCE's"
    check "... and writes nothing" [ "$("$content" "$dest")" = "$before" ]
}
KEYS_SQL="SELECT e.seq || ' ' || i.study_uid || ' ' || i.series_uid || ' ' || i.sop_uid
    || ' ' || e.action || ' ' || e.timestamp FROM entries AS e JOIN instances AS i
    ON i.id = e.instance_id WHERE e.seq <= @N@ ORDER BY e.seq"
sqlite_keys() { sqlite3 "$1" "${KEYS_SQL//@N@/$2}"; }
sqlite_count() {
    local n=0
    [ -s "$1" ] && n=$(sqlite3 "$1" 'SELECT count(*) FROM entries' 2>/dev/null || echo 0)
    echo "${n:-0}"
}
# The sqlite3 shell does not wait for a lock: it fails at once.
sqlite_unlocked() { sqlite3 "$1" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; }
raced="$test_dir/raced.db"
import_raced "$raced" sqlite_count sqlite_unlocked dump
refused_midway "another writer during the import" "$raced" sqlite_keys dump feed_id

# A source that breaks the rules (a Timestamp going back, as a third-party
# writer could leave): the batches before it are copied, then it stops.
bad="$test_dir/bad.db"
cp "$golden" "$bad"
sqlite3 "$bad" 'DROP TRIGGER IF EXISTS entries_no_update;
    UPDATE entries SET timestamp = 0 WHERE seq = 4'
init_log "$test_dir/bad-copy.db"
run --db "$test_dir/bad-copy.db" --batch 2 import "$bad"
check "a source whose Timestamp goes back: exit 1" [ "$status" = 1 ]
check "... says which entry and why" err_has "entry 4 has a Timestamp before the log's newest"
check "... the batches before it are in the log" \
    [ "$(sqlite3 "$test_dir/bad-copy.db" 'SELECT group_concat(seq) FROM entries')" = "1,2" ]
check "... and it says so" err_has "the log holds Sequence 1 to 2 of SOURCE"
check "... under a provisional identity, not SOURCE's" \
    [ "$(feed_id "$test_dir/bad-copy.db")" != "$(feed_id "$bad")" ]
cgi DCMFEED_DB="$bad" PATH_INFO=/v1/changefeed QUERY_STRING=limit=2
bad_etag=$(header ETag)
cgi DCMFEED_DB="$test_dir/bad-copy.db" PATH_INFO=/v1/changefeed QUERY_STRING=limit=2
check "... so the part copy's ETag is not SOURCE's" [ -n "$bad_etag" -a "$(header ETag)" != "$bad_etag" ]
# Fixed, the source is copied whole: the same answers, its identity at last.
sqlite3 "$bad" 'UPDATE entries SET timestamp = (SELECT timestamp FROM entries WHERE seq = 3) WHERE seq = 4'
run --db "$test_dir/bad-copy.db" --batch 2 import "$bad"
check "the part copy continues once SOURCE is fixed: exit 0" [ "$status" = 0 ]
check "... and then carries SOURCE's identity" \
    [ "$(feed_id "$test_dir/bad-copy.db")" = "$(feed_id "$bad")" ]
answers "$bad" "$test_dir/a.bad"
answers "$test_dir/bad-copy.db" "$test_dir/a.bad-copy"
same_answers "completed part copy" "$test_dir/a.bad" "$test_dir/a.bad-copy"

# Metadata that is not a JSON object (a third-party writer's bug) would be
# copied into answers as it is: refused at the copy's door.
for meta in '{"00080018":' '[1,2]' "$(printf '{"x":"\xff"}')"; do
    cp "$golden" "$bad"
    sqlite3 "$bad" "UPDATE instances SET metadata = CAST(x'$(printf '%s' "$meta" | od -An -tx1 | tr -d ' \n')' AS TEXT) WHERE id = 3"
    rm -f "$test_dir/meta-copy.db" "$test_dir/meta-copy.db-wal" "$test_dir/meta-copy.db-shm"
    init_log "$test_dir/meta-copy.db"
    run --db "$test_dir/meta-copy.db" import "$bad"
    check "Metadata $(printf '%q' "$meta") in SOURCE: exit 1, said so" \
        [ "$status" = 1 ] && check "... (the message)" err_has "entry 5 has Metadata that is not a JSON object"
done

# --- PostgreSQL ----------------------------------------------------------------------------
pg_half() {
    pg_start dcmfeed_import
    echo "# PostgreSQL at $PG_CONNINFO"
    local pg=$PG_CONNINFO pg2="${PG_CONNINFO% dbname=*} dbname=dcmfeed_import2"
    local port=${PG_CONNINFO##*port=}
    port=${port%% *}
    pg_as_owner "$pg_bin/createdb" -h "$pg_dir" -p "$port" -U "$(pg_as_owner id -un)" \
        dcmfeed_import2

    init_log "$pg"
    run --db "$pg" --batch 10 import "$src"
    check "PostgreSQL: import: exit 0" [ "$status" = 0 ]
    check "PostgreSQL: import prints what it copied" out_is "import 35 entries (Sequence 1 to 35)"
    answers "$pg" "$test_dir/a.pg"
    same_answers "PostgreSQL copy" "$test_dir/a.source" "$test_dir/a.pg"
    cgi DCMFEED_DB="$pg" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING=limit=100 \
        HTTP_IF_NONE_MATCH="$src_tag"
    check "PostgreSQL: the source's ETag is 304 on the copy" [ "$status" = 304 ]

    # And back: PostgreSQL as the source.
    init_log "$test_dir/back.db"
    run --db "$test_dir/back.db" import "$pg"
    check "PostgreSQL to SQLite: exit 0" [ "$status" = 0 ]
    answers "$test_dir/back.db" "$test_dir/a.back"
    same_answers "SQLite copy of the PostgreSQL copy" "$test_dir/a.source" "$test_dir/a.back"

    run --db "$pg" import "$pg"
    check "PostgreSQL: import of a log into itself copies nothing" \
        out_is "import 0 entries (the log holds all 35 of SOURCE already)"

    run --db "$pg" import "$golden"
    check "PostgreSQL: a log holding another log: exit 1" [ "$status" = 1 ]
    answers "$pg" "$test_dir/a.pg-after"
    same_answers "PostgreSQL after the refusal" "$test_dir/a.source" "$test_dir/a.pg-after"

    init_log "$pg2"
    run --db "$pg2" import "$test_dir/prefix.db"
    check "PostgreSQL: the source's first 24 entries copied" \
        out_is "import 24 entries (Sequence 1 to 24)"
    run --db "$pg2" --batch 3 import "$src"
    check "PostgreSQL: import continues after the log's newest" \
        out_is "import 11 entries (Sequence 25 to 35)"
    answers "$pg2" "$test_dir/a.pg2"
    same_answers "PostgreSQL resumed copy" "$test_dir/a.source" "$test_dir/a.pg2"

    # A copy written to since, and another writer during the import.
    local pg3="${PG_CONNINFO% dbname=*} dbname=dcmfeed_import3"
    local pg4="${PG_CONNINFO% dbname=*} dbname=dcmfeed_import4"
    pg_as_owner "$pg_bin/createdb" -h "$pg_dir" -p "$port" -U "$(pg_as_owner id -un)" \
        dcmfeed_import3
    pg_as_owner "$pg_bin/createdb" -h "$pg_dir" -p "$port" -U "$(pg_as_owner id -un)" \
        dcmfeed_import4
    refused_diverged "PostgreSQL: a copy written to since" "$pg3" pg_content
    import_raced "$pg4" pg_count pg_unlocked pg_content
    refused_midway "PostgreSQL: another writer during the import" "$pg4" pg_keys pg_content pg_feed_id
    pg_stop
}
pg_keys() { pg_psql "$1" "${KEYS_SQL//@N@/$2}"; }
pg_feed_id() { pg_psql "$1" 'SELECT id FROM feed'; }
pg_count() { pg_psql "$1" 'SELECT count(*) FROM entries' 2>/dev/null || echo 0; }
# NOWAIT: fails at once where the import holds the lock dcmfeed-ingest writes under.
pg_unlocked() {
    pg_psql "$1" 'BEGIN; LOCK TABLE entries IN EXCLUSIVE MODE NOWAIT; ROLLBACK' >/dev/null 2>&1
}
# A PostgreSQL log's whole content, for "nothing written".
pg_content() {
    {
        pg_psql "$1" 'SELECT id FROM feed'
        pg_psql "$1" 'SELECT * FROM instances ORDER BY id'
        pg_psql "$1" 'SELECT * FROM entries ORDER BY seq'
    } | md5sum
}

if "$INGEST" --db "host=/nonexistent dbname=dcmfeed_probe" delete 1.2 2>&1 |
    grep -q 'no PostgreSQL support'; then
    echo "# SKIP: the PostgreSQL half: this build has no PostgreSQL support"
elif ! pg_find; then
    echo "# SKIP: the PostgreSQL half: PostgreSQL is not installed (apt-get install postgresql)"
elif [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "# SKIP: the PostgreSQL half: running as root and there is no postgres user"
else
    pg_half
fi
finish
