import type pg from 'pg';
import {
  COLUMNS,
  fromRow,
  publicationValues,
  UPSERT,
  type PublicationRow,
} from '../../exhibition/rows.ts';
import type { ExhibitionStore, Publication } from '../../exhibition/types.ts';

/** ExhibitionStore on PostgreSQL: the `exhibitions` table of migrations/0001. */
export class PgExhibitionStore implements ExhibitionStore {
  constructor(private readonly pool: pg.Pool) {}

  async byFlashbook(flashbookId: string): Promise<Publication | undefined> {
    const { rows } = await this.pool.query<PublicationRow>(
      `SELECT ${COLUMNS} FROM exhibitions WHERE flashbook_id = $1`,
      [flashbookId],
    );
    return fromRow(rows[0]);
  }

  async bySlug(slug: string): Promise<Publication | undefined> {
    const { rows } = await this.pool.query<PublicationRow>(
      `SELECT ${COLUMNS} FROM exhibitions WHERE slug = $1`,
      [slug],
    );
    return fromRow(rows[0]);
  }

  /** One statement: the slug's UNIQUE constraint decides a race between two flashbooks. */
  async save(p: Publication): Promise<boolean> {
    try {
      const { rowCount } = await this.pool.query(
        `INSERT INTO exhibitions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ${UPSERT}`,
        publicationValues(p),
      );
      return rowCount === 1;
    } catch (err) {
      // unique_violation on slug: another flashbook holds it.
      if ((err as { code?: string }).code === '23505') return false;
      throw err;
    }
  }

  async unpublish(flashbookId: string, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE exhibitions SET state = NULL, unpublished_at = $1 WHERE flashbook_id = $2 AND state IS NOT NULL',
      [at, flashbookId],
    );
    return (rowCount ?? 0) > 0;
  }
}
