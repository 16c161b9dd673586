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
# pg_put_back DUMP: deploy.md's command. The new identity is sent only once
# pg_restore has ended well, else a statement that fails: a dump cut short
# must not commit the part of it psql has read.
pg_put_back() {
    { "$pg_bin/pg_restore" --clean --if-exists -f - "$1" &&
        echo "RESET search_path; UPDATE feed SET id = replace(gen_random_uuid()::text, '-', '');" ||
        echo "SELECT 'pg_restore failed: nothing restored'::int;"; } |
        "$pg_bin/psql" -X -q -w -v ON_ERROR_STOP=1 --single-transaction -d "$db" -f - >"$test_dir/restore.out" 2>&1
}
status_ok() { "$INGEST" --db "$db" status >/dev/null; }
old_id=$(identity)
head -c $(($(stat -c %s "$backup") * 2 / 3)) "$backup" >"$test_dir/cut.pgdump"
rc=0
pg_put_back "$test_dir/cut.pgdump" || rc=$?
check "a dump cut short: the restore fails (psql exits $rc)" [ "$rc" != 0 ]
check "... and the log is as it was: 15 entries, its identity, its checks pass" \
    bash -c "[ \"\$(\"$pg_bin/psql\" -X -A -t -w -d \"\$0\" -c 'SELECT count(*) FROM entries')\" = 15 ]" "$db" &&
    check "... (identity)" [ "$(identity)" = "$old_id" ] && check "... (status)" status_ok
if pg_put_back "$backup"; then
    ok "pg_restore --clean | psql --single-transaction, a new identity last: exit 0"
else
    not_ok "pg_restore --clean | psql --single-transaction: failed"
    sed 's/^/# /' "$test_dir/restore.out"
fi
check "... the log has a new identity of 32 hex digits" bash -c "[ '$(identity)' != '$old_id' ] && [[ '$(identity)' =~ ^[0-9a-f]{32}\$ ]]"
check "... and passes dcmfeed-ingest status" status_ok
served_from_the_backup "$tag10" "$tag15"
rc=0
"$pg_bin/psql" -X -q -w -d "$db" -c "UPDATE entries SET action = 'delete' WHERE seq = 1" 2>/dev/null || rc=$?
check "the restored entries are immutable still (the log's trigger came back with them)" [ "$rc" != 0 ]
finish
