#!/bin/bash
# The PACS hook for real: DCMTK's storescp on a free loopback port runs
# dcmfeed-ingest on every file it receives, with the command line README
# documents; storescu sends a set of files in several transfer syntaxes over
# three associations at once; the feed, read through the responder as CGI,
# must list every instance exactly once, with its metadata.
#   INGEST=… FCGI=… [SQLITE3=sqlite3] tests/cli/storescp.sh
# Needs dcmtk, python3-pydicom (run as /usr/bin/python3), sqlite3 and jq.
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(dirname "$here")}
. "$here/../lib/lib.sh"

: "${INGEST:?set INGEST to the dcmfeed-ingest to test}"
: "${FCGI:?set FCGI to the changefeed.fcgi to test}"
SQLITE3=${SQLITE3:-sqlite3}
for tool in storescp storescu; do
    command -v "$tool" >/dev/null || skip_all "$tool is not installed (apt-get install dcmtk)"
done
/usr/bin/python3 -c 'import pydicom' 2>/dev/null ||
    skip_all "/usr/bin/python3 has no pydicom (apt-get install python3-pydicom)"
command -v "$SQLITE3" >/dev/null || skip_all "the sqlite3 CLI is not installed (apt-get install sqlite3)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"

db="$test_dir/feed.db"
init_log "$db"
incoming="$test_dir/incoming"
mkdir -p "$incoming" "$test_dir/send"

# --- what is sent ---------------------------------------------------------------------
# The corpus's good files (every transfer syntax the reader knows, a JPEG one
# with encapsulated pixel data), and 24 more instances in 2 studies, 4 series.
corpus="$test_dir/corpus"
/usr/bin/python3 "$top_srcdir/tests/lib/gen_corpus.py" --small "$corpus"
/usr/bin/python3 - "$corpus/ct_explicit_le.dcm" "$test_dir/send" <<'EOF'
import sys
from pydicom import dcmread
src, out = sys.argv[1], sys.argv[2]
root = "1.2.826.0.1.3680043.10.1234.77"
for i in range(24):
    ds = dcmread(src)
    study, series = i // 12, i // 6
    ds.StudyInstanceUID = f"{root}.1.{study}"
    ds.SeriesInstanceUID = f"{root}.2.{series}"
    ds.SOPInstanceUID = f"{root}.3.{i}"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.PatientName = f"Hook^Patient{study}"
    ds.InstanceNumber = i
    ds.save_as(f"{out}/extra{i:02d}.dcm", write_like_original=False)
EOF
# sop_of FILE...: the SOP Instance UIDs, one per line.
sop_of() {
    /usr/bin/python3 -c 'import sys
from pydicom import dcmread
for p in sys.argv[1:]:
    print(dcmread(p, stop_before_pixels=True, force=True).SOPInstanceUID)' "$@"
}
# Three sets, one association each: the corpus with JPEG Baseline proposed
# (the rest goes uncompressed), 12 extras sent Deflated, 12 sent Implicit VR;
# storescp (+xa) writes each file in the transfer syntax it received.
set_a=("$corpus"/ct_*.dcm "$corpus"/mr_*.dcm "$corpus"/sr_*.dcm "$corpus"/us_*.dcm)
set_b=("$test_dir"/send/extra0*.dcm "$test_dir"/send/extra1[01].dcm)
set_c=("$test_dir"/send/extra1[2-9].dcm "$test_dir"/send/extra2*.dcm)
# A file the hook must refuse (no Study or Series Instance UID), sent first.
bad="$corpus/un_undefined_length.dcm"
bad_sop=$(sop_of "$bad")
sop_of "${set_a[@]}" "${set_b[@]}" "${set_c[@]}" | sort >"$test_dir/sent"
expected=$(wc -l <"$test_dir/sent")
check "at least 20 distinct instances to send" \
    [ "$expected" -ge 20 -a "$(sort -u "$test_dir/sent" | wc -l)" = "$expected" ]

# --- storescp with the hook, exactly as README has it ------------------------------------
port=$(free_port)
storescp --fork -od "$incoming" +xa -xs \
    -xcr "'$INGEST' --db '$db' -q add '#p/#f'" \
    "$port" >"$test_dir/storescp.log" 2>&1 &
cleanup_pids="$cleanup_pids $!"
wait_port "$port" || { cat "$test_dir/storescp.log"; echo "storescp did not start"; exit 1; }

# The first file goes alone, so that the log exists before three associations
# write at once: creating the log is not what this test is about.
first=$(sop_of "${set_a[0]}")
storescu 127.0.0.1 "$port" "${set_a[0]}" >"$test_dir/scu_first.log" 2>&1 ||
    { cat "$test_dir/scu_first.log"; echo "storescu could not send"; exit 1; }
