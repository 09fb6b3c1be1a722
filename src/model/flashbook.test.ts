import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPost,
  addSlide,
  deletePost,
  deleteSlide,
  diffText,
  duplicateSlide,
  editText,
  getSlideBody,
  getText,
  meta,
  moveSlide,
  movePost,
  postsMap,
  readFlashbook,
  readSlide,
  seedFlashbook,
  setFormat,
  setSlideLayout,
  slidesMap,
  undoScope,
  type Splice,
} from './flashbook.ts';
import { LOCAL } from './origins.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

function seeded(title = 'Абай жолы') {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title, library: 'Central' });
  const view = readFlashbook(doc);
  const post = view.posts[0];
  const cover = post?.slides[0];
  if (!post || !cover) throw new Error('seed produced no post or slide');
  return { doc, postId: post.id, coverId: cover.id };
}

/** A copy of `doc` as a second client that has synced once. */
function fork(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  return other;
}

/** Exchanges what each side is missing, as y-protocols sync step 1/2 does. */
function sync(a: Y.Doc, b: Y.Doc): void {
  const forB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const forA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, forB);
  Y.applyUpdate(a, forA);
}

const postIds = (doc: Y.Doc) => readFlashbook(doc).posts.map((p) => p.id);
const slideIdsOf = (doc: Y.Doc, postId: string) =>
  readFlashbook(doc)
    .posts.find((p) => p.id === postId)
    ?.slides.map((s) => s.id);
const slideTitle = (slideId: string) => ({ kind: 'slide', slideId, field: 'title' }) as const;

/** The first paragraph's text node of a slide's rich body. */
function firstBodyText(doc: Y.Doc, slideId: string): Y.XmlText {
  const paragraph = getSlideBody(doc, slideId)?.get(0);
  const t = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
  if (!(t instanceof Y.XmlText)) throw new Error('slide has no body text');
  return t;
}

/** True when a string contains half of a surrogate pair or a replacement character. */
const corrupted = (s: string) =>
  /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

// ---------------------------------------------------------------------------------------------

describe('seedFlashbook', () => {
  it('creates the title, format 4:5 and one post with a cover slide titled like the book', () => {
    const { doc } = seeded('Абай жолы');
    const view = readFlashbook(doc);
    expect(view.title).toBe('Абай жолы');
    expect(view.format).toBe('4:5');
    expect(view.posts).toHaveLength(1);
    expect(view.posts[0]?.status).toBe('draft');
    expect(view.posts[0]?.library).toBe('Central');
    expect(view.posts[0]?.slides).toHaveLength(1);
    expect(view.posts[0]?.slides[0]?.layout).toBe('cover');
    expect(view.posts[0]?.slides[0]?.fields.title).toBe('Абай жолы');
    expect(view.orphanSlides).toEqual([]);
  });

  it('takes another format', () => {
    const doc = new Y.Doc();
    seedFlashbook(doc, { title: 'x', format: '1:1' });
    expect(readFlashbook(doc).format).toBe('1:1');
  });
});

