/**
 * Bundle: the JavaScript and CSS a browser must download before the app can start (the entry
 * script, its modulepreloads and stylesheets from index.html), gzipped, against the 350 KB target;
 * then every chunk, so that what is loaded on demand (export, import) is visible.
 *
 *   npm run bench:bundle          (builds into .tmp/dist-bench; BENCH_SKIP_BUILD=1 reuses it)
 *
 * gzip level 6 (zlib's default, what most servers use); brotli (quality 11, as a build step
 * would precompress) for comparison. Fonts are listed apart: CSS loads them when text needs them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { BENCH_DIST, ensureBuild } from './lib/build.ts';
import { kib, ratio, table, writeResult } from './lib/report.ts';

const TARGET_KB = 350;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Which package each byte of a built chunk comes from, read from its source map (generated
 * columns between consecutive mapping segments are attributed to the segment's source).
 */
function composition(jsPath: string): Map<string, number> {
  const map = JSON.parse(readFileSync(`${jsPath}.map`, 'utf8')) as {
    sources: string[];
    mappings: string;
  };
  const code = readFileSync(jsPath, 'utf8').split('\n');
  const bytes = new Map<string, number>();
  const owner = (source: string): string => {
    const nm = source.lastIndexOf('node_modules/');
    if (nm === -1)
      return source
        .replace(/^(\.\.\/)+/, '')
        .split('/')
        .slice(0, 2)
        .join('/');
    const rest = source.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  };
  let src = 0;
  for (const [lineNo, line] of map.mappings.split(';').entries()) {
    let col = 0;
    const segments: [number, number][] = [];
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += values[0]!;
      if (values.length > 1) src += values[1]!;
      segments.push([col, values.length > 1 ? src : -1]);
    }
    const length = code[lineNo]?.length ?? 0;
    for (const [i, [start, s]] of segments.entries()) {
      const end = segments[i + 1]?.[0] ?? length;
      const name = s >= 0 ? owner(map.sources[s] ?? '?') : '(generated)';
      bytes.set(name, (bytes.get(name) ?? 0) + Math.max(0, end - start));
    }
  }
  return bytes;
}

const buildSeconds = ensureBuild(process.env['BENCH_SKIP_BUILD'] !== '1');
const html = readFileSync(join(BENCH_DIST, 'index.html'), 'utf8');
const initial = new Set<string>();
for (const m of html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/?([^"]+)"[^>]*>/g)) {
  const tag = m[0];
  const file = m[1]!;
  const isScript = tag.startsWith('<script') && /type="module"/.test(tag);
  const isPreload = /rel="modulepreload"/.test(tag);
  const isStyle = /rel="stylesheet"/.test(tag);
  if (isScript || isPreload || isStyle) initial.add(file);
}

interface Chunk {
  file: string;
  kind: 'js' | 'css' | 'font' | 'other';
  initial: boolean;
  rawKiB: number;
  gzipKiB: number;
  brotliKiB: number;
}

const assets = join(BENCH_DIST, 'assets');
const chunks: Chunk[] = [];
for (const name of readdirSync(assets)) {
  if (name.endsWith('.map')) continue;
  const path = join(assets, name);
  const bytes = readFileSync(path);
  const kind = name.endsWith('.js')
    ? 'js'
    : name.endsWith('.css')
      ? 'css'
      : /\.(woff2?|ttf|otf)$/.test(name)
        ? 'font'
        : 'other';
  const compressible = kind === 'js' || kind === 'css' || name.endsWith('.svg');
  chunks.push({
    file: `assets/${name}`,
    kind,
    initial: initial.has(`assets/${name}`),
    rawKiB: kib(statSync(path).size),
    gzipKiB: kib(compressible ? gzipSync(bytes, { level: 6 }).length : bytes.length),
    brotliKiB: kib(
      compressible
        ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
        : bytes.length,
    ),
  });
}
chunks.sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzipKiB - a.gzipKiB);

const sum = (list: Chunk[], key: 'rawKiB' | 'gzipKiB' | 'brotliKiB') =>
  Math.round(list.reduce((n, c) => n + c[key], 0) * 10) / 10;
const code = chunks.filter((c) => c.kind === 'js' || c.kind === 'css');
const initialCode = code.filter((c) => c.initial);
const lazyCode = code.filter((c) => !c.initial);
const fonts = chunks.filter((c) => c.kind === 'font');

