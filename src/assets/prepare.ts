/**
 * Prepares a picked, dropped or pasted image for upload: a large photo is scaled down so that its
 * longest side is MAX_IMAGE_SIDE, in its own format (JPEG, PNG or WebP). Twice the slide width
 * is plenty for a cover on a 1080 px slide, and a 20-megapixel phone photo shrinks from ~8 MB to
 * well under one. Small images and anything that is not a JPEG, PNG or WebP are passed on
 * untouched: the server decides what it accepts and says why it refuses.
 */

import { MAX_IMAGE_PIXELS } from '../model/image-limits.ts';
import { imageDimensions } from './dimensions.ts';

export const MAX_IMAGE_SIDE = 2160;

/**
 * An image whose header declares more pixels than anyone may upload: it is refused before the
 * browser decodes it (which could take gigabytes), with the same limit the server applies.
 */
export class ImageAreaError extends Error {
  constructor(
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super(`the image is ${width}×${height} pixels; at most ${maxPixels} pixels are accepted`);
  }
}

export type AcceptedType = 'image/jpeg' | 'image/png' | 'image/webp';

/** JPEG quality of re-encoded photos: visually lossless for covers, a fraction of the bytes. */
const QUALITY = 0.9;

/** The image type from the first bytes (the name and the browser's guess are not trusted). */
export async function sniffType(blob: Blob): Promise<AcceptedType | undefined> {
  const b = new Uint8Array(await blob.slice(0, 12).arrayBuffer());
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  const ascii = String.fromCharCode(...b);
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** The size to scale to, or undefined when the image is small enough already. */
export function targetSize(
  width: number,
  height: number,
  maxSide = MAX_IMAGE_SIDE,
): { width: number; height: number } | undefined {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return undefined;
  const scale = maxSide / longest;
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

export async function prepareImage(file: Blob): Promise<Blob> {
  const type = await sniffType(file);
  if (!type) return file;
  const size = imageDimensions(new Uint8Array(await file.arrayBuffer()));
  if (size && size.width * size.height > MAX_IMAGE_PIXELS) {
    throw new ImageAreaError(size.width, size.height, MAX_IMAGE_PIXELS);
  }
  // Without a readable header the browser could still decode whatever the file declares; small
  // enough already (the longest side does not change with EXIF rotation): nothing to decode.
  if (!size || !targetSize(size.width, size.height)) return file;
  let original: ImageBitmap;
  try {
    original = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file; // undecodable: the server will say it is damaged
  }
  const target = targetSize(original.width, original.height);
  if (!target) {
    original.close();
    return file;
  }
  let source: ImageBitmap = original;
  try {
    // The browser's high-quality resampling; drawImage alone aliases at large reductions.
    const scaled = await createImageBitmap(file, {
      imageOrientation: 'from-image',
      resizeWidth: target.width,
      resizeHeight: target.height,
      resizeQuality: 'high',
    });
    source = scaled;
    original.close();
  } catch {
    // Older browsers without resize options: drawImage with smoothing below.
  }
  try {
    const blob = await encode(source, target.width, target.height, type);
    // A browser that cannot write WebP hands back PNG, which is still accepted.
    return blob && (await sniffType(blob)) ? blob : file;
  } finally {
    source.close();
  }
}

async function encode(
  bitmap: ImageBitmap,
  width: number,
  height: number,
  type: AcceptedType,
): Promise<Blob | null> {
  const quality = type === 'image/png' ? undefined : QUALITY;
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type, quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}
