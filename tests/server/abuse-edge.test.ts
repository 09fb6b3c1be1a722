import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { FlashbookStore } from '../../server/storage/types.ts';
import { ServerProcesses } from '../helpers/process.ts';
import {
  Harness,
  sleep,
  synced,
  title,
  titleText,
  waitFor,
  type Client,
  type TestServer,
  openTestStore,
} from '../helpers/server.ts';

/**
 * Limits before authentication, written as the attacks of issue #12: raw sockets that never show
 * a token, stall mid-handshake or mid-frame, and floods of upgrades from one address; each next to
 * honest stock clients that must keep working. Time is never asserted: limits are configured so
 * that counts, not durations, decide the outcome.
 */

const h = new Harness();
const processes = new ServerProcesses();
const raws: Socket[] = [];
afterEach(async () => {
  for (const s of raws.splice(0)) s.destroy();
  processes.killAll();
  await h.cleanup();
});

const MiB = 1024 * 1024;

/** A raw TCP socket that sends a WebSocket handshake and then whatever the attack needs. */
function rawUpgrade(port: number, path: string, extraHeaders = ''): Socket {
  const socket = connect(port, '127.0.0.1');
  raws.push(socket);
  socket.on('error', () => {});
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
      `Sec-WebSocket-Version: 13\r\n${extraHeaders}\r\n`,
  );
  return socket;
}

/** A masked binary frame header declaring `length` payload bytes (the payload is sent apart). */
function frameHeader(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x82;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  randomBytes(4).copy(header, 10);
  return header;
}

/** Writes `total` bytes as fast as the peer reads them; stops when the peer hangs up. */
async function pour(socket: Socket, total: number): Promise<number> {
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  let sent = 0;
  while (sent < total && !socket.destroyed) {
    const ok = socket.write(chunk);
    sent += chunk.length;
    if (!ok) {
      await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    }
  }
  return sent;
}

const closed = (socket: Socket): Promise<void> =>
  socket.destroyed ? Promise.resolve() : new Promise((r) => socket.once('close', () => r()));

/** Everything the server wrote back, until it hung up. */
function received(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  return closed(socket).then(() => Buffer.concat(chunks));
}

/** Resident memory of a process (0 once it is gone). */
function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function stillSyncing(a: Client, b: Client, mark: string): Promise<void> {
  titleText(a.doc).insert(0, mark);
  await waitFor(() => title(b.doc).startsWith(mark), `"${mark}" to arrive`);
}

async function pair(server: TestServer): Promise<[Client, Client]> {
  const fb = await h.create(server.url);
  const a = await h.connectSynced(server.url, fb.id, fb.editToken);
  const b = await h.connectSynced(server.url, fb.id, fb.editToken);
  return [a, b];
}

