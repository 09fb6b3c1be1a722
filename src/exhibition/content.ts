import type { FlashbookView, PostView, SlideView } from '../model/flashbook.ts';
import type { RichBlock } from '../model/richtext.ts';
import { richPlainText } from '../model/richtext.ts';
import { bibliographicDescription as describeBook } from '../typography/bibliography.ts';
import { detectLang, mainLang, type PageLang } from './lang.ts';

/**
 * The exhibition as a reader meets it, derived from the frozen flashbook: the cover slide gives the
 * title and introduction, each published post a section, each book slide an article, the closing
 * slides and the libraries named anywhere the closing section. Pure: the page, the print list and
 * the JSON-LD all read this one structure, so they never disagree about what was published.
 */
export interface Book {
  slide: SlideView;
  /** The bibliographic description (ГОСТ Р 7.0.100 pattern: Author. Title. — Place : Publisher, Year. — N p.). */
  description: string;
  /** The post whose section shows the book first (print lists it there, once). */
  sectionId: string;
}

export type SectionItem =
  | { kind: 'book'; book: Book }
  | { kind: 'quote'; slide: SlideView }
  | { kind: 'text'; slide: SlideView };

export interface Section {
  post: PostView;
  heading: string;
  /** The caption as the section shows it: without its first sentence when that is the heading. */
  caption: string;
  items: SectionItem[];
}

export interface Exhibition {
  title: string;
  lang: PageLang;
  cover: SlideView | undefined;
  /** Introduction text blocks (the cover slide's subtitle is separate: `cover.fields.subtitle`). */
  intro: RichBlock[];
  sections: Section[];
  /** Each book once, in page order. */
  books: Book[];
  closing: SlideView[];
  libraries: string[];
  /** All the page's text, for picking font subsets. */
  text: string;
}

/**
 * The full bibliographic description (ГОСТ Р 7.0.100 pattern: Author. Title. — Place : Publisher,
 * Year. — N p. — ISBN), the same rules the slides use (src/typography/bibliography.ts), in its
 * long form: a reading list names the book in full.
 */
export function bibliographicDescription(slide: SlideView, lang: PageLang): string {
  return describeBook(slide.fields, 'gost-full', lang);
}

function bookKey(s: SlideView): string {
  const f = s.fields;
  const isbn = f.isbn.replace(/[^0-9X]/gi, '');
  return isbn ? `isbn:${isbn}` : `${f.author.trim().toLowerCase()}|${f.title.trim().toLowerCase()}`;
}

function firstLine(text: string, max = 90): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? '';
  const sentence = /^(.+?[.!?…])(\s|$)/.exec(line)?.[1] ?? line;
  if ([...sentence].length <= max) return sentence;
  const cut = sentence.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

/** `postIds`: the published posts (all when null); the flashbook's order is kept. */
export function buildExhibition(
  view: FlashbookView,
  postIds: readonly string[] | null,
): Exhibition {
  const chosen = postIds ? new Set(postIds) : undefined;
  const posts = view.posts.filter((p) => !chosen || chosen.has(p.id));
  const allSlides = posts.flatMap((p) => p.slides);
  const cover = allSlides.find((s) => s.layout === 'cover');
  const texts = [
    view.title,
    ...posts.map((p) => p.caption),
    ...allSlides.flatMap((s) => [...Object.values(s.fields), s.bodyText]),
  ];
  // The page speaks the language of the flashbook's title; blocks in the other one say so.
  const lang = detectLang(view.title) ?? mainLang(texts);
  const seen = new Map<string, Book>();
  const books: Book[] = [];
  const sections: Section[] = [];
  posts.forEach((post, index) => {
    const items: SectionItem[] = [];
    for (const slide of post.slides) {
      // The covers of a post's books are its books themselves on this page.
      if (
        slide === cover ||
        slide.layout === 'closing' ||
        slide.layout === 'cover' ||
        slide.layout === 'books'
      )
        continue;
      if (slide.layout === 'book') {
        const key = bookKey(slide);
        let book = seen.get(key);
        if (!book) {
          book = { slide, description: bibliographicDescription(slide, lang), sectionId: post.id };
          seen.set(key, book);
          books.push(book);
        }
        items.push({ kind: 'book', book: { ...book, slide } });
      } else if (slide.layout === 'quote') {
        if (slide.fields.quote.trim()) items.push({ kind: 'quote', slide });
      } else if (slide.fields.title.trim() || slide.bodyText.trim()) {
        items.push({ kind: 'text', slide });
      }
    }
    const named = post.slides.find(
      (s) => s !== cover && (s.layout === 'text' || s.layout === 'cover') && s.fields.title.trim(),
    );
    const fromCaption = named ? '' : firstLine(post.caption);
    const heading = named?.fields.title.trim() || fromCaption || `${index + 1}`;
    const lead = post.caption.trimStart();
    const caption =
      fromCaption && lead.startsWith(fromCaption)
        ? lead.slice(fromCaption.length).trim()
        : post.caption;
    sections.push({ post, heading, caption, items });
  });
  const libraries = [
    ...new Set(
      [...posts.map((p) => p.library), ...allSlides.map((s) => s.library)]
        .map((l) => l.trim())
        .filter(Boolean)
        // A participating library named by its id shows as its name.
        .map((l) => view.libraries.find((lib) => lib.id === l)?.name ?? l)
        .filter(Boolean),
    ),
  ];
  return {
    title: view.title.trim() || cover?.fields.title.trim() || '',
    lang,
    cover,
    intro: cover?.body ?? [],
    sections,
    books,
    closing: allSlides.filter((s) => s.layout === 'closing'),
    libraries,
    text: texts.join('\n') + richPlainText(cover?.body ?? []),
  };
}
