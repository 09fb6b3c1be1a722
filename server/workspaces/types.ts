import type { MaybePromise } from '../storage/types.ts';
import type { WorkspaceRole } from '../../src/protocol/workspaces.ts';

/**
 * Where workspaces live (docs/server.md, "Workspaces"). Plain methods, each answering a value or a
 * Promise, so that SQLite (server/workspaces/sqlite.ts) and a PostgreSQL store implement the same
 * thing. Tokens are never stored: only their SHA-256; the workspace key that seals its
 * flashbooks' links is stored wrapped by each of the two tokens (server/workspaces/keys.ts).
 */
export interface WorkspaceRecord {
  id: string;
  name: string;
  /** JSON of WorkspaceLibrary[] (validated on the way in). */
  libraries: string;
  /** JSON of BrandKit. */
  brand: string;
  memberTokenHash: Uint8Array;
  adminTokenHash: Uint8Array;
  /** The workspace key, sealed with a key derived from the member token. */
  memberKey: Uint8Array;
  /** The same key, sealed with a key derived from the admin token. */
  adminKey: Uint8Array;
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
  /** Name, libraries and brand (JSON), and updatedAt. False when there is no such workspace. */
  updateWorkspace(
    id: string,
    patch: Partial<Pick<WorkspaceRecord, 'name' | 'libraries' | 'brand'>> & { updatedAt: number },
  ): MaybePromise<boolean>;
  /**
   * Sets a role's token hash and wrapped key and remembers the old hash as replaced, atomically.
   * False when there is no such workspace.
   */
  replaceToken(
    id: string,
    role: WorkspaceRole,
    next: { tokenHash: Uint8Array; key: Uint8Array; memberTokenSealed?: Uint8Array },
    replacedAt: number,
  ): MaybePromise<boolean>;
  /** The role a replaced token had in this workspace, if the hash is one of its replaced tokens. */
  replacedRole(id: string, tokenHash: Uint8Array): MaybePromise<WorkspaceRole | undefined>;
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
