import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { addSlide, getText, readFlashbook } from '../../src/model/flashbook.ts';
import { acksOf, copyOf, capture, updateMessage } from '../helpers/frames.ts';
import { exited, ServerProcesses } from '../helpers/process.ts';
import { RoundRobinProxy } from '../helpers/proxy.ts';
import {
  Harness,
  closedEvent,
  closeOf,
  sleep,
  synced,
  title,
  titleText,
  waitFor,
} from '../helpers/server.ts';
import { LINK_REPLACED_CODE, tokensPath, type ReplacedToken } from '../../src/protocol/api.ts';
import { CLOSE } from '../../src/protocol/close-codes.ts';
import { TestPostgres, TestRedis } from '../helpers/services.ts';
import { mulberry32 } from '../unit/network.ts';

/**
 * Several server processes on one PostgreSQL and one Redis, as docs/deploy.md runs them, with
 * stock y-websocket clients. Nothing is mocked: the tests kill and restart the real processes.
 */

let pgsql: TestPostgres;
let redis: TestRedis;
const h = new Harness();
const servers = new ServerProcesses();
const providers: WebsocketProvider[] = [];
const proxies: RoundRobinProxy[] = [];
let database = 0;

beforeAll(async () => {
  pgsql = await TestPostgres.start();
  redis = await TestRedis.start();
});
afterAll(async () => {
  pgsql?.destroy();
  await redis?.destroy();
});
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  for (const p of proxies.splice(0)) await p.close();
  servers.killAll();
  await h.cleanup();
  if (!redis.running) await redis.startServer();
});

/** `n` instances on a database of their own and the shared Redis. */
async function instances(
  n: number,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }[]> {
  const url = await pgsql.database(`instances-${database++}`);
  const started = [];
  // One after the other: the first one runs the migrations (the others would wait on its lock).
  for (let i = 0; i < n; i++) {
    started.push(
      await servers.start(await h.tempDir(), 0, {
        DATABASE_URL: url,
        REDIS_URL: redis.url,
        VERSION_EVERY_MS: '1000',
        ...env,
      }),
    );
  }
  return started;
}

function client(url: string, id: string, token: string, params: Record<string, string> = {}) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, id, doc, {
    params: { token, ...params },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  providers.push(provider);
  return { doc, provider };
}

const sv = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('hex');
const converged = (docs: Y.Doc[]) => docs.every((d) => sv(d) === sv(docs[0]!));

function killed(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  return exited(child);
}

