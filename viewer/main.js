// The viewer: the newest entries of the feed as a table that follows the feed
// live, pages back, filters by study and modality, shows an entry's tags, and
// counts entries over time. Everything it knows is in this page's memory:
// nothing goes into the URL (no query string, no fragment, no history entry)
// or into the browser's storage, so no patient data is left behind in
// bookmarks, history or logs. All text from the feed reaches the page as
// text (textContent), never as markup.

import {
  FeedApi, FeedError, SequenceScanner, WindowScanner, dateFromTimestamp, usFromTimestamp,
} from './feed.js';
import {
  keywordOf, loadKeywords, metadataRows, modalityOf, patientOf, studyDescriptionOf, tagText,
} from './dicom.js';
import { countBins, dayBins, drawChart, hourBins } from './chart.js';

const PAGE = 50; // rows of a page
const BUDGET = 10; // requests one search step may spend (2,000 entries, for a filter that matches rarely)
const MERGE_MAX = 1000; // news merged into the table; past it the newest page is read again
const WAIT_SECONDS = 30; // how long one request holds for news
const POLL_MS = 5000; // between requests when the server does not hold them
const CHART_MIN_AGE_MS = 60e3; // news count the chart again at most this often

const api = new FeedApi();
const $ = (id) => document.getElementById(id);
const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  hourCycle: 'h23',
});

const state = {
  filter: { study: '', modalities: [] },
  serverModality: null, // whether v2 filters by modality: null until asked
  modalityRefused: false, // the server refused this filter's value: filtered here
  newest: 0, // the newest Sequence the table has taken into account
  cursor: null, // null: the newest page; else {sequence, us} of the entry above the page
  back: [], // cursors of the newer pages, for "Newer"
  rows: [],
  scanner: null,
  following: true,
  missed: 0, // news that arrived while an older page was shown
  chartAt: 0,
  loading: null, // the AbortController of the page being read
};

// --- one thing at a time -------------------------------------------------------
// Page loads and merges of news change the table; they run one after another,
// so that a merge never lands on a page that a load is replacing.
let queue = Promise.resolve();
function exclusive(fn) {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    if (signal) {
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new DOMException('aborted', 'AbortError'));
      }, { once: true });
    }
  });
}

// --- messages ------------------------------------------------------------------------

function problemText(e) {
  if (!(e instanceof FeedError)) return `Something went wrong in the page: ${e.message}`;
  switch (e.status) {
    case 0: return 'The server cannot be reached.';
    case 401: return 'The server asks for the password again: reload the page to sign in.';
    case 403: return 'This account may not read the feed.';
    case 503: return `The feed is unavailable for now (${e.message})`;
    default: return `The server answered ${e.status}: ${e.message}`;
  }
}

function setStatus(text, problem = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('problem', problem);
}

function followingStatus() {
  const where = state.following ? 'Following the feed' : 'Not following';
  const n = state.newest;
  setStatus(n === 0 ? `${where}: the log is empty.` : `${where}: newest entry ${n.toLocaleString()}.`);
}

// --- filters ----------------------------------------------------------------------

function readFilter() {
  const study = $('f-study').value.trim();
  const modalities = $('f-modality').value.toUpperCase().split(/[\s,]+/).filter((m) => m !== '');
  if (study !== '' && !(study.length <= 64 && /^[0-9]+(\.[0-9]+)*$/.test(study))) {
    return { error: 'A Study Instance UID is digits separated by dots, at most 64 characters.' };
  }
  if (modalities.length > 16 || modalities.some((m) => !/^[A-Z0-9_]{1,16}$/.test(m))) {
    return { error: 'A modality is a code such as CT or MR (letters, digits, _; at most 16).' };
  }
  return { study, modalities: [...new Set(modalities)] };
}

