import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/** Small real PNGs, made in the test that needs them (no fixtures copied from one machine). */

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * An RGB PNG of `width` × `height` whose pixels depend on `seed` (so each seed has other bytes).
 * `declared` writes other dimensions into the header than the pixels have: the header is all a
 * size check may look at, and a real 30000 × 30000 image would not fit in a test.
 */
export function makePng(
  width: number,
  height: number,
  seed = 0,
  declared?: { width: number; height: number },
  noise = false,
): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    if (noise) {
      randomBytes(width * 3).copy(row, 1);
      rows.push(row);
      continue;
    }
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = (x * 7 + seed * 31) & 0xff;
      row[2 + x * 3] = (y * 13 + seed * 17) & 0xff;
      row[3 + x * 3] = (x ^ y ^ seed) & 0xff;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(declared?.width ?? width, 0);
  ihdr.writeUInt32BE(declared?.height ?? height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
