/**
 * Where a dragged thumbnail lands in the sidebar, as a pure function of the posts' order and of
 * what it was dropped on (the table in dropTarget.test.ts). dnd-kit reports the drop; this decides
 * the move; the model's moveSlide/movePost carry it out.
 */

export interface PostSlides {
  id: string;
  slides: readonly { id: string }[];
}

/** What is dragged: a slide (with its post) or a post (by its handle). */
export type Dragged = { type: 'slide'; id: string; postId: string } | { type: 'post'; id: string };

/**
 * What it was dropped on: a slide thumbnail, a post's header, or a post's slide list (`postId`
 * without `type`). `below`: the dragged item's middle is below the middle of the target.
 */
export interface DropOn {
  id: string;
  type?: 'slide' | 'post';
  postId?: string;
  below: boolean;
}

export type Move =
  | { kind: 'post'; postId: string; index: number }
  | { kind: 'slide'; slideId: string; postId: string; index: number };

/** The move a drop asks for, or null for a drop that changes nothing. Indexes count without the dragged item. */
export function dropTarget(
  posts: readonly PostSlides[],
  dragged: Dragged,
  on: DropOn | null,
): Move | null {
  if (!on || on.id === dragged.id) return null;
  if (dragged.type === 'post') {
    const targetPostId = on.type === 'post' ? on.id : on.postId;
    const index = posts.findIndex((p) => p.id === targetPostId);
    return index >= 0 ? { kind: 'post', postId: dragged.id, index } : null;
  }
  if (on.type === 'slide') {
    const post = posts.find((p) => p.id === on.postId);
    if (!post) return null;
    const overIndex = post.slides.findIndex((s) => s.id === on.id);
    // Same post: the slide takes the place of the one it was dropped on. Another post: before or
    // after that slide, whichever half it was dropped on.
    const index = dragged.postId === post.id ? overIndex : overIndex + (on.below ? 1 : 0);
    return { kind: 'slide', slideId: dragged.id, postId: post.id, index };
  }
  // Dropped on a post's header or on its slide list: the end of that post.
  const postId = on.type === 'post' ? on.id : on.postId;
  const post = posts.find((p) => p.id === postId);
  if (!post) return null;
  const others = post.slides.filter((s) => s.id !== dragged.id);
  return { kind: 'slide', slideId: dragged.id, postId: post.id, index: others.length };
}
