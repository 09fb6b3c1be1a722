import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
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
import type { Role } from '../auth/tokens.ts';
import { roleCanComment } from '../auth/roles.ts';
import { checkUpdate, type PostRepair, type Verdict } from './policy.ts';
import { POST, ROOT, SERVER_OWNED_POST_FIELDS } from '../../src/model/schema.ts';
import type { AwarenessPeer } from './awareness.ts';
import type { SyncLimits } from '../config.ts';
import { MalformedAwareness, RoomAwareness } from './awareness.ts';
import type { TokenBucket } from './rate-limit.ts';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  encodeAck,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from './protocol.ts';
import {
  encodeIntegratedState,
  inspectUpdate,
  rewritesHistory,
  type DecodedUpdate,
} from './integrity.ts';
import { SerialQueue } from './serial-queue.ts';
import type { RoomLink, ShareRoom, SharedRoom } from './shared.ts';
import { carriesChanges } from './viewer.ts';

export interface RoomOptions {
  store: FlashbookStore;
  log: Logger;
  compactAfterUpdates: number;
  limits: SyncLimits;
  /** Bytes this flashbook may still store; shared by its connections and kept across reloads. */
  budget: TokenBucket;
  /** The last connection left: the registry starts the idle timer. */
  onEmpty(room: Room): void;
  /** Loading or storing failed: the registry forgets the room (its connections are closed). */
  onFailed(room: Room): void;
  /** Set when instances share rooms (REDIS_URL): the room's link to the others. */
  share?: ShareRoom;
}

/** Transaction origin of updates another instance stored: forwarded here, never stored again. */
const STORED_ELSEWHERE = Symbol('stored elsewhere');
/** A gap in the seqs is given this long to fill by itself (messages in flight) before healing. */
const HEAL_DELAY_MS = 150;
const HEAL_RETRY_MS = 1000;
/** Bounds of one batched append (a networked store): updates and bytes. */
const MAX_BATCH = 256;
const MAX_BATCH_BYTES = 1024 * 1024;

type State = 'loading' | 'ready' | 'closed';

/**
 * What a room needs of a connection: a WebSocket in the server (connection.ts), a message queue
 * in the convergence fuzz (tests/unit/room-fuzz.test.ts). It is also the transaction origin of
 * the updates it sends, which is how a room forwards an update to everyone but its author.
 */
export interface RoomConnection extends AwarenessPeer {
  readonly id: number;
  readonly role: Role | undefined;
  /** authorIdOf the connection's comment author key, if it gave one (`author=` in the URL). */
  readonly authorId?: string | undefined;
  /** The client asked for acknowledgements of stored updates (`ack=1`). */
  readonly wantsAcks: boolean;
  /** `whole`: a sync reply, which the send-buffer cap lets through even when large. */
  send(bytes: Uint8Array, whole?: boolean): void;
  /** Routes every message from the client (the ones buffered meanwhile first) to `handler`. */
  deliverTo(handler: (data: Uint8Array) => void): void;
  /** Closes because of what the client sent; `detail` goes to the log, not to the client. */
  reject(code: number, reason: string, detail?: Record<string, unknown>): void;
  close(code: number, reason: string): void;
  /** Pings; terminates the connection if no pong comes within `timeoutMs`. */
  probe(timeoutMs: number): void;
  /** Whether it answered a probe sent within the last `withinMs`. */
  answeredProbe(withinMs: number): boolean;
}

/** What a room keeps about each of its connections. */
interface Peer {
  loggedDroppedUpdate: boolean;
  /** Sync step 2 and update messages received (numbered for acks). */
  updateMessages: number;
  /** Highest count whose changes are stored; the highest acknowledged; the coalescing timer. */
  storedCount: number;
  ackCount: number;
  ackTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The first update message that left changes pending (dependencies missing): it and every
   * later one are acknowledged only once nothing is pending.
   */
  ackBlockedFrom: number | undefined;
  /** Yjs client ids this connection wrote new structs for (one writer per client id). */
  writes: Set<number>;
  /** How much the pending structs grew by this connection's messages. */
  pendingBytes: number;
}

