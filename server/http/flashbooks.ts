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
import {
  flashbookUrl,
  type Access,
  type CreatedFlashbook,
  type ReplacedToken,
} from '../../src/protocol/api.ts';
import { isRole, type Role } from '../../src/protocol/roles.ts';
import { isValidId, newId } from '../../src/model/ids.ts';
import { SERVER } from '../../src/model/origins.ts';
import { roleCanApprove, roleCanEdit } from '../auth/roles.ts';
import { currentLink, everIssued, issueLink, type LinkRecord } from '../auth/links.ts';
import { secretsEqual } from '../auth/tokens.ts';
import type { EdgeLimits } from '../limits/edge.ts';
import type { FlashbookStore } from '../storage/types.ts';
import { DEMO_TITLE, seedDemoFlashbook } from '../demo/demo.ts';
import { authoriseRequest } from './authorise.ts';
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
  /** Closes the open sync connections of a replaced link (server/sync/server.ts). */
  sync: { linkReplaced(id: string, role: Role): void };
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
 * POST /api/flashbooks: creates, seeds and stores a flashbook, then hands out its four links
 * (view, comment, edit, approve: the creator is its first approver).
 * `{"template": "demo"}` creates a copy of the demo flashbook instead of an empty one; a starting
 * template's id (`{"template": "nauryz", "language": "kk"}`) creates that template's structure.
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
    language: rawLanguage,
  } = body as {
    title?: unknown;
    id?: unknown;
    template?: unknown;
    workspace?: unknown;
    language?: unknown;
  };
  let workspace: WorkspaceAccess | undefined;
  if (workspaceId !== undefined) {
    if (!opts.workspaces) throw new HttpError(404, 'this server has no workspaces');
    workspace = await opts.workspaces.authenticate(req, workspaceId);
  } else if (bearer !== undefined) {
    checkInviteKey(req, opts);
  }
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
  // A flashbook created offline had the brand kit applied by its client (the only replica).
  if (workspace && template !== 'empty') opts.workspaces?.applyTo(doc, workspace.record);
  const initial = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const createdAt = Date.now();
  const record = { title, createdAt };
  const roles = ['view', 'comment', 'edit', 'approve'] as const;
  const create = async (candidate: string) => {
    const issued = roles.map((role) => issueLink('flashbook', candidate, role, createdAt));
    const links = issued.map((i) => i.link);
    const ok = await opts.store.createFlashbook({ ...record, id: candidate }, initial, links);
    return ok ? issued.map((i) => i.token) : undefined;
  };

  let id: string | undefined;
  let tokens: string[] | undefined;
  if (rawId !== undefined) {
    tokens = await create(rawId);
    if (!tokens) throw new HttpError(409, 'a flashbook with this id already exists');
    id = rawId;
  } else {
    // 95-bit random ids do not collide in practice; the retry only makes that certain.
    for (let attempt = 0; attempt < 3 && id === undefined; attempt++) {
      const candidate = newId();
      tokens = await create(candidate);
      if (tokens) id = candidate;
    }
    if (id === undefined || !tokens) throw new Error('could not allocate a flashbook id');
  }
  const [viewToken, commentToken, editToken, approveToken] = tokens as [
    string,
    string,
    string,
    string,
  ];

  if (workspace && opts.workspaces) {
    await opts.workspaces.grantImages(workspace.record, id);
    await opts.workspaces.attach(workspace, id, {
      edit: editToken,
      view: viewToken,
      comment: commentToken,
      approve: approveToken,
    });
  }

  sendJson(
    res,
    201,
    {
      id,
      editToken,
      viewToken,
      commentToken,
      approveToken,
      // Tokens ride in the fragment, which browsers never send to a server or put in logs.
      editUrl: flashbookUrl(id, editToken),
      viewUrl: flashbookUrl(id, viewToken),
      commentUrl: flashbookUrl(id, commentToken),
      approveUrl: flashbookUrl(id, approveToken),
    } satisfies CreatedFlashbook,
    { location: `/f/${id}` },
  );
}

/**
 * The clear token of a shareable role (view, comment). A flashbook created before comment links
 * existed gets its first comment link here, the first time an editor or approver asks.
 */
async function shareableToken(
  opts: FlashbooksApiOptions,
  id: string,
  links: LinkRecord[],
  role: 'view' | 'comment',
): Promise<string | undefined> {
  const current = currentLink(links, role);
  if (current) return current.token;
  if (everIssued(links, role)) return undefined; // replaced and not reissued: cannot happen
  const { link, token } = issueLink('flashbook', id, role);
  if (await opts.store.addLinkIfNone(link)) return token;
  // Someone else issued it meanwhile: theirs is the one.
  return currentLink(await opts.store.getLinks('flashbook', id), role)?.token;
}

/** GET /api/flashbooks/<id>/access: which role the bearer token grants. */
export async function getAccess(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  opts: FlashbooksApiOptions,
): Promise<void> {
  const { role, links } = await authoriseRequest(req, id, opts.store);
  const access: Access = { id, role };
  if (roleCanEdit(role)) {
    const viewToken = await shareableToken(opts, id, links, 'view');
    const commentToken = await shareableToken(opts, id, links, 'comment');
    if (viewToken !== undefined) access.viewToken = viewToken;
    if (commentToken !== undefined) access.commentToken = commentToken;
    // A flashbook created before approve links existed: its editors may claim one (below).
    if (!everIssued(links, 'approve')) access.approveUnclaimed = true;
  }
  sendJson(res, 200, access);
}

/**
 * POST /api/flashbooks/<id>/tokens/<role>: a new link for `role`, with the approve token. The
 * previous link of that role is marked replaced: its open sync connections are closed with 4410
 * at once, and every endpoint answers it 410 `link-replaced` from now on. Replacing the approve
 * link itself is allowed (the answer carries the new one).
 *
 * A flashbook created before approve links existed has none: then an edit-link holder may claim
 * it, once (`role` = approve with the edit token), while no approve link was ever issued.
 */
export async function replaceToken(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  rawRole: string,
  opts: FlashbooksApiOptions,
): Promise<void> {
  const { role: caller, links } = await authoriseRequest(req, id, opts.store);
  if (!isRole(rawRole)) {
    throw new HttpError(400, 'role must be one of "view", "comment", "edit" or "approve"');
  }
  const role: Role = rawRole;
  const claim = role === 'approve' && roleCanEdit(caller) && !everIssued(links, 'approve');
  if (!roleCanApprove(caller) && !claim) {
    throw new HttpError(403, 'only the approve link may replace links');
  }
  const { link, token } = issueLink('flashbook', id, role);
  if (claim && !roleCanApprove(caller)) {
    if (!(await opts.store.addLinkIfNone(link))) {
      throw new HttpError(409, 'the approve link of this flashbook was already claimed');
    }
  } else {
    await opts.store.replaceLink(link);
    opts.sync.linkReplaced(id, role);
  }
  sendJson(res, 200, { role, token, url: flashbookUrl(id, token) } satisfies ReplacedToken);
}
