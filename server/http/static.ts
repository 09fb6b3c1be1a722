import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BASE_HEADERS, HttpError } from './respond.ts';
import { pageSecurityHeaders } from './security-headers.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

/** Text files worth compressing; fonts and images are compressed already. */
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.svg',
  '.json',
  '.map',
  '.txt',
  '.webmanifest',
]);
/** Larger files are sent as they are (source maps of the editor are the largest, ~5 MB). */
const MAX_COMPRESS_BYTES = 8 * 1024 * 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compressed copies, made once per file version: branch libraries on slow lines download the
 * editor's JavaScript at a quarter of its size. Keyed by path, size and mtime, so a new build is
 * never served from an old copy.
 */
const compressed = new Map<string, Promise<Buffer>>();

function compressedCopy(
  path: string,
  size: number,
  mtimeMs: number,
  encoding: 'br' | 'gzip',
): Promise<Buffer> {
  const key = `${encoding}:${path}:${size}:${mtimeMs}`;
  let copy = compressed.get(key);
  if (!copy) {
    copy = readFile(path).then((bytes) =>
      encoding === 'br'
        ? brotli(bytes, {
            params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
          })
        : gzipAsync(bytes, { level: 9 }),
    );
    // A failed read is not cached: the next request tries again.
    copy.catch(() => compressed.delete(key));
    compressed.set(key, copy);
  }
  return copy;
}

/** The best encoding the client accepts, for a file worth compressing. */
function chooseEncoding(req: IncomingMessage, path: string, size: number): 'br' | 'gzip' | null {
  if (!COMPRESSIBLE.has(extname(path).toLowerCase()) || size < 1024 || size > MAX_COMPRESS_BYTES)
    return null;
  const accepted = String(req.headers['accept-encoding'] ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
    .map(([name]) => name?.trim().toLowerCase());
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return null;
}

/** Vite puts content-hashed files under /assets: a changed file gets a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html first) must be revalidated, so a deploy is seen at once. */
const REVALIDATE = 'no-cache';

const NOT_BUILT =
  'Flashbook Studio server is running, but the web client is not built.\n' +
  'Run `npm run build` and reload this page.\n';

/**
 * Serves the built client. Paths with an extension are files (404 when missing); paths without
 * one are client routes (`/`, `/f/<id>`) and get index.html, which the SPA router takes over.
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  segments: string[],
): Promise<void> {
  // Dotfiles (.env, .git) are never part of a build.
  if (segments.some((s) => s.startsWith('.'))) throw new HttpError(404, 'not found');
  const isFile = extname(segments.at(-1) ?? '') !== '';
  if (!isFile) return serveIndex(req, res, root);
  const file = await resolveInside(root, segments);
  if (!file) throw new HttpError(404, 'not found');
  const cache = segments[0] === 'assets' ? IMMUTABLE : REVALIDATE;
  await sendFile(req, res, file.path, file.size, file.mtimeMs, cache);
}

async function serveIndex(req: IncomingMessage, res: ServerResponse, root: string) {
  const index = await resolveInside(root, ['index.html']);
  if (index) return sendFile(req, res, index.path, index.size, index.mtimeMs, REVALIDATE);
  res.writeHead(200, {
    ...BASE_HEADERS,
    ...pageSecurityHeaders(undefined, req.headers.host),
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : NOT_BUILT);
}

/**
 * The regular file at root/segments, or undefined. Containment is checked on real paths, so a
 * symlink inside the build cannot expose a file outside it either.
 */
async function resolveInside(root: string, segments: string[]) {
  try {
    const realRoot = await realpath(root);
    const path = await realpath(join(realRoot, ...segments));
    if (!path.startsWith(realRoot + sep)) return undefined;
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  size: number,
  mtimeMs: number,
  cacheControl: string,
): Promise<void> {
  const encoding = chooseEncoding(req, path, size);
  // Each representation has its own ETag, so a cache never answers a gzip client with brotli.
  const version = `${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}`;
  const etag = `"${version}${encoding ? `-${encoding}` : ''}"`;
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'content-type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    etag,
  };
  if (COMPRESSIBLE.has(extname(path).toLowerCase())) headers['vary'] = 'accept-encoding';
  if (extname(path).toLowerCase() === '.html') {
    Object.assign(headers, pageSecurityHeaders(undefined, req.headers.host));
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (encoding) {
    let body: Buffer;
    try {
      body = await compressedCopy(path, size, mtimeMs, encoding);
    } catch {
      throw new HttpError(404, 'not found');
    }
    res.writeHead(200, {
      ...headers,
      'content-encoding': encoding,
      'content-length': String(body.length),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': String(size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(path), res);
  } catch {
    // The client went away or the file vanished mid-send; headers are out, so just cut it.
    res.destroy();
  }
}
