import { roleCanEdit } from '../protocol/roles.ts';
import {
  openVersion,
  restoreVersion,
  type RestoreTarget,
  type VersionSnapshot,
} from '../model/restore.ts';
import type { FlashbookSession } from './session.ts';

/**
 * Versions kept by the server (docs/server.md, "Versions") and restoring from them. Restores are
 * made here, in the browser, as one forward change on the live document (src/model/restore.ts),
 * which the user's undo manager records as one step.
 */

export type VersionReason = 'automatic' | 'named' | 'publish' | 'approval' | 'import' | 'restore';

export interface VersionEntry {
  id: string;
  createdAt: number;
  reason: VersionReason;
  name?: string;
  authors: { name: string; library: string }[];
}

/** A refused or failed request; `status` 0 when the server could not be reached. */
export class HistoryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const base = (id: string) => `/api/flashbooks/${encodeURIComponent(id)}/versions`;

async function call(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new HistoryError('network', 0);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new HistoryError(body.error ?? res.statusText, res.status);
  }
  return res;
}

export async function listVersions(id: string, token: string): Promise<VersionEntry[]> {
  const res = await call(base(id), { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()) as VersionEntry[];
}

/** Asks the server for a version of what it has now: named, or before a restore or an import. */
export async function saveVersion(
  id: string,
  token: string,
  request: { name: string } | { reason: 'restore' | 'import'; name?: string },
): Promise<VersionEntry> {
  const res = await call(base(id), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  return (await res.json()) as VersionEntry;
}

export async function loadVersion(
  id: string,
  token: string,
  vid: string,
): Promise<VersionSnapshot> {
  const res = await call(`${base(id)}/${encodeURIComponent(vid)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return openVersion(new Uint8Array(await res.arrayBuffer()));
}

/**
 * Restores the whole flashbook, a post or a slide. The server first keeps a version of what it
 * has (reason "restore"), so even a restore that was undone and forgotten can be found again;
 * then the change is applied as its own undo step (captures are closed on both sides so that no
 * neighbouring keystroke joins it).
 */
export async function restoreFrom(
  session: FlashbookSession,
  token: string,
  version: VersionSnapshot,
  target: RestoreTarget,
): Promise<boolean> {
  await saveVersion(session.id, token, { reason: 'restore' });
  session.undo?.stopCapturing();
  const changed = restoreVersion(session.doc, version.doc, target);
  session.undo?.stopCapturing();
  return changed;
}

/** How long an import waits for the server's "before" version (offline: it goes ahead without). */
const BEFORE_IMPORT_WAIT_MS = 3000;
/** How long the "after" version waits for the server to confirm the import. */
const AFTER_IMPORT_WAIT_MS = 120_000;

/** The edit token the session connected with; none offline-created or for viewers. */
function tokenOf(session: FlashbookSession): string | undefined {
  return roleCanEdit(session.role) ? session.token : undefined;
}

/**
 * Runs an import between two versions (reason "import", named after the file): the first is
 * asked for, and waited for briefly, before the import is applied, so that it cannot contain the
 * import; the second once the server has confirmed every local change, so that it does. Offline,
 * or if the server does not answer, the import goes ahead without them.
 */
export async function importBetweenVersions<T>(
  session: FlashbookSession,
  name: string | undefined,
  apply: () => T,
): Promise<T> {
  const token = tokenOf(session);
  const label = name?.trim().slice(0, 100) || undefined;
  const request = { reason: 'import' as const, ...(label ? { name: label } : {}) };
  if (token && session.store.getState().status === 'connected') {
    await Promise.race([
      saveVersion(session.id, token, request).catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, BEFORE_IMPORT_WAIT_MS)),
    ]);
  }
  const result = apply();
  if (token) {
    void afterConfirmed(session).then(async (ok) => {
      if (ok) await saveVersion(session.id, token, request).catch(() => undefined);
    });
  }
  return result;
}

function afterConfirmed(session: FlashbookSession): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(ok);
    };
    const check = () => {
      const s = session.store.getState();
      if (s.status === 'connected' && s.pending === 0) done(true);
    };
    const timer = setTimeout(() => done(false), AFTER_IMPORT_WAIT_MS);
    const unsubscribe = session.store.subscribe(check);
    // The import's own update is counted as pending only once the provider has seen it.
    setTimeout(check, 0);
  });
}
