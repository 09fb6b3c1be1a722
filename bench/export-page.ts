/**
 * The benchmark's page (built by bench/export.ts): whole exports of a 40-slide flashbook with book
 * covers (JPEG images through an asset resolver) and the shipped fonts, by the product's export and
 * by the legacy path it replaced (html-to-image, encoding and ZIP on the page), recording long tasks.
 */
import '../src/slide/themes/fonts.ts';
import { unzipSync } from 'fflate';
import * as Y from 'yjs';
import {
  addPost,
  addSlide,
  editText,
  readFlashbook,
  seedFlashbook,
  type FlashbookView,
} from '../src/model/flashbook.ts';
import type { Layout } from '../src/model/schema.ts';
import { runExport } from '../src/export/exporter.ts';
import { planExport } from '../src/export/plan.ts';
import type { AssetResolver } from '../src/slide/asset-resolver.ts';

const LAYOUTS: Layout[] = ['book', 'quote', 'text', 'book', 'closing'];

/** A flashbook of `count` slides in posts of up to 10, with Kazakh and Russian text. */
export function makeFlashbook(count: number, theme?: string): FlashbookView {
  const doc = new Y.Doc();
  seedFlashbook(doc, {
    title: 'Соғыс жылдарының әдебиеті: Қазақстан жазушылары 1941–1945',
    hashtags: '#Жеңіс80 #кітапхана',
    theme,
  });
  let postId = readFlashbook(doc).posts[0]?.id ?? '';
  for (let i = 1; i < count; i++) {
    if (i % 10 === 0) postId = addPost(doc, { layout: 'cover' }).postId;
    else
      addSlide(doc, postId, {
        layout: LAYOUTS[i % LAYOUTS.length],
        ageLabel: i % 3 === 0 ? '12+' : '',
        // Every book its own cover (an asset id is a SHA-256 in hex).
        image: LAYOUTS[i % LAYOUTS.length] === 'book' ? i.toString(16).padStart(64, '0') : '',
        fields: {
          title: `Өмір мен өлім арасында ${i}`,
          author: 'Бауыржан Момышұлы',
          publisher: 'Жазушы',
          place: 'Алматы',
          year: '1975',
          pages: '320 б.',
          quote:
            'Ерлік — елдің ұраны, ар-намыс — ердің құраны. Қазақ халқының рухы ешқашан сынбайды.',
          quoteSource: 'Бауыржан Момышұлы, «Ұшқан ұя»',
          altText: `Слайд ${i}`,
        },
        body: [
          'Кітапта 1941–1945 жылдардағы соғыс туралы әңгімеленеді: Мәскеу түбіндегі шайқастар, Панфилов дивизиясының ерлігі, қазақ жауынгерлерінің батырлығы.',
          'Книга о подвиге панфиловцев под Москвой осенью 1941 года, написанная участником боёв.',
        ],
      });
  }
  const first = readFlashbook(doc).posts[0];
  if (first) editText(doc, { kind: 'caption', postId: first.id }, 'Оқыңыз! #әдебиет');
  return { ...readFlashbook(doc), logo: 'logo' };
}

interface LongTask {
  start: number;
  duration: number;
}

interface InputTiming {
  name: string;
  /** From the input to the next frame painted after its handlers (Event Timing's `duration`). */
  duration: number;
  /** From the input to its first handler starting. */
  delay: number;
}

/**
 * Event Timing entries of the keys the benchmark types into the page's field during an export:
 * what a librarian typing meanwhile waits for. Only inputs of 16 ms or more are reported.
 */
function observeInputs(): { stop: () => InputTiming[] } {
  const inputs: InputTiming[] = [];
  const take = (list: PerformanceEntryList) => {
    for (const e of list as PerformanceEventTiming[])
      if (e.name === 'keydown' || e.name === 'keyup' || e.name === 'keypress')
        inputs.push({ name: e.name, duration: e.duration, delay: e.processingStart - e.startTime });
  };
  const po = new PerformanceObserver((list) => take(list.getEntries()));
  po.observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
  return {
    stop() {
      take(po.takeRecords());
      po.disconnect();
      return inputs;
    },
  };
}

function observeLongTasks(): { stop: () => LongTask[] } {
  const tasks: LongTask[] = [];
  const po = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
  });
  po.observe({ type: 'longtask', buffered: false });
  return {
    stop() {
      for (const e of po.takeRecords()) tasks.push({ start: e.startTime, duration: e.duration });
      po.disconnect();
      return tasks;
    },
  };
}

