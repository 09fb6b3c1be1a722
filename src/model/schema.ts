/**
 * The flashbook document schema: the names of the shared types and of their fields. Documented for
 * other Yjs clients in docs/document-schema.md; keep the two in step.
 *
 * Root types of a flashbook Y.Doc:
 * - `meta`   Y.Map    flashbook-wide settings
 * - `posts`  Y.Map    post id -> Y.Map (one Instagram carousel)
 * - `slides` Y.Map    slide id -> Y.Map (one image of a carousel)
 *
 * Posts and slides live in flat maps keyed by id, not in arrays: moving one changes its `order` (and
 * a slide's `postId`) and never deletes and re-inserts it, so an edit someone else makes to it at the
 * same time is kept.
 */

export const ROOT = { meta: 'meta', posts: 'posts', slides: 'slides' } as const;

/** Bumped when a change to the schema needs a migration; readers accept any version defensively. */
export const SCHEMA_VERSION = 1;

export const META = {
  /** Y.Text: the flashbook's title. */
  title: 'title',
  /** string: `"4:5"` (default), `"1:1"` or `"3:4"`; the format of every exported image. */
  format: 'format',
  /** number: SCHEMA_VERSION of the client that created the document. */
  schemaVersion: 'schemaVersion',
  /** number: creation time, milliseconds since the epoch. */
  createdAt: 'createdAt',
  /** Y.Text: the flashbook's common hashtags, appended to every post's caption on export. */
  hashtags: 'hashtags',
  /** string: id of the slide design theme (see src/slide/themes); unknown ids render the default. */
  theme: 'theme',
  /** string: `"kz"` (Kazakhstan: 0+ 6+ 12+ 14+ 16+ 18+) or `"ru"` (Russia: 0+ 6+ 12+ 16+ 18+). */
  ageLabelSet: 'ageLabelSet',
  /** string: asset id (SHA-256 hex of the bytes) of the flashbook's logo, or empty. */
  logo: 'logo',
  /** string: a brand colour `#rrggbb` that overrides the theme's accent, or empty. */
  brandColor: 'brandColor',
  /**
   * string: how book slides describe the book: `"gost"` (default: ГОСТ Р 7.0.100-2018 publication
   * area and extent), `"gost-isbn"`, `"gost-full"` (with author heading, title and ISBN) or
   * `"short"` (publisher · place · year · pages). See src/typography/bibliography.ts.
   */
  biblioStyle: 'biblioStyle',
} as const;

export const POST = {
  /** string: fractional order key among posts (ties broken by id). */
  order: 'order',
  /** Y.Text: the Instagram caption. */
  caption: 'caption',
  /** string: the library that prepared the post. */
  library: 'library',
  /** string: `"draft"`, `"review"` or `"approved"`. */
  status: 'status',
} as const;

export const POST_STATUSES = ['draft', 'review', 'approved'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const LAYOUTS = ['cover', 'book', 'quote', 'text', 'closing'] as const;
export type Layout = (typeof LAYOUTS)[number];

export const SLIDE = {
  /** string: id of the post this slide belongs to. */
  postId: 'postId',
  /** string: fractional order key among the slides of its post (ties broken by id). */
  order: 'order',
  /** string: one of LAYOUTS. */
  layout: 'layout',
  /** string: the library that prepared the slide. */
  library: 'library',
  /** string: an age label such as `"12+"`, or empty. */
  ageLabel: 'ageLabel',
  /** Y.XmlFragment: rich text (ProseMirror/Tiptap document): free text or a book's annotation. */
  body: 'body',
  /** string: asset id (SHA-256 hex of the bytes) of the slide's image (a book cover), or empty. */
  image: 'image',
} as const;

/**
 * The short text fields of a slide, each a Y.Text so that two people typing into the same field
 * merge character by character. All of them are created with the slide: creating a Y.Text lazily
 * on first edit would let two clients create two different Y.Texts for one key, and one of them
 * (with everything typed into it) would lose.
 */
export const SLIDE_TEXT_FIELDS = [
  'title',
  'subtitle',
  'author',
  'publisher',
  'place',
  'year',
  'pages',
  'isbn',
  'quote',
  'quoteSource',
  'altText',
] as const;
export type SlideTextField = (typeof SLIDE_TEXT_FIELDS)[number];

/** Fields that each layout shows in the slide form, in order. `body` is the rich text field. */
export const LAYOUT_FIELDS: Record<Layout, readonly (SlideTextField | 'body')[]> = {
  cover: ['title', 'subtitle', 'body', 'altText'],
  book: [
    'author',
    'title',
    'publisher',
    'place',
    'year',
    'pages',
    'isbn',
    'body',
    'quote',
    'altText',
  ],
  quote: ['quote', 'quoteSource', 'altText'],
  text: ['title', 'body', 'altText'],
  closing: ['title', 'body', 'altText'],
};

export function isLayout(value: unknown): value is Layout {
  return typeof value === 'string' && (LAYOUTS as readonly string[]).includes(value);
}

export function isPostStatus(value: unknown): value is PostStatus {
  return typeof value === 'string' && (POST_STATUSES as readonly string[]).includes(value);
}

export const AGE_LABEL_SETS = {
  /** Kazakhstan, Law No. 169-VI of 2 July 2018. */
  kz: ['0+', '6+', '12+', '14+', '16+', '18+'],
  /** Russia, Federal Law 436-FZ. */
  ru: ['0+', '6+', '12+', '16+', '18+'],
} as const;
export type AgeLabelSet = keyof typeof AGE_LABEL_SETS;

export function isAgeLabelSet(value: unknown): value is AgeLabelSet {
  return value === 'kz' || value === 'ru';
}

/** An asset id: the lowercase hex SHA-256 of the file's bytes. */
export function isAssetId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value);
}

/**
 * How a flashbook's book slides describe the book (stored in `meta.biblioStyle`; formatted by
 * src/typography/bibliography.ts):
 * - `gost`: publication area and extent (ГОСТ Р 7.0.100-2018);
 * - `gost-isbn`: the same and the ISBN;
 * - `gost-full`: author heading, title, publication area, extent and ISBN;
 * - `short`: "Publisher · Place · Year · Pages".
 */
export const BIBLIO_STYLES = ['gost', 'gost-isbn', 'gost-full', 'short'] as const;
export type BiblioStyle = (typeof BIBLIO_STYLES)[number];
export const DEFAULT_BIBLIO_STYLE: BiblioStyle = 'gost';

export function isBiblioStyle(value: unknown): value is BiblioStyle {
  return typeof value === 'string' && (BIBLIO_STYLES as readonly string[]).includes(value);
}
