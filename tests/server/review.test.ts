import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { asMap, postsMap, slidesMap } from '../../src/model/access.ts';
import { deletePost } from '../../src/model/flashbook.ts';
import { SessionUndoManager } from '../../src/session/undo.ts';
import { authorIdOf, changedSinceApproval, postDigest } from '../../src/model/review.ts';
import { MESSAGE, POST, ROOT, SLIDE, THREAD } from '../../src/model/schema.ts';
import {
  activityPath,
  postStatusPath,
  type Activity,
  type PostStatusRequest,
  type StatusChange,
} from '../../src/protocol/api.ts';
import { CLOSE } from '../../src/protocol/close-codes.ts';
import {
  closedEvent,
  Harness,
  synced,
  title,
  titleText,
  waitFor,
  type Client,
  type CreatedFlashbook,
  type TestServer,
} from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

let seq = 0;
const uniqueId = (prefix: string) => `${prefix}${String(++seq).padStart(8, '0')}`;

/** The id of the flashbook's first post and of its first slide. */
function firstPost(doc: Y.Doc): { postId: string; slideId: string } {
  const postId = [...postsMap(doc).keys()][0]!;
  let slideId = '';
  slidesMap(doc).forEach((s, id) => {
    if (!slideId && asMap(s)?.get(SLIDE.postId) === postId) slideId = id;
  });
  return { postId, slideId };
}

const threads = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOT.comments);
const messagesOf = (doc: Y.Doc, threadId: string) =>
  threads(doc).get(threadId)?.get(THREAD.messages) as Y.Array<Y.Map<unknown>> | undefined;
const messageText = (doc: Y.Doc, threadId: string, i = 0) =>
  messagesOf(doc, threadId)?.get(i)?.get(MESSAGE.text);

function newMessage(text: string, authorKey: string | undefined, name: string): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set(MESSAGE.id, uniqueId('m'));
  m.set(MESSAGE.text, text);
  m.set(MESSAGE.authorName, name);
  m.set(MESSAGE.authorLibrary, 'District library No. 3');
  if (authorKey !== undefined) m.set(MESSAGE.authorId, authorIdOf(authorKey));
  m.set(MESSAGE.createdAt, Date.now());
  return m;
}

/** Starts a thread on a slide with one message, as the app would (docs/document-schema.md). */
function addThread(doc: Y.Doc, slideId: string, text: string, authorKey: string | undefined) {
  const id = uniqueId('t');
  doc.transact(() => {
    const thread = new Y.Map<unknown>();
    thread.set(THREAD.slideId, slideId);
    thread.set(THREAD.resolved, false);
    thread.set(THREAD.createdAt, Date.now());
    const messages = new Y.Array<Y.Map<unknown>>();
    messages.push([newMessage(text, authorKey, 'Aigerim')]);
    thread.set(THREAD.messages, messages);
    threads(doc).set(id, thread);
  });
  return id;
}

/**
 * Announces `client` in the awareness and waits until `observer` sees it. The server handles a
 * connection's messages in order, so by then every update `client` sent before has been handled
 * (applied and forwarded, or dropped).
 */
async function handled(client: Client, observer: Client): Promise<void> {
  const marker = uniqueId('mark');
  client.provider.awareness.setLocalStateField('user', { name: marker });
  await waitFor(
    () =>
      (observer.provider.awareness.getStates().get(client.doc.clientID)?.user as { name?: string })
        ?.name === marker,
    'marker at observer',
  );
}

