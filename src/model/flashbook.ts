import * as Y from 'yjs';
import { DEFAULT_FORMAT, isFormat, type Format } from './instagram.ts';

/** The theme new flashbooks start with (restrained, for memorial topics). */
export const DEFAULT_THEME = 'memory';
import { newId } from './ids.ts';
import { LOCAL, SERVER, type Origin } from './origins.ts';
import { placeAt, sortOrdered, type Ordered } from './order.ts';
import { readRichText, richPlainText, type RichBlock } from './richtext.ts';
import {
  DEFAULT_BIBLIO_STYLE,
  isBiblioStyle,
  type BiblioStyle,
} from '../typography/bibliography.ts';
import {
  META,
  POST,
  ROOT,
  SCHEMA_VERSION,
  SLIDE,
  SLIDE_TEXT_FIELDS,
  isAgeLabelSet,
  isAssetId,
  isHexColor,
  isLayout,
  isPostStatus,
  type AgeLabelSet,
  type Layout,
  type PostStatus,
  type SlideTextField,
} from './schema.ts';

/**
 * Typed access to a flashbook Y.Doc and the named commands that change it. The UI calls these and
 * never touches Y types itself, except for handing a slide's rich text fragment to the editor.
 */

type YMap = Y.Map<unknown>;

export const meta = (doc: Y.Doc): YMap => doc.getMap(ROOT.meta);
export const postsMap = (doc: Y.Doc): Y.Map<YMap> => doc.getMap(ROOT.posts);
export const slidesMap = (doc: Y.Doc): Y.Map<YMap> => doc.getMap(ROOT.slides);

/** The root types whose changes the user can undo. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Y.UndoManager takes any shared type
export const undoScope = (doc: Y.Doc): Y.AbstractType<any>[] => [
  meta(doc),
  postsMap(doc),
  slidesMap(doc),
];

function str(map: YMap | undefined, key: string): string {
  const v = map?.get(key);
  return typeof v === 'string' ? v : '';
}

function text(map: YMap | undefined, key: string): string {
  const v = map?.get(key);
  return v instanceof Y.Text ? v.toString() : typeof v === 'string' ? v : '';
}

function asMap(value: unknown): YMap | undefined {
  return value instanceof Y.Map ? (value as YMap) : undefined;
}

// ---------------------------------------------------------------------------------------------
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
  posts: PostView[];
  /** Slides whose post no longer exists (deleted by someone while the slide was moved into it). */
  orphanSlides: SlideView[];
}

export function readSlide(doc: Y.Doc, id: string): SlideView | undefined {
  const m = asMap(slidesMap(doc).get(id));
  return m ? slideView(id, m) : undefined;
}

