import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/** Anything kept in order by a fractional key. */
export interface Ordered {
  readonly id: string;
  readonly order: string;
}

/**
 * Sorts by order key, then by id. Keys compare by code unit (not locale), so every client sorts the
 * same way; two clients inserting at the same place at once may pick equal keys, and the id decides.
 */
export function compareOrdered(a: Ordered, b: Ordered): number {
  const va = isValidKey(a.order);
  const vb = isValidKey(b.order);
  if (va !== vb) return va ? -1 : 1;
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

export function sortOrdered<T extends Ordered>(items: readonly T[]): T[] {
  return [...items].sort(compareOrdered);
}

const BASE_62 = /^[0-9A-Za-z]+$/;

/** A key that is valid for fractional-indexing; anything else (a foreign or broken value) sorts last. */
export function isValidKey(key: unknown): key is string {
  // fractional-indexing validates only the head, the length and trailing zeros: a key with other
  // characters ("a0 ", "a0ж", "a!") passes it, yet keys generated next to it may not sort next to
  // it, so an item placed there would land somewhere else. Only base-62 digits are valid.
  if (typeof key !== 'string' || !BASE_62.test(key)) return false;
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

export interface Placement {
  /** The order key for the item being placed. */
  key: string;
  /**
   * New keys for neighbours that had to be spread apart because they shared a key (or had a broken
   * one); empty in the usual case.
   */
  rekeys: { id: string; order: string }[];
}

/**
 * The order key that puts an item at `index` in `sorted` (the list without the item itself).
 * Equal neighbouring keys (from concurrent inserts) leave no room between them, and a broken key
 * gives no bound, so such neighbours are given fresh keys together with the new item.
 */
export function placeAt(sorted: readonly Ordered[], index: number): Placement {
  const n = sorted.length;
  // A fractional index (from a drag computation) or NaN would read sorted[1.5] and throw.
  const i = Number.isNaN(index) ? n : Math.max(0, Math.min(Math.floor(index), n));
  let start = i;
  let end = i; // the window sorted[start..end) is re-keyed along with the new item
  const low = () => (start > 0 ? (sorted[start - 1] as Ordered).order : null);
  const high = () => (end < n ? (sorted[end] as Ordered).order : null);
  for (;;) {
    const lo = low();
    const hi = high();
    if (hi !== null && !isValidKey(hi)) end++;
    else if (lo !== null && !isValidKey(lo)) start--;
    else if (lo !== null && hi !== null && lo >= hi) {
      start--;
      end++;
    } else break;
  }
  const keys = generateNKeysBetween(low(), high(), end - start + 1);
  const rekeys: { id: string; order: string }[] = [];
  let key = '';
  for (let k = 0; k < keys.length; k++) {
    const pos = start + k;
    const fresh = keys[k] as string;
    if (pos === i) key = fresh;
    else rekeys.push({ id: (sorted[pos < i ? pos : pos - 1] as Ordered).id, order: fresh });
  }
  return { key, rekeys };
}
