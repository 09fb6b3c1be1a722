import Dexie, { type EntityTable } from 'dexie';

/** A flashbook this browser has opened, so the home page can list it (also offline). */
export interface RecentFlashbook {
  id: string;
  title: string;
  /** The token this browser holds: an edit or a view token. */
  token: string;
  role: 'edit' | 'view';
  lastOpened: number;
}

/** Who the user is, asked on first visit. */
export interface Profile {
  key: 'me';
  name: string;
  library: string;
  color: string;
}

class LocalDb extends Dexie {
  recent!: EntityTable<RecentFlashbook, 'id'>;
  profile!: EntityTable<Profile, 'key'>;

  constructor() {
    super('flashbook-studio');
    this.version(1).stores({ recent: 'id, lastOpened', profile: 'key' });
  }
}

export const db = new LocalDb();

export async function listRecent(): Promise<RecentFlashbook[]> {
  return db.recent.orderBy('lastOpened').reverse().toArray();
}

export async function rememberFlashbook(entry: Omit<RecentFlashbook, 'lastOpened'>): Promise<void> {
  const existing = await db.recent.get(entry.id);
  // An edit token is never downgraded by later opening the same flashbook with a view link.
  const keep = existing?.role === 'edit' && entry.role === 'view' ? existing : entry;
  await db.recent.put({
    ...keep,
    title: entry.title || existing?.title || '',
    lastOpened: Date.now(),
  });
}

export async function forgetFlashbook(id: string): Promise<void> {
  await db.recent.delete(id);
}

export async function loadProfile(): Promise<Profile | undefined> {
  return db.profile.get('me');
}

export async function saveProfile(p: Omit<Profile, 'key'>): Promise<void> {
  await db.profile.put({ key: 'me', ...p });
}
