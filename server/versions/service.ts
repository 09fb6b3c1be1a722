import type { VersionsOptions } from './config.ts';
import * as Y from 'yjs';
import { newId } from '../../src/model/ids.ts';
import { SERVER } from '../../src/model/origins.ts';
import { roleCanEdit } from '../auth/roles.ts';
import { errorMessage, type Logger } from '../log.ts';
import type { FlashbookStore, Leases } from '../storage/types.ts';
import { encodeIntegratedState } from '../sync/integrity.ts';
import type { Room } from '../sync/room.ts';
import type { RoomObserver, Rooms } from '../sync/rooms.ts';
import { versionsToDrop } from './retention.ts';
import type { VersionAuthor, VersionReason, VersionRecord, VersionStore } from './types.ts';

/** What editing happened in a room since its last version. */
interface Span {
  dirty: boolean;
  authors: Map<string, VersionAuthor>;
  timer: NodeJS.Timeout | undefined;
  detach: () => void;
}

/** A version as the API shows it (no flashbook id, no state). */
export type VersionInfo = Omit<VersionRecord, 'flashbookId'>;

/**
 * Makes and keeps versions. It watches loaded rooms (as the rooms' observer): the first change
 * after a version starts a timer of `intervalMs`, at whose end an automatic version is made (so
 * continuous editing gets one every interval), and a room that changed gets one when it unloads.
 * Everything else asks for one explicitly (`record`): a named version, before a restore, before
 * and after an import, and, once those exist, at publishing and approval.
 *
 * Authors: the names and libraries in the awareness of the edit connections present while the
 * room changed or someone arrived, since the previous version.
 */
