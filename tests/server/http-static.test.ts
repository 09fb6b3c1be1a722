import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, type TestServer } from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

const SECRET = 'TOP-SECRET-OUTSIDE-STATIC-DIR';

/** A GET with the path sent byte for byte: fetch() would normalise `..` away before sending. */
function rawGet(server: TestServer, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** For bytes http.request refuses to send (NUL). */
function rawRequestLine(server: TestServer, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1');
    });
    let answer = '';
    socket.on('data', (c) => (answer += c.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('static files', () => {
  let staticDir: string;
  let server: TestServer;

  beforeEach(async () => {
    const root = await h.tempDir();
    staticDir = join(root, 'dist');
    await mkdir(join(staticDir, 'assets'), { recursive: true });
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Flashbook</title>');
    await writeFile(join(staticDir, 'assets', 'index-Ab12Cd.js'), 'console.log(1)');
    await writeFile(join(staticDir, 'assets', 'index-Ab12Cd.css'), 'body{}');
    await writeFile(join(staticDir, 'assets', 'pt-sans-cyrillic-ext.woff2'), 'wOF2');
    await writeFile(join(staticDir, 'favicon.svg'), '<svg/>');
    await writeFile(join(staticDir, 'manifest.webmanifest'), '{}');
    await writeFile(join(staticDir, '.env'), SECRET);
    await writeFile(join(root, 'secret.txt'), SECRET);
    await symlink(join(root, 'secret.txt'), join(staticDir, 'assets', 'link.txt'));
    server = await h.start({ staticDir });
  });

  it('serves files with their content type and cache policy', async () => {
    const cases: [string, string, string][] = [
      ['/assets/index-Ab12Cd.js', 'text/javascript', 'public, max-age=31536000, immutable'],
      ['/assets/index-Ab12Cd.css', 'text/css', 'public, max-age=31536000, immutable'],
      ['/assets/pt-sans-cyrillic-ext.woff2', 'font/woff2', 'public, max-age=31536000, immutable'],
      ['/favicon.svg', 'image/svg+xml', 'no-cache'],
      ['/manifest.webmanifest', 'application/manifest+json', 'no-cache'],
      ['/index.html', 'text/html', 'no-cache'],
    ];
    for (const [path, type, cache] of cases) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain(type);
      expect(res.headers.get('cache-control'), path).toBe(cache);
      await res.arrayBuffer();
    }
  });

  it('falls back to index.html for client routes', async () => {
    for (const path of ['/', '/f/Abcdefgh1234', '/some/client/route']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>Flashbook</title>');
    }
    const missing = await fetch(`${server.url}/assets/missing-123.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found' });
  });

  it('answers a conditional request with 304', async () => {
    const first = await fetch(`${server.url}/assets/index-Ab12Cd.js`);
    const etag = first.headers.get('etag') ?? '';
    await first.text();
    const again = await fetch(`${server.url}/assets/index-Ab12Cd.js`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('never serves a file outside STATIC_DIR, and never fails with a 500', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2F..%2Fsecret.txt',
      '/%252e%252e/secret.txt',
      '/..\\secret.txt',
      '/assets/%5c..%5c..%5csecret.txt',
      '/assets/link.txt',
      '/.env',
      '/%2eenv',
      '/assets/%zz.js',
      '/%00.js',
    ];
    for (const path of attempts) {
      const { status, body } = await rawGet(server, path);
      expect([400, 404], path).toContain(status);
      expect(body, path).not.toContain(SECRET);
      expect(JSON.parse(body), path).toHaveProperty('error');
    }
    const nul = await rawRequestLine(server, '/assets/index-Ab12Cd.js\0.txt');
    expect(nul).toMatch(/^HTTP\/1\.1 40[04]/);
    expect(nul).not.toContain(SECRET);
  });
});

describe('static files without a client build', () => {
  it('says the client is not built', async () => {
    const server = await h.start();
    for (const path of ['/', '/f/Abcdefgh1234']) {
      const res = await fetch(server.url + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('npm run build');
    }
  });
});
