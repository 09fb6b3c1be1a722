import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { SERVER } from '../../src/model/origins.ts';
import { errorMessage, type Logger } from '../log.ts';
import {
  andThen,
  isPromiseLike,
  type FlashbookStore,
  type MaybePromise,
  type StoredUpdates,
} from '../storage/types.ts';
import { CLOSE } from './close-codes.ts';
import type { Connection } from './connection.ts';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  encodeAck,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from './protocol.ts';
import { encodeIntegratedState, malformedUpdate } from './integrity.ts';
import { SerialQueue } from './serial-queue.ts';
import { carriesChanges } from './viewer.ts';

export interface RoomOptions {
  store: FlashbookStore;
  log: Logger;
  compactAfterUpdates: number;
  /** The last connection left: the registry starts the idle timer. */
  onEmpty(room: Room): void;
  /** Loading or storing failed: the registry forgets the room (its connections are closed). */
  onFailed(room: Room): void;
}

type State = 'loading' | 'ready' | 'closed';

/** Acknowledgements of stored updates are coalesced over this long. */
const ACK_DELAY_MS = 100;
/** Thrown for messages that are not valid protocol: the connection is closed with 4400. */
class MalformedMessage extends Error {}

/**
 * One loaded flashbook: its Y.Doc, the awareness of who is here, and the connections.
 *
 * Invariant: nothing leaves the server before it is stored. Accepted updates are appended to the
 * store and only then forwarded; replies to sync step 1 are queued behind the appends of every
 * update they contain. Both go through one SerialQueue, which keeps their order.
 */
