import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  FlashbookReader,
  addLibrary,
  addSlide,
  readFlashbook,
  readSlide,
  removeLibrary,
  seedFlashbook,
  setFlashbookSettings,
  setPostLibrary,
  setSlideValues,
  slideLibrary,
  slidesMap,
  meta,
  editText,
} from './flashbook.ts';
import { META, SLIDE, parseFocus } from './schema.ts';

function fresh() {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Жаңа кітаптар' });
  const postId = readFlashbook(doc).posts[0]?.id ?? '';
  return { doc, postId };
}

describe('image fit, focus and book layout', () => {
  it('read as auto, the centre and side until the librarian chooses', () => {
    const { doc, postId } = fresh();
    const id = addSlide(doc, postId, { layout: 'book' });
    const s = readSlide(doc, id);
    expect(s?.imageFit).toBe('auto');
    expect(s?.imageFocus).toEqual({ x: 0.5, y: 0.5 });
    expect(s?.bookLayout).toBe('side');
    setSlideValues(doc, id, {
      imageFit: 'cover',
      imageFocus: { x: 0, y: 0.25 },
      bookLayout: 'wide',
    });
    const t = readSlide(doc, id);
    expect(t?.imageFit).toBe('cover');
    expect(t?.imageFocus).toEqual({ x: 0, y: 0.25 });
    expect(t?.bookLayout).toBe('wide');
    expect(slidesMap(doc).get(id)?.get(SLIDE.imageFocus)).toBe('0,0.25');
  });

  it('read whatever another client wrote defensively', () => {
    const { doc, postId } = fresh();
    const id = addSlide(doc, postId, { layout: 'book' });
    const m = slidesMap(doc).get(id);
    for (const [fit, focus, layout] of [
      ['stretch', 'left', 'tall'],
      [42, 0.3, null],
      ['', '1,2,3', ''],
      [{ a: 1 }, 'NaN,NaN', 7],
    ] as const) {
      m?.set(SLIDE.imageFit, fit);
      m?.set(SLIDE.imageFocus, focus);
      m?.set(SLIDE.bookLayout, layout);
      const s = readSlide(doc, id);
      expect([s?.imageFit, s?.imageFocus, s?.bookLayout]).toEqual([
        'auto',
        { x: 0.5, y: 0.5 },
        'side',
      ]);
    }
    expect(parseFocus('1.5, -2')).toEqual({ x: 1, y: 0 });
    expect(parseFocus(' 0.2 ,0.8')).toEqual({ x: 0.2, y: 0.8 });
  });

  it('refuses invalid values from callers', () => {
    const { doc, postId } = fresh();
    const id = addSlide(doc, postId, { layout: 'book' });
    setSlideValues(doc, id, {
      imageFit: 'stretch' as never,
      imageFocus: { x: Number.NaN, y: 0 },
      bookLayout: 'tall' as never,
    });
    const m = slidesMap(doc).get(id);
    expect([m?.has(SLIDE.imageFit), m?.has(SLIDE.imageFocus), m?.has(SLIDE.bookLayout)]).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('books of this post', () => {
  it('are the post’s book slides, read live, in order, at most ten', () => {
    const { doc, postId } = fresh();
    const books = addSlide(doc, postId, { layout: 'books', fields: { title: 'Подборка' } });
    const first = addSlide(doc, postId, { layout: 'book', fields: { title: 'Абай жолы' } });
    addSlide(doc, postId, { layout: 'quote', fields: { quote: '…' } });
    const second = addSlide(doc, postId, { layout: 'book', fields: { title: 'Көшпенділер' } });
    expect(readSlide(doc, books)?.books.map((b) => b.id)).toEqual([first, second]);
    // Edited in the book slide: the books slide shows the change (nothing was copied).
    editText(doc, { kind: 'slide', slideId: second, field: 'title' }, 'Көшпенділер. 1-кітап');
    const view = readFlashbook(doc);
    const slide = view.posts[0]?.slides.find((s) => s.id === books);
    expect(slide?.books.map((b) => b.fields.title)).toEqual(['Абай жолы', 'Көшпенділер. 1-кітап']);
    for (let i = 0; i < 12; i++) addSlide(doc, postId, { layout: 'book' });
    expect(readSlide(doc, books)?.books).toHaveLength(10);
    // Other layouts carry no books.
    expect(readSlide(doc, first)?.books).toEqual([]);
  });

  it('keep their object while nothing they show changed (memoised slides stay put)', () => {
    const { doc, postId } = fresh();
    const books = addSlide(doc, postId, { layout: 'books' });
    const book = addSlide(doc, postId, { layout: 'book', fields: { title: 'А' } });
    const other = addSlide(doc, postId, { layout: 'text' });
    const reader = new FlashbookReader(doc);
    const find = (id: string) => reader.read().posts[0]?.slides.find((s) => s.id === id);
    const a = find(books);
    expect(find(books)).toBe(a);
    editText(doc, { kind: 'slide', slideId: other, field: 'title' }, 'x');
    expect(find(books)).toBe(a);
    editText(doc, { kind: 'slide', slideId: book, field: 'title' }, 'Б');
    const b = find(books);
    expect(b).not.toBe(a);
    expect(b?.books[0]?.fields.title).toBe('Б');
    reader.destroy();
  });
});

describe('participating libraries and attribution', () => {
  it('are read from meta.libraries, and a slide names one by id or by free text', () => {
    const { doc, postId } = fresh();
    expect(readFlashbook(doc).libraries).toEqual([]);
    expect(readFlashbook(doc).attribution).toBe(false);
    const logo = 'a'.repeat(64);
    const lib = addLibrary(doc, { name: 'Областная библиотека', place: 'Алматы', logo });
    // A workspace copies its library in under its own id; adding it again changes nothing.
    expect(addLibrary(doc, { name: 'Ауылдық кітапхана', id: 'workspace-lib-1' })).toBe(
      'workspace-lib-1',
    );
    addLibrary(doc, { name: 'Другое имя', id: 'workspace-lib-1' });
    setFlashbookSettings(doc, { attribution: true });
    const view = readFlashbook(doc);
    expect(view.attribution).toBe(true);
    expect(view.libraries).toEqual([
      { id: 'workspace-lib-1', name: 'Ауылдық кітапхана', place: '', logo: '' },
      { id: lib, name: 'Областная библиотека', place: 'Алматы', logo },
    ]);
    const slideId = addSlide(doc, postId, { layout: 'text' });
    // Nothing chosen: no attribution.
    expect(slideLibrary(readSlide(doc, slideId)!, view.libraries)).toBeUndefined();
    setPostLibrary(doc, postId, lib);
    expect(slideLibrary(readSlide(doc, slideId)!, view.libraries)?.name).toBe(
      'Областная библиотека',
    );
    setSlideValues(doc, slideId, { library: 'Детская библиотека №3' });
    expect(slideLibrary(readSlide(doc, slideId)!, view.libraries)).toEqual({
      id: '',
      name: 'Детская библиотека №3',
      place: '',
      logo: '',
    });
    editText(doc, { kind: 'library', libraryId: lib, field: 'name' }, 'Облыстық кітапхана');
    expect(readFlashbook(doc).libraries[1]?.name).toBe('Облыстық кітапхана');
    removeLibrary(doc, lib);
    expect(readFlashbook(doc).libraries.map((l) => l.id)).toEqual(['workspace-lib-1']);
  });

  it('read defensively: wrong entries are skipped, a non-boolean attribution is off', () => {
    const { doc } = fresh();
    const m = meta(doc);
    m.set(META.attribution, 'yes');
    m.set(META.libraries, 'not a map');
    expect(readFlashbook(doc).libraries).toEqual([]);
    expect(readFlashbook(doc).attribution).toBe(false);
    const libs = new Y.Map<unknown>();
    m.set(META.libraries, libs);
    libs.set('bad id!', new Y.Map());
    libs.set('goodid-123', 'not a map');
    const entry = new Y.Map<unknown>();
    libs.set('goodid-456', entry);
    entry.set('name', 'Plain string name');
    entry.set('logo', 'not-an-asset');
    entry.set('place', 5);
    expect(readFlashbook(doc).libraries).toEqual([
      { id: 'goodid-456', name: 'Plain string name', place: '', logo: '' },
    ]);
  });
});
