import { describe, expect, it } from 'vitest';
import { shareStructure } from './structural.ts';

describe('shareStructure', () => {
  it('keeps the identity of unchanged parts and replaces changed ones', () => {
    const prev = {
      posts: [
        {
          id: 'a',
          slides: [
            { id: 's1', t: 'x' },
            { id: 's2', t: 'y' },
          ],
        },
      ],
      title: 'T',
    };
    const next = {
      posts: [
        {
          id: 'a',
          slides: [
            { id: 's1', t: 'x' },
            { id: 's2', t: 'z' },
          ],
        },
      ],
      title: 'T',
    };
    const out = shareStructure(prev, next);
    expect(out).toEqual(next);
    expect(out).not.toBe(prev);
    expect(out.posts[0]?.slides[0]).toBe(prev.posts[0]?.slides[0]);
    expect(out.posts[0]?.slides[1]).not.toBe(prev.posts[0]?.slides[1]);
  });

  it('returns the previous object when nothing changed', () => {
    const prev = { a: [1, 2, { b: 'c' }] };
    expect(shareStructure(prev, { a: [1, 2, { b: 'c' }] })).toBe(prev);
  });

  it('notices removed keys and shorter arrays', () => {
    expect(shareStructure({ a: 1, b: 2 } as Record<string, number>, { a: 1 })).toEqual({ a: 1 });
    expect(shareStructure([1, 2, 3], [1, 2])).toEqual([1, 2]);
  });
});