// Whether an entry passes the filter. serverFiltered: it came through the
// server's own modality filter, which knows the modality of a deleted
// instance where the page, without its metadata, cannot.
function matches(entry, serverFiltered) {
  const f = state.filter;
  if (f.study !== '' && entry.StudyInstanceUid !== f.study) return false;
  if (f.modalities.length > 0) {
    const m = modalityOf(entry);
    if (m === null) return serverFiltered;
    if (!f.modalities.includes(m.trim().toUpperCase())) return false;
  }
  return true;
}

function usesServerModality() {
  return state.filter.modalities.length > 0 && state.serverModality === true && !state.modalityRefused;
}

function filterNote() {
  const f = state.filter;
  const parts = [];
  if (f.study !== '') parts.push('this study');
  if (f.modalities.length > 0) parts.push(`modality ${f.modalities.join(' or ')}`);
  let text = parts.length ? `Showing ${parts.join(', ')}.` : '';
  if (f.modalities.length > 0 && !usesServerModality()) {
    text += ' The page reads each entry\u2019s modality itself: deleted instances, which keep no'
      + ' metadata, may be missing.';
  }
  if (state.modalityRefused) text += ' (The server refused the modality filter; the page filters instead.)';
  $('filter-note').textContent = text.trim();
}

// --- reading pages -------------------------------------------------------------------

async function makeScanner(cursor, signal) {
  if (state.filter.modalities.length > 0 && state.serverModality === null) {
    state.serverModality = await api.serverFiltersModality(signal);
  }
  if (usesServerModality()) {
    const firstUs = await api.firstUs(signal);
    return new WindowScanner(api, firstUs, matches, { modality: state.filter.modalities.join(',') }, cursor);
  }
  return new SequenceScanner(api, state.newest, matches, cursor === null ? null : cursor.sequence);
}

// Reads the page below `cursor` (null: the newest page) and shows it; inside
// exclusive(). `move` changes the stack of newer pages once the page is read
// ({push: cursor} going older, {pop: true} going newer), so that a page that
// fails to load leaves the paging as it was ({clear: true}: a new start).
async function readPage(cursor, signal, move = {}) {
  state.newest = await api.latestSequence(signal);
  let scanner = await makeScanner(cursor, signal);
  let rows;
  try {
    rows = await scanner.take(PAGE, BUDGET, signal);
  } catch (e) {
    // A server that knows the filter but refuses this value: filter here.
    if (!(e instanceof FeedError && e.status === 400 && scanner instanceof WindowScanner)) throw e;
    state.modalityRefused = true;
    scanner = await makeScanner(cursor, signal);
    rows = await scanner.take(PAGE, BUDGET, signal);
  }
  if ('push' in move) state.back.push(move.push);
  if (move.pop) state.back.pop();
  if (move.clear) state.back = [];
  state.cursor = cursor;
  state.scanner = scanner;
  state.rows = rows;
  if (cursor === null) state.missed = 0;
  renderRows();
  filterNote();
  followingStatus();
}

function load(cursor, move) {
  if (state.loading) state.loading.abort();
  const ctl = new AbortController();
  state.loading = ctl;
  setBusy(true);
  return exclusive(async () => {
    if (ctl.signal.aborted) return;
    try {
      await readPage(cursor, ctl.signal, move);
    } catch (e) {
      if (e.name !== 'AbortError') setStatus(problemText(e), true);
    } finally {
      if (state.loading === ctl) {
        state.loading = null;
        setBusy(false);
      }
    }
  });
}

function searchFurther() {
  const ctl = new AbortController();
  state.loading = ctl;
  setBusy(true);
  return exclusive(async () => {
    try {
      const more = await state.scanner.take(PAGE - state.rows.length, BUDGET, ctl.signal);
      state.rows.push(...more);
      renderRows();
    } catch (e) {
      if (e.name !== 'AbortError') setStatus(problemText(e), true);
    } finally {
      if (state.loading === ctl) {
        state.loading = null;
        setBusy(false);
      }
    }
  });
}

function cursorOf(entry) {
  return { sequence: entry.Sequence, us: usFromTimestamp(entry.Timestamp) };
}

// --- following ------------------------------------------------------------------------

