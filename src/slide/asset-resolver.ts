/**
 * How a slide finds the pictures it shows (book covers, logos). Images are stored on the server by
 * asset id (the SHA-256 of their bytes) and shown from local blob: URLs, never from remote URLs: the
 * export renderer needs same-origin or blob images, and offline editing needs local copies. A
 * server-side renderer implements it with the asset's HTTP address.
 */
export interface AssetResolver {
  /** The URL of an asset when it is already loaded, else undefined (and loading starts). */
  url(assetId: string): string | undefined;
  /** Loads an asset (from the local cache or the server) and resolves to its URL. */
  load(assetId: string): Promise<string>;
  /** Called whenever an asset finished loading; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}
