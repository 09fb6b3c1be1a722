import { describe, expect, it } from 'vitest';
import { generateNKeysBetween } from 'fractional-indexing';
import { compareOrdered, isValidKey, placeAt, sortOrdered, type Ordered } from './order.ts';

/** A tiny seeded PRNG (mulberry32), so a failing property case can be replayed from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const item = (id: string, order: string): Ordered => ({ id, order });
const ids = (list: readonly Ordered[]) => list.map((o) => o.id);

/**
 * What every client does with a placement: write the new key and the re-keys, then sort. Returns
 * the resulting order of ids, with the new item called `NEW`.
 */
function place(sorted: readonly Ordered[], index: number, newId = 'NEW') {
  const { key, rekeys } = placeAt(sorted, index);
  const byId = new Map(sorted.map((o) => [o.id, o.order]));
  for (const r of rekeys) {
    expect(byId.has(r.id), `re-key of an unknown id ${r.id}`).toBe(true);
    byId.set(r.id, r.order);
  }
  expect(new Set(rekeys.map((r) => r.id)).size).toBe(rekeys.length);
  const after = sortOrdered([...[...byId].map(([id, order]) => item(id, order)), item(newId, key)]);
  return { key, rekeys, after, order: ids(after) };
}

/** Checks the placement promise: NEW lands at the clamped index; everyone else keeps their order. */
function expectPlaced(sorted: readonly Ordered[], index: number) {
  const result = place(sorted, index);
  const at = Math.max(0, Math.min(Math.trunc(index), sorted.length));
  expect(result.order.indexOf('NEW')).toBe(at);
  expect(result.order.filter((id) => id !== 'NEW')).toEqual(ids(sorted));
  expect(isValidKey(result.key)).toBe(true);
  return result;
}

describe('compareOrdered / sortOrdered', () => {
  it.each([
    ['smaller key first', item('z', 'a0'), item('a', 'a1'), -1],
    ['larger key last', item('a', 'a1'), item('z', 'a0'), 1],
    ['equal keys: smaller id first', item('x1', 'a0'), item('x2', 'a0'), -1],
    ['equal keys: larger id last', item('x2', 'a0'), item('x1', 'a0'), 1],
    ['same key and id are equal', item('x', 'a0'), item('x', 'a0'), 0],
    ['a prefix key sorts first', item('b', 'a0'), item('a', 'a0V'), -1],
    // Code units: "Z" (0x5A) < "a" (0x61); a locale compare would put "a0" first.
    ['code-unit compare of keys: "Zz" < "a0"', item('a', 'Zz'), item('b', 'a0'), -1],
    ['code-unit compare of keys: "a0V" < "a0v"', item('b', 'a0V'), item('a', 'a0v'), -1],
    ['code-unit compare of ids: "B" < "a"', item('B', 'a0'), item('a', 'a0'), -1],
    ['empty key sorts after a valid one', item('a', ''), item('z', 'a1'), 1],
    ['broken key (trailing zero) sorts last', item('a', 'a10'), item('z', 'a1'), 1],
    ['broken key (bad head) sorts last', item('a', '!x'), item('z', 'a0'), 1],
    ['broken key (too short) sorts last', item('a', 'b0'), item('z', 'a0'), 1],
    ['broken key (not base 62) sorts last', item('a', 'a0 '), item('z', 'a1'), 1],
    ['broken key (Cyrillic) sorts last', item('a', 'a0ә'), item('z', 'a1'), 1],
    ['a non-string key sorts last', item('a', 42 as unknown as string), item('z', 'a1'), 1],
    ['two broken keys compare by key', item('z', 'aa0'), item('a', 'ab0'), -1],
    ['two broken equal keys compare by id', item('a', ''), item('b', ''), -1],
  ])('%s', (_name, a, b, expected) => {
    expect(Math.sign(compareOrdered(a, b))).toBe(expected);
    expect(Math.sign(compareOrdered(b, a))).toBe(-expected || 0);
  });

  it('sorts the same whatever the input order, and leaves the input alone', () => {
    const list = [
      item('c', 'a1'),
      item('b', ''),
      item('a', 'a1'),
      item('d', 'Zz'),
      item('e', 'a0V'),
      item('f', 'a10'),
    ];
    const expected = ['d', 'e', 'a', 'c', 'b', 'f'];
    const rnd = mulberry32(7);
    for (let n = 0; n < 20; n++) {
      const shuffled = [...list].sort(() => rnd() - 0.5);
      const copy = [...shuffled];
      expect(ids(sortOrdered(shuffled))).toEqual(expected);
      expect(shuffled).toEqual(copy);
    }
  });
});

