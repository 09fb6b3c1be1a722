import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { isAssetId } from '../../src/model/schema.ts';
import { roleCanEdit } from '../auth/roles.ts';
import { authoriseRequest } from '../http/authorise.ts';
import type { Logger } from '../log.ts';
import { BASE_HEADERS, HttpError, sendJson } from '../http/respond.ts';
import type { FlashbookStore } from '../storage/types.ts';
import { ImageRefusal, sniffImage } from './sniff.ts';
import type { AssetStore, StoredAsset } from './store.ts';

/**
 * The image API of a flashbook:
 * - `POST /api/flashbooks/<id>/assets` (edit token; body: the raw bytes) → 201 StoredAsset
 * - `GET|HEAD /api/flashbooks/<id>/assets/<sha256>` (edit or view token) → the bytes
 *
 * Tokens travel in `Authorization: Bearer`, never in the URL: the client fetches images as blobs
 * and shows them from blob: URLs, which the export renderer and offline editing need anyway.
 */
export interface AssetsApiOptions {
  store: FlashbookStore;
  assets: AssetStore;
  maxAssetBytes: number;
  /** Distinct image bytes a flashbook may hold. */
  maxImageBytesPerFlashbook: number;
  /** Largest accepted width × height. */
  maxImagePixels: number;
  log: Logger;
}

/** Asset ids never change meaning, so any copy a browser holds stays valid forever. */
const ASSET_CACHE = 'private, max-age=31536000, immutable';

/**
 * How far past the limit an upload is still read (and discarded) before the 413: a server that
 * stops reading mid-upload makes browsers report a broken connection instead of the answer.
 */
const DRAIN_FACTOR = 4;

export async function uploadAsset(
  req: IncomingMessage,
  res: ServerResponse,
  flashbookId: string,
  opts: AssetsApiOptions,
): Promise<void> {
  const { role } = await authoriseRequest(req, flashbookId, opts.store);
  if (!roleCanEdit(role)) {
    throw new HttpError(
      403,
      'a view or comment link cannot change the flashbook; images need the edit link',
    );
  }
  return receiveImage(req, res, flashbookId, `/api/flashbooks/${flashbookId}/assets`, opts);
}

/**
 * Reads, checks and stores an uploaded image, granting it to `grantKey` (a flashbook id, or a
 * workspace's key from server/workspaces): the caller has authorised the request.
 */
export async function receiveImage(
  req: IncomingMessage,
  res: ServerResponse,
  grantKey: string,
  location: string,
  opts: AssetsApiOptions,
): Promise<void> {
  const flashbookId = grantKey;
  const limit = opts.maxAssetBytes;
  const body = await readBounded(req, limit, limit * DRAIN_FACTOR);
  if (body === 'too-large' || body === 'far-too-large') {
    return refuse(
      req,
      res,
      opts,
      413,
      {
        error: `the image is larger than ${formatBytes(limit)}; make it smaller and try again`,
        code: 'too-large',
        limit,
      },
      // Not worth reading to the end: answer and hang up.
      body === 'far-too-large' ? { connection: 'close' } : {},
    );
  }
  if (body.byteLength === 0) {
    return refuse(req, res, opts, 415, {
      error: 'the file is empty; only JPEG, PNG and WebP images are accepted',
      code: 'not-an-image',
    });
  }
  let image;
  try {
    image = sniffImage(body, { maxPixels: opts.maxImagePixels });
  } catch (err) {
    if (!(err instanceof ImageRefusal)) throw err;
    return refuse(req, res, opts, 415, {
      error: err.message,
      code: err.code,
      ...(err.format ? { format: err.format } : {}),
      ...err.details,
    });
  }
  const asset: StoredAsset = {
    id: createHash('sha256').update(body).digest('hex'),
    ...image,
    bytes: body.byteLength,
  };
  const quota = opts.maxImageBytesPerFlashbook;
  const put = await opts.assets.put(flashbookId, asset, body, quota);
  if (!put.stored) {
    // 413, not 5xx: the client's outbox must not retry it; the images stored stay as they are.
    return refuse(req, res, opts, 413, {
      error: `this flashbook has reached its image storage limit (${formatBytes(quota)}); the image was not stored`,
      code: 'quota',
      limit: quota,
      used: put.usedBytes,
    });
  }
  opts.log.info('asset-stored', {
    room: flashbookId,
    asset: asset.id,
    type: asset.type,
    bytes: asset.bytes,
  });
  sendJson(res, 201, asset, { location: `${location}/${asset.id}` });
}

export async function serveAsset(
  req: IncomingMessage,
  res: ServerResponse,
  flashbookId: string,
  assetId: string,
  opts: AssetsApiOptions,
): Promise<void> {
  await authoriseRequest(req, flashbookId, opts.store);
  return serveGranted(req, res, flashbookId, assetId, opts);
}

/** Sends an image granted to `grantKey` (the caller has authorised the request). */
export async function serveGranted(
  req: IncomingMessage,
  res: ServerResponse,
  grantKey: string,
  assetId: string,
  opts: Pick<AssetsApiOptions, 'assets'>,
): Promise<void> {
  if (!isAssetId(assetId)) throw new HttpError(400, 'invalid image id');
  const asset = await opts.assets.get(grantKey, assetId);
  if (!asset) throw new HttpError(404, 'this flashbook has no such image');
  const etag = `"${asset.id}"`;
  const headers = {
    ...BASE_HEADERS,
    'content-type': asset.type,
    'cache-control': ASSET_CACHE,
    etag,
    // Belt and braces: even if a browser were talked into rendering the bytes as a document,
    // nothing in it could run or load anything.
    'content-security-policy': "default-src 'none'; sandbox",
    'cross-origin-resource-policy': 'same-origin',
  };
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': String(asset.bytes) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(opts.assets.read(asset.id), res);
  } catch {
    // The client went away mid-send; headers are out, so just cut the connection.
    res.destroy();
  }
}

/**
 * A refused upload: `{ error, code, ... }`, where `code` is stable for the client to translate
 * and `error` says the same in English for everyone else.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  opts: AssetsApiOptions,
  status: number,
  body: { error: string; code: string; [key: string]: unknown },
  headers: Record<string, string> = {},
): void {
  opts.log.info('http-error', {
    method: req.method,
    path: req.url?.split('?')[0],
    status,
    reason: body.error,
  });
  sendJson(res, status, body, headers);
}

/**
 * The body, if it is at most `limit` bytes. Memory use is bounded by the limit: bytes past it are
 * counted and dropped until `drainCap`, after which reading stops altogether.
 */
function readBounded(
  req: IncomingMessage,
  limit: number,
  drainCap: number,
): Promise<Buffer | 'too-large' | 'far-too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > drainCap) return Promise.resolve('far-too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
      if (size > drainCap) {
        done();
        req.pause();
        resolve('far-too-large');
      }
    };
    const onEnd = () => {
      done();
      resolve(size > limit ? 'too-large' : Buffer.concat(chunks, size));
    };
    const onError = () => {
      done();
      // The client aborted the upload: its fault, and it will not read the answer anyway.
      reject(new HttpError(400, 'the upload was interrupted'));
    };
    const onClose = () => {
      if (!req.complete) onError();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

function formatBytes(n: number): string {
  const MiB = 1024 * 1024;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
