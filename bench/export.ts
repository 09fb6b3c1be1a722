/**
 * `npm run bench:export`: whole exports of a 40-slide flashbook (book covers, logo, shipped fonts)
 * in headless Chromium, the product's export against the legacy path it replaced (html-to-image,
 * encoding and ZIP on the page; `legacy: true`) in the same run, alternating A B B A in fresh
 * pages: milliseconds per slide, their ratio, and the page's long tasks (PerformanceObserver
 * 'longtask') during each export. Writes bench/results/export.json.
 */
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { launchChromium } from '../tests/chromium.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, '.tmp/bench-export');
const RESULTS = join(ROOT, 'bench/results/export.json');
const SLIDES = Number(process.env['BENCH_SLIDES'] ?? 40);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const MODES = ['legacy', 'new'] as const;
const TARGET_RATIO = 2;
const LONG_TASK_LIMIT_MS = 50;
/** Typed during each export (bench/export-page.ts observes their Event Timing). */
const KEYS = [...'kitaphana'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

interface LongTask {
  start: number;
  duration: number;
}
interface InputTiming {
  name: string;
  duration: number;
  delay: number;
}
interface ExportRunResult {
  legacy: boolean;
  inputs: InputTiming[];
  marks: { done: number; phase: string; at: number }[];
  slides: number;
  total: number;
  zipBytes: number;
  missing: string[];
  longTasks: LongTask[];
  delays: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const maxOf = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);

/**
 * Builds the benchmark's page (bench/export-page.ts) into `<dir>/dist`; the browser test of the
 * export's pixels (tests/e2e/export-large.test.ts) uses it too.
 */
export async function buildPage(dir = DIR): Promise<string> {
  const src = join(dir, 'src');
  const out = join(dir, 'dist');
  mkdirSync(src, { recursive: true });
  const script = relative(src, join(ROOT, 'bench/export-page.ts'));
  writeFileSync(
    join(src, 'index.html'),
    '<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>bench:export</title></head>' +
      `<body><script type="module" src="${script}"></script></body></html>\n`,
  );
  await build({
    root: src,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir: out, emptyOutDir: true, sourcemap: false },
  });
  return out;
}

/** Serves a built page on a free port of 127.0.0.1. */
export function serve(OUT = join(DIR, 'dist')): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = join(OUT, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      const file = path.endsWith('/') ? join(path, 'index.html') : path;
      if (!file.startsWith(OUT) || !existsSync(file) || !(await stat(file)).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'public, max-age=31536000, immutable',
      });
      createReadStream(file).pipe(res);
    })();
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      ok({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
    }),
  );
}

/** The Long Tasks API reports only tasks over 50 ms: none reported means none that long. */
const describeLongest = (tasks: number[]) =>
  tasks.length ? `longest task ${round(maxOf(tasks))} ms` : `no task over ${LONG_TASK_LIMIT_MS} ms`;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

