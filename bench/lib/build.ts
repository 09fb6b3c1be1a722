import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, round } from './report.ts';

/** The benchmarks' own build of the client: dist/ belongs to the browser tests. */
export const BENCH_DIST = join(ROOT, '.tmp', 'dist-bench');

/**
 * Builds the client into BENCH_DIST when `fresh` is asked for or no build is there yet; returns
 * the build time in seconds (0 when an existing build was reused).
 */
export function ensureBuild(fresh: boolean): number {
  if (!fresh && existsSync(join(BENCH_DIST, 'index.html'))) return 0;
  console.log(`building the client into ${BENCH_DIST.slice(ROOT.length)}…`);
  const started = performance.now();
  const result = spawnSync('npx', ['vite', 'build', '--outDir', BENCH_DIST, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`vite build failed with ${result.status}`);
  return round((performance.now() - started) / 1000, 1);
}
