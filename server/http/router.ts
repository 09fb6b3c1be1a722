import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { serveAsset, uploadAsset, type AssetsApiOptions } from '../assets/http.ts';
import type { EdgeLimits } from '../limits/edge.ts';
import {
  getExhibition,
  publish,
  servePublic,
  unpublish,
  type ExhibitionApiOptions,
} from '../exhibition/http.ts';
import { errorMessage, type Logger } from '../log.ts';
import { parseSyncTarget, type SyncServer } from '../sync/server.ts';
import {
  createFlashbook,
  getAccess,
  replaceToken,
  type FlashbooksApiOptions,
} from './flashbooks.ts';
import { parseRequestPath } from './paths.ts';
import { HttpError, sendError, sendJson } from './respond.ts';
import { serveStatic } from './static.ts';
import { routeVersions, type VersionsApiOptions } from '../versions/http.ts';
import { routeWorkspaces, type WorkspacesApiOptions } from '../workspaces/http.ts';
import { getActivity, setPostStatus, type ReviewApiOptions } from '../review/http.ts';

export interface HttpContext
  extends
    FlashbooksApiOptions,
    AssetsApiOptions,
    VersionsApiOptions,
    ExhibitionApiOptions,
    WorkspacesApiOptions,
    ReviewApiOptions {
  log: Logger;
  staticDir: string;
  sync: SyncServer & FlashbooksApiOptions['sync'];
  limits: EdgeLimits;
}

/** The request listener: every failure ends as a JSON `{ error }`, never as an unhandled throw. */
export function createRequestHandler(ctx: HttpContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res, ctx);
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): Promise<void> {
  let path: string | undefined;
  try {
    const parsed = parseRequestPath(req.url);
    path = parsed.pathname;
    await route(req, res, parsed.pathname, parsed.segments, ctx);
  } catch (err) {
    const httpError = err instanceof HttpError ? err : undefined;
    const status = httpError?.status ?? 500;
    // The path only: the query of a URL may carry a token.
    const fields = { method: req.method, path, status, reason: errorMessage(err) };
    if (httpError) ctx.log.info('http-error', fields);
    else ctx.log.error('http-error', fields);
    if (res.headersSent) res.destroy();
    else if (httpError) sendError(res, httpError);
    else sendJson(res, 500, { error: 'internal server error' });
  }
}

function allow(req: IncomingMessage, ...methods: string[]): void {
  if (!methods.includes(req.method ?? '')) {
    throw new HttpError(405, `method ${req.method} not allowed here`, {
      allow: methods.join(', '),
    });
  }
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  segments: string[],
  ctx: HttpContext,
): Promise<void> {
  if (pathname === '/healthz') {
    allow(req, 'GET', 'HEAD');
    return sendJson(res, 200, { ok: true });
  }
  if (segments[0] === 'api') {
    if (pathname === '/api/flashbooks') {
      allow(req, 'POST');
      return createFlashbook(req, res, ctx);
    }
    if (segments[1] === 'workspaces') return routeWorkspaces(req, res, segments.slice(2), ctx);
    const [, collection, id, action] = segments;
    if (segments.length === 4 && collection === 'flashbooks' && id && action === 'access') {
      allow(req, 'GET', 'HEAD');
      return getAccess(req, res, id, ctx);
    }
    if (segments.length === 5 && collection === 'flashbooks' && id && action === 'tokens') {
      allow(req, 'POST');
      return replaceToken(req, res, id, segments[4] ?? '', ctx);
    }
    if (segments.length === 4 && collection === 'flashbooks' && id && action === 'activity') {
      allow(req, 'GET', 'HEAD');
      return getActivity(req, res, id, ctx);
    }
    if (
      segments.length === 6 &&
      collection === 'flashbooks' &&
      id &&
      action === 'posts' &&
      segments[4] &&
      segments[5] === 'status'
    ) {
      allow(req, 'PUT');
      return setPostStatus(req, res, id, segments[4], ctx);
    }
    if (segments.length === 4 && collection === 'flashbooks' && id && action === 'exhibition') {
      allow(req, 'GET', 'HEAD', 'POST', 'DELETE');
      if (req.method === 'POST') return publish(req, res, id, ctx);
      if (req.method === 'DELETE') return unpublish(req, res, id, ctx);
      return getExhibition(req, res, id, ctx);
    }
    if (collection === 'flashbooks' && id && action === 'assets') {
      if (segments.length === 4) {
        allow(req, 'POST');
        return uploadAsset(req, res, id, ctx);
      }
      if (segments.length === 5 && segments[4]) {
        allow(req, 'GET', 'HEAD');
        return serveAsset(req, res, id, segments[4], ctx);
      }
    }
    if (collection === 'flashbooks' && id && action === 'versions' && segments.length <= 5) {
      return routeVersions(req, res, id, segments[4], ctx);
    }
    throw new HttpError(404, 'no such API endpoint');
  }
  if (segments[0] === 'sync') throw new HttpError(426, 'WebSocket upgrade required');
  allow(req, 'GET', 'HEAD');
  if (segments[0] === 'e' && segments.length >= 2)
    return servePublic(req, res, segments.slice(1), ctx);
  return serveStatic(req, res, ctx.staticDir, segments);
}

/** The 'upgrade' listener: WebSockets live under /sync/ only. */
export function createUpgradeHandler(ctx: HttpContext) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A peer resetting mid-handshake must not become an uncaught 'error' event.
    socket.on('error', () => socket.destroy());
    try {
      const target = parseSyncTarget(req.url ?? '');
      if (!target) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (!ctx.limits.admitUpgrade(req, socket)) return;
      ctx.sync.handleUpgrade(req, socket, head, target);
    } catch (err) {
      ctx.log.error('error', { reason: 'upgrade failed: ' + errorMessage(err) });
      socket.destroy();
    }
  };
}
