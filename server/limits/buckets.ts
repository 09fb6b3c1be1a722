/**
 * Per-address budgets shared by the edge limits: a token bucket per key (upgrade rate, flashbook
 * creation) and a counter per key (concurrent sockets).
 *
 * Memory stays bounded however many addresses knock: a bucket that has refilled completely
 * carries no information (a new one would start full too) and is forgotten by the periodic sweep;
 * counters are forgotten when they reach zero.
 */

export interface Rate {
  /** Tokens an address may spend at once. */
  burst: number;
  /** Tokens an address gets back per second. */
  perSecond: number;
}

export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  last: number;
}

/** Sweeping costs one pass over the buckets; doing it at most once a minute keeps that cheap. */
const SWEEP_INTERVAL_MS = 60_000;

export class KeyedRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(
    readonly rate: Rate,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastSweep = this.now();
  }

  take(key: string, amount = 1): Take {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.rate.burst, last: now };
    bucket.tokens = Math.min(
      this.rate.burst,
      bucket.tokens + ((now - bucket.last) / 1000) * this.rate.perSecond,
    );
    bucket.last = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= amount) {
      bucket.tokens -= amount;
      return { ok: true };
    }
    const seconds = (amount - bucket.tokens) / this.rate.perSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      const refilled = bucket.tokens + ((now - bucket.last) / 1000) * this.rate.perSecond;
      if (refilled >= this.rate.burst) this.buckets.delete(key);
    }
  }
}

export class KeyedCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts one more for `key` unless it is at `max` already. */
  acquire(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  release(key: string): void {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
