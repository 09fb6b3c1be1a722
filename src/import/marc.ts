import {
  ageLabelOf,
  cleanNoted,
  deinvertName,
  finishBook,
  isbnOf,
  stripIsbd,
  yearOf,
} from './clean.ts';
import { emptyBook, type BookFields, type Issue, type MarcFlavour } from './types.ts';

/**
 * A MARC record after decoding (from MARCXML or ISO 2709), and the two field maps that turn it into
 * book fields: MARC 21 and UNIMARC (RUSMARC is UNIMARC with Russian additions; the fields we read
 * are the same).
 */

export interface MarcSubfield {
  code: string;
  value: string;
}

export interface MarcField {
  tag: string;
  ind1: string;
  ind2: string;
  /** Control fields (00X) have a value and no subfields. */
  value: string;
  subfields: MarcSubfield[];
}

export interface MarcRecord {
  leader: string;
  fields: MarcField[];
}

const fieldsOf = (r: MarcRecord, tag: string) => r.fields.filter((f) => f.tag === tag);
const sub = (f: MarcField | undefined, code: string): string =>
  f?.subfields.find((s) => s.code === code)?.value ?? '';
const subs = (f: MarcField | undefined, code: string): string[] =>
  f?.subfields.filter((s) => s.code === code).map((s) => s.value) ?? [];

/**
 * Which field map a record follows. MARC 21 puts the title in 245, UNIMARC in 200; UNIMARC's 100 is
 * coded processing data (starting with a date) where MARC 21's 100 is the author.
 */
export function detectFlavour(r: MarcRecord): MarcFlavour {
  const tags = new Set(r.fields.map((f) => f.tag));
  if (tags.has('245')) return 'marc21';
  if (tags.has('200')) return 'unimarc';
  const f100 = sub(fieldsOf(r, '100')[0], 'a');
  if (/^\d{8}/.test(f100) && f100.length >= 30) return 'unimarc';
  return 'marc21';
}

/**
 * Records that are not bibliographic (authority, holdings, classification) carry no book. Leader/06:
 * MARC 21 authority `z`, holdings `u v x y`, classification `w`, community `q`; UNIMARC authority
 * `x y z`.
 */
export function isBibliographic(leader: string): boolean {
  const type = leader[6];
  return type === undefined || !'quvwxyz'.includes(type);
}

function joinNames(names: string[]): string {
  const unique = [...new Set(names.filter(Boolean))];
  return unique.length > 3 ? `${unique.slice(0, 3).join(', ')} …` : unique.join(', ');
}

function marc21Book(r: MarcRecord, issues: Issue[]): BookFields {
  const book = emptyBook();
  const main = fieldsOf(r, '100')[0] ?? fieldsOf(r, '110')[0] ?? fieldsOf(r, '111')[0];
  if (main)
    book.author =
      main.tag === '100' && main.ind1 === '1'
        ? deinvertName(sub(main, 'a'))
        : stripIsbd(sub(main, 'a'));
  else
    book.author = joinNames(
      fieldsOf(r, '700').map((f) =>
        f.ind1 === '1' ? deinvertName(sub(f, 'a')) : stripIsbd(sub(f, 'a')),
      ),
    );
  const t = fieldsOf(r, '245')[0];
  if (t) {
    let title = stripIsbd(sub(t, 'a'));
    const rest = stripIsbd(sub(t, 'b'));
    if (rest) title += `: ${rest}`;
    for (const part of [...subs(t, 'n'), ...subs(t, 'p')].map(stripIsbd).filter(Boolean))
      title += `. ${part}`;
    book.title = title;
    if (!book.author) book.author = stripIsbd(sub(t, 'c'));
  }
  const imprint =
    fieldsOf(r, '264').find((f) => f.ind2 === '1') ??
    fieldsOf(r, '260')[0] ??
    fieldsOf(r, '264')[0];
  book.place = stripIsbd(sub(imprint, 'a'));
  book.publisher = stripIsbd(sub(imprint, 'b'));
  book.year = cleanNoted('year', sub(imprint, 'c'), yearOf, issues);
  if (!book.year) {
    const f008 = fieldsOf(r, '008')[0]?.value ?? '';
    const y = f008.slice(7, 11);
    if (/^\d{4}$/.test(y)) book.year = y;
  }
  book.pages = stripIsbd(sub(fieldsOf(r, '300')[0], 'a'));
  book.isbn = isbnOf(
    fieldsOf(r, '020')
      .map((f) => sub(f, 'a'))
      .find(Boolean) ?? '',
  );
  book.annotation = fieldsOf(r, '520')
    .map((f) => sub(f, 'a'))
    .filter(Boolean)
    .join('\n');
  book.ageLabel = cleanNoted(
    'ageLabel',
    fieldsOf(r, '521')
      .map((f) => sub(f, 'a'))
      .find(Boolean) ?? '',
    ageLabelOf,
    issues,
  );
  return book;
}

