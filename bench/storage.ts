/**
 * Storage: how fast updates are appended while compaction runs, and what 10,000 edits take on
 * disk before and after compaction.
 *
 *   npm run bench:storage
 *   BENCH_EDITS=20000 npm run bench:storage
 *
 * 1. Through the server: one editor's socket sends BENCH_EDITS keystroke-sized updates (64 in
 *    flight), an observer counts them as they are forwarded. Ours forwards an update only after
 *    appending it to SQLite and compacts every 500 rows meanwhile; the baseline is the reference
 *    server (memory only). Ours runs with the flood limit raised: this measures storage, and one
 *    socket sending thousands of updates a second is exactly what the limit exists to stop.
 * 2. The store alone (SqliteFlashbookStore, in this process): appends per second without
 *    compaction (the baseline) and with the room's compaction every 500 rows.
 * 3. Size on disk after BENCH_EDITS edits, before and after compaction (and after VACUUM).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  addPost,
  addSlide,
  getText,
  readFlashbook,
  seedFlashbook,
} from '../src/model/flashbook.ts';
import { SqliteFlashbookStore } from '../server/storage/sqlite.ts';
import { envInt, kib, median, ratio, round, table, writeResult } from './lib/report.ts';
import {
  connectClient,
  createRoom,
  startServerProcess,
  synced,
  type ServerKind,
} from './lib/servers.ts';

const EDITS = envInt('BENCH_EDITS', 10_000);
const COMPACT_EVERY = 500; // the server's default compactAfterUpdates
const WINDOW = 64;

process.setMaxListeners(0);

/**
 * A realistic editing session on a copy of `base`: typing into the fields of 10 slides, with a
 * deletion now and then (backspace), one update per keystroke as the app sends them.
 */
function editingSession(base: Y.Doc, edits: number): Uint8Array[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const view = readFlashbook(doc);
  const postId = view.posts[0]?.id ?? addPost(doc).postId;
  const slides = Array.from({ length: 10 }, () => addSlide(doc, postId, { layout: 'book' }));
  const fields = ['title', 'author', 'publisher', 'quote'] as const;
  const sample = 'Қаһарлы күндер — Ілияс Есенберлин, 1941–1945. ';
  for (let i = 0; updates.length < edits; i++) {
    const text = getText(doc, {
      kind: 'slide',
      slideId: slides[Math.floor(i / 40) % slides.length]!,
      field: fields[Math.floor(i / 400) % fields.length]!,
    })!;
    if (i % 9 === 8 && text.length > 0) text.delete(text.length - 1, 1);
    else text.insert(text.length, sample[i % sample.length]!);
  }
  doc.destroy();
  return updates.slice(0, edits);
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

async function openSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Part 1: updates per second stored (ours) and forwarded (both), measured at an observer. */
async function throughServer(kind: ServerKind) {
  const server = await startServerProcess(kind, {
    compactAfterUpdates: COMPACT_EVERY,
    rateLimit: { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 },
  });
  try {
    const room = await createRoom(server, 'Storage');
    const seedClient = connectClient(server, room);
    await synced(seedClient);
    if (kind === 'reference') seedFlashbook(seedClient.doc, { title: 'Storage' });
    await new Promise((r) => setTimeout(r, 200));
    const updates = editingSession(seedClient.doc, EDITS).map(syncUpdateMessage);
    seedClient.destroy();

    const path = `/sync/${room.id}${room.token ? `?token=${room.token}` : ''}`;
    const wsUrl = server.url.replace(/^http/, 'ws');
    const observer = await openSocket(wsUrl + path);
    const writer = await openSocket(wsUrl + path);
    let forwarded = 0;
    observer.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 2) forwarded++;
    });
    await new Promise((r) => setTimeout(r, 200));
    const before = forwarded;
    const cpuBefore = await server.cpuMs();
    const started = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (sent < updates.length && sent - (forwarded - before) < WINDOW)
          writer.send(updates[sent++]!);
        if (forwarded - before >= updates.length) resolve();
        else setImmediate(pump);
      };
      pump();
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = (await server.cpuMs()) - cpuBefore;
    observer.terminate();
    writer.terminate();
    return {
      updates: EDITS,
      seconds: round(seconds),
      updatesPerSecond: Math.round(EDITS / seconds),
      serverCpuMsPerUpdate: round(cpu / EDITS, 3),
    };
  } finally {
    await server.stop();
  }
}

function dbBytes(dir: string): { db: number; wal: number; total: number } {
  const size = (f: string): number => {
    try {
      return statSync(join(dir, f)).size;
    } catch {
      return 0;
    }
  };
  const db = size('flashbooks.db');
  const wal = size('flashbooks.db-wal') + size('flashbooks.db-shm');
  return { db, wal, total: db + wal };
}

