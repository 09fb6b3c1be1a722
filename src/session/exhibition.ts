import type { ExhibitionState, PublishRequest, PublishResponse } from '../protocol/exhibition.ts';
import { ApiError } from './api.ts';

/** The exhibition API (docs/server.md, "Exhibition"), for the editor's Publish dialog. */

function endpoint(id: string): string {
  return `/api/flashbooks/${encodeURIComponent(id)}/exhibition`;
}

async function call<T>(url: string, init: RequestInit): Promise<T | undefined> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError('network', 0);
  }
  if (res.status === 204) return undefined;
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(body.error ?? res.statusText, res.status);
  return body as T;
}

export async function getExhibition(id: string, token: string): Promise<ExhibitionState> {
  const state = await call<ExhibitionState>(endpoint(id), {
    headers: { Authorization: `Bearer ${token}` },
  });
  return state ?? { published: false, embedOrigins: [] };
}

export async function publishExhibition(
  id: string,
  token: string,
  body: PublishRequest,
): Promise<PublishResponse> {
  const answer = await call<PublishResponse>(endpoint(id), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!answer) throw new ApiError('empty answer', 500);
  return answer;
}

export async function unpublishExhibition(id: string, token: string): Promise<void> {
  await call(endpoint(id), { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
}
