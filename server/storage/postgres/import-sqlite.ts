import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { SqliteWorkspaceStore } from '../../workspaces/sqlite.ts';
import { SqliteFlashbookStore } from '../sqlite.ts';

/**
 * Copies a SQLite deployment (DATA_DIR: flashbooks.db and assets/) into an empty, migrated
 * PostgreSQL database, in one transaction: either everything is there afterwards or nothing is.
 * Update rows keep their order and are renumbered 1, 2, 3… per flashbook (PostgreSQL's seqs are
 * dense per flashbook); everything else (links current and replaced, review activity,
 * workspaces with their wrapped keys and memberships, publications, versions, images) is copied
 * as it is. The SQLite schema is first brought up to date, as starting the server on it would
 * (an older data dir's token columns become links). scripts/migrate-to-postgres.ts runs it.
 */

export interface ImportCounts {
  flashbooks: number;
  updates: number;
  exhibitions: number;
  versions: number;
  assets: number;
  grants: number;
  links: number;
  statusChanges: number;
  workspaces: number;
  workspaceFlashbooks: number;
}

export async function importSqlite(dataDir: string, pool: pg.Pool): Promise<ImportCounts> {
  const file = join(dataDir, 'flashbooks.db');
  if (!existsSync(file)) throw new Error(`no SQLite database at ${file}`);
  // The server's own migrations (user_version, workspace_schema): what follows reads the newest.
  const current = new SqliteFlashbookStore(dataDir);
  new SqliteWorkspaceStore(current.db);
  current.close();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const client = await pool.connect();
  const counts: ImportCounts = {
    flashbooks: 0,
    updates: 0,
    exhibitions: 0,
    versions: 0,
    assets: 0,
    grants: 0,
    links: 0,
    statusChanges: 0,
    workspaces: 0,
    workspaceFlashbooks: 0,
  };
  const hasTable = (name: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined;
  const rowsOf = (sql: string) => db.prepare(sql).iterate() as Iterable<Record<string, unknown>>;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ n: number }>('SELECT count(*) AS n FROM flashbooks');
    if ((rows[0]?.n ?? 0) > 0) {
      throw new Error(
        'the PostgreSQL database already holds flashbooks; migrate into an empty one',
      );
    }
    const updates = db.prepare<[string], { data: Buffer }>(
      'SELECT data FROM updates WHERE flashbook_id = ? ORDER BY seq',
    );
    for (const f of db
      .prepare('SELECT id, title, created_at FROM flashbooks')
      .iterate() as Iterable<{
      id: string;
      title: string;
      created_at: number;
    }>) {
      const rows = updates.all(f.id);
      await client.query(
        `INSERT INTO flashbooks (id, title, created_at, last_seq) VALUES ($1, $2, $3, $4)`,
        [f.id, f.title, f.created_at, rows.length],
      );
      for (const [i, r] of rows.entries()) {
        await client.query('INSERT INTO updates (flashbook_id, seq, data) VALUES ($1, $2, $3)', [
          f.id,
          i + 1,
          r.data,
        ]);
      }
      counts.flashbooks++;
      counts.updates += rows.length;
    }
    for (const e of db.prepare('SELECT * FROM exhibitions').iterate() as Iterable<
      Record<string, unknown>
    >) {
      await client.query(
        `INSERT INTO exhibitions (flashbook_id, slug, state, posts, embed_origins, og_image,
           published_at, unpublished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          e.flashbook_id,
          e.slug,
          e.state,
          e.posts,
          e.embed_origins,
          e.og_image,
          e.published_at,
          e.unpublished_at,
        ],
      );
      counts.exhibitions++;
    }
    // Replaced rows first (oldest first), so a current row never meets the unique index twice.
    for (const l of rowsOf('SELECT * FROM links ORDER BY replaced_at IS NULL, created_at, rowid')) {
      await client.query(
        `INSERT INTO links (scope, scope_id, role, token_hash, token, created_at, replaced_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [l.scope, l.scope_id, l.role, l.token_hash, l.token, l.created_at, l.replaced_at],
      );
      counts.links++;
    }
    // In their order: the activity list is newest first by seq.
    for (const c of rowsOf('SELECT * FROM status_changes ORDER BY seq')) {
      await client.query(
        `INSERT INTO status_changes (flashbook_id, post_id, from_status, to_status, note,
           by_name, by_library, role, at, version_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          c.flashbook_id,
          c.post_id,
          c.from_status,
          c.to_status,
          c.note,
          c.by_name,
          c.by_library,
          c.role,
          c.at,
          c.version_id,
        ],
      );
      counts.statusChanges++;
    }
    for (const w of rowsOf('SELECT * FROM workspaces')) {
      await client.query(
        `INSERT INTO workspaces (id, name, libraries, brand, member_sealed, created_at,
           updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [w.id, w.name, w.libraries, w.brand, w.member_sealed, w.created_at, w.updated_at],
      );
      counts.workspaces++;
    }
    for (const k of rowsOf('SELECT * FROM workspace_keys')) {
      await client.query(
        'INSERT INTO workspace_keys (token_hash, workspace_id, wrapped) VALUES ($1, $2, $3)',
        [k.token_hash, k.workspace_id, k.wrapped],
      );
    }
    for (const m of rowsOf('SELECT * FROM workspace_flashbooks')) {
      await client.query(
        `INSERT INTO workspace_flashbooks (flashbook_id, workspace_id, sealed_tokens, added_at,
           updated_at, archived_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [m.flashbook_id, m.workspace_id, m.sealed_tokens, m.added_at, m.updated_at, m.archived_at],
      );
      counts.workspaceFlashbooks++;
    }
    if (hasTable('versions')) {
      // Oldest first, so that `ord` keeps SQLite's rowid order among versions of one instant.
      for (const v of db.prepare('SELECT * FROM versions ORDER BY rowid').iterate() as Iterable<
        Record<string, unknown>
      >) {
        await client.query(
          `INSERT INTO versions (id, flashbook_id, created_at, reason, name, authors, state)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [v.id, v.flashbook_id, v.created_at, v.reason, v.name, v.authors, v.state],
        );
        counts.versions++;
      }
    }
    await importAssets(join(dataDir, 'assets'), client, counts);
    await client.query('COMMIT');
    return counts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
    db.close();
  }
}

/** server/assets/store.ts's layout: objects/<2 hex>/<sha256>, flashbooks/<id>/<sha256>.json. */
async function importAssets(root: string, client: pg.PoolClient, counts: ImportCounts) {
  const grantsDir = join(root, 'flashbooks');
  if (!existsSync(grantsDir)) return;
  const copied = new Set<string>();
  for (const flashbookId of readdirSync(grantsDir)) {
    for (const name of readdirSync(join(grantsDir, flashbookId))) {
      if (!name.endsWith('.json')) continue;
      const grant = JSON.parse(readFileSync(join(grantsDir, flashbookId, name), 'utf8')) as {
        id: string;
        type: string;
        width: number;
        height: number;
        bytes: number;
      };
      const object = join(root, 'objects', grant.id.slice(0, 2), grant.id);
      if (!existsSync(object)) continue; // a grant without bytes grants nothing (as in the store)
      if (!copied.has(grant.id)) {
        await client.query(
          'INSERT INTO asset_objects (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
          [grant.id, readFileSync(object)],
        );
        copied.add(grant.id);
        counts.assets++;
      }
      await client.query(
        `INSERT INTO asset_grants (flashbook_id, asset_id, type, width, height, bytes)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [flashbookId, grant.id, grant.type, grant.width, grant.height, grant.bytes],
      );
      counts.grants++;
    }
  }
}
