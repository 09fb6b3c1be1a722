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
 * 3. Rooms at a fixed p99: rooms of 3 editors typing like the seminar's side rooms, 10, 20, 40 …
 *    of them (BENCH_SCALEOUT_ROOMS) for BENCH_SCALEOUT_STEP_SECONDS each, on each of the three
 *    setups, until the keystroke p99 crosses BENCH_SCALEOUT_BOUND_MS (100), then one step halfway
 *    back: the rooms at the bound, with the server's and the clients' CPU there.
 *
 * Every measurement also reports where the machine's CPU went (bench/lib/machine-cpu.ts),
 * including processes that are not this benchmark's ("other"): on a shared 2-core machine that
 * says whether a figure measured our servers or someone else's work.
 *
 *   npm run bench:scaleout                 # everything, ~7 minutes; writes bench/results/scaleout.json
 *   BENCH_SCALEOUT_SECONDS=60 BENCH_SCALEOUT_EDITORS=150 npm run bench:scaleout
 *   BENCH_SCALEOUT_PARTS=postgres,rooms-postgres BENCH_SCALEOUT_SECONDS=10 npm run bench:scaleout
 *
 * Parts: appends, sqlite, postgres, two (the seminar), rooms-sqlite, rooms-postgres, rooms-two;
 * on request only: postgres-async and rooms-postgres-async (synchronous_commit off). A run of
 * some parts prints its tables and leaves the result file alone.
 *
 * Needs the Debian packages postgresql and redis-server (as the tests do).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
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
import type { Typing } from './lib/client-pool.ts';
import { countAsOurs } from './lib/machine-cpu.ts';
import { runRooms } from './lib/room-load.ts';
import {
  envInt,
  envList,
  percentiles,
  ratio,
  round,
  table,
  writeResult,
  type Percentiles,
} from './lib/report.ts';
import { startServerProcess, type ServerProcess } from './lib/servers.ts';

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
/** Rooms-at-a-bound: the keystroke p99 bound, the room counts tried in turn, seconds each. */
const BOUND_MS = envInt('BENCH_SCALEOUT_BOUND_MS', 100);
const ROOM_STEPS = envList('BENCH_SCALEOUT_ROOMS', [10, 20, 40, 80, 160, 320]);
const STEP_SECONDS = envInt('BENCH_SCALEOUT_STEP_SECONDS', 8);
const PARTS_ALL = [
  'appends',
  'sqlite',
  'postgres',
  'two',
  'rooms-sqlite',
  'rooms-postgres',
  'rooms-two',
];
/** Parts only run when asked for. */
const PARTS_EXTRA = ['postgres-async', 'rooms-postgres-async'];
/** Which parts to run (comma-separated, BENCH_SCALEOUT_PARTS); the result file only for all. */
const PARTS = (process.env['BENCH_SCALEOUT_PARTS'] ?? PARTS_ALL.join(','))
  .split(',')
  .map((p) => p.trim());
for (const part of PARTS) {
  if (![...PARTS_ALL, ...PARTS_EXTRA].includes(part))
    throw new Error(`BENCH_SCALEOUT_PARTS: no part "${part}"`);
}
const want = (part: string): boolean => PARTS.includes(part);
const LOAD_BEFORE = round(loadavg()[0]!, 2);
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
  /** The client workers' CPU, the same way. */
  clientCpu: number;
  load: number;
  machineCpu: Record<string, number>;
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
  const r = await runRooms(target, {
    sizes: [EDITORS, ...Array.from({ length: SIDE_ROOMS }, () => 3)],
    typing: TYPING,
    caretMs: CARET_MS,
    workers: WORKERS,
    warmupMs: WARMUP_MS,
    seconds: SECONDS,
    drainMs: DRAIN_MS,
    title: 'Seminar',
  });
  const byRoom = r.report.latenciesByRoom;
  return {
    editors: r.editors,
    closes: r.report.closes,
    keystrokes: r.report.keystrokes,
    incomplete: r.report.incomplete,
    seminar: percentiles(byRoom.get(0) ?? []),
    sideRooms: percentiles([...byRoom].filter(([i]) => i !== 0).flatMap(([, l]) => l)),
    serverCpu: r.serverCpu,
    clientCpu: r.clientCpu,
    load: r.load,
    machineCpu: r.machineCpu,
  };
}

interface RoomStep {
  rooms: number;
  /** Keystroke → both other editors of its room, ms. */
  ms: Percentiles;
  keystrokes: number;
  incomplete: number;
  closes: number;
  serverCpu: number;
  clientCpu: number;
  machineCpu: Record<string, number>;
  load: number;
}

