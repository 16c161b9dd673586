// The feed's own API, as the page uses it: relative URLs under the prefix the
// page is served from (../v1/changefeed, ../v2/changefeed), with the browser's
// Basic credentials for that prefix. Nothing here touches the page.
//
// Reading newest first: the API pages forward only, so the page walks the log
// backwards in steps that the API can answer exactly:
// - SequenceScanner: Sequence ranges (offset = Sequence - 1, as Sequences have
//   no gaps and start at 1), with metadata, filtered here; always available.
//   Read through v2 without a time window (the same entries as v1, 200 a
//   page), so that a server with v2's slim fields (issue #14: Modality,
//   SopClassUid) gives them, deleted instances' included.
// - WindowScanner: v2 time windows [start, end), half-open and contiguous, so
//   no entry is seen twice or missed, with the server's modality filter (an
//   extension a server may not have: see serverFiltersModality).

export const PAGE_LIMIT_V2 = 200; // v2's largest page

// An answer other than 2xx, or no answer at all (status 0).
export class FeedError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

// The prefix the page is served under (…/dicom/ for …/dicom/viewer/). Built
// from the origin, not from location.href: a page opened as
// http://user:password@host/… would otherwise hand fetch() URLs with
// credentials in them, which it refuses.
export function feedBase(loc = window.location) {
  return new URL('../', loc.origin + loc.pathname);
}

export class FeedApi {
  constructor(base = feedBase()) {
    this.base = base;
    this.requests = 0; // answers asked for, for the page's own accounting
  }

  url(path, params) {
    const u = new URL(path, this.base);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null) u.searchParams.set(k, String(v));
    }
    return u;
  }

  // GETs a route and returns its JSON (null for 204). Throws FeedError.
  async get(path, params, signal) {
    this.requests++;
    let res;
    try {
      res = await fetch(this.url(path, params), {
        headers: { Accept: 'application/json' },
        cache: 'no-store',
        credentials: 'same-origin',
        redirect: 'error',
        signal,
      });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new FeedError(0, 'NetworkError', 'the server cannot be reached');
    }
    if (res.status === 204) return null;
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      body = null;
    }
    if (!res.ok) {
      const err = body && body.error ? body.error : {};
      const retry = parseInt(res.headers.get('Retry-After') || '', 10);
      throw new FeedError(res.status, err.code || `HTTP${res.status}`,
        err.message || `the server answered ${res.status} ${res.statusText}`,
        Number.isFinite(retry) ? retry : null);
    }
    if (body === null) throw new FeedError(res.status, 'BadAnswer', 'the answer is not JSON');
    return body;
  }

  // The newest Sequence, 0 for an empty log.
  async latestSequence(signal) {
    const e = await this.get('v1/changefeed/latest', { includemetadata: false }, signal);
    return e ? e.Sequence : 0;
  }

  // The oldest entry's Timestamp in microseconds, null for an empty log.
  async firstUs(signal) {
    const page = await this.get('v1/changefeed', { limit: 1, includemetadata: false }, signal);
    return Array.isArray(page) && page.length > 0 ? usFromTimestamp(page[0].Timestamp) : null;
  }

  // Entries with Sequence lo..hi, oldest first (several requests when a page
  // ends early: the responder cuts a page before an entry that would pass
  // its size cap). v2 without startTime: its window is the whole log, and
  // its offset skips that many entries from the first.
  async range(lo, hi, metadata, signal) {
    const out = [];
    let next = lo;
    while (next <= hi) {
      const page = await this.get('v2/changefeed', {
        offset: next - 1,
        limit: Math.min(PAGE_LIMIT_V2, hi - next + 1),
        includemetadata: metadata,
      }, signal);
      if (!Array.isArray(page) || page.length === 0) break;
      for (const e of page) if (e.Sequence <= hi) out.push(e);
      next = page[page.length - 1].Sequence + 1;
    }
    return out;
  }

  // Holds until an entry after `after` exists or `seconds` pass (the
  // responder's wait=N; a server past its bound of waiting clients, or one
  // that cannot wait, answers at once). True when there is news.
  async waitAfter(after, seconds, signal) {
    const page = await this.get('v1/changefeed', {
      offset: after, limit: 1, includemetadata: false, wait: seconds,
    }, signal);
    return Array.isArray(page) && page.length > 0;
  }

  // One page of the v2 window [startUs, endUs) (endUs null: no end).
  window(startUs, endUs, extra, offset, signal) {
    return this.get('v2/changefeed', {
      startTime: startUs === null ? null : isoFromUs(startUs),
      endTime: endUs === null ? null : isoFromUs(endUs),
      offset: offset || null,
      limit: PAGE_LIMIT_V2,
      ...extra,
    }, signal);
  }

  // The Sequence of the first entry at or after the time `us`, or null when
  // there is none: one request, found by the server through its timestamp
  // index, whatever the log's size.
  async firstSequenceAt(us, signal) {
    const page = await this.get('v2/changefeed', {
      startTime: isoFromUs(us), limit: 1, includemetadata: false,
    }, signal);
    return Array.isArray(page) && page.length > 0 ? page[0].Sequence : null;
  }

  // Whether v2 filters by modality (issue #14's extension). A server that
  // knows the parameter refuses a value that is no Code String with a 400
  // naming it; one that does not ignores it (unknown parameters are ignored)
  // and answers 200. Anything else (503, no network): unknown, so null. The
  // browser's console shows the 400 of a server that knows it: it is this
  // question, not a fault.
  async serverFiltersModality(signal) {
    try {
      await this.get('v2/changefeed', { modality: '?', limit: 1, includemetadata: false }, signal);
      return false;
    } catch (e) {
      if (e instanceof FeedError && e.status === 400) return /modality/i.test(e.message);
      if (e instanceof FeedError) return null;
      throw e;
    }
  }
}

