import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  isWorkspaceRole,
  workspaceUrl,
  type ReplacedWorkspaceToken,
  type Workspace,
  type WorkspaceFlashbooks,
} from '../../src/protocol/workspaces.ts';
import { receiveImage, serveGranted, type AssetsApiOptions } from '../assets/http.ts';
import { readJsonBody } from '../http/body.ts';
import { admitCreation, type FlashbooksApiOptions } from '../http/flashbooks.ts';
import { HttpError, sendJson } from '../http/respond.ts';
import { workspaceAssetKey, type WorkspaceAccess, type WorkspaceService } from './service.ts';
import { cleanBrand, cleanLibraries, cleanName } from './validate.ts';

/**
 * The workspace API (docs/server.md, "Workspaces"). Every route but creation needs the member or
 * the admin token as `Authorization: Bearer`; what each may do is decided in this file.
 */
export interface WorkspacesApiOptions extends FlashbooksApiOptions, AssetsApiOptions {
  workspaces?: WorkspaceService;
}

function allow(req: IncomingMessage, ...methods: string[]): void {
  if (!methods.includes(req.method ?? '')) {
    throw new HttpError(405, `method ${req.method} not allowed here`, {
      allow: methods.join(', '),
    });
  }
}

function view(access: WorkspaceAccess, ws: WorkspaceService): Workspace {
  const r = access.record;
  const member = access.role === 'admin' ? ws.memberToken(access) : undefined;
  return {
    ...(member ? { memberUrl: workspaceUrl(r.id, member) } : {}),
    ...(access.role === 'admin' ? { adminUrl: workspaceUrl(r.id, access.token) } : {}),
    id: r.id,
    name: r.name,
    libraries: ws.librariesOf(r),
    brand: ws.brandOf(r),
    role: access.role,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** `/api/workspaces[/…]`: `segments` are the path's parts after `api`. */
export async function routeWorkspaces(
  req: IncomingMessage,
  res: ServerResponse,
  segments: string[],
  opts: WorkspacesApiOptions,
): Promise<void> {
  const ws = opts.workspaces;
  if (!ws) throw new HttpError(404, 'this server has no workspaces');
  const [id, part, sub, action, ...rest] = segments;
  if (id === undefined) {
    allow(req, 'POST');
    await admitCreation(req, opts, 'workspaces');
    const body = await readJsonBody(req, opts.maxBodyBytes);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'request body must be a JSON object');
    }
    const { name, ...unknown } = body as Record<string, unknown>;
    if (Object.keys(unknown).length > 0) {
      throw new HttpError(400, `unknown field ${Object.keys(unknown)[0]}`);
    }
    const created = await ws.create(cleanName(name));
    return sendJson(res, 201, created, { location: `/w/${created.id}` });
  }
  if (rest.length > 0) throw new HttpError(404, 'no such API endpoint');

  if (part === undefined) {
    allow(req, 'GET', 'HEAD', 'PUT');
    const access = await ws.authenticate(req, id);
    if (req.method === 'PUT') {
      ws.requireAdmin(access);
      const body = await readJsonBody(req, opts.maxBodyBytes);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new HttpError(400, 'request body must be a JSON object');
      }
      const { name, libraries, brand, ...unknown } = body as Record<string, unknown>;
      if (Object.keys(unknown).length > 0) {
        throw new HttpError(400, `unknown field ${Object.keys(unknown)[0]}`);
      }
      const patch = {
        ...(name !== undefined ? { name: cleanName(name) } : {}),
        ...(libraries !== undefined
          ? { libraries: JSON.stringify(cleanLibraries(libraries)) }
          : {}),
        ...(brand !== undefined
          ? { brand: JSON.stringify(cleanBrand(brand, ws.brandOf(access.record))) }
          : {}),
        updatedAt: Date.now(),
      };
      await ws.opts.store.updateWorkspace(id, patch);
      access.record = { ...access.record, ...patch };
    }
    const body = view(access, ws);
    return sendJson(res, 200, body);
  }

  if (part === 'tokens' && sub !== undefined && action === undefined) {
    allow(req, 'POST');
    if (!isWorkspaceRole(sub)) throw new HttpError(404, 'no such link: member or admin');
    const access = await ws.authenticate(req, id);
    ws.requireAdmin(access);
    const token = await ws.replaceToken(access, sub);
    const answer: ReplacedWorkspaceToken = { role: sub, token, url: workspaceUrl(id, token) };
    return sendJson(res, 200, answer);
  }

  if (part === 'assets') {
    const access = await ws.authenticate(req, id);
    if (sub === undefined) {
      allow(req, 'POST');
      ws.requireAdmin(access);
      return receiveImage(req, res, workspaceAssetKey(id), `/api/workspaces/${id}/assets`, opts);
    }
    if (action === undefined) {
      allow(req, 'GET', 'HEAD');
      return serveGranted(req, res, workspaceAssetKey(id), sub, opts);
    }
  }

  if (part === 'flashbooks') {
    if (sub === undefined) {
      allow(req, 'GET', 'HEAD');
      const access = await ws.authenticate(req, id);
      const answer: WorkspaceFlashbooks = { flashbooks: await ws.list(access) };
      return sendJson(res, 200, answer);
    }
    if (action === 'archive' || action === 'restore') {
      allow(req, 'POST');
      const access = await ws.authenticate(req, id);
      await ws.member(access, sub);
      const at = action === 'archive' ? Date.now() : null;
      await ws.opts.store.setArchived(id, sub, at);
      return sendJson(res, 200, {
        id: sub,
        archived: at !== null,
        ...(at ? { archivedAt: at } : {}),
      });
    }
    if (action === undefined) {
      allow(req, 'DELETE');
      const access = await ws.authenticate(req, id);
      ws.requireAdmin(access);
      await ws.deleteForGood(access, sub);
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
  }
  throw new HttpError(404, 'no such API endpoint');
}
