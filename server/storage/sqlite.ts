import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FlashbookRecord, FlashbookStore, StoredUpdates } from './types.ts';

/**
 * better-sqlite3 store in `<dataDir>/flashbooks.db`. Synchronous: every method returns plain values.
 *
 * Pragmas: WAL with synchronous=NORMAL. A commit is written to the WAL file (a write() to the OS)
 * before appendUpdate returns, so a killed process (SIGKILL, crash, OOM) loses nothing that was
 * acknowledged; only a power loss or kernel crash can lose the last transactions, because NORMAL
 * does not fsync each commit. FULL would fsync every keystroke and cost an order of magnitude in
 * write throughput for a risk that a UPS or replicated disk handles better.
 */

const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS flashbooks (
  id              TEXT PRIMARY KEY,
  title           TEXT NOT NULL,
  edit_token_hash BLOB NOT NULL,
  view_token      TEXT NOT NULL,
  created_at      INTEGER NOT NULL
) STRICT;
-- One row per accepted Yjs update; compaction folds a prefix of a flashbook's rows into one.
-- seq is global and AUTOINCREMENT, so it only grows: the order of a flashbook's rows is its seq.
CREATE TABLE IF NOT EXISTS updates (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  flashbook_id TEXT NOT NULL REFERENCES flashbooks(id) ON DELETE CASCADE,
  data         BLOB NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS updates_by_flashbook ON updates (flashbook_id, seq);
-- Version 2: a flashbook's published exhibition (server/exhibition/store.ts). state is the Yjs
-- state frozen at publishing, NULL once unpublished (the row keeps the address, answering 410).
CREATE TABLE IF NOT EXISTS exhibitions (
  flashbook_id   TEXT PRIMARY KEY REFERENCES flashbooks(id) ON DELETE CASCADE,
  slug           TEXT NOT NULL UNIQUE,
  state          BLOB,
  posts          TEXT,
  embed_origins  TEXT NOT NULL,
  og_image       TEXT,
  published_at   INTEGER,
  unpublished_at INTEGER
) STRICT;
`;

interface FlashbookRow {
  id: string;
  title: string;
  edit_token_hash: Buffer;
  view_token: string;
  created_at: number;
}

/** A connection to the server's database (`flashbooks.db` in `dataDir`), set up as every store needs it. */
export function openDatabase(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'flashbooks.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A second process (a backup, an operator's sqlite3 shell) may hold a lock briefly.
  db.pragma('busy_timeout = 5000');
  return db;
}

export class SqliteFlashbookStore implements FlashbookStore {
  readonly file: string;
  /** Shared with the other tables' stores (server/exhibition/store.ts): one connection, one WAL. */
  readonly db: Database.Database;
  private readonly stmt;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'flashbooks.db');
    this.db = openDatabase(dataDir);
    this.migrate();
    this.stmt = {
      insertFlashbook: this.db.prepare(
        `INSERT INTO flashbooks (id, title, edit_token_hash, view_token, created_at)
         VALUES (@id, @title, @editTokenHash, @viewToken, @createdAt) ON CONFLICT (id) DO NOTHING`,
      ),
      getFlashbook: this.db.prepare<[string], FlashbookRow>(
        'SELECT id, title, edit_token_hash, view_token, created_at FROM flashbooks WHERE id = ?',
      ),
      append: this.db.prepare<[string, Uint8Array]>(
        'INSERT INTO updates (flashbook_id, data) VALUES (?, ?)',
      ),
      appendAt: this.db.prepare<[number, string, Uint8Array]>(
        'INSERT INTO updates (seq, flashbook_id, data) VALUES (?, ?, ?)',
      ),
      load: this.db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE flashbook_id = ? ORDER BY seq',
      ),
      deleteUpTo: this.db.prepare<[string, number]>(
        'DELETE FROM updates WHERE flashbook_id = ? AND seq <= ?',
      ),
      count: this.db.prepare<[string], { n: number }>(
        'SELECT count(*) AS n FROM updates WHERE flashbook_id = ?',
      ),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true });
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      throw new Error(
        `${this.file} has schema version ${version}; this server knows ${SCHEMA_VERSION}`,
      );
    }
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  createFlashbook(record: FlashbookRecord, initialUpdate: Uint8Array): boolean {
    return this.db.transaction(() => {
      const info = this.stmt.insertFlashbook.run({
        ...record,
        editTokenHash: Buffer.from(record.editTokenHash),
      });
      if (info.changes === 0) return false;
      this.stmt.append.run(record.id, initialUpdate);
      return true;
    })();
  }

  getFlashbook(id: string): FlashbookRecord | undefined {
    const row = this.stmt.getFlashbook.get(id);
    if (!row) return undefined;
    return {
      id: row.id,
      title: row.title,
      editTokenHash: new Uint8Array(row.edit_token_hash),
      viewToken: row.view_token,
      createdAt: row.created_at,
    };
  }

  appendUpdate(id: string, update: Uint8Array): number {
    return Number(this.stmt.append.run(id, update).lastInsertRowid);
  }

  loadUpdates(id: string): StoredUpdates {
    const rows = this.stmt.load.all(id);
    return {
      updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
      lastSeq: rows.at(-1)?.seq ?? 0,
    };
  }

  compact(id: string, upToSeq: number, merged: Uint8Array): void {
    this.db.transaction(() => {
      this.stmt.deleteUpTo.run(id, upToSeq);
      // Reusing upToSeq keeps the merged row before every row appended after it.
      this.stmt.appendAt.run(upToSeq, id, merged);
    })();
  }

  deleteFlashbook(id: string): boolean {
    // ON DELETE CASCADE takes the updates, the exhibition and the workspace membership along.
    return this.db.prepare('DELETE FROM flashbooks WHERE id = ?').run(id).changes === 1;
  }

  countUpdates(id: string): number {
    return this.stmt.count.get(id)?.n ?? 0;
  }

  close(): void {
    if (!this.db.open) return;
    this.db.pragma('optimize');
    this.db.close();
  }
}
