import { resolve } from 'node:path';
import { isLogLevel, type LogLevel, type LogSink } from './log.ts';
import type { FlashbookStore } from './storage/types.ts';
import type { AwarenessLimits } from './sync/awareness.ts';
import type { RateLimit } from './sync/rate-limit.ts';
import { MAX_IMAGE_PIXELS } from '../src/model/image-limits.ts';
import type { WorkspaceStore } from './workspaces/types.ts';
import type { VersionStore } from './versions/types.ts';
import type { VersionsConfigInput } from './versions/config.ts';
import type { PublishedEvent } from './exhibition/http.ts';

/** Everything startServer accepts. Tests set what they need; main.ts fills it from the environment. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one (tests). Default 8080. */
  port?: number;
  /** Interface to listen on. Default 0.0.0.0. */
  host?: string;
  /** Directory of the SQLite database; created if missing. Default ./data. */
  dataDir?: string;
  /** When set, creating a flashbook needs the header `X-Invite-Key` with this value. */
  inviteKey?: string;
  /** Largest accepted WebSocket message. Default 8 MiB. */
  maxMessageBytes?: number;
  /** A document with no connection for this long is compacted and dropped from memory. */
  idleUnloadMs?: number;
  /** The built client (Vite's dist/). Default ./dist. */
  staticDir?: string;
  /** Interval of WebSocket pings; a connection that missed one pong is terminated. Default 30 s. */
  pingIntervalMs?: number;
  /** A connection whose unsent data exceeds this is dropped (it stopped reading). Default 32 MiB. */
  maxBufferedBytes?: number;
  /**
   * Per-connection flood limit; a connection above it is closed with 4429. Defaults: 200
   * messages/s (burst 2000) and 1 MiB/s (burst 4 × maxMessageBytes).
   */
  rateLimit?: Partial<RateLimit>;
  /** Compact a document's update log once it holds this many rows. Default 500. */
  compactAfterUpdates?: number;
  /** Limits of the sync layer per flashbook and per connection (docs/server.md, "Limits"). */
  sync?: Partial<SyncLimitOptions>;
  /** Largest accepted image upload (bytes); larger ones are refused with 413. Default 10 MiB. */
  maxAssetBytes?: number;
  /**
   * Reverse proxies in front of the server whose `X-Forwarded-For` entry is believed (TRUST_PROXY).
   * 0 (default): the TCP peer is the client. Set it only when the port is reachable through the
   * proxies alone.
   */
  trustProxy?: number;
  /** WebSocket sockets one client address may hold open at once. Default 500. */
  maxSocketsPerAddress?: number;
  /** WebSocket upgrades one address may start at once (burst), default 500 ... */
  upgradeBurstPerAddress?: number;
  /** ... and per second after that, default 5. */
  upgradesPerSecondPerAddress?: number;
  /** Authorising an upgrade (or receiving a request's headers) may take this long. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Flashbooks one address may create at once (burst), default 200 ... */
  createBurstPerAddress?: number;
  /** ... and per hour after that, default 60. */
  createsPerHourPerAddress?: number;
  /** Distinct image bytes one flashbook may store. Default 512 MiB. */
  maxImageBytesPerFlashbook?: number;
  /** Largest image area (width × height) accepted. Default 50 megapixels. */
  maxImagePixels?: number;
  /** Silence logs entirely. */
  quiet?: boolean;
  /** Receives every log entry instead of stdout (tests capture logs with it). */
  log?: LogSink;
  logLevel?: LogLevel;
  /**
   * `postgres://…`: everything durable lives in PostgreSQL (server/storage/postgres/) instead of
   * SQLite and files under dataDir. Env DATABASE_URL.
   */
  databaseUrl?: string;
  /** The PostgreSQL connection pool per instance: size (default 10, env PG_POOL_MAX), idle time. */
  databasePool?: { max?: number; idleTimeoutMs?: number };
  /**
   * `redis://…`: rooms are shared with the other instances on the same database (server/scale/).
   * Needs databaseUrl. Env REDIS_URL.
   */
  redisUrl?: string;
  /**
   * With redisUrl: how often each instance checks the tokens of its open connections again, so
   * that a link replaced on another instance while Redis dropped the news is still cut off here
   * (default 30 s, env LINK_RECHECK_MS; docs/deploy.md, "Fan-out").
   */
  linkRecheckMs?: number;
  /** Storage to use instead of SQLite in dataDir (a test's own). */
  store?: FlashbookStore;
  /**
   * Versions (docs/server.md, "Versions"): `intervalMs` between automatic versions of a room
   * being edited (default 10 minutes, env VERSION_EVERY_MS) and the retention policy.
   */
  versions?: VersionsConfigInput;
  /** Where versions are kept instead of SQLite in dataDir; the caller then closes it. */
  versionStore?: VersionStore;
  /** Any WorkspaceStore (server/workspaces/types.ts); the caller closes it. */
  workspaceStore?: WorkspaceStore;
  /** The server's public address, e.g. https://studio.example.kz: exhibition pages' canonical and og:image. */
  publicUrl?: string;
  /** Called after each exhibition publish (server/exhibition/http.ts): the version history's hook. */
  onExhibitionPublished?: (event: PublishedEvent) => void;
}

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePool: { max: number; idleTimeoutMs: number };
  redisUrl: string | undefined;
  /** Set only with redisUrl (see ServerOptions). */
  linkRecheckMs: number | undefined;
  inviteKey: string | undefined;
  maxMessageBytes: number;
  idleUnloadMs: number;
  staticDir: string;
  pingIntervalMs: number;
  maxBufferedBytes: number;
  rateLimit: RateLimit;
  compactAfterUpdates: number;
  sync: SyncLimits;
  maxAssetBytes: number;
  trustProxy: number;
  maxSocketsPerAddress: number;
  upgradeBurstPerAddress: number;
  upgradesPerSecondPerAddress: number;
  handshakeTimeoutMs: number;
  createBurstPerAddress: number;
  createsPerHourPerAddress: number;
  maxImageBytesPerFlashbook: number;
  maxImagePixels: number;
  /** Request bodies of the JSON API; flashbook creation needs a few hundred bytes. */
  maxBodyBytes: number;
  publicUrl: string | undefined;
}

