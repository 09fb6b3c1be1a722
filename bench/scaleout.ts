/**
 * Scale-out costs (issue 17), all in one run on this machine:
 *
 * 1. Append throughput: the SQLite store against the PostgreSQL store (a local server with fsync
 *    on), with real keystroke-sized Yjs updates: one flashbook appending one update at a time
 *    (the latency a room's serial queue sees), and 20 flashbooks appending at once.
 * 2. The seminar load (bench/seminar.ts's editors: one room of N typing with carets, plus side
 *    rooms of 3) on one instance on SQLite, one instance on PostgreSQL, and two instances on
 *    PostgreSQL + Redis behind a round-robin TCP proxy (tests/helpers/proxy.ts), every editor on
 *    whichever instance the proxy picks.
 *
 *   npm run bench:scaleout
 *   BENCH_SCALEOUT_SECONDS=60 BENCH_SCALEOUT_EDITORS=150 npm run bench:scaleout
 *
 * Needs the Debian packages postgresql and redis-server (as the tests do).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { addSlide, readFlashbook } from '../src/model/flashbook.ts';
import { createLogger } from '../server/log.ts';
import { SqliteFlashbookStore } from '../server/storage/sqlite.ts';
import { openPostgres } from '../server/storage/postgres/index.ts';
import type { FlashbookStore } from '../server/storage/types.ts';
import { sha256 } from '../server/auth/tokens.ts';
import { RoundRobinProxy } from '../tests/helpers/proxy.ts';
import {
  MISSING_SERVICES,
  servicesAvailable,
  TestPostgres,
  TestRedis,
} from '../tests/helpers/services.ts';
import { inMs, now, startClientPool, type EditorSpec, type Typing } from './lib/client-pool.ts';
import {
  envInt,
  percentiles,
  ratio,
  round,
  sleep,
  table,
  writeResult,
  type Percentiles,
} from './lib/report.ts';
import {
  connectClient,
  createRoom,
  startServerProcess,
  synced,
  type ServerProcess,
} from './lib/servers.ts';

if (!servicesAvailable()) {
  console.error(MISSING_SERVICES);
  process.exit(1);
}
process.setMaxListeners(0);

const APPENDS = envInt('BENCH_SCALEOUT_APPENDS', 2000);
const PARALLEL = envInt('BENCH_SCALEOUT_PARALLEL', 20);
const SECONDS = envInt('BENCH_SCALEOUT_SECONDS', 30);
const EDITORS = envInt('BENCH_SCALEOUT_EDITORS', 62);
const SIDE_ROOMS = envInt('BENCH_SCALEOUT_SIDE_ROOMS', 20);
const WORKERS = envInt('BENCH_SCALEOUT_WORKERS', 4);
const TYPING: Typing = { kind: 'bursts', keyMs: 180, pauseMs: 4000, wordMin: 3, wordMax: 9 };
const CARET_MS = 250;
const WARMUP_MS = 3000;
const DRAIN_MS = 3000;

/** `n` keystroke updates (one character each), as a typing editor's client sends them. */
function keystrokes(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  const text = doc.getText('t');
  for (let i = 0; i < n; i++) text.insert(text.length, 'абвгдеж'[i % 7]!);
  return out;
}

interface AppendRun {
  /** One flashbook, one append at a time. */
  serialPerSecond: number;
  serialMs: Percentiles;
  /** PARALLEL flashbooks, each one at a time, all at once. */
  parallelPerSecond: number;
  /** One flashbook, 20 updates per append (what a busy room's queue does on PostgreSQL). */
  batchedPerSecond: number;
}