describe('placeAt', () => {
  const [k0, k1, k2, k3] = generateNKeysBetween(null, null, 4) as [string, string, string, string];
  const abc = [item('A', k0), item('B', k1), item('C', k2)];

  it.each([
    ['into an empty list', [], 0, 0],
    ['at the start', abc, 0, 0],
    ['in the middle', abc, 1, 0],
    ['between the last two', abc, 2, 0],
    ['at the end', abc, 3, 0],
    ['a negative index clamps to the start', abc, -5, 0],
    ['an index past the end clamps to the end', abc, 99, 0],
    ['Infinity clamps to the end', abc, Infinity, 0],
    ['a fractional index rounds down', abc, 1.7, 0],
  ])('%s', (_name, list, index, rekeyCount) => {
    const { rekeys } = expectPlaced(list, index);
    // The usual case touches nobody else: no extra writes, no conflicts with concurrent moves.
    expect(rekeys).toHaveLength(rekeyCount);
  });

  it('does not throw on NaN (places at the end)', () => {
    const { order } = place(abc, NaN);
    expect(order).toEqual(['A', 'B', 'C', 'NEW']);
  });

  // Two clients inserting at the same place at once pick the same key; the id breaks the tie.
  const tied = (n: number, key = k1) => Array.from({ length: n }, (_, i) => item(`T${i}`, key));
  const withTies = (n: number) => [item('A', k0), ...tied(n), item('Z', k3)];

  it.each([
    ['between two equal keys', withTies(2), 2],
    ['before a pair of equal keys', withTies(2), 1],
    ['after a pair of equal keys', withTies(2), 3],
    ['inside a run of three equal keys', withTies(3), 2],
    ['inside a run of three, second gap', withTies(3), 3],
    ['inside a run of five equal keys', withTies(5), 4],
    ['in a list made only of equal keys', tied(4), 2],
    ['at the start of a list of equal keys', tied(3), 0],
    ['at the end of a list of equal keys', tied(3), 3],
  ])('%s: lands exactly at the index', (_name, list, index) => {
    expectPlaced(sortOrdered(list), index);
  });

  it('re-keys equal neighbours only when it must', () => {
    // Between A and the run there is room: nobody else is touched.
    expect(placeAt(withTies(3), 1).rekeys).toEqual([]);
    // Inside the run there is no room: the run is spread out.
    expect(placeAt(withTies(3), 2).rekeys.length).toBeGreaterThan(0);
  });

  it.each([
    ['after an empty key', [item('A', k0), item('B', '')], 2],
    ['before an empty key', [item('A', k0), item('B', '')], 1],
    ['between two broken keys', [item('A', k0), item('B', 'a10'), item('C', '#')], 2],
    ['into a list of broken keys only', [item('A', ''), item('B', 'x'), item('C', '%%')], 1],
    ['at the start of broken keys', [item('A', ''), item('B', 'x')], 0],
    ['before a key that is not base 62', [item('A', 'a0'), item('B', 'a0!')], 1],
    ['between keys that are not base 62', [item('A', 'a0'), item('B', 'a0!'), item('C', 'a0~')], 2],
    ['after a key with a Cyrillic letter', [item('A', 'a0'), item('B', 'a0ж')], 2],
    ['before a key with a bad integer part', [item('A', 'a0'), item('B', 'a!')], 1],
  ])('broken keys %s: lands exactly at the index', (_name, list, index) => {
    expectPlaced(sortOrdered(list), index);
  });

  it('keeps order through 200 insertions at the same spot', () => {
    let list: Ordered[] = [item('first', k0), item('last', k1)];
    for (let n = 0; n < 200; n++) {
      const { after, order } = place(list, 1, `N${String(n).padStart(3, '0')}`);
      expect(order[1]).toBe(`N${String(n).padStart(3, '0')}`);
      list = after;
    }
    expect(list[0]?.id).toBe('first');
    expect(list[201]?.id).toBe('last');
    // Each new item went in front of the previous ones.
    expect(ids(list.slice(1, 201))).toEqual(
      Array.from({ length: 200 }, (_, n) => `N${String(199 - n).padStart(3, '0')}`),
    );
  });

  it('keeps order through 200 insertions each right after the previous one (typing order)', () => {
    let list: Ordered[] = [item('first', k0), item('last', k1)];
    for (let n = 0; n < 200; n++) {
      list = place(list, n + 1, `N${String(n).padStart(3, '0')}`).after;
    }
    expect(ids(list)).toEqual([
      'first',
      ...Array.from({ length: 200 }, (_, n) => `N${String(n).padStart(3, '0')}`),
      'last',
    ]);
    expect(list.every((o) => isValidKey(o.order))).toBe(true);
  });

  it('property: random lists with ties and broken keys, any index', () => {
    const pool = generateNKeysBetween(null, null, 4);
    const broken = ['', 'a10', '!', 'a0 ', 'zz'];
    for (let seed = 1; seed <= 500; seed++) {
      const rnd = mulberry32(seed);
      const n = Math.floor(rnd() * 9);
      const list: Ordered[] = [];
      for (let i = 0; i < n; i++) {
        const r = rnd();
        const order =
          r < 0.1
            ? (broken[Math.floor(rnd() * broken.length)] as string)
            : (pool[Math.floor(rnd() * pool.length)] as string);
        list.push(item(`id${Math.floor(rnd() * 1e6)}-${i}`, order));
      }
      const index = Math.floor(rnd() * (n + 3)) - 1;
      // A failure names its seed, so it can be replayed and kept as a regression case.
      try {
        expectPlaced(sortOrdered(list), index);
      } catch (e) {
        throw new Error(`seed ${seed}: ${JSON.stringify({ list, index })}\n${String(e)}`);
      }
    }
  });
});