/** Limits of the sync layer, all per flashbook unless the name says otherwise. */
export interface SyncLimits {
  /** Awareness (presence) per connection; see server/sync/awareness.ts. */
  awareness: AwarenessLimits;
  /** Updates whose dependencies never arrived, held per flashbook (bytes). */
  maxPendingBytes: number;
  /** Largest document accepted: an update that would grow it beyond is refused (4423). */
  maxDocBytes: number;
  /** Compact the update log once it grew this many bytes since the last compaction. */
  compactAfterBytes: number;
  /** Update log bytes beyond which writes wait (1013) for a compaction. */
  maxLogBytes: number;
  /** Bytes of updates stored per minute, shared by every connection of a flashbook. */
  bytesPerMinute: number;
  /** What a flashbook may store at once before `bytesPerMinute` applies. */
  byteBurst: number;
}

export type SyncLimitOptions = Omit<SyncLimits, 'awareness'> & {
  awareness: Partial<AwarenessLimits>;
};

const MiB = 1024 * 1024;

export const DEFAULTS = {
  port: 8080,
  host: '0.0.0.0',
  dataDir: './data',
  maxMessageBytes: 8 * MiB,
  idleUnloadMs: 30_000,
  staticDir: './dist',
  pingIntervalMs: 30_000,
  linkRecheckMs: 30_000,
  maxBufferedBytes: 32 * MiB,
  messagesPerSecond: 200,
  messageBurst: 2000,
  bytesPerSecond: MiB,
  compactAfterUpdates: 500,
  awareness: {
    maxIdsPerConnection: 4,
    maxStateBytes: 8 * 1024,
    flushMs: 50,
    changesPerSecond: 20,
    changeBurst: 100,
    framesPerSecond: 50,
    frameBurst: 500,
  },
  maxPendingBytes: MiB,
  maxDocBytes: 24 * MiB,
  compactAfterBytes: 16 * MiB,
  maxLogBytes: 128 * MiB,
  flashbookBytesPerMinute: 64 * MiB,
  flashbookByteBurst: 64 * MiB,
  maxAssetBytes: 10 * MiB,
  trustProxy: 0,
  maxSocketsPerAddress: 500,
  upgradeBurstPerAddress: 500,
  upgradesPerSecondPerAddress: 5,
  handshakeTimeoutMs: 10_000,
  createBurstPerAddress: 200,
  createsPerHourPerAddress: 60,
  maxImageBytesPerFlashbook: 512 * MiB,
  maxImagePixels: MAX_IMAGE_PIXELS,
  maxBodyBytes: 64 * 1024,
} as const;

