import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { buildExhibition, type Exhibition } from '../../src/exhibition/content.ts';
import { pageFaces, renderExhibitionPage } from '../../src/exhibition/page.tsx';
import { pageChromeText } from '../../src/exhibition/strings.ts';
import { readFlashbook, type FlashbookView } from '../../src/model/flashbook.ts';
import { embedSnippet } from '../../src/protocol/exhibition.ts';
import { pageFonts } from './fonts.ts';
import type { Publication } from './store.ts';

/** The slide layer's stylesheet, for the Instagram view's slides (read once). */
const SLIDE_CSS = readFileSync(
  fileURLToPath(new URL('../../src/slide/slide.css', import.meta.url)),
  'utf8',
);

/** A publication read from its frozen state: what the page, its images and the ZIP are made of. */
export interface Frozen {
  publication: Publication;
  view: FlashbookView;
  exhibition: Exhibition;
  /** Asset ids the page shows (covers, logo, social preview): the only images served under it. */
  images: Set<string>;
  /** Font families of the theme (the only font files served under it). */
  families: string[];
  /** The rendered page by encoding and canonical address (one per host name it is reached by). */
  pages: Map<string, Buffer>;
}

export function freeze(publication: Publication): Frozen | undefined {
  if (!publication.state) return undefined;
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, publication.state);
    const view = readFlashbook(doc);
    const exhibition = buildExhibition(view, publication.posts);
    const images = new Set<string>();
    for (const section of exhibition.sections)
      for (const slide of section.post.slides) if (slide.image) images.add(slide.image);
    if (view.logo) images.add(view.logo);
    const og = ogImageId(publication, exhibition);
    if (og) images.add(og);
    const families = [...new Set(pageFaces(view.theme).map((f) => f.family))];
    return { publication, view, exhibition, images, families, pages: new Map() };
  } finally {
    doc.destroy();
  }
}

/**
 * The social preview: the cover slide as a JPEG the editor rendered with the export renderer at
 * publishing (the server has no browser to draw slides); without one, the first book cover.
 */
export function ogImageId(publication: Publication, exhibition: Exhibition): string | undefined {
  if (publication.ogImage) return publication.ogImage;
  return exhibition.books.find((b) => b.slide.image)?.slide.image;
}

export interface RenderTarget {
  /** Absolute page address, e.g. https://studio.example.kz/e/slug. */
  canonicalUrl: string;
  /** Absolute origin + path prefix for og:image, e.g. https://studio.example.kz/e/slug/. */
  absoluteBase: string;
  /** Prefix of the page's own files: `/e/<slug>/` online, `` (relative) in the ZIP. */
  base: string;
  /** Image file names: `images/<id>` online, `images/<id>.jpg` in the ZIP. */
  imageName: (assetId: string) => string;
  /** Online pages link the ZIP and the embed snippet; the ZIP itself does not. */
  online: boolean;
}

export function renderPage(frozen: Frozen, target: RenderTarget) {
  const { exhibition, view, publication } = frozen;
  const fonts = pageFonts(
    pageFaces(view.theme),
    `${exhibition.text}\n${pageChromeText(exhibition.lang, publication.publishedAt ?? 0)}`,
    `${target.base}fonts/`,
  );
  const og = ogImageId(publication, exhibition);
  const html = renderExhibitionPage({
    exhibition,
    view,
    publishedAt: publication.publishedAt ?? 0,
    canonicalUrl: target.canonicalUrl,
    ogImageUrl: og ? `${target.absoluteBase}images/${og}` : undefined,
    assetHref: (id) => `${target.base}${target.imageName(id)}`,
    fontCss: fonts.css,
    slideCss: SLIDE_CSS,
    downloadHref: target.online ? `${target.base}exhibition.zip` : undefined,
    embedSnippet: target.online ? embedSnippet(target.canonicalUrl, exhibition.title) : undefined,
  });
  return { html, fontFiles: fonts.files };
}
