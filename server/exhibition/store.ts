import type Database from 'better-sqlite3';
import type { MaybePromise } from '../storage/types.ts';

/** One flashbook's exhibition: its address, and the content frozen when it was last published. */
export interface Publication {
  flashbookId: string;
  slug: string;
  /** `Y.encodeStateAsUpdate` of the document at publishing; undefined once unpublished. */
  state: Uint8Array | undefined;
  /** The chosen post ids, or null for all posts. */
  posts: string[] | null;
  /** Origins allowed to frame the page. */
  embedOrigins: string[];
  /** Asset id of the social preview image (the cover slide as a JPEG), or undefined. */
  ogImage: string | undefined;
  publishedAt: number | undefined;
  unpublishedAt: number | undefined;
}

/**
 * Where publications live. Small on purpose, like FlashbookStore: a PostgreSQL implementation
 * provides the same four methods.
 */
export interface ExhibitionStore {
  byFlashbook(flashbookId: string): MaybePromise<Publication | undefined>;
  bySlug(slug: string): MaybePromise<Publication | undefined>;
  /** Inserts or replaces a flashbook's publication; false (and no change) when another flashbook holds the slug. */
  save(publication: Publication): MaybePromise<boolean>;
  /** Drops the frozen content, keeping the address; false when nothing was published. */
  unpublish(flashbookId: string, at: number): MaybePromise<boolean>;
}

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

/** The `exhibitions` table, created by the migration in server/storage/sqlite.ts. */
export class SqliteExhibitionStore implements ExhibitionStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      byFlashbook: db.prepare<[string], Row>(
        `SELECT ${COLUMNS} FROM exhibitions WHERE flashbook_id = ?`,
      ),
      bySlug: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM exhibitions WHERE slug = ?`),
      upsert: db.prepare(
        `INSERT INTO exhibitions (${COLUMNS})
         VALUES (@flashbook_id, @slug, @state, @posts, @embed_origins, @og_image, @published_at, @unpublished_at)
         ON CONFLICT (flashbook_id) DO UPDATE SET slug = excluded.slug, state = excluded.state,
           posts = excluded.posts, embed_origins = excluded.embed_origins,
           og_image = excluded.og_image, published_at = excluded.published_at,
           unpublished_at = excluded.unpublished_at`,
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
      this.stmt.upsert.run({
        flashbook_id: p.flashbookId,
        slug: p.slug,
        state: p.state ?? null,
        posts: p.posts === null ? null : JSON.stringify(p.posts),
        embed_origins: JSON.stringify(p.embedOrigins),
        og_image: p.ogImage ?? null,
        published_at: p.publishedAt ?? null,
        unpublished_at: p.unpublishedAt ?? null,
      });
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
