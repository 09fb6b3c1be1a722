import type pg from 'pg';
import { toVersion, VERSION_COLUMNS, versionValues, type VersionRow } from '../../versions/rows.ts';
import type { VersionRecord, VersionStore } from '../../versions/types.ts';
import { bytes } from '../bytes.ts';

/** VersionStore on PostgreSQL: the `versions` table of migrations/0001. */
export class PgVersionStore implements VersionStore {
  constructor(private readonly pool: pg.Pool) {}

  async addVersion(record: VersionRecord, state: Uint8Array): Promise<void> {
    await this.pool.query(
      `INSERT INTO versions (${VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      versionValues(record, state),
    );
  }

  async listVersions(flashbookId: string): Promise<VersionRecord[]> {
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT id, flashbook_id, created_at, reason, name, authors, octet_length(state)::int8 AS bytes
       FROM versions WHERE flashbook_id = $1 ORDER BY created_at DESC, ord DESC`,
      [flashbookId],
    );
    return rows.map(toVersion);
  }

  async getVersionState(flashbookId: string, id: string): Promise<Uint8Array | undefined> {
    const { rows } = await this.pool.query<{ state: Buffer }>(
      'SELECT state FROM versions WHERE flashbook_id = $1 AND id = $2',
      [flashbookId, id],
    );
    return rows[0] ? bytes(rows[0].state) : undefined;
  }

  async deleteVersions(flashbookId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query('DELETE FROM versions WHERE flashbook_id = $1 AND id = ANY($2)', [
      flashbookId,
      [...ids],
    ]);
  }

  async versionBytes(flashbookId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number | null }>(
      'SELECT sum(octet_length(state))::int8 AS n FROM versions WHERE flashbook_id = $1',
      [flashbookId],
    );
    return rows[0]?.n ?? 0;
  }

  close(): void {}
}
