import * as Y from 'yjs';
import { LOCAL, type Origin } from './origins.ts';
import {
  LIBRARY,
  META,
  POST,
  SLIDE,
  type LibraryTextField,
  type SlideTextField,
} from './schema.ts';
import { asMap, meta, postsMap, slidesMap } from './access.ts';

// Short text fields: edits are applied as minimal splices, so two people typing into the same field
// merge character by character instead of overwriting each other.

/** Where a short text field lives: the flashbook title, a post's caption or a slide's field. */
export type TextRef =
  | { kind: 'title' }
  | { kind: 'hashtags' }
  | { kind: 'caption'; postId: string }
  | { kind: 'slide'; slideId: string; field: SlideTextField }
  | { kind: 'library'; libraryId: string; field: LibraryTextField };

function ownerOf(doc: Y.Doc, ref: TextRef) {
  switch (ref.kind) {
    case 'title':
    case 'hashtags':
      return { map: meta(doc), key: META[ref.kind] };
    case 'caption':
      return { map: asMap(postsMap(doc).get(ref.postId)), key: POST.caption };
    case 'slide':
      return { map: asMap(slidesMap(doc).get(ref.slideId)), key: ref.field };
    case 'library':
      return {
        map: asMap(asMap(meta(doc).get(META.libraries))?.get(ref.libraryId)),
        key: LIBRARY[ref.field],
      };
  }
}

/**
 * The Y.Text behind a reference, or undefined when it does not exist. A field missing from a slide
 * written by an older or foreign client is created on first edit (see `editText`).
 */
export function getText(doc: Y.Doc, ref: TextRef): Y.Text | undefined {
  const { map, key } = ownerOf(doc, ref);
  const v = map?.get(key);
  return v instanceof Y.Text ? v : undefined;
}

function ensureText(doc: Y.Doc, ref: TextRef): Y.Text | undefined {
  const existing = getText(doc, ref);
  if (existing) return existing;
  const { map: owner, key } = ownerOf(doc, ref);
  if (!owner) return undefined;
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