/** A book cover (a JPEG as a camera or scanner gives it: gradients, noise, text). */
async function coverJpeg(seed: number, width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no canvas');
  const g = ctx.createLinearGradient(0, 0, width, height);
  g.addColorStop(0, `hsl(${seed * 97} 60% 35%)`);
  g.addColorStop(1, `hsl(${seed * 97 + 140} 70% 70%)`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, width, height);
  const img = ctx.getImageData(0, 0, width, height);
  let x = seed + 1;
  for (let i = 0; i < img.data.length; i += 4) {
    x = (x * 1103515245 + 12345) >>> 0;
    const n = (x >>> 24) % 24;
    img.data[i] = (img.data[i] ?? 0) + n;
    img.data[i + 1] = (img.data[i + 1] ?? 0) + n;
  }
  ctx.putImageData(img, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.font = `bold ${width / 9}px serif`;
  ctx.fillText('Ұшқан ұя', width / 10, height / 3);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
}

/** Covers and a logo as blob: URLs, as the app's resolver gives them from its image cache. */
async function makeResolver(view: FlashbookView): Promise<AssetResolver> {
  const urls = new Map<string, string>();
  const shown = view.posts.flatMap((p) => p.slides).filter((s) => s.layout === 'book');
  for (const [i, s] of shown.entries())
    urls.set(s.image, URL.createObjectURL(await coverJpeg(i, 800, 1200)));
  urls.set('logo', URL.createObjectURL(await coverJpeg(99, 240, 240)));
  return {
    url: (id) => urls.get(id),
    load: (id) => {
      const u = urls.get(id);
      return u ? Promise.resolve(u) : Promise.reject(new Error(`no asset ${id}`));
    },
    subscribe: () => () => {},
  };
}

/**
 * A whole export (draw, encode, check, ZIP) of `count` slides, with the long tasks it caused, and
 * how late a click-like task posted every 25 ms ran (the editor's responsiveness).
 */
async function benchExport(count: number, legacy: boolean, slidesPerImage?: number) {
  const view = makeFlashbook(count);
  const plan = planExport(view);
  const resolver = await makeResolver(view);
  const long = observeLongTasks();
  const inputs = observeInputs();
  const marks: { done: number; phase: string; at: number }[] = [];
  const delays: number[] = [];
  let running = true;
  const probe = () => {
    const posted = performance.now();
    setTimeout(() => {
      delays.push(performance.now() - posted);
      if (running) setTimeout(probe, 25);
    }, 0);
  };
  probe();
  const start = performance.now();
  const result = await runExport(view, plan, {
    resolver,
    legacy,
    slidesPerImage,
    onProgress: (p) => marks.push({ done: p.done, phase: p.phase, at: performance.now() }),
  });
  const total = performance.now() - start;
  running = false;
  await new Promise((r) => setTimeout(r, 100));
  return {
    legacy,
    marks,
    slides: plan.slideCount,
    total,
    zipBytes: result.zip.size,
    missing: result.missingAssets,
    blocked: plan.blocked,
    longTasks: long.stop(),
    inputs: inputs.stop(),
    delays,
  };
}

/** Decoded pixels of an encoded image. */
async function pixels(data: Uint8Array, type: string): Promise<ImageData> {
  const bitmap = await createImageBitmap(new Blob([data as Uint8Array<ArrayBuffer>], { type }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no canvas');
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

/**
 * The same flashbook exported by the product and by the legacy path: for every image of the ZIP,
 * its pixel size in both and how many pixels differ by more than `tolerance` in some channel.
 */
async function compareExports(
  count: number,
  type: 'image/jpeg' | 'image/png',
  tolerance: number,
  theme?: string,
  /** 'none': the fonts' subsets start empty and grow with every slide (see ExportRun). */
  characters?: 'none',
) {
  const view = makeFlashbook(count, theme);
  const resolver = await makeResolver(view);
  const plan = planExport(view, { imageType: type });
  const unpack = async (legacy: boolean) => {
    const result = await runExport(view, plan, {
      resolver,
      legacy,
      characters: characters === 'none' ? new Set() : undefined,
    });
    if (result.missingAssets.length > 0) throw new Error(`missing ${result.missingAssets.join()}`);
    return unzipSync(new Uint8Array(await result.zip.arrayBuffer()));
  };
  const before = await unpack(true);
  performance.clearMeasures('export:subset');
  const after = await unpack(false);
  /** Faces the product's export subset (each face once, unless slides added characters). */
  const subsets = performance.getEntriesByName('export:subset').length;
  const images = Object.keys(before).filter((p) => /\.(jpg|png)$/.test(p));
  const out = [];
  for (const path of images) {
    const a = before[path];
    const b = after[path];
    if (!a || !b) {
      out.push({ path, missing: true });
      continue;
    }
    const pa = await pixels(a, type);
    const pb = await pixels(b, type);
    let differing = pa.width * pa.height;
    if (pa.width === pb.width && pa.height === pb.height) {
      differing = 0;
      for (let i = 0; i < pa.data.length; i += 4) {
        const d = Math.max(
          Math.abs((pa.data[i] ?? 0) - (pb.data[i] ?? 0)),
          Math.abs((pa.data[i + 1] ?? 0) - (pb.data[i + 1] ?? 0)),
          Math.abs((pa.data[i + 2] ?? 0) - (pb.data[i + 2] ?? 0)),
        );
        if (d > tolerance) differing++;
      }
    }
    out.push({
      path,
      legacy: { width: pa.width, height: pa.height, bytes: a.length },
      product: { width: pb.width, height: pb.height, bytes: b.length },
      differing,
      sameBytes: a.length === b.length && a.every((x, i) => x === b[i]),
    });
  }
  return {
    format: { width: plan.width, height: plan.height },
    subsets,
    files: Object.keys(after),
    images: out,
  };
}

Object.assign(window, { benchExport, compareExports });
// What the benchmark types into while an export runs (bench/export.ts): a handler that updates the
// page, as the editor's fields do.
const field = document.createElement('input');
field.setAttribute('aria-label', 'typing during the export');
const echo = document.createElement('p');
field.addEventListener('input', () => (echo.textContent = field.value.slice(-40)));
document.body.append(field, echo);
document.body.dataset['ready'] = 'true';