interface Capacity {
  /** The most rooms tried whose p99 stayed within the bound (0: not even the first step). */
  roomsAtBound: number;
  /** The first count over it (or with keystrokes lost or sockets closed); null: none was. */
  firstOver: number | null;
  steps: RoomStep[];
}

/**
 * More and more rooms of three editors typing (the seminar's side rooms) on one target, each
 * step a fresh set of rooms for STEP_SECONDS, until the keystroke p99 crosses BOUND_MS (or a
 * keystroke is lost, or a socket closes). The earlier steps' rooms are empty by then and unload.
 */
async function roomsAtBound(target: ServerProcess): Promise<Capacity> {
  const steps: RoomStep[] = [];
  const step = async (rooms: number): Promise<boolean> => {
    const r = await runRooms(target, {
      sizes: Array.from({ length: rooms }, () => 3),
      typing: TYPING,
      caretMs: CARET_MS,
      workers: WORKERS,
      warmupMs: 2000,
      seconds: STEP_SECONDS,
      drainMs: 2000,
      title: `Rooms ${rooms}`,
    });
    const s: RoomStep = {
      rooms,
      ms: percentiles(r.report.latencies),
      keystrokes: r.report.keystrokes,
      incomplete: r.report.incomplete,
      closes: Object.values(r.report.closes).reduce((sum, k) => sum + k, 0),
      serverCpu: r.serverCpu,
      clientCpu: r.clientCpu,
      machineCpu: r.machineCpu,
      load: r.load,
    };
    steps.push(s);
    console.log(
      `  ${rooms} rooms: p50 ${s.ms.p50} p99 ${s.ms.p99} ms, incomplete ` +
        `${s.incomplete}/${s.keystrokes}, server CPU ${s.serverCpu}, clients ` +
        `${s.clientCpu}, PostgreSQL ${s.machineCpu['postgres'] ?? 0}, other ` +
        `${s.machineCpu['other'] ?? 0}, load ${s.load}`,
    );
    return s.ms.p99 <= BOUND_MS && s.incomplete === 0 && s.closes === 0;
  };
  let roomsAt = 0;
  let firstOver: number | null = null;
  for (const rooms of ROOM_STEPS) {
    if (!(await step(rooms))) {
      firstOver = rooms;
      break;
    }
    roomsAt = rooms;
  }
  // One step halfway between the last count within the bound and the first over it.
  if (firstOver !== null && roomsAt > 0) {
    const mid = Math.round((roomsAt + firstOver) / 2);
    if (mid > roomsAt && mid < firstOver) {
      if (await step(mid)) roomsAt = mid;
      else firstOver = mid;
    }
  }
  return { roomsAtBound: roomsAt, firstOver, steps };
}

interface Setup {
  part: 'sqlite' | 'postgres' | 'postgres-async' | 'two';
  name: string;
}
const SETUPS: Setup[] = [
  { part: 'sqlite', name: '1 instance, SQLite' },
  { part: 'postgres', name: '1 instance, PostgreSQL' },
  // Not run by default: what is left of the cost without the wait for the WAL flush.
  { part: 'postgres-async', name: '1 instance, PostgreSQL, synchronous_commit off' },
  { part: 'two', name: '2 instances, PostgreSQL + Redis, proxy' },
];
let databases = 0;
/**
 * synchronous_commit=off: a commit returns before its WAL is flushed, like SQLite's NORMAL (but
 * a crash of PostgreSQL itself, not only of the machine, may then lose the last ~0.6 s).
 */
const ASYNC_COMMIT = '?options=-c%20synchronous_commit%3Doff';

/** Starts the servers of `setup` (fresh storage), runs `measure` against them, stops them. */
async function onSetup<T>(
  setup: Setup,
  measure: (target: ServerProcess) => Promise<T>,
): Promise<T> {
  const servers: ServerProcess[] = [];
  let proxy: RoundRobinProxy | undefined;
  try {
    if (setup.part === 'sqlite') servers.push(await startServerProcess('ours', {}));
    else {
      let databaseUrl = await pgsql.database(`bench-${setup.part}-${++databases}`);
      if (setup.part === 'postgres-async') databaseUrl += ASYNC_COMMIT;
      const redisUrl = setup.part === 'two' ? redis.url : undefined;
      for (let i = 0; i < (setup.part === 'two' ? 2 : 1); i++) {
        servers.push(await startServerProcess('ours', { databaseUrl, redisUrl }));
      }
    }
    if (servers.length === 1) return await measure(servers[0]!);
    proxy = await RoundRobinProxy.start(servers.map((s) => s.url));
    return await measure(combined(servers, proxy.url));
  } finally {
    await proxy?.close();
    await Promise.all(servers.map((s) => s.stop()));
  }
}

