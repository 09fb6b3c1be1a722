import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import { LIMITS, type ParseOptions, type ParseResult } from './types.ts';

/** Runs the parsers in a Web Worker; `cancel` terminates it. */
export function parseInWorker(
  bytes: ArrayBuffer,
  fileName: string,
  options: ParseOptions,
  onProgress: (fraction: number) => void,
): { result: Promise<ParseResult>; cancel: () => void } {
  if (bytes.byteLength > LIMITS.fileBytes)
    return {
      result: Promise.resolve(tooLarge()),
      cancel: () => {},
    };
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  let settle: (r: ParseResult) => void = () => {};
  const result = new Promise<ParseResult>((resolve) => {
    settle = (r) => {
      worker.terminate();
      resolve(r);
    };
  });
  worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
    if (e.data.type === 'progress') onProgress(e.data.fraction);
    else settle(e.data.result);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    settle({
      kind: 'rejected',
      format: null,
      issue: { code: 'failed', severity: 'error', params: { reason: e.message || 'worker' } },
    });
  };
  // The copy is transferred, so the page keeps the original to parse again with other options.
  const copy = bytes.slice(0);
  const request: WorkerRequest = { bytes: copy, fileName, options };
  worker.postMessage(request, [copy]);
  return { result, cancel: () => worker.terminate() };
}

export function tooLarge(): ParseResult {
  return {
    kind: 'rejected',
    format: null,
    issue: {
      code: 'tooLarge',
      severity: 'error',
      params: { max: Math.round(LIMITS.fileBytes / 1024 / 1024) },
    },
  };
}
