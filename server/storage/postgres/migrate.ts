import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

/**
 * Schema migrations of the PostgreSQL store: `migrations/NNNN_name.sql`, applied in order, each
 * in its own transaction, recorded in `schema_migrations`. A new table is one new file (and one
 * method in each store). Instances starting together take an advisory lock, so each file runs
 * once; a database migrated by a newer server (a version this code does not know) is refused,
 * like SQLite's user_version check.
 */

const DIR = join(import.meta.dirname, 'migrations');
/** pg_advisory_xact_lock key of the migrations ("fbmigr" in ASCII). */
const LOCK = 0x66626d69677;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function migrations(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f,
      sql: readFileSync(join(DIR, f), 'utf8'),
    }));
}

export const SCHEMA_VERSION = migrations().at(-1)?.version ?? 0;

/** Applies every migration not yet applied (up to `upTo`: tests build an older database). */
export async function migrate(pool: pg.Pool, upTo = SCHEMA_VERSION): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer PRIMARY KEY,
         name       text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    const applied = new Set(rows.map((r) => r.version));
    const newest = rows.at(-1)?.version ?? 0;
    if (newest > SCHEMA_VERSION) {
      throw new Error(
        `the database has schema version ${newest}; this server knows ${SCHEMA_VERSION}`,
      );
    }
    for (const m of migrations()) {
      if (applied.has(m.version) || m.version > upTo) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
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
