import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { seedFlashbook } from '../../src/model/flashbook.ts';
import {
  TEMPLATE_IDS,
  isTemplateId,
  isTemplateLanguage,
  seedTemplate,
  templateTitle,
  type TemplateLanguage,
} from '../../src/model/templates.ts';
import type { Access, CreatedFlashbook } from '../../src/protocol/api.ts';
import { isValidId, newId } from '../../src/model/ids.ts';
import { SERVER } from '../../src/model/origins.ts';
import { newToken, roleFor, secretsEqual, sha256 } from '../auth/tokens.ts';
import type { EdgeLimits } from '../limits/edge.ts';
import type { FlashbookStore } from '../storage/types.ts';
import { DEMO_TITLE, seedDemoFlashbook } from '../demo/demo.ts';
import { readJsonBody } from './body.ts';
import { HttpError, sendJson } from './respond.ts';

export interface FlashbooksApiOptions {
  store: FlashbookStore;
  inviteKey: string | undefined;
  maxBodyBytes: number;
  limits: Pick<EdgeLimits, 'takeCreation'>;
}

const MAX_TITLE_LENGTH = 200;

/**
 * POST /api/flashbooks: creates, seeds and stores a flashbook, then hands out its two links.
 * `{"template": "demo"}` creates a copy of the demo flashbook instead of an empty one; a starting
 * template's id (`{"template": "nauryz", "language": "kk"}`) creates that template's structure.
 */
export async function createFlashbook(
  req: IncomingMessage,
  res: ServerResponse,
  opts: FlashbooksApiOptions,
): Promise<void> {
  if (opts.inviteKey !== undefined) {
    const given = req.headers['x-invite-key'];
    if (typeof given !== 'string' || !secretsEqual(given, opts.inviteKey)) {
      throw new HttpError(403, 'a valid X-Invite-Key header is required to create flashbooks');
    }
  }
  // After the invite key (a server with one trusts its key holders no less) and before any work.
  const budget = opts.limits.takeCreation(req);
  if (!budget.ok) {
    const minutes = Math.ceil(budget.retryAfterSeconds / 60);
    throw new HttpError(
      429,
      `too many flashbooks were created from this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      { 'retry-after': String(budget.retryAfterSeconds) },
      { code: 'rate-limited', retryAfter: budget.retryAfterSeconds },
    );
  }
  const body = await readJsonBody(req, opts.maxBodyBytes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  const {
    title: rawTitle,
    id: rawId,
    template,
    language: rawLanguage,
  } = body as { title?: unknown; id?: unknown; template?: unknown; language?: unknown };
  if (
    template !== undefined &&
    template !== 'demo' &&
    template !== 'empty' &&
    !isTemplateId(template)
  ) {
    throw new HttpError(
      400,
      `template must be "demo", "empty", one of ${TEMPLATE_IDS.map((t) => `"${t}"`).join(', ')} or absent`,
    );
  }
  const starter = isTemplateId(template) ? template : undefined;
  if (rawLanguage !== undefined && (!starter || !isTemplateLanguage(rawLanguage))) {
    throw new HttpError(
      400,
      'language must be "ru", "kk" or "en", and only with a starting template',
    );
  }
  const language: TemplateLanguage = isTemplateLanguage(rawLanguage) ? rawLanguage : 'ru';
  if (starter && rawId !== undefined) {
    throw new HttpError(400, 'a starting template takes no id (the server chooses it)');
  }
  // "empty": a flashbook created offline registers here with the id its client chose; its
  // content (written by that one client, the only replica) arrives through sync. Seeding it here
  // too would put two copies of the first post in it.
  if (template === 'empty' && rawId === undefined) {
    throw new HttpError(400, 'template "empty" needs the id the client chose');
  }
  const demo = template === 'demo';
  const title =
    typeof rawTitle === 'string'
      ? rawTitle.trim()
      : demo && rawTitle === undefined
        ? DEMO_TITLE
        : starter && rawTitle === undefined
          ? templateTitle(starter, language)
          : undefined;
  // Counted in code points, so that a title in any script gets the same allowance.
  const length = title === undefined ? 0 : [...title].length;
  if (title === undefined || length < 1 || length > MAX_TITLE_LENGTH) {
    throw new HttpError(400, `title must be a string of 1 to ${MAX_TITLE_LENGTH} characters`);
  }
  if (rawId !== undefined && !isValidId(rawId)) {
    throw new HttpError(400, 'id must be 8 to 64 characters of A-Z, a-z, 0-9, "_" or "-"');
  }

  const doc = new Y.Doc();
  if (demo) seedDemoFlashbook(doc);
  else if (starter) seedTemplate(doc, starter, { language, title }, SERVER);
  else if (template !== 'empty') seedFlashbook(doc, { title }, SERVER);
  const initial = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const editToken = newToken();
  const viewToken = newToken();
  const record = { title, editTokenHash: sha256(editToken), viewToken, createdAt: Date.now() };

  let id: string | undefined;
  if (rawId !== undefined) {
    if (!(await opts.store.createFlashbook({ ...record, id: rawId }, initial))) {
      throw new HttpError(409, 'a flashbook with this id already exists');
    }
    id = rawId;
  } else {
    // 95-bit random ids do not collide in practice; the retry only makes that certain.
    for (let attempt = 0; attempt < 3 && id === undefined; attempt++) {
      const candidate = newId();
      if (await opts.store.createFlashbook({ ...record, id: candidate }, initial)) id = candidate;
    }
    if (id === undefined) throw new Error('could not allocate a flashbook id');
  }

  sendJson(
    res,
    201,
    {
      id,
      editToken,
      viewToken,
      // Tokens ride in the fragment, which browsers never send to a server or put in logs.
      editUrl: `/f/${id}#t=${editToken}`,
      viewUrl: `/f/${id}#t=${viewToken}`,
    } satisfies CreatedFlashbook,
    { location: `/f/${id}` },
  );
}

/** GET /api/flashbooks/<id>/access: which role the bearer token grants. */
export async function getAccess(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  opts: FlashbooksApiOptions,
): Promise<void> {
  if (!isValidId(id)) throw new HttpError(400, 'invalid flashbook id');
  const record = await opts.store.getFlashbook(id);
  if (!record) throw new HttpError(404, 'flashbook not found');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const role = roleFor(record, match?.[1]);
  if (!role) {
    throw new HttpError(401, 'missing or invalid token', { 'www-authenticate': 'Bearer' });
  }
  const access: Access = role === 'edit' ? { id, role, viewToken: record.viewToken } : { id, role };
  sendJson(res, 200, access);
}
