#!/bin/bash
# The Orthanc plugin in a real Orthanc (Debian's package) on free loopback
# ports: pydicom's real test files stored through POST /instances and
# storescu, deletes of an instance, a series, a study and a patient through
# Orthanc's REST API, a store of an instance Orthanc holds (kept, and with
# OverwriteInstances replaced), a modification that keeps the UIDs (an
# update), Orthanc restarted. The feed, read through the responder as CGI,
# then holds exactly the entries the archive's history implies, in order, and
# each create's metadata is what dcmfeed-ingest add writes for the same file,
# byte for byte. And every misconfiguration stops Orthanc at start with a log
# line that names the setting.
#   INGEST=… FCGI=… ORTHANC_PLUGIN=src/libdcmfeed-orthanc.so tests/cli/orthanc_plugin.sh
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/orthanc_lib.sh"
unset DCMFEED_DB

feed_dir="$test_dir/log"
db="$feed_dir/feed.db"
mkdir -p "$feed_dir"
conf="$test_dir/orthanc.json"
files="$pydicom_files"

# refused NAME DCMFEED_JSON PATTERN [RUNNER...]: Orthanc with this DcmFeed
# section does not start, and its log names the setting (PATTERN, fixed).
refused() {
    local name=$1 feed=$2 pattern=$3
    shift 3
    orthanc_config "$conf" "$feed"
    if orthanc_start "$conf" "$@"; then
        not_ok "$name: Orthanc refuses to start (it started)"
        orthanc_stop
        return
    fi
    check "$name: Orthanc refuses to start (exit status $orthanc_rc)" [ "$orthanc_rc" != 0 ]
    if grep -qF -- "$pattern" "$orthanc_log"; then
        ok "$name: its log names the setting"
    else
        not_ok "$name: its log names the setting"
        grep -i 'dcmfeed\|error' "$orthanc_log" | head -n 5 | sed 's/^/#   /'
    fi
}

# --- misconfigurations: Orthanc does not start ----------------------------------------------
refused "no DcmFeed section" "" 'the configuration has no "DcmFeed" section'
refused "DcmFeed without Db" '{}' 'DcmFeed.Db is missing'
refused "DcmFeed.Db not a string" '{ "Db": 42 }' 'DcmFeed.Db must be a non-empty string'
refused "DcmFeed.Db in a missing folder" "{ \"Db\": \"$test_dir/nope/feed.db\" }" \
    "DcmFeed.Db: cannot write the log $test_dir/nope/feed.db"
refused "DcmFeed.Db names no log (only dcmfeed-ingest init makes one)" "{ \"Db\": \"$db\" }" \
    "DcmFeed.Db: cannot write the log $db: no log at $db; create it with dcmfeed-ingest init"
sqlite3 "$test_dir/future.db" 'PRAGMA user_version = 99; CREATE TABLE t (x);'
refused "a log of an unknown schema version" "{ \"Db\": \"$test_dir/future.db\" }" \
    "DcmFeed.Db: cannot write the log $test_dir/future.db: the log has schema version 99"
refused "DcmFeed.CheckDeletesAtStart not a boolean" "{ \"Db\": \"$db\", \"CheckDeletesAtStart\": \"yes\" }" \
    'DcmFeed.CheckDeletesAtStart must be true or false'
refused "DcmFeed.Spool in a missing folder" \
    "{ \"Db\": \"$db\", \"Spool\": \"$test_dir/nope/dcmfeed.spool\" }" \
    "DcmFeed.Spool: cannot use the spool $test_dir/nope/dcmfeed.spool"
# A log Orthanc's user cannot write: root writes anywhere, so Orthanc runs
# as nobody there, its own folders given to nobody and the log's left to root.
ro="$test_dir/read-only"
mkdir -p "$ro"
init_log "$ro/feed.db"
chmod 644 "$ro/feed.db" "$ro"/feed.db-*
if [ "$(id -u)" = 0 ]; then
    chmod 755 "$test_dir" "$ro"
    chmod 644 "$ORTHANC_PLUGIN" 2>/dev/null || true
    mkdir -p "$test_dir/orthanc/storage" "$test_dir/orthanc/index"
    chown -R nobody "$test_dir/orthanc"
    refused "DcmFeed.Db in a folder Orthanc cannot write" "{ \"Db\": \"$ro/feed.db\" }" \
        "DcmFeed.Db: cannot write the log $ro/feed.db" setpriv --reuid=nobody --regid=nogroup --clear-groups
    chown -R root "$test_dir/orthanc"