const pgsql = await TestPostgres.start({ durable: true });
countAsOurs(pgsql.dir);
const redis = await TestRedis.start();
const log = createLogger({ quiet: true });
try {
  // 1. Append throughput.
  let appendRuns: Record<'sqlite' | 'postgres' | 'postgresAsync', AppendRun> | undefined;
  if (want('appends')) {
    const dir = mkdtempSync(join(tmpdir(), 'flashbook-bench-sqlite-'));
    const sqlite = new SqliteFlashbookStore(dir);
    const sqliteRun = await appends(sqlite);
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
    const pg = await openPostgres(await pgsql.database('bench-appends'), log);
    const pgRun = await appends(pg.flashbooks);
    await pg.close();
    const asyncUrl = await pgsql.database('bench-appends-async');
    const pgAsync = await openPostgres(asyncUrl + ASYNC_COMMIT, log);
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
    appendRuns = { sqlite: sqliteRun, postgres: pgRun, postgresAsync: pgAsyncRun };
  }

  // 2. The seminar on three topologies.
  const runs: Record<string, SeminarRun> = {};
  if (SETUPS.some((setup) => want(setup.part))) {
    console.log(`\nseminar: ${EDITORS} + ${SIDE_ROOMS}×3 editors, ${SECONDS} s`);
  }
  for (const setup of SETUPS) {
    if (!want(setup.part)) continue;
    console.log(`seminar: ${setup.name}…`);
    runs[setup.name] = await onSetup(setup, seminar);
  }
  if (Object.keys(runs).length > 0) {
    console.log('\nSeminar: keystroke → every other editor of the room (ms).');
    const rows: (string | number)[][] = [
      [
        'setup',
        'closes',
        'p50',
        'p95',
        'p99',
        'side p99',
        'incomplete',
        'server CPU',
        'client CPU',
        'PG CPU',
        'other CPU',
        'load',
      ],
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
        r.clientCpu,
        r.machineCpu['postgres'] ?? 0,
        r.machineCpu['other'] ?? 0,
        r.load,
      ]);
    }
    table(rows);
  }

  // 3. Rooms of three at a fixed p99, on each topology.
  const capacity: Record<string, Capacity> = {};
  for (const setup of SETUPS) {
    if (!want(`rooms-${setup.part}`)) continue;
    console.log(`\nrooms of 3 until p99 > ${BOUND_MS} ms: ${setup.name}…`);
    capacity[setup.name] = await onSetup(setup, roomsAtBound);
  }
  if (Object.keys(capacity).length > 0) {
    console.log(
      `\nRooms of 3 typing editors at keystroke p99 ≤ ${BOUND_MS} ms (${STEP_SECONDS} s a step):`,
    );
    const rows: (string | number)[][] = [
      ['setup', 'rooms at bound', 'p99 there', 'server CPU', 'client CPU', 'first over', 'p99'],
    ];
    for (const [name, c] of Object.entries(capacity)) {
      const at = c.steps.find((s) => s.rooms === c.roomsAtBound);
      const over = c.steps.find((s) => s.rooms === c.firstOver);
      rows.push([
        name,
        c.roomsAtBound,
        at?.ms.p99 ?? '-',
        at?.serverCpu ?? '-',
        at?.clientCpu ?? '-',
        c.firstOver ?? `none ≤ ${ROOM_STEPS.at(-1)}`,
        over?.ms.p99 ?? '-',
      ]);
    }
    table(rows);
  }

  const all = PARTS_ALL.every(want);
  if (all) {
    writeResult(
      'scaleout',
      {
        appends: APPENDS,
        parallel: PARALLEL,
        seconds: SECONDS,
        editors: EDITORS,
        sideRooms: SIDE_ROOMS,
        boundMs: BOUND_MS,
        roomSteps: ROOM_STEPS,
        stepSeconds: STEP_SECONDS,
        loadBefore: LOAD_BEFORE,
        loadAfter: round(loadavg()[0]!, 2),
      },
      { appends: appendRuns, seminar: runs, roomsAtBound: capacity },
    );
  } else console.log('\n(only some parts ran: bench/results/scaleout.json is left as it was)');
} finally {
  pgsql.destroy();
  await redis.destroy();
}
