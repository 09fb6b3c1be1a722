import { createContext, useContext, useSyncExternalStore } from 'react';

/**
 * How a slide finds the pictures it shows (book covers, logos). Images are stored on the server by
 * asset id (the SHA-256 of their bytes) and shown from local blob: URLs, never from remote URLs: the
 * export renderer needs same-origin or blob images, and offline editing needs local copies.
 */
export interface AssetResolver {
  /** The blob: URL of an asset when it is already loaded, else undefined (and loading starts). */
  url(assetId: string): string | undefined;
  /** Loads an asset (from the local cache or the server) and resolves to its blob: URL. */
  load(assetId: string): Promise<string>;
  /** Called whenever an asset finished loading; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}

export const AssetContext = createContext<AssetResolver | null>(null);

const noSubscribe = () => () => {};

/** The blob: URL of an asset, re-rendering when it arrives; undefined while loading or without a resolver. */
export function useAssetUrl(assetId: string): string | undefined {
  const resolver = useContext(AssetContext);
  return useSyncExternalStore(resolver ? resolver.subscribe : noSubscribe, () =>
    resolver && assetId ? resolver.url(assetId) : undefined,
  );
}
