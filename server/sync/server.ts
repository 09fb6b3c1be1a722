import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isValidId } from '../../src/model/ids.ts';
import { roleFor } from '../auth/tokens.ts';
import type { SyncLimits } from '../config.ts';
import { errorMessage, type Logger } from '../log.ts';
import type { FlashbookStore } from '../storage/types.ts';
import { CLOSE } from './close-codes.ts';
import { Connection } from './connection.ts';
import type { RateLimit } from './rate-limit.ts';
import { Rooms } from './rooms.ts';

export interface SyncServerOptions {
  store: FlashbookStore;
  log: Logger;
  maxMessageBytes: number;
  maxBufferedBytes: number;
  rateLimit: RateLimit;
  idleUnloadMs: number;
  pingIntervalMs: number;
  compactAfterUpdates: number;
  sync: SyncLimits;
}

/** Where a `/sync/<id>?token=<token>` upgrade wants to go. */
export interface SyncTarget {
  id: string;
  token: string | null;
  /** The client asked for acknowledgements of stored updates (`ack=1`; see room.ts). */
  wantsAcks: boolean;
}

/** How long shutdown waits for clients to answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * The y-websocket endpoint. Access is decided once per connection: refusals accept the socket
 * and close it with a 44xx code, because the client retries forever after an HTTP error on the
 * upgrade but stops on 4400-4499.
 */
export class SyncServer {
  readonly rooms: Rooms;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly pinger: NodeJS.Timeout;
  private nextId = 0;
  private closing = false;

  constructor(private readonly opts: SyncServerOptions) {
    this.rooms = new Rooms(opts);
    this.wss = new WebSocketServer({
      noServer: true,
      // Larger than our limit, so that we, not ws (1009, which the client retries), refuse an
      // oversized message, with 4413.
      maxPayload: opts.maxMessageBytes * 4,
      perMessageDeflate: false,
      // The protocol has no text frames, and we refuse them with 4400. Left on, ws would first
      // refuse one holding invalid UTF-8 itself with 1007, a code the client retries after.
      skipUTF8Validation: true,
    });
    this.pinger = setInterval(() => this.ping(), opts.pingIntervalMs);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: SyncTarget): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, target));
  }

  private async accept(ws: WebSocket, target: SyncTarget): Promise<void> {
    const conn = new Connection(ws, ++this.nextId, this.opts);
    this.connections.add(conn);
    let connected = false;
    ws.on('error', (err) => {
      this.opts.log.warn('error', { room: conn.room, conn: conn.id, reason: errorMessage(err) });
    });
    ws.on('close', (code, reason) => {
      this.connections.delete(conn);
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
      if (!isValidId(target.id)) {
        return this.refuse(conn, CLOSE.BAD_REQUEST, 'invalid flashbook id');
      }
      const record = await this.opts.store.getFlashbook(target.id);
      if (!conn.open) return;
      if (!record) return this.refuse(conn, CLOSE.NOT_FOUND, 'flashbook not found', target.id);
      const role = roleFor(record, target.token);
      if (!role) return this.refuse(conn, CLOSE.UNAUTHORIZED, 'invalid token', target.id);
      conn.role = role;
      conn.room = target.id;
      conn.wantsAcks = target.wantsAcks && role === 'edit';
      const room = await this.rooms.enter(target.id, conn);
      await room.ready;
      if (!conn.open) return this.rooms.leave(conn);
      if (room.state !== 'ready') return conn.close(CLOSE.INTERNAL_ERROR, 'storage error');
      connected = true;
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

  private refuse(conn: Connection, code: number, reason: string, room?: string): void {
    this.opts.log.info('refused', { room, conn: conn.id, code, reason });
    conn.close(code, reason);
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
    return { loadedDocs: this.rooms.size, connections: this.connections.size };
  }

  /** Closes every connection (1001: clients reconnect later), then flushes and unloads rooms. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pinger);
    const open = [...this.connections];
    for (const conn of open) conn.close(CLOSE.GOING_AWAY, 'server shutting down');
    await waitUntil(() => this.connections.size === 0, CLOSE_GRACE_MS);
    for (const conn of this.connections) conn.terminate('server shutting down');
    await this.rooms.closeAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
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

/** Parses `/sync/<id>?token=…`; undefined for any other path. Never logs the query. */
export function parseSyncTarget(url: string): SyncTarget | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.startsWith('/sync/')) return undefined;
  const params = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  return {
    id: path.slice('/sync/'.length),
    token: params.get('token'),
    wantsAcks: params.get('ack') === '1',
  };
}
