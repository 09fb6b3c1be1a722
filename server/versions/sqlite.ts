import type Database from 'better-sqlite3';
import { openDatabase } from '../storage/sqlite.ts';
import { bytes } from '../storage/bytes.ts';
import { toVersion, VERSION_COLUMNS, versionValues, type VersionRow } from './rows.ts';
import type { VersionRecord, VersionStore } from './types.ts';

/**
 * Versions in the same database file as the flashbooks (`<dataDir>/flashbooks.db`), on a
 * connection of their own and in their own table, so that the flashbook store's schema is not
 * touched. No foreign key to \`flashbooks\`: the flashbooks may live in another FlashbookStore
 * (startServer's \`store\` option). Its own migration: the table is created if missing; `version_schema` records its
 * version, which this code refuses to run ahead of.
 */

const VERSIONS_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS version_schema (version INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS versions (
  id           TEXT PRIMARY KEY,
  flashbook_id TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  name         TEXT,
  authors      TEXT NOT NULL,
  state        BLOB NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS versions_by_flashbook ON versions (flashbook_id, created_at);
`;

export class SqliteVersionStore implements VersionStore {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(dataDir: string) {
    this.db = openDatabase(dataDir);
    this.migrate();
    this.stmt = {
      insert: this.db.prepare<unknown[]>(
        `INSERT INTO versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: this.db.prepare<[string], VersionRow>(
        `SELECT id, flashbook_id, created_at, reason, name, authors, length(state) AS bytes
         FROM versions WHERE flashbook_id = ? ORDER BY created_at DESC, rowid DESC`,
      ),
      state: this.db.prepare<[string, string], { state: Buffer }>(
        'SELECT state FROM versions WHERE flashbook_id = ? AND id = ?',
      ),
      delete: this.db.prepare<[string, string]>(
        'DELETE FROM versions WHERE flashbook_id = ? AND id = ?',
      ),
      bytes: this.db.prepare<[string], { n: number | null }>(
        'SELECT sum(length(state)) AS n FROM versions WHERE flashbook_id = ?',
      ),
    };
  }

  private migrate(): void {
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      const row = this.db.prepare('SELECT version FROM version_schema').get() as
        { version: number } | undefined;
      if (row && row.version > VERSIONS_SCHEMA_VERSION) {
        throw new Error(
          `versions table has schema version ${row.version}; this server knows ${VERSIONS_SCHEMA_VERSION}`,
        );
      }
      if (!row) {
        this.db
          .prepare('INSERT INTO version_schema (version) VALUES (?)')
          .run(VERSIONS_SCHEMA_VERSION);
      }
    })();
  }

  addVersion(record: VersionRecord, state: Uint8Array): void {
    this.stmt.insert.run(versionValues(record, state));
  }

  listVersions(flashbookId: string): VersionRecord[] {
    return this.stmt.list.all(flashbookId).map(toVersion);
  }

  getVersionState(flashbookId: string, id: string): Uint8Array | undefined {
    const row = this.stmt.state.get(flashbookId, id);
    return row ? bytes(row.state) : undefined;
  }

  deleteVersions(flashbookId: string, ids: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.stmt.delete.run(flashbookId, id);
    })();
  }

  versionBytes(flashbookId: string): number {
    return this.stmt.bytes.get(flashbookId)?.n ?? 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