/** Parts 2 and 3: the store alone. */
function storeOnly() {
  const base = new Y.Doc();
  seedFlashbook(base, { title: 'Storage' });
  const initial = Y.encodeStateAsUpdate(base);
  const updates = editingSession(base, EDITS);
  const record = (id: string) => ({
    id,
    title: 'Storage',
    createdAt: Date.now(),
  });

  const appendRun = (compactEvery: number | undefined) => {
    const dir = mkdtempSync(join(tmpdir(), 'flashbook-bench-store-'));
    const store = new SqliteFlashbookStore(dir);
    try {
      store.createFlashbook(record('bench_flashbook'), initial);
      // The room's work per update: apply it to the document, append it; compact like the room.
      const doc = new Y.Doc();
      Y.applyUpdate(doc, initial);
      let rows = 1;
      let lastSeq = 0;
      let compactions = 0;
      const started = performance.now();
      for (const u of updates) {
        Y.applyUpdate(doc, u);
        lastSeq = store.appendUpdate('bench_flashbook', u);
        if (compactEvery && ++rows >= compactEvery) {
          store.compact('bench_flashbook', lastSeq, Y.encodeStateAsUpdate(doc));
          rows = 1;
          compactions++;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      return { updatesPerSecond: Math.round(EDITS / seconds), compactions };
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A warm-up run (JIT, page cache), then three of each, alternating; the median of each counts.
  appendRun(COMPACT_EVERY);
  const plainRuns: number[] = [];
  const compactingRuns: number[] = [];
  let compactions = 0;
  for (let i = 0; i < 3; i++) {
    plainRuns.push(appendRun(undefined).updatesPerSecond);
    const run = appendRun(COMPACT_EVERY);
    compactingRuns.push(run.updatesPerSecond);
    compactions = run.compactions;
  }
  const plain = { updatesPerSecond: median(plainRuns), compactions: 0 };
  const compacting = { updatesPerSecond: median(compactingRuns), compactions };

  // Size on disk: every edit appended, nothing compacted; then one compaction; then VACUUM.
  const dir = mkdtempSync(join(tmpdir(), 'flashbook-bench-size-'));
  try {
    const store = new SqliteFlashbookStore(dir);
    store.createFlashbook(record('bench_flashbook'), initial);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, initial);
    let lastSeq = 0;
    for (const u of updates) {
      Y.applyUpdate(doc, u);
      lastSeq = store.appendUpdate('bench_flashbook', u);
    }
    const live = dbBytes(dir);
    store.close(); // checkpoints the WAL into the database file
    const uncompacted = dbBytes(dir);
    const again = new SqliteFlashbookStore(dir);
    const merged = Y.encodeStateAsUpdate(doc);
    again.compact('bench_flashbook', lastSeq, merged);
    const rowsAfter = again.countUpdates('bench_flashbook');
    again.close();
    const compacted = dbBytes(dir);
    const db = new Database(join(dir, 'flashbooks.db'));
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    db.exec('VACUUM');
    db.close();
    const vacuumed = dbBytes(dir);
    return {
      appendsPerSecond: {
        plain,
        compacting,
        ratio: ratio(compacting.updatesPerSecond, plain.updatesPerSecond),
      },
      disk: {
        edits: EDITS,
        updateBytes: updates.reduce((n, u) => n + u.byteLength, 0),
        documentBytes: merged.byteLength,
        whileOpenKiB: kib(live.total),
        uncompactedKiB: kib(uncompacted.total),
        compactedFileKiB: kib(compacted.total),
        compactedInUseKiB: kib((pages - free) * pageSize),
        vacuumedKiB: kib(vacuumed.total),
        rowsAfterCompaction: rowsAfter,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log('storage: through the servers…');
const server: Partial<Record<ServerKind, Awaited<ReturnType<typeof throughServer>>>> = {};
{
  // A B B A: the machine is shared and its load drifts; the better run of each counts.
  const runs: Record<ServerKind, Awaited<ReturnType<typeof throughServer>>[]> = {
    reference: [],
    ours: [],
  };
  for (const kind of ['reference', 'ours', 'ours', 'reference'] as const)
    runs[kind].push(await throughServer(kind));
  for (const kind of ['reference', 'ours'] as const) {
    server[kind] = runs[kind].reduce((a, b) => (b.updatesPerSecond > a.updatesPerSecond ? b : a));
  }
}
console.log('storage: the store alone…');
const store = storeOnly();

console.log(`\nStorage: ${EDITS} keystroke updates`);
table([
  ['measure', 'updates/s', 'ratio'],
  ['reference server, forwarded (memory only)', server.reference!.updatesPerSecond, 1],
  [
    'ours, stored + forwarded, compacting',
    server.ours!.updatesPerSecond,
    ratio(server.ours!.updatesPerSecond, server.reference!.updatesPerSecond),
  ],
  ['store alone: apply + append', store.appendsPerSecond.plain.updatesPerSecond, 1],
  [
    `store alone: + compaction every ${COMPACT_EVERY}`,
    store.appendsPerSecond.compacting.updatesPerSecond,
    store.appendsPerSecond.ratio,
  ],
]);
const d = store.disk;
console.log(
  `\nOn disk after ${d.edits} edits (${kib(d.updateBytes)} KiB of updates; the document itself is ${kib(d.documentBytes)} KiB):`,
);
table([
  ['state', 'KiB'],
  ['open, WAL not checkpointed', d.whileOpenKiB],
  ['closed (checkpointed), uncompacted', d.uncompactedKiB],
  [`compacted to ${d.rowsAfterCompaction} row: file size`, d.compactedFileKiB],
  ['compacted: pages in use', d.compactedInUseKiB],
  ['compacted + VACUUM', d.vacuumedKiB],
]);
writeResult(
  'storage',
  { edits: EDITS, compactEvery: COMPACT_EVERY, window: WINDOW },
  { server, store },
);
