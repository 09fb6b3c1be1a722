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
