import { roleCanEdit } from '../../protocol/roles.ts';
import { memo, useRef, useState, type PointerEventHandler } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import {
  addPost,
  addSlide,
  deletePost,
  movePost,
  moveSlide,
  type PostView,
  type SlideView,
} from '../../model/flashbook.ts';
import type { Format } from '../../model/instagram.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import type { Presence } from '../../session/session.ts';
import { Slide } from '../../slide/Slide.tsx';
import { dropTarget } from './dropTarget.ts';
import { useSlideDesign } from './useDesign.ts';
import './Sidebar.css';
import { requestFirstFieldFocus } from './focusRequest.ts';
import { usePeopleColors } from './usePeopleColors.ts';
import { useEditorPanels } from './panels.ts';
import { ReviewProgress, StatusBadge } from './PostStatus.tsx';
import { ReviewPanel } from './ReviewPanel.tsx';
import { CommentCount } from '../comments/CommentCount.tsx';

const THUMB_WIDTH = 132;

/**
 * The same array as last render when the ids are the same. A SortableContext whose `items` is a
 * new array re-renders every sortable under it, memo or not: typing into one slide would re-render
 * all 200 thumbnails.
 */
function useStableIds(ids: string[]): string[] {
  const ref = useRef(ids);
  if (ref.current.length !== ids.length || ref.current.some((id, i) => id !== ids[i]))
    ref.current = ids;
  return ref.current;
}

// Constant, not literals: dnd-kit memoises sensors on the options' identity, and new sensors give
// every sortable a new context, re-rendering all thumbnails on each keystroke.
const DRAG_DISTANCE = 6;
const POINTER_OPTIONS = { activationConstraint: { distance: DRAG_DISTANCE } };
const KEYBOARD_OPTIONS = { coordinateGetter: sortableKeyboardCoordinates };

type DragData = { type: 'slide'; postId: string } | { type: 'post' };

/**
 * Posts and their slides, as thumbnails. Slides drag to reorder and between posts; posts drag by
 * their handle. Moves only change order keys (see moveSlide), so nobody's concurrent edit is lost.
 */
