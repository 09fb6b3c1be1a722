import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { errorMessage, type Logger } from '../log.ts';
import type { RoomLink, SharedRoom } from '../sync/shared.ts';

/**
 * Rooms shared between instances over Redis pub/sub (REDIS_URL; docs/deploy.md, "Fan-out").
 *
 * An instance that accepts an update appends it to PostgreSQL (which gives it the flashbook's
 * next seq), forwards it to its own clients, then publishes `(seq, update)` on the flashbook's
 * channel; every other instance holding the room applies it and forwards it to its clients.
 * Redis delivers at most once and drops everything sent while a subscriber reconnects, so:
 * - a room that sees seq n + 2 after n, or is told by a beacon that rows up to m exist, reads
 *   the rows it lacks from PostgreSQL (the seqs are dense, so a gap is exact);
 * - after any reconnection every room heals from PostgreSQL, and this instance republishes the
 *   last seq it stored per room, for the instances that stayed connected while it was away;
 * - once a second each instance publishes the last seq it stored in each room it wrote to (a
 *   beacon), which catches the loss of the last message of a burst.
 * Yjs updates are idempotent and commutative: a row applied twice, or late, changes nothing.
 * Awareness is published the same way and needs no healing: clients renew their state every
 * 15 s, and states of an instance not heard of for 40 s expire (server/sync/awareness.ts).
 */

const UPDATE = 1;
const SEQ = 2;
const AWARENESS = 3;
const LINK = 4;
const INSTANCE_BYTES = 8;
const HEADER = 1 + INSTANCE_BYTES + 6;
const BEACON_MS = 1000;
/** A room waits at most this long for its subscription before loading (it heals later anyway). */
const JOIN_WAIT_MS = 1000;
const CHANNEL_PREFIX = 'flashbook:';
/**
 * One channel for every instance: "the link of (flashbook, role) was replaced", so that each
 * closes its own connections on the old token. At most once like the rest: an instance that
 * misses it (Redis down at that moment) keeps those connections open until they reconnect,
 * when the old token is refused (docs/deploy.md, "Known limits").
 */
const LINKS_CHANNEL = 'flashbook-links';

