import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startServer } from '../../server/app.ts';

/** Debian's Chromium; `.ci/run` installs it. CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface E2E {
  baseUrl: string;
  browser: Browser;
  /** A new browser context: one per user, as different people on different computers. */
  newUser(): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** A real server on a free port (built client, fresh SQLite database) and a real Chromium. */
export async function startE2E(): Promise<E2E> {
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
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
