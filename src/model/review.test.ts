import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addSlide, seedFlashbook } from './flashbook.ts';
import { postsMap, slidesMap } from './access.ts';
import { authorIdOf, changedSinceApproval, postDigest } from './review.ts';
import { POST, SLIDE } from './schema.ts';
import { SERVER } from './origins.ts';

function fixture(): { doc: Y.Doc; postId: string; slideId: string } {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Жеңіс' }, SERVER);
  const postId = [...postsMap(doc).keys()][0]!;
  const slideId = [...slidesMap(doc).keys()][0]!;
  return { doc, postId, slideId };
}

const titleOf = (doc: Y.Doc, slideId: string) =>
  slidesMap(doc).get(slideId)!.get('title') as Y.Text;

describe('postDigest', () => {
  it('is the same on two replicas with the same content, whatever the order of changes', () => {
    const a = fixture();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    titleOf(a.doc, a.slideId).insert(0, 'А');
    titleOf(b, a.slideId).insert(0, 'Б');
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    expect(postDigest(a.doc, a.postId)).toBe(postDigest(b, a.postId));
  });

  it('changes with the caption, a slide field and a new slide, not with the status fields', () => {
    const { doc, postId, slideId } = fixture();
    const d0 = postDigest(doc, postId)!;
    const post = postsMap(doc).get(postId)!;
    post.set(POST.status, 'approved');
    post.set(POST.statusByName, 'Айгүл');
    post.set(POST.approvedDigest, d0);
    expect(postDigest(doc, postId)).toBe(d0);
    expect(changedSinceApproval(doc, postId)).toBe(false);

    (post.get(POST.caption) as Y.Text).insert(0, '#кітап');
    const d1 = postDigest(doc, postId)!;
    expect(d1).not.toBe(d0);
    expect(changedSinceApproval(doc, postId)).toBe(true);
    (post.get(POST.caption) as Y.Text).delete(0, '#кітап'.length);
    expect(postDigest(doc, postId)).toBe(d0);
    expect(changedSinceApproval(doc, postId)).toBe(false);

    titleOf(doc, slideId).insert(0, 'x');
    expect(postDigest(doc, postId)).not.toBe(d0);
    titleOf(doc, slideId).delete(0, 1);
    slidesMap(doc).get(slideId)!.set(SLIDE.layout, 'quote');
    expect(postDigest(doc, postId)).not.toBe(d0);
    slidesMap(doc).get(slideId)!.set(SLIDE.layout, 'cover');
    expect(postDigest(doc, postId)).toBe(d0);
    addSlide(doc, postId, { layout: 'book' });
    expect(postDigest(doc, postId)).not.toBe(d0);
  });

  it('is undefined for a post that does not exist', () => {
    expect(postDigest(fixture().doc, 'nope')).toBeUndefined();
  });
});

describe('authorIdOf', () => {
  it('is the hex SHA-256 of the key', () => {
    // SHA-256("abc"), the FIPS 180-2 test vector.
    expect(authorIdOf('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
