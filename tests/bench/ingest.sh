#!/bin/bash
# How fast dcmfeed-ingest takes files in, and how little memory it needs:
#  - files/s for a folder of COUNT small Part 10 files (named, and listed on
#    stdin), and for COUNT DICOM JSON files, with the default batch;
#  - files/s when every file is its own call, as the storescp hook runs it;
#  - peak RSS (/usr/bin/time -v) for one 1 GiB Part 10 file whose Pixel Data
#    is a single element (sparse on disk, read through a pipe too).
# Prints figures, asserts nothing (the goals: >= 5,000 files/s, < 20 MB).
#   INGEST=path/to/dcmfeed-ingest top_srcdir=SRC tests/bench/ingest.sh [COUNT]
# The files are written just before they are read: the figures are for a warm
# page cache. Needs /usr/bin/time and Debian's python3-pydicom.
set -eu
[ -n "${EPOCHREALTIME:-}" ] || { echo "bench: needs bash 5 (EPOCHREALTIME)" >&2; exit 1; }
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/lib.sh"
: "${INGEST:?set INGEST to the dcmfeed-ingest to measure}"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
/usr/bin/python3 -c 'import pydicom' 2>/dev/null ||
    { echo "bench: /usr/bin/python3 needs pydicom (apt-get install python3-pydicom)" >&2; exit 1; }
count=${1:-10000}
hook_count=$((count / 50 > 0 ? count / 50 : 1))

echo "# dcmfeed-ingest, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r), warm page cache"

# --- the files ---------------------------------------------------------------------------
# One small CT (≈ 2.4 KB, the corpus's Explicit VR LE file) copied COUNT times
# with its UIDs patched in place (fixed width, so no length changes).
/usr/bin/python3 "$top_srcdir/tests/lib/gen_corpus.py" --small "$test_dir/corpus" >/dev/null
/usr/bin/python3 - "$test_dir/corpus/ct_explicit_le.dcm" "$test_dir" "$count" "$top_srcdir" <<'EOF'
import io, os, sys
from pydicom import dcmread
src, out, count, top = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
root = "1.2.826.0.1.3680043.10.1234.88"
ds = dcmread(src)
# UID components may not start with 0: 8 digits from 10000000.
tpl_uid = {k: f"{root}.{k}.10000000" for k in (1, 2, 3)}
ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = tpl_uid[1], tpl_uid[2], tpl_uid[3]
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
buf = io.BytesIO()
ds.save_as(buf, write_like_original=False)
tpl = buf.getvalue()
os.makedirs(f"{out}/part10")
for i in range(count):
    b = (tpl.replace(tpl_uid[3].encode(), f"{root}.3.{10000000 + i}".encode())
            .replace(tpl_uid[2].encode(), f"{root}.2.{10000000 + i // 100}".encode())
            .replace(tpl_uid[1].encode(), f"{root}.1.{10000000 + i // 1000}".encode()))
    with open(f"{out}/part10/{i:07d}.dcm", "wb") as f:
        f.write(b)

# DICOM JSON: the same kind of header, as the tests' sample has it.
os.makedirs(f"{out}/json")
with open(os.path.join(top, "tests/data/json/ct.json")) as f:
    text = f.read()
sop = "1.2.826.0.1.3680043.10.543.100.1.1"
for i in range(count):
    with open(f"{out}/json/{i:07d}.json", "w") as f:
        f.write(text.replace(sop, f"1.2.826.0.1.3680043.10.543.100.1.{i + 1}"))

# 1 GiB of Pixel Data in one OW element, the file sparse on disk.
ds.SOPInstanceUID = f"{root}.3.99999999"
del ds.PixelData
buf = io.BytesIO()
ds.save_as(buf, write_like_original=False)
head = buf.getvalue()
size = 1 << 30
with open(f"{out}/big.dcm", "wb") as f:
    f.write(head + b"\xe0\x7f\x10\x00OW\x00\x00" + size.to_bytes(4, "little"))
    f.truncate(len(head) + 12 + size)
EOF
echo "# $count Part 10 files of $(stat -c %s "$test_dir/part10/0000000.dcm") bytes, $count DICOM JSON files of $(stat -c %s "$test_dir/json/0000000.json") bytes"
echo

# measure LABEL FILES COMMAND...: runs COMMAND under /usr/bin/time -v and
# prints the wall time, files/s and peak RSS.
measure() {
    local label=$1 files=$2
    shift 2
    local t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$test_dir/time" "$@" >/dev/null 2>"$test_dir/err" ||
        { echo "$label: exit $?: $(head -n 3 "$test_dir/err")"; return 0; }
    local t1=$EPOCHREALTIME rss
    rss=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$test_dir/time")
    awk -v l="$label" -v n="$files" -v a="$t0" -v b="$t1" -v k="$rss" 'BEGIN {
        s = b - a; r = n >= 10 ? sprintf("%9.0f", n / s) : sprintf("%9s", "-")
        printf "%-50s %6d files %8.3f s %s files/s %7.1f MB peak RSS\n", l, n, s, r, k / 1024 }'
}

for log in p10 p10-stdin json hook big; do init_log "$test_dir/$log.db"; done
measure "Part 10, add FOLDER (batch 500)" "$count" \
    "$INGEST" --db "$test_dir/p10.db" -q add "$test_dir/part10"
measure "Part 10 again, all replaced" "$count" \
    "$INGEST" --db "$test_dir/p10.db" -q add "$test_dir/part10"
measure "Part 10, find FOLDER | add -" "$count" \
    bash -c "find '$test_dir/part10' -type f | '$INGEST' --db '$test_dir/p10-stdin.db' -q add -"
measure "Part 10, --dry-run (no log)" "$count" \
    "$INGEST" -q --dry-run add "$test_dir/part10"
measure "DICOM JSON, add FOLDER (batch 500)" "$count" \
    "$INGEST" --db "$test_dir/json.db" -q add "$test_dir/json"
printf "%s\n" "$test_dir"/part10/*.dcm | head -n "$hook_count" >"$test_dir/hook-files"
measure "Part 10, one call per file (the storescp hook)" "$hook_count" \
    bash -c "while read -r f; do '$INGEST' --db '$test_dir/hook.db' -q add \"\$f\" || exit 1; done <'$test_dir/hook-files'"
echo
measure "1 GiB Part 10 file (sparse), add FILE" 1 \
    "$INGEST" --db "$test_dir/big.db" -q add "$test_dir/big.dcm"
measure "1 GiB Part 10 file through a pipe (read whole)" 1 \
    "$INGEST" --db "$test_dir/big.db" -q add /dev/stdin < <(cat "$test_dir/big.dcm")
rm -f "$test_dir/big.dcm"
