import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buildExhibition } from '../../exhibition/content.ts';
import type { PostView } from '../../model/flashbook.ts';
import type { Format } from '../../model/instagram.ts';
import type { SlideDesign } from '../../slide/Slide.tsx';
import { Slide, designOf } from '../../slide/Slide.tsx';
import { useSessionState } from '../../session/hooks.ts';
import { LanguageSelect } from '../common/LanguageSelect.tsx';
import { flashbookUrl } from '../router.ts';
import './reader.css';

/**
 * What a view link opens: the flashbook as readers see it, live (edits arrive as they are made),
 * read-only, with no name prompt. Each post is a carousel of its slides at their true aspect ratio,
 * with its caption below, sized for a phone. Colleagues can still open the read-only editor.
 */
export function ReaderView({ id, token }: { id: string; token: string | null }) {
  const { t } = useTranslation();
  const loaded = useSessionState((s) => s.loaded);
  const view = useSessionState((s) => s.view);
  const width = useSlideWidth();

  useEffect(() => {
    document.title = view.title ? `${view.title} — Flashbook Studio` : 'Flashbook Studio';
  }, [view.title]);

  if (!loaded) return <p className="page-message">{t('reader.loading')}</p>;
  const sections = buildExhibition(view, null).sections;
  const design: SlideDesign = designOf(view);
  return (
    <div className="reader">
      <header className="reader__bar">
        <span className="reader__kicker">{t('reader.title')}</span>
        <LanguageSelect />
      </header>
      <main className="reader__main">
        <h1 className="reader__title">{view.title}</h1>
        {token ? (
          <p>
            <a href={`${flashbookUrl(id, token)}&mode=editor`}>{t('reader.openEditor')}</a>
          </p>
        ) : null}
        {view.posts.map((post, i) => (
          <PostCarousel
            key={post.id}
            post={post}
            n={i + 1}
            heading={sections[i]?.heading ?? t('reader.post', { n: i + 1 })}
            caption={sections[i]?.caption ?? post.caption}
            format={view.format}
            width={width}
            title={view.title}
            design={design}
          />
        ))}
      </main>
    </div>
  );
}

/** The slide width that fits the screen: the whole width of a phone, at most 540 px elsewhere. */
function useSlideWidth(): number {
  const measure = () => Math.max(240, Math.min(540, window.innerWidth - 32));
  const [width, setWidth] = useState(measure);
  useEffect(() => {
    const onResize = () => setWidth(measure());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return width;
}

function PostCarousel(props: {
  post: PostView;
  n: number;
  heading: string;
  /** The caption without the sentence used as the heading. */
  caption: string;
  format: Format;
  width: number;
  title: string;
  design: SlideDesign;
}) {
  const { t } = useTranslation();
  const track = useRef<HTMLDivElement>(null);
  const { post, n } = props;
  const count = post.slides.length;
  const go = (step: number) => {
    const el = track.current;
    if (el) el.scrollBy({ left: step * (props.width + 16), behavior: 'smooth' });
  };
  const headingId = `reader-post-${post.id}`;
  return (
    <section className="reader__post" aria-labelledby={headingId}>
      <h2 id={headingId} className="reader__heading">
        {props.heading}
      </h2>
      <div
        ref={track}
        className="reader__track"
        role="region"
        tabIndex={0}
        aria-label={t('reader.slides', { n })}
      >
        {post.slides.map((s, i) => (
          <div
            key={s.id}
            className="reader__slide"
            role="group"
            aria-label={t('reader.slide', { n: i + 1, count })}
          >
            <Slide
              slide={s}
              format={props.format}
              width={props.width}
              flashbookTitle={props.title}
              design={props.design}
            />
          </div>
        ))}
      </div>
      {count > 1 ? (
        <div className="reader__nav">
          <button type="button" onClick={() => go(-1)} aria-label={t('reader.prev')}>
            ←
          </button>
          <button type="button" onClick={() => go(1)} aria-label={t('reader.next')}>
            →
          </button>
        </div>
      ) : null}
      {props.caption.trim() ? <p className="reader__caption">{props.caption}</p> : null}
    </section>
  );
}
