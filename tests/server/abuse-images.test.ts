import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageRefusal, sniffImage } from '../../server/assets/sniff.ts';
import { optionsFromEnv, resolveConfig } from '../../server/config.ts';
import { imageDimensions } from '../../src/assets/dimensions.ts';
import { MAX_IMAGE_PIXELS } from '../../src/model/image-limits.ts';
import { makePng } from '../helpers/png.ts';
import { Harness, type CreatedFlashbook, type TestServer } from '../helpers/server.ts';

/**
 * Image quotas and the pixel-area limit, as attacks: one edit token uploading image after image
 * into one flashbook, and a small file that declares a gigantic picture.
 */

const h = new Harness();
afterEach(() => h.cleanup());

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function upload(server: TestServer, fb: CreatedFlashbook, body: Uint8Array): Promise<Response> {
  return fetch(`${server.url}/api/flashbooks/${fb.id}/assets`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', authorization: `Bearer ${fb.editToken}` },
    body: new Uint8Array(body),
  });
}

async function downloadable(server: TestServer, fb: CreatedFlashbook, bytes: Buffer) {
  const res = await fetch(`${server.url}/api/flashbooks/${fb.id}/assets/${sha256(bytes)}`, {
    headers: { authorization: `Bearer ${fb.viewToken}` },
  });
  return res.status === 200 && Buffer.from(await res.arrayBuffer()).equals(bytes);
}

describe('image storage quota per flashbook', () => {
  const images = Array.from({ length: 12 }, (_, seed) => makePng(40, 40, seed));
  // Room for exactly three of them (they differ in bytes only by a little; take the largest).
  const quota = 3 * Math.max(...images.map((i) => i.length));

  it('refuses uploads past the quota with 413 "quota", keeps everything stored, and dedupes', async () => {
    const server = await h.start({ maxImageBytesPerFlashbook: quota });
    const fb = await h.create(server.url);
    const other = await h.create(server.url, 'Another flashbook');
    const statuses: number[] = [];
    for (const image of images) statuses.push((await upload(server, fb, image)).status);
    const stored = statuses.filter((s) => s === 201).length;
    expect(stored).toBe(3);
    expect(statuses.slice(0, 3)).toEqual([201, 201, 201]);

    const refused = await upload(server, fb, images[5]!);
    expect(refused.status).toBe(413);
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'quota', limit: quota });
    expect(body['error']).toMatch(/^this flashbook has reached its image storage limit/);
    expect(body['used']).toBe(images.slice(0, 3).reduce((n, i) => n + i.length, 0));

    // A refusal loses nothing: the stored images are served, and uploading one again (the
    // outbox of a second device, say) still succeeds, since it costs no new bytes.
    for (const image of images.slice(0, 3))
      expect(await downloadable(server, fb, image)).toBe(true);
    expect((await upload(server, fb, images[1]!)).status).toBe(201);
    expect(await downloadable(server, fb, images[5]!)).toBe(false);
    // Other flashbooks have quotas of their own.
    expect((await upload(server, other, images[5]!)).status).toBe(201);

    // After a restart the usage is counted again from what is on disk.
    await server.close();
    const again = await h.start({ maxImageBytesPerFlashbook: quota, dataDir: server.dataDir });
    expect((await upload(again, fb, images[6]!)).status).toBe(413);
    expect((await upload(again, fb, images[2]!)).status).toBe(201);
  });

  it('lets concurrent uploads take only the room there is', async () => {
    const server = await h.start({ maxImageBytesPerFlashbook: quota });
    const fb = await h.create(server.url);
    const statuses = await Promise.all(
      images.map((i) => upload(server, fb, i).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 413)).toHaveLength(images.length - 3);
  });

  it('defaults to 512 MiB and reads MAX_IMAGE_BYTES_PER_FLASHBOOK', () => {
    expect(resolveConfig({}).maxImageBytesPerFlashbook).toBe(512 * 1024 * 1024);
    expect(
      optionsFromEnv({ MAX_IMAGE_BYTES_PER_FLASHBOOK: '1000' }).maxImageBytesPerFlashbook,
    ).toBe(1000);
  });
});

describe('pixel area', () => {
  const giant = makePng(8, 8, 1, { width: 30_000, height: 30_000 });

  it('refuses a small file that declares 30000 × 30000 pixels, before decoding anything', async () => {
    expect(giant.length).toBeLessThan(1024);
    const server = await h.start();
    const fb = await h.create(server.url);
    const res = await upload(server, fb, giant);
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({
      code: 'too-many-pixels',
      width: 30_000,
      height: 30_000,
      maxPixels: MAX_IMAGE_PIXELS,
    });
    expect(await downloadable(server, fb, giant)).toBe(false);
  });

  it('checks the area as well as each side, at the configured limit', () => {
    const refusal = (bytes: Buffer, maxPixels?: number) => {
      try {
        sniffImage(bytes, { maxPixels });
        return undefined;
      } catch (err) {
        return err instanceof ImageRefusal ? err.code : String(err);
      }
    };
    // Each side is within 30000; the area is what is too much.
    expect(refusal(makePng(8, 8, 0, { width: 10_000, height: 10_000 }))).toBe('too-many-pixels');
    // A 48-megapixel phone photo passes the default.
    expect(refusal(makePng(8, 8, 0, { width: 8064, height: 6048 }))).toBeUndefined();
    expect(refusal(makePng(8, 8, 0, { width: 100, height: 100 }), 9_999)).toBe('too-many-pixels');
    expect(refusal(makePng(8, 8, 0, { width: 100, height: 100 }), 10_000)).toBeUndefined();
    expect(resolveConfig({}).maxImagePixels).toBe(MAX_IMAGE_PIXELS);
    expect(optionsFromEnv({ MAX_IMAGE_PIXELS: '1000000' }).maxImagePixels).toBe(1_000_000);
  });

  it("the editor's header reader agrees with the server's on every fixture", () => {
    const dir = join(import.meta.dirname, '../fixtures/images');
    const files = [
      'cover.jpg',
      'cover.png',
      'logo.png',
      'cover.webp',
      'cover-simple.webp',
      'cover-lossless.webp',
      'cover-simple-lossless.webp',
      'logo.webp',
    ];
    for (const name of files) {
      const bytes = readFileSync(join(dir, name));
      const { width, height } = sniffImage(bytes);
      expect(imageDimensions(new Uint8Array(bytes)), name).toEqual({ width, height });
    }
    expect(imageDimensions(new Uint8Array(giant))).toEqual({ width: 30_000, height: 30_000 });
    expect(imageDimensions(new Uint8Array(readFileSync(join(dir, 'notes.jpg'))))).toBeUndefined();
  });
});
