/**
 * Editors spread over several worker processes (client-worker.ts), round robin, so that the
 * editors of one room sit in different processes and no one process applies every update of a
 * large room for all of its editors. Latency is computed here from what the workers report:
 * a keystroke's latency is from its send to its arrival at the last other editor of its room.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './report.ts';
import { now, type EditorSpec, type WorkerReport, type WorkerRequest } from './editors.ts';

export { now, type EditorSpec, type Typing, type WorkerReport } from './editors.ts';

export interface ClientPool {
  /** Connects the editors (each waits until it has synced and sees its slide). */
  connect(url: string, editors: EditorSpec[]): Promise<void>;
  /**
   * Editors type and move their carets until `stopAt` (monotonic ms, see `now`); keystrokes in
   * [measureFrom, measureUntil) are measured; one not at every other editor by `recordUntil`
   * counts as incomplete.
   */
  run(
    measureFrom: number,
    measureUntil: number,
    stopAt: number,
    recordUntil: number,
  ): Promise<void>;
  report(): Promise<PoolReport>;
  close(): Promise<void>;
}

export interface PoolReport {
  /** Keystroke → every other editor of its room, ms, for the keystrokes that reached them all. */
  latencies: number[];
  /** The same by room index (EditorSpec.roomIndex). */
  latenciesByRoom: Map<number, number[]>;
  keystrokes: number;
  /** Keystrokes that did not reach every other editor of their room. */
  incomplete: number;
  closes: Record<string, number>;
  stopped: number;
  disconnectedAtEnd: number;
  /** CPU of each worker while measuring, ms. */
  workerCpuMs: number[];
  awarenessSent: number;
}

type Reply =
  | { type: 'ready' | 'started' | 'ran' | 'closed' }
  | { type: 'connected'; clientIds: number[] }
  | { type: 'report'; report: WorkerReport }
  | { type: 'error'; message: string };

class Worker {
  private waiting: ((reply: Reply) => void)[] = [];
  private failure: Error | null = null;
  constructor(readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      if (reply.type === 'error') {
        this.failure = new Error(`client worker: ${reply.message}`);
        console.error(this.failure.message);
      }
      this.waiting.shift()?.(reply);
    });
    child.on('exit', (code) => {
      if (code !== 0) this.failure ??= new Error(`client worker exited with ${code}`);
      for (const w of this.waiting.splice(0)) w({ type: 'error', message: `exited (${code})` });
    });
  }
  next(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) =>
      this.waiting.push((r) => (r.type === 'error' ? reject(new Error(r.message)) : resolve(r))),
    );
  }
  ask(request: WorkerRequest): Promise<Reply> {
    const reply = this.next();
    this.child.send(request);
    return reply;
  }
}

export async function startClientPool(count: number): Promise<ClientPool> {
  const workers = await Promise.all(
    Array.from({ length: count }, async () => {
      const child = fork(join(ROOT, 'bench/lib/client-worker.ts'), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const worker = new Worker(child);
      await worker.next(); // ready
      return worker;
    }),
  );
  const roomOf = new Map<number, number>();
  const roomSize = new Map<number, number>();

  return {
    async connect(url, editors) {
      for (const e of editors) roomSize.set(e.roomIndex, (roomSize.get(e.roomIndex) ?? 0) + 1);
      const shares = workers.map((_, w) => editors.filter((_, i) => i % workers.length === w));
      await Promise.all(
        workers.map(async (worker, w) => {
          const reply = await worker.ask({ type: 'connect', url, editors: shares[w]! });
          if (reply.type !== 'connected') throw new Error(`unexpected ${reply.type}`);
          reply.clientIds.forEach((id, i) => roomOf.set(id, shares[w]![i]!.roomIndex));
        }),
      );
    },
    async run(measureFrom, measureUntil, stopAt, recordUntil) {
      await Promise.all(
        workers.map((w) => w.ask({ type: 'run', measureFrom, measureUntil, stopAt, recordUntil })),
      );
      await Promise.all(workers.map((w) => w.next())); // ran
    },
    async report() {
      const reports: WorkerReport[] = [];
      for (const w of workers) {
        const reply = await w.ask({ type: 'report' });
        if (reply.type === 'report') reports.push(reply.report);
      }
      // client:clock → [latest arrival, editors that have it]
      const arrivals = new Map<string, [number, number]>();
      for (const r of reports) {
        for (const [id, clock, at, n] of r.received) {
          const key = `${id}:${clock}`;
          const a = arrivals.get(key);
          if (a) {
            a[0] = Math.max(a[0], at);
            a[1] += n;
          } else arrivals.set(key, [at, n]);
        }
      }
      const latencies: number[] = [];
      const latenciesByRoom = new Map<number, number[]>();
      let keystrokes = 0;
      let incomplete = 0;
      for (const r of reports) {
        for (const [id, clock, at] of r.sent) {
          keystrokes++;
          const room = roomOf.get(id) ?? -1;
          const others = (roomSize.get(room) ?? 1) - 1;
          const a = arrivals.get(`${id}:${clock}`);
          if (a && a[1] >= others) {
            latencies.push(a[0] - at);
            let list = latenciesByRoom.get(room);
            if (!list) latenciesByRoom.set(room, (list = []));
            list.push(a[0] - at);
          } else incomplete++;
        }
      }
      const closes: Record<string, number> = {};
      for (const r of reports) {
        for (const [code, n] of Object.entries(r.closes)) closes[code] = (closes[code] ?? 0) + n;
      }
      return {
        latencies,
        latenciesByRoom,
        keystrokes,
        incomplete,
        closes,
        stopped: reports.reduce((s, r) => s + r.stopped, 0),
        disconnectedAtEnd: reports.reduce((s, r) => s + r.disconnectedAtEnd, 0),
        workerCpuMs: reports.map((r) => r.cpuMs),
        awarenessSent: reports.reduce((s, r) => s + r.awarenessSent, 0),
      };
    },
    async close() {
      await Promise.all(
        workers.map(async (w) => {
          if (w.child.exitCode !== null) return;
          const exited = new Promise((resolve) => w.child.once('exit', resolve));
          w.child.send({ type: 'close' } satisfies WorkerRequest);
          await exited;
        }),
      );
    },
  };
}

/** Monotonic ms `ms` from now. */
export const inMs = (ms: number): number => now() + ms;
