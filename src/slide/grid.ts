import { FORMATS, type Format } from '../model/instagram.ts';

/**
 * The grid of a `books` slide: how many columns, how big each cover is (in export pixels) and
 * whether titles and authors fit under the covers, for `count` covers in the space a format leaves.
 * Pure arithmetic, so the editor, the export and Node render the same grid.
 */
export interface BooksGrid {
  cols: number;
  rows: number;
  coverWidth: number;
  coverHeight: number;
  /** Whether each cover gets its author and title under it. */
  captions: boolean;
  gap: number;
  /** The grid's width: the rows wrap after `cols` covers. */
  width: number;
}

/** A book cover's shape (width / height), as on book slides (300 × 440). */
export const COVER_ASPECT = 300 / 440;
/** Safe-area inset of a slide (slide.css: `.slide__safe`). */
export const SAFE = { top: 96, side: 110, bottom: 96, bottomWithCorner: 160 } as const;
/** Height kept for the slide's title (two lines of the books title and the gap under it). */
const TITLE_SPACE = 176;
/** Height of a caption under a cover: the author's line and two lines of the title. */
const CAPTION_HEIGHT = 112;
/** Narrower covers than this get no caption (its text would not be readable). */
const MIN_CAPTIONED_WIDTH = 190;
const MAX_COVER_HEIGHT = 620;

export function booksGrid(
  count: number,
  format: Format,
  opts: { title: boolean; corner: boolean },
): BooksGrid {
  const size = FORMATS[format];
  const width = size.width - 2 * SAFE.side;
  const height =
    size.height -
    SAFE.top -
    (opts.corner ? SAFE.bottomWithCorner : SAFE.bottom) -
    (opts.title ? TITLE_SPACE : 0);
  const n = Math.max(1, count);
  const gap = n > 6 ? 28 : 40;
  const bestOf = (captions: boolean): BooksGrid | undefined => {
    let best: BooksGrid | undefined;
    for (let cols = 1; cols <= n; cols++) {
      const rows = Math.ceil(n / cols);
      const cellW = (width - gap * (cols - 1)) / cols;
      const cellH = (height - gap * (rows - 1)) / rows - (captions ? CAPTION_HEIGHT : 0);
      const coverHeight = Math.floor(Math.min(cellH, cellW / COVER_ASPECT, MAX_COVER_HEIGHT));
      if (coverHeight <= 0) continue;
      const coverWidth = Math.floor(coverHeight * COVER_ASPECT);
      if (captions && coverWidth < MIN_CAPTIONED_WIDTH) continue;
      // Equal covers: fewer rows (a wider, calmer grid).
      if (!best || coverHeight > best.coverHeight) {
        best = {
          cols,
          rows,
          coverWidth,
          coverHeight,
          captions,
          gap,
          width: cols * coverWidth + (cols - 1) * gap,
        };
      }
    }
    return best;
  };
  const withCaptions = bestOf(true);
  const without = bestOf(false);
  // Titles under the covers are worth a somewhat smaller cover, not a much smaller one.
  const best =
    withCaptions && (!without || withCaptions.coverHeight >= 0.72 * without.coverHeight)
      ? withCaptions
      : without;
  return (
    best ?? {
      cols: n,
      rows: 1,
      coverWidth: 40,
      coverHeight: 60,
      captions: false,
      gap,
      width: width,
    }
  );
}
