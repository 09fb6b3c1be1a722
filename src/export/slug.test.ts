import { describe, expect, it } from 'vitest';
import { ordinal, safeFileName, slugify, transliterate } from './slug.ts';

describe('slugify', () => {
  it.each([
    ['Литература Казахстана о войне 1941–1945', 'literatura-kazakhstana-o-voyne-1941-1945'],
    ['Соғыс жылдарының әдебиеті', 'sogys-zhyldarynyng-adebieti'],
    ['ӘҒҚҢӨҰҮҺІ әғқңөұүһі', 'agqngouuhi-agqngouuhi'],
    ['Щедрин: «Ёж» и Эхо', 'shchedrin-yozh-i-ekho'],
    ['Café Ünïcödé straße', 'cafe-unicode-strasse'],
    ['  ...Война!!!  ', 'voyna'],
    ['Book/Part\\2: <One>|"Two"?*', 'book-part-2-one-two'],
    ['📚🎖️', 'untitled'],
    ['', 'untitled'],
  ])('%s → %s', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it('keeps names short, cutting at a word boundary', () => {
    const slug = slugify('Абай Құнанбайұлы. Қара сөздер. Өлеңдер мен поэмалар жинағы', {
      maxLength: 30,
    });
    expect(slug.length).toBeLessThanOrEqual(30);
    expect(slug).toBe('abay-qunanbayuly-qara-sozder');
  });

  it('never gives a name Windows reserves', () => {
    for (const name of ['Con', 'PRN', 'aux', 'Nul', 'com1', 'LPT9'])
      expect(slugify(name)).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
    expect(slugify('Con')).toBe('con_');
  });

  it('uses the fallback when nothing is left', () => {
    expect(slugify('!!!', { fallback: 'post' })).toBe('post');
  });

  it('transliterates only to lowercase ASCII', () => {
    expect(transliterate('Жамбыл Жабаев — Ленинградцы, дети мои!')).toMatch(/^[a-z0-9 ]*$/);
  });
});

describe('safeFileName', () => {
  it.each([
    ['report.', 'report'],
    ['report . . ', 'report'],
    ['a:b*c?.txt', 'a-b-c-.txt'],
    ['CON.txt', 'CON_.txt'],
    ['lpt1', 'lpt1_'],
    ['..', 'untitled'],
    ['tab\there', 'tab-here'],
    ['Қазақ әдебиеті.zip', 'Қазақ әдебиеті.zip'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });
});

describe('ordinal', () => {
  it('pads to two digits, more when needed', () => {
    expect(ordinal(0)).toBe('01');
    expect(ordinal(9)).toBe('10');
    expect(ordinal(4, 120)).toBe('005');
  });
});