describe('posts', () => {
  it('addPost appends at the end, or right after a given post, with one book slide', () => {
    const { doc, postId: p0 } = seeded();
    const p1 = addPost(doc).postId;
    const mid = addPost(doc, { afterPostId: p0, library: 'Branch 2' });
    expect(postIds(doc)).toEqual([p0, mid.postId, p1]);
    const post = readFlashbook(doc).posts[1];
    expect(post?.library).toBe('Branch 2');
    expect(post?.slides.map((s) => [s.id, s.layout])).toEqual([[mid.slideId, 'book']]);
  });

  it('addPost can start the post with the content of its first slide', () => {
    const { doc } = seeded();
    const { postId, slideId } = addPost(doc, {
      library: 'Branch 3',
      first: { layout: 'quote', fields: { quote: 'Ленинградтық өренім' }, ageLabel: '6+' },
    });
    const post = readFlashbook(doc).posts.find((p) => p.id === postId);
    expect(post?.slides).toHaveLength(1);
    expect(post?.slides[0]).toMatchObject({
      id: slideId,
      layout: 'quote',
      library: 'Branch 3',
      ageLabel: '6+',
      fields: { quote: 'Ленинградтық өренім' },
    });
  });

  it('addPost after the last post, or after an unknown post, appends', () => {
    const { doc, postId: p0 } = seeded();
    const p1 = addPost(doc, { afterPostId: p0 }).postId;
    const p2 = addPost(doc, { afterPostId: 'no-such-post' }).postId;
    expect(postIds(doc)).toEqual([p0, p1, p2]);
  });

  it('deletePost removes the post and its slides, and nothing else', () => {
    const { doc, postId: p0, coverId } = seeded();
    const { postId: p1, slideId } = addPost(doc);
    addSlide(doc, p1);
    deletePost(doc, p1);
    const view = readFlashbook(doc);
    expect(postIds(doc)).toEqual([p0]);
    expect(view.orphanSlides).toEqual([]);
    expect(readSlide(doc, slideId)).toBeUndefined();
    expect(slidesMap(doc).size).toBe(1);
    expect(slideIdsOf(doc, p0)).toEqual([coverId]);
  });

  it.each([
    ['to the start', 0, ['C', 'A', 'B']],
    ['to the middle', 1, ['A', 'C', 'B']],
    ['to the end (no-op)', 2, ['A', 'B', 'C']],
    ['past the end clamps', 10, ['A', 'B', 'C']],
  ])('movePost %s', (_name, index, expected) => {
    const { doc, postId: a } = seeded();
    const b = addPost(doc).postId;
    const c = addPost(doc).postId;
    const name = new Map([
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
    ]);
    movePost(doc, c, index);
    expect(postIds(doc).map((id) => name.get(id))).toEqual(expected);
  });
});

