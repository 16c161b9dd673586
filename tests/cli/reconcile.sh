#!/bin/bash
# dcmfeed-ingest reconcile against a real DICOMweb archive: Orthanc with its
# DICOMweb plugin on loopback (tests/lib/archive_lib.sh), loaded with
# pydicom's real test files by POST /instances, and a log written from the
# same files by dcmfeed-ingest add, as storescp's hook would. Then the log is
# made to drift from the archive on purpose (instances only the archive has,
# one the log shows deleted, instances, a series and a study deleted in the
# archive only, a study only the log has, metadata changed by a file stored
# again), and each time reconcile must leave the log's current instances and
# their metadata what the archive has, and a second run must append nothing.
# Also: the scope options, the date walk with small pages, credentials,
# an unreachable archive, a URL that is not DICOMweb, the progress line.
# With DCMFEED_TEST_BACKEND=pg (tests/cli/reconcile_pg.sh) the log is in
# PostgreSQL.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/archive_lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (apt-get install sqlite3)"
use_test_backend

archive_start
reconcile() { "$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" "$@" "$archive_url"; }
# run_reconcile [OPTION...]: its output in $test_dir/out and err, status in $rc.
run_reconcile() {
    rc=0
    reconcile "$@" >"$test_dir/out" 2>"$test_dir/err" || rc=$?
}
lines() { grep -c "^$1 " "$test_dir/out" || true; }

has_line() { grep -qE "^$1 [0-9-]+ $2( |$)" "$test_dir/out"; }
# same_as_archive: the log's current instances are the archive's.
same_as_archive() {
    archive_instances >"$test_dir/archive_set"
    log_state "$db" >"$test_dir/log_set"
    if ! cmp -s "$test_dir/archive_set" "$test_dir/log_set"; then
        diff "$test_dir/archive_set" "$test_dir/log_set" | head -n 10 | sed 's/^/# /'
        return 1
    fi
}

