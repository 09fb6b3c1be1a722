import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { strFromU8 } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { imageInfo } from '../../src/export/image-info.ts';
import type { Manifest } from '../../src/export/plan.ts';
import {
  addPost,
  addSlide,
  deletePost,
  deleteSlide,
  duplicateSlide,
  editText,
  getSlideBody,
  readFlashbook,
  setSlideValues,
} from '../../src/model/flashbook.ts';
import { themeById } from '../../src/slide/themes/themes.ts';
import { Harness, synced } from '../helpers/server.ts';
import {
  ExportDialogPage,
  inkWidth,
  pixelColors,
  pixelDiff,
  rectInSlide,
  textWidths,
} from './export-pages.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, sidebarOutline, waitFor, parseLink } from './pages.ts';

const TITLE = 'Соғыс жылдарының кітаптары';
const SLUG = 'sogys-zhyldarynyng-kitaptary';
/** Text in one font subset each: cyrillic-ext (the Kazakh letters), cyrillic, latin. */
const SCRIPTS = [
  { title: 'ӘҒҚҢӨҮҺ әғқңөүһ', body: 'Әә Ғғ Ққ Ңң Өө Үү Һһ ғқң өүһ әғқ', alt: 'Қазақ әріптері' },
  { title: 'Война и мир', body: 'Книга о войне и мире в двух томах', alt: 'Русские буквы' },
  {
    title: 'War and Peace',
    body: 'A book about war and peace in two volumes',
    alt: 'Latin letters',
  },
] as const;
/** Rows of a text slide's title and body (4:5, no fitting needed for these short texts). */

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}
const OUT = '.tmp/export-e2e';

