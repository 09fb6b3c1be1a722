import type { AssetResolver } from '../slide/asset-resolver.ts';
import { isAssetId } from '../model/schema.ts';
import { workspaceAssetsPath } from '../protocol/workspaces.ts';
import { AssetRequestError, assetUrl, type UploadedAsset } from './api.ts';
import { hashMatches, readCache, writeCache } from './resolver.ts';

/**
 * Images on the workspace page and its settings: the workspace's logos and the covers of its
 * flashbooks. Like FlashbookAssets, from this browser's cache first (images are content-addressed,
 * so a logo cached in any flashbook serves here too, offline as well), then from the server: the
 * workspace's own images with the workspace token, a flashbook's with its edit token.
 */
export class WorkspaceAssets implements AssetResolver {
  private readonly urls = new Map<string, string>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly failed = new Set<string>();
  private readonly listeners = new Set<() => void>();
  /** Flashbook id and edit token for an asset a flashbook's slide shows. */
  private readonly owners = new Map<string, { flashbookId: string; token: string }>();
  private destroyed = false;

  constructor(
    readonly workspaceId: string,
    private readonly token: string,
  ) {}

  /** Tells where a flashbook's own image can be fetched. */
  owner(assetId: string, flashbookId: string, token: string | undefined): void {
    if (token && !this.owners.has(assetId)) this.owners.set(assetId, { flashbookId, token });
  }

  url(assetId: string): string | undefined {
    const url = this.urls.get(assetId);
    if (url || !isAssetId(assetId) || this.destroyed) return url;
    if (!this.pending.has(assetId) && !this.failed.has(assetId)) this.load(assetId).catch(() => {});
    return undefined;
  }

  load(assetId: string): Promise<string> {
    const url = this.urls.get(assetId);
    if (url) return Promise.resolve(url);
    let p = this.pending.get(assetId);
    if (!p) {
      p = this.fetchOne(assetId).finally(() => this.pending.delete(assetId));
      this.pending.set(assetId, p);
    }
    return p;
  }

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  /** Uploads an image to the workspace (admin token) and shows it at once. */
  async upload(blob: Blob): Promise<UploadedAsset> {
    let res: Response;
    try {
      res = await fetch(workspaceAssetsPath(this.workspaceId), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.token}`,
          'Content-Type': blob.type || 'application/octet-stream',
        },
        body: blob,
      });
    } catch {
      throw new AssetRequestError('network', 0);
    }
    const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
    if (!res.ok) throw new AssetRequestError(body.error ?? res.statusText, res.status, body.code);
    const asset = body as unknown as UploadedAsset;
    await writeCache(asset.id, blob);
    this.show(asset.id, blob);
    return asset;
  }

  destroy(): void {
    this.destroyed = true;
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls.clear();
    this.listeners.clear();
  }

  private async fetchOne(assetId: string): Promise<string> {
    try {
      let blob = await readCache(assetId);
      if (!blob) {
        const owner = this.owners.get(assetId);
        const sources = [
          { url: workspaceAssetsPath(this.workspaceId, assetId), token: this.token },
          ...(owner ? [{ url: assetUrl(owner.flashbookId, assetId), token: owner.token }] : []),
        ];
        for (const source of sources) {
          const res = await fetch(source.url, {
            headers: { Authorization: `Bearer ${source.token}` },
          }).catch(() => undefined);
          if (res?.ok) {
            blob = await res.blob();
            break;
          }
        }
        if (!blob) throw new AssetRequestError('not available', 404);
        if (await hashMatches(blob, assetId)) await writeCache(assetId, blob);
      }
      return this.show(assetId, blob);
    } catch (err) {
      this.failed.add(assetId);
      throw err;
    }
  }

  private show(assetId: string, blob: Blob): string {
    if (this.destroyed) throw new Error('the workspace page was closed');
    const existing = this.urls.get(assetId);
    if (existing) return existing;
    const url = URL.createObjectURL(blob);
    this.urls.set(assetId, url);
    this.failed.delete(assetId);
    for (const l of this.listeners) l();
    return url;
  }
}