function putStatus(
  server: TestServer,
  fb: CreatedFlashbook,
  postId: string,
  token: string | undefined,
  body: unknown,
): Promise<Response> {
  return fetch(`${server.url}${postStatusPath(fb.id, postId)}`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

const by = { name: 'Gulnara Sadykova', library: 'Regional library, methodology department' };

/** The stored document, as a fresh editor connecting after a restart gets it. */
async function afterRestart(server: TestServer, fb: CreatedFlashbook): Promise<Y.Doc> {
  await server.close();
  const restarted = await h.start({ dataDir: server.dataDir });
  return (await h.connectSynced(restarted.url, fb.id, fb.editToken)).doc;
}

describe('comment links', () => {
  it('a comment token adds a thread that an editor receives, while its slide, post and meta edits reach no one and are not stored', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Abai and his time');
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const key = 'commenter-secret-key-1';
    const commenter = await h.connectSynced(server.url, fb.id, fb.commentToken, { author: key });
    const { postId, slideId } = firstPost(commenter.doc);

    const threadId = addThread(commenter.doc, slideId, 'Please check the year of the edition', key);
    await waitFor(
      () => messageText(editor.doc, threadId) === 'Please check the year of the edition',
      'thread at the editor',
    );
    const message = messagesOf(editor.doc, threadId)?.get(0);
    expect(message?.get(MESSAGE.authorId)).toBe(authorIdOf(key));
    // Resolving (a thread field) is for anyone who comments.
    threads(commenter.doc).get(threadId)?.set(THREAD.resolved, true);
    await waitFor(
      () => threads(editor.doc).get(threadId)?.get(THREAD.resolved) === true,
      'resolved at the editor',
    );

    // Now the changes a comment link may not make: each is dropped, and the editor sees none.
    const before = title(editor.doc);
    const slide = asMap(slidesMap(commenter.doc).get(slideId))!;
    slide.set(SLIDE.order, 'zz');
    await handled(commenter, editor);
    postsMap(commenter.doc).get(postId)?.set(POST.library, 'Hacked library');
    await handled(commenter, editor);
    titleText(commenter.doc).insert(0, 'HACKED ');
    await handled(commenter, editor);
    expect(title(editor.doc)).toBe(before);
    expect(asMap(slidesMap(editor.doc).get(slideId))?.get(SLIDE.order)).not.toBe('zz');
    expect(postsMap(editor.doc).get(postId)?.get(POST.library)).not.toBe('Hacked library');
    expect(server.logs.some((l) => l.event === 'dropped-update' && l['role'] === 'comment')).toBe(
      true,
    );

    // Nor were they stored; the thread was.
    const stored = await afterRestart(server, fb);
    expect(title(stored)).toBe(before);
    expect(asMap(slidesMap(stored).get(slideId))?.get(SLIDE.order)).not.toBe('zz');
    expect(messageText(stored, threadId)).toBe('Please check the year of the edition');
  });

  it('a comment token cannot delete or rewrite another person’s message, nor forge its author; the author and an approver can', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const observer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    const alice = 'alice-secret-key';
    const author = await h.connectSynced(server.url, fb.id, fb.commentToken, { author: alice });
    const { slideId } = firstPost(author.doc);
    const threadId = addThread(author.doc, slideId, 'The cover is too dark', alice);
    await waitFor(() => messageText(observer.doc, threadId) === 'The cover is too dark', 'thread');

    /** A fresh connection with `token` and `key` tries `change`; returns the client. */
    const attempt = async (token: string, key: string | undefined, change: (d: Y.Doc) => void) => {
      const client = await h.connectSynced(
        server.url,
        fb.id,
        token,
        key === undefined ? {} : { author: key },
      );
      change(client.doc);
      return client;
    };
    const mallory = 'mallory-secret-key';
    const attacks: [string, (d: Y.Doc) => void][] = [
      ['rewrites the text', (d) => messagesOf(d, threadId)!.get(0).set(MESSAGE.text, 'Approved!')],
      ['deletes the message', (d) => messagesOf(d, threadId)!.delete(0, 1)],
      ['marks it deleted', (d) => messagesOf(d, threadId)!.get(0).set(MESSAGE.deleted, true)],
      [
        'takes over its authorship',
        (d) => messagesOf(d, threadId)!.get(0).set(MESSAGE.authorId, authorIdOf(mallory)),
      ],
      ['removes the thread', (d) => threads(d).delete(threadId)],
      [
        'replaces the messages',
        (d) => threads(d).get(threadId)!.set(THREAD.messages, new Y.Array()),
      ],
      [
        'replies in Alice’s name',
        (d) => messagesOf(d, threadId)!.push([newMessage('I agree', alice, 'Alice')]),
      ],
      [
        'replies without any author key',
        (d) => messagesOf(d, threadId)!.push([newMessage('Anonymous', undefined, 'Nobody')]),
      ],
    ];
    for (const [what, change] of attacks) {
      const key = what.includes('without') ? undefined : mallory;
      const client = await attempt(fb.commentToken, key, change);
      await handled(client, observer);
      expect(messagesOf(observer.doc, threadId)?.length, what).toBe(1);
      expect(messageText(observer.doc, threadId), what).toBe('The cover is too dark');
      expect(messagesOf(observer.doc, threadId)?.get(0)?.get(MESSAGE.deleted), what).toBe(
        undefined,
      );
      client.provider.destroy();
    }
    // An edit link may not either: its client is not the app, and is closed.
    const editorAttack = await attempt(fb.editToken, mallory, attacks[0]![1]);
    expect(await closedEvent(editorAttack.provider)).toMatchObject({
      code: CLOSE.FORBIDDEN_CHANGE,
    });
    expect(messageText(observer.doc, threadId)).toBe('The cover is too dark');

    // A reply of one's own, and an edit of one's own message, go through.
    const bob = await attempt(fb.commentToken, mallory, (d) =>
      messagesOf(d, threadId)!.push([newMessage('Agreed, lighter please', mallory, 'Bob')]),
    );
    await waitFor(() => messagesOf(observer.doc, threadId)?.length === 2, 'Bob’s own reply');
    messagesOf(author.doc, threadId)!.get(0).set(MESSAGE.text, 'The cover is much too dark');
    await waitFor(
      () => messageText(observer.doc, threadId) === 'The cover is much too dark',
      'Alice edits her own message',
    );
    // Bob's connection still works after Alice's edit reached it.
    await waitFor(() => messageText(bob.doc, threadId) === 'The cover is much too dark', 'at Bob');

    // An approver deletes Alice's message (the thread keeps its place).
    const approver = await attempt(fb.approveToken, 'methodologist-key', (d) => {
      const m = messagesOf(d, threadId)!.get(0);
      d.transact(() => {
        m.set(MESSAGE.deleted, true);
        m.set(MESSAGE.text, '');
      });
    });
    await waitFor(
      () => messagesOf(observer.doc, threadId)?.get(0)?.get(MESSAGE.deleted) === true,
      'approver deletes',
    );
    expect(messageText(observer.doc, threadId)).toBe('');
    // …but cannot put words in it.
    messagesOf(approver.doc, threadId)!.get(1).set(MESSAGE.text, 'Rewritten by the approver');
    expect(await closedEvent(approver.provider)).toMatchObject({ code: CLOSE.FORBIDDEN_CHANGE });
    expect(messageText(observer.doc, threadId, 1)).toBe('Agreed, lighter please');
  });

  it('refuses an author key over 256 characters', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const client = h.connect(server.url, fb.id, fb.commentToken, new Y.Doc(), {
      author: 'k'.repeat(257),
    });
    expect(await closedEvent(client.provider)).toMatchObject({ code: CLOSE.BAD_REQUEST });
    const fine = await h.connectSynced(server.url, fb.id, fb.commentToken, {
      author: 'k'.repeat(256),
    });
    expect(fine.provider.wsconnected).toBe(true);
  });
});

