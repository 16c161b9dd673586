#!/usr/bin/python3
"""A log of real headers for the benchmarks (tests/bench/run, issue #16).

    real_log.py INGEST FCGI DB ENTRIES WORKDIR

pydicom's own test files (Debian's python3-pydicom) are added once by
dcmfeed-ingest to a template log in WORKDIR; their metadata is read back
through the responder (FCGI run as CGI), so a template is exactly what
dcmfeed stores and serves for that file, whatever the ingest does to it.
Each distinct instance (its current entry) is one template. Copies of the
templates, in their Sequence order, with new UIDs per copy, are then written as
DICOM JSON and added to DB by dcmfeed-ingest's JSON path until DB holds ENTRIES
entries: the sizes and the attribute mix are real, only the UIDs are new.

A few test files hold the Study, Series or SOP Instance UID with VR UN
(rtdose_rle*.dcm): the Part 10 path stores them as UN InlineBinary, and
the JSON path requires VR UI for those three, so a copy has them as UI (the
same UID, a few bytes' difference).

UIDs: every JSON string equal to a template's Study, Series or SOP Instance
UID (top level and in sequences, so references stay consistent within a copy)
is replaced by a UUID-derived UID (2.25.<decimal>, PS3.5 B.2, up to 44
characters) made from the copy's number and the old UID: the same for every
run. The replacement is made in the metadata's text as the feed served it, so
that the rest of a copy is the template's bytes (numbers keep their spelling).

Prints its figures as "# " lines, and checks that the first copy as the new
log serves it is the templates with their new UIDs, byte for byte (a line
"real_log: ..." on stderr and exit 1 if not). Exit 2 with one line on stderr when it cannot run
here (no pydicom, no test files).
"""
import base64
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import textwrap
import time
import uuid

LEVELS = ("StudyInstanceUid", "SeriesInstanceUid", "SopInstanceUid")
QUOTED_UID = re.compile(r'"([0-9][0-9.]*)"')
NAMESPACE = uuid.UUID("7c1e2d8a-4f0b-4a8e-9d43-16a1c0de0016")


def cannot(why):
    print(why, file=sys.stderr)
    sys.exit(2)


