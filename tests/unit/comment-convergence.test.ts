import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  readThreads,
  reply,
  resolveAnchor,
  setResolved,
  startThread,
  type CommentAuthor,
} from '../../src/model/comments.ts';
import { addPost, editText, getText, type TextRef } from '../../src/model/flashbook.ts';
import { Network, mulberry32, seededIds } from './network.ts';

/**
 * Seeded fuzz of comment anchors: 3 clients type into a quote (before, inside and after the
 * commented range, deleting too), start threads on random ranges, reply and resolve, while the
 * in-memory network delivers in random order and peers drop off and come back. When everyone is
 * back, every thread must resolve to the same range and text on every client.
 *
 * The first thread covers the only upper-case Latin letters of the quote, and nobody types such
 * letters: whatever happened, its range must then hold exactly the upper-case letters that are
 * still in the quote, in order (the range neither lost surviving words nor swallowed the text
 * around it up to them).
 */

const ids = seededIds();
// What people type: no upper-case Latin letters (those mark the first range).
const TYPED = Array.from('abcxyzАбвӘҒҚҢӨҰҮҺІәғқңөұүһі .,😀📚');
const MARKED = 'КАК ПРОСТО';
const MARKS = 'ABCDEFGHIJ';

const authors: CommentAuthor[] = [0, 1, 2].map((i) => ({
  id: String(i).repeat(64),
  name: `Person ${i}`,
  library: `Library ${i}`,
}));

const upper = (s: string) => s.replace(/[^A-Z]/g, '');

function runFuzz(seed: number, ops: number) {
  const rnd = mulberry32(seed);
  ids.reseed(seed ^ 0x51ed270b);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;

  const server = new Y.Doc();
  server.clientID = 1000;
  const prefix = `${MARKED} — `;
  const { slideId, postId } = addPost(server, {
    layout: 'quote',
    first: { layout: 'quote', fields: { quote: `${prefix}${MARKS} — ${MARKED}` } },
  });
  const marked = startThread(
    server,
    {
      kind: 'text',
      slideId,
      field: 'quote',
      start: prefix.length,
      end: prefix.length + MARKS.length,
    },
    'Тексеріңіз',
    authors[0] as CommentAuthor,
    1,
  ) as string;
  editText(server, { kind: 'caption', postId }, 'Caption text for the post');
  const initial = Y.encodeStateAsUpdate(server);
  const docs = [0, 1, 2].map((i) => {
    const doc = new Y.Doc();
    doc.clientID = i + 1;
    Y.applyUpdate(doc, initial);
    return doc;
  });
  const net = new Network(docs, rnd);
  const quoteRef: TextRef = { kind: 'slide', slideId, field: 'quote' };
  const captionRef: TextRef = { kind: 'caption', postId };
  const log: string[] = [];
  let started = 0;

  for (let n = 0; n < ops; n++) {
    const peer = int(3);
    const doc = docs[peer] as Y.Doc;
    const ref = rnd() < 0.8 ? quoteRef : captionRef;
    const points = Array.from(getText(doc, ref)?.toString() ?? '');
    const r = rnd();
    let op: string;
    if (r < 0.65 || points.length === 0) {
      // Insert or delete around a random spot; near the marked range half of the time.
      const anchor = resolveAnchor(doc, marked);
      const near = anchor?.kind === 'range' && ref === quoteRef && rnd() < 0.5;
      const at = near
        ? Math.min(points.length, Math.max(0, anchor.index + int(anchor.length + 3) - 1))
        : int(points.length + 1);
      if (points.length > 0 && rnd() < 0.35) points.splice(at, 1 + int(3));
      else points.splice(at, 0, ...Array.from({ length: 1 + int(3) }, () => pick(TYPED)));
      editText(doc, ref, points.join(''));
      op = `edit ${ref.kind} = ${JSON.stringify(points.join(''))}`;
    } else if (r < 0.8) {
      const start = int(points.length);
      const end = start + 1 + int(Math.min(8, points.length - start));
      const id = startThread(
        doc,
        {
          kind: 'text',
          slideId,
          field: ref === quoteRef ? 'quote' : 'caption',
          start,
          end,
        },
        `thread ${n}`,
        authors[peer] as CommentAuthor,
        n,
      );
      if (id) started++;
      op = `startThread ${start}..${end}`;
    } else {
      const threads = readThreads(doc);
      const thread = pick(threads);
      if (rnd() < 0.5) reply(doc, thread.id, `reply ${n}`, authors[peer] as CommentAuthor, n);
      else setResolved(doc, thread.id, !thread.resolved);
      op = `reply/resolve ${thread.id}`;
    }
    log.push(`#${n} peer ${peer}: ${op}`);
    net.deliver(int(6));
    if (rnd() < 0.05) {
      const who = int(3);
      if (net.isOnline(who)) net.disconnect(who);
      else net.connect(who);
    }
  }
  net.settle();
  return { docs, marked, quoteRef, log, started };
}

const SEEDS = Number(process.env.COMMENT_FUZZ_SEEDS ?? 40);
const OPS = Number(process.env.COMMENT_FUZZ_OPS ?? 120);

describe('comment anchors converge', () => {
  for (let seed = 1; seed <= SEEDS; seed++)
    it(`seed ${seed}`, () => {
      const { docs, marked, quoteRef, log, started } = runFuzz(seed, OPS);
      const [first, ...others] = docs as [Y.Doc, ...Y.Doc[]];
      const threadsOf = (d: Y.Doc) => readThreads(d);
      const anchorsOf = (d: Y.Doc) => threadsOf(d).map((t) => resolveAnchor(d, t.id));
      const context = log.slice(-20).join('\n');
      for (const other of others) {
        expect(threadsOf(other), context).toEqual(threadsOf(first));
        expect(anchorsOf(other), context).toEqual(anchorsOf(first));
      }
      expect(threadsOf(first).length).toBe(started + 1);
      // The marked range holds exactly the surviving marked letters, on every client.
      const quote = getText(first, quoteRef)?.toString() ?? '';
      const anchor = resolveAnchor(first, marked);
      const inRange = anchor?.kind === 'range' ? anchor.text : '';
      expect(upper(inRange), `${context}\nquote ${JSON.stringify(quote)}`).toBe(upper(quote));
      if (upper(quote) !== '') expect(anchor?.kind).toBe('range');
      // The range's text is where it says it is.
      if (anchor?.kind === 'range')
        expect(quote.slice(anchor.index, anchor.index + anchor.length)).toBe(anchor.text);
    });

  it('exercises what it claims: edits inside the range, deletions of it, several threads', () => {
    let grew = 0;
    let gone = 0;
    let threads = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { docs, marked } = runFuzz(seed, OPS);
      const doc = docs[0] as Y.Doc;
      const a = resolveAnchor(doc, marked);
      if (a?.kind === 'range' && a.text.length > upper(a.text).length) grew++;
      if (a?.kind === 'gone') gone++;
      threads += readThreads(doc).length;
    }
    expect(grew, 'runs where text typed inside the range is in it').toBeGreaterThan(0);
    expect(gone + grew, 'runs where the range changed').toBeGreaterThan(SEEDS / 4);
    expect(threads).toBeGreaterThan(SEEDS * 3);
  });
});
