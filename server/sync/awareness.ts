import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_AWARENESS } from './protocol.ts';
import { TokenBucket } from './rate-limit.ts';

/**
 * The room's awareness (presence, carets), owned by connections.
 *
 * What the stock y-websocket 3 client does, and what this is built around:
 * - It announces one awareness client id (its Y.Doc's clientID) when its socket opens, and then
 *   sends every change of its own state, plus a renewal of an unchanged state every 15 s.
 * - It re-sends every awareness change it *receives*: its awareness `update` listener does not
 *   look at the origin. These echoes carry the clock the server sent, so they change nothing,
 *   but in a room of N people each caret move comes back N times. Charged to a rate limit (as
 *   before), they closed every client of a 60-person room within seconds.
 * - When it times out a peer (30 s without renewal, e.g. in a throttled background tab) it sends
 *   that peer's removal, at the peer's clock, which the reference server applies for everyone.
 * - When it receives the removal of its own state while it is alive, it re-announces it with a
 *   higher clock.
 *
 * So here:
 * - A connection owns the ids it introduced (at most `maxIdsPerConnection`, for a few ids a
 *   client can legitimately relay from other tabs); only the owner may change or remove an id's
 *   state; an id another connection owns is never touched, whatever clock is offered. A
 *   connection's states go when it closes.
 * - Entries that change nothing (older or equal clock, someone else's id) are skipped without
 *   parsing and cost nothing; an unchanged state with a newer clock (the renewal) is free too.
 * - Outgoing changes are coalesced per room: at most one message per `flushMs` carrying the
 *   latest state of each changed id, whatever the room's size. That bounds both the fan-out and
 *   the echoes (at most one per message sent), and echoes are credited against the bytes the
 *   server sent to that connection, so they never count against any limit.
 * - What a client must be slowed for is slowed, never punished: a change beyond its budget is
 *   deferred (only the latest per id is kept) and applied when the budget refills; an awareness
 *   frame beyond the frame budget is dropped before it is decoded. Awareness never closes a
 *   connection, except for a message that cannot be decoded (4400).
 */

export interface AwarenessLimits {
  /** Awareness client ids one connection may introduce. Default 4. */
  maxIdsPerConnection: number;
  /** Largest JSON state accepted for one id (bytes); larger ones are ignored. Default 8 KiB. */
  maxStateBytes: number;
  /** Changes are sent to the room at most once per this many ms. Default 50. */
  flushMs: number;
  /** Sustained state changes per second and connection; beyond, changes are deferred. */
  changesPerSecond: number;
  changeBurst: number;
  /** Awareness frames per second and connection that are not echoes; beyond, dropped. */
  framesPerSecond: number;
  frameBurst: number;
}

/** What the room's awareness needs of a connection. */
export interface AwarenessPeer {
  readonly open: boolean;
  send(bytes: Uint8Array): void;
}

interface State {
  clock: number;
  /** The JSON text as received (UTF-8), forwarded as it is. */
  raw: Uint8Array;
  owner: AwarenessPeer;
  /** For a state of another instance's connection: when it was last heard of. */
  seenAt?: number;
}

/** The owner of the states of another instance's connections (rooms shared over Redis). */
class RemoteOwner implements AwarenessPeer {
  readonly open = false;
  constructor(readonly instance: string) {}
  send(): void {}
}

/** A state of another instance not renewed for this long is dropped (clients renew every 15 s). */
const REMOTE_STATE_MS = 40_000;

/** Per-connection bookkeeping. */
class PeerState {
  readonly ids = new Set<number>();
  /** Changes over budget: the latest per id, applied when the budget allows. */
  readonly deferred = new Map<number, { clock: number; raw: Uint8Array }>();
  /** Bytes of awareness the server sent this peer: its echoes of them are free. */
  echoCredit = 0;
  loggedRefusal = false;
  constructor(
    readonly changes: TokenBucket,
    readonly frames: TokenBucket,
  ) {}
}

/** Removed ids are remembered this long, so a late echo of their state cannot revive them. */
const TOMBSTONE_MS = 120_000;
const MAX_TOMBSTONES = 10_000;
const MAX_ECHO_CREDIT = 4 * 1024 * 1024;
/** A client's re-encoding of what we sent may differ by a few varint bytes per message. */
const ECHO_SLACK = 64;
const NULL_STATE = new TextEncoder().encode('null');
// Fatal, like lib0's decoder in every client: a state it cannot decode would throw there.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class MalformedAwareness extends Error {}

