import type pg from 'pg';
import {
  isVersionReason,
  type VersionAuthor,
  type VersionRecord,
  type VersionStore,
} from '../../versions/types.ts';
import { bytes } from './pool.ts';

/** VersionStore on PostgreSQL: the `versions` table of migrations/0001. */
export class PgVersionStore implements VersionStore {
  constructor(private readonly pool: pg.Pool) {}

  async addVersion(record: VersionRecord, state: Uint8Array): Promise<void> {
    await this.pool.query(
      `INSERT INTO versions (id, flashbook_id, created_at, reason, name, authors, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        record.id,
        record.flashbookId,
        record.createdAt,
        record.reason,
        record.name ?? null,
        JSON.stringify(record.authors),
        Buffer.from(state.buffer, state.byteOffset, state.byteLength),
      ],
    );
  }

  async listVersions(flashbookId: string): Promise<VersionRecord[]> {
    const { rows } = await this.pool.query<{
      id: string;
      flashbook_id: string;
      created_at: number;
      reason: string;
      name: string | null;
      authors: string;
      bytes: number;
    }>(
      `SELECT id, flashbook_id, created_at, reason, name, authors, octet_length(state)::int8 AS bytes
       FROM versions WHERE flashbook_id = $1 ORDER BY created_at DESC, ord DESC`,
      [flashbookId],
    );
    return rows.map((r) => {
      const record: VersionRecord = {
        id: r.id,
        flashbookId: r.flashbook_id,
        createdAt: r.created_at,
        reason: isVersionReason(r.reason) ? r.reason : 'automatic',
        authors: parseAuthors(r.authors),
        bytes: r.bytes,
      };
      if (r.name !== null) record.name = r.name;
      return record;
    });
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

function parseAuthors(json: string): VersionAuthor[] {
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return [];
    return value.filter(
      (a): a is VersionAuthor =>
        typeof a === 'object' &&
        a !== null &&
        typeof (a as VersionAuthor).name === 'string' &&
        typeof (a as VersionAuthor).library === 'string',
    );
  } catch {
    return [];
  }
}
