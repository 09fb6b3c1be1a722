import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Role } from '../protocol/roles.ts';
import type { Workspace, WorkspaceFlashbook, WorkspaceRole } from '../protocol/workspaces.ts';

/** A flashbook this browser has opened, so the home page can list it (also offline). */
export interface RecentFlashbook {
  id: string;
  title: string;
  /** The token this browser holds: an edit or a view token. */
  token: string;
  role: Role;
  lastOpened: number;
  /** Created offline and not yet registered with the server: it has no token yet. */
  localOnly?: boolean;
  /** When this browser last had every local change confirmed by the server, ms since the epoch. */
  lastSync?: number;
  /** Created offline inside this workspace: it joins the workspace when it is registered. */
  workspaceId?: string;
}

/**
 * A workspace this browser has opened, with what it last saw of it, so that the workspace page
 * opens without the network (and new flashbooks created offline get its brand kit).
 */
export interface CachedWorkspace {
  id: string;
  token: string;
  role: WorkspaceRole;
  /** The workspace as last fetched, or undefined until the first answer. */
  workspace?: Workspace;
  flashbooks?: WorkspaceFlashbook[];
  /** When `workspace` and `flashbooks` were fetched, ms since the epoch. */
  fetchedAt?: number;
  lastOpened: number;
}

/** Who the user is, asked on first visit. */
export interface Profile {
  key: 'me';
  name: string;
  library: string;
  color: string;
}

/**
 * An image this browser has loaded or uploaded, keyed by its asset id (the SHA-256 of the bytes).
 * Content-addressed, so an entry never goes stale; it lets a flashbook open with its images
 * without the network. Written and read by src/assets only.
 */
export interface CachedAsset {
  id: string;
  blob: Blob;
  /** When it was stored, ms since the epoch (for a future eviction of old entries). */
  storedAt: number;
}

/** One Yjs update of a flashbook, kept so the flashbook opens and edits without the network. */
export interface StoredDocUpdate {
  seq?: number;
  docId: string;
  update: Uint8Array;
}

/** How far the server has confirmed this device's changes to a flashbook (see src/session/acks.ts). */
export interface SyncState {
  docId: string;
  /** Local changes not yet confirmed by the server. */
  pending: number;
  /** When the server last confirmed every change, ms since the epoch. */
  lastSync: number | null;
}

/**
 * An image added while the server could not take it (offline, or a flashbook not registered yet):
 * its bytes are in `assets`; src/assets/resolver.ts uploads it when the network returns.
 */
export interface OutboxEntry {
  flashbookId: string;
  assetId: string;
  attempts: number;
  /** Not before this time, ms since the epoch (exponential backoff). */
  nextAttemptAt: number;
  /** The server refused it (too large, not an image): kept locally, shown with this reason. */
  refused?: { status: number; message: string; code?: string; format?: string; limit?: number };
}

class LocalDb extends Dexie {
  outbox!: Table<OutboxEntry, [string, string]>;
  recent!: EntityTable<RecentFlashbook, 'id'>;
  docUpdates!: EntityTable<StoredDocUpdate, 'seq'>;
  syncState!: EntityTable<SyncState, 'docId'>;
  profile!: EntityTable<Profile, 'key'>;
  assets!: EntityTable<CachedAsset, 'id'>;
  workspaces!: EntityTable<CachedWorkspace, 'id'>;

  constructor() {
    super('flashbook-studio');
    this.version(1).stores({ recent: 'id, lastOpened', profile: 'key' });
    // Version 2 adds the image cache; the tables of version 1 are unchanged.
    this.version(2).stores({ assets: 'id, storedAt' });
    // Version 3 keeps flashbooks themselves on the device (offline editing, src/local/docStore.ts).
    this.version(3).stores({
      docUpdates: '++seq, docId',
      syncState: 'docId',
      outbox: '[flashbookId+assetId], flashbookId',
    });
    // Version 4 keeps the workspaces this browser opened (src/session/workspaces.ts).
    this.version(4).stores({ workspaces: 'id, lastOpened' });
  }
}

export const db = new LocalDb();

// The helpers below never reject: storage may be unavailable (a private window, a full disk), and
// the app then keeps working without remembering (the editor shows a warning, see docStore.ts).

export async function listRecent(): Promise<RecentFlashbook[]> {
  return db.recent
    .orderBy('lastOpened')
    .reverse()
    .toArray()
    .catch(() => []);
}

export async function rememberFlashbook(
  entry: Omit<RecentFlashbook, 'lastOpened' | 'token'> & { token: string | null },
): Promise<void> {
  try {
    const existing = await db.recent.get(entry.id);
    // An edit token is never downgraded by later opening the same flashbook with a view link.
    const keep = existing?.role === 'edit' && entry.role === 'view' ? existing : entry;
    await db.recent.put({
      ...existing,
      ...keep,
      token: keep.token || existing?.token || '',
      title: entry.title || existing?.title || '',
      localOnly: keep.localOnly ?? existing?.localOnly,
      lastOpened: Date.now(),
    });
  } catch {
    // Not remembered: the home page will not list it.
  }
}

export async function loadProfile(): Promise<Profile | undefined> {
  return db.profile.get('me').catch(() => undefined);
}

export async function saveProfile(p: Omit<Profile, 'key'>): Promise<void> {
  await db.profile.put({ key: 'me', ...p }).catch(() => undefined);
}

/** Local storage may be unavailable (private window, quota): these never reject. */
export async function loadSyncState(docId: string): Promise<SyncState | undefined> {
  return db.syncState.get(docId).catch(() => undefined);
}

export async function saveSyncState(state: SyncState): Promise<void> {
  await db.syncState.put(state).catch(() => undefined);
}

export async function listWorkspaces(): Promise<CachedWorkspace[]> {
  return db.workspaces
    .orderBy('lastOpened')
    .reverse()
    .toArray()
    .catch(() => []);
}

export async function loadWorkspace(id: string): Promise<CachedWorkspace | undefined> {
  return db.workspaces.get(id).catch(() => undefined);
}

/** Remembers a workspace and its token; an admin token is never replaced by a member one. */
export async function rememberWorkspace(entry: Omit<CachedWorkspace, 'lastOpened'>): Promise<void> {
  try {
    const existing = await db.workspaces.get(entry.id);
    const keepToken = existing?.role === 'admin' && entry.role === 'member';
    await db.workspaces.put({
      ...existing,
      ...entry,
      token: keepToken ? existing.token : entry.token,
      role: keepToken ? existing.role : entry.role,
      lastOpened: Date.now(),
    });
  } catch {
    // Not remembered: the page works, but will not open offline.
  }
}

export async function forgetWorkspace(id: string): Promise<void> {
  await db.workspaces.delete(id).catch(() => undefined);
}