def answer(fcgi, db, query):
    """The body of the feed's answer to a page, the responder run as CGI."""
    env = {"DCMFEED_DB": db, "REQUEST_METHOD": "GET", "SCRIPT_NAME": "/dicom",
           "PATH_INFO": "/v1/changefeed", "QUERY_STRING": query, "PATH": os.environ.get("PATH", "")}
    out = subprocess.run([fcgi], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    head, _, body = out.stdout.partition(b"\r\n\r\n")
    if not head.startswith(b"Status: 200"):
        sys.exit("real_log: the responder answered %r for ?%s" % (head.split(b"\r\n")[0], query))
    return body


def init_log(ingest, db):
    """Makes the log, as only `dcmfeed-ingest init` may (as root, told whose it is)."""
    owner = ["--owner", "root"] if os.geteuid() == 0 else []
    made = subprocess.run([ingest, "--db", db, "-q", "init"] + owner, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    if made.returncode != 0:
        sys.exit("real_log: dcmfeed-ingest init %s: %s" % (db, made.stderr.decode(errors="replace").strip()))


def gzip_size(data, level):
    return len(subprocess.run(["gzip", "-%d" % level, "-n"], input=data, stdout=subprocess.PIPE,
                              check=True).stdout)


def cgi_page(fcgi, db, query):
    """The entries of one page of the feed: a list of (entry, metadata), the
    metadata as the exact text the feed served."""
    text, decoder, page, pos = answer(fcgi, db, query).decode(), json.JSONDecoder(), [], 1
    while text[pos] != "]":
        entry, end = decoder.raw_decode(text, pos)
        # Metadata is the entry's last field (docs/API.md, section 3).
        at = text.index('"Metadata":', pos) + len('"Metadata":')
        raw = text[at:end - 1]
        if json.loads(raw) != entry["Metadata"]:
            sys.exit("real_log: cannot cut the Metadata of entry %d out of the answer" % entry["Sequence"])
        page.append((entry, raw))
        pos = end + 1 if text[end] == "," else end
    return page


def all_entries(fcgi, db):
    entries, offset = [], 0
    while True:
        page = cgi_page(fcgi, db, "offset=%d&limit=100" % offset)
        if not page:
            return entries
        entries += page
        offset = page[-1][0]["Sequence"]


def new_uid(copy, old):
    return "2.25.%d" % uuid.uuid5(NAMESPACE, "%d/%s" % (copy, old)).int


def remap(raw, mapping):
    """Metadata text with every JSON string that is an old UID replaced."""
    return QUOTED_UID.sub(lambda m: '"%s"' % mapping.get(m.group(1), m.group(1)), raw)


IDENTIFYING = ("0020000D", "0020000E", "00080018")


def as_ui(raw):
    """Metadata text with the identifying UIDs as UI where the file had them as UN."""
    metadata = json.loads(raw)
    for tag in IDENTIFYING:
        e = metadata.get(tag)
        if e is not None and e.get("vr") == "UN" and "InlineBinary" in e:
            uid = base64.b64decode(e["InlineBinary"]).decode("ascii").rstrip("\0 ")
            was = '"%s":%s' % (tag, compact(e))
            if raw.count(was) != 1:
                sys.exit("real_log: cannot find %s in a template's text" % tag)
            raw = raw.replace(was, '"%s":%s' % (tag, compact({"vr": "UI", "Value": [uid]})))
    return raw


def compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    ingest, fcgi, db, entries, work = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    try:
        import pydicom
    except ImportError:
        cannot("%s has no pydicom (apt-get install python3-pydicom)" % sys.executable)
    files = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
    if not os.path.isdir(files):
        cannot("pydicom %s has no data/test_files" % pydicom.__version__)
    nfiles = sum(len(f) for _, _, f in os.walk(files))

    # The templates: what dcmfeed-ingest stores for each file, as the feed serves it.
    tdb = os.path.join(work, "templates.db")
    init_log(ingest, tdb)
    # Some files are refused on purpose (no UIDs, truncated, not DICOM): exit 1.
    subprocess.run([ingest, "--db", tdb, "-q", "add", files], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    stored = all_entries(fcgi, tdb)
    templates = [(e, raw) for e, raw in stored if e["State"] == "current"]
    if not templates:
        sys.exit("real_log: dcmfeed-ingest took none of the files in %s" % files)
    sizes = [len(raw.encode()) for _, raw in templates]
    templates = [(e, as_ui(raw)) for e, raw in templates]
    olds = {e[k] for e, _ in templates for k in LEVELS}

    # The copies: JSON files of at most 500 datasets (one ingest batch each).
    os.makedirs(os.path.join(work, "copies"))
    start = time.monotonic()
    written, copy, nfile, batch = 0, 0, 0, []

    def flush():
        nonlocal nfile, batch
        if batch:
            with open(os.path.join(work, "copies", "%06d.json" % nfile), "w", encoding="utf-8") as f:
                f.write("[" + ",".join(batch) + "]")
            nfile, batch = nfile + 1, []

    while written < entries:
        mapping = {old: new_uid(copy, old) for old in olds}
        for _, raw in templates:
            if written == entries:
                break
            batch.append(remap(raw, mapping))
            written += 1
            if len(batch) == 500:
                flush()
        copy += 1
    flush()
    init_log(ingest, db)
    made = subprocess.run([ingest, "--db", db, "-q", "add", os.path.join(work, "copies")],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if made.returncode != 0:
        sys.exit("real_log: dcmfeed-ingest failed on the copies: %s" % made.stderr.decode(errors="replace")[-500:])
    took = time.monotonic() - start

    # The first copy as the new log serves it must be the templates with new
    # UIDs, byte for byte.
    mapping = {old: new_uid(0, old) for old in olds}
    first = []
    while len(first) < min(entries, len(templates)):
        first += cgi_page(fcgi, db, "offset=%d&limit=100" % len(first))
    for (t, traw), (e, raw) in zip(templates, first):
        uids = tuple(mapping[t[k]] for k in LEVELS)
        if raw != remap(traw, mapping) or tuple(e[k] for k in LEVELS) != uids:
            sys.exit("real_log: entry %d of the new log is not template %d with new UIDs" %
                     (e["Sequence"], t["Sequence"]))

    # The log's size: its pages as of the last commit (whether or not the -wal
    # file still holds some); the -wal file dcmfeed-ingest keeps is apart.
    ro = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    disk = ro.execute("PRAGMA page_count").fetchone()[0] * ro.execute("PRAGMA page_size").fetchone()[0]
    ro.close()
    first_page = answer(fcgi, tdb, "limit=100")
    said = ("real-header log: %d entries, %d copies (new Study/Series/SOP Instance UIDs each) of the %d"
            " instances dcmfeed-ingest took from pydicom %s's test_files (%d files, %d datasets, %d of them"
            " replaced by a later file with the same UIDs); metadata as served: mean %.0f bytes, median %.0f,"
            " max %d; on disk %.0f bytes per entry; made and ingested in %.1f s, the first copy checked byte"
            " for byte. Issue #16's page (the first 100 entries of the test files as ingested, replaced ones"
            " included): %d bytes, gzip -1 %d, gzip -6 %d."
            % (entries, copy, len(templates), pydicom.__version__, nfiles, len(stored),
               len(stored) - len(templates), statistics.mean(sizes), statistics.median(sizes), max(sizes),
               disk / entries, took, len(first_page), gzip_size(first_page, 1), gzip_size(first_page, 6)))
    print(textwrap.fill(said, 100, initial_indent="# ", subsequent_indent="# "))

if __name__ == "__main__":
    main()
