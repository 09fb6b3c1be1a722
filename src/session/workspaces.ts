import * as Y from 'yjs';
import {
  API_FLASHBOOKS,
  type CreatedFlashbook,
  type CreateFlashbookRequest,
} from '../protocol/api.ts';
import {
  API_WORKSPACES,
  workspaceArchivePath,
  workspaceFlashbookPath,
  workspaceFlashbooksPath,
  workspacePath,
  workspaceRestorePath,
  workspaceTokensPath,
  type CreatedWorkspace,
  type ReplacedWorkspaceToken,
  type UpdateWorkspaceRequest,
  type Workspace,
  type WorkspaceFlashbooks,
  type WorkspaceRole,
} from '../protocol/workspaces.ts';
import { ApiError, request, inviteHeaders } from './api.ts';
import {
  db,
  loadWorkspace,
  rememberFlashbook,
  rememberWorkspace,
  saveSyncState,
  type CachedWorkspace,
} from '../local/db.ts';
import { seedFlashbook } from '../model/flashbook.ts';
import { applyBrandKit } from '../model/brand.ts';
import { newId } from '../model/ids.ts';
import { seedTemplate, type TemplateId, type TemplateLanguage } from '../model/templates.ts';
import { LOCAL } from '../model/origins.ts';

export type { CachedWorkspace } from '../local/db.ts';

/** The workspace API (docs/server.md, "Workspaces") and this browser's copy of what it showed. */

const auth = (token: string, json = false): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  ...(json ? { 'Content-Type': 'application/json' } : {}),
});

export function createWorkspace(name: string): Promise<CreatedWorkspace> {
  return request(API_WORKSPACES, {
    method: 'POST',
    headers: { ...inviteHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  });
}

export function getWorkspace(id: string, token: string): Promise<Workspace> {
  return request(workspacePath(id), { headers: auth(token) });
}

export function updateWorkspace(
  id: string,
  token: string,
  patch: UpdateWorkspaceRequest,
): Promise<Workspace> {
  return request(workspacePath(id), {
    method: 'PUT',
    headers: auth(token, true),
    body: JSON.stringify(patch),
  });
}

export function replaceWorkspaceToken(
  id: string,
  token: string,
  role: WorkspaceRole,
): Promise<ReplacedWorkspaceToken> {
  return request(workspaceTokensPath(id, role), { method: 'POST', headers: auth(token) });
}

export function archiveFlashbook(id: string, token: string, flashbookId: string): Promise<unknown> {
  return request(workspaceArchivePath(id, flashbookId), { method: 'POST', headers: auth(token) });
}

export function restoreFlashbook(id: string, token: string, flashbookId: string): Promise<unknown> {
  return request(workspaceRestorePath(id, flashbookId), { method: 'POST', headers: auth(token) });
}

export function deleteFlashbookForGood(
  id: string,
  token: string,
  flashbookId: string,
): Promise<unknown> {
  return request(workspaceFlashbookPath(id, flashbookId), {
    method: 'DELETE',
    headers: auth(token),
  });
}

/** Creates a flashbook inside the workspace (an empty one with a title, or a template). */
export function createInWorkspace(
  id: string,
  token: string,
  what: CreateFlashbookRequest,
): Promise<CreatedFlashbook> {
  return request(API_FLASHBOOKS, {
    method: 'POST',
    headers: auth(token, true),
    body: JSON.stringify({ ...what, workspace: id }),
  });
}

/**
 * Fetches the workspace and its flashbooks and keeps them on this device. Without the network it
 * answers what this device last saw (`offline: true`); a refused token is thrown (401, 410).
 */
export async function refreshWorkspace(
  id: string,
  token: string,
): Promise<{ entry: CachedWorkspace; offline: boolean }> {
  try {
    const [workspace, list] = await Promise.all([
      getWorkspace(id, token),
      request<WorkspaceFlashbooks>(workspaceFlashbooksPath(id), { headers: auth(token) }),
    ]);
    const entry = {
      id,
      token,
      role: workspace.role,
      workspace,
      flashbooks: list.flashbooks,
      fetchedAt: Date.now(),
    };
    await rememberWorkspace(entry);
    return { entry: { ...entry, lastOpened: Date.now() }, offline: false };
  } catch (err) {
    if (err instanceof ApiError && err.status === 0) {
      const cached = await loadWorkspace(id);
      if (cached?.workspace) return { entry: cached, offline: true };
    }
    throw err;
  }
}

/**
 * A flashbook created inside a workspace without the network: seeded here with the workspace's
 * brand kit as this device last saw it, kept on the device, and registered into the workspace
 * (src/session/registration.ts) once the server can be reached.
 */
export async function createOfflineInWorkspace(
  cached: CachedWorkspace,
  title: string,
  template?: { id: TemplateId; language: TemplateLanguage },
): Promise<string> {
  const id = newId();
  const doc = new Y.Doc();
  if (template) seedTemplate(doc, template.id, { language: template.language, title }, LOCAL);
  else seedFlashbook(doc, { title }, LOCAL);
  if (cached.workspace) {
    applyBrandKit(doc, cached.workspace.brand, LOCAL, cached.workspace.libraries);
  }
  await db.docUpdates.add({ docId: id, update: Y.encodeStateAsUpdate(doc) });
  doc.destroy();
  await rememberFlashbook({
    id,
    title,
    token: '',
    role: 'edit',
    localOnly: true,
    workspaceId: cached.id,
  });
  await saveSyncState({ docId: id, pending: 1, lastSync: null });
  return id;
}
