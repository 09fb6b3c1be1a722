import { describe, expect, it } from 'vitest';
import { russianQuotes, typographicQuotes } from './quotes.ts';

describe('quotation marks of Russian and Kazakh text', () => {
  it.each([
    ['Роман "Война и мир"', 'Роман «Война и мир»'],
    ['"Абай жолы" эпопеясы', '«Абай жолы» эпопеясы'],
    ['Издательство "Детская литература", 2021', 'Издательство «Детская литература», 2021'],
    ['Сборник "Повесть "Дубровский" и другие"', 'Сборник «Повесть „Дубровский“ и другие»'],
    ['""Слово" о полку"', '«„Слово“ о полку»'],
    ['Кітап («Жазушы» баспасы)', 'Кітап («Жазушы» баспасы)'],
    ['Серия — "Школьная библиотека"', 'Серия — «Школьная библиотека»'],
    ['Без кавычек', 'Без кавычек'],
    ['Дюйм 5"', 'Дюйм 5"'],
  ])('%s → %s', (input, expected) => {
    expect(russianQuotes(input)).toBe(expected);
  });

  it('applies to Russian and Kazakh text only', () => {
    expect(typographicQuotes('"Қара сөздер"')).toBe('«Қара сөздер»');
    expect(typographicQuotes('"Мастер и Маргарита"')).toBe('«Мастер и Маргарита»');
    expect(typographicQuotes('"Alice in Wonderland"')).toBe('"Alice in Wonderland"');
  });
});
