import * as Y from 'yjs';
import fastDiff from 'fast-diff';
import {
  meta,
  postsMap,
  readFlashbook,
  slidesMap,
  type FlashbookView,
  type PostView,
  type SlideView,
} from './flashbook.ts';
import { RESTORE, type Origin } from './origins.ts';
import { POST, SERVER_OWNED_POST_FIELDS, SLIDE, SLIDE_TEXT_FIELDS } from './schema.ts';

/**
 * Restoring an earlier version (a full document state kept by the server, see docs/server.md)
 * and telling what changed since.
 *
 * A restore never writes the old state over the live document. It computes, field by field, the
 * change that turns the live document into the version and applies it as ONE new transaction
 * (origin RESTORE, which the user's undo manager tracks):
 * - short texts get the minimal character edits (fast-diff), so whatever a colleague types into
 *   a part the restore does not touch survives, and a client that reconnects with offline edits
 *   merges them like any other concurrent edit: the replaced characters are deleted items, and
 *   nothing an old client sends can bring deleted items back;
 * - rich text bodies get their differing top-level blocks replaced, the equal ones kept;
 * - a post or slide deleted since the version is recreated under the SAME id (map key). Two
 *   people restoring it at once both write that one key; Yjs keeps one of the two values, so it
 *   comes back once, not twice;
 * - posts and slides added since are deleted; moved ones get their old `postId` and `order`.
 */

type YMap = Y.Map<unknown>;

export type RestoreTarget =
  { kind: 'flashbook' } | { kind: 'post'; postId: string } | { kind: 'slide'; slideId: string };

/** A version's document, opened read-only from the bytes the server sends. */
export interface VersionSnapshot {
  readonly doc: Y.Doc;
  readonly view: FlashbookView;
}

/** Opens a version (a Yjs update of a whole document) in a fresh document of its own. */
export function openVersion(update: Uint8Array): VersionSnapshot {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return { doc, view: readFlashbook(doc) };
}

/** Frees a version's document once it is no longer shown. */
export function closeVersion(version: VersionSnapshot): void {
  version.doc.destroy();
}

function asMap(value: unknown): YMap | undefined {
  return value instanceof Y.Map ? (value as YMap) : undefined;
}

const str = (m: YMap | undefined, key: string): string => {
  const v = m?.get(key);
  return typeof v === 'string' ? v : '';
};

/**
 * Applies the change that makes `target` of `live` look as it did in `version`, in one
 * transaction. Returns false (and changes nothing) when there is nothing to restore.
 */
export function restoreVersion(
  live: Y.Doc,
  version: Y.Doc,
  target: RestoreTarget,
  origin: Origin = RESTORE,
): boolean {
  let changed = false;
  const onUpdate = () => (changed = true);
  live.on('update', onUpdate);
  try {
    live.transact(() => {
      if (target.kind === 'flashbook') restoreFlashbook(live, version);
      else if (target.kind === 'post') restorePost(live, version, target.postId);
      else restoreSlide(live, version, target.slideId);
    }, origin);
  } finally {
    live.off('update', onUpdate);
  }
  return changed;
}

function restoreFlashbook(live: Y.Doc, version: Y.Doc): void {
  syncMap(meta(live), meta(version));
  const vPosts = postsMap(version);
  const lPosts = postsMap(live);
  for (const id of [...lPosts.keys()]) if (!vPosts.has(id)) lPosts.delete(id);
  vPosts.forEach((vp, id) => putPost(lPosts, id, vp));
  const vSlides = slidesMap(version);
  const lSlides = slidesMap(live);
  for (const id of [...lSlides.keys()]) if (!vSlides.has(id)) lSlides.delete(id);
  vSlides.forEach((vs, id) => putMap(lSlides, id, vs));
}

