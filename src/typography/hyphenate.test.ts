import { describe, expect, it } from 'vitest';
import { kazakhBreaks } from './kazakh.ts';
import { SOFT_HYPHEN, hyphenate, hyphenateWord, withoutSoftHyphens } from './hyphenate.ts';
import { detectLanguage } from './language.ts';

/** A word with its breaks shown as "-". */
function show(word: string, breaks: number[]): string {
  let out = '';
  let from = 0;
  for (const b of breaks) {
    out += `${word.slice(from, b)}-`;
    from = b;
  }
  return out + word.slice(from);
}

const shown = (s: string) => s.replaceAll(SOFT_HYPHEN, '-');

describe('Kazakh syllable breaks', () => {
  it.each([
    ['Ленинградтық', 'Ле-нин-град-тық'],
    ['өренім', 'өре-нім'],
    ['энциклопедия', 'эн-цик-ло-пе-дия'],
    ['балаларға', 'ба-ла-лар-ға'],
    ['Қазақстан', 'Қа-зақ-стан'],
    ['соғыс', 'со-ғыс'],
    ['кітапхана', 'кі-тап-ха-на'],
    ['мектеп', 'мек-теп'],
    ['оқушылар', 'оқу-шы-лар'],
    ['Наурыз', 'Нау-рыз'],
    ['тауы', 'та-уы'],
    ['айтты', 'айт-ты'],
    ['әдебиет', 'әде-би-ет'],
    ['Жеңіс', 'Же-ңіс'],
    ['ауыл', 'ауыл'],
    ['Абай', 'Абай'],
    ['ұлы', 'ұлы'],
    ['шығармалары', 'шы-ғар-ма-ла-ры'],
    ['естеліктер', 'ес-те-лік-тер'],
    ['жауынгерлер', 'жа-уын-гер-лер'],
    ['ертегілер', 'ер-те-гі-лер'],
    ['пальто', 'паль-то'],
    ['объектив', 'объ-ек-тив'],
  ])('%s → %s', (word, expected) => {
    expect(show(word, kazakhBreaks(word))).toBe(expected);
  });

  it('never leaves one letter alone at either end', () => {
    for (const word of ['ауа', 'оқиға', 'әке', 'ия', 'энциклопедия', 'өренім', 'ою']) {
      for (const b of kazakhBreaks(word)) {
        expect(b).toBeGreaterThanOrEqual(2);
        expect(word.length - b).toBeGreaterThanOrEqual(2);
      }
    }
  });
});

describe('hyphenate', () => {
  it.each([
    ['воспоминания', 'ru', 'вос-по-ми-на-ния'],
    ['Приключения Алисы', 'ru', 'При-клю-че-ния Али-сы'],
    ['энциклопедия', 'ru', 'эн-цик-ло-пе-дия'],
    ['Ленинградтық өренім', 'kk', 'Ле-нин-град-тық өре-нім'],
    ['encyclopedia', 'en', 'en-cy-clo-pe-dia'],
  ] as const)('%s (%s)', (text, language, expected) => {
    expect(shown(hyphenate(text, language))).toBe(expected);
  });

  it('detects Kazakh by its own letters and applies it to every Cyrillic word', () => {
    expect(shown(hyphenate('Қазақстан балалары'))).toBe('Қа-зақ-стан ба-ла-ла-ры');
    expect(shown(hyphenate('воспоминания'))).toBe('вос-по-ми-на-ния');
  });

  it('hyphenates Latin words in Russian text as English', () => {
    expect(shown(hyphenate('Книга «Encyclopedia»', 'ru'))).toBe('Кни-га «En-cy-clo-pe-dia»');
  });

  it('keeps punctuation, digits and spacing, and removes cleanly', () => {
    const text = 'Война и мир, 1869 г. — роман-эпопея.';
    const out = hyphenate(text, 'ru');
    expect(withoutSoftHyphens(out)).toBe(text);
    expect(out).not.toBe(text);
  });

  it('leaves acronyms, short words and mixed-case names alone', () => {
    expect(hyphenate('СССР КазНУ iPhone мир', 'ru')).toBe('СССР КазНУ iPhone мир');
  });

  it('breaks a title set in capitals', () => {
    expect(shown(hyphenateWord('ВОСПОМИНАНИЯ', 'ru'))).toBe('ВОС-ПО-МИ-НА-НИЯ');
  });

  it('never leaves one letter at a line start or end in any language', () => {
    const words = ['Ёлка', 'объявление', 'Ульяна', 'ария', 'оқиға', 'idea', 'amazing'];
    for (const w of words)
      for (const lang of ['ru', 'kk', 'en'] as const) {
        const parts = hyphenateWord(w, lang).split(SOFT_HYPHEN);
        expect(parts[0]!.length).toBeGreaterThanOrEqual(2);
        expect(parts.at(-1)!.length).toBeGreaterThanOrEqual(2);
      }
  });
});

describe('detectLanguage', () => {
  it.each([
    ['Жеңіс күні', 'kk'],
    ['Ленинград', 'ru'],
    ['Alice in Wonderland', 'en'],
    ['1941–1945', undefined],
  ] as const)('%s → %s', (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });
});
