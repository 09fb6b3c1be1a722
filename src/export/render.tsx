import { toCanvas } from 'html-to-image';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { SlideView } from '../model/flashbook.ts';
import { FORMATS, type Format } from '../model/instagram.ts';
import type { AssetResolver } from '../slide/asset-resolver.ts';
import { BrowserSlides } from '../slide/browser.tsx';
import { Slide, slideAssetIds, type SlideDesign } from '../slide/Slide.tsx';
import type { FitStatus } from '../typography/readability.ts';
import {
  embedFaces,
  normalizeFamily,
  selectFaces,
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

export interface RendererOptions {
  format: Format;
  flashbookTitle: string;
  design: SlideDesign;
  resolver: AssetResolver | null;
  capture?: CaptureFn;
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
  /** Assets that could not be loaded (the slide is exported without them). */
  readonly missingAssets = new Set<string>();
  /** How the text of the slide last rendered fits (`overflow`: the image shows it cut). */
  lastFit: FitStatus = 'ok';

  constructor(private readonly options: RendererOptions) {
    const size = FORMATS[options.format];
    this.width = size.width;
    this.height = size.height;
    this.capture = options.capture ?? htmlToImageCapture;
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

  /** Renders one slide into a canvas of the format's exact size. */
  async renderCanvas(slide: SlideView): Promise<HTMLCanvasElement> {
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
    const fontCss = selectFaces(this.faces, fonts.uses, fonts.text)
      .map((f) => f.css)
      .join('\n');
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
    const canvas = await this.renderCanvas(slide);
    try {
      return await new Promise<Blob>((resolve, reject) =>
        canvas.toBlob(
          (blob) => (blob ? resolve(blob) : reject(new Error('the image could not be encoded'))),
          type,
          quality,
        ),
      );
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

/** Gives the browser a turn (input, paint) between two slides. */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function fitOf(frame: HTMLElement): FitStatus {
  const fit = frame.querySelector('.slide')?.getAttribute('data-fit');
  return fit === 'overflow' || fit === 'tight' ? fit : 'ok';
}
