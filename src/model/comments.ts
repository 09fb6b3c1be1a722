import * as Y from 'yjs';
import { asMap, postsMap, slidesMap, str, type YMap } from './access.ts';
import { newId } from './ids.ts';
import { LOCAL, type Origin } from './origins.ts';
import {
  MESSAGE,
  POST,
  ROOT,
  SLIDE,
  SLIDE_TEXT_FIELDS,
  THREAD,
  type SlideTextField,
} from './schema.ts';

/**
 * Review comment threads (root `comments`, docs/document-schema.md): starting a thread on a slide
 * or on a range of one of its fields, replying, resolving, editing and deleting one's own message,
 * and reading them back defensively. Every command is one transaction (origin LOCAL by default).
 *
 * A range is a pair of Yjs relative positions, so it follows the text on every client: the start
 * sticks to the first selected character and the end to the last, so text typed just before or
 * just after the range stays outside it, text typed inside it is in it.
 */

export const commentsMap = (doc: Y.Doc): Y.Map<YMap> => doc.getMap(ROOT.comments);

/** Where a thread's range can be: a short text field of the slide, its rich body, its post's caption. */
export type CommentField = SlideTextField | 'body' | 'caption';

export function isCommentField(value: unknown): value is CommentField {
  return (
    value === 'body' ||
    value === 'caption' ||
    (SLIDE_TEXT_FIELDS as readonly unknown[]).includes(value)
  );
}

/** Who writes a message: the public id (authorIdOf of the device's secret key) and the profile. */
export interface CommentAuthor {
  id: string;
  name: string;
  library: string;
}

export type CommentTarget =
  /** The whole slide. */
  | { kind: 'slide'; slideId: string }
  /** Characters [start, end) of a short text field of the slide, or of its post's caption. */
  | { kind: 'text'; slideId: string; field: SlideTextField | 'caption'; start: number; end: number }
  /**
   * A range of the slide's rich body. The editor computes the relative positions from its
   * selection (y-prosemirror's absolutePositionToRelativePosition) and encodes them.
   */
  | {
      kind: 'body';
      slideId: string;
      anchorStart: Uint8Array;
      anchorEnd: Uint8Array;
      quote: string;
    };

export interface MessageView {
  id: string;
  text: string;
  authorId: string;
  authorName: string;
  authorLibrary: string;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
}

export interface ThreadView {
  id: string;
  slideId: string;
  /** The post of the thread's slide now, or empty when the slide is gone. */
  postId: string;
  /** Empty for a comment on the whole slide. */
  field: CommentField | '';
  quote: string;
  resolved: boolean;
  createdAt: number;
  messages: MessageView[];
}

/** The longest message text kept (longer text is cut): a comment is not a document. */
export const MAX_MESSAGE_CHARS = 4000;
/** The longest quote kept with a thread. */
export const MAX_QUOTE_CHARS = 500;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs' shared types differ in their event type
type AnyType = Y.AbstractType<any>;

const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Moves an index off the middle of a surrogate pair (an emoji): a string with half an emoji is
 * encoded by Yjs as U+FFFD for others but kept as is locally, and the clients would differ.
 */
const onCodePoint = (s: string, i: number, direction: -1 | 1) =>
  i > 0 && i < s.length && isLow(s.charCodeAt(i)) ? i + (direction < 0 ? -1 : 1) : i;

