/**
 * The bibliographic line of a book slide. Libraries describe books after ГОСТ Р 7.0.100-2018
 * ("Москва : Детская литература, 2021. — 224 с."): areas separated by ". — ", the place before the
 * publisher with " : ", the year after a comma, the extent with the unit of the text's language
 * (с. in Russian, б. in Kazakh, p. in English). Elements that are missing are left out together with
 * their punctuation rather than replaced by bracketed abbreviations, which read as noise on a post.
 * The short line of earlier versions stays available.
 */
import type { TextLanguage } from './language.ts';

// The styles are part of the document schema (meta.biblioStyle), so the model declares them.
export {
  BIBLIO_STYLES,
  DEFAULT_BIBLIO_STYLE,
  isBiblioStyle,
  type BiblioStyle,
} from '../model/schema.ts';
import type { BiblioStyle } from '../model/schema.ts';

export interface BookRecord {
  author: string;
  title: string;
  publisher: string;
  place: string;
  year: string;
  pages: string;
  isbn: string;
}

const PAGE_UNIT: Record<TextLanguage, string> = { ru: 'с.', kk: 'б.', en: 'p.' };

/** A page count typed with a unit of its own ("224 с.", "432 бет", "224 pages"), or bare. */
const PAGES = /^(\d+)\s*(?:с|стр|страниц[аы]?|б|бет|p|pp|pages?)?\.?$/iu;

function extent(pages: string, language: TextLanguage): string {
  const match = PAGES.exec(pages);
  return match ? `${match[1]} ${PAGE_UNIT[language]}` : pages;
}

/** "Место : Издательство, Год" with whatever of the three is there. */
function publication(book: BookRecord): string {
  const head = [book.place, book.publisher].filter(Boolean).join(' : ');
  return [head, book.year].filter(Boolean).join(', ');
}

/** Joins areas with ". — ", never doubling the full stop an element already ends with. */
function areas(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (!part) continue;
    if (out) out += /[.!?…]$/u.test(out) ? ' — ' : '. — ';
    out += part;
  }
  if (out && !/[.!?…]$/u.test(out)) out += '.';
  return out;
}

const clean = (s: string) => s.replace(/\s+/gu, ' ').trim();

/** The bibliographic line of a book in `style`, in `language` (the text's language). */
export function bibliographicDescription(
  input: BookRecord,
  style: BiblioStyle,
  language: TextLanguage,
): string {
  const book = Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, clean(v)]),
  ) as unknown as BookRecord;
  if (style === 'short')
    return [book.publisher, book.place, book.year, book.pages].filter(Boolean).join(' · ');
  const isbn =
    style === 'gost' || !book.isbn ? '' : `ISBN ${book.isbn.replace(/^ISBN:?\s*/iu, '')}`;
  const pages = book.pages ? extent(book.pages, language) : '';
  if (style !== 'gost-full') return areas([publication(book), pages, isbn]);
  // The heading is the author as the librarian wrote it; the title follows it after a full stop.
  const heading = book.author && book.title ? areas([book.author]).replace(/\.$/u, '') : '';
  const title = [heading, book.title || book.author].filter(Boolean).join('. ');
  return areas([title, publication(book), pages, isbn]);
}
