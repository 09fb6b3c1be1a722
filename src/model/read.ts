import type * as Y from 'yjs';
import { DEFAULT_FORMAT, isFormat, type Format } from './instagram.ts';
import { sortOrdered, type Ordered } from './order.ts';
import { readRichText, richPlainText, type RichBlock } from './richtext.ts';
import {
  META,
  POST,
  SLIDE,
  SLIDE_TEXT_FIELDS,
  isAgeLabelSet,
  isAssetId,
  isHexColor,
  isBiblioStyle,
  DEFAULT_BIBLIO_STYLE,
  type BiblioStyle,
  isLayout,
  isPostStatus,
  type AgeLabelSet,
  type Layout,
  type PostStatus,
  type SlideTextField,
  LIBRARY,
  isBookLayout,
  isImageFit,
  parseFocus,
  type BookLayout,
  type Focus,
  type ImageFit,
} from './schema.ts';
import { isValidId } from './ids.ts';
import { asMap, meta, postsMap, slidesMap, str, text, type YMap } from './access.ts';

// Reading: plain snapshots for rendering. Defensive: whatever another client wrote, a missing or
// unknown value reads as empty or as the default, never as an exception.

export interface SlideView extends Ordered {
  postId: string;
  layout: Layout;
  library: string;
  ageLabel: string;
  /** Asset id of the slide's image (a book cover), or empty. */
  image: string;
  fields: Record<SlideTextField, string>;
  /** The rich text body, ready to render. */
  body: RichBlock[];
  /** Plain text of the rich body, for search and alt text. */
  bodyText: string;
  /** How the image fills its frame (`auto` unless the librarian chose). */
  imageFit: ImageFit;
  /** The point of the image kept in view when it is cropped (0..1 each). */
  imageFocus: Focus;
  /** Book slides: the cover beside the text (`side`) or wide above it (`wide`). */
  bookLayout: BookLayout;
  /** The `library` of the slide's post (the slide's own `library` comes first). */
  postLibrary: string;
  /**
   * A `books` slide: the book slides of its post, in order (at most MAX_POST_BOOKS), read live from
   * them. Empty for other layouts.
   */
  books: SlideView[];
}

/** The most covers a `books` slide shows (an Instagram carousel holds 10 images per post via the API). */
export const MAX_POST_BOOKS = 10;

/** A participating library (`meta.libraries`). */
export interface LibraryView {
  id: string;
  name: string;
  place: string;
  /** Asset id of its logo, or empty. */
  logo: string;
}

export interface PostView extends Ordered {
  caption: string;
  library: string;
  status: PostStatus;
  slides: SlideView[];
}

export interface FlashbookView {
  title: string;
  format: Format;
  hashtags: string;
  theme: string;
  ageLabelSet: AgeLabelSet;
  /** Asset id of the logo, or empty. */
  logo: string;
  /** `#rrggbb` or empty. */
  brandColor: string;
  biblioStyle: BiblioStyle;
  /** Participating libraries, by name (then id). */
  libraries: LibraryView[];
  /** Whether every slide shows the preparing library's name and logo. */
  attribution: boolean;
  posts: PostView[];
  /** Slides whose post no longer exists (deleted by someone while the slide was moved into it). */
  orphanSlides: SlideView[];
}

/** One slide, with what it takes from its post (its library, a `books` slide's books). */
export function readSlide(doc: Y.Doc, id: string): SlideView | undefined {
  const m = asMap(slidesMap(doc).get(id));
  if (!m) return undefined;
  const base = slideView(id, m);
  const post = asMap(postsMap(doc).get(base.postId));
  let siblings: SlideView[] = [];
  if (base.layout === 'books') {
    slidesMap(doc).forEach((value, sid) => {
      const sm = asMap(value);
      if (sm && str(sm, SLIDE.postId) === base.postId) siblings.push(slideView(sid, sm));
    });
    siblings = sortOrdered(siblings);
  }
  return derive(base, str(post, POST.library), siblings);
}

