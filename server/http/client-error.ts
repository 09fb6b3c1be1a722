import type { Duplex } from 'node:stream';
import type { Logger } from '../log.ts';

/**
 * Requests that Node's HTTP parser refuses before our handler sees them (a URL or headers over
 * 16 KB, a non-numeric Content-Length, both Content-Length and Transfer-Encoding, bytes that are
 * not HTTP) got Node's default answer: a bare `400`/`431` without a body. The abuse tests ask for a
 * JSON `{ error }` like every other refusal, so a client or an operator reading the answer learns
 * what was wrong.
 */
export function createClientErrorHandler(log: Logger) {
  return (err: Error & { code?: string }, socket: Duplex): void => {
    const [status, message] = describe(err.code);
    // A reset peer cannot read an answer; a response already under way must not be interleaved.
    const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || started?.headersSent) {
      socket.destroy();
      return;
    }
    log.info('http-error', { status, reason: err.code ?? err.message });
    const body = JSON.stringify({ error: message });
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        'cache-control: no-store\r\n' +
        'x-content-type-options: nosniff\r\n' +
        'connection: close\r\n\r\n' +
        body,
    );
  };
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

function describe(code: string | undefined): [number, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'request line or headers exceed 16 KB'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'request not received in time'];
    default:
      return [400, 'malformed HTTP request'];
  }
}
