import { bytes } from '../storage/bytes.ts';
import type { WorkspaceFlashbookRecord, WorkspaceRecord } from './types.ts';

/**
 * The rows of the workspace tables and their records, the same on SQLite (sqlite.ts) and on
 * PostgreSQL (server/storage/postgres/workspaces.ts): both stores read and write them here.
 */

/** A row of `workspaces`. */
export interface WorkspaceRow {
  id: string;
  name: string;
  libraries: string;
  brand: string;
  member_sealed: Buffer;
  created_at: number;
  updated_at: number;
}

/** A row of `workspace_flashbooks`. */
export interface MemberRow {
  flashbook_id: string;
  workspace_id: string;
  sealed_tokens: Buffer;
  added_at: number;
  updated_at: number;
  archived_at: number | null;
}

export const toWorkspace = (r: WorkspaceRow): WorkspaceRecord => ({
  id: r.id,
  name: r.name,
  libraries: r.libraries,
  brand: r.brand,
  memberTokenSealed: bytes(r.member_sealed),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toMember = (r: MemberRow): WorkspaceFlashbookRecord => ({
  flashbookId: r.flashbook_id,
  workspaceId: r.workspace_id,
  sealedTokens: bytes(r.sealed_tokens),
  addedAt: r.added_at,
  updatedAt: r.updated_at,
  archivedAt: r.archived_at,
});

/** The columns of a new `workspaces` row, in the order of workspaceValues. */
export const WORKSPACE_COLUMNS =
  'id, name, libraries, brand, member_sealed, created_at, updated_at';

/** A workspace's values for an INSERT of WORKSPACE_COLUMNS. */
export const workspaceValues = (r: WorkspaceRecord): unknown[] => [
  r.id,
  r.name,
  r.libraries,
  r.brand,
  Buffer.from(r.memberTokenSealed),
  r.createdAt,
  r.updatedAt,
];

/** The columns of a new `workspace_flashbooks` row, in the order of memberValues. */
export const MEMBER_COLUMNS =
  'flashbook_id, workspace_id, sealed_tokens, added_at, updated_at, archived_at';

/** A membership's values for an INSERT of MEMBER_COLUMNS. */
export const memberValues = (r: WorkspaceFlashbookRecord): unknown[] => [
  r.flashbookId,
  r.workspaceId,
  Buffer.from(r.sealedTokens),
  r.addedAt,
  r.updatedAt,
  r.archivedAt,
];
