import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { postsMap } from './access.ts';
import { FlashbookReader, readFlashbook } from './read.ts';
import { addPost, addSlide, editText, moveSlide, seedFlashbook } from './flashbook.ts';
import { postDigest } from './review.ts';
import { SERVER } from './origins.ts';
import { POST } from './schema.ts';

/** What the server writes when it accepts a status change (docs/document-schema.md). */
function serverSets(doc: Y.Doc, postId: string, status: 'draft' | 'review' | 'approved') {
  doc.transact(() => {
    const post = postsMap(doc).get(postId) as Y.Map<unknown>;
    post.set(POST.status, status);
    post.set(POST.statusByName, 'Gulnar Omarova');
    post.set(POST.statusByLibrary, 'Regional Library');
    post.set(POST.statusRole, status === 'approved' ? 'approve' : 'edit');
    post.set(POST.statusAt, 1_700_000_000_000);
    post.set(POST.statusNote, status === 'draft' ? 'Check the year' : '');
    if (status === 'approved') post.set(POST.approvedDigest, postDigest(doc, postId) ?? '');
  }, SERVER);
}

function twoPosts(): { doc: Y.Doc; first: string; second: string } {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Абай' });
  const first = readFlashbook(doc).posts[0]?.id;
  if (!first) throw new Error('the seed has a post');
  const second = addPost(doc, { library: 'Talgar' }).postId;
  return { doc, first, second };
}

describe('reading the review fields of a post', () => {
  it('reads status, who, when and note as the server wrote them', () => {
    const { doc, first } = twoPosts();
    expect(readFlashbook(doc).posts[0]).toMatchObject({
      status: 'draft',
      statusBy: { name: '', library: '' },
      statusAt: 0,
      changedSinceApproval: false,
    });
    serverSets(doc, first, 'draft');
    expect(readFlashbook(doc).posts[0]).toMatchObject({
      statusBy: { name: 'Gulnar Omarova', library: 'Regional Library' },
      statusRole: 'edit',
      statusAt: 1_700_000_000_000,
      statusNote: 'Check the year',
    });
  });

  it('marks an approved post changed after a caption or slide edit, in a reader that caches', () => {
    const { doc, first, second } = twoPosts();
    const reader = new FlashbookReader(doc);
    serverSets(doc, first, 'approved');
    serverSets(doc, second, 'approved');
    const changed = () => reader.read().posts.map((p) => p.changedSinceApproval);
    expect(changed()).toEqual([false, false, ...changed().slice(2)]);

    editText(doc, { kind: 'caption', postId: first }, 'Жаңа мәтін');
    expect(changed().slice(0, 2)).toEqual([true, false]);

    // Approving again clears it.
    serverSets(doc, first, 'approved');
    expect(changed().slice(0, 2)).toEqual([false, false]);

    // A slide of the second post edited, then one moved from the second into the first.
    const slideId = reader.read().posts[1]?.slides[0]?.id ?? '';
    editText(doc, { kind: 'slide', slideId, field: 'title' }, 'Қара сөздер');
    expect(changed().slice(0, 2)).toEqual([false, true]);
    serverSets(doc, second, 'approved');
    expect(changed().slice(0, 2)).toEqual([false, false]);
    moveSlide(doc, slideId, { postId: first, index: 0 });
    expect(changed().slice(0, 2)).toEqual([true, true]);

    // A new slide in an approved post changes it too; the uncached reading agrees throughout.
    serverSets(doc, first, 'approved');
    serverSets(doc, second, 'approved');
    addSlide(doc, second, { layout: 'book', library: 'Talgar' });
    expect(changed().slice(0, 2)).toEqual([false, true]);
    expect(readFlashbook(doc).posts.map((p) => p.changedSinceApproval)).toEqual(changed());
    reader.destroy();
  });
});