// What a new entry changes in the entries shown before it, as the server
// computes State and Metadata (docs/API.md, section 4): a delete makes the
// instance's earlier entries deleted and drops its metadata; a create or an
// update makes them replaced and gives them its metadata.
function applyNews(shown, entry) {
  for (const row of shown) {
    if (row.Sequence >= entry.Sequence || row.SopInstanceUid !== entry.SopInstanceUid
      || row.SeriesInstanceUid !== entry.SeriesInstanceUid || row.StudyInstanceUid !== entry.StudyInstanceUid) {
      continue;
    }
    if (entry.Action === 'delete') {
      row.State = 'deleted';
      if ('Metadata' in row) row.Metadata = null;
    } else {
      row.State = 'replaced';
      if ('Metadata' in entry) row.Metadata = entry.Metadata;
    }
  }
}

function onNews(signal) {
  return exclusive(async () => {
    const newest = await api.latestSequence(signal);
    const from = state.newest;
    if (newest <= from) return;
    if (state.cursor !== null) {
      // An older page is shown: say so, and leave it as it is.
      state.missed += newest - from;
      state.newest = newest;
      renderNews();
      followingStatus();
      return;
    }
    if (newest - from > MERGE_MAX) {
      await readPage(null, signal, { clear: true });
      return;
    }
    const entries = await api.range(from + 1, newest, true, signal);
    const shown = state.rows.slice();
    for (const e of entries) applyNews(shown, e);
    // The news itself, newest first, each with its own State from the server.
    const fresh = entries.filter((e) => matches(e, false)).reverse();
    state.rows = fresh.concat(shown).slice(0, PAGE);
    state.newest = newest;
    renderRows(fresh.length);
    followingStatus();
    if (Date.now() - state.chartAt > CHART_MIN_AGE_MS) loadChart();
  });
}

let followCtl = null;

