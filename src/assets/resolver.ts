import { db, type OutboxEntry } from '../local/db.ts';
import { isAssetId } from '../model/schema.ts';
import type { AssetResolver } from '../slide/asset-resolver.ts';
import { AssetRequestError, fetchAsset, uploadAsset, type UploadedAsset } from './api.ts';

/** Why an image is not shown (yet). */
export type AssetProblem = 'offline' | 'missing' | 'failed';

/** Where an image added on this device stands with the server. */
export type UploadState = { state: 'queued' } | { state: 'refused'; error: AssetRequestError };

/** Backoff of outbox retries: 2 s, 4 s, … up to a minute. */
const backoff = (attempts: number) => Math.min(60_000, 2000 * 2 ** Math.max(0, attempts - 1));

/** After a failed load, `url()` does not try again for this long (a reconnect retries at once). */
const RETRY_AFTER_MS = 15_000;

/**
 * The images of one open flashbook: the AssetResolver that slides use, plus uploads.
 *
 * An image is looked up in the browser's Dexie cache first and fetched from the server (with the
 * flashbook's token) only when missing, then kept there: the next visit, and editing offline,
 * need no network. Uploaded images go into the cache straight away, so the uploader never
 * downloads them again. Every image is handed out as a blob: URL, revoked on `destroy()`.
 */
export class FlashbookAssets implements AssetResolver {
  private readonly urls = new Map<string, string>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly failures = new Map<string, { at: number; problem: AssetProblem }>();
  private readonly listeners = new Set<() => void>();
  /** This flashbook's outbox, mirrored from Dexie for synchronous reads while rendering. */
  private readonly outbox = new Map<string, OutboxEntry>();
  private flushing = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private destroyed = false;

  constructor(
    readonly flashbookId: string,
    /** Null while the flashbook, created offline, has no token yet: uploads wait in the outbox. */
    private readonly token: string | null,
    /** Whether this user may add images (an editor). */
    readonly canUpload: boolean,
  ) {
    window.addEventListener('online', this.onOnline);
    this.timer = setInterval(() => void this.flushOutbox(), 2000);
    void readOutbox(flashbookId).then((entries) => {
      for (const e of entries) this.outbox.set(e.assetId, e);
      this.notify();
      void this.flushOutbox();
    });
  }

  url(assetId: string): string | undefined {
    const url = this.urls.get(assetId);
    if (url || !isAssetId(assetId) || this.destroyed) return url;
    const failure = this.failures.get(assetId);
    if (!this.pending.has(assetId) && (!failure || Date.now() - failure.at > RETRY_AFTER_MS)) {
      // Called during render: loading must only start here; its result arrives through subscribe.
      this.load(assetId).catch(() => {});
    }
    return undefined;
  }

  load(assetId: string): Promise<string> {
    const url = this.urls.get(assetId);
    if (url) return Promise.resolve(url);
    let promise = this.pending.get(assetId);
    if (!promise) {
      promise = this.fetchOne(assetId).finally(() => this.pending.delete(assetId));
      this.pending.set(assetId, promise);
    }
    return promise;
  }

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  /** Why the last attempt to load an image failed, if it did. */
  problem(assetId: string): AssetProblem | undefined {
    return this.urls.has(assetId) ? undefined : this.failures.get(assetId)?.problem;
  }

  /**
   * Where an image added on this device stands with the server: its outbox entry (the same object
   * until it changes, as useSyncExternalStore needs), or undefined once uploaded.
   */
  uploadState(assetId: string): OutboxEntry | undefined {
    return this.outbox.get(assetId);
  }

  /**
   * Uploads prepared bytes; the image is cached and shown at once. Without the network (or before
   * a flashbook created offline has its token) it is kept on this device and put in the outbox,
   * which uploads it later: the returned asset then has `queued: true`. A refusal by the server
   * (not an image, too large) is thrown.
   */
  async upload(
    blob: Blob,
    opts: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
  ): Promise<UploadedAsset & { queued?: boolean }> {
    if (!this.canUpload) throw new AssetRequestError('view only', 403);
    if (this.token !== null && navigator.onLine) {
      try {
        const asset = await uploadAsset({
          flashbookId: this.flashbookId,
          token: this.token,
          blob,
          ...opts,
        });
        await this.remember(asset.id, blob);
        return asset;
      } catch (err) {
        if (!(err instanceof AssetRequestError && err.status === 0)) throw err;
      }
    }
    const id = await sha256Hex(blob);
    if (!id)
      throw new AssetRequestError('this browser cannot keep images offline (no Web Crypto)', 0);
    await this.remember(id, blob);
    await this.enqueue(id);
    return { id, type: blob.type, bytes: blob.size, queued: true };
  }

  private async enqueue(assetId: string): Promise<void> {
    const entry: OutboxEntry = {
      flashbookId: this.flashbookId,
      assetId,
      attempts: 0,
      nextAttemptAt: 0,
    };
    this.outbox.set(assetId, entry);
    await db.outbox.put(entry).catch(() => undefined);
    this.notify();
  }

