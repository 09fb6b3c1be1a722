import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, type TestServer } from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

/** A GET that shows the bytes on the wire (fetch() would decompress them silently). */
function get(
  server: TestServer,
  path: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compressed static files', () => {
  async function serverWithBuild(): Promise<{ server: TestServer; js: string }> {
    const dataDir = await h.tempDir();
    const staticDir = join(dataDir, 'dist');
    await mkdir(join(staticDir, 'assets'), { recursive: true });
    const js = 'export const greeting = "Сәлем, кітапхана!";\n'.repeat(400);
    await writeFile(join(staticDir, 'assets', 'app-abc123.js'), js);
    await writeFile(join(staticDir, 'assets', 'font-abc123.woff2'), Buffer.alloc(4096, 7));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
    return { server: await h.start({ dataDir, staticDir }), js };
  }

  it('sends JavaScript with brotli or gzip as the client accepts, byte-identical once decoded', async () => {
    const { server, js } = await serverWithBuild();
    const br = await get(server, '/assets/app-abc123.js', {
      'accept-encoding': 'gzip, deflate, br',
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('accept-encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(js) / 5);
    expect(brotliDecompressSync(br.body).toString()).toBe(js);

    const gz = await get(server, '/assets/app-abc123.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(js);
    // Different representations, different validators.
    expect(gz.headers['etag']).not.toBe(br.headers['etag']);

    const plain = await get(server, '/assets/app-abc123.js', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(js);
    const refused = await get(server, '/assets/app-abc123.js', {
      'accept-encoding': 'br;q=0, gzip;q=0',
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('revalidates each representation and leaves already-compressed fonts alone', async () => {
    const { server } = await serverWithBuild();
    const first = await get(server, '/assets/app-abc123.js', { 'accept-encoding': 'br' });
    const again = await get(server, '/assets/app-abc123.js', {
      'accept-encoding': 'br',
      'if-none-match': String(first.headers['etag']),
    });
    expect(again.status).toBe(304);
    const font = await get(server, '/assets/font-abc123.woff2', { 'accept-encoding': 'br, gzip' });
    expect(font.headers['content-encoding']).toBeUndefined();
    expect(font.body.length).toBe(4096);
  });
});
