import type { PackageFile } from './zip.ts';

/** Messages between the page and the export worker (`worker.ts`). */
export type WorkerRequest =
  | { kind: 'encode'; id: number; bitmap: ImageBitmap; type: string; quality?: number }
  | { kind: 'zip'; id: number; files: PackageFile[]; mtime: number }
  | { kind: 'subset'; id: number; font: Uint8Array; codepoints: number[] };

export type WorkerResponse =
  { id: number; ok: true; data: Uint8Array } | { id: number; ok: false; error: string };
