import type { TemplateId, TemplateLanguage } from '../model/templates.ts';
import type { Role } from './roles.ts';

/**
 * The JSON HTTP API (docs/server.md). Bodies are what both sides read and write; the paths are
 * built here so that the client, the server's router and the tests agree on them.
 */

export const API_FLASHBOOKS = '/api/flashbooks';

/** `/api/flashbooks/<id>/access`. */
export const accessPath = (id: string): string =>
  `${API_FLASHBOOKS}/${encodeURIComponent(id)}/access`;

/** Header that carries the invite key on a server that restricts creation (`INVITE_KEY`). */
export const INVITE_KEY_HEADER = 'X-Invite-Key';

/**
 * POST /api/flashbooks. `title`: an empty flashbook; `template: 'demo'`: a copy of the demo;
 * `template: 'empty'` with a client-chosen `id`: register a flashbook created offline, whose
 * content the client already wrote (the server stores the record and seeds nothing);
 * `template: <a TemplateId>`: a starting template (src/model/templates.ts) in `language` (`ru` by
 * default), titled `title` or the template's own title.
 */
export type CreateFlashbookRequest =
  | { title: string }
  | { template: 'demo' }
  | { id: string; title: string; template: 'empty' }
  | { template: TemplateId; language?: TemplateLanguage; title?: string };

/**
 * 201 answer to POST /api/flashbooks: one link per role (src/protocol/roles.ts). The creator gets
 * all four, the approve link among them. The tokens ride in the URLs' fragment, never sent back.
 */
export interface CreatedFlashbook {
  id: string;
  editToken: string;
  viewToken: string;
  commentToken: string;
  approveToken: string;
  editUrl: string;
  viewUrl: string;
  commentUrl: string;
  approveUrl: string;
}

/** The link of a role: `/f/<id>#t=<token>`. */
export const flashbookUrl = (id: string, token: string): string =>
  `/f/${encodeURIComponent(id)}#t=${token}`;

/**
 * 200 answer to GET /api/flashbooks/<id>/access: the role the bearer token grants. A token that
 * was replaced answers 410 with code `link-replaced` (LINK_REPLACED_CODE), a wrong one 401.
 */
export interface Access {
  id: string;
  role: Role;
  /** Only for editors and approvers, so they can share read-only access. */
  viewToken?: string;
  /** Only for editors and approvers, so they can share comment access. */
  commentToken?: string;
  /**
   * Only for editors, and only on a flashbook created before approve links existed, which has
   * none yet: the editor may claim it once (POST tokens/approve with the edit token).
   */
  approveUnclaimed?: boolean;
}

/** `code` of the 410 answer (and reason of close code LINK_REPLACED) for a replaced token. */
export const LINK_REPLACED_CODE = 'link-replaced';

/**
 * POST /api/flashbooks/<id>/tokens/<role> with the approve token as Bearer: issues a new token for
 * that role; the old one stops working at once (open connections closed with LINK_REPLACED).
 */
export const tokensPath = (id: string, role: Role): string =>
  `${API_FLASHBOOKS}/${encodeURIComponent(id)}/tokens/${role}`;

/** 200 answer to a token replacement. */
export interface ReplacedToken {
  role: Role;
  token: string;
  url: string;
}

/** Who did something, as their profile says (no accounts: name and library as typed). */
export interface Actor {
  name: string;
  library: string;
}

/** PUT /api/flashbooks/<id>/posts/<post id>/status, with the token as Bearer. */
export const postStatusPath = (id: string, postId: string): string =>
  `${API_FLASHBOOKS}/${encodeURIComponent(id)}/posts/${encodeURIComponent(postId)}/status`;

export interface PostStatusRequest {
  status: 'draft' | 'review' | 'approved';
  /** Why (sending back), at most 2000 characters. */
  note?: string;
  by: Actor;
}

/** One status change, as answered by the status API and listed by the activity API. */
export interface StatusChange {
  postId: string;
  from: 'draft' | 'review' | 'approved';
  to: 'draft' | 'review' | 'approved';
  note?: string;
  by: Actor;
  /** The role of the token that made the change. */
  role: Role;
  /** Milliseconds since the epoch. */
  at: number;
  /** The version (server/versions) recorded at approval: what exactly was approved. */
  versionId?: string;
}

/** GET /api/flashbooks/<id>/activity with any token of the flashbook: newest first. */
export const activityPath = (id: string): string =>
  `${API_FLASHBOOKS}/${encodeURIComponent(id)}/activity`;

export interface Activity {
  changes: StatusChange[];
}

/** Every 4xx/5xx answer of the JSON API. */
export interface ApiErrorBody {
  error: string;
  /** A short machine-readable reason (`rate-limited`, `too-large`, `quota`, …) where one applies. */
  code?: string;
  /** Seconds to wait before trying again, with 429 (also sent as `Retry-After`). */
  retryAfter?: number;
}
