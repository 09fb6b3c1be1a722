import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidId } from '../../src/model/ids.ts';
import { roleCanEdit } from '../auth/roles.ts';
import { authoriseRequest } from '../http/authorise.ts';
import { readJsonBody } from '../http/body.ts';
import { BASE_HEADERS, HttpError, sendJson } from '../http/respond.ts';
import type { FlashbookStore } from '../storage/types.ts';
import { VersionQuotaError, type VersionService } from './service.ts';
import type { VersionReason } from './types.ts';

export interface VersionsApiOptions {
  store: FlashbookStore;
  versions: VersionService;
  maxBodyBytes: number;
}

export const MAX_VERSION_NAME_LENGTH = 100;

/** Reasons a client may give when it asks for a version; the others are the server's own. */
const CLIENT_REASONS: readonly VersionReason[] = ['named', 'import', 'restore'];

/**
 * /api/flashbooks/<id>/versions[/<version id>] (docs/server.md, "Versions"). Every request needs
 * a token whose role can edit: versions show deleted content, which a view link must not reveal.
 */
export async function routeVersions(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  versionId: string | undefined,
  opts: VersionsApiOptions,
): Promise<void> {
  const methods = versionId === undefined ? ['GET', 'HEAD', 'POST'] : ['GET', 'HEAD'];
  if (!methods.includes(req.method ?? '')) {
    throw new HttpError(405, `method ${req.method} not allowed here`, {
      allow: methods.join(', '),
    });
  }
  if (!isValidId(id)) throw new HttpError(400, 'invalid flashbook id');
  if (versionId !== undefined && !isValidId(versionId)) {
    throw new HttpError(400, 'invalid version id');
  }
  const { role } = await authoriseRequest(req, id, opts.store);
  if (!roleCanEdit(role)) throw new HttpError(403, 'versions need an edit link');

  if (versionId !== undefined) {
    const state = await opts.versions.state(id, versionId);
    if (!state) throw new HttpError(404, 'version not found');
    res.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': 'application/octet-stream',
      'content-length': String(state.byteLength),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : state);
    return;
  }
  if (req.method !== 'POST') return sendJson(res, 200, await opts.versions.list(id));

  const { reason, name } = parseVersionRequest(await readJsonBody(req, opts.maxBodyBytes));
  const version = await opts.versions.record(id, reason, { name }).catch((err: unknown) => {
    if (err instanceof VersionQuotaError)
      throw new HttpError(413, err.message, {}, { code: 'quota', limit: err.limit });
    throw err;
  });
  sendJson(res, 201, version, { location: `/api/flashbooks/${id}/versions/${version.id}` });
}

/** `{"name"?: string, "reason"?: "named" | "import" | "restore"}`; a named version needs its name. */
export function parseVersionRequest(body: unknown): { reason: VersionReason; name?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  const unknown = Object.keys(body).filter((k) => k !== 'name' && k !== 'reason');
  if (unknown.length) throw new HttpError(400, `unknown field "${unknown[0]}"`);
  const { name: rawName, reason: rawReason } = body as { name?: unknown; reason?: unknown };
  const reason = rawReason ?? 'named';
  if (!CLIENT_REASONS.includes(reason as VersionReason)) {
    throw new HttpError(400, `reason must be one of ${CLIENT_REASONS.join(', ')}`);
  }
  let name: string | undefined;
  if (rawName !== undefined) {
    if (typeof rawName !== 'string') throw new HttpError(400, 'name must be a string');
    name = rawName.trim().replace(/\s+/g, ' ');
    // Counted in code points, like titles. Control characters would garble the list.
    const length = [...name].length;
    if (length < 1 || length > MAX_VERSION_NAME_LENGTH) {
      throw new HttpError(400, `name must be 1 to ${MAX_VERSION_NAME_LENGTH} characters`);
    }
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
      throw new HttpError(400, 'name must not contain control characters');
    }
  }
  if (reason === 'named' && name === undefined) {
    throw new HttpError(400, 'a named version needs a name');
  }
  return name === undefined
    ? { reason: reason as VersionReason }
    : { reason: reason as VersionReason, name };
}
