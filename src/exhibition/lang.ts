import { detectLanguage, type TextLanguage } from '../typography/language.ts';

/**
 * Which language a piece of text is in, as far as the exhibition page needs it: Kazakh and Russian
 * mix on one page and share the Cyrillic script, so Kazakh is told by its own letters
 * (Ә Ғ Қ Ң Ө Ұ Ү Һ І), which ordinary Kazakh sentences and names practically always contain.
 */
export type PageLang = TextLanguage;

/** The language of `text`, or undefined when it has no letters to tell by (numbers, ISBNs). */
export const detectLang: (text: string) => PageLang | undefined = detectLanguage;

/** The language most of `texts` are in (by characters), `fallback` when none tells. */
export function mainLang(texts: readonly string[], fallback: PageLang = 'ru'): PageLang {
  const weight: Record<PageLang, number> = { kk: 0, ru: 0, en: 0 };
  for (const t of texts) {
    const lang = detectLang(t);
    if (lang) weight[lang] += t.length;
  }
  const best = (Object.keys(weight) as PageLang[]).sort((a, b) => weight[b] - weight[a])[0];
  return best && weight[best] > 0 ? best : fallback;
}

/** The `lang` attribute a block needs on a page in `pageLang`: only when it differs. */
export function langAttr(text: string, pageLang: PageLang): PageLang | undefined {
  const lang = detectLang(text);
  return lang && lang !== pageLang ? lang : undefined;
}