/** Acknowledgements of stored updates are coalesced over this long. */
const ACK_DELAY_MS = 100;
/** Thrown for messages that are not valid protocol: the connection is closed with 4400. */
class MalformedMessage extends Error {}
/** Sync replies are cached for state vectors up to this size (a new client's is one byte). */
const CACHED_STATE_VECTOR_BYTES = 1024;
const CACHED_REPLIES = 8;
/** How long a probed writer has to answer, and how long its answer counts. */
const PROBE_TIMEOUT_MS = 5000;
const PROBE_VALID_MS = 60_000;
const MEASURE_INTERVAL_MS = 1000;

/**
 * One loaded flashbook: its Y.Doc, the awareness of who is here, and the connections.
 *
 * Invariant: nothing leaves the server before it is stored. Accepted updates are appended to the
 * store and only then forwarded; replies to sync step 1 are queued behind the appends of every
 * update they contain. Both go through one SerialQueue, which keeps their order.
 */
export class Room implements SharedRoom {
  readonly doc = new Y.Doc();
  readonly awareness: RoomAwareness;
  readonly connections = new Set<RoomConnection>();
  private readonly peers = new Map<RoomConnection, Peer>();
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
  /** The next compaction, when one is scheduled (an immediate, or a timer while resting). */
  private compactionScheduled:
    | { kind: 'immediate'; handle: NodeJS.Immediate }
    | { kind: 'timer'; handle: ReturnType<typeof setTimeout> }
    | undefined;
  /**
   * No compaction starts before this (performance.now()): after one, the room rests as long as
   * it took, so that compacting takes at most about half the time of a room that is written
   * faster than its store compacts.
   */
  private compactionRestUntil = -Infinity;
  /** A stored update that did not apply: keep every row untouched for inspection, never compact. */
  private damaged = false;
  /** While an editor's update is applied: its changes, stored and forwarded only if it applied. */
  private held: { update: Uint8Array; origin: unknown }[] | undefined;
  /** Bytes of the stored update log (every row), and what it was right after the last compaction. */
  private logBytes = 0;
  private compactedBytes = 0;
  /** An upper bound of the document's encoded size; exact right after `measure()`. */
  private docBytes = 0;
  private docBytesExact = false;
  private measuredAt = -Infinity;
  /** The document's size at the last measurement. */
  private measuredBytes = 0;
  /** Sync step 2 replies by requested state vector, valid until the document changes. */
  private readonly replies = new Map<string, Uint8Array>();
  /** Connections whose updates left structs pending (dependencies missing) in the doc. */
  private readonly pendingOwners = new Set<RoomConnection>();
  /** Which open connection writes new structs for a Yjs client id. */
  private readonly writers = new Map<number, RoomConnection>();
  /**
   * Shared rooms only. `lastSeq` is then the end of the contiguous prefix of rows this document
   * has (a flashbook's seqs are dense in PostgreSQL); `ahead` are this instance's rows after it
   * (seq to byte length: a compaction up to `lastSeq` does not cover them),
   * `early` other instances' rows after it, applied once the gap before them is filled.
   */
  private readonly link: RoomLink | undefined;
  private readonly ahead = new Map<number, number>();
  private readonly early = new Map<number, Uint8Array>();
  private healing: Promise<void> | undefined;
  private healAgain = false;
  private healTimer: ReturnType<typeof setTimeout> | undefined;
  /** Updates whose (batched) append has not started yet; see storeAndForward. */
  private batch: { items: { update: Uint8Array; origin: unknown }[]; bytes: number } | undefined;

