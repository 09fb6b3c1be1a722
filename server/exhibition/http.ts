import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import * as Y from 'yjs';
import { zipSync, strToU8, type Zippable } from 'fflate';
import { slugify } from '../../src/export/slug.ts';
import { renderGonePage } from '../../src/exhibition/page.tsx';
import { readFlashbook } from '../../src/model/flashbook.ts';
import { isAssetId } from '../../src/model/schema.ts';
import {
  isValidSlug,
  MAX_SLUG_LENGTH,
  normaliseOrigin,
  type ExhibitionState,
  type PublishResponse,
} from '../../src/protocol/exhibition.ts';
import type { AssetStore } from '../assets/store.ts';
import { roleCanEdit } from '../auth/roles.ts';
import { authoriseRequest } from '../http/authorise.ts';
import { readJsonBody } from '../http/body.ts';
import { BASE_HEADERS, HttpError, sendJson } from '../http/respond.ts';
import type { Logger } from '../log.ts';
import type { FlashbookStore } from '../storage/types.ts';
import { fontFile } from './fonts.ts';
import { freeze, renderPage, type Frozen } from './render.ts';
import type { ExhibitionStore, Publication } from './store.ts';

/** What a publish made: the hook versions (#15) use to record "this was published". */
export interface PublishedEvent {
  flashbookId: string;
  slug: string;
  publishedAt: number;
  /** The frozen Yjs state. */
  state: Uint8Array;
  posts: string[] | null;
}

export interface ExhibitionApiOptions {
  store: FlashbookStore;
  assets: AssetStore;
  exhibitions: ExhibitionStore;
  maxBodyBytes: number;
  log: Logger;
  /** The server's public address (`PUBLIC_URL`), for canonical and og:image; else from Host. */
  publicUrl: string | undefined;
  /** Called after every successful publish (the version history hooks in here). */
  onPublished?: (event: PublishedEvent) => void;
}

const MAX_EMBED_ORIGINS = 20;

async function authorise(
  req: IncomingMessage,
  id: string,
  opts: ExhibitionApiOptions,
  need: 'edit' | 'any',
) {
  const { role, record } = await authoriseRequest(req, id, opts.store);
  if (need === 'edit' && !roleCanEdit(role)) {
    throw new HttpError(403, 'only the edit or approve link may publish or unpublish');
  }
  return record;
}

/** The document as stored now: every update the server forwarded is in the store first. */
async function currentState(id: string, store: FlashbookStore): Promise<Uint8Array> {
  const { updates } = await store.loadUpdates(id);
  return Y.mergeUpdates(updates);
}

