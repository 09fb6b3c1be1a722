import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.ts';
import { canvasCoverImage, ImageFieldPage, waitForLoadedImage } from './image-pages.ts';
import { EditorPage, HomePage, waitFor } from './pages.ts';

const AIGERIM = { name: 'Aigerim Seitkali', library: 'Regional Children’s Library' };

const AUTHOR = 'Бауыржан Момышұлы';
const TITLE = 'Артымызда Москва';

/** Screenshots for a person to look at: `IMAGE_SCREENSHOTS=.tmp npx vitest run …`. */
const SHOTS = process.env['IMAGE_SCREENSHOTS'];

describe('book cover images', () => {
  let e2e: E2E;
  let a: EditorPage;
  let b: EditorPage;
  let coverA: ImageFieldPage;
  let coverB: ImageFieldPage;
  let flashbook: { id: string; editToken: string };

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), AIGERIM);
    a = await home.createFlashbook('Соғыс туралы кітаптар');
    const links = await a.shareLinks();
    const edit = new URL(links.edit ?? '', e2e.baseUrl);
    flashbook = { id: edit.pathname.split('/').pop() ?? '', editToken: edit.hash.slice(3) };
    // The seeded slide becomes a book slide with an author and a title.
    const inspector = a.page.getByRole('region', { name: 'Slide content' });
    await inspector.getByRole('combobox', { name: /^Layout/ }).selectOption('book');
    await a.slideField('Author').fill(AUTHOR);
    await a.slideField('Title').fill(TITLE);
    coverA = new ImageFieldPage(a.page, 'Book cover');
    // Boris only has the view link: reading images needs no edit rights.
    b = await EditorPage.openViewLinkInEditor(await e2e.newUser(), links.view);
    coverB = new ImageFieldPage(b.page, 'Book cover');
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('uploads a cover from the file picker; the other user sees it on the slide', async () => {
    await coverA.zone.waitFor();
    if (SHOTS) await coverA.zone.screenshot({ path: `${SHOTS}/image-field-empty.png` });
    await coverA.choose('cover.jpg');
    await coverA.waitForPreview();
    await expect.poll(() => coverA.size.innerText()).toBe('360 × 540 px');
    // The alt text was empty, so it is prefilled from the book's author and title.
    await a.expectText(a.slideField('Alt text (image description for screen readers)'), [
      `Cover of the book «${TITLE}» by ${AUTHOR}`,
    ]);
    await waitForLoadedImage(canvasCoverImage(a.page), "the cover on A's slide");

    // Boris, on another computer, fetches it with the view token and sees it on his canvas.
    const onSlide = await waitForLoadedImage(canvasCoverImage(b.page), "the cover on B's slide");
    const inInspector = await coverB.waitForPreview();
    expect(inInspector).toBe(onSlide); // one blob: URL per image, shared by slide and field
    expect(
      await canvasCoverImage(b.page).evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBe(360);
    // A viewer cannot upload or remove.
    expect(await coverB.fileInput.count()).toBe(0);
    expect(await coverB.removeButton.count()).toBe(0);
    if (SHOTS) {
      await coverA.zone.locator('..').screenshot({ path: `${SHOTS}/image-field-set.png` });
      await coverB.zone.locator('..').screenshot({ path: `${SHOTS}/image-field-readonly.png` });
      await a.page.screenshot({ path: `${SHOTS}/image-editor.png` });
    }
  });

  it('refuses a text file named .jpg and an SVG with a clear message', async () => {
    const before = await coverA.waitForPreview();
    await coverA.choose('notes.jpg');
    expect(await coverA.errorText()).toBe(
      'This file is not a JPEG, PNG or WebP image, whatever its name says. Choose a photo or a scan of the cover.',
    );
    if (SHOTS)
      await coverA.zone.locator('..').screenshot({ path: `${SHOTS}/image-field-error.png` });
    await coverA.choose('drawing.svg');
    await waitFor(
      () => coverA.errorText(),
      (t) => t.startsWith('SVG'),
      'the SVG refusal',
    );
    expect(await coverA.errorText()).toBe(
      'SVG images are not accepted because they can contain scripts. Save the picture as JPEG, PNG or WebP.',
    );
    // The cover stays what it was, for both.
    expect(await coverA.waitForPreview()).toBe(before);
    expect(
      await canvasCoverImage(b.page).evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBe(360);
  });

  it('scales a large dropped photo down to 2160 px and shows upload progress', async () => {
    const before = await coverA.waitForPreview();
    const statuses = await coverA.recordStatuses();
    await coverA.drop({ width: 3000, height: 4000, type: 'image/jpeg', name: 'scan.jpg' });
    await coverA.waitForPreview(before);
    await expect.poll(() => coverA.size.innerText()).toBe('1620 × 2160 px');
    expect(await coverA.error.count()).toBe(0); // a successful upload clears the last refusal
    const seen = await statuses();
    expect(seen.some((s) => /^Uploading… \d+%/.test(s) && s.endsWith('[progressbar]'))).toBe(true);
    await waitFor(
      () => canvasCoverImage(b.page).evaluate((img) => (img as HTMLImageElement).naturalWidth),
      (w) => w === 1620,
      "the scaled photo on B's slide",
    );
  });

  it('uploads a pasted image, and a small one exactly as it was', async () => {
    const before = await coverA.waitForPreview();
    const sha = await coverA.paste({
      width: 300,
      height: 450,
      type: 'image/png',
      name: 'image.png',
    });
    await coverA.waitForPreview(before);
    await expect.poll(() => coverA.size.innerText()).toBe('300 × 450 px');
    // Not re-encoded: the server holds the very bytes that were pasted.
    const res = await fetch(`${e2e.baseUrl}/api/flashbooks/${flashbook.id}/assets/${sha}`, {
      headers: { authorization: `Bearer ${flashbook.editToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  it('shows cached images after a reload without asking the server again', async () => {
    const src = await coverA.waitForPreview();
    await a.page.reload();
    await a.waitLoaded();
    let asked = 0;
    await a.page.route('**/api/flashbooks/*/assets/*', (route) => {
      asked++;
      return route.abort();
    });
    await coverA.waitForPreview(src);
    await waitForLoadedImage(canvasCoverImage(a.page), 'the cached cover on the slide');
    expect(asked).toBe(0);
    await a.page.unroute('**/api/flashbooks/*/assets/*');
  });
});
