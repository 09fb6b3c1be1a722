import { roleCanEdit } from '../../protocol/roles.ts';
import { useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import { useSlideDesign } from './useDesign.ts';
import { useTranslation } from 'react-i18next';
import { FORMATS, type Format } from '../../model/instagram.ts';
import type { SlideView } from '../../model/flashbook.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { Slide, type SlidePlaceholders } from '../../slide/Slide.tsx';
import type { FitStatus } from '../../typography/readability.ts';

/**
 * Hands a picture dropped on the canvas to the slide form's cover field, which uploads it as if it
 * had been dropped there (one upload path, with its checks, progress and errors).
 */
function dropCover(e: DragEvent<HTMLElement>) {
  const zone = document.querySelector('.inspector .image-field__zone');
  if (!zone || e.dataTransfer.files.length === 0) return;
  e.preventDefault();
  const dataTransfer = new DataTransfer();
  for (const file of e.dataTransfer.files) dataTransfer.items.add(file);
  zone.dispatchEvent(
    new globalThis.DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer }),
  );
}

/** Puts the caret in the slide form's field for the text area of the slide that was clicked. */
function focusFieldOf(e: MouseEvent<HTMLElement>) {
  const area = (e.target as HTMLElement).closest<HTMLElement>('[data-field]');
  const field = area?.dataset['field'];
  if (!field) return;
  const form = document.querySelector<HTMLElement>('.inspector');
  if (!form) return;
  const target =
    field === 'body'
      ? form.querySelector<HTMLElement>('.ProseMirror')
      : field === 'cover'
        ? form.querySelector<HTMLElement>('.image-field input[type="file"]')
        : form.querySelector<HTMLElement>(`[data-field="${field}"]`);
  if (!target) return;
  target.scrollIntoView({ block: 'nearest' });
  target.focus();
}

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
  const layout = slide?.layout;
  // "Drop a cover here" means it: a picture dropped on a book slide becomes its cover.
  const role = useSession().role;
  const coverDrop = layout === 'book' && roleCanEdit(role);
  // What each empty text area says on the canvas (never in export or the exhibition).
  const placeholders = useMemo<SlidePlaceholders | undefined>(
    () =>
      layout
        ? {
            title: t('field.title'),
            subtitle: t('field.subtitle'),
            author: t('field.author'),
            publisher: t('canvas.placeholder.biblio'),
            body: t(`field.body.${layout}`),
            quote: t('field.quote'),
            quoteSource: t('field.quoteSource'),
            cover: t('canvas.placeholder.cover'),
          }
        : undefined,
    [layout, t],
  );
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
      {/* A click on a text area of the slide puts the caret in that field of the form (mouse
          only: the form itself is the keyboard's way to every field). */}
      <div
        className="canvas__stage"
        ref={ref}
        onClick={focusFieldOf}
        onDragOver={(e) => {
          if (coverDrop && e.dataTransfer.types.includes('Files')) e.preventDefault();
        }}
        onDrop={(e) => {
          if (coverDrop) dropCover(e);
        }}
      >
        {slide && box.width > 0 ? (
          <Slide
            slide={slide}
            format={format}
            width={width}
            flashbookTitle={title}
            design={design}
            onFit={setFit}
            placeholders={placeholders}
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