# --- the archive and a log written from the same files --------------------------------
files=("$pydicom_files"/*.dcm)
store "${files[@]}" >"$test_dir/stored"
stored=$(grep -c -E '^(Success|AlreadyStored) ' "$test_dir/stored" || true)
echo "# the archive took $stored of ${#files[@]} files: $(api GET /statistics | jq -c '{CountStudies, CountSeries, CountInstances}')"
init_log "$db"
"$INGEST" --db "$db" -q add "${files[@]}" 2>/dev/null || true
before=$(entries_count "$db")

# The archive's one ambiguity: two files with one SOP Instance UID under two
# Patient IDs make two instances in Orthanc, and its WADO-RS answers 404 for
# either: reconcile names it and leaves it as the log has it.
ambiguous_sop=$(uids_of "$pydicom_files/rtdose.dcm" | cut -d' ' -f3)

run_reconcile --max-retries 0
echo "# first run: $(tail -n 1 "$test_dir/err")"
check "a log written from the files: nothing created or deleted" \
    [ "$(lines create)" = 0 -a "$(lines delete)" = 0 ]
# The canonical comparison sees the files and the archive's WADO-RS answers
# as equal, but for one file the archive decodes otherwise (ISO 2022 IR 13:
# Orthanc reads the value separator '\' as a Yen sign): its metadata is taken.
j2k_sop=$(uids_of "$pydicom_files/J2K_pixelrep_mismatch.dcm" | cut -d' ' -f3)
expect "... and updated only the instance the archive decodes otherwise" \
    '[ "$(lines update)" = 1 ] && has_line update "$j2k_sop"'
expect "an instance the archive lists without metadata: exit 1, named, left alone" \
    '[ "$rc" = 1 ] && grep -q "instance $ambiguous_sop .*does not give its metadata; left as the log has it" "$test_dir/err"'
check "... its entries untouched" [ "$(grep -c "$ambiguous_sop" "$test_dir/out" || true)" = 0 ]
check "the log's instances are the archive's" same_as_archive
n=$(entries_count "$db")
run_reconcile
expect "a second run appends nothing" \
    '[ "$(wc -l <"$test_dir/out")" = 0 ] && [ "$(entries_count "$db")" = "$n" ]'

# --- drift ------------------------------------------------------------------------------
/usr/bin/python3 - "$pydicom_files" "$test_dir/new" <<'EOF'
# Three instances the log never heard of (a new series of CT_small's study),
# and CT_small stored again with a corrected patient name, same UIDs.
import os, sys, pydicom
from pydicom.uid import generate_uid
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
ds = pydicom.dcmread(os.path.join(src, "CT_small.dcm"))
series = generate_uid()
for i in range(3):
    ds.SeriesInstanceUID = series
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = i + 1
    ds.save_as(os.path.join(out, "new%d.dcm" % i))
ds = pydicom.dcmread(os.path.join(src, "CT_small.dcm"))
ds.PatientName = "Corrected^Name"
ds.save_as(os.path.join(out, "ct_renamed.dcm"))
EOF
store "$test_dir"/new/new*.dcm "$test_dir/new/ct_renamed.dcm" >/dev/null
read -r ct_study ct_series ct_sop <<<"$(uids_of "$pydicom_files/CT_small.dcm")"
new_sops=$(for f in "$test_dir"/new/new*.dcm; do uids_of "$f" | cut -d' ' -f3; done)
# The log shows MR_small deleted; the archive still has it.
read -r mr_study mr_series mr_sop <<<"$(uids_of "$pydicom_files/MR_small.dcm")"
"$INGEST" --db "$db" -q delete "$mr_study" "$mr_series" "$mr_sop"
# The archive deletes an instance (rtplan), a series (rtstruct's) and a
# study (waveform_ecg's); the log is not told.
read -r _ _ rtplan_sop <<<"$(uids_of "$pydicom_files/rtplan.dcm")"
read -r _ rs_series rs_sop <<<"$(uids_of "$pydicom_files/rtstruct.dcm")"
read -r ecg_study _ ecg_sop <<<"$(uids_of "$pydicom_files/waveform_ecg.dcm")"
api DELETE "/instances/$(orthanc_id Instance "$rtplan_sop")" >/dev/null
api DELETE "/series/$(orthanc_id Series "$rs_series")" >/dev/null
api DELETE "/studies/$(orthanc_id Study "$ecg_study")" >/dev/null
# A study only the log has.
cat >"$test_dir/extra.json" <<'EOF'
{"0020000D":{"vr":"UI","Value":["1.2.826.0.1.3680043.10.543.77"]},
 "0020000E":{"vr":"UI","Value":["1.2.826.0.1.3680043.10.543.77.1"]},
 "00080018":{"vr":"UI","Value":["1.2.826.0.1.3680043.10.543.77.1.1"]},
 "00080020":{"vr":"DA","Value":["20240102"]}}
EOF
"$INGEST" --db "$db" -q add "$test_dir/extra.json"

# A dry run prints what a run would append, and writes nothing.
n=$(entries_count "$db")
run_reconcile --dry-run
expect "--dry-run prints the changes with '-' and writes nothing" \
    'grep -q "^create - $mr_sop (dry-run)$" "$test_dir/out" && [ "$(entries_count "$db")" = "$n" ]'
cp "$test_dir/out" "$test_dir/dry"
# The date walk with pages of 2: the same changes (every study listed by
# StudyDate halves, days and open ends by offset), more searches.
run_reconcile --dry-run --qido-limit 2
check "pages of 2 (a date walk) find the same changes" cmp -s <(sort "$test_dir/dry") <(sort "$test_dir/out")
echo "# pages of 2: $(tail -n 1 "$test_dir/err" | sed 's/.*compared in/compared in/')"

run_reconcile --batch 3
echo "# drift run: $(tail -n 1 "$test_dir/err")"
sed 's/^/#   /' "$test_dir/out"
for sop in $new_sops "$mr_sop"; do
    has_line create "$sop" || not_ok "no create of $sop"
done
expect "creates: the 3 instances only the archive had, and the one the log showed deleted" \
    '[ "$(lines create)" = 4 ] && grep -q "^create [0-9]* $mr_sop (new)$" "$test_dir/out"'
expect "an update: the instance stored again with another patient name" \
    '[ "$(lines update)" = 1 ] && has_line update "$ct_sop"'
expect "deletes: the instance, the series and the study the archive deleted, the study only the log had" \
    'has_line delete "$rtplan_sop" && has_line delete "$rs_sop" && has_line delete "$ecg_sop" && has_line delete 1.2.826.0.1.3680043.10.543.77.1.1'
check "nothing else (the series and study hold one instance each)" [ "$(lines delete)" = 4 ]
check "the log's instances are the archive's again" same_as_archive
check "the updated instance carries the archive's patient name" \
    [ "$(jq -r '.["00100010"].Value[0].Alphabetic' "$test_dir/log_meta/$ct_sop.json")" = Corrected^Name ]
# What a create or an update writes is the archive's WADO-RS metadata as
# dcmfeed-ingest add of that DICOM JSON stores it, byte for byte.
mkdir -p "$test_dir/wado"
for f in "$test_dir"/new/new0.dcm "$test_dir/new/ct_renamed.dcm"; do
    read -r s r i <<<"$(uids_of "$f")"
    api GET "/dicom-web/studies/$s/series/$r/instances/$i/metadata" >"$test_dir/wado/$i.json"
done
init_log "$test_dir/ref.db"
"$INGEST" --db "$test_dir/ref.db" -q add "$test_dir"/wado/*.json
same_metadata() {
    local sop=$1 ref
    # Both through jq, as the log's side came from the responder's page.
    ref=$(sqlite3 "$test_dir/ref.db" "SELECT metadata FROM instances WHERE sop_uid = '$sop'" | jq -c .)
    [ -n "$ref" ] && [ "$ref" = "$(jq -c . "$test_dir/log_meta/$sop.json")" ]
}
check "a create's metadata is the archive's, as add stores its DICOM JSON" \
    same_metadata "$(uids_of "$test_dir/new/new0.dcm" | cut -d' ' -f3)"
check "an update's metadata likewise" same_metadata "$ct_sop"
n=$(entries_count "$db")
run_reconcile
expect "a second run after the drift appends nothing" \
    '[ "$(wc -l <"$test_dir/out")" = 0 ] && [ "$(entries_count "$db")" = "$n" ]'

# In a study that keeps other series: an instance deleted from a series
# that stays (the series' metadata no longer lists it), then a whole series
# (a search for it by UID finds nothing).
new_series=$(uids_of "$test_dir/new/new0.dcm" | cut -d' ' -f2)
read -r _ _ new1_sop <<<"$(uids_of "$test_dir/new/new1.dcm")"
api DELETE "/instances/$(orthanc_id Instance "$new1_sop")" >/dev/null
run_reconcile --study "$ct_study"
expect "an instance deleted from a series that stays: deleted" \
    '[ "$(wc -l <"$test_dir/out")" = 1 ] && has_line delete "$new1_sop"'
api DELETE "/series/$(orthanc_id Series "$new_series")" >/dev/null
run_reconcile --study "$ct_study"
expect "a series deleted from a study that stays: its instances deleted" \
    '[ "$(lines delete)" = 2 ] && [ "$(wc -l <"$test_dir/out")" = 2 ] && same_as_archive'

# --- scope: --study and --since ------------------------------------------------------------
# Two studies change in the archive: SC_rgb's (2017) gets a new name, MR_small's (2004)
# loses its instance.
/usr/bin/python3 - "$pydicom_files" "$test_dir/new" <<'EOF'
import os, sys, pydicom
ds = pydicom.dcmread(os.path.join(sys.argv[1], "SC_rgb_small_odd.dcm"))
ds.PatientName = "Later^Name"
ds.save_as(os.path.join(sys.argv[2], "sc_renamed.dcm"))
EOF
store "$test_dir/new/sc_renamed.dcm" >/dev/null
read -r sc_study _ sc_sop <<<"$(uids_of "$test_dir/new/sc_renamed.dcm")"
sc_date=$(api GET "/studies/$(orthanc_id Study "$sc_study")" | jq -r .MainDicomTags.StudyDate)
mr_date=$(api GET "/studies/$(orthanc_id Study "$mr_study")" | jq -r .MainDicomTags.StudyDate)
echo "# SC_rgb's study is dated $sc_date, MR_small's $mr_date"
api DELETE "/studies/$(orthanc_id Study "$mr_study")" >/dev/null
run_reconcile --study "$mr_study"
expect "--study: that study only (its deleted instance)" \
    '[ "$(wc -l <"$test_dir/out")" = 1 ] && has_line delete "$mr_sop"'
check "... one study compared" grep -q " of 0 studies compared\| of 1 study compared" "$test_dir/err"
# A study dated after --since, deleted in the archive, is found through the
# log (its entries since then, its StudyDate in the log's metadata).
read -r new_study _ new_sop <<<"$(uids_of "$pydicom_files/J2K_pixelrep_mismatch.dcm")"
new_date=$(api GET "/studies/$(orthanc_id Study "$new_study")" | jq -r .MainDicomTags.StudyDate)
read -r old_study _ old_sop <<<"$(uids_of "$pydicom_files/GDCMJ2K_TextGBR.dcm")"
old_date=$(api GET "/studies/$(orthanc_id Study "$old_study")" | jq -r .MainDicomTags.StudyDate)
echo "# J2K_pixelrep_mismatch's study is dated $new_date, GDCMJ2K_TextGBR's $old_date"
api DELETE "/studies/$(orthanc_id Study "$new_study")" >/dev/null
api DELETE "/studies/$(orthanc_id Study "$old_study")" >/dev/null
since=2016-01-01
run_reconcile --since "$since"
sed 's/^/#   /' "$test_dir/out"
check "--since: the study dated after it changed in the archive is updated" has_line update "$sc_sop"
check "... and one the archive deleted is deleted (found through the log)" has_line delete "$new_sop"
check "... a study dated before it is left alone" not grep -q "$old_sop" "$test_dir/out"
check "... nothing else" [ "$(wc -l <"$test_dir/out")" = 2 ]
run_reconcile
expect "the whole archive then: the older study's delete" \
    '[ "$(wc -l <"$test_dir/out")" = 1 ] && has_line delete "$old_sop"'
check "the log's instances are the archive's again" same_as_archive

# --- another writer between a decision and its batch ------------------------------------------
# CT_small is stored again in the archive with a third name: reconcile of its
# study, then SC_rgb's, decides an update of it and queues it (batches of
# 100). When reconcile asks for SC_rgb's study, another writer (through a
# proxy in front of the archive, at that very request) gives the log a new
# version of CT_small. Under the write lock the queued update finds the
# instance moved on: it is dropped, left to the next run, which makes it.
/usr/bin/python3 - "$pydicom_files" "$test_dir/new" <<'EOF'
import os, sys, pydicom
src = os.path.join(sys.argv[1], "CT_small.dcm")
for name, out in (("Third^Name", "ct_third.dcm"), ("Writer^Other", "ct_other.dcm")):
    ds = pydicom.dcmread(src)
    ds.PatientName = name
    ds.save_as(os.path.join(sys.argv[2], out))
EOF
store "$test_dir/new/ct_third.dcm" >/dev/null
trigger_proxy "StudyInstanceUID=$sc_study" "'$INGEST' --db '$db' add '$test_dir/new/ct_other.dcm'"
n=$(entries_count "$db")
rc=0
"$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" --batch 100 \
    --study "$ct_study" --study "$sc_study" "$proxy_url" >"$test_dir/out" 2>"$test_dir/err" || rc=$?
echo "# $(tail -n 1 "$test_dir/err")"
expect "the other writer wrote when reconcile reached the second study" \
    'grep -q "^create [0-9]* $ct_sop (replaced)" "$test_dir/trigger"'
expect "the queued update is dropped: nothing appended, one change left to the next run" \
    '[ "$rc" = 0 ] && [ ! -s "$test_dir/out" ] && [ "$(entries_count "$db")" = $((n + 1)) ] &&
    grep -q "; 1 left to the next run (changed in the log meanwhile)" "$test_dir/err"'
run_reconcile --study "$ct_study"
expect "the next run makes it: the archive's name" \
    '[ "$(wc -l <"$test_dir/out")" = 1 ] && has_line update "$ct_sop" && same_as_archive &&
    [ "$(jq -r ".[\"00100010\"].Value[0].Alphabetic" "$test_dir/log_meta/$ct_sop.json")" = Third^Name ]'

# --- what goes wrong -----------------------------------------------------------------------
# run_url URL [OPTION...]: reconcile of URL with the archive's credentials.
run_url() {
    local url=$1
    shift
    rc=0
    "$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" "$@" "$url" \
        >"$test_dir/out" 2>"$test_dir/err" || rc=$?
}
n=$(entries_count "$db")
rc=0
"$INGEST" --db "$db" reconcile "$archive_url" >"$test_dir/out" 2>"$test_dir/err" || rc=$?
expect "no credentials: exit 6, the archive's 401 named, nothing written" \
    '[ "$rc" = 6 ] && grep -q "HTTP 401" "$test_dir/err" && [ "$(entries_count "$db")" = "$n" ]'
run_url "http://127.0.0.1:$(free_port)/dicom-web" --max-retries 1 --retry-cap 0.1 --timeout 2
expect "an unreachable archive: exit 5, said so" \
    '[ "$rc" = 5 ] && grep -q "the archive" "$test_dir/err"'
sed 's/^/#   /' "$test_dir/err"
run_url "$archive_api/no-such-service"
expect "a URL that is not a DICOMweb service (404): exit 6" \
    '[ "$rc" = 6 ] && grep -q "HTTP 404" "$test_dir/err"'
run_url "$archive_api"
expect "a service that refuses the search (Orthanc's own REST API: 400): exit 6" \
    '[ "$rc" = 6 ] && grep -q "HTTP 400" "$test_dir/err"'
# A web server that answers HTML where DICOM JSON was asked for.
mkdir -p "$test_dir/www/html"
echo '<html><body>Welcome</body></html>' >"$test_dir/www/html/studies"
www_port=$(free_port)
(cd "$test_dir/www" && exec /usr/bin/python3 -m http.server --bind 127.0.0.1 "$www_port") \
    >/dev/null 2>&1 &
cleanup_pids="$cleanup_pids $!"
wait_port "$www_port"
run_url "http://127.0.0.1:$www_port/html"
expect "a server that answers HTML: exit 6, not JSON" \
    '[ "$rc" = 6 ] && grep -q "the answer is not JSON" "$test_dir/err"'
# A DICOMweb service that lists no study at all (a wrong URL, an archive
# being restored) while the log holds studies: nothing deleted.
mkdir -p "$test_dir/www/empty"
echo '[]' >"$test_dir/www/empty/studies"
run_url "http://127.0.0.1:$www_port/empty"
expect "an archive that lists no study: exit 6, nothing deleted" \
    '[ "$rc" = 6 ] && grep -q "lists no study in the scope, and the log holds some: nothing deleted" "$test_dir/err" &&
    [ ! -s "$test_dir/out" ]'
run_url "http://127.0.0.1:$www_port/empty" --since 2016-01-01
expect "... with --since too" '[ "$rc" = 6 ] && [ ! -s "$test_dir/out" ]'
check "... nothing written by any of them" [ "$(entries_count "$db")" = "$n" ]
run_url "$archive_url" --since 2024-02-30
expect "a date that is not one: usage error" \
    '[ "$rc" = 2 ] && grep -q "since wants a date" "$test_dir/err"'
run_url "$archive_url" --study 1.02
expect "an invalid --study UID: usage error" \
    '[ "$rc" = 2 ] && grep -q "not a valid StudyInstanceUID" "$test_dir/err"'

# --- the progress line: on a terminal only --------------------------------------------------
run_url "$archive_url"
check "no progress line when stderr is not a terminal" absent 'compared in' $'\033' "$test_dir/err"
if command -v script >/dev/null; then
    DCMFEED_DB=$db script -qec "'$INGEST' reconcile --user '$archive_user:$archive_password' \
        '$archive_url' >/dev/null" /dev/null >"$test_dir/tty" 2>&1 || true
    check "on a terminal, a progress line with instances/s, cleared before the summary" \
        grep -q $'instances compared ([0-9]*/s).*\r\033\\[Kdcmfeed-ingest: reconcile: ' "$test_dir/tty"
else
    skip "the progress line on a terminal" "script (util-linux) is not installed"
fi
finish
