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
import type { SlideView } from '../model/flashbook.ts';
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
}

/**
 * Editor only: what an empty text area of the slide shows on the canvas, by the form field it
 * stands for ("Author", "Title", "Drop a cover here"…). Export, thumbnails and the exhibition never
 * pass it, so placeholders never reach an image or a page.
 */
export type SlidePlaceholders = Partial<
  Record<
    'title' | 'subtitle' | 'author' | 'publisher' | 'body' | 'quote' | 'quoteSource' | 'cover',
    string
  >
>;

const DEFAULT_DESIGN: SlideDesign = { theme: DEFAULT_THEME_ID, brandColor: '', logo: '' };

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
  /** Editor only: placeholders for the empty text areas, each marked with `data-field`. */
  placeholders?: SlidePlaceholders;
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
    placeholders,
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
  const ph = useMemo(() => placeholderMarks(placeholders), [placeholders]);

  // Fit the text where there is layout to measure (TextFitContext: browser.tsx in browsers).
  const fitter = useContext(TextFitContext);
  useLayoutEffect(
    () => fitter.fit(safeRef.current, slide.layout, setFit),
    // The content the fit depends on; the slide view is a new object whenever it changes.
    [fitter, slide, format, design.theme, flashbookTitle, placeholders],
  );

  useEffect(() => onOverflow?.(overflow), [overflow, onOverflow]);
  useEffect(() => onFit?.(fit), [fit, onFit]);

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
        className={`slide slide--${slide.layout} slide--${format.replace(':', 'x')} slide--theme-${theme.id}${slide.ageLabel ? ' slide--with-age' : ''}`}
        style={inner}
        data-slide-id={slide.id}
        data-overflow={overflow ? 'true' : undefined}
        data-fit={fit}
      >
        <div className="slide__safe" ref={safeRef}>
          {renderLayout(slide, theme, design, hy, ph, flashbookTitle)}
        </div>
        {slide.ageLabel ? <div className="slide__age">{slide.ageLabel}</div> : null}
      </div>
    </div>
  );
});

/** Adds soft hyphens to a text in the slide's language. Never applied to an author's name. */
type Hyphenate = (text: string) => string;

type Field = keyof SlidePlaceholders;

/**
 * Placeholders in the editor: `text` is a field's text or, when it is empty, its placeholder (or
 * '' without placeholders: then the layout leaves the element out as before); `attrs` mark the
 * element with its field and, when it shows a placeholder, the placeholder class.
 */
interface PlaceholderMarks {
  text: (field: Field, value: string) => string;
  attrs: (field: Field, value: string, className: string) => { className: string };
}

const NO_MARKS: PlaceholderMarks = {
  text: (_field, value) => value,
  attrs: (_field, _value, className) => ({ className }),
};

function placeholderMarks(placeholders: SlidePlaceholders | undefined): PlaceholderMarks {
  if (!placeholders) return NO_MARKS;
  return {
    text: (field, value) => value || (placeholders[field] ?? ''),
    attrs: (field, value, className) =>
      ({
        className: value ? className : `${className} slide__placeholder`,
        'data-field': field,
      }) as { className: string },
  };
}