function restorePost(live: Y.Doc, version: Y.Doc, postId: string): void {
  const lSlides = slidesMap(live);
  const vSlides = slidesMap(version);
  const vPost = asMap(postsMap(version).get(postId));
  if (vPost) putPost(postsMap(live), postId, vPost);
  else postsMap(live).delete(postId);
  // The post's slides as they were, each in place and with its content.
  vSlides.forEach((vs, id) => {
    if (str(asMap(vs), SLIDE.postId) === postId) putMap(lSlides, id, vs);
  });
  // Slides that joined the post since: back to the post they were in, if it is still there;
  // otherwise they did not exist then, and go.
  for (const [id, ls] of [...lSlides.entries()]) {
    if (str(asMap(ls), SLIDE.postId) !== postId) continue;
    const vs = asMap(vSlides.get(id));
    const vsPost = str(vs, SLIDE.postId);
    if (vs && vsPost === postId) continue;
    const lm = asMap(ls);
    if (vs && lm && postsMap(live).has(vsPost)) {
      lm.set(SLIDE.postId, vsPost);
      lm.set(SLIDE.order, str(vs, SLIDE.order));
    } else lSlides.delete(id);
  }
}

function restoreSlide(live: Y.Doc, version: Y.Doc, slideId: string): void {
  const vs = asMap(slidesMap(version).get(slideId));
  if (!vs) {
    slidesMap(live).delete(slideId);
    return;
  }
  // A slide whose post was deleted since would come back "without a post": bring the post back
  // too (its own fields, not its other slides).
  const postId = str(vs, SLIDE.postId);
  const vPost = asMap(postsMap(version).get(postId));
  if (vPost && !postsMap(live).has(postId)) putPost(postsMap(live), postId, vPost);
  putMap(slidesMap(live), slideId, vs);
}

/** Makes `owner[key]` equal to the version's map `v`: in place if it exists, else a copy. */
function putMap(owner: Y.Map<YMap>, key: string, v: unknown): void {
  const vm = asMap(v);
  if (!vm) return;
  const lm = asMap(owner.get(key));
  if (lm) syncMap(lm, vm);
  else (owner as Y.Map<unknown>).set(key, vm.clone());
}

/**
 * putMap for a post, leaving its review state alone: the status and who set it belong to the
 * server (SERVER_OWNED_POST_FIELDS; a client update that writes them is refused). A post brought
 * back from a version is a new post, so it starts as a draft, like one created now.
 */
function putPost(owner: Y.Map<YMap>, key: string, v: unknown): void {
  const vm = asMap(v);
  if (!vm) return;
  const lm = asMap(owner.get(key));
  if (lm) {
    syncMap(lm, vm, SERVER_OWNED_POST_FIELDS);
    return;
  }
  const copy = vm.clone();
  for (const field of SERVER_OWNED_POST_FIELDS) copy.delete(field);
  copy.set(POST.status, 'draft');
  (owner as Y.Map<unknown>).set(key, copy);
}

function syncMap(live: YMap, version: YMap, keep: readonly string[] = []): void {
  version.forEach((v, key) => {
    if (!keep.includes(key)) syncValue(live, key, v);
  });
  for (const key of [...live.keys()]) {
    if (version.has(key) || keep.includes(key)) continue;
    const cur = live.get(key);
    // Shared types stay (emptied): deleting a Y.Text would let two clients later recreate two
    // different ones under one key (see schema.ts).
    if (cur instanceof Y.Text) syncText(cur, '');
    else if (cur instanceof Y.XmlFragment) cur.delete(0, cur.length);
    else live.delete(key);
  }
}

function syncValue(owner: YMap, key: string, v: unknown): void {
  const cur = owner.get(key);
  if (v instanceof Y.Text) {
    if (cur instanceof Y.Text && sameFormatting(cur, v)) syncText(cur, v.toString());
    else owner.set(key, v.clone());
  } else if (v instanceof Y.XmlFragment && !(v instanceof Y.XmlElement)) {
    if (cur instanceof Y.XmlFragment && !(cur instanceof Y.XmlElement)) syncFragment(cur, v);
    else owner.set(key, v.clone());
  } else if (v instanceof Y.Map) {
    if (cur instanceof Y.Map) syncMap(cur as YMap, v as YMap);
    else owner.set(key, (v as YMap).clone());
  } else if (v instanceof Y.AbstractType) {
    // Another shared type (no field of ours): replace it when it differs.
    if (!(cur instanceof Y.AbstractType) || JSON.stringify(cur.toJSON()) !== jsonOf(v)) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every shared type can clone
      owner.set(key, (v as Y.AbstractType<any>).clone());
    }
  } else if (cur instanceof Y.AbstractType || !plainEqual(cur, v)) {
    owner.set(key, v);
  }
}

