import type { ServerResponse } from 'node:http';

/** A request the client got wrong. Rendered as `{ "error": message }` with its 4xx status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** More fields of the JSON answer, e.g. a stable `code` for clients to translate. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Headers every response carries. */
export const BASE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  // Paths hold flashbook ids; keep them out of third-party referrers.
  'referrer-policy': 'no-referrer',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
    // API answers carry tokens: no cache may keep them.
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : payload);
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { error: err.message, ...err.fields }, err.headers);
}
