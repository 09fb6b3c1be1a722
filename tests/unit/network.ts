import { afterEach, beforeEach, vi } from 'vitest';
import * as Y from 'yjs';
import type { Origin } from '../../src/model/origins.ts';

/**
 * An in-memory network of Y.Docs for convergence tests ("don't mock the socket layer": the docs
 * exchange real Yjs updates, only the wire is simulated).
 *
 * Every pair of online peers has a queue per direction. A doc's own updates are queued to every
 * online peer; delivery order is chosen by the test's PRNG, so messages of different links
 * interleave arbitrarily and, when `reorder` is set, even messages on one link can overtake each
 * other (Yjs must then hold updates whose dependencies have not arrived yet). Disconnecting a peer
 * drops everything in flight to and from it, like a closed socket; reconnecting runs the
 * y-protocols handshake with every online peer: each side sends its state vector (sync step 1) and
 * answers the other's with the diff it is missing (sync step 2).
 */

/** The origin of updates applied from the network, so that they are not sent on again. */
export const REMOTE: Origin = Object.freeze({ kind: 'remote' });

type Message = { kind: 'step1'; stateVector: Uint8Array } | { kind: 'update'; update: Uint8Array };

export class Network {
  readonly docs: Y.Doc[];
  private readonly online: boolean[];
  /** queues[from][to]: messages in flight from peer `from` to peer `to`. */
  private readonly queues: Message[][][];
  /** Counts, for the tests to check that the harness actually exercised something. */
  readonly stats = { delivered: 0, dropped: 0, reordered: 0, handshakes: 0 };

  constructor(
    docs: Y.Doc[],
    private readonly random: () => number,
    private readonly reorder = 0.2,
  ) {
    this.docs = docs;
    this.online = docs.map(() => true);
    this.queues = docs.map(() => docs.map(() => []));
    docs.forEach((doc, from) => {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === REMOTE) return; // a full mesh: everyone hears the author directly
        this.broadcast(from, { kind: 'update', update });
      });
    });
  }

  isOnline(peer: number): boolean {
    return this.online[peer] === true;
  }

  disconnect(peer: number): void {
    if (!this.online[peer]) return;
    this.online[peer] = false;
    for (let other = 0; other < this.docs.length; other++) {
      this.stats.dropped += this.queue(peer, other).length + this.queue(other, peer).length;
      this.queue(peer, other).length = 0;
      this.queue(other, peer).length = 0;
    }
  }

  connect(peer: number): void {
    if (this.online[peer]) return;
    this.online[peer] = true;
    for (let other = 0; other < this.docs.length; other++) {
      if (other === peer || !this.online[other]) continue;
      this.stats.handshakes++;
      this.send(peer, other, { kind: 'step1', stateVector: Y.encodeStateVector(this.doc(peer)) });
      this.send(other, peer, { kind: 'step1', stateVector: Y.encodeStateVector(this.doc(other)) });
    }
  }

  /** Delivers one message from a random non-empty link; false when nothing is in flight. */
  deliverOne(): boolean {
    const links: [number, number][] = [];
    this.queues.forEach((row, from) =>
      row.forEach((q, to) => {
        if (q.length > 0) links.push([from, to]);
      }),
    );
    if (links.length === 0) return false;
    const [from, to] = links[Math.floor(this.random() * links.length)] as [number, number];
    const q = this.queue(from, to);
    let at = 0;
    if (q.length > 1 && this.random() < this.reorder) {
      at = Math.floor(this.random() * q.length);
      if (at > 0) this.stats.reordered++;
    }
    const [msg] = q.splice(at, 1) as [Message];
    this.stats.delivered++;
    if (msg.kind === 'step1') {
      this.send(to, from, {
        kind: 'update',
        update: Y.encodeStateAsUpdate(this.doc(to), msg.stateVector),
      });
    } else {
      Y.applyUpdate(this.doc(to), msg.update, REMOTE);
    }
    return true;
  }

  deliver(count: number): void {
    for (let n = 0; n < count && this.deliverOne(); n++);
  }

  /** Reconnects everyone and delivers until nothing is in flight. */
  settle(): void {
    for (let peer = 0; peer < this.docs.length; peer++) this.connect(peer);
    while (this.deliverOne());
  }

  private broadcast(from: number, msg: Message): void {
    for (let to = 0; to < this.docs.length; to++) if (to !== from) this.send(from, to, msg);
  }

  private send(from: number, to: number, msg: Message): void {
    if (this.online[from] && this.online[to]) this.queue(from, to).push(msg);
  }

  private queue(from: number, to: number): Message[] {
    return (this.queues[from] as Message[][])[to] as Message[];
  }

  private doc(peer: number): Y.Doc {
    return this.docs[peer] as Y.Doc;
  }
}

/** mulberry32: a tiny seeded PRNG, so that every run of a seed is the same run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Makes client ids and newId() follow a seed, so a failing fuzz seed is reproducible: for the
 * tests of the calling file, `crypto.getRandomValues` draws from a generator that `reseed` sets.
 */
export function seededIds(): { reseed(seed: number): void } {
  let next = mulberry32(0);
  beforeEach(() => {
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(((
      array: ArrayBufferView | null,
    ) => {
      if (array) {
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
      }
      return array;
    }) as typeof globalThis.crypto.getRandomValues);
  });
  afterEach(() => vi.restoreAllMocks());
  return {
    reseed(seed) {
      next = mulberry32(seed);
    },
  };
}