function slideView(id: string, m: YMap): SlideView {
  const fields = {} as Record<SlideTextField, string>;
  for (const f of SLIDE_TEXT_FIELDS) fields[f] = text(m, f);
  const layout = m.get(SLIDE.layout);
  const body = readRichText(m.get(SLIDE.body));
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
    posts.push({
      id,
      order: str(pm, POST.order),
      caption: text(pm, POST.caption),
      library: str(pm, POST.library),
      status: isPostStatus(status) ? status : 'draft',
      slides: sortOrdered(slidesByPost.get(id) ?? []),
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
    return view;
  }

  destroy(): void {
    slidesMap(this.doc).unobserveDeep(this.onChange);
  }
}

// ---------------------------------------------------------------------------------------------
// Commands. Each runs in one transaction with a typed origin.

export interface NewSlide {
  layout?: Layout;
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
 * Runs on the server only: a client that seeded offline would duplicate the content on sync.
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

export function setSlideLibrary(
  doc: Y.Doc,
  slideId: string,
  library: string,
  origin: Origin = LOCAL,
): void {
  const m = asMap(slidesMap(doc).get(slideId));
  if (m) doc.transact(() => m.set(SLIDE.library, library), origin);
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

/** Sets a slide's plain values: its age label or its image (an asset id; empty removes it). */
export function setSlideValues(
  doc: Y.Doc,
  slideId: string,
  values: { ageLabel?: string; image?: string },
  origin: Origin = LOCAL,
): void {
  const m = asMap(slidesMap(doc).get(slideId));
  if (!m) return;
  doc.transact(() => {
    if (values.ageLabel !== undefined) m.set(SLIDE.ageLabel, values.ageLabel);
    if (values.image !== undefined) m.set(SLIDE.image, values.image);
  }, origin);
}

// ---------------------------------------------------------------------------------------------
// Short text fields: edits are applied as minimal splices, so two people typing into the same field
// merge character by character instead of overwriting each other.

/** Where a short text field lives: the flashbook title, a post's caption or a slide's field. */
export type TextRef =
  | { kind: 'title' }
  | { kind: 'hashtags' }
  | { kind: 'caption'; postId: string }
  | { kind: 'slide'; slideId: string; field: SlideTextField };

/**
 * The Y.Text behind a reference, or undefined when it does not exist. A field missing from a slide
 * written by an older or foreign client is created on first edit (see `editText`).
 */
export function getText(doc: Y.Doc, ref: TextRef): Y.Text | undefined {
  const v =
    ref.kind === 'title' || ref.kind === 'hashtags'
      ? meta(doc).get(META[ref.kind])
      : ref.kind === 'caption'
        ? asMap(postsMap(doc).get(ref.postId))?.get(POST.caption)
        : asMap(slidesMap(doc).get(ref.slideId))?.get(ref.field);
  return v instanceof Y.Text ? v : undefined;
}

function ensureText(doc: Y.Doc, ref: TextRef): Y.Text | undefined {
  const existing = getText(doc, ref);
  if (existing) return existing;
  const owner =
    ref.kind === 'title' || ref.kind === 'hashtags'
      ? meta(doc)
      : ref.kind === 'caption'
        ? asMap(postsMap(doc).get(ref.postId))
        : asMap(slidesMap(doc).get(ref.slideId));
  if (!owner) return undefined;
  const key =
    ref.kind === 'title' || ref.kind === 'hashtags'
      ? META[ref.kind]
      : ref.kind === 'caption'
        ? POST.caption
        : ref.field;
  const old = owner.get(key);
  const t = new Y.Text(typeof old === 'string' ? old : '');
  owner.set(key, t);
  return t;
}

export interface Splice {
  index: number;
  remove: number;
  insert: string;
}

/**
 * The smallest splice that turns `before` into `after`. `caret` (the caret position in `after`)
 * resolves the ambiguity of repeated characters, so typing "a" into "aa" inserts where the user typed.
 */
export function diffText(before: string, after: string, caret = after.length): Splice {
  let prefix = 0;
  const maxPrefix = Math.min(before.length, after.length);
  while (prefix < maxPrefix && before[prefix] === after[prefix]) prefix++;
  // What was typed ends at the caret, so the change cannot start after caret - (chars added).
  const growth = Math.max(0, after.length - before.length);
  prefix = Math.min(prefix, Math.max(0, Math.min(caret, after.length) - growth));
  // Never cut an emoji (a UTF-16 surrogate pair) in half: Yjs replaces both halves of a split pair
  // with U+FFFD, so "😀" -> "😃" (same high surrogate) would have become "�\uDE03".
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  const maxSuffix = Math.min(before.length, after.length) - prefix;
  while (
    suffix < maxSuffix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  )
    suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    index: prefix,
    remove: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Sets a short text field to `value` by the smallest splice. */
export function editText(
  doc: Y.Doc,
  ref: TextRef,
  value: string,
  caret?: number,
  origin: Origin = LOCAL,
): void {
  doc.transact(() => {
    const t = ensureText(doc, ref);
    if (!t) return;
    const { index, remove, insert } = diffText(t.toString(), value, caret);
    if (remove > 0) t.delete(index, remove);
    if (insert) t.insert(index, insert);
  }, origin);
}

/** The rich text body of a slide, for binding to the rich text editor. */
export function getSlideBody(doc: Y.Doc, slideId: string): Y.XmlFragment | undefined {
  const v = asMap(slidesMap(doc).get(slideId))?.get(SLIDE.body);
  return v instanceof Y.XmlFragment ? v : undefined;
}