// --- time ------------------------------------------------------------------

// A Timestamp of the feed ("2020-03-04T01:03:08.483400Z") as microseconds
// since the epoch (exact: 2^53 µs is past the year 2255).
export function usFromTimestamp(ts) {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts || '');
  if (!m) return NaN;
  const ms = Date.parse(m[1] + m[3]);
  const frac = ((m[2] || '') + '000000').slice(0, 6);
  return ms * 1000 + parseInt(frac, 10);
}

export function isoFromUs(t) {
  const us = Math.floor(t);
  const ms = Math.floor(us / 1000);
  const micro = String(us - ms * 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace(/Z$/, `${micro}Z`);
}

export function dateFromTimestamp(ts) {
  const us = usFromTimestamp(ts);
  return Number.isFinite(us) ? new Date(Math.floor(us / 1000)) : null;
}

// --- scanning backwards --------------------------------------------------------

// Entries below `before` (a Sequence; null: from the newest) that match, newest
// first, through v1 Sequence ranges.
export class SequenceScanner {
  constructor(api, newest, match, before = null) {
    this.api = api;
    this.match = match;
    this.hi = before === null ? newest : Math.min(newest, before - 1);
    this.buffer = [];
  }

  get exhausted() {
    return this.hi < 1 && this.buffer.length === 0;
  }

  // Where the scan stands, for a person: "searched back to Sequence N".
  get reached() {
    return { sequence: this.hi + 1 };
  }

  // Up to n matching entries, at most `budget` requests spent.
  async take(n, budget, signal) {
    let spent = 0;
    while (this.buffer.length < n && this.hi >= 1 && spent < budget) {
      const lo = Math.max(1, this.hi - PAGE_LIMIT_V2 + 1);
      const before = this.api.requests;
      const entries = await this.api.range(lo, this.hi, true, signal);
      spent += this.api.requests - before;
      for (let i = entries.length - 1; i >= 0; i--) {
        if (this.match(entries[i], false)) this.buffer.push(entries[i]);
      }
      this.hi = lo - 1;
    }
    return this.buffer.splice(0, n);
  }
}

const HOUR_US = 3600e6;
const MAX_SPAN_US = 366 * 24 * HOUR_US;

// Entries below `before` ({sequence, us}; null: from the newest) that match,
// newest first, through v2 time windows with the server's filter `extra`
// (e.g. {modality: 'CT'}); what comes back is checked here again. A window
// whose first page is full is halved until its matches fit one page (or it
// spans a second), so a busy hour costs a few requests, not one per 200
// matches; an empty one is widened fourfold.
export class WindowScanner {
  constructor(api, firstUs, match, extra, before = null) {
    this.api = api;
    this.match = match;
    this.extra = { ...extra, includemetadata: true };
    this.firstUs = firstUs; // the oldest entry's Timestamp; null for an empty log
    this.end = before === null ? null : before.us + 1; // exclusive: keeps `before`'s microsecond
    this.below = before === null ? Infinity : before.sequence;
    this.span = HOUR_US;
    this.buffer = [];
    this.done = firstUs === null;
  }

  get exhausted() {
    return this.done && this.buffer.length === 0;
  }

  get reached() {
    return { us: this.end };
  }

  async take(n, budget, signal) {
    let spent = 0;
    while (this.buffer.length < n && !this.done && spent < budget) {
      const top = this.end === null ? Date.now() * 1000 : this.end;
      const start = Math.max(top - this.span, this.firstUs);
      let page = await this.api.window(start, this.end, this.extra, 0, signal);
      spent++;
      if (page.length === PAGE_LIMIT_V2 && this.span > 1e6 && start > this.firstUs) {
        this.span = Math.max(1e6, Math.floor(this.span / 2));
        continue;
      }
      const got = page.slice();
      for (let offset = page.length; page.length === PAGE_LIMIT_V2; offset += page.length) {
        page = await this.api.window(start, this.end, this.extra, offset, signal);
        spent++;
        got.push(...page);
      }
      for (let i = got.length - 1; i >= 0; i--) {
        if (got[i].Sequence < this.below && this.match(got[i], true)) this.buffer.push(got[i]);
      }
      this.end = start;
      if (start <= this.firstUs) this.done = true;
      if (got.length === 0) this.span = Math.min(MAX_SPAN_US, this.span * 4);
      else if (got.length < PAGE_LIMIT_V2 / 4) this.span = Math.min(MAX_SPAN_US, this.span * 2);
    }
    return this.buffer.splice(0, n);
  }
}
