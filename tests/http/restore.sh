#!/bin/bash
# Putting a backup back under a running lighttpd FastCGI responder. What was
# seen with `mv new.db feed.db`: the old -wal/-shm stayed beside the new file,
# the responder went on serving the old log (once a mix of both, UIDs paired
# with the wrong entries) and the next ingest appended into that stale view.
# Here: `dcmfeed-ingest restore` puts the backup in the live file, so every
# responder serves it at once, under a new identity (no old ETag matches);
# a file moved over the live log with stale -wal/-shm beside it is served
# by no one, written by no one, each saying why; a log moved over with its
# own -wal and -shm is noticed (a new inode) and served.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/restore_lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"

db="$test_dir/feed.db"
restore_setup

feed
check "the feed serves 10 entries" body_is 'length == 10'
tag10=$(header ETag)
"$INGEST" --db "$db" -q backup "$test_dir/backup.db"
"$INGEST" --db "$db" -q add "$test_dir"/a/instance-1-01[1-5].json
feed
check "then 15" body_is 'length == 15'
tag15=$(header ETag)

# --- restore under the running responders -----------------------------------------------
ino=$(stat -c %i "$db")
check "restore under running responders: exit 0" "$INGEST" --db "$db" -q restore "$test_dir/backup.db"
check "... the log file is the same file" [ "$(stat -c %i "$db")" = "$ino" ]
served_from_the_backup "$tag10" "$tag15"

# --- mv over a live log, its -wal/-shm left behind ------------------------------------------
"$INGEST" --db "$db" -q backup "$test_dir/copy.db"
sleep 0.05
cp "$test_dir/copy.db" "$test_dir/moved.db" # born after the live -wal and -shm
mv "$test_dir/moved.db" "$db"
feed
check "a log file moved over the live one with stale -wal/-shm: 503" [ "$status" = 503 ]
check "... the responder's line says why and what to do" \
    grep -q "changefeed.fcgi: stale files: $db-wal is " "$test_dir/responder.log"
rc=0
"$INGEST" --db "$db" -q add "$test_dir/a/instance-1-011.json" 2>"$test_dir/err" || rc=$?
check "... a writer refuses it too: exit 3, no append into a stale view" [ "$rc" = 3 ] &&
    check "... (stale files)" grep -q "stale files: " "$test_dir/err"
rm "$db-wal" "$db-shm"
check "with the stale files removed, init makes them anew" init_log "$db"
feed
check "... and every responder serves the moved log" [ "$status" = 200 ] && check "... (14 entries)" body_is 'length == 14'

# --- a log moved over with its own -wal and -shm -----------------------------------------------
mkdir "$test_dir/other"
init_log "$test_dir/other/feed.db"
"$INGEST" --db "$test_dir/other/feed.db" -q add "$test_dir"/b/*.json
mv "$test_dir/other/feed.db" "$test_dir/other/feed.db-wal" "$test_dir/other/feed.db-shm" "$test_dir/"
for i in 1 2 3 4 5 6; do
    feed
    [ "$status" = 200 ] && body_is 'length == 4' || break
done
check "a log moved over with its own -wal and -shm: every responder reopens it (a new inode)" \
    [ "$status" = 200 ] && check "... (its 4 entries)" body_is 'length == 4'
finish
