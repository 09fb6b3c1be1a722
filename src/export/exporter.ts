import type { FlashbookView } from '../model/flashbook.ts';
import type { AssetResolver } from '../slide/asset-resolver.ts';
import { imageInfo } from './image-info.ts';
import {
  ALT_TEXT_FILE,
  CAPTION_FILE,
  JPEG_QUALITY,
  MANIFEST_FILE,
  buildManifest,
  imageProblem,
  type ExportPlan,
  type Manifest,
} from './plan.ts';
import { exportCharacters } from './fonts.ts';
import { SlideRenderer, yieldToBrowser, type CaptureFn, type SlideSnapshot } from './render.tsx';
import { ExportWorker } from './worker-client.ts';
import { designOf } from '../slide/Slide.tsx';
import { zipPackage, type PackageFile } from './zip.ts';

/**
 * Runs an export plan in the browser: draws every slide (one at a time, giving the browser a turn
 * between the steps of each so the page stays responsive), encodes the images in a worker while the
 * next slide is drawn, checks each image's type and size, writes captions, alt text and the
 * manifest, and packs the ZIP in the worker. Cancelled through `signal`.
 */

export interface ExportProgress {
  /** Slides rendered so far. */
  done: number;
  total: number;
  phase: 'slides' | 'zip';
}

export interface ExportRun {
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  resolver: AssetResolver | null;
  /**
   * The export as it was before it was made faster (html-to-image, encoding and ZIP on the page):
   * the benchmark's baseline and the browser tests' reference image. The product never sets it.
   */
  legacy?: boolean;
  /** Replaces html-to-image in the legacy path (the benchmark compared libraries). */
  capture?: CaptureFn;
  /** Slides drawn from one SVG image (`SLIDES_PER_IMAGE`; the benchmark varies it). */
  slidesPerImage?: number;
  /**
   * The characters the fonts are first subset to (default `exportCharacters` of the flashbook).
   * The browser test starts from none, so that every slide adds characters and the faces are
   * subset again mid-export.
   */
  characters?: ReadonlySet<number>;
  /**
   * Slides whose text does not fit that the librarian chose to export anyway (cut). Any other slide
   * whose text does not fit stops the export: a cut image is never produced silently.
   */
  allowCut?: ReadonlySet<string>;
  now?: () => Date;
}

export interface ExportResult {
  zip: Blob;
  manifest: Manifest;
  /** Asset ids or URLs that could not be loaded. */
  missingAssets: string[];
}

/**
 * Slides drawn from one SVG image: the browser reads the embedded fonts (most of the image's bytes
 * and of its parsing) once for all of them. The image is parsed in one task the page cannot
 * interrupt, so more slides would make that task longer (bench/README.md, "Export").
 */
export const SLIDES_PER_IMAGE = 4;

/**
 * The most characters of slide markup (covers and logos inlined as data: URLs) one SVG image takes
 * when it has more than one slide. Chromium parses an image, its fonts and its pictures in one task
 * the page cannot interrupt, in time about proportional to its size (measured: some 25 ms for
 * 600 KB of inlined JPEG, bench/README.md "Export"): a slide with a large cover is drawn from an
 * image of its own rather than with three others.
 */
export const MARKUP_PER_IMAGE = 400_000;

export class TextDoesNotFit extends Error {
  constructor(readonly slideId: string) {
    super(`the text of slide ${slideId} does not fit`);
    this.name = 'TextDoesNotFit';
  }
}

export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled');
    this.name = 'ExportCancelled';
  }
}

