import * as decoding from 'lib0/decoding';
import { MESSAGE_SYNC, SYNC_STEP2, SYNC_UPDATE } from '../protocol/messages.ts';

/**
 * Counting what the server has confirmed. The server (asked with `ack=1`) answers every sync
 * step 2 or update message it has stored with message type 100 and the number of such messages it
 * has stored from this connection so far. This client numbers the update messages it sends on the
 * current socket the same way, so each local change is known to be on the server exactly when an
 * acknowledgement with its message's number arrives: measured, not guessed. Stock y-websocket
 * clients never ask for acknowledgements and never see this message type (src/protocol/messages.ts).
 */

/** The kind of sync message a binary frame carries, if any. */
export function syncMessageKind(data: unknown): 'step2' | 'update' | null {
  const bytes =
    data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
  if (!bytes || bytes.length < 2) return null;
  try {
    const d = decoding.createDecoder(bytes);
    if (decoding.readVarUint(d) !== MESSAGE_SYNC) return null;
    const kind = decoding.readVarUint(d);
    return kind === SYNC_STEP2 ? 'step2' : kind === SYNC_UPDATE ? 'update' : null;
  } catch {
    return null;
  }
}

export class AckTracker {
  /** Local changes that no open socket has carried yet (made offline, or before a reload). */
  private unsent: number;
  /** For each change in flight: the number of the update message on this socket that carries it. */
  private inFlight: number[] = [];
  /** Update messages sent on the current socket. */
  private sent = 0;
  /**
   * Document updates of this tick that the provider is about to send, in order, each marked
   * whether it is a local change worth counting (updates read back from storage are not).
   */
  private expecting: boolean[] = [];
  private flushScheduled = false;
  private readonly listeners = new Set<() => void>();
  /** When the last acknowledgement left nothing pending, ms since the epoch. */
  lastConfirmed: number | null = null;

  constructor(initiallyPending = 0) {
    this.unsent = initiallyPending;
  }

  /** Adds the changes a previous visit left unconfirmed (read back from this device). */
  restore(unconfirmed: number): void {
    if (unconfirmed <= 0) return;
    this.unsent += unconfirmed;
    this.emit();
  }

  /** Local changes the server has not confirmed yet. */
  get pending(): number {
    return this.unsent + this.inFlight.length;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  /**
   * Called for every document update the provider will try to send, BEFORE the provider sees it
   * (subscribe to the document before creating the provider). `counted`: a local change.
   */
  noteUpdate(counted: boolean): void {
    this.expecting.push(counted);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // The provider sends in the same task; what it did not send (no open socket) waits for the
    // step 2 of the next connection.
    queueMicrotask(() => {
      this.flushScheduled = false;
      const unsentNow = this.expecting.filter(Boolean).length;
      this.expecting = [];
      if (unsentNow > 0) {
        this.unsent += unsentNow;
        this.emit();
      }
    });
  }

  /** Called for every frame the socket sends. */
  onSend(data: unknown): void {
    const kind = syncMessageKind(data);
    if (!kind) return;
    this.sent++;
    if (kind === 'update') {
      if (this.expecting.shift()) {
        this.inFlight.push(this.sent);
        this.emit();
      }
    } else if (this.unsent > 0) {
      // The answer to the server's step 1 carries everything the server lacks: all unsent changes.
      for (let i = 0; i < this.unsent; i++) this.inFlight.push(this.sent);
      this.unsent = 0;
      this.emit();
    }
  }

  onAck(storedMessages: number): void {
    const before = this.inFlight.length;
    this.inFlight = this.inFlight.filter((n) => n > storedMessages);
    if (this.pending === 0) this.lastConfirmed = Date.now();
    if (before !== this.inFlight.length || this.pending === 0) this.emit();
  }

  /** The socket closed: whatever it carried unconfirmed goes out again with the next step 2. */
  onSocketClosed(): void {
    this.unsent += this.inFlight.length;
    this.inFlight = [];
    this.sent = 0;
    this.emit();
  }
}
