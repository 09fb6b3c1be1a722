/**
 * `npm run bench:export`: milliseconds per slide for a 20-slide flashbook in headless Chromium,
 * html-to-image (the baseline, used by the app) against modern-screenshot in the same run, through
 * the app's own renderer; and a whole 40-slide export with the long tasks it causes.
 * Writes bench/results/export.json.
 */
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { extname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { launchChromium } from '../tests/chromium.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, '.tmp/bench-export/src');
const OUT = join(ROOT, '.tmp/bench-export/dist');
const RESULTS = join(ROOT, 'bench/results/export.json');
const SLIDES = Number(process.env['BENCH_SLIDES'] ?? 20);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const LIBS = ['html-to-image', 'modern-screenshot'] as const;
const TARGET_MS = 150;
const LONG_TASK_LIMIT_MS = 200;

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
interface CaptureRun {
  lib: string;
  slides: number;
  total: number;
  perSlide: number[];
  bytes: number[];
  longTasks: LongTask[];
  fontCss: number;
}
interface ExportRunResult {
  marks: { done: number; phase: string; at: number }[];
  slides: number;
  total: number;
  zipBytes: number;
  longTasks: LongTask[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const maxOf = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);

async function buildPage(): Promise<void> {
  mkdirSync(SRC, { recursive: true });
  writeFileSync(
    join(SRC, 'index.html'),
    '<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>bench:export</title></head>' +
      '<body><script type="module" src="../../../bench/export-page.ts"></script></body></html>\n',
  );
  await build({
    root: SRC,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir: OUT, emptyOutDir: true, sourcemap: false },
  });
}

function serve(): Promise<{ url: string; close: () => void }> {
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

async function main() {
  await buildPage();
  const loadBefore = loadavg().map((x) => round(x, 2));
  const server = await serve();
  const browser = await launchChromium();
  const runs: CaptureRun[] = [];
  let exportRun: ExportRunResult | null = null;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const fresh = async () => {
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    };
    // Alternate the libraries, each run in a fresh page (no warm caches carried over).
    for (let r = 0; r < ROUNDS; r++) {
      for (const lib of r % 2 ? [...LIBS].reverse() : LIBS) {
        await fresh();
        const run = await page.evaluate(
          ([l, n]) =>
            (
              window as unknown as { benchCapture: (l: string, n: number) => Promise<CaptureRun> }
            ).benchCapture(l, n),
          [lib, SLIDES] as const,
        );
        runs.push(run);
        console.log(
          `${lib.padEnd(18)} round ${r + 1}: ${round(run.total / run.slides)} ms/slide, ` +
            `first ${round(run.perSlide[0] ?? 0)} ms, longest task ${round(maxOf(run.longTasks.map((t) => t.duration)))} ms`,
        );
      }
    }
    if (process.env['BENCH_SAMPLES']) {
      // Slides to look at: .tmp/bench-export/samples/NN.jpg
      await fresh();
      const images = await page.evaluate(
        (n) => (window as unknown as { samples: (n: number) => Promise<string[]> }).samples(n),
        SLIDES,
      );
      mkdirSync(join(ROOT, '.tmp/bench-export/samples'), { recursive: true });
      images.forEach((b64, i) =>
        writeFileSync(
          join(ROOT, `.tmp/bench-export/samples/${String(i + 1).padStart(2, '0')}.jpg`),
          Buffer.from(b64, 'base64'),
        ),
      );
    }
    await fresh();
    exportRun = await page.evaluate(
      (n) =>
        (window as unknown as { benchExport: (n: number) => Promise<ExportRunResult> }).benchExport(
          n,
        ),
      40,
    );
  } finally {
    await browser.close();
    server.close();
  }

  const summary = Object.fromEntries(
    LIBS.map((lib) => {
      const mine = runs.filter((r) => r.lib === lib);
      const msPerSlide = median(mine.map((r) => r.total / r.slides));
      const steady = median(mine.flatMap((r) => r.perSlide.slice(1)));
      return [
        lib,
        {
          msPerSlide: round(msPerSlide),
          steadyMsPerSlide: round(steady),
          firstSlideMs: round(median(mine.map((r) => r.perSlide[0] ?? 0))),
          longestTaskMs: round(maxOf(mine.flatMap((r) => r.longTasks.map((t) => t.duration)))),
          longTasksOver200: mine.flatMap((r) => r.longTasks).filter((t) => t.duration > 200).length,
          medianJpegKB: round(median(mine.flatMap((r) => r.bytes)) / 1024),
          maxJpegKB: round(maxOf(mine.flatMap((r) => r.bytes)) / 1024),
          fontCssKB: round((mine[0]?.fontCss ?? 0) / 1024),
          runs: mine.map((r) => round(r.total / r.slides)),
        },
      ];
    }),
  );
  const base = summary['html-to-image']?.msPerSlide ?? NaN;
  const other = summary['modern-screenshot']?.msPerSlide ?? NaN;
  const result = {
    date: new Date().toISOString(),
    // Other work on the machine slows every number down: the load average says how busy it was.
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', loadAverage: loadBefore },
    slides: SLIDES,
    rounds: ROUNDS,
    targetMsPerSlide: TARGET_MS,
    longTaskLimitMs: LONG_TASK_LIMIT_MS,
    libraries: summary,
    ratioModernScreenshotToHtmlToImage: round(other / base, 2),
    export40: exportRun && {
      slides: exportRun.slides,
      msPerSlide: round(exportRun.total / exportRun.slides),
      totalMs: round(exportRun.total),
      zipMB: round(exportRun.zipBytes / 1024 / 1024, 2),
      longestTaskMs: round(maxOf(exportRun.longTasks.map((t) => t.duration))),
      longTasksOver200: exportRun.longTasks.filter((t) => t.duration > LONG_TASK_LIMIT_MS).length,
      /** The long tasks over 100 ms, with the slide being rendered when each began. */
      longTasks: exportRun.longTasks
        .filter((t) => t.duration > 100)
        .map((t) => ({
          duration: round(t.duration),
          during: exportRun?.marks.find((m) => m.at >= t.start) ?? null,
        })),
    },
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify({ libraries: summary, export40: result.export40 }, null, 2));
  console.log(
    `modern-screenshot / html-to-image = ${result.ratioModernScreenshotToHtmlToImage} ` +
      `(baseline html-to-image ${base} ms/slide; target < ${TARGET_MS})`,
  );
  console.log(`written to ${RESULTS}`);
}

if (!process.env['BENCH_BUILD_ONLY']) await main();
else await buildPage();
