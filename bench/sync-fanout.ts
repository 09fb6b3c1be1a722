/**
 * Sync fan-out: N editors in one room, each typing at human speed into a slide of its own; the
 * latency from a keystroke to its arrival at every other editor, p50/p95/p99. Baseline: the
 * reference y-websocket server (y-websocket@1.5.4 bin/utils, in memory, no auth), measured in the
 * same run on the same machine. Ours authenticates every connection and appends every update to
 * SQLite before forwarding it.
 *
 *   npm run bench:sync
 *   BENCH_SYNC_N=10,50 BENCH_SYNC_SECONDS=5 BENCH_TYPING_MS=300 npm run bench:sync
 *
 * Both servers run in a process of their own; the N clients, stock y-websocket clients, are
 * spread over BENCH_SYNC_WORKERS processes (bench/lib/client-pool.ts): with all of them in one
 * process, that process was saturated at N = 100 while both servers used a quarter of a core, so
 * the ratio measured the clients. The busiest worker's CPU is printed to show it is not again.
 */
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
import { startServerProcess, type ServerKind } from './lib/servers.ts';
import type { ServerOptions } from '../server/config.ts';

const SIZES = envList('BENCH_SYNC_N', [10, 50, 100, 200]);
const SECONDS = envInt('BENCH_SYNC_SECONDS', 8);
const TYPING_MS = envInt('BENCH_TYPING_MS', 300);
const ROUNDS = envInt('BENCH_SYNC_ROUNDS', 2);
const WORKERS = envInt('BENCH_SYNC_WORKERS', 4);
const WARMUP_MS = 1000;
const DRAIN_MS = 2000;

/** startServer options for ours, as JSON, e.g. to raise a per-address socket cap. */
const OURS_OPTIONS = JSON.parse(process.env['BENCH_OURS_OPTIONS'] ?? '{}') as Omit<
  ServerOptions,
  'store' | 'log'
>;

process.setMaxListeners(0); // each provider listens for 'exit'

interface Run extends Percentiles {
  keystrokes: number;
  /** Keystrokes that had not reached every other editor 2 s after the typing stopped. */
  incomplete: number;
  /** CPU the server process used while the editors typed, as a share of one core. */
  serverCpu: number;
  /** CPU of all client processes meanwhile, as a share of one core. */
  clientCpu: number;
  /** CPU of the busiest client process meanwhile, as a share of one core. */
  busiestClientCpu: number;
  /** Highest 1-minute load average of the machine at the end of a round (2 cores). */
  load: number;
}

interface Sample {
  latencies: number[];
  keystrokes: number;
  incomplete: number;
  serverCpuMs: number;
  clientCpuMs: number;
  busiestClientCpuMs: number;
  elapsedMs: number;
  load: number;
}

async function measure(kind: ServerKind, n: number): Promise<Sample> {
  // Ours with its defaults, but for limits per address (BENCH_OURS_OPTIONS): every editor here
  // comes from 127.0.0.1, the seminar's came from 62 homes and libraries.
  const server = await startServerProcess(kind, kind === 'ours' ? OURS_OPTIONS : {});
  try {
    const r = await runRooms(server, {
      sizes: [n],
      typing: { kind: 'steady', ms: TYPING_MS },
      caretMs: null,
      workers: Math.min(WORKERS, n),
      warmupMs: WARMUP_MS,
      seconds: SECONDS,
      drainMs: DRAIN_MS,
      title: 'Fan-out',
    });
    return {
      latencies: r.report.latencies,
      keystrokes: r.report.keystrokes,
      incomplete: r.report.incomplete,
      serverCpuMs: r.serverCpuMs,
      clientCpuMs: r.report.workerCpuMs.reduce((a, b) => a + b, 0),
      busiestClientCpuMs: Math.max(...r.report.workerCpuMs),
      elapsedMs: r.elapsedMs,
      load: r.load,
    };
  } finally {
    await server.stop();
  }
}

function pooled(list: Sample[]): Run {
  const latencies = list.flatMap((s) => s.latencies);
  const elapsed = list.reduce((sum, s) => sum + s.elapsedMs, 0);
  const measured = SECONDS * 1000 * list.length;
  return {
    ...percentiles(latencies),
    keystrokes: list.reduce((sum, s) => sum + s.keystrokes, 0),
    incomplete: list.reduce((sum, s) => sum + s.incomplete, 0),
    serverCpu: round(list.reduce((sum, s) => sum + s.serverCpuMs, 0) / elapsed),
    clientCpu: round(list.reduce((sum, s) => sum + s.clientCpuMs, 0) / measured),
    load: round(Math.max(...list.map((s) => s.load)), 1),
    busiestClientCpu: round(Math.max(...list.map((s) => s.busiestClientCpuMs / (SECONDS * 1000)))),
  };
}

const results: Record<string, { reference: Run; ours: Run; ratio: Record<string, number> }> = {};
for (const [index, n] of SIZES.entries()) {
  // Rounds in the order A B B A (A first for even N index): the machine is shared and its load
  // drifts; alternating spreads the drift over both servers. Samples of all rounds are pooled.
  const samples: Record<ServerKind, Sample[]> = { reference: [], ours: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const first: ServerKind = (index + round) % 2 === 0 ? 'reference' : 'ours';
    for (const kind of [first, first === 'reference' ? 'ours' : 'reference'] as const) {
      console.log(`fan-out: N=${n}, round ${round + 1}/${ROUNDS}, ${kind} server…`);
      samples[kind].push(await measure(kind, n));
    }
  }
  const reference = pooled(samples.reference);
  const ours = pooled(samples.ours);
  results[`N=${n}`] = {
    reference,
    ours,
    ratio: {
      p50: ratio(ours.p50, reference.p50),
      p95: ratio(ours.p95, reference.p95),
      p99: ratio(ours.p99, reference.p99),
    },
  };
}

console.log(
  `\nSync fan-out: keystroke → arrival at every other editor (ms); ${ROUNDS} × ${SECONDS} s of typing per server, one key per ~${TYPING_MS} ms per editor; clients in ${WORKERS} processes`,
);
const rows: (string | number)[][] = [
  [
    'N',
    'server',
    'p50',
    'p95',
    'p99',
    'max',
    'keystrokes',
    'incomplete',
    'server CPU',
    'client CPU',
    'busiest client',
    'load',
  ],
];
for (const [n, r] of Object.entries(results)) {
  for (const kind of ['reference', 'ours'] as const) {
    const x = r[kind];
    rows.push([
      n,
      kind,
      x.p50,
      x.p95,
      x.p99,
      x.max,
      x.keystrokes,
      x.incomplete,
      x.serverCpu,
      x.clientCpu,
      x.busiestClientCpu,
      x.load,
    ]);
  }
  rows.push([n, 'ours/ref', r.ratio.p50!, r.ratio.p95!, r.ratio.p99!, '', '', '', '', '', '', '']);
}
table(rows);
const at50 = results['N=50'];
if (at50) {
  console.log(
    `\ntargets at N=50: p99 ${at50.ours.p99} ms (< 50 ms: ${at50.ours.p99 < 50 ? 'met' : 'MISSED'}), ` +
      `p99 ratio ${at50.ratio.p99} (≤ 1.5: ${at50.ratio.p99! <= 1.5 ? 'met' : 'MISSED'})`,
  );
}
writeResult(
  'sync-fanout',
  {
    sizes: SIZES,
    rounds: ROUNDS,
    seconds: SECONDS,
    typingMs: TYPING_MS,
    warmupMs: WARMUP_MS,
    clientProcesses: WORKERS,
  },
  results,
);
