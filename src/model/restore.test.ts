import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPost,
  addSlide,
  deletePost,
  deleteSlide,
  editText,
  getSlideBody,
  movePost,
  moveSlide,
  readFlashbook,
  seedFlashbook,
  setFlashbookSettings,
  setSlideLayout,
  setSlideValues,
  undoScope,
  type FlashbookView,
} from './flashbook.ts';
import { LOCAL, RESTORE } from './origins.ts';
import {
  diffVersion,
  openVersion,
  restoreVersion,
  textParts,
  type FlashbookDiff,
  type RestoreTarget,
} from './restore.ts';

// ---------------------------------------------------------------------------------------------
// A flashbook of two posts: P1 [S1 "Абай", S2 "Қыз Жібек"], P2 [S3 "Көшпенділер"].

interface Fixture {
  doc: Y.Doc;
  P1: string;
  P2: string;
  S1: string;
  S2: string;
  S3: string;
}

function fixture(): Fixture {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Кітаптар', library: 'Central' });
  const first = readFlashbook(doc).posts[0];
  if (!first) throw new Error('no seeded post');
  deletePost(doc, first.id);
  const { postId: P1, slideId: S1 } = addPost(doc, {
    first: { fields: { title: 'Абай', author: 'Мұхтар Әуезов' }, body: ['Бірінші', 'Екінші'] },
  });
  const S2 = addSlide(doc, P1, { fields: { title: 'Қыз Жібек' } });
  const { postId: P2, slideId: S3 } = addPost(doc, { first: { fields: { title: 'Көшпенділер' } } });
  editText(doc, { kind: 'caption', postId: P1 }, 'Жаңа кітаптар');
  return { doc, P1, P2, S1, S2, S3 };
}

function clone(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  return other;
}

function sync(...docs: Y.Doc[]): void {
  for (const a of docs) {
    for (const b of docs) {
      if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    }
  }
}

/** What a reader sees, without ids that a restore may legitimately keep or not. */
const shape = (v: FlashbookView) =>
  v.posts.map((p) => ({
    id: p.id,
    caption: p.caption,
    slides: p.slides.map((s) => `${s.id}:${s.layout}:${s.fields.title}|${s.bodyText}`),
  }));

const titles = (v: FlashbookView) => v.posts.map((p) => p.slides.map((s) => s.fields.title));

// ---------------------------------------------------------------------------------------------

