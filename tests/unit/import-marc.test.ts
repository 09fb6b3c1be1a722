import { describe, expect, it } from 'vitest';
import { deinvertName, isbnOf, stripIsbd, yearOf } from '../../src/import/clean.ts';
import { parseFile } from '../../src/import/parse.ts';
import { DEFAULT_PARSE_OPTIONS, LIMITS } from '../../src/import/types.ts';
import { codes, fixture, parseFixture, records } from '../fixtures/import-fixtures.ts';

const parseText = (s: string, name: string) =>
  parseFile(new TextEncoder().encode(s), name, DEFAULT_PARSE_OPTIONS);

describe('MARCXML', () => {
  it('reads MARC 21 records (namespace prefix, ISBD punctuation, inverted names)', () => {
    const r = records(parseFixture('marc21.xml'));
    expect(r.records.map((x) => [x.number, x.flavour])).toEqual([
      [1, 'marc21'],
      [2, 'marc21'],
      [3, 'marc21'],
    ]);
    expect(r.records[0]?.book).toEqual({
      author: 'Александр Бек',
      title: 'Волоколамское шоссе: роман',
      publisher: 'Жазушы',
      place: 'Алматы',
      year: '1975',
      pages: '160 с.',
      isbn: '978-5-99001000-0',
      annotation:
        'Книга 1 нашего списка; о войне 1941–1945 годов. Второй абзац аннотации: «память».',
      quote: '',
      ageLabel: '6+',
      library: '',
    });
    expect(r.records.every((x) => x.issues.length === 0)).toBe(true);
  });

  it('reads RUSMARC records with Russian and Kazakh text', () => {
    const r = records(parseFixture('rusmarc.xml'));
    expect(r.records).toHaveLength(6);
    expect(r.records.every((x) => x.flavour === 'unimarc')).toBe(true);
    expect(r.records[0]?.book).toMatchObject({
      author: 'Александр Твардовский',
      title: 'Василий Тёркин: роман',
      place: 'Москва',
      publisher: 'Детская литература',
      pages: '226 с.',
      ageLabel: '12+',
    });
    expect(r.records[4]?.book).toMatchObject({
      author: 'Мұхтар Әуезов',
      title: 'Абай жолы: роман',
      annotation: 'Ақын Абай Құнанбайұлының өмірі туралы эпопея.',
    });
    expect(r.records[5]?.book?.title).toBe('Үркер: роман');
  });

  it('refuses a DOCTYPE (entity expansion, external entities) before reading anything', () => {
    for (const name of ['entities.xml', 'external-entity.xml'])
      expect(parseFixture(name)).toEqual({
        kind: 'rejected',
        format: 'marcxml',
        issue: { code: 'doctype', severity: 'error' },
      });
  });

  it('refuses deeply nested XML', () => {
    expect(parseFixture('deep.xml')).toMatchObject({
      kind: 'rejected',
      issue: { code: 'tooDeep', params: { max: LIMITS.xmlDepth } },
    });
  });

  it('keeps the records before a syntax error and says where it stopped', () => {
    const r = records(parseFixture('broken.xml'));
    expect(r.records).toHaveLength(2);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code: 'xmlBroken', severity: 'error' });
    expect(r.issues[0]?.params?.['line']).toBeGreaterThan(1);
  });

  it('refuses XML that is not MARC, or broken from the start', () => {
    expect(parseText('<html><body>hi</body></html>', 'a.xml')).toMatchObject({
      kind: 'rejected',
      issue: { code: 'noRecords' },
    });
    expect(parseText('<collection><record>&bogus;</record>', 'a.xml')).toMatchObject({
      kind: 'rejected',
      issue: { code: 'xmlBroken' },
    });
  });

  it('decodes a Windows-1251 declaration', () => {
    const xml =
      '<?xml version="1.0" encoding="windows-1251"?><collection><record><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Мир</subfield></datafield></record></collection>';
    const bytes = new Uint8Array(
      [...xml].map((c) => ({ М: 0xcc, и: 0xe8, р: 0xf0 })[c] ?? c.charCodeAt(0)),
    );
    const r = records(parseFile(bytes, 'a.xml', DEFAULT_PARSE_OPTIONS));
    expect(r.records[0]?.book?.title).toBe('Мир');
  });
});

