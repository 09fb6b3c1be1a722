import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever the working directory. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

/** A positive integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

/** A comma-separated list of positive integers from the environment. */
export function envList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name}: "${part}" is not a count`);
    return n;
  });
}

export interface Percentiles {
  samples: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of a sample, in the sample's unit, rounded to 0.01. */
export function percentiles(values: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (p: number): number =>
    n === 0 ? NaN : sorted[Math.min(n - 1, Math.ceil(p * n) - 1)]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    samples: n,
    mean: round(n ? sum / n : NaN),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(n ? sorted[n - 1]! : NaN),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** ours / baseline, rounded; what every benchmark prints next to its figures. */
export const ratio = (ours: number, baseline: number): number => round(ours / baseline, 2);

export const kib = (bytes: number): number => round(bytes / 1024, 1);

/** Prints an aligned table (first row is the header). */
export function table(rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const [n, row] of cells.entries()) {
    console.log(
      row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
    );
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

/** Writes bench/results/<name>.json with the machine and the configuration next to the figures. */
export function writeResult(
  name: string,
  config: Record<string, unknown>,
  results: unknown,
): string {
  const file = join(RESULTS_DIR, `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const cpu = cpus();
  const doc = {
    benchmark: name,
    date: new Date().toISOString(),
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    config,
    results,
  };
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  console.log(`\nwrote ${file.slice(ROOT.length)}`);
  return file;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds or `timeoutMs` passes; returns whether it held. */
export async function until(
  condition: () => boolean,
  timeoutMs: number,
  stepMs = 10,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(stepMs);
  }
  return true;
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  task: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]!, i);
      }
    }),
  );
  return out;
}
