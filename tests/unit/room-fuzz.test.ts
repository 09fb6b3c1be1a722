import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Role } from '../../server/auth/tokens.ts';
import { resolveConfig } from '../../server/config.ts';
import { createLogger, type LogEntry } from '../../server/log.ts';
import type {
  FlashbookRecord,
  FlashbookStore,
  StoredUpdates,
  LinkRecord,
} from '../../server/storage/types.ts';
import { TokenBucket } from '../../server/sync/rate-limit.ts';
import { Room, type RoomConnection } from '../../server/sync/room.ts';
import {
  addSlide,
  deleteSlide,
  editText,
  getSlideBody,
  moveSlide,
  readFlashbook,
  seedFlashbook,
  undoScope,
} from '../../src/model/flashbook.ts';
import { LOCAL } from '../../src/model/origins.ts';
import { mulberry32 } from './network.ts';

/**
 * Convergence fuzz through a real Room: N clients speak the y-websocket protocol to it over
 * queues whose delivery the test controls, with random viewers, disconnects, forced compactions,
 * storage failures and room reloads, against an in-memory FlashbookStore. At the end every client
 * and a fresh room loaded from the store must hold the same document.
 */

/** Storage in memory, with a switch that makes the next append fail. */
class MemoryStore implements FlashbookStore {
  private rows: { seq: number; data: Uint8Array }[] = [];
  private seq = 0;
  failNextAppend = false;
  failures = 0;
  compactions = 0;

  createFlashbook(_record: FlashbookRecord, initialUpdate: Uint8Array): boolean {
    this.rows.push({ seq: ++this.seq, data: initialUpdate });
    return true;
  }
  getFlashbook(): FlashbookRecord | undefined {
    return undefined;
  }
  appendUpdate(_id: string, update: Uint8Array): number {
    if (this.failNextAppend) {
      this.failNextAppend = false;
      this.failures++;
      throw new Error('disk full');
    }
    this.rows.push({ seq: ++this.seq, data: update.slice() });
    return this.seq;
  }
  loadUpdates(): StoredUpdates {
    return { updates: this.rows.map((r) => r.data), lastSeq: this.rows.at(-1)?.seq ?? 0 };
  }
  compact(_id: string, upToSeq: number, merged: Uint8Array): void {
    this.compactions++;
    this.rows = [{ seq: upToSeq, data: merged }, ...this.rows.filter((r) => r.seq > upToSeq)];
  }
  countUpdates(): number {
    return this.rows.length;
  }
  // The room never touches links or the activity log.
  getLinks(): LinkRecord[] {
    return [];
  }
  replaceLink(): void {}
  addLinkIfNone(): boolean {
    return false;
  }
  addStatusChange(): void {}
  listStatusChanges(): [] {
    return [];
  }
  close(): void {}
}

/** One socket, as two queues the test delivers from. */
class QueueConnection implements RoomConnection {
  open = true;
  readonly wantsAcks = false;
  /** Server to client, and client to server. */
  readonly toClient: Uint8Array[] = [];
  readonly toServer: Uint8Array[] = [];
  handler: ((data: Uint8Array) => void) | undefined;
  closedWith: number | undefined;

  constructor(
    readonly id: number,
    readonly role: Role,
    private readonly onClose: (conn: QueueConnection) => void,
  ) {}

  send(bytes: Uint8Array): void {
    if (this.open) this.toClient.push(bytes);
  }
  deliverTo(handler: (data: Uint8Array) => void): void {
    this.handler = handler;
  }
  reject(code: number): void {
    this.close(code);
  }
  close(code: number): void {
    if (!this.open) return;
    this.open = false;
    this.closedWith = code;
    this.toClient.length = 0;
    this.toServer.length = 0;
    this.onClose(this);
  }
  probe(): void {}
  answeredProbe(): boolean {
    return true;
  }
}

/** A client: its own Y.Doc, and the connection it has now (if any). */
interface FuzzClient {
  doc: Y.Doc;
  role: Role;
  conn: QueueConnection | undefined;
  /** Tracks only this client's own (LOCAL) edits, as the editor's undo does. */
  undo: Y.UndoManager;
}

const ROOM_ID = 'fuzzroom1';

function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

interface FuzzStats {
  delivered: number;
  disconnects: number;
  reloads: number;
  failures: number;
  compactions: number;
  undos: number;
}

