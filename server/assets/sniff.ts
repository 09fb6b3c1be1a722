import { crc32 } from 'node:zlib';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE_PX } from '../../src/model/image-limits.ts';

/**
 * Decides what an uploaded file really is from its bytes; the name and the declared Content-Type
 * are never trusted. Only JPEG, PNG and WebP pass: browsers and Instagram show them, and none of
 * them can carry script (SVG can, and would run if anyone opened the asset URL directly).
 *
 * Passing means more than a matching signature: the container structure is walked to its end
 * (PNG chunks with their CRCs up to IEND, JPEG segments and scans up to EOI, WebP's RIFF chunks),
 * so a truncated upload or a text file that starts with the right magic bytes is refused too.
 * Pixel data itself is not decoded.
 */

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

export interface SniffedImage {
  type: ImageType;
  width: number;
  height: number;
}

/**
 * Why a file was refused, as a stable code the client translates:
 * - `unsupported-format`: a recognised format we do not accept (`format` names it: SVG, GIF…)
 * - `not-an-image`: not a JPEG, PNG or WebP at all (text, HTML, random bytes)
 * - `damaged`: starts like an accepted image but is truncated or malformed
 * - `too-many-pixels`: a well-formed image whose width × height is over the area limit
 */
export type RefusalCode = 'unsupported-format' | 'not-an-image' | 'damaged' | 'too-many-pixels';

export class ImageRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly format?: string,
    readonly details: Record<string, number> = {},
  ) {
    super(message);
  }
}

const ACCEPTED = 'only JPEG, PNG and WebP images are accepted';

/**
 * The image's type and size, or throws an ImageRefusal with a message for people. The area is
 * checked from the header: a few kilobytes of PNG can declare 30000 × 30000 pixels, which every
 * browser showing it would have to decode (3.6 GB).
 */
export function sniffImage(bytes: Uint8Array, limits: { maxPixels?: number } = {}): SniffedImage {
  const image = sniffContainer(bytes);
  const maxPixels = limits.maxPixels ?? MAX_IMAGE_PIXELS;
  if (image.width * image.height > maxPixels) {
    const mp = (n: number) => `${+(n / 1e6).toFixed(1)} megapixels`;
    throw new ImageRefusal(
      'too-many-pixels',
      `the image is ${image.width}×${image.height} pixels (${mp(image.width * image.height)}); at most ${mp(maxPixels)} are accepted`,
      undefined,
      { width: image.width, height: image.height, maxPixels },
    );
  }
  return image;
}

function sniffContainer(bytes: Uint8Array): SniffedImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(buf)) return readPng(buf);
  if (isJpeg(buf)) return readJpeg(buf);
  if (isWebp(buf)) return readWebp(buf);
  const other = recogniseOther(buf);
  if (other === 'SVG') {
    throw new ImageRefusal(
      'unsupported-format',
      `SVG images are not accepted (they can contain scripts); ${ACCEPTED}`,
      other,
    );
  }
  if (other === 'HTML') {
    throw new ImageRefusal('not-an-image', `the file is an HTML page, not an image; ${ACCEPTED}`);
  }
  if (other) {
    throw new ImageRefusal(
      'unsupported-format',
      `${other} images are not accepted; ${ACCEPTED}`,
      other,
    );
  }
  throw new ImageRefusal(
    'not-an-image',
    `the file is not a JPEG, PNG or WebP image, whatever its name says; ${ACCEPTED}`,
  );
}

const damaged = (type: string, detail: string) =>
  new ImageRefusal('damaged', `the ${type} file is damaged or incomplete (${detail})`);

// --- PNG -------------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isPng(buf: Buffer): boolean {
  return buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE);
}

function readPng(buf: Buffer): SniffedImage {
  let pos = 8;
  let width = 0;
  let height = 0;
  let first = true;
  let sawData = false;
  for (;;) {
    if (pos + 12 > buf.length) throw damaged('PNG', 'it ends before the IEND chunk');
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > buf.length) throw damaged('PNG', `chunk ${type} is cut off`);
    if (crc32(buf.subarray(pos + 4, pos + 8 + length)) !== buf.readUInt32BE(pos + 8 + length)) {
      throw damaged('PNG', `chunk ${type} has a wrong checksum`);
    }
    if (first) {
      if (type !== 'IHDR' || length !== 13) throw damaged('PNG', 'the header chunk is missing');
      width = buf.readUInt32BE(pos + 8);
      height = buf.readUInt32BE(pos + 12);
      first = false;
    }
    if (type === 'IDAT') sawData = true;
    pos = end;
    if (type === 'IEND') break;
  }
  if (!sawData) throw damaged('PNG', 'it has no image data');
  return { type: 'image/png', ...checkedSize('PNG', width, height) };
}

// --- JPEG ------------------------------------------------------------------------------------

function isJpeg(buf: Buffer): boolean {
  return buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
}

