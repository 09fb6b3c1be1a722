import { describe, expect, it } from 'vitest';
import { guessMapping, toCandidates } from '../../src/import/mapping.ts';
import { parseFile } from '../../src/import/parse.ts';
import { DEFAULT_PARSE_OPTIONS, LIMITS } from '../../src/import/types.ts';
import { codes, fixture, parseFixture, table } from '../fixtures/import-fixtures.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const parse = (s: string | Uint8Array, name = 'list.csv', opts = {}) =>
  parseFile(typeof s === 'string' ? utf8(s) : s, name, { ...DEFAULT_PARSE_OPTIONS, ...opts });

describe('CSV', () => {
  it('reads 40 books from a Windows-1251 file with semicolons, quoted line breaks and quotes', () => {
    const t = table(parseFixture('books-40-cp1251.csv'));
    expect(t.encoding).toBe('windows-1251');
    expect(t.delimiter).toBe(';');
    expect(t.columns[2]).toBe('Заглавие');
    const books = toCandidates(t, null);
    expect(books).toHaveLength(40);
    expect(books.every((b) => b.book && b.issues.length === 0)).toBe(true);
    const first = books[0]?.book;
    expect(books[0]?.number).toBe(2); // the header is row 1, as in a spreadsheet
    expect(first?.author).toBe('Бек Александр');
    expect(first?.title).toBe('Волоколамское шоссе');
    expect(first?.annotation).toBe(
      'Книга 1 нашего списка; о войне 1941–1945 годов.\nВторой абзац аннотации: «память».',
    );
    expect(first?.quote).toBe('«Цитата из книги „Волоколамское шоссе“»');
    expect(books[1]?.book?.title).toBe('Живые и мёртвые');
    expect(books[39]?.book?.author).toBe('Вершигора Пётр');
    expect(books[39]?.number).toBe(41);
  });

  it('reads the same file in UTF-8 with a BOM to the same books', () => {
    const a = toCandidates(table(parseFixture('books-40-cp1251.csv')), null);
    const t = table(parseFixture('books-40-utf8-bom.csv'));
    expect(t.encoding).toBe('utf-8');
    expect(t.columns[0]).toBe('№'); // no BOM left in the first column name
    expect(toCandidates(t, null)).toEqual(a);
  });

  it('reads Kazakh text in UTF-8 (commas), KZ-1048 (tabs) and UTF-16 (tabs) alike', () => {
    const u = table(parseFixture('kazakh-utf8.csv'));
    const k = table(parseFixture('kazakh-kz1048.tsv'));
    const w = table(parseFixture('kazakh-utf16.txt'));
    expect([u.encoding, k.encoding, w.encoding]).toEqual(['utf-8', 'kz-1048', 'utf-16le']);
    expect([u.delimiter, k.delimiter, w.delimiter]).toEqual([',', '\t', '\t']);
    const books = toCandidates(u, null).map((c) => c.book);
    expect(toCandidates(k, null).map((c) => c.book)).toEqual(books);
    expect(toCandidates(w, null).map((c) => c.book)).toEqual(books.slice(0, 2));
    expect(books.map((b) => b?.title)).toEqual([
      'Қазақ солдаты',
      'Ұшқан ұя',
      'Абай жолы',
      'Үркер',
      'Өмір мектебі',
      'Көшпенділер',
    ]);
    expect(books[0]?.author).toBe('Ғабит Мүсірепов');
    expect(books[0]?.library).toBe('Талғар аудандық кітапханасы');
    expect(books[4]?.annotation).toContain('Жаһанның');
    expect(books[5]?.quote).toBe('Менің елім — менің тағдырым.');
  });

  it('lists broken rows with their number and reason', () => {
    const t = table(parseFixture('broken.csv'));
    const rows = toCandidates(t, null);
    const byRow = Object.fromEntries(rows.map((r) => [r.number, r]));
    expect(rows.map((r) => r.number)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(byRow[2]?.book?.annotation).toBe('Бірінші абзац; нүктелі үтір.\nЕкінші абзац.');
    expect(byRow[3]?.book).toBeNull();
    expect(byRow[3]?.issues).toEqual([
      { code: 'fieldCount', severity: 'error', params: { found: 10, expected: 9 } },
    ]);
    expect(byRow[4]?.book?.title).toBe('Дни и ночи');
    expect(codes(byRow[4]?.issues ?? [])).toEqual(['fieldCountShort']);
    expect(byRow[5]?.book).toBeNull();
    expect(codes(byRow[5]?.issues ?? [])).toEqual(['noTitle']);
    expect(byRow[9]?.book).toBeNull();
    expect(codes(byRow[9]?.issues ?? [])).toEqual(['unclosedQuote']);
  });

  it('uses the delimiter, encoding and header setting the user picks', () => {
    const text = 'a,b;c,d\n1,2;3,4\n';
    expect(table(parse(text, 'x.csv', { delimiter: ';' })).columns).toEqual(['a,b', 'c,d']);
    expect(table(parse(text, 'x.csv', { delimiter: ',' })).columns).toEqual(['a', 'b;c', 'd']);
    const noHeader = table(parse('Абай;Қара сөздер\n', 'x.csv', { header: false }));
    expect(noHeader.columns).toEqual(['', '']);
    expect(noHeader.rows[0]).toMatchObject({ number: 1, cells: ['Абай', 'Қара сөздер'] });
    // Forcing Windows-1251 on UTF-8 bytes gives what the user asked for (they see it in the preview).
    const forced = table(parse('Заглавие\nМир\n', 'x.csv', { encoding: 'windows-1251' }));
    expect(forced.columns[0]).not.toBe('Заглавие');
  });

  it('skips empty lines but keeps counting rows', () => {
    const t = table(parse('Title;Author\n\nA;B\n;\nC;D\n'));
    expect(t.rows.map((r) => [r.number, r.cells[0]])).toEqual([
      [3, 'A'],
      [5, 'C'],
    ]);
  });

  it('refuses empty, binary, oversized and absurdly wide files, and stops at the record limit', () => {
    expect(parse('')).toMatchObject({ kind: 'rejected', issue: { code: 'empty' } });
    expect(parse(' \n\r\n')).toMatchObject({ kind: 'rejected', issue: { code: 'empty' } });
    expect(parse(fixture('garbage.mrc'), 'list.csv')).toMatchObject({
      kind: 'rejected',
      issue: { code: 'binary' },
    });
    const huge = new Uint8Array(LIMITS.fileBytes + 1).fill(0x61);
    expect(parse(huge)).toMatchObject({ kind: 'rejected', issue: { code: 'tooLarge' } });
    const wide = `${Array.from({ length: LIMITS.columns + 1 }, (_, i) => `c${i}`).join(';')}\n`;
    expect(parse(wide)).toMatchObject({ kind: 'rejected', issue: { code: 'tooManyColumns' } });
    const long = `Title\n${Array.from({ length: LIMITS.records + 50 }, (_, i) => `Book ${i}`).join('\n')}\n`;
    const t = table(parse(long));
    expect(t.rows).toHaveLength(LIMITS.records);
    expect(codes(t.issues)).toEqual(['tooManyRecords']);
  });

  it('shortens overlong values with a warning', () => {
    const t = table(parse(`Title;Annotation\nКнига;${'слово '.repeat(2000)}\n`));
    const [c] = toCandidates(t, null);
    expect(c?.book?.annotation.length).toBeLessThanOrEqual(LIMITS.field.annotation);
    expect(c?.book?.annotation.endsWith('…')).toBe(true);
    expect(c?.issues).toEqual([
      {
        code: 'shortened',
        severity: 'warning',
        params: { field: 'annotation', max: LIMITS.field.annotation },
      },
    ]);
  });

  it('maps columns the user chose instead of the guess', () => {
    const t = table(parse('Колонка 1;Колонка 2\nАбай;Қара сөздер\n'));
    const guess = guessMapping(t.columns);
    expect(guess.title).toBeNull();
    const [c] = toCandidates(t, { ...guess, author: 0, title: 1 });
    expect(c?.book).toMatchObject({ author: 'Абай', title: 'Қара сөздер' });
  });
});
