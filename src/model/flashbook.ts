import * as Y from 'yjs';
import { DEFAULT_FORMAT, type Format } from './instagram.ts';
import { newId } from './ids.ts';
import { LOCAL, SERVER, type Origin } from './origins.ts';
import { placeAt, sortOrdered, type Ordered } from './order.ts';
import {
  META,
  POST,
  SCHEMA_VERSION,
  SLIDE,
  SLIDE_TEXT_FIELDS,
  type AgeLabelSet,
  type BiblioStyle,
  type Layout,
  type SlideTextField,
  LIBRARY,
  formatFocus,
  isBookLayout,
  isImageFit,
  type BookLayout,
  type Focus,
  type ImageFit,
} from './schema.ts';
import { isValidId } from './ids.ts';
import { readLibraries } from './read.ts';
import { asMap, meta, postsMap, slidesMap, str, type YMap } from './access.ts';

/**
 * A flashbook's named commands, and the model's public entry point: the UI, the session and the
 * server import from here. Reading lives in read.ts, short-text editing in text.ts, the shared
 * accessors in access.ts. Each command runs in one transaction with a typed origin. The UI never
 * touches Y types itself, except for handing a slide's rich text fragment to the editor.
 */

export { meta, postsMap, slidesMap, undoScope } from './access.ts';
export {
  FlashbookReader,
  readFlashbook,
  readSlide,
  readLibraries,
  slideLibrary,
  MAX_POST_BOOKS,
  type LibraryView,
  type FlashbookView,
  type PostView,
  type SlideView,
} from './read.ts';
export { diffText, editText, getSlideBody, getText, type Splice, type TextRef } from './text.ts';

/** The theme new flashbooks start with (restrained, for memorial topics). */
export const DEFAULT_THEME = 'memory';

export interface NewSlide {
  layout?: Layout;
  bookLayout?: BookLayout;
  library?: string;
  ageLabel?: string;
  /** Asset id of the slide's image. */
  image?: string;
  /** Initial plain values of short text fields. */
  fields?: Partial<Record<SlideTextField, string>>;
  /** Initial body as plain paragraphs. */
  body?: string[];
}

function createSlideMap(postId: string, order: string, init: NewSlide): YMap {
  const m = new Y.Map<unknown>();
  m.set(SLIDE.postId, postId);
  m.set(SLIDE.order, order);
  m.set(SLIDE.layout, init.layout ?? 'text');
  m.set(SLIDE.library, init.library ?? '');
  m.set(SLIDE.ageLabel, init.ageLabel ?? '');
  m.set(SLIDE.image, init.image ?? '');
  if (init.bookLayout) m.set(SLIDE.bookLayout, init.bookLayout);
  for (const f of SLIDE_TEXT_FIELDS) m.set(f, new Y.Text(init.fields?.[f] ?? ''));
  const body = new Y.XmlFragment();
  const paragraphs = init.body ?? [];
  body.insert(
    0,
    paragraphs.map((p) => {
      const el = new Y.XmlElement('paragraph');
      if (p) el.insert(0, [new Y.XmlText(p)]);
      return el;
    }),
  );
  m.set(SLIDE.body, body);
  return m;
}

function createPostMap(order: string, library: string): YMap {
  const m = new Y.Map<unknown>();
  m.set(POST.order, order);
  m.set(POST.caption, new Y.Text());
  m.set(POST.library, library);
  m.set(POST.status, 'draft');
  return m;
}

function orderedPosts(doc: Y.Doc): Ordered[] {
  const out: Ordered[] = [];
  postsMap(doc).forEach((m, id) => out.push({ id, order: str(asMap(m), POST.order) }));
  return sortOrdered(out);
}

function orderedSlides(doc: Y.Doc, postId: string): Ordered[] {
  const out: Ordered[] = [];
  slidesMap(doc).forEach((value, id) => {
    const m = asMap(value);
    if (m && str(m, SLIDE.postId) === postId) out.push({ id, order: str(m, SLIDE.order) });
  });
  return sortOrdered(out);
}

