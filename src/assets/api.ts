/**
 * The server's image API (docs/server.md, "Assets"). Tokens go in the Authorization header, never
 * in a URL: images are fetched as blobs and shown from blob: URLs.
 */

/** What the server answers to an accepted upload. */
export interface UploadedAsset {
  /** Lowercase hex SHA-256 of the uploaded bytes. */
  id: string;
  type: string;
  width?: number;
  height?: number;
  bytes: number;
}

/**
 * A refused or failed request. `status` is 0 when the server could not be reached; `code` is the
 * server's stable reason (`too-large`, `quota`, `unsupported-format`, `not-an-image`, `damaged`,
 * `too-many-pixels`) if any.
 */
export class AssetRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly details: {
      format?: string;
      limit?: number;
      width?: number;
      height?: number;
      maxPixels?: number;
    } = {},
  ) {
    super(message);
  }
}

export function assetUrl(flashbookId: string, assetId?: string): string {
  const base = `/api/flashbooks/${encodeURIComponent(flashbookId)}/assets`;
  return assetId ? `${base}/${assetId}` : base;
}

/**
 * Uploads the bytes of an image. XMLHttpRequest rather than fetch: only it reports upload
 * progress. `onProgress` receives the fraction sent, 0 to 1.
 */
export function uploadAsset(opts: {
  flashbookId: string;
  token: string;
  blob: Blob;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<UploadedAsset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', assetUrl(opts.flashbookId));
    xhr.setRequestHeader('Authorization', `Bearer ${opts.token}`);
    // Informative only: the server decides the type from the bytes.
    xhr.setRequestHeader('Content-Type', opts.blob.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // Not JSON (a proxy's error page): the status still says what happened.
      }
      if (xhr.status === 201 && typeof body['id'] === 'string') {
        resolve(body as unknown as UploadedAsset);
        return;
      }
      reject(
        new AssetRequestError(
          typeof body['error'] === 'string' ? body['error'] : xhr.statusText || 'upload failed',
          xhr.status,
          typeof body['code'] === 'string' ? body['code'] : undefined,
          {
            format: typeof body['format'] === 'string' ? body['format'] : undefined,
            limit: typeof body['limit'] === 'number' ? body['limit'] : undefined,
            width: typeof body['width'] === 'number' ? body['width'] : undefined,
            height: typeof body['height'] === 'number' ? body['height'] : undefined,
            maxPixels: typeof body['maxPixels'] === 'number' ? body['maxPixels'] : undefined,
          },
        ),
      );
    };
    xhr.onerror = () => reject(new AssetRequestError('network', 0));
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(opts.blob);
  });
}

/** Downloads an image's bytes. */
export async function fetchAsset(flashbookId: string, token: string, assetId: string) {
  let res: Response;
  try {
    res = await fetch(assetUrl(flashbookId, assetId), {
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch {
    throw new AssetRequestError('network', 0);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new AssetRequestError(body.error ?? res.statusText, res.status);
  }
  return res.blob();
}
