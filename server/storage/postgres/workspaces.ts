import type pg from 'pg';
import type {
  WorkspaceFlashbookRecord,
  WorkspaceRecord,
  WorkspaceStore,
} from '../../workspaces/types.ts';
import * as ws from '../../workspaces/rows.ts';
import { bytes } from '../bytes.ts';

/**
 * WorkspaceStore on PostgreSQL (migrations/0002): the same tables and rules as
 * server/workspaces/sqlite.ts, each method one statement, so every instance sees one truth.
 */

export class PgWorkspaceStore implements WorkspaceStore {
  constructor(private readonly pool: pg.Pool) {}

  async createWorkspace(r: WorkspaceRecord): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO workspaces (${ws.WORKSPACE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING`,
      ws.workspaceValues(r),
    );
    return rowCount === 1;
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | undefined> {
    const { rows } = await this.pool.query<ws.WorkspaceRow>(
      'SELECT * FROM workspaces WHERE id = $1',
      [id],
    );
    return rows[0] ? ws.toWorkspace(rows[0]) : undefined;
  }

  async updateWorkspace(
    id: string,
    patch: Partial<Pick<WorkspaceRecord, 'name' | 'libraries' | 'brand' | 'memberTokenSealed'>> & {
      updatedAt: number;
    },
  ): Promise<boolean> {
    const params: unknown[] = [id, patch.updatedAt];
    const sets = ['updated_at = $2'];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.libraries !== undefined) set('libraries', patch.libraries);
    if (patch.brand !== undefined) set('brand', patch.brand);
    if (patch.memberTokenSealed !== undefined)
      set('member_sealed', Buffer.from(patch.memberTokenSealed));
    const { rowCount } = await this.pool.query(
      `UPDATE workspaces SET ${sets.join(', ')} WHERE id = $1`,
      params,
    );
    return rowCount === 1;
  }

  async putKey(workspaceId: string, tokenHash: Uint8Array, wrapped: Uint8Array): Promise<void> {
    await this.pool.query(
      `INSERT INTO workspace_keys (token_hash, workspace_id, wrapped) VALUES ($1, $2, $3)
       ON CONFLICT (token_hash) DO UPDATE SET wrapped = excluded.wrapped`,
      [Buffer.from(tokenHash), workspaceId, Buffer.from(wrapped)],
    );
  }

  async getKey(workspaceId: string, tokenHash: Uint8Array): Promise<Uint8Array | undefined> {
    const { rows } = await this.pool.query<{ wrapped: Buffer }>(
      'SELECT wrapped FROM workspace_keys WHERE workspace_id = $1 AND token_hash = $2',
      [workspaceId, Buffer.from(tokenHash)],
    );
    return rows[0] ? bytes(rows[0].wrapped) : undefined;
  }

  async deleteKey(workspaceId: string, tokenHash: Uint8Array): Promise<void> {
    await this.pool.query(
      'DELETE FROM workspace_keys WHERE workspace_id = $1 AND token_hash = $2',
      [workspaceId, Buffer.from(tokenHash)],
    );
  }

  async addFlashbook(r: WorkspaceFlashbookRecord): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO workspace_flashbooks (${ws.MEMBER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (flashbook_id) DO NOTHING`,
      ws.memberValues(r),
    );
    return rowCount === 1;
  }

  async getFlashbook(flashbookId: string): Promise<WorkspaceFlashbookRecord | undefined> {
    const { rows } = await this.pool.query<ws.MemberRow>(
      'SELECT * FROM workspace_flashbooks WHERE flashbook_id = $1',
      [flashbookId],
    );
    return rows[0] ? ws.toMember(rows[0]) : undefined;
  }

  async listFlashbooks(workspaceId: string): Promise<WorkspaceFlashbookRecord[]> {
    const { rows } = await this.pool.query<ws.MemberRow>(
      'SELECT * FROM workspace_flashbooks WHERE workspace_id = $1 ORDER BY updated_at DESC',
      [workspaceId],
    );
    return rows.map(ws.toMember);
  }

  async setArchived(workspaceId: string, flashbookId: string, at: number | null): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE workspace_flashbooks SET archived_at = $1
       WHERE workspace_id = $2 AND flashbook_id = $3`,
      [at, workspaceId, flashbookId],
    );
    return rowCount === 1;
  }

  /** Only ever forward: two instances touching at once keep the later time. */
  async touch(flashbookId: string, at: number): Promise<void> {
    await this.pool.query(
      'UPDATE workspace_flashbooks SET updated_at = $1 WHERE flashbook_id = $2 AND updated_at < $1',
      [at, flashbookId],
    );
  }

  async removeFlashbook(workspaceId: string, flashbookId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM workspace_flashbooks WHERE workspace_id = $1 AND flashbook_id = $2',
      [workspaceId, flashbookId],
    );
    return rowCount === 1;
  }

  /** The pool belongs to the storage, which closes it. */
  close(): void {}
}