describe('instances sharing rooms', () => {
  for (const n of [2, 3]) {
    it(`${n} instances: clients on different instances co-edit, converge and see each other`, async () => {
      const nodes = await instances(n);
      const fb = await h.create(nodes[0]!.url, 'Абай жолы');
      // Two clients per instance.
      const clients = nodes.flatMap((node) =>
        [0, 1].map(() => client(node.url, fb.id, fb.editToken)),
      );
      await Promise.all(clients.map((c) => synced(c.provider)));
      for (const [i, c] of clients.entries()) {
        c.provider.awareness.setLocalStateField('user', {
          name: `Librarian ${i}`,
          library: 'Almaty',
        });
        for (let k = 0; k < 20; k++) {
          const text = titleText(c.doc);
          text.insert(k % 2 ? text.length : 0, `[${i}.${k}]`);
        }
      }
      await waitFor(
        () => converged(clients.map((c) => c.doc)) && title(clients[0]!.doc).length > 0,
        'every client to converge',
      );
      const finalTitle = title(clients[0]!.doc);
      for (let i = 0; i < clients.length; i++) {
        for (let k = 0; k < 20; k++) expect(finalTitle).toContain(`[${i}.${k}]`);
      }
      // Presence crosses instances: everyone sees everyone's name.
      const names = (c: (typeof clients)[0]) =>
        [...c.provider.awareness.getStates().values()]
          .map((s) => (s as { user?: { name?: string } }).user?.name)
          .filter(Boolean)
          .sort();
      const everyone = clients.map((_, i) => `Librarian ${i}`).sort();
      await waitFor(
        () => clients.every((c) => JSON.stringify(names(c)) === JSON.stringify(everyone)),
        'presence on every instance',
      );
      // A client leaving on one instance disappears on the others.
      clients[0]!.provider.destroy();
      await waitFor(
        () => clients.slice(1).every((c) => !names(c).includes('Librarian 0')),
        'the departure to cross instances',
      );
      // What they wrote is in PostgreSQL: a newcomer on the last instance reads it whole.
      const fresh = client(nodes.at(-1)!.url, fb.id, fb.viewToken);
      await synced(fresh.provider);
      await waitFor(() => title(fresh.doc) === finalTitle, 'the newcomer to read everything');
    });
  }

  it("replacing a link on one instance closes the old token's connections on every instance", async () => {
    const nodes = await instances(2);
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const fb = await h.create(a.url, 'Replaced link');
    const onB = client(b.url, fb.id, fb.editToken);
    const viewerOnB = client(b.url, fb.id, fb.viewToken);
    await Promise.all([synced(onB.provider), synced(viewerOnB.provider)]);
    const closed = closedEvent(onB.provider);
    const res = await fetch(`${a.url}${tokensPath(fb.id, 'edit')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fb.approveToken}` },
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as ReplacedToken;
    // Instance b, which holds the editor's connection, closes it as a link replacement.
    expect(await closed).toMatchObject({ code: CLOSE.LINK_REPLACED, reason: LINK_REPLACED_CODE });
    // Only that role: the viewer on b stays, and the new edit token works on b.
    expect(viewerOnB.provider.wsconnected).toBe(true);
    const fresh = client(b.url, fb.id, token);
    await synced(fresh.provider);
    titleText(fresh.doc).insert(0, 'New ');
    await waitFor(() => title(viewerOnB.doc) === 'New Replaced link', 'the new editor edits');
  });

  it('a replacement Redis never delivered still closes the old token on the other instance', async () => {
    // Redis pub/sub delivers at most once, and not at all while it is down: the instance holding
    // the old token's connection learns of the replacement from the database instead.
    const nodes = await instances(2, { LINK_RECHECK_MS: '300' });
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const fb = await h.create(a.url, 'Dropped news');
    const onB = client(b.url, fb.id, fb.editToken);
    const viewerOnB = client(b.url, fb.id, fb.viewToken);
    await Promise.all([synced(onB.provider), synced(viewerOnB.provider)]);
    await redis.kill(); // the announcement below goes nowhere
    const closed = closedEvent(onB.provider);
    const res = await fetch(`${a.url}${tokensPath(fb.id, 'edit')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fb.approveToken}` },
    });
    expect(res.status).toBe(200);
    expect(await closed).toMatchObject({ code: CLOSE.LINK_REPLACED, reason: LINK_REPLACED_CODE });
    // The other role's connection on b was checked too and stays.
    await sleep(700);
    expect(viewerOnB.provider.wsconnected).toBe(true);
  });

  it('SIGKILL of one instance while 20 clients write: they move to another and nothing acknowledged is lost', async () => {
    const nodes = await instances(2);
    const proxy = await RoundRobinProxy.start(nodes.map((n) => n.url));
    proxies.push(proxy);
    const fb = await h.create(proxy.url, 'Crash');
    const setup = client(proxy.url, fb.id, fb.editToken);
    await synced(setup.provider);
    const postId = readFlashbook(setup.doc).posts[0]!.id;
    const slideIds = Array.from({ length: 20 }, () => addSlide(setup.doc, postId));
    const writers = Array.from({ length: 20 }, () => client(proxy.url, fb.id, fb.editToken));
    await waitFor(
      () =>
        writers.every(
          (w) => w.provider.synced && readFlashbook(w.doc).posts[0]!.slides.length > 20,
        ),
      'every writer to see every slide',
    );
    // A raw socket on the instance that will be killed, asking for acknowledgements.
    const acked = await h.raw(
      nodes[0]!.url.replace(/^http/, 'ws'),
      `/sync/${fb.id}?token=${fb.editToken}&ack=1`,
    );
    const acks = acksOf(acked);
    const ackedDoc = copyOf(setup);
    const ackedUpdates = capture(ackedDoc, () => titleText(ackedDoc).insert(0, 'acknowledged '));
    for (const u of ackedUpdates) acked.send(updateMessage(u));

    const written: string[][] = writers.map(() => []);
    let writing = true;
    const loops = writers.map(async (w, i) => {
      const rng = mulberry32(i + 1);
      const own = getText(w.doc, { kind: 'slide', slideId: slideIds[i]!, field: 'title' })!;
      for (let n = 0; writing; n++) {
        const token = `<${i}.${n}>`;
        own.insert(own.length, token);
        written[i]!.push(token);
        await sleep(5 + Math.floor(rng() * 15));
      }
    });
    await waitFor(() => acks.length > 0, 'the acknowledgement');
    await sleep(500);
    await killed(nodes[0]!.child); // its clients lose their socket mid-write
    await sleep(700); // and reconnect through the proxy, to the other instance
    writing = false;
    await Promise.all(loops);
    await waitFor(
      () => writers.every((w) => w.provider.synced) && converged(writers.map((w) => w.doc)),
      'every writer to converge on the surviving instance',
      30_000,
    );
    for (const p of providers.splice(0)) p.destroy();
    // Stored: a newcomer after every writer left reads every edit, the acknowledged one too.
    const fresh = client(nodes[1]!.url, fb.id, fb.viewToken);
    await synced(fresh.provider);
    await waitFor(
      () => readFlashbook(fresh.doc).title.startsWith('acknowledged'),
      'the acknowledged edit',
    );
    const slides = new Map(
      readFlashbook(fresh.doc)
        .posts.flatMap((p) => p.slides)
        .map((s) => [s.id, s]),
    );
    for (const [i, tokens] of written.entries()) {
      expect(slides.get(slideIds[i]!)?.fields.title).toBe(tokens.join(''));
    }
    console.info(
      `scaleout: ${written.flat().length} edits by 20 writers, all present after SIGKILL of one of 2 instances`,
    );
  });

  it('Redis killed and restarted mid-session: the instances converge again without a restart', async () => {
    const nodes = await instances(2);
    const fb = await h.create(nodes[0]!.url, 'Redis');
    const a = client(nodes[0]!.url, fb.id, fb.editToken);
    const b = client(nodes[1]!.url, fb.id, fb.editToken);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    titleText(a.doc).insert(0, 'before ');
    await waitFor(() => title(b.doc).startsWith('before '), 'fan-out before the outage');

    await redis.kill();
    // Both keep editing; each instance stores, but cannot tell the other.
    for (let k = 0; k < 10; k++) {
      titleText(a.doc).insert(titleText(a.doc).length, ` a${k}`);
      titleText(b.doc).insert(0, `b${k} `);
      await sleep(20);
    }
    await sleep(300);
    await redis.startServer();
    await waitFor(
      () => sv(a.doc) === sv(b.doc),
      'the two sides to converge after Redis is back',
      20_000,
    );
    for (let k = 0; k < 10; k++) {
      expect(title(a.doc)).toContain(` a${k}`);
      expect(title(a.doc)).toContain(`b${k} `);
    }
    // And it keeps working: a fresh edit crosses at once.
    titleText(b.doc).insert(0, 'after ');
    await waitFor(() => title(a.doc).startsWith('after '), 'fan-out after the outage');
  });

  it('PostgreSQL restarted: writes are refused meanwhile (never acknowledged), then resume', async () => {
    const nodes = await instances(2);
    const fb = await h.create(nodes[0]!.url, 'Database');
    const writer = client(nodes[0]!.url, fb.id, fb.editToken);
    const reader = client(nodes[1]!.url, fb.id, fb.editToken);
    await Promise.all([synced(writer.provider), synced(reader.provider)]);
    const closes: number[] = [];
    writer.provider.on('connection-close', (event: { code: number } | null) => {
      if (event) closes.push(event.code);
    });
    const ws = await h.raw(
      nodes[0]!.url.replace(/^http/, 'ws'),
      `/sync/${fb.id}?token=${fb.editToken}&ack=1`,
    );
    const acks = acksOf(ws);
    const closed = closeOf(ws);

    pgsql.stopServer('fast');
    const raw = copyOf(writer);
    for (const u of capture(raw, () => titleText(raw).insert(0, 'unstored ')))
      ws.send(updateMessage(u));
    titleText(writer.doc).insert(titleText(writer.doc).length, ' written while down');
    // The room cannot store: its clients are closed with 1011, which they retry.
    expect((await closed).code).toBe(1011);
    await waitFor(() => closes.includes(1011), 'the stock client to see the retryable close');
    await sleep(300);
    expect(acks).toEqual([]);

    pgsql.startServer();
    await waitFor(
      () => title(reader.doc).endsWith(' written while down'),
      'the edit to be stored and forwarded once the database is back',
      30_000,
    );
    // Resent by its client, the edit is stored and acknowledged now.
    const again = await h.raw(
      nodes[0]!.url.replace(/^http/, 'ws'),
      `/sync/${fb.id}?token=${fb.editToken}&ack=1`,
    );
    const acked = acksOf(again);
    titleText(raw).insert(0, 'stored ');
    // Everything this writer has: the refused edit and a new one.
    again.send(updateMessage(Y.encodeStateAsUpdate(raw)));
    await waitFor(() => acked.length > 0, 'the acknowledgement after the restart');
    await waitFor(
      () => title(reader.doc).startsWith('stored unstored '),
      'the resent edit on the other instance',
    );
  });
});
