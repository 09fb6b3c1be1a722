/**
 * Rooms of typing editors against a server, measured: what the seminar, fan-out and scale-out
 * benchmarks share. Each room is created through the API (seeded by a setup client for the
 * reference server), gets a slide of its own for each of its editors, and the editors (stock
 * y-websocket clients in worker processes, client-pool.ts) type into their slides' titles while
 * the server's CPU is measured.
 */
import { loadavg } from 'node:os';
import { addSlide, readFlashbook, seedFlashbook } from '../../src/model/flashbook.ts';
import {
  inMs,
  now,
  startClientPool,
  type EditorSpec,
  type PoolReport,
  type Typing,
} from './client-pool.ts';
import { cpuByKind, cpuSnapshot } from './machine-cpu.ts';
import { pool as limited, round, sleep } from './report.ts';
import {
  connectClient,
  createRoom,
  synced,
  type BenchClient,
  type Room,
  type ServerProcess,
} from './servers.ts';

export interface PreparedRoom {
  room: Room;
  slideIds: string[];
  /** The client that made the slides; destroy it once the editors are connected. */
  setup: BenchClient;
}

/** One room: created, seeded (reference), with a slide of its own for each of `n` editors. */
export async function prepareRoom(
  server: ServerProcess,
  title: string,
  n: number,
): Promise<PreparedRoom> {
  const room = await createRoom(server, title);
  const setup = connectClient(server, room);
  await synced(setup);
  if (server.kind === 'reference') seedFlashbook(setup.doc, { title });
  const postId = readFlashbook(setup.doc).posts[0]!.id;
  const slideIds = Array.from({ length: n }, () => addSlide(setup.doc, postId, { layout: 'book' }));
  return { room, slideIds, setup };
}

export interface RoomLoad {
  /** Editors of each room; a room's index (EditorSpec.roomIndex) is its position here. */
  sizes: number[];
  typing: Typing;
  /** Caret moves (awareness) every this many ms (±50 %), or null for none. */
  caretMs: number | null;
  /** Client worker processes (client-pool.ts). */
  workers: number;
  warmupMs: number;
  seconds: number;
  /** After measuring: how long a keystroke still has to reach everyone. */
  drainMs: number;
  /** Room titles: `${title} ${index}`. */
  title?: string;
  /** Called when measuring starts; awaited before the report (e.g. a memory sampler). */
  whileMeasuring?: (measureFrom: number, measureUntil: number) => Promise<void>;
}

export interface RoomLoadResult {
  report: PoolReport;
  editors: number;
  /** The server's CPU while measuring, as a share of one core (a combined target: the sum). */
  serverCpu: number;
  serverCpuMs: number;
  /** The client workers' CPU while measuring, as a share of one core (all of them, the busiest). */
  clientCpu: number;
  busiestWorkerCpu: number;
  elapsedMs: number;
  /** 1-minute load average at the end of the measurement. */
  load: number;
  /** The machine's CPU while measuring by kind of process, shares of one core (machine-cpu.ts). */
  machineCpu: Record<string, number>;
}

/** Creates the rooms, connects their editors, lets them type and reports what arrived when. */
export async function runRooms(server: ServerProcess, load: RoomLoad): Promise<RoomLoadResult> {
  const clients = await startClientPool(load.workers);
  let rooms: PreparedRoom[] = [];
  try {
    const title = load.title ?? 'Room';
    rooms = await limited(load.sizes, 8, (n, i) => prepareRoom(server, `${title} ${i}`, n));
    const editors: EditorSpec[] = rooms.flatMap(({ room, slideIds }, roomIndex) =>
      slideIds.map((slideId, i) => ({
        room,
        roomIndex,
        slideId,
        name: `Librarian ${roomIndex}.${i}`,
        typing: load.typing,
        caretMs: load.caretMs,
      })),
    );
    // The setup clients leave after the editors have their slides (the editors wait for them).
    await clients.connect(server.url, editors);
    for (const r of rooms) r.setup.destroy();
    rooms = [];

    const measureFrom = inMs(load.warmupMs);
    const measureUntil = measureFrom + load.seconds * 1000;
    const running = clients.run(
      measureFrom,
      measureUntil,
      measureUntil,
      measureUntil + load.drainMs,
    );
    await sleep(measureFrom - now());
    const during = load.whileMeasuring?.(measureFrom, measureUntil);
    const machineBefore = cpuSnapshot();
    const cpuBefore = await server.cpuMs();
    const t0 = now();
    await running;
    const cpuAfter = await server.cpuMs();
    const elapsedMs = now() - t0;
    const machineCpu = cpuByKind(machineBefore, cpuSnapshot(), elapsedMs / 1000);
    const loadNow = round(loadavg()[0]!, 1);
    await during;
    await sleep(load.drainMs);
    const report = await clients.report();
    const workerMs = report.workerCpuMs;
    return {
      report,
      editors: editors.length,
      serverCpu: round((cpuAfter - cpuBefore) / elapsedMs),
      serverCpuMs: cpuAfter - cpuBefore,
      clientCpu: round(workerMs.reduce((a, b) => a + b, 0) / (load.seconds * 1000)),
      busiestWorkerCpu: round(Math.max(...workerMs) / (load.seconds * 1000)),
      elapsedMs,
      load: loadNow,
      machineCpu,
    };
  } finally {
    for (const r of rooms) r.setup.destroy();
    await clients.close();
  }
}
