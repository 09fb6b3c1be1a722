import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPost, addSlide, readFlashbook, setFormat } from '../../src/model/flashbook.ts';
import { FORMAT_IDS } from '../../src/model/instagram.ts';
import type { Layout } from '../../src/model/schema.ts';
import { Harness, synced } from '../helpers/server.ts';
import { startE2E, type E2E } from './harness.ts';
import { HomePage, sidebarOutline, waitFor, type EditorPage, parseLink } from './pages.ts';

/** Long titles that used to break mid-word without a hyphen ("воспоминани / я"). */
const CORPUS = {
  ru: [
    'Воспоминания и размышления о Великой Отечественной войне',
    'Приключения Алисы в Стране чудес',
    'Энциклопедия юного натуралиста: млекопитающие',
    'Достопримечательности Ленинградской области',
  ],
  kk: [
    'Ленинградтық өренім: жауынгерлердің естеліктері',
    'Қазақстанның ұлы ақындары мен жазушылары',
    'Балаларға арналған энциклопедия',
    'Соғыс жылдарындағы ертегілер мен аңыздар',
  ],
};
const BODY = {
  ru: 'Документальная повесть о защитниках Ленинграда, основанная на воспоминаниях участников.',
  kk: 'Ленинградты қорғаған қазақстандық жауынгерлер туралы деректі повесть, естеліктер негізінде.',
};
const LAYOUTS: Layout[] = ['book', 'cover', 'text', 'closing', 'quote'];

interface Break {
  slide: string;
  word: string;
  hyphen: boolean;
}

/**
 * Every line break inside a word on the rendered slides: for each letter, the line box it sits on
 * (from a Range's rect); a letter on a lower line than the letter before it in the same word is a
 * break inside the word, which is right only where a soft hyphen separates the two.
 */
async function wordBreaks(page: EditorPage['page']): Promise<Break[]> {
  return page.evaluate(async () => {
    await document.fonts.ready;
    const out: { slide: string; word: string; hyphen: boolean }[] = [];
    const letter = /[\p{L}\p{M}]/u;
    for (const slide of document.querySelectorAll<HTMLElement>('.slide')) {
      slide.scrollIntoView({ block: 'nearest' });
      const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = (n as Text).data;
        let prev: { i: number; top: number; height: number } | undefined;
        for (let i = 0; i < text.length; i++) {
          const ch = text.charAt(i);
          if (ch === '\u00AD') continue;
          if (!letter.test(ch)) {
            prev = undefined;
            continue;
          }
          const range = document.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + 1);
          // The last box: after a hyphenation break Chromium also reports an empty box at the end
          // of the line before.
          const rect = [...range.getClientRects()].filter((r) => r.width > 0).at(-1);
          if (!rect || rect.height === 0) {
            prev = undefined;
            continue;
          }
          if (prev && rect.top > prev.top + prev.height / 2) {
            const start = text.slice(0, i).search(/[\p{L}\p{M}\u00AD]*$/u);
            const end =
              i + (text.slice(i).search(/[^\p{L}\p{M}\u00AD]/u) + 1 || text.length + 1) - 1;
            out.push({
              slide: slide.dataset['slideId'] ?? '',
              word: `${text.slice(start, i)}|${text.slice(i, end)}`.replaceAll('\u00AD', '·'),
              hyphen: i - prev.i > 1,
            });
          }
          prev = { i, top: rect.top, height: rect.height };
        }
      }
    }
    return out;
  });
}

describe('Hyphenation on slides', () => {
  let e2e: E2E;
  let editor: EditorPage;
  const harness = new Harness();
  let doc: Y.Doc;

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), {
      name: 'Aigerim',
      library: 'Regional Library',
    });
    editor = await home.createFlashbook('Ленинградтық өренім: жауынгерлердің естеліктері');
    const { edit } = await editor.shareLinks();
    const { id, token } = parseLink(edit);
    const client = harness.connect(e2e.baseUrl, id, token);
    await synced(client.provider);
    doc = client.doc;
    for (const language of ['ru', 'kk'] as const) {
      const { postId } = addPost(doc, {
        layout: 'text',
        first: { fields: { title: CORPUS[language][0] } },
      });
      // The slide of all the post's covers: its title and, under each cover, the book's title.
      addSlide(doc, postId, { layout: 'books', fields: { title: CORPUS[language][1] } });
      for (const title of CORPUS[language])
        for (const layout of LAYOUTS)
          addSlide(doc, postId, {
            layout,
            fields:
              layout === 'quote'
                ? { quote: title, quoteSource: 'Бауыржан Момышұлы' }
                : { title, subtitle: layout === 'cover' ? title : '', author: 'Момышұлы Бауыржан' },
            body: layout === 'quote' || layout === 'cover' ? [] : [BODY[language]],
          });
      // The landscape book layout: a wide cover above the text.
      for (const title of CORPUS[language])
        addSlide(doc, postId, {
          layout: 'book',
          bookLayout: 'wide',
          fields: { title, author: 'Момышұлы Бауыржан' },
          body: [BODY[language]],
        });
    }
    const count = readFlashbook(doc).posts.reduce((n, p) => n + p.slides.length, 0);
    await waitFor(
      () => sidebarOutline(editor.page),
      (o) => o.flat().length === count,
      'every slide in the sidebar',
    );
  });

  afterAll(async () => {
    await harness.cleanup();
    await e2e?.close();
  });

  it('renders the books of a post and the wide book layout too', async () => {
    // Every book slide of the post is on its books slide (with its caption, in this grid).
    const shown = readFlashbook(doc)
      .posts.flatMap((p) => p.slides)
      .filter((s) => s.layout === 'books')
      .reduce((n, s) => n + s.books.length, 0);
    expect(shown).toBeGreaterThan(10);
    expect(await editor.page.locator('.thumb .slide--books .slide__grid-item').count()).toBe(shown);
    expect(await editor.page.locator('.thumb .slide--book-wide').count()).toBe(8);
  });

  it('breaks no word without a hyphen, in every layout and format', async () => {
    let hyphenated = 0;
    for (const format of FORMAT_IDS) {
      setFormat(doc, format);
      const cls = `slide--${format.replace(':', 'x')}`;
      await waitFor(
        () => editor.page.locator(`.slide:not(.${cls})`).count(),
        (n) => n === 0,
        `every slide in ${format}`,
      );
      const breaks = await wordBreaks(editor.page);
      const bad = breaks.filter((b) => !b.hyphen);
      expect(bad, `${format}: words broken without a hyphen`).toEqual([]);
      hyphenated += breaks.length;
    }
    // The corpus does make the browser break words, so the check above checked something.
    expect(hyphenated).toBeGreaterThan(20);
  });

  it('does not hyphenate an author’s name', async () => {
    const authors = await editor.page
      .locator('.slide__author, .slide__cover-author, .slide__source, .slide__grid-author')
      .allTextContents();
    expect(authors.length).toBeGreaterThan(0);
    for (const a of authors) expect(a).not.toContain('\u00AD');
  });
});
