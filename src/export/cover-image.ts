import type { FlashbookView } from '../model/flashbook.ts';
import type { AssetResolver } from '../slide/asset-resolver.ts';
import { JPEG_QUALITY } from './plan.ts';
import { SlideRenderer } from './render.tsx';
import { designOf } from '../slide/Slide.tsx';

/**
 * The exhibition's social preview (og:image): the cover slide as the same 1080-wide JPEG the
 * Instagram export makes. Drawn here in the editor's browser at publishing, because the server has
 * no browser to draw slides with. Undefined when the published posts have no cover slide.
 */
export async function renderCoverJpeg(
  view: FlashbookView,
  postIds: readonly string[],
  resolver: AssetResolver | null,
): Promise<Blob | undefined> {
  const chosen = new Set(postIds);
  const cover = view.posts
    .filter((p) => chosen.has(p.id))
    .flatMap((p) => p.slides)
    .find((s) => s.layout === 'cover');
  if (!cover) return undefined;
  const renderer = new SlideRenderer({
    format: view.format,
    flashbookTitle: view.title,
    design: designOf(view),
    resolver,
  });
  try {
    return await renderer.render(cover, 'image/jpeg', JPEG_QUALITY);
  } finally {
    renderer.dispose();
  }
}
