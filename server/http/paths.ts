import { HttpError } from './respond.ts';

export interface RequestPath {
  /** Decoded, without empty segments: `/f/abc` for `/f//abc/`. Used for routing. */
  pathname: string;
  segments: string[];
}

/**
 * Splits and decodes a request target. Anything that could name a file outside the static root
 * once decoded (`..`, `.`, encoded slashes or backslashes, NUL) is refused here with 400, before
 * any route or file lookup; the static handler checks containment again on the real path.
 */
export function parseRequestPath(rawUrl: string | undefined): RequestPath {
  if (!rawUrl || !rawUrl.startsWith('/')) throw new HttpError(400, 'malformed request path');
  const end = rawUrl.search(/[?#]/);
  const raw = end === -1 ? rawUrl : rawUrl.slice(0, end);
  if (/[\0\\]/.test(raw)) throw new HttpError(400, 'malformed request path');
  const segments: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      throw new HttpError(400, 'malformed request path');
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
      throw new HttpError(400, 'malformed request path');
    }
    segments.push(segment);
  }
  return { pathname: '/' + segments.join('/'), segments };
}
