import type { NewSlide } from '../model/flashbook.ts';
import type { ImportPost } from '../model/import.ts';
import { LIMITS } from '../model/instagram.ts';
import { normalizeIsbn, paragraphsOf, shorten } from './clean.ts';
import type { Candidate } from './mapping.ts';
import type { BookFields, Issue } from './types.ts';

/**
 * From the rows and records the user sees to the posts that will be created: duplicates flagged,
 * age labels checked against the flashbook's label set, books grouped into posts.
 */

/** A book already in the flashbook, for finding duplicates. */
export interface ExistingBook {
  author: string;
  title: string;
  isbn: string;
}

export interface Duplicate {
  by: 'isbn' | 'authorTitle';
  /** Number of the earlier row or record in the file, or null: the book is already in the flashbook. */
  of: number | null;
}

export interface Reviewed extends Candidate {
  duplicate: Duplicate | null;
  /** The age label to set (empty when the value is not in the flashbook's label set). */
  ageLabel: string;
}

/** Author and title compared without case, punctuation or spacing ("Абай жолы." = "абай  жолы"). */
export function authorTitleKey(author: string, title: string): string {
  const n = (s: string) =>
    s
      .toLowerCase()
      .replace(/ё/g, 'е')
      .replace(/[^\p{L}\p{N}]/gu, '');
  const t = n(title);
  return t ? `${n(author)}|${t}` : '';
}

export function reviewCandidates(
  candidates: readonly Candidate[],
  opts: { ageLabels: readonly string[]; existing: readonly ExistingBook[] },
): Reviewed[] {
  const isbns = new Map<string, number | null>();
  const names = new Map<string, number | null>();
  for (const b of opts.existing) {
    const i = normalizeIsbn(b.isbn);
    if (i) isbns.set(i, null);
    const k = authorTitleKey(b.author, b.title);
    if (k) names.set(k, null);
  }
  return candidates.map((c) => {
    if (!c.book) return { ...c, duplicate: null, ageLabel: '' };
    const issues: Issue[] = [...c.issues];
    let ageLabel = c.book.ageLabel;
    if (ageLabel && !opts.ageLabels.includes(ageLabel)) {
      issues.push({ code: 'ageLabelInvalid', severity: 'warning', params: { value: ageLabel } });
      ageLabel = '';
    }
    const isbn = normalizeIsbn(c.book.isbn);
    const key = authorTitleKey(c.book.author, c.book.title);
    let duplicate: Duplicate | null = null;
    if (isbn && isbns.has(isbn)) duplicate = { by: 'isbn', of: isbns.get(isbn) ?? null };
    else if (key && names.has(key)) duplicate = { by: 'authorTitle', of: names.get(key) ?? null };
    if (isbn && !isbns.has(isbn)) isbns.set(isbn, c.number);
    if (key && !names.has(key)) names.set(key, c.number);
    return { ...c, issues, duplicate, ageLabel };
  });
}

/** What is ticked when the preview opens: every readable book that is not a duplicate. */
export function defaultSelection(reviewed: readonly Reviewed[]): Set<string> {
  return new Set(reviewed.filter((r) => r.book && !r.duplicate).map((r) => r.key));
}

export interface PlanOptions {
  /** Slides per post (1–20). */
  postSize: number;
  /** The importing user's library: the posts', and the slides' unless the row names one. */
  library: string;
  /** "Cover of «Title» by Author", in the importing user's language. */
  altText: (book: BookFields) => string;
}

/** A post is one carousel: at most as many slides as Instagram's app takes. */
export const MAX_POST_SIZE: number = LIMITS.carouselSlidesApp;
/** As many as Instagram's publishing API takes, so every post can also be published by a tool. */
export const DEFAULT_POST_SIZE: number = LIMITS.carouselSlidesApi;

export function clampPostSize(n: number): number {
  return Number.isFinite(n)
    ? Math.max(1, Math.min(MAX_POST_SIZE, Math.round(n)))
    : DEFAULT_POST_SIZE;
}

export function bookToSlide(book: BookFields, ageLabel: string, opts: PlanOptions): NewSlide {
  const alt = opts.altText(book);
  return {
    layout: 'book',
    library: book.library || opts.library,
    ageLabel,
    // Covers are never fetched from the internet: the slide shows the theme's designed placeholder.
    image: '',
    fields: {
      author: book.author,
      title: book.title,
      publisher: book.publisher,
      place: book.place,
      year: book.year,
      pages: book.pages,
      isbn: book.isbn,
      quote: book.quote,
      altText: alt.length > LIMITS.altTextChars ? shorten(alt, LIMITS.altTextChars) : alt,
    },
    body: paragraphsOf(book.annotation),
  };
}

/** The selected books, in file order, grouped into posts of `postSize`. */
export function planImport(
  reviewed: readonly Reviewed[],
  selected: ReadonlySet<string>,
  opts: PlanOptions,
): ImportPost[] {
  const size = clampPostSize(opts.postSize);
  const slides = reviewed
    .filter((r) => r.book && selected.has(r.key))
    .map((r) => bookToSlide(r.book as BookFields, r.ageLabel, opts));
  const posts: ImportPost[] = [];
  for (let i = 0; i < slides.length; i += size)
    posts.push({ library: opts.library, slides: slides.slice(i, i + size) });
  return posts;
}

/**
 * An upper estimate of the size of the import's Yjs update. The whole import travels as one
 * message, and the sync server closes a connection that sends a message over its limit (8 MiB by
 * default), so an import is refused well below that.
 */
export function estimateUpdateBytes(posts: readonly ImportPost[]): number {
  const enc = new TextEncoder();
  let bytes = 0;
  for (const p of posts) {
    bytes += 400 + enc.encode(p.library).length;
    for (const s of p.slides) {
      bytes += 1500;
      for (const v of Object.values(s.fields ?? {})) bytes += enc.encode(v ?? '').length;
      for (const para of s.body ?? []) bytes += 40 + enc.encode(para).length;
      bytes += enc.encode(s.library ?? '').length;
    }
  }
  return bytes;
}

export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