  constructor(
    readonly id: string,
    private readonly opts: RoomOptions,
  ) {
    this.awareness = new RoomAwareness(opts.limits.awareness, (peer, reason) =>
      opts.log.info('awareness-refused', {
        room: id,
        conn: (peer as RoomConnection).id,
        role: (peer as RoomConnection).role,
        reason,
      }),
    );
    this.compactAt = opts.compactAfterUpdates;
    this.queue = new SerialQueue((err) => this.fail('storage write failed', err));
    this.link = opts.share?.(this);
    if (this.link) {
      const link = this.link;
      this.awareness.onLocalChanges = (payload) => link.publishAwareness(payload);
    }
    // Shared: listening to the others first, so that nothing stored after the load is missed.
    this.ready = (this.link?.joined ?? Promise.resolve())
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
    this.logBytes = updates.reduce((sum, u) => sum + u.byteLength, 0);
    this.compactedBytes = this.logBytes;
    // Pending parts of a stored log are never served or kept (see applyFrom).
    this.doc.store.pendingStructs = null;
    this.doc.store.pendingDs = null;
    this.docBytes = this.logBytes;
    this.docBytesExact = false;
    // Registered after loading, so that loading itself is not appended again.
    this.doc.on('update', (update: Uint8Array, origin: unknown) =>
      this.onDocUpdate(update, origin),
    );
    this.state = 'ready';
    if (this.link) {
      for (const seq of this.early.keys()) if (seq <= this.lastSeq) this.early.delete(seq);
      this.advance();
    }
    this.maybeScheduleCompaction();
  }

  receiveUpdate(seq: number, update: Uint8Array): void {
    if (this.state === 'closed' || seq <= this.lastSeq || this.ahead.has(seq)) return;
    this.early.set(seq, update);
    if (this.state !== 'ready') return;
    this.advance();
    if (this.early.size > 0) this.scheduleHeal();
  }

  receiveSeq(seq: number): void {
    if (this.state === 'ready' && seq > this.lastSeq && !this.ahead.has(seq)) this.scheduleHeal();
  }

  receiveAwareness(instance: string, payload: Uint8Array): void {
    if (this.state !== 'closed') this.awareness.applyRemote(instance, payload);
  }

  heal(): void {
    this.scheduleHeal(0);
  }

  /** This instance stored row `seq`. */
  private stored(seq: number, bytes: number): void {
    if (seq <= this.lastSeq) return;
    this.ahead.set(seq, bytes);
    this.advance();
    if (this.ahead.size > 0) this.scheduleHeal();
  }

  /** Moves `lastSeq` over every row that is now in the document, applying others' in order. */
  private advance(): void {
    for (;;) {
      const next = this.lastSeq + 1;
      if (this.ahead.delete(next)) {
        this.lastSeq = next;
        continue;
      }
      const update = this.early.get(next);
      if (!update) break;
      this.early.delete(next);
      this.lastSeq = next;
      this.applyStored(update);
    }
    if (this.early.size === 0 && this.ahead.size === 0 && this.healTimer) {
      clearTimeout(this.healTimer);
      this.healTimer = undefined;
    }
  }

  /** Applies a row another instance stored: forwarded to this room's clients, not stored again. */
  private applyStored(update: Uint8Array): void {
    this.rows += 1;
    this.logBytes += update.byteLength;
    try {
      Y.applyUpdate(this.doc, update, STORED_ELSEWHERE);
    } catch (err) {
      this.damaged = true;
      this.opts.log.error('error', {
        room: this.id,
        reason: 'stored update does not apply, compaction disabled: ' + errorMessage(err),
      });
    }
  }

  private scheduleHeal(delayMs = HEAL_DELAY_MS): void {
    if (this.state !== 'ready') return;
    if (this.healing) {
      this.healAgain = true;
      return;
    }
    if (this.healTimer) {
      if (delayMs > 0) return;
      clearTimeout(this.healTimer);
    }
    this.healTimer = setTimeout(() => {
      this.healTimer = undefined;
      this.runHeal();
    }, delayMs);
  }

  /**
   * Reads the rows after `lastSeq` from the store and applies them (Yjs updates are idempotent,
   * so a row that arrives twice changes nothing). Whatever the bus lost is healed here.
   */
  private runHeal(): void {
    if (this.healing || this.state !== 'ready') return;
    const after = this.lastSeq;
    const store = this.opts.store;
    this.healing = Promise.resolve()
      .then(() =>
        store.loadUpdatesAfter
          ? store.loadUpdatesAfter(this.id, after)
          : store.loadUpdates(this.id),
      )
      .then(
        (stored) => {
          if (this.state !== 'ready') return;
          stored.updates.forEach((update, i) => {
            const seq = stored.seqs?.[i];
            if (seq !== undefined && (seq <= this.lastSeq || this.ahead.has(seq))) return;
            this.applyStored(update);
          });
          this.lastSeq = Math.max(this.lastSeq, stored.lastSeq);
          for (const seq of this.ahead.keys()) if (seq <= this.lastSeq) this.ahead.delete(seq);
          for (const seq of this.early.keys()) if (seq <= this.lastSeq) this.early.delete(seq);
          this.advance();
        },
        (err: unknown) => {
          this.opts.log.warn('error', { room: this.id, reason: 'healing: ' + errorMessage(err) });
          this.healAgain = true;
        },
      )
      .finally(() => {
        this.healing = undefined;
        if (this.healAgain) {
          this.healAgain = false;
          this.scheduleHeal(HEAL_RETRY_MS);
        } else if (this.early.size > 0 || this.ahead.size > 0) {
          this.scheduleHeal();
        }
      });
  }