else
    chmod 555 "$ro"
    chmod 444 "$ro/feed.db" "$ro"/feed.db-*
    refused "DcmFeed.Db in a folder Orthanc cannot write" "{ \"Db\": \"$ro/feed.db\" }" \
        "DcmFeed.Db: cannot write the log $ro/feed.db"
fi
check "no misconfigured start made a log" bash -c "[ ! -e '$db' ] && [ ! -e '$test_dir/nope' ]"

# --- stores -----------------------------------------------------------------------------------------
init_log "$db"

orthanc_config "$conf" "{ \"Db\": \"$db\" }"
orthanc_start "$conf" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; skip_all "Orthanc did not start with the plugin"; }
check "Orthanc starts with the plugin and says where it writes" \
    grep -qF "DcmFeed: writing the change feed to $db (spool $test_dir/orthanc/index/dcmfeed.spool" "$orthanc_log"

posted=(CT_small.dcm MR_small.dcm rtplan.dcm waveform_ecg.dcm test-SR.dcm image_dfl.dcm liver_1frame.dcm
    JPEG-lossy.dcm JPEG2000.dcm SC_rgb_dcmtk_+eb+cr.dcm SC_rgb_dcmtk_+eb+cy+n1.dcm SC_rgb_dcmtk_+eb+cy+np.dcm)
# storescu sends a file in its own transfer syntax, one kind per association.
sent_plain=(SC_rgb_small_odd.dcm reportsi.dcm rtdose.dcm ExplVR_BigEnd.dcm)
sent_jpeg=(SC_rgb_dcmtk_+eb+cy+s2.dcm SC_rgb_dcmtk_+eb+cy+s4.dcm SC_rgb_jpeg_dcmtk.dcm SC_rgb_small_odd_jpeg.dcm)
sent=("${sent_plain[@]}" "${sent_jpeg[@]}" 693_J2KI.dcm J2K_pixelrep_mismatch.dcm)
declare -A id_of sop_file
expected="$test_dir/expected"
: >"$expected"
for f in "${posted[@]}"; do
    id=$(post "$files/$f")
    id_of[$f]=$id
    sop_file[$(sop_of "$files/$f")]=$f
    echo "create $(sop_of "$files/$f")" >>"$expected"
done
check "${#posted[@]} files stored through POST /instances" [ "$(api GET /instances | jq length)" = "${#posted[@]}" ]
for kind in "-x= ${sent_plain[*]}" "-xy ${sent_jpeg[*]}" "-xw 693_J2KI.dcm" "-xv J2K_pixelrep_mismatch.dcm"; do
    read -r -a args <<<"$kind"
    paths=()
    for f in "${args[@]:1}"; do paths+=("$files/$f"); done
    storescu "${args[0]}" -aec ORTHANC 127.0.0.1 "$dicom_port" "${paths[@]}" 2>>"$test_dir/storescu.err" ||
        { sed 's/^/# /' "$test_dir/storescu.err"; not_ok "storescu ${args[0]}"; }
done
check "${#sent[@]} files stored through storescu" \
    [ "$(api GET /instances | jq length)" = "$((${#posted[@]} + ${#sent[@]}))" ]
for f in "${sent[@]}"; do
    sop=$(sop_of "$files/$f")
    sop_file[$sop]=$f
    id_of[$f]=$(api POST /tools/lookup -d "$sop" | jq -r '.[] | select(.Type == "Instance") | .ID')
