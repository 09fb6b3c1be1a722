import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ImageRefusal, sniffImage } from '../../server/assets/sniff.ts';

/** The type sniffer on its own: formats people try, and files built to look almost right. */

const fixture = (name: string): Buffer =>
  readFileSync(join(import.meta.dirname, '../fixtures/images', name));

function refusal(bytes: Uint8Array): ImageRefusal {
  try {
    sniffImage(bytes);
  } catch (err) {
    if (err instanceof ImageRefusal) return err;
    throw err;
  }
  throw new Error('accepted');
}

const ascii = (s: string) => Buffer.from(s, 'latin1');

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([ascii(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width: number, height: number, chunks: Buffer[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...chunks,
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('sniffImage', () => {
  it('names the formats it refuses', () => {
    const cases: [string, Buffer][] = [
      ['GIF', ascii('GIF87a\x01\x00\x01\x00')],
      ['BMP', ascii('BM\x3a\x00\x00\x00\x00\x00')],
      ['TIFF', ascii('II*\x00\x08\x00\x00\x00')],
      ['TIFF', ascii('MM\x00*\x00\x00\x00\x08')],
      ['PDF', ascii('%PDF-1.7\n')],
      ['HEIC', ascii('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00')],
      ['AVIF', ascii('\x00\x00\x00\x1cftypavif\x00\x00\x00\x00')],
      [
        'SVG',
        Buffer.from('\uFEFF\n  <!-- made by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
      ],
      ['SVG', Buffer.from('<?xml version="1.0"?><!DOCTYPE svg><svg viewBox="0 0 1 1"></svg>')],
    ];
    for (const [format, bytes] of cases) {
      const err = refusal(bytes);
      expect(err.code, format).toBe('unsupported-format');
      expect(err.format, format).toBe(format);
      expect(err.message).toContain(format);
    }
  });

  it('calls HTML and text what they are', () => {
    expect(refusal(ascii('  <html><body>x</body></html>')).message).toMatch(/HTML page/);
    expect(refusal(fixture('notes.jpg')).code).toBe('not-an-image');
    expect(refusal(ascii('<p>not svg, not html</p>')).code).toBe('not-an-image');
  });

  it('reads the size of every accepted kind', () => {
    expect(sniffImage(png(7, 5, [pngChunk('IDAT', Buffer.alloc(4))]))).toEqual({
      type: 'image/png',
      width: 7,
      height: 5,
    });
    expect(sniffImage(fixture('cover.jpg'))).toEqual({
      type: 'image/jpeg',
      width: 360,
      height: 540,
    });
    expect(sniffImage(fixture('logo.webp'))).toEqual({
      type: 'image/webp',
      width: 128,
      height: 128,
    });
  });

  it('refuses PNGs that are well formed but empty or absurd', () => {
    expect(refusal(png(7, 5, [])).message).toMatch(/no image data/);
    expect(refusal(png(0, 5, [pngChunk('IDAT', Buffer.alloc(4))])).code).toBe('damaged');
    expect(refusal(png(40_000, 5, [pngChunk('IDAT', Buffer.alloc(4))])).message).toMatch(
      /at most 30000 pixels/,
    );
  });

  it('refuses JPEG variants browsers cannot show', () => {
    // The real file with its baseline frame marker (SOF0) turned into lossless (SOF3).
    const jpeg = Buffer.from(fixture('cover.jpg'));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(sof).toBeGreaterThan(0);
    jpeg[sof + 1] = 0xc3;
    const err = refusal(jpeg);
    expect(err.code).toBe('unsupported-format');
    expect(err.message).toMatch(/lossless/);
  });

  it('refuses WebP whose chunks do not add up', () => {
    const webp = Buffer.from(fixture('cover-simple.webp'));
    const longer = Buffer.from(webp);
    longer.writeUInt32LE(webp.readUInt32LE(16) + 2, 16); // the VP8 chunk claims more than there is
    expect(refusal(longer).code).toBe('damaged');
    const renamed = Buffer.from(webp);
    renamed.write('XXXX', 12, 'latin1'); // first chunk is no image header
    expect(refusal(renamed).code).toBe('damaged');
  });
});