export async function runExport(
  view: FlashbookView,
  plan: ExportPlan,
  run: ExportRun,
): Promise<ExportResult> {
  const check = () => {
    if (run.signal?.aborted) throw new ExportCancelled();
  };
  check();
  if (plan.blocked) throw new Error('this export is blocked: see the problems listed');
  const legacy = run.legacy === true;
  const worker = !legacy && ExportWorker.supported() ? new ExportWorker() : null;
  const design = designOf(view);
  const renderer = new SlideRenderer({
    format: plan.format,
    flashbookTitle: view.title,
    design,
    resolver: run.resolver,
    legacy,
    capture: run.capture,
    worker,
    characters: run.characters ?? exportCharacters(view, design),
  });
  const files: PackageFile[] = [];
  const total = plan.slideCount;
  const quality = plan.imageType === 'image/jpeg' ? JPEG_QUALITY : undefined;
  let done = 0;
  /** Images being encoded (in the worker) while the next slides are drawn, in carousel order. */
  const encoding: { path: string; data: Promise<Uint8Array>; index: number }[] = [];
  const settle = async (keep: number) => {
    while (encoding.length > keep) {
      const next = encoding.shift();
      if (!next) break;
      const data = await next.data;
      const problem = imageProblem(next.path, imageInfo(data), data.length, plan);
      if (problem) throw new Error(problem);
      files[next.index] = { path: next.path, data };
      done++;
      run.onProgress?.({ done, total, phase: 'slides' });
    }
  };
  /** Slides laid out, waiting to be drawn together (they share one SVG image and its fonts). */
  let batch: { snapshot: SlideSnapshot; path: string; index: number }[] = [];
  let batchMarkup = 0;
  const batchSize = Math.max(1, run.slidesPerImage ?? SLIDES_PER_IMAGE);
  const flush = () => {
    batchMarkup = 0;
    if (batch.length === 0) return;
    const drawn = renderer.rasterize(batch.map((b) => b.snapshot));
    batch.forEach((b, i) => {
      const data = drawn.then((bitmaps) => {
        const bitmap = bitmaps[i];
        if (!bitmap) throw new Error('the slide was not drawn');
        return renderer.encode(bitmap, plan.imageType, quality);
      });
      // Checked in order by `settle`; a failure before then must not go unhandled.
      data.catch(() => {});
      encoding.push({ path: b.path, data, index: b.index });
    });
    batch = [];
  };
  try {
    run.onProgress?.({ done, total, phase: 'slides' });
    for (const post of plan.posts) {
      for (const s of post.slides) {
        check();
        if (legacy) {
          const blob = await renderer.render(s.slide, plan.imageType, quality);
          if (renderer.lastFit === 'overflow' && !run.allowCut?.has(s.slideId))
            throw new TextDoesNotFit(s.slideId);
          encoding.push({
            path: s.path,
            data: blob.arrayBuffer().then((b) => new Uint8Array(b)),
            index: files.length,
          });
          files.push({ path: s.path, data: '' }); // its place; filled by `settle`
          await settle(0);
        } else {
          const snapshot = await renderer.snapshot(s.slide);
          if (renderer.lastFit === 'overflow' && !run.allowCut?.has(s.slideId))
            throw new TextDoesNotFit(s.slideId);
          // Drawn and encoded while the next slides are laid out; one batch in flight at most
          // (more would only hold memory and compete for the same cores).
          if (batch.length > 0 && batchMarkup + snapshot.markup.length > MARKUP_PER_IMAGE) {
            flush();
            await settle(batchSize);
          }
          batch.push({ snapshot, path: s.path, index: files.length });
          batchMarkup += snapshot.markup.length;
          files.push({ path: s.path, data: '' }); // its place; filled by `settle`
          if (batch.length >= batchSize) {
            flush();
            await settle(batchSize);
          }
        }
        await yieldToBrowser();
      }
      files.push({ path: `${post.folder}/${CAPTION_FILE}`, data: post.caption });
      files.push({ path: `${post.folder}/${ALT_TEXT_FILE}`, data: post.altTextFile });
    }
    flush();
    await settle(0);
    check();
    run.onProgress?.({ done, total, phase: 'zip' });
    await yieldToBrowser();
    const now = run.now?.() ?? new Date();
    const encoder = new TextEncoder();
    const sizes = new Map(
      files.map((f) => [
        f.path,
        typeof f.data === 'string' ? encoder.encode(f.data).length : f.data.length,
      ]),
    );
    const manifest = buildManifest(plan, view.hashtags, sizes, now);
    files.push({ path: MANIFEST_FILE, data: JSON.stringify(manifest, null, 2) + '\n' });
    const zipped = worker ? await worker.zip(files, now) : zipPackage(files, now);
    check();
    return {
      zip: new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
      manifest,
      missingAssets: [...renderer.missingAssets],
    };
  } finally {
    renderer.dispose();
    worker?.dispose();
  }
}

/** Offers a file to the user as a download. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: the download starts asynchronously and needs the URL until then.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