/** Without lone surrogates and cut to `max` UTF-16 units, never inside an emoji. */
const clip = (raw: string, max: number) => {
  const s = raw.replace(LONE_SURROGATE, '');
  return s.length > max ? s.slice(0, onCodePoint(s, max, -1)) : s;
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The Y.Text of a short field of a slide, or of the caption of the slide's post. */
export function fieldText(
  doc: Y.Doc,
  slideId: string,
  field: SlideTextField | 'caption',
): Y.Text | undefined {
  const slide = asMap(slidesMap(doc).get(slideId));
  if (!slide) return undefined;
  const owner = field === 'caption' ? asMap(postsMap(doc).get(str(slide, SLIDE.postId))) : slide;
  const v = owner?.get(field === 'caption' ? POST.caption : field);
  return v instanceof Y.Text ? v : undefined;
}

function bodyOf(doc: Y.Doc, slideId: string): Y.XmlFragment | undefined {
  const v = asMap(slidesMap(doc).get(slideId))?.get(SLIDE.body);
  return v instanceof Y.XmlFragment ? v : undefined;
}

function messageMap(text: string, author: CommentAuthor, now: number): YMap {
  const m = new Y.Map<unknown>();
  m.set(MESSAGE.id, newId());
  m.set(MESSAGE.text, clip(text, MAX_MESSAGE_CHARS));
  m.set(MESSAGE.authorName, author.name);
  m.set(MESSAGE.authorLibrary, author.library);
  m.set(MESSAGE.authorId, author.id);
  m.set(MESSAGE.createdAt, now);
  return m;
}

/**
 * Starts a thread with its first message. Returns the thread id, or undefined when the slide (or
 * the field, or a non-empty range in it) does not exist: nothing is written then.
 */
export function startThread(
  doc: Y.Doc,
  target: CommentTarget,
  text: string,
  author: CommentAuthor,
  now = Date.now(),
  origin: Origin = LOCAL,
): string | undefined {
  if (!asMap(slidesMap(doc).get(target.slideId))) return undefined;
  let field: CommentField | '' = '';
  let anchorStart: Uint8Array | undefined;
  let anchorEnd: Uint8Array | undefined;
  let quote = '';
  if (target.kind === 'text') {
    const t = fieldText(doc, target.slideId, target.field);
    if (!t) return undefined;
    const value = t.toString();
    const start = onCodePoint(value, Math.max(0, Math.min(target.start, t.length)), -1);
    const end = onCodePoint(value, Math.max(start, Math.min(target.end, t.length)), 1);
    if (end <= start) return undefined;
    field = target.field;
    // The start sticks to the first character of the range, the end to the last one.
    anchorStart = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, start, 0));
    anchorEnd = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, end, -1));
    quote = value.slice(start, end);
  } else if (target.kind === 'body') {
    if (!bodyOf(doc, target.slideId)) return undefined;
    field = 'body';
    anchorStart = target.anchorStart;
    anchorEnd = target.anchorEnd;
    quote = target.quote;
  }
  const id = newId();
  doc.transact(() => {
    const thread = new Y.Map<unknown>();
    thread.set(THREAD.slideId, target.slideId);
    thread.set(THREAD.field, field);
    if (anchorStart && anchorEnd) {
      thread.set(THREAD.anchorStart, anchorStart);
      thread.set(THREAD.anchorEnd, anchorEnd);
    }
    thread.set(THREAD.quote, clip(quote, MAX_QUOTE_CHARS));
    thread.set(THREAD.resolved, false);
    thread.set(THREAD.createdAt, now);
    const messages = new Y.Array<YMap>();
    messages.push([messageMap(text, author, now)]);
    thread.set(THREAD.messages, messages);
    commentsMap(doc).set(id, thread);
  }, origin);
  return id;
}

function messagesOf(thread: YMap | undefined): Y.Array<unknown> | undefined {
  const v = thread?.get(THREAD.messages);
  return v instanceof Y.Array ? (v as Y.Array<unknown>) : undefined;
}

/** Adds a reply at the end of a thread. Returns the message id, or undefined without the thread. */
export function reply(
  doc: Y.Doc,
  threadId: string,
  text: string,
  author: CommentAuthor,
  now = Date.now(),
  origin: Origin = LOCAL,
): string | undefined {
  const messages = messagesOf(asMap(commentsMap(doc).get(threadId)));
  if (!messages) return undefined;
  const m = messageMap(text, author, now);
  doc.transact(() => messages.push([m]), origin);
  return m.get(MESSAGE.id) as string;
}

/** Resolves or reopens a thread. False when there is no such thread. */
export function setResolved(
  doc: Y.Doc,
  threadId: string,
  resolved: boolean,
  origin: Origin = LOCAL,
): boolean {
  const thread = asMap(commentsMap(doc).get(threadId));
  if (!thread) return false;
  if (thread.get(THREAD.resolved) !== resolved)
    doc.transact(() => thread.set(THREAD.resolved, resolved), origin);
  return true;
}

function ownMessage(doc: Y.Doc, threadId: string, messageId: string, authorId: string) {
  const messages = messagesOf(asMap(commentsMap(doc).get(threadId)));
  if (!messages) return undefined;
  for (const item of messages) {
    const m = asMap(item);
    if (m && m.get(MESSAGE.id) === messageId)
      return str(m, MESSAGE.authorId) === authorId && authorId !== '' && !m.get(MESSAGE.deleted)
        ? m
        : undefined;
  }
  return undefined;
}

/**
 * Changes the text of one's own message (the server refuses a change to someone else's). False
 * when the message is not there, is deleted, or belongs to another author.
 */
