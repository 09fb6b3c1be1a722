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
 * Both servers run in a process of their own; all N clients share this one, as stock y-websocket
 * clients. Client-side work (every client applies every update) is the same for both servers, so
 * the ratio is what to read; at large N on two cores the clients' own event loop adds latency.
 */
import * as Y from 'yjs';
import { addSlide, getText, readFlashbook, seedFlashbook } from '../src/model/flashbook.ts';
import {
  envInt,
  envList,
  percentiles,
  pool,
  ratio,
  round,
  sleep,
  table,
  until,
  writeResult,
  type Percentiles,
} from './lib/report.ts';
import {
  connectClient,
  createRoom,
  startServerProcess,
  synced,
  type BenchClient,
  type ServerKind,
} from './lib/servers.ts';

const SIZES = envList('BENCH_SYNC_N', [10, 50, 100]);
const SECONDS = envInt('BENCH_SYNC_SECONDS', 8);
const TYPING_MS = envInt('BENCH_TYPING_MS', 300);
const ROUNDS = envInt('BENCH_SYNC_ROUNDS', 2);
const WARMUP_MS = 1000;

process.setMaxListeners(0); // each provider listens for 'exit'

interface Run extends Percentiles {
  keystrokes: number;
  deliveries: number;
  missing: number;
  /** CPU the server process used while the editors typed, as a share of one core. */
  serverCpu: number;
  /** CPU this (client) process used meanwhile, as a share of one core. */
  clientCpu: number;
}

interface Sample {
  latencies: number[];
  keystrokes: number;
  expected: number;
  serverCpuMs: number;
  clientCpuMs: number;
  elapsedMs: number;
}

async function measure(kind: ServerKind, n: number): Promise<Sample> {
  // Ours with its defaults except the flood limit: N editors behind one test machine are fine.
  const server = await startServerProcess(kind, {});
  try {
    const room = await createRoom(server, 'Fan-out');
    const clients: BenchClient[] = await pool(
      Array.from({ length: n }, (_, i) => i),
      20,
      async () => {
        const c = connectClient(server, room);
        await synced(c);
        return c;
      },
    );
    const first = clients[0]!;
    if (kind === 'reference') seedFlashbook(first.doc, { title: 'Fan-out' });
    const postId = readFlashbook(first.doc).posts[0]!.id;
    const slideIds = clients.map(() => addSlide(first.doc, postId, { layout: 'book' }));
    const ready = await until(
      () => clients.every((c) => readFlashbook(c.doc).posts[0]?.slides.length === n + 1),
      30_000,
    );
    if (!ready) throw new Error('clients did not receive the slides');
    for (const [i, c] of clients.entries()) {
      c.provider.awareness.setLocalStateField('user', { name: `Editor ${i}`, library: 'Bench' });
    }
    await sleep(500);

    // sent.get(client)?.get(clock) = when that keystroke was made.
    const sent = new Map<number, Map<number, number>>();
    const latencies: number[] = [];
    let measuring = false;
    for (const c of clients) {
      c.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== c.provider) return;
        const now = performance.now();
        const { from, to } = Y.parseUpdateMeta(update);
        for (const [client, start] of from) {
          const times = sent.get(client);
          if (!times) continue;
          for (let clock = start; clock < (to.get(client) ?? start); clock++) {
            const at = times.get(clock);
            if (at !== undefined) latencies.push(now - at);
          }
        }
      });
    }

    let typing = true;
    let keystrokes = 0;
    const cpuBefore = await server.cpuMs();
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    const typists = clients.map(async (c, i) => {
      const text = getText(c.doc, { kind: 'slide', slideId: slideIds[i]!, field: 'title' })!;
      const mine = new Map<number, number>();
      sent.set(c.doc.clientID, mine);
      // Start staggered, then type with ±50% jitter around TYPING_MS.
      await sleep(Math.random() * TYPING_MS);
      while (typing) {
        const clock = Y.getState(c.doc.store, c.doc.clientID);
        if (measuring) {
          mine.set(clock, performance.now());
          keystrokes++;
        }
        text.insert(text.length, 'abcdefghijklmnopqrstuvwxyz'[clock % 26]!);
        await sleep(TYPING_MS * (0.5 + Math.random()));
      }
    });
    await sleep(WARMUP_MS);
    measuring = true;
    await sleep(SECONDS * 1000);
    measuring = false;
    typing = false;
    const elapsed = performance.now() - started;
    const cpuAfter = await server.cpuMs();
    const clientCpu = process.cpuUsage(clientCpuBefore);
    await Promise.all(typists);
    const expected = keystrokes * (n - 1);
    await until(() => latencies.length >= expected, 10_000);

    for (const c of clients) c.destroy();
    return {
      latencies,
      keystrokes,
      expected,
      serverCpuMs: cpuAfter - cpuBefore,
      clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
      elapsedMs: elapsed,
    };
  } finally {
    await server.stop();
  }
}

function pooled(list: Sample[]): Run {
  const latencies = list.flatMap((s) => s.latencies);
  const expected = list.reduce((sum, s) => sum + s.expected, 0);
  const elapsed = list.reduce((sum, s) => sum + s.elapsedMs, 0);
  return {
    ...percentiles(latencies),
    keystrokes: list.reduce((sum, s) => sum + s.keystrokes, 0),
    deliveries: latencies.length,
    missing: Math.max(0, expected - latencies.length),
    serverCpu: round(list.reduce((sum, s) => sum + s.serverCpuMs, 0) / elapsed),
    clientCpu: round(list.reduce((sum, s) => sum + s.clientCpuMs, 0) / elapsed),
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
  `\nSync fan-out: keystroke → arrival at every other editor (ms); ${ROUNDS} × ${SECONDS} s of typing per server, one key per ~${TYPING_MS} ms per editor`,
);
const rows: (string | number)[][] = [
  ['N', 'server', 'p50', 'p95', 'p99', 'max', 'deliveries', 'missing', 'server CPU', 'client CPU'],
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
      x.deliveries,
      x.missing,
      x.serverCpu,
      x.clientCpu,
    ]);
  }
  rows.push([n, 'ours/ref', r.ratio.p50!, r.ratio.p95!, r.ratio.p99!, '', '', '', '', '']);
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
  { sizes: SIZES, rounds: ROUNDS, seconds: SECONDS, typingMs: TYPING_MS, warmupMs: WARMUP_MS },
  results,
);