export class RedisFanout {
  /** This process, as the other instances see it. */
  readonly instance = randomBytes(INSTANCE_BYTES);
  readonly instanceId = this.instance.toString('hex');
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly rooms = new Map<string, SharedRoom>();
  /** The last seq this instance published per room, and the rooms whose beacon is due. */
  private readonly lastPublished = new Map<string, number>();
  private readonly beaconDue = new Set<string>();
  private readonly beacon: ReturnType<typeof setInterval>;
  private down = false;
  private loggedDown = false;
  /** Called when another instance replaced a link (the sync server closes its connections). */
  onLinkReplaced: ((id: string, role: string) => void) | undefined;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    const retryStrategy = (times: number) => Math.min(50 * times, 1000);
    // Publishing never waits for a reconnection: what is lost meanwhile is healed (see above).
    this.pub = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy,
    });
    this.sub = new Redis(url, { retryStrategy, autoResubscribe: true });
    for (const client of [this.pub, this.sub]) {
      client.on('error', (err: Error) => {
        if (this.loggedDown) return;
        this.loggedDown = true;
        this.log.warn('error', { reason: 'redis: ' + errorMessage(err) });
      });
      client.on('close', () => (this.down = true));
      client.on('ready', () => this.reconnected());
    }
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.receive(channel.toString('utf8'), message),
    );
    this.sub.subscribe(LINKS_CHANNEL).catch(() => undefined);
    this.beacon = setInterval(() => this.sendBeacons(), BEACON_MS);
    this.beacon.unref();
  }

  /** Resolves once both connections are up; a server does not start without Redis. */
  async ready(timeoutMs = 10_000): Promise<void> {
    const up = (client: Redis) =>
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => client.once('ready', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis is not reachable at REDIS_URL')), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([up(this.pub), up(this.sub)]), timeout]);
    } finally {
      clearTimeout(timer);
    }
    this.down = false;
  }

  share = (room: SharedRoom): RoomLink => {
    const channel = CHANNEL_PREFIX + room.id;
    this.rooms.set(room.id, room);
    const joined = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, JOIN_WAIT_MS);
      this.sub.subscribe(channel).then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => undefined,
      );
    });
    return {
      joined,
      publishUpdate: (seq, update) => {
        this.lastPublished.set(room.id, seq);
        this.beaconDue.add(room.id);
        this.publish(channel, UPDATE, seq, update);
      },
      publishAwareness: (payload) => this.publish(channel, AWARENESS, 0, payload),
      leave: () => {
        if (this.rooms.get(room.id) !== room) return;
        this.rooms.delete(room.id);
        this.lastPublished.delete(room.id);
        this.beaconDue.delete(room.id);
        this.sub.unsubscribe(channel).catch(() => undefined);
      },
    };
  };

  /** Tells the other instances that the link of `role` on flashbook `id` was replaced. */
  publishLinkReplaced(id: string, role: string): void {
    this.publish(LINKS_CHANNEL, LINK, 0, Buffer.from(JSON.stringify({ id, role }), 'utf8'));
  }

  private publish(channel: string, type: number, seq: number, payload: Uint8Array): void {
    const message = Buffer.allocUnsafe(HEADER + payload.byteLength);
    message[0] = type;
    this.instance.copy(message, 1);
    message.writeUIntBE(seq, 1 + INSTANCE_BYTES, 6);
    message.set(payload, HEADER);
    // Refused at once while Redis is down: the others heal from PostgreSQL when it is back.
    this.pub.publish(channel, message).catch(() => undefined);
  }

  private receive(channel: string, message: Buffer): void {
    if (message.byteLength < HEADER) return;
    if (channel === LINKS_CHANNEL) return this.receiveLink(message);
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    const room = this.rooms.get(channel.slice(CHANNEL_PREFIX.length));
    if (!room) return;
    const from = message.subarray(1, 1 + INSTANCE_BYTES);
    if (from.equals(this.instance)) return;
    const seq = message.readUIntBE(1 + INSTANCE_BYTES, 6);
    const payload = new Uint8Array(
      message.buffer,
      message.byteOffset + HEADER,
      message.byteLength - HEADER,
    );
    switch (message[0]) {
      case UPDATE:
        room.receiveUpdate(seq, payload);
        return;
      case SEQ:
        room.receiveSeq(seq);
        return;
      case AWARENESS:
        room.receiveAwareness(from.toString('hex'), payload);
        return;
    }
  }

  private receiveLink(message: Buffer): void {
    if (message[0] !== LINK || message.subarray(1, 1 + INSTANCE_BYTES).equals(this.instance)) {
      return;
    }
    try {
      const { id, role } = JSON.parse(message.subarray(HEADER).toString('utf8')) as {
        id: unknown;
        role: unknown;
      };
      if (typeof id === 'string' && typeof role === 'string') this.onLinkReplaced?.(id, role);
    } catch {
      // Not ours: ignored.
    }
  }

  private sendBeacons(): void {
    for (const id of this.beaconDue) {
      const seq = this.lastPublished.get(id);
      if (seq !== undefined) this.publish(CHANNEL_PREFIX + id, SEQ, seq, new Uint8Array(0));
    }
    this.beaconDue.clear();
  }

  /** A connection is (back) up: whatever was published meanwhile may be lost. */
  private reconnected(): void {
    if (!this.down) return;
    if (this.pub.status !== 'ready' || this.sub.status !== 'ready') return;
    this.down = false;
    this.loggedDown = false;
    this.log.info('redis-reconnected', { rooms: this.rooms.size });
    for (const room of this.rooms.values()) room.heal();
    for (const id of this.lastPublished.keys()) this.beaconDue.add(id);
    this.sendBeacons();
  }

  async close(): Promise<void> {
    clearInterval(this.beacon);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