describe('restoreVersion (table)', () => {
  const cases: {
    name: string;
    /** What happens after the version was taken. */
    change(f: Fixture): void;
    target(f: Fixture): RestoreTarget;
    /** Expected titles per post after the restore; `version` means exactly the version. */
    expected: 'version' | ((f: Fixture, v: FlashbookView) => void);
  }[] = [
    {
      name: 'whole flashbook: a deleted post comes back, an added one goes, texts and moves revert',
      change: (f) => {
        deletePost(f.doc, f.P2);
        addPost(f.doc, { first: { fields: { title: 'New' } } });
        editText(f.doc, { kind: 'slide', slideId: f.S1, field: 'title' }, 'Абай жолы');
        moveSlide(f.doc, f.S2, { postId: f.P1, index: 0 });
        editText(f.doc, { kind: 'title' }, 'Other');
        setFlashbookSettings(f.doc, { theme: 'bright', brandColor: '#ff0000' });
      },
      target: () => ({ kind: 'flashbook' }),
      expected: 'version',
    },
    {
      name: 'whole flashbook: a changed body and layout revert',
      change: (f) => {
        const body = getSlideBody(f.doc, f.S1);
        f.doc.transact(() => body?.delete(0, 1), LOCAL);
        setSlideLayout(f.doc, f.S1, 'quote');
        setSlideValues(f.doc, f.S3, { ageLabel: '12+' });
      },
      target: () => ({ kind: 'flashbook' }),
      expected: 'version',
    },
    {
      name: 'one post: its deleted slide and caption come back, the other post keeps its edits',
      change: (f) => {
        deleteSlide(f.doc, f.S2);
        editText(f.doc, { kind: 'caption', postId: f.P1 }, '');
        editText(f.doc, { kind: 'slide', slideId: f.S3, field: 'title' }, 'Edited');
      },
      target: (f) => ({ kind: 'post', postId: f.P1 }),
      expected: (f, v) => {
        expect(titles(v)).toEqual([['Абай', 'Қыз Жібек'], ['Edited']]);
        expect(v.posts[0]?.caption).toBe('Жаңа кітаптар');
      },
    },
    {
      name: 'one post: a deleted post comes back with its slides, at its old place',
      change: (f) => {
        deletePost(f.doc, f.P1);
        addPost(f.doc, { first: { fields: { title: 'Later' } } });
      },
      target: (f) => ({ kind: 'post', postId: f.P1 }),
      expected: (_f, v) =>
        expect(titles(v)).toEqual([['Абай', 'Қыз Жібек'], ['Көшпенділер'], ['Later']]),
    },
    {
      name: 'one post: a slide moved into it goes back, a slide added to it goes',
      change: (f) => {
        moveSlide(f.doc, f.S3, { postId: f.P1, index: 0 });
        addSlide(f.doc, f.P1, { fields: { title: 'Added' } });
        addSlide(f.doc, f.P2, { fields: { title: 'Kept' } });
      },
      target: (f) => ({ kind: 'post', postId: f.P1 }),
      // "Kept" took the key S3 had in P2 while S3 was away: their order is decided by id.
      expected: (_f, v) => {
        const [p1, p2] = titles(v);
        expect(p1).toEqual(['Абай', 'Қыз Жібек']);
        expect(p2?.sort()).toEqual(['Kept', 'Көшпенділер']);
      },
    },
    {
      name: 'one slide: deleted since, it comes back in its place',
      change: (f) => deleteSlide(f.doc, f.S1),
      target: (f) => ({ kind: 'slide', slideId: f.S1 }),
      expected: 'version',
    },
    {
      name: 'one slide: its post was deleted too, the post comes back with only this slide',
      change: (f) => deletePost(f.doc, f.P1),
      target: (f) => ({ kind: 'slide', slideId: f.S2 }),
      expected: (_f, v) => expect(titles(v)).toEqual([['Қыз Жібек'], ['Көшпенділер']]),
    },
    {
      name: 'one slide: only its own text reverts, a neighbour keeps its edit',
      change: (f) => {
        editText(f.doc, { kind: 'slide', slideId: f.S1, field: 'title' }, 'X');
        editText(f.doc, { kind: 'slide', slideId: f.S2, field: 'title' }, 'Y');
      },
      target: (f) => ({ kind: 'slide', slideId: f.S1 }),
      expected: (_f, v) => expect(titles(v)).toEqual([['Абай', 'Y'], ['Көшпенділер']]),
    },
    {
      name: 'one slide that did not exist in the version: restoring it removes it',
      change: (f) => {
        addSlide(f.doc, f.P2, { fields: { title: 'Added' } });
      },
      target: (f) => {
        const added = readFlashbook(f.doc).posts[1]?.slides[1]?.id ?? '';
        return { kind: 'slide', slideId: added };
      },
      expected: 'version',
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const f = fixture();
      const version = openVersion(Y.encodeStateAsUpdate(f.doc));
      c.change(f);
      const target = c.target(f);
      expect(restoreVersion(f.doc, version.doc, target)).toBe(true);
      const after = readFlashbook(f.doc);
      if (c.expected === 'version') expect(after).toEqual(version.view);
      else c.expected(f, after);
      // A second restore of the same target finds nothing left to do.
      expect(restoreVersion(f.doc, version.doc, target)).toBe(false);
    });
  }

  it('is one transaction with origin RESTORE, and undo takes it back whole', () => {
    const f = fixture();
    const version = openVersion(Y.encodeStateAsUpdate(f.doc));
    deletePost(f.doc, f.P2);
    editText(f.doc, { kind: 'slide', slideId: f.S1, field: 'title' }, 'Changed');
    const before = readFlashbook(f.doc);
    const undo = new Y.UndoManager(undoScope(f.doc), {
      trackedOrigins: new Set([LOCAL, RESTORE]),
    });
    const origins: unknown[] = [];
    f.doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    restoreVersion(f.doc, version.doc, { kind: 'flashbook' });
    expect(origins).toEqual([RESTORE]);
    expect(readFlashbook(f.doc)).toEqual(version.view);
    undo.undo();
    expect(shape(readFlashbook(f.doc))).toEqual(shape(before));
  });

  it('keeps what a colleague types meanwhile, and undo of the restore keeps it too', () => {
    const f = fixture();
    const version = openVersion(Y.encodeStateAsUpdate(f.doc));
    deletePost(f.doc, f.P1);
    const colleague = clone(f.doc);
    const undo = new Y.UndoManager(undoScope(f.doc), { trackedOrigins: new Set([RESTORE]) });
    // Concurrently: one restores the post, the other types into the other post.
    restoreVersion(f.doc, version.doc, { kind: 'post', postId: f.P1 });
    editText(colleague, { kind: 'slide', slideId: f.S3, field: 'title' }, 'Көшпенділер!');
    sync(f.doc, colleague);
    expect(titles(readFlashbook(f.doc))).toEqual([['Абай', 'Қыз Жібек'], ['Көшпенділер!']]);
    // After the restore: the colleague types into the restored slide.
    editText(colleague, { kind: 'slide', slideId: f.S1, field: 'title' }, 'Абай!');
    sync(f.doc, colleague);
    expect(titles(readFlashbook(colleague))).toEqual([['Абай!', 'Қыз Жібек'], ['Көшпенділер!']]);
    undo.undo();
    sync(f.doc, colleague);
    expect(titles(readFlashbook(colleague))).toEqual([['Көшпенділер!']]);
  });
});

