import { afterEach, describe, expect, it } from 'vitest';
import type {
  FlashbookRecord,
  FlashbookStore,
  LinkRecord,
  LinkScope,
  MaybePromise,
} from '../../server/storage/types.ts';
import type { StatusChange } from '../../src/protocol/api.ts';
import { Harness, openTestStore, synced, title, titleText, waitFor } from '../helpers/server.ts';

/**
 * The run's real store (SQLite, or PostgreSQL under TEST_STORE=postgres) behind answers with
 * extra random latency, the way a networked database behaves. Not a mock: every call reaches it.
 */
class NetworkedStore implements FlashbookStore {
  loads = 0;
  failAppends = false;
  /** While set, a compaction waits for it (a busy database) before it reaches the store. */
  compactionGate: Promise<void> | undefined;
  compactionsStarted = 0;
  compactionsInFlight = 0;
  /** The most compactions of one flashbook that were ever in flight at once. */
  mostInFlight = 0;

  constructor(readonly inner: FlashbookStore) {}

  private later<T>(run: () => MaybePromise<T>): Promise<T> {
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(run());
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }, Math.random() * 5),
    );
  }

  createFlashbook(record: FlashbookRecord, update: Uint8Array, links?: readonly LinkRecord[]) {
    return this.later(() => this.inner.createFlashbook(record, update, links));
  }
  getLinks(scope: LinkScope, scopeId: string) {
    return this.later(() => this.inner.getLinks(scope, scopeId));
  }
  replaceLink(link: LinkRecord) {
    return this.later(() => this.inner.replaceLink(link));
  }
  addLinkIfNone(link: LinkRecord) {
    return this.later(() => this.inner.addLinkIfNone(link));
  }
  addStatusChange(id: string, change: StatusChange) {
    return this.later(() => this.inner.addStatusChange(id, change));
  }
  listStatusChanges(id: string, limit: number) {
    return this.later(() => this.inner.listStatusChanges(id, limit));
  }
  getFlashbook(id: string) {
    return this.later(() => this.inner.getFlashbook(id));
  }
  appendUpdate(id: string, update: Uint8Array) {
    return this.later(() => {
      if (this.failAppends) throw new Error('disk full');
      return this.inner.appendUpdate(id, update);
    });
  }
  loadUpdates(id: string) {
    this.loads++;
    return this.later(() => this.inner.loadUpdates(id));
  }
  compact(id: string, upToSeq: number, merged: Uint8Array) {
    this.compactionsStarted++;
    this.mostInFlight = Math.max(this.mostInFlight, ++this.compactionsInFlight);
    return (this.compactionGate ?? Promise.resolve())
      .then(() => this.later(() => this.inner.compact(id, upToSeq, merged)))
      .finally(() => this.compactionsInFlight--);
  }
  countUpdates(id: string) {
    return this.later(() => this.inner.countUpdates(id));
  }
  close() {
    return this.later(() => this.inner.close());
  }
}

const h = new Harness();
const stores: NetworkedStore[] = [];
afterEach(async () => {
  await h.cleanup();
  for (const s of stores.splice(0)) await s.close();
});

async function networkedStore(dir?: string): Promise<{ store: NetworkedStore; dir: string }> {
  const dataDir = dir ?? (await h.tempDir());
  const store = new NetworkedStore(await openTestStore(dataDir));
  stores.push(store);
  return { store, dir: dataDir };
}

const storedBytes = async (store: FlashbookStore, id: string): Promise<number> =>
  (await store.loadUpdates(id)).updates.reduce((sum, u) => sum + u.byteLength, 0);

