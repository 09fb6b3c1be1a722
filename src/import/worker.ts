import { parseFile } from './parse.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

/**
 * The import worker: parses one file off the page's thread (a 20 MB catalogue export or a hostile
 * file cannot freeze the editor) and reports progress. The page starts one worker per parse and
 * terminates it to cancel.
 */

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
};

scope.onmessage = (e) => {
  const { bytes, fileName, options } = e.data;
  let last = 0;
  const result = parseFile(new Uint8Array(bytes), fileName, options, (fraction) => {
    const now = performance.now();
    if (now - last < 50) return;
    last = now;
    scope.postMessage({ type: 'progress', fraction });
  });
  scope.postMessage({ type: 'result', result });
};