describe('post statuses', () => {
  it('an edit token cannot approve: HTTP 403, and a forged status update is refused (4403) while other clients keep working; an approve token can, writing the digest and a version', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const other = await h.connectSynced(server.url, fb.id, fb.editToken);
    const { postId, slideId } = firstPost(editor.doc);

    const refused = await putStatus(server, fb, postId, fb.editToken, { status: 'approved', by });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/approve/);

    // The forged update: the honest app never writes the status itself.
    const forger = await h.connectSynced(server.url, fb.id, fb.editToken);
    const closed = closedEvent(forger.provider);
    forger.doc.transact(() => {
      const post = postsMap(forger.doc).get(postId)!;
      post.set(POST.status, 'approved');
      post.set(POST.approvedDigest, postDigest(forger.doc, postId)!);
    });
    expect(await closed).toMatchObject({ code: CLOSE.FORBIDDEN_CHANGE });
    // Deleting the field is refused the same way.
    const deleter = await h.connectSynced(server.url, fb.id, fb.editToken);
    const deleterClosed = closedEvent(deleter.provider);
    postsMap(deleter.doc).get(postId)!.delete(POST.status);
    expect(await deleterClosed).toMatchObject({ code: CLOSE.FORBIDDEN_CHANGE });

    // The other editors go on.
    titleText(editor.doc).insert(0, 'Still ');
    await waitFor(() => title(other.doc).startsWith('Still '), 'editors keep syncing');
    expect(postsMap(other.doc).get(postId)?.get(POST.status)).toBe('draft');

    // A new post may be created as a draft (that is what addPost writes).
    const fresh = new Y.Map<unknown>();
    fresh.set(POST.order, 'b');
    fresh.set(POST.status, 'draft');
    const newPostId = uniqueId('post');
    postsMap(editor.doc).set(newPostId, fresh as never);
    await waitFor(() => postsMap(other.doc).has(newPostId), 'new draft post');

    // The approver approves.
    const res = await putStatus(server, fb, postId, fb.approveToken, { status: 'approved', by });
    expect(res.status).toBe(200);
    const change = (await res.json()) as StatusChange;
    expect(change).toMatchObject({ postId, from: 'draft', to: 'approved', role: 'approve', by });
    await waitFor(
      () => postsMap(other.doc).get(postId)?.get(POST.status) === 'approved',
      'approval reaches the editors',
    );
    const post = postsMap(other.doc).get(postId)!;
    expect(post.get(POST.approvedDigest)).toBe(postDigest(other.doc, postId));
    expect(post.get(POST.approvedVersion)).toBe(change.versionId);
    expect(post.get(POST.statusByName)).toBe(by.name);
    expect(post.get(POST.statusByLibrary)).toBe(by.library);
    expect(post.get(POST.statusRole)).toBe('approve');
    expect(post.get(POST.statusAt)).toBe(change.at);
    expect(changedSinceApproval(other.doc, postId)).toBe(false);

    const versions = (await (
      await fetch(`${server.url}/api/flashbooks/${fb.id}/versions`, {
        headers: { authorization: `Bearer ${fb.editToken}` },
      })
    ).json()) as { id: string; reason: string }[];
    expect(versions.find((v) => v.id === change.versionId)?.reason).toBe('approval');

    // An edit to the approved post's slide makes it "changed since approval" for everyone.
    const slide = asMap(slidesMap(editor.doc).get(slideId))!;
    const field = [...slide.keys()].find((k) => slide.get(k) instanceof Y.Text)!;
    (slide.get(field) as Y.Text).insert(0, 'Edited ');
    await waitFor(() => changedSinceApproval(other.doc, postId), 'changed since approval');

    // An editor cannot move an approved post; the approver sends it back with a note.
    expect(
      (await putStatus(server, fb, postId, fb.editToken, { status: 'review', by })).status,
    ).toBe(403);
    const back = await putStatus(server, fb, postId, fb.approveToken, {
      status: 'draft',
      note: 'Check the year of the edition',
      by,
    });
    expect(back.status).toBe(200);
    await waitFor(() => postsMap(other.doc).get(postId)?.get(POST.status) === 'draft', 'sent back');
    expect(postsMap(other.doc).get(postId)?.get(POST.statusNote)).toBe(
      'Check the year of the edition',
    );
    expect(postsMap(other.doc).get(postId)?.has(POST.approvedDigest)).toBe(false);

    // Stored: a restart keeps it.
    const stored = await afterRestart(server, fb);
    expect(postsMap(stored).get(postId)?.get(POST.status)).toBe('draft');
  });

  it('undoing the deletion of an approved post brings it back as a draft, and the editor stays connected', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const other = await h.connectSynced(server.url, fb.id, fb.editToken);
    const { postId } = firstPost(editor.doc);
    expect(
      (await putStatus(server, fb, postId, fb.approveToken, { status: 'approved', by })).status,
    ).toBe(200);
    await waitFor(
      () => postsMap(editor.doc).get(postId)?.get(POST.status) === 'approved',
      'approved at the editor',
    );
    const undo = new SessionUndoManager(editor.doc);
    deletePost(editor.doc, postId);
    await waitFor(() => !postsMap(other.doc).has(postId), 'deleted');
    undo.stopCapturing();
    // Yjs brings the post back with every field it had, the server's among them.
    undo.undo();
    expect(postsMap(editor.doc).get(postId)?.get(POST.status)).toBe('approved');
    await waitFor(
      () =>
        postsMap(other.doc).get(postId)?.get(POST.status) === 'draft' &&
        postsMap(editor.doc).get(postId)?.get(POST.status) === 'draft',
      'back as a draft everywhere',
    );
    expect(postsMap(other.doc).get(postId)?.has(POST.approvedDigest)).toBe(false);
    expect(postsMap(other.doc).get(postId)?.has(POST.statusByName)).toBe(false);
    expect(editor.provider.wsconnected).toBe(true);
    titleText(editor.doc).insert(0, 'After undo: ');
    await waitFor(() => title(other.doc).startsWith('After undo: '), 'editor still edits');
    undo.destroy();
  });

  it('edit moves posts between draft and review; bad requests get clear 400s; unknown posts 404', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const { postId } = firstPost(editor.doc);

    const ok = await putStatus(server, fb, postId, fb.editToken, { status: 'review', by });
    expect(ok.status).toBe(200);
    // Stored and forwarded before the answer: the editor already has it or gets it now.
    await waitFor(() => postsMap(editor.doc).get(postId)?.get(POST.status) === 'review', 'review');
    expect(
      (await putStatus(server, fb, postId, fb.editToken, { status: 'draft', by })).status,
    ).toBe(200);

    const bad: [unknown, RegExp][] = [
      [{ status: 'published', by }, /status must be/],
      [{ status: 'review' }, /by must be/],
      [{ status: 'review', by: { name: '', library: 'x' } }, /by\.name/],
      [{ status: 'review', by, note: 'x'.repeat(2001) }, /note must be at most 2000/],
      [{ status: 'review', by, note: 5 }, /note must be a string/],
      [{ status: 'review', by, extra: true }, /unknown field: extra/],
      [[1, 2], /JSON object/],
    ];
    for (const [body, message] of bad) {
      const res = await putStatus(server, fb, postId, fb.editToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    const missing = await putStatus(server, fb, 'NoSuchPost123', fb.editToken, {
      status: 'review',
      by,
    } satisfies PostStatusRequest);
    expect(missing.status).toBe(404);
    expect(postsMap(editor.doc).get(postId)?.get(POST.status)).toBe('draft');
  });

  it('the activity lists status changes, newest first, with who, when, role and note', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const { postId } = firstPost(editor.doc);
    const librarian = { name: 'Dana', library: 'Village library, Akkol' };
    const steps: [string, PostStatusRequest][] = [
      [fb.editToken, { status: 'review', by: librarian }],
      [fb.approveToken, { status: 'draft', note: 'Add the call number', by }],
      [fb.editToken, { status: 'review', by: librarian }],
      [fb.approveToken, { status: 'approved', by }],
    ];
    const answers: StatusChange[] = [];
    for (const [token, body] of steps) {
      const res = await putStatus(server, fb, postId, token, body);
      expect(res.status).toBe(200);
      answers.push((await res.json()) as StatusChange);
    }
    for (const token of [fb.viewToken, fb.commentToken, fb.editToken, fb.approveToken]) {
      const res = await fetch(`${server.url}${activityPath(fb.id)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const { changes } = (await res.json()) as Activity;
      expect(changes).toEqual([...answers].reverse());
    }
    const [approval, , sentBack] = [...answers].reverse();
    expect(approval).toMatchObject({ from: 'review', to: 'approved', role: 'approve', by });
    expect(approval?.versionId).toBeDefined();
    expect(sentBack).toMatchObject({ to: 'draft', note: 'Add the call number', role: 'approve' });
    expect(answers[0]).toMatchObject({ from: 'draft', to: 'review', role: 'edit', by: librarian });
    expect(answers.map((a) => a.at)).toEqual([...answers.map((a) => a.at)].sort((a, b) => a - b));
    const none = await fetch(`${server.url}${activityPath(fb.id)}`);
    expect(none.status).toBe(401);
    // Survives a restart.
    await server.close();
    const restarted = await h.start({ dataDir: server.dataDir });
    const again = (await (
      await fetch(`${restarted.url}${activityPath(fb.id)}`, {
        headers: { authorization: `Bearer ${fb.viewToken}` },
      })
    ).json()) as Activity;
    expect(again.changes).toHaveLength(4);
  });

  it('the exhibition publishes approved posts by default, once any post is approved', async () => {
    const server = await h.start();
    const res = await fetch(`${server.url}/api/flashbooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'demo' }),
    });
    const fb = (await res.json()) as CreatedFlashbook;
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const postIds = [...postsMap(editor.doc).keys()];
    expect(postIds.length).toBeGreaterThan(1);
    const publish = () =>
      fetch(`${server.url}/api/flashbooks/${fb.id}/exhibition`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fb.editToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
    const state = async () =>
      (await (
        await fetch(`${server.url}/api/flashbooks/${fb.id}/exhibition`, {
          headers: { authorization: `Bearer ${fb.editToken}` },
        })
      ).json()) as { posts?: string[] | null };
    expect((await publish()).status).toBe(200);
    // Nothing approved yet: every post.
    expect((await state()).posts ?? null).toBeNull();
    const approved = postIds[1]!;
    expect(
      (await putStatus(server, fb, approved, fb.approveToken, { status: 'approved', by })).status,
    ).toBe(200);
    expect((await publish()).status).toBe(200);
    expect((await state()).posts).toEqual([approved]);
  });
});