export function Sidebar({ library, color }: { library: string; color: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const readOnly = !roleCanEdit(session.role);
  const view = useSessionState((s) => s.view);
  const design = useSlideDesign();
  const postIds = useStableIds(view.posts.map((p) => p.id));
  const selected = useSessionState((s) => s.selectedSlideId);
  const peers = useSessionState((s) => s.peers);
  const colors = usePeopleColors(color);
  const { showSlideForm } = useEditorPanels();
  const [dragging, setDragging] = useState<{ id: string; type: 'slide' | 'post' } | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const sensors = useSensors(
    useSensor(PointerSensor, POINTER_OPTIONS),
    useSensor(KeyboardSensor, KEYBOARD_OPTIONS),
  );

  const onDragStart = (e: DragStartEvent) => {
    const data = e.active.data.current as DragData | undefined;
    setDragging({ id: String(e.active.id), type: data?.type ?? 'slide' });
  };

  const onDragEnd = (e: DragEndEvent) => {
    setDragging(null);
    const { active, over } = e;
    const a = active.data.current as DragData | undefined;
    if (!a) return;
    const o = over?.data.current as { type?: 'slide' | 'post'; postId?: string } | undefined;
    const rect = active.rect.current.translated;
    const move = dropTarget(
      view.posts,
      a.type === 'post'
        ? { type: 'post', id: String(active.id) }
        : { type: 'slide', id: String(active.id), postId: a.postId },
      over
        ? {
            id: String(over.id),
            type: o?.type,
            postId: o?.postId,
            below: rect ? rect.top + rect.height / 2 > over.rect.top + over.rect.height / 2 : false,
          }
        : null,
    );
    if (move?.kind === 'post') movePost(session.doc, move.postId, move.index);
    else if (move) moveSlide(session.doc, move.slideId, { postId: move.postId, index: move.index });
  };

  const draggedSlide =
    dragging?.type === 'slide'
      ? view.posts.flatMap((p) => p.slides).find((s) => s.id === dragging.id)
      : undefined;

  return (
    <nav className="sidebar" aria-label={t('sidebar.title')}>
      <ReviewProgress onOpen={() => setReviewing(true)} />
      {reviewing ? <ReviewPanel onClose={() => setReviewing(false)} /> : null}
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
      >
        <SortableContext items={postIds} strategy={verticalListSortingStrategy} disabled={readOnly}>
          <ol className="sidebar__posts">
            {view.posts.map((post, i) => (
              <PostItem
                key={post.id}
                post={post}
                number={i + 1}
                format={view.format}
                selected={post.slides.some((s) => s.id === selected) ? selected : null}
                peers={peers}
                colors={colors}
                readOnly={readOnly}
                library={library}
              />
            ))}
          </ol>
        </SortableContext>
        {view.orphanSlides.length > 0 ? (
          <section className="sidebar__orphans" aria-label={t('sidebar.orphans')}>
            <h3>{t('sidebar.orphans')}</h3>
            {view.orphanSlides.map((s) => (
              <Thumb
                key={s.id}
                slide={s}
                format={view.format}
                selected={selected === s.id}
                peers={peers}
                colors={colors}
              />
            ))}
          </section>
        ) : null}
        <DragOverlay>
          {draggedSlide ? (
            <Slide
              slide={draggedSlide}
              format={view.format}
              width={THUMB_WIDTH}
              flashbookTitle={view.title}
              design={design}
            />
          ) : null}
        </DragOverlay>
      </DndContext>
      {readOnly ? null : (
        <button
          type="button"
          className="sidebar__add-post"
          onClick={() => {
            const { slideId } = addPost(session.doc, { library });
            requestFirstFieldFocus(slideId);
            showSlideForm();
            session.select(slideId);
          }}
        >
          {t('post.add')}
        </button>
      )}
    </nav>
  );
}

interface PostItemProps {
  post: PostView;
  number: number;
  format: Format;
  selected: string | null;
  peers: Presence[];
  colors: Map<number, string>;
  readOnly: boolean;
  library: string;
}

// Memoised, like Thumb: typing into one slide re-renders only its post and its thumbnail, not the
// other posts of a 200-slide flashbook (the document view shares unchanged parts, session.ts).
const PostItem = memo(function PostItem({
  post,
  number,
  format,
  selected,
  peers,
  colors,
  readOnly,
  library,
}: PostItemProps) {
  const { t } = useTranslation();
  const session = useSession();
  const sortable = useSortable({
    id: post.id,
    data: { type: 'post' } satisfies DragData,
    disabled: readOnly,
  });
  const drop = useDroppable({ id: `drop-${post.id}`, data: { postId: post.id } });
  const slideIds = useStableIds(post.slides.map((s) => s.id));
  const style = {
    transform: CSS.Translate.toString(sortable.transform),
    transition: sortable.transition,
  };
  const title = t('post.title', { number });
  const { captionPostId, openCaption, showSlideForm } = useEditorPanels();
  const captionOpen = captionPostId === post.id;
  return (
    <li ref={sortable.setNodeRef} style={style} className="post" aria-label={title}>
      <div className="post__head">
        {readOnly ? null : (
          <button
            type="button"
            className="post__handle"
            aria-label={t('post.dragHandle', { number })}
            {...sortable.attributes}
            {...sortable.listeners}
          >
            ⠿
          </button>
        )}
        {/* The post's own place for its caption: the caption panel of this post. */}
        <button
          type="button"
          className={`post__title ${captionOpen ? 'post__title--open' : ''}`}
          aria-label={t('caption.open', { number })}
          aria-pressed={captionOpen}
          title={t('caption.openHint', { number })}
          onClick={() => openCaption(post.id)}
        >
          {title}
        </button>
        <span className="post__count" title={t('post.slideCount', { count: post.slides.length })}>
          {t('post.slideCount', { count: post.slides.length })}
        </span>
        <CommentCount postId={post.id} />
        {readOnly ? null : (
          <>
            <button
              type="button"
              className="post__add-slide"
              aria-label={t('slide.addTo', { number })}
              title={t('slide.addTo', { number })}
              onClick={() => {
                const last = post.slides[post.slides.length - 1];
                const id = addSlide(session.doc, post.id, {
                  layout: 'book',
                  library,
                  afterSlideId: last?.id,
                });
                requestFirstFieldFocus(id);
                showSlideForm();
                session.select(id);
              }}
            >
              +
            </button>
            <button
              type="button"
              className="post__delete danger"
              aria-label={t('post.delete', { number })}
              title={t('post.delete', { number })}
              onClick={() => {
                if (window.confirm(t('post.confirmDelete', { number, count: post.slides.length })))
                  deletePost(session.doc, post.id);
              }}
            >
              ×
            </button>
          </>
        )}
        <span className="post__break" />
        <StatusBadge post={post} compact />
      </div>
      <SortableContext items={slideIds} strategy={verticalListSortingStrategy} disabled={readOnly}>
        <ol className="post__slides" ref={drop.setNodeRef}>
          {post.slides.map((s) => (
            <SortableThumb
              key={s.id}
              slide={s}
              format={format}
              selected={selected === s.id}
              peers={peers}
              colors={colors}
              readOnly={readOnly}
            />
          ))}
        </ol>
      </SortableContext>
    </li>
  );
});

const SortableThumb = memo(function SortableThumb(props: {
  slide: SlideView;
  format: Format;
  selected: boolean;
  peers: Presence[];
  colors: Map<number, string>;
  readOnly: boolean;
}) {
  const sortable = useSortable({
    id: props.slide.id,
    data: { type: 'slide', postId: props.slide.postId } satisfies DragData,
    disabled: props.readOnly,
  });
  const style = {
    transform: CSS.Translate.toString(sortable.transform),
    transition: sortable.transition,
    opacity: sortable.isDragging ? 0.4 : 1,
  };
  return (
    // Only the pointer starts a drag here: Enter and Space on a thumbnail select it. Keyboard users
    // move slides with the inspector's move buttons.
    <li
      ref={sortable.setNodeRef}
      style={style}
      onPointerDown={sortable.listeners?.['onPointerDown'] as PointerEventHandler | undefined}
    >
      <Thumb {...props} />
    </li>
  );
});

function Thumb({
  slide,
  format,
  selected,
  peers,
  colors,
}: {
  slide: SlideView;
  format: Format;
  selected: boolean;
  peers: Presence[];
  colors: Map<number, string>;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const design = useSlideDesign();
  const title = useSessionState((s) => s.view.title);
  const [overflow, setOverflow] = useState(false);
  const here = peers.filter((p) => p.slideId === slide.id);
  const name = slide.fields.title || slide.fields.quote || t(`layout.${slide.layout}`);
  // A press and release on this thumbnail that did not become a drag selects it. Not `click`
  // alone: after every drag dnd-kit swallows all clicks on the page for 50 ms (a capture listener
  // on document, removed by a timer that runs late when the page is busy), so a click right after
  // a drop did nothing. `click` still selects for the keyboard (Enter, Space); selecting twice is
  // harmless.
  const press = useRef<{ x: number; y: number } | null>(null);
  return (
    // The button is the thumbnail's name and target, laid over a picture of the slide beside it:
    // inside the button, the slide's drawn text (author, annotation…) would be visible text that
    // its name "Slide: <title>" lacks (WCAG 2.5.3, Label in Name).
    <div
      className={`thumb ${selected ? 'thumb--selected' : ''} ${overflow ? 'thumb--overflow' : ''}`}
      title={overflow ? t('canvas.overflow') : undefined}
      data-slide-id={slide.id}
      onPointerDown={(e) => {
        press.current = e.isPrimary && e.button === 0 ? { x: e.clientX, y: e.clientY } : null;
      }}
      onPointerUp={(e) => {
        const p = press.current;
        press.current = null;
        if (p && Math.hypot(e.clientX - p.x, e.clientY - p.y) < DRAG_DISTANCE)
          session.select(slide.id);
      }}
    >
      <div className="thumb__picture" aria-hidden="true">
        <Slide
          slide={slide}
          format={format}
          width={THUMB_WIDTH}
          flashbookTitle={title}
          design={design}
          onOverflow={setOverflow}
        />
      </div>
      <button
        type="button"
        className="thumb__button"
        aria-current={selected ? 'true' : undefined}
        aria-label={t('slide.select', { name })}
        onClick={() => session.select(slide.id)}
      />
      <span className="thumb__comments">
        <CommentCount slideId={slide.id} />
      </span>
      {here.length > 0 ? (
        <span className="thumb__peers">
          {here.map((p) => (
            <span
              key={p.clientId}
              className="peer-dot"
              style={{ background: colors.get(p.clientId) ?? p.color }}
              title={p.name}
            />
          ))}
        </span>
      ) : null}
    </div>
  );
}
