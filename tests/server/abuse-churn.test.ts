import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
  Harness,
  closeOf,
  synced,
  title,
  titleText,
  waitFor,
  type CreatedFlashbook,
  type TestServer,
} from '../helpers/server.ts';

/**
 * 500 connections opened and closed quickly, in every way a connection can end: clean closes,
 * resets before and after the handshake, refusals, half-sent upgrades, clients that leave
 * mid-sync. Afterwards the server must hold no document, no connection, no socket and no timer
 * more than before (process.getActiveResourcesInfo covers the whole process: server and clients).
 */

const CONNECTIONS = 500;
const CONCURRENCY = 50;

const h = new Harness();
afterEach(() => h.cleanup());

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

function noMoreThan(now: Record<string, number>, before: Record<string, number>): boolean {
  return Object.entries(now).every(([kind, n]) => n <= (before[kind] ?? 0));
}

/** Resolves when the socket is gone, whichever way it went. */
function ended(ws: WebSocket): Promise<void> {
  ws.on('error', () => undefined);
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => ws.once('close', () => resolve()));
}

function opened(ws: WebSocket): Promise<boolean> {
  return new Promise((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('close', () => resolve(false));
    ws.once('error', () => resolve(false));
  });
}

type Kind = (server: TestServer, fb: CreatedFlashbook) => Promise<void>;

const kinds: Record<string, Kind> = {
  async 'provider, synced, destroyed'(server, fb) {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.wsUrl}/sync`, fb.id, doc, {
      params: { token: fb.editToken },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await synced(provider);
    provider.destroy();
    doc.destroy();
  },
  async 'provider destroyed before it synced'(server, fb) {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.wsUrl}/sync`, fb.id, doc, {
      params: { token: fb.viewToken },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await new Promise((r) => setImmediate(r));
    provider.destroy();
    doc.destroy();
  },
  async 'closed right after open'(server, fb) {
    const ws = new WebSocket(`${server.wsUrl}/sync/${fb.id}?token=${fb.editToken}`);
    const gone = ended(ws);
    if (await opened(ws)) ws.close();
    await gone;
  },
  async 'reset right after open'(server, fb) {
    const ws = new WebSocket(`${server.wsUrl}/sync/${fb.id}?token=${fb.editToken}`);
    const gone = ended(ws);
    if (await opened(ws)) ws.terminate();
    await gone;
  },
  async 'reset during the handshake'(server, fb) {
    const ws = new WebSocket(`${server.wsUrl}/sync/${fb.id}?token=${fb.editToken}`);
    const gone = ended(ws);
    setImmediate(() => ws.terminate());
    await gone;
  },
  async 'sync step 1, then gone'(server, fb) {
    const ws = new WebSocket(`${server.wsUrl}/sync/${fb.id}?token=${fb.editToken}`);
    const gone = ended(ws);
    if (await opened(ws)) {
      ws.send(new Uint8Array([0, 0, 1, 0]));
      ws.terminate();
    }
    await gone;
  },
  async 'wrong token'(server, fb) {
    const ws = new WebSocket(`${server.wsUrl}/sync/${fb.id}?token=wrong`);
    const closed = closeOf(ws);
    ws.on('error', () => undefined);
    expect((await closed).code).toBe(4401);
  },
  async 'unknown flashbook'(server) {
    const ws = new WebSocket(`${server.wsUrl}/sync/No_such_flashbook?token=x`);
    const closed = closeOf(ws);
    ws.on('error', () => undefined);
    expect((await closed).code).toBe(4404);
  },
  async 'garbage, closed with 4400'(server, fb) {
    const ws = new WebSocket(`${server.wsUrl}/sync/${fb.id}?token=${fb.editToken}`);
    const closed = closeOf(ws);
    ws.on('error', () => undefined);
    if (await opened(ws)) ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect((await closed).code).toBe(4400);
  },
  async 'half an upgrade request'(server, fb) {
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(`GET /sync/${fb.id}?token=${fb.editToken} HTTP/1.1\r\nHost: x\r\nUpgr`);
        setImmediate(() => socket.destroy());
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
    });
  },
};

describe('connection churn', () => {
  it(`leaks no document, socket or timer after ${CONNECTIONS} quick connections`, async () => {
    // On PostgreSQL the pool's idle connections close soon, so that they count as released.
    const server = await h.start({ idleUnloadMs: 20, databasePool: { idleTimeoutMs: 50 } });
    const flashbooks: CreatedFlashbook[] = [];
    for (let i = 0; i < 10; i++) flashbooks.push(await h.create(server.url, `Churn ${i}`));
    // Whatever fetch keeps alive is part of the baseline; nothing is fetched after it.
    const before = resources();

    const names = Object.keys(kinds);
    let next = 0;
    const counts: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CONNECTIONS) {
          const n = next++;
          const name = names[n % names.length]!;
          await kinds[name]!(server, flashbooks[n % flashbooks.length]!);
          counts[name] = (counts[name] ?? 0) + 1;
        }
      }),
    );
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(CONNECTIONS);

    await waitFor(() => server.stats().connections === 0, 'every connection to be closed');
    await waitFor(() => server.stats().loadedDocs === 0, 'every flashbook to be unloaded');
    await waitFor(() => noMoreThan(resources(), before), 'sockets and timers to be released');
    expect(server.logs.filter((l) => l.level === 'error')).toEqual([]);

    // And the server is as good as new.
    const fb = flashbooks[0]!;
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    titleText(a.doc).insert(0, 'Fresh ');
    await waitFor(() => title(b.doc) === 'Fresh Churn 0', 'a fresh pair to sync');
  });
});
