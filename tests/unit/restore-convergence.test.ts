import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPost,
  addSlide,
  deletePost,
  deleteSlide,
  editText,
  getText,
  moveSlide,
  readFlashbook,
  seedFlashbook,
  type FlashbookView,
} from '../../src/model/flashbook.ts';
import { openVersion, restoreVersion, type RestoreTarget } from '../../src/model/restore.ts';
import { SLIDE_TEXT_FIELDS } from '../../src/model/schema.ts';
import { Network, mulberry32, seededIds } from './network.ts';

/**
 * Seeded fuzz of restores under concurrency: three clients edit, a version is taken, they edit
 * on (deleting, adding, moving, typing), then client 0 restores the whole flashbook, a post or a
 * slide from the version while clients 1 and 2 type and move slides, with random delivery order
 * and one client possibly offline throughout (its edits arrive stale). At the end every client must
 * show the same flashbook, and every marker typed by an online client after the last restore
 * (which it had received) must be in it.
 */

const ids = seededIds();

const allSlides = (v: FlashbookView) => [...v.posts.flatMap((p) => p.slides), ...v.orphanSlides];

function run(seed: number): { docs: Y.Doc[]; markers: string[]; restores: number } {
  const rnd = mulberry32(seed);
  ids.reseed(seed ^ 0x5bd1e995);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T | undefined => list[int(list.length)];

  const server = new Y.Doc();
  server.clientID = 1000;
  seedFlashbook(server, { title: 'Fuzz', library: 'Central' });
  const initial = Y.encodeStateAsUpdate(server);
  const docs = [0, 1, 2].map((i) => {
    const d = new Y.Doc();
    d.clientID = i + 1;
    Y.applyUpdate(d, initial);
    return d;
  });
  const net = new Network(docs, rnd);

  const type = (doc: Y.Doc, text: string) => {
    const slide = pick(allSlides(readFlashbook(doc)));
    if (!slide) return undefined;
    const field = pick(SLIDE_TEXT_FIELDS) ?? 'title';
    const ref = { kind: 'slide' as const, slideId: slide.id, field };
    const current = getText(doc, ref)?.toString() ?? '';
    // At either end, so that one marker is never typed into the middle of another.
    const at = rnd() < 0.5 ? 0 : current.length;
    editText(doc, ref, current.slice(0, at) + text + current.slice(at), at + text.length);
    return slide.id;
  };
  const move = (doc: Y.Doc) => {
    const v = readFlashbook(doc);
    const slide = pick(allSlides(v));
    const post = pick(v.posts);
    if (slide && post) moveSlide(doc, slide.id, { postId: post.id, index: int(5) });
  };
  const anything = (doc: Y.Doc) => {
    const v = readFlashbook(doc);
    const r = rnd();
    if (r < 0.15) addPost(doc, { first: { fields: { title: `p${int(100)}` } } });
    else if (r < 0.35 && v.posts.length) addSlide(doc, pick(v.posts)?.id ?? '', {});
    else if (r < 0.45 && v.posts.length > 1) deletePost(doc, pick(v.posts)?.id ?? '');
    else if (r < 0.55 && allSlides(v).length > 1) deleteSlide(doc, pick(allSlides(v))?.id ?? '');
    else if (r < 0.7) move(doc);
    else type(doc, 'x');
  };
  const churn = (ops: number) => {
    for (let n = 0; n < ops; n++) {
      const peer = int(3);
      if (rnd() < 0.05) {
        if (net.isOnline(peer)) net.disconnect(peer);
        else net.connect(peer);
      }
      anything(docs[peer] as Y.Doc);
      net.deliver(int(4));
    }
  };

  churn(40);
  net.settle();
  const version = openVersion(Y.encodeStateAsUpdate(docs[0] as Y.Doc));
  churn(40);
  // Deletions from the churn are settled first: a stale delete arriving later would take a
  // slide away with whatever was typed into it, restore or not.
  net.settle();

  // Client 2 may be offline through the restore, with edits of its own (stale when it returns).
  if (rnd() < 0.5) net.disconnect(2);
  const markers: string[] = [];
  let restores = 0;
  for (let n = 0; n < 30; n++) {
    const peer = int(3);
    const doc = docs[peer] as Y.Doc;
    if (peer === 0 && rnd() < 0.4) {
      const v = version.view;
      const r = rnd();
      const post = pick(v.posts);
      const slide = pick(allSlides(v));
      const target: RestoreTarget =
        r < 0.3 || !post
          ? { kind: 'flashbook' }
          : r < 0.65 || !slide
            ? { kind: 'post', postId: post.id }
            : { kind: 'slide', slideId: slide.id };
      if (restoreVersion(doc, version.doc, target)) {
        restores++;
        // A later restore may rightly revert what was typed after an earlier one.
        markers.length = 0;
      }
      // Everyone online hears of the restore before typing on, so what they type next is made
      // after it and must survive.
      while (net.deliverOne());
    } else if (peer !== 0 && rnd() < 0.5) {
      const marker = `⟦${seed}-${peer}-${n}⟧`;
      // Only markers typed with the restores in hand count; a stale offline client's may land in
      // a slide that a restore deleted.
      if (type(doc, marker) && net.isOnline(peer) && restores > 0) markers.push(marker);
    } else if (peer !== 0) move(doc);
    net.deliver(int(3));
  }
  net.settle();
  return { docs, markers, restores };
}

function text(doc: Y.Doc): string {
  return JSON.stringify(readFlashbook(doc));
}

describe('restore fuzz (three clients)', () => {
  const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
  it.each(seeds)('seed %i: all converge and keep what was typed after the restore', (seed) => {
    const { docs, markers } = run(seed);
    const [a, b, c] = docs.map(text);
    expect(b).toBe(a);
    expect(c).toBe(a);
    for (const m of markers) expect(a).toContain(m);
  });

  it('the fuzz restores and checks markers (not a vacuous run)', () => {
    let restores = 0;
    let markers = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = run(seed);
      restores += r.restores;
      markers += r.markers.length;
    }
    expect(restores).toBeGreaterThan(40);
    expect(markers).toBeGreaterThan(40);
  });
});
