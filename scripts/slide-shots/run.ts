/**
 * Contact sheets of every slide layout × format × theme, for looking at them (not a test):
 * `npx tsx scripts/slide-shots/run.ts [outDir]` builds scripts/slide-shots with Vite, renders one
 * sheet per theme and format in headless Chromium and writes PNGs (default /tmp/slide-shots).
 */
import { createReadStream, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { launchChromium } from '../../tests/chromium.ts';
import { FORMAT_IDS } from '../../src/model/instagram.ts';
import { THEMES } from '../../src/slide/themes/themes.ts';

const ROOT = resolve(import.meta.dirname);
const OUT = process.argv[2] ?? '/tmp/slide-shots';
const DIST = join(OUT, 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

mkdirSync(OUT, { recursive: true });
await build({
  root: ROOT,
  configFile: false,
  logLevel: 'warn',
  plugins: [react()],
  build: { outDir: DIST, emptyOutDir: true },
});
const server = createServer((req, res) => {
  const path = join(DIST, decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
  const file = path.endsWith('/') ? join(path, 'index.html') : path;
  stat(file).then(
    () => {
      res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
      createReadStream(file).pipe(res);
    },
    () => res.writeHead(404).end(),
  );
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1640, height: 900 } });
const only = process.env['SHOT_THEMES']?.split(',');
for (const theme of THEMES.map((t) => t.id).filter((t) => !only || only.includes(t)))
  for (const format of FORMAT_IDS) {
    await page.goto(`http://127.0.0.1:${port}/?theme=${theme}&format=${format}`);
    await page.waitForSelector('body[data-ready="true"]');
    const file = join(OUT, `${theme}-${format.replace(':', 'x')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
await browser.close();
server.close();
