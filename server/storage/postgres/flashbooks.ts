import type pg from 'pg';
import type { StatusChange } from '../../../src/protocol/api.ts';
import type {
  FlashbookRecord,
  FlashbookStore,
  LinkRecord,
  LinkScope,
  StoredUpdates,
} from '../types.ts';
import { bytes, lockKey, transaction } from './pool.ts';

interface LinkRow {
  scope: string;
  scope_id: string;
  role: string;
  token_hash: Buffer;
  token: string | null;
  created_at: number;
  replaced_at: number | null;
}

interface StatusChangeRow {
  post_id: string;
  from_status: string;
  to_status: string;
  note: string | null;
  by_name: string;
  by_library: string;
  role: string;
  at: number;
  version_id: string | null;
}

function insertLink(client: pg.PoolClient, link: LinkRecord) {
  return client.query(
    `INSERT INTO links (scope, scope_id, role, token_hash, token, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      link.scope,
      link.scopeId,
      link.role,
      Buffer.from(link.tokenHash),
      link.token ?? null,
      link.createdAt,
    ],
  );
}

/** Serialises changes to the links of one (scope, id, role) across connections and instances. */
function lockLink(client: pg.PoolClient, link: LinkRecord) {
  return client.query('SELECT pg_advisory_xact_lock($1)', [
    lockKey('link', `${link.scope}\0${link.scopeId}\0${link.role}`),
  ]);
}

/**
 * FlashbookStore on PostgreSQL. Every method is one round trip (an append is one statement:
 * it bumps the flashbook's last_seq and inserts the row under that row's lock), so a flashbook's
 * seqs are dense and commit in order whichever instance appends (see migrations/0001).
 */
export class PgFlashbookStore implements FlashbookStore {
  constructor(private readonly pool: pg.Pool) {}

  /** The record, the first update (seq 1) and the first links in one transaction. */
  async createFlashbook(
    record: FlashbookRecord,
    initialUpdate: Uint8Array,
    links: readonly LinkRecord[] = [],
  ): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO flashbooks (id, title, created_at, last_seq) VALUES ($1, $2, $3, 1)
         ON CONFLICT (id) DO NOTHING`,
        [record.id, record.title, record.createdAt],
      );
      if (rowCount !== 1) return false;
      await client.query('INSERT INTO updates (flashbook_id, seq, data) VALUES ($1, 1, $2)', [
        record.id,
        Buffer.from(initialUpdate),
      ]);
      for (const link of links) await insertLink(client, link);
      return true;
    });
  }

  async getFlashbook(id: string): Promise<FlashbookRecord | undefined> {
    const { rows } = await this.pool.query<{ id: string; title: string; created_at: number }>(
      'SELECT id, title, created_at FROM flashbooks WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { id: row.id, title: row.title, createdAt: row.created_at };
  }

  async getLinks(scope: LinkScope, scopeId: string): Promise<LinkRecord[]> {
    const { rows } = await this.pool.query<LinkRow>(
      `SELECT scope, scope_id, role, token_hash, token, created_at, replaced_at FROM links
       WHERE scope = $1 AND scope_id = $2`,
      [scope, scopeId],
    );
    return rows.map((row) => {
      const link: LinkRecord = {
        scope: row.scope as LinkScope,
        scopeId: row.scope_id,
        role: row.role,
        tokenHash: bytes(row.token_hash),
        createdAt: row.created_at,
      };
      if (row.token !== null) link.token = row.token;
      if (row.replaced_at !== null) link.replacedAt = row.replaced_at;
      return link;
    });
  }

  /**
   * Marks the current link replaced and stores the new one, in one transaction under an
   * advisory lock of (scope, id, role): two instances replacing the same link at once run one
   * after the other (each sees the other's row as current), never both inserting a current row.
   */
  async replaceLink(link: LinkRecord): Promise<void> {
    await transaction(this.pool, async (client) => {
      await lockLink(client, link);
      await client.query(
        `UPDATE links SET replaced_at = $1
         WHERE scope = $2 AND scope_id = $3 AND role = $4 AND replaced_at IS NULL`,
        [link.createdAt, link.scope, link.scopeId, link.role],
      );
      await insertLink(client, link);
    });
  }

  /** Under the same lock as replaceLink: the check and the insert cannot interleave with another. */
  async addLinkIfNone(link: LinkRecord): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await lockLink(client, link);
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*) AS n FROM links WHERE scope = $1 AND scope_id = $2 AND role = $3',
        [link.scope, link.scopeId, link.role],
      );
      if ((rows[0]?.n ?? 0) > 0) return false;
      await insertLink(client, link);
      return true;
    });
  }

  async addStatusChange(flashbookId: string, change: StatusChange): Promise<void> {
    await this.pool.query(
      `INSERT INTO status_changes (flashbook_id, post_id, from_status, to_status, note, by_name,
         by_library, role, at, version_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        flashbookId,
        change.postId,
        change.from,
        change.to,
        change.note ?? null,
        change.by.name,
        change.by.library,
        change.role,
        change.at,
        change.versionId ?? null,
      ],
    );
  }

  async listStatusChanges(flashbookId: string, limit: number): Promise<StatusChange[]> {
    const { rows } = await this.pool.query<StatusChangeRow>(
      `SELECT post_id, from_status, to_status, note, by_name, by_library, role, at, version_id
       FROM status_changes WHERE flashbook_id = $1 ORDER BY seq DESC LIMIT $2`,
      [flashbookId, limit],
    );
    return rows.map((row) => {
      const change: StatusChange = {
        postId: row.post_id,
        from: row.from_status as StatusChange['from'],
        to: row.to_status as StatusChange['to'],
        by: { name: row.by_name, library: row.by_library },
        role: row.role as StatusChange['role'],
        at: row.at,
      };
      if (row.note !== null) change.note = row.note;
      if (row.version_id !== null) change.versionId = row.version_id;
      return change;
    });
  }

  /**
   * ON DELETE CASCADE takes the updates, the exhibition, the status changes and the workspace
   * membership along; links have no foreign key (their scope may be a workspace).
   */
  async deleteFlashbook(id: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await client.query("DELETE FROM links WHERE scope = 'flashbook' AND scope_id = $1", [id]);
      const { rowCount } = await client.query('DELETE FROM flashbooks WHERE id = $1', [id]);
      return rowCount === 1;
    });
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
