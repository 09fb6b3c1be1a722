/**
 * Width and height of a JPEG, PNG or WebP from its header, without decoding it: the editor checks
 * an image's area before asking the browser to decode it (a few kilobytes of PNG can declare
 * 30000 × 30000 pixels, 3.6 GB once decoded). Undefined when the header cannot be read; the
 * server then says what is wrong with the file.
 */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (from: number, length: number) =>
    String.fromCharCode(...bytes.subarray(from, from + length));
  try {
    if (bytes[0] === 0x89 && ascii(1, 3) === 'PNG' && ascii(12, 4) === 'IHDR') {
      return { width: view.getUint32(16), height: view.getUint32(20) };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegDimensions(bytes, view);
    if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return webpDimensions(view, ascii);
  } catch {
    // A header cut short: a RangeError from DataView.
  }
  return undefined;
}

function jpegDimensions(bytes: Uint8Array, view: DataView) {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return undefined;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2;
      continue;
    }
    const length = view.getUint16(pos + 2);
    // Start of frame (baseline, extended, progressive, lossless…), not DHT, JPG or DAC.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: view.getUint16(pos + 7), height: view.getUint16(pos + 5) };
    }
    if (marker === 0xda) return undefined; // scan data before any frame header
    pos += 2 + length;
  }
  return undefined;
}

function webpDimensions(view: DataView, ascii: (from: number, length: number) => string) {
  const chunk = ascii(12, 4);
  const data = 20;
  const uint24 = (at: number) =>
    view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getUint8(at + 2) << 16);
  if (chunk === 'VP8X') return { width: 1 + uint24(data + 4), height: 1 + uint24(data + 7) };
  if (chunk === 'VP8 ') {
    return {
      width: view.getUint16(data + 6, true) & 0x3fff,
      height: view.getUint16(data + 8, true) & 0x3fff,
    };
  }
  if (chunk === 'VP8L') {
    const bits = view.getUint32(data + 1, true);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  return undefined;
}