export function resolveConfig(options: ServerOptions): ServerConfig {
  const maxMessageBytes = positive(
    'maxMessageBytes',
    options.maxMessageBytes,
    DEFAULTS.maxMessageBytes,
  );
  const rate = options.rateLimit ?? {};
  const maxBufferedBytes = positive(
    'maxBufferedBytes',
    options.maxBufferedBytes,
    DEFAULTS.maxBufferedBytes,
  );
  return {
    port: options.port ?? DEFAULTS.port,
    host: options.host ?? DEFAULTS.host,
    dataDir: resolve(options.dataDir ?? DEFAULTS.dataDir),
    databaseUrl: databaseUrl(options.databaseUrl),
    databasePool: {
      max: positive('databasePool.max', options.databasePool?.max, 10),
      idleTimeoutMs: positive(
        'databasePool.idleTimeoutMs',
        options.databasePool?.idleTimeoutMs,
        30_000,
      ),
    },
    redisUrl: redisUrl(options.redisUrl, options.databaseUrl),
    linkRecheckMs: options.redisUrl
      ? positive('linkRecheckMs', options.linkRecheckMs, DEFAULTS.linkRecheckMs)
      : undefined,
    // An empty key would make every request "match" nothing useful; treat it as unset.
    inviteKey: options.inviteKey ? options.inviteKey : undefined,
    maxMessageBytes,
    idleUnloadMs: positive('idleUnloadMs', options.idleUnloadMs, DEFAULTS.idleUnloadMs, true),
    staticDir: resolve(options.staticDir ?? DEFAULTS.staticDir),
    pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs, DEFAULTS.pingIntervalMs),
    maxBufferedBytes,
    rateLimit: {
      messagesPerSecond: positive(
        'rateLimit.messagesPerSecond',
        rate.messagesPerSecond,
        DEFAULTS.messagesPerSecond,
      ),
      messageBurst: positive('rateLimit.messageBurst', rate.messageBurst, DEFAULTS.messageBurst),
      bytesPerSecond: positive(
        'rateLimit.bytesPerSecond',
        rate.bytesPerSecond,
        DEFAULTS.bytesPerSecond,
      ),
      // Never below one largest message, or a legal message could never pass.
      byteBurst: Math.max(
        maxMessageBytes,
        positive('rateLimit.byteBurst', rate.byteBurst, 4 * maxMessageBytes),
      ),
    },
    compactAfterUpdates: positive(
      'compactAfterUpdates',
      options.compactAfterUpdates,
      DEFAULTS.compactAfterUpdates,
    ),
    sync: resolveSyncLimits(options.sync ?? {}, maxMessageBytes, maxBufferedBytes),
    maxAssetBytes: positive('maxAssetBytes', options.maxAssetBytes, DEFAULTS.maxAssetBytes),
    trustProxy: positive('trustProxy', options.trustProxy, DEFAULTS.trustProxy, true),
    maxSocketsPerAddress: positive(
      'maxSocketsPerAddress',
      options.maxSocketsPerAddress,
      DEFAULTS.maxSocketsPerAddress,
    ),
    upgradeBurstPerAddress: positive(
      'upgradeBurstPerAddress',
      options.upgradeBurstPerAddress,
      DEFAULTS.upgradeBurstPerAddress,
    ),
    upgradesPerSecondPerAddress: positive(
      'upgradesPerSecondPerAddress',
      options.upgradesPerSecondPerAddress,
      DEFAULTS.upgradesPerSecondPerAddress,
    ),
    handshakeTimeoutMs: positive(
      'handshakeTimeoutMs',
      options.handshakeTimeoutMs,
      DEFAULTS.handshakeTimeoutMs,
    ),
    createBurstPerAddress: positive(
      'createBurstPerAddress',
      options.createBurstPerAddress,
      DEFAULTS.createBurstPerAddress,
    ),
    createsPerHourPerAddress: positive(
      'createsPerHourPerAddress',
      options.createsPerHourPerAddress,
      DEFAULTS.createsPerHourPerAddress,
    ),
    maxImageBytesPerFlashbook: positive(
      'maxImageBytesPerFlashbook',
      options.maxImageBytesPerFlashbook,
      DEFAULTS.maxImageBytesPerFlashbook,
    ),
    maxImagePixels: positive('maxImagePixels', options.maxImagePixels, DEFAULTS.maxImagePixels),
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    publicUrl: publicUrl(options.publicUrl),
  };
}