export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();
  state: State = 'loading';
  /** Settles when loading is over; never rejects: check `state` ('ready', or 'closed' on failure). */
  readonly ready: Promise<void>;
  /** Set by the registry when unloading starts; settles when the room is gone. */
  unloaded: Promise<void> | undefined;

  private readonly queue: SerialQueue;
  /** Stored rows of this flashbook whose append completed, and the seq of the last of them. */
  private rows = 0;
  private lastSeq = 0;
  private compacting = false;
  /** Row count that triggers the next background compaction. */
  private compactAt: number;
  private compactionScheduled: NodeJS.Immediate | undefined;
  /** A stored update that did not apply: keep every row untouched for inspection, never compact. */
  private damaged = false;
  /** While an editor's update is applied: its changes, stored and forwarded only if it applied. */
  private held: { update: Uint8Array; origin: unknown }[] | undefined;

  constructor(
    readonly id: string,
    private readonly opts: RoomOptions,
  ) {
    // The server is not a participant: it must not announce a presence of its own.
    this.awareness.setLocalState(null);
    this.compactAt = opts.compactAfterUpdates;
    this.queue = new SerialQueue((err) => this.fail('storage write failed', err));
    this.ready = Promise.resolve()
      .then(() => opts.store.loadUpdates(id))
      .then(
        (stored) => this.loaded(stored),
        (err: unknown) => this.fail('loading failed', err),
      );
  }

  private loaded({ updates, lastSeq }: StoredUpdates): void {
    if (this.state !== 'loading') return;
    for (const update of updates) {
      try {
        Y.applyUpdate(this.doc, update, SERVER);
      } catch (err) {
        this.damaged = true;
        this.opts.log.error('error', {
          room: this.id,
          reason: 'stored update does not apply, compaction disabled: ' + errorMessage(err),
        });
      }
    }
    this.rows = updates.length;
    this.lastSeq = lastSeq;
    // Registered after loading, so that loading itself is not appended again.
    this.doc.on('update', (update: Uint8Array, origin: unknown) =>
      this.onDocUpdate(update, origin),
    );
    this.awareness.on('update', this.onAwarenessUpdate);
    this.state = 'ready';
    this.maybeScheduleCompaction();
  }

  /** Adds a connection; it gets the document once the room is ready (see `start`). */
  add(conn: Connection): void {
    this.connections.add(conn);
  }

  /** Starts the protocol with a connection of a ready room. */
  start(conn: Connection): void {
    if (!conn.open) return;
    // The reference server opens with its own step 1, so the client sends what the server lacks.
    conn.send(encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) conn.send(encodeAwareness(this.awareness, states));
    conn.deliverTo((data) => this.receive(conn, data));
  }

  remove(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    if (conn.awarenessIds.size > 0 && this.state === 'ready') {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
    }
    if (this.connections.size === 0) this.opts.onEmpty(this);
  }

  private receive(conn: Connection, data: Uint8Array): void {
    try {
      this.handleMessage(conn, data);
    } catch (err) {
      // Undecodable varints, an unknown type, an update Yjs refuses: only this client is at fault.
      const reason = err instanceof MalformedMessage ? err.message : 'malformed message';
      conn.reject(CLOSE.BAD_REQUEST, reason, { detail: errorMessage(err).slice(0, 200) });
    }
  }

  private handleMessage(conn: Connection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        this.handleSync(conn, decoder);
        return;
      case MESSAGE_AWARENESS:
        awarenessProtocol.applyAwarenessUpdate(
          this.awareness,
          decoding.readVarUint8Array(decoder),
          conn,
        );
        return;
      case MESSAGE_QUERY_AWARENESS: {
        const states = [...this.awareness.getStates().keys()];
        conn.send(encodeAwareness(this.awareness, states));
        return;
      }
      case MESSAGE_AUTH:
        // Defined by the client library, never sent by it; access was settled at connect time.
        return;
      default:
        throw new MalformedMessage('unknown message type');
    }
  }

  private handleSync(conn: Connection, decoder: decoding.Decoder): void {
    const type = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    switch (type) {
      case SYNC_STEP1: {
        // Computed now, sent after every append queued so far: it contains exactly those updates.
        const reply = encodeSyncStep2(this.doc, payload);
        this.queue.push(() => conn.send(reply));
        return;
      }
      case SYNC_STEP2:
      case SYNC_UPDATE:
        if (conn.role !== 'edit') {
          this.dropViewerUpdate(conn, payload);
          return;
        }
        this.applyFrom(conn, payload);
        return;
      default:
        throw new MalformedMessage('unknown sync message type');
    }
  }

  private dropViewerUpdate(conn: Connection, update: Uint8Array): void {
    // Every viewer answers the server's step 1 with a (normally empty) step 2: only an update
    // that would really change the document is worth a log line.
    if (conn.loggedDroppedUpdate || !carriesChanges(this.doc, update)) return;
    conn.loggedDroppedUpdate = true;
    this.opts.log.info('dropped-update', {
      room: this.id,
      role: conn.role,
      conn: conn.id,
      reason: 'view-only connection sent a document update',
    });
  }

  /**
   * Applies an editor's update all or nothing, as far as anyone else can tell (see integrity.ts):
   * malformed updates are refused before Yjs sees them, and the changes of one that makes Yjs
   * throw half-way are neither stored nor forwarded; the room, whose memory now holds them, is
   * reloaded from storage (its clients reconnect at once: 1011 is transient).
   */
  private applyFrom(conn: Connection, update: Uint8Array): void {
    const problem = malformedUpdate(update);
    if (problem) throw new MalformedMessage(problem);
    const held: { update: Uint8Array; origin: unknown }[] = [];
    this.held = held;
    try {
      Y.applyUpdate(this.doc, update, conn);
    } catch (err) {
      if (held.length === 0) throw err; // nothing was integrated: only the sender is at fault
      conn.reject(CLOSE.BAD_REQUEST, 'update does not apply', { detail: errorMessage(err) });
      this.fail('update failed half-way, reloading', err, 'document reloaded');
      return;
    } finally {
      this.held = undefined;
    }
    for (const { update: u, origin } of held) this.storeAndForward(u, origin);
    if (conn.wantsAcks) {
      // Queued behind the appends of whatever this message changed: sent once they are stored.
      const count = ++conn.storedUpdateMessages;
      this.queue.push(() => this.scheduleAck(conn, count));
    }
  }

  /**
   * Acknowledges stored update messages to a client that asked for it (protocol.ts, MESSAGE_ACK).
   * Typing sends a message per keystroke; acknowledgements are coalesced per connection to one per
   * ACK_DELAY_MS carrying the highest count.
   */
  private scheduleAck(conn: Connection, count: number): void {
    conn.ackCount = Math.max(conn.ackCount, count);
    if (conn.ackTimer) return;
    conn.ackTimer = setTimeout(() => {
      conn.ackTimer = undefined;
      if (conn.open) conn.send(encodeAck(conn.ackCount));
    }, ACK_DELAY_MS);
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (this.held) this.held.push({ update, origin });
    else this.storeAndForward(update, origin);
  }

  private storeAndForward(update: Uint8Array, origin: unknown): void {
    const message = encodeUpdate(update);
    this.queue.push(() =>
      andThen(this.opts.store.appendUpdate(this.id, update), (seq) => {
        this.rows += 1;
        this.lastSeq = seq;
        for (const conn of this.connections) if (conn !== origin) conn.send(message);
        this.maybeScheduleCompaction();
      }),
    );
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...change.added, ...change.updated, ...change.removed];
    const author = this.connections.has(origin as Connection) ? (origin as Connection) : undefined;
    if (author) {
      for (const id of [...change.added, ...change.updated]) author.awarenessIds.add(id);
      for (const id of change.removed) author.awarenessIds.delete(id);
    }
    // Sent to the author too, like the reference server: the client's 30 s "no message" watchdog
    // counts its own echoed heartbeats as life signs.
    const message = encodeAwareness(this.awareness, changed);
    for (const conn of this.connections) conn.send(message);
  };

  private maybeScheduleCompaction(): void {
    if (this.rows < this.compactAt || this.compactionScheduled || this.compacting) return;
    // Off the message path: the update that crossed the threshold is forwarded first.
    this.compactionScheduled = setImmediate(() => {
      this.compactionScheduled = undefined;
      if (this.state !== 'ready') return;
      void Promise.resolve(this.compact()).catch(() => undefined);
    });
  }

  /**
   * Replaces the stored rows by one update holding the whole document. Every row up to lastSeq is
   * already applied to the doc, so the merged state covers them; rows appended meanwhile stay.
   */
  compact(): MaybePromise<void> {
    if (this.rows <= 1 || this.compacting || this.damaged || this.state === 'closed') return;
    const upToSeq = this.lastSeq;
    const covered = this.rows;
    // Without pending structs: they may come from a malformed update (see integrity.ts).
    const merged = encodeIntegratedState(this.doc);
    this.compacting = true;
    const finish = (ok: boolean, err?: unknown): void => {
      this.compacting = false;
      if (ok) {
        this.rows -= covered - 1;
        this.compactAt = this.opts.compactAfterUpdates;
        this.opts.log.debug('compacted', { room: this.id, rows: covered, bytes: merged.length });
      } else {
        // The rows are still there and complete. Retry later, not on every following keystroke.
        this.compactAt = this.rows + this.opts.compactAfterUpdates;
        this.opts.log.error('error', { room: this.id, reason: 'compaction: ' + errorMessage(err) });
      }
    };
    let result: MaybePromise<void>;
    try {
      result = this.opts.store.compact(this.id, upToSeq, merged);
    } catch (err) {
      return finish(false, err);
    }
    if (!isPromiseLike(result)) return finish(true);
    return Promise.resolve(result).then(
      () => finish(true),
      (err: unknown) => finish(false, err),
    );
  }

  /** Waits for queued appends and sends, so that an unload or shutdown loses nothing. */
  flushed(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Storage failed: what is in memory may be ahead of storage, so drop the room without
   * compacting. Clients reconnect (1011 is transient) and resend whatever storage is missing.
   */
  fail(what: string, err: unknown, reason = 'storage error'): void {
    if (this.state === 'closed') return;
    this.opts.log.error('error', { room: this.id, reason: `${what}: ${errorMessage(err)}` });
    for (const conn of this.connections) conn.close(CLOSE.INTERNAL_ERROR, reason);
    this.opts.onFailed(this);
  }

  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.compactionScheduled) clearImmediate(this.compactionScheduled);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