async function follow() {
  const ctl = new AbortController();
  if (followCtl) followCtl.abort();
  followCtl = ctl;
  while (state.following && followCtl === ctl) {
    const asked = Date.now();
    try {
      if (await api.waitAfter(state.newest, WAIT_SECONDS, ctl.signal)) {
        await onNews(ctl.signal);
      } else if (Date.now() - asked < 1000) {
        // Answered at once: a server that does not hold requests (mod_fcgid,
        // or its waiting clients at their bound). Poll instead.
        await sleep(POLL_MS, ctl.signal);
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      const seconds = e instanceof FeedError && e.retryAfter ? e.retryAfter : 10;
      setStatus(`${problemText(e)} Trying again in ${seconds} s.`, true);
      try {
        await sleep(seconds * 1000, ctl.signal);
      } catch (e2) {
        return;
      }
      if (e instanceof FeedError && e.status === 401) return;
    }
  }
}

function setFollowing(on) {
  state.following = on;
  const b = $('follow');
  b.setAttribute('aria-pressed', String(on));
  b.textContent = on ? 'Following' : 'Follow';
  if (on) {
    follow();
  } else if (followCtl) {
    followCtl.abort();
    followCtl = null;
  }
  followingStatus();
}

// --- drawing the table -------------------------------------------------------------------

function cell(tr, label, text, className) {
  const td = tr.insertCell();
  td.dataset.label = label;
  if (className) td.className = className;
  if (text === null || text === undefined) {
    td.textContent = '\u2014';
    td.classList.add('none');
  } else {
    td.textContent = text;
  }
  return td;
}

function renderRows(fresh = 0) {
  const body = $('entries').tBodies[0];
  const focused = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.sequence : undefined;
  body.replaceChildren();
  state.rows.forEach((e, i) => {
    const tr = body.insertRow();
    tr.className = `state-${e.State}`;
    if (i < fresh) tr.classList.add('fresh');
    tr.dataset.sequence = String(e.Sequence);
    const th = document.createElement('th');
    th.scope = 'row';
    th.dataset.label = 'Sequence';
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'seq';
    b.textContent = String(e.Sequence);
    b.dataset.sequence = String(e.Sequence);
    b.setAttribute('aria-haspopup', 'dialog');
    b.setAttribute('aria-label', `Entry ${e.Sequence}: show its tags`);
    th.append(b);
    tr.append(th);
    const td = cell(tr, 'Time', '');
    const when = dateFromTimestamp(e.Timestamp);
    const time = document.createElement('time');
    time.dateTime = e.Timestamp;
    time.title = e.Timestamp;
    time.textContent = when ? timeFormat.format(when) : e.Timestamp;
    td.replaceChildren(time);
    cell(tr, 'Action', e.Action, 'action');
    cell(tr, 'State', e.State, 'state');
    cell(tr, 'Modality', modalityOf(e));
    cell(tr, 'Patient', patientOf(e));
    cell(tr, 'Study description', studyDescriptionOf(e));
  });
  if (focused !== undefined) {
    const again = body.querySelector(`button[data-sequence="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
  if (state.rows.length === 0) {
    const tr = body.insertRow();
    const td = tr.insertCell();
    td.colSpan = 7;
    td.className = 'empty';
    const filtered = state.filter.study !== '' || state.filter.modalities.length > 0;
    td.textContent = state.newest === 0 ? 'The log holds no entries yet.'
      : filtered ? 'No entry matches the filter here.' : 'No entries here.';
  }
  renderScan();
  renderPager();
  renderNews();
}

function renderScan() {
  const s = state.scanner;
  const more = s && !s.exhausted && state.rows.length < PAGE;
  $('scan').hidden = !more;
  if (!more) return;
  const r = s.reached;
  let where;
  if (r.sequence !== undefined) {
    where = `Searched back to entry ${r.sequence.toLocaleString()}`;
  } else {
    where = `Searched back to ${timeFormat.format(new Date(Math.floor(r.us / 1000)))}`;
  }
  $('scan-text').textContent = `${where}: ${state.rows.length} found so far.`;
}

function renderPager() {
  $('newer').disabled = state.back.length === 0;
  $('newest').disabled = state.cursor === null && state.missed === 0;
  const last = state.rows[state.rows.length - 1];
  $('older').disabled = !last || (state.scanner && state.scanner.exhausted && state.rows.length < PAGE);
}

function renderNews() {
  const p = $('news');
  p.hidden = state.cursor === null || state.missed === 0;
  p.textContent = `${state.missed.toLocaleString()} new ${state.missed === 1 ? 'entry' : 'entries'} since this page was read: see Newest.`;
}

function setBusy(busy) {
  document.body.classList.toggle('busy', busy);
  $('entries').setAttribute('aria-busy', String(busy));
}

// --- an entry's tags ----------------------------------------------------------------------

let opener = null;

async function showEntry(sequence) {
  const e = state.rows.find((r) => r.Sequence === sequence);
  if (!e) return;
  const dialog = $('entry');
  $('entry-title').textContent = `Entry ${e.Sequence}`;
  const dl = $('entry-summary');
  dl.replaceChildren();
  const when = dateFromTimestamp(e.Timestamp);
  const facts = [
    ['Time', when ? `${timeFormat.format(when)} (${e.Timestamp})` : e.Timestamp],
    ['Action', e.Action], ['State', e.State],
    ['Study Instance UID', e.StudyInstanceUid], ['Series Instance UID', e.SeriesInstanceUid],
    ['SOP Instance UID', e.SopInstanceUid],
  ];
  if (typeof e.SopClassUid === 'string') facts.push(['SOP Class UID', e.SopClassUid]);
  for (const [k, v] of facts) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  const body = $('tags').tBodies[0];
  body.replaceChildren();
  const note = $('entry-note');
  if (!('Metadata' in e)) note.textContent = 'This address of the feed gives no metadata.';
  else if (e.Metadata === null) note.textContent = 'The instance is deleted: the feed keeps no metadata for it.';
  else note.textContent = '';
  $('tags').hidden = !e.Metadata;
  opener = document.activeElement;
  if (!dialog.open) dialog.showModal();
  if (!e.Metadata) return;
  const dict = await loadKeywords();
  if (Object.keys(dict).length === 0) note.textContent = 'The keyword list could not be read: tags are shown without names.';
  for (const r of metadataRows(e.Metadata, dict)) {
    const tr = body.insertRow();
    tr.className = `depth-${Math.min(r.depth, 8)}`;
    if (r.item !== undefined) {
      tr.classList.add('item');
      const td = tr.insertCell();
      td.colSpan = 4;
      td.textContent = `Item ${r.item}`;
      continue;
    }
    tr.dataset.tag = r.tag;
    cell(tr, 'Tag', tagText(r.tag), 'tag');
    cell(tr, 'Keyword', r.keyword + (r.retired ? ' (retired)' : ''), 'keyword');
    cell(tr, 'VR', r.vr, 'vr');
    cell(tr, 'Value', r.value, 'value');
  }
}

// --- the chart ---------------------------------------------------------------------------

let chartCtl = null;

async function loadChart() {
  if (chartCtl) chartCtl.abort();
  const ctl = new AbortController();
  chartCtl = ctl;
  state.chartAt = Date.now();
  $('chart-status').textContent = 'Counting\u2026';
  const t0 = performance.now();
  const before = api.requests;
  try {
    const newest = await api.latestSequence(ctl.signal);
    const now = new Date();
    const hours = hourBins(now);
    const days = dayBins(now);
    await countBins(api, [hours, days], newest, ctl.signal);
    drawChart($('chart-hours'), 'Per hour, last 24 hours', hours, 3, 'entries');
    drawChart($('chart-days'), 'Per day, last 30 days', days, 5, 'entries');
    const ms = Math.round(performance.now() - t0);
    const asked = api.requests - before;
    $('chart-status').textContent = `Counted at ${now.toLocaleTimeString(undefined, { hourCycle: 'h23' })} (${asked} requests, ${ms} ms).`;
    $('chart-status').dataset.requests = String(asked);
    $('chart-status').dataset.ms = String(ms);
  } catch (e) {
    if (e.name !== 'AbortError') $('chart-status').textContent = problemText(e);
  } finally {
    if (chartCtl === ctl) chartCtl = null;
  }
}

// --- wiring -----------------------------------------------------------------------------------

function start() {
  $('filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = readFilter();
    if (f.error) {
      $('filter-note').textContent = f.error;
      return;
    }
    state.filter = f;
    state.modalityRefused = false;
    load(null, { clear: true });
  });
  $('f-clear').addEventListener('click', () => {
    $('f-study').value = '';
    $('f-modality').value = '';
    state.filter = { study: '', modalities: [] };
    state.modalityRefused = false;
    load(null, { clear: true });
  });
  $('newest').addEventListener('click', () => load(null, { clear: true }));
  $('newer').addEventListener('click', () => {
    if (state.back.length > 0) load(state.back[state.back.length - 1], { pop: true });
  });
  $('older').addEventListener('click', () => {
    const last = state.rows[state.rows.length - 1];
    if (last) load(cursorOf(last), { push: state.cursor });
  });
  $('scan-more').addEventListener('click', () => searchFurther());
  $('follow').addEventListener('click', () => setFollowing(!state.following));
  $('chart-refresh').addEventListener('click', () => loadChart());
  $('entries').addEventListener('click', (ev) => {
    const b = ev.target.closest('button.seq');
    if (b) showEntry(Number(b.dataset.sequence));
  });
  $('entry-close').addEventListener('click', () => $('entry').close());
  $('entry').addEventListener('close', () => {
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
  // A click on the backdrop closes the dialog, as Escape does.
  $('entry').addEventListener('click', (ev) => {
    if (ev.target === $('entry')) $('entry').close();
  });

  load(null).then(() => {
    setFollowing(true);
    loadChart();
  });
}

// For the tests and for a person at the console: the page's keyword lookup.
export { keywordOf };

start();
