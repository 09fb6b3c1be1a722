import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { seedFlashbook } from '../../src/model/flashbook.ts';
import type { Access, CreatedFlashbook } from '../../src/protocol/api.ts';
import { isValidId, newId } from '../../src/model/ids.ts';
import { SERVER } from '../../src/model/origins.ts';
import { newToken, roleFor, secretsEqual, sha256 } from '../auth/tokens.ts';
import type { EdgeLimits } from '../limits/edge.ts';
import type { FlashbookStore } from '../storage/types.ts';
import { DEMO_TITLE, seedDemoFlashbook } from '../demo/demo.ts';
import { readJsonBody } from './body.ts';
import { bearerToken, type WorkspaceAccess, type WorkspaceService } from '../workspaces/service.ts';
import { HttpError, sendJson } from './respond.ts';

export interface FlashbooksApiOptions {
  store: FlashbookStore;
  inviteKey: string | undefined;
  maxBodyBytes: number;
  limits: Pick<EdgeLimits, 'takeCreation'>;
  /** Creation inside a workspace (`{"workspace": "<id>"}` with its member or admin token). */
  workspaces?: WorkspaceService;
}

const MAX_TITLE_LENGTH = 200;

function checkInviteKey(req: IncomingMessage, opts: FlashbooksApiOptions): void {
  if (opts.inviteKey === undefined) return;
  const given = req.headers['x-invite-key'];
  if (typeof given !== 'string' || !secretsEqual(given, opts.inviteKey)) {
    throw new HttpError(403, 'a valid X-Invite-Key header is required to create flashbooks');
  }
}

/**
 * The rules every creation follows (flashbooks and workspaces): the invite key on a server that
 * has one (unless `deferInviteKey`: the caller checks it, or a workspace token, once it has read
 * the body), then the per-address creation budget, before any work.
 */
export async function admitCreation(
  req: IncomingMessage,
  opts: Pick<FlashbooksApiOptions, 'inviteKey' | 'limits'>,
  what: 'flashbooks' | 'workspaces',
  deferInviteKey = false,
): Promise<void> {
  if (!deferInviteKey) checkInviteKey(req, opts as FlashbooksApiOptions);
  // After the invite key (a server with one trusts its key holders no less) and before any work.
  const budget = opts.limits.takeCreation(req);
  if (!budget.ok) {
    const minutes = Math.ceil(budget.retryAfterSeconds / 60);
    throw new HttpError(
      429,
      `too many ${what} were created from this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      { 'retry-after': String(budget.retryAfterSeconds) },
      { code: 'rate-limited', retryAfter: budget.retryAfterSeconds },
    );
  }
  return Promise.resolve();
}

/**
 * POST /api/flashbooks: creates, seeds and stores a flashbook, then hands out its two links.
 * `{"template": "demo"}` creates a copy of the demo flashbook instead of an empty one.
 */
export async function createFlashbook(
  req: IncomingMessage,
  res: ServerResponse,
  opts: FlashbooksApiOptions,
): Promise<void> {
  // A member of a workspace creates inside it with the workspace's token, which stands for the
  // invite key (the workspace was created with one); anyone else needs the key.
  const bearer = bearerToken(req);
  await admitCreation(req, opts, 'flashbooks', bearer !== undefined);
  const body = await readJsonBody(req, opts.maxBodyBytes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  const {
    title: rawTitle,
    id: rawId,
    template,
    workspace: workspaceId,
  } = body as { title?: unknown; id?: unknown; template?: unknown; workspace?: unknown };
  let workspace: WorkspaceAccess | undefined;
  if (workspaceId !== undefined) {
    if (!opts.workspaces) throw new HttpError(404, 'this server has no workspaces');
    workspace = await opts.workspaces.authenticate(req, workspaceId);
  } else if (bearer !== undefined) {
    checkInviteKey(req, opts);
  }
  if (template !== undefined && template !== 'demo' && template !== 'empty') {
    throw new HttpError(400, 'template must be "demo", "empty" or absent');
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
  else if (template !== 'empty') seedFlashbook(doc, { title }, SERVER);
  // A flashbook created offline had the brand kit applied by its client (the only replica).
  if (workspace && template !== 'empty') opts.workspaces?.applyTo(doc, workspace.record);
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

  if (workspace && opts.workspaces) {
    await opts.workspaces.grantImages(workspace.record, id);
    await opts.workspaces.attach(workspace, id, { edit: editToken, view: viewToken });
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
