import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { ServerOptions } from '../../server/config.ts';
import { ROOT } from './report.ts';
import type { ChildRequest, MemoryReport, ServerKind, UsageReport } from './server-child.ts';

export type { MemoryReport, ServerKind, UsageReport };

export interface ServerProcess {
  kind: ServerKind;
  url: string;
  /** Memory after forced collections, with loaded documents and open connections. */
  memory(): Promise<MemoryReport>;
  /** Memory now, without a collection. */
  usage(): Promise<UsageReport>;
  /** CPU time the server process used so far, in milliseconds (user + system). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A benchmark plays a whole city's clients from one loopback address: the per-address limits
 * (docs/server.md, "Limits before authentication and quotas") would turn most of them away.
 */
const ONE_ADDRESS_FOR_EVERYONE: ServerOptions = {
  maxSocketsPerAddress: 1_000_000,
  upgradeBurstPerAddress: 1_000_000,
  createBurstPerAddress: 1_000_000,
};

/**
 * Starts a server under test in its own process (see server-child.ts). Ours gets a fresh data
 * directory (SQLite, durable appends) unless the options name one, and the default limits.
 */
export async function startServerProcess(
  kind: ServerKind,
  options: Omit<ServerOptions, 'store' | 'log'> = {},
): Promise<ServerProcess> {
  const ownDir = kind === 'ours' && options.dataDir === undefined;
  const dataDir = ownDir ? mkdtempSync(join(tmpdir(), 'flashbook-bench-')) : options.dataDir;
  const child: ChildProcess = fork(join(ROOT, 'bench/lib/server-child.ts'), [kind], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_SERVER_OPTIONS: JSON.stringify({
        staticDir: join(ROOT, '.tmp', 'no-client'),
        ...ONE_ADDRESS_FOR_EVERYONE,
        ...options,
        dataDir,
      }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (msg: { type: string; url: string }) => resolve(msg.url));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  let nextId = 0;
  const pending = new Map<number, (value: unknown) => void>();
  child.on('message', (msg: { id?: number; value?: unknown }) => {
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.value);
    if (msg.id !== undefined) pending.delete(msg.id);
  });
  const ask = <T>(type: ChildRequest['type']): Promise<T> =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve as (value: unknown) => void);
      child.send({ id, type } satisfies ChildRequest);
    });
  return {
    kind,
    url,
    memory: () => ask<MemoryReport>('memory'),
    usage: () => ask<UsageReport>('usage'),
    cpuMs: async () => {
      const { user, system } = await ask<NodeJS.CpuUsage>('cpu');
      return (user + system) / 1000;
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await ask('stop');
        await exited;
      }
      if (ownDir && dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Room {
  /** The y-websocket room name: the flashbook id for ours, any name for the reference. */
  id: string;
  /** Token for ours; the reference has no authentication. */
  token?: string;
}

let roomCounter = 0;

/**
 * A room to test in. Ours: a flashbook created through the API, seeded by the server. The
 * reference has no API: its rooms exist when joined, and the first client seeds them
 * (`seedClient`), so both servers hold the same kind of document.
 */
export async function createRoom(server: ServerProcess, title: string): Promise<Room> {
  if (server.kind === 'reference') return { id: `bench-room-${++roomCounter}-${Date.now()}` };
  const res = await fetch(`${server.url}/api/flashbooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string; editToken: string };
  return { id: body.id, token: body.editToken };
}

export interface BenchClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/** A stock y-websocket client, as the browser app uses it (minus BroadcastChannel). */
export function connectClient(server: ServerProcess | { url: string }, room: Room): BenchClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(
    `${server.url.replace(/^http/, 'ws')}/sync`,
    room.id,
    doc,
    {
      params: room.token ? { token: room.token } : {},
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    },
  );
  return {
    doc,
    provider,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function synced(client: BenchClient): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve) => client.provider.once('sync', () => resolve()));
}
