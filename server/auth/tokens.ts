import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../src/protocol/roles.ts';

/**
 * Capability tokens (links.ts keeps them per scope and role): whoever holds a flashbook's edit
 * token may edit it, the view token only reads. Links carry them in the URL fragment, which
 * browsers never send to servers or proxies.
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
