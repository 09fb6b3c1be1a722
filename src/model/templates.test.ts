import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readFlashbook } from './flashbook.ts';
import {
  TEMPLATE_IDS,
  TEMPLATE_LANGUAGES,
  seedTemplate,
  templateStructure,
  templateTheme,
  templateTitle,
} from './templates.ts';

const KAZAKH_LETTERS = /[әғқңөұүһі]/iu;

describe('starting templates', () => {
  for (const id of TEMPLATE_IDS)
    for (const language of TEMPLATE_LANGUAGES)
      it(`${id} in ${language} seeds a flashbook readFlashbook reads with its whole structure`, () => {
        const doc = new Y.Doc();
        seedTemplate(doc, id, { language, library: 'Абай атындағы кітапхана' });
        // Through an update, as a client receives it from the server.
        const received = new Y.Doc();
        Y.applyUpdate(received, Y.encodeStateAsUpdate(doc));
        const view = readFlashbook(received);
        const structure = templateStructure(id, language);

        expect(view.title).toBe(templateTitle(id, language));
        expect(view.theme).toBe(templateTheme(id));
        expect(view.hashtags).toMatch(/^#/);
        expect(view.posts.map((p) => p.slides.map((s) => s.layout))).toEqual(
          structure.map((p) => p.slides.map((s) => s.layout)),
        );
        const slides = view.posts.flatMap((p) => p.slides);
        expect(slides[0]?.layout).toBe('cover');
        expect(slides[0]?.fields.title).toBe(view.title);
        // The selection post starts with the slide of all its covers, built from its book slides.
        const selection = view.posts[1];
        const books = selection?.slides.filter((s) => s.layout === 'book') ?? [];
        expect(books.length).toBeGreaterThanOrEqual(3);
        expect(selection?.slides[0]?.layout).toBe('books');
        expect(selection?.slides[0]?.books.map((b) => b.id)).toEqual(books.map((b) => b.id));
        // Book slides are left empty for the librarian; the others carry starter text.
        for (const b of books) expect(b.fields.title + b.fields.author + b.bodyText).toBe('');
        const closing = slides.at(-1);
        expect(closing?.layout).toBe('closing');
        expect(closing?.fields.title).not.toBe('');
        expect(closing?.bodyText).not.toBe('');
        expect(view.posts[0]?.caption).not.toBe('');
        expect(view.posts.every((p) => p.library === 'Абай атындағы кітапхана')).toBe(true);
        if (language === 'kk')
          expect(slides.map((s) => s.fields.title + s.bodyText).join(' ')).toMatch(KAZAKH_LETTERS);
        if (language === 'en')
          expect(slides.map((s) => s.fields.title).join(' ')).not.toMatch(/[а-яё]/i);
      });

  it('takes a title of the librarian’s own, on the cover too', () => {
    const doc = new Y.Doc();
    seedTemplate(doc, 'nauryz', { language: 'kk', title: '  Наурыз — 2027  ' });
    const view = readFlashbook(doc);
    expect(view.title).toBe('Наурыз — 2027');
    expect(view.posts[0]?.slides[0]?.fields.title).toBe('Наурыз — 2027');
  });

  it('writes the whole template in one transaction (one update for the server to store)', () => {
    const doc = new Y.Doc();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    seedTemplate(doc, 'victory-day', { language: 'ru' });
    expect(transactions).toBe(1);
  });
});
