import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLibrary,
  addPost,
  addSlide,
  editText,
  readFlashbook,
  readSlide,
  removeLibrary,
  seedFlashbook,
  setFlashbookSettings,
  setPostLibrary,
  setSlideValues,
  type SlideView,
} from '../model/flashbook.ts';
import { FORMATS, FORMAT_IDS } from '../model/instagram.ts';
import type { AssetResolver } from './asset-resolver.ts';
import { AssetContext } from './assets.tsx';
import { booksGrid, SAFE } from './grid.ts';
import { Slide, designOf, slideAssetIds } from './Slide.tsx';

const assets: AssetResolver = {
  url: (id) => `/a/${id}`,
  load: (id) => Promise.resolve(`/a/${id}`),
  subscribe: () => () => {},
};

function render(doc: Y.Doc, slide: SlideView, format: '4:5' | '1:1' | '3:4' = '4:5'): string {
  const view = readFlashbook(doc);
  return renderToStaticMarkup(
    createElement(
      AssetContext.Provider,
      { value: assets },
      createElement(Slide, { slide, format, width: 540, design: designOf(view) }),
    ),
  ).replaceAll('\u00AD', '');
}

const count = (html: string, needle: string) => html.split(needle).length - 1;
const COVER = 'c'.repeat(64);
const LOGO = 'f'.repeat(64);

function flashbook() {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Жаңа кітаптар' });
  const { postId } = addPost(doc, { first: { layout: 'books', fields: { title: 'Подборка' } } });
  return { doc, postId };
}

describe('the books of this post, rendered in Node', () => {
  it('shows one cover per book slide of the post, with authors and titles, and follows edits', () => {
    const { doc, postId } = flashbook();
    addSlide(doc, postId, {
      layout: 'book',
      image: COVER,
      fields: { title: 'Абай жолы', author: 'Мұхтар Әуезов' },
    });
    addSlide(doc, postId, { layout: 'quote', fields: { quote: 'Не цитата о книге' } });
    const second = addSlide(doc, postId, {
      layout: 'book',
      fields: { title: 'Көшпенділер', author: 'Ілияс Есенберлин' },
    });
    const books = () => readFlashbook(doc).posts[1]?.slides[0] as SlideView;
    let html = render(doc, books());
    expect(count(html, 'class="slide__grid-item"')).toBe(2);
    expect(html).toContain(`src="/a/${COVER}"`);
    expect(count(html, 'slide__cover--placeholder')).toBe(1);
    for (const text of ['Абай жолы', 'Мұхтар Әуезов', 'Көшпенділер', 'Ілияс Есенберлин'])
      expect(html).toContain(text);
    expect(html).not.toContain('Не цитата о книге');
    // Built from the book slides: an edit to a book shows on the books slide.
    editText(doc, { kind: 'slide', slideId: second, field: 'title' }, 'Көшпенділер. Алмас қылыш');
    html = render(doc, books());
    expect(html).toContain('Көшпенділер. Алмас қылыш');
    expect(slideAssetIds(books(), designOf(readFlashbook(doc)))).toEqual([COVER]);
  });

  it.each(FORMAT_IDS)('fits 1 to 10 covers into the %s safe area, larger when fewer', (format) => {
    const size = FORMATS[format];
    for (let n = 1; n <= 10; n++)
      for (const corner of [false, true]) {
        const g = booksGrid(n, format, { title: true, corner });
        const height = size.height - SAFE.top - (corner ? SAFE.bottomWithCorner : SAFE.bottom);
        const captions = g.captions ? 112 : 0;
        expect(g.cols * g.rows, `${n} covers`).toBeGreaterThanOrEqual(n);
        expect(g.rows, `${n}: no empty row`).toBe(Math.ceil(n / g.cols));
        expect(g.width, `${n}: width`).toBeLessThanOrEqual(size.width - 2 * SAFE.side);
        expect(
          176 + g.rows * (g.coverHeight + captions) + (g.rows - 1) * g.gap,
          `${n}: height`,
        ).toBeLessThanOrEqual(height);
        // Still a recognisable cover on a phone (a 1080 px image is shown about 3× smaller).
        expect(g.coverWidth, `${n} covers`).toBeGreaterThanOrEqual(120);
      }
    // Fewer books, larger covers.
    const one = booksGrid(1, format, { title: true, corner: false });
    const ten = booksGrid(10, format, { title: true, corner: false });
    expect(one.coverHeight).toBeGreaterThan(2 * ten.coverHeight);
    // A few books get their titles and authors under the covers.
    expect(booksGrid(3, format, { title: true, corner: true }).captions).toBe(true);
  });

  it('shows an empty books slide (no book slides yet) as its title only', () => {
    const { doc } = flashbook();
    const html = render(doc, readFlashbook(doc).posts[1]?.slides[0] as SlideView);
    expect(html).toContain('Подборка');
    expect(html).not.toContain('slide__grid');
  });
});

