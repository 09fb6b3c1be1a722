import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ImageType } from './sniff.ts';

/** What the server knows about an image a flashbook uses. */
export interface StoredAsset {
  /** Lowercase hex SHA-256 of the bytes. */
  id: string;
  type: ImageType;
  width: number;
  height: number;
  bytes: number;
}

/**
 * Where uploaded images live. Files are content-addressed, so an image used by many slides or
 * flashbooks is stored once; a flashbook may read an image only if it was uploaded to it (with
 * that flashbook's edit token), so holding one flashbook's link never opens another's images.
 */
/**
 * The outcome of `put`. `added` is false for an image the flashbook had already (a re-upload,
 * which never counts against the quota); a refusal stores nothing and changes nothing.
 */
export type PutResult =
  { stored: true; added: boolean; usedBytes: number } | { stored: false; usedBytes: number };

export interface AssetStore {
  /**
   * Stores checked bytes and grants them to a flashbook, unless the distinct bytes granted to it
   * would then exceed `quotaBytes`. Idempotent (a re-upload dedupes and always succeeds).
   */
  put(
    flashbookId: string,
    asset: StoredAsset,
    data: Uint8Array,
    quotaBytes?: number,
  ): Promise<PutResult>;
  /** Distinct bytes of the images granted to a flashbook. */
  usedBytes(flashbookId: string): Promise<number>;
  /** The asset if it was uploaded to this flashbook, else undefined. */
  get(flashbookId: string, assetId: string): Promise<StoredAsset | undefined>;
  /** The bytes of an asset returned by `get`. */
  read(assetId: string): Readable;
}

/**
 * AssetStore on the local disk, under `<dataDir>/assets/`:
 *
 * - `objects/<first two hex digits>/<sha256>`: the bytes, written once and never changed;
 * - `flashbooks/<flashbook id>/<sha256>.json`: the grant, holding type and size;
 * - `tmp/`: files being written. Everything is written there, flushed, then renamed into place,
 *   so a reader (or a crash) never sees half a file; leftovers are removed on start.
 *
 * The object is stored before the grant, so a grant always points at complete bytes. Ids and
 * flashbook ids are validated by the caller (hex and `[A-Za-z0-9_-]`), so they are safe file names.
 */
export class FileAssetStore implements AssetStore {
  private readonly tmp: string;
  /**
   * Bytes granted per flashbook, summed from its grant files once and then kept up to date by
   * `put`: this process is the only writer of the directory.
   */
  private readonly usage = new Map<string, number>();
  /** One put at a time per flashbook, so two uploads cannot both fit in the last free bytes. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(readonly root: string) {
    this.tmp = join(root, 'tmp');
    mkdirSync(join(root, 'objects'), { recursive: true });
    mkdirSync(join(root, 'flashbooks'), { recursive: true });
    mkdirSync(this.tmp, { recursive: true });
    // Uploads interrupted by a crash or kill; nothing refers to them.
    for (const name of readdirSync(this.tmp)) rmSync(join(this.tmp, name), { force: true });
  }

  private objectPath(assetId: string): string {
    return join(this.root, 'objects', assetId.slice(0, 2), assetId);
  }

  private grantPath(flashbookId: string, assetId: string): string {
    return join(this.root, 'flashbooks', flashbookId, `${assetId}.json`);
  }

  put(
    flashbookId: string,
    asset: StoredAsset,
    data: Uint8Array,
    quotaBytes = Infinity,
  ): Promise<PutResult> {
    return this.serially(flashbookId, async () => {
      const grant = this.grantPath(flashbookId, asset.id);
      const granted = (await sizeOf(grant)) !== undefined;
      const used = await this.usedBytes(flashbookId);
      if (!granted && used + data.byteLength > quotaBytes)
        return { stored: false, usedBytes: used };
      const object = this.objectPath(asset.id);
      if ((await sizeOf(object)) !== data.byteLength) {
        await this.writeAtomically(object, data);
      }
      if (granted) return { stored: true, added: false, usedBytes: used };
      const { id, type, width, height, bytes } = asset;
      const json = JSON.stringify({ id, type, width, height, bytes });
      await this.writeAtomically(grant, Buffer.from(json, 'utf8'));
      this.usage.set(flashbookId, used + bytes);
      return { stored: true, added: true, usedBytes: used + bytes };
    });
  }

  async usedBytes(flashbookId: string): Promise<number> {
    const cached = this.usage.get(flashbookId);
    if (cached !== undefined) return cached;
    const dir = join(this.root, 'flashbooks', flashbookId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      names = [];
    }
    let total = 0;
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const grant = JSON.parse(await readFile(join(dir, name), 'utf8')) as Partial<StoredAsset>;
        total += typeof grant.bytes === 'number' ? grant.bytes : 0;
      } catch {
        // An unreadable grant grants nothing (get() says so too) and costs nothing.
      }
    }
    // Another put may have finished meanwhile and set the exact figure.
    const raced = this.usage.get(flashbookId);
    if (raced !== undefined) return raced;
    this.usage.set(flashbookId, total);
    return total;
  }

  private serially<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  async get(flashbookId: string, assetId: string): Promise<StoredAsset | undefined> {
    let text: string;
    try {
      text = await readFile(this.grantPath(flashbookId, assetId), 'utf8');
    } catch {
      return undefined;
    }
    const asset = JSON.parse(text) as StoredAsset;
    // A grant whose bytes went missing (an operator cleaned up by hand) is as good as none.
    if ((await sizeOf(this.objectPath(assetId))) !== asset.bytes) return undefined;
    return asset;
  }

  read(assetId: string): Readable {
    return createReadStream(this.objectPath(assetId));
  }

  private async writeAtomically(path: string, data: Uint8Array): Promise<void> {
    const temp = join(this.tmp, randomBytes(12).toString('hex'));
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(data);
        // Flushed before the rename: after a power loss the name never points at missing bytes.
        await file.sync();
      } finally {
        await file.close();
      }
      await mkdir(dirname(path), { recursive: true });
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}
