#!/bin/bash
# reconcile's walk over an archive that cuts every search at its own maximum,
# however far offset goes: Orthanc with LimitFindResults (10 here). Pages of
# --qido-limit 5 come back full, so the whole archive is walked by StudyDate
# ranges halved down to single days (a day with more studies than a page is
# paged by offset), and studies without a date come with the open range
# before 1900 where the archive matches an empty date there. Every dated
# instance must reach the log; a study without StudyDate (the attribute
# absent: no range matches it) is found once the log knows it (--study, then
# every run asks for the log's studies by UID); --since must walk only its
# dates; a second run appends nothing. The numbers of requests are printed.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/archive_lib.sh"
db="$test_dir/feed.db"

make_instances "$test_dir/dcm" 60 2
archive_start '"LimitFindResults": 10' '"LimitFindInstances": 10'
store "$test_dir"/dcm/*.dcm >/dev/null
init_log "$db"
init_log "$test_dir/cut.db"
echo "# the archive: $(api GET /statistics | jq -c '{CountStudies, CountInstances}'), searches cut at 10"
# Every 20th study has no StudyDate: 3 studies, 6 instances.
undated=$(for s in 20 40 60; do echo "1.2.826.0.1.3680043.10.543.9.$s"; done)
rc=0
"$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" --qido-limit 5 \
    "$archive_url" >"$test_dir/out" 2>"$test_dir/err" || rc=$?
echo "# $(tail -n 1 "$test_dir/err")"
check "a run with pages below the archive's maximum: done" [ "$rc" = 0 ]
expect "... every dated instance created, each once" \
    '[ "$(grep -c "^create " "$test_dir/out")" = 114 ] && [ "$(sort -u "$test_dir/out" | wc -l)" = 114 ]'
check "... the undated studies not found (no date range matches them)" \
    not grep -qE "$(echo "$undated" | sed 's/$/\\./' | paste -sd'|')" "$test_dir/out"
for study in $undated; do
    "$INGEST" --db "$db" -q reconcile --user "$archive_user:$archive_password" --study "$study" \
        "$archive_url"
done
log_state "$db" >"$test_dir/log_set"
archive_instances >"$test_dir/archive_set"
check "with --study for those, the log's instances are the archive's" \
    cmp -s "$test_dir/log_set" "$test_dir/archive_set"
rc=0
"$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" --qido-limit 5 \
    "$archive_url" >"$test_dir/out" 2>"$test_dir/err" || rc=$?
expect "a second run appends nothing" '[ "$rc" = 0 ] && [ ! -s "$test_dir/out" ]'
# Pages above the archive's maximum: it cuts the first search short without
# saying so, and reconcile cannot tell that from an archive that has no more.
# What the documentation warns about, shown:
"$INGEST" --db "$test_dir/cut.db" reconcile --user "$archive_user:$archive_password" \
    --qido-limit 100 "$archive_url" >"$test_dir/out" 2>/dev/null || true
echo "# with --qido-limit 100 above the archive's 10: $(grep -c '^create ' "$test_dir/out") of 120 instances found"

# --since: only the studies of that date or later; the others stay as they are.
rm -rf "$test_dir/renamed" && make_instances "$test_dir/renamed" 60 2 New^Name
store "$test_dir"/renamed/*.dcm >/dev/null
since=2015-01-01
expected=$(/usr/bin/python3 - "$test_dir/renamed" "$since" <<'PY'
import glob, sys, pydicom
n = 0
for f in glob.glob(sys.argv[1] + "/*.dcm"):
    d = pydicom.dcmread(f).get("StudyDate", "")
    n += d != "" and d >= sys.argv[2].replace("-", "")
print(n)
PY
)
rc=0
"$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" --qido-limit 5 \
    --since "$since" "$archive_url" >"$test_dir/out" 2>"$test_dir/err" || rc=$?
echo "# --since $since: $(tail -n 1 "$test_dir/err")"
expect "--since: an update for each instance dated $since or later ($expected), nothing else" \
    '[ "$rc" = 0 ] && [ "$(grep -c "^update " "$test_dir/out")" = "$expected" ] &&
    [ "$(wc -l <"$test_dir/out")" = "$expected" ]'
rc=0
"$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" --qido-limit 5 \
    "$archive_url" >"$test_dir/out" 2>"$test_dir/err" || rc=$?
check "then the whole archive: the other instances (the undated ones through the log)" \
    [ "$(grep -c '^update ' "$test_dir/out")" = "$((120 - expected))" ]
finish
