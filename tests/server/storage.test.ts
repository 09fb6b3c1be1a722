import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { FlashbookRecord, FlashbookStore } from '../../server/storage/types.ts';
import {
  Harness,
  openTestStore,
  TEST_STORE,
  title,
  titleText,
  waitFor,
} from '../helpers/server.ts';

const h = new Harness();
const stores: FlashbookStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  await h.cleanup();
});

/** The store of this run (SQLite or PostgreSQL, TEST_STORE) for the data dir. */
async function open(dir: string): Promise<FlashbookStore> {
  const store = await openTestStore(dir);
  stores.push(store);
  return store;
}

const record = (id: string): FlashbookRecord => ({ id, title: 'T', createdAt: 1 });

function textUpdate(doc: Y.Doc, insert: string): Uint8Array {
  let update: Uint8Array | undefined;
  doc.once('update', (u: Uint8Array) => (update = u));
  doc.getText('t').insert(doc.getText('t').length, insert);
  if (!update) throw new Error('no update');
  return update;
}

function replay(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

describe(`FlashbookStore (${TEST_STORE})`, () => {
  it('creates atomically and never overwrites an existing flashbook', async () => {
    const store = await open(await h.tempDir());
    const src = new Y.Doc();
    expect(await store.createFlashbook(record('flashbook1'), textUpdate(src, 'a'))).toBe(true);
    expect(
      await store.createFlashbook(
        { ...record('flashbook1'), title: 'Other' },
        new Uint8Array([0, 0]),
      ),
    ).toBe(false);
    expect((await store.getFlashbook('flashbook1'))?.title).toBe('T');
    expect(await store.countUpdates('flashbook1')).toBe(1);
    expect(await store.getFlashbook('missing1')).toBeUndefined();
  });

  it('appends in order, compacts a prefix and keeps later rows, across reopening', async () => {
    const dir = await h.tempDir();
    const store = await open(dir);
    const src = new Y.Doc();
    await store.createFlashbook(record('flashbook1'), textUpdate(src, 'a'));
    const seqs: number[] = [];
    for (const s of ['b', 'c', 'd'])
      seqs.push(await store.appendUpdate('flashbook1', textUpdate(src, s)));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const before = await store.loadUpdates('flashbook1');
    expect(replay(before.updates)).toBe('abcd');
    expect(before.lastSeq).toBe(seqs[2]);

    // Fold everything up to 'c' into one row; 'd' stays after it.
    const upTo = seqs[1]!;
    const snapshot = new Y.Doc();
    for (const u of before.updates.slice(0, 3)) Y.applyUpdate(snapshot, u);
    await store.compact('flashbook1', upTo, Y.encodeStateAsUpdate(snapshot));
    await store.appendUpdate('flashbook1', textUpdate(src, 'e'));
    expect(await store.countUpdates('flashbook1')).toBe(3);
    await store.close();

    const reopened = await open(dir);
    expect(replay((await reopened.loadUpdates('flashbook1')).updates)).toBe('abcde');
    expect((await reopened.getFlashbook('flashbook1'))?.title).toBe('T');
  });
});

describe('idle unloading and compaction', () => {
  it('unloads an idle document, compacts it to one row and reloads it intact', async () => {
    const server = await h.start({ idleUnloadMs: 200, compactAfterUpdates: 10_000 });
    const fb = await h.create(server.url, 'Idle');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    for (let i = 0; i < 50; i++) titleText(a.doc).insert(title(a.doc).length, ` ${i}`);
    const expected = title(a.doc);
    await waitFor(() => title(b.doc) === expected, 'edits forwarded');
    const store = await open(server.dataDir);
    expect(await store.countUpdates(fb.id)).toBe(51);

    a.provider.destroy();
    b.provider.destroy();
    await waitFor(() => server.stats().connections === 0, 'connections closed');
    await waitFor(() => server.stats().loadedDocs === 0, 'document unloaded');
    expect(await store.countUpdates(fb.id)).toBe(1);

    const fresh = await h.connectSynced(server.url, fb.id, fb.editToken);
    expect(title(fresh.doc)).toBe(expected);
    expect(server.stats().loadedDocs).toBe(1);
  });

  it('compacts in the background while the document stays in use', async () => {
    const server = await h.start({ compactAfterUpdates: 20 });
    const fb = await h.create(server.url, 'Busy');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    const store = await open(server.dataDir);
    for (let i = 0; i < 100; i++) titleText(a.doc).insert(0, `${i};`);
    const expected = title(a.doc);
    await waitFor(() => title(b.doc) === expected, 'edits forwarded');
    await waitFor(async () => (await store.countUpdates(fb.id)) < 20, 'row count reduced');
    expect(server.stats().loadedDocs).toBe(1);

    // The compacted rows hold exactly the same document.
    const doc = new Y.Doc();
    for (const u of (await store.loadUpdates(fb.id)).updates) Y.applyUpdate(doc, u);
    expect(title(doc)).toBe(expected);
    const fresh = await h.connectSynced(server.url, fb.id, fb.editToken);
    expect(title(fresh.doc)).toBe(expected);
  });

  it('a client reconnecting during an unload gets the whole document', async () => {
    const server = await h.start({ idleUnloadMs: 0 });
    const fb = await h.create(server.url, 'Flicker');
    for (let round = 0; round < 5; round++) {
      const c = await h.connectSynced(server.url, fb.id, fb.editToken);
      titleText(c.doc).insert(title(c.doc).length, `+${round}`);
      const expected = title(c.doc);
      const watcher = await h.connectSynced(server.url, fb.id, fb.viewToken);
      await waitFor(() => title(watcher.doc) === expected, 'edit stored');
      c.provider.destroy();
      watcher.provider.destroy();
    }
    const last = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(last.doc)).toBe('Flicker+0+1+2+3+4');
  });
});
