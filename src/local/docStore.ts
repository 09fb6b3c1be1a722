import * as Y from 'yjs';
import { db } from './db.ts';
import type { Origin } from '../model/origins.ts';

/** The origin of updates read back from this device's storage (not undoable, not re-stored). */
export const LOCAL_STORE: Origin = Object.freeze({ kind: 'storage' as const });

/** After this many stored rows a flashbook's updates are merged into one. */
const COMPACT_AFTER = 200;

export type LocalLoad = 'found' | 'empty' | 'failed';

/**
 * Keeps one flashbook's Y.Doc in IndexedDB (through Dexie) so it opens, edits and survives a closed
 * tab without the network. We write the Yjs updates ourselves instead of using y-indexeddb because
 * the editor must know two things y-indexeddb does not report: when every change has reached the
 * disk ("saved on this device") and when a write failed (quota, storage disabled). Every failure is
 * reported through `onError` and the document keeps working in memory; nothing waits on storage
 * longer than `timeoutMs`.
 */
export class LocalDocStore {
  /** Resolves once stored updates are applied (or storage failed or timed out). */
  readonly loaded: Promise<LocalLoad>;
  private pending = 0;
  private rows = 0;
  private failed = false;
  private compacting = false;
  private destroyed = false;
  private settled = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly docId: string,
    readonly doc: Y.Doc,
    private readonly onError: (error: unknown) => void,
    timeoutMs = 3000,
  ) {
    this.loaded = Promise.race([
      this.load(),
      new Promise<LocalLoad>((resolve) =>
        setTimeout(() => {
          if (!this.failed && this.rows === 0 && !this.settled)
            this.fail(new Error('local storage did not answer'));
          resolve(this.failed ? 'failed' : 'empty');
        }, timeoutMs),
      ),
    ]);
    doc.on('update', this.onUpdate);
  }

  private async load(): Promise<LocalLoad> {
    try {
      const rows = await db.docUpdates.where('docId').equals(this.docId).toArray();
      this.settled = true;
      if (this.destroyed) return 'empty';
      this.rows = rows.length;
      if (rows.length === 0) return 'empty';
      Y.applyUpdate(this.doc, Y.mergeUpdates(rows.map((r) => r.update)), LOCAL_STORE);
      return 'found';
    } catch (error) {
      this.settled = true;
      this.fail(error);
      return 'failed';
    }
  }

  /** True while some change has not reached the disk yet. */
  get saving(): boolean {
    return this.pending > 0;
  }

  /** True when storage failed: the flashbook lives in memory only. */
  get broken(): boolean {
    return this.failed;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.onError(error);
    this.emit();
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOCAL_STORE || this.failed || this.destroyed) return;
    this.pending++;
    this.emit();
    db.docUpdates
      .add({ docId: this.docId, update })
      .then(() => {
        this.rows++;
        if (this.rows > COMPACT_AFTER) void this.compact();
      })
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.pending--;
        this.emit();
      });
  };

  /** Replaces the stored rows by one update holding the whole document, in one transaction. */
  async compact(): Promise<void> {
    if (this.compacting || this.failed || this.destroyed) return;
    this.compacting = true;
    try {
      const merged = Y.encodeStateAsUpdate(this.doc);
      await db.transaction('rw', db.docUpdates, async () => {
        const keys = await db.docUpdates.where('docId').equals(this.docId).primaryKeys();
        await db.docUpdates.bulkDelete(keys);
        await db.docUpdates.add({ docId: this.docId, update: merged });
      });
      this.rows = 1;
    } catch (error) {
      this.fail(error);
    } finally {
      this.compacting = false;
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.doc.off('update', this.onUpdate);
    this.listeners.clear();
  }
}