/** UNIMARC/RUSMARC personal name: $a surname, $b initials, $g forenames in full. */
function unimarcName(f: MarcField): string {
  const surname = stripIsbd(sub(f, 'a'));
  const fore = stripIsbd(sub(f, 'g')) || stripIsbd(sub(f, 'b'));
  return fore ? `${fore} ${surname}` : surname;
}

function unimarcBook(r: MarcRecord, issues: Issue[]): BookFields {
  const book = emptyBook();
  const main = fieldsOf(r, '700')[0];
  const corporate = fieldsOf(r, '710')[0];
  book.author = main
    ? unimarcName(main)
    : corporate
      ? stripIsbd(sub(corporate, 'a'))
      : joinNames(fieldsOf(r, '701').map(unimarcName));
  const t = fieldsOf(r, '200')[0];
  if (t) {
    let title = subs(t, 'a').map(stripIsbd).filter(Boolean).join('; ');
    for (const e of subs(t, 'e').map(stripIsbd).filter(Boolean)) title += `: ${e}`;
    for (const h of [...subs(t, 'h'), ...subs(t, 'i')].map(stripIsbd).filter(Boolean))
      title += `. ${h}`;
    book.title = title;
    if (!book.author) book.author = stripIsbd(sub(t, 'f'));
  }
  const imprint = fieldsOf(r, '210')[0] ?? fieldsOf(r, '214')[0];
  book.place = stripIsbd(sub(imprint, 'a'));
  book.publisher = stripIsbd(sub(imprint, 'c'));
  book.year = cleanNoted('year', sub(imprint, 'd'), yearOf, issues);
  if (!book.year) {
    const y = sub(fieldsOf(r, '100')[0], 'a').slice(9, 13);
    if (/^\d{4}$/.test(y)) book.year = y;
  }
  book.pages = stripIsbd(sub(fieldsOf(r, '215')[0], 'a'));
  book.isbn = isbnOf(
    fieldsOf(r, '010')
      .map((f) => sub(f, 'a'))
      .find(Boolean) ?? '',
  );
  book.annotation = fieldsOf(r, '330')
    .map((f) => sub(f, 'a'))
    .filter(Boolean)
    .join('\n');
  // RUSMARC records the age classification mark (436-FZ) as a note on use, field 333.
  book.ageLabel = ageLabelOf(
    fieldsOf(r, '333')
      .map((f) => sub(f, 'a'))
      .find((v) => /\d\s*\+/.test(v)) ?? '',
  );
  return book;
}

/** Book fields of a decoded record, cleaned and limited; problems are appended to `issues`. */
export function marcToBook(
  r: MarcRecord,
  flavour: MarcFlavour,
  issues: Issue[],
): BookFields | null {
  if (!isBibliographic(r.leader)) {
    issues.push({ code: 'notBibliographic', severity: 'error' });
    return null;
  }
  const book = finishBook(
    flavour === 'marc21' ? marc21Book(r, issues) : unimarcBook(r, issues),
    issues,
  );
  return issues.some((i) => i.severity === 'error') ? null : book;
}