describe('with an asynchronous store', () => {
  it('forwards during a slow compaction, and counts what was appended meanwhile towards the next', async () => {
    const { store, dir } = await networkedStore();
    let release!: () => void;
    store.compactionGate = new Promise((resolve) => (release = resolve));
    const server = await h.start({
      store,
      dataDir: dir,
      compactAfterUpdates: 100_000,
      sync: { compactAfterBytes: 64 * 1024 },
    });
    const fb = await h.create(server.url, 'Churn');
    const writer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const reader = await h.connectSynced(server.url, fb.id, fb.viewToken);
    // 40 updates of 16 KB: the first compaction starts after four, and waits; the rest of the
    // burst crosses the threshold again and again meanwhile.
    for (let i = 0; i < 40; i++) {
      titleText(writer.doc).insert(0, 'ж'.repeat(8 * 1024));
      titleText(writer.doc).delete(0, 8 * 1024);
    }
    titleText(writer.doc).insert(0, 'Done ');
    // Forwarding does not wait for the compaction, and one compaction runs at a time.
    await waitFor(() => title(reader.doc) === 'Done Churn', 'every edit at the reader');
    expect(store.compactionsInFlight).toBe(1);
    expect(store.compactionsStarted).toBe(1);
    const before = await storedBytes(store.inner, fb.id);
    expect(before).toBeGreaterThan(20 * 16 * 1024);

    // Once it is done, what arrived meanwhile (far more than the threshold) is compacted by
    // exactly one more compaction, which leaves nothing to compact.
    store.compactionGate = undefined;
    release();
    await waitFor(
      async () => (await storedBytes(store.inner, fb.id)) < 128 * 1024,
      'the log compacted by bytes again',
    );
    await waitFor(() => store.compactionsInFlight === 0, 'the compaction to finish');
    expect(store.mostInFlight).toBe(1);
    // A small edit afterwards crosses no threshold: no third compaction.
    titleText(writer.doc).insert(0, 'Still ');
    await waitFor(() => title(reader.doc) === 'Still Done Churn', 'a later edit at the reader');
    expect(store.compactionsStarted).toBe(2);
    const fresh = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe('Still Done Churn');
  });

  it('shares one load, keeps order and stores every forwarded edit', async () => {
    const { store, dir } = await networkedStore();
    const server = await h.start({ store, dataDir: dir, compactAfterUpdates: 25 });
    const fb = await h.create(server.url, 'Async');
    const clients = Array.from({ length: 4 }, () => h.connect(server.url, fb.id, fb.editToken));
    await Promise.all(clients.map((c) => synced(c.provider)));
    expect(store.loads).toBe(1);

    const [a, b] = clients as [(typeof clients)[0], (typeof clients)[0]];
    for (let i = 0; i < 60; i++) {
      titleText(a.doc).insert(title(a.doc).length, 'a');
      titleText(b.doc).insert(0, 'b');
    }
    await waitFor(
      () => clients.every((c) => title(c.doc) === title(a.doc) && title(c.doc).length === 125),
      'all clients to converge',
    );
    const expected = title(a.doc);
    await server.close();

    const { store: again } = await networkedStore(dir);
    const restarted = await h.start({ store: again, dataDir: dir });
    const fresh = h.connect(restarted.url, fb.id, fb.viewToken);
    await synced(fresh.provider);
    expect(title(fresh.doc)).toBe(expected);
    expect(await again.countUpdates(fb.id)).toBeLessThan(25);
  });

  it('closes the room with 1011 when storing fails, and clients resend what was lost', async () => {
    const { store, dir } = await networkedStore();
    const server = await h.start({ store, dataDir: dir });
    const fb = await h.create(server.url, 'Fragile');
    const a = h.connect(server.url, fb.id, fb.editToken);
    const b = h.connect(server.url, fb.id, fb.editToken);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const closes: number[] = [];
    b.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));

    store.failAppends = true;
    titleText(a.doc).insert(0, 'Kept ');
    await waitFor(() => closes.includes(1011), 'room closed with 1011');
    expect(
      server.logs.some((l) => l.event === 'error' && String(l.reason).includes('disk full')),
    ).toBe(true);
    store.failAppends = false;

    // The clients reconnect by themselves (1011 is not final) and A resends its edit.
    // B receiving it means it was stored, so a restart must show it.
    await waitFor(() => title(b.doc) === 'Kept Fragile', 'edit to reach B after reconnect');
    await server.close();
    const restarted = await h.start({ dataDir: dir });
    const fresh = h.connect(restarted.url, fb.id, fb.viewToken);
    await synced(fresh.provider);
    expect(title(fresh.doc)).toBe('Kept Fragile');
  });
});
