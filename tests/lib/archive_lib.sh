# Helpers of the reconcile tests (sourced after tests/lib/lib.sh, bash): a real
# DICOMweb archive, Orthanc (Debian's /usr/sbin/Orthanc) with its DICOMweb
# plugin (Debian's orthanc-dicomweb), on free loopback ports, in a folder of
# the test, stopped by its PID; its REST API; the log read back through the
# responder run as CGI, whatever the backend. Skips the test when something
# it needs is not installed.

ORTHANC=${ORTHANC:-$(command -v Orthanc || echo /usr/sbin/Orthanc)}
DICOMWEB_PLUGIN=${DICOMWEB_PLUGIN:-/usr/share/orthanc/plugins/libOrthancDicomWeb.so}
[ -x "$ORTHANC" ] || skip_all "Orthanc is not installed (apt-get install orthanc)"
[ -f "$DICOMWEB_PLUGIN" ] ||
    skip_all "Orthanc's DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
/usr/bin/python3 -c 'import pydicom' 2>/dev/null ||
    skip_all "/usr/bin/python3 has no pydicom: its test files are the instances (apt-get install python3-pydicom)"
pydicom_files=$(/usr/bin/python3 -c 'import os, pydicom; print(os.path.dirname(pydicom.__file__) + "/data/test_files")')

# expect NAME CONDITION: a check of a shell condition, evaluated now (check
# runs one command; a condition joins several with && and ||).
expect() {
    if eval "$2"; then ok "$1"; else not_ok "$1"; fi
}
not() { ! "$@"; }

archive_pid=""
archive_user=rec
archive_password=secret

# archive_start [MEMBER...]: Orthanc with the DICOMweb plugin on two free
# ports, HTTP Basic authentication on (user $archive_user), instances stored
# again replacing the old ones (OverwriteInstances), each MEMBER ("\"Key\":
# value") added to its configuration. Sets $archive_api (its REST API) and
# $archive_url (its DICOMweb root). Its storage stays across restarts.
archive_start() {
    local member config="$test_dir/orthanc.json"
    archive_http_port=${archive_http_port:-$(free_port)}
    archive_dicom_port=${archive_dicom_port:-$(free_port)}
    [ "$archive_dicom_port" != "$archive_http_port" ] || archive_dicom_port=$(free_port)
    mkdir -p "$test_dir/orthanc/storage" "$test_dir/orthanc/index"
    {
        echo '{'
        echo '  "Name": "dcmfeed-reconcile",'
        echo "  \"StorageDirectory\": \"$test_dir/orthanc/storage\","
        echo "  \"IndexDirectory\": \"$test_dir/orthanc/index\","
        echo "  \"HttpPort\": $archive_http_port, \"DicomPort\": $archive_dicom_port,"
        echo '  "RemoteAccessAllowed": false, "AuthenticationEnabled": true,'
        echo "  \"RegisteredUsers\": { \"$archive_user\": \"$archive_password\" },"
        echo '  "SaveJobs": false, "StorageCompression": false, "OverwriteInstances": true,'
        echo '  "KeepAlive": true, "TcpNoDelay": true,'
        for member in "$@"; do echo "  $member,"; done
        echo '  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" },'
        echo "  \"Plugins\": [\"$DICOMWEB_PLUGIN\"]"
        echo '}'
    } >"$config"
    archive_api="http://127.0.0.1:$archive_http_port"
    archive_url="$archive_api/dicom-web"
    "$ORTHANC" "$config" >>"$test_dir/orthanc.log" 2>&1 &
    archive_pid=$!
    # Stopped at exit by archive_stop, which gives Orthanc the time it takes
    # to close its index.
    case " $cleanup_hooks " in *" archive_stop "*) ;; *) cleanup_hooks="archive_stop $cleanup_hooks" ;; esac
    for _ in $(seq 1 300); do
        kill -0 "$archive_pid" 2>/dev/null ||
            { tail -n 20 "$test_dir/orthanc.log"; echo "Orthanc exited at start"; exit 1; }
        api GET /system >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    tail -n 20 "$test_dir/orthanc.log"
    echo "Orthanc did not answer in 30 s"
    exit 1
}

