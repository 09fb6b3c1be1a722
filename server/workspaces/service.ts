import type { IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import { applyBrandKit } from '../../src/model/brand.ts';
import { readFlashbook } from '../../src/model/read.ts';
import { SERVER } from '../../src/model/origins.ts';
import { isValidId, newId } from '../../src/model/ids.ts';
import { POST_STATUSES, type PostStatus } from '../../src/model/schema.ts';
import { flashbookUrl } from '../../src/protocol/api.ts';
import {
  DEFAULT_BRAND_KIT,
  isWorkspaceRole,
  workspaceUrl,
  type BrandKit,
  type CreatedWorkspace,
  type WorkspaceFlashbook,
  type WorkspaceLibrary,
  type WorkspaceRole,
} from '../../src/protocol/workspaces.ts';
import type { AssetStore } from '../assets/store.ts';
import { sha256 } from '../auth/tokens.ts';
import { currentLink, issueLink, resolveToken, type LinkRecord } from '../auth/links.ts';
import { LINK_REPLACED_CODE } from '../../src/protocol/api.ts';
import type { ExhibitionStore } from '../exhibition/store.ts';
import { HttpError } from '../http/respond.ts';
import type { FlashbookStore } from '../storage/types.ts';
import type { Rooms } from '../sync/rooms.ts';
import type { Room } from '../sync/room.ts';
import { newWorkspaceKey, seal, sealJson, unseal, unsealJson, unwrapKey, wrapKey } from './keys.ts';
import type { WorkspaceFlashbookRecord, WorkspaceRecord, WorkspaceStore } from './types.ts';
import { parseBrand, parseLibraries } from './validate.ts';

/** The links of a flashbook the workspace keeps (sealed with the workspace key). */
export interface FlashbookTokens {
  edit: string;
  view: string;
  comment?: string;
  approve?: string;
}

/** A request whose bearer token holds a role in a workspace. */
export interface WorkspaceAccess {
  record: WorkspaceRecord;
  role: WorkspaceRole;
  /** The workspace key, unsealed with the bearer's token. */
  key: Uint8Array;
  token: string;
}

export interface WorkspaceServiceOptions {
  store: WorkspaceStore;
  flashbooks: FlashbookStore;
  assets: AssetStore;
  exhibitions: ExhibitionStore;
  /** Loaded rooms, read for live summaries and closed before a deletion. */
  rooms?: () => Rooms | undefined;
  /** Deletes a flashbook's versions when it is deleted for good (server/versions/service.ts). */
  versions?: { forget(flashbookId: string): Promise<void> };
}

/** Grants of a workspace's images live beside the flashbooks' under a key no flashbook id can be. */
export const workspaceAssetKey = (workspaceId: string): string => `~w~${workspaceId}`;

export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const token = match?.[1];
  // Real tokens are 43 characters; refusing absurd input early avoids hashing megabytes.
  return token && token.length <= 512 ? token : undefined;
}

/** How long a computed summary of a flashbook is reused while nothing changed in it. */
interface CachedSummary {
  updatedAt: number;
  summary: Omit<WorkspaceFlashbook, 'archived' | 'archivedAt' | 'editToken' | 'links'>;
}

export class WorkspaceService {
  private readonly summaries = new Map<string, CachedSummary>();
  /** Last change per flashbook in this process; written to the store at most every TOUCH_MS. */
  private readonly touched = new Map<string, { at: number; written: number }>();

  constructor(readonly opts: WorkspaceServiceOptions) {}