  /** Adds a connection; it gets the document once the room is ready (see `start`). */
  add(conn: RoomConnection): void {
    this.connections.add(conn);
    this.peers.set(conn, {
      loggedDroppedUpdate: false,
      updateMessages: 0,
      storedCount: 0,
      ackCount: 0,
      ackTimer: undefined,
      ackBlockedFrom: undefined,
      writes: new Set(),
      pendingBytes: 0,
    });
  }

  private peer(conn: RoomConnection): Peer {
    const peer = this.peers.get(conn);
    if (!peer) throw new Error('not a connection of this room');
    return peer;
  }

  /** Starts the protocol with a connection of a ready room. */
  start(conn: RoomConnection): void {
    if (!conn.open) return;
    // The reference server opens with its own step 1, so the client sends what the server lacks.
    conn.send(encodeSyncStep1(this.doc));
    this.awareness.join(conn);
    conn.deliverTo((data) => this.receive(conn, data));
  }

  remove(conn: RoomConnection): void {
    const peer = this.peers.get(conn);
    if (!this.connections.delete(conn) || !peer) return;
    this.peers.delete(conn);
    clearTimeout(peer.ackTimer);
    this.awareness.leave(conn);
    for (const client of peer.writes) {
      if (this.writers.get(client) === conn) this.writers.delete(client);
    }
    if (this.pendingOwners.delete(conn) && this.pendingOwners.size === 0) {
      // Nobody who sent them is here to resend them: pending structs live no longer than that.
      this.dropPending();
    }
    if (this.connections.size === 0) this.opts.onEmpty(this);
  }

  private receive(conn: RoomConnection, data: Uint8Array): void {
    try {
      this.handleMessage(conn, data);
    } catch (err) {
      // Undecodable varints, an unknown type, an update Yjs refuses: only this client is at fault.
      const reason =
        err instanceof MalformedMessage || err instanceof MalformedAwareness
          ? err.message
          : 'malformed message';
      conn.reject(CLOSE.BAD_REQUEST, reason, { detail: errorMessage(err).slice(0, 200) });
    }
  }