# archive_stop: stops Orthanc by its PID and waits until it is gone.
archive_stop() {
    [ -n "$archive_pid" ] || return 0
    kill "$archive_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$archive_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$archive_pid" 2>/dev/null || true
    wait "$archive_pid" 2>/dev/null || true
    archive_pid=""
}

# api METHOD PATH [CURL ARGS...]: Orthanc's REST API; the answer on stdout,
# fails on an HTTP error.
api() {
    local method=$1 path=$2
    shift 2
    curl -sf -u "$archive_user:$archive_password" -X "$method" "$@" "$archive_api$path"
}

# store FILE...: POST /instances of Part 10 files, on one connection; prints
# "STATUS FILE" per file (Success, AlreadyStored, or the HTTP error).
store() {
    /usr/bin/python3 - "$archive_http_port" "$archive_user:$archive_password" "$@" <<'EOF'
import base64, http.client, json, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
auth = "Basic " + base64.b64encode(sys.argv[2].encode()).decode()
for path in sys.argv[3:]:
    with open(path, "rb") as f:
        data = f.read()
    conn.request("POST", "/instances", data, {"Authorization": auth, "Content-Type": "application/dicom"})
    r = conn.getresponse()
    body = r.read()
    status = json.loads(body).get("Status", "?") if r.status == 200 else "HTTP%d" % r.status
    print(status, path)
EOF
}

# uids_of FILE: "STUDY SERIES SOP" of a Part 10 file.
uids_of() {
    /usr/bin/python3 -c 'import sys, pydicom
d = pydicom.dcmread(sys.argv[1], stop_before_pixels=True, force=True)
print(d.StudyInstanceUID, d.SeriesInstanceUID, d.SOPInstanceUID)' "$1"
}

# orthanc_id LEVEL UID: the Orthanc ID of a study, series or instance
# (LEVEL Study, Series, Instance) by its UID (the first, if several).
orthanc_id() {
    local tag
    case "$1" in
    Study) tag=StudyInstanceUID ;;
    Series) tag=SeriesInstanceUID ;;
    Instance) tag=SOPInstanceUID ;;
    esac
    api POST /tools/find -d "{\"Level\":\"$1\",\"Query\":{\"$tag\":\"$2\"}}" | jq -r '.[0]'
}

# archive_instances: "STUDY SERIES SOP" of every instance the archive holds,
# sorted, each once (through its REST API, not DICOMweb).
archive_instances() {
    api GET '/instances?expand' | jq -r '.[].ParentSeries' | sort -u | while read -r series; do
        local s
        s=$(api GET "/series/$series")
        local study_uid series_uid
        series_uid=$(jq -r '.MainDicomTags.SeriesInstanceUID' <<<"$s")
        study_uid=$(api GET "/studies/$(jq -r .ParentStudy <<<"$s")" | jq -r '.MainDicomTags.StudyInstanceUID')
        api GET "/series/$series/instances" | jq -r '.[].MainDicomTags.SOPInstanceUID' |
            sed "s/^/$study_uid $series_uid /"
    done | sort -u
}

# log_state DB: the log as its feed tells it, read through the responder (CGI,
# v1): "STUDY SERIES SOP" of each instance whose newest entry is current,
# sorted; its metadata goes to $test_dir/log_meta/SOP.json.
log_state() {
    local offset=0 n
    rm -rf "$test_dir/log_meta" && mkdir -p "$test_dir/log_meta"
    : >"$test_dir/log_entries"
    while :; do
        cgi DCMFEED_DB="$1" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed \
            QUERY_STRING="offset=$offset&limit=100&includemetadata=true" || return 1
        [ "$status" = 200 ] || { echo "# the responder answered $status" >&2; return 1; }
        jq -c '.[]' "$test_dir/body" >>"$test_dir/log_entries"
        n=$(jq length "$test_dir/body")
        [ "$n" = 100 ] || break
        offset=$((offset + 100))
    done
    jq -r 'select(.State == "current") | "\(.StudyInstanceUid) \(.SeriesInstanceUid) \(.SopInstanceUid)"' \
        "$test_dir/log_entries" | sort
    jq -c 'select(.State == "current") | [.SopInstanceUid, .Metadata]' "$test_dir/log_entries" |
        while read -r line; do
            jq -c '.[1]' <<<"$line" >"$test_dir/log_meta/$(jq -r '.[0]' <<<"$line").json"
        done
}

