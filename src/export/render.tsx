import { toCanvas } from 'html-to-image';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { SlideView } from '../model/flashbook.ts';
import { FORMATS, type Format } from '../model/instagram.ts';
import type { AssetResolver } from '../slide/asset-resolver.ts';
import { BrowserSlides } from '../slide/browser.tsx';
import { Slide, slideAssetIds, type SlideDesign } from '../slide/Slide.tsx';
import type { FitStatus } from '../typography/readability.ts';
import type { ExportWorker } from './worker-client.ts';
import {
  DataUrlCache,
  inheritedStyle,
  loadSvg,
  pageRules,
  slideMarkup,
  slidesSvg,
  warmFonts,
  type SlideMarkup,
} from './capture.ts';
import {
  embedFaces,
  normalizeFamily,
  selectFaces,
  subsetFace,
  type EmbeddedFace,
  type FontUse,
} from './fonts.ts';

/**
 * Renders slides to images in the browser: the editor's own `Slide` component, mounted off-screen at
 * scale 1 inside the same BrowserSlides (images, text fitting), captured with html-to-image (SVG foreignObject → canvas).
 *
 * What makes the pixels right and repeatable (src/export/README.md, "Decisions"):
 * - `pixelRatio: 1`: the canvas is exactly the format's size whatever the screen's density;
 * - fonts: before the first capture every face the slide uses is loaded with Kazakh sample text
 *   (`document.fonts.load`), and the @font-face CSS (woff2 as data: URLs, see fonts.ts) is computed
 *   once and passed as `fontEmbedCSS` — the SVG image cannot see the page's fonts, only embedded ones;
 * - images: every asset is loaded through the resolver (blob: URLs) and decoded before capture;
 * - each slide is mounted fresh after its fonts are loaded, so text fitting measures real metrics.
 */

/** Kazakh-specific letters (cyrillic-ext subset), Russian, Latin, digits and typographic marks. */
export const FONT_SAMPLE = 'ӘәҒғҚқҢңӨөҰұҮүҺһІі ЁёЙйЩщЫы AaÄäĞğŞş 0123456789 «»„“—–…№';

export interface CaptureOptions {
  width: number;
  height: number;
  /** @font-face rules with the fonts inlined, computed once per export. */
  fontEmbedCSS: string;
}

/** Draws a DOM node into a canvas of exactly `width`×`height` pixels. */
export type CaptureFn = (node: HTMLElement, options: CaptureOptions) => Promise<HTMLCanvasElement>;

export const htmlToImageCapture: CaptureFn = (node, { width, height, fontEmbedCSS }) =>
  toCanvas(node, {
    pixelRatio: 1,
    width,
    height,
    canvasWidth: width,
    canvasHeight: height,
    fontEmbedCSS,
    skipAutoScale: true,
  });

/** A slide laid out and written down (`SlideRenderer.snapshot`), with the font faces it uses. */
export interface SlideSnapshot extends SlideMarkup {
  /** As they will be embedded (subset, warmed: `SlideRenderer.embedded`). */
  faces: Promise<EmbeddedFace[]>;
}

export interface RendererOptions {
  format: Format;
  flashbookTitle: string;
  design: SlideDesign;
  resolver: AssetResolver | null;
  /**
   * Today's path before the export was made faster (html-to-image's capture with `capture`, the
   * page's `toBlob`): kept callable so that the benchmark measures against it in the same run and
   * the browser tests compare the images. The product never sets it.
   */
  legacy?: boolean;
  /** Replaces html-to-image in the legacy path (the benchmark compared libraries). */
  capture?: CaptureFn;
  /** Encodes off the page's thread; without it the page encodes (`toBlob`). */
  worker?: ExportWorker | null;
  /**
   * The characters the slides are expected to draw (`exportCharacters`): with a worker, the fonts
   * are embedded subset to them (fonts.ts `subsetFace`); a slide drawing others adds them.
   */
  characters?: ReadonlySet<number>;
}

export class SlideRenderer {
  readonly width: number;
  readonly height: number;
  private readonly host: HTMLDivElement;
  private readonly root: Root;
  private readonly capture: CaptureFn;
  private readonly loadedFaces = new Set<FontFace>();
  private readonly embeddedFamilies = new Set<string>();
  private readonly faces: EmbeddedFace[] = [];
  private lastFontCss = '';
  private mounts = 0;
  private rules: ReturnType<typeof pageRules> | undefined;
  private hostStyle: string | undefined;
  /** Faces drawn once (`warm`), or being drawn. */
  private readonly warmed = new Map<EmbeddedFace, Promise<unknown>>();
  private readonly dataUrls = new DataUrlCache();
  /** The characters the subsets cover; null: fonts are embedded whole. */
  private readonly characters: Set<number> | null;
  /** Each face's subset to `characters` (cleared when a slide adds characters). */
  private subsets = new Map<EmbeddedFace, Promise<EmbeddedFace>>();
  /** Assets that could not be loaded (the slide is exported without them). */
  readonly missingAssets = new Set<string>();
  /** How the text of the slide last rendered fits (`overflow`: the image shows it cut). */
  lastFit: FitStatus = 'ok';