for _ in $(seq 1 100); do
    [ "$("$SQLITE3" "$db" "SELECT count(*) FROM instances WHERE sop_uid = '$first'" 2>/dev/null)" = 1 ] && break
    sleep 0.1
done

set +e
storescu -xy 127.0.0.1 "$port" "$bad" "${set_a[@]:1}" >"$test_dir/scu_a.log" 2>&1 &
scu_a=$!
storescu -xd 127.0.0.1 "$port" "${set_b[@]}" >"$test_dir/scu_b.log" 2>&1 &
scu_b=$!
storescu -xi 127.0.0.1 "$port" "${set_c[@]}" >"$test_dir/scu_c.log" 2>&1 &
scu_c=$!
wait "$scu_a"; rc_a=$?
wait "$scu_b"; rc_b=$?
wait "$scu_c"; rc_c=$?
set -e
check "storescu sent every file (JPEG Baseline proposed)" [ "$rc_a" = 0 ]
check "storescu sent every file (Deflated)" [ "$rc_b" = 0 ]
check "storescu sent every file (Implicit VR)" [ "$rc_c" = 0 ]
check "storescp wrote every file it received" \
    [ "$(find "$incoming" -type f | wc -l)" = $((expected + 1)) ]
ts_of() { # the transfer syntaxes storescp wrote
    /usr/bin/python3 -c 'import sys
from pydicom import dcmread
for p in sys.argv[1:]:
    print(dcmread(p, stop_before_pixels=True).file_meta.TransferSyntaxUID)' "$incoming"/*
}
ts_of | sort -u >"$test_dir/syntaxes"
check "files arrived Deflated, Implicit VR, JPEG Baseline and Explicit VR" \
    bash -c "grep -qx 1.2.840.10008.1.2.1.99 '$test_dir/syntaxes' && grep -qx 1.2.840.10008.1.2 '$test_dir/syntaxes' &&
             grep -qx 1.2.840.10008.1.2.4.50 '$test_dir/syntaxes' && grep -qx 1.2.840.10008.1.2.1 '$test_dir/syntaxes'"

# The hook runs after storescp has answered, so the last files may still be
# going in: wait for them, within bounds.
in_log() { "$SQLITE3" "$db" 'SELECT count(*) FROM instances' 2>/dev/null || echo 0; }
for _ in $(seq 1 300); do
    [ "$(in_log)" -ge "$expected" ] && break
    sleep 0.1
done
sleep 0.3 # a hook that would add one entry too many has had its time
check "every instance reached the log" [ "$(in_log)" = "$expected" ]
check "... with one create entry each" \
    [ "$("$SQLITE3" "$db" 'SELECT count(*) FROM entries')" = "$expected" ]

# --- the feed, through the responder --------------------------------------------------------
cgi DCMFEED_DB="$db" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed QUERY_STRING='limit=100'
check "the feed answers 200" [ "$status" = 200 ]
jq -r '.[].SopInstanceUid' "$test_dir/body" | sort >"$test_dir/listed"
check "the feed lists every instance sent, exactly once" cmp -s "$test_dir/sent" "$test_dir/listed"
check "every entry is a current create" \
    body_is 'all(.[]; .Action == "create" and .State == "current")'
check "every entry's metadata carries its own UIDs" \
    body_is 'all(.[]; .Metadata["00080018"].Value[0] == .SopInstanceUid and
                      .Metadata["0020000D"].Value[0] == .StudyInstanceUid and
                      .Metadata["0020000E"].Value[0] == .SeriesInstanceUid)'
check "every entry's metadata has the patient's name" \
    body_is 'all(.[]; .Metadata["00100010"].vr == "PN" and
                      (.Metadata["00100010"].Value[0].Alphabetic | length) > 0)'
check "the extras keep their study and series" \
    body_is '[.[] | select(.SopInstanceUid | startswith("1.2.826.0.1.3680043.10.1234.77.")) |
              .SeriesInstanceUid] | unique | length == 4'
check "the instance without UIDs is not in the feed" \
    absent "^$(head -n 1 "$test_dir/sent")\$" "^$bad_sop\$" "$test_dir/listed"
check "... and the hook said why, in storescp's log" \
    bash -c "grep -F '.$bad_sop: ' '$test_dir/storescp.log' | grep -qiE 'study ?instance ?uid|0020,?000D'"

# With --exec-sync the hook of one association runs file after file: its
# entries are in the order the files were sent.
jq -r '.[].SopInstanceUid' "$test_dir/body" >"$test_dir/in_order"
sop_of "${set_c[@]}" >"$test_dir/order_c"
check "one association's files are in the feed in the order they were sent" \
    cmp -s "$test_dir/order_c" <(grep -xF -f "$test_dir/order_c" "$test_dir/in_order")

finish
