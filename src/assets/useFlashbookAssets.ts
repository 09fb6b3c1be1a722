import { useEffect, useState } from 'react';
import { roleCanEdit, type Role } from '../protocol/roles.ts';
import { FlashbookAssets } from './resolver.ts';

/**
 * The images of an open flashbook for `<AssetContext.Provider>`: created for the flashbook and
 * token, destroyed (its blob: URLs revoked) when either changes or the editor closes.
 * Null on the very first render.
 */
export function useFlashbookAssets(
  flashbookId: string,
  token: string | null,
  role: Role,
): FlashbookAssets | null {
  const [assets, setAssets] = useState<FlashbookAssets | null>(null);
  useEffect(() => {
    const a = new FlashbookAssets(flashbookId, token, roleCanEdit(role));
    setAssets(a);
    return () => a.destroy();
  }, [flashbookId, token, role]);
  return assets;
}
