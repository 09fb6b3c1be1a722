import type { ReactNode } from 'react';
import type { RichBlock, RichSpan } from '../model/richtext.ts';

/**
 * Rich text blocks as HTML, for the slide and for the exhibition page, which differ only in how
 * text is written out (hyphenated on slides, with links on the page), where headings sit in the
 * outline, and whether a block carries its own `lang`.
 */
export interface RichBlocksStyle {
  /** Writes out a span's text. */
  text: (text: string) => ReactNode;
  /** The element a level-2 heading becomes; level 3 is the next one down. */
  heading: 'h2' | 'h4';
  /** The `lang` of a block in another language than its page, if any. */
  lang?: (text: string) => string | undefined;
  /** Leave out paragraphs with no visible text (a web page; a slide keeps blank lines). */
  omitBlankParagraphs?: boolean;
}

const NEXT_HEADING = { h2: 'h3', h4: 'h5' } as const;

function Spans({ spans, style }: { spans: RichSpan[]; style: RichBlocksStyle }) {
  return (
    <>
      {spans.map((s, i) => {
        let node: ReactNode = style.text(s.text);
        if (s.marks.includes('bold')) node = <strong>{node}</strong>;
        if (s.marks.includes('italic')) node = <em>{node}</em>;
        if (s.marks.includes('underline')) node = <u>{node}</u>;
        if (s.marks.includes('strike')) node = <s>{node}</s>;
        return <span key={i}>{node}</span>;
      })}
    </>
  );
}

export function RichBlocks({ blocks, style }: { blocks: RichBlock[]; style: RichBlocksStyle }) {
  return (
    <>
      {blocks.map((b, i) => {
        switch (b.type) {
          case 'paragraph': {
            const text = b.spans.map((s) => s.text).join('');
            if (style.omitBlankParagraphs && !text.trim()) return null;
            return (
              <p key={i} lang={style.lang?.(text)}>
                <Spans spans={b.spans} style={style} />
              </p>
            );
          }
          case 'heading': {
            const text = b.spans.map((s) => s.text).join('');
            const Tag = b.level === 2 ? style.heading : NEXT_HEADING[style.heading];
            return (
              <Tag key={i} lang={style.lang?.(text)}>
                <Spans spans={b.spans} style={style} />
              </Tag>
            );
          }
          case 'quote':
            return (
              <blockquote key={i}>
                <RichBlocks blocks={b.blocks} style={style} />
              </blockquote>
            );
          case 'list': {
            const items = b.items.map((item, j) => (
              <li key={j}>
                <RichBlocks blocks={item} style={style} />
              </li>
            ));
            return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
        }
      })}
    </>
  );
}
