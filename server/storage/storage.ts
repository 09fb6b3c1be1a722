import type { AssetStore } from '../assets/store.ts';
import type { ExhibitionStore } from '../exhibition/store.ts';
import type { VersionStore } from '../versions/types.ts';
import type { WorkspaceStore } from '../workspaces/types.ts';
import type { FlashbookStore, Leases } from './types.ts';

/**
 * Everything the server keeps, in one of two places (docs/deploy.md):
 * - SQLite and files under DATA_DIR (the default, one instance);
 * - PostgreSQL at DATABASE_URL (server/storage/postgres/), which several instances share.
 *
 * A new table is one migration in each (sqlite.ts's schema, postgres/migrations/NNNN_*.sql),
 * one store interface, and one implementation of it in each place, wired up here.
 */
export interface Storage {
  kind: 'sqlite' | 'postgres';
  flashbooks: FlashbookStore;
  versions: VersionStore;
  exhibitions: ExhibitionStore;
  assets: AssetStore;
  leases: Leases;
  workspaces: WorkspaceStore;
  close(): Promise<void>;
}
