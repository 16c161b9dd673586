#!/bin/bash
# A FastCGI responder gives back the memory of a large answer: after a 12 MB
# page and five small ones, each responder process of the shipped lighttpd
# config holds at most 16 MB (it held 32 MB and more before: every thread
# kept its largest buffers for the life of the process).
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
[ -x /usr/bin/python3 ] || skip_all "python3 is not installed"
# A sanitizer's shadow memory and quarantine are most of such a process.
if grep -q -e __asan_init -e __tsan_init "$FCGI"; then
    skip_all "the responder is built with a sanitizer: its memory is the sanitizer's"
fi

db="$test_dir/feed.db"
/usr/bin/python3 "$top_srcdir/tests/lib/make_big.py" "$test_dir/big" 80 150000
init_log "$db"
"$INGEST" --db "$db" -q add "$test_dir/big"
add_user reader mem
auth=(-u reader:mem)
start_lighttpd
lighttpd_pid=${cleanup_pids##* }

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

http GET "$base/v1/changefeed?limit=1&includemetadata=false" "${auth[@]}"
check "the feed answers" [ "$status" = 200 ]
for p in $(pgrep -P "$lighttpd_pid"); do echo "# responder $p at start: $(rss_kb "$p") kB"; done
# Four at once, so that every thread of a process builds one.
fetchers=""
for i in 1 2 3 4; do
    "$CURL" -s -o "$test_dir/big.$i" "${auth[@]}" "$base/v1/changefeed?limit=80" &
    fetchers="$fetchers $!"
done
# shellcheck disable=SC2086
wait $fetchers
size=$(stat -c %s "$test_dir/big.4")
check "the large page is 12 MB or more ($size bytes)" [ "$size" -ge 12000000 ]
for _ in 1 2 3 4 5; do
    http GET "$base/v1/changefeed?limit=5" "${auth[@]}"
done
check "small pages answer" body_is 'length == 5'
responders=$(pgrep -P "$lighttpd_pid")
check "a responder process runs" [ -n "$responders" ]
for p in $responders; do
    kb=$(rss_kb "$p")
    check "responder $p holds $kb kB after a 12 MB answer and five small ones (at most 16 MB)" \
        [ "$kb" -le 16384 ]
done
finish
