import type { IncomingMessage } from 'node:http';
import { isValidId } from '../../src/model/ids.ts';
import { LINK_REPLACED_CODE } from '../../src/protocol/api.ts';
import type { Role } from '../../src/protocol/roles.ts';
import { flashbookAccess } from '../auth/access.ts';
import type { LinkRecord } from '../auth/links.ts';
import type { FlashbookRecord, FlashbookStore } from '../storage/types.ts';
import { HttpError } from './respond.ts';

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

export interface Authorised {
  role: Role;
  record: FlashbookRecord;
  links: LinkRecord[];
}

/**
 * The role the request's bearer token grants on flashbook `id`, or the refusal every endpoint
 * gives: 400 (bad id), 404 (no such flashbook), 401 (no or a wrong token), 410 with code
 * `link-replaced` (a token that was replaced, POST …/tokens/<role>).
 */
export async function authoriseRequest(
  req: IncomingMessage,
  id: string,
  store: Pick<FlashbookStore, 'getFlashbook' | 'getLinks'>,
): Promise<Authorised> {
  if (!isValidId(id)) throw new HttpError(400, 'invalid flashbook id');
  const access = await flashbookAccess(store, id, bearer(req));
  switch (access.status) {
    case 'not-found':
      throw new HttpError(404, 'flashbook not found');
    case 'unauthorized':
      throw new HttpError(401, 'missing or invalid token', { 'www-authenticate': 'Bearer' });
    case 'replaced':
      throw new HttpError(
        410,
        'this link was replaced by a new one; ask the flashbook’s approver for the new link',
        {},
        { code: LINK_REPLACED_CODE, role: access.role },
      );
    case 'ok':
      return { role: access.role, record: access.record, links: access.links };
  }
}
