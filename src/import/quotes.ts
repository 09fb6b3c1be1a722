import { detectLanguage } from '../typography/language.ts';

/**
 * Straight double quotes typed in spreadsheets and catalogues ("Абай жолы") as the quotation marks
 * of Russian and Kazakh typography: «ёлочки» outside, „лапки“ for a quotation inside a quotation.
 * A quote opens at the start of the text or after a space, a bracket or a dash, and closes
 * elsewhere. Text in other languages is left as it is.
 */
const OPENS_AFTER = /[\s([{«„—–-]/u;
const OUTER = ['«', '»'] as const;
const INNER = ['„', '“'] as const;

export function russianQuotes(text: string): string {
  if (!text.includes('"')) return text;
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch !== '"') {
      out += ch;
      if (ch === '«') depth = Math.max(depth, 1);
      if (ch === '»') depth = 0;
      continue;
    }
    const before = i === 0 ? ' ' : text.charAt(i - 1);
    const opening = OPENS_AFTER.test(before) || (depth > 0 && before === '"');
    if (opening && depth < 2) {
      out += depth === 0 ? OUTER[0] : INNER[0];
      depth++;
    } else if (depth > 0) {
      out += depth === 2 ? INNER[1] : OUTER[1];
      depth--;
    } else {
      out += ch; // a closing quote with nothing open: keep what was typed
    }
  }
  return out;
}

/** `text` with typographic quotes when it is Russian or Kazakh (`language`, or detected). */
export function typographicQuotes(text: string, language = detectLanguage(text)): string {
  return language === 'ru' || language === 'kk' ? russianQuotes(text) : text;
}
