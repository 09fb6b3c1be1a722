import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type Server as WsServer } from 'ws';
import { isValidId } from '../../src/model/ids.ts';
import { authorIdOf } from '../../src/model/review.ts';
import { LINK_REPLACED_CODE } from '../../src/protocol/api.ts';
import { flashbookAccess } from '../auth/access.ts';
import { roleCanComment } from '../auth/roles.ts';
import type { Role } from '../auth/tokens.ts';
import type { SyncLimits } from '../config.ts';
import { errorMessage, type Logger } from '../log.ts';
import type { FlashbookStore } from '../storage/types.ts';
import { CLOSE } from './close-codes.ts';
import { Connection } from './connection.ts';
import type { RateLimit } from './rate-limit.ts';
import { Rooms, type RoomObserver } from './rooms.ts';
import type { ShareRoom } from './shared.ts';

export interface SyncServerOptions {
  store: FlashbookStore;
  log: Logger;
  maxMessageBytes: number;
  maxBufferedBytes: number;
  rateLimit: RateLimit;
  idleUnloadMs: number;
  pingIntervalMs: number;
  compactAfterUpdates: number;
  /** How long authorising an upgraded socket may take before it is turned away (HTTP 503). */
  handshakeTimeoutMs: number;
  observer?: RoomObserver;
  sync: SyncLimits;
  share?: ShareRoom;
  /** Tells the other instances that a link was replaced (server/scale/redis-fanout.ts). */
  announceLinkReplaced?: (id: string, role: Role) => void;
  /** How often the tokens of open connections are checked again (`recheckLinks`); unset: never. */
  linkRecheckMs?: number | undefined;
}

/** Where a `/sync/<id>?token=<token>` upgrade wants to go. */
export interface SyncTarget {
  id: string;
  token: string | null;
  /** The client asked for acknowledgements of stored updates (`ack=1`; see room.ts). */
  wantsAcks: boolean;
  /**
   * The comment author's secret key (`author=<key>`, at most MAX_AUTHOR_KEY_LENGTH characters):
   * the connection may write and change the messages whose `authorId` is authorIdOf(key).
   */
  authorKey: string | null;
}

/** Longest `author` key accepted in a sync URL. */
export const MAX_AUTHOR_KEY_LENGTH = 256;

/** How long shutdown waits for clients to answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * How long a closed socket waits for the peer's answer to the close handshake before it is
 * destroyed (ws's default is 30 s). An honest client answers within a round trip; a peer that
 * stalls mid-frame never does, and would hold its socket and buffers for the whole wait.
 */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * What a refused socket may still send while its close handshake runs: the client's first
 * messages (sync step 1, its awareness) are small. Anything larger is discarded unread by ws.
 */
const REFUSED_MAX_PAYLOAD = 64 * 1024;

/**
 * ws closes a message over `maxPayload` itself, with 1009, a code after which the y-websocket
 * client reconnects and sends the same message again. Our 4413 tells it that resending cannot
 * help; so ws's own refusal is turned into ours.
 */
class SyncSocket extends WebSocket {
  override close(code?: number, data?: string | Buffer): void {
    if (code === 1009) super.close(CLOSE.TOO_LARGE, 'message too large');
    else super.close(code, data);
  }
}

type Authorisation =
  | { ok: true; role: Role; generation: number }
  | { ok: false; code: number; reason: string; room?: string };

/**
 * The y-websocket endpoint. Access is decided once per connection: refusals accept the socket
 * and close it with a 44xx code, because the client retries forever after an HTTP error on the
 * upgrade but stops on 4400-4499.
 */
/** The close code and reason for a token the store does not let in (at upgrade, or on recheck). */
function refusalOf(status: 'not-found' | 'unauthorized' | 'replaced'): {
  code: number;
  reason: string;
} {
  switch (status) {
    case 'not-found':
      return { code: CLOSE.NOT_FOUND, reason: 'flashbook not found' };
    case 'unauthorized':
      return { code: CLOSE.UNAUTHORIZED, reason: 'invalid token' };
    case 'replaced':
      return { code: CLOSE.LINK_REPLACED, reason: LINK_REPLACED_CODE };
  }
}

