import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  anchorBefore,
  commentsMap,
  deleteMessage,
  editMessage,
  encodeAnchor,
  openThreadCounts,
  readThreads,
  reply,
  resolveAnchor,
  setResolved,
  startThread,
  type CommentAuthor,
} from './comments.ts';
import { addPost, editText, getSlideBody, getText } from './flashbook.ts';
import { MESSAGE, THREAD } from './schema.ts';

const ana: CommentAuthor = { id: 'a'.repeat(64), name: 'Ана', library: 'Библиотека №1' };
const bek: CommentAuthor = { id: 'b'.repeat(64), name: 'Бек', library: 'Аудандық кітапхана' };

function setup(quote = 'Жақсы кітап — жан азығы') {
  const doc = new Y.Doc();
  const { postId, slideId } = addPost(doc, {
    first: { layout: 'quote', fields: { quote }, body: ['Бірінші абзац', 'Екінші абзац'] },
  });
  return { doc, postId, slideId };
}

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('comment threads', () => {
  it('starts a thread on a slide with its first message, and reads it back', () => {
    const { doc, slideId, postId } = setup();
    const id = startThread(doc, { kind: 'slide', slideId }, 'Фото бар ма?', ana, 1000);
    expect(id).toBeDefined();
    const [thread] = readThreads(doc);
    expect(thread).toMatchObject({
      id,
      slideId,
      postId,
      field: '',
      resolved: false,
      createdAt: 1000,
    });
    expect(thread?.messages).toEqual([
      expect.objectContaining({
        text: 'Фото бар ма?',
        authorName: 'Ана',
        authorLibrary: 'Библиотека №1',
        authorId: ana.id,
        createdAt: 1000,
        editedAt: null,
        deleted: false,
      }),
    ]);
    expect(resolveAnchor(doc, id!)).toEqual({ kind: 'slide' });
  });

  it('writes nothing for a slide, field or range that does not exist', () => {
    const { doc, slideId } = setup();
    const cases = [
      startThread(doc, { kind: 'slide', slideId: 'missing-slide' }, 'x', ana),
      startThread(doc, { kind: 'text', slideId, field: 'quote', start: 3, end: 3 }, 'x', ana),
      startThread(
        doc,
        { kind: 'text', slideId: 'missing-slide', field: 'quote', start: 0, end: 1 },
        'x',
        ana,
      ),
    ];
    expect(cases).toEqual([undefined, undefined, undefined]);
    expect(commentsMap(doc).size).toBe(0);
  });

  // Start on "кітап" in "Жақсы кітап — жан азығы" (index 6..11), then someone edits.
  const edits: {
    name: string;
    edit: (t: Y.Text) => void;
    expected: { text: string; index: number } | 'gone';
  }[] = [
    { name: 'nothing changes', edit: () => {}, expected: { text: 'кітап', index: 6 } },
    {
      name: 'text typed before the range',
      edit: (t) => t.insert(0, 'Өте '),
      expected: { text: 'кітап', index: 10 },
    },
    {
      name: 'text typed right at the start stays outside',
      edit: (t) => t.insert(6, 'жаңа '),
      expected: { text: 'кітап', index: 11 },
    },
    {
      name: 'text typed right at the end stays outside',
      edit: (t) => t.insert(11, 'тар'),
      expected: { text: 'кітап', index: 6 },
    },
    {
      name: 'text typed inside is in the range',
      edit: (t) => t.insert(8, 'ТТ'),
      expected: { text: 'кіТТтап', index: 6 },
    },
    {
      name: 'a deletion inside shrinks it',
      edit: (t) => t.delete(7, 2),
      expected: { text: 'кап', index: 6 },
    },
    {
      name: 'a deletion over its start keeps the rest',
      edit: (t) => t.delete(3, 5),
      expected: { text: 'тап', index: 3 },
    },
    { name: 'deleting all of it', edit: (t) => t.delete(6, 5), expected: 'gone' },
    { name: 'deleting the whole field', edit: (t) => t.delete(0, t.length), expected: 'gone' },
  ];
  for (const c of edits)
    it(`a range in a quote after ${c.name}`, () => {
      const { doc, slideId } = setup();
      const id = startThread(
        doc,
        { kind: 'text', slideId, field: 'quote', start: 6, end: 11 },
        'Ескерту',
        ana,
      )!;
      const text = getText(doc, { kind: 'slide', slideId, field: 'quote' })!;
      // The edit comes from another client, as it would.
      const other = new Y.Doc();
      sync(doc, other);
      const otherText = getText(other, { kind: 'slide', slideId, field: 'quote' })!;
      c.edit(otherText);
      sync(doc, other);
      expect(text.toString()).toBe(otherText.toString());
      const expected =
        c.expected === 'gone'
          ? { kind: 'gone', field: 'quote', quote: 'кітап' }
          : { kind: 'range', field: 'quote', length: c.expected.text.length, ...c.expected };
      expect(resolveAnchor(doc, id)).toEqual(expected);
      expect(resolveAnchor(other, id)).toEqual(expected);
    });

  it('anchors a range of the post caption', () => {
    const { doc, slideId, postId } = setup();
    editText(doc, { kind: 'caption', postId }, 'Кітап туралы #оқу');
    const id = startThread(
      doc,
      { kind: 'text', slideId, field: 'caption', start: 13, end: 17 },
      'Хэштег?',
      bek,
    )!;
    editText(doc, { kind: 'caption', postId }, 'Жаңа кітап туралы #оқу');
    expect(resolveAnchor(doc, id)).toMatchObject({ kind: 'range', field: 'caption', text: '#оқу' });
    expect(readThreads(doc)[0]?.quote).toBe('#оқу');
  });

  it('anchors a range of the rich body through relative positions and follows edits', () => {
    const { doc, slideId } = setup();
    const body = getSlideBody(doc, slideId)!;
    const second = (body.get(1) as Y.XmlElement).get(0) as Y.XmlText; // "Екінші абзац"
    const id = startThread(
      doc,
      {
        kind: 'body',
        slideId,
        anchorStart: encodeAnchor(Y.createRelativePositionFromTypeIndex(second, 7, 0)),
        anchorEnd: encodeAnchor(Y.createRelativePositionFromTypeIndex(second, 12, -1)),
        quote: 'абзац',
      },
      'Қысқарту керек',
      ana,
    )!;
    // "Бірінші абзац\nЕкінші абзац": the range starts after "\n" + "Екінші ".
    expect(resolveAnchor(doc, id)).toEqual({
      kind: 'range',
      field: 'body',
      index: 21,
      length: 5,
      text: 'абзац',
    });
    ((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Ең ');
    second.insert(10, 'Ы');
    expect(resolveAnchor(doc, id)).toMatchObject({ kind: 'range', index: 24, text: 'абзЫац' });
    body.delete(1, 1); // the whole paragraph
    expect(resolveAnchor(doc, id)).toEqual({ kind: 'gone', field: 'body', quote: 'абзац' });
  });

  it('replies in order, concurrent replies from two clients are both kept', () => {
    const { doc, slideId } = setup();
    const id = startThread(doc, { kind: 'slide', slideId }, 'Бірінші', ana, 1)!;
    const other = new Y.Doc();
    sync(doc, other);
    reply(doc, id, 'Ана жауабы', ana, 2);
    reply(other, id, 'Бек жауабы', bek, 3);
    sync(doc, other);
    const texts = (d: Y.Doc) => readThreads(d)[0]?.messages.map((m) => m.text);
    expect(texts(doc)).toEqual(texts(other));
    expect([...texts(doc)!].sort()).toEqual(['Ана жауабы', 'Бек жауабы', 'Бірінші'].sort());
    expect(reply(doc, 'no-such-thread', 'x', ana)).toBeUndefined();
  });

  it('resolves and reopens; a resolved thread keeps its messages', () => {
    const { doc, slideId } = setup();
    const id = startThread(doc, { kind: 'slide', slideId }, 'Түзету', ana)!;
    expect(openThreadCounts(readThreads(doc)).get(slideId)).toBe(1);
    expect(setResolved(doc, id, true)).toBe(true);
    expect(readThreads(doc)[0]).toMatchObject({ resolved: true });
    expect(readThreads(doc)[0]?.messages[0]?.text).toBe('Түзету');
    expect(openThreadCounts(readThreads(doc)).get(slideId)).toBeUndefined();
    setResolved(doc, id, false);
    expect(readThreads(doc)[0]?.resolved).toBe(false);
    expect(setResolved(doc, 'no-such-thread', true)).toBe(false);
  });

  const ownership = [
    { who: 'the author', authorId: ana.id, allowed: true },
    { who: 'someone else', authorId: bek.id, allowed: false },
    { who: 'an empty id', authorId: '', allowed: false },
  ];
  for (const o of ownership)
    it(`editing and deleting a message by ${o.who}`, () => {
      const { doc, slideId } = setup();
      const id = startThread(doc, { kind: 'slide', slideId }, 'Алғашқы', ana, 1)!;
      const messageId = readThreads(doc)[0]!.messages[0]!.id;
      expect(editMessage(doc, id, messageId, 'Түзетілген', o.authorId, 5)).toBe(o.allowed);
      expect(readThreads(doc)[0]?.messages[0]).toMatchObject(
        o.allowed ? { text: 'Түзетілген', editedAt: 5 } : { text: 'Алғашқы', editedAt: null },
      );
      expect(deleteMessage(doc, id, messageId, o.authorId)).toBe(o.allowed);
      expect(readThreads(doc)[0]?.messages).toHaveLength(1);
      expect(readThreads(doc)[0]?.messages[0]?.deleted).toBe(o.allowed);
      // A deleted message cannot be edited back.
      expect(editMessage(doc, id, messageId, 'Қайта', ana.id)).toBe(!o.allowed);
    });

  it('reads defensively what another client wrote', () => {
    const { doc, slideId } = setup();
    const comments = commentsMap(doc);
    comments.set('not-a-map', 'x' as never);
    const noMessages = new Y.Map<unknown>();
    noMessages.set(THREAD.slideId, slideId);
    comments.set('no-messages', noMessages as never);
    const odd = new Y.Map<unknown>();
    odd.set(THREAD.slideId, 42);
    odd.set(THREAD.field, 'nonsense');
    odd.set(THREAD.resolved, 'yes');
    odd.set(THREAD.anchorStart, 'not bytes');
    const messages = new Y.Array<unknown>();
    const m = new Y.Map<unknown>();
    m.set(MESSAGE.text, 7);
    m.set(MESSAGE.createdAt, 'yesterday');
    messages.push([m, 'junk']);
    odd.set(THREAD.messages, messages);
    comments.set('odd', odd as never);
    const broken = new Y.Map<unknown>();
    broken.set(THREAD.slideId, slideId);
    broken.set(THREAD.field, 'quote');
    broken.set(THREAD.anchorStart, new Uint8Array([255, 255, 255]));
    broken.set(THREAD.anchorEnd, new Uint8Array([]));
    broken.set(THREAD.quote, 'ескі');
    broken.set(THREAD.messages, new Y.Array());
    comments.set('broken', broken as never);

    const threads = readThreads(doc);
    expect(threads.map((t) => t.id).sort()).toEqual(['broken', 'odd']);
    expect(threads.find((t) => t.id === 'odd')).toMatchObject({
      slideId: '',
      field: '',
      resolved: false,
      messages: [{ text: '', createdAt: 0, authorName: '' }],
    });
    expect(resolveAnchor(doc, 'odd')).toEqual({ kind: 'slide' });
    expect(resolveAnchor(doc, 'broken')).toEqual({ kind: 'gone', field: 'quote', quote: 'ескі' });
    expect(resolveAnchor(doc, 'not-there')).toBeUndefined();
  });

  it('runs each command as one transaction', () => {
    const { doc, slideId } = setup();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const id = startThread(
      doc,
      { kind: 'text', slideId, field: 'quote', start: 0, end: 5 },
      'a',
      ana,
    )!;
    reply(doc, id, 'b', bek);
    setResolved(doc, id, true);
    const messageId = readThreads(doc)[0]!.messages[0]!.id;
    editMessage(doc, id, messageId, 'c', ana.id);
    deleteMessage(doc, id, messageId, ana.id);
    expect(transactions).toBe(5);
  });
});

describe('comment ranges and emoji', () => {
  it('never cuts an emoji in half, so every client keeps the same quote', () => {
    const { doc, slideId } = setup('Кітап 📚 оқы');
    // 6 is the high half of 📚, 7 its low half: the range widens to the whole emoji.
    const id = startThread(
      doc,
      { kind: 'text', slideId, field: 'quote', start: 7, end: 8 },
      'x',
      ana,
    )!;
    const other = new Y.Doc();
    sync(doc, other);
    expect(readThreads(doc)[0]?.quote).toBe('📚');
    expect(readThreads(other)).toEqual(readThreads(doc));
    expect(resolveAnchor(other, id)).toEqual({
      kind: 'range',
      field: 'quote',
      index: 6,
      length: 2,
      text: '📚',
    });
  });
});

describe('anchorBefore', () => {
  it('turns a position after a character (as y-prosemirror makes them) into one before it', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'абвгд');
    // After "б" (index 2, sticking to "б") becomes before "б" (index 1, sticking to "б").
    const before = anchorBefore(Y.createRelativePositionFromTypeIndex(text, 2, -1));
    expect(Y.createAbsolutePositionFromRelativePosition(before, doc)?.index).toBe(1);
    text.insert(1, 'ЖЖ'); // typed right before "б": the position stays before "б"
    expect(Y.createAbsolutePositionFromRelativePosition(before, doc)?.index).toBe(3);
  });
});
