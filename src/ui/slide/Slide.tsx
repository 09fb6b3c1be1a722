import { memo, type CSSProperties, type ReactNode } from 'react';
import { FORMATS, type Format } from '../../model/instagram.ts';
import type { SlideView } from '../../model/flashbook.ts';
import type { RichBlock, RichSpan } from '../../model/richtext.ts';
import './slide.css';

/**
 * One slide, rendered at its true export size (1080 px wide) and scaled to `width` CSS pixels. The
 * editor canvas, the sidebar thumbnails, export and the exhibition page all render this component,
 * so they show the same thing.
 */
export interface SlideProps {
  slide: SlideView;
  format: Format;
  /** Width on screen in CSS pixels; the slide is scaled to fit it. */
  width: number;
  /** The flashbook title, shown on slides that carry it. */
  flashbookTitle?: string;
}

export const Slide = memo(function Slide({ slide, format, width, flashbookTitle }: SlideProps) {
  const size = FORMATS[format];
  const scale = width / size.width;
  const outer: CSSProperties = { width, height: size.height * scale };
  const inner: CSSProperties = {
    width: size.width,
    height: size.height,
    transform: `scale(${scale})`,
  };
  return (
    <div className="slide-frame" style={outer}>
      <div
        className={`slide slide--${slide.layout} slide--${format.replace(':', 'x')}`}
        style={inner}
        data-slide-id={slide.id}
      >
        <div className="slide__safe">{renderLayout(slide, flashbookTitle)}</div>
        {slide.ageLabel ? <div className="slide__age">{slide.ageLabel}</div> : null}
      </div>
    </div>
  );
});

function renderLayout(s: SlideView, flashbookTitle?: string): ReactNode {
  const f = s.fields;
  switch (s.layout) {
    case 'cover':
      return (
        <>
          {flashbookTitle && flashbookTitle !== f.title ? (
            <div className="slide__kicker">{flashbookTitle}</div>
          ) : null}
          <h1 className="slide__title">{f.title}</h1>
          {f.subtitle ? <p className="slide__subtitle">{f.subtitle}</p> : null}
          <RichText blocks={s.body} className="slide__body slide__body--footer" />
        </>
      );
    case 'book': {
      const biblio = [f.publisher, f.place, f.year, f.pages].filter(Boolean).join(' · ');
      return (
        <>
          <div className="slide__book">
            <div className="slide__cover" aria-hidden="true">
              <span className="slide__cover-author">{f.author}</span>
              <span className="slide__cover-title">{f.title}</span>
            </div>
            <div className="slide__book-head">
              {f.author ? <p className="slide__author">{f.author}</p> : null}
              <h1 className="slide__title slide__title--book">{f.title}</h1>
              {biblio ? <p className="slide__biblio">{biblio}</p> : null}
            </div>
          </div>
          <RichText blocks={s.body} className="slide__body" />
          {f.quote ? (
            <blockquote className="slide__quote slide__quote--small">{f.quote}</blockquote>
          ) : null}
        </>
      );
    }
    case 'quote':
      return (
        <>
          <blockquote className="slide__quote">{f.quote}</blockquote>
          {f.quoteSource ? <p className="slide__source">{f.quoteSource}</p> : null}
        </>
      );
    case 'closing':
    case 'text':
      return (
        <>
          {f.title ? <h1 className="slide__title slide__title--text">{f.title}</h1> : null}
          <RichText blocks={s.body} className="slide__body" />
        </>
      );
  }
}

function Spans({ spans }: { spans: RichSpan[] }) {
  return (
    <>
      {spans.map((s, i) => {
        let node: ReactNode = s.text;
        if (s.marks.includes('bold')) node = <strong>{node}</strong>;
        if (s.marks.includes('italic')) node = <em>{node}</em>;
        if (s.marks.includes('underline')) node = <u>{node}</u>;
        if (s.marks.includes('strike')) node = <s>{node}</s>;
        return <span key={i}>{node}</span>;
      })}
    </>
  );
}

function Blocks({ blocks }: { blocks: RichBlock[] }) {
  return (
    <>
      {blocks.map((b, i) => {
        switch (b.type) {
          case 'paragraph':
            return (
              <p key={i}>
                <Spans spans={b.spans} />
              </p>
            );
          case 'heading':
            return b.level === 2 ? (
              <h2 key={i}>
                <Spans spans={b.spans} />
              </h2>
            ) : (
              <h3 key={i}>
                <Spans spans={b.spans} />
              </h3>
            );
          case 'quote':
            return (
              <blockquote key={i}>
                <Blocks blocks={b.blocks} />
              </blockquote>
            );
          case 'list': {
            const items = b.items.map((item, j) => (
              <li key={j}>
                <Blocks blocks={item} />
              </li>
            ));
            return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
        }
      })}
    </>
  );
}

function RichText({ blocks, className }: { blocks: RichBlock[]; className: string }) {
  if (blocks.length === 0 || blocks.every((b) => b.type === 'paragraph' && b.spans.length === 0))
    return null;
  return (
    <div className={className}>
      <Blocks blocks={blocks} />
    </div>
  );
}