describe('slides', () => {
  it('addSlide appends, or goes right after a given slide, with its initial fields and body', () => {
    const { doc, postId, coverId } = seeded();
    const last = addSlide(doc, postId, { layout: 'quote', fields: { quote: 'Ақыл — мұраты' } });
    const mid = addSlide(doc, postId, { afterSlideId: coverId, body: ['Бірінші', 'Екінші'] });
    expect(slideIdsOf(doc, postId)).toEqual([coverId, mid, last]);
    expect(readSlide(doc, last)?.layout).toBe('quote');
    expect(readSlide(doc, last)?.fields.quote).toBe('Ақыл — мұраты');
    expect(readSlide(doc, mid)?.layout).toBe('text');
    expect(readSlide(doc, mid)?.bodyText).toBe('Бірінші\nЕкінші');
  });

  it('duplicateSlide lands right after the original, with its fields and formatted body', () => {
    const { doc, postId, coverId } = seeded();
    const src = addSlide(doc, postId, {
      layout: 'book',
      library: 'Central',
      fields: { author: 'Мұхтар Әуезов', title: 'Абай жолы', year: '1942' },
      body: ['Роман-эпопея 📚'],
    });
    const after = addSlide(doc, postId);
    firstBodyText(doc, src).format(0, 5, { bold: true });
    const copy = duplicateSlide(doc, src);
    expect(copy).toBeDefined();
    if (!copy) return;
    expect(slideIdsOf(doc, postId)).toEqual([coverId, src, copy, after]);
    const a = readSlide(doc, src);
    const b = readSlide(doc, copy);
    expect(b).toEqual({ ...a, id: copy, order: b?.order });
    expect(b?.fields.author).toBe('Мұхтар Әуезов');
    expect(b?.bodyText).toBe('Роман-эпопея 📚');
    expect(firstBodyText(doc, copy).toDelta()).toEqual(firstBodyText(doc, src).toDelta());
    expect(firstBodyText(doc, copy).toDelta()[0]).toEqual({
      insert: 'Роман',
      attributes: { bold: true },
    });
    // The copy is independent: editing it leaves the original alone.
    editText(doc, slideTitle(copy), 'Копия');
    firstBodyText(doc, copy).insert(0, 'X');
    expect(readSlide(doc, src)?.fields.title).toBe('Абай жолы');
    expect(readSlide(doc, src)?.bodyText).toBe('Роман-эпопея 📚');
  });

  it('duplicateSlide of the last slide appends; of a missing slide does nothing', () => {
    const { doc, postId, coverId } = seeded();
    const copy = duplicateSlide(doc, coverId);
    expect(slideIdsOf(doc, postId)).toEqual([coverId, copy]);
    expect(duplicateSlide(doc, 'no-such-slide')).toBeUndefined();
    expect(slidesMap(doc).size).toBe(2);
  });

  it('duplicateSlide twice puts the newest copy right after the original', () => {
    const { doc, postId, coverId } = seeded();
    const first = duplicateSlide(doc, coverId);
    const second = duplicateSlide(doc, coverId);
    expect(slideIdsOf(doc, postId)).toEqual([coverId, second, first]);
  });

  it('deleteSlide removes only that slide', () => {
    const { doc, postId, coverId } = seeded();
    const s = addSlide(doc, postId);
    deleteSlide(doc, coverId);
    expect(slideIdsOf(doc, postId)).toEqual([s]);
  });

  it.each([
    ['to the start', 0, ['D', 'A', 'B', 'C']],
    ['one down', 2, ['A', 'B', 'D', 'C']],
    ['to the end', 3, ['A', 'B', 'C', 'D']],
    ['index past the end clamps', 99, ['A', 'B', 'C', 'D']],
  ])('moveSlide within a post %s', (_name, index, expected) => {
    const { doc, postId, coverId: a } = seeded();
    const b = addSlide(doc, postId);
    const c = addSlide(doc, postId);
    const d = addSlide(doc, postId);
    const name = new Map([
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
      [d, 'D'],
    ]);
    // Move B first so D's move starts from a list that is not in creation order.
    moveSlide(doc, b, { postId, index: 1 });
    moveSlide(doc, d, { postId, index });
    expect(slideIdsOf(doc, postId)?.map((id) => name.get(id))).toEqual(expected);
  });

  it('moveSlide across posts keeps the slide content and lands at the index', () => {
    const { doc, postId: p0, coverId } = seeded();
    const { postId: p1, slideId: x } = addPost(doc);
    const y = addSlide(doc, p1);
    editText(doc, slideTitle(coverId), 'Обложка');
    moveSlide(doc, coverId, { postId: p1, index: 1 });
    expect(slideIdsOf(doc, p0)).toEqual([]);
    expect(slideIdsOf(doc, p1)).toEqual([x, coverId, y]);
    expect(readSlide(doc, coverId)?.fields.title).toBe('Обложка');
    expect(readSlide(doc, coverId)?.postId).toBe(p1);
  });

  it('moveSlide to a missing post or of a missing slide does nothing', () => {
    const { doc, postId, coverId } = seeded();
    const before = readFlashbook(doc);
    moveSlide(doc, coverId, { postId: 'no-such-post', index: 0 });
    moveSlide(doc, 'no-such-slide', { postId, index: 0 });
    expect(readFlashbook(doc)).toEqual(before);
  });

  it('setFormat and setSlideLayout change what readFlashbook shows', () => {
    const { doc, coverId } = seeded();
    setFormat(doc, '3:4');
    setSlideLayout(doc, coverId, 'closing');
    setSlideLayout(doc, 'no-such-slide', 'quote');
    expect(readFlashbook(doc).format).toBe('3:4');
    expect(readSlide(doc, coverId)?.layout).toBe('closing');
  });

  it('undo reverts my move but not a collaborator’s edit', () => {
    const { doc, postId, coverId } = seeded();
    const s = addSlide(doc, postId);
    const undo = new Y.UndoManager(undoScope(doc), { trackedOrigins: new Set([LOCAL]) });
    const remote = fork(doc);
    moveSlide(doc, s, { postId, index: 0 });
    editText(remote, slideTitle(s), 'Тақырып');
    sync(doc, remote);
    undo.undo();
    expect(slideIdsOf(doc, postId)).toEqual([coverId, s]);
    expect(readSlide(doc, s)?.fields.title).toBe('Тақырып');
  });
});

