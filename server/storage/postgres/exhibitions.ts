import type pg from 'pg';
import type { ExhibitionStore, Publication } from '../../exhibition/store.ts';

interface Row {
  flashbook_id: string;
  slug: string;
  state: Buffer | null;
  posts: string | null;
  embed_origins: string;
  og_image: string | null;
  published_at: number | null;
  unpublished_at: number | null;
}

const COLUMNS =
  'flashbook_id, slug, state, posts, embed_origins, og_image, published_at, unpublished_at';

function fromRow(row: Row | undefined): Publication | undefined {
  if (!row) return undefined;
  return {
    flashbookId: row.flashbook_id,
    slug: row.slug,
    state: row.state ? new Uint8Array(row.state) : undefined,
    posts: row.posts === null ? null : (JSON.parse(row.posts) as string[]),
    embedOrigins: JSON.parse(row.embed_origins) as string[],
    ogImage: row.og_image ?? undefined,
    publishedAt: row.published_at ?? undefined,
    unpublishedAt: row.unpublished_at ?? undefined,
  };
}

/** ExhibitionStore on PostgreSQL: the `exhibitions` table of migrations/0001. */
export class PgExhibitionStore implements ExhibitionStore {
  constructor(private readonly pool: pg.Pool) {}

  async byFlashbook(flashbookId: string): Promise<Publication | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM exhibitions WHERE flashbook_id = $1`,
      [flashbookId],
    );
    return fromRow(rows[0]);
  }

  async bySlug(slug: string): Promise<Publication | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM exhibitions WHERE slug = $1`,
      [slug],
    );
    return fromRow(rows[0]);
  }

  /** One statement: the slug's UNIQUE constraint decides a race between two flashbooks. */
  async save(p: Publication): Promise<boolean> {
    try {
      const { rowCount } = await this.pool.query(
        `INSERT INTO exhibitions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (flashbook_id) DO UPDATE SET slug = excluded.slug, state = excluded.state,
           posts = excluded.posts, embed_origins = excluded.embed_origins,
           og_image = excluded.og_image, published_at = excluded.published_at,
           unpublished_at = excluded.unpublished_at`,
        [
          p.flashbookId,
          p.slug,
          p.state ? Buffer.from(p.state) : null,
          p.posts === null ? null : JSON.stringify(p.posts),
          JSON.stringify(p.embedOrigins),
          p.ogImage ?? null,
          p.publishedAt ?? null,
          p.unpublishedAt ?? null,
        ],
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