const jsonOf = (v: Y.AbstractType<unknown>): string => JSON.stringify(v.toJSON());

function plainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Our short texts carry no formatting; a foreign one that does is replaced as a whole. */
function sameFormatting(a: Y.Text, b: Y.Text): boolean {
  const plain = (t: Y.Text) =>
    (t.toDelta() as { attributes?: unknown }[]).every((op) => op.attributes === undefined);
  return plain(a) && plain(b);
}

/** The minimal character edits from the text's value to `target`. */
function syncText(text: Y.Text, target: string): void {
  const current = text.toString();
  if (current === target) return;
  let index = 0;
  for (const [op, chunk] of fastDiff(current, target)) {
    if (op === fastDiff.EQUAL) index += chunk.length;
    else if (op === fastDiff.DELETE) text.delete(index, chunk.length);
    else {
      text.insert(index, chunk);
      index += chunk.length;
    }
  }
}

/** Replaces the differing top-level blocks of a rich text, keeping equal ones at both ends. */
function syncFragment(live: Y.XmlFragment, version: Y.XmlFragment): void {
  const a = live.toArray().map((n) => n.toString());
  const b = version.toArray().map((n) => n.toString());
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (endA === start && endB === start) return;
  if (endA > start) live.delete(start, endA - start);
  const copies = version
    .toArray()
    .slice(start, endB)
    .map((n) => n.clone() as Y.XmlElement | Y.XmlText);
  if (copies.length) live.insert(start, copies);
}

// ---------------------------------------------------------------------------------------------
// What changed between a version and now.

export type TextPart = { kind: 'same' | 'added' | 'removed'; text: string };

export interface FieldChange {
  /** A key of the schema: `title`, `caption`, `layout`, `body`, … */
  field: string;
  /** The value in the version and now, as plain text. */
  before: string;
  after: string;
  /** The text difference from `before` to `after`. */
  parts: TextPart[];
}

/** `added`: exists now, not in the version; `removed`: the reverse. */
export type ItemChange = 'added' | 'removed' | 'changed' | 'unchanged';

export interface SlideChange {
  id: string;
  change: ItemChange;
  /** Its post or its place in the post is not what it was. */
  moved: boolean;
  /** The post it was in (version) and is in (now), when they differ. */
  fromPostId?: string;
  toPostId?: string;
  fields: FieldChange[];
}

export interface PostChange {
  id: string;
  /** Of the post's own fields; its slides' changes are in `slides`. */
  change: ItemChange;
  moved: boolean;
  fields: FieldChange[];
  slides: SlideChange[];
}

export interface FlashbookDiff {
  /** Flashbook-wide fields (title, hashtags, format, theme, …). */
  fields: FieldChange[];
  /** Posts with any change (their own or their slides'), in the order of now, removed ones at their old place. */
  posts: PostChange[];
  /** Changes of slides without a post on either side. */
  orphanSlides: SlideChange[];
}

export function textParts(before: string, after: string): TextPart[] {
  return fastDiff(before, after).map(([op, text]) => ({
    kind: op === fastDiff.EQUAL ? 'same' : op === fastDiff.INSERT ? 'added' : 'removed',
    text,
  }));
}

function fieldChanges(
  before: Record<string, string> | undefined,
  after: Record<string, string> | undefined,
): FieldChange[] {
  const keys = Object.keys(before ?? after ?? {});
  const out: FieldChange[] = [];
  for (const field of keys) {
    const b = before?.[field] ?? '';
    const a = after?.[field] ?? '';
    if (a !== b) out.push({ field, before: b, after: a, parts: textParts(b, a) });
  }
  return out;
}

