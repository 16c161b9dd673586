#!/usr/bin/python3
"""A CloudEvents receiver on loopback for the tests of dcmfeed-pull --post.

It answers each POST from a schedule (see --schedule), checks every event it
gets against the shape of spec section 11, and writes what it acknowledged:
one line per event, "ID SEQUENCE TYPE", appended and flushed before the 2xx
goes out, so that a test reading the file after the run sees every event the
client may have counted as delivered. Requests it did not acknowledge are
counted in the stats file, not listed. Anything malformed goes to the errors
file, and a test that finds it non-empty fails.

    receiver.py DIR [--schedule 'ok,500,429:1,timeout,ok'] [--repeat]

DIR receives: port (the port it listens on, written once it listens), acked
(the events acknowledged), events (with --events: each of them whole, one
compact JSON per line), requests (one line per request: the answer given,
the content type, the number of events, the headers the test asked about),
errors, and pid. Stops on SIGTERM.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SINGLE = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
TYPES = {
    "Microsoft.HealthcareApis.DicomImageCreated": "create",
    "Microsoft.HealthcareApis.DicomImageDeleted": "delete",
    "Microsoft.HealthcareApis.DicomImageUpdated": "update",
}
STUDY = "org.dcmfeed.StudyComplete"


class State:
    def __init__(self, folder, schedule, repeat, hang, keep_events):
        self.keep_events = keep_events
        self.folder = folder
        self.schedule = schedule
        self.repeat = repeat
        self.hang = hang
        self.n = 0
        self.lock = threading.Lock()
        self.acked = open(os.path.join(folder, "acked"), "a")
        self.requests = open(os.path.join(folder, "requests"), "a")
        self.errors = open(os.path.join(folder, "errors"), "a")
        self.events = open(os.path.join(folder, "events"), "a")

    def next_answer(self):
        with self.lock:
            i = self.n
            self.n += 1
        if i < len(self.schedule):
            return self.schedule[i]
        if self.repeat and self.schedule:
            return self.schedule[i % len(self.schedule)]
        return "ok"

    def error(self, text):
        with self.lock:
            self.errors.write(text + "\n")
            self.errors.flush()


def check_event(ev, errors):
    """The event's shape (spec section 11); returns (id, sequence, type)."""
    need = ["specversion", "type", "source", "id", "time", "subject", "data"]
    for k in need:
        if k not in ev:
            errors.append("event without %s: %s" % (k, json.dumps(ev)[:200]))
            return None
    if ev["specversion"] != "1.0":
        errors.append("specversion %r" % ev["specversion"])
    data = ev["data"]
    if ev["type"] in TYPES:
        for k in ["imageStudyInstanceUid", "imageSeriesInstanceUid", "imageSopInstanceUid",
                  "serviceHostName", "sequenceNumber", "action", "state"]:
            if k not in data:
                errors.append("data without %s in %s" % (k, ev["id"]))
                return None
        if data["action"] != TYPES[ev["type"]]:
            errors.append("type %s with action %s" % (ev["type"], data["action"]))
        want = "/studies/%s/series/%s/instances/%s" % (
            data["imageStudyInstanceUid"], data["imageSeriesInstanceUid"],
            data["imageSopInstanceUid"])
        if ev["subject"] != want:
            errors.append("subject %s, not %s" % (ev["subject"], want))
        seq = data["sequenceNumber"]
        if not ev["id"].endswith("-%d" % seq) and ev["id"] != str(seq):
            errors.append("id %s does not carry the Sequence %d" % (ev["id"], seq))
        return ev["id"], seq, ev["type"]
    if ev["type"] == STUDY:
        for k in ["imageStudyInstanceUid", "revision", "firstSequenceNumber",
                  "lastSequenceNumber", "entries"]:
            if k not in data:
                errors.append("study data without %s in %s" % (k, ev["id"]))
                return None
        if ev["subject"] != "/studies/" + data["imageStudyInstanceUid"]:
            errors.append("study subject %s" % ev["subject"])
        seqs = [e["sequenceNumber"] for e in data["entries"]]
        if seqs != sorted(seqs) or not seqs or seqs[0] != data["firstSequenceNumber"] \
                or seqs[-1] != data["lastSequenceNumber"]:
            errors.append("study %s: entries %s" % (ev["id"], seqs[:10]))
        for e in data["entries"]:
            if e.get("imageStudyInstanceUid") != data["imageStudyInstanceUid"]:
                errors.append("study %s holds an entry of another study" % ev["id"])
        return ev["id"], data["lastSequenceNumber"], STUDY
    errors.append("unknown type %s" % ev["type"])
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body=b"", extra=()):
        self.send_response(status)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        st = self.server.state
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        what = st.next_answer()
        ctype = self.headers.get("Content-Type", "")
        events = []
        errors = []
        try:
            doc = json.loads(body)
        except ValueError as e:
            doc = None
            errors.append("not JSON (%s): %r" % (e, body[:100]))
        if doc is not None:
            if ctype == SINGLE:
                if not isinstance(doc, dict):
                    errors.append("a single event that is not an object")
                else:
                    events = [doc]
            elif ctype == BATCH:
                if not isinstance(doc, list) or not doc:
                    errors.append("a batch that is not a non-empty array")
                else:
                    events = doc
            else:
                errors.append("content type %r" % ctype)
        checked = [check_event(ev, errors) for ev in events]
        for e in errors:
            st.error(e)
        with st.lock:
            st.requests.write("%s %s %d auth=%s expect=%s\n" % (
                what, ctype, len(events), self.headers.get("Authorization", "-").replace(" ", "_"),
                self.headers.get("Expect", "-")))
            st.requests.flush()
        if what == "ok":
            with st.lock:
                for c, ev in zip(checked, events):
                    if c is not None:
                        st.acked.write("%s %d %s\n" % c)
                        if st.keep_events:
                            st.events.write(json.dumps(ev, separators=(",", ":")) + "\n")
                st.acked.flush()
                st.events.flush()
            self.answer(202 if len(events) > 1 else 200)
        elif what == "timeout":
            time.sleep(st.hang)
            self.close_connection = True
        elif what == "close":
            self.close_connection = True
        elif what.startswith("429") or what.startswith("503"):
            status, _, after = what.partition(":")
            self.answer(int(status), b"busy", [("Retry-After", after or "0")])
        elif what == "redirect":
            self.answer(307, b"", [("Location", "http://127.0.0.1:1/elsewhere")])
        elif what.isdigit():
            status = int(what)
            body = b""
            if status == 400:
                body = json.dumps({"error": {"code": "BadEvent",
                                             "message": "this receiver refuses it"}}).encode()
            self.answer(status, body, [("Content-Type", "application/json")])
        else:
            st.error("bad schedule item %r" % what)
            self.answer(500)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client killed mid-request (the kill tests) resets its connection.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--schedule", default="")
    p.add_argument("--repeat", action="store_true")
    p.add_argument("--hang", type=float, default=3.0, help="seconds a 'timeout' holds")
    p.add_argument("--events", action="store_true", help="keep each acknowledged event whole")
    a = p.parse_args()
    schedule = [s for s in a.schedule.split(",") if s]
    srv = Server(("127.0.0.1", 0), Handler)
    srv.state = State(a.folder, schedule, a.repeat, a.hang, a.events)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(os.path.join(a.folder, "pid"), "w") as f:
        f.write("%d\n" % os.getpid())
    with open(os.path.join(a.folder, "port.tmp"), "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(os.path.join(a.folder, "port.tmp"), os.path.join(a.folder, "port"))
    try:
        srv.serve_forever()
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
