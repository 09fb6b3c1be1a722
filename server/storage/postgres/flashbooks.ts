import type pg from 'pg';
import type { FlashbookRecord, FlashbookStore, StoredUpdates } from '../types.ts';
import { bytes, lockKey } from './pool.ts';

/**
 * FlashbookStore on PostgreSQL. Every method is one round trip (an append is one statement:
 * it bumps the flashbook's last_seq and inserts the row under that row's lock), so a flashbook's
 * seqs are dense and commit in order whichever instance appends (see migrations/0001).
 */
export class PgFlashbookStore implements FlashbookStore {
  constructor(private readonly pool: pg.Pool) {}

  async createFlashbook(record: FlashbookRecord, initialUpdate: Uint8Array): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `WITH f AS (
         INSERT INTO flashbooks (id, title, edit_token_hash, view_token, created_at, last_seq)
         VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (id) DO NOTHING RETURNING id)
       INSERT INTO updates (flashbook_id, seq, data) SELECT id, 1, $6 FROM f`,
      [
        record.id,
        record.title,
        Buffer.from(record.editTokenHash),
        record.viewToken,
        record.createdAt,
        Buffer.from(initialUpdate),
      ],
    );
    return rowCount === 1;
  }

  async getFlashbook(id: string): Promise<FlashbookRecord | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      title: string;
      edit_token_hash: Buffer;
      view_token: string;
      created_at: number;
    }>('SELECT id, title, edit_token_hash, view_token, created_at FROM flashbooks WHERE id = $1', [
      id,
    ]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      title: row.title,
      editTokenHash: new Uint8Array(row.edit_token_hash),
      viewToken: row.view_token,
      createdAt: row.created_at,
    };
  }

  async appendUpdate(id: string, update: Uint8Array): Promise<number> {
    const { rows } = await this.pool.query<{ seq: number }>(
      `WITH s AS (UPDATE flashbooks SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
       INSERT INTO updates (flashbook_id, seq, data) SELECT $1, last_seq, $2 FROM s RETURNING seq`,
      [id, Buffer.from(update.buffer, update.byteOffset, update.byteLength)],
    );
    const seq = rows[0]?.seq;
    if (seq === undefined) throw new Error(`no flashbook ${id} to append to`);
    return seq;
  }

  /** One statement for the lot: the seqs last_seq+1 … last_seq+n, in the given order. */
  async appendUpdates(id: string, updates: Uint8Array[]): Promise<number[]> {
    if (updates.length === 1) return [await this.appendUpdate(id, updates[0]!)];
    const { rows } = await this.pool.query<{ seq: number }>(
      `WITH s AS (UPDATE flashbooks SET last_seq = last_seq + $3 WHERE id = $1 RETURNING last_seq)
       INSERT INTO updates (flashbook_id, seq, data)
       SELECT $1, s.last_seq - $3 + u.ord, u.data
       FROM s, unnest($2::bytea[]) WITH ORDINALITY AS u(data, ord)
       RETURNING seq`,
      [id, updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)), updates.length],
    );
    if (rows.length !== updates.length) throw new Error(`no flashbook ${id} to append to`);
    return rows.map((r) => r.seq).sort((a, b) => a - b);
  }

  async loadUpdates(id: string): Promise<StoredUpdates> {
    return this.loadUpdatesAfter(id, 0);
  }

  /** The rows after `afterSeq`: what an instance that has everything up to it lacks. */
  async loadUpdatesAfter(
    id: string,
    afterSeq: number,
  ): Promise<StoredUpdates & { seqs: number[] }> {
    const { rows } = await this.pool.query<{ seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE flashbook_id = $1 AND seq > $2 ORDER BY seq',
      [id, afterSeq],
    );
    return {
      updates: rows.map((r) => bytes(r.data)),
      seqs: rows.map((r) => r.seq),
      lastSeq: rows.at(-1)?.seq ?? afterSeq,
    };
  }

  /**
   * One compaction of a flashbook at a time across instances (a transaction-scoped advisory
   * lock); another instance's compaction running meanwhile makes this one a no-op, which is
   * always safe (the rows stay complete).
   */
  async compact(id: string, upToSeq: number, merged: Uint8Array): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1) AS ok',
        [lockKey('compact', id)],
      );
      if (rows[0]?.ok) {
        await client.query('DELETE FROM updates WHERE flashbook_id = $1 AND seq <= $2', [
          id,
          upToSeq,
        ]);
        await client.query('INSERT INTO updates (flashbook_id, seq, data) VALUES ($1, $2, $3)', [
          id,
          upToSeq,
          Buffer.from(merged),
        ]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async countUpdates(id: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*) AS n FROM updates WHERE flashbook_id = $1',
      [id],
    );
    return rows[0]?.n ?? 0;
  }

  /** The pool belongs to PgStorage, which closes it. */
  close(): void {}
}
