import type Database from 'better-sqlite3';
import { COLUMNS, fromRow, publicationValues, UPSERT, type PublicationRow } from './rows.ts';
import type { ExhibitionStore, Publication } from './types.ts';

export type { ExhibitionStore, Publication } from './types.ts';

/** The `exhibitions` table, created by the migration in server/storage/sqlite.ts. */
export class SqliteExhibitionStore implements ExhibitionStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      byFlashbook: db.prepare<[string], PublicationRow>(
        `SELECT ${COLUMNS} FROM exhibitions WHERE flashbook_id = ?`,
      ),
      bySlug: db.prepare<[string], PublicationRow>(
        `SELECT ${COLUMNS} FROM exhibitions WHERE slug = ?`,
      ),
      upsert: db.prepare<unknown[]>(
        `INSERT INTO exhibitions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ${UPSERT}`,
      ),
      unpublish: db.prepare<[number, string]>(
        'UPDATE exhibitions SET state = NULL, unpublished_at = ? WHERE flashbook_id = ? AND state IS NOT NULL',
      ),
    };
  }

  byFlashbook(flashbookId: string): Publication | undefined {
    return fromRow(this.stmt.byFlashbook.get(flashbookId));
  }

  bySlug(slug: string): Publication | undefined {
    return fromRow(this.stmt.bySlug.get(slug));
  }

  save(p: Publication): boolean {
    return this.db.transaction(() => {
      const holder = this.stmt.bySlug.get(p.slug);
      if (holder && holder.flashbook_id !== p.flashbookId) return false;
      this.stmt.upsert.run(publicationValues(p));
      return true;
    })();
  }

  unpublish(flashbookId: string, at: number): boolean {
    return this.stmt.unpublish.run(at, flashbookId).changes > 0;
  }
}

/** For servers started with a FlashbookStore that is not SQLite (tests' own stores): memory only. */
export class MemoryExhibitionStore implements ExhibitionStore {
  private readonly rows = new Map<string, Publication>();

  byFlashbook(flashbookId: string): Publication | undefined {
    return this.rows.get(flashbookId);
  }

  bySlug(slug: string): Publication | undefined {
    for (const p of this.rows.values()) if (p.slug === slug) return p;
    return undefined;
  }

  save(p: Publication): boolean {
    const holder = this.bySlug(p.slug);
    if (holder && holder.flashbookId !== p.flashbookId) return false;
    this.rows.set(p.flashbookId, { ...p });
    return true;
  }

  unpublish(flashbookId: string, at: number): boolean {
    const p = this.rows.get(flashbookId);
    if (!p?.state) return false;
    this.rows.set(flashbookId, { ...p, state: undefined, unpublishedAt: at });
    return true;
  }
}
