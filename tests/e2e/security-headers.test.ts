import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportDialogPage } from './export-pages.ts';
import { startE2E, type E2E } from './harness.ts';
import { canvasCoverImage, ImageFieldPage, waitForLoadedImage } from './image-pages.ts';
import { ImportDialogPage } from './import-pages.ts';
import { HomePage, waitFor } from './pages.ts';

const AIGERIM = { name: 'Aigerim Seitkali', library: 'Regional Children’s Library' };

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

/** Collects every CSP violation any page of the context reports, from its first script on. */
async function watchViolations(ctx: BrowserContext): Promise<{
  violations: (page: Page) => Promise<Violation[]>;
  consoleErrors: string[];
}> {
  await ctx.addInitScript(() => {
    const found: Violation[] = [];
    (window as unknown as { __cspViolations: Violation[] }).__cspViolations = found;
    document.addEventListener('securitypolicyviolation', (e) => {
      found.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile });
    });
  });
  const consoleErrors: string[] = [];
  ctx.on('console', (m: ConsoleMessage) => {
    if (/content security policy|refused to/i.test(m.text())) consoleErrors.push(m.text());
  });
  return {
    violations: (page) =>
      page.evaluate(
        () => (window as unknown as { __cspViolations?: Violation[] }).__cspViolations ?? [],
      ),
    consoleErrors,
  };
}

describe('security headers in Chromium', () => {
  let e2e: E2E;
  let other: Server;
  let otherUrl = '';

  beforeAll(async () => {
    e2e = await startE2E();
    // Another origin (another port on loopback) with a page that tries to frame the app.
    other = createServer((req, res) => {
      const framed = new URL(req.url ?? '/', 'http://x').searchParams.get('frame') ?? '/';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>elsewhere</title>` +
          `<iframe id="app" src="${e2e.baseUrl}${framed}"></iframe>` +
          `<iframe id="plain" src="${e2e.baseUrl}/healthz"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await e2e?.close();
    await new Promise((resolve) => other?.close(resolve));
  });

  it('runs the editor, an image upload, import (worker), export and the service worker under the CSP with no violation', async () => {
    const ctx = await e2e.newUser();
    const watch = await watchViolations(ctx);
    const home = await HomePage.open(ctx, AIGERIM);
    const response = await home.page.reload();
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'self'");
    const editor = await home.createFlashbook('Соғыс туралы кітаптар');

    // The service worker registers from /sw.js (worker-src).
    expect(
      await editor.page.evaluate(() =>
        navigator.serviceWorker.ready.then((r) => r.active !== null || r.installing !== null),
      ),
    ).toBe(true);

    // An image: uploaded, then shown from a blob: URL on the slide and in the inspector.
    const inspector = editor.page.getByRole('region', { name: 'Slide content' });
    await inspector.getByRole('combobox', { name: /^Layout/ }).selectOption('book');
    await editor.slideField('Title').fill('Артымызда Москва');
    const cover = new ImageFieldPage(editor.page, 'Book cover');
    await cover.choose('cover.jpg');
    await cover.waitForPreview();
    await waitForLoadedImage(canvasCoverImage(editor.page), 'the cover on the slide');

    // Import parses in a Web Worker.
    const dialog = await ImportDialogPage.open(editor.page);
    await dialog.choose('books-40-utf8-bom.csv');
    await expect.poll(() => dialog.tickBoxes.count()).toBe(40);
    await dialog.cancel();

    // Export renders the slides (SVG data: images, inlined fonts and blob: covers) into a ZIP.
    const exporter = await ExportDialogPage.open(editor.page);
    await exporter.choose('all');
    const zip = await exporter.exportZip();
    expect(Object.keys(zip.files).some((name) => name.endsWith('.jpg'))).toBe(true);
    await exporter.close();

    expect(await watch.violations(editor.page)).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
  });

  it('refuses to be framed by another origin, and allows its own', async () => {
    const res = await fetch(`${e2e.baseUrl}/api/flashbooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Framed' }),
    });
    const { editUrl } = (await res.json()) as { editUrl: string };
    const framedPath = editUrl;
    const ctx = await e2e.newUser();
    const page = await ctx.newPage();
    const refusals: string[] = [];
    page.on('console', (m) => {
      if (/frame-ancestors/.test(m.text())) refusals.push(m.text());
    });
    await page.goto(`${otherUrl}?frame=${encodeURIComponent(framedPath)}`);
    // The control: a response of the same server without frame-ancestors loads in the frame.
    const plain = await waitFor(
      async () => page.frames().find((f) => f.url() === `${e2e.baseUrl}/healthz`),
      (f) => f !== undefined,
      'the /healthz frame to load',
    );
    expect(await plain!.locator('body').innerText()).toContain('"ok":true');
    // The editor's frame is blocked: Chromium reports it and shows no app in it.
    await waitFor(
      async () => refusals.length,
      (n) => n > 0,
      'Chromium to refuse the framed editor',
    );
    expect(refusals[0]).toContain(`frame-ancestors 'self'`);
    const app = page.frames().find((f) => f.url().startsWith(`${e2e.baseUrl}/f/`));
    expect(app ? await app.locator('#root').count() : 0).toBe(0);

    // The same page framed by the app's own origin loads.
    const own = await ctx.newPage();
    await own.goto(`${e2e.baseUrl}/healthz`);
    await own.evaluate((path) => {
      const frame = document.createElement('iframe');
      frame.src = path;
      document.body.append(frame);
    }, framedPath);
    await waitFor(
      async () => {
        const f = own.frames().find((fr) => fr.url().startsWith(`${e2e.baseUrl}/f/`));
        return f ? f.locator('#root').count() : 0;
      },
      (n) => n === 1,
      'the same-origin frame to load the app',
    );
  });
});
