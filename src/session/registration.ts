import * as Y from 'yjs';
import { ApiError, createFlashbook, type CreatedFlashbook } from './api.ts';
import {
  db,
  loadWorkspace,
  rememberFlashbook,
  saveSyncState,
  strongestLink,
  type RecentFlashbook,
} from '../local/db.ts';
import type { Role } from '../protocol/roles.ts';
import { createInWorkspace } from './workspaces.ts';
import { seedFlashbook } from '../model/flashbook.ts';
import { seedTemplate, type TemplateId, type TemplateLanguage } from '../model/templates.ts';
import { newId } from '../model/ids.ts';

/**
 * Flashbooks created without the network. The client chooses the id, writes the first content
 * itself (it is the only replica that exists, so nothing can be seeded twice) and keeps it on this
 * device; once the server can be reached, the flashbook is registered (`template: "empty"`: the
 * server stores the record without seeding) and receives its tokens, then syncs like any other.
 */
export async function createOfflineFlashbook(
  title: string,
  template?: { id: TemplateId; language: TemplateLanguage },
): Promise<string> {
  const id = newId();
  const doc = new Y.Doc();
  // A starting template is seeded here like an empty flashbook: this is the only replica.
  if (template) seedTemplate(doc, template.id, { language: template.language, title });
  else seedFlashbook(doc, { title });
  await db.docUpdates.add({ docId: id, update: Y.encodeStateAsUpdate(doc) });
  doc.destroy();
  await rememberFlashbook({ id, title, token: '', role: 'edit', localOnly: true });
  // The whole first content is one change the server has not confirmed yet.
  await saveSyncState({ docId: id, pending: 1, lastSync: null });
  return id;
}

type Listener = (entry: RecentFlashbook) => void;
const listeners = new Set<Listener>();

/** Tells when a flashbook created offline got its tokens (with its new entry). */
export function onRegistered(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let running: Promise<void> | null = null;

/** Registers every flashbook created offline, if the server can be reached. Safe to call often. */
export function registerPending(): Promise<void> {
  running ??= (async () => {
    try {
      const local = await db.recent.filter((r) => r.localOnly === true).toArray();
      for (const entry of local) await register(entry);
    } catch {
      // Storage unavailable: nothing was created offline on this device then.
    } finally {
      running = null;
    }
  })();
  return running;
}

async function register(entry: RecentFlashbook): Promise<void> {
  let id = entry.id;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const what = { id, title: entry.title || '—', template: 'empty' } as const;
      // Created offline inside a workspace: it joins the workspace with the workspace's token.
      const workspace = entry.workspaceId ? await loadWorkspace(entry.workspaceId) : undefined;
      const created = workspace
        ? await createInWorkspace(workspace.id, workspace.token, what)
        : await createFlashbook(what);
      const tokens = createdLinks(created);
      const best = strongestLink(tokens);
      const registered: RecentFlashbook = {
        ...entry,
        id,
        role: best?.role ?? 'edit',
        token: best?.token ?? created.editToken,
        tokens,
        localOnly: false,
        lastOpened: Date.now(),
      };
      await db.recent.put(registered);
      for (const l of listeners) l(registered);
      return;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Someone registered this id already (astronomically unlikely with 95 random bits): the
        // local flashbook moves to a fresh id; never merge into someone else's.
        id = await moveToNewId(id);
        continue;
      }
      return; // offline, or refused (an invite key is needed): it stays local and is retried later
    }
  }
}

async function moveToNewId(oldId: string): Promise<string> {
  const id = newId();
  await db.transaction('rw', [db.docUpdates, db.syncState, db.recent, db.outbox], async () => {
    await db.docUpdates.where('docId').equals(oldId).modify({ docId: id });
    const sync = await db.syncState.get(oldId);
    if (sync) {
      await db.syncState.delete(oldId);
      await db.syncState.put({ ...sync, docId: id });
    }
    const recent = await db.recent.get(oldId);
    if (recent) {
      await db.recent.delete(oldId);
      await db.recent.put({ ...recent, id });
    }
    const outbox = await db.outbox.where('flashbookId').equals(oldId).toArray();
    for (const e of outbox) {
      await db.outbox.delete([oldId, e.assetId]);
      await db.outbox.put({ ...e, flashbookId: id });
    }
  });
  return id;
}

/** The links the creator of a flashbook receives: all four (two from a server before review). */
export function createdLinks(created: CreatedFlashbook): Partial<Record<Role, string>> {
  const tokens: Partial<Record<Role, string>> = {
    edit: created.editToken,
    view: created.viewToken,
  };
  if (created.commentToken) tokens.comment = created.commentToken;
  if (created.approveToken) tokens.approve = created.approveToken;
  return tokens;
}
