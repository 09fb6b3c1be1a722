import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addSlide, readFlashbook, readSlide, seedFlashbook } from '../model/flashbook.ts';
import type { AssetResolver } from './asset-resolver.ts';
import { AssetContext } from './assets.tsx';
import { Slide } from './Slide.tsx';

// The exhibition page renders slides on the server: the slide layer must render in Node, without a
// DOM (this project runs with environment "node": no document, no window).
describe('the slide layer in Node', () => {
  it('renders a book slide to HTML with its title, author, annotation and cover', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const doc = new Y.Doc();
    seedFlashbook(doc, { title: 'Жаңа кітаптар' });
    const postId = readFlashbook(doc).posts[0]?.id ?? '';
    const cover = 'c'.repeat(64);
    const slideId = addSlide(doc, postId, {
      layout: 'book',
      image: cover,
      fields: { title: 'Абай жолы', author: 'Мұхтар Әуезов', year: '1942', altText: 'Мұқаба' },
      body: ['Қазақ даласының өмірі туралы роман-эпопея.'],
    });
    const slide = readSlide(doc, slideId);
    if (!slide) throw new Error('no slide');
    const assets: AssetResolver = {
      url: (id) => `/api/assets/${id}`,
      load: (id) => Promise.resolve(`/api/assets/${id}`),
      subscribe: () => () => {},
    };

    const html = renderToStaticMarkup(
      createElement(
        AssetContext.Provider,
        { value: assets },
        createElement(Slide, { slide, format: '4:5', width: 540, flashbookTitle: 'Жаңа кітаптар' }),
      ),
    );

    // Words carry soft hyphens (added at render time, src/typography): read the text without them.
    const text = html.replaceAll('\u00AD', '');
    expect(text).toContain('Абай жолы');
    expect(text).toContain('Мұхтар Әуезов');
    expect(text).toContain('Қазақ даласының өмірі туралы роман-эпопея.');
    expect(html).toContain('\u00AD'); // …and the annotation is hyphenated, in Node as in browsers
    expect(html).toContain(`src="/api/assets/${cover}"`);
    expect(html).toContain(`data-slide-id="${slideId}"`);
    // Without layout there is nothing to measure: no overflow flag is invented.
    expect(html).not.toContain('data-overflow');
  });
});

describe('placeholders (editor only)', () => {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Бос слайдтар' });
  const postId = readFlashbook(doc).posts[0]?.id ?? '';
  const slide = readSlide(doc, addSlide(doc, postId, { layout: 'book' }));
  if (!slide) throw new Error('no slide');
  const placeholders = {
    author: 'Авторы',
    title: 'Атауы',
    publisher: 'Баспа, жылы',
    body: 'Аннотация',
    cover: 'Мұқабаны осында сүйреңіз',
  };
  const render = (withPlaceholders: boolean) =>
    renderToStaticMarkup(
      createElement(Slide, {
        slide,
        format: '4:5',
        width: 540,
        placeholders: withPlaceholders ? placeholders : undefined,
      }),
    ).replaceAll('\u00AD', '');

  it('an empty book slide shows each placeholder, marked with its field, when the editor asks', () => {
    const html = render(true);
    for (const [field, text] of Object.entries(placeholders)) {
      expect(html).toContain(text);
      expect(html).toContain(`data-field="${field}"`);
    }
    expect(html).toContain('slide__placeholder');
  });

  it('without them (export, thumbnails, the exhibition) it has no placeholder text and no marks', () => {
    const html = render(false);
    for (const text of Object.values(placeholders)) expect(html).not.toContain(text);
    expect(html).not.toContain('data-field');
    expect(html).not.toContain('slide__placeholder');
  });
});