  constructor(private readonly options: RendererOptions) {
    const size = FORMATS[options.format];
    this.width = size.width;
    this.height = size.height;
    this.capture = options.capture ?? htmlToImageCapture;
    this.characters =
      options.worker && options.characters && !options.legacy ? new Set(options.characters) : null;
    // Off-screen but laid out and painted normally: hidden or transparent hosts would be copied
    // into the image as such, since the capture copies computed styles.
    this.host = document.createElement('div');
    this.host.setAttribute('aria-hidden', 'true');
    this.host.dataset['exportHost'] = '';
    Object.assign(this.host.style, {
      position: 'fixed',
      left: '-20000px',
      top: '0',
      width: `${this.width}px`,
      height: `${this.height}px`,
      overflow: 'hidden',
      pointerEvents: 'none',
      contain: 'strict',
    });
    document.body.appendChild(this.host);
    this.root = createRoot(this.host);
  }

  /**
   * Mounts the slide with its fonts and images loaded (so that text fitting measures real metrics)
   * and returns it with the font faces it uses and its text.
   */
  private async prepare(
    slide: SlideView,
  ): Promise<{ frame: HTMLElement; faces: EmbeddedFace[]; text: string }> {
    await this.loadAssets(slide);
    let frame = this.mount(slide);
    if (await this.loadFonts(frame)) frame = this.mount(slide); // re-measure with the real fonts
    await this.decodeImages(frame);
    this.lastFit = fitOf(frame);
    const fonts = fontUses(frame);
    const fresh = [...new Set(fonts.uses.flatMap((u) => u.families))].filter(
      (f) => !this.embeddedFamilies.has(f),
    );
    if (fresh.length > 0) {
      // Once per export in practice: every slide of a flashbook uses its theme's two families.
      this.faces.push(...(await embedFaces(new Set(fresh))));
      for (const f of fresh) this.embeddedFamilies.add(f);
    }
    return { frame, faces: selectFaces(this.faces, fonts.uses, fonts.text), text: fonts.text };
  }

  /**
   * The faces as embedded, warmed (`warmFonts`) in the background: subset to the export's
   * characters when there is a worker (a face that cannot be subset is embedded whole). A slide
   * that draws a character the subsets lack adds it, and the faces are subset anew (the slides
   * before keep the subsets they were drawn with). Not awaited by `snapshot`: the next slides are
   * laid out while the worker subsets.
   */
  private embedded(faces: EmbeddedFace[], text: string): Promise<EmbeddedFace[]> {
    const { characters: chars } = this;
    const worker = this.options.worker;
    if (!chars || !worker) return Promise.resolve(faces);
    let grew = false;
    for (const ch of text) {
      const c = ch.codePointAt(0) ?? 0x20;
      if (!chars.has(c)) {
        chars.add(c);
        grew = true;
      }
    }
    if (grew) this.subsets = new Map();
    const subsets = Promise.all(
      faces.map((face) => {
        let sub = this.subsets.get(face);
        if (!sub) {
          const t = performance.now();
          sub = subsetFace(face, chars, worker).then(
            (s) => (measure('subset', t), s),
            () => face,
          );
          this.subsets.set(face, sub);
        }
        return sub;
      }),
    );
    subsets.then((f) => this.warm(f)).catch(() => {}); // awaited again by `rasterize`
    return subsets;
  }

  /** Draws each face not drawn before once, so that the SVG images find it loaded. */
  private warm(faces: readonly EmbeddedFace[]): Promise<unknown> {
    const cold = faces.filter((f) => !this.warmed.has(f));
    if (cold.length > 0) {
      const done = warmFonts(cold);
      done.catch(() => {}); // reported where `rasterize` awaits it
      for (const f of cold) this.warmed.set(f, done);
    }
    return Promise.all(faces.map((f) => this.warmed.get(f)));
  }

  /** The legacy path (html-to-image): one slide into a canvas of the format's exact size. */
  async renderCanvas(slide: SlideView): Promise<HTMLCanvasElement> {
    const { frame, faces } = await this.prepare(slide);
    const fontCss = faces.map((f) => f.css).join('\n');
    this.lastFontCss = fontCss;
    const canvas = await this.capture(frame, {
      width: this.width,
      height: this.height,
      fontEmbedCSS: `${fontCss}\n${exactFontSizes(frame)}`,
    });
    if (canvas.width !== this.width || canvas.height !== this.height)
      throw new Error(
        `capture gave ${canvas.width}×${canvas.height}, expected ${this.width}×${this.height}`,
      );
    return canvas;
  }