/** The participating libraries in `meta.libraries`, defensively: a wrong entry is skipped. */
export function readLibraries(doc: Y.Doc): LibraryView[] {
  const libs = asMap(meta(doc).get(META.libraries));
  const out: LibraryView[] = [];
  libs?.forEach((value, id) => {
    const lm = asMap(value);
    if (!lm || !isValidId(id)) return;
    out.push({
      id,
      name: text(lm, LIBRARY.name).trim(),
      place: text(lm, LIBRARY.place).trim(),
      logo: isAssetId(lm.get(LIBRARY.logo)) ? str(lm, LIBRARY.logo) : '',
    });
  });
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/**
 * The library a slide shows as its maker: the slide's own `library`, else its post's; a value that
 * is a participating library's id gives that library, any other value is free text (a name).
 */
export function slideLibrary(
  slide: Pick<SlideView, 'library' | 'postLibrary'>,
  libraries: readonly LibraryView[],
): LibraryView | undefined {
  const value = slide.library.trim() || slide.postLibrary.trim();
  if (!value) return undefined;
  const known = libraries.find((l) => l.id === value);
  if (known) return known.name || known.logo ? known : undefined;
  // The id of a library removed meanwhile (by someone else): not a name to show.
  if (looksLikeLibraryId(value)) return undefined;
  return { id: '', name: value, place: '', logo: '' };
}

/** A reference to a participating library rather than a name: an id of 16 or more characters. */
function looksLikeLibraryId(value: string): boolean {
  return value.length >= 16 && isValidId(value);
}

const derived = new WeakMap<SlideView, SlideView>();

/**
 * The slide view with what it takes from its post. The same object comes back as long as the base
 * view, the post's library and (for a `books` slide) the book views are the same objects, so
 * memoised renderings of unchanged slides stay as they are.
 */
function derive(base: SlideView, postLibrary: string, postSlides: readonly SlideView[]): SlideView {
  const books =
    base.layout === 'books'
      ? postSlides.filter((s) => s.layout === 'book').slice(0, MAX_POST_BOOKS)
      : [];
  if (postLibrary === base.postLibrary && books.length === 0 && base.books.length === 0)
    return base;
  const prev = derived.get(base);
  if (
    prev &&
    prev.postLibrary === postLibrary &&
    prev.books.length === books.length &&
    prev.books.every((b, i) => b === books[i])
  )
    return prev;
  const out = { ...base, postLibrary, books };
  derived.set(base, out);
  return out;
}

function slideView(id: string, m: YMap): SlideView {
  const fields = {} as Record<SlideTextField, string>;
  for (const f of SLIDE_TEXT_FIELDS) fields[f] = text(m, f);
  const layout = m.get(SLIDE.layout);
  const body = readRichText(m.get(SLIDE.body));
  const imageFit = m.get(SLIDE.imageFit);
  const bookLayout = m.get(SLIDE.bookLayout);
  return {
    id,
    order: str(m, SLIDE.order),
    postId: str(m, SLIDE.postId),
    layout: isLayout(layout) ? layout : 'text',
    library: str(m, SLIDE.library),
    ageLabel: str(m, SLIDE.ageLabel),
    image: isAssetId(m.get(SLIDE.image)) ? str(m, SLIDE.image) : '',
    fields,
    body,
    bodyText: richPlainText(body),
    imageFit: isImageFit(imageFit) ? imageFit : 'auto',
    imageFocus: parseFocus(m.get(SLIDE.imageFocus)),
    bookLayout: isBookLayout(bookLayout) ? bookLayout : 'side',
    postLibrary: '',
    books: [],
  };
}

/**
 * The whole flashbook as plain data. `readSlide` lets a caller reuse slide views it already has
 * (see FlashbookReader); by default every slide is read afresh.
 */
export function readFlashbook(
  doc: Y.Doc,
  readSlide: (id: string, m: YMap) => SlideView = slideView,
): FlashbookView {
  const m = meta(doc);
  const format = m.get(META.format);
  const slidesByPost = new Map<string, SlideView[]>();
  const allSlides: SlideView[] = [];
  slidesMap(doc).forEach((value, id) => {
    const sm = asMap(value);
    if (!sm) return;
    const s = readSlide(id, sm);
    allSlides.push(s);
    const list = slidesByPost.get(s.postId);
    if (list) list.push(s);
    else slidesByPost.set(s.postId, [s]);
  });
  const posts: PostView[] = [];
  postsMap(doc).forEach((value, id) => {
    const pm = asMap(value);
    if (!pm) return;
    const status = pm.get(POST.status);
    const library = str(pm, POST.library);
    const slides = sortOrdered(slidesByPost.get(id) ?? []);
    posts.push({
      id,
      order: str(pm, POST.order),
      caption: text(pm, POST.caption),
      library,
      status: isPostStatus(status) ? status : 'draft',
      slides: slides.map((s) => derive(s, library, slides)),
    });
  });
  const postIds = new Set(posts.map((p) => p.id));
  return {
    title: text(m, META.title),
    format: isFormat(format) ? format : DEFAULT_FORMAT,
    hashtags: text(m, META.hashtags),
    theme: str(m, META.theme),
    ageLabelSet: isAgeLabelSet(m.get(META.ageLabelSet))
      ? (m.get(META.ageLabelSet) as AgeLabelSet)
      : 'kz',
    logo: isAssetId(m.get(META.logo)) ? str(m, META.logo) : '',
    brandColor: isHexColor(m.get(META.brandColor)) ? str(m, META.brandColor) : '',
    biblioStyle: isBiblioStyle(m.get(META.biblioStyle))
      ? (m.get(META.biblioStyle) as BiblioStyle)
      : DEFAULT_BIBLIO_STYLE,
    libraries: readLibraries(doc),
    attribution: m.get(META.attribution) === true,
    posts: sortOrdered(posts),
    orphanSlides: sortOrdered(allSlides.filter((s) => !postIds.has(s.postId))),
  };
}

/**
 * Reads a flashbook again and again as it changes, re-reading only the slides that changed since
 * the last read: typing into one slide of a 200-slide flashbook costs one slide, not 200. Unchanged
 * slides keep their object identity, so memoised views of them do not re-render.
 */
export class FlashbookReader {
  private readonly cache = new Map<string, SlideView>();
  private readonly dirty = new Set<string>();

  constructor(private readonly doc: Y.Doc) {
    slidesMap(doc).observeDeep(this.onChange);
  }

  private readonly onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    for (const e of events) {
      const id = e.path[0];
      if (typeof id === 'string') this.dirty.add(id);
      // A slide added, replaced or deleted: the event is on the slides map itself.
      else for (const key of e.changes.keys.keys()) this.dirty.add(key);
    }
  };

  private libraries: LibraryView[] = [];

  read(): FlashbookView {
    const seen = new Set<string>();
    const view = readFlashbook(this.doc, (id, m) => {
      seen.add(id);
      const cached = this.cache.get(id);
      if (cached && !this.dirty.has(id)) return cached;
      const fresh = slideView(id, m);
      this.cache.set(id, fresh);
      return fresh;
    });
    this.dirty.clear();
    for (const id of this.cache.keys()) if (!seen.has(id)) this.cache.delete(id);
    // The same array while the libraries are the same, so designs built from it stay the same.
    const same =
      view.libraries.length === this.libraries.length &&
      view.libraries.every((l, i) => {
        const p = this.libraries[i];
        return p && p.id === l.id && p.name === l.name && p.place === l.place && p.logo === l.logo;
      });
    if (same) view.libraries = this.libraries;
    else this.libraries = view.libraries;
    return view;
  }

  destroy(): void {
    slidesMap(this.doc).unobserveDeep(this.onChange);
  }
}
