/**
 * What the import parsers produce and what the dialog shows. Pure data (structured-cloneable), so a
 * result crosses from the parsing Web Worker to the page unchanged. No React, no DOM, no Yjs.
 */

/** The book fields a row or record can fill; each becomes a field of a `book` slide. */
export const BOOK_FIELDS = [
  'author',
  'title',
  'publisher',
  'place',
  'year',
  'pages',
  'isbn',
  'annotation',
  'quote',
  'ageLabel',
  'library',
] as const;
export type BookField = (typeof BOOK_FIELDS)[number];
export type BookFields = Record<BookField, string>;

export function emptyBook(): BookFields {
  return {
    author: '',
    title: '',
    publisher: '',
    place: '',
    year: '',
    pages: '',
    isbn: '',
    annotation: '',
    quote: '',
    ageLabel: '',
    library: '',
  };
}

/**
 * Why something could not be read (or was read with a change the user should know about). The
 * dialog translates `code` (catalog key `import.issue.<code>`) with `params`; the parsers stay free
 * of any language.
 */
export interface Issue {
  code: IssueCode;
  /** `error`: the row or record is not imported. `warning`: it is, and the user is told why. */
  severity: 'error' | 'warning';
  params?: Record<string, string | number>;
}

export type IssueCode =
  // Whole file
  | 'tooLarge'
  | 'empty'
  | 'binary'
  | 'unknownFormat'
  | 'noRecords'
  | 'doctype'
  | 'tooDeep'
  | 'xmlBroken'
  | 'tooManyColumns'
  | 'tooManyRecords'
  | 'failed'
  // One CSV row
  | 'fieldCount'
  | 'fieldCountShort'
  | 'unclosedQuote'
  | 'badQuote'
  | 'csvError'
  // One MARC record
  | 'truncated'
  | 'badLength'
  | 'badLeader'
  | 'badDirectory'
  | 'unreadableDirectory'
  | 'notBibliographic'
  | 'encodingFallback'
  | 'unsupportedCharset'
  // Any row or record
  | 'noTitle'
  | 'ageLabelInvalid'
  | 'shortened'
  /** Cleaning changed a value's words (`field`, `from`, `to`): "около 1980" became "1980". */
  | 'valueChanged'
  | 'replacementChars';

/** Text encodings the importer decodes. */
export const TEXT_ENCODINGS = [
  'utf-8',
  'windows-1251',
  'kz-1048',
  'ibm866',
  'koi8-r',
  'utf-16le',
  'utf-16be',
] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];
/** What the user picked in the dialog: a fixed encoding or "as the file says / guess". */
export type EncodingChoice = 'auto' | TextEncoding;

/** Encodings that a MARC record can carry besides the plain text ones. */
export type RecordEncoding = TextEncoding | 'marc-8' | 'iso-5427';

export type FileFormat = 'csv' | 'marcxml' | 'iso2709';
export type MarcFlavour = 'marc21' | 'unimarc';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export type DelimiterChoice = 'auto' | Delimiter;

export interface ParseOptions {
  encoding: EncodingChoice;
  /** CSV only. */
  delimiter: DelimiterChoice;
  /** CSV only: whether the first row names the columns. */
  header: boolean;
}

export const DEFAULT_PARSE_OPTIONS: ParseOptions = {
  encoding: 'auto',
  delimiter: 'auto',
  header: true,
};

/** One CSV row: `number` is its row number as a spreadsheet shows it (the header is row 1). */
export interface TableRow {
  number: number;
  cells: string[];
  issues: Issue[];
}

export interface TableResult {
  kind: 'table';
  format: 'csv';
  encoding: TextEncoding;
  delimiter: Delimiter;
  /** Column names (from the header row, or empty names when there is none). */
  columns: string[];
  rows: TableRow[];
  /** Problems with the file as a whole (for example, rows past the limit not read). */
  issues: Issue[];
}

/** One catalogue record, already mapped to book fields (MARC fields have a fixed meaning). */
export interface SourceRecord {
  /** 1-based position of the record in the file. */
  number: number;
  /** Null when the record could not be read at all (see `issues`). */
  book: BookFields | null;
  flavour: MarcFlavour | null;
  encoding: RecordEncoding | null;
  issues: Issue[];
}

export interface RecordsResult {
  kind: 'records';
  format: 'marcxml' | 'iso2709';
  records: SourceRecord[];
  issues: Issue[];
}

export interface RejectedResult {
  kind: 'rejected';
  format: FileFormat | null;
  issue: Issue;
}

export type ParseResult = TableResult | RecordsResult | RejectedResult;

/** Hard limits that keep a hostile or mistaken file from freezing the page or the document. */
export const LIMITS = {
  /** Bigger files are refused before reading: a catalogue export of 1,000 books is ~2–5 MB. */
  fileBytes: 20 * 1024 * 1024,
  /** Rows or records read from one file; the rest are reported, not read. */
  records: 1000,
  /** CSV columns. */
  columns: 200,
  /** XML element nesting (MARCXML needs 4: collection, record, datafield, subfield). */
  xmlDepth: 32,
  /** Field lengths in characters; longer values are shortened with a warning. */
  field: {
    author: 300,
    title: 500,
    publisher: 300,
    place: 200,
    year: 32,
    pages: 100,
    isbn: 64,
    annotation: 3000,
    quote: 1000,
    ageLabel: 16,
    library: 200,
  } satisfies Record<BookField, number>,
} as const;
