#!/bin/bash
# The viewer (viewer/, served at /dicom/viewer/) in a real browser: Debian's
# chromium, driven by python3-selenium through chromedriver, against a real
# lighttpd serving the shipped FastCGI config and a log with entries over the
# last 40 days. tests/http/viewer_browser.py drives the page and checks it
# against the feed itself; its screenshots stay in
# tests/http/viewer-screenshots/ of the build tree.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/viewer_lib.sh"
[ -n "${top_builddir:-}" ] || skip_all "run from make check (top_builddir)"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v chromium >/dev/null || skip_all "chromium is not installed (apt-get install chromium)"
command -v chromedriver >/dev/null || skip_all "chromedriver is not installed (apt-get install chromium-driver)"
/usr/bin/python3 -c 'import selenium' 2>/dev/null || skip_all "selenium is not installed (apt-get install python3-selenium)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"
gen_log="$top_builddir/tests/bench/gen_log"
[ -x "$gen_log" ] || skip_all "tests/bench/gen_log is not built (make check builds it)"

use_test_backend
install_viewer
add_user reader 'correct horse'

# The log: entries of the last 40 days, evenly spread (so that the chart's
# hours and days differ), then 450 in one microsecond (a burst larger than
# two v2 pages), then a study ingested now, one instance of it stored again
# and one series deleted (every State shows).
now_us=$(($(date +%s) * 1000000))
day_us=$((24 * 3600 * 1000000))
hour_us=$((3600 * 1000000))
"$gen_log" make "$db" 600 600 $((now_us - 40 * day_us)) $((now_us - 26 * hour_us)) >/dev/null 2>&1
"$gen_log" make "$db" 300 300 $((now_us - 23 * hour_us)) $((now_us - 2 * hour_us)) >/dev/null 2>&1
"$gen_log" make "$db" 450 450 $((now_us - 90 * 60 * 1000000)) $((now_us - 90 * 60 * 1000000)) >/dev/null 2>&1
make_sample "$test_dir/sample" 20 1
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json
"$INGEST" --db "$db" -q add "$test_dir/sample/instance-1-004.json"
"$INGEST" --db "$db" -q delete 1.2.826.0.1.3680043.10.543.1 1.2.826.0.1.3680043.10.543.1.2
make_sample "$test_dir/later" 3 9

start_lighttpd
auth=(-u 'reader:correct horse')
http GET "$base/v1/changefeed/latest?includemetadata=false" "${auth[@]}"
check "the test log is served ($(jq -r .Sequence "$test_dir/body" 2>/dev/null) entries)" body_is '.Sequence > 1300'
check_viewer_served "$base" "${auth[@]}"

shots="$top_builddir/tests/http/viewer-screenshots"
rm -rf "$shots"
mkdir -p "$shots"
# One line per check from the driver: "PASS name" or "FAIL name", comments
# with '#'; it exits non-zero only when it could not run at all.
rc=0
TZ=Europe/Berlin /usr/bin/python3 "$top_srcdir/tests/http/viewer_browser.py" \
    --base "http://127.0.0.1:$port/dicom" --user reader --password 'correct horse' \
    --ingest "$INGEST" --db "$db" --later "$test_dir/later" --again "$test_dir/sample/instance-1-003.json" \
    --shots "$shots" --profile "$test_dir/chromium" --driver "$(command -v chromedriver)" \
    >"$test_dir/browser.out" 2>"$test_dir/browser.err" || rc=$?
while IFS= read -r line; do
    case $line in
    "PASS "*) ok "${line#PASS }" ;;
    "FAIL "*) not_ok "${line#FAIL }" ;;
    "#"*) echo "$line" ;;
    *) echo "# $line" ;;
    esac
done <"$test_dir/browser.out"
if [ "$rc" != 0 ]; then
    sed 's/^/# /' "$test_dir/browser.err" | tail -n 30
    not_ok "the browser driver ran to its end (exit $rc)"
fi
check "screenshots kept in $shots" bash -c "ls '$shots'/*.png >/dev/null 2>&1"
finish
