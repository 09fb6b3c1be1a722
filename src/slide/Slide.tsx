import {
  memo,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
import { FORMATS, type Format } from '../model/instagram.ts';
import type { FlashbookView, LibraryView, SlideView } from '../model/flashbook.ts';
import { slideLibrary } from '../model/read.ts';
import { booksGrid, COVER_ASPECT } from './grid.ts';
import type { RichBlock } from '../model/richtext.ts';
import { DEFAULT_THEME_ID, coverHue, slideColors, themeById, type Theme } from './themes/themes.ts';
import { useAssetUrl } from './assets.tsx';
import { RichBlocks } from './RichBlocks.tsx';
import { TextFitContext } from './fit-context.ts';
import type { FitStatus } from '../typography/readability.ts';
import { hyphenate } from '../typography/hyphenate.ts';
import { slideLanguage } from '../typography/language.ts';
import {
  DEFAULT_BIBLIO_STYLE,
  bibliographicDescription,
  type BiblioStyle,
} from '../typography/bibliography.ts';

/** Flashbook-wide design that every slide of it shares. */
export interface SlideDesign {
  /** Theme id (unknown ids render the default theme). */
  theme: string;
  /** `#rrggbb` overriding the theme's accent, or empty. */
  brandColor: string;
  /** Asset id of the flashbook's logo, or empty. */
  logo: string;
  /** How book slides describe the book (default: ГОСТ style). */
  biblioStyle?: BiblioStyle;
  /** Whether every slide shows the preparing library's name and logo in a corner. */
  attribution?: boolean;
  /** The flashbook's participating libraries (a slide's `library` may name one by id). */
  libraries?: readonly LibraryView[];
}

const DEFAULT_DESIGN: SlideDesign = { theme: DEFAULT_THEME_ID, brandColor: '', logo: '' };

/** The design a flashbook's slides share, from its view. */
export function designOf(
  view: Pick<
    FlashbookView,
    'theme' | 'brandColor' | 'logo' | 'biblioStyle' | 'attribution' | 'libraries'
  >,
): SlideDesign {
  return {
    theme: view.theme,
    brandColor: view.brandColor,
    logo: view.logo,
    biblioStyle: view.biblioStyle,
    attribution: view.attribution,
    libraries: view.libraries,
  };
}

/** Every image a slide shows (its cover, the covers of a `books` slide, logos), for preloading. */
export function slideAssetIds(slide: SlideView, design: SlideDesign): string[] {
  const ids = [slide.image, ...slide.books.map((b) => b.image)];
  if (slide.layout === 'cover' || slide.layout === 'closing') ids.push(design.logo);
  const library = design.attribution ? slideLibrary(slide, design.libraries ?? []) : undefined;
  if (library?.logo) ids.push(library.logo);
  return [...new Set(ids.filter(Boolean))];
}

/**
 * One slide, rendered at its true export size (1080 px wide) and scaled to `width` CSS pixels. The
 * editor canvas, the sidebar thumbnails, export and the exhibition page all render this component,
 * so they show the same thing. It renders without a DOM too (react-dom/server); browsers wrap it in
 * `BrowserSlides` (browser.tsx) for the stylesheet and text fitting.
 */
export interface SlideProps {
  slide: SlideView;
  format: Format;
  /** Width on screen in CSS pixels; the slide is scaled to fit it. */
  width: number;
  /** The flashbook title, shown on slides that carry it. */
  flashbookTitle?: string;
  design?: SlideDesign;
  /** Told whether the text overflows even at the smallest readable scale. */
  onOverflow?: (overflow: boolean) => void;
  /** Told how the text fits: `tight` when it was shrunk close to the smallest readable size. */
  onFit?: (fit: FitStatus) => void;
}

export const Slide = memo(function Slide(props: SlideProps) {
  const {
    slide,
    format,
    width,
    flashbookTitle,
    design = DEFAULT_DESIGN,
    onOverflow,
    onFit,
  } = props;
  const size = FORMATS[format];
  const scale = width / size.width;
  const theme = themeById(design.theme);
  const colors = slideColors(theme, design.brandColor);
  const safeRef = useRef<HTMLDivElement>(null);
  const [fit, setFit] = useState<FitStatus>('ok');
  const overflow = fit === 'overflow';
  // Soft hyphens are added here, at render time, and never stored: see src/typography.
  const hy = useMemo<Hyphenate>(() => {
    const language = slideLanguage(slide);
    return (text) => hyphenate(text, language);
  }, [slide]);

  // Fit the text where there is layout to measure (TextFitContext: browser.tsx in browsers).
  const fitter = useContext(TextFitContext);
  useLayoutEffect(
    () => fitter.fit(safeRef.current, slide.layout, setFit),
    // The content the fit depends on; the slide view is a new object whenever it changes.
    [fitter, slide, format, design.theme, flashbookTitle],
  );

  useEffect(() => onOverflow?.(overflow), [overflow, onOverflow]);
  useEffect(() => onFit?.(fit), [fit, onFit]);

  const library = design.attribution ? slideLibrary(slide, design.libraries ?? []) : undefined;
  const corner = Boolean(slide.ageLabel || library);
  const outer: CSSProperties = { width, height: size.height * scale };
  const inner = {
    width: size.width,
    height: size.height,
    transform: `scale(${scale})`,
    '--slide-bg': colors.bg,
    '--slide-fg': colors.fg,
    '--slide-muted': colors.muted,
    '--slide-accent': colors.accent,
    '--slide-cover-ink': colors.coverInk,
    '--slide-heading-font': theme.fonts.heading,
    '--slide-heading-weight': theme.fonts.headingWeight,
    '--slide-body-font': theme.fonts.body,
  } as CSSProperties;
  return (
    <div className="slide-frame" style={outer}>
      <div
        className={`slide slide--${slide.layout} slide--${format.replace(':', 'x')} slide--theme-${theme.id}${slide.ageLabel ? ' slide--with-age' : ''}${library ? ' slide--with-attribution' : ''}${slide.layout === 'book' && slide.bookLayout === 'wide' ? ' slide--book-wide' : ''}`}
        style={inner}
        data-slide-id={slide.id}
        data-overflow={overflow ? 'true' : undefined}
        data-fit={fit}
      >
        <div className="slide__safe" ref={safeRef}>
          {renderLayout(slide, theme, design, hy, format, corner, flashbookTitle)}
        </div>
        {library ? <Attribution library={library} /> : null}
        {slide.ageLabel ? <div className="slide__age">{slide.ageLabel}</div> : null}
      </div>
    </div>
  );
});

/** Adds soft hyphens to a text in the slide's language. Never applied to an author's name. */
type Hyphenate = (text: string) => string;

function renderLayout(
  s: SlideView,
  theme: Theme,
  design: SlideDesign,
  hy: Hyphenate,
  format: Format,
  corner: boolean,
  flashbookTitle?: string,
): ReactNode {
  const f = s.fields;
  switch (s.layout) {
    case 'cover':
      return (
        <>
          {flashbookTitle && flashbookTitle !== f.title ? (
            <div className="slide__kicker">{hy(flashbookTitle)}</div>
          ) : null}
          <h1 className="slide__title">{hy(f.title)}</h1>
          {f.subtitle ? <p className="slide__subtitle">{hy(f.subtitle)}</p> : null}
          <RichText blocks={s.body} className="slide__body slide__body--footer" hy={hy} />
          <Logo assetId={design.logo} />
        </>
      );
    case 'book': {
      const biblio = bibliographicDescription(
        f,
        design.biblioStyle ?? DEFAULT_BIBLIO_STYLE,
        slideLanguage(s) ?? 'ru',
      );
      return (
        <>
          <div className="slide__book">
            <BookCover slide={s} theme={theme} hy={hy} />
            <div className="slide__book-head">
              {f.author ? <p className="slide__author">{f.author}</p> : null}
              <h1 className="slide__title slide__title--book">{hy(f.title)}</h1>
              {biblio ? <p className="slide__biblio">{hy(biblio)}</p> : null}
            </div>
          </div>
          <RichText blocks={s.body} className="slide__body" hy={hy} />
          {f.quote ? (
            <blockquote className="slide__quote slide__quote--small">{hy(f.quote)}</blockquote>
          ) : null}
        </>
      );
    }
    case 'books': {
      const grid = booksGrid(s.books.length, format, { title: Boolean(f.title), corner });
      const coverStyle = {
        width: grid.coverWidth,
        height: grid.coverHeight,
        '--cover-scale': grid.coverWidth / 300,
      } as CSSProperties;
      return (
        <>
          {f.title ? <h1 className="slide__title slide__title--books">{hy(f.title)}</h1> : null}
          {s.books.length > 0 ? (
            <ul
              className="slide__grid"
              style={{ width: grid.width, gap: grid.gap }}
              data-cols={grid.cols}
            >
              {s.books.map((b) => (
                <li key={b.id} className="slide__grid-item" style={{ width: grid.coverWidth }}>
                  <BookCover slide={b} theme={theme} hy={hy} style={coverStyle} />
                  {grid.captions && (b.fields.author || b.fields.title) ? (
                    <p className="slide__grid-caption">
                      {b.fields.author ? (
                        <span className="slide__grid-author">{b.fields.author}</span>
                      ) : null}
                      {b.fields.title ? (
                        <span className="slide__grid-title">{hy(b.fields.title)}</span>
                      ) : null}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      );
    }
    case 'quote':
      return (
        <>
          <blockquote className="slide__quote">{hy(f.quote)}</blockquote>
          {f.quoteSource ? <p className="slide__source">{f.quoteSource}</p> : null}
        </>
      );
    case 'closing':
      return (
        <>
          {f.title ? <h1 className="slide__title slide__title--text">{hy(f.title)}</h1> : null}
          <RichText blocks={s.body} className="slide__body" hy={hy} />
          <Logo assetId={design.logo} />
        </>
      );
    case 'text':
      return (
        <>
          {f.title ? <h1 className="slide__title slide__title--text">{hy(f.title)}</h1> : null}
          <RichText blocks={s.body} className="slide__body" hy={hy} />
        </>
      );
  }
}

/** How far (as a ratio) an image's shape may differ from its frame's before `auto` shows it whole. */
const AUTO_CROP_TOLERANCE = 1.2;

/**
 * `auto` fit: crop (cover) when the image's shape is close to the frame's, else show it whole.
 * Decided on the element as soon as the image's size is known, without a re-render, so an export
 * that waits for its images captures the decision. Until then (and without layout, in Node) the
 * image is shown whole: nothing is ever cut before the shape is known.
 */
function decideAutoFit(element: unknown): void {
  // The slide layer compiles without the DOM library (it also renders in Node): the few members
  // used here, structurally.
  const img = element as {
    complete: boolean;
    naturalWidth: number;
    naturalHeight: number;
    parentElement: {
      clientWidth: number;
      clientHeight: number;
      dataset: Record<string, string | undefined>;
    } | null;
  } | null;
  const frame = img?.parentElement;
  if (!img || !frame || !img.naturalWidth || !img.naturalHeight) return;
  const frameRatio =
    frame.clientWidth > 0 && frame.clientHeight > 0
      ? frame.clientWidth / frame.clientHeight
      : COVER_ASPECT;
  const ratio = img.naturalWidth / img.naturalHeight / frameRatio;
  const close = ratio < AUTO_CROP_TOLERANCE && ratio > 1 / AUTO_CROP_TOLERANCE;
  frame.dataset['shape'] = close ? 'close' : 'far';
}

/** The book's cover image, or a designed placeholder with its title and author in the book's own colour. */
function BookCover({
  slide,
  theme,
  hy,
  style,
}: {
  slide: SlideView;
  theme: Theme;
  hy: Hyphenate;
  style?: CSSProperties;
}) {
  const url = useAssetUrl(slide.image);
  if (slide.image) {
    const fit = slide.imageFit;
    const position = `${slide.imageFocus.x * 100}% ${slide.imageFocus.y * 100}%`;
    return (
      <div
        className={`slide__cover slide__cover--image slide__cover--fit-${fit}`}
        style={style}
        data-image-fit={fit}
      >
        {url ? (
          <img
            className="slide__cover-image"
            src={url}
            alt={slide.fields.altText}
            style={{ objectPosition: position }}
            ref={
              fit === 'auto'
                ? (img) => {
                    if ((img as { complete?: boolean } | null)?.complete) decideAutoFit(img);
                  }
                : undefined
            }
            onLoad={fit === 'auto' ? (e) => decideAutoFit(e.currentTarget) : undefined}
          />
        ) : null}
        {/* After the cover in the document (the cover is what matters), under it on screen. */}
        {url && (fit === 'auto' || fit === 'contain') ? (
          <img className="slide__cover-backdrop" src={url} alt="" aria-hidden="true" />
        ) : null}
      </div>
    );
  }
  // Books without a title or author yet (a template's empty slides) still get colours of their own.
  const seed = `${slide.fields.title}|${slide.fields.author}`;
  const hue = coverHue(theme, seed === '|' ? slide.id : seed);
  const placeholder = {
    ...style,
    '--cover-hue': hue,
    '--cover-sat': `${theme.coverSaturation}%`,
    '--cover-light': `${theme.coverLightness}%`,
  } as CSSProperties;
  return (
    <div className="slide__cover slide__cover--placeholder" style={placeholder} aria-hidden="true">
      <span className="slide__cover-author">{slide.fields.author}</span>
      <span className="slide__cover-title">{hy(slide.fields.title)}</span>
    </div>
  );
}

/** The preparing library's logo and name, in a corner of the slide. */
function Attribution({ library }: { library: LibraryView }) {
  const url = useAssetUrl(library.logo);
  return (
    <div className="slide__attribution" data-library-id={library.id || undefined}>
      {library.logo && url ? <img className="slide__attribution-logo" src={url} alt="" /> : null}
      {library.name ? <span className="slide__attribution-name">{library.name}</span> : null}
    </div>
  );
}

function Logo({ assetId }: { assetId: string }) {
  const url = useAssetUrl(assetId);
  if (!assetId || !url) return null;
  return <img className="slide__logo" src={url} alt="" />;
}

function RichText({
  blocks,
  className,
  hy,
}: {
  blocks: RichBlock[];
  className: string;
  hy: Hyphenate;
}) {
  if (blocks.length === 0 || blocks.every((b) => b.type === 'paragraph' && b.spans.length === 0))
    return null;
  return (
    <div className={className}>
      <RichBlocks blocks={blocks} style={{ text: hy, heading: 'h2' }} />
    </div>
  );
}