export class SyncServer {
  readonly rooms: Rooms;
  private readonly wss: WsServer<typeof SyncSocket>;
  /** Upgrades answered with a 44xx close only; small frames, no Connection. */
  private readonly refusals: WebSocketServer;
  private readonly connections = new Set<Connection>();
  /** Sockets whose token is being checked: not read from yet, destroyed on shutdown. */
  private readonly authorising = new Set<Duplex>();
  private refusing = 0;
  private readonly pinger: NodeJS.Timeout;
  private nextId = 0;
  private closing = false;
  /**
   * Bumped for (flashbook, role) each time its link is replaced: a connection authorised before
   * the bump (its token checked, its room not entered yet) is closed once it gets there.
   */
  private readonly linkGenerations = new Map<string, number>();
  /** The token each open connection was let in with (`recheckLinks`). */
  private readonly tokens = new Map<Connection, string | null>();
  private readonly rechecker: NodeJS.Timeout | undefined;
  private rechecking = false;

  constructor(private readonly opts: SyncServerOptions) {
    this.rooms = new Rooms(opts);
    const common = {
      noServer: true,
      perMessageDeflate: false,
      // The protocol has no text frames, and we refuse them with 4400. Left on, ws would first
      // refuse one holding invalid UTF-8 itself with 1007, a code the client retries after.
      skipUTF8Validation: true,
      closeTimeout: CLOSE_TIMEOUT_MS,
    } as const;
    this.wss = new WebSocketServer({
      ...common,
      // ws buffers a frame whole before anyone sees it, so this, not our own check, is what
      // bounds the memory one socket can pin (SyncSocket answers it with 4413).
      maxPayload: opts.maxMessageBytes,
      WebSocket: SyncSocket,
    });
    this.refusals = new WebSocketServer({ ...common, maxPayload: REFUSED_MAX_PAYLOAD });
    this.pinger = setInterval(() => this.ping(), opts.pingIntervalMs);
    if (opts.linkRecheckMs)
      this.rechecker = setInterval(() => void this.recheckLinks(), opts.linkRecheckMs);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * The token is checked before the WebSocket handshake completes: until then nothing is read
   * from the socket (what the client sends waits in the kernel, bounded by TCP flow control), so
   * an unauthenticated socket costs no buffers however much it sends. A check that takes longer
   * than `handshakeTimeoutMs` (a stalled store) turns the socket away with 503, which the client
   * retries later.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: SyncTarget): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.authorising.add(socket);
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      socket.off('close', onClose);
      this.authorising.delete(socket);
      return !this.closing && !socket.destroyed;
    };
    const onClose = (): void => void settle();
    socket.once('close', onClose);
    const timer = setTimeout(() => {
      if (!settle()) return;
      this.opts.log.warn('refused', {
        room: target.id,
        code: 503,
        reason: 'authorisation timed out',
      });
      rejectHandshake(socket, 503, 'the server is busy; try again shortly', 5);
    }, this.opts.handshakeTimeoutMs);

    this.authorise(target).then(
      (auth) => {
        if (!settle()) return;
        if (!auth.ok) return this.refuse(req, socket, head, auth);
        this.wss.handleUpgrade(
          req,
          socket,
          head,
          (ws) => void this.accept(ws, target, auth.role, auth.generation),
        );
      },
      (err: unknown) => {
        if (!settle()) return;
        this.opts.log.error('error', {
          room: target.id,
          code: CLOSE.INTERNAL_ERROR,
          reason: errorMessage(err),
        });
        // A WebSocket close, as before: the client reconnects after 1011.
        this.refuse(req, socket, head, {
          ok: false,
          code: CLOSE.INTERNAL_ERROR,
          reason: 'server error',
        });
      },
    );
  }

  private async authorise(target: SyncTarget): Promise<Authorisation> {
    if (!isValidId(target.id)) {
      return { ok: false, code: CLOSE.BAD_REQUEST, reason: 'invalid flashbook id' };
    }
    if (target.authorKey !== null && target.authorKey.length > MAX_AUTHOR_KEY_LENGTH) {
      return { ok: false, code: CLOSE.BAD_REQUEST, reason: 'author key too long', room: target.id };
    }
    // Read before the links: a replacement during the lookup is noticed in accept().
    const generations = new Map<Role, number>();
    const generationOf = (role: Role) => this.linkGenerations.get(`${target.id}/${role}`) ?? 0;
    for (const role of ['view', 'comment', 'edit', 'approve'] as const) {
      generations.set(role, generationOf(role));
    }
    const access = await flashbookAccess(this.opts.store, target.id, target.token);
    if (access.status !== 'ok') return { ok: false, ...refusalOf(access.status), room: target.id };
    return { ok: true, role: access.role, generation: generations.get(access.role) ?? 0 };
  }

  /**
   * The link of `role` on flashbook `id` was replaced: its open connections are closed with
   * 4410 (the app shows "this link was replaced"), and those still being set up once they are.
   * With REDIS_URL the other instances are told and do the same with theirs (`announce` false:
   * a replacement heard from another instance is not announced again).
   */
  linkReplaced(id: string, role: Role, announce = true): void {
    if (announce) this.opts.announceLinkReplaced?.(id, role);
    const key = `${id}/${role}`;
    this.linkGenerations.set(key, (this.linkGenerations.get(key) ?? 0) + 1);
    for (const conn of this.connections) {
      if (conn.room === id && conn.role === role) {
        conn.close(CLOSE.LINK_REPLACED, LINK_REPLACED_CODE);
      }
    }
  }

  /**
   * Checks the token of every open connection again (with REDIS_URL, every `linkRecheckMs`). A
   * replacement announced by another instance reaches this one over Redis pub/sub, which delivers
   * at most once and not at all while this instance is reconnecting to it: the store, which every
   * instance shares, still says the link was replaced, so its connections are closed here too,
   * at most one interval late (4410; 4401 or 4404 for a token or flashbook gone otherwise). One
   * lookup per flashbook and token, however many connections share it; a failed lookup (the
   * database unreachable) is tried again at the next interval.
   */
  async recheckLinks(): Promise<void> {
    if (this.rechecking || this.closing) return;
    this.rechecking = true;
    try {
      const groups = new Map<string, Map<string | null, Connection[]>>();
      for (const [conn, token] of this.tokens) {
        if (!conn.room || !conn.open) continue;
        const byToken = groups.get(conn.room) ?? new Map<string | null, Connection[]>();
        groups.set(conn.room, byToken);
        byToken.set(token, [...(byToken.get(token) ?? []), conn]);
      }
      for (const [room, byToken] of groups) {
        for (const [token, conns] of byToken) {
          const access = await flashbookAccess(this.opts.store, room, token).catch(() => null);
          if (!access || access.status === 'ok') continue;
          const { code, reason } = refusalOf(access.status);
          for (const conn of conns) if (conn.open) conn.close(code, reason);
        }
      }
    } finally {
      this.rechecking = false;
    }
  }

  /**
   * Completes the handshake only to close at once with a 44xx code: after an HTTP error the
   * client would retry forever. The socket lives for one close handshake (at most
   * CLOSE_TIMEOUT_MS) and reads small frames only.
   */
  private refuse(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    auth: { ok: false; code: number; reason: string; room?: string },
  ): void {
    const conn = ++this.nextId;
    this.refusals.handleUpgrade(req, socket, head, (ws) => {
      this.refusing++;
      ws.once('close', () => this.refusing--);
      ws.on('error', () => ws.terminate());
      if (auth.code !== CLOSE.INTERNAL_ERROR) {
        this.opts.log.info('refused', {
          room: auth.room,
          conn,
          code: auth.code,
          reason: auth.reason,
        });
      }
      ws.close(auth.code, auth.reason);
    });
  }

  private async accept(
    ws: WebSocket,
    target: SyncTarget,
    role: Role,
    generation: number,
  ): Promise<void> {
    const conn = new Connection(ws, ++this.nextId, this.opts);
    this.connections.add(conn);
    let connected = false;
    ws.on('error', (err) => {
      this.opts.log.warn('error', { room: conn.room, conn: conn.id, reason: errorMessage(err) });
    });
    ws.on('close', (code, reason) => {
      this.connections.delete(conn);
      this.tokens.delete(conn);
      this.rooms.leave(conn);
      if (!connected) return;
      this.opts.log.info('disconnect', {
        room: conn.room,
        role: conn.role,
        conn: conn.id,
        code: conn.endedBy?.code ?? code,
        reason: conn.endedBy?.reason ?? reason.toString('utf8').slice(0, 123),
      });
    });
    try {
      if (this.closing) return conn.close(CLOSE.GOING_AWAY, 'server shutting down');
      conn.role = role;
      conn.room = target.id;
      conn.wantsAcks = target.wantsAcks && roleCanComment(role);
      if (target.authorKey) conn.authorId = authorIdOf(target.authorKey);
      const room = await this.rooms.enter(target.id, conn);
      await room.ready;
      if ((this.linkGenerations.get(`${target.id}/${role}`) ?? 0) !== generation) {
        conn.close(CLOSE.LINK_REPLACED, LINK_REPLACED_CODE);
      }
      if (!conn.open) return this.rooms.leave(conn);
      if (room.state !== 'ready') return conn.close(CLOSE.INTERNAL_ERROR, 'storage error');
      connected = true;
      this.tokens.set(conn, target.token);
      this.opts.log.info('connect', { room: conn.room, role, conn: conn.id });
      room.start(conn);
    } catch (err) {
      this.opts.log.error('error', {
        room: conn.room,
        conn: conn.id,
        code: CLOSE.INTERNAL_ERROR,
        reason: errorMessage(err),
      });
      conn.close(CLOSE.INTERNAL_ERROR, 'server error');
    }
  }

  /** A peer that did not answer the previous ping is gone (or wedged): cut it off. */
  private ping(): void {
    for (const conn of this.connections) {
      if (!conn.alive) {
        conn.terminate('no pong');
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        conn.terminate('ping failed');
      }
    }
  }

  stats(): { loadedDocs: number; connections: number } {
    return {
      loadedDocs: this.rooms.size,
      connections: this.connections.size + this.authorising.size + this.refusing,
    };
  }

  /** Closes every connection (1001: clients reconnect later), then flushes and unloads rooms. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pinger);
    clearInterval(this.rechecker);
    for (const socket of this.authorising) socket.destroy();
    for (const ws of this.refusals.clients) ws.terminate();
    const open = [...this.connections];
    for (const conn of open) conn.close(CLOSE.GOING_AWAY, 'server shutting down');
    await waitUntil(() => this.connections.size === 0, CLOSE_GRACE_MS);
    for (const conn of this.connections) conn.terminate('server shutting down');
    await this.rooms.closeAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.refusals.close(() => resolve()));
  }
}

function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const check = (): void => {
      if (condition() || Date.now() - started >= timeoutMs) resolve();
      else setTimeout(check, 10);
    };
    check();
  });
}

/**
 * Turns an upgrade away with a plain HTTP answer (and `Retry-After`): the y-websocket client sees
 * a failed connection and retries with backoff, which is what a busy or over-limit server wants.
 */
export function rejectHandshake(
  socket: Duplex,
  status: 429 | 503,
  message: string,
  retryAfterSeconds: number,
): void {
  const body = JSON.stringify({ error: message, retryAfter: retryAfterSeconds });
  const reason = status === 429 ? 'Too Many Requests' : 'Service Unavailable';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `retry-after: ${retryAfterSeconds}\r\n` +
      'cache-control: no-store\r\n' +
      'connection: close\r\n\r\n' +
      body,
  );
  // Whatever the peer sends now is never read; do not wait for it to hang up.
  setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS).unref();
}

/** Parses `/sync/<id>?token=…&ack=1&author=…`; undefined for any other path. Never logs the query. */
export function parseSyncTarget(url: string): SyncTarget | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.startsWith('/sync/')) return undefined;
  const params = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  return {
    id: path.slice('/sync/'.length),
    token: params.get('token'),
    wantsAcks: params.get('ack') === '1',
    authorKey: params.get('author'),
  };
}
