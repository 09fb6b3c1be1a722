import type { ParseOptions, ParseResult } from './types.ts';

/** Messages between the page and the import worker. */
export interface WorkerRequest {
  bytes: ArrayBuffer;
  fileName: string;
  options: ParseOptions;
}

export type WorkerResponse =
  { type: 'progress'; fraction: number } | { type: 'result'; result: ParseResult };
