import type Database from 'better-sqlite3';
import { bytes } from '../storage/bytes.ts';
import * as ws from './rows.ts';
import type { WorkspaceFlashbookRecord, WorkspaceRecord, WorkspaceStore } from './types.ts';

/**
 * Workspaces in `flashbooks.db`, on the flashbook store's connection (one WAL, and memberships
 * cascade when a flashbook row is deleted). Its own migration marker (table `workspace_schema`),
 * so it evolves without touching the flashbook store's `user_version`.
 */

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS workspace_schema (version INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS workspaces (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  libraries         TEXT NOT NULL,
  brand             TEXT NOT NULL,
  member_sealed     BLOB NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
) STRICT;
-- The workspace key wrapped for each current token (its links are in the links table).
-- Written before the workspace row (a link only becomes usable once its key is there), so no
-- foreign key.
CREATE TABLE IF NOT EXISTS workspace_keys (
  token_hash   BLOB PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  wrapped      BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS workspace_flashbooks (
  flashbook_id  TEXT PRIMARY KEY REFERENCES flashbooks(id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  sealed_tokens BLOB NOT NULL,
  added_at      INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  archived_at   INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS workspace_flashbooks_by_workspace ON workspace_flashbooks (workspace_id);
`;

export class SqliteWorkspaceStore implements WorkspaceStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    const row = db.prepare('SELECT version FROM workspace_schema').get() as
      { version: number } | undefined;
    if (row && row.version > SCHEMA_VERSION) {
      throw new Error(
        `workspaces have schema version ${row.version}; this server knows ${SCHEMA_VERSION}`,
      );
    }
    if (!row) db.prepare('INSERT INTO workspace_schema (version) VALUES (?)').run(SCHEMA_VERSION);
    this.stmt = {
      insert: db.prepare<unknown[]>(
        `INSERT INTO workspaces (${ws.WORKSPACE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      ),
      get: db.prepare<[string], ws.WorkspaceRow>('SELECT * FROM workspaces WHERE id = ?'),
      putKey: db.prepare<[Uint8Array, string, Uint8Array]>(
        `INSERT INTO workspace_keys (token_hash, workspace_id, wrapped) VALUES (?, ?, ?)
         ON CONFLICT (token_hash) DO UPDATE SET wrapped = excluded.wrapped`,
      ),
      getKey: db.prepare<[string, Uint8Array], { wrapped: Buffer }>(
        'SELECT wrapped FROM workspace_keys WHERE workspace_id = ? AND token_hash = ?',
      ),
      deleteKey: db.prepare<[string, Uint8Array]>(
        'DELETE FROM workspace_keys WHERE workspace_id = ? AND token_hash = ?',
      ),
      addFlashbook: db.prepare<unknown[]>(
        `INSERT INTO workspace_flashbooks (${ws.MEMBER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (flashbook_id) DO NOTHING`,
      ),
      getFlashbook: db.prepare<[string], ws.MemberRow>(
        'SELECT * FROM workspace_flashbooks WHERE flashbook_id = ?',
      ),
      list: db.prepare<[string], ws.MemberRow>(
        'SELECT * FROM workspace_flashbooks WHERE workspace_id = ? ORDER BY updated_at DESC',
      ),
      archive: db.prepare<[number | null, string, string]>(
        'UPDATE workspace_flashbooks SET archived_at = ? WHERE workspace_id = ? AND flashbook_id = ?',
      ),
      touch: db.prepare<[number, string, number]>(
        'UPDATE workspace_flashbooks SET updated_at = ? WHERE flashbook_id = ? AND updated_at < ?',
      ),
      remove: db.prepare<[string, string]>(
        'DELETE FROM workspace_flashbooks WHERE workspace_id = ? AND flashbook_id = ?',
      ),
    };
  }

  createWorkspace(record: WorkspaceRecord): boolean {
    return this.stmt.insert.run(ws.workspaceValues(record)).changes === 1;
  }

  getWorkspace(id: string): WorkspaceRecord | undefined {
    const row = this.stmt.get.get(id);
    return row ? ws.toWorkspace(row) : undefined;
  }

  updateWorkspace(
    id: string,
    patch: Partial<Pick<WorkspaceRecord, 'name' | 'libraries' | 'brand' | 'memberTokenSealed'>> & {
      updatedAt: number;
    },
  ): boolean {
    const sets: string[] = ['updated_at = @updatedAt'];
    if (patch.name !== undefined) sets.push('name = @name');
    if (patch.libraries !== undefined) sets.push('libraries = @libraries');
    if (patch.brand !== undefined) sets.push('brand = @brand');
    if (patch.memberTokenSealed !== undefined) sets.push('member_sealed = @memberTokenSealed');
    const params = {
      ...patch,
      ...(patch.memberTokenSealed
        ? { memberTokenSealed: Buffer.from(patch.memberTokenSealed) }
        : {}),
      id,
    };
    return (
      this.db.prepare(`UPDATE workspaces SET ${sets.join(', ')} WHERE id = @id`).run(params)
        .changes === 1
    );
  }

  putKey(workspaceId: string, tokenHash: Uint8Array, wrapped: Uint8Array): void {
    this.stmt.putKey.run(Buffer.from(tokenHash), workspaceId, Buffer.from(wrapped));
  }

  getKey(workspaceId: string, tokenHash: Uint8Array): Uint8Array | undefined {
    const row = this.stmt.getKey.get(workspaceId, Buffer.from(tokenHash));
    return row ? bytes(row.wrapped) : undefined;
  }

  deleteKey(workspaceId: string, tokenHash: Uint8Array): void {
    this.stmt.deleteKey.run(workspaceId, Buffer.from(tokenHash));
  }

  addFlashbook(record: WorkspaceFlashbookRecord): boolean {
    return this.stmt.addFlashbook.run(ws.memberValues(record)).changes === 1;
  }

  getFlashbook(flashbookId: string): WorkspaceFlashbookRecord | undefined {
    const row = this.stmt.getFlashbook.get(flashbookId);
    return row ? ws.toMember(row) : undefined;
  }

  listFlashbooks(workspaceId: string): WorkspaceFlashbookRecord[] {
    return this.stmt.list.all(workspaceId).map(ws.toMember);
  }

  setArchived(workspaceId: string, flashbookId: string, at: number | null): boolean {
    return this.stmt.archive.run(at, workspaceId, flashbookId).changes === 1;
  }

  touch(flashbookId: string, at: number): void {
    this.stmt.touch.run(at, flashbookId, at);
  }

  removeFlashbook(workspaceId: string, flashbookId: string): boolean {
    return this.stmt.remove.run(workspaceId, flashbookId).changes === 1;
  }

  close(): void {
    // The connection belongs to the flashbook store, which closes it.
  }
}

/** For a FlashbookStore that is not SQLite (tests, benchmarks): the same rules in memory. */
export class MemoryWorkspaceStore implements WorkspaceStore {
  private readonly workspaces = new Map<string, WorkspaceRecord>();
  private readonly keys = new Map<string, Uint8Array>();
  private readonly members = new Map<string, WorkspaceFlashbookRecord>();

  createWorkspace(record: WorkspaceRecord): boolean {
    if (this.workspaces.has(record.id)) return false;
    this.workspaces.set(record.id, { ...record });
    return true;
  }
  getWorkspace(id: string): WorkspaceRecord | undefined {
    const w = this.workspaces.get(id);
    return w ? { ...w } : undefined;
  }
  updateWorkspace(
    id: string,
    patch: Partial<Pick<WorkspaceRecord, 'name' | 'libraries' | 'brand' | 'memberTokenSealed'>> & {
      updatedAt: number;
    },
  ): boolean {
    const w = this.workspaces.get(id);
    if (!w) return false;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    this.workspaces.set(id, { ...w, ...defined });
    return true;
  }
  putKey(workspaceId: string, tokenHash: Uint8Array, wrapped: Uint8Array): void {
    this.keys.set(`${workspaceId}:${Buffer.from(tokenHash).toString('hex')}`, wrapped);
  }
  getKey(workspaceId: string, tokenHash: Uint8Array): Uint8Array | undefined {
    return this.keys.get(`${workspaceId}:${Buffer.from(tokenHash).toString('hex')}`);
  }
  deleteKey(workspaceId: string, tokenHash: Uint8Array): void {
    this.keys.delete(`${workspaceId}:${Buffer.from(tokenHash).toString('hex')}`);
  }
  addFlashbook(record: WorkspaceFlashbookRecord): boolean {
    if (this.members.has(record.flashbookId)) return false;
    this.members.set(record.flashbookId, { ...record });
    return true;
  }
  getFlashbook(flashbookId: string): WorkspaceFlashbookRecord | undefined {
    const m = this.members.get(flashbookId);
    return m ? { ...m } : undefined;
  }
  listFlashbooks(workspaceId: string): WorkspaceFlashbookRecord[] {
    return [...this.members.values()]
      .filter((m) => m.workspaceId === workspaceId)
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }
  setArchived(workspaceId: string, flashbookId: string, at: number | null): boolean {
    const m = this.members.get(flashbookId);
    if (!m || m.workspaceId !== workspaceId) return false;
    m.archivedAt = at;
    return true;
  }
  touch(flashbookId: string, at: number): void {
    const m = this.members.get(flashbookId);
    if (m && m.updatedAt < at) m.updatedAt = at;
  }
  removeFlashbook(workspaceId: string, flashbookId: string): boolean {
    const m = this.members.get(flashbookId);
    if (!m || m.workspaceId !== workspaceId) return false;
    return this.members.delete(flashbookId);
  }
  close(): void {}
}
