import {
  API_FLASHBOOKS,
  INVITE_KEY_HEADER,
  LINK_REPLACED_CODE,
  accessPath,
  activityPath,
  postStatusPath,
  tokensPath,
  type Access,
  type Activity,
  type ApiErrorBody,
  type CreateFlashbookRequest,
  type CreatedFlashbook,
  type PostStatusRequest,
  type ReplacedToken,
  type StatusChange,
} from '../protocol/api.ts';
import type { Role } from '../protocol/roles.ts';

export type {
  Access,
  Activity,
  CreatedFlashbook,
  PostStatusRequest,
  ReplacedToken,
  StatusChange,
} from '../protocol/api.ts';

/** The server's JSON API. Errors carry the server's message when it gave one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Seconds the server asked to wait (429 `retryAfter`). */
    readonly retryAfter?: number,
    /** The server's machine-readable reason (`link-replaced`, `rate-limited`, …). */
    readonly code?: string,
  ) {
    super(message);
  }

  /** The token was replaced by the flashbook's approver (410 `link-replaced`). */
  get linkReplaced(): boolean {
    return this.status === 410 && (this.code === undefined || this.code === LINK_REPLACED_CODE);
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
    const code = typeof body.code === 'string' ? body.code : undefined;
    throw new ApiError(body.error ?? res.statusText, res.status, retryAfter, code);
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

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Sets a post's status through the server, which records who (`by`, from the profile) and when,
 * and writes it into the document. 403 for a role that may not set this status.
 */
export function setPostStatus(
  id: string,
  postId: string,
  token: string,
  body: PostStatusRequest,
): Promise<StatusChange> {
  return request(postStatusPath(id, postId), {
    method: 'PUT',
    headers: { ...bearer(token), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The flashbook's status changes, newest first. */
export async function getActivity(id: string, token: string): Promise<StatusChange[]> {
  const answer = await request<Activity>(activityPath(id), { headers: bearer(token) });
  return Array.isArray(answer.changes) ? answer.changes : [];
}

/** Issues a new token for `role` (approve token only); the old one stops working at once. */
export function replaceToken(id: string, role: Role, token: string): Promise<ReplacedToken> {
  return request(tokensPath(id, role), { method: 'POST', headers: bearer(token) });
}