/** Frame types browsers decode: baseline, extended sequential, progressive (Huffman coded). */
const DECODABLE_SOF = new Set([0xc0, 0xc1, 0xc2]);
/** Every other start-of-frame marker: lossless, hierarchical and arithmetic-coded variants. */
const OTHER_SOF = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function readJpeg(buf: Buffer): SniffedImage {
  let pos = 2;
  let width = 0;
  let height = 0;
  let sawScan = false;
  for (;;) {
    // Markers may be preceded by any number of 0xFF fill bytes.
    if (pos >= buf.length || buf[pos] !== 0xff) throw damaged('JPEG', 'a segment is cut off');
    while (pos < buf.length && buf[pos] === 0xff) pos++;
    if (pos >= buf.length) throw damaged('JPEG', 'it ends without an end marker');
    const marker = buf[pos++] as number;
    if (marker === 0xd9) break; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no payload
    if (marker === 0xd8 || marker === 0x00) throw damaged('JPEG', 'it has a stray marker');
    if (pos + 2 > buf.length) throw damaged('JPEG', 'a segment is cut off');
    const length = buf.readUInt16BE(pos);
    if (length < 2 || pos + length > buf.length) throw damaged('JPEG', 'a segment is cut off');
    if (DECODABLE_SOF.has(marker)) {
      if (length < 8) throw damaged('JPEG', 'the frame header is too short');
      height = buf.readUInt16BE(pos + 3);
      width = buf.readUInt16BE(pos + 5);
    } else if (OTHER_SOF.has(marker)) {
      throw new ImageRefusal(
        'unsupported-format',
        'this kind of JPEG (lossless, hierarchical or arithmetic-coded) cannot be shown by browsers; save it as an ordinary JPEG',
        'lossless or arithmetic-coded JPEG',
      );
    }
    pos += length;
    if (marker === 0xda) {
      if (!width) throw damaged('JPEG', 'image data comes before the frame header');
      sawScan = true;
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
      for (;;) {
        const ff = buf.indexOf(0xff, pos);
        if (ff === -1 || ff + 1 >= buf.length)
          throw damaged('JPEG', 'it ends inside the image data');
        const next = buf[ff + 1] as number;
        if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) {
          pos = next === 0xff ? ff + 1 : ff + 2;
          continue;
        }
        pos = ff;
        break;
      }
    }
  }
  if (!sawScan) throw damaged('JPEG', 'it has no image data');
  return { type: 'image/jpeg', ...checkedSize('JPEG', width, height) };
}

// --- WebP ------------------------------------------------------------------------------------

function isWebp(buf: Buffer): boolean {
  return (
    buf.length >= 12 &&
    buf.toString('latin1', 0, 4) === 'RIFF' &&
    buf.toString('latin1', 8, 12) === 'WEBP'
  );
}

function readWebp(buf: Buffer): SniffedImage {
  const riffEnd = 8 + buf.readUInt32LE(4);
  if (riffEnd > buf.length) throw damaged('WebP', 'it is shorter than its header says');
  let pos = 12;
  let size: { width: number; height: number } | undefined;
  let canvas: { width: number; height: number } | undefined;
  let sawImage = false;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw damaged('WebP', 'a chunk header is cut off');
    const fourcc = buf.toString('latin1', pos, pos + 4);
    const length = buf.readUInt32LE(pos + 4);
    const data = pos + 8;
    if (data + length > riffEnd) throw damaged('WebP', `chunk ${fourcc.trim()} is cut off`);
    if (pos === 12 && !['VP8 ', 'VP8L', 'VP8X'].includes(fourcc)) {
      throw damaged('WebP', 'the first chunk is not an image header');
    }
    if (fourcc === 'VP8X') {
      if (length < 10) throw damaged('WebP', 'the extended header is too short');
      canvas = { width: 1 + buf.readUIntLE(data + 4, 3), height: 1 + buf.readUIntLE(data + 7, 3) };
    } else if (fourcc === 'VP8 ') {
      if (length < 10 || buf.readUIntBE(data + 3, 3) !== 0x9d012a) {
        throw damaged('WebP', 'the lossy image header is malformed');
      }
      size ??= {
        width: buf.readUInt16LE(data + 6) & 0x3fff,
        height: buf.readUInt16LE(data + 8) & 0x3fff,
      };
      sawImage = true;
    } else if (fourcc === 'VP8L') {
      if (length < 5 || buf[data] !== 0x2f) {
        throw damaged('WebP', 'the lossless image header is malformed');
      }
      const bits = buf.readUInt32LE(data + 1);
      size ??= { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
      sawImage = true;
    } else if (fourcc === 'ANMF') {
      sawImage = true; // animation frames hold their own VP8/VP8L chunks
    }
    pos = data + length + (length & 1); // chunks are padded to an even length
  }
  if (!sawImage) throw damaged('WebP', 'it has no image data');
  const { width, height } = canvas ?? size ?? { width: 0, height: 0 };
  return { type: 'image/webp', ...checkedSize('WebP', width, height) };
}

// --- Everything else -------------------------------------------------------------------------

const MAX_SIDE = MAX_IMAGE_SIDE_PX;

function checkedSize(type: string, width: number, height: number) {
  if (width < 1 || height < 1) throw damaged(type, 'its width or height is zero');
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw new ImageRefusal(
      'damaged',
      `the ${type} image is ${width}×${height} pixels; at most ${MAX_SIDE} pixels per side are accepted`,
    );
  }
  return { width, height };
}

/** Names formats people commonly try, so the refusal can say what the file was. */
function recogniseOther(buf: Buffer): string | undefined {
  const ascii = buf.toString('latin1', 0, Math.min(buf.length, 16));
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'GIF';
  if (ascii.startsWith('BM')) return 'BMP';
  if (ascii.startsWith('II*\0') || ascii.startsWith('MM\0*')) return 'TIFF';
  if (ascii.startsWith('%PDF')) return 'PDF';
  if (ascii.slice(4, 8) === 'ftyp') {
    const brand = ascii.slice(8, 12);
    if (brand === 'avif' || brand === 'avis') return 'AVIF';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'HEIC';
  }
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x0000000c && ascii.slice(4, 8) === 'jP  ') {
    return 'JPEG 2000';
  }
  // Markup: skip a byte order mark and leading whitespace or comments, then look at the start.
  const text = buf
    .toString('utf8', 0, Math.min(buf.length, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (text.startsWith('<')) {
    if (/<svg[\s>]/.test(text)) return 'SVG';
    if (/^<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>]/.test(text)) return 'HTML';
  }
  return undefined;
}
