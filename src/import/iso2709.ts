import { decodeBytes, isValidUtf8, looksLikeCp866, looksLikeKz1048 } from './encoding.ts';
import { detectFlavour, marcToBook, type MarcField, type MarcRecord } from './marc.ts';
import { decodeMarc8 } from './marc8.ts';
import {
  LIMITS,
  type Issue,
  type MarcFlavour,
  type ParseOptions,
  type RecordEncoding,
  type RecordsResult,
  type RejectedResult,
  type SourceRecord,
  type TextEncoding,
} from './types.ts';

/**
 * ISO 2709 (the binary exchange format of `.mrc` / `.iso` files from IRBIS, KABIS, Koha, Ruslan):
 * a 24-byte leader, a directory of 12-byte entries (tag, length, start), then the fields, each ended
 * by 0x1E, the record ended by 0x1D; subfields start with 0x1F and a one-byte code.
 *
 * Real exports are often slightly wrong, so records are split at their terminators rather than at
 * the length the leader states (IRBIS, for one, counts characters instead of bytes in UTF-8
 * records), and a directory whose offsets do not land on field terminators is replaced by splitting
 * the data at the terminators. A record cut short by the end of the file, or by the next record's
 * leader, is reported and not imported.
 */

const RT = 0x1d; // record terminator
const FT = 0x1e; // field terminator
const SF = 0x1f; // subfield delimiter

const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

function digitsAt(bytes: Uint8Array, at: number, n: number): number | null {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const b = bytes[i];
    if (!isDigit(b)) return null;
    v = v * 10 + ((b as number) - 0x30);
  }
  return v;
}

/** Whether a MARC leader starts at `at`: a record length, indicator and subfield-code counts, a base address. */
export function leaderAt(bytes: Uint8Array, at: number): boolean {
  return (
    at + 24 <= bytes.length &&
    digitsAt(bytes, at, 5) !== null &&
    isDigit(bytes[at + 10]) &&
    isDigit(bytes[at + 11]) &&
    digitsAt(bytes, at + 12, 5) !== null
  );
}

/**
 * A stricter test, to find a leader inside another record's bytes (a record whose end was lost):
 * record status and type are letters, indicator and subfield-code counts are "22", and the entry
 * map starts "45". A run of directory digits or an ISBN cannot pass it.
 */
function strongLeaderAt(bytes: Uint8Array, at: number): boolean {
  const letter = (b: number | undefined) => b !== undefined && b >= 0x61 && b <= 0x7a;
  return (
    leaderAt(bytes, at) &&
    letter(bytes[at + 5]) &&
    letter(bytes[at + 6]) &&
    bytes[at + 10] === 0x32 &&
    bytes[at + 11] === 0x32 &&
    bytes[at + 20] === 0x34 &&
    bytes[at + 21] === 0x35
  );
}

interface RawField {
  tag: string;
  bytes: Uint8Array;
}

const latin1 = (b: Uint8Array) => {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
};

