import { join } from 'node:path';
import { strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage, serve } from '../../bench/export.ts';
import { imageInfo } from '../../src/export/image-info.ts';
import {
  addPost,
  addSlide,
  DEFAULT_THEME,
  editText,
  readFlashbook,
} from '../../src/model/flashbook.ts';
import { THEMES } from '../../src/slide/themes/themes.ts';
import type { Layout } from '../../src/model/schema.ts';
import { launchChromium } from '../chromium.ts';
import { Harness, synced } from '../helpers/server.ts';
import { ExportDialogPage } from './export-pages.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, parseLink, sidebarOutline, waitFor } from './pages.ts';

/**
 * The export as it was made faster (src/export/README.md, "Speed"): a 40-slide flashbook in the
 * real editor gives every image at its exact size with captions and alt text while the dialog
 * keeps answering; and the new drawing path gives the pixels of the path it replaced.
 */

const LAYOUTS: Layout[] = ['book', 'quote', 'text', 'closing'];
const POSTS = 4;
const PER_POST = 10;

describe('Exporting a 40-slide flashbook', () => {
  let e2e: E2E;
  let editor: EditorPage;
  const harness = new Harness();

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), { name: 'Aigerim', library: 'Library' });
    editor = await home.createFlashbook('Қырық слайд');
    const link = parseLink((await editor.shareLinks()).edit);
    const client = harness.connect(e2e.baseUrl, link.id, link.token);
    await synced(client.provider);
    const doc = client.doc;
    editText(doc, { kind: 'hashtags' }, '#кітапхана');
    const first = readFlashbook(doc).posts[0];
    if (!first) throw new Error('no first post');
    const posts = [first.id];
    for (let p = 1; p < POSTS; p++) posts.push(addPost(doc, { layout: 'cover' }).postId);
    for (const [p, postId] of posts.entries()) {
      editText(doc, { kind: 'caption', postId }, `Кітаптар, ${p + 1}-пост`);
      const existing = readFlashbook(doc).posts[p]?.slides ?? [];
      for (const s of existing)
        editText(doc, { kind: 'slide', slideId: s.id, field: 'altText' }, `Пост ${p + 1}, слайд 1`);
      for (let i = existing.length; i < PER_POST; i++)
        addSlide(doc, postId, {
          layout: LAYOUTS[i % LAYOUTS.length],
          fields: {
            title: `Кітап ${p + 1}.${i + 1}`,
            author: 'Мұхтар Әуезов',
            quote: 'Адам баласы — ардақты.',
            altText: `Пост ${p + 1}, слайд ${i + 1}`,
          },
          body: ['Қысқа мәтін: кітап туралы бір сөйлем.'],
        });
    }
    await waitFor(
      () => sidebarOutline(editor.page),
      (o) => o.length === POSTS && o.every((p) => p.length === PER_POST),
      'the 40 slides in the sidebar',
      60_000,
    );
  });

  afterAll(async () => {
    await harness.cleanup();
    await e2e?.close();
  });

  it('gives 40 images of the exact size with captions and alt text, and the dialog answers during it', async () => {
    const dialog = await ExportDialogPage.open(editor.page);
    await dialog.choose('all');
    await waitFor(
      () => dialog.startButton.isEnabled(),
      Boolean,
      'the export to be allowed',
      60_000,
    );
    // What happened first, recorded in the page: the preview showing post 3 (a control used
    // during the export) or the export reporting it is done.
    await editor.page.evaluate(() => {
      const order: string[] = [];
      (window as unknown as { exportOrder: string[] }).exportOrder = order;
      const dialogEl = document.querySelector('dialog.export-dialog');
      if (!dialogEl) throw new Error('no dialog');
      new MutationObserver(() => {
        const preview = dialogEl.querySelector('.export-dialog__preview')?.textContent ?? '';
        const status = dialogEl.querySelector('[role="status"]')?.textContent ?? '';
        if (preview.includes('Кітаптар, 3-пост') && !order.includes('preview'))
          order.push('preview');
        if (status.startsWith('Done:') && !order.includes('done')) order.push('done');
      }).observe(dialogEl, { subtree: true, childList: true, characterData: true });
    });
    const chooser = dialog.dialog.getByRole('combobox', { name: /^Preview/ });
    const { files } = await dialog.exportZip(async () => {
      await waitFor(
        () => dialog.status.innerText(),
        (s) => s.startsWith('Rendering slide'),
        'the export to run',
      );
      await chooser.selectOption({ index: 2 });
    });
    const order = await editor.page.evaluate(
      () => (window as unknown as { exportOrder: string[] }).exportOrder,
    );
    expect(order).toEqual(['preview', 'done']);

    const images = Object.keys(files).filter((p) => p.endsWith('.jpg'));
    expect(images).toHaveLength(POSTS * PER_POST);
    for (const path of images)
      expect(imageInfo(files[path] ?? new Uint8Array()), path).toEqual({
        type: 'image/jpeg',
        width: 1080,
        height: 1350,
      });
    const folders = [...new Set(images.map((p) => p.split('/')[0] ?? ''))].sort();
    expect(folders).toHaveLength(POSTS);
    for (const [p, folder] of folders.entries()) {
      const names = images.filter((x) => x.startsWith(`${folder}/`)).map((x) => x.split('/')[1]);
      const expected = Array.from(
        { length: PER_POST },
        (_, i) => `${String(i + 1).padStart(2, '0')}.jpg`,
      );
      expect(names.sort()).toEqual(expected);
      expect(strFromU8(files[`${folder}/caption.txt`] ?? new Uint8Array())).toBe(
        `Кітаптар, ${p + 1}-пост\n\n#кітапхана`,
      );
      expect(strFromU8(files[`${folder}/alt-text.txt`] ?? new Uint8Array())).toBe(
        expected.map((f, i) => `${f}: Пост ${p + 1}, слайд ${i + 1}\n`).join(''),
      );
    }
    await dialog.close();
  });
});

