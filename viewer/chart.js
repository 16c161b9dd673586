// Entries per hour over the last 24 hours and per day over the last 30 days,
// in the browser's time zone.
//
// Counted without reading the entries: Sequences have no gaps and Timestamps
// never decrease along them, so the entries of [t0, t1) are the Sequences
// from the first one at or after t0 up to the first one at or after t1, and
// each of those is one v2 request (startTime=t&limit=1), which the server
// answers through its timestamp index. 24 + 30 bins cost about 55 small
// requests whatever the log holds; reading the 30 days' entries instead
// (includemetadata=false, 200 a page) costs one request per 200 entries
// (docs/deploy.md, "The viewer", has the measurements).

const SVG = 'http://www.w3.org/2000/svg';

// The 24 local hours ending with the present one, oldest first.
export function hourBins(now = new Date()) {
  const top = new Date(now);
  top.setMinutes(0, 0, 0);
  const bins = [];
  for (let i = 23; i >= 0; i--) {
    const start = new Date(top.getTime() - i * 3600e3);
    bins.push({ start, label: start.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) });
  }
  return bins;
}

// The 30 local days ending with today, oldest first (a day is 23 or 25 hours
// where daylight saving time changes).
export function dayBins(now = new Date()) {
  const bins = [];
  for (let i = 29; i >= 0; i--) {
    const start = new Date(now);
    start.setHours(0, 0, 0, 0);
    start.setDate(start.getDate() - i);
    bins.push({ start, label: start.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) });
  }
  return bins;
}

// Fills each bin's count: the bins are consecutive, the last one open-ended
// (up to the newest entry, `newest`, read before). Runs `parallel` requests at
// a time.
export async function countBins(api, binSets, newest, signal, parallel = 4) {
  const starts = new Map();
  for (const bins of binSets) for (const b of bins) starts.set(b.start.getTime(), null);
  const keys = [...starts.keys()];
  let next = 0;
  async function worker() {
    while (next < keys.length) {
      const ms = keys[next++];
      const seq = await api.firstSequenceAt(ms * 1000, signal);
      // Nothing at or after it, or only what came after `newest`: the end.
      starts.set(ms, seq === null ? newest + 1 : Math.min(seq, newest + 1));
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, keys.length) }, worker));
  for (const bins of binSets) {
    bins.forEach((b, i) => {
      const end = i + 1 < bins.length ? starts.get(bins[i + 1].start.getTime()) : newest + 1;
      b.count = end - starts.get(b.start.getTime());
    });
  }
}

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// Draws bins as a bar chart into `figure` (an SVG, then a table of the same
// counts for keyboards, screen readers and exact numbers). `every`: label
// every n-th bar.
export function drawChart(figure, title, bins, every, unit) {
  figure.replaceChildren();
  const caption = document.createElement('figcaption');
  const total = bins.reduce((s, b) => s + b.count, 0);
  caption.textContent = `${title}: ${total.toLocaleString()} entries`;
  figure.append(caption);

  const W = 600, H = 180, left = 44, bottom = 24, top = 8;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const step = (W - left) / bins.length;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': caption.textContent, class: 'chart' });
  svg.append(el('line', { x1: left, y1: H - bottom, x2: W, y2: H - bottom, class: 'axis' }));
  svg.append(el('text', { x: left - 6, y: top + 10, class: 'tick', 'text-anchor': 'end' }, max.toLocaleString()));
  svg.append(el('text', { x: left - 6, y: H - bottom, class: 'tick', 'text-anchor': 'end' }, '0'));
  bins.forEach((b, i) => {
    const h = ((H - bottom - top) * b.count) / max;
    const x = left + i * step;
    const bar = el('rect', { x: x + 1, y: H - bottom - h, width: Math.max(1, step - 2), height: h, class: 'bar' });
    bar.append(el('title', {}, `${b.label}: ${b.count.toLocaleString()} ${unit}`));
    svg.append(bar);
    if (i % every === 0) {
      svg.append(el('text', { x: x + step / 2, y: H - 6, class: 'tick', 'text-anchor': 'middle' }, b.label));
    }
  });
  figure.append(svg);

  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'The counts as a table';
  const table = document.createElement('table');
  table.className = 'counts';
  const head = table.createTHead().insertRow();
  for (const h of ['From', 'Entries']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const b of bins) {
    const tr = body.insertRow();
    tr.dataset.start = b.start.toISOString();
    tr.dataset.count = String(b.count);
    tr.insertCell().textContent = b.label;
    tr.insertCell().textContent = b.count.toLocaleString();
  }
  details.append(summary, table);
  figure.append(details);
}
