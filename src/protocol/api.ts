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

/** 201 answer to POST /api/flashbooks. The tokens ride in the URLs' fragment, never sent back. */
export interface CreatedFlashbook {
  id: string;
  editToken: string;
  viewToken: string;
  editUrl: string;
  viewUrl: string;
}

/** 200 answer to GET /api/flashbooks/<id>/access: the role the bearer token grants. */
export interface Access {
  id: string;
  role: Role;
  /** Only for editors, so they can share read-only access. */
  viewToken?: string;
}

/** Every 4xx/5xx answer of the JSON API. */
export interface ApiErrorBody {
  error: string;
  /** A short machine-readable reason (`rate-limited`, `too-large`, `quota`, …) where one applies. */
  code?: string;
  /** Seconds to wait before trying again, with 429 (also sent as `Retry-After`). */
  retryAfter?: number;
}