function resolveSyncLimits(
  o: Partial<SyncLimitOptions>,
  maxMessageBytes: number,
  maxBufferedBytes: number,
): SyncLimits {
  const a = o.awareness ?? {};
  const d = DEFAULTS.awareness;
  // A document must fit in one first-sync reply that a new reader's buffer accepts.
  const maxDocBytes =
    o.maxDocBytes === undefined
      ? Math.min(DEFAULTS.maxDocBytes, maxBufferedBytes)
      : positive('sync.maxDocBytes', o.maxDocBytes, DEFAULTS.maxDocBytes);
  if (maxDocBytes > maxBufferedBytes) {
    throw new Error('sync.maxDocBytes must not exceed maxBufferedBytes');
  }
  return {
    awareness: {
      maxIdsPerConnection: positive(
        'awareness.maxIdsPerConnection',
        a.maxIdsPerConnection,
        d.maxIdsPerConnection,
      ),
      maxStateBytes: positive('awareness.maxStateBytes', a.maxStateBytes, d.maxStateBytes),
      flushMs: positive('awareness.flushMs', a.flushMs, d.flushMs, true),
      changesPerSecond: positive(
        'awareness.changesPerSecond',
        a.changesPerSecond,
        d.changesPerSecond,
      ),
      changeBurst: positive('awareness.changeBurst', a.changeBurst, d.changeBurst),
      framesPerSecond: positive('awareness.framesPerSecond', a.framesPerSecond, d.framesPerSecond),
      frameBurst: positive('awareness.frameBurst', a.frameBurst, d.frameBurst),
    },
    maxPendingBytes: positive(
      'sync.maxPendingBytes',
      o.maxPendingBytes,
      DEFAULTS.maxPendingBytes,
      true,
    ),
    maxDocBytes,
    compactAfterBytes: positive(
      'sync.compactAfterBytes',
      o.compactAfterBytes,
      DEFAULTS.compactAfterBytes,
    ),
    // At least one document and one largest message, or a legal write could never pass.
    maxLogBytes: Math.max(
      maxDocBytes + maxMessageBytes,
      positive('sync.maxLogBytes', o.maxLogBytes, DEFAULTS.maxLogBytes),
    ),
    bytesPerMinute: positive(
      'sync.bytesPerMinute',
      o.bytesPerMinute,
      DEFAULTS.flashbookBytesPerMinute,
    ),
    byteBurst: Math.max(
      maxMessageBytes,
      positive('sync.byteBurst', o.byteBurst, DEFAULTS.flashbookByteBurst),
    ),
  };
}

function publicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('PUBLIC_URL must be an http(s) address');
  }
  return url.href.replace(/\/+$/, '');
}

function positive(name: string, value: number | undefined, fallback: number, zeroOk = false) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < (zeroOk ? 0 : 1)) {
    throw new Error(`${name} must be a ${zeroOk ? 'non-negative' : 'positive'} integer`);
  }
  return value;
}

