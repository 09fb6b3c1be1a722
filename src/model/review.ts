import * as Y from 'yjs';
import { digest } from 'lib0/hash/sha256';
import { toBase64 } from 'lib0/buffer';
import { encodeUtf8 } from 'lib0/string';
import { asMap, postsMap, slidesMap, str } from './access.ts';
import { sortOrdered } from './order.ts';
import { POST, SERVER_OWNED_POST_FIELDS, SLIDE } from './schema.ts';

/**
 * What review needs from the document, shared by the server (which writes it at approval) and the
 * app (which compares it): a post's content digest and a comment author's id.
 */

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** A value of a post's or slide's map as canonical text; shared types by their content. */
function canonical(value: unknown): unknown {
  if (value instanceof Y.Text) return { text: value.toString() };
  if (value instanceof Y.XmlFragment) return { xml: value.toString() };
  if (value instanceof Uint8Array) return { bytes: toBase64(value) };
  if (value instanceof Y.Map) return { map: entries(value as Y.Map<unknown>, []) };
  if (value instanceof Y.Array) return { array: (value as Y.Array<unknown>).map(canonical) };
  return value === undefined ? null : value;
}

function entries(map: Y.Map<unknown>, skip: readonly string[]): [string, unknown][] {
  return [...map.keys()]
    .filter((k) => !skip.includes(k))
    .sort()
    .map((k) => [k, canonical(map.get(k))]);
}

/**
 * SHA-256 (hex) of everything a reader of the post sees: every field of the post but those the
 * server owns (status and who set it), and every field of its slides in their order. Any edit to
 * the caption or to one of its slides, adding, removing or moving one changes it; two documents
 * with the same content give the same digest on every client and on the server. `undefined` when
 * the post does not exist.
 */
export function postDigest(doc: Y.Doc, postId: string): string | undefined {
  const post = asMap(postsMap(doc).get(postId));
  if (!post) return undefined;
  const slides: { id: string; order: string; content: [string, unknown][] }[] = [];
  slidesMap(doc).forEach((value, id) => {
    const slide = asMap(value);
    if (!slide || str(slide, SLIDE.postId) !== postId) return;
    slides.push({ id, order: str(slide, SLIDE.order), content: entries(slide, [SLIDE.postId]) });
  });
  const content = {
    post: entries(post, SERVER_OWNED_POST_FIELDS),
    slides: sortOrdered(slides).map((s) => [s.id, s.content]),
  };
  return hex(digest(encodeUtf8(JSON.stringify(content))));
}

/** Whether an approved post changed since it was approved (false for posts not approved). */
export function changedSinceApproval(doc: Y.Doc, postId: string): boolean {
  const post = asMap(postsMap(doc).get(postId));
  if (!post || str(post, POST.status) !== 'approved') return false;
  return postDigest(doc, postId) !== str(post, POST.approvedDigest);
}

/**
 * The public id of a comment author: hex SHA-256 of the author's secret key. The key stays on the
 * author's device and goes to the server with the connection (`author` in the sync URL); the
 * document holds only this id, so nobody can present someone else's key.
 */
export function authorIdOf(authorKey: string): string {
  return hex(digest(encodeUtf8(authorKey)));
}
