import { describe, expect, it } from 'vitest';
import { dropTarget, type Dragged, type DropOn, type Move } from './dropTarget.ts';

// Two posts: A with slides a1 a2 a3, B with b1 b2.
const posts = [
  { id: 'A', slides: [{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }] },
  { id: 'B', slides: [{ id: 'b1' }, { id: 'b2' }] },
];
const slide = (id: string, postId: string): Dragged => ({ type: 'slide', id, postId });
const post = (id: string): Dragged => ({ type: 'post', id });
const onSlide = (id: string, postId: string, below = false): DropOn => ({
  id,
  type: 'slide',
  postId,
  below,
});
const onHeader = (id: string): DropOn => ({ id, type: 'post', below: false });
const onList = (postId: string): DropOn => ({ id: `list-${postId}`, postId, below: false });

const table: [string, Dragged, DropOn | null, Move | null][] = [
  ['dropped nowhere', slide('a1', 'A'), null, null],
  ['dropped on itself', slide('a1', 'A'), onSlide('a1', 'A'), null],
  [
    'same post, onto a later slide: takes its place',
    slide('a1', 'A'),
    onSlide('a3', 'A'),
    { kind: 'slide', slideId: 'a1', postId: 'A', index: 2 },
  ],
  [
    'same post, onto an earlier slide: takes its place (the half does not matter)',
    slide('a3', 'A'),
    onSlide('a1', 'A', true),
    { kind: 'slide', slideId: 'a3', postId: 'A', index: 0 },
  ],
  [
    'another post, upper half of a slide: before it',
    slide('a2', 'A'),
    onSlide('b2', 'B'),
    { kind: 'slide', slideId: 'a2', postId: 'B', index: 1 },
  ],
  [
    'another post, lower half of a slide: after it',
    slide('a2', 'A'),
    onSlide('b2', 'B', true),
    { kind: 'slide', slideId: 'a2', postId: 'B', index: 2 },
  ],
  [
    'onto another post’s header: its end',
    slide('a1', 'A'),
    onHeader('B'),
    { kind: 'slide', slideId: 'a1', postId: 'B', index: 2 },
  ],
  [
    'onto its own post’s slide list: its end, counted without itself',
    slide('a1', 'A'),
    onList('A'),
    { kind: 'slide', slideId: 'a1', postId: 'A', index: 2 },
  ],
  ['onto a slide of a post deleted meanwhile', slide('a1', 'A'), onSlide('x1', 'X'), null],
  ['onto the list of a post deleted meanwhile', slide('a1', 'A'), onList('X'), null],
  [
    'a post onto another post’s header: that post’s place',
    post('A'),
    onHeader('B'),
    { kind: 'post', postId: 'A', index: 1 },
  ],
  [
    'a post onto a slide of another post: that post’s place',
    post('B'),
    onSlide('a2', 'A'),
    { kind: 'post', postId: 'B', index: 0 },
  ],
  ['a post onto a post that no longer exists', post('A'), onHeader('X'), null],
];

describe('dropTarget', () => {
  it.each(table)('%s', (_name, dragged, on, expected) => {
    expect(dropTarget(posts, dragged, on)).toEqual(expected);
  });
});
