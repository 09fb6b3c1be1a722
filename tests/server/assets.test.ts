import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { optionsFromEnv, resolveConfig } from '../../server/config.ts';
import pg from 'pg';
import {
  databaseUrlFor,
  Harness,
  TEST_STORE,
  type CreatedFlashbook,
  type TestServer,
} from '../helpers/server.ts';

/** Image fixtures drawn by tests/fixtures/images/generate.ts. */
const fixture = (name: string): Buffer =>
  readFileSync(join(import.meta.dirname, '../fixtures/images', name));

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const h = new Harness();
afterEach(() => h.cleanup());

function upload(
  server: TestServer,
  fb: CreatedFlashbook,
  body: Uint8Array,
  opts: { token?: string; type?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': opts.type ?? 'image/jpeg' };
  const token = opts.token ?? fb.editToken;
  if (token) headers['authorization'] = `Bearer ${token}`;
  return fetch(`${server.url}/api/flashbooks/${fb.id}/assets`, {
    method: 'POST',
    headers,
    body: new Uint8Array(body),
  });
}

function download(
  server: TestServer,
  flashbookId: string,
  assetId: string,
  token: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Response> {
  return fetch(`${server.url}/api/flashbooks/${flashbookId}/assets/${assetId}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

async function refusal(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: string; code?: string; format?: string };
  expect(typeof body.error).toBe('string');
  return body;
}

/** Files in the content-addressed store (nothing else is written there). */
/** Image objects stored: files under the data dir, or rows on PostgreSQL (TEST_STORE). */
async function storedObjects(server: TestServer): Promise<string[]> {
  const url = await databaseUrlFor(server.dataDir);
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>(
        'SELECT id FROM asset_objects ORDER BY id',
      );
      return rows.map((r) => r.id);
    } finally {
      await client.end();
    }
  }
  const root = join(server.dataDir, 'assets', 'objects');
  return readdirSync(root).flatMap((dir) => readdirSync(join(root, dir)));
}

async function started(options: Parameters<Harness['start']>[0] = {}) {
  const server = await h.start(options);
  const fb = await h.create(server.url);
  return { server, fb };
}

describe('image upload', () => {
  const ACCEPTED = [
    ['cover.jpg', 'image/jpeg', 360, 540],
    ['cover.png', 'image/png', 180, 270],
    ['logo.png', 'image/png', 128, 128],
    ['cover.webp', 'image/webp', 360, 540],
    ['cover-simple.webp', 'image/webp', 360, 540],
    ['cover-lossless.webp', 'image/webp', 120, 180],
    ['cover-simple-lossless.webp', 'image/webp', 120, 180],
    ['logo.webp', 'image/webp', 128, 128],
  ] as const;

  it.each(ACCEPTED)(
    'accepts %s and serves it back byte for byte',
    async (file, type, width, height) => {
      const { server, fb } = await started();
      const bytes = fixture(file);
      const res = await upload(server, fb, bytes, { type: 'application/octet-stream' });
      expect(res.status).toBe(201);
      const id = sha256(bytes);
      expect(await res.json()).toEqual({ id, type, width, height, bytes: bytes.length });
      expect(res.headers.get('location')).toBe(`/api/flashbooks/${fb.id}/assets/${id}`);

      const got = await download(server, fb.id, id, fb.editToken);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
      expect(got.headers.get('content-type')).toBe(type);
      expect(got.headers.get('content-length')).toBe(String(bytes.length));
      expect(got.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('etag')).toBe(`"${id}"`);
      expect(got.headers.get('content-security-policy')).toContain('sandbox');
    },
  );

  it('answers a revalidation with 304 and HEAD with the headers only', async () => {
    const { server, fb } = await started();
    const bytes = fixture('cover.jpg');
    const id = sha256(bytes);
    expect((await upload(server, fb, bytes)).status).toBe(201);
    const again = await download(server, fb.id, id, fb.viewToken, { 'if-none-match': `"${id}"` });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(`"${id}"`);
    const head = await download(server, fb.id, id, fb.viewToken, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('decides the type from the bytes, never from the declared Content-Type', async () => {
    const { server, fb } = await started();
    const png = await upload(server, fb, fixture('cover.png'), { type: 'text/html' });
    expect(png.status).toBe(201);
    expect(((await png.json()) as { type: string }).type).toBe('image/png');
    const svg = await upload(server, fb, fixture('drawing.svg'), { type: 'image/png' });
    expect((await refusal(svg, 415)).code).toBe('unsupported-format');
  });

  it('refuses SVG, GIF, HTML, a text file named .jpg, garbage and empty files', async () => {
    const { server, fb } = await started();
    const cases: [string, Uint8Array, RegExp, string, string?][] = [
      ['SVG', fixture('drawing.svg'), /SVG images are not accepted/, 'unsupported-format', 'SVG'],
      ['GIF', fixture('animation.gif'), /GIF images are not accepted/, 'unsupported-format', 'GIF'],
      ['HTML', fixture('page.png'), /HTML page, not an image/, 'not-an-image'],
      ['text', fixture('notes.jpg'), /not a JPEG, PNG or WebP image/, 'not-an-image'],
      [
        'garbage',
        new Uint8Array(4096).map((_, i) => (i * 7919) % 251),
        /not a JPEG/,
        'not-an-image',
      ],
      ['empty', new Uint8Array(0), /empty/, 'not-an-image'],
    ];
    for (const [what, bytes, message, code, format] of cases) {
      const body = await refusal(await upload(server, fb, bytes), 415);
      expect(body.error, what).toMatch(message);
      expect(body.error, what).toMatch(/only JPEG, PNG and WebP/);
      expect(body.code, what).toBe(code);
      expect(body.format, what).toBe(format);
    }
    expect(await storedObjects(server)).toEqual([]);
  });

  it('refuses truncated and corrupted images of every accepted type', async () => {
    const { server, fb } = await started();
    for (const file of ['cover.jpg', 'cover.png', 'cover.webp', 'cover-simple-lossless.webp']) {
      const bytes = fixture(file);
      for (const cut of [0.5, 0.98]) {
        const truncated = bytes.subarray(0, Math.floor(bytes.length * cut));
        const body = await refusal(await upload(server, fb, truncated), 415);
        expect(body.code, `${file} cut at ${cut}`).toBe('damaged');
        expect(body.error).toMatch(/damaged or incomplete/);
      }
    }
    // A flipped bit inside a PNG chunk fails its checksum.
    const png = Buffer.from(fixture('cover.png'));
    png[png.length - 40] = (png[png.length - 40] as number) ^ 0x01;
    expect((await refusal(await upload(server, fb, png), 415)).code).toBe('damaged');
    // Right magic bytes, nothing behind them.
    const magic = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    expect((await refusal(await upload(server, fb, magic), 415)).code).toBe('damaged');
    expect(await storedObjects(server)).toEqual([]);
  });

  it('stores each image once, however often and wherever it is uploaded', async () => {
    const { server, fb } = await started();
    const other = await h.create(server.url, 'Another flashbook');
    const bytes = fixture('cover.jpg');
    const first = (await (await upload(server, fb, bytes)).json()) as { id: string };
    const second = (await (await upload(server, fb, bytes)).json()) as { id: string };
    const third = (await (await upload(server, other, bytes)).json()) as { id: string };
    expect(second.id).toBe(first.id);
    expect(third.id).toBe(first.id);
    expect(await storedObjects(server)).toEqual([first.id]);
    for (const f of [fb, other]) {
      expect((await download(server, f.id, first.id, f.viewToken)).status).toBe(200);
    }
  });

  it('keeps images across a restart and removes interrupted uploads', async () => {
    const { server, fb } = await started();
    const bytes = fixture('cover.webp');
    expect((await upload(server, fb, bytes)).status).toBe(201);
    await server.close();
    if (TEST_STORE === 'postgres') {
      // An upload is one transaction there: nothing half-written can be left over.
      const restarted = await h.start({ dataDir: server.dataDir });
      const got = await download(restarted, fb.id, sha256(bytes), fb.editToken);
      expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
      return;
    }
    writeFileSync(join(server.dataDir, 'assets', 'tmp', 'interrupted'), 'half an upload');
    const restarted = await h.start({ dataDir: server.dataDir });
    const got = await download(restarted, fb.id, sha256(bytes), fb.editToken);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect(readdirSync(join(server.dataDir, 'assets', 'tmp'))).toEqual([]);
  });
});

describe('image size limit', () => {
  it('defaults to 10 MiB and reads MAX_ASSET_BYTES', () => {
    expect(resolveConfig({}).maxAssetBytes).toBe(10 * 1024 * 1024);
    expect(optionsFromEnv({ MAX_ASSET_BYTES: '2097152' }).maxAssetBytes).toBe(2097152);
    expect(() => optionsFromEnv({ MAX_ASSET_BYTES: '2 MB' })).toThrow(/MAX_ASSET_BYTES/);
    expect(() => resolveConfig({ maxAssetBytes: 0 })).toThrow(/maxAssetBytes/);
  });

  it('refuses a larger image with 413 and a clear message, and takes one at the limit', async () => {
    // The fixture is drawn by this machine's Chromium, so its size is only known in the run: the
    // limit is a fixed number below it, and the message must name that limit.
    const bytes = fixture('cover.jpg');
    const limit = 10_000;
    expect(bytes.length).toBeGreaterThan(limit);
    const { server, fb } = await started({ maxAssetBytes: limit });
    const body = await refusal(await upload(server, fb, bytes), 413);
    expect(body).toMatchObject({ code: 'too-large', limit });
    expect(body.error).toContain('larger than 9.8 KB');
    expect(await storedObjects(server)).toEqual([]);

    const exact = await started({ maxAssetBytes: bytes.length });
    expect((await upload(exact.server, exact.fb, bytes)).status).toBe(201);
  });

  it('counts streamed bytes, whatever Content-Length says', async () => {
    const { server, fb } = await started({ maxAssetBytes: 64 * 1024 });
    // Chunked, without Content-Length: the limit must hold while reading. A little over the
    // limit is read to the end (so browsers see the answer); far over it, reading stops.
    const little = await rawUpload(server, fb, { chunks: 20, chunkBytes: 8 * 1024 });
    expect(little.status).toBe(413);
    expect(JSON.parse(little.body)).toMatchObject({ code: 'too-large' });
    expect(little.connection).not.toBe('close');
    const far = await rawUpload(server, fb, { chunks: 200, chunkBytes: 8 * 1024, stream: true });
    expect(far.status).toBe(413);
    expect(far.connection).toBe('close');
  });

  it('answers at once when the declared size is far beyond the limit', async () => {
    const { server, fb } = await started({ maxAssetBytes: 1024 });
    const { status, body, connection } = await rawUpload(server, fb, {
      chunks: 1,
      chunkBytes: 1024,
      declared: 1024 * 1024 * 1024,
    });
    expect(status).toBe(413);
    expect(connection).toBe('close');
    expect(JSON.parse(body)).toMatchObject({ code: 'too-large' });
  });
});

/** An upload over a raw socket: chunked unless `declared` is given (then possibly a lie). */
function rawUpload(
  server: TestServer,
  fb: CreatedFlashbook,
  opts: { chunks: number; chunkBytes: number; declared?: number; stream?: boolean },
): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      authorization: `Bearer ${fb.editToken}`,
      'content-type': 'image/jpeg',
    };
    if (opts.declared !== undefined) headers['content-length'] = opts.declared;
    const req = request(
      `${server.url}/api/flashbooks/${fb.id}/assets`,
      { method: 'POST', headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
        );
      },
    );
    // The server may hang up before everything is sent; the answer is what counts.
    const mayBeCut = opts.declared !== undefined || opts.stream === true;
    req.on('error', (err) => (mayBeCut ? undefined : reject(err)));
    const chunk = Buffer.alloc(opts.chunkBytes, 0xab);
    let sent = 0;
    const pump = () => {
      while (sent < opts.chunks && !req.destroyed) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (opts.declared === undefined) req.end();
    };
    pump();
  });
}

describe('who may upload and read images', () => {
  it('lets a view token read but not upload, and refuses bad or missing tokens', async () => {
    const { server, fb } = await started();
    const bytes = fixture('cover.png');
    const id = sha256(bytes);
    const viewer = await refusal(await upload(server, fb, bytes, { token: fb.viewToken }), 403);
    expect(viewer.error).toMatch(/view/);
    expect((await refusal(await upload(server, fb, bytes, { token: 'nope' }), 401)).error).toMatch(
      /token/,
    );
    expect((await upload(server, fb, bytes, { token: '' })).status).toBe(401);
    expect(await storedObjects(server)).toEqual([]);

    expect((await upload(server, fb, bytes)).status).toBe(201);
    expect((await download(server, fb.id, id, fb.viewToken)).status).toBe(200);
    expect((await download(server, fb.id, id, fb.editToken)).status).toBe(200);
    const bad = await download(server, fb.id, id, 'x'.repeat(43));
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer');
    const anonymous = await fetch(`${server.url}/api/flashbooks/${fb.id}/assets/${id}`);
    expect(anonymous.status).toBe(401);
  });

  it("never shows one flashbook's images to another flashbook's links", async () => {
    const { server, fb: a } = await started();
    const b = await h.create(server.url, 'Flashbook B');
    const bytes = fixture('cover.jpg');
    const id = sha256(bytes);
    expect((await upload(server, a, bytes)).status).toBe(201);
    // B's tokens on A's id are simply wrong tokens; on B's id the image does not exist.
    expect((await download(server, a.id, id, b.editToken)).status).toBe(401);
    expect((await download(server, a.id, id, b.viewToken)).status).toBe(401);
    expect((await refusal(await download(server, b.id, id, b.editToken), 404)).error).toMatch(
      /no such image/,
    );
    // Nor can B's editors attach A's image to B by naming it: only uploading the bytes does.
    expect((await download(server, b.id, id, b.viewToken)).status).toBe(404);
  });

  it('answers malformed requests with 400, 404 and 405', async () => {
    const { server, fb } = await started();
    const id = sha256(fixture('cover.jpg'));
    expect((await download(server, fb.id, id.toUpperCase(), fb.editToken)).status).toBe(400);
    expect((await download(server, fb.id, 'cover.jpg', fb.editToken)).status).toBe(400);
    expect((await download(server, fb.id, id, fb.editToken)).status).toBe(404);
    expect((await download(server, 'no-such-flashbook', id, fb.editToken)).status).toBe(404);
    expect((await download(server, 'bad id!', id, fb.editToken)).status).toBe(400);
    const list = await fetch(`${server.url}/api/flashbooks/${fb.id}/assets`, {
      headers: { authorization: `Bearer ${fb.editToken}` },
    });
    expect(list.status).toBe(405);
    expect(list.headers.get('allow')).toBe('POST');
    const put = await fetch(`${server.url}/api/flashbooks/${fb.id}/assets/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${fb.editToken}` },
      body: 'x',
    });
    expect(put.status).toBe(405);
  });
});
