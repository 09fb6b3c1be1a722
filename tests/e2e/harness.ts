import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../chromium.ts';
import { startServer } from '../../server/app.ts';
import type { ServerOptions } from '../../server/config.ts';

export interface E2E {
  baseUrl: string;
  browser: Browser;
  /** A new browser context: one per user, as different people on different computers. */
  newUser(): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * A real server on a free port (built client, fresh SQLite database) and a real Chromium.
 * `options` sets server limits a test needs (see docs/server.md, "Limits").
 */
export async function startE2E(options: ServerOptions = {}): Promise<E2E> {
  // E2E_DIST lets parallel work build the client into a folder of its own.
  const staticDir = process.env['E2E_DIST'] ?? 'dist';
  const dataDir = mkdtempSync(join(tmpdir(), 'flashbook-e2e-'));
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error(`The client is not built in ${staticDir}: run \`npx vite build\` first.`);
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir,
    quiet: true,
    ...options,
  });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    baseUrl: server.url,
    browser,
    async newUser() {
      const ctx = await browser.newContext({
        baseURL: server.url,
        viewport: { width: 1400, height: 900 },
      });
      contexts.push(ctx);
      return ctx;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
