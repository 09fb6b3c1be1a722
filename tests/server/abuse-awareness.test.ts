import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, sleep, waitFor, type Client } from '../helpers/server.ts';

/**
 * Awareness (presence, carets) as a 60-person seminar produces it and as an attacker would abuse
 * it. The stock y-websocket client re-sends every awareness change it receives ("echoes"), so in
 * a room of N people each caret move comes back N times. Nothing here measures time: the tests
 * count messages and check who stayed connected and what everyone sees.
 */

const h = new Harness();
afterEach(() => h.cleanup());

function awarenessMessage(
  entries: { client: number; clock: number; state: unknown }[],
): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const { client, clock, state } of entries) {
    encoding.writeVarUint(inner, client);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** Watches a client for any close of its socket. */
function closes(client: Client): { code: number }[] {
  const seen: { code: number }[] = [];
  client.provider.on('connection-close', (event) => seen.push({ code: event?.code ?? 0 }));
  return seen;
}

const cursorOf = (observer: Client, other: Client): unknown =>
  (
    observer.provider.awareness.getStates().get(other.doc.clientID) as
      { cursor?: unknown } | undefined
  )?.cursor;

describe('awareness in a seminar', () => {
  it('60 stock clients moving their carets keep their connections; everyone sees every last caret', async () => {
    // A small per-connection limit, so that the echoes of the old server would have crossed it
    // within a few rounds (each round every client receives 59 changes and echoes them).
    const server = await h.start({ rateLimit: { messagesPerSecond: 20, messageBurst: 100 } });
    const fb = await h.create(server.url, 'Seminar');
    const clients: Client[] = [];
    for (let i = 0; i < 60; i++) {
      clients.push(await h.connectSynced(server.url, fb.id, i < 50 ? fb.editToken : fb.viewToken));
    }
    const closed = clients.map(closes);
    const rounds = 25;
    for (let round = 1; round <= rounds; round++) {
      for (const [i, c] of clients.entries()) {
        c.provider.awareness.setLocalStateField('cursor', { who: i, round });
      }
      await sleep(200);
    }
    await waitFor(
      () =>
        clients.every((observer) =>
          clients.every(
            (other, i) =>
              other === observer ||
              JSON.stringify(cursorOf(observer, other)) ===
                JSON.stringify({ who: i, round: rounds }),
          ),
        ),
      'every client to see every last caret',
      30_000,
    );
    expect(closed.flat()).toEqual([]);
    expect(server.logs.filter((l) => l.code === 4429)).toEqual([]);
    expect(clients.every((c) => c.provider.wsconnected)).toBe(true);
  }, 60_000);
});

describe('awareness attacks', () => {
  it('a viewer flooding awareness messages does not get editors closed; they keep syncing', async () => {
    const server = await h.start({ rateLimit: { messagesPerSecond: 20, messageBurst: 100 } });
    const fb = await h.create(server.url, 'Flooded');
    const editors: Client[] = [];
    for (let i = 0; i < 5; i++)
      editors.push(await h.connectSynced(server.url, fb.id, fb.editToken));
    const closed = editors.map(closes);
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.viewToken}`);
    const attacker = 0x7fff0001;
    for (let clock = 1; clock <= 2000; clock++) {
      ws.send(awarenessMessage([{ client: attacker, clock, state: { n: clock } }]));
    }
    // Whatever the server let through, the editors still talk to each other.
    editors[0]!.provider.awareness.setLocalStateField('cursor', 'after the flood');
    await waitFor(
      () =>
        editors.every((e) => e === editors[0] || cursorOf(e, editors[0]!) === 'after the flood'),
      'the editors to see each other',
    );
    await sleep(500);
    expect(closed.flat()).toEqual([]);
    expect(editors.every((e) => e.provider.wsconnected)).toBe(true);
  });

  it("a viewer cannot write awareness under an editor's client id", async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Spoofed');
    const victim = await h.connectSynced(server.url, fb.id, fb.editToken);
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    victim.provider.awareness.setLocalStateField('user', { name: 'Aigerim' });
    await waitFor(
      () =>
        (
          observer.provider.awareness.getStates().get(victim.doc.clientID) as
            { user?: { name: string } } | undefined
        )?.user?.name === 'Aigerim',
      'the victim at the observer',
    );
    const clock = observer.provider.awareness.meta.get(victim.doc.clientID)!.clock;
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.viewToken}`);
    ws.send(
      awarenessMessage([
        { client: victim.doc.clientID, clock: clock + 100, state: { user: { name: 'Forged' } } },
      ]),
    );
    // A later honest change of the observer proves the forged message was processed before it.
    observer.provider.awareness.setLocalStateField('user', { name: 'Observer' });
    await waitFor(
      () =>
        (
          victim.provider.awareness.getStates().get(observer.doc.clientID) as
            { user?: { name: string } } | undefined
        )?.user?.name === 'Observer',
      'the observer at the victim',
    );
    await sleep(200);
    const seen = (c: Client) =>
      (
        c.provider.awareness.getStates().get(victim.doc.clientID) as
          { user?: { name: string } } | undefined
      )?.user?.name;
    expect(seen(observer)).toBe('Aigerim');
    expect(seen(victim)).toBe('Aigerim');
    const late = await h.connectSynced(server.url, fb.id, fb.viewToken);
    await waitFor(() => seen(late) !== undefined, 'states at a newcomer');
    expect(seen(late)).toBe('Aigerim');
  });

  it('one connection cannot add 2,000 users', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Crowded');
    const observer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.viewToken}`);
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      client: 1_000_000 + i,
      clock: 1,
      state: { user: { name: `fake ${i}` } },
    }));
    ws.send(awarenessMessage(entries));
    for (let i = 0; i < 2000; i += 100) ws.send(awarenessMessage(entries.slice(i, i + 100)));
    observer.provider.awareness.setLocalStateField('user', { name: 'me' });
    const newcomer = await h.connectSynced(server.url, fb.id, fb.editToken);
    await waitFor(
      () => newcomer.provider.awareness.getStates().has(observer.doc.clientID),
      'the observer at a newcomer',
    );
    await sleep(200);
    const fakes = (c: Client) =>
      [...c.provider.awareness.getStates().keys()].filter(
        (id) => id >= 1_000_000 && id < 1_002_000,
      );
    expect(fakes(newcomer).length).toBeLessThanOrEqual(4);
    expect(fakes(observer).length).toBeLessThanOrEqual(4);
  });
});
