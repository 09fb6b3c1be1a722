import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readFlashbook, seedFlashbook } from '../../src/model/flashbook.ts';
import { importPosts } from '../../src/model/import.ts';
import { AGE_LABEL_SETS } from '../../src/model/schema.ts';
import {
  emptyMapping,
  guessMapping,
  normalizeHeader,
  toCandidates,
} from '../../src/import/mapping.ts';
import {
  bookToSlide,
  clampPostSize,
  defaultSelection,
  estimateUpdateBytes,
  planImport,
  reviewCandidates,
  type PlanOptions,
} from '../../src/import/plan.ts';
import { LIMITS, emptyBook, type BookFields } from '../../src/import/types.ts';
import { parseFixture, table } from '../fixtures/import-fixtures.ts';

const altText = (b: BookFields) => `Cover of «${b.title}» by ${b.author}`;
const plan = (postSize = 10): PlanOptions => ({ postSize, library: 'Central', altText });

describe('guessMapping', () => {
  it.each([
    [
      'Russian',
      [
        '№',
        'Автор(ы)',
        'Заглавие',
        'Издательство',
        'Место издания',
        'Год издания:',
        'Кол-во страниц',
        'ISBN-13',
        'Аннотация',
        'Цитата',
        'Возрастная маркировка',
        'Библиотека',
      ],
      {
        author: 1,
        title: 2,
        publisher: 3,
        place: 4,
        year: 5,
        pages: 6,
        isbn: 7,
        annotation: 8,
        quote: 9,
        ageLabel: 10,
        library: 11,
      },
    ],
    [
      'Kazakh',
      [
        'Авторы',
        'Кітаптың атауы',
        'Баспасы',
        'Басылған жері',
        'Шыққан жылы',
        'Беттер саны',
        'ISBN',
        'Аңдатпа',
        'Дәйексөз',
        'Жас шектеуі',
        'Кітапхана',
      ],
      {
        author: 0,
        title: 1,
        publisher: 2,
        place: 3,
        year: 4,
        pages: 5,
        isbn: 6,
        annotation: 7,
        quote: 8,
        ageLabel: 9,
        library: 10,
      },
    ],
    [
      'English',
      [
        'Title',
        'Author',
        'Publisher',
        'City',
        'Year',
        'Pages',
        'ISBN',
        'Summary',
        'Quotation',
        'Age rating',
        'Library',
      ],
      {
        title: 0,
        author: 1,
        publisher: 2,
        place: 3,
        year: 4,
        pages: 5,
        isbn: 6,
        annotation: 7,
        quote: 8,
        ageLabel: 9,
        library: 10,
      },
    ],
    [
      'Russian catalogue report',
      [
        'Название книги',
        'ФИО автора',
        'Наименование издательства',
        'Город',
        'Дата издания',
        'Объём, с.',
        'Краткое содержание',
      ],
      {
        title: 0,
        author: 1,
        publisher: 2,
        place: 3,
        year: 4,
        pages: 5,
        annotation: 6,
        isbn: null,
        quote: null,
        ageLabel: null,
        library: null,
      },
    ],
  ])('guesses %s headers', (_name, headers, expected) => {
    expect(guessMapping(headers)).toEqual({ ...emptyMapping(), ...expected });
  });

  it('gives each column to one field at most, and leaves unknown columns alone', () => {
    const m = guessMapping(['Заглавие', 'Название', 'Примечание', '']);
    expect(m.title).toBe(0);
    expect(Object.values(m).filter((v) => v !== null)).toEqual([0]);
    expect(normalizeHeader(' Год  издания: ')).toBe('годиздания');
    expect(normalizeHeader('Объём')).toBe('объем');
  });
});