describe('ISO 2709', () => {
  it('reads MARC 21 (UTF-8), tolerates a wrong record length and reports a truncated record', () => {
    const r = records(parseFixture('marc21.mrc'));
    expect(r.records.map((x) => x.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.records.slice(0, 5).map((x) => x.book?.title)).toEqual([
      'Волоколамское шоссе: роман',
      'Живые и мёртвые: роман',
      'В окопах Сталинграда: роман',
      'Қазақ солдаты: роман',
      'Ұшқан ұя: роман',
    ]);
    expect(r.records[3]?.book?.author).toBe('Ғабит Мүсірепов');
    expect(r.records[3]?.encoding).toBe('utf-8');
    expect(codes(r.records[3]?.issues ?? [])).toEqual(['badLength']);
    expect(r.records[5]?.book).toBeNull();
    expect(r.records[5]?.issues).toEqual([
      { code: 'truncated', severity: 'error', params: { declared: 470, actual: 235 } },
    ]);
  });

  it('reads RUSMARC in Windows-1251 (100$a/28-29 = 89) past a record cut short mid-file', () => {
    const r = records(parseFixture('rusmarc-cp1251.iso'));
    expect(r.records.map((x) => [x.number, x.encoding, x.book?.title ?? null])).toEqual([
      [1, 'windows-1251', 'Иван: роман'],
      [2, null, null],
      [3, 'windows-1251', 'Звезда: роман'],
      [4, 'windows-1251', 'Жизнь и судьба: роман'],
    ]);
    expect(r.records[0]?.book).toMatchObject({
      author: 'Владимир Богомолов',
      place: 'Алматы',
      publisher: 'Жазушы',
      pages: '270 с.',
      isbn: '978-5-99001010-9',
    });
    expect(codes(r.records[1]?.issues ?? [])).toEqual(['truncated']);
    expect(codes(r.records[3]?.issues ?? [])).toEqual(['badLength']);
  });

  it('reads RUSMARC in UTF-8 (50) and KZ-1048 data declared as Windows-1251', () => {
    const r = records(parseFixture('rusmarc-kazakh.iso'));
    expect(r.records.map((x) => x.encoding)).toEqual(['utf-8', 'utf-8', 'utf-8', 'kz-1048']);
    expect(r.records.map((x) => x.book?.title)).toEqual([
      'Қазақ солдаты: роман',
      'Ұшқан ұя: роман',
      'Абай жолы: роман',
      'Өмір мектебі: роман',
    ]);
    expect(r.records[3]?.book?.author).toBe('Сәбит Мұқанов');
    expect(r.records[3]?.book?.annotation).toContain('Жаһанның');
    expect(r.records[3]?.issues).toEqual([
      {
        code: 'encodingFallback',
        severity: 'warning',
        params: { declared: 'Windows-1251', used: 'KZ-1048' },
      },
    ]);
  });

  it('reads MARC-8 (leader/09 blank) with Cyrillic escapes and ANSEL diacritics', () => {
    const r = records(parseFixture('marc8.mrc'));
    expect(r.records[0]?.encoding).toBe('marc-8');
    expect(r.records[0]?.book).toMatchObject({
      author: 'Lev Tolstoĭ',
      title: 'Война и мир',
      place: 'Москва',
      publisher: 'Эксмо',
      year: '2010',
    });
  });

  it('reads an ISO record through the user-chosen encoding when asked', () => {
    const r = records(parseFixture('rusmarc-kazakh.iso', { encoding: 'windows-1251' }));
    // What the user asked for: the Kazakh letters come out as Windows-1251's Ј, ў, ќ.
    expect(r.records[3]?.book?.author).toBe('Сјбит Мўќанов');
  });

  it('refuses binary garbage with a MARC extension', () => {
    expect(parseFixture('garbage.mrc')).toEqual({
      kind: 'rejected',
      format: null,
      issue: { code: 'binary', severity: 'error' },
    });
  });

  it('lists records with an unreadable directory or a broken leader', () => {
    const junk = '00100nam  2200025  a 4500 this is not a directory\x1d';
    const r = parseText(`${junk}xyz\x1e\x1d`, 'a.mrc');
    expect(records(r).records.map((x) => codes(x.issues))).toEqual([
      ['badLength', 'unreadableDirectory'],
      ['badLeader'],
    ]);
  });
});

describe('cleaning catalogue values', () => {
  it.each([
    ['Волоколамское шоссе :', 'Волоколамское шоссе'],
    ['роман /', 'роман'],
    ['[Алматы]', 'Алматы'],
    ['Жазушы,', 'Жазушы'],
    ['320 p. ;', '320 p.'],
    ['Abai’s way.', 'Abai’s way'],
    ['ил.', 'ил.'],
  ])('stripIsbd(%j) = %j', (input, output) => expect(stripIsbd(input)).toBe(output));

  it.each([
    ['Ауэзов, Мухтар.', 'Мухтар Ауэзов'],
    ['Ауэзов, М. О.', 'М. О. Ауэзов'],
    ['Абай', 'Абай'],
    ['Smith, John, 1950-', 'Smith, John, 1950-'],
  ])('deinvertName(%j) = %j', (input, output) => expect(deinvertName(input)).toBe(output));

  it('finds years and ISBNs in catalogue statements', () => {
    expect(yearOf('c2015.')).toBe('2015');
    expect(yearOf('[1942?]')).toBe('1942');
    expect(isbnOf('978-601-7000-00-1 (в пер.)')).toBe('978-601-7000-00-1');
    expect(isbnOf('5-02-012345-X : 100 р.')).toBe('5-02-012345-X');
  });

  it('reads a file in chunks with progress up to 1', () => {
    const seen: number[] = [];
    parseFile(fixture('marc21.xml'), 'marc21.xml', DEFAULT_PARSE_OPTIONS, (f) => seen.push(f));
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