console.log('\nBundle: JavaScript and CSS chunks (KiB)');
table([
  ['chunk', 'loaded', 'raw', 'gzip', 'brotli'],
  ...code.map((c) => [
    c.file,
    c.initial ? 'initial' : 'on demand',
    c.rawKiB,
    c.gzipKiB,
    c.brotliKiB,
  ]),
]);
/** Prints and returns the top packages of a JS chunk. */
function showComposition(
  chunk: Chunk | undefined,
  what: string,
): { name: string; rawKiB: number }[] {
  if (!chunk) return [];
  const parts = [...composition(join(BENCH_DIST, chunk.file)).entries()].sort(
    (a, b) => b[1] - a[1],
  );
  const total = parts.reduce((n, [, b]) => n + b, 0);
  console.log(`\nWhat ${what} (${chunk.file}) is made of, by source map (top 12):`);
  table([
    ['package or folder', 'raw KiB', 'share'],
    ...parts.slice(0, 12).map(([name, b]) => [name, kib(b), `${Math.round((b / total) * 100)}%`]),
  ]);
  return parts.slice(0, 25).map(([name, b]) => ({ name, rawKiB: kib(b) }));
}
const entryParts = showComposition(
  initialCode.filter((c) => c.kind === 'js').sort((a, b) => b.rawKiB - a.rawKiB)[0],
  'the largest initial chunk',
);
const editorParts = showComposition(
  lazyCode.find((c) => c.kind === 'js' && /EditorPage/.test(c.file)),
  'the editor chunk',
);
const initialGzip = sum(initialCode, 'gzipKiB');
// The target is in KB; KiB are slightly larger, so compare in kB (1000 bytes) to be fair.
const initialGzipKB = Math.round(initialGzip * 1.024 * 10) / 10;
console.log(
  `\ninitial JS + CSS: ${sum(initialCode, 'rawKiB')} KiB raw, ${initialGzip} KiB gzip ` +
    `(${initialGzipKB} kB), ${sum(initialCode, 'brotliKiB')} KiB brotli; ` +
    `target ${TARGET_KB} kB gzip: ${initialGzipKB <= TARGET_KB ? 'met' : 'MISSED'} ` +
    `(ratio ${ratio(initialGzipKB, TARGET_KB)})`,
);
// Opening a shared link needs the editor too: when the editor page is its own chunk (React.lazy),
// its JS and CSS are fetched right after the initial ones, before the first slide can show.
const editorCode = lazyCode.filter((c) => /EditorPage/.test(c.file));
const editorRoute = [...initialCode, ...editorCode];
const editorRouteGzipKB = Math.round(sum(editorRoute, 'gzipKiB') * 1.024 * 10) / 10;
if (editorCode.length) {
  console.log(
    `opening a flashbook (initial + ${editorCode.map((c) => c.file).join(' + ')}): ` +
      `${sum(editorRoute, 'gzipKiB')} KiB gzip (${editorRouteGzipKB} kB, ratio ${ratio(editorRouteGzipKB, TARGET_KB)} to the target)`,
  );
}
console.log(
  `on demand: ${lazyCode.length} chunks, ${sum(lazyCode, 'gzipKiB')} KiB gzip; ` +
    `fonts: ${fonts.length} files, ${sum(fonts, 'rawKiB')} KiB (woff2 and woff; a browser fetches only what the page's text needs)`,
);
writeResult(
  'bundle',
  { targetKB: TARGET_KB, gzipLevel: 6, brotliQuality: 11, buildSeconds },
  {
    initial: {
      files: initialCode.map((c) => c.file),
      rawKiB: sum(initialCode, 'rawKiB'),
      gzipKiB: initialGzip,
      gzipKB: initialGzipKB,
      brotliKiB: sum(initialCode, 'brotliKiB'),
      ratioToTarget: ratio(initialGzipKB, TARGET_KB),
    },
    onDemand: { chunks: lazyCode.length, gzipKiB: sum(lazyCode, 'gzipKiB') },
    editorRoute: editorCode.length
      ? {
          files: editorRoute.map((c) => c.file),
          gzipKiB: sum(editorRoute, 'gzipKiB'),
          gzipKB: editorRouteGzipKB,
          ratioToTarget: ratio(editorRouteGzipKB, TARGET_KB),
        }
      : null,
    fonts: { files: fonts.length, rawKiB: sum(fonts, 'rawKiB') },
    chunks: code,
    entryComposition: entryParts,
    editorComposition: editorParts,
  },
);
