import { createServer, type Server } from 'node:http';
import { resolveConfig, type ServerConfig, type ServerOptions } from './config.ts';
import { createClientErrorHandler } from './http/client-error.ts';
import { createRequestHandler, createUpgradeHandler } from './http/router.ts';
import { EdgeLimits } from './limits/edge.ts';
import { MemoryExhibitionStore } from './exhibition/store.ts';
import type { PublishedEvent } from './exhibition/http.ts';
import { createLogger } from './log.ts';
import { RedisFanout } from './scale/redis-fanout.ts';
import { openStorage } from './storage/open.ts';
import { isRole } from '../src/protocol/roles.ts';
import { SyncServer } from './sync/server.ts';
import { resolveVersionsConfig } from './versions/config.ts';
import { VersionService } from './versions/service.ts';
import { WorkspaceService } from './workspaces/service.ts';
import { MemoryWorkspaceStore } from './workspaces/sqlite.ts';
import type { RoomObserver } from './sync/rooms.ts';

export interface ServerStats {
  /** Flashbooks currently held in memory. */
  loadedDocs: number;
  /** Open WebSocket connections (including ones still being authorised). */
  connections: number;
}

export interface RunningServer {
  /** Base URL for clients on this machine, e.g. http://127.0.0.1:8080. */
  url: string;
  port: number;
  config: Readonly<ServerConfig>;
  /** Versions of flashbooks: `record(id, 'publish' | 'approval', …)`, `bytes(id)` for quotas. */
  versions: VersionService;
  stats(): ServerStats;
  /** Closes connections, flushes and compacts loaded documents, closes storage. Idempotent. */
  close(): Promise<void>;
}

/** How long shutdown lets in-flight HTTP requests finish. */
const HTTP_DRAIN_MS = 2000;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  const log = createLogger({ sink: options.log, quiet: options.quiet, level: options.logLevel });
  // SQLite under dataDir, or PostgreSQL at databaseUrl (server/storage/open.ts). Stores passed
  // in (tests' own) are used instead and belong to the caller, who closes them.
  const storage = await openStorage(config, log);
  const store = options.store ?? storage.flashbooks;
  const versionStore = options.versionStore ?? storage.versions;
  // REDIS_URL: rooms shared with the other instances on this database (docs/deploy.md).
  let fanout: RedisFanout | undefined;
  if (config.redisUrl) {
    fanout = new RedisFanout(config.redisUrl, log);
    try {
      await fanout.ready();
    } catch (err) {
      await fanout.close();
      await storage.close();
      throw err;
    }
  }
  const versions = new VersionService({
    ...resolveVersionsConfig(options.versions),
    store: versionStore,
    flashbooks: store,
    log,
    leases: storage.leases,
    holder: fanout?.instanceId ?? 'local',
  });
  const assets = storage.assets;
  const limits = new EdgeLimits(config, log);
  // Publications refer to flashbooks: a test's own flashbook store gets them in memory.
  const exhibitions =
    store === storage.flashbooks ? storage.exhibitions : new MemoryExhibitionStore();
  // Workspaces live beside the flashbooks (SQLite or PostgreSQL); a test's own flashbook store
  // gets them in memory, like publications.
  const workspaceStore =
    options.workspaceStore ??
    (store === storage.flashbooks ? storage.workspaces : new MemoryWorkspaceStore());
  const workspaces = new WorkspaceService({
    store: workspaceStore,
    flashbooks: store,
    assets,
    exhibitions,
    versions,
    // The sync server is made below (it takes the observer that tells the workspaces of edits).
    rooms: () => sync.rooms,
  });
  // Versions and workspaces both watch the rooms (workspaces: when a flashbook last changed).
  const observer: RoomObserver = {
    roomLoaded: (room) => {
      versions.roomLoaded(room);
      workspaces.roomLoaded(room);
    },
    roomUnloading: (room) => versions.roomUnloading(room),
    roomGone: (room) => {
      versions.roomGone(room);
      workspaces.roomGone(room);
    },
  };
  const sync = new SyncServer({
    ...config,
    store,
    log,
    observer,
    share: fanout?.share,
    announceLinkReplaced: fanout && ((id, role) => fanout.publishLinkReplaced(id, role)),
  });
  if (fanout) {
    fanout.onLinkReplaced = (id, role) => {
      if (isRole(role)) sync.linkReplaced(id, role, false);
    };
  }
  versions.rooms = sync.rooms;
  const ctx = {
    ...config,
    store,
    assets,
    log,
    sync,
    limits,
    versions,
    exhibitions,
    workspaces,
    // Publishing makes a version (docs/server.md, "Versions"); a caller's hook runs as well.
    onPublished: (event: PublishedEvent) => {
      void versions.record(event.flashbookId, 'publish').catch(() => undefined);
      options.onExhibitionPublished?.(event);
    },
  };
  const handler = createRequestHandler(ctx);
  // Requests being answered: shutdown lets them finish, then drops idle keep-alive sockets.
  let inFlight = 0;
  const server = createServer(
    {
      // A peer that opens a connection and never finishes its request headers (slowloris, or a
      // WebSocket handshake that stalls) is cut off after this, not after Node's 60 s; the check
      // runs every second rather than every 30 s.
      headersTimeout: config.handshakeTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.handshakeTimeoutMs),
    },
    (req, res) => {
      inFlight++;
      res.once('close', () => inFlight--);
      handler(req, res);
    },
  );
  server.on('upgrade', createUpgradeHandler(ctx));
  // Requests Node's parser refuses get a JSON error too, not a bare 400/431.
  server.on('clientError', createClientErrorHandler(log));

  try {
    await listen(server, config.port, config.host);
  } catch (err) {
    await sync.close();
    await fanout?.close();
    await storage.close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await sync.close();
      const deadline = Date.now() + HTTP_DRAIN_MS;
      while (inFlight > 0 && Date.now() < deadline) await delay(10);
      server.closeAllConnections();
      await httpClosed;
      await versions.idle();
      await workspaces.flush().catch(() => undefined);
      await fanout?.close();
      await storage.close();
    })());

  return {
    url: `http://${clientHost(config.host)}:${port}`,
    port,
    config,
    versions,
    stats: () => sync.stats(),
    close,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A wildcard address is not something a client can connect to: use loopback instead. */
function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
