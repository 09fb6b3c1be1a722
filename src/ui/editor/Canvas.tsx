import { useLayoutEffect, useRef, useState } from 'react';
import { useSlideDesign } from './useDesign.ts';
import { useTranslation } from 'react-i18next';
import { FORMATS, type Format } from '../../model/instagram.ts';
import type { SlideView } from '../../model/flashbook.ts';
import { useSessionState } from '../../session/hooks.ts';
import { Slide } from '../../slide/Slide.tsx';
import type { FitStatus } from '../../typography/readability.ts';

/** The selected slide at its true aspect ratio, as large as the space allows. */
export function Canvas({
  slide,
  format,
  title,
}: {
  slide: SlideView | undefined;
  format: Format;
  title: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: 0, height: 0 });
  const peers = useSessionState((s) => s.peers);
  const design = useSlideDesign();
  const [fit, setFit] = useState<FitStatus>('ok');
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setBox({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const size = FORMATS[format];
  const width = Math.max(
    120,
    Math.floor(Math.min(box.width, (box.height * size.width) / size.height)),
  );
  const here = slide ? peers.filter((p) => p.slideId === slide.id) : [];
  return (
    <section className="canvas" aria-label={t('canvas.title', { format })}>
      <div className="canvas__stage" ref={ref}>
        {slide && box.width > 0 ? (
          <Slide
            slide={slide}
            format={format}
            width={width}
            flashbookTitle={title}
            design={design}
            onFit={setFit}
          />
        ) : null}
        {!slide ? <p className="canvas__empty">{t('canvas.empty')}</p> : null}
      </div>
      {slide && fit !== 'ok' ? (
        <p className="canvas__warning" role="alert">
          {t(fit === 'overflow' ? 'canvas.overflow' : 'canvas.tight')}
        </p>
      ) : null}
      <p className="canvas__caption">
        {t('canvas.size', { width: size.width, height: size.height })}
        {here.length > 0
          ? ` · ${t('canvas.alsoHere', { names: here.map((p) => p.name).join(', ') })}`
          : ''}
      </p>
    </section>
  );
}
