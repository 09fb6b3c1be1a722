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
          {renderLayout(slide, theme, design, hy, flashbookTitle)}
        </div>
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

/** The book's cover image, or a designed placeholder with its title and author in the book's own colour. */
function BookCover({ slide, theme, hy }: { slide: SlideView; theme: Theme; hy: Hyphenate }) {
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