export function editMessage(
  doc: Y.Doc,
  threadId: string,
  messageId: string,
  text: string,
  authorId: string,
  now = Date.now(),
  origin: Origin = LOCAL,
): boolean {
  const m = ownMessage(doc, threadId, messageId, authorId);
  if (!m) return false;
  doc.transact(() => {
    m.set(MESSAGE.text, clip(text, MAX_MESSAGE_CHARS));
    m.set(MESSAGE.editedAt, now);
  }, origin);
  return true;
}

/** Deletes one's own message: its text is emptied and it keeps its place in the thread. */
export function deleteMessage(
  doc: Y.Doc,
  threadId: string,
  messageId: string,
  authorId: string,
  origin: Origin = LOCAL,
): boolean {
  const m = ownMessage(doc, threadId, messageId, authorId);
  if (!m) return false;
  doc.transact(() => {
    m.set(MESSAGE.text, '');
    m.set(MESSAGE.deleted, true);
  }, origin);
  return true;
}

const num = (map: YMap, key: string): number => {
  const v = map.get(key);
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};

function readMessage(value: unknown): MessageView | undefined {
  const m = asMap(value);
  if (!m) return undefined;
  const editedAt = m.get(MESSAGE.editedAt);
  const deleted = m.get(MESSAGE.deleted) === true;
  return {
    id: str(m, MESSAGE.id),
    text: deleted ? '' : str(m, MESSAGE.text),
    authorId: str(m, MESSAGE.authorId),
    authorName: str(m, MESSAGE.authorName),
    authorLibrary: str(m, MESSAGE.authorLibrary),
    createdAt: num(m, MESSAGE.createdAt),
    editedAt: typeof editedAt === 'number' && Number.isFinite(editedAt) ? editedAt : null,
    deleted,
  };
}

/**
 * Every thread as a plain snapshot, oldest first (ties by id, so every client lists them alike).
 * Defensive: a thread that is not a map or has no messages array is skipped; a wrong value reads
 * as empty.
 */
export function readThreads(doc: Y.Doc): ThreadView[] {
  const threads: ThreadView[] = [];
  commentsMap(doc).forEach((value, id) => {
    const t = asMap(value);
    const messages = messagesOf(t);
    if (!t || !messages) return;
    const slideId = str(t, THREAD.slideId);
    const field = t.get(THREAD.field);
    threads.push({
      id,
      slideId,
      postId: str(asMap(slidesMap(doc).get(slideId)), SLIDE.postId),
      field: isCommentField(field) ? field : '',
      quote: str(t, THREAD.quote),
      resolved: t.get(THREAD.resolved) === true,
      createdAt: num(t, THREAD.createdAt),
      messages: messages
        .toArray()
        .map(readMessage)
        .filter((m): m is MessageView => m !== undefined),
    });
  });
  return threads.sort((a, b) =>
    a.createdAt !== b.createdAt
      ? a.createdAt - b.createdAt
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0,
  );
}

export type AnchorState =
  /** A comment on the whole slide. */
  | { kind: 'slide' }
  /**
   * The range now: `index` and `length` in the field's text (for the body: in its plain text,
   * blocks separated by "\n", see `bodyPlainText`), and the text it covers.
   */
  | { kind: 'range'; field: CommentField; index: number; length: number; text: string }
  /** Everything in the range was deleted (or its field is gone): show the quote. */
  | { kind: 'gone'; field: CommentField; quote: string };

function decode(bytes: unknown): Y.RelativePosition | undefined {
  if (!(bytes instanceof Uint8Array)) return undefined;
  try {
    return Y.decodeRelativePosition(bytes);
  } catch {
    return undefined;
  }
}

/** Whether `type` is `root` or inside it, and neither it nor a parent on the way is deleted. */
function livesIn(type: AnyType, root: AnyType): boolean {
  let t: AnyType | null = type;
  while (t) {
    if (t === root) return true;
    const item: Y.Item | null = t._item;
    if (!item || item.deleted) return false;
    t = item.parent instanceof Y.AbstractType ? (item.parent as AnyType) : null;
  }
  return false;
}

/** Where a relative position is now, or undefined when it is not in `root` any more. */
function absolute(
  doc: Y.Doc,
  rpos: Y.RelativePosition | undefined,
  root: AnyType,
): { type: AnyType; index: number } | undefined {
  if (!rpos) return undefined;
  let abs: Y.AbsolutePosition | null;
  try {
    abs = Y.createAbsolutePositionFromRelativePosition(rpos, doc);
  } catch {
    return undefined;
  }
  if (!abs || !livesIn(abs.type, root)) return undefined;
  return { type: abs.type, index: abs.index };
}

