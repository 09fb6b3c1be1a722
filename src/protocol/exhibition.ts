/**
 * The exhibition's HTTP contract (docs/server.md, "Exhibition"): the bodies the editor, other tools
 * and the tests send to and receive from `/api/flashbooks/<id>/exhibition`.
 */

/** `POST /api/flashbooks/<id>/exhibition` body; every field is optional. */
export interface PublishRequest {
  /** Post ids to publish, in any order (the page keeps the flashbook's order); all when absent. */
  posts?: string[];
  /** The address `/e/<slug>`; when absent the current one is kept, or one is made from the title. */
  slug?: string;
  /**
   * Origins allowed to embed the page in an iframe (`frame-ancestors`), e.g.
   * `"https://library.example.kz"`; the current list is kept when absent.
   */
  embedOrigins?: string[];
  /** Asset id (uploaded to this flashbook first) of the 1080-wide JPEG of the cover slide. */
  ogImage?: string;
}

/** Answer to a successful publish. */
export interface PublishResponse {
  url: string;
  publishedAt: number;
}

/** `GET /api/flashbooks/<id>/exhibition`: what the editor shows. */
export interface ExhibitionState {
  published: boolean;
  /** Present once an address was chosen (kept after unpublishing, so republishing keeps it). */
  slug?: string;
  url?: string;
  publishedAt?: number;
  unpublishedAt?: number;
  /** The post ids published, or null for all posts. */
  posts?: string[] | null;
  embedOrigins: string[];
}

/** Lowercase ASCII words joined by single hyphens, 1–80 characters. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SLUG_LENGTH = 80;

export function isValidSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value);
}

/**
 * An origin a page may be embedded by: `https://host[:port]` (or `http://` for local testing), no
 * path, no wildcard. Returns the normalised origin, or undefined when the value is not one.
 */
export function normaliseOrigin(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  const m =
    /^(https?):\/\/([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/i.exec(
      value.trim(),
    );
  if (!m?.[1] || !m[2]) return undefined;
  const scheme = m[1].toLowerCase();
  const port = m[3] ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const defaultPort = scheme === 'https' ? 443 : 80;
  const shownPort = port === undefined || port === defaultPort ? '' : `:${port}`;
  return `${scheme}://${m[2].toLowerCase()}${shownPort}`;
}

/** The iframe snippet a library pastes into its own site. */
export function embedSnippet(pageUrl: string, title: string): string {
  const attr = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<iframe src="${attr(pageUrl)}" title="${attr(title)}" width="100%" height="900" style="border:0" loading="lazy"></iframe>`;
}
