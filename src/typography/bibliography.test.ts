import { describe, expect, it } from 'vitest';
import { bibliographicDescription, type BookRecord } from './bibliography.ts';

const empty: BookRecord = {
  author: '',
  title: '',
  publisher: '',
  place: '',
  year: '',
  pages: '',
  isbn: '',
};
const alice: BookRecord = {
  author: 'Кэрролл Льюис',
  title: 'Приключения Алисы в Стране чудес',
  publisher: 'Детская литература',
  place: 'Москва',
  year: '2021',
  pages: '224',
  isbn: '978-5-08-006498-2',
};
const abai: BookRecord = {
  author: 'Абай Құнанбайұлы',
  title: 'Қара сөздер',
  publisher: 'Жазушы',
  place: 'Алматы',
  year: '2020',
  pages: '224',
  isbn: '978-601-200-123-4',
};
const english: BookRecord = {
  author: 'Lewis Carroll',
  title: 'Alice’s Adventures in Wonderland',
  publisher: 'Penguin',
  place: 'London',
  year: '2015',
  pages: '160',
  isbn: '',
};

describe('bibliographic description', () => {
  it.each([
    ['Russian', alice, 'gost', 'ru', 'Москва : Детская литература, 2021. — 224 с.'],
    ['Kazakh', abai, 'gost', 'kk', 'Алматы : Жазушы, 2020. — 224 б.'],
    ['English', english, 'gost', 'en', 'London : Penguin, 2015. — 160 p.'],
    [
      'Russian with ISBN',
      alice,
      'gost-isbn',
      'ru',
      'Москва : Детская литература, 2021. — 224 с. — ISBN 978-5-08-006498-2.',
    ],
    ['ISBN asked for but missing', english, 'gost-isbn', 'en', 'London : Penguin, 2015. — 160 p.'],
    [
      'author heading (Kazakh)',
      abai,
      'gost-full',
      'kk',
      'Абай Құнанбайұлы. Қара сөздер. — Алматы : Жазушы, 2020. — 224 б. — ISBN 978-601-200-123-4.',
    ],
    [
      'several authors, as written',
      { ...alice, author: 'Ильф И., Петров Е.', title: 'Двенадцать стульев', isbn: '' },
      'gost-full',
      'ru',
      'Ильф И., Петров Е. Двенадцать стульев. — Москва : Детская литература, 2021. — 224 с.',
    ],
    ['short line kept', alice, 'short', 'ru', 'Детская литература · Москва · 2021 · 224'],
    ['no place', { ...alice, place: '' }, 'gost', 'ru', 'Детская литература, 2021. — 224 с.'],
    ['no publisher', { ...alice, publisher: '' }, 'gost', 'ru', 'Москва, 2021. — 224 с.'],
    ['no year', { ...alice, year: '' }, 'gost', 'ru', 'Москва : Детская литература. — 224 с.'],
    ['only pages', { ...empty, pages: '96' }, 'gost', 'kk', '96 б.'],
    ['no pages', { ...alice, pages: '' }, 'gost', 'ru', 'Москва : Детская литература, 2021.'],
    [
      'pages typed with a unit',
      { ...abai, pages: '432 бет' },
      'gost',
      'kk',
      'Алматы : Жазушы, 2020. — 432 б.',
    ],
    [
      'pages with the unit already',
      { ...alice, pages: '224 с.' },
      'gost',
      'ru',
      'Москва : Детская литература, 2021. — 224 с.',
    ],
    [
      'pages that are not a count',
      { ...alice, pages: '2 т.' },
      'gost',
      'ru',
      'Москва : Детская литература, 2021. — 2 т.',
    ],
    ['nothing at all', empty, 'gost-full', 'ru', ''],
    [
      'ISBN typed with its prefix',
      { ...alice, isbn: 'ISBN 978-5-08-006498-2' },
      'gost-isbn',
      'ru',
      'Москва : Детская литература, 2021. — 224 с. — ISBN 978-5-08-006498-2.',
    ],
    [
      'stray spaces',
      { ...alice, place: ' Москва ', publisher: 'Детская  литература' },
      'gost',
      'ru',
      'Москва : Детская литература, 2021. — 224 с.',
    ],
  ] as const)('%s', (_, book, style, language, expected) => {
    expect(bibliographicDescription(book, style, language)).toBe(expected);
  });
});
