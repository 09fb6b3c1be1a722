import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.ts';
import { rejectHandshake } from '../sync/server.ts';
import { addressKey, clientAddress } from './address.ts';
import { KeyedCounter, KeyedRateLimiter, type Take } from './buckets.ts';

/** The per-address limits of docs/server.md, "Limits before authentication and quotas". */
export interface EdgeLimitsConfig {
  /** Reverse proxies in front whose X-Forwarded-For is believed (0: none). */
  trustProxy: number;
  /** WebSocket sockets one address may hold open at once. */
  maxSocketsPerAddress: number;
  /** WebSocket upgrades one address may start: a burst, then a sustained rate. */
  upgradeBurstPerAddress: number;
  upgradesPerSecondPerAddress: number;
  /** Flashbooks (new, demo copies, offline ones registering) one address may create. */
  createBurstPerAddress: number;
  createsPerHourPerAddress: number;
}

/**
 * The budgets that apply before anyone has shown a token, keyed by client address. They are
 * sized for a whole building behind one NAT (a seminar of 150 people with a few tabs each),
 * not for one person: they stop loops and floods, not people.
 */
export class EdgeLimits {
  private readonly sockets: KeyedCounter;
  private readonly upgrades: KeyedRateLimiter;
  private readonly creations: KeyedRateLimiter;
  /** One log line per address and limit a minute: a flood must not become a flood of logs. */
  private readonly logBudget = new KeyedRateLimiter({ burst: 1, perSecond: 1 / 60 });

  constructor(
    private readonly config: EdgeLimitsConfig,
    private readonly log: Logger,
  ) {
    this.sockets = new KeyedCounter(config.maxSocketsPerAddress);
    this.upgrades = new KeyedRateLimiter({
      burst: config.upgradeBurstPerAddress,
      perSecond: config.upgradesPerSecondPerAddress,
    });
    this.creations = new KeyedRateLimiter({
      burst: config.createBurstPerAddress,
      perSecond: config.createsPerHourPerAddress / 3600,
    });
  }

  keyOf(req: IncomingMessage): string {
    return addressKey(clientAddress(req, this.config.trustProxy));
  }

  /**
   * Admits an upgrade (true) and counts its socket until it closes, or answers 429 with
   * Retry-After and hangs up (false). The socket cap is checked first, so clients retrying
   * against a full cap do not also drain the upgrade budget they will need once a slot frees.
   */
  admitUpgrade(req: IncomingMessage, socket: Duplex): boolean {
    const key = this.keyOf(req);
    if (!this.sockets.acquire(key)) {
      this.note('sockets-per-address', key);
      rejectHandshake(socket, 429, 'too many open connections from this address', 5);
      return false;
    }
    const rate = this.upgrades.take(key);
    if (!rate.ok) {
      this.sockets.release(key);
      this.note('upgrades-per-address', key);
      rejectHandshake(
        socket,
        429,
        'too many new connections from this address',
        rate.retryAfterSeconds,
      );
      return false;
    }
    socket.once('close', () => this.sockets.release(key));
    return true;
  }

  /** Spends one flashbook creation of the request's address. */
  takeCreation(req: IncomingMessage): Take {
    const key = this.keyOf(req);
    const take = this.creations.take(key);
    if (!take.ok) this.note('creations-per-address', key);
    return take;
  }

  private note(limit: string, address: string): void {
    if (this.logBudget.take(`${limit} ${address}`).ok) {
      this.log.warn('limited', { limit, address });
    }
  }
}
