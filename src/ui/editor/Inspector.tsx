import { roleCanEdit } from '../../protocol/roles.ts';
import { Suspense, lazy, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  deleteSlide,
  duplicateSlide,
  getSlideBody,
  moveSlide,
  setSlideLayout,
  setSlideValues,
  type SlideView,
} from '../../model/flashbook.ts';
import { AGE_LABEL_SETS, LAYOUTS, LAYOUT_FIELDS, isLayout } from '../../model/schema.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import type { User } from '../../session/session.ts';
import { BookCoverField } from '../common/ImageField.tsx';
import { CommentableTextField } from '../comments/CommentableTextField.tsx';
import { useBodyComments } from '../comments/useComments.ts';
// Tiptap and ProseMirror are the editor's heaviest part: loaded once a slide's form is shown.
const RichTextEditor = lazy(() =>
  import('./RichTextEditor.tsx').then((m) => ({ default: m.RichTextEditor })),
);
import { PostCaptionSummary } from './PostCaption.tsx';
import { SlideDesignControls } from './SlideDesignControls.tsx';
import { PostReview } from './PostStatus.tsx';
import { draftAltText } from '../../export/alttext.ts';
import { takeFirstFieldFocus } from './focusRequest.ts';
import { useCaretColor } from './usePeopleColors.ts';

/** The form of the selected slide: its layout, its fields and the slide's actions. */
export function Inspector({ slide, user }: { slide: SlideView; user: User }) {
  const { t } = useTranslation();
  const session = useSession();
  const readOnly = !roleCanEdit(session.role);
  const bodyComments = useBodyComments(slide.id);
  const caretColor = useCaretColor(user.color);
  const posts = useSessionState((s) => s.view.posts);
  const post = posts.find((p) => p.id === slide.postId);
  const index = post ? post.slides.findIndex((s) => s.id === slide.id) : -1;
  const fragment = getSlideBody(session.doc, slide.id);
  const ageLabelSet = useSessionState((s) => s.view.ageLabelSet);
  const ageLabels: readonly string[] = AGE_LABEL_SETS[ageLabelSet];
  const flashbookTitle = useSessionState((s) => s.view.title);
  const fieldsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takeFirstFieldFocus(slide.id))
      fieldsRef.current
        ?.querySelector<HTMLElement>('input, textarea, [contenteditable="true"]')
        ?.focus();
  }, [slide.id]);
  // What the export writes when the alt text is left empty, shown in the empty field.
  const altDraft = post
    ? t('inspector.altTextDraft', {
        draft: draftAltText(slide, {
          post: posts.indexOf(post) + 1,
          slide: index + 1,
          slides: post.slides.length,
          flashbookTitle,
        }),
      })
    : undefined;

  const move = (delta: -1 | 1) => {
    if (!post) return;
    const target = index + delta;
    if (target >= 0 && target < post.slides.length) {
      moveSlide(session.doc, slide.id, { postId: post.id, index: target });
      return;
    }
    // Past the first or last slide of a post: continue into the neighbouring post.
    const postIndex = posts.indexOf(post);
    const next = posts[postIndex + delta];
    if (next)
      moveSlide(session.doc, slide.id, {
        postId: next.id,
        index: delta < 0 ? next.slides.length : 0,
      });
  };

  return (
    <section className="inspector" aria-label={t('inspector.title')}>
      {post ? <PostReview post={post} number={posts.indexOf(post) + 1} user={user} /> : null}
      <div className="inspector__head">
        <label className="field field--inline">
          <span className="field__label">{t('inspector.layout')}</span>
          <select
            className="field__input"
            value={slide.layout}
            disabled={readOnly}
            onChange={(e) => {
              if (isLayout(e.target.value)) setSlideLayout(session.doc, slide.id, e.target.value);
            }}
          >
            {LAYOUTS.map((l) => (
              <option key={l} value={l}>
                {t(`layout.${l}`)}
              </option>
            ))}
          </select>
        </label>
        {/* On every layout: a label a slide keeps when its layout changes must stay removable. */}
        <label className="field field--inline">
          <span className="field__label">{t('inspector.ageLabel')}</span>
          <select
            className="field__input"
            value={slide.ageLabel}
            disabled={readOnly}
            onChange={(e) => setSlideValues(session.doc, slide.id, { ageLabel: e.target.value })}
          >
            <option value="">{t('inspector.noAgeLabel')}</option>
            {ageLabels.map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
            {slide.ageLabel && !ageLabels.includes(slide.ageLabel) ? (
              <option value={slide.ageLabel}>{slide.ageLabel}</option>
            ) : null}
          </select>
        </label>
        {readOnly ? null : (
          <div className="inspector__actions">
            <button
              type="button"
              onClick={() => move(-1)}
              aria-label={t('slide.moveUp')}
              title={t('slide.moveUp')}
            >
              ↑
            </button>
            <button
              type="button"
              onClick={() => move(1)}
              aria-label={t('slide.moveDown')}
              title={t('slide.moveDown')}
            >
              ↓
            </button>
            <button
              type="button"
              onClick={() => {
                const id = duplicateSlide(session.doc, slide.id);
                if (id) session.select(id);
              }}
            >
              {t('slide.duplicate')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                if (window.confirm(t('slide.confirmDelete'))) deleteSlide(session.doc, slide.id);
              }}
            >
              {t('slide.delete')}
            </button>
          </div>
        )}
      </div>
      {slide.layout === 'book' ? <BookCoverField slide={slide} readOnly={readOnly} /> : null}
      <SlideDesignControls slide={slide} readOnly={readOnly} />
      <div className="inspector__fields" ref={fieldsRef}>
        {LAYOUT_FIELDS[slide.layout].map((field) =>
          field === 'body' ? (
            fragment ? (
              <Suspense
                key={`body-${slide.id}`}
                fallback={<p className="field__hint">{t('common.loading')}</p>}
              >
                <RichTextEditor
                  fragment={fragment}
                  awareness={session.awareness}
                  user={user}
                  undoManager={session.undo}
                  readOnly={readOnly}
                  label={t(`field.body.${slide.layout}`)}
                  caretColor={caretColor}
                  {...bodyComments}
                />
              </Suspense>
            ) : null
          ) : (
            <CommentableTextField
              key={`${slide.id}-${field}`}
              slideId={slide.id}
              field={field}
              doc={session.doc}
              textRef={{ kind: 'slide', slideId: slide.id, field }}
              label={t(`field.${field}`)}
              multiline={field === 'quote' || field === 'altText'}
              placeholder={field === 'altText' ? altDraft : undefined}
              readOnly={readOnly}
            />
          ),
        )}
      </div>
      <PostCaptionSummary slide={slide} />
    </section>
  );
}
