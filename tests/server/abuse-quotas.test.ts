import { afterEach, describe, expect, it } from 'vitest';
import type { FlashbookStore } from '../../server/storage/types.ts';
import { capture, copyOf, updateMessage } from '../helpers/frames.ts';
import {
  Harness,
  closeOf,
  closedEvent,
  synced,
  title,
  titleText,
  waitFor,
  openTestStore,
} from '../helpers/server.ts';

/**
 * Size limits and write budgets of a flashbook, written as the attacks: one edit token storing
 * as much as it can by reconnecting, a document grown past its limit, a log grown by churn, and
 * a document larger than a reader's send buffer. Refusals must lose nothing already stored.
 */

const h = new Harness();
const stores: FlashbookStore[] = [];
afterEach(async () => {
  await h.cleanup();
  for (const s of stores.splice(0)) await s.close();
});

const storedBytes = async (store: FlashbookStore, id: string): Promise<number> =>
  (await store.loadUpdates(id)).updates.reduce((sum, u) => sum + u.byteLength, 0);

describe('document size', () => {
  it('refuses growth past maxDocBytes with 4423; what was stored stays, deleting still works', async () => {
    const server = await h.start({ sync: { maxDocBytes: 300 * 1024 } });
    const fb = await h.create(server.url, 'Full');
    const writer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const refused = closedEvent(writer.provider);
    let stored = '';
    for (let i = 0; i < 10 && writer.provider.wsconnected; i++) {
      const chunk = String(i).repeat(100 * 1024);
      titleText(writer.doc).insert(0, chunk);
      await Promise.race([
        refused,
        waitFor(() => title(observer.doc).startsWith(chunk), `chunk ${i} at the observer`),
      ]);
      if (title(observer.doc).startsWith(chunk)) stored = title(observer.doc);
    }
    expect(await refused).toEqual({ code: 4423, reason: 'flashbook size limit reached' });
    expect(stored.length).toBeGreaterThanOrEqual(200 * 1024);
    const fresh = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe(stored);
    // Making room is always possible.
    titleText(observer.doc).delete(0, 100 * 1024);
    await waitFor(() => title(fresh.doc) === stored.slice(100 * 1024), 'the deletion at a reader');
  });

  it('opens a flashbook larger than the send buffer (stored before the limits), after a restart', async () => {
    const dataDir = await h.tempDir();
    const first = await h.start({ dataDir });
    const fb = await h.create(first.url, 'Large');
    const writer = await h.connectSynced(first.url, fb.id, fb.editToken);
    for (let i = 0; i < 3; i++) titleText(writer.doc).insert(0, String(i).repeat(1024 * 1024));
    const expected = title(writer.doc);
    const check = await h.connectSynced(first.url, fb.id, fb.viewToken);
    await waitFor(() => title(check.doc) === expected, 'the large document stored');
    writer.provider.destroy();
    check.provider.destroy();
    await first.close();

    // The same data with a 1 MiB send buffer: the 3 MiB document is over every limit now.
    const second = await h.start({ dataDir, maxBufferedBytes: 1024 * 1024 });
    const readers = [0, 1, 2].map(() => h.connect(second.url, fb.id, fb.viewToken));
    await Promise.all(readers.map((r) => synced(r.provider)));
    for (const r of readers) expect(title(r.doc)).toBe(expected);
    expect(second.logs.filter((l) => l.reason === 'send buffer full')).toEqual([]);
  });
});

describe('write budget of a flashbook', () => {
  it('is shared by every connection of one edit token: reconnecting does not refill it', async () => {
    const dataDir = await h.tempDir();
    const store = await openTestStore(dataDir);
    stores.push(store);
    const server = await h.start({
      dataDir,
      store,
      maxMessageBytes: 64 * 1024,
      // 1 KiB/s after a 64 KiB burst: the attack below offers far more.
      sync: { bytesPerMinute: 60 * 1024, byteBurst: 64 * 1024 },
    });
    const fb = await h.create(server.url, 'Budget');
    const other = await h.create(server.url, 'Elsewhere');
    const honest = await h.connectSynced(server.url, fb.id, fb.editToken);
    const observer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    const before = await storedBytes(store, fb.id);

    // Overwrite the same text again and again (the document stays small, the log does not),
    // reconnecting whenever the server says "try again later".
    const attacker = copyOf(honest);
    let sent = 0;
    const refusals: { code: number; reason: string }[] = [];
    for (let connection = 0; connection < 10; connection++) {
      const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
      const closed = closeOf(ws);
      for (let i = 0; i < 10 && ws.readyState === ws.OPEN; i++) {
        const updates = capture(attacker, () => {
          titleText(attacker).insert(0, 'я'.repeat(8 * 1024));
          titleText(attacker).delete(0, 8 * 1024);
        });
        for (const u of updates) {
          ws.send(updateMessage(u));
          sent += u.byteLength;
        }
        await new Promise((r) => setImmediate(r));
      }
      refusals.push(await closed);
    }
    const attackStored = (await storedBytes(store, fb.id)) - before;
    expect(sent).toBeGreaterThan(4 * 128 * 1024);
    // The burst, plus what refilled while the test ran (1 KiB/s) and one message of slack.
    expect(attackStored).toBeLessThan(64 * 1024 + 64 * 1024);
    expect(refusals.every((r) => r.code === 1013)).toBe(true);
    expect(refusals[0]!.reason).toBe('flashbook write budget exceeded, try again later');

    // Another flashbook is not affected at all; an honest edit here gets through, retried.
    const elsewhere = await h.connectSynced(server.url, other.id, other.editToken);
    const elsewhereReader = await h.connectSynced(server.url, other.id, other.viewToken);
    titleText(elsewhere.doc).insert(0, 'Quick ');
    await waitFor(() => title(elsewhereReader.doc) === 'Quick Elsewhere', 'the other flashbook');
    titleText(honest.doc).insert(0, 'Honest ');
    await waitFor(
      () => title(observer.doc).startsWith('Honest '),
      'the honest edit, resent after 1013',
      30_000,
    );
  }, 60_000);
});

describe('update log', () => {
  it('is compacted by bytes as well as rows', async () => {
    const dataDir = await h.tempDir();
    const store = await openTestStore(dataDir);
    stores.push(store);
    const server = await h.start({
      dataDir,
      store,
      compactAfterUpdates: 100_000,
      sync: { compactAfterBytes: 64 * 1024 },
    });
    const fb = await h.create(server.url, 'Churn');
    const writer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const reader = await h.connectSynced(server.url, fb.id, fb.viewToken);
    for (let i = 0; i < 40; i++) {
      titleText(writer.doc).insert(0, 'ж'.repeat(8 * 1024));
      titleText(writer.doc).delete(0, 8 * 1024);
    }
    titleText(writer.doc).insert(0, 'Done ');
    await waitFor(() => title(reader.doc) === 'Done Churn', 'every edit at the reader');
    // 81 updates of which 40 carry 16 KB each: without compaction by bytes, 82 rows and 640 KB.
    await waitFor(
      async () => (await storedBytes(store, fb.id)) < 128 * 1024,
      'the log compacted by bytes',
    );
    expect(await store.countUpdates(fb.id)).toBeLessThan(40);
    const fresh = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe('Done Churn');
  });
});
