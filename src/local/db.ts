import Dexie, { type EntityTable, type Table } from 'dexie';
import { ROLES, type Role } from '../protocol/roles.ts';
import type { Workspace, WorkspaceFlashbook, WorkspaceRole } from '../protocol/workspaces.ts';

/** A flashbook this browser has opened, so the home page can list it (also offline). */
export interface RecentFlashbook {
  id: string;
  title: string;
  /** The strongest token this browser holds (the flashbook opens with it), and its role. */
  token: string;
  role: Role;
  /**
   * Every link this browser knows, by role: the creator keeps all four; an editor learns the view
   * and comment tokens from the access answer; a replaced link is updated here.
   */
  tokens?: Partial<Record<Role, string>>;
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
  /**
   * This device's secret comment-author key (32 random bytes, base64url). It goes to the server
   * with the connection (`author` in the sync URL) and never into a document, which holds only
   * its SHA-256 (authorIdOf): the messages written here stay editable only from here.
   */
  authorKey?: string;
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

/** The strongest role among the links known, and its token; undefined when none is known. */
export function strongestLink(
  tokens: Partial<Record<Role, string>>,
): { role: Role; token: string } | undefined {
  for (const role of [...ROLES].reverse()) {
    const token = tokens[role];
    if (token) return { role, token };
  }
  return undefined;
}

/**
 * The links this tab learnt, also when storage fails (a private window, a full disk): the creator
 * of a flashbook still finds its four links in the Share dialog.
 */
const linksInMemory = new Map<string, Partial<Record<Role, string>>>();

/** What this browser knows of a flashbook: its stored entry with the links this tab learnt. */
export async function knownFlashbook(id: string): Promise<RecentFlashbook | undefined> {
  const stored = await db.recent.get(id).catch(() => undefined);
  const memory = linksInMemory.get(id);
  if (!memory) return stored;
  const tokens: Partial<Record<Role, string>> = { ...stored?.tokens, ...memory };
  const best = strongestLink(tokens);
  if (!best) return stored;
  return {
    title: '',
    lastOpened: Date.now(),
    ...stored,
    id,
    tokens,
    role: best.role,
    token: best.token,
  };
}

/**
 * Remembers a flashbook and the links this browser knows for it. The flashbook's `token` is the
 * strongest link known: opening it later with a weaker link never downgrades it. `tokens` adds to
 * what is known (a replaced link overwrites its role's old token).
 */
export async function rememberFlashbook(
  entry: Omit<RecentFlashbook, 'lastOpened' | 'token'> & { token: string | null },
): Promise<void> {
  const memory = { ...linksInMemory.get(entry.id), ...entry.tokens };
  if (entry.token) memory[entry.role] = entry.token;
  linksInMemory.set(entry.id, memory);
  try {
    const existing = await db.recent.get(entry.id);
    const tokens: Partial<Record<Role, string>> = { ...existing?.tokens };
    // Entries written before `tokens` existed know one link, their own.
    if (existing?.token && !tokens[existing.role]) tokens[existing.role] = existing.token;
    if (entry.token) tokens[entry.role] = entry.token;
    Object.assign(tokens, entry.tokens);
    for (const role of ROLES) if (!tokens[role]) delete tokens[role];
    const best = strongestLink(tokens);
    await db.recent.put({
      ...existing,
      ...entry,
      tokens,
      role: best?.role ?? entry.role,
      token: best?.token ?? '',
      title: entry.title || existing?.title || '',
      localOnly: entry.localOnly ?? existing?.localOnly,
      lastOpened: Date.now(),
    });
  } catch {
    // Not remembered: the home page will not list it.
  }
}

/** Forgets a link that was replaced, so the flashbook no longer opens with it. */
export async function forgetToken(id: string, role: Role, token: string): Promise<void> {
  const memory = linksInMemory.get(id);
  if (memory?.[role] === token) delete memory[role];
  try {
    const existing = await db.recent.get(id);
    if (!existing) return;
    const tokens = { ...existing.tokens };
    if (tokens[role] === token) delete tokens[role];
    const best = strongestLink(tokens);
    await db.recent.put({
      ...existing,
      tokens,
      role: best?.role ?? existing.role,
      token: best?.token ?? (existing.token === token ? '' : existing.token),
    });
  } catch {
    // Storage unavailable: nothing was remembered.
  }
}

export async function loadProfile(): Promise<Profile | undefined> {
  return db.profile.get('me').catch(() => undefined);
}

export async function saveProfile(p: Omit<Profile, 'key' | 'authorKey'>): Promise<void> {
  await db
    .transaction('rw', db.profile, async () => {
      const existing = await db.profile.get('me');
      await db.profile.put({
        key: 'me',
        ...p,
        authorKey: existing?.authorKey ?? unsavedAuthorKey ?? newAuthorKey(),
      });
    })
    .catch(() => undefined);
}

/** A key made before there was a profile to keep it in (a reader who then gives a name). */
let unsavedAuthorKey: string | undefined;

function newAuthorKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * This device's comment-author key, made on first use and kept with the profile. Without a
 * profile yet (or without storage) it lives in memory until the profile is saved.
 */
export async function authorKey(): Promise<string> {
  try {
    return await db.transaction('rw', db.profile, async () => {
      const p = await db.profile.get('me');
      if (p?.authorKey) return p.authorKey;
      const key = unsavedAuthorKey ?? newAuthorKey();
      if (p) await db.profile.put({ ...p, authorKey: key });
      else unsavedAuthorKey = key;
      return key;
    });
  } catch {
    unsavedAuthorKey ??= newAuthorKey();
    return unsavedAuthorKey;
  }
}

/** Local storage may be unavailable (private window, quota): these never reject. */
export async function loadSyncState(docId: string): Promise<SyncState | undefined> {
  return db.syncState.get(docId).catch(() => undefined);
}

export async function saveSyncState(state: SyncState): Promise<void> {
  await db.syncState.put(state).catch(() => undefined);
}

const lastVisitKey = (id: string) => `flashbook.lastVisit.${id}`;

/**
 * When this flashbook was last open on this device (undefined: never, or unknown). In
 * localStorage, not Dexie: written synchronously when the page is left, which an IndexedDB
 * transaction started then may not finish.
 */
export function loadLastVisit(id: string): number | undefined {
  try {
    const v = Number(localStorage.getItem(lastVisitKey(id)));
    return Number.isFinite(v) && v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

export function saveLastVisit(id: string, at: number): void {
  try {
    localStorage.setItem(lastVisitKey(id), String(at));
  } catch {
    // Storage unavailable: nothing is marked new next time.
  }
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
