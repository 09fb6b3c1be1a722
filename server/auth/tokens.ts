import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../src/protocol/roles.ts';
import type { FlashbookRecord } from '../storage/types.ts';

/**
 * Capability tokens: whoever holds a flashbook's edit token may edit it, the view token only reads.
 * Links carry them in the URL fragment, which browsers never send to servers or proxies.
 */

export type { Role };

/** 32 random bytes (256 bits), base64url: 43 characters safe in URLs and fragments. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(value, 'utf8').digest());
}

/**
 * Compares digests, not the strings themselves: equal lengths make timingSafeEqual applicable,
 * and the time taken reveals nothing about how much of a guess was right.
 */
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function secretsEqual(given: string, expected: string): boolean {
  return digestsEqual(sha256(given), sha256(expected));
}

/** The role a token grants on a flashbook, or undefined when it grants nothing. */
export function roleFor(
  record: FlashbookRecord,
  token: string | undefined | null,
): Role | undefined {
  // Real tokens are 43 characters; refusing absurd input early avoids hashing megabytes.
  if (!token || token.length > 512) return undefined;
  const digest = sha256(token);
  // Both comparisons always run, so timing does not tell which role a near-miss was close to.
  const edit = digestsEqual(digest, record.editTokenHash);
  const view = digestsEqual(digest, sha256(record.viewToken));
  return edit ? 'edit' : view ? 'view' : undefined;
}
