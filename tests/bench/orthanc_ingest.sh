#!/bin/bash
# Orthanc's ingest rate with and without the dcmfeed plugin (Debian's
# Orthanc, started on free loopback ports in a temp folder, stopped by PID):
# storescu of COUNT files on one association, then POST /instances of COUNT
# others on one keep-alive connection; the plugin writes a SQLite log in the
# same temp folder (the same disk as Orthanc's storage). Rounds alternate the
# two setups (ABBA…) so that both see the same load of a shared machine, and
# the table gives each setup's median files/s and the ratio with/without
# (target ≥ 0.8), and with the plugin how long after the last store the feed
# held every entry. Prints "orthanc ingest: not available (why)" and exits 0
# when something is missing: a benchmark never fails the build.
#   top_srcdir=SRC ORTHANC_PLUGIN=BUILD/src/libdcmfeed-orthanc.so INGEST=BUILD/src/dcmfeed-ingest \
#     tests/bench/orthanc_ingest.sh [COUNT]
# Variables: BENCH_ORTHANC_FILES (COUNT, default 2000), BENCH_ORTHANC_ROUNDS
# (default 3), ORTHANC (the binary), BENCH_KEEP=1 (keep the temp folder).
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/lib.sh"
[ -z "${BENCH_KEEP:-}" ] || KEEP_TEST_DIR=1
count=${1:-${BENCH_ORTHANC_FILES:-2000}}
rounds=${BENCH_ORTHANC_ROUNDS:-3}
orthanc=${ORTHANC:-$(command -v Orthanc || echo /usr/sbin/Orthanc)}
plugin=${ORTHANC_PLUGIN:-}

unavailable() {
    echo "orthanc ingest: not available ($*)"
    exit 0
}
[ -x "$orthanc" ] || unavailable "no Orthanc binary: apt-get install orthanc"
[ -n "$plugin" ] && [ -f "$plugin" ] || unavailable "the plugin is not built (ORTHANC_PLUGIN; apt-get install orthanc-dev)"
[ -n "${INGEST:-}" ] && [ -x "$INGEST" ] || unavailable "dcmfeed-ingest is needed to make the log (INGEST)"
command -v storescu >/dev/null || unavailable "storescu is needed: apt-get install dcmtk"
/usr/bin/python3 -c 'import pydicom' 2>/dev/null ||
    unavailable "/usr/bin/python3 has no pydicom to make the instances: apt-get install python3-pydicom"
version=$("$orthanc" --version 2>/dev/null | head -n 1 | awk '{ print $NF }')
# Without it DCMTK waits for delayed acknowledgements: 90 ms per C-STORE,
# the same with and without the plugin, which would hide any cost.
export TCP_NODELAY=1

