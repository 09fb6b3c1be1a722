import type { WorkerRequest, WorkerResponse } from './worker-protocol.ts';
import { preloadSubsetter, subsetFont } from './subset.ts';
import { zipPackage } from './zip.ts';

/**
 * The export worker: encodes the drawn slides (JPEG or PNG, `OffscreenCanvas.convertToBlob`, the
 * same encoder as the page's `toBlob`), subsets the fonts (`subset.ts`) and packs the ZIP, off the
 * page's thread. One per export.
 */

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
};

async function handle(req: WorkerRequest): Promise<Uint8Array> {
  if (req.kind === 'zip') return zipPackage(req.files, new Date(req.mtime));
  if (req.kind === 'subset') return subsetFont(req.font, req.codepoints);
  const { bitmap } = req;
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D context in the export worker');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: req.type, quality: req.quality });
  if (blob.type !== req.type) throw new Error(`the image was encoded as ${blob.type || 'nothing'}`);
  return new Uint8Array(await blob.arrayBuffer());
}

preloadSubsetter();

scope.onmessage = (e) => {
  const { id } = e.data;
  handle(e.data).then(
    (data) => scope.postMessage({ id, ok: true, data }, [data.buffer]),
    (err: unknown) => scope.postMessage({ id, ok: false, error: String(err) }),
  );
};
