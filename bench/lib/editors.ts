/**
 * What the benchmark and its client worker processes (client-worker.ts) say to each other.
 *
 * Times are `process.hrtime` milliseconds (CLOCK_MONOTONIC), the same clock in every process on
 * the machine, so a send time from one worker and a receive time from another can be compared.
 */
import type { Room } from './servers.ts';

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

export type Typing =
  /** One key every `ms` (±50 %). */
  | { kind: 'steady'; ms: number }
  /** Words of `wordMin`–`wordMax` keys `keyMs` apart (±50 %), `pauseMs` (±50 %) between words. */
  | { kind: 'bursts'; keyMs: number; pauseMs: number; wordMin: number; wordMax: number };

export interface EditorSpec {
  room: Room;
  roomIndex: number;
  slideId: string;
  name: string;
  typing: Typing;
  /** Moves its caret (an awareness change) every `caretMs` (±50 %); null: never. */
  caretMs: number | null;
}

export type WorkerRequest =
  | { type: 'connect'; url: string; editors: EditorSpec[] }
  /** Keystrokes sent in [measureFrom, measureUntil) count; arrivals after recordUntil do not. */
  | { type: 'run'; measureFrom: number; measureUntil: number; stopAt: number; recordUntil: number }
  | { type: 'report' }
  | { type: 'close' };

export interface WorkerReport {
  /** [Yjs client id, clock, send time] of every keystroke made while measuring. */
  sent: [number, number, number][];
  /** [client id, clock, latest arrival in this worker, editors here that have it]. */
  received: [number, number, number, number][];
  /** Times an editor's socket closed while running, by close code. */
  closes: Record<string, number>;
  /** Editors whose provider stopped for good (a 44xx close). */
  stopped: number;
  /** Editors not connected when the run ended. */
  disconnectedAtEnd: number;
  /** CPU this process used while measuring, ms. */
  cpuMs: number;
  awarenessSent: number;
}