describe('diffText', () => {
  const rows: [string, string, string, number | undefined, Splice][] = [
    ['append', 'abc', 'abcd', undefined, { index: 3, remove: 0, insert: 'd' }],
    ['insert at the start', 'bc', 'abc', 1, { index: 0, remove: 0, insert: 'a' }],
    ['insert in the middle', 'ac', 'abc', 2, { index: 1, remove: 0, insert: 'b' }],
    ['paste a word', 'the sat', 'the cat sat', 8, { index: 4, remove: 0, insert: 'cat ' }],
    ['backspace in the middle', 'abc', 'ac', 1, { index: 1, remove: 1, insert: '' }],
    ['clear the field', 'abc', '', 0, { index: 0, remove: 3, insert: '' }],
    ['replace one letter', 'abc', 'axc', 2, { index: 1, remove: 1, insert: 'x' }],
    [
      'replace a selection',
      'the cat sat',
      'the dog sat',
      7,
      { index: 4, remove: 3, insert: 'dog' },
    ],
    ['no change', 'abc', 'abc', 3, { index: 3, remove: 0, insert: '' }],
    // Repeated letters: only the caret says where the user typed.
    ['type "a" into "aa" at 0', 'aa', 'aaa', 1, { index: 0, remove: 0, insert: 'a' }],
    ['type "a" into "aa" at 1', 'aa', 'aaa', 2, { index: 1, remove: 0, insert: 'a' }],
    ['type "a" into "aa" at 2', 'aa', 'aaa', 3, { index: 2, remove: 0, insert: 'a' }],
    ['type "a" into "aa", no caret', 'aa', 'aaa', undefined, { index: 2, remove: 0, insert: 'a' }],
    ['backspace the first of "aaa"', 'aaa', 'aa', 0, { index: 0, remove: 1, insert: '' }],
    ['backspace the second of "aaa"', 'aaa', 'aa', 1, { index: 1, remove: 1, insert: '' }],
    ['caret past the end is clamped', 'aa', 'aaa', 99, { index: 2, remove: 0, insert: 'a' }],
    ['negative caret is clamped', 'aa', 'aaa', -3, { index: 0, remove: 0, insert: 'a' }],
    // Cyrillic and the Kazakh letters.
    ['Cyrillic append', 'Абай', 'Абай жолы', undefined, { index: 4, remove: 0, insert: ' жолы' }],
    ['Kazakh insert', 'ӘҒҚ', 'ӘҒҢҚ', 3, { index: 2, remove: 0, insert: 'Ң' }],
    ['Kazakh delete', 'ӨҰҮҺІ', 'ӨҮҺІ', 1, { index: 1, remove: 1, insert: '' }],
    ['Kazakh replace', 'ӘҒҚҢӨ', 'ӘҒҰҢӨ', 3, { index: 2, remove: 1, insert: 'Ұ' }],
    ['Kazakh repeated letter at 0', 'ҢҢ', 'ҢҢҢ', 1, { index: 0, remove: 0, insert: 'Ң' }],
    ['all Kazakh letters', '', 'ӘҒҚҢӨҰҮҺІ', 9, { index: 0, remove: 0, insert: 'ӘҒҚҢӨҰҮҺІ' }],
    // Emoji are two UTF-16 code units; a splice must never cut one in half.
    ['append an emoji', '📚', '📚📖', undefined, { index: 2, remove: 0, insert: '📖' }],
    ['emoji sharing the high surrogate', '😀', '😃', 2, { index: 0, remove: 2, insert: '😃' }],
    [
      'emoji sharing the low surrogate',
      '\u{1F600}',
      '\u{1FA00}',
      2,
      { index: 0, remove: 2, insert: '\u{1FA00}' },
    ],
    ['replace an emoji mid-text', 'a😀b', 'a😃b', 3, { index: 1, remove: 2, insert: '😃' }],
    ['replace the second of two emoji', 'x😀😀', 'x😀😃', 5, { index: 3, remove: 2, insert: '😃' }],
    ['delete an emoji', 'a📚b', 'ab', 1, { index: 1, remove: 2, insert: '' }],
    [
      'type an emoji before the same emoji',
      '😀😀',
      '😀😀😀',
      2,
      { index: 0, remove: 0, insert: '😀' },
    ],
    [
      'type an emoji after the same emoji',
      '😀😀',
      '😀😀😀',
      4,
      { index: 2, remove: 0, insert: '😀' },
    ],
    ['caret inside an emoji', '😀😀', '😀😀😀', 3, { index: 0, remove: 0, insert: '😀' }],
    ['add a skin tone', '👍', '👍🏽', 4, { index: 2, remove: 0, insert: '🏽' }],
    ['Kazakh next to emoji', 'Ә😀', 'Ә😃Ғ', 5, { index: 1, remove: 2, insert: '😃Ғ' }],
  ];

  it.each(rows)('%s', (_name, before, after, caret, expected) => {
    const splice = diffText(before, after, caret);
    expect(splice).toEqual(expected);
    const { index, remove, insert } = splice;
    expect(before.slice(0, index) + insert + before.slice(index + remove)).toBe(after);
  });

  it.each(rows)(
    'editText: %s leaves Y.Text equal to the value, here and remotely',
    (_name, before, after, caret) => {
      const { doc } = seeded(before);
      const remote = fork(doc);
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      editText(doc, { kind: 'title' }, after, caret);
      expect(getText(doc, { kind: 'title' })?.toString()).toBe(after);
      expect(readFlashbook(doc).title).toBe(after);
      for (const u of updates) Y.applyUpdate(remote, u);
      expect(readFlashbook(remote).title).toBe(after);
      expect(corrupted(readFlashbook(remote).title)).toBe(false);
    },
  );

  it('a typing session with emoji and Kazakh letters never corrupts the text', () => {
    const { doc, coverId } = seeded('');
    const ref = slideTitle(coverId);
    let value = '';
    const pieces = ['Ә', '😀', 'Ғ', '😃', '📚', 'Қ', '🙂', 'Ң', '\u{1FA00}', 'І'];
    for (let n = 0; n < 60; n++) {
      const points = Array.from(value);
      const at = (n * 7) % (points.length + 1);
      if (n % 5 === 4 && points.length > 0) points.splice(at % points.length, 1);
      else points.splice(at, 0, pieces[n % pieces.length] as string);
      const caret = points.slice(0, at + 1).join('').length;
      value = points.join('');
      editText(doc, ref, value, caret);
      expect(readSlide(doc, coverId)?.fields.title).toBe(value);
    }
  });
});

