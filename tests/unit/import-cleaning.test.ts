import { describe, expect, it } from 'vitest';
import { toCandidates } from '../../src/import/mapping.ts';
import { parseFile } from '../../src/import/parse.ts';
import { DEFAULT_PARSE_OPTIONS } from '../../src/import/types.ts';

/** A UTF-8 CSV file as the importer reads it, turned into preview candidates. */
function candidates(csv: string) {
  const result = parseFile(new TextEncoder().encode(csv), 'books.csv', DEFAULT_PARSE_OPTIONS);
  return toCandidates(result, null);
}

describe('import: values changed while cleaning are noted in the preview', () => {
  it.each([
    ['около 1980', '1980', true],
    ['c2015', '2015', true],
    ['[2015?]', '2015', false],
    ['2015', '2015', false],
  ])('year %s → %s (noted: %s)', (raw, year, noted) => {
    const [row] = candidates(`Автор;Заглавие;Год\nБек;Волоколамское шоссе;${raw}\n`);
    expect(row?.book?.year).toBe(year);
    const notes = row?.issues.filter((i) => i.code === 'valueChanged') ?? [];
    expect(notes).toEqual(
      noted
        ? [
            {
              code: 'valueChanged',
              severity: 'warning',
              params: { field: 'year', from: raw, to: year },
            },
          ]
        : [],
    );
  });

  it('turns straight quotes into «ёлочки» in Russian and Kazakh text, not in English', () => {
    const rows = candidates(
      'Автор;Заглавие;Издательство\n' +
        'Толстой;"Сборник ""Повесть ""Дубровский"" и другие""";"""Эксмо"""\n' +
        'Әуезов;"""Абай жолы"" эпопеясы";Жазушы\n' +
        'Carroll;"""Alice"" in Wonderland";Penguin\n',
    );
    expect(rows.map((r) => [r.book?.title, r.book?.publisher])).toEqual([
      ['Сборник «Повесть „Дубровский“ и другие»', '«Эксмо»'],
      ['«Абай жолы» эпопеясы', 'Жазушы'],
      ['"Alice" in Wonderland', 'Penguin'],
    ]);
  });
});