async function appends(store: FlashbookStore): Promise<AppendRun> {
  const updates = keystrokes(APPENDS);
  const record = (id: string) => ({
    id,
    title: id,
    editTokenHash: sha256('e'),
    viewToken: 'v',
    createdAt: Date.now(),
  });
  await store.createFlashbook(record('serial'), updates[0]!);
  const times: number[] = [];
  const t0 = performance.now();
  for (const u of updates) {
    const t = performance.now();
    await store.appendUpdate('serial', u);
    times.push(performance.now() - t);
  }
  const serialS = (performance.now() - t0) / 1000;
  const ids = Array.from({ length: PARALLEL }, (_, i) => `parallel${i}`);
  for (const id of ids) await store.createFlashbook(record(id), updates[0]!);
  const perBook = Math.ceil(APPENDS / PARALLEL) * 2;
  const t1 = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      for (let i = 0; i < perBook; i++) await store.appendUpdate(id, updates[i % updates.length]!);
    }),
  );
  const parallelS = (performance.now() - t1) / 1000;
  await store.createFlashbook(record('batched'), updates[0]!);
  const t2 = performance.now();
  for (let i = 0; i < updates.length; i += 20) {
    const chunk = updates.slice(i, i + 20);
    if (store.appendUpdates) await store.appendUpdates('batched', chunk);
    else for (const u of chunk) await store.appendUpdate('batched', u);
  }
  const batchedS = (performance.now() - t2) / 1000;
  return {
    batchedPerSecond: round(APPENDS / batchedS, 0),
    serialPerSecond: round(APPENDS / serialS, 0),
    serialMs: percentiles(times),
    parallelPerSecond: round((perBook * PARALLEL) / parallelS, 0),
  };
}

interface SeminarRun {
  editors: number;
  closes: Record<string, number>;
  keystrokes: number;
  incomplete: number;
  seminar: Percentiles;
  sideRooms: Percentiles;
  /** All instances' CPU while measuring, as a share of one core. */
  serverCpu: number;
  load: number;
}

