import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPost,
  addSlide,
  editText,
  readFlashbook,
  setSlideLayout,
} from '../../src/model/flashbook.ts';
import { malformedUpdate } from '../../server/sync/integrity.ts';
import { Harness, closeOf, title, titleText, waitFor, type Client } from '../helpers/server.ts';
import { mulberry32 } from '../unit/network.ts';

/**
 * Regression tests for what the frame fuzzer (abuse-frames.test.ts) found: Yjs trusts its input,
 * so one malformed update from an editor's connection could break a flashbook for everyone. The
 * defences are in server/sync/integrity.ts; these tests pin each of them down.
 */

const h = new Harness();
afterEach(() => h.cleanup());

function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

const stateVector = (doc: Y.Doc): Map<number, number> =>
  Y.decodeStateVector(Y.encodeStateVector(doc));

const sameState = (a: Y.Doc, b: Y.Doc): boolean =>
  Y.encodeStateVector(a).toString() === Y.encodeStateVector(b).toString() &&
  JSON.stringify(readFlashbook(a)) === JSON.stringify(readFlashbook(b));

/** A copy of a client's document that is not connected to anything. */
function copyOf(client: Client): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(client.doc));
  return doc;
}

describe('malformed updates from an editor', () => {
  it('refuses a delete set Yjs could not have written, before applying any of it', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Overlaps');
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const [[client, clock]] = [...stateVector(observer.doc)] as [[number, number]];
    // No structs; one client with two delete ranges that overlap: [0, clock) and [1, 2).
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, clock);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    const update = encoding.toUint8Array(e);
    expect(malformedUpdate(update)).toBe('delete ranges are unsorted or overlap');

    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    const closed = closeOf(ws);
    ws.send(syncMessage(2, update));
    expect(await closed).toEqual({ code: 4400, reason: 'delete ranges are unsorted or overlap' });
    const fresh = await h.connectSynced(server.url, fb.id, fb.editToken);
    expect(title(fresh.doc)).toBe('Overlaps');
    titleText(observer.doc).insert(0, 'No ');
    await waitFor(() => title(fresh.doc) === 'No Overlaps', 'the room to keep syncing');
  });

  it('stores and forwards nothing of an update that fails half-way, and reloads the room', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Half-way');
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);

    // Find, deterministically, a mutation of a real update that looks well-formed but makes
    // Yjs throw after integrating part of it (the fuzzer met such updates about once in 150).
    const local = copyOf(observer);
    const corpus: Uint8Array[] = [];
    local.on('update', (u: Uint8Array) => corpus.push(u));
    const { postId, slideId } = addPost(local, { library: 'Branch 2' });
    addSlide(local, postId, { layout: 'quote', fields: { title: 'Абай жолы' } });
    setSlideLayout(local, slideId, 'text');
    const base = Y.encodeStateAsUpdate(observer.doc);
    const rng = mulberry32(7);
    let bad: Uint8Array | undefined;
    for (let i = 0; i < 20_000 && !bad; i++) {
      const bytes = Array.from(corpus[Math.floor(rng() * corpus.length)]!);
      for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) {
        const at = Math.floor(rng() * bytes.length);
        if (rng() < 0.5) bytes[at]! ^= 1 << Math.floor(rng() * 8);
        else bytes.splice(at, 1);
      }
      const candidate = new Uint8Array(bytes);
      if (malformedUpdate(candidate)) continue;
      const probe = new Y.Doc();
      Y.applyUpdate(probe, base);
      let changed = false;
      probe.on('update', () => (changed = true));
      try {
        Y.applyUpdate(probe, candidate);
      } catch {
        if (changed) bad = candidate;
      }
      probe.destroy();
    }
    expect(bad, 'a half-way failing update').toBeDefined();

    const before = Y.encodeStateVector(observer.doc);
    const reloaded = new Promise<void>((resolve) =>
      observer.provider.on('connection-close', (event) => {
        if (event?.code === 1011) resolve();
      }),
    );
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    const closed = closeOf(ws);
    ws.send(syncMessage(2, bad!));
    expect((await closed).code).toBe(4400);
    // The observer was closed with 1011 (transient), reconnected and got nothing of it.
    await reloaded;
    await waitFor(() => observer.provider.synced, 'the observer to resync');
    expect(Y.encodeStateVector(observer.doc)).toEqual(before);
    const fresh = await h.connectSynced(server.url, fb.id, fb.editToken);
    expect(sameState(fresh.doc, observer.doc)).toBe(true);
    expect(stateVector(fresh.doc).has(local.clientID)).toBe(false);
    expect(server.logs.some((l) => String(l.reason).startsWith('update failed half-way'))).toBe(
      true,
    );
    titleText(fresh.doc).insert(0, 'Still ');
    await waitFor(() => title(observer.doc) === 'Still Half-way', 'the reloaded room to sync');
  });

  it('forwards an update whose dependency arrives later (a tab relayed it), and only then', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Relayed');
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const postId = readFlashbook(observer.doc).posts[0]!.id;

    // Tab A adds a slide; tab B gets it over BroadcastChannel (here: directly) and types into
    // it. B's update reaches the server first: it cannot apply yet and is held as pending.
    const tabA = copyOf(observer);
    let fromA: Uint8Array | undefined;
    tabA.on('update', (u: Uint8Array) => (fromA = u));
    const slideId = addSlide(tabA, postId, { layout: 'book' });
    const tabB = copyOf(observer);
    Y.applyUpdate(tabB, fromA!);
    let fromB: Uint8Array | undefined;
    tabB.on('update', (u: Uint8Array) => (fromB = u));
    editText(tabB, { kind: 'slide', slideId, field: 'title' }, 'Ақ кеме');

    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    ws.send(syncMessage(2, fromB!));
    // A newcomer gets neither the pending edit nor anything that would not apply for it.
    const early = await h.connectSynced(server.url, fb.id, fb.editToken);
    expect(readFlashbook(early.doc).posts[0]!.slides.map((s) => s.id)).not.toContain(slideId);
    expect(sameState(early.doc, observer.doc)).toBe(true);

    ws.send(syncMessage(2, fromA!));
    const hasEdit = (doc: Y.Doc) =>
      readFlashbook(doc).posts[0]!.slides.some(
        (s) => s.id === slideId && s.fields.title === 'Ақ кеме',
      );
    await waitFor(() => hasEdit(observer.doc) && hasEdit(early.doc), 'both updates forwarded');
    const late = await h.connectSynced(server.url, fb.id, fb.editToken);
    expect(hasEdit(late.doc)).toBe(true);
    expect(sameState(late.doc, observer.doc)).toBe(true);
    expect(sameState(early.doc, observer.doc)).toBe(true);
  });
});
