import type { FlashbookView, PostView, SlideView } from '../model/flashbook.ts';
import { FORMATS, LIMITS, type Format } from '../model/instagram.ts';
import type { Layout, PostStatus } from '../model/schema.ts';
import {
  assembleCaption,
  captionProblems,
  captionStats,
  charCount,
  parseHashtagList,
  type CaptionProblem,
} from './caption.ts';
import type { ImageInfo } from './image-info.ts';
import { ordinal, slugify } from './slug.ts';
import { draftAltText } from './alttext.ts';

/**
 * What an export package holds, planned before any pixel is drawn: folder and file names, captions,
 * alt text and the problems Instagram would have with each post. Pure: the dialog shows the plan,
 * the exporter follows it, the tests check it without a browser.
 *
 *   manifest.json
 *   01-<slug>/01.jpg, 02.jpg, …, caption.txt, alt-text.txt
 *   02-<slug>/…
 */

export type ImageType = 'image/jpeg' | 'image/png';
export const IMAGE_EXTENSION: Record<ImageType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
};
/** JPEG quality: a dense 1080×1440 slide stays around 0.3–0.6 MB, far under Instagram's 8 MB. */
export const JPEG_QUALITY = 0.92;
/** Instagram accepts files up to 8 MB everywhere; the exporter checks every image against it. */
export const MAX_FILE_BYTES: number = LIMITS.imageFileBytes;

/**
 * Why a rendered image cannot go into the package, or null when it can: it must be the plan's type
 * and exact size (read from its header, see image-info.ts) and within Instagram's file size limit.
 */
export function imageProblem(
  path: string,
  info: ImageInfo | null,
  byteLength: number,
  plan: Pick<ExportPlan, 'imageType' | 'width' | 'height'>,
): string | null {
  if (
    !info ||
    info.type !== plan.imageType ||
    info.width !== plan.width ||
    info.height !== plan.height
  )
    return `${path} is not a ${plan.width}×${plan.height} ${plan.imageType}`;
  if (byteLength > MAX_FILE_BYTES) {
    const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
    return `${path} is ${mb(byteLength)} MB, over Instagram's ${mb(MAX_FILE_BYTES)} MB limit`;
  }
  return null;
}

export const CAPTION_FILE = 'caption.txt';
export const ALT_TEXT_FILE = 'alt-text.txt';
export const MANIFEST_FILE = 'manifest.json';

export type PostIssue =
  /** More slides than a carousel can hold: the post cannot be exported. */
  | { code: 'tooManySlides'; count: number; max: number }
  /** More slides than the publishing API takes (the app takes them). */
  | { code: 'overApiLimit'; count: number; max: number }
  /** No slides: nothing to publish. Skipped in a whole-flashbook export. */
  | { code: 'empty' }
  | { code: 'missingAltText'; slides: number[] }
  | { code: 'altTextTooLong'; slides: number[]; max: number }
  | CaptionProblem;

export const BLOCKING_ISSUES: ReadonlySet<PostIssue['code']> = new Set(['tooManySlides', 'empty']);

export interface PlannedSlide {
  slideId: string;
  /** One-based position in the post. */
  number: number;
  /** Path inside the ZIP, e.g. `01-pamyat/01.jpg`. */
  path: string;
  /** File name inside the post's folder, e.g. `01.jpg`. */
  file: string;
  layout: Layout;
  /** The slide's alt text, or one drafted from the slide when it has none (never empty). */
  altText: string;
  /** True when `altText` was drafted, not written by the librarian. */
  altTextDrafted: boolean;
  slide: SlideView;
}

export interface PlannedPost {
  postId: string;
  /** One-based position in the flashbook (kept when one post is exported alone). */
  number: number;
  folder: string;
  library: string;
  status: PostStatus;
  slides: PlannedSlide[];
  /** The caption as published: the post's caption with the common hashtags appended. */
  caption: string;
  altTextFile: string;
  issues: PostIssue[];
}

export interface ExportPlan {
  /** Suggested name of the ZIP file. */
  zipName: string;
  title: string;
  format: Format;
  width: number;
  height: number;
  imageType: ImageType;
  /** The posts to export, in order. */
  posts: PlannedPost[];
  /** Posts left out because they have no slides. */
  skipped: PlannedPost[];
  /** True when some post cannot be exported (see BLOCKING_ISSUES). */
  blocked: boolean;
  slideCount: number;
}

export interface PlanOptions {
  /** Export only this post; the whole flashbook when absent. */
  postId?: string;
  imageType?: ImageType;
}

/** A short name for a slide: its title, else its quote, author or text. */
export function slideName(slide: SlideView): string {
  const f = slide.fields;
  return (f.title || f.quote || f.author || slide.bodyText).replace(/\s+/g, ' ').trim();
}

