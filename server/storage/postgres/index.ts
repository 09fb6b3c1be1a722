import type pg from 'pg';
import type { Logger } from '../../log.ts';
import { errorMessage } from '../../log.ts';
import type { Storage } from '../storage.ts';
import { PgAssetStore } from './assets.ts';
import { PgExhibitionStore } from './exhibitions.ts';
import { PgFlashbookStore } from './flashbooks.ts';
import { PgLeases } from './leases.ts';
import { migrate } from './migrate.ts';
import { createPool } from './pool.ts';
import { PgVersionStore } from './versions.ts';
import { PgWorkspaceStore } from './workspaces.ts';

export { PgFlashbookStore };

/** Everything durable in one PostgreSQL database (DATABASE_URL), migrated on open. */
export async function openPostgres(
  url: string,
  log: Logger,
  poolOptions: { max: number; idleTimeoutMs: number } = { max: 10, idleTimeoutMs: 30_000 },
): Promise<Storage & { pool: pg.Pool }> {
  const pool = createPool(url, poolOptions, (err) =>
    log.warn('error', { reason: 'database connection lost: ' + errorMessage(err) }),
  );
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    pool,
    flashbooks: new PgFlashbookStore(pool),
    versions: new PgVersionStore(pool),
    exhibitions: new PgExhibitionStore(pool),
    assets: new PgAssetStore(pool),
    leases: new PgLeases(pool),
    workspaces: new PgWorkspaceStore(pool),
    close: () => (closed ??= pool.end()),
  };
}
