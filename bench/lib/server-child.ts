/**
 * A server under test, in a process of its own so that its memory and CPU are its own and the
 * benchmark's clients do not share its event loop. Started by servers.ts with `fork`; argv[2]
 * is `ours` or `reference`, BENCH_SERVER_OPTIONS holds startServer options (ours only).
 *
 * `reference` is the server of y-websocket@1.5.4 (`bin/utils.js`, installed as the dev dependency
 * `y-websocket-reference`), wired exactly like its `bin/server.js`: in-memory documents, no
 * authentication, no persistence.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { RunningServer } from '../../server/app.ts';
import type { ServerOptions } from '../../server/config.ts';

export type ServerKind = 'ours' | 'reference';

export interface ChildRequest {
  id: number;
  type: 'memory' | 'usage' | 'cpu' | 'stop';
}

/** Memory now, without forcing a collection (cheap enough to sample every second or two). */
export interface UsageReport {
  rss: number;
  heapUsed: number;
  external: number;
}

export interface MemoryReport {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  loadedDocs: number;
  connections: number;
}

const kind = process.argv[2] as ServerKind;
const gc = (globalThis as { gc?: () => void }).gc;

interface Handle {
  url: string;
  stats(): { loadedDocs: number; connections: number };
  close(): Promise<void>;
}

async function startOurs(): Promise<Handle> {
  const options = JSON.parse(process.env['BENCH_SERVER_OPTIONS'] ?? '{}') as ServerOptions;
  // Imported here only: the reference loads the CommonJS build of yjs, and one process should
  // hold one copy (Yjs warns about two).
  const { startServer } = await import('../../server/app.ts');
  const server: RunningServer = await startServer({
    port: 0,
    host: '127.0.0.1',
    quiet: true,
    ...options,
  });
  return { url: server.url, stats: () => server.stats(), close: () => server.close() };
}

async function startReference(): Promise<Handle> {
  const require = createRequire(import.meta.url);
  const utilsPath = require.resolve('y-websocket-reference/bin/utils');
  const utils = require(utilsPath) as {
    setupWSConnection: (ws: unknown, req: unknown) => void;
    docs: Map<string, unknown>;
  };
  // The reference's own ws (6.x), as its bin/server.js requires it: `new WebSocket.Server(...)`.
  const { Server } = createRequire(utilsPath)('ws') as {
    Server: typeof import('ws').WebSocketServer;
  };
  const wss = new Server({ noServer: true });
  wss.on('connection', utils.setupWSConnection);
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('okay');
  });
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ loadedDocs: utils.docs.size, connections: wss.clients.size }),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function memory(handle: Handle): Promise<MemoryReport> {
  // Collect twice with a turn in between: backing stores are freed by a task after a collection.
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    ...handle.stats(),
  };
}

const handle = kind === 'reference' ? await startReference() : await startOurs();
process.send?.({ type: 'ready', url: handle.url, gc: gc !== undefined });
process.on('message', (msg: ChildRequest) => {
  void (async () => {
    if (msg.type === 'memory') process.send?.({ id: msg.id, value: await memory(handle) });
    else if (msg.type === 'usage') {
      const { rss, heapUsed, external } = process.memoryUsage();
      process.send?.({ id: msg.id, value: { rss, heapUsed, external } satisfies UsageReport });
    } else if (msg.type === 'cpu') process.send?.({ id: msg.id, value: process.cpuUsage() });
    else if (msg.type === 'stop') {
      await handle.close();
      process.send?.({ id: msg.id, value: null }, () => process.exit(0));
    }
  })();
});
