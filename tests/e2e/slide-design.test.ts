import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  addPost,
  addSlide,
  readFlashbook,
  setFlashbookSettings,
  setLibraryLogo,
  setSlideValues,
} from '../../src/model/flashbook.ts';
import { Harness, synced } from '../helpers/server.ts';
import { ExportDialogPage, pixelColors, rectInSlide } from './export-pages.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, parseLink, sidebarOutline, waitFor } from './pages.ts';
import { goOffline, goOnline, syncStatus, waitOfflineReady } from './offline-pages.ts';
import { templateStructure } from '../../src/model/templates.ts';

type RGB = [number, number, number];
const isRed = ([r, g, b]: RGB) => r > 150 && g < 90 && b < 90;
const isBlue = ([r, g, b]: RGB) => b > 150 && r < 90 && g < 120;
const isGreen = ([r, g, b]: RGB) => g > 130 && r < 90 && b < 90;
const isMagenta = ([r, g, b]: RGB) => r > 150 && b > 150 && g < 90;

/** Draws an image in the page and uploads it as a cover would be; returns its asset id. */
async function upload(
  page: Page,
  link: { id: string; token: string },
  w: number,
  h: number,
  bands: { x: number; width: number; color: string }[],
  background = '#e8e0c8',
): Promise<string> {
  return page.evaluate(
    async ([flashbook, token, width, height, stripes, bg]) => {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.fillStyle = bg;
      ctx.fillRect(0, 0, width, height);
      for (const s of stripes) {
        ctx.fillStyle = s.color;
        ctx.fillRect(s.x, 0, s.width, height);
      }
      const res = await fetch(`/api/flashbooks/${flashbook}/assets`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' },
        body: await canvas.convertToBlob({ type: 'image/png' }),
      });
      if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    [link.id, link.token, w, h, bands, background] as const,
  );
}

