import { timingSafeEqual } from 'node:crypto';
import { newToken, sha256 } from './tokens.ts';

/**
 * Links: capability tokens over a scope (a flashbook now, a workspace next). Per (scope, scope
 * id, role) there is one current link; issuing a new one marks the previous one replaced, so that
 * its token answers "this link was replaced" rather than "wrong token". Stored as SHA-256 hashes;
 * the token itself is kept in clear only for roles whose holders show it to others again
 * (`CLEAR_ROLES`: view and comment links, which editors and approvers can copy at any time).
 *
 * The store keeps the rows (FlashbookStore: getLinks, replaceLink, addLinkIfNone); everything
 * else (issuing, resolving) is here and store-agnostic.
 */

/** What a link is over. Roles are plain strings, so that each scope has its own. */
export type LinkScope = 'flashbook' | 'workspace';

export interface LinkRecord {
  scope: LinkScope;
  scopeId: string;
  role: string;
  /** SHA-256 of the token (32 bytes). */
  tokenHash: Uint8Array;
  /** The token in clear, only for roles in CLEAR_ROLES. */
  token?: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** When a newer link of the same (scope, scope id, role) replaced it; absent while current. */
  replacedAt?: number;
}

/** Roles whose token is kept in clear (shown again to editors and approvers). */
export const CLEAR_ROLES: readonly string[] = ['view', 'comment'];

/** A fresh link and its token (which the caller hands out once). */
export function issueLink(
  scope: LinkScope,
  scopeId: string,
  role: string,
  now = Date.now(),
): { link: LinkRecord; token: string } {
  const token = newToken();
  const link: LinkRecord = { scope, scopeId, role, tokenHash: sha256(token), createdAt: now };
  if (CLEAR_ROLES.includes(role)) link.token = token;
  return { link, token };
}

/** What a presented token is, among a scope's links. */
export type Resolution = { role: string; replaced: false } | { role: string; replaced: true };

/** Tokens longer than this are refused before hashing (real ones are 43 characters). */
export const MAX_TOKEN_LENGTH = 512;

/**
 * The link `token` belongs to, or undefined. Every link's hash is compared, all the way, with
 * timingSafeEqual: the time taken tells nothing about which role (or how much of a guess) was
 * close. A current link wins over a replaced one (they cannot share a token in practice).
 */
export function resolveToken(
  links: readonly LinkRecord[],
  token: string | undefined | null,
): Resolution | undefined {
  if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
  const digest = sha256(token);
  let current: string | undefined;
  let replaced: string | undefined;
  for (const link of links) {
    const hash = link.tokenHash;
    const equal = hash.length === digest.length && timingSafeEqual(hash, digest);
    if (!equal) continue;
    if (link.replacedAt === undefined) current ??= link.role;
    else replaced ??= link.role;
  }
  if (current !== undefined) return { role: current, replaced: false };
  if (replaced !== undefined) return { role: replaced, replaced: true };
  return undefined;
}

/** The current link of a role, if any. */
export function currentLink(links: readonly LinkRecord[], role: string): LinkRecord | undefined {
  return links.find((l) => l.role === role && l.replacedAt === undefined);
}

/** Whether a link of `role` was ever issued (current or replaced). */
export function everIssued(links: readonly LinkRecord[], role: string): boolean {
  return links.some((l) => l.role === role);
}
