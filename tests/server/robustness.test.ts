import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import {
  Harness,
  sleep,
  closeOf,
  closedEvent,
  title,
  titleText,
  waitFor,
  type Client,
  type TestServer,
} from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of parts) {
    if (typeof p === 'number') encoding.writeVarUint(e, p);
    else encoding.writeVarUint8Array(e, p);
  }
  return encoding.toUint8Array(e);
}

const GARBAGE = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8]);

/** Two rooms with two editors each, to show that a bad client harms no one else. */
async function twoRooms(server: TestServer) {
  const rooms = [];
  for (const name of ['Room one', 'Room two']) {
    const fb = await h.create(server.url, name);
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    rooms.push({ fb, a, b });
  }
  return rooms;
}

async function stillSyncing(a: Client, b: Client, mark: string): Promise<void> {
  titleText(a.doc).insert(0, mark);
  await waitFor(() => title(b.doc).startsWith(mark), `${mark} to sync`);
}

describe('misbehaving clients', () => {
  const badMessages: [string, Uint8Array, boolean][] = [
    [
      'undecodable bytes',
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      true,
    ],
    ['an unknown message type', frame(7, 1, 2), true],
    ['an unknown sync message type', frame(0, 9, GARBAGE), true],
    ['an update Yjs cannot apply', frame(0, 2, GARBAGE), true],
    ['a sync step 2 Yjs cannot apply', frame(0, 1, GARBAGE), true],
    ['a truncated sync message', new Uint8Array([0, 2, 50, 1, 2]), true],
    ['a broken awareness update', frame(1, GARBAGE), true],
    ['a text frame', new Uint8Array(), false],
  ];

  for (const [name, bytes, binary] of badMessages) {
    it(`closes only the connection that sent ${name}, with 4400`, async () => {
      const server = await h.start();
      const [one, two] = await twoRooms(server);
      const ws: WebSocket = await h.raw(
        server.wsUrl,
        `/sync/${one!.fb.id}?token=${one!.fb.editToken}`,
      );
      const closed = closeOf(ws);
      ws.send(binary ? bytes : 'hello', { binary });
      expect((await closed).code).toBe(4400);
      await stillSyncing(one!.a, one!.b, 'after-1 ');
      await stillSyncing(one!.b, one!.a, 'after-2 ');
      await stillSyncing(two!.a, two!.b, 'other room ');
      expect(server.logs.some((l) => l.event === 'error' && l.code === 4400)).toBe(true);
    });
  }

  it('closes an oversized message with 4413 and keeps the room working', async () => {
    const server = await h.start({ maxMessageBytes: 64 * 1024 });
    const [one] = await twoRooms(server);
    const big = await h.connectSynced(server.url, one!.fb.id, one!.fb.editToken);
    const closed = closedEvent(big.provider);
    titleText(big.doc).insert(0, 'x'.repeat(100 * 1024));
    expect((await closed).code).toBe(4413);
    await stillSyncing(one!.a, one!.b, 'still fine ');
    expect(title(one!.a.doc)).not.toContain('xxxx');
    // A raw frame far over the limit: ws stops reading it at its header (maxPayload is the
    // limit), and its 1009 reaches the client as our 4413, so the client does not resend it.
    const ws = await h.raw(server.wsUrl, `/sync/${one!.fb.id}?token=${one!.fb.editToken}`);
    const rawClosed = closeOf(ws);
    ws.send(new Uint8Array(3 * 64 * 1024));
    expect((await rawClosed).code).toBe(4413);
  });

  it('keeps serving after a client vanishes mid-sync', async () => {
    const server = await h.start();
    const [one] = await twoRooms(server);
    const ws = await h.raw(server.wsUrl, `/sync/${one!.fb.id}?token=${one!.fb.editToken}`);
    ws.terminate();
    await stillSyncing(one!.a, one!.b, 'alive ');
    await waitFor(() => server.stats().connections === 4, 'vanished socket cleaned up');
  });

  it('terminates a connection that stops answering pings', async () => {
    const server = await h.start({ pingIntervalMs: 50 });
    const fb = await h.create(server.url);
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    // ws answers pings automatically; pausing the socket stops it from reading them.
    ws.pause();
    await waitFor(() => server.stats().connections === 0, 'silent connection dropped');
    expect(server.logs.find((l) => l.event === 'disconnect')).toMatchObject({
      code: 1006,
      reason: 'no pong',
    });
  });

  it('drops a client that stops reading once its send buffer is full', async () => {
    const server = await h.start({
      maxBufferedBytes: 256 * 1024,
      // About output, not input: the writer must not be the one closed.
      rateLimit: { bytesPerSecond: 1 << 30, byteBurst: 1 << 30 },
      sync: { bytesPerMinute: 1 << 30, byteBurst: 1 << 30 },
    });
    const fb = await h.create(server.url);
    const writer = await h.connectSynced(server.url, fb.id, fb.editToken);
    const ws = await h.raw(server.wsUrl, `/sync/${fb.id}?token=${fb.editToken}`);
    ws.pause();
    await waitFor(() => server.stats().connections === 2, 'reader connected');
    // Inserted and deleted again: the traffic grows, the document (capped at the buffer size,
    // so that it can always be sent) does not.
    for (let i = 0; server.stats().connections === 2 && i < 2000; i++) {
      titleText(writer.doc).insert(0, 'y'.repeat(16 * 1024));
      titleText(writer.doc).delete(0, 16 * 1024);
      await sleep(0);
    }
    await waitFor(() => server.stats().connections === 1, 'slow reader dropped');
    expect(server.logs.find((l) => l.reason === 'send buffer full')).toBeDefined();
  });
});
