import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  acksOf,
  capture,
  copyOf,
  deleteSetUpdate,
  syncMessage,
  updateMessage,
} from '../helpers/frames.ts';
import {
  Harness,
  closeOf,
  closedEvent,
  sleep,
  synced,
  title,
  titleText,
  waitFor,
} from '../helpers/server.ts';

/**
 * Updates the server cannot integrate (their dependencies never arrive), delete sets for what it
 * does not have, and two writers under one Yjs client id. Each test is the attack; each checks
 * that nothing is acknowledged that is not stored and that honest clients keep working.
 */

const h = new Harness();
afterEach(() => h.cleanup());

describe('pending structs', () => {
  it('refuses updates whose dependencies never arrive beyond the bound, and acknowledges none', async () => {
    const server = await h.start({ sync: { maxPendingBytes: 64 * 1024 } });
    const fb = await h.create(server.url, 'Pending');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}&ack=1`);
    const acks = acksOf(ws);
    const closed = closeOf(ws);
    // An insertion whose left neighbour is never sent: 12 updates of 16 KB each.
    const attacker = copyOf(a);
    for (let i = 0; i < 12 && ws.readyState === ws.OPEN; i++) {
      capture(attacker, () => titleText(attacker).insert(0, 'hidden'));
      const [dependent] = capture(attacker, () =>
        titleText(attacker).insert(3, 'x'.repeat(16 * 1024)),
      );
      ws.send(updateMessage(dependent!));
      await sleep(1);
    }
    expect(await closed).toEqual({
      code: 1013,
      reason: 'update depends on changes the server does not have',
    });
    expect(acks).toEqual([]);
    titleText(a.doc).insert(0, 'Still ');
    await waitFor(() => title(b.doc) === 'Still Pending', 'the room to keep syncing');
    const fresh = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe('Still Pending');
  });

  it('acknowledges an update held for its dependency only once the dependency arrived', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Relay');
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const tabA = copyOf(observer);
    const [first] = capture(tabA, () => titleText(tabA).insert(0, 'Ақ '));
    const tabB = copyOf(tabA);
    const [second] = capture(tabB, () => titleText(tabB).insert(3, 'кеме '));
    // A third tab's edit, sent over the same socket (as a reconnect's step 2 would carry it).
    const tabC = copyOf(observer);
    const [third] = capture(tabC, () => titleText(tabC).insert(titleText(tabC).length, '!'));
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}&ack=1`);
    const acks = acksOf(ws);
    ws.send(updateMessage(second!)); // message 1: pending, tab A's edit has not arrived
    ws.send(updateMessage(third!)); // message 2: applies, but comes after a pending one
    await waitFor(() => title(observer.doc).endsWith('!'), 'the independent edit forwarded');
    await sleep(300); // longer than the acknowledgement delay
    expect(acks).toEqual([]);
    const other = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    other.send(updateMessage(first!));
    await waitFor(() => acks.at(-1) === 2, 'both acknowledged once the dependency arrived');
    await waitFor(() => title(observer.doc) === 'Ақ кеме Relay!', 'all of it forwarded');
  });
});

