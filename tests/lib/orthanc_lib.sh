# Helpers of the Orthanc plugin's tests (sourced after tests/lib/lib.sh, bash):
# a real Orthanc (Debian's /usr/sbin/Orthanc) with the plugin, on free
# loopback ports, in a folder of the test, stopped by its PID; its REST API;
# the feed read through the responder run as CGI. Skips the test when Orthanc
# or the plugin is not there.

ORTHANC=${ORTHANC:-$(command -v Orthanc || echo /usr/sbin/Orthanc)}
[ -x "$ORTHANC" ] || skip_all "Orthanc is not installed (apt-get install orthanc)"
[ -n "${ORTHANC_PLUGIN:-}" ] && [ -f "$ORTHANC_PLUGIN" ] ||
    skip_all "the Orthanc plugin is not built (apt-get install orthanc-dev, then configure again)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (apt-get install sqlite3)"
/usr/bin/python3 -c 'import pydicom' 2>/dev/null ||
    skip_all "/usr/bin/python3 has no pydicom: its test files are the instances (apt-get install python3-pydicom)"
pydicom_files=$(/usr/bin/python3 -c 'import os, pydicom; print(os.path.dirname(pydicom.__file__) + "/data/test_files")')
# DCMTK's storescu and Orthanc's DICOM server (DCMTK too) wait for delayed
# acknowledgements between the messages of a C-STORE without it: 90 ms an
# instance instead of 2.
export TCP_NODELAY=1

orthanc_pid=""
orthanc_log=""

# orthanc_config FILE DCMFEED_JSON [MEMBER...]: an Orthanc configuration in
# FILE on two free ports ($http_port, $dicom_port), its storage under
# $test_dir/orthanc, the plugin loaded; DCMFEED_JSON is the "DcmFeed"
# section's value, or "" for none; each MEMBER ("\"Key\": value") is added.
orthanc_config() {
    local file=$1 feed=$2 member
    shift 2
    http_port=${http_port:-$(free_port)}
    dicom_port=${dicom_port:-$(free_port)}
    [ "$dicom_port" != "$http_port" ] || dicom_port=$(free_port)
    mkdir -p "$test_dir/orthanc/storage" "$test_dir/orthanc/index"
    {
        echo '{'
        echo '  "Name": "dcmfeed-test",'
        echo "  \"StorageDirectory\": \"$test_dir/orthanc/storage\","
        echo "  \"IndexDirectory\": \"$test_dir/orthanc/index\","
        echo "  \"HttpPort\": $http_port, \"DicomPort\": $dicom_port, \"DicomAet\": \"ORTHANC\","
        echo '  "RemoteAccessAllowed": false, "AuthenticationEnabled": false,'
        echo '  "SaveJobs": false, "StorageCompression": false,'
        for member in "$@"; do echo "  $member,"; done
        [ -z "$feed" ] || echo "  \"DcmFeed\": $feed,"
        echo "  \"Plugins\": [\"$ORTHANC_PLUGIN\"]"
        echo '}'
    } >"$file"
    orthanc_url="http://127.0.0.1:$http_port"
}

# orthanc_start CONFIG [RUNNER...]: starts Orthanc (under RUNNER, e.g. setpriv,
# when given) with its log in $test_dir/orthanc-N.log ($orthanc_log); waits
# until it answers HTTP (0) or exits (1, $orthanc_rc its status).
orthanc_start() {
    local config=$1
    shift
    orthanc_log="$test_dir/orthanc-$((${orthanc_starts:-0} + 1)).log"
    orthanc_starts=$((${orthanc_starts:-0} + 1))
    "$@" "$ORTHANC" "$config" >"$orthanc_log" 2>&1 &
    orthanc_pid=$!
    cleanup_pids="$cleanup_pids $orthanc_pid"
    for _ in $(seq 1 300); do
        if ! kill -0 "$orthanc_pid" 2>/dev/null; then
            orthanc_rc=0
            wait "$orthanc_pid" || orthanc_rc=$?
            orthanc_pid=""
            return 1
        fi
        curl -sf -o /dev/null "$orthanc_url/system" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "# Orthanc neither answered nor exited in 30 s; its log:"
    sed 's/^/#   /' "$orthanc_log" | tail -n 20
    return 1
}

# orthanc_stop [SIGNAL]: stops Orthanc by its PID (TERM: Orthanc closes its
# index and the plugin; KILL: a crash) and waits until it is gone.
orthanc_stop() {
    [ -n "$orthanc_pid" ] || return 0
    kill "-${1:-TERM}" "$orthanc_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$orthanc_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$orthanc_pid" 2>/dev/null || true
    { wait "$orthanc_pid"; } 2>/dev/null || true
    orthanc_pid=""
}

# api METHOD PATH [CURL ARGS...]: Orthanc's REST API; the answer on stdout,
# fails on an HTTP error.
api() {
    local method=$1 path=$2
    shift 2
    curl -sf -X "$method" "$@" "$orthanc_url$path"
}

# post FILE: POST /instances of a Part 10 file; prints its Orthanc ID.
post() { api POST /instances --data-binary @"$1" | jq -r .ID; }

# feed_lines DB: the whole feed read through the responder (CGI, v1, pages of
# 100), one line per entry: "SEQUENCE ACTION SOP_INSTANCE_UID STATE".
feed_lines() {
    local offset=0 n
    while :; do
        cgi DCMFEED_DB="$1" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed \
            QUERY_STRING="offset=$offset&limit=100&includemetadata=false" || return 1
        [ "$status" = 200 ] || { echo "# the responder answered $status" >&2; return 1; }
        jq -r '.[] | "\(.Sequence) \(.Action) \(.SopInstanceUid) \(.State)"' "$test_dir/body"
        n=$(jq length "$test_dir/body")
        [ "$n" = 100 ] || return 0
        offset=$((offset + 100))
    done
}

# entries DB: the number of entries of the log (0 before it exists).
entries() {
    [ -f "$1" ] || { echo 0; return; }
    sqlite3 "$1" 'SELECT count(*) FROM entries' 2>/dev/null || echo 0
}

# wait_entries DB N [SECONDS]: waits (20 s unless told) until the log holds
# at least N entries.
wait_entries() { until_true "${3:-20}" bash -c "[ \$(sqlite3 '$1' 'SELECT count(*) FROM entries' 2>/dev/null || echo 0) -ge $2 ]"; }

# sop_of FILE: the SOP Instance UID of a Part 10 file.
sop_of() { /usr/bin/python3 -c 'import sys, pydicom; print(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).SOPInstanceUID)' "$1"; }

# make_instances DIR N NAME: writes N small Part 10 files (no pixel data)
# into DIR, DIR/NAME-1.dcm …, of one study and series of their own named by
# NAME (a number); prints nothing.
make_instances() {
    mkdir -p "$1"
    /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
folder, count, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
root = "1.2.826.0.1.3680043.10.543.88.%s" % name
for i in range(1, count + 1):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = "%s.1.%d" % (root, i)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = root
    ds.SeriesInstanceUID = root + ".1"
    ds.PatientID = "TEST" + name
    ds.PatientName = "Test^Patient" + name
    ds.Modality = "OT"
    ds.InstanceNumber = i
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as("%s/%s-%d.dcm" % (folder, name, i), write_like_original=False)
PY
}

# sop_list DIR NAME N: the SOP Instance UIDs make_instances gave, in order.
sop_list() {
    local i
    for i in $(seq 1 "$3"); do echo "1.2.826.0.1.3680043.10.543.88.$2.1.$i"; done
}
