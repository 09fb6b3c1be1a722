import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import axe from 'axe-core';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFlashbook, setFlashbookSettings, setSlideValues } from '../../src/model/flashbook.ts';
import type { PublishResponse } from '../../src/protocol/exhibition.ts';
import { launchChromium } from '../chromium.ts';
import { Harness, waitFor, type TestServer } from '../helpers/server.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, toolbarAction } from './pages.ts';

/**
 * The published exhibition page in real Chromium: with JavaScript off, under axe-core, as an
 * unzipped folder (from a sub-path of another server and from file://), embedded by an allowed and
 * a refused site, and printed. Screenshots of every theme at 390 and 1920 px go to
 * test-results/exhibition/ for people to look at.
 */

interface Finding {
  id: string;
  impact: string | null;
  nodes: string[];
}

async function seriousFindings(page: Page): Promise<Finding[]> {
  // Through the DevTools protocol: the page's CSP (no script at all) does not apply to it.
  await page.evaluate(axe.source);
  const found = await page.evaluate(async () => {
    const w = window as unknown as { axe: typeof axe };
    const all = await w.axe.run(document);
    return all.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return found.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

const SHOTS = join('test-results', 'exhibition');
const h = new Harness();
let server: TestServer;
let browser: Browser;
let fb: { id: string; editToken: string; viewToken: string };
let url: string;
let titles: string[];
const extra: Server[] = [];

function serve(handler: Parameters<typeof createServer>[1], host = 'localhost'): Promise<string> {
  const s = createServer(handler);
  extra.push(s);
  return new Promise((resolve) =>
    s.listen(0, host, () => {
      const a = s.address();
      resolve(`http://${host}:${typeof a === 'object' && a ? a.port : 0}`);
    }),
  );
}

async function publish(body: unknown): Promise<PublishResponse> {
  const res = await fetch(`${server.url}/api/flashbooks/${fb.id}/exhibition`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fb.editToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as PublishResponse;
}

/** Every request a page makes, and every one that failed. */
function watch(page: Page) {
  const requests: string[] = [];
  const failed: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`);
  });
  return { requests, failed };
}

let embedAllowed: string;
let embedRefused: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await h.start();
  const res = await fetch(`${server.url}/api/flashbooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template: 'demo' }),
  });
  fb = (await res.json()) as typeof fb;
  // One book gets a real cover image, with its alt text (the demo's covers are drawn).
  const cover = readFileSync(join(import.meta.dirname, '../fixtures/images/cover.jpg'));
  const up = await fetch(`${server.url}/api/flashbooks/${fb.id}/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fb.editToken}`, 'content-type': 'image/jpeg' },
    body: new Uint8Array(cover),
  });
  const asset = (await up.json()) as { id: string };
  const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
  const view = readFlashbook(editor.doc);
  const firstBook = view.posts.flatMap((p) => p.slides).find((s) => s.layout === 'book');
  setSlideValues(editor.doc, firstBook!.id, { image: asset.id });
  const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
  await waitFor(
    () => readFlashbook(viewer.doc).posts.some((p) => p.slides.some((s) => s.image === asset.id)),
    'cover stored',
  );
  titles = view.posts.flatMap((p) =>
    p.slides.filter((s) => s.layout === 'book').map((s) => s.fields.title),
  );

  const frame = (origin: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Library</title><iframe src="${origin}${url}" title="Exhibition" width="800" height="600"></iframe>`,
    );
  };
  embedAllowed = await serve((req, res) => frame(server.url)(req, res));
  embedRefused = await serve((req, res) => frame(server.url)(req, res));
  url = (await publish({ embedOrigins: [embedAllowed] })).url;
  browser = await launchChromium();
  // Keep the editor connection's doc for the theme screenshots.
  (globalThis as { editorDoc?: unknown }).editorDoc = editor.doc;
});

afterAll(async () => {
  await browser?.close();
  for (const s of extra) s.close();
  await h.cleanup();
});

describe('the exhibition page', () => {
  it('is complete with JavaScript off: sections, books with covers and alt text, Instagram view', async () => {
    const ctx = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const page = await ctx.newPage();
    const seen = watch(page);
    await page.goto(`${server.url}${url}`);
    await expect(page.locator('h1').first().textContent()).resolves.toBe(readTitle());
    expect(await page.locator('main section.ex-section').count()).toBe(3);
    expect(await page.locator('article.ex-book').count()).toBe(titles.length);
    for (const t of titles)
      await expect(page.getByRole('heading', { level: 3, name: t }).count()).resolves.toBe(1);
    const img = page.locator('article.ex-book img').first();
    expect(await img.getAttribute('alt')).toMatch(/Момышулы/);
    await expect(
      img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0),
    ).resolves.toBe(true);
    // Headings in order: no level skipped.
    const levels = await page
      .locator('h1:visible, h2:visible, h3:visible, h4:visible, h5:visible')
      .evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
    for (let i = 1; i < levels.length; i++)
      expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    // The Instagram view opens with the keyboard and scrolls sideways, without JavaScript.
    const summary = page.locator('.ex-ig summary').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    const track = page.locator('.ex-ig__track').first();
    await track.waitFor();
    const slide = track.locator('.slide-frame').first();
    const box = await slide.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    // Its slides keep the flashbook's aspect ratio (4:5).
    expect(box!.height / box!.width).toBeCloseTo(1350 / 1080, 2);
    await track.focus();
    await page.keyboard.press('ArrowRight');
    await waitFor(() => track.evaluate((el) => el.scrollLeft > 0), 'the track scrolled');
    // No horizontal scrolling of the page itself at 390 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    expect(seen.failed).toEqual([]);
    expect(seen.requests.every((r) => r.startsWith(server.url))).toBe(true);
    await ctx.close();
  });

  it('has no serious or critical axe-core violation, Instagram view open or closed', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${server.url}${url}`);
    expect(await seriousFindings(page)).toEqual([]);
    await page.locator('.ex-ig summary').first().click();
    expect(await seriousFindings(page)).toEqual([]);
    await ctx.close();
  });

  it('may be embedded by a site on the allow-list and by no other', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const frameTitle = async () => {
      const frame = page.frames().find((f) => f !== page.mainFrame());
      return frame
        ?.evaluate(() => document.querySelector('h1')?.textContent ?? null)
        .catch(() => null);
    };
    await page.goto(`${embedAllowed}/`);
    await waitFor(async () => (await frameTitle()) === readTitle(), 'the embedded page');
    await page.goto(`${embedRefused}/`);
    await page.waitForLoadState('load');
    // Give a refused frame the same chance to show up.
    await new Promise((r) => setTimeout(r, 500));
    expect(await frameTitle()).not.toBe(readTitle());
    await ctx.close();
  });

  it('prints as a reading list: each book once, grouped by section, with the libraries', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.url}${url}`);
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => document.body.innerText);
    for (const t of titles) expect(printed.split(t).length - 1, t).toBe(1);
    expect(printed).toContain('Талғар аудандық кітапханасы');
    expect(await page.locator('.ex-screen').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    writeFileSync(join(SHOTS, 'print.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.screenshot({ path: join(SHOTS, 'print-media.png'), fullPage: true });
    await ctx.close();
  });

  it('unzipped, works from a sub-path of another server and from file://, contacting nothing else', async () => {
    const zip = unzipSync(
      new Uint8Array(await (await fetch(`${server.url}${url}/exhibition.zip`)).arrayBuffer()),
    );
    const dir = await mkdtemp(join(tmpdir(), 'exhibition-zip-'));
    try {
      for (const [name, data] of Object.entries(zip)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), data);
      }
      const TYPES: Record<string, string> = {
        '.html': 'text/html',
        '.woff2': 'font/woff2',
        '.jpg': 'image/jpeg',
        '.png': 'image/png',
      };
      const site = await serve(async (req, res) => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        const prefix = '/library/exhibitions/war/';
        if (!path.startsWith(prefix)) return void res.writeHead(404).end();
        const file = normalize(join(dir, path.slice(prefix.length) || 'index.html'));
        try {
          const data = await readFile(file);
          res.writeHead(200, {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          });
          res.end(data);
        } catch {
          res.writeHead(404).end();
        }
      }, '127.0.0.1');
      for (const address of [
        `${site}/library/exhibitions/war/`,
        pathToFileURL(join(dir, 'index.html')).href,
      ]) {
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        const seen = watch(page);
        await page.goto(address);
        await page.waitForLoadState('load');
        await page.evaluate(() => document.fonts.ready);
        expect(await page.locator('article.ex-book').count()).toBe(titles.length);
        await expect(
          page
            .locator('article.ex-book img')
            .first()
            .evaluate((i: HTMLImageElement) => i.naturalWidth > 0),
        ).resolves.toBe(true);
        // The theme's heading font loaded from the folder.
        const loaded = await page.evaluate(
          () => [...document.fonts].filter((f) => f.status === 'loaded').length,
        );
        expect(loaded).toBeGreaterThan(0);
        expect(seen.failed).toEqual([]);
        const origin = address.startsWith('file:') ? 'file://' : site;
        expect(seen.requests.filter((r) => !r.startsWith(origin))).toEqual([]);
        await ctx.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('looks right in every theme at 390 and 1920 px (screenshots for people to look at)', async () => {
    const doc = (globalThis as { editorDoc?: import('yjs').Doc }).editorDoc!;
    for (const theme of ['memory', 'bright', 'classic']) {
      setFlashbookSettings(doc, { theme });
      const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
      await waitFor(() => readFlashbook(viewer.doc).theme === theme, `theme ${theme} stored`);
      await publish({});
      for (const width of [390, 1920]) {
        const ctx = await browser.newContext({ viewport: { width, height: 1000 } });
        const page = await ctx.newPage();
        await page.goto(`${server.url}${url}`);
        await page.evaluate(() => document.fonts.ready);
        await page
          .locator('.ex-ig')
          .first()
          .evaluate((d: HTMLDetailsElement) => (d.open = true));
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          width,
        );
        await page.screenshot({ path: join(SHOTS, `${theme}-${width}.png`), fullPage: true });
        // A phone page is too tall to read as one picture: also in screen-sized parts.
        if (width === 390) {
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          for (let i = 0; i * 1400 < Math.min(height, 5600); i++) {
            await page.screenshot({
              path: join(SHOTS, `${theme}-390-part${i + 1}.png`),
              fullPage: true,
              clip: { x: 0, y: i * 1400, width: 390, height: Math.min(1400, height - i * 1400) },
            });
          }
        }
        await ctx.close();
      }
    }
  });
});

function readTitle(): string {
  return 'Литература Казахстана о войне 1941–1945 годов';
}

describe('publishing from the editor, and the reader view of a view link', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('publishes from the Publish dialog, shows the address and the embed snippet, and takes it down', async () => {
    const home = await HomePage.open(await e2e.newUser(), { name: 'Aigerim', library: 'Central' });
    await home.page.getByRole('button', { name: 'Open the demo flashbook' }).click();
    const editor = new EditorPage(home.page);
    await editor.waitLoaded();
    await toolbarAction(editor.page, 'Publish');
    const dialog = editor.page.getByRole('dialog', { name: 'Publish as a digital exhibition' });
    await dialog.waitFor();
    await dialog.getByText('Not published.').waitFor();
    // Each post shows its review status; with none approved, all are selected, and it says so.
    expect(await dialog.getByText(/Draft$/).count()).toBe(3);
    await dialog.getByText('No post is approved yet, so all posts are selected.').waitFor();
    expect(await seriousFindings(editor.page)).toEqual([]);
    // Leave the last post out.
    const boxes = dialog.getByRole('checkbox');
    expect(await boxes.count()).toBe(3);
    await boxes.nth(2).uncheck();
    await dialog.getByLabel('Address').fill('war-literature');
    await dialog
      .getByLabel('Sites that may embed the exhibition')
      .fill('https://library.example.kz');
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    const link = dialog.getByRole('link', { name: /\/e\/war-literature$/ });
    await link.waitFor();
    const snippet = await dialog.getByLabel('Embed on your library’s site').inputValue();
    expect(snippet).toContain(`src="${e2e.baseUrl}/e/war-literature"`);
    await dialog.screenshot({ path: join(SHOTS, 'publish-dialog.png') });

    const page = await (await e2e.newUser()).newPage();
    const res = await page.goto('/e/war-literature');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain('https://library.example.kz');
    expect(await page.locator('main section.ex-section').count()).toBe(2);
    // The cover slide, drawn in the editor at publishing, is the social preview.
    const og = await page.locator('meta[property="og:image"]').getAttribute('content');
    expect(og).toMatch(new RegExp(`^${e2e.baseUrl}/e/war-literature/images/[0-9a-f]{64}$`));
    const image = await fetch(og ?? '');
    expect(image.headers.get('content-type')).toBe('image/jpeg');

    await dialog.getByRole('button', { name: 'Take down' }).click();
    await dialog.getByText(/^Taken down/).waitFor();
    expect((await page.goto('/e/war-literature'))?.status()).toBe(410);
  });

  it('opens a view link as a reader view: no name prompt, carousels at the true ratio, captions, axe-clean', async () => {
    const home = await HomePage.open(await e2e.newUser(), { name: 'Aigerim', library: 'Central' });
    await home.page.getByRole('button', { name: 'Open the demo flashbook' }).click();
    const editor = new EditorPage(home.page);
    await editor.waitLoaded();
    const links = await editor.shareLinks();
    const ctx = await e2e.browser.newContext({
      baseURL: e2e.baseUrl,
      viewport: { width: 390, height: 844 },
    });
    const page = await ctx.newPage();
    await page.addInitScript(() => localStorage.setItem('flashbook.language', 'en'));
    await page.goto(links.view);
    await page.locator('h1.reader__title', { hasText: readTitle() }).waitFor();
    expect(await page.getByRole('dialog', { name: 'Who are you?' }).count()).toBe(0);
    const tracks = page.getByRole('region', { name: /^Slides of post/ });
    expect(await tracks.count()).toBe(3);
    const frame = tracks.first().locator('.slide-frame').first();
    const box = await frame.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.width).toBeLessThanOrEqual(390 - 32 + 1);
    expect(box!.height / box!.width).toBeCloseTo(1350 / 1080, 2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page
      .getByText(/^Открываем виртуальную выставку/)
      .first()
      .waitFor();
    // Live: an editor's change arrives in the reader view.
    await editor.titleInput.fill('Литература о войне — обновлено');
    await page.locator('h1.reader__title', { hasText: 'Литература о войне — обновлено' }).waitFor();
    // Keyboard: the next-slide button scrolls the carousel.
    await page.getByRole('button', { name: 'Next slide' }).first().click();
    await waitFor(() => tracks.first().evaluate((el) => el.scrollLeft > 0), 'the carousel moved');
    // Let the smooth scroll come to rest on its snap point before the picture.
    await waitFor(async () => {
      const a = await tracks.first().evaluate((el) => el.scrollLeft);
      await new Promise((r) => setTimeout(r, 150));
      return a === (await tracks.first().evaluate((el) => el.scrollLeft));
    }, 'the carousel at rest');
    await page.screenshot({ path: join(SHOTS, 'reader-390.png'), fullPage: false });
    expect(await seriousFindings(page)).toEqual([]);
    // Colleagues can still open the read-only editor from here.
    await page.getByRole('link', { name: 'See the structure in the read-only editor' }).click();
    await page.getByRole('navigation', { name: 'Posts and slides' }).waitFor();
    expect(await page.getByText('View only').count()).toBe(1);
    await ctx.close();
  });
});
