import type { WorkerRequest, WorkerResponse } from './worker-protocol.ts';
import type { PackageFile } from './zip.ts';

/** Distributive Omit: keeps each request kind's own fields. */
type Request = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'id'>
    : never
  : never;

/**
 * The page's side of the export worker (`worker.ts`): encodes slide bitmaps, subsets fonts and packs
 * the ZIP there, so none of it is a long task on the page's thread. Requests are answered in order of completion.
 */
export class ExportWorker {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<
    number,
    { resolve: (d: Uint8Array) => void; reject: (e: Error) => void }
  >();

  constructor() {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data.data);
      else p.reject(new Error(e.data.error));
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.fail(new Error(`export worker: ${e.message || 'failed'}`));
    };
  }

  /** Whether this browser can encode in a worker (else the page encodes with `toBlob`). */
  static supported(): boolean {
    return (
      typeof Worker !== 'undefined' &&
      typeof OffscreenCanvas !== 'undefined' &&
      typeof createImageBitmap !== 'undefined' &&
      'convertToBlob' in OffscreenCanvas.prototype
    );
  }

  /** Encodes (and closes) the bitmap. */
  encode(bitmap: ImageBitmap, type: string, quality?: number): Promise<Uint8Array> {
    return this.send({ kind: 'encode', bitmap, type, quality }, [bitmap]);
  }

  /** The woff2 face reduced to the code points (TrueType bytes; see subset.ts). */
  subset(font: Uint8Array, codepoints: readonly number[]): Promise<Uint8Array> {
    return this.send({ kind: 'subset', font, codepoints: [...codepoints] }, []);
  }

  zip(files: PackageFile[], mtime: Date): Promise<Uint8Array> {
    const transfer = files.flatMap((f) => (typeof f.data === 'string' ? [] : [f.data.buffer]));
    return this.send({ kind: 'zip', files, mtime: mtime.getTime() }, transfer as Transferable[]);
  }

  dispose(): void {
    this.worker.terminate();
    this.fail(new Error('export worker stopped'));
  }

  private send(req: Request, transfer: Transferable[]): Promise<Uint8Array> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } as WorkerRequest, transfer);
    });
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