/** Splits a record's bytes (from its leader to its terminator, exclusive) into raw fields. */
function readFields(rec: Uint8Array, issues: Issue[]): RawField[] | null {
  const lenOfLen = isDigit(rec[20]) ? (rec[20] as number) - 0x30 || 4 : 4;
  const lenOfStart = isDigit(rec[21]) ? (rec[21] as number) - 0x30 || 5 : 5;
  const lenOfImpl = isDigit(rec[22]) ? (rec[22] as number) - 0x30 : 0;
  const entrySize = 3 + lenOfLen + lenOfStart + lenOfImpl;
  const dirEnd = rec.indexOf(FT, 24);
  if (dirEnd < 0) {
    issues.push({ code: 'unreadableDirectory', severity: 'error' });
    return null;
  }
  const count = Math.floor((dirEnd - 24) / entrySize);
  if (count === 0) {
    issues.push({ code: 'unreadableDirectory', severity: 'error' });
    return null;
  }
  const dataStart = dirEnd + 1;
  const entries: { tag: string; length: number | null; start: number | null }[] = [];
  for (let i = 0; i < count; i++) {
    const at = 24 + i * entrySize;
    entries.push({
      tag: latin1(rec.subarray(at, at + 3)),
      length: digitsAt(rec, at + 3, lenOfLen),
      start: digitsAt(rec, at + 3 + lenOfLen, lenOfStart),
    });
  }
  const base = digitsAt(rec, 12, 5);
  // Trust the directory only if every field it points at ends where a field terminator is.
  const trusted =
    (dirEnd - 24) % entrySize === 0 &&
    base === dataStart &&
    entries.every(
      (e) =>
        e.length !== null &&
        e.start !== null &&
        e.length > 0 &&
        dataStart + e.start + e.length <= rec.length &&
        rec[dataStart + e.start + e.length - 1] === FT,
    );
  if (trusted)
    return entries.map((e) => ({
      tag: e.tag,
      bytes: rec.subarray(
        dataStart + (e.start as number),
        dataStart + (e.start as number) + (e.length as number) - 1,
      ),
    }));
  // Fall back to the field terminators, in directory order.
  issues.push({ code: 'badDirectory', severity: 'warning' });
  const out: RawField[] = [];
  let pos = dataStart;
  for (const e of entries) {
    if (pos >= rec.length) break;
    let end = rec.indexOf(FT, pos);
    if (end < 0) end = rec.length;
    out.push({ tag: e.tag, bytes: rec.subarray(pos, end) });
    pos = end + 1;
  }
  return out;
}

interface RawSubfield {
  code: string;
  bytes: Uint8Array;
}

interface RawDataField {
  tag: string;
  ind1: string;
  ind2: string;
  control: Uint8Array | null;
  subfields: RawSubfield[];
}

function splitField(f: RawField, indicatorCount: number): RawDataField {
  if (/^00\d$/.test(f.tag))
    return { tag: f.tag, ind1: ' ', ind2: ' ', control: f.bytes, subfields: [] };
  const ind = latin1(f.bytes.subarray(0, indicatorCount));
  const subfields: RawSubfield[] = [];
  let pos = f.bytes.indexOf(SF);
  while (pos >= 0 && pos < f.bytes.length) {
    let next = f.bytes.indexOf(SF, pos + 1);
    if (next < 0) next = f.bytes.length;
    if (next > pos + 1)
      subfields.push({
        code: String.fromCharCode(f.bytes[pos + 1] as number),
        bytes: f.bytes.subarray(pos + 2, next),
      });
    pos = next;
  }
  return { tag: f.tag, ind1: ind[0] ?? ' ', ind2: ind[1] ?? ' ', control: null, subfields };
}

const ENCODING_NAMES: Record<RecordEncoding, string> = {
  'utf-8': 'UTF-8',
  'windows-1251': 'Windows-1251',
  'kz-1048': 'KZ-1048',
  ibm866: 'CP866',
  'koi8-r': 'KOI8-R',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
  'marc-8': 'MARC-8',
  'iso-5427': 'ISO 5427',
};