function slideFields(s: SlideView): Record<string, string> {
  const f: Record<string, string> = {
    layout: s.layout,
    library: s.library,
    ageLabel: s.ageLabel,
    image: s.image,
  };
  for (const k of SLIDE_TEXT_FIELDS) f[k] = s.fields[k];
  f[SLIDE.body] = s.bodyText;
  return f;
}

const postFields = (p: PostView): Record<string, string> => ({
  caption: p.caption,
  library: p.library,
  status: p.status,
});

function metaFields(v: FlashbookView): Record<string, string> {
  return {
    title: v.title,
    hashtags: v.hashtags,
    format: v.format,
    theme: v.theme,
    ageLabelSet: v.ageLabelSet,
    logo: v.logo,
    brandColor: v.brandColor,
  };
}

function slideChange(v: SlideView | undefined, n: SlideView | undefined): SlideChange {
  const id = (n ?? v)?.id ?? '';
  const fields = fieldChanges(v && slideFields(v), n && slideFields(n));
  const moved = !!v && !!n && (v.postId !== n.postId || v.order !== n.order);
  const change: ItemChange = !v
    ? 'added'
    : !n
      ? 'removed'
      : fields.length
        ? 'changed'
        : 'unchanged';
  const out: SlideChange = { id, change, moved, fields };
  if (v && n && v.postId !== n.postId) {
    out.fromPostId = v.postId;
    out.toPostId = n.postId;
  }
  return out;
}

const isChange = (s: SlideChange) => s.change !== 'unchanged' || s.moved;

/** What changed from `version` to `now`, post by post and slide by slide. */
export function diffViews(version: FlashbookView, now: FlashbookView): FlashbookDiff {
  const allSlides = (v: FlashbookView) =>
    new Map([...v.posts.flatMap((p) => p.slides), ...v.orphanSlides].map((s) => [s.id, s]));
  const vSlides = allSlides(version);
  const nSlides = allSlides(now);
  const vPosts = new Map(version.posts.map((p) => [p.id, p]));
  const nPosts = new Map(now.posts.map((p) => [p.id, p]));

  // Each slide change is listed under the post it is in now, or was in if it is gone.
  const byPost = new Map<string, SlideChange[]>();
  const orphanSlides: SlideChange[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const c = slideChange(vSlides.get(id), nSlides.get(id));
    if (!isChange(c)) return;
    const postId = nSlides.get(id)?.postId ?? vSlides.get(id)?.postId ?? '';
    const home = nPosts.has(postId) || vPosts.has(postId) ? postId : undefined;
    if (home === undefined) orphanSlides.push(c);
    else byPost.set(home, [...(byPost.get(home) ?? []), c]);
  };
  for (const p of now.posts) for (const s of p.slides) visit(s.id);
  for (const s of now.orphanSlides) visit(s.id);
  for (const p of version.posts) for (const s of p.slides) visit(s.id);
  for (const s of version.orphanSlides) visit(s.id);

  // Now's order, with each removed post after the post that preceded it in the version.
  const order: string[] = now.posts.map((p) => p.id);
  let last = -1;
  for (const p of version.posts) {
    if (nPosts.has(p.id)) last = order.indexOf(p.id);
    else order.splice(++last, 0, p.id);
  }

  const posts: PostChange[] = [];
  for (const id of order) {
    const v = vPosts.get(id);
    const n = nPosts.get(id);
    const fields = fieldChanges(v && postFields(v), n && postFields(n));
    const change: ItemChange = !v
      ? 'added'
      : !n
        ? 'removed'
        : fields.length
          ? 'changed'
          : 'unchanged';
    const moved = !!v && !!n && v.order !== n.order;
    const slides = byPost.get(id) ?? [];
    if (change !== 'unchanged' || moved || slides.length) {
      posts.push({ id, change, moved, fields, slides });
    }
  }
  return {
    fields: fieldChanges(metaFields(version), metaFields(now)),
    posts,
    orphanSlides,
  };
}

/** What changed from a version's document to the live one. */
export function diffVersion(version: Y.Doc, live: Y.Doc): FlashbookDiff {
  return diffViews(readFlashbook(version), readFlashbook(live));
}
