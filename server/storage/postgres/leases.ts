import type pg from 'pg';
import type { Leases } from '../types.ts';

/**
 * Leases in the `leases` table: a name is held by one holder until it expires. Acquiring is one
 * upsert that succeeds only when the lease is free, expired or already this holder's, so two
 * instances asking at once cannot both get it (the row lock of the upsert decides).
 */
export class PgLeases implements Leases {
  constructor(private readonly pool: pg.Pool) {}

  async tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const { rowCount } = await this.pool.query(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.expires_at < $4 OR leases.holder = excluded.holder`,
      [name, holder, now + ttlMs, now],
    );
    return rowCount === 1;
  }
}