describe('delete sets', () => {
  it('keeps no delete set for clients it has never seen (a multi-megabyte one included)', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Deletes');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    const ranges = new Map<number, [number, number][]>();
    for (let client = 1; client <= 2000; client++) {
      ranges.set(
        client * 7919,
        Array.from({ length: 200 }, (_, i) => [i * 10, 5] as [number, number]),
      );
    }
    const update = deleteSetUpdate(ranges);
    expect(update.byteLength).toBeGreaterThan(1024 * 1024);
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}&ack=1`);
    const acks = acksOf(ws);
    const closed = closeOf(ws);
    ws.send(updateMessage(update));
    expect(await closed).toEqual({
      code: 1013,
      reason: 'update deletes changes the server does not have',
    });
    expect(acks).toEqual([]);
    // Later updates find nothing pending to re-read: they apply and are forwarded as before.
    for (let i = 0; i < 20; i++) titleText(a.doc).insert(0, '.');
    await waitFor(() => title(b.doc) === '.'.repeat(20) + 'Deletes', 'the room to keep syncing');
  });

  it("cannot delete another editor's future clock range", async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Future');
    const victim = await h.connectSynced(server.url, fb.id, fb.editToken);
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const id = victim.doc.clientID;
    const from = Y.getState(victim.doc.store, id);
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    const closed = closeOf(ws);
    ws.send(updateMessage(deleteSetUpdate(new Map([[id, [[from, 100_000]]]]))));
    expect((await closed).code).toBe(1013);
    titleText(victim.doc).insert(0, 'Her next words ');
    await waitFor(() => title(observer.doc) === 'Her next words Future', 'her words at B');
    const fresh = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe('Her next words Future');
  });
});

describe('one client id, two writers', () => {
  it('refuses the second writer with 4409; the first keeps working and nothing of the second is kept', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Twins');
    const first = await h.connectSynced(server.url, fb.id, fb.editToken);
    // A second Y.Doc under the same client id with the same starting point (a copied local
    // store, or a client that picks ids badly), written before it connects.
    const twin = copyOf(first, first.doc.clientID);
    titleText(first.doc).insert(0, 'First ');
    titleText(twin).insert(0, 'Second ');
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    await waitFor(() => title(observer.doc) === 'First Twins', 'the first writer at B');
    const second = h.connect(server.url, fb.id, fb.editToken, twin);
    expect(await closedEvent(second.provider)).toEqual({
      code: 4409,
      reason: 'another client writes with this client id',
    });
    titleText(first.doc).insert(0, 'Still ');
    await waitFor(() => title(observer.doc) === 'Still First Twins', 'the first writer at B');
    const fresh = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe('Still First Twins');
    expect(first.provider.wsconnected).toBe(true);
    // Yjs gave the twin a new client id when it met its own id in the server's state; its
    // awareness still has the old one, which the provider's destroy() trips over.
    twin.clientID = second.provider.awareness.clientID;
  });

  it('lets a client that reconnected write although its old socket is not noticed dead yet', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Reconnect');
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const mine = copyOf(observer);
    const [before] = capture(mine, () => titleText(mine).insert(0, 'Before '));
    const old = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    old.send(updateMessage(before!));
    await waitFor(() => title(observer.doc) === 'Before Reconnect', 'the first edit at B');
    // The network under the old socket died: it neither reads nor answers pings any more.
    old.pause();
    const closes: number[] = [];
    const again = h.connect(server.url, fb.id, fb.editToken, mine);
    again.provider.on('connection-close', (e) => closes.push(e?.code ?? 0));
    titleText(mine).insert(0, 'After, ');
    await waitFor(
      () => title(observer.doc) === 'After, Before Reconnect',
      'the reconnected client to get through once the old socket is found dead',
    );
    expect(closes.every((code) => code === 1013)).toBe(true);
    expect(server.logs.some((l) => l.reason === 'no pong to probe')).toBe(true);
  });

  it("a tab that relays another tab's changes in its sync step 2 does not take that tab's id", async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Tabs');
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    // Tab D typed while its socket was down; tab C got it over BroadcastChannel and, reconnecting
    // first, sends it in its step 2.
    const tabD = copyOf(observer);
    titleText(tabD).insert(0, 'D ');
    const c = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    c.send(syncMessage(1, Y.encodeStateAsUpdate(tabD, Y.encodeStateVector(observer.doc))));
    await waitFor(() => title(observer.doc) === 'D Tabs', 'the relayed edit');
    const d = h.connect(server.url, fb.id, fb.editToken, tabD);
    const closes: number[] = [];
    d.provider.on('connection-close', (e) => closes.push(e?.code ?? 0));
    await synced(d.provider);
    titleText(tabD).insert(2, 'again ');
    await waitFor(() => title(observer.doc) === 'D again Tabs', "D's own next edit");
    expect(closes).toEqual([]);
  });

  it('lets a client resend what the server already has (a reconnect race)', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Resend');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const updates = capture(a.doc, () => titleText(a.doc).insert(0, 'Once '));
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    await waitFor(() => title(observer.doc) === 'Once Resend', 'the edit at B');
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}&ack=1`);
    const acks = acksOf(ws);
    ws.send(updateMessage(updates[0]!));
    ws.send(syncMessage(1, Y.encodeStateAsUpdate(a.doc))); // a sync step 2
    await waitFor(() => acks.at(-1) === 2, 'both acknowledged');
    expect(ws.readyState).toBe(ws.OPEN);
    expect(title(observer.doc)).toBe('Once Resend');
  });
});
