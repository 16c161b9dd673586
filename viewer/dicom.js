// What the page reads out of an entry and its DICOM JSON metadata (PS3.18
// F.2): the columns of the table, and the rows of an entry's tag table with
// keywords from dicom-keywords.json, which the build writes from the reader's
// own dictionary (src/dicom_dict.c, by tools/dicom_keywords.awk).

const MODALITY = '00080060';
const PATIENT_NAME = '00100010';
const STUDY_DESCRIPTION = '00081030';

function firstValue(metadata, tag) {
  const a = metadata && metadata[tag];
  return a && Array.isArray(a.Value) && a.Value.length > 0 ? a.Value[0] : null;
}

// The entry's modality: its own field where the server gives one (v2 with
// issue #14's slim fields), else the metadata's (0008,0060); null when
// neither says (a deleted instance has no metadata).
export function modalityOf(entry) {
  if (typeof entry.Modality === 'string') return entry.Modality;
  const v = firstValue(entry.Metadata, MODALITY);
  return typeof v === 'string' ? v : null;
}

export function personName(v) {
  if (v === null || typeof v !== 'object') return v === null || v === undefined ? '' : String(v);
  return ['Alphabetic', 'Ideographic', 'Phonetic']
    .filter((k) => typeof v[k] === 'string' && v[k] !== '')
    .map((k) => v[k])
    .join(' = ');
}

export function patientOf(entry) {
  const v = firstValue(entry.Metadata, PATIENT_NAME);
  return v === null ? null : personName(v);
}

export function studyDescriptionOf(entry) {
  const v = firstValue(entry.Metadata, STUDY_DESCRIPTION);
  return v === null ? null : String(v);
}

// --- the keyword dictionary ----------------------------------------------------

let dictionary = null;

// Loads dicom-keywords.json once (about 200 KB: only when an entry's tags are
// first shown). A page without it still shows every tag, unnamed.
export async function loadKeywords() {
  if (dictionary) return dictionary;
  try {
    // Beside the page, from the origin: not from a URL that may carry credentials.
    const here = new URL('.', window.location.origin + window.location.pathname);
    const res = await fetch(new URL('dicom-keywords.json', here), { credentials: 'same-origin' });
    dictionary = res.ok ? await res.json() : {};
  } catch (e) {
    dictionary = {};
  }
  return dictionary;
}

function hex4(n) {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

// The keyword of a tag ("00100010" -> {keyword: "PatientName"}), looked up
// as the reader does (src/dicom.c, dict_code): private groups by rule, the
// repeating groups 50xx, 60xx and 7Fxx folded onto their first one.
export function keywordOf(tag, dict = dictionary || {}) {
  const t = tag.toUpperCase();
  if (!/^[0-9A-F]{8}$/.test(t)) return { keyword: '', retired: false };
  const group = parseInt(t.slice(0, 4), 16);
  const element = parseInt(t.slice(4, 8), 16);
  if (element === 0) return { keyword: 'GroupLength', retired: false };
  if (group & 1) {
    return { keyword: element >= 0x10 && element <= 0xff ? 'PrivateCreator' : '(private)', retired: false };
  }
  let key = t;
  const base = group & 0xff00;
  if ((base === 0x5000 || base === 0x6000 || base === 0x7f00) && (group & 0xff) <= 0x1e) {
    key = hex4(base) + t.slice(4);
  }
  const kw = dict[key];
  if (typeof kw !== 'string') return { keyword: '', retired: false };
  return kw.startsWith('RETIRED_') ? { keyword: kw.slice(8), retired: true } : { keyword: kw, retired: false };
}

// --- values ------------------------------------------------------------------------

const MAX_SHOWN = 2000; // characters of one value shown in the table

function base64Bytes(s) {
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  return Math.floor((clean.length * 3) / 4);
}

// One attribute's value as text, for a person.
export function valueText(attr) {
  if (!attr || typeof attr !== 'object') return '';
  if (typeof attr.InlineBinary === 'string') return `(binary, ${base64Bytes(attr.InlineBinary)} bytes)`;
  if (typeof attr.BulkDataURI === 'string') return `(bulk data: ${attr.BulkDataURI})`;
  if (!Array.isArray(attr.Value)) return '';
  if (attr.vr === 'SQ') return `${attr.Value.length} item${attr.Value.length === 1 ? '' : 's'}`;
  const parts = attr.Value.map((v) => (attr.vr === 'PN' ? personName(v) : v === null ? '' : String(v)));
  let text = parts.join(' \\ ');
  if (text.length > MAX_SHOWN) text = `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)`;
  return text;
}

// The rows of an entry's tag table, in tag order, sequences opened: each
// {depth, tag, keyword, retired, vr, value}, an item of a sequence as a row
// of its own ({depth, item: n}). Depth is bounded like the reader's.
export function metadataRows(metadata, dict, depth = 0, out = []) {
  if (!metadata || typeof metadata !== 'object' || depth > 16) return out;
  for (const tag of Object.keys(metadata).sort()) {
    const attr = metadata[tag];
    const { keyword, retired } = keywordOf(tag, dict);
    out.push({ depth, tag: tag.toUpperCase(), keyword, retired, vr: attr && attr.vr ? attr.vr : '', value: valueText(attr) });
    if (attr && attr.vr === 'SQ' && Array.isArray(attr.Value)) {
      attr.Value.forEach((item, i) => {
        out.push({ depth: depth + 1, item: i + 1 });
        metadataRows(item, dict, depth + 2, out);
      });
    }
  }
  return out;
}

export function tagText(tag) {
  return `(${tag.slice(0, 4)},${tag.slice(4, 8)})`;
}