function applyRekeys(map: Y.Map<YMap>, rekeys: { id: string; order: string }[]): void {
  for (const r of rekeys) asMap(map.get(r.id))?.set(SLIDE.order, r.order);
}

/**
 * Writes the content of a brand-new flashbook: title, format and a first post with a cover slide.
 * Runs where the document is first created: on the server, or in the one client that creates a
 * flashbook offline (src/session/registration.ts; it is the only replica, and the server registers it
 * without seeding). Seeding a document that already exists elsewhere would duplicate its content.
 */
export function seedFlashbook(
  doc: Y.Doc,
  init: {
    title: string;
    format?: Format;
    library?: string;
    hashtags?: string;
    theme?: string;
    ageLabelSet?: AgeLabelSet;
  },
  origin: Origin = SERVER,
): void {
  doc.transact(() => {
    const m = meta(doc);
    m.set(META.title, new Y.Text(init.title));
    m.set(META.format, init.format ?? DEFAULT_FORMAT);
    m.set(META.schemaVersion, SCHEMA_VERSION);
    m.set(META.createdAt, Date.now());
    m.set(META.hashtags, new Y.Text(init.hashtags ?? ''));
    m.set(META.theme, init.theme ?? DEFAULT_THEME);
    m.set(META.ageLabelSet, init.ageLabelSet ?? 'kz');
    const postId = newId();
    const library = init.library ?? '';
    postsMap(doc).set(postId, createPostMap(placeAt([], 0).key, library));
    slidesMap(doc).set(
      newId(),
      createSlideMap(postId, placeAt([], 0).key, {
        layout: 'cover',
        library,
        fields: { title: init.title },
      }),
    );
  }, origin);
}

/** Adds a post after `afterPostId` (or at the end) with its first slide; returns both ids. */
export function addPost(
  doc: Y.Doc,
  opts: {
    afterPostId?: string;
    library?: string;
    layout?: Layout;
    /** The content of the post's first slide (by default an empty slide of `layout`). */
    first?: NewSlide;
  } = {},
  origin: Origin = LOCAL,
): { postId: string; slideId: string } {
  const postId = newId();
  const slideId = newId();
  doc.transact(() => {
    const list = orderedPosts(doc);
    const at = opts.afterPostId
      ? list.findIndex((p) => p.id === opts.afterPostId) + 1 || list.length
      : list.length;
    const { key, rekeys } = placeAt(list, at);
    applyRekeys(postsMap(doc), rekeys);
    const library = opts.library ?? '';
    postsMap(doc).set(postId, createPostMap(key, library));
    slidesMap(doc).set(
      slideId,
      createSlideMap(postId, placeAt([], 0).key, {
        layout: opts.layout ?? 'book',
        library,
        ...opts.first,
      }),
    );
  }, origin);
  return { postId, slideId };
}

/** Adds a slide to a post after `afterSlideId` (or at the end); returns its id. */
export function addSlide(
  doc: Y.Doc,
  postId: string,
  init: NewSlide & { afterSlideId?: string } = {},
  origin: Origin = LOCAL,
): string {
  const id = newId();
  doc.transact(() => {
    const list = orderedSlides(doc, postId);
    const at = init.afterSlideId
      ? list.findIndex((s) => s.id === init.afterSlideId) + 1 || list.length
      : list.length;
    const { key, rekeys } = placeAt(list, at);
    applyRekeys(slidesMap(doc), rekeys);
    slidesMap(doc).set(id, createSlideMap(postId, key, init));
  }, origin);
  return id;
}

