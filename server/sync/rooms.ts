import type { SyncLimits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { FlashbookStore, MaybePromise } from '../storage/types.ts';
import { TokenBucket } from './rate-limit.ts';
import { Room, type RoomConnection } from './room.ts';
import type { ShareRoom } from './shared.ts';

export interface RoomsOptions {
  store: FlashbookStore;
  log: Logger;
  idleUnloadMs: number;
  compactAfterUpdates: number;
  /** Told when rooms load and unload (versions, server/versions/). */
  observer?: RoomObserver;
  sync: SyncLimits;
  /** Instances share rooms (server/scale/redis-fanout.ts). */
  share?: ShareRoom;
}

/** Hooks into a room's life, for concerns that watch documents without being part of sync. */
export interface RoomObserver {
  /** The room's document is loaded; its changes from now on are edits. */
  roomLoaded(room: Room): void;
  /** The room is about to be unloaded, its writes flushed: the last look at its document. */
  roomUnloading(room: Room): MaybePromise<void>;
  /** The room is gone (unloaded, or dropped after a failure). */
  roomGone(room: Room): void;
}

/** Budgets of flashbooks not written for a while are forgotten once there are this many. */
const MAX_BUDGETS = 10_000;

/**
 * The loaded rooms, at most one per flashbook. Concurrent connections to a flashbook share one
 * room and one load; a room that is being unloaded is waited for, then loaded afresh.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly roomOf = new Map<RoomConnection, Room>();
  private readonly idleTimers = new Map<Room, NodeJS.Timeout>();
  /**
   * Each flashbook's write budget, kept across unloads and reloads: reconnecting (or letting the
   * room unload) must not refill it.
   */
  private readonly budgets = new Map<string, TokenBucket>();

  constructor(private readonly opts: RoomsOptions) {}

  get size(): number {
    return this.rooms.size;
  }

  /** Adds `conn` to the room of flashbook `id`, loading it if needed. Await `room.ready` next. */
  async enter(id: string, conn: RoomConnection): Promise<Room> {
    let room = this.rooms.get(id);
    while (room?.unloaded) {
      await room.unloaded;
      room = this.rooms.get(id);
    }
    if (!room) {
      room = new Room(id, {
        store: this.opts.store,
        log: this.opts.log,
        compactAfterUpdates: this.opts.compactAfterUpdates,
        limits: this.opts.sync,
        budget: this.budgetOf(id),
        onEmpty: (r) => this.scheduleUnload(r),
        onFailed: (r) => this.forget(r),
        share: this.opts.share,
      });
      this.rooms.set(id, room);
      const observer = this.opts.observer;
      const loading = room;
      if (observer) {
        void room.ready.then(() => {
          if (loading.state === 'ready') observer.roomLoaded(loading);
        });
      }
    }
    this.cancelUnload(room);
    room.add(conn);
    this.roomOf.set(conn, room);
    return room;
  }

  /**
   * Loads (or shares) the room of flashbook `id` for the server's own writes (the status API):
   * the room stays loaded until `release`. Await `room.ready` and check `room.state` next.
   */
  async hold(id: string): Promise<{ room: Room; release(): void }> {
    const holder = new ServerHold();
    const room = await this.enter(id, holder);
    return { room, release: () => this.leave(holder) };
  }

  /** The room of a flashbook, if one is loaded or loading. */
  loaded(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  private budgetOf(id: string): TokenBucket {
    let budget = this.budgets.get(id);
    if (!budget) {
      const now = performance.now();
      if (this.budgets.size >= MAX_BUDGETS) {
        for (const [key, b] of this.budgets) if (b.full(now)) this.budgets.delete(key);
      }
      const { bytesPerMinute, byteBurst } = this.opts.sync;
      budget = new TokenBucket(bytesPerMinute / 60, byteBurst, now);
      this.budgets.set(id, budget);
    }
    return budget;
  }

  /** Idempotent: called when a connection closes, whatever stage it reached. */
  leave(conn: RoomConnection): void {
    const room = this.roomOf.get(conn);
    if (!room) return;
    this.roomOf.delete(conn);
    room.remove(conn);
  }

  private scheduleUnload(room: Room): void {
    if (room.connections.size > 0 || room.unloaded || room.state === 'closed') return;
    if (room.state === 'loading') {
      void room.ready.then(() => this.scheduleUnload(room));
      return;
    }
    this.cancelUnload(room);
    const timer = setTimeout(() => void this.unload(room), this.opts.idleUnloadMs);
    this.idleTimers.set(room, timer);
  }

  private cancelUnload(room: Room): void {
    const timer = this.idleTimers.get(room);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(room);
  }

  /** Compacts and drops a room. Waits for its queued writes first, so nothing is lost. */
  private unload(room: Room): Promise<void> {
    this.cancelUnload(room);
    if (room.unloaded) return room.unloaded;
    room.unloaded = (async () => {
      await room.flushed();
      try {
        await this.opts.observer?.roomUnloading(room);
      } catch {
        // The observer's own concern (logged there): unloading must go on.
      }
      try {
        await room.compact();
      } catch {
        // Logged by the room; the uncompacted rows are complete, so unloading is still safe.
      }
      this.forget(room);
    })();
    return room.unloaded;
  }

  private forget(room: Room): void {
    this.cancelUnload(room);
    if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
    this.opts.observer?.roomGone(room);
    room.destroy();
  }

  /**
   * Closes every connection of a flashbook's room with `code` and unloads it (its queued writes
   * stored first): the flashbook is about to be deleted for good.
   */
  async evict(id: string, code: number, reason: string): Promise<void> {
    const room = this.rooms.get(id);
    if (!room) return;
    await room.ready.catch(() => undefined);
    for (const conn of [...room.connections]) conn.close(code, reason);
    await this.unload(room);
  }

  /** Unloads every room (after their connections were closed): the shutdown path. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => this.unload(room)));
  }
}

let holds = 0;

/**
 * A stand-in connection that keeps a room loaded while the server writes into it. It never
 * receives anything (not open), has no role (no author of versions) and takes no part in sync.
 */
class ServerHold implements RoomConnection {
  readonly id = -++holds;
  readonly role = undefined;
  readonly wantsAcks = false;
  readonly open = false;
  send(): void {}
  deliverTo(): void {}
  reject(): void {}
  close(): void {}
  probe(): void {}
  answeredProbe(): boolean {
    return true;
  }
}
