import { ageLabelOf, cleanNoted, finishBook, isbnOf, yearOf } from './clean.ts';
import {
  BOOK_FIELDS,
  emptyBook,
  type BookField,
  type BookFields,
  type Issue,
  type ParseResult,
  type TableRow,
} from './types.ts';

/**
 * Which CSV column fills which book field: guessed from the header row (Russian, Kazakh and English
 * names librarians use) and changeable in the dialog.
 */
export type ColumnMapping = Record<BookField, number | null>;

/** Header names, compared after `normalizeHeader`: whole names first, then parts of names. */
const HEADER_NAMES: Record<BookField, { exact: string[]; partial: string[] }> = {
  author: {
    exact: [
      'author',
      'authors',
      'writer',
      'creator',
      'автор',
      'авторы',
      'фиоавтора',
      'авторсоставитель',
      'авторлар',
      'авторлары',
      'жазушы',
    ],
    partial: ['author', 'автор'],
  },
  title: {
    exact: [
      'title',
      'booktitle',
      'name',
      'заглавие',
      'название',
      'наименование',
      'названиекниги',
      'заглавиекниги',
      'атауы',
      'атау',
      'кітапатауы',
      'кітаптыңатауы',
      'шығарманыңатауы',
    ],
    partial: ['title', 'заглав', 'назван', 'атау'],
  },
  publisher: {
    exact: ['publisher', 'издательство', 'издатель', 'баспа', 'баспасы', 'баспагер'],
    partial: ['publisher', 'издат', 'баспа'],
  },
  place: {
    exact: [
      'place',
      'city',
      'placeofpublication',
      'publicationplace',
      'местоиздания',
      'место',
      'город',
      'городиздания',
      'басылғанжері',
      'баспаорны',
      'шыққанжері',
      'қала',
      'қаласы',
      'басылыморны',
    ],
    partial: ['place', 'city', 'место', 'город', 'жері', 'орны'],
  },
  year: {
    exact: [
      'year',
      'date',
      'publicationyear',
      'yearofpublication',
      'год',
      'годиздания',
      'датаиздания',
      'жыл',
      'жылы',
      'шыққанжылы',
      'басылымжылы',
      'баспажылы',
      'басылғанжылы',
    ],
    partial: ['year', 'год', 'жыл'],
  },
  pages: {
    exact: [
      'pages',
      'pagecount',
      'numberofpages',
      'extent',
      'страниц',
      'страницы',
      'колвостраниц',
      'количествостраниц',
      'объем',
      'объемстр',
      'стр',
      'с',
      'беттер',
      'бетсаны',
      'беттерсаны',
      'көлемі',
      'көлем',
    ],
    partial: ['page', 'стран', 'объем', 'бет'],
  },
  isbn: { exact: ['isbn', 'исбн'], partial: ['isbn', 'исбн'] },
  annotation: {
    exact: [
      'annotation',
      'abstract',
      'summary',
      'description',
      'аннотация',
      'описание',
      'краткоесодержание',
      'содержание',
      'аңдатпа',
      'сипаттама',
      'түйіндеме',
      'мазмұны',
    ],
    partial: ['annot', 'аннот', 'аңдат', 'описан', 'summary', 'сипат'],
  },
  quote: {
    exact: ['quote', 'quotation', 'цитата', 'цитатаизкниги', 'дәйексөз', 'үзінді'],
    partial: ['quot', 'цитат', 'дәйексөз', 'үзінді'],
  },
  ageLabel: {
    exact: [
      'age',
      'agelabel',
      'agerating',
      'agerestriction',
      'возраст',
      'возрастнаямаркировка',
      'возрастноеограничение',
      'возрастнойценз',
      'маркировка',
      'знакинформационнойпродукции',
      'жас',
      'жасшектеуі',
      'жассанаты',
      'жастаңбасы',
      'жасерекшелігі',
    ],
    partial: ['agelabel', 'agerat', 'возраст', 'жасшек', 'жассанат'],
  },
  library: {
    exact: [
      'library',
      'branch',
      'библиотека',
      'филиал',
      'библиотекафилиал',
      'кітапхана',
      'кітапханасы',
    ],
    partial: ['librar', 'библиот', 'кітапхан'],
  },
};

/** Lowercase letters and digits only: "Год издания:" → "годиздания", "ISBN-13" → "isbn13". */
export function normalizeHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export function emptyMapping(): ColumnMapping {
  return Object.fromEntries(BOOK_FIELDS.map((f) => [f, null])) as ColumnMapping;
}

/** The likely column of each field; each column is given to at most one field. */
export function guessMapping(columns: readonly string[]): ColumnMapping {
  const candidates: { field: BookField; column: number; score: number }[] = [];
  columns.forEach((name, column) => {
    const n = normalizeHeader(name);
    if (!n) return;
    BOOK_FIELDS.forEach((field) => {
      const names = HEADER_NAMES[field];
      if (names.exact.includes(n)) candidates.push({ field, column, score: 3 });
      else if (names.partial.some((p) => n.startsWith(p)))
        candidates.push({ field, column, score: 2 });
      else if (names.partial.some((p) => p.length >= 4 && n.includes(p)))
        candidates.push({ field, column, score: 1 });
    });
  });
  candidates.sort(
    (a, b) =>
      b.score - a.score ||
      BOOK_FIELDS.indexOf(a.field) - BOOK_FIELDS.indexOf(b.field) ||
      a.column - b.column,
  );
  const mapping = emptyMapping();
  const taken = new Set<number>();
  for (const c of candidates) {
    if (mapping[c.field] !== null || taken.has(c.column)) continue;
    mapping[c.field] = c.column;
    taken.add(c.column);
  }
  return mapping;
}

/** A row or record ready for the preview: its number in the file, its book (or why not). */
export interface Candidate {
  /** Stable within one parse result: `row-12` or `record-3`. */
  key: string;
  source: 'row' | 'record';
  number: number;
  book: BookFields | null;
  issues: Issue[];
}

function rowToBook(row: TableRow, mapping: ColumnMapping, issues: Issue[]): BookFields | null {
  if (issues.some((i) => i.severity === 'error')) return null;
  const book = emptyBook();
  for (const field of BOOK_FIELDS) {
    const col = mapping[field];
    if (col === null) continue;
    const v = (row.cells[col] ?? '').trim();
    book[field] =
      field === 'year'
        ? cleanNoted(field, v, yearOf, issues)
        : field === 'isbn'
          ? cleanNoted(field, v, isbnOf, issues)
          : field === 'ageLabel'
            ? cleanNoted(field, v, ageLabelOf, issues)
            : v;
  }
  const finished = finishBook(book, issues);
  return issues.some((i) => i.severity === 'error') ? null : finished;
}

/** The rows or records of a parse result as candidates (CSV rows through `mapping`). */
export function toCandidates(result: ParseResult, mapping: ColumnMapping | null): Candidate[] {
  if (result.kind === 'rejected') return [];
  if (result.kind === 'records')
    return result.records.map((r) => ({
      key: `record-${r.number}`,
      source: 'record',
      number: r.number,
      book: r.book,
      issues: r.issues,
    }));
  const m = mapping ?? guessMapping(result.columns);
  return result.rows.map((row) => {
    const issues = [...row.issues];
    const book = rowToBook(row, m, issues);
    return { key: `row-${row.number}`, source: 'row', number: row.number, book, issues };
  });
}
