import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { startServer, type RunningServer } from '../../server/app.ts';
import type { ServerOptions } from '../../server/config.ts';
import type { LogEntry } from '../../server/log.ts';
import { API_FLASHBOOKS, type CreatedFlashbook } from '../../src/protocol/api.ts';
import { SqliteFlashbookStore } from '../../server/storage/sqlite.ts';
import type { FlashbookStore } from '../../server/storage/types.ts';
import { createDatabase, dropDatabase } from './services.ts';

/**
 * Which store the server tests run on: SQLite under the data dir (default), or PostgreSQL when
 * TEST_STORE=postgres (the `server-pg` project of vitest.config.ts, whose global setup starts a
 * cluster and sets TEST_PG_URL). Each data dir then has a database of its own.
 */
export const TEST_STORE = process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The DATABASE_URL a server with this data dir uses in this run, or undefined on SQLite. */
export async function databaseUrlFor(dataDir: string): Promise<string | undefined> {
  if (TEST_STORE !== 'postgres') return undefined;
  const admin = process.env.TEST_PG_URL;
  if (!admin)
    throw new Error('TEST_STORE=postgres needs TEST_PG_URL (tests/helpers/pg-global-setup.ts)');
  return createDatabase(admin, dataDir);
}

/**
 * The flashbook store a server with this data dir uses, opened beside it (to look at what is
 * stored, or to hand the server a wrapped store). Close it after the server.
 */
export async function openTestStore(dataDir: string): Promise<FlashbookStore> {
  const url = await databaseUrlFor(dataDir);
  if (!url) return new SqliteFlashbookStore(dataDir);
  const { openPostgres } = await import('../../server/storage/postgres/index.ts');
  const { createLogger } = await import('../../server/log.ts');
  const storage = await openPostgres(url, createLogger({ quiet: true }));
  return Object.assign(storage.flashbooks, { close: () => storage.close() });
}

/**
 * Shared harness of the server tests: real servers on port 0, temp data dirs, stock y-websocket
 * clients over real sockets. One Harness per test file; `cleanup()` in afterEach.
 */

export interface TestServer extends RunningServer {
  dataDir: string;
  logs: LogEntry[];
  wsUrl: string;
}

export type { CreatedFlashbook };

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/** Polls `condition` until it holds; the timeout is a safety net, never the thing tested. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what = 'condition',
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function titleText(doc: Y.Doc): Y.Text {
  const title = doc.getMap('meta').get('title');
  if (!(title instanceof Y.Text)) throw new Error('meta.title is not a Y.Text');
  return title;
}

export const title = (doc: Y.Doc): string => {
  const t = doc.getMap('meta').get('title');
  return t instanceof Y.Text ? t.toString() : '';
};

/** Resolves with the terminal close a provider reports (codes 4400-4499). */
export function closedEvent(
  provider: WebsocketProvider,
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => provider.once('closed', (event) => resolve(event)));
}

export function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => provider.once('sync', () => resolve()));
}

export class Harness {
  private readonly servers: RunningServer[] = [];
  private readonly clients: WebsocketProvider[] = [];
  private readonly sockets: WebSocket[] = [];
  private readonly dirs: string[] = [];
  private readonly databases: string[] = [];

  async tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'flashbook-server-test-'));
    this.dirs.push(dir);
    return dir;
  }

  /** A server on 127.0.0.1:0 with a fresh data dir (unless given) and captured logs. */
  async start(options: ServerOptions = {}): Promise<TestServer> {
    const dataDir = options.dataDir ?? (await this.tempDir());
    const logs: LogEntry[] = [];
    let databaseUrl = options.databaseUrl;
    if (databaseUrl === undefined) {
      databaseUrl = await databaseUrlFor(dataDir);
      if (databaseUrl && !this.databases.includes(databaseUrl)) this.databases.push(databaseUrl);
    }
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      staticDir: join(dataDir, 'no-client-build'),
      log: (entry) => logs.push(entry),
      ...options,
      databaseUrl,
      dataDir,
    });
    this.servers.push(server);
    return { ...server, dataDir, logs, wsUrl: server.url.replace(/^http/, 'ws') };
  }

  async create(
    baseUrl: string,
    titleValue = 'Literature of Kazakhstan about the war of 1941–1945',
    extra: { id?: string; headers?: Record<string, string> } = {},
  ): Promise<CreatedFlashbook> {
    const res = await fetch(`${baseUrl}${API_FLASHBOOKS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...extra.headers },
      body: JSON.stringify({ title: titleValue, id: extra.id }),
    });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as CreatedFlashbook;
  }

  /** A stock y-websocket client, as the browser app uses it (minus BroadcastChannel). */
  connect(
    baseUrl: string,
    id: string,
    token: string | undefined,
    doc = new Y.Doc(),
    params: Record<string, string> = {},
  ): Client {
    const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, id, doc, {
      params: token === undefined ? params : { ...params, token },
      // ws implements the WebSocket interface the provider uses; its types differ from the DOM's.
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    this.clients.push(provider);
    return { doc, provider };
  }

  /** Connects and waits for the first full sync. */
  async connectSynced(
    baseUrl: string,
    id: string,
    token: string,
    params: Record<string, string> = {},
  ): Promise<Client> {
    const client = this.connect(baseUrl, id, token, new Y.Doc(), params);
    await synced(client.provider);
    return client;
  }

  /** A raw socket, for sending what no well-behaved client would. */
  async raw(wsUrl: string, path: string): Promise<WebSocket> {
    const ws = new WebSocket(`${wsUrl}${path}`);
    this.sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return ws;
  }

  async cleanup(): Promise<void> {
    for (const provider of this.clients.splice(0)) provider.destroy();
    for (const ws of this.sockets.splice(0)) ws.terminate();
    await Promise.all(this.servers.splice(0).map((s) => s.close()));
    const admin = process.env.TEST_PG_URL;
    for (const url of this.databases.splice(0)) if (admin) await dropDatabase(admin, url);
    await Promise.all(
      this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true, maxRetries: 3 })),
    );
  }
}

export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
}