describe('library attribution, rendered in Node', () => {
  it('shows the slide’s or its post’s library name and logo when the flashbook asks for it', () => {
    const { doc, postId } = flashbook();
    const slideId = addSlide(doc, postId, { layout: 'text', fields: { title: 'Жаңалықтар' } });
    const lib = addLibrary(doc, { name: 'Облыстық кітапхана', logo: LOGO });
    setPostLibrary(doc, postId, lib);
    const slide = () => readSlide(doc, slideId) as SlideView;
    // Off by default.
    expect(render(doc, slide())).not.toContain('slide__attribution');
    setFlashbookSettings(doc, { attribution: true });
    let html = render(doc, slide());
    expect(html).toContain('Облыстық кітапхана');
    expect(html).toContain(`src="/a/${LOGO}"`);
    expect(html).toContain('slide--with-attribution');
    expect(slideAssetIds(slide(), designOf(readFlashbook(doc)))).toContain(LOGO);
    // The slide's own library, typed in, comes before its post's.
    setSlideValues(doc, slideId, { library: 'Балалар кітапханасы' });
    html = render(doc, slide());
    expect(html).toContain('Балалар кітапханасы');
    expect(html).not.toContain('Облыстық кітапхана');
    expect(html).not.toContain(LOGO);
    // A removed library: the post keeps its name (as text, without the logo).
    setSlideValues(doc, slideId, { library: '' });
    removeLibrary(doc, lib);
    html = render(doc, slide());
    expect(html).toContain('Облыстық кітапхана');
    expect(html).not.toContain(LOGO);
    // A reference to a library someone removed meanwhile shows nothing, not the id.
    const gone = addLibrary(doc, { name: 'Уақытша' });
    setSlideValues(doc, slideId, { library: gone });
    removeLibrary(doc, gone);
    setSlideValues(doc, slideId, { library: gone });
    html = render(doc, slide());
    expect(html).not.toContain('slide__attribution');
    expect(html).not.toContain(gone);
  });
});

describe('cover fit, rendered in Node', () => {
  it('shows a cover whole until its shape is known, and crops at the focal point when asked', () => {
    const { doc, postId } = flashbook();
    const id = addSlide(doc, postId, { layout: 'book', image: COVER, fields: { title: 'Альбом' } });
    let html = render(doc, readSlide(doc, id) as SlideView);
    // auto: whole (nothing marks it close to the frame's shape without layout), on a blurred copy.
    expect(html).toContain('slide__cover--fit-auto');
    expect(html).not.toContain('data-shape');
    expect(count(html, `src="/a/${COVER}"`)).toBe(2);
    setSlideValues(doc, id, { imageFit: 'cover', imageFocus: { x: 0, y: 0.5 } });
    html = render(doc, readSlide(doc, id) as SlideView);
    expect(html).toContain('slide__cover--fit-cover');
    expect(html).toContain('object-position:0% 50%');
    expect(count(html, `src="/a/${COVER}"`)).toBe(1);
    setSlideValues(doc, id, { imageFit: 'contain-plain', bookLayout: 'wide' });
    html = render(doc, readSlide(doc, id) as SlideView);
    expect(html).toContain('slide__cover--fit-contain-plain');
    expect(html).toContain('slide--book-wide');
    expect(count(html, `src="/a/${COVER}"`)).toBe(1);
  });
});
