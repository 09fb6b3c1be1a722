/**
 * The cost of checking what an update may change (server/sync/policy.ts) on the common path: an
 * editor typing into a slide of a flashbook with many posts and comment threads. Each keystroke's
 * update is applied to a server-side document as the room does it: baseline = decode
 * (inspectUpdate) + Y.applyUpdate; ours = the same + checkUpdate. Both run in the same process,
 * interleaved in blocks, so machine load affects both alike; the ratio is what counts.
 *
 *   node --import tsx bench/sync-policy.ts
 *   BENCH_KEYS=20000 node --import tsx bench/sync-policy.ts
 */
import * as Y from 'yjs';
import { addPost, seedFlashbook } from '../src/model/flashbook.ts';
import { slidesMap } from '../src/model/access.ts';
import { MESSAGE, ROOT, THREAD } from '../src/model/schema.ts';
import { inspectUpdate, type DecodedUpdate } from '../server/sync/integrity.ts';
import { checkUpdate } from '../server/sync/policy.ts';
import { envInt, ratio, round, table, writeResult } from './lib/report.ts';

const KEYS = envInt('BENCH_KEYS', 5000);
const POSTS = envInt('BENCH_POSTS', 40);
const BLOCK = 250;

/** A flashbook of POSTS posts, a thread on each, and the updates of KEYS keystrokes. */
function scenario(): { initial: Uint8Array; keystrokes: Uint8Array[] } {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Benchmark' });
  let slideId = '';
  for (let i = 0; i < POSTS; i++) {
    const post = addPost(doc, { first: { fields: { title: `Book ${i}` } } });
    slideId = post.slideId;
    doc.transact(() => {
      const thread = new Y.Map<unknown>();
      thread.set(THREAD.slideId, post.slideId);
      const messages = new Y.Array<Y.Map<unknown>>();
      const m = new Y.Map<unknown>();
      m.set(MESSAGE.text, 'Check the year');
      m.set(MESSAGE.authorId, 'a'.repeat(64));
      messages.push([m]);
      thread.set(THREAD.messages, messages);
      doc.getMap(ROOT.comments).set(`thread${i}`, thread);
    });
  }
  const initial = Y.encodeStateAsUpdate(doc);
  const text = slidesMap(doc).get(slideId)!.get('title') as Y.Text;
  const keystrokes: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => keystrokes.push(u));
  for (let i = 0; i < KEYS; i++) {
    if (i % 10 === 9) text.delete(text.length - 1, 1);
    else text.insert(text.length, String.fromCharCode(97 + (i % 26)));
  }
  return { initial, keystrokes };
}

function run(initial: Uint8Array, keys: Uint8Array[], withPolicy: boolean): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  let elapsed = 0;
  for (let start = 0; start < keys.length; start += BLOCK) {
    const t0 = performance.now();
    for (const update of keys.slice(start, start + BLOCK)) {
      const decoded = inspectUpdate(update) as DecodedUpdate;
      if (withPolicy && !checkUpdate(doc, decoded, { role: 'edit' }).ok) throw new Error('refused');
      Y.applyUpdate(doc, update);
    }
    elapsed += performance.now() - t0;
  }
  doc.destroy();
  return elapsed;
}

const { initial, keystrokes } = scenario();
const rounds = 6;
const base: number[] = [];
const ours: number[] = [];
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first, so warm-up and load drift fall on both.
  if (r % 2 === 0) {
    base.push(run(initial, keystrokes, false));
    ours.push(run(initial, keystrokes, true));
  } else {
    ours.push(run(initial, keystrokes, true));
    base.push(run(initial, keystrokes, false));
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const perKey = (ms: number) => round((ms * 1000) / keystrokes.length, 2);
const b = median(base);
const o = median(ours);
table([
  ['', 'µs per keystroke (median of rounds)'],
  ['decode + apply (baseline)', perKey(b)],
  ['decode + check + apply (ours)', perKey(o)],
  ['ours/baseline', ratio(o, b)],
]);
writeResult(
  'sync-policy',
  { keys: KEYS, posts: POSTS, rounds },
  { baselineUsPerKey: perKey(b), oursUsPerKey: perKey(o), ratio: ratio(o, b) },
);