  /** Uploads what waits in the outbox, each entry when its backoff allows. */
  async flushOutbox(): Promise<void> {
    if (this.flushing || this.destroyed || this.token === null || !navigator.onLine) return;
    this.flushing = true;
    try {
      for (const entry of [...this.outbox.values()]) {
        if (entry.refused || entry.nextAttemptAt > Date.now() || this.destroyed) continue;
        const blob = await readCache(entry.assetId);
        try {
          if (!blob) throw new AssetRequestError('the copy on this device is gone', 410);
          await uploadAsset({ flashbookId: this.flashbookId, token: this.token, blob });
          this.outbox.delete(entry.assetId);
          await db.outbox.delete([this.flashbookId, entry.assetId]).catch(() => undefined);
        } catch (err) {
          const e = err instanceof AssetRequestError ? err : new AssetRequestError(String(err), 0);
          const retry = e.status === 0 || e.status >= 500 || e.status === 429;
          const next: OutboxEntry = retry
            ? {
                ...entry,
                attempts: entry.attempts + 1,
                nextAttemptAt: Date.now() + backoff(entry.attempts + 1),
              }
            : {
                ...entry,
                refused: {
                  status: e.status,
                  message: e.message,
                  code: e.code,
                  format: e.details.format,
                  limit: e.details.limit,
                },
              };
          this.outbox.set(entry.assetId, next);
          await db.outbox.put(next).catch(() => undefined);
        }
        this.notify();
      }
    } finally {
      this.flushing = false;
    }
  }

  destroy(): void {
    this.destroyed = true;
    clearInterval(this.timer);
    window.removeEventListener('online', this.onOnline);
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls.clear();
    this.listeners.clear();
  }

  private readonly onOnline = () => {
    this.failures.clear();
    // Back online: retry waiting uploads now rather than after their backoff.
    for (const [id, e] of this.outbox)
      if (!e.refused) this.outbox.set(id, { ...e, nextAttemptAt: 0 });
    this.notify();
    void this.flushOutbox();
  };

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async fetchOne(assetId: string): Promise<string> {
    try {
      let blob = await readCache(assetId);
      if (!blob) {
        if (this.token === null) throw new AssetRequestError('not on this device', 0);
        blob = await fetchAsset(this.flashbookId, this.token, assetId);
        if (await hashMatches(blob, assetId)) await writeCache(assetId, blob);
      }
      return this.show(assetId, blob);
    } catch (err) {
      const problem: AssetProblem =
        err instanceof AssetRequestError
          ? err.status === 0
            ? 'offline'
            : err.status === 404
              ? 'missing'
              : 'failed'
          : 'failed';
      this.failures.set(assetId, { at: Date.now(), problem });
      this.notify();
      throw err;
    }
  }

  private async remember(assetId: string, blob: Blob): Promise<void> {
    await writeCache(assetId, blob);
    if (!this.urls.has(assetId)) this.show(assetId, blob);
  }

  private show(assetId: string, blob: Blob): string {
    if (this.destroyed) throw new Error('the flashbook was closed');
    const existing = this.urls.get(assetId);
    if (existing) return existing;
    const url = URL.createObjectURL(blob);
    this.urls.set(assetId, url);
    this.failures.delete(assetId);
    this.notify();
    return url;
  }
}

// The cache may be unavailable (private windows of some browsers, storage full): images then
// simply come from the server every time.

export async function readCache(assetId: string): Promise<Blob | undefined> {
  try {
    return (await db.assets.get(assetId))?.blob;
  } catch {
    return undefined;
  }
}

export async function writeCache(assetId: string, blob: Blob): Promise<void> {
  try {
    await db.assets.put({ id: assetId, blob, storedAt: Date.now() });
  } catch {
    // Not cached: it will be fetched again next time.
  }
}

/**
 * Whether the bytes are what the id says. Only such bytes are cached, so a broken proxy cannot
 * plant a wrong picture for good. Without Web Crypto (plain http on a LAN address) it trusts them.
 */
export async function hashMatches(blob: Blob, assetId: string): Promise<boolean> {
  const hex = await sha256Hex(blob);
  return hex === null || hex === assetId;
}

/** The asset id of some bytes (what the server computes too); null without Web Crypto. */
async function sha256Hex(blob: Blob): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function readOutbox(flashbookId: string): Promise<OutboxEntry[]> {
  try {
    return await db.outbox.where('flashbookId').equals(flashbookId).toArray();
  } catch {
    return [];
  }
}

/** The server's refusal of an outbox entry, as the error the upload would have thrown. */
export function refusalError(entry: OutboxEntry): AssetRequestError | undefined {
  const r = entry.refused;
  return (
    r && new AssetRequestError(r.message, r.status, r.code, { format: r.format, limit: r.limit })
  );
}
