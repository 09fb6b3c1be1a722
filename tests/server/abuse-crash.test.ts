import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { addSlide, getText, readFlashbook } from '../../src/model/flashbook.ts';
import { exited, ServerProcesses } from '../helpers/process.ts';
import { Harness, sleep, synced, waitFor } from '../helpers/server.ts';
import { mulberry32 } from '../unit/network.ts';

/**
 * SIGKILL of the server while 20 clients write. Clients keep writing while it is down; after the
 * restart they reconnect on their own and answer the server's sync step 1 with everything it
 * lacks, whether it never arrived (written while down) or arrived but was not stored in time
 * (in flight at the kill). Every client must end with the same document, holding every edit.
 */

const CLIENTS = 20;

const h = new Harness();
const servers = new ServerProcesses();
const providers: WebsocketProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  servers.killAll();
  await h.cleanup();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function killed(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  return exited(child);
}

function client(
  url: string,
  id: string,
  token: string,
): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, id, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    // Reconnect quickly once the server is back (the default backoff grows to 2.5 s).
    maxBackoffTime: 200,
  });
  providers.push(provider);
  return { doc, provider };
}

describe('SIGKILL while clients write', () => {
  it(`${CLIENTS} writers converge after a restart, with every edit any of them made`, async () => {
    const dataDir = await h.tempDir();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let server = (await servers.start(dataDir, port)).child;
    const fb = await h.create(url, 'Crash test');

    // One slide per writer, so each has a text of its own; every writer also types into the
    // shared flashbook title, where their edits interleave.
    const setup = client(url, fb.id, fb.editToken);
    await synced(setup.provider);
    const postId = readFlashbook(setup.doc).posts[0]!.id;
    const slideIds = Array.from({ length: CLIENTS }, () => addSlide(setup.doc, postId));
    const writers = Array.from({ length: CLIENTS }, () => client(url, fb.id, fb.editToken));
    await waitFor(
      () =>
        writers.every(
          (w) => w.provider.synced && readFlashbook(w.doc).posts[0]!.slides.length > CLIENTS,
        ),
      'every writer to see every slide',
    );

    const written: string[][] = writers.map(() => []);
    let writing = true;
    const loops = writers.map(async (w, i) => {
      const rng = mulberry32(i + 1);
      const own = getText(w.doc, { kind: 'slide', slideId: slideIds[i]!, field: 'title' })!;
      const shared = getText(w.doc, { kind: 'title' })!;
      for (let n = 0; writing; n++) {
        const token = `<${i}.${n}>`;
        own.insert(own.length, token);
        if (n % 5 === 0) {
          // Between two tokens (or the ends), never inside one, at a random place.
          const text = shared.toString();
          const cuts = [0, ...[...text.matchAll(/>/g)].map((m) => m.index + 1)];
          shared.insert(cuts[Math.floor(rng() * cuts.length)]!, token);
        }
        written[i]!.push(token);
        await sleep(5 + Math.floor(rng() * 15));
      }
    });

    await sleep(700);
    await killed(server); // mid-write: some updates are in flight, some half-sent
    await sleep(400); // writers keep writing, offline
    server = (await servers.start(dataDir, port)).child;
    await sleep(700); // and keep writing while they reconnect and resync
    writing = false;
    await Promise.all(loops);

    const sv = (doc: Y.Doc) => Y.encodeStateVector(doc).toString();
    await waitFor(
      () => writers.every((w) => w.provider.synced && sv(w.doc) === sv(writers[0]!.doc)),
      'every writer to converge',
      20_000,
    );
    // A newcomer sees what the writers see: the server has it all.
    const fresh = client(url, fb.id, fb.viewToken);
    await synced(fresh.provider);
    await waitFor(() => sv(fresh.doc) === sv(writers[0]!.doc), 'the newcomer to catch up');

    const view = readFlashbook(fresh.doc);
    const slides = new Map(view.posts.flatMap((p) => p.slides).map((s) => [s.id, s]));
    const wrote = written.reduce((sum, w) => sum + w.length, 0);
    for (const [i, tokens] of written.entries()) {
      expect(slides.get(slideIds[i]!)?.fields.title).toBe(tokens.join(''));
      for (const [n, token] of tokens.entries()) {
        if (n % 5 === 0) expect(view.title.split(token)).toHaveLength(2);
      }
    }
    for (const w of writers) expect(readFlashbook(w.doc)).toEqual(view);
    console.info(`abuse-crash: ${wrote} edits by ${CLIENTS} writers, all present after SIGKILL`);

    // What the writers resent was stored: it survives a second kill.
    for (const p of providers.splice(0)) p.destroy();
    await killed(server);
    server = (await servers.start(dataDir, port)).child;
    const after = client(url, fb.id, fb.viewToken);
    await synced(after.provider);
    expect(readFlashbook(after.doc)).toEqual(view);
  });
});