describe('reviewCandidates', () => {
  it('flags duplicates by ISBN and by author + title, in the file and in the flashbook', () => {
    const rows = toCandidates(table(parseFixture('broken.csv')), null);
    const reviewed = reviewCandidates(rows, {
      ageLabels: AGE_LABEL_SETS.ru,
      existing: [{ author: 'Симонов Константин', title: 'Дни и ночи', isbn: '' }],
    });
    const by = Object.fromEntries(reviewed.map((r) => [r.number, r]));
    expect(by[2]?.duplicate).toBeNull();
    expect(by[4]?.duplicate).toEqual({ by: 'authorTitle', of: null });
    expect(by[6]?.duplicate).toEqual({ by: 'isbn', of: 2 });
    expect(by[7]?.duplicate).toEqual({ by: 'authorTitle', of: 2 });
    // ISBN-10 and ISBN-13 of one book are the same book.
    const isbn10 = reviewCandidates(
      [
        {
          key: 'a',
          source: 'row',
          number: 2,
          book: { ...emptyBook(), title: 'A', isbn: '5-02-012345-X' },
          issues: [],
        },
        {
          key: 'b',
          source: 'row',
          number: 3,
          book: { ...emptyBook(), title: 'B', isbn: '978-5-02-012345-8' },
          issues: [],
        },
      ],
      { ageLabels: [], existing: [] },
    );
    expect(isbn10[1]?.duplicate).toEqual({ by: 'isbn', of: 2 });
  });

  it('keeps only age labels of the flashbook’s set, with a warning for others', () => {
    const rows = toCandidates(table(parseFixture('broken.csv')), null);
    const kz = reviewCandidates(rows, { ageLabels: AGE_LABEL_SETS.kz, existing: [] });
    const row8 = kz.find((r) => r.number === 8);
    expect(row8?.ageLabel).toBe('');
    expect(row8?.issues).toEqual([
      { code: 'ageLabelInvalid', severity: 'warning', params: { value: '21+' } },
    ]);
    expect(kz.find((r) => r.number === 2)?.ageLabel).toBe('12+');
    const book14 = {
      key: 'k',
      source: 'row' as const,
      number: 2,
      book: { ...emptyBook(), title: 'T', ageLabel: '14+' },
      issues: [],
    };
    expect(
      reviewCandidates([book14], { ageLabels: AGE_LABEL_SETS.kz, existing: [] })[0]?.ageLabel,
    ).toBe('14+');
    expect(
      reviewCandidates([book14], { ageLabels: AGE_LABEL_SETS.ru, existing: [] })[0]?.ageLabel,
    ).toBe('');
  });

  it('ticks every readable book that is not a duplicate', () => {
    const rows = toCandidates(table(parseFixture('broken.csv')), null);
    const reviewed = reviewCandidates(rows, { ageLabels: AGE_LABEL_SETS.kz, existing: [] });
    expect([...defaultSelection(reviewed)]).toEqual(['row-2', 'row-4', 'row-8']);
  });
});

describe('planImport', () => {
  const forty = () =>
    reviewCandidates(toCandidates(table(parseFixture('books-40-cp1251.csv')), null), {
      ageLabels: AGE_LABEL_SETS.kz,
      existing: [],
    });

  it('groups the selected books into posts of the chosen size, in file order', () => {
    const reviewed = forty();
    const all = defaultSelection(reviewed);
    expect(planImport(reviewed, all, plan(10)).map((p) => p.slides.length)).toEqual([
      10, 10, 10, 10,
    ]);
    expect(planImport(reviewed, all, plan(7)).map((p) => p.slides.length)).toEqual([
      7, 7, 7, 7, 7, 5,
    ]);
    all.delete('row-2');
    const posts = planImport(reviewed, all, plan(20));
    expect(posts.map((p) => p.slides.length)).toEqual([20, 19]);
    expect(posts[0]?.slides[0]?.fields?.title).toBe('Живые и мёртвые');
    expect(posts[0]?.library).toBe('Central');
    expect([clampPostSize(0), clampPostSize(99), clampPostSize(Number.NaN)]).toEqual([1, 20, 10]);
  });

  it('makes a book slide: layout, library, age label, alt text, annotation paragraphs, no image', () => {
    const book = {
      ...emptyBook(),
      author: 'Мұхтар Әуезов',
      title: 'Абай жолы',
      year: '1997',
      annotation: 'Бірінші абзац.\nЕкінші абзац.',
    };
    expect(bookToSlide(book, '12+', plan())).toEqual({
      layout: 'book',
      library: 'Central',
      ageLabel: '12+',
      image: '',
      fields: {
        author: 'Мұхтар Әуезов',
        title: 'Абай жолы',
        publisher: '',
        place: '',
        year: '1997',
        pages: '',
        isbn: '',
        quote: '',
        altText: 'Cover of «Абай жолы» by Мұхтар Әуезов',
      },
      body: ['Бірінші абзац.', 'Екінші абзац.'],
    });
    expect(bookToSlide({ ...book, library: 'Talgar' }, '', plan()).library).toBe('Talgar');
  });

  it('estimates the update size from above, so a too-big import is refused before it is sent', () => {
    const big = { ...emptyBook() };
    for (const k of Object.keys(big) as (keyof BookFields)[]) big[k] = 'Ә'.repeat(LIMITS.field[k]);
    big.ageLabel = '';
    big.annotation = Array.from({ length: 10 }, () => 'Қ'.repeat(290)).join('\n');
    const reviewed = Array.from({ length: 60 }, (_, i) => ({
      key: `r${i}`,
      source: 'row' as const,
      number: i + 2,
      book: { ...big, title: `${i}` },
      issues: [],
      duplicate: null,
      ageLabel: '',
    }));
    for (const [books, size] of [
      [reviewed, 10],
      [forty(), 10],
      [forty().slice(0, 1), 1],
    ] as const) {
      const posts = planImport(books, new Set(books.map((b) => b.key)), plan(size));
      const doc = new Y.Doc();
      seedFlashbook(doc, { title: 't' });
      const before = Y.encodeStateVector(doc);
      importPosts(doc, posts);
      const actual = Y.encodeStateAsUpdate(doc, before).length;
      expect(estimateUpdateBytes(posts)).toBeGreaterThan(actual);
      expect(estimateUpdateBytes(posts)).toBeLessThan(actual * 3 + 4000);
      expect(readFlashbook(doc).posts).toHaveLength(1 + posts.length);
    }
  });
});
