import {
  API_FLASHBOOKS,
  INVITE_KEY_HEADER,
  accessPath,
  type Access,
  type ApiErrorBody,
  type CreateFlashbookRequest,
  type CreatedFlashbook,
} from '../protocol/api.ts';

export type { Access, CreatedFlashbook } from '../protocol/api.ts';

/** The server's JSON API. Errors carry the server's message when it gave one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Seconds the server asked to wait (429 `retryAfter`). */
    readonly retryAfter?: number,
    /** The server's stable reason (`link-replaced`, `not-archived`, …) when it gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A JSON API call; errors become ApiError (status 0 when the server could not be reached). */
export async function request<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError('network', 0);
  }
  const body = (await res.json().catch(() => ({}))) as Partial<ApiErrorBody>;
  if (!res.ok) {
    const retryAfter = typeof body.retryAfter === 'number' ? body.retryAfter : undefined;
    throw new ApiError(body.error ?? res.statusText, res.status, retryAfter, body.code);
  }
  return (res.status === 204 ? undefined : body) as T;
}

/**
 * Creates a flashbook: an empty one with a title, or a copy of the demo flashbook. On a server
 * that restricts creation, the invite key comes from the address the app was opened with
 * (`/?invite=<key>`).
 */
/** The invite key of the address the app was opened with (`/?invite=<key>`), as a header. */
export function inviteHeaders(): Record<string, string> {
  const inviteKey = new URLSearchParams(location.search).get('invite');
  return inviteKey ? { [INVITE_KEY_HEADER]: inviteKey } : {};
}

export function createFlashbook(what: CreateFlashbookRequest): Promise<CreatedFlashbook> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    ...inviteHeaders(),
  };
  return request(API_FLASHBOOKS, { method: 'POST', headers, body: JSON.stringify(what) });
}

export function getAccess(id: string, token: string): Promise<Access> {
  return request(accessPath(id), { headers: { Authorization: `Bearer ${token}` } });
}
