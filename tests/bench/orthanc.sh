#!/bin/bash
# The peer: Orthanc (Debian package `orthanc`) serving its own change log,
# /changes, for the same instances as dcmfeed's log in tests/bench/run.
# Starts Orthanc on free loopback ports with its own config in a temp folder
# (HTTP Basic authentication on, as dcmfeed's shipped config has, so both pay
# for it; no plugins; remote access off; HTTP compression on, used only when a
# request asks for it), uploads COUNT small Part 10 files through its REST API
# (POST /instances), then runs wrk on /changes (one row with Accept-Encoding: gzip).
#   top_srcdir=SRC tests/bench/orthanc.sh [COUNT]
# Prints a table; when ORTHANC_RESULTS names a file, also writes one line
# "KEY req/s p50 p99" per row there for run's ratios. Exits 0 with "peer: not
# available (why)" when Orthanc cannot run here. Variables: BENCH_SECONDS,
# BENCH_CONNECTIONS (as run), ORTHANC (the binary).
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/lib.sh"
count=${1:-${BENCH_ENTRIES:-1000}}
duration=${BENCH_SECONDS:-5}
connections=${BENCH_CONNECTIONS:-16}
orthanc=${ORTHANC:-$(command -v Orthanc || echo /usr/sbin/Orthanc)}
results=${ORTHANC_RESULTS:-/dev/null}

unavailable() {
    echo "peer: not available ($*)"
    exit 0
}
[ -x "$orthanc" ] || unavailable "no Orthanc binary: apt-get install orthanc"
/usr/bin/python3 -c 'import pydicom' 2>/dev/null ||
    unavailable "/usr/bin/python3 has no pydicom to make the instances: apt-get install python3-pydicom"
command -v wrk >/dev/null || unavailable "wrk is needed: apt-get install wrk"
version=$("$orthanc" --version 2>/dev/null | head -n 1 | awk '{ print $NF }')

http_port=$(free_port)
dicom_port=$(free_port)
[ "$dicom_port" != "$http_port" ] || dicom_port=$(free_port)
mkdir -p "$test_dir/storage" "$test_dir/index"
cat >"$test_dir/orthanc.json" <<JSON
{
  "Name": "dcmfeed-bench",
  "StorageDirectory": "$test_dir/storage",
  "IndexDirectory": "$test_dir/index",
  "HttpPort": $http_port,
  "DicomPort": $dicom_port,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": true,
  "RegisteredUsers": { "bench": "bench" },
  "Plugins": [],
  "SaveJobs": false,
  "StorageCompression": false,
  "HttpCompressionEnabled": true,
  "KeepAlive": true,
  "TcpNoDelay": true
}
JSON
"$orthanc" "$test_dir/orthanc.json" >"$test_dir/orthanc.log" 2>&1 &
orthanc_pid=$!
cleanup_pids="$cleanup_pids $orthanc_pid"
wait_port "$http_port" || { tail -n 20 "$test_dir/orthanc.log"; unavailable "Orthanc did not listen on port $http_port (its log is above)"; }
kill -0 "$orthanc_pid" 2>/dev/null || unavailable "Orthanc exited at start"
url="http://127.0.0.1:$http_port"
auth_header="Authorization: Basic $(printf 'bench:bench' | base64)"
curl -sf -H "$auth_header" "$url/system" >/dev/null || unavailable "Orthanc does not answer /system"

# The instances: one study per 100, series of 5, as tests/lib/make_sample.sh makes
# them for dcmfeed's log; small CT datasets without pixel data, sent on one
# keep-alive connection.
load_start=$EPOCHREALTIME
/usr/bin/python3 - "$http_port" "$count" <<'EOF' || unavailable "uploading the instances failed"
import base64, http.client, io, sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
port, count = int(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port)
auth = "Basic " + base64.b64encode(b"bench:bench").decode()
names = ["Doe^Jane", "Muller^Jorg", "Smith^John^^Dr.", "Yamada^Tarou", "O'Brien^Siobhan"]
for n in range(count):
    study_no, i = n // 100 + 1, n % 100 + 1
    study = "1.2.826.0.1.3680043.10.543.%d" % study_no
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
    ds.StudyDate = "20261127"
    ds.Modality = "CT"
    ds.StudyDescription = 'CT THORAX "LOW DOSE"'
    ds.PatientName = names[(study_no - 1) % len(names)]
    ds.PatientID = "PAT%d" % study_no
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.InstanceNumber = i
    ds.PixelSpacing = [0.703125, 0.703125]
    buf = io.BytesIO()
    try:
        ds.save_as(buf, enforce_file_format=True)
    except TypeError:  # pydicom < 3
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(buf, write_like_original=False)
    conn.request("POST", "/instances", buf.getvalue(),
                 {"Authorization": auth, "Content-Type": "application/dicom"})
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        sys.exit("POST /instances: HTTP %d" % r.status)
EOF
load_end=$EPOCHREALTIME
stats=$(curl -sf -H "$auth_header" "$url/statistics")
instances=$(jq .CountInstances <<<"$stats")
last=$(curl -sf -H "$auth_header" "$url/changes?limit=1&last" | jq .Last)
half=$((last / 2))

. "$top_srcdir/tests/bench/wrk_lib.sh"

echo "# peer: Orthanc $version, $instances instances uploaded in" \
    "$(awk -v a="$load_start" -v b="$load_end" 'BEGIN { printf "%.1f", b - a }') s; its change log has $last changes"
echo "# (NewInstance, NewSeries, NewStudy, NewPatient; no metadata in a change); SQLite index, 2 cores,"
echo "# Basic auth on, wrk 2 threads, $connections connections, ${duration}s per row"
printf '%-44s %10s %8s %8s %10s\n' "request" "req/s" "p50 ms" "p99 ms" "CPU µs/req"
# orow KEY PATH [HEADER]
orow() {
    local key=$1 path=$2 header=${3:-} rps p50 p99 bad cpu
    read -r rps p50 p99 bad cpu _ <<<"$(wrk_measure "$url$path" "$orthanc_pid" "" "$header")"
    printf '%-44s %10s %8s %8s %10s%s\n' "$path${header:+, $header}" "$rps" "$p50" "$p99" "$cpu" \
        "$([ "$bad" = 0 ] || echo "  ($bad non-2xx)")"
    echo "$key $rps $p50 $p99 $cpu" >>"$results"
}
orow limit10 "/changes?limit=10"
orow limit100 "/changes?limit=100"
orow limit100gz "/changes?limit=100" "Accept-Encoding: gzip"
orow half100 "/changes?since=$half&limit=100"
orow end100 "/changes?since=$last&limit=100"
echo "(a /changes?limit=100 answer is $(curl -s -H "$auth_header" "$url/changes?limit=100" | wc -c) bytes;" \
    "with Accept-Encoding: gzip, $(curl -s -H "$auth_header" -H 'Accept-Encoding: gzip' "$url/changes?limit=100" | wc -c)" \
    "bytes ($(curl -s -o /dev/null -D - -H "$auth_header" -H 'Accept-Encoding: gzip' "$url/changes?limit=100" |
        sed -n 's/^Content-Encoding: *//Ip' | tr -d '\r' | grep . || echo identity)))"
# Orthanc takes a few seconds to close its index; the trap's kill -9 is for a hang.
kill "$orthanc_pid" 2>/dev/null || true
for _ in $(seq 1 100); do kill -0 "$orthanc_pid" 2>/dev/null || break; sleep 0.1; done