/** Several server processes as one target for the client pool (CPU summed). */
function combined(servers: ServerProcess[], url: string): ServerProcess {
  return {
    kind: 'ours',
    url,
    memory: () => servers[0]!.memory(),
    usage: () => servers[0]!.usage(),
    cpuMs: async () => (await Promise.all(servers.map((s) => s.cpuMs()))).reduce((a, b) => a + b),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

async function seminar(target: ServerProcess): Promise<SeminarRun> {
  const pool = await startClientPool(WORKERS);
  try {
    const sizes = [EDITORS, ...Array.from({ length: SIDE_ROOMS }, () => 3)];
    const editors: EditorSpec[] = [];
    for (const [roomIndex, n] of sizes.entries()) {
      const room = await createRoom(target, `Seminar ${roomIndex}`);
      const setup = connectClient(target, room);
      await synced(setup);
      const postId = readFlashbook(setup.doc).posts[0]!.id;
      for (let i = 0; i < n; i++) {
        const slideId = addSlide(setup.doc, postId, { layout: 'book' });
        editors.push({
          room,
          roomIndex,
          slideId,
          name: `Librarian ${roomIndex}.${i}`,
          typing: TYPING,
          caretMs: CARET_MS,
        });
      }
      // Stored before the setup client leaves (it may be on another instance than the editors).
      await sleep(100);
      setup.destroy();
    }
    await pool.connect(target.url, editors);
    const from = inMs(WARMUP_MS);
    const until = from + SECONDS * 1000;
    const running = pool.run(from, until, until, until + DRAIN_MS);
    await sleep(from - now());
    const cpu0 = await target.cpuMs();
    const t0 = now();
    await running;
    const cpu1 = await target.cpuMs();
    const elapsed = now() - t0;
    const load = round(loadavg()[0]!, 1);
    await sleep(DRAIN_MS);
    const r = await pool.report();
    return {
      editors: editors.length,
      closes: r.closes,
      keystrokes: r.keystrokes,
      incomplete: r.incomplete,
      seminar: percentiles(r.latenciesByRoom.get(0) ?? []),
      sideRooms: percentiles([...r.latenciesByRoom].filter(([i]) => i !== 0).flatMap(([, l]) => l)),
      serverCpu: round((cpu1 - cpu0) / elapsed),
      load,
    };
  } finally {
    await pool.close();
  }
}

const pgsql = await TestPostgres.start({ durable: true });
const redis = await TestRedis.start();
const log = createLogger({ quiet: true });
try {
  // 1. Append throughput.
  const dir = mkdtempSync(join(tmpdir(), 'flashbook-bench-sqlite-'));
  const sqlite = new SqliteFlashbookStore(dir);
  const sqliteRun = await appends(sqlite);
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  const pg = await openPostgres(await pgsql.database('bench-appends'), log);
  const pgRun = await appends(pg.flashbooks);
  await pg.close();
  // synchronous_commit=off: a commit returns before its WAL is flushed, like SQLite's NORMAL
  // (but a crash of PostgreSQL itself, not only of the machine, may then lose the last ~0.6 s).
  const asyncUrl = await pgsql.database('bench-appends-async');
  const pgAsync = await openPostgres(`${asyncUrl}?options=-c%20synchronous_commit%3Doff`, log);
  const pgAsyncRun = await appends(pgAsync.flashbooks);
  await pgAsync.close();

  console.log(
    `\nAppends of keystroke updates (${APPENDS} serial; ${PARALLEL} flashbooks at once):`,
  );
  const appendRows: (string | number)[][] = [
    ['store', 'serial/s', 'p50 ms', 'p99 ms', 'parallel/s', 'batched/s'],
  ];
  for (const [name, r] of [
    ['SQLite (WAL, NORMAL)', sqliteRun],
    ['PostgreSQL (fsync, synchronous_commit on)', pgRun],
    ['PostgreSQL (synchronous_commit off)', pgAsyncRun],
  ] as const) {
    appendRows.push([
      name,
      r.serialPerSecond,
      r.serialMs.p50,
      r.serialMs.p99,
      r.parallelPerSecond,
      r.batchedPerSecond,
    ]);
  }
  appendRows.push([
    'PostgreSQL/SQLite',
    ratio(pgRun.serialPerSecond, sqliteRun.serialPerSecond),
    ratio(pgRun.serialMs.p50, sqliteRun.serialMs.p50),
    ratio(pgRun.serialMs.p99, sqliteRun.serialMs.p99),
    ratio(pgRun.parallelPerSecond, sqliteRun.parallelPerSecond),
    ratio(pgRun.batchedPerSecond, sqliteRun.batchedPerSecond),
  ]);
  table(appendRows);

  // 2. The seminar on three topologies.
  const runs: Record<string, SeminarRun> = {};
  const one = await startServerProcess('ours', {});
  try {
    console.log(
      `\nseminar: ${EDITORS} + ${SIDE_ROOMS}×3 editors, ${SECONDS} s, 1 instance, SQLite…`,
    );
    runs['1 instance, SQLite'] = await seminar(one);
  } finally {
    await one.stop();
  }
  const onePg = await startServerProcess('ours', {
    databaseUrl: await pgsql.database('bench-seminar-1'),
  });
  try {
    console.log(`seminar: 1 instance, PostgreSQL…`);
    runs['1 instance, PostgreSQL'] = await seminar(onePg);
  } finally {
    await onePg.stop();
  }
  const url2 = await pgsql.database('bench-seminar-2');
  const a = await startServerProcess('ours', { databaseUrl: url2, redisUrl: redis.url });
  const b = await startServerProcess('ours', { databaseUrl: url2, redisUrl: redis.url });
  const proxy = await RoundRobinProxy.start([a.url, b.url]);
  const two = combined([a, b], proxy.url);
  try {
    console.log(`seminar: 2 instances, PostgreSQL + Redis, round-robin proxy…`);
    runs['2 instances, PostgreSQL + Redis, proxy'] = await seminar(two);
  } finally {
    await proxy.close();
    await two.stop();
  }

  console.log('\nSeminar: keystroke → every other editor of the room (ms).');
  const rows: (string | number)[][] = [
    ['setup', 'closes', 'p50', 'p95', 'p99', 'side p99', 'incomplete', 'server CPU', 'load'],
  ];
  for (const [name, r] of Object.entries(runs)) {
    rows.push([
      name,
      Object.values(r.closes).reduce((s, k) => s + k, 0),
      r.seminar.p50,
      r.seminar.p95,
      r.seminar.p99,
      r.sideRooms.p99,
      `${r.incomplete}/${r.keystrokes}`,
      r.serverCpu,
      r.load,
    ]);
  }
  table(rows);
  writeResult(
    'scaleout',
    {
      appends: APPENDS,
      parallel: PARALLEL,
      seconds: SECONDS,
      editors: EDITORS,
      sideRooms: SIDE_ROOMS,
    },
    { appends: { sqlite: sqliteRun, postgres: pgRun, postgresAsync: pgAsyncRun }, seminar: runs },
  );
} finally {
  pgsql.destroy();
  await redis.destroy();
}
