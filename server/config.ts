import { resolve } from 'node:path';
import { isLogLevel, type LogLevel, type LogSink } from './log.ts';
import type { FlashbookStore } from './storage/types.ts';
import type { RateLimit } from './sync/rate-limit.ts';
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
  /** Largest accepted image upload (bytes); larger ones are refused with 413. Default 10 MiB. */
  maxAssetBytes?: number;
  /** Silence logs entirely. */
  quiet?: boolean;
  /** Receives every log entry instead of stdout (tests capture logs with it). */
  log?: LogSink;
  logLevel?: LogLevel;
  /** Storage to use instead of SQLite in dataDir (a future PostgreSQL store, or a test's own). */
  store?: FlashbookStore;
  /** The server's public address, e.g. https://studio.example.kz: exhibition pages' canonical and og:image. */
  publicUrl?: string;
  /** Called after each exhibition publish (server/exhibition/http.ts): the version history's hook. */
  onExhibitionPublished?: (event: PublishedEvent) => void;
}

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  inviteKey: string | undefined;
  maxMessageBytes: number;
  idleUnloadMs: number;
  staticDir: string;
  pingIntervalMs: number;
  maxBufferedBytes: number;
  rateLimit: RateLimit;
  compactAfterUpdates: number;
  maxAssetBytes: number;
  /** Request bodies of the JSON API; flashbook creation needs a few hundred bytes. */
  maxBodyBytes: number;
  publicUrl: string | undefined;
}

const MiB = 1024 * 1024;

export const DEFAULTS = {
  port: 8080,
  host: '0.0.0.0',
  dataDir: './data',
  maxMessageBytes: 8 * MiB,
  idleUnloadMs: 30_000,
  staticDir: './dist',
  pingIntervalMs: 30_000,
  maxBufferedBytes: 32 * MiB,
  messagesPerSecond: 200,
  messageBurst: 2000,
  bytesPerSecond: MiB,
  compactAfterUpdates: 500,
  maxAssetBytes: 10 * MiB,
  maxBodyBytes: 64 * 1024,
} as const;

export function resolveConfig(options: ServerOptions): ServerConfig {
  const maxMessageBytes = positive(
    'maxMessageBytes',
    options.maxMessageBytes,
    DEFAULTS.maxMessageBytes,
  );
  const rate = options.rateLimit ?? {};
  return {
    port: options.port ?? DEFAULTS.port,
    host: options.host ?? DEFAULTS.host,
    dataDir: resolve(options.dataDir ?? DEFAULTS.dataDir),
    // An empty key would make every request "match" nothing useful; treat it as unset.
    inviteKey: options.inviteKey ? options.inviteKey : undefined,
    maxMessageBytes,
    idleUnloadMs: positive('idleUnloadMs', options.idleUnloadMs, DEFAULTS.idleUnloadMs, true),
    staticDir: resolve(options.staticDir ?? DEFAULTS.staticDir),
    pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs, DEFAULTS.pingIntervalMs),
    maxBufferedBytes: positive(
      'maxBufferedBytes',
      options.maxBufferedBytes,
      DEFAULTS.maxBufferedBytes,
    ),
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
    maxAssetBytes: positive('maxAssetBytes', options.maxAssetBytes, DEFAULTS.maxAssetBytes),
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    publicUrl: publicUrl(options.publicUrl),
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
  return {
    port: int('PORT'),
    host: env.HOST || undefined,
    dataDir: env.DATA_DIR || undefined,
    inviteKey: env.INVITE_KEY || undefined,
    maxMessageBytes: int('MAX_MESSAGE_BYTES'),
    idleUnloadMs: int('IDLE_UNLOAD_MS'),
    maxAssetBytes: int('MAX_ASSET_BYTES'),
    staticDir: env.STATIC_DIR || undefined,
    publicUrl: env.PUBLIC_URL || undefined,
    logLevel: isLogLevel(level) ? level : undefined,
  };
}
