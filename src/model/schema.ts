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

export const ROOT = {
  meta: 'meta',
  posts: 'posts',
  slides: 'slides',
  /** Y.Map: thread id -> Y.Map (THREAD), the review comments. */
  comments: 'comments',
} as const;

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
  /**
   * Y.Map: the flashbook's participating libraries, library id -> Y.Map (LIBRARY). The id is any
   * valid id (a workspace copies its libraries in under their own ids). A slide's or post's
   * `library` names one of them by id, or holds free text.
   */
  libraries: 'libraries',
  /** boolean: `true` puts the preparing library's name and logo in a corner of every slide. */
  attribution: 'attribution',
} as const;

/** The fields of one participating library (`meta.libraries[id]`). */
export const LIBRARY = {
  /** Y.Text: the library's name as shown on slides. */
  name: 'name',
  /** Y.Text: its town or district, or empty. */
  place: 'place',
  /** string: asset id of its logo, or empty. */
  logo: 'logo',
} as const;
export type LibraryTextField = 'name' | 'place';

export const POST = {
  /** string: fractional order key among posts (ties broken by id). */
  order: 'order',
  /** Y.Text: the Instagram caption. */
  caption: 'caption',
  /** string: the library that prepared the post. */
  library: 'library',
  /**
   * string: `"draft"`, `"review"` or `"approved"`. Written by the server only (the status API,
   * origin SERVER) together with the other SERVER_OWNED_POST_FIELDS; a client writes `"draft"`
   * once, when it creates the post, and a client update that changes it later is refused.
   */
  status: 'status',
  /** string: name (from the profile) of who set the status. Server-owned. */
  statusByName: 'statusByName',
  /** string: library of who set the status. Server-owned. */
  statusByLibrary: 'statusByLibrary',
  /** string: role of the token that set the status (`edit` or `approve`). Server-owned. */
  statusRole: 'statusRole',
  /** number: when the status was set, ms since the epoch. Server-owned. */
  statusAt: 'statusAt',
  /** string: the note given with the status (why it was sent back), or empty. Server-owned. */
  statusNote: 'statusNote',
  /**
   * string: postDigest (src/model/review.ts) of the post when it was approved. A post whose
   * digest differs now is "changed since approval" for everyone. Server-owned.
   */
  approvedDigest: 'approvedDigest',
  /** string: id of the server version recorded at approval (GET …/versions/<id>). Server-owned. */
  approvedVersion: 'approvedVersion',
} as const;

/** Post fields only the server writes; a client update that sets one of them is refused. */
export const SERVER_OWNED_POST_FIELDS: readonly string[] = [
  POST.status,
  POST.statusByName,
  POST.statusByLibrary,
  POST.statusRole,
  POST.statusAt,
  POST.statusNote,
  POST.approvedDigest,
  POST.approvedVersion,
];

export const POST_STATUSES = ['draft', 'review', 'approved'] as const;

/**
 * A comment thread: `comments` maps a thread id to a Y.Map with these fields. Threads are never
 * deleted by the app (resolved threads stay readable); only the approve role may remove one.
 */
export const THREAD = {
  /** string: id of the slide the thread is about. */
  slideId: 'slideId',
  /**
   * string: the slide field the range is in (a SlideTextField, `body`, or `caption` for the post's
   * caption), or absent/empty for a comment on the whole slide.
   */
  field: 'field',
  /** Uint8Array: Y.encodeRelativePosition of the range's start in that field, or absent. */
  anchorStart: 'anchorStart',
  /** Uint8Array: Y.encodeRelativePosition of the range's end, or absent. */
  anchorEnd: 'anchorEnd',
  /** string: the text that was selected when the thread was started (shown when it is gone). */
  quote: 'quote',
  /** boolean: resolved threads are hidden from the open list and stay readable. */
  resolved: 'resolved',
  /** number: when the thread was started, ms since the epoch. */
  createdAt: 'createdAt',
  /** Y.Array of Y.Map (MESSAGE): the first message and the replies, in order. */
  messages: 'messages',
} as const;

/**
 * One message of a thread. A message belongs to its author: only a connection that presents the
 * author's key (`authorId` = authorIdOf(key), src/model/comments.ts) may change or delete it.
 */
export const MESSAGE = {
  /** string: unique id of the message. */
  id: 'id',
  /** string: the message, plain text; `@Name` mentions are in it as typed. */
  text: 'text',
  /** string: the author's name, from the profile. */
  authorName: 'authorName',
  /** string: the author's library, from the profile. */
  authorLibrary: 'authorLibrary',
  /** string: hex SHA-256 of the author's secret key (authorIdOf): who may edit the message. */
  authorId: 'authorId',
  /** number: ms since the epoch. */
  createdAt: 'createdAt',
  /** number: when its author last changed the text, or absent. */
  editedAt: 'editedAt',
  /** boolean: deleted by its author (the text is emptied; the thread keeps its place). */
  deleted: 'deleted',
} as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** `books`: the covers of the post's book slides on one slide (built from them when rendered). */
export const LAYOUTS = ['cover', 'book', 'books', 'quote', 'text', 'closing'] as const;
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
  /** string: how the image fills its frame (IMAGE_FITS); missing or unknown reads as `"auto"`. */
  imageFit: 'imageFit',
  /** string: `"x,y"`, the point of the image kept in view when it is cropped, each in 0..1. */
  imageFocus: 'imageFocus',
  /** string: `"side"` (cover beside the text, default) or `"wide"` (a wide cover above the text). */
  bookLayout: 'bookLayout',
} as const;

/**
 * How a slide's image fills its frame:
 * - `auto` (default): the whole image when its shape differs much from the frame's, else `cover`;
 * - `cover`: fills the frame, cropped around `imageFocus`;
 * - `contain`: the whole image, on a blurred copy of itself;
 * - `contain-plain`: the whole image, on the theme's colour.
 */
export const IMAGE_FITS = ['auto', 'cover', 'contain', 'contain-plain'] as const;
export type ImageFit = (typeof IMAGE_FITS)[number];
export function isImageFit(value: unknown): value is ImageFit {
  return typeof value === 'string' && (IMAGE_FITS as readonly string[]).includes(value);
}

export const BOOK_LAYOUTS = ['side', 'wide'] as const;
export type BookLayout = (typeof BOOK_LAYOUTS)[number];
export function isBookLayout(value: unknown): value is BookLayout {
  return value === 'side' || value === 'wide';
}

export interface Focus {
  x: number;
  y: number;
}
export const CENTER: Focus = { x: 0.5, y: 0.5 };

/** Reads `"x,y"` (each 0..1); anything else reads as the centre. Values outside 0..1 are clamped. */
export function parseFocus(value: unknown): Focus {
  if (typeof value !== 'string') return CENTER;
  const m = /^\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*$/.exec(value);
  if (!m) return CENTER;
  const x = Number(m[1]);
  const y = Number(m[2]);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return CENTER;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return { x: clamp(x), y: clamp(y) };
}

export function formatFocus(f: Focus): string {
  const r = (v: number) => String(Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000);
  return `${r(f.x)},${r(f.y)}`;
}

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
  books: ['title', 'altText'],
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
