import { buffer } from '../storage/bytes.ts';
import type { Publication } from './types.ts';

/**
 * The rows of the `exhibitions` table and their publications, the same on SQLite (store.ts) and
 * on PostgreSQL (server/storage/postgres/exhibitions.ts): both stores read and write them here.
 */

/** A row of `exhibitions`. */
export interface PublicationRow {
  flashbook_id: string;
  slug: string;
  state: Buffer | null;
  posts: string | null;
  embed_origins: string;
  og_image: string | null;
  published_at: number | null;
  unpublished_at: number | null;
}

/** Every column, in the order of publicationValues. */
export const COLUMNS =
  'flashbook_id, slug, state, posts, embed_origins, og_image, published_at, unpublished_at';

export function fromRow(row: PublicationRow | undefined): Publication | undefined {
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

/** A publication's values for an INSERT of COLUMNS. */
export const publicationValues = (p: Publication): unknown[] => [
  p.flashbookId,
  p.slug,
  p.state ? buffer(p.state) : null,
  p.posts === null ? null : JSON.stringify(p.posts),
  JSON.stringify(p.embedOrigins),
  p.ogImage ?? null,
  p.publishedAt ?? null,
  p.unpublishedAt ?? null,
];

/** After an INSERT of COLUMNS: on a flashbook's row, every column is the new one. */
export const UPSERT = `ON CONFLICT (flashbook_id) DO UPDATE SET slug = excluded.slug, state = excluded.state,
  posts = excluded.posts, embed_origins = excluded.embed_origins, og_image = excluded.og_image,
  published_at = excluded.published_at, unpublished_at = excluded.unpublished_at`;
