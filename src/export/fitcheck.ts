import type { FlashbookView, SlideView } from '../model/flashbook.ts';
import type { FitStatus } from '../typography/readability.ts';
import type { AssetResolver } from '../slide/asset-resolver.ts';
import { SlideRenderer, yieldToBrowser } from './render.tsx';
import { designOf } from '../slide/Slide.tsx';

/**
 * Lays out slides as the export will (same component, size and fonts, no capture) and tells how
 * each one's text fits, so the export dialog can list the slides whose text would be cut before
 * any image is made.
 */
export async function checkFit(
  view: FlashbookView,
  slides: readonly SlideView[],
  resolver: AssetResolver | null,
  signal?: AbortSignal,
): Promise<Map<string, FitStatus>> {
  const renderer = new SlideRenderer({
    format: view.format,
    flashbookTitle: view.title,
    design: designOf(view),
    resolver,
  });
  const out = new Map<string, FitStatus>();
  try {
    for (const slide of slides) {
      if (signal?.aborted) break;
      out.set(slide.id, await renderer.measure(slide));
      await yieldToBrowser();
    }
  } finally {
    renderer.dispose();
  }
  return out;
}
