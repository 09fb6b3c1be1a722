import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../helpers/png.ts';
import { startE2E, type E2E } from './harness.ts';
import { ImageFieldPage } from './image-pages.ts';
import { EditorPage, HomePage } from './pages.ts';

const AIGERIM = { name: 'Aigerim Seitkali', library: 'Regional Children’s Library' };

/**
 * A small file that declares a gigantic picture: the editor must refuse it from its header,
 * without asking the browser to decode it (which would take gigabytes), and say why.
 */
describe('image area in the editor', () => {
  let e2e: E2E;
  let editor: EditorPage;
  let cover: ImageFieldPage;
  const uploads: string[] = [];

  beforeAll(async () => {
    e2e = await startE2E();
    const ctx = await e2e.newUser();
    // Counts decodes: prepareImage decodes through createImageBitmap.
    await ctx.addInitScript(() => {
      const original = window.createImageBitmap.bind(window);
      (window as unknown as { __decodes: number }).__decodes = 0;
      window.createImageBitmap = ((...args: Parameters<typeof createImageBitmap>) => {
        (window as unknown as { __decodes: number }).__decodes++;
        return original(...args);
      }) as typeof createImageBitmap;
    });
    const home = await HomePage.open(ctx, AIGERIM);
    editor = await home.createFlashbook('Үлкен суреттер');
    editor.page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/assets')) uploads.push(r.url());
    });
    const inspector = editor.page.getByRole('region', { name: 'Slide content' });
    await inspector.getByRole('combobox', { name: /^Layout/ }).selectOption('book');
    cover = new ImageFieldPage(editor.page, 'Book cover');
  });

  afterAll(async () => {
    await e2e?.close();
  });

  const decodes = () =>
    editor.page.evaluate(() => (window as unknown as { __decodes: number }).__decodes);

  it('refuses a 30000 × 30000 PNG before decoding or uploading it', async () => {
    const giant = makePng(8, 8, 1, { width: 30_000, height: 30_000 });
    await cover.fileInput.setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: giant });
    await expect
      .poll(() => cover.errorText())
      .toBe(
        'This image is 30000 × 30000 pixels (900 megapixels); at most 50 megapixels can be used. Save it at a smaller size and try again.',
      );
    expect(await decodes()).toBe(0);
    expect(uploads).toEqual([]);
  });

  it('still scales a large but reasonable image down (the control)', async () => {
    const wide = makePng(2400, 100, 2);
    await cover.fileInput.setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: wide });
    await cover.waitForPreview();
    expect(await decodes()).toBeGreaterThan(0);
    expect(uploads).toHaveLength(1);
    await expect.poll(() => cover.size.innerText()).toBe('2160 × 90 px');
  });
});

describe('image storage quota in the editor', () => {
  let e2e: E2E;

  afterAll(async () => {
    await e2e?.close();
  });

  it('says that the flashbook has reached its image storage limit', async () => {
    const MiB = 1024 * 1024;
    e2e = await startE2E({ maxImageBytesPerFlashbook: 1.5 * MiB });
    const editor = await (await HomePage.open(await e2e.newUser(), AIGERIM)).createFlashbook('Q');
    const inspector = editor.page.getByRole('region', { name: 'Slide content' });
    await inspector.getByRole('combobox', { name: /^Layout/ }).selectOption('book');
    const cover = new ImageFieldPage(editor.page, 'Book cover');
    // Small enough in pixels to be sent as it is, too many bytes for the quota.
    const heavy = makePng(1000, 600, 3, undefined, true);
    expect(heavy.length).toBeGreaterThan(1.5 * MiB);
    await cover.fileInput.setInputFiles({
      name: 'heavy.png',
      mimeType: 'image/png',
      buffer: heavy,
    });
    await expect
      .poll(() => cover.errorText())
      .toBe(
        'This flashbook has reached its image storage limit (1.5 MB), so the image was not uploaded. The images already in the flashbook are kept.',
      );
  });
});
