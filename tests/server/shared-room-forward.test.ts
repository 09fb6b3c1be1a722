import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Role } from '../../server/auth/tokens.ts';
import { resolveConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import type { FlashbookStore } from '../../server/storage/types.ts';
import { MESSAGE_SYNC, SYNC_UPDATE } from '../../server/sync/protocol.ts';
import { TokenBucket } from '../../server/sync/rate-limit.ts';
import { Room, type RoomConnection } from '../../server/sync/room.ts';
import type { RoomLink } from '../../server/sync/shared.ts';
import { addSlide, readFlashbook, seedFlashbook } from '../../src/model/flashbook.ts';
import { openTestStore } from '../helpers/server.ts';

/**
 * A room shared between instances (REDIS_URL): an update another instance stored reaches this
 * instance's clients at once, not after this instance's own appends in flight. It used to wait
 * behind them in the room's queue: on PostgreSQL every keystroke typed on the other instance
 * then paid this instance's commit round trips too (bench/README.md, "Scale-out").
 *
 * The run's real store (SQLite, or PostgreSQL under TEST_STORE=postgres), with its appends held
 * at a gate: an append in flight, as on a networked database, for as long as the test says.
 */
function gated(inner: FlashbookStore) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  const store = new Proxy(inner, {
    get(target, key) {
      if (key === 'appendUpdate') {
        return async (id: string, update: Uint8Array) => {
          held++;
          await gate;
          return target.appendUpdate(id, update);
        };
      }
      if (key === 'appendUpdates' && target.appendUpdates) {
        return async (id: string, updates: Uint8Array[]) => {
          held++;
          await gate;
          return target.appendUpdates!(id, updates);
        };
      }
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { store, release: () => release(), held: () => held };
}

class TestConnection implements RoomConnection {
  open = true;
  readonly wantsAcks = false;
  readonly received: Uint8Array[] = [];
  handler: ((data: Uint8Array) => void) | undefined;
  constructor(
    readonly id: number,
    readonly role: Role,
  ) {}
  send(bytes: Uint8Array): void {
    if (this.open) this.received.push(bytes);
  }
  deliverTo(handler: (data: Uint8Array) => void): void {
    this.handler = handler;
  }
  reject(): void {
    this.open = false;
  }
  close(): void {
    this.open = false;
  }
  probe(): void {}
  answeredProbe(): boolean {
    return true;
  }
  /** The document this client would have: the seed plus every update the room sent it. */
  docFrom(seed: Uint8Array): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, seed);
    for (const message of this.received) {
      const d = decoding.createDecoder(message);
      if (decoding.readVarUint(d) !== MESSAGE_SYNC) continue;
      if (decoding.readVarUint(d) !== SYNC_UPDATE) continue;
      Y.applyUpdate(doc, decoding.readVarUint8Array(d));
    }
    return doc;
  }
}

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_UPDATE);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** A copy of `seed` that adds a slide: the update it makes, and the slide's id. */
function newSlide(seed: Uint8Array): { update: Uint8Array; slideId: string } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, seed);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const slideId = addSlide(doc, readFlashbook(doc).posts[0]!.id, { layout: 'book' });
  return { update: Y.mergeUpdates(updates), slideId };
}

const slideIds = (doc: Y.Doc): string[] => readFlashbook(doc).posts[0]!.slides.map((s) => s.id);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a room shared between instances', () => {
  it("forwards another instance's stored update while its own append is still in flight", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flashbook-shared-forward-'));
    dirs.push(dir);
    const inner = await openTestStore(dir);
    const seedDoc = new Y.Doc();
    seedFlashbook(seedDoc, { title: 'Абай жолы' });
    const seed = Y.encodeStateAsUpdate(seedDoc);
    const id = `shared${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    await inner.createFlashbook({ id, title: 'Абай жолы', createdAt: Date.now() }, seed);
    const { store, release, held } = gated(inner);
    const published: number[] = [];
    const link: RoomLink = {
      joined: Promise.resolve(),
      publishUpdate: (seq) => published.push(seq),
      publishAwareness: () => undefined,
      leave: () => undefined,
    };
    const room = new Room(id, {
      store,
      log: createLogger({ quiet: true }),
      compactAfterUpdates: 10_000,
      limits: resolveConfig({}).sync,
      budget: new TokenBucket(1e12, 1e12, performance.now()),
      onEmpty: () => undefined,
      onFailed: () => undefined,
      share: () => link,
    });
    try {
      await room.ready;
      expect(room.state).toBe('ready');
      const writer = new TestConnection(1, 'edit');
      const reader = new TestConnection(2, 'edit');
      for (const conn of [writer, reader]) {
        room.add(conn);
        room.start(conn);
      }

      // This instance's editor adds a slide: applied, its append held at the gate.
      const mine = newSlide(seed);
      writer.handler!(updateMessage(mine.update));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(held()).toBe(1);
      expect(slideIds(reader.docFrom(seed))).not.toContain(mine.slideId); // not stored: not sent

      // Meanwhile another instance stored its editor's slide as the next row and published it.
      const theirs = newSlide(seed);
      const seq = await inner.appendUpdate(id, theirs.update);
      room.receiveUpdate(seq, theirs.update);
      await new Promise((resolve) => setTimeout(resolve, 0));

      // Both of this instance's clients have it now, though the own append has not returned.
      expect(slideIds(reader.docFrom(seed))).toContain(theirs.slideId);
      expect(slideIds(writer.docFrom(seed))).toContain(theirs.slideId);
      expect(slideIds(reader.docFrom(seed))).not.toContain(mine.slideId);
      expect(published).toEqual([]);

      // The own append completes: stored after theirs, then forwarded and published.
      release();
      await room.flushed();
      expect(slideIds(reader.docFrom(seed))).toEqual(
        expect.arrayContaining([theirs.slideId, mine.slideId]),
      );
      expect(published).toEqual([seq + 1]);
      const stored = await inner.loadUpdates(id);
      const reloaded = new Y.Doc();
      for (const u of stored.updates) Y.applyUpdate(reloaded, u);
      expect(slideIds(reloaded)).toEqual(expect.arrayContaining([theirs.slideId, mine.slideId]));
    } finally {
      room.destroy();
      inner.close();
    }
  });
});