describe('roles × endpoints', () => {
  it('each role gets what the roles table says from every endpoint; a replaced token gets 410 / 4410 everywhere, also on reconnecting', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const { postId } = firstPost(editor.doc);
    const png = (await import('../helpers/png.ts')).makePng(4, 4, 7);

    const endpoints: Record<string, (token: string) => Promise<number>> = {
      access: async (t) =>
        (await fetch(`${server.url}/api/flashbooks/${fb.id}/access`, auth(t))).status,
      upload: async (t) =>
        (
          await fetch(`${server.url}/api/flashbooks/${fb.id}/assets`, {
            method: 'POST',
            headers: { ...auth(t).headers, 'content-type': 'image/png' },
            body: new Uint8Array(png),
          })
        ).status,
      versions: async (t) =>
        (await fetch(`${server.url}/api/flashbooks/${fb.id}/versions`, auth(t))).status,
      exhibition: async (t) =>
        (await fetch(`${server.url}/api/flashbooks/${fb.id}/exhibition`, auth(t))).status,
      publish: async (t) =>
        (
          await fetch(`${server.url}/api/flashbooks/${fb.id}/exhibition`, {
            method: 'POST',
            ...auth(t),
          })
        ).status,
      activity: async (t) => (await fetch(`${server.url}${activityPath(fb.id)}`, auth(t))).status,
      review: async (t) =>
        (await putStatus(server, fb, postId, t, { status: 'review', by })).status,
      draft: async (t) => (await putStatus(server, fb, postId, t, { status: 'draft', by })).status,
      approve: async (t) =>
        (await putStatus(server, fb, postId, t, { status: 'approved', by })).status,
    };
    // approve last in each row: it leaves the post approved, which an editor may not touch.
    const expected: Record<string, Record<string, number>> = {
      view: { access: 200, upload: 403, versions: 403, exhibition: 200, publish: 403 },
      comment: { access: 200, upload: 403, versions: 403, exhibition: 200, publish: 403 },
      edit: { access: 200, upload: 201, versions: 200, exhibition: 200, publish: 200 },
      approve: { access: 200, upload: 201, versions: 200, exhibition: 200, publish: 200 },
    };
    const review = { view: 403, comment: 403, edit: 200, approve: 200 } as const;
    const tokens = {
      view: fb.viewToken,
      comment: fb.commentToken,
      edit: fb.editToken,
      approve: fb.approveToken,
    };
    for (const role of ['view', 'comment', 'edit', 'approve'] as const) {
      const got: Record<string, number> = {};
      for (const [name, call] of Object.entries(endpoints)) got[name] = await call(tokens[role]);
      expect(got, role).toEqual({
        ...expected[role],
        activity: 200,
        review: review[role],
        draft: review[role],
        approve: role === 'approve' ? 200 : 403,
      });
      if (role === 'approve') {
        // Back to draft for the rows after (none): keep the post as the table assumes.
        await putStatus(server, fb, postId, tokens.approve, { status: 'draft', by });
      }
    }

    // Sync: what each role's change to the title does.
    const writes: Record<string, boolean> = {};
    const observer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    for (const role of ['view', 'comment', 'edit', 'approve'] as const) {
      const client = await h.connectSynced(server.url, fb.id, tokens[role]);
      const marker = `${role}:`;
      titleText(client.doc).insert(0, marker);
      await handled(client, observer);
      writes[role] = title(observer.doc).includes(marker);
    }
    expect(writes).toEqual({ view: false, comment: false, edit: true, approve: true });

    // Replace every link (the approve link last, with the approve token), keeping the old ones.
    const open = await h.connectSynced(server.url, fb.id, fb.commentToken);
    const openClosed = closedEvent(open.provider);
    let approver = fb.approveToken;
    const old = { ...tokens };
    for (const role of ['view', 'comment', 'edit', 'approve'] as const) {
      const res = await fetch(`${server.url}/api/flashbooks/${fb.id}/tokens/${role}`, {
        method: 'POST',
        ...auth(approver),
      });
      expect(res.status).toBe(200);
      if (role === 'approve') approver = ((await res.json()) as { token: string }).token;
    }
    expect(await openClosed).toMatchObject({ code: CLOSE.LINK_REPLACED });
    for (const role of ['view', 'comment', 'edit', 'approve'] as const) {
      const got: Record<string, number> = {};
      for (const [name, call] of Object.entries(endpoints)) got[name] = await call(old[role]);
      expect(
        Object.values(got).every((s) => s === 410),
        `${role}: ${JSON.stringify(got)}`,
      ).toBe(true);
      const again = h.connect(server.url, fb.id, old[role]);
      expect(await closedEvent(again.provider), role).toMatchObject({ code: CLOSE.LINK_REPLACED });
    }
    // The new approve link works everywhere.
    expect(await endpoints['activity']!(approver)).toBe(200);
    const newApprover = h.connect(server.url, fb.id, approver);
    await synced(newApprover.provider);
  });
});

function auth(token: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}` } };
}
