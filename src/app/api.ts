/** The server's JSON API. Errors carry the server's message when it gave one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Seconds the server asked to wait (429 `retryAfter`). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

async function request<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError('network', 0);
  }
  const body = (await res.json().catch(() => ({}))) as { error?: string; retryAfter?: unknown };
  if (!res.ok) {
    const retryAfter = typeof body.retryAfter === 'number' ? body.retryAfter : undefined;
    throw new ApiError(body.error ?? res.statusText, res.status, retryAfter);
  }
  return body as T;
}

export interface CreatedFlashbook {
  id: string;
  editToken: string;
  viewToken: string;
  editUrl: string;
  viewUrl: string;
}

/**
 * Creates a flashbook: an empty one with a title, or a copy of the demo flashbook. On a server
 * that restricts creation, the invite key comes from the address the app was opened with
 * (`/?invite=<key>`).
 */
export function createFlashbook(
  what: { title: string } | { template: 'demo' } | { id: string; title: string; template: 'empty' },
): Promise<CreatedFlashbook> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const inviteKey = new URLSearchParams(location.search).get('invite');
  if (inviteKey) headers['X-Invite-Key'] = inviteKey;
  return request('/api/flashbooks', { method: 'POST', headers, body: JSON.stringify(what) });
}

export interface Access {
  id: string;
  role: 'edit' | 'view';
  viewToken?: string;
}

export function getAccess(id: string, token: string): Promise<Access> {
  return request(`/api/flashbooks/${encodeURIComponent(id)}/access`, {
    headers: { Authorization: `Bearer ${token}` },
  });
}
