/**
 * The seminar: 62 (and 150) librarians in one flashbook for the length of an online seminar,
 * every one moving the caret several times a second (an awareness change each time, and stock
 * clients re-send every awareness change they receive) and typing words in bursts into a slide
 * of their own; beside them 20 other flashbooks with 3 editors each. Reports disconnects (target
 * 0), keystroke → every other editor of the room p50/p95/p99, server CPU and memory; the same
 * load against the reference y-websocket server in the same run is the baseline.
 *
 *   npm run bench:seminar                      # 62 and 150 editors, 3 minutes each per server
 *   BENCH_SEMINAR_SHORT=1 npm run bench:seminar   # smoke run: 20 s each
 *   BENCH_SEMINAR_SIZES=62 BENCH_SEMINAR_SECONDS=600 npm run bench:seminar
 *
 * The editors are stock y-websocket clients spread over BENCH_SEMINAR_WORKERS processes
 * (bench/lib/client-pool.ts); each server runs in a process of its own
 * (bench/lib/server-child.ts). Ours runs with its defaults: they must let such a room work.
 */
import { now, type Typing } from './lib/client-pool.ts';
import { runRooms } from './lib/room-load.ts';
import {
  envInt,
  envList,
  percentiles,
  ratio,
  round,
  sleep,
  table,
  writeResult,
  type Percentiles,
} from './lib/report.ts';
import { startServerProcess, type ServerKind } from './lib/servers.ts';
import type { ServerOptions } from '../server/config.ts';

const SHORT = process.env['BENCH_SEMINAR_SHORT'] === '1';
const SIZES = envList('BENCH_SEMINAR_SIZES', [62, 150]);
const SECONDS = envInt('BENCH_SEMINAR_SECONDS', SHORT ? 20 : 180);
const SIDE_ROOMS = envInt('BENCH_SEMINAR_SIDE_ROOMS', 20);
const SIDE_SIZE = envInt('BENCH_SEMINAR_SIDE_SIZE', 3);
const CARET_MS = envInt('BENCH_SEMINAR_CARET_MS', 250);
const WORKERS = envInt('BENCH_SEMINAR_WORKERS', 4);
const TYPING: Typing = {
  kind: 'bursts',
  keyMs: envInt('BENCH_SEMINAR_KEY_MS', 180),
  pauseMs: envInt('BENCH_SEMINAR_PAUSE_MS', 4000),
  wordMin: 3,
  wordMax: 9,
};
const WARMUP_MS = 3000;
const DRAIN_MS = 3000;
const SAMPLE_MS = 2000;

/** startServer options for ours, as JSON, e.g. to raise a per-address socket cap. */
const OURS_OPTIONS = JSON.parse(process.env['BENCH_OURS_OPTIONS'] ?? '{}') as Omit<
  ServerOptions,
  'store' | 'log'
>;

process.setMaxListeners(0);

interface Run {
  editors: number;
  /** Socket closes while running, by close code ({} is the target). */
  closes: Record<string, number>;
  /** Editors stopped for good (a 44xx close: the stock client does not reconnect). */
  stopped: number;
  disconnectedAtEnd: number;
  keystrokes: number;
  /** Keystrokes that never reached every other editor of their room. */
  incomplete: number;
  seminar: Percentiles;
  sideRooms: Percentiles;
  /** Server CPU while measuring, as a share of one core. */
  serverCpu: number;
  /** Busiest client worker's CPU meanwhile, as a share of one core. */
  busiestWorkerCpu: number;
  /** Server RSS, MiB: highest sample while measuring, and heap + external after collections. */
  peakRssMiB: number;
  heapAfterMiB: number;
  awarenessPerSecond: number;
  /** The machine's 1-minute load average at the end (2 cores: above 2, everyone waits for CPU). */
  load: number;
}

const mib = (bytes: number) => round(bytes / 2 ** 20, 1);

