import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../server/http/security-headers.ts';
import { Harness, type TestServer } from '../helpers/server.ts';

/** The security headers of the app's HTML pages (the Chromium side: tests/e2e/security-headers). */

const h = new Harness();
afterEach(() => h.cleanup());

async function withClient(): Promise<TestServer> {
  const dir = await h.tempDir();
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
  return h.start({ staticDir: dir });
}

/** A GET with a Host header of our choosing (fetch does not let a test set it). */
function get(server: TestServer, path: string, host?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>(
    (resolve, reject) => {
      const req = request(`${server.url}${path}`, { headers: host ? { host } : {} }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('HTML pages', () => {
  it('carry CSP, frame-ancestors and the other headers on /, /f/<id>, SPA routes and index.html', async () => {
    const server = await withClient();
    const fb = await h.create(server.url);
    for (const path of ['/', `/f/${fb.id}`, '/some/client/route', '/index.html']) {
      const res = await get(server, path);
      expect(res.status, path).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, path).toContain("frame-ancestors 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("img-src 'self' blob: data:");
      expect(csp, path).toContain("worker-src 'self'");
      // The sync socket of this very host, whether the page came over http or https.
      const host = new URL(server.url).host;
      expect(csp, path).toContain(`connect-src 'self' ws://${host} wss://${host}`);
      expect(res.headers['x-frame-options'], path).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['referrer-policy'], path).toBe('no-referrer');
      expect(res.headers['permissions-policy'], path).toContain('camera=()');
    }
  });

  it('also on the page shown before the client is built', async () => {
    const server = await h.start();
    const res = await get(server, '/');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('never lets a Host header write into the policy', async () => {
    const server = await withClient();
    const res = await get(server, '/', "evil.example; script-src 'unsafe-inline' *");
    const csp = String(res.headers['content-security-policy']);
    expect(csp).not.toContain('evil.example');
    expect(csp).toContain("script-src 'self';");
    expect(csp.match(/script-src/g)).toHaveLength(1);
  });

  it('a page with its own embedding policy states it in one place', () => {
    expect(contentSecurityPolicy({ frameAncestors: ['https://museum.example'] })).toContain(
      'frame-ancestors https://museum.example',
    );
  });
});