/** Reads the documented environment variables; throws a readable error on a malformed number. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): ServerOptions {
  const int = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    if (!/^\d+$/.test(raw.trim())) throw new Error(`${name} must be a non-negative integer`);
    return Number(raw.trim());
  };
  const level = env.LOG_LEVEL;
  if (level !== undefined && level !== '' && !isLogLevel(level)) {
    throw new Error('LOG_LEVEL must be one of debug, info, warn, error');
  }
  const awareness = {
    maxIdsPerConnection: int('AWARENESS_MAX_IDS'),
    maxStateBytes: int('AWARENESS_MAX_STATE_BYTES'),
    flushMs: int('AWARENESS_FLUSH_MS'),
    changesPerSecond: int('AWARENESS_CHANGES_PER_SECOND'),
    changeBurst: int('AWARENESS_CHANGE_BURST'),
    framesPerSecond: int('AWARENESS_FRAMES_PER_SECOND'),
    frameBurst: int('AWARENESS_FRAME_BURST'),
  };
  const sync = {
    awareness: defined(awareness),
    maxPendingBytes: int('MAX_PENDING_BYTES'),
    maxDocBytes: int('MAX_DOC_BYTES'),
    compactAfterBytes: int('COMPACT_AFTER_BYTES'),
    maxLogBytes: int('MAX_LOG_BYTES'),
    bytesPerMinute: int('FLASHBOOK_BYTES_PER_MINUTE'),
    byteBurst: int('FLASHBOOK_BYTE_BURST'),
  };
  const rateLimit = {
    messagesPerSecond: int('RATE_MESSAGES_PER_SECOND'),
    messageBurst: int('RATE_MESSAGE_BURST'),
    bytesPerSecond: int('RATE_BYTES_PER_SECOND'),
    byteBurst: int('RATE_BYTE_BURST'),
  };
  return {
    port: int('PORT'),
    maxBufferedBytes: int('MAX_BUFFERED_BYTES'),
    pingIntervalMs: int('PING_INTERVAL_MS'),
    compactAfterUpdates: int('COMPACT_AFTER_UPDATES'),
    rateLimit: defined(rateLimit),
    sync: defined(sync) as Partial<SyncLimitOptions>,
    host: env.HOST || undefined,
    dataDir: env.DATA_DIR || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    databasePool: defined({ max: int('PG_POOL_MAX') }),
    redisUrl: env.REDIS_URL || undefined,
    linkRecheckMs: int('LINK_RECHECK_MS'),
    inviteKey: env.INVITE_KEY || undefined,
    maxMessageBytes: int('MAX_MESSAGE_BYTES'),
    idleUnloadMs: int('IDLE_UNLOAD_MS'),
    versions: {
      intervalMs: int('VERSION_EVERY_MS'),
      maxBytesPerFlashbook: int('MAX_VERSION_BYTES_PER_FLASHBOOK'),
    },
    maxAssetBytes: int('MAX_ASSET_BYTES'),
    trustProxy: trustProxy(env.TRUST_PROXY),
    maxSocketsPerAddress: int('MAX_SOCKETS_PER_ADDRESS'),
    upgradeBurstPerAddress: int('UPGRADE_BURST_PER_ADDRESS'),
    upgradesPerSecondPerAddress: int('UPGRADES_PER_SECOND_PER_ADDRESS'),
    handshakeTimeoutMs: int('HANDSHAKE_TIMEOUT_MS'),
    createBurstPerAddress: int('CREATE_BURST_PER_ADDRESS'),
    createsPerHourPerAddress: int('CREATES_PER_HOUR_PER_ADDRESS'),
    maxImageBytesPerFlashbook: int('MAX_IMAGE_BYTES_PER_FLASHBOOK'),
    maxImagePixels: int('MAX_IMAGE_PIXELS'),
    staticDir: env.STATIC_DIR || undefined,
    publicUrl: env.PUBLIC_URL || undefined,
    logLevel: isLogLevel(level) ? level : undefined,
  };
}

function databaseUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw))
    throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL');
  return raw;
}

function redisUrl(raw: string | undefined, database: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^rediss?:\/\//.test(raw)) throw new Error('REDIS_URL must be a redis:// or rediss:// URL');
  // Instances share rooms through the database: on SQLite each would have its own.
  if (!database) throw new Error('REDIS_URL needs DATABASE_URL (instances share one PostgreSQL)');
  return raw;
}

/** TRUST_PROXY: a number of proxy hops; `true` means one, `false` none. */
function trustProxy(raw: string | undefined): number | undefined {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (value === 'false') return 0;
  if (value === 'true') return 1;
  if (!/^\d+$/.test(value))
    throw new Error('TRUST_PROXY must be a number of proxies, true or false');
  return Number(value);
}

/** Drops undefined fields, so that `{ ...defaults, ...given }`-style resolution sees only what was set. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
