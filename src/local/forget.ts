import {
  db,
  type OutboxEntry,
  type RecentFlashbook,
  type StoredDocUpdate,
  type SyncState,
} from './db.ts';

/** What exists only on this device for one flashbook: forgetting it would lose this for good. */
export interface DeviceOnlyWork {
  /** Created offline and never registered: the server has no copy at all. */
  localOnly: boolean;
  /** Changes the server has not confirmed storing (docs/offline.md). */
  unconfirmedChanges: number;
  /** Images added offline that are not uploaded yet. */
  unsentImages: number;
}

/** Nothing is lost by forgetting: the server holds everything this device has. */
export const nothingToLose = (w: DeviceOnlyWork): boolean =>
  !w.localOnly && w.unconfirmedChanges === 0 && w.unsentImages === 0;

/** What forgetting flashbook `id` would lose. Storage that cannot be read counts as "maybe something". */
export async function deviceOnlyWork(id: string): Promise<DeviceOnlyWork> {
  try {
    const [entry, sync, images] = await Promise.all([
      db.recent.get(id),
      db.syncState.get(id),
      db.outbox.where('flashbookId').equals(id).count(),
    ]);
    return {
      localOnly: entry?.localOnly === true,
      unconfirmedChanges: sync?.pending ?? 0,
      unsentImages: images,
    };
  } catch {
    return { localOnly: false, unconfirmedChanges: 1, unsentImages: 0 };
  }
}

/**
 * Forgets a flashbook on this device: its entry in the home page's list, its copy of the document,
 * its unconfirmed-change count and its images waiting for upload, in one transaction. The server's
 * copy (if any) is untouched; the link opens it again. The caller asks first when
 * `deviceOnlyWork` says something would be lost (HomePage).
 */
export async function forgetFlashbook(id: string): Promise<void> {
  await db
    .transaction('rw', [db.recent, db.docUpdates, db.syncState, db.outbox], async () => {
      await db.recent.delete(id);
      await db.docUpdates.where('docId').equals(id).delete();
      await db.syncState.delete(id);
      await db.outbox.where('flashbookId').equals(id).delete();
    })
    .catch(() => undefined);
}

/** What forgetting removed, kept in memory so that "Undo" can put it back exactly. */
export interface ForgottenFlashbook {
  id: string;
  recent: RecentFlashbook | undefined;
  updates: StoredDocUpdate[];
  sync: SyncState | undefined;
  outbox: OutboxEntry[];
}

/** Forgets like `forgetFlashbook`, returning what it removed for `undoForget`. */
export async function forgetWithUndo(id: string): Promise<ForgottenFlashbook> {
  const [recent, updates, sync, outbox] = await Promise.all([
    db.recent.get(id).catch(() => undefined),
    db.docUpdates
      .where('docId')
      .equals(id)
      .toArray()
      .catch(() => []),
    db.syncState.get(id).catch(() => undefined),
    db.outbox
      .where('flashbookId')
      .equals(id)
      .toArray()
      .catch(() => []),
  ]);
  await forgetFlashbook(id);
  return { id, recent, updates, sync, outbox };
}

/** Puts a forgotten flashbook back on this device, as it was. */
export async function undoForget(f: ForgottenFlashbook): Promise<void> {
  await db.transaction('rw', [db.recent, db.docUpdates, db.syncState, db.outbox], async () => {
    if (f.recent) await db.recent.put(f.recent);
    // Re-added in their order; new sequence numbers keep it.
    for (const u of f.updates) await db.docUpdates.add({ docId: u.docId, update: u.update });
    if (f.sync) await db.syncState.put(f.sync);
    for (const e of f.outbox) await db.outbox.put(e);
  });
}