export class VersionService implements RoomObserver {
  rooms: Rooms | undefined;
  private readonly spans = new Map<Room, Span>();
  /** Version making per flashbook runs one at a time, so ids and thinning never interleave. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly opts: VersionsOptions & {
      store: VersionStore;
      flashbooks: FlashbookStore;
      log: Logger;
      /** Instances sharing rooms make each automatic version once: whoever takes the lease. */
      leases?: Leases;
      holder?: string;
    },
  ) {}

  roomLoaded(room: Room): void {
    const span: Span = { dirty: false, authors: new Map(), timer: undefined, detach: () => {} };
    const onUpdate = () => {
      // Who is here is collected when the span starts and whenever presence changes (coalesced
      // by the room's awareness), not on every keystroke: a seminar room has 150 of them.
      if (!span.dirty) this.collectAuthors(room, span);
      span.dirty = true;
      if (!span.timer) {
        span.timer = setTimeout(() => {
          span.timer = undefined;
          if (span.dirty) void this.automatic(room).catch(() => undefined);
        }, this.opts.intervalMs);
        span.timer.unref();
      }
    };
    const onAwareness = () => this.collectAuthors(room, span);
    room.doc.on('update', onUpdate);
    const stopAwareness = room.awareness.onChange(onAwareness);
    span.detach = () => {
      room.doc.off('update', onUpdate);
      stopAwareness();
      clearTimeout(span.timer);
    };
    this.spans.set(room, span);
  }

  async roomUnloading(room: Room): Promise<void> {
    const span = this.spans.get(room);
    if (span?.dirty) {
      try {
        await this.automatic(room);
      } catch {
        // Logged by record; unloading goes on, the document itself is stored.
      }
    }
  }

  /**
   * An automatic version, unless another instance holding the room made this span's (the lease
   * lasts half an interval: both instances' timers start from the same first change).
   */
  private async automatic(room: Room): Promise<void> {
    const leases = this.opts.leases;
    if (leases) {
      const ttl = Math.max(1000, Math.floor(this.opts.intervalMs / 2));
      const mine = await leases.tryAcquire(`version:${room.id}`, this.opts.holder ?? 'local', ttl);
      if (!mine) {
        const span = this.spans.get(room);
        if (span) {
          span.dirty = false;
          span.authors = new Map();
        }
        return;
      }
    }
    await this.record(room.id, 'automatic');
  }

  roomGone(room: Room): void {
    this.spans.get(room)?.detach();
    this.spans.delete(room);
  }

  private collectAuthors(room: Room, span: Span): void {
    for (const conn of room.connections) {
      if (!roleCanEdit(conn.role)) continue;
      for (const state of room.awareness.statesOf(conn)) {
        const user = (state as { user?: unknown } | null)?.user as
          { name?: unknown; library?: unknown } | undefined;
        if (!user || typeof user.name !== 'string' || !user.name.trim()) continue;
        const name = user.name.trim().slice(0, 80);
        const library = typeof user.library === 'string' ? user.library.trim().slice(0, 120) : '';
        span.authors.set(JSON.stringify([name, library]), { name, library });
      }
    }
  }

  /**
   * Makes a version of what the server has now: the loaded room's document, or the stored one.
   * Publishing and approval call this with their reason.
   */
  record(
    flashbookId: string,
    reason: VersionReason,
    opts: { name?: string } = {},
  ): Promise<VersionInfo> {
    const previous = this.chains.get(flashbookId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => this.make(flashbookId, reason, opts.name));
    this.chains.set(flashbookId, next);
    // The caller gets the failure; this bookkeeping must not raise it again as an unhandled one.
    const done = () => {
      if (this.chains.get(flashbookId) === next) this.chains.delete(flashbookId);
    };
    next.then(done, done);
    return next;
  }

  private async make(
    flashbookId: string,
    reason: VersionReason,
    name: string | undefined,
  ): Promise<VersionInfo> {
    try {
      const { state, room } = await this.currentState(flashbookId);
      const span = room ? this.spans.get(room) : undefined;
      const authors = span ? [...span.authors.values()] : [];
      if (span && room) {
        // The next span starts now, with the editors who are here.
        span.dirty = false;
        span.authors = new Map();
        clearTimeout(span.timer);
        span.timer = undefined;
        this.collectAuthors(room, span);
      }
      const record: VersionRecord = {
        id: newId(),
        flashbookId,
        createdAt: Date.now(),
        reason,
        authors,
        bytes: state.byteLength,
      };
      if (name !== undefined) record.name = name;
      await this.makeRoom(flashbookId, record.bytes);
      await this.opts.store.addVersion(record, state);
      this.opts.log.info('version', {
        room: flashbookId,
        version: record.id,
        reason,
        bytes: record.bytes,
      });
      await this.thin(flashbookId, record.createdAt);
      return info(record);
    } catch (err) {
      this.opts.log.error('error', { room: flashbookId, reason: 'version: ' + errorMessage(err) });
      throw err;
    }
  }

  /**
   * Versions count towards a flashbook's storage: the oldest automatic versions give way to a new
   * one; when that is not enough, the new version is refused and nothing stored is touched.
   */
  private async makeRoom(flashbookId: string, bytes: number): Promise<void> {
    const limit = this.opts.maxBytesPerFlashbook;
    const all = await this.opts.store.listVersions(flashbookId);
    let used = all.reduce((sum, v) => sum + v.bytes, 0);
    if (used + bytes <= limit) return;
    const automatic = all
      .filter((v) => v.reason === 'automatic')
      .sort((a, b) => a.createdAt - b.createdAt);
    const drop: string[] = [];
    for (const v of automatic) {
      if (used + bytes <= limit) break;
      drop.push(v.id);
      used -= v.bytes;
    }
    if (used + bytes > limit) throw new VersionQuotaError(limit);
    await this.opts.store.deleteVersions(flashbookId, drop);
  }

  private async thin(flashbookId: string, now: number): Promise<void> {
    const all = await this.opts.store.listVersions(flashbookId);
    const drop = versionsToDrop(all, now, this.opts.retention);
    if (drop.length) await this.opts.store.deleteVersions(flashbookId, drop);
  }

  /** The loaded room's document (without pending structs, see integrity.ts) or the stored one. */
  private async currentState(flashbookId: string): Promise<{ state: Uint8Array; room?: Room }> {
    const room = this.rooms?.loaded(flashbookId);
    if (room) {
      await room.ready;
      if (room.state === 'ready') return { state: encodeIntegratedState(room.doc), room };
    }
    // Not loaded (or being unloaded: everything it forwarded is stored by now).
    await room?.unloaded;
    const { updates } = await this.opts.flashbooks.loadUpdates(flashbookId);
    const doc = new Y.Doc();
    try {
      for (const u of updates) Y.applyUpdate(doc, u, SERVER);
      return { state: encodeIntegratedState(doc) };
    } finally {
      doc.destroy();
    }
  }

  async list(flashbookId: string): Promise<VersionInfo[]> {
    return (await this.opts.store.listVersions(flashbookId)).map(info);
  }

  state(flashbookId: string, id: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.opts.store.getVersionState(flashbookId, id));
  }

  /** Bytes of a flashbook's versions, for its storage quota. */
  bytes(flashbookId: string): Promise<number> {
    return Promise.resolve(this.opts.store.versionBytes(flashbookId));
  }

  /**
   * Deletes every version of a flashbook deleted for good (the workspace's "delete for good"):
   * after any version being made for it, so none is left behind.
   */
  async forget(flashbookId: string): Promise<void> {
    await (this.chains.get(flashbookId) ?? Promise.resolve()).catch(() => undefined);
    const all = await this.opts.store.listVersions(flashbookId);
    if (all.length > 0)
      await this.opts.store.deleteVersions(
        flashbookId,
        all.map((v) => v.id),
      );
  }

  /** Waits for versions being made (shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }
}

function info(r: VersionRecord): VersionInfo {
  const out: VersionInfo = {
    id: r.id,
    createdAt: r.createdAt,
    reason: r.reason,
    authors: r.authors,
    bytes: r.bytes,
  };
  if (r.name !== undefined) out.name = r.name;
  return out;
}

/** A version that does not fit in the flashbook's version storage (MAX_VERSION_BYTES_PER_FLASHBOOK). */
export class VersionQuotaError extends Error {
  constructor(readonly limit: number) {
    super(`this flashbook's version history has reached its storage limit (${limit} bytes)`);
  }
}
