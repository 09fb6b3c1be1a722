/**
 * Per-connection flood protection. Without it one editor's socket could push updates as fast as
 * the loopback allows: every one is applied, appended to SQLite and fanned out to the room, so a
 * single client could slow the whole room (and the disk) down. The abuse tests showed exactly that.
 *
 * Two token buckets, one counting messages and one counting bytes. Refilling is computed from the
 * elapsed time on each message, so a connection costs no timer. The defaults are far above what
 * a person produces (typing sends about two messages per keystroke: the update and the caret's
 * awareness; a reconnect after a day offline sends one large sync step 2), so only a runaway or
 * hostile client reaches them.
 */
export interface RateLimit {
  /** Sustained messages per second. */
  messagesPerSecond: number;
  /** Messages a connection may send at once before the sustained rate applies. */
  messageBurst: number;
  /** Sustained bytes per second. */
  bytesPerSecond: number;
  /** Bytes a connection may send at once; at least the largest message allowed. */
  byteBurst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Whether the bucket has refilled completely (nothing to remember about it). */
  full(now: number): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.perSecond >= this.burst;
  }

  /** Takes `amount` tokens if there are that many; false (and nothing taken) otherwise. */
  take(amount: number, now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

/** Both buckets of one connection. */
export class ConnectionRateLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(limit: RateLimit, now = performance.now()) {
    this.messages = new TokenBucket(limit.messagesPerSecond, limit.messageBurst, now);
    this.bytes = new TokenBucket(limit.bytesPerSecond, limit.byteBurst, now);
  }

  /** Accounts for one received message; false once the connection is over its limit. */
  allow(byteLength: number, now = performance.now()): boolean {
    return this.messages.take(1, now) && this.bytes.take(byteLength, now);
  }
}