describe('readFlashbook on a document with garbage', () => {
  function garbageDoc() {
    const { doc, postId, coverId } = seeded('Title');
    doc.transact(() => {
      const slides = slidesMap(doc) as unknown as Y.Map<unknown>;
      slides.set('junkString', 'not a slide');
      slides.set('junkNumber', 42);
      const noLayout = new Y.Map<unknown>();
      noLayout.set('postId', postId);
      noLayout.set('order', 'a5');
      slides.set('noLayout', noLayout);
      const unknownLayout = new Y.Map<unknown>();
      unknownLayout.set('postId', postId);
      unknownLayout.set('order', 'a6');
      unknownLayout.set('layout', 'hologram');
      unknownLayout.set('title', 42); // a number where a Y.Text belongs
      unknownLayout.set('author', 'plain string');
      unknownLayout.set('body', new Y.Text('not a fragment'));
      slides.set('unknownLayout', unknownLayout);
      const badOrder = new Y.Map<unknown>();
      badOrder.set('postId', postId);
      badOrder.set('order', 7);
      badOrder.set('layout', 'quote');
      slides.set('badOrder', badOrder);
      const orphan = new Y.Map<unknown>();
      orphan.set('postId', 'missingPost');
      orphan.set('order', 'a0');
      orphan.set('layout', 'book');
      slides.set('orphan', orphan);
      const posts = postsMap(doc) as unknown as Y.Map<unknown>;
      posts.set('junkPost', 'not a post');
      const weird = new Y.Map<unknown>();
      weird.set('status', 'published');
      weird.set('caption', 12);
      posts.set('weirdPost', weird);
      meta(doc).set('format', '16:9');
    });
    return { doc, postId, coverId };
  }

  it('never throws and shows what can be shown', () => {
    const { doc, postId, coverId } = garbageDoc();
    // It arrives at another client as an update, which is how garbage really gets in.
    const other = fork(doc);
    for (const d of [doc, other]) {
      const view = readFlashbook(d);
      expect(view.format).toBe('4:5');
      expect(view.title).toBe('Title');
      const post = view.posts.find((p) => p.id === postId);
      // Valid keys in order, then the slide with a broken key last.
      expect(post?.slides.map((s) => s.id)).toEqual([
        coverId,
        'noLayout',
        'unknownLayout',
        'badOrder',
      ]);
      const unknown = post?.slides[2];
      expect(unknown?.layout).toBe('text');
      expect(post?.slides[1]?.layout).toBe('text');
      expect(unknown?.fields.title).toBe('');
      expect(unknown?.fields.author).toBe('plain string');
      expect(unknown?.bodyText).toBe('');
      expect(view.orphanSlides.map((s) => s.id)).toEqual(['orphan']);
      const weird = view.posts.find((p) => p.id === 'weirdPost');
      expect(weird?.status).toBe('draft');
      expect(weird?.caption).toBe('');
      expect(view.posts.some((p) => p.id === 'junkPost')).toBe(false);
    }
  });

  it('a non-string format or a missing title reads as the defaults', () => {
    const doc = new Y.Doc();
    meta(doc).set('format', 3);
    meta(doc).set('ageLabelSet', 'xx');
    meta(doc).set('logo', '../../etc/passwd');
    meta(doc).set('brandColor', 'red; background: url(x)');
    meta(doc).set('biblioStyle', 'mla');
    expect(readFlashbook(doc)).toEqual({
      title: '',
      format: '4:5',
      hashtags: '',
      theme: '',
      ageLabelSet: 'kz',
      logo: '',
      brandColor: '',
      biblioStyle: 'gost',
      libraries: [],
      attribution: false,
      posts: [],
      orphanSlides: [],
    });
  });

  it('commands still work on such a document', () => {
    const { doc, postId, coverId } = garbageDoc();
    // A field holding a number or a string becomes a Y.Text on first edit.
    editText(doc, slideTitle('unknownLayout'), 'Жаңа');
    editText(doc, { kind: 'slide', slideId: 'unknownLayout', field: 'author' }, 'plain strings');
    expect(readSlide(doc, 'unknownLayout')?.fields.title).toBe('Жаңа');
    expect(readSlide(doc, 'unknownLayout')?.fields.author).toBe('plain strings');
    // Moving into a post whose last slide has a broken key still lands at the index.
    const s = addSlide(doc, postId);
    moveSlide(doc, s, { postId, index: 4 });
    expect(slideIdsOf(doc, postId)).toEqual([coverId, 'noLayout', 'unknownLayout', 'badOrder', s]);
    moveSlide(doc, s, { postId, index: 3 });
    expect(slideIdsOf(doc, postId)?.[3]).toBe(s);
    // An orphan can be rescued into a real post.
    moveSlide(doc, 'orphan', { postId, index: 0 });
    expect(slideIdsOf(doc, postId)?.[0]).toBe('orphan');
    expect(readFlashbook(doc).orphanSlides).toEqual([]);
    // Junk entries do not break the other commands either.
    expect(() => {
      duplicateSlide(doc, 'unknownLayout');
      deletePost(doc, 'weirdPost');
      movePost(doc, postId, 0);
      addPost(doc, { afterPostId: 'junkPost' });
    }).not.toThrow();
  });
});