function renderLayout(
  s: SlideView,
  theme: Theme,
  design: SlideDesign,
  hy: Hyphenate,
  ph: PlaceholderMarks,
  flashbookTitle?: string,
): ReactNode {
  const f = s.fields;
  const body = (className: string) =>
    hasText(s.body) || !ph.text('body', '') ? (
      <RichText blocks={s.body} className={className} hy={hy} />
    ) : (
      <div {...ph.attrs('body', '', className)}>
        <p>{ph.text('body', '')}</p>
      </div>
    );
  switch (s.layout) {
    case 'cover':
      return (
        <>
          {flashbookTitle && flashbookTitle !== f.title ? (
            <div className="slide__kicker">{hy(flashbookTitle)}</div>
          ) : null}
          <h1 {...ph.attrs('title', f.title, 'slide__title')}>{hy(ph.text('title', f.title))}</h1>
          {ph.text('subtitle', f.subtitle) ? (
            <p {...ph.attrs('subtitle', f.subtitle, 'slide__subtitle')}>
              {hy(ph.text('subtitle', f.subtitle))}
            </p>
          ) : null}
          {body('slide__body slide__body--footer')}
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
            <BookCover slide={s} theme={theme} hy={hy} cover={ph.text('cover', '')} />
            <div className="slide__book-head">
              {ph.text('author', f.author) ? (
                <p {...ph.attrs('author', f.author, 'slide__author')}>
                  {ph.text('author', f.author)}
                </p>
              ) : null}
              <h1 {...ph.attrs('title', f.title, 'slide__title slide__title--book')}>
                {hy(ph.text('title', f.title))}
              </h1>
              {ph.text('publisher', biblio) ? (
                <p {...ph.attrs('publisher', biblio, 'slide__biblio')}>
                  {hy(ph.text('publisher', biblio))}
                </p>
              ) : null}
            </div>
          </div>
          {body('slide__body')}
          {f.quote ? (
            <blockquote className="slide__quote slide__quote--small">{hy(f.quote)}</blockquote>
          ) : null}
        </>
      );
    }
    case 'quote':
      return (
        <>
          <blockquote {...ph.attrs('quote', f.quote, 'slide__quote')}>
            {hy(ph.text('quote', f.quote))}
          </blockquote>
          {ph.text('quoteSource', f.quoteSource) ? (
            <p {...ph.attrs('quoteSource', f.quoteSource, 'slide__source')}>
              {ph.text('quoteSource', f.quoteSource)}
            </p>
          ) : null}
        </>
      );
    case 'closing':
      return (
        <>
          {ph.text('title', f.title) ? (
            <h1 {...ph.attrs('title', f.title, 'slide__title slide__title--text')}>
              {hy(ph.text('title', f.title))}
            </h1>
          ) : null}
          {body('slide__body')}
          <Logo assetId={design.logo} />
        </>
      );
    case 'text':
      return (
        <>
          {ph.text('title', f.title) ? (
            <h1 {...ph.attrs('title', f.title, 'slide__title slide__title--text')}>
              {hy(ph.text('title', f.title))}
            </h1>
          ) : null}
          {body('slide__body')}
        </>
      );
  }
}

/** The book's cover image, or a designed placeholder with its title and author in the book's own colour. */
function BookCover({
  slide,
  theme,
  hy,
  cover,
}: {
  slide: SlideView;
  theme: Theme;
  hy: Hyphenate;
  /** Editor only: the hint shown on a book without a cover image. */
  cover: string;
}) {
  const url = useAssetUrl(slide.image);
  if (slide.image) {
    return (
      <div className="slide__cover slide__cover--image">
        {url ? <img className="slide__cover-image" src={url} alt={slide.fields.altText} /> : null}
      </div>
    );
  }
  const hue = coverHue(theme, `${slide.fields.title}|${slide.fields.author}`);
  const style = {
    '--cover-hue': hue,
    '--cover-sat': `${theme.coverSaturation}%`,
    '--cover-light': `${theme.coverLightness}%`,
  } as CSSProperties;
  return (
    <div className="slide__cover slide__cover--placeholder" style={style} aria-hidden="true">
      <span className="slide__cover-author">{slide.fields.author}</span>
      <span className="slide__cover-title">{hy(slide.fields.title)}</span>
      {cover ? (
        <span className="slide__cover-hint slide__placeholder" data-field="cover">
          {cover}
        </span>
      ) : null}
    </div>
  );
}

function Logo({ assetId }: { assetId: string }) {
  const url = useAssetUrl(assetId);
  if (!assetId || !url) return null;
  return <img className="slide__logo" src={url} alt="" />;
}

function hasText(blocks: RichBlock[]): boolean {
  return !(
    blocks.length === 0 || blocks.every((b) => b.type === 'paragraph' && b.spans.length === 0)
  );
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
  if (!hasText(blocks)) return null;
  return (
    <div className={className}>
      <RichBlocks blocks={blocks} style={{ text: hy, heading: 'h2' }} />
    </div>
  );
}