  /**
   * Lays one slide out and writes it down for `rasterize` (capture.ts); `lastFit` tells how its text
   * fits. The renderer's host is free again when this resolves: the next slide can be laid out
   * while this one is drawn.
   */
  async snapshot(slide: SlideView): Promise<SlideSnapshot> {
    const t0 = performance.now();
    const { frame, faces, text } = await this.prepare(slide);
    measure('prepare', t0);
    await yieldToBrowser();
    const t1 = performance.now();
    this.rules ??= pageRules();
    this.hostStyle ??= inheritedStyle(this.host);
    const markup = await slideMarkup(frame, this.rules, this.dataUrls);
    for (const url of this.dataUrls.failed) this.missingAssets.add(url);
    measure('markup', t1);
    return { ...markup, faces: this.embedded(faces, text) };
  }

  /**
   * Draws slides (from `snapshot`) into bitmaps of the format's exact size, in one SVG image
   * (they share its fonts), one slide per task.
   */
  async rasterize(slides: readonly SlideSnapshot[]): Promise<ImageBitmap[]> {
    const used = new Set((await Promise.all(slides.map((s) => s.faces))).flat());
    await this.warm([...used]);
    const t0 = performance.now();
    const svg = await slidesSvg(
      {
        width: this.width,
        height: this.height,
        hostStyle: this.hostStyle ?? inheritedStyle(this.host),
        lang: this.host.closest('[lang]')?.getAttribute('lang') ?? '',
        rules: this.rules ?? pageRules(),
        fontCss: [...used].map((f) => f.css).join('\n'),
        slides,
      },
      this.dataUrls,
    );
    measure('svg', t0);
    await yieldToBrowser();
    const t1 = performance.now();
    const { image, parseMs } = await loadSvg(svg);
    performance.measure('export:parse', { start: t1, duration: parseMs });
    measure('load', t1);
    const out: ImageBitmap[] = [];
    for (let i = 0; i < slides.length; i++) {
      await yieldToBrowser();
      const t2 = performance.now();
      const canvas = new OffscreenCanvas(this.width, this.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D canvas');
      const { width: w, height: h } = this;
      ctx.drawImage(image, 0, i * h, w, h, 0, 0, w, h);
      out.push(canvas.transferToImageBitmap());
      measure('raster', t2);
    }
    return out;
  }

  /** Encodes a drawn slide (JPEG at `quality`, or PNG) in the worker, else on the page. */
  async encode(bitmap: ImageBitmap, type: string, quality?: number): Promise<Uint8Array> {
    const worker = this.options.worker;
    if (worker) return worker.encode(bitmap, type, quality);
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    bitmap.close();
    try {
      return new Uint8Array(await (await canvasBlob(canvas, type, quality)).arrayBuffer());
    } finally {
      canvas.width = 0;
      canvas.height = 0;
    }
  }

  /** How a slide's text fits, laid out with the real fonts as the export draws it; no capture. */
  async measure(slide: SlideView): Promise<FitStatus> {
    await this.loadAssets(slide);
    let frame = this.mount(slide);
    if (await this.loadFonts(frame)) frame = this.mount(slide);
    await this.decodeImages(frame);
    return fitOf(frame);
  }

  /** Renders one slide and encodes it (JPEG at `quality`, or PNG). */
  async render(slide: SlideView, type: string, quality?: number): Promise<Blob> {
    if (!this.options.legacy) {
      const [bitmap] = await this.rasterize([await this.snapshot(slide)]);
      if (!bitmap) throw new Error('the slide was not drawn');
      const data = await this.encode(bitmap, type, quality);
      return new Blob([data as Uint8Array<ArrayBuffer>], { type });
    }
    const canvas = await this.renderCanvas(slide);
    try {
      return await canvasBlob(canvas, type, quality);
    } finally {
      // Canvas memory is freed only when the canvas shrinks or is collected; 40 slides add up.
      canvas.width = 0;
      canvas.height = 0;
    }
  }

  /** The size of the font CSS embedded into the last slide, for the benchmark. */
  get fontCssLength(): number {
    return this.lastFontCss.length;
  }

  dispose(): void {
    this.root.unmount();
    this.host.remove();
  }

  private mount(slide: SlideView): HTMLElement {
    const { format, flashbookTitle, design, resolver } = this.options;
    const key = ++this.mounts;
    flushSync(() =>
      this.root.render(
        <BrowserSlides assets={resolver}>
          <Slide
            key={key}
            slide={slide}
            format={format}
            width={this.width}
            flashbookTitle={flashbookTitle}
            design={design}
          />
        </BrowserSlides>,
      ),
    );
    const frame = this.host.firstElementChild;
    if (!(frame instanceof HTMLElement)) throw new Error('the slide did not render');
    return frame;
  }

  private async loadAssets(slide: SlideView): Promise<void> {
    const resolver = this.options.resolver;
    if (!resolver) return;
    const ids = slideAssetIds(slide, this.options.design);
    await Promise.all(
      ids.map((id) => resolver.load(id).catch(() => void this.missingAssets.add(id))),
    );
  }

  /** Loads every face the slide uses; true when some face was not loaded before. */
  private async loadFonts(frame: HTMLElement): Promise<boolean> {
    const { uses, text } = fontUses(frame);
    const sample = FONT_SAMPLE + text;
    const specs = new Set(
      uses
        .filter((u) => u.families.length > 0)
        .map((u) => `${u.style} ${u.weight} 40px ${u.families.map((f) => `"${f}"`).join(', ')}`),
    );
    const faces = (await Promise.all([...specs].map((s) => document.fonts.load(s, sample)))).flat();
    await document.fonts.ready;
    let fresh = false;
    for (const face of faces) {
      if (!this.loadedFaces.has(face)) {
        this.loadedFaces.add(face);
        fresh = true;
      }
    }
    return fresh;
  }

  private async decodeImages(frame: HTMLElement): Promise<void> {
    await Promise.all(
      [...frame.querySelectorAll('img')].map(async (img) => {
        if (!img.complete)
          await new Promise<void>((resolve) => {
            img.addEventListener('load', () => resolve(), { once: true });
            img.addEventListener('error', () => resolve(), { once: true });
          });
        await img.decode().catch(() => this.missingAssets.add(img.src));
      }),
    );
  }
}

/**
 * html-to-image copies each element's computed style but writes every font size as
 * `floor(size) - 0.1` px (a workaround of its own for other browsers), so text came out up to 1 px
 * smaller than the editor shows it, and could wrap differently. The element's exact size is kept in
 * an attribute (copied with the node) and restored by a rule inside the captured document.
 */
function exactFontSizes(frame: HTMLElement): string {
  const sizes = new Set<string>();
  for (const el of [frame, ...frame.querySelectorAll<HTMLElement>('*')]) {
    const size = getComputedStyle(el).fontSize;
    el.setAttribute('data-export-font-size', size);
    sizes.add(size);
  }
  return [...sizes]
    .map((size) => `[data-export-font-size="${size}"]{font-size:${size}!important}`)
    .join('\n');
}

const GENERIC = new Set(['serif', 'sans-serif', 'monospace', 'cursive', 'fantasy', 'system-ui']);

/** The fonts a rendered slide uses (elements and their ::before/::after) and all its text. */
function fontUses(frame: HTMLElement): { uses: FontUse[]; text: string } {
  const uses = new Map<string, FontUse>();
  let text = frame.textContent ?? '';
  for (const el of [frame, ...frame.querySelectorAll<HTMLElement>('*')]) {
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (pseudo) {
        if (cs.content === 'none' || cs.content === 'normal') continue;
        text += cs.content.replace(/^["']|["']$/g, '');
      }
      const families = cs.fontFamily
        .split(',')
        .map(normalizeFamily)
        .filter((f) => f && !GENERIC.has(f));
      const use = { families, style: cs.fontStyle, weight: cs.fontWeight };
      uses.set(JSON.stringify(use), use);
    }
  }
  return { uses: [...uses.values()], text };
}

/** A step of the export in the browser's performance timeline (DevTools, the benchmark). */
function measure(step: string, start: number): void {
  performance.measure(`export:${step}`, { start });
}

function canvasBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the image could not be encoded'))),
      type,
      quality,
    ),
  );
}

/**
 * Gives the browser a turn between two steps of the export: continues in a task of `background`
 * priority, so that input, paint, timers and messages (a colleague's edits) all run first.
 * `scheduler.yield()` would continue before ordinary tasks (measured: bench/README.md, "Export").
 */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (
    globalThis as {
      scheduler?: {
        postTask?: (task: () => void, options: { priority: string }) => Promise<void>;
      };
    }
  ).scheduler;
  if (scheduler?.postTask) return scheduler.postTask(() => {}, { priority: 'background' });
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function fitOf(frame: HTMLElement): FitStatus {
  const fit = frame.querySelector('.slide')?.getAttribute('data-fit');
  return fit === 'overflow' || fit === 'tight' ? fit : 'ok';
}
