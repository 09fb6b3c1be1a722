import { useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  setPostLibrary,
  setSlideValues,
  MAX_POST_BOOKS,
  type LibraryView,
  type SlideView,
} from '../../model/flashbook.ts';
import { BOOK_LAYOUTS, IMAGE_FITS, isBookLayout, isImageFit } from '../../model/schema.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { useAssetUrl } from '../../slide/assets.tsx';
import './SlideDesignControls.css';

const FIT_LABEL = {
  auto: 'imageFit.auto',
  cover: 'imageFit.cover',
  contain: 'imageFit.contain',
  'contain-plain': 'imageFit.containPlain',
} as const;

/**
 * A slide's design choices beside its text fields: how its cover fits its frame and which part a
 * crop keeps, the book layout, what a "books of this post" slide shows, and which library
 * prepared the slide and its post. Its own component, so it can move with the design panel.
 */
export function SlideDesignControls({ slide, readOnly }: { slide: SlideView; readOnly: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const set = (values: Parameters<typeof setSlideValues>[2]) =>
    setSlideValues(session.doc, slide.id, values);
  return (
    <div className="slide-design">
      {slide.layout === 'book' ? (
        <label className="field field--inline">
          <span className="field__label">{t('bookLayout.label')}</span>
          <select
            className="field__input"
            value={slide.bookLayout}
            disabled={readOnly}
            onChange={(e) => {
              if (isBookLayout(e.target.value)) set({ bookLayout: e.target.value });
            }}
          >
            {BOOK_LAYOUTS.map((l) => (
              <option key={l} value={l}>
                {t(`bookLayout.${l}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {slide.layout === 'book' && slide.image ? (
        <>
          <label className="field field--inline">
            <span className="field__label">{t('imageFit.label')}</span>
            <select
              className="field__input"
              value={slide.imageFit}
              disabled={readOnly}
              onChange={(e) => {
                if (isImageFit(e.target.value)) set({ imageFit: e.target.value });
              }}
            >
              {IMAGE_FITS.map((f) => (
                <option key={f} value={f}>
                  {t(FIT_LABEL[f])}
                </option>
              ))}
            </select>
          </label>
          {slide.imageFit === 'cover' ? (
            <FocusPicker
              slide={slide}
              readOnly={readOnly}
              onChange={(f) => set({ imageFocus: f })}
            />
          ) : null}
        </>
      ) : null}
      {slide.layout === 'books' ? (
        <p className="field__hint" role="note">
          {slide.books.length === 0 ? `${t('books.empty')} ` : null}
          {t('books.hint', { max: MAX_POST_BOOKS })}
        </p>
      ) : null}
      <LibraryChoice slide={slide} readOnly={readOnly} />
    </div>
  );
}

/** Click (or drag, or the sliders, or arrow keys) on the cover to choose the point a crop keeps. */
function FocusPicker({
  slide,
  readOnly,
  onChange,
}: {
  slide: SlideView;
  readOnly: boolean;
  onChange: (focus: { x: number; y: number }) => void;
}) {
  const { t } = useTranslation();
  const url = useAssetUrl(slide.image);
  const { x, y } = slide.imageFocus;
  const pick = (e: PointerEvent<HTMLDivElement>) => {
    if (readOnly || (e.type === 'pointermove' && e.buttons !== 1)) return;
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    onChange({ x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height });
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 0.2 : 0.05;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const m = moves[e.key];
    if (!m || readOnly) return;
    e.preventDefault();
    onChange({ x: Math.min(1, Math.max(0, x + m[0])), y: Math.min(1, Math.max(0, y + m[1])) });
  };
  return (
    <fieldset className="focus-picker" disabled={readOnly}>
      <legend className="field__label">{t('imageFit.focus')}</legend>
      {url ? (
        <div
          className="focus-picker__image"
          role="slider"
          tabIndex={readOnly ? -1 : 0}
          aria-label={t('imageFit.focusFor')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(x * 100)}
          aria-valuetext={`${Math.round(x * 100)}% × ${Math.round(y * 100)}%`}
          onPointerDown={pick}
          onPointerMove={pick}
          onKeyDown={key}
        >
          <img src={url} alt="" draggable={false} />
          <span
            className="focus-picker__mark"
            style={{ left: `${x * 100}%`, top: `${y * 100}%` }}
            aria-hidden="true"
          />
        </div>
      ) : null}
      <label className="field field--inline">
        <span className="field__label">{t('imageFit.focusX')}</span>
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(x * 100)}
          onChange={(e) => onChange({ x: Number(e.target.value) / 100, y })}
        />
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('imageFit.focusY')}</span>
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(y * 100)}
          onChange={(e) => onChange({ x, y: Number(e.target.value) / 100 })}
        />
      </label>
    </fieldset>
  );
}

const OTHER = '\u0000other';

/**
 * Which library prepared the slide and its post: one of the flashbook's participating libraries,
 * or a name typed in.
 */
function LibraryChoice({ slide, readOnly }: { slide: SlideView; readOnly: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const libraries = useSessionState((s) => s.view.libraries);
  return (
    <div className="slide-design__libraries">
      <LibrarySelect
        label={t('library.post')}
        value={slide.postLibrary}
        empty={t('library.none')}
        libraries={libraries}
        readOnly={readOnly}
        onChange={(v) => setPostLibrary(session.doc, slide.postId, v)}
      />
      <LibrarySelect
        label={t('library.slide')}
        value={slide.library}
        empty={t('library.inherit')}
        libraries={libraries}
        readOnly={readOnly}
        onChange={(v) => setSlideValues(session.doc, slide.id, { library: v })}
      />
    </div>
  );
}

function LibrarySelect({
  label,
  value,
  empty,
  libraries,
  readOnly,
  onChange,
}: {
  label: string;
  value: string;
  empty: string;
  libraries: readonly LibraryView[];
  readOnly: boolean;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const known = value === '' || libraries.some((l) => l.id === value);
  const [typing, setTyping] = useState(false);
  const free = typing || !known;
  return (
    <div className="slide-design__library">
      <label className="field field--inline">
        <span className="field__label">{label}</span>
        <select
          className="field__input"
          value={free ? OTHER : value}
          disabled={readOnly}
          onChange={(e) => {
            if (e.target.value === OTHER) {
              setTyping(true);
              return;
            }
            setTyping(false);
            onChange(e.target.value);
          }}
        >
          <option value="">{empty}</option>
          {libraries.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name || t('libraries.unnamed')}
              {l.place ? ` (${l.place})` : ''}
            </option>
          ))}
          <option value={OTHER}>{t('library.other')}</option>
        </select>
      </label>
      {free ? (
        <label className="field field--inline">
          <span className="field__label">{t('library.otherName')}</span>
          <input
            className="field__input"
            maxLength={200}
            value={known ? '' : value}
            readOnly={readOnly}
            onChange={(e) => onChange(e.target.value)}
          />
        </label>
      ) : null}
    </div>
  );
}
