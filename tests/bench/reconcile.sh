#!/bin/bash
# How fast dcmfeed-ingest reconcile compares a log with a DICOMweb archive,
# and what it asks of the archive: Orthanc with its DICOMweb plugin (Debian's
# orthanc and orthanc-dicomweb) on loopback, loaded with COUNT small Part 10
# files (studies of 20 instances, series of 5, spread over 30 years) by POST
# /instances. Rows (pages of 1000, so that the studies are listed in one
# search): the first run into an empty log (every instance a create), a run
# on a log that is the archive (the cost of every nightly run), a run after
# 10 % of the instances changed; then with the default pages of 100 and with
# pages of 10 (walks by StudyDate halves: every 20th study has no StudyDate
# and is found through the log), and --since on the newest years. Each row gives
# instances compared per second, QIDO-RS and WADO-RS requests, and the ratio
# to dcmfeed-ingest add of the same files into an empty log, measured in the
# same run (the reference). Prints figures, asserts nothing.
#   INGEST=path/to/dcmfeed-ingest top_srcdir=SRC tests/bench/reconcile.sh [COUNT]
set -eu
[ -n "${EPOCHREALTIME:-}" ] || { echo "bench: needs bash 5 (EPOCHREALTIME)" >&2; exit 1; }
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${INGEST:?set INGEST to the dcmfeed-ingest to measure}"
count=${1:-2000}
for need in /usr/sbin/Orthanc /usr/share/orthanc/plugins/libOrthancDicomWeb.so; do
    [ -e "$need" ] || { echo "reconcile: not available ($need is missing: apt-get install orthanc orthanc-dicomweb)"; exit 0; }
done
command -v jq >/dev/null || { echo "reconcile: not available (jq is missing)"; exit 0; }
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/archive_lib.sh"
per=20
studies=$(((count + per - 1) / per))
count=$((studies * per))

make_instances "$test_dir/dcm" "$studies" "$per"
archive_start
t0=$EPOCHREALTIME
store "$test_dir"/dcm/*.dcm >/dev/null
t1=$EPOCHREALTIME
version=$("$ORTHANC" --version 2>/dev/null | head -n 1 | awk '{ print $NF }')
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
echo "# reconcile against Orthanc $version with its DICOMweb plugin, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
echo "# $count instances in $studies studies (series of 5) stored by POST /instances in $(secs "$t0" "$t1") s;" \
    "SQLite log, loopback, Basic auth"

# The reference: add of the same files into an empty log.
init_log "$test_dir/ref.db"
t0=$EPOCHREALTIME
"$INGEST" --db "$test_dir/ref.db" -q add "$test_dir/dcm"
t1=$EPOCHREALTIME
ref_rate=$(awk -v n="$count" -v s="$(secs "$t0" "$t1")" 'BEGIN { printf "%.0f", n / s }')

db="$test_dir/feed.db"
init_log "$db"
printf '%-44s %9s %8s %10s %8s %8s %9s\n' row instances seconds "inst/s" QIDO WADO "×add"
row() {
    local name=$1 t0 t1 s summary n q w
    shift
    t0=$EPOCHREALTIME
    "$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" "$@" "$archive_url" \
        >/dev/null 2>"$test_dir/err" || true
    t1=$EPOCHREALTIME
    s=$(secs "$t0" "$t1")
    summary=$(grep 'compared in' "$test_dir/err" | tail -n 1)
    n=$(sed -n 's/.*reconcile: \([0-9]*\) instances\{0,1\} of.*/\1/p' <<<"$summary")
    q=$(sed -n 's/.*; \([0-9]*\) QIDO-RS and.*/\1/p' <<<"$summary")
    w=$(sed -n 's/.* and \([0-9]*\) WADO-RS.*/\1/p' <<<"$summary")
    printf '%-44s %9s %8s %10s %8s %8s %9s\n' "$name" "$n" "$s" \
        "$(awk -v n="$n" -v s="$s" 'BEGIN { printf "%.0f", n / s }')" "$q" "$w" \
        "$(awk -v n="$n" -v s="$s" -v r="$ref_rate" 'BEGIN { printf "%.2f", n / s / r }')"
    sed -n 's/.*): /  → /p' <<<"$summary"
}
row "first run, empty log (all creates)" --qido-limit 1000
row "second run, log = archive (compare only)" --qido-limit 1000
make_instances "$test_dir/renamed" $((studies / 10)) "$per" Renamed^Name
store "$test_dir"/renamed/*.dcm >/dev/null
row "after 10 % of the instances changed" --qido-limit 1000
row "log = archive, QIDO-RS pages of 100 (default)"
row "log = archive, QIDO-RS pages of 10" --qido-limit 10
row "log = archive, --since 2016-01-01" --since 2016-01-01
printf '%-44s %9s %8s %10s\n' "reference: add of the files, empty log" "$count" "" "$ref_rate"