async function measure(kind: ServerKind, n: number): Promise<Run> {
  // Ours with its defaults, but for limits per address (BENCH_OURS_OPTIONS): every editor here
  // comes from 127.0.0.1, the seminar's came from 62 homes and libraries.
  const server = await startServerProcess(kind, kind === 'ours' ? OURS_OPTIONS : {});
  try {
    let peakRss = 0;
    const r = await runRooms(server, {
      sizes: [n, ...Array.from({ length: SIDE_ROOMS }, () => SIDE_SIZE)],
      typing: TYPING,
      caretMs: CARET_MS,
      workers: WORKERS,
      warmupMs: WARMUP_MS,
      seconds: SECONDS,
      drainMs: DRAIN_MS,
      title: 'Seminar room',
      whileMeasuring: async (_from, until) => {
        while (now() < until) {
          peakRss = Math.max(peakRss, (await server.usage()).rss);
          await sleep(SAMPLE_MS);
        }
      },
    });
    const memory = await server.memory();
    const byRoom = r.report.latenciesByRoom;
    const side = [...byRoom].filter(([room]) => room !== 0).flatMap(([, l]) => l);
    return {
      editors: r.editors,
      closes: r.report.closes,
      stopped: r.report.stopped,
      disconnectedAtEnd: r.report.disconnectedAtEnd,
      keystrokes: r.report.keystrokes,
      incomplete: r.report.incomplete,
      seminar: percentiles(byRoom.get(0) ?? []),
      sideRooms: percentiles(side),
      serverCpu: r.serverCpu,
      busiestWorkerCpu: r.busiestWorkerCpu,
      peakRssMiB: mib(peakRss),
      heapAfterMiB: mib(memory.heapUsed + memory.external),
      awarenessPerSecond: round(r.report.awarenessSent / SECONDS, 0),
      load: r.load,
    };
  } finally {
    await server.stop();
  }
}

const results: Record<string, Record<ServerKind, Run> & { ratio: Record<string, number> }> = {};
for (const [index, n] of SIZES.entries()) {
  // Alternate which server goes first: the shared machine's load drifts.
  const order: ServerKind[] = index % 2 === 0 ? ['reference', 'ours'] : ['ours', 'reference'];
  const runs = {} as Record<ServerKind, Run>;
  for (const kind of order) {
    console.log(
      `seminar: ${n} editors + ${SIDE_ROOMS}×${SIDE_SIZE}, ${SECONDS} s, ${kind} server…`,
    );
    runs[kind] = await measure(kind, n);
  }
  results[`N=${n}`] = {
    ...runs,
    ratio: {
      p50: ratio(runs.ours.seminar.p50, runs.reference.seminar.p50),
      p95: ratio(runs.ours.seminar.p95, runs.reference.seminar.p95),
      p99: ratio(runs.ours.seminar.p99, runs.reference.seminar.p99),
      serverCpu: ratio(runs.ours.serverCpu, runs.reference.serverCpu),
    },
  };
}

const closes = (c: Record<string, number>) =>
  Object.keys(c).length
    ? Object.entries(c)
        .map(([code, k]) => `${k}×${code}`)
        .join(' ')
    : '0';
console.log(
  `\nSeminar: caret every ~${CARET_MS} ms, words of ${TYPING.wordMin}–${TYPING.wordMax} keys ` +
    `~${TYPING.keyMs} ms apart with ~${TYPING.pauseMs} ms pauses; ${SECONDS} s measured; ` +
    `${WORKERS} client processes. Latency: keystroke → every other editor of the room (ms).`,
);
const rows: (string | number)[][] = [
  [
    'N',
    'server',
    'closes',
    'stopped',
    'p50',
    'p95',
    'p99',
    'side p99',
    'incomplete',
    'server CPU',
    'peak RSS MiB',
    'heap MiB',
    'client CPU max',
    'load',
  ],
];
for (const [n, r] of Object.entries(results)) {
  for (const kind of ['reference', 'ours'] as const) {
    const x = r[kind];
    rows.push([
      n,
      kind,
      closes(x.closes),
      x.stopped,
      x.seminar.p50,
      x.seminar.p95,
      x.seminar.p99,
      x.sideRooms.p99,
      `${x.incomplete}/${x.keystrokes}`,
      x.serverCpu,
      x.peakRssMiB,
      x.heapAfterMiB,
      x.busiestWorkerCpu,
      x.load,
    ]);
  }
  rows.push([
    n,
    'ours/ref',
    '',
    '',
    r.ratio.p50!,
    r.ratio.p95!,
    r.ratio.p99!,
    '',
    '',
    r.ratio.serverCpu!,
    '',
    '',
    '',
  ]);
}
table(rows);
for (const [n, r] of Object.entries(results)) {
  const kicked = r.ours.stopped + Object.values(r.ours.closes).reduce((s, k) => s + k, 0);
  console.log(
    `target at ${n}: no disconnects: ${kicked === 0 ? 'met' : `MISSED (${closes(r.ours.closes)})`}`,
  );
}
writeResult(
  SHORT ? 'seminar-short' : 'seminar',
  {
    sizes: SIZES,
    seconds: SECONDS,
    sideRooms: SIDE_ROOMS,
    sideSize: SIDE_SIZE,
    caretMs: CARET_MS,
    typing: TYPING,
    workers: WORKERS,
    warmupMs: WARMUP_MS,
  },
  results,
);
