import WebSocket from 'ws';
import type { Origin } from '../../src/model/origins.ts';
import type { Role } from '../auth/tokens.ts';
import type { Logger } from '../log.ts';
import type { RoomConnection } from './room.ts';
import { CLOSE, TERMINATED } from './close-codes.ts';
import { MESSAGE_AWARENESS } from './protocol.ts';
import { ConnectionRateLimiter, type RateLimit } from './rate-limit.ts';

export interface ConnectionOptions {
  maxMessageBytes: number;
  maxBufferedBytes: number;
  rateLimit: RateLimit;
  log: Logger;
}

/**
 * One client socket. It is the transaction origin of the updates it sends (kind 'remote'), which
 * is how a room forwards an update to everyone but its author.
 *
 * Messages that arrive before the connection is authorised and its room loaded are kept, in
 * order, and handed over by `deliverTo`.
 */
export class Connection implements Origin, RoomConnection {
  readonly kind = 'remote';
  role: Role | undefined;
  room: string | undefined;
  /** Cleared by each ping, set by each pong. */
  alive = true;
  /** Why the server ended the connection, for the disconnect log line. */
  endedBy: { code: number; reason: string } | undefined;
  /** Send acknowledgements of stored updates (message type 100, see room.ts). */
  wantsAcks = false;
  /** authorIdOf the `author` key of the sync URL: whose comment messages it may change. */
  authorId: string | undefined;

  private handler: ((data: Uint8Array) => void) | undefined;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly limiter: ConnectionRateLimiter;
  private lastPongAt = -Infinity;
  private probeSentAt = -Infinity;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bytes of single large messages (first syncs) queued now: the buffer cap is on top of them. */
  private largeInFlight = 0;

  constructor(
    readonly ws: WebSocket,
    readonly id: number,
    private readonly limits: ConnectionOptions,
  ) {
    this.limiter = new ConnectionRateLimiter(limits.rateLimit);
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
      this.lastPongAt = performance.now();
    });
    ws.on('close', () => clearTimeout(this.probeTimer));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN && this.endedBy === undefined;
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (!this.open) return;
    const bytes = toBytes(data);
    if (bytes.byteLength > this.limits.maxMessageBytes) {
      this.reject(CLOSE.TOO_LARGE, 'message too large', { bytes: bytes.byteLength });
      return;
    }
    // Checked before anything is decoded or applied: a flood costs us as little as possible.
    // Awareness frames have their own budget, which echoes do not count against and which slows
    // instead of closing (awareness.ts); a one-byte varint type 1 is enough to tell them apart.
    if (bytes[0] !== MESSAGE_AWARENESS && !this.limiter.allow(bytes.byteLength)) {
      this.reject(CLOSE.RATE_LIMITED, 'rate limit exceeded');
      return;
    }
    if (!isBinary) {
      this.reject(CLOSE.BAD_REQUEST, 'text frames are not part of the protocol');
      return;
    }
    if (this.handler) {
      this.handler(bytes);
      return;
    }
    this.pendingBytes += bytes.byteLength;
    // A client has no reason to send much before its first sync reply; bound what we hold.
    if (this.pendingBytes > 2 * this.limits.maxMessageBytes) {
      this.reject(CLOSE.TOO_LARGE, 'too much data before sync', { bytes: this.pendingBytes });
      return;
    }
    this.pending.push(bytes);
  }

  /**
   * Asks, with a ping, whether the peer is still there, and terminates it if no pong comes within
   * `timeoutMs`: a socket the server has not noticed dead yet must not keep a client id from the
   * client that reconnected.
   */
  probe(timeoutMs: number): void {
    if (this.probeTimer || !this.open) return;
    this.probeSentAt = performance.now();
    try {
      this.ws.ping();
    } catch {
      this.terminate('ping failed');
      return;
    }
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      if (this.lastPongAt < this.probeSentAt) this.terminate('no pong to probe');
    }, timeoutMs);
  }

  /** Whether the peer answered a probe sent within the last `withinMs`: it is demonstrably alive. */
  answeredProbe(withinMs: number): boolean {
    return this.probeSentAt > performance.now() - withinMs && this.lastPongAt >= this.probeSentAt;
  }

  /** Closes because of what the client sent; the detail goes to the log, not to the client. */
  reject(code: number, reason: string, detail?: Record<string, unknown>): void {
    this.limits.log.warn('error', {
      room: this.room,
      role: this.role,
      conn: this.id,
      code,
      reason,
      ...detail,
    });
    this.close(code, reason);
  }

  /** Routes every message (the buffered ones first) to `handler` from now on. */
  deliverTo(handler: (data: Uint8Array) => void): void {
    const buffered = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const bytes of buffered) {
      if (!this.open) return;
      handler(bytes);
    }
    if (this.open) this.handler = handler;
  }

  /**
   * Queues a message; a reader with more than maxBufferedBytes waiting is terminated. `whole`
   * marks a sync reply (a whole document): the cap applies to what piles up behind it, not to
   * the reply itself, or a large flashbook could never be opened again. Only one such reply is
   * exempt at a time, so asking again and again while not reading still hits the cap.
   */
  send(bytes: Uint8Array, whole = false): void {
    if (!this.open) return;
    const large = whole && this.largeInFlight === 0 ? bytes.byteLength : 0;
    if (
      this.ws.bufferedAmount + bytes.byteLength - this.largeInFlight - large >
      this.limits.maxBufferedBytes
    ) {
      this.terminate('send buffer full');
      return;
    }
    this.largeInFlight += large;
    this.ws.send(bytes, (err) => {
      this.largeInFlight -= large;
      if (err) this.terminate('send failed');
    });
  }

  close(code: number, reason: string): void {
    if (this.endedBy) return;
    this.endedBy = { code, reason };
    this.handler = undefined;
    this.pending = [];
    // The protocol caps a close reason at 123 bytes (ws throws beyond); 120 leaves room for a
    // multi-byte character cut in half, which decoding widens to U+FFFD.
    this.ws.close(code, Buffer.from(reason).subarray(0, 120).toString());
  }

  terminate(reason: string): void {
    if (this.endedBy && this.ws.readyState === WebSocket.CLOSED) return;
    this.endedBy ??= { code: TERMINATED, reason };
    this.handler = undefined;
    this.pending = [];
    this.ws.terminate();
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
