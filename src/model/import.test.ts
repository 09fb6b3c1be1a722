import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { editText, readFlashbook, seedFlashbook, undoScope, type NewSlide } from './flashbook.ts';
import { importPosts } from './import.ts';
import { IMPORT, LOCAL } from './origins.ts';

function seeded() {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Соғыс жылдарының әдебиеті', library: 'Central' });
  return doc;
}

function books(n: number, prefix = 'Книга'): NewSlide[] {
  return Array.from({ length: n }, (_, i) => ({
    layout: 'book' as const,
    library: 'Talgar',
    ageLabel: i % 2 ? '12+' : '',
    fields: {
      author: `Автор ${i + 1}`,
      title: `${prefix} ${i + 1}`,
      year: String(1941 + (i % 5)),
      isbn: `978-601-00-${String(i).padStart(4, '0')}-0`,
      altText: `Обложка книги «${prefix} ${i + 1}»`,
    },
    body: [`Аннотация ${i + 1}.`, 'Второй абзац.'],
  }));
}

function inPosts(slides: NewSlide[], size: number, library = 'Central') {
  const out = [];
  for (let i = 0; i < slides.length; i += size)
    out.push({ library, slides: slides.slice(i, i + size) });
  return out;
}

describe('importPosts', () => {
  it('appends posts of book slides after the existing posts, in order', () => {
    const doc = seeded();
    const { postIds, slideIds } = importPosts(doc, inPosts(books(25), 10));
    expect(postIds).toHaveLength(3);
    expect(slideIds).toHaveLength(25);
    const view = readFlashbook(doc);
    expect(view.posts).toHaveLength(4);
    expect(view.posts.slice(1).map((p) => p.id)).toEqual(postIds);
    expect(view.posts.slice(1).map((p) => p.slides.length)).toEqual([10, 10, 5]);
    expect(view.posts[1]?.library).toBe('Central');
    const all = view.posts.slice(1).flatMap((p) => p.slides);
    expect(all.map((s) => s.fields.title)).toEqual(books(25).map((b) => b.fields?.title));
    const first = all[0];
    expect(first?.layout).toBe('book');
    expect(first?.library).toBe('Talgar');
    expect(first?.image).toBe('');
    expect(first?.fields.author).toBe('Автор 1');
    expect(first?.fields.isbn).toBe('978-601-00-0000-0');
    expect(first?.fields.altText).toBe('Обложка книги «Книга 1»');
    expect(first?.bodyText).toContain('Аннотация 1.');
    expect(first?.body).toHaveLength(2);
    expect(all[1]?.ageLabel).toBe('12+');
  });

  it('is one transaction with origin IMPORT', () => {
    const doc = seeded();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    importPosts(doc, inPosts(books(40), 10));
    expect(origins).toEqual([IMPORT]);
  });

  it('is undone as one step, and only the import (not an edit made just before it)', () => {
    const doc = seeded();
    const undo = new Y.UndoManager(undoScope(doc), {
      trackedOrigins: new Set([LOCAL, IMPORT]),
      captureTimeout: 500,
    });
    editText(doc, { kind: 'title' }, 'Абай');
    // What the dialog does around the import, so a quick edit never merges into its undo step.
    undo.stopCapturing();
    importPosts(doc, inPosts(books(40), 10));
    undo.stopCapturing();
    expect(readFlashbook(doc).posts).toHaveLength(5);
    undo.undo();
    const view = readFlashbook(doc);
    expect(view.posts).toHaveLength(1);
    expect(view.title).toBe('Абай');
    undo.redo();
    expect(
      readFlashbook(doc)
        .posts.slice(1)
        .flatMap((p) => p.slides),
    ).toHaveLength(40);
  });

  it('reaches another client as one update with everything in it', () => {
    const a = seeded();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const updates: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => updates.push(u));
    importPosts(a, inPosts(books(40, 'Қазақ әдебиеті'), 10));
    expect(updates).toHaveLength(1);
    Y.applyUpdate(b, updates[0] as Uint8Array);
    const view = readFlashbook(b);
    const imported = view.posts.slice(1);
    expect(imported.map((p) => p.slides.length)).toEqual([10, 10, 10, 10]);
    expect(imported[3]?.slides[9]?.fields.title).toBe('Қазақ әдебиеті 40');
    expect(imported.flatMap((p) => p.slides).every((s) => s.layout === 'book')).toBe(true);
  });

  it('keeps the order of concurrent imports by two users deterministic on both sides', () => {
    const a = seeded();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    importPosts(a, inPosts(books(3, 'A'), 10));
    importPosts(b, inPosts(books(3, 'B'), 10));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    const titles = (d: Y.Doc) =>
      readFlashbook(d).posts.map((p) => p.slides.map((s) => s.fields.title).join(','));
    expect(titles(a)).toEqual(titles(b));
    expect(titles(a)).toHaveLength(3);
  });

  it('does nothing for an empty list', () => {
    const doc = seeded();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    expect(importPosts(doc, [{ library: 'x', slides: [] }])).toEqual({ postIds: [], slideIds: [] });
    expect(origins).toEqual([]);
  });
});