async function main() {
  await buildPage();
  const loadBefore = loadavg().map((x) => round(x, 2));
  const server = await serve();
  const browser = await launchChromium();
  const runs: (ExportRunResult & { mode: string; round: number; keys: number })[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // A B B A …, each export in a fresh page (no warm caches carried over).
    for (let r = 0; r < ROUNDS; r++) {
      for (const mode of r % 2 ? [...MODES].reverse() : MODES) {
        await page.goto(server.url);
        await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
        await page.getByLabel('typing during the export').focus();
        const running = page.evaluate(
          ([n, legacy]) =>
            (
              window as unknown as {
                benchExport: (n: number, legacy: boolean) => Promise<ExportRunResult>;
              }
            ).benchExport(n, legacy),
          [SLIDES, mode === 'legacy'] as const,
        );
        // A librarian typing while the export runs: a key every ~100 ms, real input events.
        let done = false;
        void running.finally(() => (done = true)).catch(() => {});
        let keys = 0;
        while (!done) {
          await page.keyboard.press(KEYS[keys++ % KEYS.length] ?? 'a');
          await new Promise((r) => setTimeout(r, 100));
        }
        const run = { ...(await running), keys };
        if (run.missing.length > 0) throw new Error(`missing assets: ${run.missing.join(', ')}`);
        runs.push({ ...run, mode, round: r + 1 });
        const long = run.longTasks.map((t) => t.duration);
        const slowKeys = run.inputs.map((i) => i.duration);
        console.log(
          `${mode.padEnd(7)} round ${r + 1}: ${round(run.total / run.slides)} ms/slide, ` +
            `${describeLongest(long)}, ${long.filter((d) => d > LONG_TASK_LIMIT_MS).length} over ${LONG_TASK_LIMIT_MS} ms, ` +
            `keys ${run.keys} typed, ${slowKeys.length} ≥ 16 ms to the next frame` +
            (slowKeys.length ? ` (slowest ${round(maxOf(slowKeys))} ms)` : '') +
            `, zip ${round(run.zipBytes / 1024 / 1024, 2)} MB`,
        );
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const loadAfter = loadavg().map((x) => round(x, 2));

  const summary = Object.fromEntries(
    MODES.map((mode) => {
      const mine = runs.filter((r) => r.mode === mode);
      const tasks = mine.flatMap((r) => r.longTasks.map((t) => t.duration));
      const delays = mine.flatMap((r) => r.delays);
      return [
        mode,
        {
          msPerSlide: round(median(mine.map((r) => r.total / r.slides))),
          runs: mine.map((r) => round(r.total / r.slides)),
          /** 0: no task over 50 ms (the only ones the Long Tasks API reports). */
          longestTaskMs: round(maxOf(tasks)),
          longTasksOver50PerExport: mine.map(
            (r) => r.longTasks.filter((t) => t.duration > LONG_TASK_LIMIT_MS).length,
          ),
          /**
           * How late a timer task posted every 25 ms ran. Not what a click waits for: the export
           * yields with scheduler.yield(), whose continuations run before such timers, while
           * input is served first (see the key timings).
           */
          taskDelayP95Ms: round(p95(delays)),
          taskDelayMaxMs: round(maxOf(delays)),
          /** Keys typed while exporting, and those whose next frame took 16 ms or more. */
          keysTyped: mine.reduce((a, r) => a + r.keys, 0),
          keyEventsOver16Ms: mine.reduce((a, r) => a + r.inputs.length, 0),
          /** The slowest key: from the input to the next frame painted (Event Timing). */
          keyDurationMaxMs: round(maxOf(mine.flatMap((r) => r.inputs.map((i) => i.duration)))),
          keyDelayMaxMs: round(maxOf(mine.flatMap((r) => r.inputs.map((i) => i.delay)))),
          zipMB: round((mine[0]?.zipBytes ?? 0) / 1024 / 1024, 2),
        },
      ];
    }),
  );
  const legacyMs = summary['legacy']?.msPerSlide ?? NaN;
  const newMs = summary['new']?.msPerSlide ?? NaN;
  // Per round, so that a slow spell on the shared machine affects both sides of one ratio.
  const roundRatios = [...new Set(runs.map((r) => r.round))].map((n) => {
    const of = (m: string) => runs.find((r) => r.round === n && r.mode === m);
    const a = of('legacy');
    const b = of('new');
    return a && b ? round(a.total / b.total, 2) : NaN;
  });
  const result = {
    date: new Date().toISOString(),
    // Other work on the machine slows every number down: the load average says how busy it was.
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '',
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAfter,
    },
    slides: SLIDES,
    rounds: ROUNDS,
    targetSpeedup: TARGET_RATIO,
    longTaskLimitMs: LONG_TASK_LIMIT_MS,
    modes: summary,
    speedupLegacyOverNew: round(legacyMs / newMs, 2),
    speedupPerRound: roundRatios,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `legacy / new = ${result.speedupLegacyOverNew} (per round ${roundRatios.join(', ')}; ` +
      `legacy ${legacyMs} ms/slide, new ${newMs} ms/slide; target ≥ ${TARGET_RATIO}); ` +
      `new: ${describeLongest(runs.filter((r) => r.mode === 'new').flatMap((r) => r.longTasks.map((t) => t.duration)))} (limit ${LONG_TASK_LIMIT_MS}); ` +
      `load ${loadBefore.join(' ')} → ${loadAfter.join(' ')}`,
  );
  console.log(`written to ${RESULTS}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!process.env['BENCH_BUILD_ONLY']) await main();
  else await buildPage();
}