# The instances: CT-like datasets with 64×64 16-bit pixels (8 KiB), one
# study per 100, series of 10; set "s" for storescu, "p" for POST.
/usr/bin/python3 - "$test_dir/files" "$count" <<'EOF'
import os, sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
folder, count = sys.argv[1], int(sys.argv[2])
pixels = bytes(64 * 64 * 2)
for kind, base in (("s", 1), ("p", 2)):
    os.makedirs("%s/%s" % (folder, kind))
    for n in range(count):
        study = "1.2.826.0.1.3680043.10.543.99.%d.%d" % (base, n // 100 + 1)
        series = "%s.%d" % (study, n % 100 // 10 + 1)
        sop = "%s.%d" % (series, n % 10 + 1)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = sop
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, sop
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.PatientName, ds.PatientID = "Bench^Patient%d" % (n // 100), "BENCH%d" % (n // 100)
        ds.StudyDate, ds.Modality, ds.InstanceNumber = "20261127", "CT", n % 10 + 1
        ds.StudyDescription, ds.SeriesDescription = "CT THORAX", "AXIAL 1.0"
        ds.PixelSpacing, ds.SliceThickness = [0.703125, 0.703125], 1.0
        ds.Rows = ds.Columns = 64
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.PixelData = pixels
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as("%s/%s/%05d.dcm" % (folder, kind, n), write_like_original=False)
EOF

cat >"$test_dir/post.py" <<'EOF'
import http.client, os, sys
port, folder = int(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection("127.0.0.1", port)
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), "rb") as f:
        conn.request("POST", "/instances", f.read(), {"Content-Type": "application/dicom"})
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        sys.exit("POST /instances: HTTP %d" % r.status)
EOF

# ticks PID: the CPU a process used so far (user + system), in clock ticks.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# writer_ticks PID: the same for the plugin's thread (named dcmfeed-writer), 0 without it.
writer_ticks() {
    local t
    for t in /proc/"$1"/task/*; do
        [ "$(cat "$t/comm" 2>/dev/null)" != dcmfeed-writer ] || { awk '{ print $14 + $15 }' "$t/stat"; return; }
    done
    echo 0
}

# run MODE: one Orthanc (MODE "with" loads the plugin), storescu then POST;
# appends "MODE storescu_files_per_s post_files_per_s feed_seconds
# cpu_us_per_instance" to results (the CPU of Orthanc's process, the
# plugin's thread included, until the feed is complete).
run() {
    local mode=$1 dir="$test_dir/run" http dicom pid t0 t1 t2 t3 feed=- c0 c1 w0 w1
    rm -rf "$dir"
    mkdir -p "$dir/storage" "$dir/index" "$dir/log"
    http=$(free_port)
    dicom=$(free_port)
    [ "$dicom" != "$http" ] || dicom=$(free_port)
    local plugins='[]' section=''
    if [ "$mode" = with ]; then
        plugins="[\"$plugin\"]"
        section="\"DcmFeed\": { \"Db\": \"$dir/log/feed.db\" },"
        "$INGEST" --db "$dir/log/feed.db" -q init $([ "$(id -u)" != 0 ] || echo --owner root) ||
            unavailable "dcmfeed-ingest init failed"
    fi
    cat >"$dir/orthanc.json" <<JSON
{
  "Name": "dcmfeed-bench", "StorageDirectory": "$dir/storage", "IndexDirectory": "$dir/index",
  "HttpPort": $http, "DicomPort": $dicom, "DicomAet": "ORTHANC",
  "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "SaveJobs": false,
  "StorageCompression": false, "KeepAlive": true, "TcpNoDelay": true, $section
  "Plugins": $plugins
}
JSON
    "$orthanc" "$dir/orthanc.json" >"$dir/orthanc.log" 2>&1 &
    pid=$!
    cleanup_pids="$cleanup_pids $pid"
    wait_port "$http" && until_true 30 curl -sf -o /dev/null "http://127.0.0.1:$http/system" ||
        { tail -n 5 "$dir/orthanc.log"; unavailable "Orthanc did not start ($mode the plugin)"; }
    c0=$(ticks "$pid")
    w0=$(writer_ticks "$pid")
    t0=$EPOCHREALTIME
    storescu -aec ORTHANC 127.0.0.1 "$dicom" "$test_dir"/files/s/*.dcm 2>"$dir/storescu.err" ||
        unavailable "storescu failed: $(head -n 2 "$dir/storescu.err")"
    t1=$EPOCHREALTIME
    /usr/bin/python3 "$test_dir/post.py" "$http" "$test_dir/files/p" || unavailable "POST /instances failed"
    t2=$EPOCHREALTIME
    if [ "$mode" = with ]; then
        until_true 120 bash -c "[ \"\$(sqlite3 '$dir/log/feed.db' 'SELECT count(*) FROM entries' 2>/dev/null)\" = $((2 * count)) ]" ||
            unavailable "the feed did not get every entry"
        t3=$EPOCHREALTIME
        feed=$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.2f", b - a }')
    fi
    c1=$(ticks "$pid")
    w1=$(writer_ticks "$pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    awk -v m="$mode" -v n="$count" -v a="$t0" -v b="$t1" -v c="$t2" -v f="$feed" -v c0="$c0" \
        -v c1="$c1" -v w0="$w0" -v w1="$w1" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%s %.1f %.1f %s %.0f %.0f\n", m, n / (b - a), n / (c - b), f,
                 (c1 - c0) * 1e6 / hz / (2 * n), (w1 - w0) * 1e6 / hz / (2 * n) }' \
        >>"$test_dir/results"
}

command -v sqlite3 >/dev/null || unavailable "sqlite3 is needed: apt-get install sqlite3"
: >"$test_dir/results"
load_before=$(cut -d ' ' -f 1 /proc/loadavg)
for r in $(seq 1 "$rounds"); do
    if [ $((r % 2)) = 1 ]; then run without; run with; else run with; run without; fi
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$test_dir/results" | median; }
ws=$(col without 2) wp=$(col without 3) ps=$(col with 2) pp=$(col with 3) lag=$(col with 4)
wc=$(col without 5) pc=$(col with 5) wt=$(col with 6)
echo "# Orthanc $version ingest, $count files per method per run, $rounds runs of each setup (alternated),"
echo "# SQLite index and log on the same disk, Orthanc's defaults (SyncStorageArea on), 2 cores;"
echo "# load average $load_before before, $(cut -d ' ' -f 1 /proc/loadavg) after"
printf '%-30s %13s %10s %20s %16s\n' "setup" "storescu f/s" "POST f/s" "feed complete after" "CPU µs/instance"
printf '%-30s %13s %10s %20s %16s\n' "Orthanc alone" "$ws" "$wp" "-" "$wc"
printf '%-30s %13s %10s %19ss %16s\n' "Orthanc + dcmfeed plugin" "$ps" "$pp" "$lag" "$pc"
printf '%-30s %13s %10s %20s %16s\n' "... of which the plugin's thread" "" "" "" "$wt"
printf '%-30s %13s %10s %20s %16s\n' "ratio (target >= 0.8)" \
    "$(awk -v a="$ps" -v b="$ws" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$pp" -v b="$wp" 'BEGIN { printf "%.2f", a / b }')" "" \
    "$(awk -v a="$wc" -v b="$pc" 'BEGIN { printf "%.2f", a / b }')"
echo "(medians; every run, storescu/POST f/s and CPU: $(awk '{ printf "%s%s %s/%s %s", (NR > 1 ? ", " : ""), $1, $2, $3, $5 }' "$test_dir/results"))"
echo "(CPU: Orthanc's process, the plugin's thread included, from the first store to the feed"
echo " complete, over the $((2 * count)) instances; its ratio is alone ÷ with the plugin)"
echo "(feed complete after: from the last POST answered to the log holding all $((2 * count)) entries)"