/** POST /api/flashbooks/<id>/exhibition */
export async function publish(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  opts: ExhibitionApiOptions,
): Promise<void> {
  const record = await authorise(req, id, opts, 'edit');
  const body = await optionalJsonBody(req, opts.maxBodyBytes);
  const previous = await opts.exhibitions.byFlashbook(id);

  const state = await currentState(id, opts.store);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const view = readFlashbook(doc);
  doc.destroy();

  let posts: string[] | null = null;
  if (body.posts !== undefined) {
    if (!Array.isArray(body.posts) || body.posts.some((p) => typeof p !== 'string')) {
      throw new HttpError(400, 'posts must be an array of post ids');
    }
    const known = new Set(view.posts.map((p) => p.id));
    const unknown = (body.posts as string[]).filter((p) => !known.has(p));
    if (unknown.length) throw new HttpError(400, `no such post: ${unknown[0]?.slice(0, 64)}`);
    posts = [...new Set(body.posts as string[])];
    if (!posts.length) throw new HttpError(400, 'choose at least one post');
  } else {
    // Review (#14): once any post is approved, the exhibition shows the approved posts only,
    // unless the request names the posts. A flashbook nobody reviews publishes everything.
    const approved = view.posts.filter((p) => p.status === 'approved').map((p) => p.id);
    if (approved.length) posts = approved;
  }

  let embedOrigins = previous?.embedOrigins ?? [];
  if (body.embedOrigins !== undefined) {
    if (!Array.isArray(body.embedOrigins) || body.embedOrigins.length > MAX_EMBED_ORIGINS) {
      throw new HttpError(
        400,
        `embedOrigins must be an array of at most ${MAX_EMBED_ORIGINS} origins`,
      );
    }
    embedOrigins = [];
    for (const o of body.embedOrigins as unknown[]) {
      const origin = normaliseOrigin(o);
      if (!origin)
        throw new HttpError(400, 'embedOrigins must be origins such as https://library.example.kz');
      if (!embedOrigins.includes(origin)) embedOrigins.push(origin);
    }
  }

  let ogImage: string | undefined;
  if (body.ogImage !== undefined) {
    const asset = isAssetId(body.ogImage) ? await opts.assets.get(id, body.ogImage) : undefined;
    if (!asset || asset.type !== 'image/jpeg') {
      throw new HttpError(400, 'ogImage must be the id of a JPEG uploaded to this flashbook');
    }
    ogImage = asset.id;
  }

  const publishedAt = Date.now();
  const base = {
    flashbookId: id,
    state,
    posts,
    embedOrigins,
    ogImage,
    publishedAt,
    unpublishedAt: undefined,
  };
  let saved: Publication | undefined;
  if (body.slug !== undefined) {
    if (!isValidSlug(body.slug)) {
      throw new HttpError(
        400,
        `slug must be 1 to ${MAX_SLUG_LENGTH} lowercase letters a-z, digits and single hyphens`,
      );
    }
    const candidate = { ...base, slug: body.slug };
    if (!(await opts.exhibitions.save(candidate))) {
      throw new HttpError(409, 'another exhibition has this address');
    }
    saved = candidate;
  } else if (previous) {
    const candidate = { ...base, slug: previous.slug };
    if (await opts.exhibitions.save(candidate)) saved = candidate;
  } else {
    const stem = slugify(view.title || record.title, { maxLength: 60, fallback: 'exhibition' });
    for (let n = 1; n <= 100 && !saved; n++) {
      const candidate = { ...base, slug: n === 1 ? stem : `${stem}-${n}` };
      if (await opts.exhibitions.save(candidate)) saved = candidate;
    }
  }
  if (!saved) throw new Error('could not store the publication');
  cache.delete(saved.slug);
  if (previous && previous.slug !== saved.slug) cache.delete(previous.slug);
  opts.log.info('exhibition-published', { room: id, slug: saved.slug });
  opts.onPublished?.({ flashbookId: id, slug: saved.slug, publishedAt, state, posts });
  const answer: PublishResponse = { url: `/e/${saved.slug}`, publishedAt };
  sendJson(res, 200, answer);
}

/** DELETE /api/flashbooks/<id>/exhibition */
export async function unpublish(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  opts: ExhibitionApiOptions,
): Promise<void> {
  await authorise(req, id, opts, 'edit');
  const previous = await opts.exhibitions.byFlashbook(id);
  if (!previous?.state) throw new HttpError(404, 'this flashbook is not published');
  await opts.exhibitions.unpublish(id, Date.now());
  cache.delete(previous.slug);
  opts.log.info('exhibition-unpublished', { room: id, slug: previous.slug });
  res.writeHead(204, { ...BASE_HEADERS, 'cache-control': 'no-store' });
  res.end();
}

/** GET /api/flashbooks/<id>/exhibition: the publication state for the editor (either token). */
export async function getExhibition(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  opts: ExhibitionApiOptions,
): Promise<void> {
  await authorise(req, id, opts, 'any');
  const p = await opts.exhibitions.byFlashbook(id);
  const state: ExhibitionState = p
    ? {
        published: p.state !== undefined,
        slug: p.slug,
        url: `/e/${p.slug}`,
        publishedAt: p.publishedAt,
        unpublishedAt: p.state ? undefined : p.unpublishedAt,
        posts: p.posts,
        embedOrigins: p.embedOrigins,
      }
    : { published: false, embedOrigins: [] };
  sendJson(res, 200, state);
}

