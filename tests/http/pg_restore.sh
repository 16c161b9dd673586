#!/bin/bash
# Putting a PostgreSQL log's backup back under a running lighttpd FastCGI
# responder, with PostgreSQL's own tools, as docs/deploy.md section 13 says:
# a dump of the log's database (pg_dump -Fc), and pg_restore --clean piped
# into one psql transaction that ends by giving the log a new identity.
# - `dcmfeed-ingest restore` refuses a PostgreSQL log, naming the way;
# - a dump cut short restores nothing: the log stays as it was;
# - every responder serves the backup from its next request, each thread on
#   the connection it held, under a new identity (no ETag from before the
#   restore matches, not even one of the backup's own moment);
# - the next appends follow the backup's newest Sequence.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/restore_lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"

DCMFEED_TEST_BACKEND=pg use_test_backend
restore_setup
identity() { pg_sql 'SELECT id FROM feed'; }

feed
check "the feed serves 10 entries" body_is 'length == 10'
tag10=$(header ETag)
backup="$test_dir/feed.pgdump"
check "pg_dump -Fc of the log's database" "$pg_bin/pg_dump" -w -Fc -f "$backup" -d "$db"
"$INGEST" --db "$db" -q add "$test_dir"/a/instance-1-01[1-5].json
feed
check "then 15" body_is 'length == 15'
tag15=$(header ETag)

rc=0
"$INGEST" --db "$db" restore "$backup" 2>"$test_dir/err" || rc=$?
check "dcmfeed-ingest restore refuses a PostgreSQL log: exit 1" [ "$rc" = 1 ]
check "... and names the way (pg_restore, deploy.md section 13)" \
    grep -q 'a PostgreSQL log is restored with pg_restore' "$test_dir/err"
check "... nothing written (15 entries)" [ "$(pg_sql 'SELECT count(*) FROM entries')" = 15 ]

# --- the restore, as deploy.md gives it, under the running responders ----------------------------
# pg_put_back LOG DUMP [SQL]: deploy.md's commands. SQL, when given, runs
# last in the restore's transaction (the test holds it open with it, so
# that requests arrive while the restore holds the log).
pg_put_back() {
    local sql="$test_dir/restore.sql" rc=0
    (
        umask 077
        "$pg_bin/pg_restore" --clean --if-exists -f "$sql" "$2" &&
            "$pg_bin/psql" -X -q -w -v ON_ERROR_STOP=1 --single-transaction -d "$1" \
                -c "LOCK TABLE feed, entries, instances, kinds, deid_metadata, archive_ids, writer_positions, dcmfeed_schema IN ACCESS EXCLUSIVE MODE" \
                -f "$sql" \
                -c "RESET search_path; UPDATE feed SET id = md5(random()::text || clock_timestamp()::text); NOTIFY dcmfeed" \
                ${3:+-c "$3"}
    ) >"$test_dir/restore.out" 2>&1 || rc=$?
    rm -f "$sql"
    return "$rc"
}
status_ok() { "$INGEST" --db "${1:-$db}" status >/dev/null; }
count() { "$pg_bin/psql" -X -A -t -w -d "${1:-$db}" -c 'SELECT count(*) FROM entries'; }