/** Copies a slide (all fields, rich text with its formatting) right after itself; returns the copy's id. */
export function duplicateSlide(
  doc: Y.Doc,
  slideId: string,
  origin: Origin = LOCAL,
): string | undefined {
  const src = asMap(slidesMap(doc).get(slideId));
  if (!src) return undefined;
  const id = newId();
  doc.transact(() => {
    const postId = str(src, SLIDE.postId);
    const list = orderedSlides(doc, postId);
    // Place the copy in the list that still contains the original, right after it. (Placing it at
    // that index of the list without the original put it after the original's next neighbour.)
    const { key, rekeys } = placeAt(list, list.findIndex((s) => s.id === slideId) + 1);
    applyRekeys(slidesMap(doc), rekeys);
    const copy = createSlideMap(postId, key, {});
    slidesMap(doc).set(id, copy);
    for (const [k, v] of src.entries()) {
      if (k === SLIDE.order || k === SLIDE.postId) continue;
      if (v instanceof Y.Text) {
        const t = new Y.Text();
        copy.set(k, t);
        t.applyDelta(v.toDelta());
      } else if (v instanceof Y.XmlFragment) {
        const f = new Y.XmlFragment();
        copy.set(k, f);
        f.insert(
          0,
          v.toArray().map((n) => n.clone() as Y.XmlElement | Y.XmlText),
        );
      } else if (!(v instanceof Y.AbstractType)) {
        copy.set(k, v);
      }
    }
  }, origin);
  return id;
}

export function deleteSlide(doc: Y.Doc, slideId: string, origin: Origin = LOCAL): void {
  doc.transact(() => slidesMap(doc).delete(slideId), origin);
}

/** Deletes a post and its slides. */
export function deletePost(doc: Y.Doc, postId: string, origin: Origin = LOCAL): void {
  doc.transact(() => {
    for (const s of orderedSlides(doc, postId)) slidesMap(doc).delete(s.id);
    postsMap(doc).delete(postId);
  }, origin);
}

/**
 * Moves a slide to position `index` of post `postId` (counted without the slide itself). Changes
 * only `postId` and `order`, so concurrent edits of the slide's content survive the move.
 */
export function moveSlide(
  doc: Y.Doc,
  slideId: string,
  to: { postId: string; index: number },
  origin: Origin = LOCAL,
): void {
  const m = asMap(slidesMap(doc).get(slideId));
  if (!m || !asMap(postsMap(doc).get(to.postId))) return;
  doc.transact(() => {
    const list = orderedSlides(doc, to.postId).filter((s) => s.id !== slideId);
    const { key, rekeys } = placeAt(list, to.index);
    applyRekeys(slidesMap(doc), rekeys);
    if (str(m, SLIDE.postId) !== to.postId) m.set(SLIDE.postId, to.postId);
    m.set(SLIDE.order, key);
  }, origin);
}

/** Moves a post to position `index` among the posts (counted without the post itself). */
export function movePost(doc: Y.Doc, postId: string, index: number, origin: Origin = LOCAL): void {
  const m = asMap(postsMap(doc).get(postId));
  if (!m) return;
  doc.transact(() => {
    const list = orderedPosts(doc).filter((p) => p.id !== postId);
    const { key, rekeys } = placeAt(list, index);
    applyRekeys(postsMap(doc), rekeys);
    m.set(POST.order, key);
  }, origin);
}

export function setFormat(doc: Y.Doc, format: Format, origin: Origin = LOCAL): void {
  doc.transact(() => meta(doc).set(META.format, format), origin);
}

export function setSlideLayout(
  doc: Y.Doc,
  slideId: string,
  layout: Layout,
  origin: Origin = LOCAL,
): void {
  const m = asMap(slidesMap(doc).get(slideId));
  if (m) doc.transact(() => m.set(SLIDE.layout, layout), origin);
}

/** Flashbook-wide settings that are plain values (the title and hashtags are texts: see editText). */
export interface FlashbookSettings {
  theme: string;
  ageLabelSet: AgeLabelSet;
  /** Asset id or empty. */
  logo: string;
  /** `#rrggbb` or empty. */
  brandColor: string;
  biblioStyle: BiblioStyle;
  /** Whether every slide shows its library's name and logo. */
  attribution: boolean;
}

export function setFlashbookSettings(
  doc: Y.Doc,
  settings: Partial<FlashbookSettings>,
  origin: Origin = LOCAL,
): void {
  doc.transact(() => {
    const m = meta(doc);
    for (const [key, value] of Object.entries(settings)) {
      if (value !== undefined && m.get(key) !== value) m.set(key, value);
    }
  }, origin);
}

