import type { MaybePromise } from '../storage/types.ts';

/**
 * Where workspaces live (docs/server.md, "Workspaces"). Plain methods, each answering a value or a
 * Promise, so that SQLite (server/workspaces/sqlite.ts) and a PostgreSQL store implement the same
 * thing. The member and admin links are links of scope `workspace` in the FlashbookStore
 * (server/auth/links.ts: hashes only, replacement, timing-safe resolution); here is the rest: the
 * workspace, its flashbooks, and the workspace key that seals their links, wrapped once per
 * current token (server/workspaces/keys.ts) and found by the token's SHA-256.
 */
export interface WorkspaceRecord {
  id: string;
  name: string;
  /** JSON of WorkspaceLibrary[] (validated on the way in). */
  libraries: string;
  /** JSON of BrandKit. */
  brand: string;
  /** The member token sealed with the workspace key, so an admin can show the member link. */
  memberTokenSealed: Uint8Array;
  createdAt: number;
  updatedAt: number;
}

/** A flashbook's membership in a workspace. */
export interface WorkspaceFlashbookRecord {
  flashbookId: string;
  workspaceId: string;
  /** The flashbook's links (JSON of their tokens), sealed with the workspace key. */
  sealedTokens: Uint8Array;
  addedAt: number;
  /** The last change stored for it, ms since the epoch. */
  updatedAt: number;
  /** When it was archived, or null. */
  archivedAt: number | null;
}

export interface WorkspaceStore {
  /** False, changing nothing, when the id is taken. */
  createWorkspace(record: WorkspaceRecord): MaybePromise<boolean>;
  getWorkspace(id: string): MaybePromise<WorkspaceRecord | undefined>;
  /** Any of name, libraries, brand, the sealed member token; and updatedAt. False if none. */
  updateWorkspace(
    id: string,
    patch: Partial<Pick<WorkspaceRecord, 'name' | 'libraries' | 'brand' | 'memberTokenSealed'>> & {
      updatedAt: number;
    },
  ): MaybePromise<boolean>;
  /** Stores the workspace key wrapped for the token whose SHA-256 is `tokenHash`. */
  putKey(workspaceId: string, tokenHash: Uint8Array, wrapped: Uint8Array): MaybePromise<void>;
  getKey(workspaceId: string, tokenHash: Uint8Array): MaybePromise<Uint8Array | undefined>;
  /** Drops the wrap of a replaced token. */
  deleteKey(workspaceId: string, tokenHash: Uint8Array): MaybePromise<void>;
  /** False when the flashbook already belongs to a workspace. */
  addFlashbook(record: WorkspaceFlashbookRecord): MaybePromise<boolean>;
  /** The membership of a flashbook, whatever its workspace. */
  getFlashbook(flashbookId: string): MaybePromise<WorkspaceFlashbookRecord | undefined>;
  listFlashbooks(workspaceId: string): MaybePromise<WorkspaceFlashbookRecord[]>;
  /** Archives (`at`) or restores (null). False when the flashbook is not in this workspace. */
  setArchived(workspaceId: string, flashbookId: string, at: number | null): MaybePromise<boolean>;
  /** Records a stored change (only for flashbooks of a workspace; others are ignored). */
  touch(flashbookId: string, at: number): MaybePromise<void>;
  /** Removes the membership (the caller deletes the flashbook itself). */
  removeFlashbook(workspaceId: string, flashbookId: string): MaybePromise<boolean>;
  close(): MaybePromise<void>;
}