# A dump cut short restores nothing. Cut inside a table's rows, pg_restore
# has printed part of them when it fails (a pipe into psql would commit
# that part: seen with deploy.md's first command), so a log of 1,500
# entries, whose rows fill many blocks of the dump, on a database of its own.
pg_sql "CREATE DATABASE dcmfeed_cut"
cut_db="$PG_CONNINFO dbname=dcmfeed_cut"
make_sample "$test_dir/many" 1500 3
init_log "$cut_db"
"$INGEST" --db "$cut_db" -q add "$test_dir/many"
"$pg_bin/pg_dump" -w -Fc -f "$test_dir/many.pgdump" -d "$cut_db"
cut_id=$(pg_psql "$cut_db" 'SELECT id FROM feed')
size=$(stat -c %s "$test_dir/many.pgdump")
# open_table CUT: the table whose rows pg_restore, reading CUT, was printing
# when it failed (a COPY without its end), if any.
open_table() {
    "$pg_bin/pg_restore" -f - "$1" 2>/dev/null |
        awk '/^COPY .* FROM stdin;$/ { table = $2; rows = 0; next } /^\\\.$/ { table = ""; next }
             table != "" { rows++ } END { if (table != "" && rows > 0) print table }'
}
# The cuts that matter most fall inside the rows of a table whose last
# column is text: a cut row ends without its newline, and whatever psql
# reads next completes it.
cuts=""
for part in $(seq 2 2 98); do
    head -c $((size * part / 100)) "$test_dir/many.pgdump" >"$test_dir/cut.pgdump"
    [ "$(open_table "$test_dir/cut.pgdump")" = public.deid_metadata ] && cuts="$cuts $part"
done
check "the dump can be cut inside deid_metadata's rows (at$cuts %)" [ -n "$cuts" ]
for part in 30 $(tr ' ' '\n' <<<"$cuts" | sed -n '2p;$p') 99; do
    head -c $((size * part / 100)) "$test_dir/many.pgdump" >"$test_dir/cut.pgdump"
    rc=0
    pg_put_back "$cut_db" "$test_dir/cut.pgdump" || rc=$?
    check "a dump cut at $part % of $size bytes: the restore fails (exit $rc)" [ "$rc" != 0 ]
    check "... and the log is as it was: 1,500 entries" [ "$(count "$cut_db")" = 1500 ] &&
        check "... its identity" [ "$(pg_psql "$cut_db" 'SELECT id FROM feed')" = "$cut_id" ] &&
        check "... its checks pass" status_ok "$cut_db"
done
old_id=$(identity)

# Requests that arrive while the restore holds the log wait for it, then
# answer from the backup (their first snapshot, taken before the commit,
# sees the new tables empty: the responder takes another).
restore_holds() {
    [ "$(pg_sql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                 WHERE c.relname = 'feed' AND l.mode = 'AccessExclusiveLock' AND l.granted")" != 0 ]
}
pg_put_back "$db" "$backup" "SELECT pg_sleep(2)" &
restoring=$!
until_true 30 restore_holds || true
asking=""
for i in 1 2 3 4; do
    "$CURL" -s -m 60 -o "$test_dir/during-$i" -w '%{http_code}' "${auth[@]}" \
        "$base/v1/changefeed?limit=100&includemetadata=false&during=$i" >"$test_dir/during-$i.status" &
    asking="$asking $!"
done
if wait "$restoring"; then
    ok "pg_restore to a file, then one psql transaction: lock, restore, a new identity: exit 0"
else
    not_ok "pg_restore to a file, then one psql transaction: failed"
    sed 's/^/# /' "$test_dir/restore.out"
fi
for pid in $asking; do wait "$pid" || true; done
during() { for i in 1 2 3 4; do echo "$(cat "$test_dir/during-$i.status") $(jq length "$test_dir/during-$i")"; done | sort -u; }
check "requests that arrived during the restore answer 200 with the backup's 10 entries ($(during | tr '\n' ' '))" \
    [ "$(during)" = "200 10" ]
check "... the log has a new identity of 32 hex digits" bash -c "[ '$(identity)' != '$old_id' ] && [[ '$(identity)' =~ ^[0-9a-f]{32}\$ ]]"
check "... and passes dcmfeed-ingest status" status_ok
served_from_the_backup "$tag10" "$tag15"
rc=0
"$pg_bin/psql" -X -q -w -d "$db" -c "UPDATE entries SET action = 'delete' WHERE seq = 1" 2>/dev/null || rc=$?
check "the restored entries are immutable still (the log's trigger came back with them)" [ "$rc" != 0 ]
finish