export class RoomAwareness {
  private readonly states = new Map<number, State>();
  private readonly peers = new Map<AwarenessPeer, PeerState>();
  /** id -> { clock at removal, when }; insertion order is age order. */
  private readonly tombstones = new Map<number, { clock: number; at: number; remote: boolean }>();
  private readonly remoteOwners = new Map<string, RemoteOwner>();
  private sweeper: ReturnType<typeof setInterval> | undefined;
  /**
   * Set when instances share the room: receives each flushed change of this instance's own
   * connections (an awareness update payload), to be published to the others.
   */
  onLocalChanges: ((payload: Uint8Array) => void) | undefined;
  private readonly dirty = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = -Infinity;
  private destroyed = false;

  constructor(
    private readonly limits: AwarenessLimits,
    private readonly onRefused: (peer: AwarenessPeer, reason: string) => void = () => undefined,
  ) {}

  private readonly listeners = new Set<() => void>();

  /** Calls `listener` after changes reach the room (coalesced, as the fan-out is). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Decoded states by their bytes: a changed state has new bytes, so entries expire by themselves. */
  private readonly decoded = new WeakMap<Uint8Array, unknown>();

  /** The states `peer` owns, decoded (for server features that read who is there). */
  statesOf(peer: AwarenessPeer): unknown[] {
    const out: unknown[] = [];
    for (const id of this.peers.get(peer)?.ids ?? []) {
      const raw = this.states.get(id)?.raw;
      if (!raw) continue;
      if (!this.decoded.has(raw)) {
        try {
          this.decoded.set(raw, JSON.parse(utf8.decode(raw)));
        } catch {
          this.decoded.set(raw, null); // validated on receipt; nothing to read otherwise
        }
      }
      out.push(this.decoded.get(raw));
    }
    return out;
  }

  /** Number of states (people) present. */
  get size(): number {
    return this.states.size;
  }

  /** Registers a connection and sends it everyone's current state. */
  join(peer: AwarenessPeer, now = performance.now()): void {
    const l = this.limits;
    this.peers.set(
      peer,
      new PeerState(
        new TokenBucket(l.changesPerSecond, l.changeBurst, now),
        new TokenBucket(l.framesPerSecond, l.frameBurst, now),
      ),
    );
    this.sendAll(peer);
  }

  /** A connection left: its states are removed for everyone. */
  leave(peer: AwarenessPeer): void {
    const p = this.peers.get(peer);
    if (!p) return;
    this.peers.delete(peer);
    for (const id of p.ids) this.removeState(id);
    if (p.ids.size > 0) this.schedule();
  }

  /** Message type 3: someone asks for every state. */
  query(peer: AwarenessPeer, now = performance.now()): void {
    const p = this.peers.get(peer);
    if (!p || !p.frames.take(1, now)) return;
    this.sendAll(peer);
  }

  /**
   * An awareness update (the payload of message type 1) from `peer`. Throws MalformedAwareness
   * for bytes that are not an awareness update.
   */
  receive(peer: AwarenessPeer, payload: Uint8Array, now = performance.now()): void {
    const p = this.peers.get(peer);
    if (!p) return;
    if (payload.byteLength <= p.echoCredit) p.echoCredit -= payload.byteLength;
    else if (!p.frames.take(1, now)) return; // dropped undecoded: a flood costs next to nothing
    let changed = false;
    try {
      for (const [id, clock, raw] of decodeEntries(payload, true)) {
        if (this.offer(peer, p, id, clock, raw, now)) changed = true;
      }
    } catch (err) {
      if (err instanceof MalformedAwareness) throw err;
      throw new MalformedAwareness('malformed awareness update');
    }
    if (changed) this.schedule();
  }

