import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { assembleCaption, visibleCaption } from '../../export/caption.ts';
import type { FlashbookView, PostView } from '../../model/flashbook.ts';
import { FORMATS } from '../../model/instagram.ts';
import { Slide, designOf, type SlideDesign } from '../../slide/Slide.tsx';

/** Instagram's feed column on a computer, in CSS pixels. */
export const FEED_WIDTH = 468;
/** A tile of the profile grid, which crops every post to 3:4 around its centre. */
const GRID_TILE = { width: 150, height: 200 };

/**
 * A post as Instagram shows it: the carousel at feed size, the caption cut where the feed cuts it
 * (with "more"), and the first slide as the profile grid's 3:4 crop.
 */
export function PostPreview({
  post,
  number,
  view,
}: {
  post: PostView;
  number: number;
  view: FlashbookView;
}) {
  const { t } = useTranslation();
  const [index, setIndex] = useState(0);
  const [expanded, setExpanded] = useState(false);
  const design = useMemo<SlideDesign>(
    () => designOf(view),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the design's own fields
    [view.theme, view.brandColor, view.logo, view.biblioStyle, view.attribution, view.libraries],
  );
  const count = post.slides.length;
  const current = Math.min(index, Math.max(0, count - 1));
  const slide = post.slides[current];
  const first = post.slides[0];
  const caption = assembleCaption(post.caption, view.hashtags);
  const { visible, truncated } = visibleCaption(caption);
  const account = post.library || view.title || t('export.preview.account');
  const size = FORMATS[view.format];
  const feedHeight = Math.round((FEED_WIDTH * size.height) / size.width);
  // Grid crop: cover the 3:4 tile, centred.
  const gridScale = Math.max(GRID_TILE.width / size.width, GRID_TILE.height / size.height);
  const gridWidth = Math.round(size.width * gridScale);
  const gridHeight = Math.round(size.height * gridScale);

  return (
    <section className="ig-preview" aria-label={t('export.preview.title', { number })}>
      <article className="ig-post" style={{ width: FEED_WIDTH }}>
        <header className="ig-post__head">
          <span className="ig-post__avatar" aria-hidden="true">
            {[...account][0]?.toLocaleUpperCase() ?? '·'}
          </span>
          <span className="ig-post__account">{account}</span>
        </header>
        <div className="ig-post__media" style={{ width: FEED_WIDTH, height: feedHeight }}>
          {slide ? (
            <Slide
              key={slide.id}
              slide={slide}
              format={view.format}
              width={FEED_WIDTH}
              flashbookTitle={view.title}
              design={design}
            />
          ) : (
            <p className="ig-post__empty">{t('export.preview.noSlides')}</p>
          )}
          {count > 1 ? (
            <>
              <span className="ig-post__counter">
                {t('export.preview.position', { current: current + 1, count })}
              </span>
              {current > 0 ? (
                <button
                  type="button"
                  className="ig-post__nav ig-post__nav--prev"
                  onClick={() => setIndex(current - 1)}
                  aria-label={t('export.preview.previous')}
                  title={t('export.preview.previous')}
                >
                  ‹
                </button>
              ) : null}
              {current < count - 1 ? (
                <button
                  type="button"
                  className="ig-post__nav ig-post__nav--next"
                  onClick={() => setIndex(current + 1)}
                  aria-label={t('export.preview.next')}
                  title={t('export.preview.next')}
                >
                  ›
                </button>
              ) : null}
            </>
          ) : null}
        </div>
        {count > 1 ? (
          <div className="ig-post__dots" aria-hidden="true">
            {post.slides.map((s, i) => (
              <span key={s.id} className={i === current ? 'ig-post__dot--on' : undefined} />
            ))}
          </div>
        ) : null}
        <p className="ig-post__caption" data-testid="preview-caption">
          <strong>{account}</strong> {expanded || !truncated ? caption : visible}
          {truncated && !expanded ? (
            <>
              {'… '}
              <button type="button" className="ig-post__more" onClick={() => setExpanded(true)}>
                {t('export.preview.more')}
              </button>
            </>
          ) : null}
        </p>
      </article>
      <figure className="ig-grid">
        <div className="ig-grid__tile" style={GRID_TILE}>
          {first ? (
            <div
              className="ig-grid__crop"
              style={{
                left: Math.round((GRID_TILE.width - gridWidth) / 2),
                top: Math.round((GRID_TILE.height - gridHeight) / 2),
              }}
            >
              <Slide
                slide={first}
                format={view.format}
                width={gridWidth}
                flashbookTitle={view.title}
                design={design}
              />
            </div>
          ) : null}
        </div>
        <figcaption>{t('export.preview.grid')}</figcaption>
      </figure>
    </section>
  );
}