  async create(name: string): Promise<CreatedWorkspace> {
    const key = newWorkspaceKey();
    const now = Date.now();
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = newId();
      const member = issueLink('workspace', id, 'member', now);
      const admin = issueLink('workspace', id, 'admin', now);
      // A link ever issued for the id means it is taken (95 random bits: never, in practice).
      if (!(await this.opts.flashbooks.addLinkIfNone(member.link))) continue;
      if (!(await this.opts.flashbooks.addLinkIfNone(admin.link))) continue;
      await this.opts.store.putKey(id, member.link.tokenHash, wrapKey(key, member.token, id));
      await this.opts.store.putKey(id, admin.link.tokenHash, wrapKey(key, admin.token, id));
      const record: WorkspaceRecord = {
        id,
        name,
        libraries: '[]',
        brand: JSON.stringify(DEFAULT_BRAND_KIT),
        memberTokenSealed: seal(key, new TextEncoder().encode(member.token)),
        createdAt: now,
        updatedAt: now,
      };
      if (await this.opts.store.createWorkspace(record)) {
        return {
          id,
          memberToken: member.token,
          memberUrl: workspaceUrl(id, member.token),
          adminToken: admin.token,
          adminUrl: workspaceUrl(id, admin.token),
        };
      }
    }
    throw new Error('could not allocate a workspace id');
  }

  /**
   * The role of the bearer in workspace `id` (its links: server/auth/links.ts, timing-safe): 400
   * for a bad id, 404 for none, 410 `link-replaced` for a replaced token, 401 otherwise.
   */
  async authenticate(req: IncomingMessage, id: unknown): Promise<WorkspaceAccess> {
    if (!isValidId(id)) throw new HttpError(400, 'invalid workspace id');
    const record = await this.opts.store.getWorkspace(id);
    if (!record) throw new HttpError(404, 'workspace not found');
    const token = bearerToken(req);
    const links = await this.opts.flashbooks.getLinks('workspace', id);
    const found = resolveToken(links, token);
    if (found?.replaced && isWorkspaceRole(found.role)) {
      throw new HttpError(
        410,
        `this ${found.role} link was replaced; ask the workspace's admin for the new one`,
        {},
        { code: LINK_REPLACED_CODE },
      );
    }
    if (!token || !found || !isWorkspaceRole(found.role)) {
      throw new HttpError(401, 'missing or invalid workspace token', {
        'www-authenticate': 'Bearer',
      });
    }
    const wrapped = await this.opts.store.getKey(id, sha256(token));
    const key = wrapped ? unwrapKey(wrapped, token, id) : undefined;
    if (!key) throw new Error(`workspace ${id}: the ${found.role} key does not unseal`);
    return { record, role: found.role, key, token };
  }

  async replaceToken(access: WorkspaceAccess, role: WorkspaceRole): Promise<string> {
    const id = access.record.id;
    const links = await this.opts.flashbooks.getLinks('workspace', id);
    const old = currentLink(links, role);
    const next = issueLink('workspace', id, role);
    // The new token's key first: the link only becomes current once it can unseal.
    await this.opts.store.putKey(id, next.link.tokenHash, wrapKey(access.key, next.token, id));
    await this.opts.flashbooks.replaceLink(next.link);
    if (role === 'member') {
      await this.opts.store.updateWorkspace(id, {
        memberTokenSealed: seal(access.key, new TextEncoder().encode(next.token)),
        updatedAt: next.link.createdAt,
      });
    }
    if (old) await this.opts.store.deleteKey(id, old.tokenHash);
    return next.token;
  }

  /** The member token, for an admin to hand out (undefined if it does not unseal). */
  memberToken(access: WorkspaceAccess): string | undefined {
    const plain = unseal(access.key, access.record.memberTokenSealed);
    return plain ? new TextDecoder().decode(plain) : undefined;
  }

  requireAdmin(access: WorkspaceAccess): void {
    if (access.role !== 'admin') {
      throw new HttpError(403, 'only the admin link may do this');
    }
  }

  brandOf(record: WorkspaceRecord): BrandKit {
    return parseBrand(record.brand);
  }

  librariesOf(record: WorkspaceRecord): WorkspaceLibrary[] {
    return parseLibraries(record.libraries);
  }

  /** Writes the brand kit and the participating libraries into a new document. */
  applyTo(doc: Y.Doc, record: WorkspaceRecord): void {
    applyBrandKit(doc, this.brandOf(record), SERVER, this.librariesOf(record));
  }

  /**
   * Gives a new flashbook of the workspace the workspace's images (its logo and the libraries'
   * logos), so its slides can show them with the flashbook's own links.
   */
  async grantImages(record: WorkspaceRecord, flashbookId: string): Promise<void> {
    const brand = this.brandOf(record);
    const ids = new Set(
      [brand.logo, ...this.librariesOf(record).map((l) => l.logo)].filter((x) => x !== ''),
    );
    const from = workspaceAssetKey(record.id);
    for (const assetId of ids) {
      const asset = await this.opts.assets.get(from, assetId);
      if (!asset) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of this.opts.assets.read(assetId) as AsyncIterable<Buffer>) {
        chunks.push(chunk);
      }
      await this.opts.assets.put(flashbookId, asset, Buffer.concat(chunks));
    }
  }

  /** Records a new flashbook as the workspace's, with its links sealed. */
  async attach(
    access: WorkspaceAccess,
    flashbookId: string,
    tokens: FlashbookTokens,
  ): Promise<void> {
    const now = Date.now();
    await this.opts.store.addFlashbook({
      flashbookId,
      workspaceId: access.record.id,
      sealedTokens: sealJson(access.key, tokens),
      addedAt: now,
      updatedAt: now,
      archivedAt: null,
    });
  }

  /** The membership of a flashbook in this workspace, or 404. */
  async member(access: WorkspaceAccess, flashbookId: string): Promise<WorkspaceFlashbookRecord> {
    if (!isValidId(flashbookId)) throw new HttpError(400, 'invalid flashbook id');
    const m = await this.opts.store.getFlashbook(flashbookId);
    if (!m || m.workspaceId !== access.record.id) {
      throw new HttpError(404, 'this workspace has no such flashbook');
    }
    return m;
  }

  /** Deletes an archived flashbook for good: its connections are closed first. */
  async deleteForGood(access: WorkspaceAccess, flashbookId: string): Promise<void> {
    const m = await this.member(access, flashbookId);
    if (m.archivedAt === null) {
      throw new HttpError(
        409,
        'only an archived flashbook can be deleted; archive it first',
        {},
        {
          code: 'not-archived',
        },
      );
    }
    const remove = this.opts.flashbooks.deleteFlashbook?.bind(this.opts.flashbooks);
    if (!remove) throw new HttpError(501, 'this server’s storage cannot delete flashbooks');
    await this.opts.rooms?.()?.evict(flashbookId, 4404, 'flashbook deleted');
    await this.opts.store.removeFlashbook(access.record.id, flashbookId);
    await remove(flashbookId);
    // Versions live in a table of their own (no foreign key: docs/server.md, "Versions").
    await this.opts.versions?.forget(flashbookId);
    this.summaries.delete(flashbookId);
  }

  /** Every flashbook of the workspace, as the bearer may see it, last changed first. */
  async list(access: WorkspaceAccess): Promise<WorkspaceFlashbook[]> {
    const rows = await this.opts.store.listFlashbooks(access.record.id);
    const out: WorkspaceFlashbook[] = [];
    for (const row of rows) {
      const updatedAt = Math.max(row.updatedAt, this.touched.get(row.flashbookId)?.at ?? 0);
      const summary = await this.summary(row.flashbookId, updatedAt);
      if (!summary) continue;
      const sealed = unsealJson<FlashbookTokens>(access.key, row.sealedTokens);
      // A flashbook's approver may have replaced one of its links since: only current ones go out.
      const tokens = sealed
        ? currentTokens(sealed, await this.opts.flashbooks.getLinks('flashbook', row.flashbookId))
        : undefined;
      const item: WorkspaceFlashbook = {
        ...summary,
        updatedAt,
        archived: row.archivedAt !== null,
        ...(row.archivedAt !== null ? { archivedAt: row.archivedAt } : {}),
      };
      if (tokens) {
        if (tokens.edit) item.editToken = tokens.edit;
        if (access.role === 'admin') {
          const links: Record<string, string> = {};
          for (const role of ['view', 'comment', 'edit', 'approve'] as const) {
            const t = tokens[role];
            if (t) links[role] = flashbookUrl(row.flashbookId, t);
          }
          item.links = links;
        } else if (tokens.edit) {
          item.links = { edit: flashbookUrl(row.flashbookId, tokens.edit) };
        }
      }
      out.push(item);
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  private async summary(
    flashbookId: string,
    updatedAt: number,
  ): Promise<CachedSummary['summary'] | undefined> {
    const cached = this.summaries.get(flashbookId);
    if (cached && cached.updatedAt === updatedAt) return cached.summary;
    const record = await this.opts.flashbooks.getFlashbook(flashbookId);
    if (!record) return undefined;
    const doc = new Y.Doc();
    try {
      const room = this.opts.rooms?.()?.loaded(flashbookId);
      if (room && room.state === 'ready') {
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
      } else {
        const { updates } = await this.opts.flashbooks.loadUpdates(flashbookId);
        for (const u of updates) Y.applyUpdate(doc, u, SERVER);
      }
      const view = readFlashbook(doc);
      const statuses = Object.fromEntries(POST_STATUSES.map((s) => [s, 0])) as Record<
        PostStatus,
        number
      >;
      // The participating libraries, and any library a post or slide names by free text.
      const libraries = new Set<string>(view.libraries.map((l) => l.name).filter(Boolean));
      const name = (value: string) =>
        view.libraries.find((l) => l.id === value)?.name ?? value.trim();
      for (const post of view.posts) {
        statuses[post.status]++;
        if (post.library) libraries.add(name(post.library));
        for (const s of post.slides) if (s.library) libraries.add(name(s.library));
      }
      libraries.delete('');
      const first = view.posts[0]?.slides[0];
      const publication = await this.opts.exhibitions.byFlashbook(flashbookId);
      const published = publication?.state !== undefined;
      const summary: CachedSummary['summary'] = {
        id: flashbookId,
        title: view.title || record.title,
        createdAt: record.createdAt,
        updatedAt,
        libraries: [...libraries].sort(),
        statuses,
        published,
        ...(published && publication ? { exhibitionUrl: `/e/${publication.slug}` } : {}),
        ...(first
          ? {
              cover: {
                slide: first,
                format: view.format,
                design: {
                  theme: view.theme,
                  brandColor: view.brandColor,
                  logo: view.logo,
                  biblioStyle: view.biblioStyle,
                  attribution: view.attribution,
                  libraries: view.libraries,
                },
              },
            }
          : {}),
      };
      this.summaries.set(flashbookId, { updatedAt, summary });
      return summary;
    } finally {
      doc.destroy();
    }
  }

  /**
   * A stored change of a flashbook (called after every append): "last change" for the workspace
   * page. Kept in memory at once and written to the store at most every few seconds per flashbook.
   */
  touch(flashbookId: string): void {
    const now = Date.now();
    const t = this.touched.get(flashbookId);
    if (t && now - t.written < TOUCH_MS) {
      t.at = now;
      return;
    }
    this.touched.set(flashbookId, { at: now, written: now });
    if (this.touched.size > 10_000) {
      for (const [id, v] of this.touched) if (now - v.at > TOUCH_MS) this.touched.delete(id);
    }
    void Promise.resolve(this.opts.store.touch(flashbookId, now)).catch(() => undefined);
  }

  private readonly watching = new Map<Room, () => void>();

  /** RoomObserver: from now on every change of the room's document is an edit. */
  roomLoaded(room: Room): void {
    const onUpdate = () => this.touch(room.id);
    room.doc.on('update', onUpdate);
    this.watching.set(room, () => room.doc.off('update', onUpdate));
  }

  roomGone(room: Room): void {
    this.watching.get(room)?.();
    this.watching.delete(room);
  }

  /** Writes the last changes not yet stored (shutdown). */
  async flush(): Promise<void> {
    for (const [id, t] of this.touched) {
      if (t.at > t.written) await this.opts.store.touch(id, t.at);
    }
    this.touched.clear();
  }
}

const TOUCH_MS = 5000;

/** The sealed tokens that are still their role's current link. */
function currentTokens(sealed: FlashbookTokens, links: LinkRecord[]): Partial<FlashbookTokens> {
  const out: Partial<FlashbookTokens> = {};
  for (const role of ['view', 'comment', 'edit', 'approve'] as const) {
    const token = sealed[role];
    if (!token) continue;
    const found = resolveToken(links, token);
    if (found && !found.replaced && found.role === role) out[role] = token;
  }
  return out;
}