  /** One entry of an update; true when something will be sent to the room. */
  private offer(
    peer: AwarenessPeer,
    p: PeerState,
    id: number,
    clock: number,
    raw: Uint8Array,
    now: number,
  ): boolean {
    const current = this.states.get(id);
    const isNull = sameBytes(raw, NULL_STATE);
    if (current) {
      // Someone else's id: an echo, a relay, or a forgery; never applied, never charged.
      if (current.owner !== peer || clock < current.clock) return false;
      if (isNull) {
        this.removeState(id);
        p.ids.delete(id);
        p.deferred.delete(id);
        return true;
      }
      if (clock === current.clock) return false; // the owner's own state, echoed back
      if (sameBytes(raw, current.raw)) {
        // A renewal: keeps the state alive at the clients (their 30 s timeout); costs nothing.
        current.clock = clock;
        this.dirty.add(id);
        return true;
      }
      if (raw.byteLength > this.limits.maxStateBytes)
        return this.refuse(peer, p, 'state too large');
      if (!p.changes.take(1, now)) {
        p.deferred.set(id, { clock, raw: raw.slice() });
        this.schedule();
        return false;
      }
      if (!validJson(raw)) throw new MalformedAwareness('awareness state is not JSON');
      current.clock = clock;
      current.raw = raw.slice();
      p.deferred.delete(id);
      this.dirty.add(id);
      return true;
    }
    if (isNull) return false; // an echo of a removal
    const tomb = this.tombstones.get(id);
    if (tomb && clock <= tomb.clock) {
      // A late echo of a departed state, or its owner coming back with an unchanged clock: both
      // get the removal, which makes a live owner re-announce itself with a higher clock.
      if (clock === tomb.clock) peer.send(this.encode([[id, clock, NULL_STATE]]));
      return false;
    }
    if (p.ids.size >= this.limits.maxIdsPerConnection) {
      return this.refuse(peer, p, 'too many awareness ids');
    }
    if (raw.byteLength > this.limits.maxStateBytes) return this.refuse(peer, p, 'state too large');
    if (!validJson(raw)) throw new MalformedAwareness('awareness state is not JSON');
    this.states.set(id, { clock, raw: raw.slice(), owner: peer });
    this.tombstones.delete(id);
    p.ids.add(id);
    this.dirty.add(id);
    return true;
  }

  private refuse(peer: AwarenessPeer, p: PeerState, reason: string): false {
    if (!p.loggedRefusal) {
      p.loggedRefusal = true;
      this.onRefused(peer, reason);
    }
    return false;
  }

  private removeState(id: number): void {
    const s = this.states.get(id);
    if (!s) return;
    this.states.delete(id);
    this.tombstones.set(id, {
      clock: s.clock,
      at: performance.now(),
      remote: s.owner instanceof RemoteOwner,
    });
    if (this.tombstones.size > MAX_TOMBSTONES) {
      this.tombstones.delete(this.tombstones.keys().next().value!);
    }
    this.dirty.add(id);
  }

