#!/usr/bin/python3
"""Drives the viewer in headless chromium (python3-selenium, chromedriver) and
checks what it shows against the feed itself, read here over HTTP.

Run by tests/http/viewer.sh, which serves the page and a test log with
lighttpd. Prints "PASS name" or "FAIL name" per check and "# ..." comments;
exits non-zero only when it cannot run at all. Screenshots go to --shots.
"""
import argparse
import base64
import datetime
import json
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zoneinfo

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

PAGE = 50
results = []


def check(name, cond, detail=""):
    results.append(cond)
    print(("PASS " if cond else "FAIL ") + name, flush=True)
    if not cond and detail:
        for line in str(detail).splitlines()[:20]:
            print("#   " + line, flush=True)


def note(text):
    print("# " + text, flush=True)


class Feed:
    """The feed read directly: the oracle the page is compared with."""

    def __init__(self, base, user, password):
        self.base = base.rstrip("/") + "/"
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": "Basic " + token}

    def get(self, path, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        req = urllib.request.Request(url, headers=self.headers)
        with urllib.request.urlopen(req, timeout=30) as res:
            body = res.read()
            return json.loads(body) if body else None

    # Every entry as v2 gives it (its Modality field too, which a delete has
    # and its Metadata has not): v2's offset counts the entries skipped.
    def all_entries(self):
        out = []
        while True:
            page = self.get("v2/changefeed", offset=len(out), limit=200, includemetadata="true")
            if not page:
                return out
            out.extend(page)


def ts_utc(ts):
    # "2026-12-04T19:34:30.599875Z"
    return datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)


def modality(e):
    if isinstance(e.get("Modality"), str):
        return e["Modality"]
    m = (e.get("Metadata") or {}).get("00080060", {}).get("Value") or [None]
    return m[0]


def patient(e):
    v = (e.get("Metadata") or {}).get("00100010", {}).get("Value") or [None]
    return v[0].get("Alphabetic") if isinstance(v[0], dict) else None


def study_description(e):
    v = (e.get("Metadata") or {}).get("00081030", {}).get("Value") or [None]
    return v[0]


def browser(driver, profile):
    opts = webdriver.ChromeOptions()
    # As root chromium needs --no-sandbox; the rest keeps it off a closed
    # network (its background connections would only time out).
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
              "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=opts)


def rows(d):
    """The entries table as shown: a list of dicts, one per entry."""
    return d.execute_script("""
        return [...document.querySelectorAll('#entries tbody tr[data-sequence]')].map(tr => {
          const cells = {};
          for (const c of tr.querySelectorAll('td[data-label]')) cells[c.dataset.label] = c.textContent;
          return {seq: Number(tr.dataset.sequence), time: tr.querySelector('time').dateTime,
                  state: cells['State'], action: cells['Action'], modality: cells['Modality'],
                  patient: cells['Patient'], study: cells['Study description']};
        });""")


def wait_for(d, what, fn, seconds=20):
    try:
        return WebDriverWait(d, seconds, poll_frequency=0.1).until(lambda _: fn())
    except TimeoutException:
        note(f"timed out waiting for {what}")
        return None


def idle(d):
    return d.execute_script("return !document.body.classList.contains('busy')")


def expected_row(e):
    dash = "\u2014"
    return {"seq": e["Sequence"], "time": e["Timestamp"], "state": e["State"], "action": e["Action"],
            "modality": modality(e) or dash, "patient": patient(e) or dash,
            "study": study_description(e) or dash}


def main():
    ap = argparse.ArgumentParser()
    for a in ("base", "user", "password", "ingest", "db", "later", "again", "shots", "profile", "driver"):
        ap.add_argument("--" + a, required=True)
    args = ap.parse_args()
    feed = Feed(args.base, args.user, args.password)
    entries = feed.all_entries()
    by_seq = {e["Sequence"]: e for e in entries}
    newest = entries[-1]["Sequence"]
    note(f"the log holds {len(entries)} entries, newest {newest}")
    tz = zoneinfo.ZoneInfo("Europe/Berlin")

    d = browser(args.driver, args.profile)
    try:
        run(d, args, feed, entries, by_seq, newest, tz)
    finally:
        d.quit()