describe('The export’s drawing against the path it replaced (html-to-image)', () => {
  let page: { url: string; close: () => void };
  beforeAll(async () => {
    const out = await buildPage(join(process.cwd(), '.tmp/export-large-e2e'));
    page = await serve(out);
  }, 120_000);
  afterAll(() => page?.close());

  // Every theme: each has its own fonts (some variable), which the export embeds subset.
  // And once with subsets that start empty: every slide then adds the characters it draws, and
  // the faces are subset again (and warmed again) in the middle of the export.
  let subsetsFromTheFlashbook = Infinity;
  const cases = [
    ...THEMES.map((t) => ['image/jpeg', t.id, undefined] as const),
    ['image/png', DEFAULT_THEME, undefined] as const,
    ['image/jpeg', DEFAULT_THEME, 'none'] as const,
  ];
  for (const [type, theme, characters] of cases)
    it(`gives the same picture of every slide (${type}, theme ${theme}${characters ? ', subsets growing slide by slide' : ''}: covers, logo, every layout)`, async () => {
      const browser = await launchChromium();
      try {
        const tab = await browser.newPage();
        await tab.goto(page.url);
        await tab.waitForSelector('body[data-ready="true"]', { state: 'attached' });
        const result = await tab.evaluate(
          ([n, t, th, c]) =>
            (
              window as unknown as {
                compareExports: (
                  n: number,
                  t: string,
                  tolerance: number,
                  theme: string,
                  characters?: 'none',
                ) => Promise<{
                  format: { width: number; height: number };
                  subsets: number;
                  files: string[];
                  images: {
                    path: string;
                    missing?: boolean;
                    legacy?: { width: number; height: number; bytes: number };
                    product?: { width: number; height: number; bytes: number };
                    differing?: number;
                  }[];
                }>;
              }
            ).compareExports(n, t, 24, th, c),
          [10, type, theme, characters] as const,
        );
        expect(result.images).toHaveLength(10);
        expect(result.subsets).toBeGreaterThan(0);
        if (type === 'image/jpeg' && theme === DEFAULT_THEME && !characters)
          subsetsFromTheFlashbook = result.subsets;
        // Starting empty, the faces were subset again as slides added characters.
        if (characters) expect(result.subsets).toBeGreaterThan(subsetsFromTheFlashbook);
        const { width, height } = result.format;
        for (const img of result.images) {
          expect(img.missing, img.path).toBeUndefined();
          expect(img.legacy, img.path).toMatchObject({ width, height });
          expect(img.product, img.path).toMatchObject({ width, height });
          // Rounding in anti-aliased edges may differ; a moved line or a missing glyph would not
          // stay under 0.1 % of the pixels.
          expect(img.differing ?? Infinity, img.path).toBeLessThan(width * height * 0.001);
        }
        console.log(
          type,
          result.images
            .map((i) => `${i.path}: ${i.differing} px, ${i.legacy?.bytes} → ${i.product?.bytes} B`)
            .join('; '),
        );
      } finally {
        await browser.close();
      }
    }, 120_000);
});