function allBytes(fields: RawDataField[]): Uint8Array {
  const parts = fields.flatMap((f) => (f.control ? [f.control] : f.subfields.map((s) => s.bytes)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + 1; // a zero between parts keeps a multi-byte sequence from spanning two
  }
  return out;
}

const hasHighBytes = (b: Uint8Array) => b.some((x) => x >= 0x80);

/** The single-byte Cyrillic encoding the bytes look like. */
function sniffSingleByte(bytes: Uint8Array): TextEncoding {
  if (looksLikeKz1048(bytes)) return 'kz-1048';
  if (looksLikeCp866(bytes)) return 'ibm866';
  return 'windows-1251';
}

function fallback(bytes: Uint8Array): TextEncoding {
  return isValidUtf8(bytes) ? 'utf-8' : sniffSingleByte(bytes);
}

/** RUSMARC/UNIMARC character set codes of field 100$a/26–29 and the encodings we read them as. */
const UNIMARC_SETS: Record<string, RecordEncoding> = {
  '50': 'utf-8', // ISO 10646 (UNIMARC uses UTF-8 for it)
  '89': 'windows-1251', // RUSMARC: Windows-1251
  '79': 'ibm866', // RUSMARC: CP866
  '99': 'koi8-r', // RUSMARC: KOI-8
  '02': 'iso-5427', // ISO registration #37, basic Cyrillic
};

/**
 * The encoding the record declares (MARC 21 leader/09, UNIMARC 100$a/26–29), checked against its
 * bytes: a declaration the bytes contradict (IRBIS writes "UTF-8" over Windows-1251 data, and some
 * exports leave the MARC-8 blank on UTF-8 data) gives way to what the bytes are, with a warning.
 */
export function recordEncoding(
  leader: string,
  fields: RawDataField[],
  flavour: MarcFlavour,
  issues: Issue[],
): RecordEncoding {
  const bytes = allBytes(fields);
  if (!hasHighBytes(bytes) && !bytes.includes(0x1b)) return 'utf-8'; // ASCII reads the same in all
  const warn = (declared: RecordEncoding, used: RecordEncoding) =>
    issues.push({
      code: 'encodingFallback',
      severity: 'warning',
      params: { declared: ENCODING_NAMES[declared], used: ENCODING_NAMES[used] },
    });
  let declared: RecordEncoding | null = null;
  if (flavour === 'marc21') {
    declared = leader[9] === 'a' ? 'utf-8' : 'marc-8';
  } else {
    const f100 = fields.find((f) => f.tag === '100');
    const a = f100?.subfields.find((s) => s.code === 'a');
    const coded = a ? latin1(a.bytes) : '';
    const g0 = coded.slice(26, 28);
    const g1 = coded.slice(28, 30);
    const code = g0 === '50' ? g0 : g1.trim() ? g1 : g0;
    if (coded.length >= 28 && code.trim() && code !== '01') {
      declared = UNIMARC_SETS[code] ?? null;
      if (!declared)
        issues.push({ code: 'unsupportedCharset', severity: 'warning', params: { code } });
    }
  }
  if (declared === 'utf-8') {
    if (isValidUtf8(bytes)) return 'utf-8';
    const used = sniffSingleByte(bytes);
    warn('utf-8', used);
    return used;
  }
  if (declared === 'marc-8') {
    // MARC-8 never has three high bytes in a row (at most two diacritics before a letter); text in
    // a single-byte Cyrillic code page does, and UTF-8 Cyrillic is valid UTF-8.
    if (bytes.includes(0x1b) || !/[\x80-\xff]{3}/.test(latin1(bytes))) {
      if (!isValidUtf8(bytes) || bytes.includes(0x1b)) return 'marc-8';
    }
    const used = fallback(bytes);
    warn('marc-8', used);
    return used;
  }
  if (declared === 'windows-1251') {
    if (looksLikeKz1048(bytes)) {
      warn('windows-1251', 'kz-1048');
      return 'kz-1048';
    }
    if (isValidUtf8(bytes)) {
      warn('windows-1251', 'utf-8');
      return 'utf-8';
    }
    return 'windows-1251';
  }
  if (declared) return declared;
  return fallback(bytes);
}

function decodeWith(bytes: Uint8Array, encoding: RecordEncoding): string {
  if (encoding === 'marc-8') return decodeMarc8(bytes).text;
  if (encoding === 'iso-5427') {
    // ISO 5427 puts the Russian letters where KOI8-R has them (0xC0–0xFF); the rest is ASCII.
    return decodeBytes(bytes, 'koi8-r');
  }
  return decodeBytes(bytes, encoding);
}

function decodeRecord(
  leader: string,
  fields: RawDataField[],
  encoding: RecordEncoding,
  issues: Issue[],
): MarcRecord {
  let unsupported = false;
  const dec = (b: Uint8Array) => {
    if (encoding === 'marc-8') {
      const r = decodeMarc8(b);
      unsupported ||= r.unsupported;
      return r.text;
    }
    return decodeWith(b, encoding);
  };
  const out: MarcField[] = fields.map((f) => ({
    tag: f.tag,
    ind1: f.ind1,
    ind2: f.ind2,
    value: f.control ? dec(f.control) : '',
    subfields: f.subfields.map((s) => ({ code: s.code, value: dec(s.bytes) })),
  }));
  if (unsupported) issues.push({ code: 'replacementChars', severity: 'warning' });
  return { leader, fields: out };
}

/** Reads one record's bytes (leader to terminator, exclusive) into a source record. */
function readRecord(
  number: number,
  rec: Uint8Array,
  declaredLength: number,
  actualLength: number,
  opts: ParseOptions,
): SourceRecord {
  const issues: Issue[] = [];
  if (declaredLength !== actualLength)
    issues.push({
      code: 'badLength',
      severity: 'warning',
      params: { declared: declaredLength, actual: actualLength },
    });
  const leader = latin1(rec.subarray(0, 24));
  const raw = readFields(rec, issues);
  if (!raw) return { number, book: null, flavour: null, encoding: null, issues };
  const indicatorCount = isDigit(rec[10]) ? (rec[10] as number) - 0x30 : 2;
  const fields = raw.map((f) => splitField(f, indicatorCount));
  const flavour = detectFlavour({
    leader,
    fields: fields.map((f) => ({
      ...f,
      value: '',
      subfields: f.subfields.map((s) => ({ code: s.code, value: latin1(s.bytes) })),
    })),
  });
  const encoding: RecordEncoding =
    opts.encoding === 'auto' ? recordEncoding(leader, fields, flavour, issues) : opts.encoding;
  const record = decodeRecord(leader, fields, encoding, issues);
  const book = marcToBook(record, flavour, issues);
  return { number, book, flavour, encoding, issues };
}

/** Parses an ISO 2709 file; `onProgress` gets the fraction of bytes read. */
export function parseIso2709(
  bytes: Uint8Array,
  opts: ParseOptions,
  onProgress: (fraction: number) => void = () => {},
): RecordsResult | RejectedResult {
  const records: SourceRecord[] = [];
  const issues: Issue[] = [];
  let pos = 0;
  let number = 0;
  while (pos < bytes.length) {
    // Exporters put line breaks (or padding) between records.
    while (pos < bytes.length && [0x0a, 0x0d, 0x00, 0x20, 0x1a].includes(bytes[pos] as number))
      pos++;
    if (pos >= bytes.length) break;
    if (records.length >= LIMITS.records) {
      issues.push({
        code: 'tooManyRecords',
        severity: 'warning',
        params: { max: LIMITS.records },
      });
      break;
    }
    number++;
    if (number % 25 === 0) onProgress(pos / bytes.length);
    const term = bytes.indexOf(RT, pos);
    const end = term < 0 ? bytes.length : term;
    if (!leaderAt(bytes, pos)) {
      records.push({
        number,
        book: null,
        flavour: null,
        encoding: null,
        issues: [{ code: 'badLeader', severity: 'error' }],
      });
      pos = end + 1;
      continue;
    }
    const declared = digitsAt(bytes, pos, 5) as number;
    // A record whose terminator is missing runs into the next record's leader (or the file's end).
    let next = -1;
    for (let k = pos + 24; k + 24 <= end; k++) {
      if (strongLeaderAt(bytes, k)) {
        next = k;
        break;
      }
    }
    if (next >= 0 || term < 0) {
      const stop = next >= 0 ? next : bytes.length;
      const actual = stop - pos;
      // Complete but for the terminator: the last field is closed and the length adds up.
      if (actual >= declared - 1 && bytes[stop - 1] === FT)
        records.push(readRecord(number, bytes.subarray(pos, stop), declared, declared, opts));
      else
        records.push({
          number,
          book: null,
          flavour: null,
          encoding: null,
          issues: [{ code: 'truncated', severity: 'error', params: { declared, actual } }],
        });
      if (next < 0) break;
      pos = next;
      continue;
    }
    records.push(readRecord(number, bytes.subarray(pos, end), declared, end + 1 - pos, opts));
    pos = end + 1;
  }
  onProgress(1);
  if (records.length === 0) return { kind: 'rejected', format: 'iso2709', issue: err('noRecords') };
  if (records.every((r) => r.issues.some((i) => i.code === 'badLeader')))
    return { kind: 'rejected', format: 'iso2709', issue: err('unknownFormat') };
  return { kind: 'records', format: 'iso2709', records, issues };
}

const err = (code: Issue['code']): Issue => ({ code, severity: 'error' });
