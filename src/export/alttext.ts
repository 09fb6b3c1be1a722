import type { SlideView } from '../model/flashbook.ts';
import { LIMITS } from '../model/instagram.ts';
import { bibliographicDescription } from '../typography/bibliography.ts';
import { detectLanguage, slideLanguage, type TextLanguage } from '../typography/language.ts';

/**
 * Alt text drafted from a slide when the librarian has written none: every exported image is
 * described (alt-text.txt has no blank entries). The picture is the whole slide, so the draft says
 * which post and slide it is, the layout, the book and author, and what the cover shows; then the
 * start of the slide's text. Written in the slide's own language (Kazakh, Russian or English).
 */
export interface AltTextContext {
  /** One-based number of the post in the flashbook. */
  post: number;
  /** One-based number of the slide in its post, and how many the post has. */
  slide: number;
  slides: number;
  flashbookTitle: string;
}

interface Words {
  where: (c: AltTextContext) => string;
  quoted: (s: string) => string;
  book: string;
  photo: string;
  placeholder: string;
  annotation: string;
  cover: string;
  quote: string;
  text: string;
  closing: string;
  /** A "books of this post" slide: how many covers it shows. */
  books: (n: number) => string;
}

const WORDS: Record<TextLanguage, Words> = {
  ru: {
    where: (c) => `Пост ${c.post}, слайд ${c.slide} из ${c.slides}.`,
    quoted: (s) => `«${s}»`,
    book: 'Книга',
    photo: 'На слайде фотография обложки книги.',
    placeholder: 'Вместо обложки цветная плашка с названием и автором.',
    annotation: 'Аннотация',
    cover: 'Обложка флешбука',
    quote: 'Цитата',
    text: 'Текст',
    closing: 'Заключительный слайд',
    books: (n) => `Обложки книг этого поста (${n})`,
  },
  kk: {
    where: (c) => `${c.post}-пост, ${c.slide}-слайд (барлығы ${c.slides}).`,
    quoted: (s) => `«${s}»`,
    book: 'Кітап',
    photo: 'Слайдта кітап мұқабасының суреті.',
    placeholder: 'Мұқаба орнында атауы мен авторы жазылған түсті тақта.',
    annotation: 'Аннотация',
    cover: 'Флешбук мұқабасы',
    quote: 'Дәйексөз',
    text: 'Мәтін',
    closing: 'Қорытынды слайд',
    books: (n) => `Осы посттағы кітаптардың мұқабалары (${n})`,
  },
  en: {
    where: (c) => `Post ${c.post}, slide ${c.slide} of ${c.slides}.`,
    quoted: (s) => `“${s}”`,
    book: 'Book',
    photo: 'The slide shows a photo of the book’s cover.',
    placeholder: 'In place of a cover, a coloured panel with the title and author.',
    annotation: 'Annotation',
    cover: 'Flashbook cover',
    quote: 'Quote',
    text: 'Text',
    closing: 'Closing slide',
    books: (n) => `The covers of this post's books (${n})`,
  },
};

const oneLine = (s: string) => s.replace(/\s+/gu, ' ').trim();

/** At most `max` characters, cut at a word and marked with an ellipsis. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:—–-]+$/u, '')}…`;
}

const sentence = (s: string) => (s && !/[.!?…]$/u.test(s) ? `${s}.` : s);

export function draftAltText(slide: SlideView, context: AltTextContext): string {
  const language = slideLanguage(slide) ?? detectLanguage(context.flashbookTitle) ?? 'ru';
  const w = WORDS[language];
  const f = Object.fromEntries(
    Object.entries(slide.fields).map(([k, v]) => [k, oneLine(v)]),
  ) as Record<keyof SlideView['fields'], string>;
  const body = oneLine(slide.bodyText);
  const parts: string[] = [w.where(context)];
  const titled = (label: string, title: string) =>
    sentence(title ? `${label}: ${w.quoted(title)}` : label);
  switch (slide.layout) {
    case 'book': {
      const who = [f.author, f.title ? w.quoted(f.title) : ''].filter(Boolean).join(', ');
      parts.push(sentence(who ? `${w.book}: ${who}` : w.book));
      const biblio = bibliographicDescription(f, 'gost', language);
      if (biblio) parts.push(sentence(biblio));
      parts.push(slide.image ? w.photo : w.placeholder);
      if (body) parts.push(`${w.annotation}: ${body}`);
      break;
    }
    case 'cover':
      parts.push(titled(w.cover, f.title || context.flashbookTitle));
      if (f.subtitle) parts.push(sentence(f.subtitle));
      if (body) parts.push(body);
      break;
    case 'quote':
      parts.push(
        sentence(
          `${f.quote ? `${w.quote}: ${w.quoted(f.quote)}` : w.quote}${f.quoteSource ? ` — ${f.quoteSource}` : ''}`,
        ),
      );
      break;
    case 'books': {
      if (f.title) parts.push(sentence(f.title));
      const list = slide.books
        .map((b) => [
          oneLine(b.fields.author),
          b.fields.title ? w.quoted(oneLine(b.fields.title)) : '',
        ])
        .map((p) => p.filter(Boolean).join(', '))
        .filter(Boolean);
      parts.push(
        sentence(`${w.books(slide.books.length)}${list.length ? `: ${list.join('; ')}` : ''}`),
      );
      break;
    }
    case 'text':
    case 'closing':
      parts.push(titled(slide.layout === 'text' ? w.text : w.closing, f.title));
      if (body) parts.push(body);
      break;
  }
  return shorten(parts.join(' '), Math.min(LIMITS.altTextChars, 600));
}