done
stored=$((${#posted[@]} + ${#sent[@]}))
check "the feed has a create per stored instance" wait_entries "$db" "$stored"
feed_lines "$db" >"$test_dir/feed"
check "... the POSTed ones first, in the order they were stored, all current" \
    cmp -s <(head -n "${#posted[@]}" "$test_dir/feed" | awk '{ print $2, $3 }') "$expected"
check "... the storescu ones after, all creates, all current" \
    bash -c "tail -n ${#sent[@]} '$test_dir/feed' | awk '\$2 != \"create\" || \$4 != \"current\" { bad = 1 } END { exit bad }'"
for f in "${sent[@]}"; do echo "create $(sop_of "$files/$f")"; done | sort >"$test_dir/sent"
check "... exactly the instances storescu sent" \
    cmp -s <(tail -n "${#sent[@]}" "$test_dir/feed" | awk '{ print $2, $3 }' | sort) "$test_dir/sent"
awk '{ print $2, $3 }' "$test_dir/feed" >"$expected"

# Metadata: what dcmfeed-ingest add writes for the same file, byte for byte:
# the file as POSTed (Orthanc keeps its bytes), and the file Orthanc holds
# for what storescu sent (Orthanc writes its own file meta information, and
# the dataset comes in the transfer syntax the association agreed).
ref="$test_dir/ref.db"
mkdir "$test_dir/held"
for f in "${posted[@]}"; do cp "$files/$f" "$test_dir/held/$f"; done
for f in "${sent[@]}"; do api GET "/instances/${id_of[$f]}/file" >"$test_dir/held/$f"; done
init_log "$ref"
"$INGEST" --db "$ref" -q add "$test_dir/held"
same_metadata() {
    local sop bad=0
    for sop in "${!sop_file[@]}"; do
        [ "$(sqlite3 "$db" "SELECT metadata FROM instances WHERE sop_uid = '$sop'")" = \
            "$(sqlite3 "$ref" "SELECT metadata FROM instances WHERE sop_uid = '$sop'")" ] ||
            { echo "# metadata differs: ${sop_file[$sop]}"; bad=1; }
    done
    return $bad
}
check "every create's metadata is what add writes for the file, byte for byte" same_metadata
check "... and every instance has some" \
    [ "$(sqlite3 "$db" 'SELECT count(*) FROM instances WHERE length(metadata) > 100')" = "$stored" ]
init_log "$test_dir/orig.db"
"$INGEST" --db "$test_dir/orig.db" -q add "${sent[@]/#/$files/}"
orig_same=0
for f in "${sent[@]}"; do
    sop=$(sop_of "$files/$f")
    [ "$(sqlite3 "$db" "SELECT metadata FROM instances WHERE sop_uid = '$sop'")" != \
        "$(sqlite3 "$test_dir/orig.db" "SELECT metadata FROM instances WHERE sop_uid = '$sop'")" ] ||
        orig_same=$((orig_same + 1))
done
check "... and what add writes for the file as it was sent, whatever the association's transfer syntax" \
    [ "$orig_same" = "${#sent[@]}" ]

# --- a store of an instance Orthanc holds: it keeps its file (OverwriteInstances false) ---------
# marker N: stores a small new instance of its own; the spool is applied in
# order, so once its create is in the feed, so is what came before it.
marker() {
    /usr/bin/python3 - "$test_dir/marker-$1.dcm" "$1" <<'EOF'
import sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
n = sys.argv[2]
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.10.543.77.1.%s" % n
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = Dataset()
ds.file_meta = meta
ds.SOPClassUID = meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.543.77"
ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.543.77.1"
ds.PatientID = "MARKER"
ds.Modality = "OT"
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.save_as(sys.argv[1], write_like_original=False)
EOF
    post "$test_dir/marker-$1.dcm" >/dev/null
    echo "create 1.2.826.0.1.3680043.10.543.77.1.$1" >>"$expected"
    wait_entries "$db" "$(wc -l <"$expected")"
}
before=$(entries "$db")
status=$(api POST /instances --data-binary @"$files/MR_small.dcm" | jq -r .Status)
check "MR_small stored again: Orthanc says AlreadyStored" [ "$status" = AlreadyStored ]
marker 1
check "... nothing appended for it: the archive did not change" [ "$(entries "$db")" = $((before + 1)) ]

# --- deletes: an instance, a series, a study, a patient ----------------------------------------
# delete PATH WHAT: DELETE of an Orthanc resource; the feed gets one delete
# per instance the resource held, after what it had.
delete() {
    local path=$1 what=$2 sops n
    if [ "${path#/instances/}" != "$path" ]; then
        sops=$(api GET "$path" | jq -r '.MainDicomTags.SOPInstanceUID')
    else
        sops=$(api GET "$path/instances" | jq -r '.[].MainDicomTags.SOPInstanceUID')
    fi
    n=$(wc -w <<<"$sops")
    before=$(entries "$db")
    api DELETE "$path" >/dev/null
    for sop in $sops; do echo "delete $sop"; done | sort >"$test_dir/want"
    if wait_entries "$db" $((before + n)) && sleep 0.2 && [ "$(entries "$db")" = $((before + n)) ]; then
        ok "delete of $what: one delete per instance it held ($n)"
    else
        not_ok "delete of $what: $(($(entries "$db") - before)) entries for $n instances"
    fi
    feed_lines "$db" >"$test_dir/feed"
    check "... exactly those, after what was there" \
        cmp -s <(tail -n "$n" "$test_dir/feed" | awk '{ print $2, $3 }' | sort) "$test_dir/want"
    # Within one DELETE, the order is Orthanc's (the order it signals them).
    tail -n "$n" "$test_dir/feed" | awk '{ print $2, $3 }' >>"$expected"
}
delete "/instances/${id_of[CT_small.dcm]}" "an instance (CT_small)"
sc_series=$(api GET "/instances/${id_of[SC_rgb_dcmtk_+eb+cr.dcm]}/series" | jq -r .ID)
delete "/series/$sc_series" "a series (SC_rgb_*, POSTed and sent)"
jpeg_study=$(api GET "/instances/${id_of[JPEG-lossy.dcm]}/study" | jq -r .ID)
delete "/studies/$jpeg_study" "a study (JPEG-lossy, JPEG2000)"
mr_patient=$(api GET "/instances/${id_of[MR_small.dcm]}/patient" | jq -r .ID)
delete "/patients/$mr_patient" "a patient (MR_small's)"
feed_lines "$db" >"$test_dir/feed"
check "every entry of a deleted instance is deleted, the others current" bash -c "
    awk '\$2 == \"delete\" { gone[\$3] = 1 } { state[NR] = \$4; sop[NR] = \$3 }
         END { for (i = 1; i <= NR; i++) if ((sop[i] in gone) != (state[i] == \"deleted\")) exit 1 }' '$test_dir/feed'"

# Stored again after its delete: a new create.
post "$files/CT_small.dcm" >/dev/null
echo "create $(sop_of "$files/CT_small.dcm")" >>"$expected"
wait_entries "$db" "$(($(wc -l <"$expected")))" || true

# --- Orthanc restarted, now replacing files it holds --------------------------------------------
orthanc_stop
feed_lines "$db" >"$test_dir/feed"
check "the feed holds the archive's history, in order" \
    cmp -s <(awk '{ print $2, $3 }' "$test_dir/feed") "$expected"
orthanc_config "$conf" "{ \"Db\": \"$db\" }" '"OverwriteInstances": true'
orthanc_start "$conf" || { sed 's/^/# /' "$orthanc_log" | tail -n 20; exit 1; }
ok "Orthanc restarted"
check "... the spool was all applied: nothing waits" grep -qF ', 0 changes waiting)' "$orthanc_log"
before=$(entries "$db")
status=$(api POST /instances --data-binary @"$files/rtplan.dcm" | jq -r .Status)
check "rtplan stored again with OverwriteInstances: Orthanc replaces the file" [ "$status" = Success ]
rtplan_sop=$(sop_of "$files/rtplan.dcm")
echo "create $rtplan_sop" >>"$expected"
wait_entries "$db" $((before + 1)) && sleep 0.5 || true
feed_lines "$db" >"$test_dir/feed"
check "... a new version: one create, current, the first one replaced (no delete: it is there)" \
    bash -c "[ \"\$(grep -c ' $rtplan_sop ' '$test_dir/feed')\" = 2 ] &&
             tail -n 1 '$test_dir/feed' | grep -q '^$((before + 1)) create $rtplan_sop current\$' &&
             grep -q '^[0-9]* create $rtplan_sop replaced\$' '$test_dir/feed'"

# A modification that keeps the UIDs (and the patient ID): Orthanc stores a
# new file under the same ID; the metadata changed, the pixels did not.
liver_sop=$(sop_of "$files/liver_1frame.dcm")
liver_series=$(api GET "/instances/${id_of[liver_1frame.dcm]}/series" | jq -r .ID)
before=$(entries "$db")
api POST "/series/$liver_series/modify" -H 'Content-Type: application/json' \
    -d '{"Replace": {"InstitutionName": "Corrected Hospital"}, "Force": true,
         "Keep": ["StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"]}' >/dev/null
echo "update $liver_sop" >>"$expected"
wait_entries "$db" $((before + 1)) && sleep 0.5 || true
for version in v1 v2; do
    cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=/$version/changefeed QUERY_STRING="limit=100"
    check "$version: the modification in place is an update, current, with the new metadata" body_is "
        [.[] | select(.SopInstanceUid == \"$liver_sop\")] as \$e | (\$e | length) == 2 and
        \$e[0].Action == \"create\" and \$e[0].State == \"replaced\" and
        \$e[1].Action == \"update\" and \$e[1].State == \"current\" and
        all(\$e[]; .Metadata[\"00080080\"].Value == [\"Corrected Hospital\"])"
done
same_as="$test_dir/modified.dcm"
api GET "/instances/${id_of[liver_1frame.dcm]}/file" >"$same_as"
init_log "$test_dir/modified.db"
"$INGEST" --db "$test_dir/modified.db" -q add "$same_as"
check "... its metadata is what add writes for the file Orthanc now holds" \
    [ "$(sqlite3 "$db" "SELECT metadata FROM instances WHERE sop_uid = '$liver_sop'")" = \
      "$(sqlite3 "$test_dir/modified.db" 'SELECT metadata FROM instances')" ]

# A modification that makes new UIDs: new instances (creates); the original
# stays (KeepSource is Orthanc's default).
wave_study=$(api GET "/instances/${id_of[waveform_ecg.dcm]}/study" | jq -r .ID)
new_study=$(api POST "/studies/$wave_study/modify" -H 'Content-Type: application/json' \
    -d '{"Replace": {"StudyDescription": "Copy"}}' | jq -r .ID)
new_sop=$(api GET "/studies/$new_study/instances" | jq -r '.[0].MainDicomTags.SOPInstanceUID')
echo "create $new_sop" >>"$expected"
wait_entries "$db" "$(wc -l <"$expected")" && sleep 0.5 || true

orthanc_stop
feed_lines "$db" >"$test_dir/feed"
check "after a restart, a re-store and two modifications: exactly the archive's history, in order" \
    cmp -s <(awk '{ print $2, $3 }' "$test_dir/feed") "$expected" ||
    diff <(awk '{ print $2, $3 }' "$test_dir/feed") "$expected" | sed 's/^/# /' | head -n 10
check "Sequences 1..N without a gap" cmp -s <(awk '{ print $1 }' "$test_dir/feed") <(seq 1 "$(wc -l <"$expected")")
# The patients' names and IDs of every file stored, against what the plugin
# wrote to Orthanc's log.
names=$(/usr/bin/python3 - "${posted[@]/#/$files/}" "${sent[@]/#/$files/}" <<'EOF'
import sys, pydicom
seen = set()
for f in sys.argv[1:]:
    ds = pydicom.dcmread(f, stop_before_pixels=True)
    for v in (str(ds.get("PatientName", "")), str(ds.get("PatientID", ""))):
        for part in v.split("^"):
            if len(part) >= 4 and any(c.isalpha() and c not in "abcdef" for c in part.lower()):
                seen.add(part)
print("|".join(sorted(seen)))
EOF
)
grep -h 'DcmFeed: ' "$test_dir"/orthanc-*.log >"$test_dir/plugin.log"
check "the plugin logged no patient data (names, IDs)" absent 'DcmFeed: writing' "$names" "$test_dir/plugin.log"
finish
