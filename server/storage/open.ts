import { join } from 'node:path';
import { FileAssetStore } from '../assets/store.ts';
import { SqliteExhibitionStore } from '../exhibition/store.ts';
import type { Logger } from '../log.ts';
import { SqliteVersionStore } from '../versions/sqlite.ts';
import { SqliteWorkspaceStore } from '../workspaces/sqlite.ts';
import { SqliteFlashbookStore } from './sqlite.ts';
import type { Storage } from './storage.ts';

export type { Storage };

export async function openStorage(
  config: {
    dataDir: string;
    databaseUrl: string | undefined;
    databasePool?: { max: number; idleTimeoutMs: number };
  },
  log: Logger,
): Promise<Storage> {
  if (config.databaseUrl) {
    // Loaded only when used: a SQLite deployment never needs the pg driver.
    const { openPostgres } = await import('./postgres/index.ts');
    return openPostgres(config.databaseUrl, log, config.databasePool);
  }
  return openSqlite(config.dataDir);
}

export function openSqlite(dataDir: string): Storage {
  const flashbooks = new SqliteFlashbookStore(dataDir);
  const versions = new SqliteVersionStore(dataDir);
  return {
    kind: 'sqlite',
    flashbooks,
    versions,
    exhibitions: new SqliteExhibitionStore(flashbooks.db),
    assets: new FileAssetStore(join(dataDir, 'assets')),
    // One instance: every lease is its own.
    leases: { tryAcquire: () => true },
    workspaces: new SqliteWorkspaceStore(flashbooks.db),
    close: async () => {
      flashbooks.close();
      versions.close();
    },
  };
}
