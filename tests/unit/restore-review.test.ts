import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../server/sync/policy.ts';
import { asMap, postsMap, slidesMap } from '../../src/model/access.ts';
import { addPost, deletePost, readFlashbook, seedFlashbook } from '../../src/model/flashbook.ts';
import { SERVER } from '../../src/model/origins.ts';
import { openVersion, restoreVersion, type RestoreTarget } from '../../src/model/restore.ts';
import { POST, SERVER_OWNED_POST_FIELDS } from '../../src/model/schema.ts';

/** What the status API writes (server/review/http.ts), with origin SERVER. */
function serverSets(doc: Y.Doc, postId: string, status: string, by: string): void {
  doc.transact(() => {
    const post = postsMap(doc).get(postId)!;
    post.set(POST.status, status);
    post.set(POST.statusByName, by);
    post.set(POST.statusAt, 1);
    if (status === 'approved') post.set(POST.approvedDigest, 'digest-' + by);
  }, SERVER);
}

const owned = (doc: Y.Doc, postId: string) => {
  const post = asMap(postsMap(doc).get(postId));
  return Object.fromEntries(SERVER_OWNED_POST_FIELDS.map((f) => [f, post?.get(f)]));
};

/** Restores `target` and returns the one update it made, with the document it applies to. */
function restore(live: Y.Doc, version: Uint8Array, target: RestoreTarget) {
  const before = new Y.Doc();
  Y.applyUpdate(before, Y.encodeStateAsUpdate(live));
  let update: Uint8Array | undefined;
  const capture = (u: Uint8Array) => (update = u);
  live.on('update', capture);
  const snapshot = openVersion(version);
  restoreVersion(live, snapshot.doc, target);
  live.off('update', capture);
  return { before, update };
}

describe('restoring from a version leaves the review state to the server', () => {
  it('a post, a slide or the whole flashbook restored from when it was approved keeps today’s status, and an editor’s connection may send the change', () => {
    const live = new Y.Doc();
    seedFlashbook(live, { title: 'Абай жолы', library: 'Central' });
    const { postId, slideId } = addPost(live, { first: { fields: { title: 'Абай' } } });
    serverSets(live, postId, 'approved', 'Methodologist');
    const version = Y.encodeStateAsUpdate(live);
    // Since then: sent back, and edited.
    serverSets(live, postId, 'draft', 'Methodologist again');
    const slide = asMap(slidesMap(live).get(slideId))!;
    (slide.get('title') as Y.Text).insert(0, 'Өңделді: ');
    const today = owned(live, postId);

    for (const target of [
      { kind: 'post', postId },
      { kind: 'slide', slideId },
      { kind: 'flashbook' },
    ] as RestoreTarget[]) {
      const { before, update } = restore(live, version, target);
      expect(owned(live, postId), target.kind).toEqual(today);
      if (update) {
        const verdict = checkUpdate(before, Y.decodeUpdate(update), { role: 'edit' });
        expect(verdict, target.kind).toEqual({ ok: true });
      }
    }
    expect(readFlashbook(live).posts.find((p) => p.id === postId)).toBeDefined();
  });

  it('a post deleted since comes back as a draft, without the server’s fields, in an update the server accepts', () => {
    const live = new Y.Doc();
    seedFlashbook(live, { title: 'Қыз Жібек', library: 'Central' });
    const { postId } = addPost(live, { first: { fields: { title: 'Қыз Жібек' } } });
    serverSets(live, postId, 'approved', 'Methodologist');
    const version = Y.encodeStateAsUpdate(live);
    deletePost(live, postId);

    const { before, update } = restore(live, version, { kind: 'post', postId });
    expect(update).toBeDefined();
    const back = owned(live, postId);
    expect(back[POST.status]).toBe('draft');
    for (const field of SERVER_OWNED_POST_FIELDS.filter((f) => f !== POST.status)) {
      expect(back[field], field).toBeUndefined();
    }
    expect(checkUpdate(before, Y.decodeUpdate(update!), { role: 'edit' })).toEqual({ ok: true });
  });
});
