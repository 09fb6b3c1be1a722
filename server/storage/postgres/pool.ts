import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * The connection pool of the PostgreSQL store. int8 (counts, seqs, epoch milliseconds) is read
 * as a JS number: every such value here stays far below 2^53.
 */
export function createPool(
  url: string,
  options: { max: number; idleTimeoutMs: number },
  onError: (err: Error) => void,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    // While the database is unreachable, requests fail after this instead of queueing forever.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: options.idleTimeoutMs,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === pg.types.builtins.INT8
          ? Number
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection whose server went away (a restart): the pool drops it and makes a new one.
  pool.on('error', onError);
  return pool;
}

// The one Buffer-to-Uint8Array view (server/storage/bytes.ts), also here for the modules of
// this folder that import it from the pool.
export { bytes } from '../bytes.ts';

/** A 64-bit advisory lock key for `kind` and `id` (as a decimal string, for int8). */
export function lockKey(kind: string, id: string): string {
  return createHash('sha256').update(`${kind}\0${id}`).digest().readBigInt64BE(0).toString();
}

/** Runs `work` in one transaction on one connection of the pool: committed, or rolled back. */
export async function transaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
