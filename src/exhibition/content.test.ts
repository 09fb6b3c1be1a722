import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPost, addSlide, readFlashbook, seedFlashbook } from '../model/flashbook.ts';
import { bibliographicDescription, buildExhibition } from './content.ts';
import { detectLang, langAttr } from './lang.ts';

function flashbook(title: string) {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title });
  return doc;
}

describe('the exhibition content', () => {
  it('writes the bibliographic description in the ГОСТ pattern, leaving out what is unknown', () => {
    const doc = flashbook('Книги');
    const { postId } = addPost(doc, {
      first: {
        layout: 'book',
        fields: {
          author: 'Ахтанов, Т.',
          title: 'Қаһарлы күндер',
          place: 'Алматы',
          publisher: 'Жазушы',
          year: '1957',
          pages: '320',
        },
      },
    });
    const slide = readFlashbook(doc).posts.find((p) => p.id === postId)!.slides[0]!;
    expect(bibliographicDescription(slide, 'ru')).toBe(
      'Ахтанов, Т. Қаһарлы күндер. — Алматы : Жазушы, 1957. — 320 с.',
    );
    expect(bibliographicDescription(slide, 'kk')).toMatch(/— 320 б\.$/);
    const bare = { ...slide, fields: { ...slide.fields, place: '', publisher: '', pages: '' } };
    expect(bibliographicDescription(bare, 'ru')).toBe('Ахтанов, Т. Қаһарлы күндер. — 1957.');
  });

  it('lists each book once, under the first section that shows it, and keeps the flashbook order', () => {
    const doc = flashbook('Литература о войне');
    const book = { author: 'Бек, А.', title: 'Волоколамское шоссе', isbn: '978-5-00-000000-1' };
    const first = addPost(doc, { first: { layout: 'book', fields: book } }).postId;
    const second = addPost(doc, {
      first: { layout: 'book', fields: { ...book, isbn: '9785000000001' } },
    }).postId;
    addSlide(doc, second, {
      layout: 'book',
      fields: { author: 'Момышулы, Б.', title: 'За нами Москва' },
    });
    const ex = buildExhibition(readFlashbook(doc), null);
    expect(ex.books.map((b) => b.slide.fields.title)).toEqual([
      'Волоколамское шоссе',
      'За нами Москва',
    ]);
    expect(ex.books[0]!.sectionId).toBe(first);
    // Both sections still show their slides; only the reading list dedupes.
    expect(ex.sections.find((s) => s.post.id === second)!.items).toHaveLength(2);
    // Choosing posts keeps only them.
    const only = buildExhibition(readFlashbook(doc), [second]);
    expect(only.sections.map((s) => s.post.id)).toEqual([second]);
    expect(only.books[0]!.sectionId).toBe(second);
  });

  it('speaks the language of the title; blocks in the other language say theirs', () => {
    expect(detectLang('Соғыс туралы кітаптар')).toBe('kk');
    expect(detectLang('Книги о войне')).toBe('ru');
    expect(detectLang('Books')).toBe('en');
    expect(detectLang('978-5-00 · 1942')).toBeUndefined();
    expect(langAttr('Мұхтар Әуезов', 'ru')).toBe('kk');
    // The limit of telling by letters: a short Kazakh phrase without them reads as Russian.
    expect(detectLang('Абай жолы')).toBe('ru');
    expect(langAttr('Путь Абая', 'ru')).toBeUndefined();
    expect(buildExhibition(readFlashbook(flashbook('Жаңа кітаптар')), null).lang).toBe('kk');
    expect(buildExhibition(readFlashbook(flashbook('Новые книги')), null).lang).toBe('ru');
  });
});