function xmlTextString(t: Y.XmlText): string {
  return (t.toDelta() as { insert?: unknown }[])
    .map((d) => (typeof d.insert === 'string' ? d.insert : '\uFFFC'))
    .join('');
}

/**
 * The plain text of a rich body in document order, text nodes of different blocks separated by
 * "\n", with the offsets of the given positions in it (a position in a text node: that node's
 * character; in an element: the start of its child at that index).
 */
export function bodyPlainText(
  fragment: Y.XmlFragment,
  probes: readonly { type: AnyType; index: number }[] = [],
): { text: string; offsets: number[] } {
  let out = '';
  let lastParent: unknown = null;
  const offsets = probes.map(() => -1);
  const mark = (type: unknown, index: number, at: number) =>
    probes.forEach((p, i) => {
      if (offsets[i] === -1 && p.type === type && p.index === index) offsets[i] = at;
    });
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    const children = node.toArray();
    children.forEach((child, i) => {
      mark(node, i, out.length);
      if (child instanceof Y.XmlText) {
        const s = xmlTextString(child);
        if (lastParent !== null && lastParent !== node && out !== '') out += '\n';
        lastParent = node;
        const base = out.length;
        probes.forEach((p, k) => {
          if (offsets[k] === -1 && p.type === child)
            offsets[k] = base + Math.min(p.index, s.length);
        });
        out += s;
      } else if (child instanceof Y.XmlElement) walk(child);
    });
    mark(node, children.length, out.length);
  };
  walk(fragment);
  return { text: out, offsets };
}

/** A plain snapshot of where a thread's range is now (same result on every client that has the same document). */
export function resolveAnchor(doc: Y.Doc, threadId: string): AnchorState | undefined {
  const t = asMap(commentsMap(doc).get(threadId));
  if (!t) return undefined;
  const field = t.get(THREAD.field);
  const slideId = str(t, THREAD.slideId);
  if (!isCommentField(field)) return { kind: 'slide' };
  const quote = str(t, THREAD.quote);
  const gone: AnchorState = { kind: 'gone', field, quote };
  const startPos = decode(t.get(THREAD.anchorStart));
  const endPos = decode(t.get(THREAD.anchorEnd));
  if (field === 'body') {
    const body = bodyOf(doc, slideId);
    if (!body) return gone;
    const a = absolute(doc, startPos, body);
    const b = absolute(doc, endPos, body);
    if (!a || !b) return gone;
    const { text, offsets } = bodyPlainText(body, [a, b]);
    const [start = -1, end = -1] = offsets;
    if (start < 0 || end <= start) return gone;
    return {
      kind: 'range',
      field,
      index: start,
      length: end - start,
      text: text.slice(start, end),
    };
  }
  const text = fieldText(doc, slideId, field);
  if (!text) return gone;
  const a = absolute(doc, startPos, text);
  const b = absolute(doc, endPos, text);
  if (!a || !b || a.type !== text || b.type !== text || b.index <= a.index) return gone;
  return {
    kind: 'range',
    field,
    index: a.index,
    length: b.index - a.index,
    text: text.toString().slice(a.index, b.index),
  };
}

/** The encoded anchors of a thread, for the editor to map into its own positions. */
export function threadAnchors(
  doc: Y.Doc,
  threadId: string,
): { start: Y.RelativePosition; end: Y.RelativePosition } | undefined {
  const t = asMap(commentsMap(doc).get(threadId));
  const start = decode(t?.get(THREAD.anchorStart));
  const end = decode(t?.get(THREAD.anchorEnd));
  return start && end ? { start, end } : undefined;
}

/** Encodes a relative position the editor computed (the UI does not call Yjs itself). */
export function encodeAnchor(rpos: Y.RelativePosition): Uint8Array {
  return Y.encodeRelativePosition(rpos);
}

/** The number of open threads per slide, for the thumbnails and post headers. */
export function openThreadCounts(threads: readonly ThreadView[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of threads) if (!t.resolved) counts.set(t.slideId, (counts.get(t.slideId) ?? 0) + 1);
  return counts;
}

/**
 * The position just before a character, from a position just after it (y-prosemirror makes its
 * positions stick to the character before them): the start of a range made from the position
 * after its first character, so text typed right before the range stays outside it.
 */
export function anchorBefore(rposAfter: Y.RelativePosition): Y.RelativePosition {
  return rposAfter.item && rposAfter.assoc < 0
    ? new Y.RelativePosition(rposAfter.type, rposAfter.tname, rposAfter.item, 0)
    : rposAfter;
}