async function runFuzz(seed: number, steps: number): Promise<FuzzStats> {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const store = new MemoryStore();
  const seedDoc = new Y.Doc();
  seedDoc.getText('t').insert(0, 'Абай жолы');
  // A real flashbook too, so that the model's commands, rich text and undo go through the room.
  seedFlashbook(seedDoc, { title: 'Соғыс жылдары' });
  store.createFlashbook({} as FlashbookRecord, Y.encodeStateAsUpdate(seedDoc));
  const config = resolveConfig({});
  const logs: LogEntry[] = [];
  const log = createLogger({ sink: (entry) => logs.push(entry), level: 'warn' });
  const budget = new TokenBucket(1e12, 1e12, performance.now());
  const stats: FuzzStats = {
    delivered: 0,
    disconnects: 0,
    reloads: 0,
    failures: 0,
    compactions: 0,
    undos: 0,
  };

  let room: Room | undefined;
  let nextConn = 0;
  const clients: FuzzClient[] = [];
  const newRoom = async (): Promise<Room> => {
    const r: Room = new Room(ROOM_ID, {
      store,
      log,
      compactAfterUpdates: 1 + Math.floor(rnd() * 40),
      limits: config.sync,
      budget,
      onEmpty: () => undefined,
      onFailed: (failed) => {
        failed.destroy();
        if (room === failed) room = undefined;
      },
    });
    await r.ready;
    return r;
  };
  const connect = async (client: FuzzClient): Promise<void> => {
    room ??= await newRoom();
    const current = room;
    const conn = new QueueConnection(++nextConn, client.role, (c) => current.remove(c));
    client.conn = conn;
    current.add(conn);
    current.start(conn);
    // The stock client's opening: its own step 1.
    conn.toServer.push(
      message((e) => {
        encoding.writeVarUint(e, 0);
        syncProtocol.writeSyncStep1(e, client.doc);
      }),
    );
  };
  /** The stock client's message handling (y-websocket's sync handler; awareness ignored). */
  const receive = (client: FuzzClient, conn: QueueConnection, data: Uint8Array): void => {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== 0) return;
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, 0);
    syncProtocol.readSyncMessage(decoder, reply, client.doc, conn);
    if (encoding.length(reply) > 1) conn.toServer.push(encoding.toUint8Array(reply));
  };

  for (let i = 0; i < 3 + Math.floor(rnd() * 4); i++) {
    const doc = new Y.Doc();
    const client: FuzzClient = {
      doc,
      role: i > 0 && rnd() < 0.3 ? 'view' : 'edit',
      conn: undefined,
      undo: new Y.UndoManager(undoScope(doc), {
        trackedOrigins: new Set([LOCAL]),
        captureTimeout: 0,
      }),
    };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === client.conn || !client.conn?.open) return;
      client.conn.toServer.push(
        message((e) => {
          encoding.writeVarUint(e, 0);
          syncProtocol.writeUpdate(e, update);
        }),
      );
    });
    clients.push(client);
    await connect(client);
  }
  const settle = () => new Promise((r) => setImmediate(r));

  /** One of the editor's own operations: model commands, rich text, undo and redo. */
  const modelOperation = (client: FuzzClient): void => {
    const doc = client.doc;
    const view = readFlashbook(doc);
    const slides = view.posts.flatMap((p) => p.slides);
    const post = view.posts.length > 0 ? pick(view.posts) : undefined;
    const slide = slides.length > 0 ? pick(slides) : undefined;
    const r = rnd();
    if (r < 0.2) {
      const title = view.title;
      const at = Math.floor(rnd() * (title.length + 1));
      editText(
        doc,
        { kind: 'title' },
        title.slice(0, at) + pick(['Ә', 'ң', ' ', 'x']) + title.slice(at),
      );
    } else if (r < 0.35 && post) {
      addSlide(doc, post.id, { layout: 'book', fields: { title: `Кітап ${step}` } });
    } else if (r < 0.45 && slide && slides.length > 2) {
      deleteSlide(doc, slide.id);
    } else if (r < 0.6 && slide && post) {
      moveSlide(doc, slide.id, {
        postId: post.id,
        index: Math.floor(rnd() * (post.slides.length + 1)),
      });
    } else if (r < 0.75 && slide) {
      const body = getSlideBody(doc, slide.id);
      if (body) {
        doc.transact(() => {
          if (body.length > 0 && rnd() < 0.3) body.delete(Math.floor(rnd() * body.length), 1);
          else {
            const p = new Y.XmlElement('paragraph');
            p.insert(0, [new Y.XmlText(pick(['Қазақ', 'проза', 'poem']))]);
            body.insert(Math.floor(rnd() * (body.length + 1)), [p]);
          }
        }, LOCAL);
      }
    } else if (r < 0.9) {
      if (client.undo.undo()) stats.undos++;
    } else {
      if (client.undo.redo()) stats.undos++;
    }
  };
  let step = 0;

  const deliverOne = (): boolean => {
    const busy = clients.filter(
      (c) => c.conn?.open && (c.conn.toClient.length > 0 || c.conn.toServer.length > 0),
    );
    if (busy.length === 0) return false;
    const client = pick(busy);
    const conn = client.conn!;
    const toServer = conn.toServer.length > 0 && (conn.toClient.length === 0 || rnd() < 0.5);
    if (toServer) conn.handler?.(conn.toServer.shift()!);
    else receive(client, conn, conn.toClient.shift()!);
    stats.delivered++;
    return true;
  };

  for (step = 0; step < steps; step++) {
    const r = rnd();
    const client = pick(clients);
    if (r < 0.35) {
      // Only editors edit: a viewer's edits are dropped by design and would never converge.
      if (client.role === 'edit') {
        const text = client.doc.getText('t');
        if (text.length > 0 && rnd() < 0.3) {
          const at = Math.floor(rnd() * text.length);
          text.delete(at, Math.min(text.length - at, 1 + Math.floor(rnd() * 4)));
        } else {
          text.insert(Math.floor(rnd() * (text.length + 1)), pick(['ж', 'қ', 'ab', '😀', ' ']));
        }
        if (rnd() < 0.2) client.doc.getMap('m').set(pick(['a', 'b', 'c']), step);
        modelOperation(client);
      }
    } else if (r < 0.85) {
      for (let n = 1 + Math.floor(rnd() * 5); n > 0 && deliverOne(); n--);
    } else if (r < 0.9) {
      if (client.conn?.open) {
        stats.disconnects++;
        client.conn.close(1006);
      } else {
        await connect(client);
      }
    } else if (r < 0.93) {
      if (room) await room.compact();
    } else if (r < 0.96) {
      store.failNextAppend = true;
    } else if (r < 0.98 && room) {
      // The room unloads (flushed and compacted) and comes back for the next connection.
      stats.reloads++;
      const old = room;
      await old.flushed();
      await old.compact();
      room = undefined;
      for (const c of clients) c.conn?.close(1001);
      old.destroy();
    }
    await settle();
    for (const c of clients) if (c.conn && !c.conn.open && rnd() < 0.1) await connect(c);
  }

  // Everyone back online, everything delivered.
  store.failNextAppend = false;
  for (let round = 0; round < 50; round++) {
    for (const c of clients) if (!c.conn?.open) await connect(c);
    while (deliverOne());
    await settle();
    if (clients.every((c) => c.conn?.open)) break;
  }
  await room!.flushed();

  const fresh = new Room(ROOM_ID, {
    store,
    log,
    compactAfterUpdates: 500,
    limits: config.sync,
    budget,
    onEmpty: () => undefined,
    onFailed: () => undefined,
  });
  await fresh.ready;
  const stateOf = (doc: Y.Doc) => ({
    sv: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b),
    text: doc.getText('t').toString(),
    map: doc.getMap('m').toJSON(),
    flashbook: JSON.stringify(readFlashbook(doc)),
  });
  const expected = stateOf(room!.doc);
  const context = `seed ${seed}`;
  expect(stateOf(fresh.doc), context).toEqual(expected);
  for (const c of clients) expect(stateOf(c.doc), `${context}, a ${c.role}`).toEqual(expected);
  expect(
    logs.filter((l) => l.level === 'error' && !String(l.reason).startsWith('storage write failed')),
    context,
  ).toEqual([]);
  stats.failures = store.failures;
  stats.compactions = store.compactions;
  room!.destroy();
  fresh.destroy();
  return stats;
}

