import type { IncomingMessage } from 'node:http';
import { HttpError } from './respond.ts';

/**
 * Reads a JSON request body of at most `limit` bytes. Too large a body is still drained (up to a
 * hard cap) before answering 413: a server that stops reading mid-upload makes most clients
 * report a broken connection instead of the error.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'Content-Type must be application/json');
  }
  const declared = Number(req.headers['content-length']);
  const drainCap = limit * 16;
  if (Number.isFinite(declared) && declared > drainCap) {
    // Not worth reading: answer now and close the connection.
    throw new HttpError(413, `request body exceeds ${limit} bytes`, { connection: 'close' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > drainCap) break;
      if (size <= limit) chunks.push(chunk);
    }
  } catch {
    // The client aborted the upload: its fault, and it will not read the answer anyway.
    throw new HttpError(400, 'request body could not be read');
  }
  if (size > drainCap) {
    throw new HttpError(413, `request body exceeds ${limit} bytes`, { connection: 'close' });
  }
  if (size > limit) throw new HttpError(413, `request body exceeds ${limit} bytes`);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}