describe('two clients', () => {
  it('typing into a slide while someone moves it to another post keeps both (moves never delete)', () => {
    const { doc: a, postId: p0, coverId } = seeded();
    const { postId: p1, slideId: other } = addPost(a);
    addSlide(a, p0, { body: ['Аннотация'] });
    const b = fork(a);

    editText(a, slideTitle(coverId), 'Абай жолы — 1942', 16);
    firstBodyText(a, readFlashbook(a).posts[0]?.slides[1]?.id ?? '').insert(0, 'Қысқа ');
    moveSlide(b, coverId, { postId: p1, index: 1 });
    sync(a, b);

    for (const d of [a, b]) {
      expect(slideIdsOf(d, p1)).toEqual([other, coverId]);
      expect(readSlide(d, coverId)?.fields.title).toBe('Абай жолы — 1942');
      expect(readSlide(d, coverId)?.postId).toBe(p1);
      expect(readFlashbook(d).posts[0]?.slides[0]?.bodyText).toBe('Қысқа Аннотация');
    }
    expect(a.toJSON()).toEqual(b.toJSON());
  });

  it('two people typing into the same title merge character by character', () => {
    const { doc: a, coverId } = seeded('Абай');
    const b = fork(a);
    editText(a, slideTitle(coverId), 'Абай жолы');
    editText(b, slideTitle(coverId), 'Ұлы Абай', 4);
    sync(a, b);
    expect(readSlide(a, coverId)?.fields.title).toBe('Ұлы Абай жолы');
    expect(readSlide(b, coverId)?.fields.title).toBe('Ұлы Абай жолы');
  });

  it('two people typing at the same spot keep both insertions, not one', () => {
    const { doc: a } = seeded('Кітап');
    const b = fork(a);
    editText(a, { kind: 'title' }, 'Кітап 📚 A');
    editText(b, { kind: 'title' }, 'Кітап Ғ B');
    sync(a, b);
    const title = readFlashbook(a).title;
    expect(readFlashbook(b).title).toBe(title);
    expect(title.startsWith('Кітап')).toBe(true);
    expect(title).toContain(' 📚 A');
    expect(title).toContain(' Ғ B');
    expect(title).toHaveLength('Кітап 📚 A Ғ B'.length);
  });

  it('slides added at the same spot by two people both appear, and one can go between them', () => {
    const { doc: a, postId, coverId } = seeded();
    const last = addSlide(a, postId);
    const b = fork(a);
    const fromA = addSlide(a, postId, { afterSlideId: coverId });
    const fromB = addSlide(b, postId, { afterSlideId: coverId });
    sync(a, b);
    const order = slideIdsOf(a, postId) ?? [];
    expect(slideIdsOf(b, postId)).toEqual(order);
    expect(order[0]).toBe(coverId);
    expect(new Set(order.slice(1, 3))).toEqual(new Set([fromA, fromB]));
    expect(order[3]).toBe(last);
    // The two got the same key; a slide put between them must still land exactly there.
    const between = addSlide(a, postId, { afterSlideId: order[1] });
    sync(a, b);
    expect(slideIdsOf(b, postId)).toEqual([coverId, order[1], between, order[2], last]);
  });

  it('a slide moved into a post that someone deletes at the same time is kept as an orphan', () => {
    const { doc: a, postId: p0, coverId } = seeded();
    const { postId: p1 } = addPost(a);
    const b = fork(a);
    moveSlide(a, coverId, { postId: p1, index: 0 });
    deletePost(b, p1);
    sync(a, b);
    for (const d of [a, b]) {
      expect(readFlashbook(d).orphanSlides.map((s) => s.id)).toEqual([coverId]);
      expect(slideIdsOf(d, p0)).toEqual([]);
    }
  });
});
