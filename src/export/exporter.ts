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
import { SlideRenderer, yieldToBrowser, type CaptureFn } from './render.tsx';
import { designOf } from '../slide/Slide.tsx';
import { zipPackage, type PackageFile } from './zip.ts';

/**
 * Runs an export plan in the browser: renders every slide (one at a time, giving the browser a turn
 * between slides so the page stays responsive), checks each image's type and size, writes captions,
 * alt text and the manifest, and packs the ZIP. Cancelled through `signal`.
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
  /** Replaces the capture (the benchmark compares libraries). */
  capture?: CaptureFn;
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
  const renderer = new SlideRenderer({
    format: plan.format,
    flashbookTitle: view.title,
    design: designOf(view),
    resolver: run.resolver,
    capture: run.capture,
  });
  const files: PackageFile[] = [];
  const total = plan.slideCount;
  let done = 0;
  try {
    run.onProgress?.({ done, total, phase: 'slides' });
    for (const post of plan.posts) {
      for (const s of post.slides) {
        check();
        const blob = await renderer.render(
          s.slide,
          plan.imageType,
          plan.imageType === 'image/jpeg' ? JPEG_QUALITY : undefined,
        );
        if (renderer.lastFit === 'overflow' && !run.allowCut?.has(s.slideId))
          throw new TextDoesNotFit(s.slideId);
        const data = new Uint8Array(await blob.arrayBuffer());
        const problem = imageProblem(s.path, imageInfo(data), data.length, plan);
        if (problem) throw new Error(problem);
        files.push({ path: s.path, data });
        done++;
        run.onProgress?.({ done, total, phase: 'slides' });
        await yieldToBrowser();
      }
      files.push({ path: `${post.folder}/${CAPTION_FILE}`, data: post.caption });
      files.push({ path: `${post.folder}/${ALT_TEXT_FILE}`, data: post.altTextFile });
    }
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
    const zipped = zipPackage(files, now);
    check();
    return {
      zip: new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
      manifest,
      missingAssets: [...renderer.missingAssets],
    };
  } finally {
    renderer.dispose();
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