async function optionalJsonBody(
  req: IncomingMessage,
  limit: number,
): Promise<Record<string, unknown>> {
  const length = req.headers['content-length'];
  const hasBody = (length !== undefined && length !== '0') || req.headers['transfer-encoding'];
  if (!hasBody) return {};
  const body = await readJsonBody(req, limit);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// The public side: /e/<slug>, its images, fonts and ZIP. No token: publishing made it public.

/** Frozen publications by slug, read once per publish (dropped on publish and unpublish). */
const cache = new Map<string, { publishedAt: number | undefined; frozen: Frozen | undefined }>();
const MAX_CACHED = 64;

async function published(slug: string, opts: ExhibitionApiOptions) {
  if (!isValidSlug(slug)) return undefined;
  const p = await opts.exhibitions.bySlug(slug);
  if (!p) return undefined;
  const hit = cache.get(slug);
  if (
    hit &&
    hit.publishedAt === p.publishedAt &&
    (hit.frozen !== undefined) === (p.state !== undefined)
  ) {
    return { publication: p, frozen: hit.frozen };
  }
  const frozen = freeze(p);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(slug, { publishedAt: p.publishedAt, frozen });
  return { publication: p, frozen };
}

function origin(req: IncomingMessage, opts: ExhibitionApiOptions): string {
  if (opts.publicUrl) return opts.publicUrl.replace(/\/+$/, '');
  const host = req.headers.host ?? '';
  // A Host header is the client's word: only a plain host[:port] is used in links.
  return /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)
    ? `http://${host}`
    : 'http://localhost';
}

/**
 * The page's own policy. No script at all (the page has none); styles inline (the slides carry
 * their theme as style attributes); images and fonts only from here; framing only by the
 * exhibition's allow-list (`frame-ancestors`: a <meta> cannot carry it).
 */
function pageHeaders(p: Publication): Record<string, string> {
  const ancestors = ["'self'", ...p.embedOrigins].join(' ');
  return {
    ...BASE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy':
      "default-src 'none'; img-src 'self'; font-src 'self'; style-src 'unsafe-inline'; " +
      `base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`,
    'cache-control': 'no-cache',
  };
}

/** The reader's language for the 410 page, from Accept-Language (the content is gone). */
function preferredLang(req: IncomingMessage): 'ru' | 'kk' | 'en' {
  for (const part of (req.headers['accept-language'] ?? '').split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if (code === 'kk' || code === 'ru' || code === 'en') return code;
  }
  return 'ru';
}

