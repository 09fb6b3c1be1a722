import type * as Y from 'yjs';
import { addPost, addSlide, type NewSlide } from './flashbook.ts';
import { IMPORT, type Origin } from './origins.ts';

/** One post to create by an import: the library that prepared it and its slides, in order. */
export interface ImportPost {
  library: string;
  slides: NewSlide[];
}

/**
 * Appends posts of slides (an imported book list) after the existing posts, all in ONE transaction
 * with origin IMPORT: the importing user undoes it as one step, and everyone else receives it as
 * one update, so nobody sees a half-made import.
 *
 * Built from the ordinary commands (nested transactions join this one), so an imported post is
 * exactly what `addPost`/`addSlide` make.
 */
export function importPosts(
  doc: Y.Doc,
  posts: readonly ImportPost[],
  origin: Origin = IMPORT,
): { postIds: string[]; slideIds: string[] } {
  const postIds: string[] = [];
  const slideIds: string[] = [];
  const nonEmpty = posts.filter((p) => p.slides.length > 0);
  if (nonEmpty.length === 0) return { postIds, slideIds };
  doc.transact(() => {
    for (const post of nonEmpty) {
      const [first, ...rest] = post.slides;
      const { postId, slideId } = addPost(doc, { library: post.library, layout: 'book', first });
      postIds.push(postId);
      slideIds.push(slideId);
      let after = slideId;
      for (const slide of rest) {
        after = addSlide(doc, postId, { ...slide, afterSlideId: after });
        slideIds.push(after);
      }
    }
  }, origin);
  return { postIds, slideIds };
}
