/**
 * `npm run bench`: every benchmark, one process each (memory figures must not mix), in an order
 * that builds the client once (bundle) before the browser benchmark uses it. Results go to
 * bench/results/<name>.json; see bench/README.md. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, round } from './lib/report.ts';

const BENCHMARKS = ['bundle', 'sync-fanout', 'rooms', 'storage', 'large-flashbook'];
const only = process.argv.slice(2);
const started = performance.now();
const failed: string[] = [];
for (const name of only.length ? only : BENCHMARKS) {
  console.log(`\n=== ${name} ${'='.repeat(60 - name.length)}`);
  const t0 = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', `${name}.ts`)],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (run.status !== 0) failed.push(name);
  console.log(`(${name}: ${round((performance.now() - t0) / 1000, 1)} s)`);
}
console.log(`\nall benchmarks: ${round((performance.now() - started) / 1000, 1)} s`);
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
