import en from '../i18n/locales/en.json';
import kk from '../i18n/locales/kk.json';
import ru from '../i18n/locales/ru.json';
import type { PageLang } from './lang.ts';

type PageStrings = typeof en.exhibitionPage;
export type PageKey = keyof PageStrings;

const CATALOGS: Record<PageLang, PageStrings> = {
  en: en.exhibitionPage,
  ru: ru.exhibitionPage,
  kk: kk.exhibitionPage,
};

/** The page's own words, from the app's catalogs, in the page's language (not the reader's browser's). */
export function pageStrings(lang: PageLang) {
  const catalog = CATALOGS[lang];
  return (key: PageKey, vars: Record<string, string | number> = {}): string =>
    catalog[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? ''));
}

const LOCALES: Record<PageLang, string> = { en: 'en-GB', ru: 'ru-RU', kk: 'kk-KZ' };

export function formatDate(ms: number, lang: PageLang): string {
  return new Date(ms).toLocaleDateString(LOCALES[lang], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** Every word the page itself may show in `lang` (for picking font subsets), dates included. */
export function pageChromeText(lang: PageLang, publishedAt: number): string {
  return `${Object.values(CATALOGS[lang]).join(' ')} ${formatDate(publishedAt, lang)}`;
}
