import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AssetResolver } from './asset-resolver.ts';

export type { AssetResolver } from './asset-resolver.ts';

export const AssetContext = createContext<AssetResolver | null>(null);

const noSubscribe = () => () => {};

/** The URL of an asset, re-rendering when it arrives; undefined while loading or without a resolver. */
export function useAssetUrl(assetId: string): string | undefined {
  const resolver = useContext(AssetContext);
  const url = () => (resolver && assetId ? resolver.url(assetId) : undefined);
  // The server snapshot: react-dom/server renders with whatever the resolver already knows.
  return useSyncExternalStore(resolver ? resolver.subscribe : noSubscribe, url, url);
}