def run(d, args, feed, entries, by_seq, newest, tz):
    u = urllib.parse.urlsplit(args.base)
    cred = urllib.parse.quote(args.user, safe="") + ":" + urllib.parse.quote(args.password, safe="")
    page_url = f"{u.scheme}://{cred}@{u.netloc}{u.path}/viewer/"
    clean_url = f"{u.scheme}://{u.netloc}{u.path}/viewer/"
    shot = lambda name: d.save_screenshot(f"{args.shots}/{name}.png")

    # --- the newest entries -------------------------------------------------------------
    d.get(page_url)
    history = d.execute_script("return history.length")
    got = wait_for(d, "the table", lambda: len(rows(d)) == PAGE and idle(d) and rows(d))
    want = [expected_row(by_seq[s]) for s in range(newest, newest - PAGE, -1)]
    check("the table shows the newest 50 entries, newest first, as the feed has them",
          got == want, f"first shown {got[:2] if got else got}\nwanted {want[:2]}")
    check("deleted, replaced and current entries are all shown",
          got is not None and {"deleted", "replaced", "current"} <= {r["state"] for r in got})
    shown_time = d.execute_script(
        "return document.querySelector('#entries tbody tr time').textContent")
    local = ts_utc(by_seq[newest]["Timestamp"]).astimezone(tz)
    check("times are shown in the browser's time zone",
          local.strftime("%H:%M:%S") in shown_time, f"{shown_time!r} vs {local}")
    status = d.find_element(By.ID, "status").text
    check("the status names the newest entry and that the page follows",
          "Following" in status and f"{newest:,}" in status, status)
    shot("1-newest")

    # --- the chart ------------------------------------------------------------------------------
    wait_for(d, "the chart", lambda: d.execute_script(
        "return document.getElementById('chart-status').dataset.requests"), 30)
    bins = d.execute_script("""
        const read = id => [...document.querySelectorAll('#' + id + ' tr[data-start]')]
          .map(tr => [tr.dataset.start, Number(tr.dataset.count)]);
        return {hours: read('chart-hours'), days: read('chart-days'),
                requests: Number(document.getElementById('chart-status').dataset.requests),
                ms: Number(document.getElementById('chart-status').dataset.ms)};""")
    stamps = [ts_utc(e["Timestamp"]) for e in entries]

    def expect(starts):
        out = []
        for i, s in enumerate(starts):
            lo = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
            hi = (datetime.datetime.fromisoformat(starts[i + 1].replace("Z", "+00:00"))
                  if i + 1 < len(starts) else None)
            out.append(sum(1 for t in stamps if t >= lo and (hi is None or t < hi)))
        return out

    hours = [s for s, _ in bins["hours"]]
    days = [s for s, _ in bins["days"]]
    loc = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(tz)
    now = datetime.datetime.now(tz)
    check("the hour chart has 24 bins on the browser's local hours, the last one now",
          len(hours) == 24 and all(loc(s).minute == 0 and loc(s).second == 0 for s in hours)
          and loc(hours[-1]) <= now < loc(hours[-1]) + datetime.timedelta(hours=1), hours[-3:])
    check("the day chart has 30 bins on local midnights, the last one today",
          len(days) == 30 and all(loc(s).time() == datetime.time(0) for s in days)
          and loc(days[-1]).date() == now.date(), days[-3:])
    got_h, want_h = [c for _, c in bins["hours"]], expect(hours)
    check(f"the hour chart has the feed's counts ({sum(want_h)} entries)", got_h == want_h,
          f"shown {got_h}\nwanted {want_h}")
    got_d, want_d = [c for _, c in bins["days"]], expect(days)
    check(f"the day chart has the feed's counts ({sum(want_d)} entries)", got_d == want_d,
          f"shown {got_d}\nwanted {want_d}")
    check("entries older than 30 days are not counted", sum(want_d) < len(entries))
    note(f"the chart took {bins['requests']} requests, {bins['ms']} ms")
    check("the chart costs about one request per bin, not per entry", bins["requests"] <= 56,
          bins["requests"])
    d.execute_script("document.getElementById('chart-title').scrollIntoView()")
    shot("2-chart")
    d.execute_script("window.scrollTo(0, 0)")

    # --- an entry's tags, with the keyboard -------------------------------------------------
    top = newest
    while by_seq[top].get("Metadata") is None:
        top -= 1
    button = d.find_element(By.CSS_SELECTOR, f'#entries button.seq[data-sequence="{top}"]')
    button.send_keys(Keys.ENTER)
    wait_for(d, "the tags", lambda: d.execute_script(
        "return document.getElementById('entry').open && "
        "document.querySelectorAll('#tags tbody tr[data-tag]').length > 0"))
    tags = d.execute_script("""
        return [...document.querySelectorAll('#tags tbody tr')].map(tr => tr.classList.contains('item')
          ? ['item', tr.textContent] : [tr.dataset.tag, tr.querySelector('.keyword').textContent,
             tr.querySelector('.vr').textContent, tr.querySelector('.value').textContent]);""")
    kw = {t[0]: t[1] for t in tags if t[0] != "item"}
    check("the tags show with the reader's keywords",
          kw.get("00100010") == "PatientName" and kw.get("0020000D") == "StudyInstanceUID"
          and kw.get("00081030") == "StudyDescription", tags[:6])
    meta = by_seq[top]["Metadata"]
    check("every tag of the entry's metadata is a row",
          set(meta) <= {t[0] for t in tags}, sorted(set(meta) - {t[0] for t in tags}))
    if "00081115" in meta:
        check("a sequence's items are shown inside it",
              ["item", "Item 1"] in tags and kw.get("00081115") == "ReferencedSeriesSequence", tags)
    shot("3-entry-tags")
    d.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(d, "the dialog to close", lambda: not d.execute_script(
        "return document.getElementById('entry').open"))
    back = d.execute_script("return document.activeElement.dataset.sequence")
    check("Escape closes the tags and gives the focus back to the entry", back == str(top), back)

    # --- following ----------------------------------------------------------------------------------
    before = rows(d)
    t0 = time.monotonic()
    subprocess.run([args.ingest, "--db", args.db, "-q", "add", args.later], check=True)
    later = newest + 3
    got = wait_for(d, "the new entries", lambda: (r := rows(d)) and r[0]["seq"] == later and r, 15)
    seconds = time.monotonic() - t0
    check("a new ingest shows at the top within seconds, without a reload",
          got is not None and [r["seq"] for r in got[:4]] == [later, later - 1, later - 2, newest]
          and len(got) == PAGE, got[:4] if got else None)
    note(f"new entries shown {seconds:.1f} s after the ingest started")
    fresh = feed.get("v1/changefeed", offset=newest, limit=10, includemetadata="true")
    check("the new entries show as the feed has them",
          got is not None and got[:3] == [expected_row(e) for e in reversed(fresh)], got[:3] if got else None)
    # The same instance stored again: its earlier entry turns replaced in place.
    again_uid = json.load(open(args.again))["00080018"]["Value"][0]
    old = [e for e in entries if e["SopInstanceUid"] == again_uid][-1]["Sequence"]
    subprocess.run([args.ingest, "--db", args.db, "-q", "add", args.again], check=True)
    got = wait_for(d, "the new version", lambda: (r := rows(d)) and r[0]["seq"] == later + 1 and r, 15)
    old_row = [r for r in (got or []) if r["seq"] == old]
    check("a new version turns the shown earlier entry replaced",
          bool(old_row) and old_row[0]["state"] == "replaced" and got[0]["state"] == "current",
          old_row)
    newest = later + 1
    entries = feed.all_entries()
    by_seq = {e["Sequence"]: e for e in entries}
    shot("4-followed")

    # --- paging -----------------------------------------------------------------------------------------
    d.find_element(By.ID, "older").click()
    got = wait_for(d, "the older page", lambda: (r := rows(d)) and r[0]["seq"] == newest - PAGE and idle(d) and r)
    want = [expected_row(by_seq[s]) for s in range(newest - PAGE, newest - 2 * PAGE, -1)]
    check("Older shows the 50 entries before", got == want, got[:2] if got else None)
    d.find_element(By.ID, "older").click()
    wait_for(d, "the page after", lambda: (r := rows(d)) and r[0]["seq"] == newest - 2 * PAGE and idle(d))
    d.find_element(By.ID, "newer").click()
    got = wait_for(d, "the newer page", lambda: (r := rows(d)) and r[0]["seq"] == newest - PAGE and idle(d) and r)
    check("Newer goes back a page", got == want, got[:2] if got else None)
    d.find_element(By.ID, "newest").click()
    got = wait_for(d, "the newest page", lambda: (r := rows(d)) and r[0]["seq"] == newest and idle(d) and r)
    check("Newest comes back to the top", got is not None)

    # --- filters -------------------------------------------------------------------------------------------
    # A study from the middle of the log, typed and applied with the keyboard.
    study = by_seq[700]["StudyInstanceUid"]
    want = [expected_row(e) for e in reversed(entries) if e["StudyInstanceUid"] == study][:PAGE]
    field = d.find_element(By.ID, "f-study")
    field.send_keys(study)
    field.send_keys(Keys.ENTER)
    got = wait_for(d, "the study filter",
                   lambda: idle(d) and (r := rows(d)) and all(x["seq"] in {w["seq"] for w in want} for x in r) and r)
    check(f"the study filter narrows to that study's entries ({len(want)} shown)", got == want,
          f"{len(got or [])} shown, {len(want)} wanted")
    shot("5-study-filter")
    d.find_element(By.ID, "f-clear").click()
    wait_for(d, "the cleared filter", lambda: idle(d) and (r := rows(d)) and r[0]["seq"] == newest)

    # The rarest modality of the log but the newest entries', typed in lower case: the
    # page must search back for it.
    counts = {}
    for e in entries:
        if modality(e):
            counts[modality(e)] = counts.get(modality(e), 0) + 1
    counts.pop(next(modality(e) for e in reversed(entries) if modality(e)))
    rare = min(counts, key=counts.get)
    d.find_element(By.ID, "f-modality").send_keys(rare.lower())
    d.find_element(By.ID, "f-apply").click()
    want = [expected_row(e) for e in reversed(entries) if modality(e) == rare][:PAGE]
    got = wait_for(d, "the modality filter",
                   lambda: idle(d) and (r := rows(d)) and all(x["modality"] == rare for x in r) and r, 30)
    check(f"the modality filter narrows to {rare} ({len(want)} of {len(entries)}, from entry "
          f"{want[0]['seq'] if want else '-'} down)", got == want and len(want) > 0,
          f"{len(got or [])} shown, {len(want)} wanted; first {got[:1] if got else None}")
    note_text = d.find_element(By.ID, "filter-note").text
    check("the server filters (the page does not say it reads the metadata itself)",
          "metadata" not in note_text and "refused" not in note_text, note_text)
    shot("6-modality-filter")
    d.find_element(By.ID, "f-clear").click()
    wait_for(d, "the cleared filter", lambda: idle(d) and (r := rows(d)) and r[0]["seq"] == newest)

    field = d.find_element(By.ID, "f-study")
    field.send_keys("not a UID")
    field.send_keys(Keys.ENTER)
    check("a malformed UID is refused with a message",
          "digits" in d.find_element(By.ID, "filter-note").text)
    field.clear()

    # --- the v2 window walk (the path a server with the modality filter takes) --------------------
    # Driven in the page itself on today's server, unfiltered: every entry,
    # newest first, through half-open time windows (the burst of 450 in one
    # microsecond among them), none twice, none missed; then resumed below
    # an entry, as Older does.
    walk = d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('./feed.js').then(async m => {
          const api = new m.FeedApi();
          const firstUs = await api.firstUs();
          const s = new m.WindowScanner(api, firstUs, () => true, {}, null);
          const seen = [];
          while (!s.exhausted) seen.push(...(await s.take(500, 1000)).map(e => e.Sequence));
          const mid = (await api.range(700, 700, false))[0];
          const r = new m.WindowScanner(api, firstUs, () => true, {},
                                        {sequence: mid.Sequence, us: m.usFromTimestamp(mid.Timestamp)});
          const below = (await r.take(5, 50)).map(e => e.Sequence);
          const requests = api.requests;
          // A search that matches nothing stops at its budget, and says where.
          const q = new m.SequenceScanner(api, await api.latestSequence(), () => false, null);
          const none = await q.take(5, 2);
          done({seen, below, requests, budget: {found: none.length, exhausted: q.exhausted,
                                                  reached: q.reached.sequence}});
        }).catch(e => done({error: String(e)}));""")
    check("the v2 window walk reads every entry once, newest first",
          walk.get("seen") == list(range(newest, 0, -1)),
          walk.get("error") or f"{len(walk.get('seen', []))} read; first {walk.get('seen', [])[:5]}")
    check("and resumes below an entry", walk.get("below") == [699, 698, 697, 696, 695], walk.get("below"))
    note(f"the window walk over {newest} entries took {walk.get('requests')} requests")
    check("a search that finds nothing stops at its budget (2 requests: 400 entries)",
          walk.get("budget") == {"found": 0, "exhausted": False, "reached": newest - 399}, walk.get("budget"))

    # --- nothing in the URL ---------------------------------------------------------------------------
    check("after all of that the URL is the page's own, without query or fragment",
          d.current_url in (clean_url, page_url), d.current_url)
    hist = d.execute_script("return history.length")
    check("and the page made no history entries", hist == history, f"{history} -> {hist}")
    stored = d.execute_script("return localStorage.length + sessionStorage.length")
    check("nor stored anything in the browser", stored == 0, stored)

    logs = d.get_log("browser")
    # The one 400 the page asks for: whether the server knows the modality
    # filter (feed.js serverFiltersModality), which Chromium logs.
    severe = [l for l in logs if l.get("level") == "SEVERE" and "modality=%3F&limit=1" not in l.get("message", "")]
    check("no error in the browser's console (scripts, policy, requests)", not severe,
          "\n".join(l.get("message", "") for l in severe))

    # --- the policy ---------------------------------------------------------------------------------------
    blocked = d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const seen = [];
        document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
        const s = document.createElement('script');
        s.textContent = 'window.inlineRan = true';
        document.body.append(s);
        fetch('http://127.0.0.2:9/x').catch(() => {}).finally(() =>
          setTimeout(() => done({ran: !!window.inlineRan, seen}), 300));""")
    check("the policy refuses inline script", not blocked["ran"]
          and any(v.startswith("script-src") for v in blocked["seen"]), blocked)
    check("and other origins", any(v.startswith("connect-src") for v in blocked["seen"]), blocked)

    # --- a phone ----------------------------------------------------------------------------------------------
    d.set_window_size(390, 844)
    wait_for(d, "the narrow layout", lambda: d.execute_script(
        "return getComputedStyle(document.querySelector('#entries tbody tr')).display") == "block")
    wide = d.execute_script("""
        const row = document.querySelector('#entries tbody tr');
        return [getComputedStyle(row).display, row.getBoundingClientRect().right,
                document.documentElement.scrollWidth, window.innerWidth];""")
    check("on a phone each entry is a card and nothing is wider than the screen",
          wide[0] == "block" and wide[1] <= wide[3] and wide[2] <= wide[3], wide)
    shot("7-phone")
    d.set_window_size(1280, 1000)


if __name__ == "__main__":
    main()
    sys.exit(0)
