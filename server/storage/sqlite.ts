import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sha256 } from '../auth/tokens.ts';
import type { StatusChange } from '../../src/protocol/api.ts';
import type {
  FlashbookRecord,
  FlashbookStore,
  LinkRecord,
  LinkScope,
  StoredUpdates,
} from './types.ts';

/**
 * better-sqlite3 store in `<dataDir>/flashbooks.db`. Synchronous: every method returns plain values.
 *
 * Pragmas: WAL with synchronous=NORMAL. A commit is written to the WAL file (a write() to the OS)
 * before appendUpdate returns, so a killed process (SIGKILL, crash, OOM) loses nothing that was
 * acknowledged; only a power loss or kernel crash can lose the last transactions, because NORMAL
 * does not fsync each commit. FULL would fsync every keystroke and cost an order of magnitude in
 * write throughput for a risk that a UPS or replicated disk handles better.
 */

const SCHEMA_VERSION = 3;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS flashbooks (
  id              TEXT PRIMARY KEY,
  title           TEXT NOT NULL,
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
-- Version 3: links (server/auth/links.ts) of any scope: a flashbook's view/comment/edit/approve
-- links, a workspace's next. token_hash is SHA-256 of the token; token is in clear only for
-- roles shown again (view, comment). replaced_at is set when a newer link of the same
-- (scope, scope_id, role) replaced it: at most one current row per (scope, scope_id, role).
CREATE TABLE IF NOT EXISTS links (
  scope       TEXT NOT NULL,
  scope_id    TEXT NOT NULL,
  role        TEXT NOT NULL,
  token_hash  BLOB NOT NULL,
  token       TEXT,
  created_at  INTEGER NOT NULL,
  replaced_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS links_by_scope ON links (scope, scope_id);
CREATE UNIQUE INDEX IF NOT EXISTS links_current ON links (scope, scope_id, role)
  WHERE replaced_at IS NULL;
-- Version 3: the review activity log (the status API): one row per status change of a post.
CREATE TABLE IF NOT EXISTS status_changes (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  flashbook_id TEXT NOT NULL REFERENCES flashbooks(id) ON DELETE CASCADE,
  post_id      TEXT NOT NULL,
  from_status  TEXT NOT NULL,
  to_status    TEXT NOT NULL,
  note         TEXT,
  by_name      TEXT NOT NULL,
  by_library   TEXT NOT NULL,
  role         TEXT NOT NULL,
  at           INTEGER NOT NULL,
  version_id   TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS status_changes_by_flashbook ON status_changes (flashbook_id, seq);
`;

interface FlashbookRow {
  id: string;
  title: string;
  created_at: number;
}

interface LinkRow {
  scope: string;
  scope_id: string;
  role: string;
  token_hash: Buffer;
  token: string | null;
  created_at: number;
  replaced_at: number | null;
}

interface StatusChangeRow {
  post_id: string;
  from_status: string;
  to_status: string;
  note: string | null;
  by_name: string;
  by_library: string;
  role: string;
  at: number;
  version_id: string | null;
}

function linkParams(link: LinkRecord) {
  return {
    scope: link.scope,
    scopeId: link.scopeId,
    role: link.role,
    tokenHash: Buffer.from(link.tokenHash),
    token: link.token ?? null,
    createdAt: link.createdAt,
  };
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
        `INSERT INTO flashbooks (id, title, created_at)
         VALUES (@id, @title, @createdAt) ON CONFLICT (id) DO NOTHING`,
      ),
      getFlashbook: this.db.prepare<[string], FlashbookRow>(
        'SELECT id, title, created_at FROM flashbooks WHERE id = ?',
      ),
      getLinks: this.db.prepare<[string, string], LinkRow>(
        `SELECT scope, scope_id, role, token_hash, token, created_at, replaced_at FROM links
         WHERE scope = ? AND scope_id = ?`,
      ),
      insertLink: this.db.prepare(
        `INSERT INTO links (scope, scope_id, role, token_hash, token, created_at)
         VALUES (@scope, @scopeId, @role, @tokenHash, @token, @createdAt)`,
      ),
      markReplaced: this.db.prepare<[number, string, string, string]>(
        `UPDATE links SET replaced_at = ?
         WHERE scope = ? AND scope_id = ? AND role = ? AND replaced_at IS NULL`,
      ),
      anyLink: this.db.prepare<[string, string, string], { n: number }>(
        'SELECT count(*) AS n FROM links WHERE scope = ? AND scope_id = ? AND role = ?',
      ),
      addChange: this.db.prepare(
        `INSERT INTO status_changes (flashbook_id, post_id, from_status, to_status, note,
           by_name, by_library, role, at, version_id)
         VALUES (@flashbookId, @postId, @from, @to, @note, @byName, @byLibrary, @role, @at,
           @versionId)`,
      ),
      listChanges: this.db.prepare<[string, number], StatusChangeRow>(
        `SELECT post_id, from_status, to_status, note, by_name, by_library, role, at, version_id
         FROM status_changes WHERE flashbook_id = ? ORDER BY seq DESC LIMIT ?`,
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
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      this.migrateLegacyTokens();
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  /**
   * Up to version 2 a flashbook's two tokens were columns of `flashbooks` (the edit token's
   * SHA-256, the view token in clear). They become its first edit and view links, created when
   * the flashbook was, so every link handed out before keeps working; the columns are dropped.
   * Such a flashbook has no comment link (one is issued when an editor first asks for its
   * access) and no approve link (an edit-link holder may claim it once, docs/server.md).
   */
  private migrateLegacyTokens(): void {
    const columns = this.db.pragma('table_info(flashbooks)') as { name: string }[];
    if (!columns.some((c) => c.name === 'edit_token_hash')) return;
    const rows = this.db
      .prepare<[], { id: string; edit_token_hash: Buffer; view_token: string; created_at: number }>(
        'SELECT id, edit_token_hash, view_token, created_at FROM flashbooks',
      )
      .all();
    const insert = this.db.prepare(
      `INSERT INTO links (scope, scope_id, role, token_hash, token, created_at)
       VALUES (@scope, @scopeId, @role, @tokenHash, @token, @createdAt)`,
    );
    for (const row of rows) {
      const common = { scope: 'flashbook', scopeId: row.id, createdAt: row.created_at };
      insert.run({ ...common, role: 'edit', tokenHash: row.edit_token_hash, token: null });
      insert.run({
        ...common,
        role: 'view',
        tokenHash: Buffer.from(sha256(row.view_token)),
        token: row.view_token,
      });
    }
    this.db.exec('ALTER TABLE flashbooks DROP COLUMN edit_token_hash');
    this.db.exec('ALTER TABLE flashbooks DROP COLUMN view_token');
  }

  createFlashbook(
    record: FlashbookRecord,
    initialUpdate: Uint8Array,
    links: readonly LinkRecord[] = [],
  ): boolean {
    return this.db.transaction(() => {
      const info = this.stmt.insertFlashbook.run({
        id: record.id,
        title: record.title,
        createdAt: record.createdAt,
      });
      if (info.changes === 0) return false;
      this.stmt.append.run(record.id, initialUpdate);
      for (const link of links) this.stmt.insertLink.run(linkParams(link));
      return true;
    })();
  }

  getLinks(scope: LinkScope, scopeId: string): LinkRecord[] {
    return this.stmt.getLinks.all(scope, scopeId).map((row) => {
      const link: LinkRecord = {
        scope: row.scope as LinkScope,
        scopeId: row.scope_id,
        role: row.role,
        tokenHash: new Uint8Array(row.token_hash),
        createdAt: row.created_at,
      };
      if (row.token !== null) link.token = row.token;
      if (row.replaced_at !== null) link.replacedAt = row.replaced_at;
      return link;
    });
  }

  replaceLink(link: LinkRecord): void {
    this.db.transaction(() => {
      this.stmt.markReplaced.run(link.createdAt, link.scope, link.scopeId, link.role);
      this.stmt.insertLink.run(linkParams(link));
    })();
  }

  addLinkIfNone(link: LinkRecord): boolean {
    return this.db.transaction(() => {
      if ((this.stmt.anyLink.get(link.scope, link.scopeId, link.role)?.n ?? 0) > 0) return false;
      this.stmt.insertLink.run(linkParams(link));
      return true;
    })();
  }

  addStatusChange(flashbookId: string, change: StatusChange): void {
    this.stmt.addChange.run({
      flashbookId,
      postId: change.postId,
      from: change.from,
      to: change.to,
      note: change.note ?? null,
      byName: change.by.name,
      byLibrary: change.by.library,
      role: change.role,
      at: change.at,
      versionId: change.versionId ?? null,
    });
  }

  listStatusChanges(flashbookId: string, limit: number): StatusChange[] {
    return this.stmt.listChanges.all(flashbookId, limit).map((row) => {
      const change: StatusChange = {
        postId: row.post_id,
        from: row.from_status as StatusChange['from'],
        to: row.to_status as StatusChange['to'],
        by: { name: row.by_name, library: row.by_library },
        role: row.role as StatusChange['role'],
        at: row.at,
      };
      if (row.note !== null) change.note = row.note;
      if (row.version_id !== null) change.versionId = row.version_id;
      return change;
    });
  }

  getFlashbook(id: string): FlashbookRecord | undefined {
    const row = this.stmt.getFlashbook.get(id);
    if (!row) return undefined;
    return { id: row.id, title: row.title, createdAt: row.created_at };
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
    // ON DELETE CASCADE takes the updates, the exhibition, the status changes and the workspace
    // membership along; links have no foreign key (their scope may be a workspace).
    return this.db.transaction(() => {
      this.db.prepare("DELETE FROM links WHERE scope = 'flashbook' AND scope_id = ?").run(id);
      return this.db.prepare('DELETE FROM flashbooks WHERE id = ?').run(id).changes === 1;
    })();
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