  /** Leading edge at once, then at most one message per flushMs. */
  private schedule(): void {
    if (this.timer || this.destroyed) return;
    const wait = this.lastFlush + this.limits.flushMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.destroyed) return;
    const now = performance.now();
    let waiting = false;
    for (const [peer, p] of this.peers) {
      for (const [id, change] of p.deferred) {
        const current = this.states.get(id);
        if (!current || current.owner !== peer || change.clock <= current.clock) {
          p.deferred.delete(id);
        } else if (p.changes.take(1, now)) {
          p.deferred.delete(id);
          if (!validJson(change.raw)) continue;
          current.clock = change.clock;
          current.raw = change.raw;
          this.dirty.add(id);
        } else {
          waiting = true;
        }
      }
    }
    for (const [id, t] of this.tombstones) {
      if (now - t.at < TOMBSTONE_MS) break;
      this.tombstones.delete(id);
    }
    if (this.dirty.size > 0) {
      const entries: [number, number, Uint8Array][] = [];
      // What this instance's connections changed: the other instances get it (applyRemote).
      const local: [number, number, Uint8Array][] = [];
      for (const id of this.dirty) {
        const s = this.states.get(id);
        if (s) {
          entries.push([id, s.clock, s.raw]);
          if (!(s.owner instanceof RemoteOwner)) local.push([id, s.clock, s.raw]);
        } else {
          const t = this.tombstones.get(id);
          if (t) entries.push([id, t.clock, NULL_STATE]);
          if (t && !t.remote) local.push([id, t.clock, NULL_STATE]);
        }
      }
      this.dirty.clear();
      this.lastFlush = now;
      if (entries.length > 0) {
        const message = this.encode(entries);
        for (const [peer, p] of this.peers) this.sendTo(peer, p, message);
        for (const listener of this.listeners) listener();
      }
      if (this.onLocalChanges && local.length > 0) this.onLocalChanges(encodeEntries(local));
    }
    if (waiting) this.timer = setTimeout(() => this.flush(), this.limits.flushMs);
  }

  private sendAll(peer: AwarenessPeer): void {
    const p = this.peers.get(peer);
    if (!p || this.states.size === 0) return;
    const entries: [number, number, Uint8Array][] = [];
    for (const [id, s] of this.states) entries.push([id, s.clock, s.raw]);
    this.sendTo(peer, p, this.encode(entries));
  }

  private sendTo(peer: AwarenessPeer, p: PeerState, message: Uint8Array): void {
    if (!peer.open) return;
    p.echoCredit = Math.min(MAX_ECHO_CREDIT, p.echoCredit + message.byteLength + ECHO_SLACK);
    peer.send(message);
  }

  /** Message type 1 with y-protocols' awareness encoding of `entries`. */
  private encode(entries: [number, number, Uint8Array][]): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, encodeEntries(entries));
    return encoding.toUint8Array(e);
  }

  /**
   * Changes of another instance's connections (what its `onLocalChanges` published). They were
   * checked there; here they never override a state of this instance's own connections, and
   * they expire unless renewed, so an instance that died takes its people with it.
   */
  applyRemote(instance: string, payload: Uint8Array, now = performance.now()): void {
    if (this.destroyed) return;
    let owner = this.remoteOwners.get(instance);
    if (!owner) {
      owner = new RemoteOwner(instance);
      this.remoteOwners.set(instance, owner);
    }
    let changed = false;
    try {
      for (const [id, clock, raw] of decodeEntries(payload, false)) {
        const current = this.states.get(id);
        if (current && !(current.owner instanceof RemoteOwner)) continue; // ours decides
        if (sameBytes(raw, NULL_STATE)) {
          if (current) {
            this.removeState(id);
            changed = true;
          }
          continue;
        }
        const tomb = this.tombstones.get(id);
        if (!current && tomb && clock <= tomb.clock) continue;
        if (current && clock < current.clock) continue;
        if (current && clock === current.clock && sameBytes(raw, current.raw)) {
          current.seenAt = now;
          continue;
        }
        if (raw.byteLength > this.limits.maxStateBytes || !validJson(raw)) continue;
        this.states.set(id, { clock, raw: raw.slice(), owner, seenAt: now });
        this.tombstones.delete(id);
        this.dirty.add(id);
        changed = true;
      }
    } catch {
      return; // not ours to repair: another instance's bytes, checked there
    }
    this.sweeper ??= setInterval(() => this.sweepRemote(), REMOTE_STATE_MS / 4);
    this.sweeper.unref?.();
    if (changed) this.schedule();
  }

  private sweepRemote(now = performance.now()): void {
    let any = false;
    let removed = false;
    for (const [id, s] of this.states) {
      if (!(s.owner instanceof RemoteOwner)) continue;
      any = true;
      if (now - (s.seenAt ?? 0) > REMOTE_STATE_MS) {
        this.removeState(id);
        removed = true;
      }
    }
    if (removed) this.schedule();
    if (!any && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    clearInterval(this.sweeper);
    this.peers.clear();
    this.states.clear();
  }
}

/** y-protocols' awareness update encoding of `entries` (the payload of message type 1). */
function encodeEntries(entries: [number, number, Uint8Array][]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const [id, clock, raw] of entries) {
    encoding.writeVarUint(inner, id);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarUint8Array(inner, raw);
  }
  return encoding.toUint8Array(inner);
}

/**
 * The entries of an awareness update (the inverse of encodeEntries), each as soon as it is read.
 * Throws for bytes that end before the last entry; with `exact`, also for bytes after it.
 */
function* decodeEntries(
  payload: Uint8Array,
  exact: boolean,
): Generator<[id: number, clock: number, raw: Uint8Array]> {
  const decoder = decoding.createDecoder(payload);
  const n = decoding.readVarUint(decoder);
  for (let i = 0; i < n; i++) {
    const id = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const raw = decoding.readVarUint8Array(decoder);
    yield [id, clock, raw];
  }
  if (exact && decoder.pos !== payload.byteLength) throw new Error('trailing bytes');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Clients JSON.parse every state they receive: forwarding anything else would break them. */
function validJson(raw: Uint8Array): boolean {
  try {
    JSON.parse(utf8.decode(raw));
    return true;
  } catch {
    return false;
  }
}