/**
 * Sets a slide's plain values: its age label, its image (an asset id; empty removes it), how the
 * image fits its frame and where it is cropped, the book layout, and the preparing library (a
 * participating library's id, or free text). Invalid values are ignored.
 */
export function setSlideValues(
  doc: Y.Doc,
  slideId: string,
  values: {
    ageLabel?: string;
    image?: string;
    imageFit?: ImageFit;
    imageFocus?: Focus;
    bookLayout?: BookLayout;
    library?: string;
  },
  origin: Origin = LOCAL,
): void {
  const m = asMap(slidesMap(doc).get(slideId));
  if (!m) return;
  doc.transact(() => {
    if (values.ageLabel !== undefined) m.set(SLIDE.ageLabel, values.ageLabel);
    if (values.image !== undefined) m.set(SLIDE.image, values.image);
    if (isImageFit(values.imageFit)) m.set(SLIDE.imageFit, values.imageFit);
    if (values.imageFocus && Number.isFinite(values.imageFocus.x + values.imageFocus.y))
      m.set(SLIDE.imageFocus, formatFocus(values.imageFocus));
    if (isBookLayout(values.bookLayout)) m.set(SLIDE.bookLayout, values.bookLayout);
    if (typeof values.library === 'string') m.set(SLIDE.library, values.library.slice(0, 200));
  }, origin);
}

/** Sets the library that prepared a post (a participating library's id, or free text). */
export function setPostLibrary(
  doc: Y.Doc,
  postId: string,
  library: string,
  origin: Origin = LOCAL,
): void {
  const m = asMap(postsMap(doc).get(postId));
  if (m) doc.transact(() => m.set(POST.library, library.slice(0, 200)), origin);
}

function librariesMap(doc: Y.Doc, create: boolean): YMap | undefined {
  const m = meta(doc);
  const existing = asMap(m.get(META.libraries));
  if (existing || !create) return existing;
  const fresh = new Y.Map<unknown>();
  m.set(META.libraries, fresh);
  return fresh;
}

/**
 * Adds a participating library (with `id`, when a workspace copies its own library in; a fresh id
 * otherwise) and returns its id. An existing entry under that id is left as it is.
 */
export function addLibrary(
  doc: Y.Doc,
  init: { name: string; place?: string; logo?: string; id?: string },
  origin: Origin = LOCAL,
): string {
  const id = init.id !== undefined && isValidId(init.id) ? init.id : newId();
  doc.transact(() => {
    const libs = librariesMap(doc, true) as YMap;
    if (asMap(libs.get(id))) return;
    const lm = new Y.Map<unknown>();
    lm.set(LIBRARY.name, new Y.Text(init.name.slice(0, 200)));
    lm.set(LIBRARY.place, new Y.Text((init.place ?? '').slice(0, 200)));
    lm.set(LIBRARY.logo, init.logo ?? '');
    libs.set(id, lm);
  }, origin);
  return id;
}

/** Sets a participating library's logo (an asset id; empty removes it). */
export function setLibraryLogo(
  doc: Y.Doc,
  libraryId: string,
  logo: string,
  origin: Origin = LOCAL,
): void {
  const lm = asMap(librariesMap(doc, false)?.get(libraryId));
  if (lm) doc.transact(() => lm.set(LIBRARY.logo, logo), origin);
}

/**
 * Removes a participating library. Posts and slides that named it keep its name, as text (an
 * attribution that shows no logo any more).
 */
export function removeLibrary(doc: Y.Doc, libraryId: string, origin: Origin = LOCAL): void {
  const libs = librariesMap(doc, false);
  const entry = asMap(libs?.get(libraryId));
  if (!libs || !entry) return;
  const name = readLibraries(doc).find((l) => l.id === libraryId)?.name ?? '';
  doc.transact(() => {
    for (const map of [postsMap(doc), slidesMap(doc)])
      map.forEach((value) => {
        const m = asMap(value);
        if (m && m.get(SLIDE.library) === libraryId) m.set(SLIDE.library, name);
      });
    libs.delete(libraryId);
  }, origin);
}