describe('concurrent restores and stale clients', () => {
  it('restores a body block by block: a colleague typing into an unchanged paragraph keeps it', () => {
    const f = fixture();
    const version = openVersion(Y.encodeStateAsUpdate(f.doc));
    const paragraph = (doc: Y.Doc, i: number) =>
      (getSlideBody(doc, f.S1)?.get(i) as Y.XmlElement).get(0) as Y.XmlText;
    f.doc.transact(() => paragraph(f.doc, 1).insert(0, 'Changed '), LOCAL);
    const colleague = clone(f.doc);
    restoreVersion(f.doc, version.doc, { kind: 'slide', slideId: f.S1 });
    colleague.transact(() => paragraph(colleague, 0).insert(7, '+'), LOCAL);
    sync(f.doc, colleague);
    const body = (d: Y.Doc) => readFlashbook(d).posts[0]?.slides[0]?.bodyText;
    expect(body(f.doc)).toBe('Бірінші+\nЕкінші');
    expect(body(colleague)).toBe(body(f.doc));
  });

  it('a slide deleted since comes back once when two people restore it at the same time', () => {
    const f = fixture();
    const version = openVersion(Y.encodeStateAsUpdate(f.doc));
    deleteSlide(f.doc, f.S2);
    deletePost(f.doc, f.P2);
    const other = clone(f.doc);
    restoreVersion(f.doc, version.doc, { kind: 'slide', slideId: f.S2 });
    restoreVersion(other, version.doc, { kind: 'slide', slideId: f.S2 });
    // The second also restores the whole post P2 meanwhile.
    restoreVersion(other, version.doc, { kind: 'post', postId: f.P2 });
    restoreVersion(f.doc, version.doc, { kind: 'post', postId: f.P2 });
    sync(f.doc, other);
    const a = readFlashbook(f.doc);
    expect(a).toEqual(readFlashbook(other));
    expect(titles(a)).toEqual([['Абай', 'Қыз Жібек'], ['Көшпенділер']]);
    expect(a).toEqual(version.view);
  });

  it('two whole-flashbook restores at once converge on the version', () => {
    const f = fixture();
    const version = openVersion(Y.encodeStateAsUpdate(f.doc));
    deletePost(f.doc, f.P1);
    addPost(f.doc, { first: { fields: { title: 'Extra' } } });
    const other = clone(f.doc);
    restoreVersion(f.doc, version.doc, { kind: 'flashbook' });
    restoreVersion(other, version.doc, { kind: 'flashbook' });
    sync(f.doc, other);
    expect(readFlashbook(f.doc)).toEqual(version.view);
    expect(readFlashbook(other)).toEqual(version.view);
  });

  it('a client reconnecting with offline edits merges them without bringing back what was replaced', () => {
    const f = fixture();
    const version = openVersion(Y.encodeStateAsUpdate(f.doc));
    // After the version: a slide is added, a title rewritten, a post moved.
    const added = addSlide(f.doc, f.P1, { fields: { title: 'Added later' } });
    editText(f.doc, { kind: 'slide', slideId: f.S2, field: 'title' }, 'Rewritten');
    movePost(f.doc, f.P2, 0);
    // A colleague goes offline with that state and keeps working.
    const offline = clone(f.doc);
    editText(offline, { kind: 'caption', postId: f.P2 }, 'Written offline');
    editText(offline, { kind: 'slide', slideId: f.S3, field: 'title' }, 'Көшпенділер (offline)');
    // Meanwhile the flashbook is restored.
    restoreVersion(f.doc, version.doc, { kind: 'flashbook' });
    // The offline client comes back: both sides send what the other lacks.
    sync(f.doc, offline);
    const a = readFlashbook(f.doc);
    expect(a).toEqual(readFlashbook(offline));
    expect(titles(a)).toEqual([['Абай', 'Қыз Жібек'], ['Көшпенділер (offline)']]);
    expect(a.posts[1]?.caption).toBe('Written offline');
    expect(a.posts.flatMap((p) => p.slides).some((s) => s.id === added)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

/** A diff in a short form for table comparisons. */
function summary(d: FlashbookDiff): string[] {
  const out = d.fields.map((c) => `meta.${c.field}`);
  for (const p of d.posts) {
    if (p.change !== 'unchanged') out.push(`post ${p.change}`);
    if (p.moved) out.push('post moved');
    if (p.change === 'changed') for (const c of p.fields) out.push(`post.${c.field}`);
    for (const s of p.slides) {
      const fields = s.fields.map((c) => c.field).join(',');
      out.push(
        `slide ${s.change}${s.moved ? ' moved' : ''}${s.fromPostId ? ' other-post' : ''}` +
          (fields && s.change === 'changed' ? ` ${fields}` : ''),
      );
    }
  }
  return out;
}

describe('diffVersion (table)', () => {
  const cases: { name: string; change(f: Fixture): void; expected: string[] }[] = [
    { name: 'nothing changed', change: () => undefined, expected: [] },
    {
      name: 'a slide title edited',
      change: (f) => editText(f.doc, { kind: 'slide', slideId: f.S1, field: 'title' }, 'Абай жолы'),
      expected: ['slide changed title'],
    },
    {
      name: 'a slide deleted and one added',
      change: (f) => {
        deleteSlide(f.doc, f.S2);
        addSlide(f.doc, f.P2, {});
      },
      expected: ['slide removed', 'slide added'],
    },
    {
      name: 'a slide moved to the other post',
      change: (f) => moveSlide(f.doc, f.S2, { postId: f.P2, index: 1 }),
      expected: ['slide unchanged moved other-post'],
    },
    {
      name: 'a slide moved within its post and its body changed',
      change: (f) => {
        moveSlide(f.doc, f.S1, { postId: f.P1, index: 1 });
        const body = getSlideBody(f.doc, f.S1);
        f.doc.transact(() => body?.delete(1, 1), LOCAL);
      },
      expected: ['slide changed moved body'],
    },
    {
      name: 'a post deleted, a post moved, the caption and title changed',
      change: (f) => {
        editText(f.doc, { kind: 'caption', postId: f.P1 }, 'Другая подпись');
        addPost(f.doc, { first: {} });
        movePost(f.doc, f.P1, 2);
        deletePost(f.doc, f.P2);
        editText(f.doc, { kind: 'title' }, 'Новое');
      },
      expected: [
        'meta.title',
        'post added',
        'slide added',
        'post changed',
        'post moved',
        'post.caption',
        // After the post that preceded it in the version.
        'post removed',
        'slide removed',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = fixture();
      const version = openVersion(Y.encodeStateAsUpdate(f.doc));
      c.change(f);
      expect(summary(diffVersion(version.doc, f.doc))).toEqual(c.expected);
    });
  }

  it('gives the text difference of a changed field', () => {
    const f = fixture();
    const version = openVersion(Y.encodeStateAsUpdate(f.doc));
    editText(f.doc, { kind: 'slide', slideId: f.S1, field: 'author' }, 'М. Әуезов');
    const change = diffVersion(version.doc, f.doc).posts[0]?.slides[0]?.fields[0];
    expect(change?.field).toBe('author');
    expect(change?.before).toBe('Мұхтар Әуезов');
    expect(change?.after).toBe('М. Әуезов');
    const rebuilt = (kinds: string[]) =>
      change?.parts
        .filter((p) => kinds.includes(p.kind))
        .map((p) => p.text)
        .join('');
    expect(rebuilt(['same', 'removed'])).toBe('Мұхтар Әуезов');
    expect(rebuilt(['same', 'added'])).toBe('М. Әуезов');
    expect(change?.parts.some((p) => p.kind === 'same' && p.text.includes('Әуезов'))).toBe(true);
  });

  it('textParts keeps emoji whole', () => {
    const parts = textParts('a😀b', 'a😃b');
    expect(parts.map((p) => p.text).join('')).not.toContain('\uFFFD');
    expect(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe('a😃b');
  });
});