/** The alt text of a slide, on one line (alt-text.txt has one line per image). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function checkPost(post: PostView, flashbookHashtags: string): PostIssue[] {
  const issues: PostIssue[] = [];
  const count = post.slides.length;
  if (count === 0) issues.push({ code: 'empty' });
  if (count > LIMITS.carouselSlidesApp)
    issues.push({ code: 'tooManySlides', count, max: LIMITS.carouselSlidesApp });
  else if (count > LIMITS.carouselSlidesApi)
    issues.push({ code: 'overApiLimit', count, max: LIMITS.carouselSlidesApi });
  const missing = post.slides.flatMap((s, i) => (oneLine(s.fields.altText) ? [] : [i + 1]));
  if (count > 0 && missing.length > 0) issues.push({ code: 'missingAltText', slides: missing });
  const long = post.slides.flatMap((s, i) =>
    charCount(oneLine(s.fields.altText)) > LIMITS.altTextChars ? [i + 1] : [],
  );
  if (long.length > 0)
    issues.push({ code: 'altTextTooLong', slides: long, max: LIMITS.altTextChars });
  issues.push(...captionProblems(captionStats(assembleCaption(post.caption, flashbookHashtags))));
  return issues;
}

export function isBlocking(issue: PostIssue): boolean {
  return BLOCKING_ISSUES.has(issue.code);
}

export function planExport(view: FlashbookView, options: PlanOptions = {}): ExportPlan {
  const imageType = options.imageType ?? 'image/jpeg';
  const ext = IMAGE_EXTENSION[imageType];
  const size = FORMATS[view.format];
  const total = view.posts.length;
  const planned = view.posts.flatMap((post, index): PlannedPost[] => {
    if (options.postId && post.id !== options.postId) return [];
    const first = post.slides[0];
    const folder = `${ordinal(index, total)}-${slugify(first ? slideName(first) : '', { fallback: 'post' })}`;
    const slides = post.slides.map((slide, i): PlannedSlide => {
      const file = `${ordinal(i, post.slides.length)}.${ext}`;
      const own = oneLine(slide.fields.altText);
      return {
        slideId: slide.id,
        number: i + 1,
        path: `${folder}/${file}`,
        file,
        layout: slide.layout,
        altText:
          own ||
          draftAltText(slide, {
            post: index + 1,
            slide: i + 1,
            slides: post.slides.length,
            flashbookTitle: view.title,
          }),
        altTextDrafted: !own,
        slide,
      };
    });
    return [
      {
        postId: post.id,
        number: index + 1,
        folder,
        library: post.library,
        status: post.status,
        slides,
        caption: assembleCaption(post.caption, view.hashtags),
        altTextFile: slides.map((s) => `${s.file}: ${s.altText}`).join('\n') + '\n',
        issues: checkPost(post, view.hashtags),
      },
    ];
  });
  const whole = !options.postId;
  const skipped = whole ? planned.filter((p) => p.slides.length === 0) : [];
  const posts = whole ? planned.filter((p) => p.slides.length > 0) : planned;
  const base = slugify(view.title, { fallback: 'flashbook' });
  const single = posts[0];
  return {
    zipName: whole || !single ? `${base}.zip` : `${base}-${single.folder}.zip`,
    title: view.title,
    format: view.format,
    width: size.width,
    height: size.height,
    imageType,
    posts,
    skipped,
    blocked: posts.length === 0 || posts.some((p) => p.issues.some(isBlocking)),
    slideCount: posts.reduce((n, p) => n + p.slides.length, 0),
  };
}

export interface Manifest {
  generator: 'Flashbook Studio';
  manifestVersion: 1;
  title: string;
  exportedAt: string;
  format: { ratio: Format; width: number; height: number; type: ImageType };
  /** The flashbook's common hashtags, appended to every caption. */
  hashtags: string[];
  posts: {
    number: number;
    id: string;
    folder: string;
    library: string;
    status: PostStatus;
    caption: string;
    captionFile: string;
    altTextFile: string;
    slides: {
      number: number;
      id: string;
      file: string;
      layout: Layout;
      altText: string;
      width: number;
      height: number;
      type: ImageType;
    }[];
    warnings: PostIssue[];
  }[];
  /** Every file in the package except the manifest, with its size in bytes. */
  files: { path: string; bytes: number }[];
}

/** The manifest of a finished export; `bytes` gives the size of every file written. */
export function buildManifest(
  plan: ExportPlan,
  hashtags: string,
  bytes: ReadonlyMap<string, number>,
  exportedAt: Date,
): Manifest {
  const files: Manifest['files'] = [];
  const add = (path: string) => files.push({ path, bytes: bytes.get(path) ?? 0 });
  const posts = plan.posts.map((p) => {
    for (const s of p.slides) add(s.path);
    add(`${p.folder}/${CAPTION_FILE}`);
    add(`${p.folder}/${ALT_TEXT_FILE}`);
    return {
      number: p.number,
      id: p.postId,
      folder: p.folder,
      library: p.library,
      status: p.status,
      caption: p.caption,
      captionFile: `${p.folder}/${CAPTION_FILE}`,
      altTextFile: `${p.folder}/${ALT_TEXT_FILE}`,
      slides: p.slides.map((s) => ({
        number: s.number,
        id: s.slideId,
        file: s.path,
        layout: s.layout,
        altText: s.altText,
        width: plan.width,
        height: plan.height,
        type: plan.imageType,
      })),
      warnings: p.issues,
    };
  });
  return {
    generator: 'Flashbook Studio',
    manifestVersion: 1,
    title: plan.title,
    exportedAt: exportedAt.toISOString(),
    format: { ratio: plan.format, width: plan.width, height: plan.height, type: plan.imageType },
    hashtags: parseHashtagList(hashtags),
    posts,
    files,
  };
}
