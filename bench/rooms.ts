/**
 * Many rooms: 1,000 small flashbooks with 2 editors each. Server memory per loaded flashbook
 * (process.memoryUsage after forced collections, before and after), per flashbook once its
 * editors left, and after idle unloading. Baseline: the reference y-websocket server in the same
 * run (it keeps every document in memory for good: it never unloads without persistence).
 *
 *   npm run bench:rooms
 *   BENCH_ROOMS=200 BENCH_IDLE_MS=2000 npm run bench:rooms
 *
 * "Memory" is heapUsed + external (JS objects plus buffers): what a flashbook costs the server.
 * RSS is printed too; it includes freed memory the allocator keeps, so it barely drops.
 */
import { readFlashbook, seedFlashbook, editText } from '../src/model/flashbook.ts';
import { envInt, kib, pool, ratio, round, sleep, table, until, writeResult } from './lib/report.ts';
import {
  connectClient,
  createRoom,
  startServerProcess,
  synced,
  type BenchClient,
  type MemoryReport,
  type ServerKind,
} from './lib/servers.ts';

const ROOMS = envInt('BENCH_ROOMS', 1000);
const CLIENTS = envInt('BENCH_ROOM_CLIENTS', 2);
const IDLE_MS = envInt('BENCH_IDLE_MS', 3000);
const TARGET_KIB = 200;

process.setMaxListeners(0);

const used = (m: MemoryReport): number => m.heapUsed + m.external;

interface Phase {
  loadedDocs: number;
  connections: number;
  /** (heapUsed + external − empty server) / rooms, KiB. */
  perRoomKiB: number;
  rssPerRoomKiB: number;
}

function phase(m: MemoryReport, empty: MemoryReport): Phase {
  return {
    loadedDocs: m.loadedDocs,
    connections: m.connections,
    perRoomKiB: kib((used(m) - used(empty)) / ROOMS),
    rssPerRoomKiB: kib((m.rss - empty.rss) / ROOMS),
  };
}

interface Cycle {
  loaded: Phase;
  editorsGone: Phase & { measuredBeforeUnload: boolean };
  unloaded: Phase | null;
}

/** Loads ROOMS flashbooks with their editors, lets the editors go, waits for unloading (ours). */
async function cycle(
  kind: ServerKind,
  server: Awaited<ReturnType<typeof startServerProcess>>,
  empty: MemoryReport,
): Promise<Cycle> {
  {
    const rooms = await pool(
      Array.from({ length: ROOMS }, (_, i) => i),
      16,
      (i) => createRoom(server, `Flashbook ${i}`),
    );
    console.log(`  ${kind}: ${ROOMS} rooms created, connecting ${ROOMS * CLIENTS} editors…`);
    const clients: BenchClient[][] = await pool(rooms, 16, async (room) => {
      const editors: BenchClient[] = [];
      for (let c = 0; c < CLIENTS; c++) {
        const client = connectClient(server, room);
        await synced(client);
        editors.push(client);
      }
      // The reference has no API that seeds a flashbook: its first editor does it.
      if (kind === 'reference') seedFlashbook(editors[0]!.doc, { title: 'Small flashbook' });
      return editors;
    });
    // A little real use: each editor types a few words into the cover slide.
    for (const editors of clients) {
      const cover = readFlashbook(editors[0]!.doc).posts[0]?.slides[0]?.id;
      for (const [n, e] of editors.entries()) {
        if (cover)
          editText(e.doc, { kind: 'slide', slideId: cover, field: 'subtitle' }, `edited by ${n}`);
      }
    }
    await until(
      () =>
        clients.every((editors) =>
          editors.every((e) =>
            readFlashbook(e.doc).posts[0]?.slides[0]?.fields.subtitle.startsWith('edited'),
          ),
        ),
      60_000,
    );
    await sleep(500);
    const loaded = await server.memory();

    // Editors leave: the documents stay loaded until they have been idle for IDLE_MS.
    const left = performance.now();
    for (const editors of clients) for (const e of editors) e.destroy();
    await until(() => false, 300);
    const docsOnly = await server.memory();
    const stillIdle = performance.now() - left < IDLE_MS;

    let unloaded: MemoryReport | undefined;
    if (kind === 'ours') {
      await until(() => false, IDLE_MS);
      for (let i = 0; i < 60; i++) {
        unloaded = await server.memory();
        if (unloaded.loadedDocs === 0) break;
        await sleep(500);
      }
    }
    return {
      loaded: phase(loaded, empty),
      editorsGone: { ...phase(docsOnly, empty), measuredBeforeUnload: stillIdle },
      unloaded: unloaded ? phase(unloaded, empty) : null,
    };
  }
}

async function measure(kind: ServerKind) {
  const server = await startServerProcess(kind, { idleUnloadMs: IDLE_MS });
  try {
    const empty = await server.memory();
    const first = await cycle(kind, server, empty);
    // Ours unloads: a second round on the same server shows whether what stays after unloading
    // is a one-off warm-up (code, caches) or grows with every flashbook ever loaded (a leak).
    const second = kind === 'ours' ? await cycle(kind, server, empty) : null;
    return {
      empty: { rssMiB: round(empty.rss / 2 ** 20, 1), usedMiB: round(used(empty) / 2 ** 20, 1) },
      ...first,
      secondRound: second,
    };
  } finally {
    await server.stop();
  }
}

const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
for (const kind of ['reference', 'ours'] as const) {
  console.log(`rooms: ${kind} server…`);
  results[kind] = await measure(kind);
}
const ours = results.ours!;
const reference = results.reference!;

console.log(
  `\nMany rooms: ${ROOMS} flashbooks × ${CLIENTS} editors; KiB per flashbook (heapUsed + external; RSS)`,
);
const row = (name: string, p: Phase | null): (string | number)[] =>
  p
    ? [name, p.loadedDocs, p.connections, p.perRoomKiB, p.rssPerRoomKiB]
    : [name, '-', '-', '-', '-'];
table([
  ['server, phase', 'docs', 'conns', 'KiB/room', 'RSS KiB/room'],
  row('reference, editors connected', reference.loaded),
  row('reference, editors gone', reference.editorsGone),
  row('ours, editors connected', ours.loaded),
  row('ours, editors gone', ours.editorsGone),
  row(`ours, after idle unload`, ours.unloaded),
  row('ours, 2nd round, connected', ours.secondRound?.loaded ?? null),
  row('ours, 2nd round, unloaded', ours.secondRound?.unloaded ?? null),
]);
const r = ratio(ours.loaded.perRoomKiB, reference.loaded.perRoomKiB);
console.log(
  `\nours/reference, editors connected: ${r}; target < ${TARGET_KIB} KiB per loaded flashbook: ` +
    `${ours.loaded.perRoomKiB < TARGET_KIB ? 'met' : 'MISSED'} (${ours.loaded.perRoomKiB} KiB); ` +
    `after unload: ${ours.unloaded && ours.unloaded.loadedDocs === 0 ? `${ours.unloaded.perRoomKiB} KiB/room left` : 'NOT unloaded'}` +
    (ours.secondRound?.unloaded
      ? `, after a second round ${ours.secondRound.unloaded.perRoomKiB} KiB/room`
      : ''),
);
writeResult(
  'rooms',
  { rooms: ROOMS, clientsPerRoom: CLIENTS, idleUnloadMs: IDLE_MS, targetKiB: TARGET_KIB },
  {
    ...results,
    ratioLoaded: r,
    ratioEditorsGone: ratio(ours.editorsGone.perRoomKiB, reference.editorsGone.perRoomKiB),
  },
);
