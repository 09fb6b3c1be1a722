/**
 * Hyphenation at render time: soft hyphens (U+00AD) inserted into slide text, so the browser breaks
 * long words at syllables and draws a hyphen there. The export must not depend on the browser's own
 * dictionaries (Debian's Chromium has none for Russian or Kazakh), so the rules live here: TeX
 * patterns from the `hyphen` package for Russian and English, Kazakh syllable rules (kazakh.ts).
 * Pure functions; the stored text never contains the soft hyphens.
 */
import * as ruPatterns from 'hyphen/ru';
import * as enPatterns from 'hyphen/en-us';
import { kazakhBreaks } from './kazakh.ts';
import { detectLanguage, wordScript, type TextLanguage } from './language.ts';

export const SOFT_HYPHEN = '\u00AD';

// The pattern modules are CommonJS: bundlers (Vite) hand their exports over as named ones, Node's
// own ESM loader (the server renders exhibition pages with this) only as `default`.
const commonJs = <T>(m: T): T => (m as { default?: T }).default ?? m;
const hyphenateRussian = commonJs(ruPatterns).hyphenateSync;
const hyphenateEnglish = commonJs(enPatterns).hyphenateSync;

/** Letters each side of a break: a single letter is never left at a line's end or start. */
const MIN_LEFT = 2;
const MIN_RIGHT: Record<TextLanguage, number> = { kk: 2, ru: 2, en: 3 };
/** Shorter words are never broken. */
const MIN_WORD = 5;

const cache = new Map<string, string>();

/** Break offsets from a pattern hyphenator's output (positions of its soft hyphens). */
function patternBreaks(hyphenated: string): number[] {
  const breaks: number[] = [];
  let letters = 0;
  for (const ch of hyphenated) {
    if (ch === SOFT_HYPHEN) breaks.push(letters);
    else letters += ch.length;
  }
  return breaks;
}

function breaksOf(word: string, language: TextLanguage): number[] {
  switch (language) {
    case 'kk':
      return kazakhBreaks(word);
    case 'ru':
      return patternBreaks(hyphenateRussian(word, { minWordLength: MIN_WORD }));
    case 'en':
      return patternBreaks(hyphenateEnglish(word, { minWordLength: MIN_WORD }));
  }
}

/**
 * Acronyms and mixed-case names (СССР, КазНУ, iPhone) are not words to break: a word is broken only
 * when it is lowercase, capitalised, or all capitals of at least MIN_WORD + 2 letters (a title set
 * in capitals).
 */
function breakable(word: string): boolean {
  if (word.length < MIN_WORD) return false;
  const rest = word.slice(1);
  if (rest === rest.toLowerCase()) return true;
  return word === word.toUpperCase() && word.length >= MIN_WORD + 2;
}

/** One word with soft hyphens at its allowed breaks. */
export function hyphenateWord(word: string, language: TextLanguage): string {
  if (!breakable(word)) return word;
  const key = `${language}\u0000${word}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const right = MIN_RIGHT[language];
  const breaks = breaksOf(word, language).filter((b) => b >= MIN_LEFT && word.length - b >= right);
  let out = '';
  let from = 0;
  for (const b of breaks) {
    out += word.slice(from, b) + SOFT_HYPHEN;
    from = b;
  }
  out += word.slice(from);
  if (cache.size > 20_000) cache.clear();
  cache.set(key, out);
  return out;
}

const WORD = /[\p{L}\p{M}]+/gu;

/**
 * `text` with soft hyphens in its words. `language` is the language of Cyrillic words (Kazakh or
 * Russian; detected from the text when not given); Latin words are hyphenated as English. Text that
 * already has soft hyphens is left as its author set it.
 */
export function hyphenate(text: string, language?: TextLanguage): string {
  if (text.includes(SOFT_HYPHEN)) return text;
  const cyrillic: TextLanguage = (language ?? detectLanguage(text)) === 'kk' ? 'kk' : 'ru';
  return text.replace(WORD, (word) => {
    const script = wordScript(word);
    if (script === 'latin') return hyphenateWord(word, 'en');
    if (script === 'cyrillic') return hyphenateWord(word, cyrillic);
    return word;
  });
}

/** The text without soft hyphens (what the librarian typed). */
export function withoutSoftHyphens(text: string): string {
  return text.replaceAll(SOFT_HYPHEN, '');
}
