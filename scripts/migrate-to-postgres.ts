/**
 * Moves a SQLite deployment to PostgreSQL in one command (docs/deploy.md):
 *
 *   DATA_DIR=./data DATABASE_URL=postgres://… npm run migrate:postgres
 *
 * Creates the schema, copies flashbooks, update logs, links, review activity, workspaces,
 * publications, versions and images in one transaction, and prints what it copied. The target
 * must hold no flashbooks; the SQLite data is only read (after its schema is brought up to date,
 * as the server does on start). Stop the server first, so that nothing is written meanwhile.
 */
import { resolve } from 'node:path';
import { createLogger, errorMessage } from '../server/log.ts';
import { importSqlite } from '../server/storage/postgres/import-sqlite.ts';
import { openPostgres } from '../server/storage/postgres/index.ts';

async function main(): Promise<void> {
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to the PostgreSQL database to migrate into');
  const storage = await openPostgres(url, createLogger({ quiet: true }));
  try {
    const counts = await importSqlite(dataDir, storage.pool);
    process.stdout.write(
      `Migrated ${dataDir} to PostgreSQL: ${counts.flashbooks} flashbooks (${counts.updates} ` +
        `update rows), ${counts.exhibitions} publications, ${counts.versions} versions, ` +
        `${counts.assets} images (${counts.grants} grants), ${counts.links} links, ` +
        `${counts.statusChanges} status changes, ${counts.workspaces} workspaces ` +
        `(${counts.workspaceFlashbooks} flashbooks in them).\n`,
    );
  } finally {
    await storage.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Migration failed, nothing was changed: ${errorMessage(err)}\n`);
  process.exit(1);
});
