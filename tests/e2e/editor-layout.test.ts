import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPost,
  addSlide,
  editText,
  getText,
  readFlashbook,
  setFlashbookSettings,
} from '../../src/model/flashbook.ts';
import { Harness, synced } from '../helpers/server.ts';
import { ExportDialogPage } from './export-pages.ts';
import { canvasCoverImage, waitForLoadedImage } from './image-pages.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, chooseLanguage, parseLink, waitFor } from './pages.ts';

/**
 * The editor's frame as a librarian sees it (issue #16, defects 6, 11, 12, 13): a toolbar that
 * cuts nothing, the Design panel beside the slide, placeholders on empty slides, and captions
 * that belong visibly to their post.
 */
describe('the editor explains itself and cuts nothing', () => {
  let e2e: E2E;
  let editor: EditorPage;
  let url: string;
  const harness = new Harness();
  let doc: Y.Doc;

  beforeAll(async () => {
    e2e = await startE2E();
    const ctx = await e2e.newUser();
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.baseUrl });
    const home = await HomePage.open(ctx, {
      name: 'Айгерім Сейітқызы',
      library: 'Орталық кітапхана',
    });
    editor = await home.createFlashbook(
      'Қазақстан әдебиеті 1941–1945 жылдардағы соғыс туралы: облыстық кітапханалардың ортақ көрмесі',
    );
    url = editor.page.url();
    const { edit } = await editor.shareLinks();
    const { id, token } = parseLink(edit);
    const client = harness.connect(e2e.baseUrl, id, token);
    await synced(client.provider);
    doc = client.doc;
  });

  afterAll(async () => {
    await harness.cleanup();
    await e2e?.close();
  });

  it('keeps the toolbar on one row with the title and the sync status readable, at 1366 and 1920 px in ru, kk and en with six people online', async () => {
    const names = ['Дана Серікова', 'Марат Ахметов', 'Ольга Иванова', 'Ерлан Бекұлы', 'Asel K.'];
    for (const name of names)
      await EditorPage.openLink(await e2e.newUser(), url, { name, library: 'Филиал №2' });
    await waitFor(
      () => editor.presenceNames(),
      (n) => n.length === 6,
      'six people in the toolbar',
    );
    for (const language of ['ru', 'kk', 'en'] as const) {
      await editor.page.evaluate((l) => localStorage.setItem('flashbook.language', l), language);
      for (const [width, height] of [
        [1366, 768],
        [1920, 1080],
      ] as const) {
        await editor.page.setViewportSize({ width, height });
        await editor.page.reload();
        await editor.page.locator('.sidebar .thumb').first().waitFor();
        await waitFor(
          () => editor.page.locator('.presence__person').count(),
          (n) => n === 6,
          `six avatars (${language}, ${width})`,
        );
        await editor.page.locator('[role="status"][data-status="connected"]').waitFor();
        const layout = await editor.toolbarLayout();
        const where = `${language} at ${width}×${height}`;
        expect(layout.rows, where).toBe(1);
        expect(layout.pageOverflow, where).toBe(false);
        expect(layout.controls.length, where).toBeGreaterThanOrEqual(10);
        for (const c of layout.controls) {
          expect(c.cut, `${c.name} cut (${where})`).toBe(false);
          expect(c.right, `${c.name} off the screen (${where})`).toBeLessThanOrEqual(
            layout.viewport,
          );
        }
        // The sync status in full, always; the title either whole or cut with an ellipsis and
        // readable in full in its tooltip.
        expect(layout.status.cut, where).toBe(false);
        expect(layout.status.text.length, where).toBeGreaterThan(3);
        if (layout.title.cut) {
          expect(layout.title.ellipsis, where).toBe(true);
          expect(layout.title.tooltip, where).toBe(layout.title.value);
        }
        expect(layout.title.value, where).toMatch(/^Қазақстан әдебиеті/);
      }
    }
    await editor.page.evaluate(() => localStorage.setItem('flashbook.language', 'en'));
    await editor.page.setViewportSize({ width: 1366, height: 768 });
    await editor.page.reload();
    await editor.waitLoaded();
  });

  it('the sidebar post header stays on one line ("Post 3", "6 slides")', async () => {
    const postId = readFlashbook(doc).posts[0]!.id;
    for (let i = 0; i < 5; i++)
      addSlide(doc, postId, { layout: 'text', fields: { title: `Слайд ${i}` } });
    await waitFor(
      () => editor.page.locator('.post__count').first().innerText(),
      (s) => s === '6 slides',
      'six slides in post 1',
    );
    // Kazakh and Russian words are the longest ("1-пост", "6 слайдов").
    for (const language of ['kk', 'ru', 'en']) {
      await chooseLanguage(editor.page, language);
      const head = await editor.page
        .locator('.post__head')
        .first()
        .evaluate((el) => {
          const parts = [...el.querySelectorAll<HTMLElement>('.post__title, .post__count')];
          const line = parseFloat(getComputedStyle(parts[0]!).lineHeight) || 20;
          return parts.map((p) => ({
            text: p.innerText,
            cut: p.scrollWidth > p.clientWidth + 1,
            height: p.getBoundingClientRect().height,
            line,
          }));
        });
      for (const part of head) {
        expect(part.height, `${language}: ${part.text}`).toBeLessThan(part.line * 1.6);
        expect(part.cut, `${language}: ${part.text}`).toBe(false);
      }
    }
  });

  it('opens Design as a panel beside the canvas: the slide stays visible and changes with the theme', async () => {
    await editor.selectSlide('Слайд 0');
    const panel = await editor.openDesign();
    const canvas = editor.page.locator('.canvas .slide-frame');
    const [a, b] = [await canvas.boundingBox(), await panel.boundingBox()];
    if (!a || !b) throw new Error('canvas or panel not visible');
    const overlap =
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlap).toBe(false);
    // Focus went into the panel (its title), for the keyboard and screen readers.
    expect(
      await editor.page.evaluate(() =>
        document.activeElement?.closest('[role="dialog"]')?.getAttribute('aria-modal'),
      ),
    ).toBe('false');
    const before = await editor.canvas.getAttribute('class');
    const background = () => editor.canvas.evaluate((el) => getComputedStyle(el).backgroundColor);
    const bg = await background();
    // The theme cards are labels around visually hidden radios: a librarian clicks the card.
    await panel.locator('label', { hasText: 'Bright' }).click();
    expect(await panel.getByRole('radio', { name: /Bright/ }).isChecked()).toBe(true);
    await waitFor(
      () => editor.canvas.getAttribute('class'),
      (c) => c !== before,
      'the canvas in the new theme',
    );
    expect(await editor.canvas.getAttribute('class')).toContain('slide--theme-bright');
    expect(await background()).not.toBe(bg);
    expect(await panel.isVisible()).toBe(true);
    // Escape closes it and gives focus back to the Design button.
    await editor.page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await editor.page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Design',
    );
    setFlashbookSettings(doc, { theme: 'memory' });
  });

  it('shows placeholders on an empty book slide; a click on "Title" puts the caret in the Title field; export has none', async () => {
    await editor.page.getByRole('button', { name: 'Add slide to post 1' }).click();
    await waitFor(
      () => editor.canvas.getAttribute('class'),
      (c) => c?.includes('slide--book') ?? false,
      'the new book slide on the canvas',
    );
    const text = await editor.canvasText();
    for (const placeholder of ['Author', 'Title', 'Annotation', 'Drop a cover here'])
      expect(text).toContain(placeholder);
    // A placeholder, not content: faded.
    const opacity = await editor.canvas
      .locator('[data-field="title"]')
      .evaluate((el) => Number(getComputedStyle(el).opacity));
    expect(opacity).toBeLessThan(0.8);
    await editor.canvas.locator('[data-field="title"]').click();
    await waitFor(
      () => editor.page.evaluate(() => document.activeElement?.getAttribute('data-field') ?? ''),
      (f) => f === 'title',
      'the caret in the Title field',
    );
    expect(await editor.slideField('Title').evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    await editor.canvas.locator('[data-field="cover"]').click();
    await waitFor(
      () =>
        editor.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type ?? ''),
      (t) => t === 'file',
      'the cover image control focused',
    );
    // What is typed replaces the placeholder.
    await editor.slideField('Title').fill('Абай жолы');
    await waitFor(
      () => editor.canvasText(),
      (s) => s.includes('Абай жолы') && !/\bTitle\b/.test(s),
      'the title on the canvas',
    );
    const slideId = readFlashbook(doc).posts[0]!.slides.at(-1)!.id;
    editText(doc, { kind: 'slide', slideId, field: 'title' }, '');
    // The export preview of this empty slide (the exported image's own renderer) has no placeholder.
    const dialog = await ExportDialogPage.open(editor.page);
    const preview = dialog.dialog.getByRole('region', { name: 'Post 1 as Instagram shows it' });
    await preview.waitFor();
    const slides = await dialog.dialog.locator('.slide').evaluateAll((els) =>
      els.map((el) => ({
        text: (el as HTMLElement).innerText,
        marks: el.querySelectorAll('[data-field], .slide__placeholder').length,
      })),
    );
    expect(slides.length).toBeGreaterThan(0);
    for (const s of slides) {
      expect(s.marks).toBe(0);
      expect(s.text).not.toMatch(/Drop a cover here|\bAnnotation\b|\bAuthor\b/);
    }
    await dialog.close();
    // "Drop a cover here" means it: a picture dropped on the canvas becomes the cover.
    await editor.canvas.locator('.slide__cover').evaluate(async (cover) => {
      const canvas = document.createElement('canvas');
      canvas.width = 300;
      canvas.height = 440;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.fillStyle = '#264653';
      ctx.fillRect(0, 0, 300, 440);
      const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
      if (!blob) throw new Error('no png');
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(new File([blob], 'cover.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop'])
        cover.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer }));
    });
    await waitForLoadedImage(canvasCoverImage(editor.page), 'the dropped cover on the canvas');
    expect(await editor.canvas.locator('[data-field="cover"]').count()).toBe(0);
  });

  it('gives each post its own caption panel that stays on its post, copies the caption as exported, and export warns about a hashtag-only caption', async () => {
    const first = readFlashbook(doc).posts[0]!;
    editText(doc, { kind: 'hashtags' }, '#Жеңіс80');
    const { postId: secondId } = addPost(doc, {
      first: { layout: 'text', fields: { title: 'Екінші пост' } },
    });
    await waitFor(
      () => editor.page.locator('.sidebar .post').count(),
      (n) => n === 2,
      'post 2 in the sidebar',
    );
    const panel = await editor.openCaption(1);
    await editor.selectSlide('Екінші пост');
    // Another post's slide is selected: the panel still says, and writes to, post 1.
    expect(await panel.isVisible()).toBe(true);
    expect(await editor.page.getByRole('dialog', { name: 'Post 2 — caption' }).count()).toBe(0);
    const field = panel.getByRole('textbox', { name: 'Caption of post 1' });
    await field.click();
    await field.pressSequentially('Соғыс туралы кітаптар.', { delay: 5 });
    const caption = (id: string) => () =>
      Promise.resolve(getText(doc, { kind: 'caption', postId: id })?.toString() ?? '');
    await waitFor(
      caption(first.id),
      (c) => c === 'Соғыс туралы кітаптар.',
      'the caption of post 1',
    );
    expect(await caption(secondId)()).toBe('');
    // Copy: the caption as exported, with the common hashtags.
    await panel.getByRole('button', { name: 'Copy caption' }).click();
    await panel.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await editor.page.evaluate(() => navigator.clipboard.readText())).toBe(
      'Соғыс туралы кітаптар.\n\n#Жеңіс80',
    );
    await panel.getByRole('button', { name: 'Close' }).click();

    // Post 2's caption is only the common hashtag: the export dialog says so and shows it.
    editText(doc, { kind: 'caption', postId: secondId }, '#Жеңіс80');
    const dialog = await ExportDialogPage.open(editor.page);
    const list = dialog.dialog.getByRole('list', { name: 'Posts without a caption of their own' });
    await waitFor(
      () => list.innerText().catch(() => ''),
      (s) => s.includes('Post 2: the caption has only the common hashtags.'),
      'the warning about post 2',
    );
    expect(await list.innerText()).not.toContain('Post 1');
    // The preview's caption is in view at 768 px without scrolling.
    const shown = dialog.dialog.getByTestId('preview-caption');
    await shown.waitFor();
    const box = await shown.boundingBox();
    const viewport = editor.page.viewportSize();
    if (!box || !viewport) throw new Error('no caption box');
    expect(box.y + Math.min(box.height, 40)).toBeLessThanOrEqual(viewport.height);
    await list.getByRole('button', { name: 'Show the caption of post 2' }).click();
    await editor.page.getByRole('dialog', { name: 'Post 2 — caption' }).waitFor();
    expect(await dialog.dialog.isVisible()).toBe(false);
  });
});
