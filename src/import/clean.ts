import { cleanText } from './encoding.ts';
import { typographicQuotes } from './quotes.ts';
import { detectLanguage } from '../typography/language.ts';
import { LIMITS, type BookField, type BookFields, type Issue } from './types.ts';

/**
 * Tidying values from catalogue records and spreadsheets into what a slide shows: ISBD punctuation
 * removed, names in reading order, a year rather than a date statement.
 */

/** Trailing ISBD separators (" /", " :", " ;", " =", ",") and brackets around the whole value. */
export function stripIsbd(value: string): string {
  let s = value.replace(/\s+/g, ' ').trim();
  for (;;) {
    const before = s;
    s = s.replace(/\s*[/:;=,]\s*$/, '').trim();
    // "[Алматы]" and "[2015]" are supplied by the cataloguer; the slide shows the value.
    if (/^\[[^[\]]*\]$/.test(s)) s = s.slice(1, -1).trim();
    if (s === before) break;
  }
  // A final full stop closes the ISBD area; keep it after an abbreviation ("320 p.", "ил.", "Jr.").
  const m = /(\S+)\.$/.exec(s);
  if (m && (m[1] as string).replace(/[^\p{L}]/gu, '').length > 2) s = s.slice(0, -1);
  return s;
}

/** "Ауэзов, Мухтар" → "Мухтар Ауэзов"; names without exactly one comma are kept as they are. */
export function deinvertName(name: string): string {
  const s = stripIsbd(name);
  const parts = s.split(',');
  if (parts.length !== 2) return s;
  const [surname, forenames] = parts.map((p) => p.trim()) as [string, string];
  if (!surname || !forenames || /\d/.test(forenames)) return s;
  return `${forenames} ${surname}`;
}

/** The year from a date statement ("c2015", "[2015?]", "2015-2016") or the cleaned statement. */
export function yearOf(value: string): string {
  const m = /(1[5-9]\d\d|20\d\d)/.exec(value);
  return m ? (m[1] as string) : stripIsbd(value);
}

/** The first ISBN-like token of a value ("978-601-7000-00-1 (в пер.)" → "978-601-7000-00-1"). */
export function isbnOf(value: string): string {
  const m = /[0-9][0-9\- ]{7,}[0-9Xx]/.exec(value);
  return m ? (m[0] as string).trim() : stripIsbd(value);
}

/** Digits of an ISBN as ISBN-13 (ISBN-10 converted), for finding duplicates; empty if not an ISBN. */
export function normalizeIsbn(value: string): string {
  const s = value.replace(/[^0-9Xx]/g, '').toUpperCase();
  if (s.length === 13 && /^\d{13}$/.test(s)) return s;
  if (s.length === 10 && /^\d{9}[\dX]$/.test(s)) {
    const core = `978${s.slice(0, 9)}`;
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(core[i]) * (i % 2 === 0 ? 1 : 3);
    return core + String((10 - (sum % 10)) % 10);
  }
  return '';
}

/**
 * An age label ("12+", "12 +", "от 12 лет" → "12+"); empty when the value names none. Whether the
 * label is valid for the flashbook's label set is checked when the import is planned.
 */
export function ageLabelOf(value: string): string {
  const s = value.trim();
  if (!s) return '';
  const plus = /(\d{1,2})\s*\+/.exec(s);
  if (plus) return `${Number(plus[1])}+`;
  const bare = /^\D{0,12}?(\d{1,2})\D{0,12}$/.exec(s);
  return bare ? `${Number(bare[1])}+` : s;
}

/** The words and numbers of a value, in order-free form: what tidying must not change silently. */
function tokens(value: string): string {
  return (value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).sort().join(' ');
}

/**
 * `clean(raw)`, with a note in `issues` when cleaning changed more than punctuation, brackets and
 * word order ("около 1980" → "1980", "c2015" → "2015"), so the preview tells the librarian.
 */
export function cleanNoted(
  field: BookField,
  raw: string,
  clean: (value: string) => string,
  issues: Issue[],
): string {
  const value = clean(raw);
  if (value && tokens(value) !== tokens(raw))
    issues.push({
      code: 'valueChanged',
      severity: 'warning',
      params: { field, from: raw.replace(/\s+/g, ' ').trim(), to: value },
    });
  return value;
}

/** Fields whose quotation marks follow the text's typography (not ISBN, year, pages, labels). */
const PROSE: ReadonlySet<BookField> = new Set([
  'author',
  'title',
  'publisher',
  'place',
  'annotation',
  'quote',
]);

/** Annotation text as paragraphs: one per line, blank lines dropped. */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\r\n|\r|\n|\u2029/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/**
 * Cleans every field of a book (control characters out, NFC, whitespace collapsed; the annotation
 * keeps its line breaks) and shortens fields over their limit, with a warning for each.
 */
export function finishBook(book: BookFields, issues: Issue[]): BookFields {
  const out = { ...book };
  const language = detectLanguage(`${book.title} ${book.annotation} ${book.publisher}`);
  for (const key of Object.keys(out) as BookField[]) {
    let v = cleanText(out[key]);
    v = key === 'annotation' ? paragraphsOf(v).join('\n') : v.replace(/\s+/g, ' ').trim();
    if (PROSE.has(key)) v = typographicQuotes(v, language);
    if (v.includes('\ufffd') && !issues.some((i) => i.code === 'replacementChars'))
      issues.push({ code: 'replacementChars', severity: 'warning' });
    const max = LIMITS.field[key];
    if (v.length > max) {
      v = shorten(v, max);
      issues.push({ code: 'shortened', severity: 'warning', params: { field: key, max } });
    }
    out[key] = v;
  }
  if (!out.title && !out.author) issues.push({ code: 'noTitle', severity: 'error' });
  return out;
}

/** Cuts at a word boundary when there is one near the limit, and marks the cut with "…". */
export function shorten(s: string, max: number): string {
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}