describe('convergence through a real Room', () => {
  // `ROOM_FUZZ_SEEDS=500 ROOM_FUZZ_STEPS=2000 npm run fuzz:room` for a longer run.
  const SEEDS = Number(process.env['ROOM_FUZZ_SEEDS'] ?? 20);
  const STEPS = Number(process.env['ROOM_FUZZ_STEPS'] ?? 400);
  it(
    `${SEEDS} seeds: clients and a room reloaded from storage agree`,
    async () => {
      const total: FuzzStats = {
        delivered: 0,
        disconnects: 0,
        reloads: 0,
        failures: 0,
        compactions: 0,
        undos: 0,
      };
      for (let seed = 1; seed <= SEEDS; seed++) {
        const stats = await runFuzz(seed, STEPS);
        for (const k of Object.keys(total) as (keyof FuzzStats)[]) total[k] += stats[k];
      }
      // The harness exercised what it claims to.
      expect(total.delivered).toBeGreaterThan(1000);
      expect(total.disconnects).toBeGreaterThan(0);
      expect(total.reloads).toBeGreaterThan(0);
      expect(total.failures).toBeGreaterThan(0);
      expect(total.compactions).toBeGreaterThan(0);
      expect(total.undos).toBeGreaterThan(0);
      console.info(`room-fuzz: ${SEEDS} seeds × ${STEPS} steps: ${JSON.stringify(total)}`);
    },
    120_000 + SEEDS * STEPS * 20,
  );
});
