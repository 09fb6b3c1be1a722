/**
 * The benchmark's page (built by bench/export.ts): renders a 20-slide flashbook through the real
 * export renderer with either capture library, and a whole 40-slide export, recording long tasks.
 */
import '../src/slide/themes/fonts.ts';
import { domToCanvas } from 'modern-screenshot';
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
import {
  SlideRenderer,
  htmlToImageCapture,
  yieldToBrowser,
  type CaptureFn,
} from '../src/export/render.tsx';

const modernScreenshotCapture: CaptureFn = (node, { width, height, fontEmbedCSS }) =>
  domToCanvas(node, {
    width,
    height,
    scale: 1,
    font: { cssText: fontEmbedCSS },
    // No worker: the fonts are inlined already and the images are blob: URLs.
    workerNumber: 0,
  });

export const CAPTURES: Record<string, CaptureFn> = {
  'html-to-image': htmlToImageCapture,
  'modern-screenshot': modernScreenshotCapture,
};

const LAYOUTS: Layout[] = ['book', 'quote', 'text', 'book', 'closing'];

/** A flashbook of `count` slides in posts of up to 10, with Kazakh and Russian text. */
export function makeFlashbook(count: number): FlashbookView {
  const doc = new Y.Doc();
  seedFlashbook(doc, {
    title: 'Соғыс жылдарының әдебиеті: Қазақстан жазушылары 1941–1945',
    hashtags: '#Жеңіс80 #кітапхана',
  });
  let postId = readFlashbook(doc).posts[0]?.id ?? '';
  for (let i = 1; i < count; i++) {
    if (i % 10 === 0) postId = addPost(doc, { layout: 'cover' }).postId;
    else
      addSlide(doc, postId, {
        layout: LAYOUTS[i % LAYOUTS.length],
        ageLabel: i % 3 === 0 ? '12+' : '',
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
  return readFlashbook(doc);
}

interface LongTask {
  start: number;
  duration: number;
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

/** Renders `count` slides one after the other, as the exporter does; times each slide. */
async function benchCapture(lib: string, count: number) {
  const capture = CAPTURES[lib];
  if (!capture) throw new Error(`unknown library ${lib}`);
  const view = makeFlashbook(count);
  const slides = view.posts.flatMap((p) => p.slides);
  const renderer = new SlideRenderer({
    format: view.format,
    flashbookTitle: view.title,
    design: { theme: view.theme, brandColor: view.brandColor, logo: view.logo },
    resolver: null,
    capture,
  });
  const long = observeLongTasks();
  const perSlide: number[] = [];
  const bytes: number[] = [];
  const start = performance.now();
  for (const slide of slides) {
    const t0 = performance.now();
    const blob = await renderer.render(slide, 'image/jpeg', 0.92);
    perSlide.push(performance.now() - t0);
    bytes.push(blob.size);
    await yieldToBrowser();
  }
  const total = performance.now() - start;
  const longTasks = long.stop();
  const fontCss = renderer.fontCssLength;
  renderer.dispose();
  return { lib, slides: slides.length, total, perSlide, bytes, longTasks, fontCss };
}

/** A whole export (render, check, ZIP) of `count` slides, with the long tasks it caused. */
async function benchExport(count: number) {
  const view = makeFlashbook(count);
  const plan = planExport(view);
  const long = observeLongTasks();
  const start = performance.now();
  const marks: { done: number; phase: string; at: number }[] = [];
  const result = await runExport(view, plan, {
    resolver: null,
    onProgress: (p) => marks.push({ done: p.done, phase: p.phase, at: performance.now() }),
  });
  const total = performance.now() - start;
  return {
    marks,
    slides: plan.slideCount,
    total,
    zipBytes: result.zip.size,
    blocked: plan.blocked,
    longTasks: long.stop(),
  };
}

Object.assign(window, { benchCapture, benchExport });
document.body.dataset['ready'] = 'true';

/** The @font-face rules the renderer embeds for a book slide: family, weight, style, subset range. */
async function embeddedFaces() {
  const view = makeFlashbook(2);
  const renderer = new SlideRenderer({
    format: view.format,
    flashbookTitle: view.title,
    design: { theme: view.theme, brandColor: view.brandColor, logo: view.logo },
    resolver: null,
  });
  const slide = view.posts[0]?.slides[1];
  if (!slide) throw new Error('no slide');
  await renderer.renderCanvas(slide);
  const css = (renderer as unknown as { lastFontCss: string }).lastFontCss;
  renderer.dispose();
  return [...css.matchAll(/@font-face\s*{([^}]*)}/g)].map((m) => {
    const body = m[1] ?? '';
    const get = (p: string) => new RegExp(`${p}:\\s*([^;]+)`).exec(body)?.[1]?.slice(0, 60) ?? '';
    return `${get('font-family')} ${get('font-weight')} ${get('font-style')} ${get('unicode-range').slice(0, 20)} src=${body.includes('data:font/woff2') || body.includes('data:application') ? 'data' : get('src').slice(0, 40)}`;
  });
}
Object.assign(window, { embeddedFaces });

/** The first `count` slides of the benchmark flashbook as JPEG bytes (base64), to look at. */
async function samples(count: number): Promise<string[]> {
  const view = makeFlashbook(count);
  const renderer = new SlideRenderer({
    format: view.format,
    flashbookTitle: view.title,
    design: { theme: view.theme, brandColor: view.brandColor, logo: view.logo },
    resolver: null,
  });
  const out: string[] = [];
  for (const slide of view.posts.flatMap((p) => p.slides)) {
    const blob = await renderer.render(slide, 'image/jpeg', 0.92);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    out.push(btoa(bin));
  }
  renderer.dispose();
  return out;
}
Object.assign(window, { samples });
