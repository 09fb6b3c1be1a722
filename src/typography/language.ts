/**
 * Which language a piece of slide text is in, for hyphenation and for the bibliographic
 * description. The document has no language field, so it is read from the text: letters that only
 * Kazakh has among the Cyrillic alphabets mark Kazakh; other Cyrillic text is taken as Russian and
 * Latin text as English.
 */
export type TextLanguage = 'kk' | 'ru' | 'en';

/** Letters of the Kazakh Cyrillic alphabet that Russian does not have. */
const KAZAKH_LETTERS = /[ӘәҒғҚқҢңӨөҰұҮүҺһІі]/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/** The language of `text`, or `undefined` when it has no letters to tell by. */
export function detectLanguage(text: string): TextLanguage | undefined {
  if (KAZAKH_LETTERS.test(text)) return 'kk';
  let cyrillic = 0;
  let latin = 0;
  for (const ch of text) {
    if (CYRILLIC.test(ch)) cyrillic++;
    else if (LATIN.test(ch)) latin++;
  }
  if (cyrillic === 0 && latin === 0) return undefined;
  return cyrillic >= latin ? 'ru' : 'en';
}

/** The script a single word is written in: a Latin word inside Russian text is still English. */
export function wordScript(word: string): 'cyrillic' | 'latin' | undefined {
  for (const ch of word) {
    if (CYRILLIC.test(ch)) return 'cyrillic';
    if (LATIN.test(ch)) return 'latin';
  }
  return undefined;
}

/**
 * The language of a slide as a whole: a Kazakh annotation makes the slide Kazakh even if its title
 * has no Kazakh-only letters, so the title is hyphenated by Kazakh rules too.
 */
export function slideLanguage(slide: {
  fields: Readonly<Record<string, string>>;
  bodyText: string;
}): TextLanguage | undefined {
  return detectLanguage(`${Object.values(slide.fields).join(' ')} ${slide.bodyText}`);
}
