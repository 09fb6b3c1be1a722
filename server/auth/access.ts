import { isRole, type Role } from '../../src/protocol/roles.ts';
import type { FlashbookRecord, FlashbookStore } from '../storage/types.ts';
import { resolveToken, type LinkRecord } from './links.ts';

/** What a token presented for a flashbook is worth (every endpoint asks this). */
export type FlashbookAccess =
  | { status: 'ok'; role: Role; record: FlashbookRecord; links: LinkRecord[] }
  | { status: 'replaced'; role: Role }
  | { status: 'unauthorized' }
  | { status: 'not-found' };

/**
 * Looks the flashbook up, then its links, and resolves `token` among them (timing-safe,
 * links.ts). A replaced link answers 'replaced', so that the app can say "this link was replaced"
 * rather than "wrong link".
 */
export async function flashbookAccess(
  store: Pick<FlashbookStore, 'getFlashbook' | 'getLinks'>,
  id: string,
  token: string | undefined | null,
): Promise<FlashbookAccess> {
  const record = await store.getFlashbook(id);
  if (!record) return { status: 'not-found' };
  const links = await store.getLinks('flashbook', id);
  const found = resolveToken(links, token);
  if (!found || !isRole(found.role)) return { status: 'unauthorized' };
  if (found.replaced) return { status: 'replaced', role: found.role };
  return { status: 'ok', role: found.role, record, links };
}