/** Keeps an export's images where a person can look at them. */
function keep(label: string, files: Record<string, Uint8Array>): void {
  for (const [path, data] of Object.entries(files)) {
    const file = join(OUT, label, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

const text = (files: Record<string, Uint8Array>, path: string) => {
  const data = files[path];
  if (!data) throw new Error(`${path} is not in the ZIP: ${Object.keys(files).join(', ')}`);
  return strFromU8(data);
};

/** A slide's thumbnail in the sidebar (its picture and its button), by the slide's title. */
function thumbOf(page: Page, title: string): Locator {
  return page
    .locator('.thumb', { has: page.getByRole('button', { name: `Slide: ${title}` }) })
    .first();
}

/** The rows of the exported image that hold an element's text, measured in this run's layout. */
async function rowsOf(el: Locator): Promise<{ top: number; bottom: number }> {
  const r = await rectInSlide(el);
  return { top: Math.max(0, Math.floor(r.y) - 4), bottom: Math.ceil(r.y + r.height) + 4 };
}

/** A quarter and three quarters across the (only) uploaded cover, half-way down, in slide pixels. */
async function coverSamplePoints(page: Page): Promise<[number, number][]> {
  const r = await rectInSlide(page.locator('.thumb .slide__cover-image').first());
  const y = Math.round(r.y + r.height / 2);
  return [
    [Math.round(r.x + r.width / 4), y],
    [Math.round(r.x + (3 * r.width) / 4), y],
  ];
}

describe('Instagram export', () => {
  let e2e: E2E;
  let editor: EditorPage;
  const harness = new Harness();
  let doc: Y.Doc;
  let firstExport: Record<string, Uint8Array>;
  let link: { id: string; token: string };
  let coverPoints: [number, number][] = [];
  const post1 = `01-${SLUG}`;
  const post2 = '02-agqngouh-agqngouh';

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), {
      name: 'Aigerim',
      library: 'Regional Children’s Library',
    });
    editor = await home.createFlashbook(TITLE);
    const { edit } = await editor.shareLinks();
    // A colleague's client writes the content through the model, as any Yjs client may.
    link = parseLink(edit);
    const client = harness.connect(e2e.baseUrl, link.id, link.token);
    await synced(client.provider);
    doc = client.doc;
    const first = readFlashbook(doc).posts[0];
    const cover = first?.slides[0];
    if (!first || !cover) throw new Error('the new flashbook has no cover');
    editText(doc, { kind: 'hashtags' }, '#Жеңіс80 кітапхана');
    editText(
      doc,
      { kind: 'caption', postId: first.id },
      'Соғыс туралы кітаптар. @oblast_library #әдебиет',
    );
    editText(doc, { kind: 'slide', slideId: cover.id, field: 'altText' }, 'Флешбук мұқабасы');
    addSlide(doc, first.id, {
      layout: 'book',
      ageLabel: '12+',
      fields: {
        author: 'Әзілхан Нұршайықов',
        title: 'Ақиқат пен аңыз',
        publisher: 'Жазушы',
        place: 'Алматы',
        year: '1976',
        pages: '432 б.',
        altText: 'Кітап: Ақиқат пен аңыз',
      },
      body: [
        'Бауыржан Момышұлы туралы деректі роман: Мәскеу түбіндегі шайқастар, Панфилов дивизиясы.',
      ],
    });
    addSlide(doc, first.id, {
      layout: 'quote',
      fields: {
        quote: 'Ұлы Отан соғысы — ұрпаққа ұмытылмас сабақ.',
        quoteSource: 'Бауыржан Момышұлы',
        altText: 'Дәйексөз',
      },
    });
    // Post 2: one slide per script (Kazakh-specific letters, Russian, Latin), the first twice.
    const second = addPost(doc, { layout: 'text' });
    const [kazakh, russian, latin] = SCRIPTS;
    editText(doc, { kind: 'slide', slideId: second.slideId, field: 'title' }, kazakh.title);
    editText(doc, { kind: 'slide', slideId: second.slideId, field: 'altText' }, kazakh.alt);
    getSlideBody(doc, second.slideId)?.insert(0, [paragraph(kazakh.body)]);
    editText(doc, { kind: 'caption', postId: second.postId }, 'Екінші пост #кітапхана');
    duplicateSlide(doc, second.slideId);
    for (const script of [russian, latin])
      addSlide(doc, second.postId, {
        layout: 'text',
        fields: { title: script.title, altText: script.alt },
        body: [script.body],
      });
    await waitFor(
      () => sidebarOutline(editor.page),
      (o) => o.length === 2 && o[0]?.length === 3 && o[1]?.length === 4,
      'both posts in the sidebar',
    );
  });

  afterAll(async () => {
    await harness.cleanup();
    await e2e?.close();
  });

  it('exports the whole flashbook: exact-size JPEGs, captions with hashtags, alt text, manifest', async () => {
    const dialog = await ExportDialogPage.open(editor.page);
    await dialog.choose('all');
    const { name, files } = await dialog.exportZip();
    keep('whole', files);
    firstExport = files;
    expect(name).toBe(`${SLUG}.zip`);
    expect(Object.keys(files).sort()).toEqual(
      [
        'manifest.json',
        `${post1}/01.jpg`,
        `${post1}/02.jpg`,
        `${post1}/03.jpg`,
        `${post1}/caption.txt`,
        `${post1}/alt-text.txt`,
        `${post2}/01.jpg`,
        `${post2}/02.jpg`,
        `${post2}/03.jpg`,
        `${post2}/04.jpg`,
        `${post2}/caption.txt`,
        `${post2}/alt-text.txt`,
      ].sort(),
    );
    for (const [path, data] of Object.entries(files)) {
      if (!path.endsWith('.jpg')) continue;
      expect(imageInfo(data), path).toEqual({ type: 'image/jpeg', width: 1080, height: 1350 });
      expect(data.length).toBeLessThan(8 * 1024 * 1024);
    }
    expect(text(files, `${post1}/caption.txt`)).toBe(
      'Соғыс туралы кітаптар. @oblast_library #әдебиет\n\n#Жеңіс80 #кітапхана',
    );
    // A common hashtag the caption has already is not repeated.
    expect(text(files, `${post2}/caption.txt`)).toBe('Екінші пост #кітапхана\n\n#Жеңіс80');
    expect(text(files, `${post1}/alt-text.txt`)).toBe(
      '01.jpg: Флешбук мұқабасы\n02.jpg: Кітап: Ақиқат пен аңыз\n03.jpg: Дәйексөз\n',
    );
    const manifest = JSON.parse(text(files, 'manifest.json')) as Manifest;
    expect(manifest).toMatchObject({
      title: TITLE,
      format: { ratio: '4:5', width: 1080, height: 1350, type: 'image/jpeg' },
      hashtags: ['#Жеңіс80', '#кітапхана'],
    });
    expect(manifest.posts.map((p) => [p.folder, p.slides.map((s) => s.file)])).toEqual([
      [post1, [`${post1}/01.jpg`, `${post1}/02.jpg`, `${post1}/03.jpg`]],
      [post2, [1, 2, 3, 4].map((n) => `${post2}/0${n}.jpg`)],
    ]);
    expect(manifest.posts[0]?.slides[1]).toMatchObject({
      layout: 'book',
      altText: 'Кітап: Ақиқат пен аңыз',
    });
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .filter((p) => p !== 'manifest.json')
        .sort(),
    );
    for (const f of manifest.files) expect(f.bytes, f.path).toBe(files[f.path]?.length);
    // The fonts were subset in the export worker (WebAssembly, under the app's own CSP): if that
    // failed, the faces would be embedded whole, the same pictures but every image slower to parse.
    const subsets = await editor.page.evaluate(
      () => performance.getEntriesByName('export:subset').length,
    );
    expect(subsets).toBeGreaterThan(0);
    await dialog.close();
  });

  it('gives the same pixels for the same slide, within one export and in the next', async () => {
    const a = firstExport[`${post2}/01.jpg`];
    const b = firstExport[`${post2}/02.jpg`];
    if (!a || !b) throw new Error('missing images');
    expect((await pixelDiff(editor.page, a, b)).differing).toBe(0);

    const dialog = await ExportDialogPage.open(editor.page);
    await dialog.choose(1);
    const { name, files } = await dialog.exportZip();
    expect(name).toBe(`${SLUG}-${post1}.zip`);
    for (const file of ['01.jpg', '02.jpg', '03.jpg']) {
      const before = firstExport[`${post1}/${file}`];
      const after = files[`${post1}/${file}`];
      if (!before || !after) throw new Error(`missing ${file}`);
      expect((await pixelDiff(editor.page, before, after)).differing, file).toBe(0);
      expect(Buffer.from(after).equals(Buffer.from(before)), file).toBe(true);
    }
    await dialog.close();
  });

  it('draws Kazakh, Russian and Latin text with the shipped fonts, not with fallbacks', async () => {
    // Each script is in its own subset of the font files; a subset missing from the embedded fonts
    // would draw its letters with the fallback font, whose letters have other widths. So the width
    // of each exported line must be that of the shipped font, as the page itself measures it.
    for (const [i, script] of SCRIPTS.entries()) {
      const image = firstExport[`${post2}/0${i === 0 ? 1 : i + 2}.jpg`];
      if (!image) throw new Error(`no image for ${script.title}`);
      const thumb = thumbOf(editor.page, script.title);
      for (const [part, locator] of [
        ['title', thumb.locator('.slide__title')],
        ['body', thumb.locator('.slide__body p').first()],
      ] as const) {
        const rows = await rowsOf(locator);
        const widths = await textWidths(locator);
        const ink = await inkWidth(editor.page, image, rows);
        const what = `${script.title} (${part}): ink ${ink}, ${JSON.stringify(widths)}`;
        // The fonts differ enough to tell apart at this size…
        expect(Math.abs(widths.fallback - widths.shipped), what).toBeGreaterThan(12);
        // …and the exported line is the shipped font's (ink is a little narrower than advance).
        expect(Math.abs(ink - widths.shipped), what).toBeLessThan(
          Math.abs(widths.fallback - widths.shipped) / 2,
        );
      }
    }
  });

  it('renders a Kazakh slide differently from the same slide with a generic fallback font', async () => {
    // The same slides with the theme's fonts replaced by the generic families they end in.
    const fonts = themeById(readFlashbook(doc).theme).fonts;
    const generic = (list: string) => list.split(',').at(-1)?.trim() ?? 'serif';
    const style = await editor.page.addStyleTag({
      content: `.slide { --slide-heading-font: ${generic(fonts.heading)} !important; --slide-body-font: ${generic(fonts.body)} !important; }`,
    });
    const dialog = await ExportDialogPage.open(editor.page);
    await dialog.choose(2);
    const { files } = await dialog.exportZip();
    keep('fallback-font', files);
    await dialog.close();
    await style.evaluate((el) => (el as Element).remove());
    const thumb = thumbOf(editor.page, SCRIPTS[0]?.title ?? '');
    const bands = [
      await rowsOf(thumb.locator('.slide__title')),
      await rowsOf(thumb.locator('.slide__body p').first()),
    ];
    const shipped = firstExport[`${post2}/01.jpg`];
    const fallback = files[`${post2}/01.jpg`];
    if (!shipped || !fallback) throw new Error('missing images');
    for (const rows of bands)
      expect((await pixelDiff(editor.page, shipped, fallback, 24, rows)).differing).toBeGreaterThan(
        500,
      );
  });

  it('exports 1:1 as PNG and 3:4 as JPEG at their exact sizes', async () => {
    const format = editor.page.getByRole('combobox', { name: 'Format' });
    // Options by value: the format ids of model/instagram.ts.
    for (const [id, type, width, height] of [
      ['1:1', 'PNG', 1080, 1080],
      ['3:4', 'JPEG', 1080, 1440],
    ] as const) {
      await format.selectOption(id);
      const dialog = await ExportDialogPage.open(editor.page);
      await dialog.choose(2, type);
      const { files } = await dialog.exportZip();
      keep(`format-${width}x${height}`, files);
      const ext = type === 'PNG' ? 'png' : 'jpg';
      const images = Object.keys(files).filter((p) => /\.(png|jpg)$/.test(p));
      expect(images.sort()).toEqual([1, 2, 3, 4].map((n) => `${post2}/0${n}.${ext}`));
      for (const path of images)
        expect(imageInfo(files[path] as Uint8Array), path).toEqual({
          type: type === 'PNG' ? 'image/png' : 'image/jpeg',
          width,
          height,
        });
      const manifest = JSON.parse(text(files, 'manifest.json')) as Manifest;
      expect(manifest.format).toMatchObject({ width, height });
      await dialog.close();
    }
    await format.selectOption('4:5');
  });

  it('counts the caption against Instagram’s limits as it is typed', async () => {
    await editor.page.getByRole('button', { name: 'Slide: Ақиқат пен аңыз' }).click();
    // The slide form names the slide's post and opens that post's caption panel.
    const summary = editor.page.getByRole('region', { name: 'Caption of post 1' });
    await summary.getByText('Соғыс туралы кітаптар.').waitFor();
    await summary.getByRole('button', { name: 'Edit the caption of post 1' }).click();
    const panel = editor.page.getByRole('dialog', { name: 'Post 1 — caption' });
    const caption = panel.getByRole('textbox', { name: 'Caption of post 1' });
    await editor.expectText(caption, ['Соғыс туралы кітаптар.']);
    const counters = editor.page.getByRole('list', { name: 'Caption counters' });
    // The caption's own hashtag and the two common ones.
    await waitFor(
      () => counters.innerText(),
      (s) => s.includes('Hashtags: 3 / 5') && s.includes('Mentions: 1 / 20'),
      'the counters',
    );
    await caption.click();
    await caption.press('End');
    await caption.pressSequentially(' #бір #екі #үш', { delay: 10 });
    await waitFor(
      () => counters.innerText(),
      (s) => s.includes('Hashtags: 6 / 5'),
      '6 hashtags',
    );
    await expect(
      editor.page.getByRole('list', { name: 'Caption problems' }).innerText(),
    ).resolves.toContain('Too many hashtags: 6; Instagram allows 5');
    const long = `${'Бұл кітап соғыс жылдары туралы. '.repeat(6)}#әдебиет`;
    await caption.fill(long);
    await waitFor(
      () => editor.page.getByLabel('What the feed shows').innerText(),
      (s) => s.endsWith('… more') && s.length < 140,
      'the caption cut before “more”',
    );
    // The export dialog's preview: feed carousel, grid crop and the cut caption.
    const dialog = await ExportDialogPage.open(editor.page);
    const preview = dialog.dialog.getByRole('region', { name: 'Post 1 as Instagram shows it' });
    await preview.getByText('1/3').waitFor();
    await preview.getByRole('button', { name: 'Next slide' }).click();
    await preview.getByText('2/3').waitFor();
    const shown = preview.getByTestId('preview-caption');
    expect(await shown.innerText()).not.toContain('#Жеңіс80');
    await shown.getByRole('button', { name: 'more' }).click();
    await waitFor(
      () => shown.innerText(),
      (s) => s.includes('#Жеңіс80 #кітапхана'),
      'the whole caption',
    );
    await preview.getByText('In the profile grid (3:4 crop)').waitFor();
    await dialog.close();
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  it('refuses a carousel of more than 20 slides, warns above 10, and cancels', async () => {
    const { postId } = addPost(doc, { layout: 'text' });
    const ids = Array.from({ length: 20 }, (_, i) =>
      addSlide(doc, postId, {
        layout: 'text',
        fields: { title: `Слайд ${i + 2}`, altText: 'Мәтін' },
      }),
    );
    await waitFor(
      () => sidebarOutline(editor.page),
      (o) => o[2]?.length === 21,
      'post 3',
    );
    const dialog = await ExportDialogPage.open(editor.page);
    await dialog.choose(3);
    await waitFor(
      () => dialog.problems(),
      (p) =>
        p.some((x) =>
          x.startsWith('Post 3 has 21 slides, but an Instagram carousel holds at most 20.'),
        ),
      'the refusal',
    );
    await dialog.fitChecked();
    expect(await dialog.startButton.isDisabled()).toBe(true);
    await dialog.choose('all');
    await dialog.fitChecked();
    expect(await dialog.startButton.isDisabled()).toBe(true);

    for (const id of ids.slice(0, 10)) deleteSlide(doc, id);
    await waitFor(
      () => sidebarOutline(editor.page),
      (o) => o[2]?.length === 11,
      '11 slides',
    );
    await dialog.choose(3);
    await waitFor(
      () => dialog.problems(),
      (p) => p.some((x) => x.includes('the publishing API takes at most 10')),
      'the API warning',
    );
    // Enabled once the dialog has checked that every slide's text fits.
    await waitFor(() => dialog.startButton.isEnabled(), Boolean, 'the export to be allowed');

    let downloaded = false;
    editor.page.once('download', () => (downloaded = true));
    // The export of 11 slides can end before the test's click arrives: a slower CPU (Chromium's
    // own throttling) keeps it running long enough to be cancelled.
    const cdp = await editor.page.context().newCDPSession(editor.page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    await dialog.startButton.click();
    await waitFor(
      () => dialog.status.innerText(),
      (s) => s.startsWith('Rendering slide'),
      'progress',
    );
    await dialog.dialog.getByRole('button', { name: 'Cancel export' }).click();
    await waitFor(
      () => dialog.status.innerText(),
      (s) => s === 'Export cancelled.',
      'the cancel',
    );
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
    await new Promise((r) => setTimeout(r, 300));
    expect(downloaded).toBe(false);
    await dialog.close();
    deletePost(doc, postId);
    await waitFor(
      () => sidebarOutline(editor.page),
      (o) => o.length === 2,
      'post 3 gone',
    );
  });

  it('includes an uploaded book cover (a blob: image), loaded and decoded before capture', async () => {
    // A 300×440 cover: left half red, right half blue, uploaded as a colleague would.
    const { id, token } = link;
    const assetId = await editor.page.evaluate(
      async ([flashbook, tok]) => {
        const canvas = new OffscreenCanvas(300, 440);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d context');
        ctx.fillStyle = '#d01010';
        ctx.fillRect(0, 0, 150, 440);
        ctx.fillStyle = '#1030d0';
        ctx.fillRect(150, 0, 150, 440);
        const res = await fetch(`/api/flashbooks/${flashbook}/assets`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'image/png' },
          body: await canvas.convertToBlob({ type: 'image/png' }),
        });
        if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
        return ((await res.json()) as { id: string }).id;
      },
      [id, token] as const,
    );
    const book = readFlashbook(doc).posts[0]?.slides[1];
    if (!book) throw new Error('no book slide');
    setSlideValues(doc, book.id, { image: assetId });
    await editor.page.locator('.thumb img').first().waitFor();
    const dialog = await ExportDialogPage.open(editor.page);
    await dialog.choose(1);
    const { files } = await dialog.exportZip();
    keep('with-image', files);
    await dialog.close();
    const image = files[`${post1}/02.jpg`];
    if (!image) throw new Error('no image');
    // Sample a quarter and three quarters across the cover, wherever this machine lays it out.
    coverPoints = await coverSamplePoints(editor.page);
    const colors = await pixelColors(editor.page, image, coverPoints);
    const [left, right] = colors;
    expect(left?.[0], `left of the cover: ${left}`).toBeGreaterThan(150);
    expect(left?.[2]).toBeLessThan(80);
    expect(right?.[2], `right of the cover: ${right}`).toBeGreaterThan(150);
    expect(right?.[0]).toBeLessThan(80);
  });

  it('exports with the network off', async () => {
    const context = editor.page.context();
    await context.setOffline(true);
    try {
      const dialog = await ExportDialogPage.open(editor.page);
      await dialog.choose(1);
      const { files } = await dialog.exportZip();
      const image = files[`${post1}/02.jpg`];
      if (!image) throw new Error('no image');
      expect(imageInfo(image)).toMatchObject({ width: 1080, height: 1350 });
      // The cover image comes from the local blob, not from the network.
      const [left] = await pixelColors(editor.page, image, coverPoints.slice(0, 1));
      expect(left?.[0]).toBeGreaterThan(150);
      await dialog.close();
    } finally {
      await context.setOffline(false);
    }
  });
});