function gone(res: ServerResponse, lang: 'ru' | 'kk' | 'en'): void {
  const html = renderGonePage(lang);
  res.writeHead(410, {
    ...BASE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'x-robots-tag': 'noindex',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(res.req.method === 'HEAD' ? undefined : html);
}

/** GET /e/<slug>[/<file>] */
export async function servePublic(
  req: IncomingMessage,
  res: ServerResponse,
  rest: string[],
  opts: ExhibitionApiOptions,
): Promise<void> {
  const [slug = '', kind, name, ...extra] = rest;
  const found = await published(slug, opts);
  if (!found) throw new HttpError(404, 'no such exhibition');
  const { publication, frozen } = found;
  if (!frozen) return gone(res, preferredLang(req));
  const base = `/e/${publication.slug}/`;
  const canonicalUrl = `${origin(req, opts)}/e/${publication.slug}`;
  if (kind === undefined) {
    const accepts = req.headers['accept-encoding'] ?? '';
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : '';
    const key = `${encoding}|${canonicalUrl}`;
    let body = frozen.pages.get(key);
    if (body === undefined) {
      const html = Buffer.from(
        renderPage(frozen, {
          canonicalUrl,
          absoluteBase: `${canonicalUrl}/`,
          base,
          imageName: (id) => `images/${id}`,
          online: true,
        }).html,
      );
      // Branch libraries' slow lines: the page crosses them at about a fifth of its size.
      body =
        encoding === 'br' ? brotliCompressSync(html) : encoding === 'gzip' ? gzipSync(html) : html;
      // A few host names and encodings at most; never grow without bound.
      if (frozen.pages.size < 12) frozen.pages.set(key, body);
    }
    const headers = {
      ...pageHeaders(publication),
      vary: 'Accept-Encoding',
      ...(encoding ? { 'content-encoding': encoding } : {}),
    };
    const hostTag = createHash('sha256').update(canonicalUrl).digest('base64url').slice(0, 16);
    const etag = `"${publication.publishedAt}-${hostTag}${encoding ? `-${encoding}` : ''}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ...headers, etag });
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, etag, 'content-length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (extra.length || !name) {
    if (kind === 'exhibition.zip' && !name) return sendZip(req, res, frozen, canonicalUrl, opts);
    throw new HttpError(404, 'no such file');
  }
  if (kind === 'images') {
    if (!frozen.images.has(name)) throw new HttpError(404, 'this exhibition shows no such image');
    const asset = await opts.assets.get(publication.flashbookId, name);
    if (!asset) throw new HttpError(404, 'image not found');
    return sendStream(
      req,
      res,
      opts.assets.read(asset.id),
      asset.type,
      asset.bytes,
      publicHeaders(),
    );
  }
  if (kind === 'fonts') {
    const file = fontFile(name, frozen.families);
    if (!file) throw new HttpError(404, 'no such font');
    const data = await readFile(file.path);
    return sendStream(req, res, undefined, 'font/woff2', data.length, publicHeaders(), data);
  }
  throw new HttpError(404, 'no such file');
}

function publicHeaders(): Record<string, string> {
  return {
    ...BASE_HEADERS,
    // Content-addressed images and versioned font files never change under one name.
    'cache-control': 'public, max-age=86400',
    'content-security-policy': "default-src 'none'; sandbox",
  };
}

async function sendStream(
  req: IncomingMessage,
  res: ServerResponse,
  stream: Readable | undefined,
  type: string,
  bytes: number,
  headers: Record<string, string>,
  data?: Buffer,
): Promise<void> {
  res.writeHead(200, { ...headers, 'content-type': type, 'content-length': String(bytes) });
  if (req.method === 'HEAD') {
    stream?.destroy();
    res.end();
    return;
  }
  if (data || !stream) {
    res.end(data);
    return;
  }
  try {
    await pipeline(stream, res);
  } catch {
    res.destroy();
  }
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/**
 * GET /e/<slug>/exhibition.zip: the page as a folder a library puts on its own site: index.html
 * with its styles inline, images/ and fonts/, every link relative (works from any sub-path and
 * from file://; nothing is fetched from another origin).
 */
async function sendZip(
  req: IncomingMessage,
  res: ServerResponse,
  frozen: Frozen,
  canonicalUrl: string,
  opts: ExhibitionApiOptions,
): Promise<void> {
  const { publication } = frozen;
  const types = new Map<string, string>();
  const tree: Zippable = {};
  const mtime = new Date(publication.publishedAt ?? Date.now());
  for (const id of frozen.images) {
    const asset = await opts.assets.get(publication.flashbookId, id);
    if (!asset) continue;
    types.set(id, asset.type);
    const bytes = await streamBytes(opts.assets.read(asset.id));
    tree[`images/${id}.${EXTENSIONS[asset.type] ?? 'img'}`] = [bytes, { level: 0, mtime }];
  }
  const { html, fontFiles } = renderPage(frozen, {
    canonicalUrl,
    absoluteBase: `${canonicalUrl}/`,
    base: '',
    imageName: (id) => `images/${id}.${EXTENSIONS[types.get(id) ?? ''] ?? 'img'}`,
    online: false,
  });
  tree['index.html'] = [strToU8(html), { level: 6, mtime }];
  for (const f of fontFiles)
    tree[`fonts/${f.name}`] = [await readFile(f.path), { level: 0, mtime }];
  const zip = zipSync(tree);
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': 'application/zip',
    'content-length': String(zip.length),
    'content-disposition': `attachment; filename="${publication.slug}.zip"`,
    'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : zip);
}

async function streamBytes(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