# entries_count DB: the number of entries of the log (through the responder).
entries_count() {
    cgi DCMFEED_DB="$1" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed/latest \
        QUERY_STRING="includemetadata=false" || true
    if [ "$status" = 204 ]; then echo 0; else jq -r .Sequence "$test_dir/body"; fi
}

# make_instances DIR STUDIES PER_STUDY [NAME [FIRST]]: small Part 10 files
# (CT, no pixel data) in DIR, PER_STUDY instances of each of STUDIES studies
# numbered from FIRST (default 1), series of 5; study n is dated from a fixed list that spreads over 1995 to 2025
# with several studies on some days, and every 20th has no StudyDate; the
# patient is NAME (default Doe^Jane). Files are named s<study>-<i>.dcm, their
# UIDs made from the study and instance numbers, so that two calls with
# another NAME make the same instances with other metadata.
make_instances() {
    /usr/bin/python3 - "$@" <<'PY'
import os, sys, datetime
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
out, studies, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
name = sys.argv[4] if len(sys.argv) > 4 else "Doe^Jane"
first = int(sys.argv[5]) if len(sys.argv) > 5 else 1
os.makedirs(out, exist_ok=True)
for s in range(first, first + studies):
    study = "1.2.826.0.1.3680043.10.543.9.%d" % s
    # Every 7th study shares its day with the one before.
    day = datetime.date(1995, 1, 1) + datetime.timedelta(days=(s - (s % 7 == 0)) * 397 % 11000)
    for i in range(1, per + 1):
        series = "%s.%d" % (study, (i - 1) // 5 + 1)
        sop = "%s.%d" % (series, i)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = sop
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SOPClassUID = meta.MediaStorageSOPClassUID
        ds.SOPInstanceUID = sop
        if s % 20 != 0:
            ds.StudyDate = day.strftime("%Y%m%d")
        ds.Modality = "CT"
        ds.PatientName = name
        ds.PatientID = "PAT%d" % s
        ds.StudyInstanceUID = study
        ds.SeriesInstanceUID = series
        ds.InstanceNumber = i
        ds.PixelSpacing = [0.703125, 0.703125]
        path = os.path.join(out, "s%d-%d.dcm" % (s, i))
        try:
            ds.save_as(path, enforce_file_format=True)
        except TypeError:  # pydicom < 3
            ds.is_little_endian, ds.is_implicit_VR = True, False
            ds.save_as(path, write_like_original=False)
PY
}

# trigger_proxy PATTERN COMMAND: a proxy on a free port ($proxy_url, the
# archive's DICOMweb root through it) that forwards every request to the
# archive as it is, and runs COMMAND (sh -c) once, before forwarding the
# first request whose path and query contain PATTERN: another writer acting
# at a precise moment of a run. COMMAND's output goes to $test_dir/trigger.
trigger_proxy() {
    local port
    port=$(free_port)
    /usr/bin/python3 - "$port" "$archive_http_port" "$1" "$2" "$test_dir/trigger" <<'PY' &
import http.client, http.server, subprocess, sys, threading
port, upstream, pattern, command, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
fired = threading.Lock()
class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        if pattern in self.path and fired.acquire(blocking=False):
            with open(log, "w") as out:
                subprocess.run(["sh", "-c", command], stdout=out, stderr=out)
        conn = http.client.HTTPConnection("127.0.0.1", upstream)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        conn.request("GET", self.path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()
PY
    cleanup_pids="$cleanup_pids $!"
    wait_port "$port"
    proxy_url="http://127.0.0.1:$port/dicom-web"
}