  private handleMessage(conn: RoomConnection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        this.handleSync(conn, decoder);
        return;
      case MESSAGE_AWARENESS:
        this.awareness.receive(conn, decoding.readVarUint8Array(decoder));
        return;
      case MESSAGE_QUERY_AWARENESS:
        this.awareness.query(conn);
        return;
      case MESSAGE_AUTH:
        // Defined by the client library, never sent by it; access was settled at connect time.
        return;
      default:
        throw new MalformedMessage('unknown message type');
    }
  }

  private handleSync(conn: RoomConnection, decoder: decoding.Decoder): void {
    const type = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    switch (type) {
      case SYNC_STEP1: {
        // Computed now, sent after every append queued so far: it contains exactly those updates.
        const reply = this.syncReply(payload);
        this.queue.push(() => conn.send(reply, true));
        return;
      }
      case SYNC_STEP2:
      case SYNC_UPDATE:
        if (!roleCanComment(conn.role)) {
          this.dropViewerUpdate(conn, payload);
          return;
        }
        this.applyFrom(conn, payload, type === SYNC_UPDATE);
        return;
      default:
        throw new MalformedMessage('unknown sync message type');
    }
  }

  private dropViewerUpdate(
    conn: RoomConnection,
    update: Uint8Array,
    reason = 'view-only connection sent a document update',
  ): void {
    // Every viewer answers the server's step 1 with a (normally empty) step 2: only an update
    // that would really change the document is worth a log line.
    const peer = this.peer(conn);
    if (peer.loggedDroppedUpdate || !carriesChanges(this.doc, update)) return;
    peer.loggedDroppedUpdate = true;
    this.opts.log.info('dropped-update', { room: this.id, role: conn.role, conn: conn.id, reason });
  }

  /**
   * Applies an editor's update all or nothing, as far as anyone else can tell (see integrity.ts):
   * malformed updates are refused before Yjs sees them, and the changes of one that makes Yjs
   * throw half-way are neither stored nor forwarded; the room, whose memory now holds them, is
   * reloaded from storage (its clients reconnect at once: 1011 is transient).
   *
   * Before it is applied an update must fit the flashbook's limits: the write budget shared by
   * all its connections and the update log's size (else 1013: the client retries later), the
   * document size (4423) and one history per client id (4409). After it, the room may hold at
   * most `maxPendingBytes` of structs whose dependencies are missing, and no deletions of what
   * it does not have (an editor could otherwise delete another client's future clock range, or
   * leave a delete set that every later update re-reads); else its pending part is dropped and
   * the sender is closed with 1013 so that it resends once the dependencies are there.
   * Nothing that is not stored is acknowledged.
   */
  private applyFrom(conn: RoomConnection, update: Uint8Array, live: boolean): void {
    const decoded = inspectUpdate(update);
    if ('problem' in decoded) throw new MalformedMessage(decoded.problem);
    const limits = this.opts.limits;
    let verdict: Verdict | undefined;
    if (decoded.structs.length > 0 || decoded.ds.clients.size > 0) {
      // What this connection's role and author key allow (policy.ts), before anything else.
      verdict = checkUpdate(this.doc, decoded, conn);
      if (!verdict.ok) {
        if (verdict.action === 'drop') this.dropViewerUpdate(conn, update, verdict.reason);
        else if (verdict.action === 'forbid') conn.reject(CLOSE.FORBIDDEN_CHANGE, verdict.reason);
        else conn.reject(CLOSE.TRY_AGAIN_LATER, verdict.reason);
        return;
      }
      const writer = this.writerConflict(conn, decoded);
      if (writer === 'alive' || rewritesHistory(this.doc, decoded)) {
        conn.reject(CLOSE.CLIENT_ID_CONFLICT, 'another client writes with this client id');
        return;
      }
      if (writer === 'probing') {
        conn.reject(CLOSE.TRY_AGAIN_LATER, 'client id in use, try again later');
        return;
      }
      if (this.logBytes + update.byteLength > limits.maxLogBytes) {
        this.maybeScheduleCompaction(true);
        conn.reject(CLOSE.TRY_AGAIN_LATER, 'flashbook busy, try again later', {
          logBytes: this.logBytes,
        });
        return;
      }
      if (decoded.structs.length > 0 && this.wouldExceedDocLimit(update.byteLength)) {
        conn.reject(CLOSE.FLASHBOOK_FULL, 'flashbook size limit reached', {
          docBytes: this.docBytes,
        });
        return;
      }
      if (!this.opts.budget.take(update.byteLength, performance.now())) {
        conn.reject(CLOSE.TRY_AGAIN_LATER, 'flashbook write budget exceeded, try again later');
        return;
      }
    }
    const peer = this.peer(conn);
    const store = this.doc.store;
    const pendingBefore = store.pendingStructs?.update;
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
    // Whatever did integrate is a valid change: stored and forwarded like any other.
    for (const { update: u, origin } of held) this.storeAndForward(u, origin);
    if (verdict?.ok && verdict.repair) this.resetReview(verdict.repair);
    // Only live edits (update messages) make a connection the writer of a client id: a sync
    // step 2 may carry other tabs' changes, received over BroadcastChannel, on their behalf.
    for (const struct of live ? decoded.structs : []) {
      const client = struct.id.client;
      if (!peer.writes.has(client) && !this.writers.has(client)) {
        this.writers.set(client, conn);
        peer.writes.add(client);
      }
    }
    const pendingAfter = store.pendingStructs?.update;
    let refused: string | undefined;
    if (store.pendingDs) {
      store.pendingDs = null;
      refused = 'update deletes changes the server does not have';
    }
    if (pendingAfter && pendingAfter.byteLength > limits.maxPendingBytes) {
      refused = 'update depends on changes the server does not have';
      for (const owner of this.pendingOwners) {
        if (owner !== conn) owner.close(CLOSE.TRY_AGAIN_LATER, refused);
      }
      this.dropPending();
    } else if (pendingAfter && pendingAfter !== pendingBefore) {
      this.pendingOwners.add(conn);
      peer.ackBlockedFrom ??= peer.updateMessages + 1;
      // One connection may hold at most a quarter of the room's bound: others can still relay.
      peer.pendingBytes += pendingAfter.byteLength - (pendingBefore?.byteLength ?? 0);
      if (peer.pendingBytes > limits.maxPendingBytes / 4) {
        refused = 'update depends on changes the server does not have';
      }
    } else if (!pendingAfter && this.pendingOwners.size > 0) {
      this.pendingResolved();
    }
    if (refused) {
      // Not acknowledged: the client resends it after reconnecting, when it may apply.
      conn.reject(CLOSE.TRY_AGAIN_LATER, refused);
      return;
    }
    if (conn.wantsAcks) {
      // Queued behind the appends of whatever this message changed: sent once they are stored.
      const count = ++peer.updateMessages;
      this.queue.push(() => this.scheduleAck(conn, count));
    }
  }

  /**
   * New posts that arrived with server-owned fields (an undo of a post's deletion restores them):
   * the server makes them drafts again, with origin SERVER, right after they were applied.
   */
  private resetReview(repairs: PostRepair[]): void {
    const posts = this.doc.getMap<unknown>(ROOT.posts);
    this.doc.transact(() => {
      for (const { key, id } of repairs) {
        const item = posts._map.get(key);
        if (!item || item.deleted || item.id.client !== id.client || item.id.clock !== id.clock) {
          continue; // not the post that arrived (another won the key): nothing of it to reset
        }
        const post = posts.get(key);
        if (!(post instanceof Y.Map)) continue;
        for (const field of SERVER_OWNED_POST_FIELDS) {
          if (field === POST.status) {
            if (post.get(field) !== 'draft') post.set(field, 'draft');
          } else if (post.has(field)) post.delete(field);
        }
      }
    }, SERVER);
  }

  /**
   * Whether `decoded` writes new structs for a client id another open connection writes for.
   * The other may be a socket whose peer is gone unnoticed (the same client, reconnected): it is
   * probed, and the newcomer is told to try again later ('probing'); once the other answered a
   * probe, two live connections share the id ('alive'), and the newcomer is refused for good.
   */
  private writerConflict(
    conn: RoomConnection,
    decoded: DecodedUpdate,
  ): 'alive' | 'probing' | undefined {
    let result: 'probing' | undefined;
    for (const struct of decoded.structs) {
      const { client, clock } = struct.id;
      const writer = this.writers.get(client);
      if (!writer || writer === conn || !writer.open) continue;
      if (clock + struct.length <= Y.getState(this.doc.store, client)) continue; // nothing new
      if (writer.answeredProbe(PROBE_VALID_MS)) return 'alive';
      writer.probe(PROBE_TIMEOUT_MS);
      result = 'probing';
    }
    return result;
  }

  /** Whether growing the document by up to `bytes` would take it over `maxDocBytes`. */
  private wouldExceedDocLimit(bytes: number): boolean {
    const max = this.opts.limits.maxDocBytes;
    if (this.docBytes + bytes <= max) return false;
    // Measuring encodes the whole document: near the limit, at most once a second. In between
    // the last measurement decides, so the document may overshoot by what is written in a
    // second (bounded by the write budget); the first sync reply is sent whole anyway.
    const now = performance.now();
    if (!this.docBytesExact && now - this.measuredAt >= MEASURE_INTERVAL_MS) {
      this.measuredAt = now;
      this.measure();
    }
    return (this.docBytesExact ? this.docBytes : this.measuredBytes) + bytes > max;
  }

  /** Encodes the document once (the reply a new client gets, kept for it) to know its size. */
  private measure(): void {
    this.docBytes = this.syncReply(new Uint8Array([0])).byteLength;
    this.measuredBytes = this.docBytes;
    this.docBytesExact = true;
  }

  /** Sync step 2 for `stateVector`, encoded once per document state for small state vectors. */
  private syncReply(stateVector: Uint8Array): Uint8Array {
    if (stateVector.byteLength > CACHED_STATE_VECTOR_BYTES) {
      return encodeSyncStep2(this.doc, stateVector);
    }
    const key = Buffer.from(stateVector).toString('latin1');
    let reply = this.replies.get(key);
    if (!reply) {
      reply = encodeSyncStep2(this.doc, stateVector);
      if (this.replies.size >= CACHED_REPLIES)
        this.replies.delete(this.replies.keys().next().value!);
      this.replies.set(key, reply);
    }
    return reply;
  }

  private dropPending(): void {
    this.doc.store.pendingStructs = null;
    for (const owner of this.pendingOwners) {
      const peer = this.peers.get(owner);
      if (peer) peer.pendingBytes = 0;
    }
    this.pendingOwners.clear();
  }

  /** The pending structs integrated: their senders' acknowledgements are due. */
  private pendingResolved(): void {
    for (const owner of this.pendingOwners) {
      const peer = this.peers.get(owner);
      if (!peer) continue;
      peer.ackBlockedFrom = undefined;
      peer.pendingBytes = 0;
      const count = peer.storedCount;
      this.queue.push(() => this.scheduleAck(owner, count));
    }
    this.pendingOwners.clear();
  }

  /**
   * Acknowledges stored update messages to a client that asked for it (protocol.ts, MESSAGE_ACK).
   * Typing sends a message per keystroke; acknowledgements are coalesced per connection to one per
   * ACK_DELAY_MS carrying the highest count. Messages that left something pending are held back.
   */
  private scheduleAck(conn: RoomConnection, count: number): void {
    const peer = this.peers.get(conn);
    if (!peer) return;
    peer.storedCount = Math.max(peer.storedCount, count);
    const due =
      peer.ackBlockedFrom === undefined
        ? peer.storedCount
        : Math.min(peer.storedCount, peer.ackBlockedFrom - 1);
    if (due <= peer.ackCount) return;
    peer.ackCount = due;
    if (peer.ackTimer) return;
    peer.ackTimer = setTimeout(() => {
      peer.ackTimer = undefined;
      if (conn.open) conn.send(encodeAck(peer.ackCount));
    }, ACK_DELAY_MS);
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    this.replies.clear();
    this.docBytes += update.byteLength;
    this.docBytesExact = false;
    if (origin === STORED_ELSEWHERE) {
      // Stored already: forwarded at once, not behind this instance's own appends (which made
      // every keystroke from another instance wait for them; bench/README.md, "Scale-out").
      // Nothing it depends on is unstored: the other instance had it, so it was published.
      const message = encodeUpdate(update);
      for (const conn of this.connections) conn.send(message);
    } else if (this.held) this.held.push({ update, origin });
    else this.storeAndForward(update, origin);
  }

  private storeAndForward(update: Uint8Array, origin: unknown): void {
    const store = this.opts.store;
    if (!store.appendUpdates) {
      this.queue.push(() =>
        andThen(store.appendUpdate(this.id, update), (seq) =>
          this.afterStored(seq, update, origin),
        ),
      );
      return;
    }
    // A networked store (PostgreSQL): updates that arrive while an append is in flight wait for
    // it anyway, so they are stored together, in one statement and one commit, when their turn
    // comes. A batch is open until its step starts; with an idle queue it holds one update.
    const open = this.batch;
    if (
      open &&
      open.items.length < MAX_BATCH &&
      open.bytes + update.byteLength <= MAX_BATCH_BYTES
    ) {
      open.items.push({ update, origin });
      open.bytes += update.byteLength;
      return;
    }
    const batch = { items: [{ update, origin }], bytes: update.byteLength };
    this.batch = batch;
    this.queue.push(() => {
      if (this.batch === batch) this.batch = undefined;
      const updates = batch.items.map((b) => b.update);
      return andThen(store.appendUpdates!(this.id, updates), (seqs) => {
        batch.items.forEach(({ update: u, origin: o }, i) => this.afterStored(seqs[i]!, u, o));
      });
    });
  }

  /** An update is stored as row `seq`: now it may be forwarded (and published). */
  private afterStored(seq: number, update: Uint8Array, origin: unknown): void {
    // A shared room's healing may have read this row before its append returned: counted then.
    if (!this.link || seq > this.lastSeq) {
      this.rows += 1;
      this.logBytes += update.byteLength;
    }
    if (this.link) {
      this.stored(seq, update.byteLength);
      this.link.publishUpdate(seq, update);
    } else {
      this.lastSeq = seq;
    }
    const message = encodeUpdate(update);
    for (const conn of this.connections) if (conn !== origin) conn.send(message);
    this.maybeScheduleCompaction();
  }

  /**
   * Schedules one compaction when the log crossed a threshold (or `now`, when it is too long to
   * take more): one at a time, however many appends crossed it, and never on the message path.
   * Called after each append and after each compaction of an asynchronous store (appends that
   * arrived meanwhile may have crossed a threshold again).
   */
  private maybeScheduleCompaction(now = false): void {
    const byBytes = this.logBytes >= this.compactedBytes + this.opts.limits.compactAfterBytes;
    if (!now && !byBytes && this.rows < this.compactAt) return;
    if (this.compactionScheduled || this.compacting || this.damaged) return;
    const run = (): void => {
      this.compactionScheduled = undefined;
      if (this.state !== 'ready') return;
      void Promise.resolve(this.compact()).catch(() => undefined);
    };
    const rest = this.compactionRestUntil - performance.now();
    // Off the message path: the update that crossed the threshold is forwarded first.
    this.compactionScheduled =
      rest > 0
        ? { kind: 'timer', handle: setTimeout(run, rest) }
        : { kind: 'immediate', handle: setImmediate(run) };
  }

  /**
   * Replaces the stored rows by one update holding the whole document. Every row up to lastSeq is
   * already applied to the doc, so the merged state covers them; rows appended meanwhile stay.
   */
  compact(): MaybePromise<void> {
    if (this.rows <= 1 || this.compacting || this.damaged || this.state === 'closed') return;
    const upToSeq = this.lastSeq;
    // What the merged row replaces: every row up to lastSeq. This instance's rows after a gap
    // (shared rooms) stay, and so does whatever is appended while the store compacts.
    let aheadBytes = 0;
    for (const bytes of this.ahead.values()) aheadBytes += bytes;
    const covered = this.rows - this.ahead.size;
    const coveredBytes = this.logBytes - aheadBytes;
    const startedAt = performance.now();
    // Without pending structs: they may come from a malformed update (see integrity.ts).
    const merged = encodeIntegratedState(this.doc);
    this.compacting = true;
    const finish = (ok: boolean, err?: unknown): void => {
      this.compacting = false;
      const endedAt = performance.now();
      this.compactionRestUntil = endedAt + (endedAt - startedAt);
      if (ok) {
        this.rows -= covered - 1;
        this.logBytes -= coveredBytes - merged.byteLength;
        // Only the merged row is compacted: rows appended while an asynchronous store compacted
        // count towards the next compaction (counting them as compacted let a busy room on
        // PostgreSQL grow its log by up to a threshold per compaction, unnoticed).
        this.compactedBytes = merged.byteLength;
        this.docBytes = merged.byteLength;
        this.measuredBytes = merged.byteLength;
        this.docBytesExact = true;
        this.compactAt = this.opts.compactAfterUpdates;
        this.opts.log.debug('compacted', { room: this.id, rows: covered, bytes: merged.length });
      } else {
        // The rows are still there and complete. Retry later, not on every following keystroke.
        this.compactAt = this.rows + this.opts.compactAfterUpdates;
        this.compactedBytes = this.logBytes;
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
      () => {
        finish(true);
        // Appends that crossed a threshold meanwhile found this compaction running.
        if (this.state === 'ready') this.maybeScheduleCompaction();
      },
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
    clearTimeout(this.healTimer);
    this.link?.leave();
    const scheduled = this.compactionScheduled;
    if (scheduled?.kind === 'immediate') clearImmediate(scheduled.handle);
    else if (scheduled) clearTimeout(scheduled.handle);
    this.compactionScheduled = undefined;
    this.awareness.destroy();
    this.doc.destroy();
  }
}