describe('sockets without a token', () => {
  it('24 sockets sending 30 MiB of a declared 31 MiB frame cost the server no memory and are cut off; editors keep working', async () => {
    const dataDir = await h.tempDir();
    const { child, url } = await processes.start(dataDir);
    const port = Number(new URL(url).port);
    const [a, b] = await pair({ url } as TestServer);
    const baseline = rssBytes(child.pid!);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(child.pid!))), 20);
    onTestFinished(() => clearInterval(sampler));

    const attackers = Array.from({ length: 24 }, (_, i) => {
      const socket = rawUpgrade(port, `/sync/Unknown_flashbook_${i}x`);
      socket.write(frameHeader(31 * MiB));
      return socket;
    });
    const poured = await Promise.all(attackers.map((s) => pour(s, 30 * MiB)));
    // Every attacker is hung up on by the server; none could deliver its frame.
    await Promise.all(attackers.map(closed));
    await stillSyncing(a, b, 'during ');
    clearInterval(sampler);

    // The server read at most a refused socket's small frame allowance from each (64 KiB), so
    // its memory barely moves; before, it held every byte sent (24 × 30 MiB, 106 → 864 MB).
    const pouredTotal = poured.reduce((x, y) => x + y, 0);
    console.info(
      `abuse-edge: server RSS ${(baseline / MiB).toFixed(0)} MiB, peak +${((peak - baseline) / MiB).toFixed(1)} MiB; attackers got ${(pouredTotal / MiB).toFixed(1)} MiB out`,
    );
    expect(peak - baseline).toBeLessThan(64 * MiB);
    expect(pouredTotal).toBeLessThan(24 * 30 * MiB);
    await stillSyncing(b, a, 'after ');
  });

  it('a handshake that stalls half-way is cut off; one that stalls mid-frame after refusal too', async () => {
    const server = await h.start({ handshakeTimeoutMs: 300 });
    const [a, b] = await pair(server);
    // Half a request: the headers never end.
    const slow = connect(server.port, '127.0.0.1');
    raws.push(slow);
    slow.on('error', () => {});
    slow.write(`GET /sync/${'x'.repeat(10)} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n`);
    const slowAnswer = received(slow);
    // A refused socket (no token) that starts a small frame and never finishes it.
    const stalled = rawUpgrade(server.port, `/sync/Unknown_flashbook_1`);
    stalled.write(Buffer.concat([frameHeader(1000), Buffer.alloc(10)]));
    const stalledAnswer = received(stalled);

    expect((await slowAnswer).toString('latin1')).toMatch(/^HTTP\/1\.1 408 /);
    const answer = await stalledAnswer;
    expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
    await stillSyncing(a, b, 'fine ');
    await waitFor(() => server.stats().connections === 2, 'only the editors left');
  });

  it('an authorisation the store never answers is turned away with 503, and the client comes back', async () => {
    const dir = await h.tempDir();
    const sqlite = await openTestStore(dir);
    let stall = true;
    const store = new Proxy(sqlite, {
      get(target, prop, receiver) {
        if (prop === 'getFlashbook') {
          return (id: string) =>
            stall && id.startsWith('Stalled') ? new Promise(() => {}) : target.getFlashbook(id);
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as FlashbookStore;
    try {
      const server = await h.start({ dataDir: dir, store, handshakeTimeoutMs: 200 });
      const [a, b] = await pair(server);
      const fb = await h.create(server.url, 'Stalled', { id: 'Stalled_flashbook' });
      const socket = rawUpgrade(server.port, `/sync/${fb.id}?token=${fb.editToken}`);
      const answer = (await received(socket)).toString('latin1');
      expect(answer).toMatch(/^HTTP\/1\.1 503 /);
      expect(answer).toMatch(/\r\nretry-after: \d+\r\n/i);
      // A stock client keeps retrying (a 503 is not a 44xx) and gets in once the store answers.
      const client = h.connect(server.url, fb.id, fb.editToken);
      await waitFor(
        () => server.logs.filter((l) => l.reason === 'authorisation timed out').length >= 2,
        'the client to be turned away at least once',
      );
      stall = false;
      await synced(client.provider);
      expect(title(client.doc)).toBe('Stalled');
      await stillSyncing(a, b, 'others fine ');
    } finally {
      await h.cleanup();
      await sqlite.close();
    }
  });
});

describe('per-address socket and upgrade limits', () => {
  it('caps the sockets one address holds; the next client gets in once one leaves', async () => {
    const server = await h.start({ maxSocketsPerAddress: 6 });
    const fb = await h.create(server.url);
    const clients = await Promise.all(
      Array.from({ length: 6 }, () => h.connectSynced(server.url, fb.id, fb.editToken)),
    );
    // The seventh socket is answered 429 with Retry-After before any WebSocket exists.
    const extra = rawUpgrade(server.port, `/sync/${fb.id}?token=${fb.editToken}`);
    const answer = (await received(extra)).toString('latin1');
    expect(answer).toMatch(/^HTTP\/1\.1 429 /);
    expect(answer).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect(answer).toContain('"error":"too many open connections from this address"');
    // A stock client waiting for a slot retries (429 is not a 44xx) and syncs when one frees.
    const late = h.connect(server.url, fb.id, fb.editToken);
    await sleep(300);
    expect(late.provider.synced).toBe(false);
    clients[0]!.provider.destroy();
    await synced(late.provider);
    await stillSyncing(clients[1]!, late, 'late ');
    expect(
      server.logs.some((l) => l.event === 'limited' && l.limit === 'sockets-per-address'),
    ).toBe(true);
  });

  it('counts clients behind a trusted proxy by X-Forwarded-For, and ignores the header otherwise', async () => {
    const open = async (server: TestServer, path: string, forwarded: string) => {
      const ws = new WebSocket(`${server.wsUrl}${path}`, {
        headers: { 'x-forwarded-for': forwarded },
      });
      return new Promise<'open' | 'refused'>((resolve) => {
        ws.once('open', () => resolve('open'));
        ws.once('unexpected-response', () => resolve('refused'));
        ws.once('error', () => resolve('refused'));
      }).finally(() => setTimeout(() => ws.terminate(), 2000));
    };
    for (const trustProxy of [0, 1]) {
      const server = await h.start({ maxSocketsPerAddress: 2, trustProxy });
      const fb = await h.create(server.url);
      const path = `/sync/${fb.id}?token=${fb.editToken}`;
      const outcomes = [];
      for (const ip of ['198.51.100.1', '198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        outcomes.push(await open(server, path, ip));
      }
      expect(outcomes, `trustProxy ${trustProxy}`).toEqual(
        trustProxy
          ? ['open', 'open', 'open', 'open']
          : // Without a trusted proxy the header is the client's own claim: all share 127.0.0.1.
            ['open', 'open', 'refused', 'refused'],
      );
      // Behind the proxy, one address is still capped.
      if (trustProxy) expect(await open(server, path, '198.51.100.1')).toBe('refused');
    }
  });

  it('bounds a flood of upgrades from one address; an honest client still gets in', async () => {
    const server = await h.start({ upgradeBurstPerAddress: 20, upgradesPerSecondPerAddress: 1 });
    const fb = await h.create(server.url);
    let accepted = 0;
    let limited = 0;
    for (let i = 0; i < 200; i++) {
      const socket = rawUpgrade(server.port, `/sync/${fb.id}?token=${fb.editToken}`);
      const head = await new Promise<string>((resolve) => {
        socket.once('data', (c: Buffer) => resolve(c.toString('latin1')));
        socket.once('close', () => resolve(''));
      });
      socket.destroy();
      if (head.startsWith('HTTP/1.1 101 ')) accepted++;
      else if (head.startsWith('HTTP/1.1 429 ')) limited++;
    }
    expect(accepted + limited).toBe(200);
    expect(accepted).toBeGreaterThanOrEqual(20);
    // 20 at once plus one a second: the flood is over long before 80 more could refill.
    expect(limited).toBeGreaterThan(100);
    const honest = h.connect(server.url, fb.id, fb.editToken);
    await synced(honest.provider);
    expect(title(honest.doc)).not.toBe('');
  });

  it('with the default limits, 150 people behind one address all edit one flashbook', async () => {
    const server = await h.start();
    // Everyone creates a flashbook of their own first (a seminar's first exercise)...
    const own = await Promise.all(
      Array.from({ length: 150 }, (_, i) => h.create(server.url, `Seminar ${i}`)),
    );
    expect(new Set(own.map((f) => f.id)).size).toBe(150);
    // ...then all open the seminar's flashbook at once.
    const fb = own[0]!;
    const people = Array.from({ length: 150 }, () => h.connect(server.url, fb.id, fb.editToken));
    await Promise.all(people.map((p) => synced(p.provider)));
    titleText(people[149]!.doc).insert(0, 'all of us ');
    await waitFor(
      () => people.every((p) => title(p.doc).startsWith('all of us ')),
      'every person to see the edit',
    );
    expect(server.logs.filter((l) => l.event === 'limited')).toEqual([]);
    expect(server.logs.filter((l) => l.event === 'refused')).toEqual([]);
  });
});

describe('flashbook creation per address', () => {
  const post = (server: TestServer, body: unknown, forwarded?: string) =>
    fetch(`${server.url}/api/flashbooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
      },
      body: JSON.stringify(body),
    });

  it('refuses a creation flood with 429, Retry-After and a JSON reason; what was created stays', async () => {
    const server = await h.start({
      createBurstPerAddress: 5,
      createsPerHourPerAddress: 1,
      trustProxy: 1,
    });
    const statuses: number[] = [];
    const created: { id: string; editToken: string }[] = [];
    for (let i = 0; i < 60; i++) {
      // New flashbooks and demo copies share the budget.
      const res = await post(server, i % 2 ? { template: 'demo' } : { title: `Flood ${i}` });
      statuses.push(res.status);
      if (res.status === 201) created.push((await res.json()) as { id: string; editToken: string });
      else if (statuses.filter((s) => s === 429).length === 1) {
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        const body = (await res.json()) as { error: string; code: string; retryAfter: number };
        expect(body.code).toBe('rate-limited');
        expect(body.error).toMatch(/^too many flashbooks were created from this address/);
        expect(body.retryAfter).toBe(Number(res.headers.get('retry-after')));
      } else await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    // Another address (behind the trusted proxy) is not affected.
    expect((await post(server, { title: 'Elsewhere' }, '203.0.113.9')).status).toBe(201);
    // Everything created before the refusals opens as before.
    for (const fb of created) {
      const client = await h.connectSynced(server.url, fb.id, fb.editToken);
      expect(client.doc.getMap('meta').size).toBeGreaterThan(0);
    }
  });
});