describe('Slide content and design', () => {
  let e2e: E2E;
  let editor: EditorPage;
  const harness = new Harness();
  let doc: Y.Doc;
  let link: { id: string; token: string };
  let wide = '';

  /** Exports post `n` (1-based) and returns its first image. */
  async function exportPost(n: number): Promise<Uint8Array> {
    const dialog = await ExportDialogPage.open(editor.page);
    await dialog.choose(n);
    const { files } = await dialog.exportZip();
    await dialog.close();
    const prefix = `${String(n).padStart(2, '0')}-`;
    const name = Object.keys(files).find((k) => k.startsWith(prefix) && k.endsWith('/01.jpg'));
    const image = name ? files[name] : undefined;
    if (!image) throw new Error(`no first image of post ${n}: ${Object.keys(files).join(', ')}`);
    return image;
  }

  /** The slide's thumbnail (rendered like the export) once its cover image is shown. */
  const thumbSlide = (slideId: string) =>
    editor.page.locator(`.thumb [data-slide-id="${slideId}"]`);

  /** The colours along the middle row of a slide's cover frame, in the exported image. */
  async function coverRow(slideId: string, image: Uint8Array): Promise<RGB[]> {
    const frame = thumbSlide(slideId).locator('.slide__cover').first();
    await frame.locator('img.slide__cover-image').waitFor();
    const r = await rectInSlide(frame);
    const y = Math.round(r.y + r.height / 2);
    const points: [number, number][] = [];
    for (let x = Math.ceil(r.x) + 2; x < r.x + r.width - 2; x += 2) points.push([x, y]);
    return pixelColors(editor.page, image, points);
  }

  /** A post of one book slide with the wide cover; returns the post's number and the slide id. */
  function wideBookPost(title: string): { n: number; slideId: string } {
    const { slideId } = addPost(doc, {
      first: { layout: 'book', image: wide, fields: { title, author: 'Тест' } },
    });
    return { n: readFlashbook(doc).posts.length, slideId };
  }

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), {
      name: 'Aigerim',
      library: 'Regional Library',
    });
    editor = await home.createFlashbook('Жаңа кітаптар');
    const { edit } = await editor.shareLinks();
    link = parseLink(edit);
    const client = harness.connect(e2e.baseUrl, link.id, link.token);
    await synced(client.provider);
    doc = client.doc;
    // A 2:1 cover: a red band at its left edge, a blue one at its right edge.
    wide = await upload(editor.page, link, 800, 400, [
      { x: 0, width: 100, color: '#d01010' },
      { x: 700, width: 100, color: '#1030d0' },
    ]);
  });

  afterAll(async () => {
    await harness.cleanup();
    await e2e?.close();
  });

  it('shows a wide cover whole by default: both edges are in the exported image', async () => {
    const { n, slideId } = wideBookPost('Широкая обложка');
    await thumbSlide(slideId).locator('img.slide__cover-image').waitFor();
    const row = await coverRow(slideId, await exportPost(n));
    expect(row.filter(isRed).length, 'the left edge (red)').toBeGreaterThan(3);
    expect(row.filter(isBlue).length, 'the right edge (blue)').toBeGreaterThan(3);
    // "Fill the frame" crops the same cover to its middle: neither edge is left.
    setSlideValues(doc, slideId, { imageFit: 'cover' });
    await thumbSlide(slideId).locator('.slide__cover--fit-cover').waitFor();
    const cropped = await coverRow(slideId, await exportPost(n));
    expect(cropped.filter(isRed).length + cropped.filter(isBlue).length).toBe(0);
  });

  it('keeps the part of a cropped cover at the focal point the librarian picked', async () => {
    const { n, slideId } = wideBookPost('Альбомная книга');
    setSlideValues(doc, slideId, { imageFit: 'cover', imageFocus: { x: 0, y: 0.5 } });
    await thumbSlide(slideId).locator('.slide__cover--fit-cover').waitFor();
    const left = await coverRow(slideId, await exportPost(n));
    expect(left.filter(isRed).length, 'focus on the left: the red edge').toBeGreaterThan(3);
    expect(left.filter(isBlue).length).toBe(0);

    // In the slide form: the sliders move the focal point to the right edge.
    await editor.selectSlide('Альбомная книга');
    const form = editor.page.getByRole('region', { name: 'Slide content' });
    await form.getByLabel('Horizontal position').fill('100');
    await waitFor(
      async () => readFlashbook(doc).posts[n - 1]?.slides[0]?.imageFocus.x,
      (x) => x === 1,
      'the focal point at the right edge',
    );
    const right = await coverRow(slideId, await exportPost(n));
    expect(right.filter(isBlue).length, 'focus on the right: the blue edge').toBeGreaterThan(3);
    expect(right.filter(isRed).length).toBe(0);
  });

  it('shows every book cover of the post on its "books of this post" slide', async () => {
    const colors = ['#d01010', '#10a010', '#1030d0'];
    const covers = [];
    for (const color of colors) covers.push(await upload(editor.page, link, 300, 440, [], color));
    const { postId, slideId } = addPost(doc, {
      first: { layout: 'books', fields: { title: 'Подборка' } },
    });
    covers.forEach((image, i) =>
      addSlide(doc, postId, { layout: 'book', image, fields: { title: `Кітап ${i + 1}` } }),
    );
    const n = readFlashbook(doc).posts.length;
    const grid = thumbSlide(slideId).locator('.slide__grid-item');
    await waitFor(
      () => grid.count(),
      (c) => c === 3,
      'three covers on the books slide',
    );
    await waitFor(
      () => thumbSlide(slideId).locator('img.slide__cover-image').count(),
      (c) => c === 3,
      'the three cover images',
    );
    const image = await exportPost(n);
    const points: [number, number][] = [];
    for (let y = 0; y < 1350; y += 12) for (let x = 0; x < 1080; x += 12) points.push([x, y]);
    const pixels = await pixelColors(editor.page, image, points);
    for (const [name, test] of [
      ['red', isRed],
      ['green', isGreen],
      ['blue', isBlue],
    ] as const)
      expect(pixels.filter(test).length, `the ${name} cover`).toBeGreaterThan(100);
    // The books slide follows its books: a fourth book shows at once, nothing was copied.
    addSlide(doc, postId, { layout: 'book', fields: { title: 'Төртінші кітап' } });
    await waitFor(
      () => grid.count(),
      (c) => c === 4,
      'the fourth cover',
    );
  });

  it('puts the preparing library’s name and logo on the exported image when asked to', async () => {
    const { slideId } = addPost(doc, {
      first: { layout: 'text', fields: { title: 'Кітапханаға келіңіз' } },
    });
    const n = readFlashbook(doc).posts.length;
    // The librarian adds the library and turns attribution on in the Design settings…
    await editor.page.getByRole('button', { name: 'Design', exact: true }).click();
    const dialog = editor.page.getByRole('dialog', { name: 'Design and settings' });
    await dialog.getByRole('button', { name: 'Add library' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Облыстық кітапхана');
    // A click, not check(): the box follows the document, which the next frame re-reads.
    await dialog.getByLabel(/Show the library.s name and logo on every image/).click();
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await waitFor(
      async () => readFlashbook(doc),
      (v) => v.attribution && v.libraries[0]?.name === 'Облыстық кітапхана',
      'the library and the attribution in the document',
    );
    // …and chooses it as the library of the post.
    await editor.selectSlide('Кітапханаға келіңіз');
    await editor.page
      .getByRole('region', { name: 'Slide content' })
      .getByLabel('Prepared by (the whole post)')
      .selectOption({ label: 'Облыстық кітапхана' });
    await thumbSlide(slideId)
      .locator('.slide__attribution-name', { hasText: 'Облыстық кітапхана' })
      .waitFor();
    const libraryId = readFlashbook(doc).libraries[0]?.id ?? '';
    const logo = await upload(editor.page, link, 200, 100, [], '#d010d0');
    setLibraryLogo(doc, libraryId, logo);
    const logoEl = thumbSlide(slideId).locator('img.slide__attribution-logo');
    await logoEl.waitFor();
    const r = await rectInSlide(logoEl);
    const centre: [number, number] = [
      Math.round(r.x + r.width / 2),
      Math.round(r.y + r.height / 2),
    ];
    const [on] = await pixelColors(editor.page, await exportPost(n), [centre]);
    expect(on && isMagenta(on), `the logo in the corner: ${on}`).toBe(true);
    setFlashbookSettings(doc, { attribution: false });
    await thumbSlide(slideId).locator('.slide__attribution').waitFor({ state: 'detached' });
    const [off] = await pixelColors(editor.page, await exportPost(n), [centre]);
    expect(off && isMagenta(off), `no logo with attribution off: ${off}`).toBe(false);
  });

  it('creates a flashbook with its structure from a template card on the home page', async () => {
    const home = await HomePage.open(await e2e.newUser(), {
      name: 'Dana',
      library: 'Town Library',
    });
    const cards = home.page.locator('.templates__card');
    await waitFor(
      () => cards.count(),
      (c) => c === 6,
      'six template cards',
    );
    // Each card shows the template's cover, rendered by the slide renderer.
    await waitFor(
      () => home.page.locator('.templates__card .slide--cover').count(),
      (c) => c === 6,
      'a cover thumbnail on each card',
    );
    await home.page.getByRole('button', { name: 'Create from the template: Nauryz' }).click();
    await home.page.getByRole('navigation', { name: 'Posts and slides' }).waitFor();
    const outline = await waitFor(
      () => sidebarOutline(home.page),
      (o) => o.length === 2,
      'the template’s two posts',
    );
    expect(outline.map((p) => p.length)).toEqual([2, 5]);
    await expect
      .poll(() => home.page.getByRole('textbox', { name: 'Flashbook title' }).inputValue())
      .toBe('Nauryz: spring and renewal');
    expect(await home.page.locator('.thumb .slide--theme-steppe').count()).toBe(7);
    // The selection post starts with the slide of its three (still empty) books.
    expect(await home.page.locator('.thumb .slide--books .slide__grid-item').count()).toBe(3);
  });

  it('creates a template offline on this device; once online, a colleague sees the same structure', async () => {
    const ctx = await e2e.newUser();
    const home = await HomePage.open(ctx, { name: 'Aigerim', library: 'Talgar branch' });
    await home.page.locator('.templates__card .slide--cover').nth(5).waitFor();
    await waitOfflineReady(home.page);
    await goOffline(ctx);
    await home.page
      .getByRole('button', { name: 'Create from the template: Summer reading' })
      .click();
    const a = new EditorPage(home.page);
    await a.waitLoaded();
    expect((await syncStatus(a.page)).text).toContain('Created offline');
    const expected = templateStructure('summer-reading', 'en').map((p) => p.slides.length);
    const outline = await waitFor(
      () => sidebarOutline(a.page),
      (o) => o.length === expected.length,
      'the template on this device',
    );
    expect(outline.map((p) => p.length)).toEqual(expected);
    await goOnline(ctx);
    await waitFor(
      () => syncStatus(a.page),
      (st) => st.status === 'connected' && st.pending === 0,
      'registered and synced',
      30_000,
    );
    const links = await a.shareLinks();
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, {
      name: 'Boris',
      library: 'Esik branch',
    });
    // Seeded once, by the device that created it: the colleague sees the same posts, not two copies.
    const seen = await waitFor(
      () => sidebarOutline(b.page),
      (o) => o.flat().length === expected.reduce((n, c) => n + c, 0),
      'the template for the colleague',
    );
    expect(seen).toEqual(await sidebarOutline(a.page));
  });
});
