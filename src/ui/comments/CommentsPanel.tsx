import { CommentIcon } from '../common/SharedTextField.tsx';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  deleteMessage,
  editMessage,
  readThreads,
  reply,
  resolveAnchor,
  setResolved,
  startThread,
  type CommentAuthor,
  type MessageView,
  type ThreadView,
} from '../../model/comments.ts';
import type * as Y from 'yjs';
import { useSession, useSessionState } from '../../session/hooks.ts';
import type { User } from '../../session/session.ts';
import { commentsUi, markUnsent, startDraft, useCommentsUi } from './commentsStore.ts';
import { MentionInput } from './MentionInput.tsx';
import { splitMentions, type Participant } from './mentions.ts';
import {
  fieldLabelKey,
  useCanComment,
  useLastVisit,
  useParticipants,
  useThreads,
} from './useComments.ts';
import { SelectField, allOr } from '../common/SelectField.tsx';
import './comments.css';

/** Where a slide is, for a thread's label: "Post 2 · slide 3". */
function useSlidePlaces(): Map<string, { post: number; slide: number; postId: string }> {
  const posts = useSessionState((s) => s.view.posts);
  return useMemo(() => {
    const places = new Map<string, { post: number; slide: number; postId: string }>();
    posts.forEach((p, i) =>
      p.slides.forEach((s, j) => places.set(s.id, { post: i + 1, slide: j + 1, postId: p.id })),
    );
    return places;
  }, [posts]);
}

/** Whether a message is new since the last visit (someone else's, written after it). */
const isNew = (m: MessageView, lastVisit: number | undefined, me: string | null) =>
  lastVisit !== undefined && m.createdAt > lastVisit && m.authorId !== me;

/** The toolbar button that opens the panel, with the open and new counts. */
export function CommentsButton() {
  const { t } = useTranslation();
  const threads = useThreads();
  const me = useSessionState((s) => s.authorId);
  const lastVisit = useLastVisit();
  const open = useCommentsUi((s) => s.open);
  const openCount = threads.filter((th) => !th.resolved).length;
  const newCount = threads.reduce(
    (n, th) => n + th.messages.filter((m) => isNew(m, lastVisit, me)).length,
    0,
  );
  return (
    // Compact in the toolbar (the icon and "(count)"), which must stay one row at 1366 px with six
    // people online; the word is there for screen readers, so the name is "Comments (2) 1 new".
    <button
      type="button"
      className="comments-button"
      aria-pressed={open}
      title={t('comments.open', { count: openCount })}
      onClick={() => commentsUi.setState({ open: !open })}
    >
      <CommentIcon />
      <span className="visually-hidden">{t('comments.title')} </span>
      <span>({openCount})</span>
      {newCount > 0 ? ' ' : null}
      {newCount > 0 ? (
        <span className="comments-new">{t('comments.newCount', { count: newCount })}</span>
      ) : null}
    </button>
  );
}

export function CommentsPanel({ user }: { user: User }) {
  const { t } = useTranslation();
  const session = useSession();
  const threads = useThreads();
  const places = useSlidePlaces();
  const posts = useSessionState((s) => s.view.posts);
  const selectedSlideId = useSessionState((s) => s.selectedSlideId);
  const pending = useSessionState((s) => s.pending);
  const authorId = useSessionState((s) => s.authorId);
  const { open, draft, filterPost, filterLibrary, activeThreadId } = useCommentsUi((s) => s);
  const canComment = useCanComment();
  const participants = useParticipants(user);
  const lastVisit = useLastVisit();
  const author: CommentAuthor | null = authorId
    ? { id: authorId, name: user.name, library: user.library }
    : null;

  // Everything written here is on the server once nothing is pending.
  useEffect(() => {
    if (pending === 0 && commentsUi.getState().unsent.size > 0)
      commentsUi.setState({ unsent: new Set() });
  }, [pending]);

  const libraries = useMemo(() => {
    const set = new Set<string>();
    for (const th of threads)
      for (const m of th.messages) if (m.authorLibrary) set.add(m.authorLibrary);
    for (const p of posts) for (const s of p.slides) if (s.library) set.add(s.library);
    return [...set].sort((a, b) => a.localeCompare(b));
  }, [threads, posts]);

  if (!open) return null;

  const slideLibrary = (slideId: string) =>
    posts.flatMap((p) => p.slides).find((s) => s.id === slideId)?.library ?? '';
  const shown = threads.filter(
    (th) =>
      (!filterPost || places.get(th.slideId)?.postId === filterPost) &&
      (!filterLibrary ||
        slideLibrary(th.slideId) === filterLibrary ||
        th.messages.some((m) => m.authorLibrary === filterLibrary)),
  );
  const open_ = shown.filter((th) => !th.resolved);
  const resolved = shown.filter((th) => th.resolved);

  const submitDraft = (text: string) => {
    if (!draft || !author) return;
    const id = startThread(session.doc, draft.target, text, author);
    if (!id) return;
    markUnsent(readFirstMessageId(session.doc, id));
    commentsUi.setState({ draft: null, activeThreadId: id });
  };

  const card = (th: ThreadView) => (
    <ThreadCard
      key={th.id}
      thread={th}
      place={places.get(th.slideId)}
      active={th.id === activeThreadId}
      author={author}
      canComment={canComment}
      participants={participants}
      lastVisit={lastVisit}
    />
  );

  return (
    <aside className="comments" aria-label={t('comments.title')}>
      <div className="comments__head">
        <h2>{t('comments.title')}</h2>
        <button
          type="button"
          className="comments__close"
          aria-label={t('common.close')}
          title={t('common.close')}
          onClick={() => commentsUi.setState({ open: false })}
        >
          ×
        </button>
      </div>
      <div className="comments__filters">
        <SelectField
          inline
          label={t('comments.filterPost')}
          value={filterPost}
          options={[
            { value: '', label: t('comments.allPosts') },
            ...posts.map((p, i) => ({ value: p.id, label: t('post.title', { number: i + 1 }) })),
          ]}
          onChange={(filterPost) => commentsUi.setState({ filterPost })}
        />
        <SelectField
          inline
          label={t('comments.filterLibrary')}
          value={filterLibrary}
          options={allOr(t('comments.allLibraries'), libraries)}
          onChange={(filterLibrary) => commentsUi.setState({ filterLibrary })}
        />
      </div>
      {canComment && !draft && selectedSlideId ? (
        <button
          type="button"
          className="comments__slide"
          onClick={() => startDraft({ kind: 'slide', slideId: selectedSlideId }, '')}
        >
          {t('comments.onThisSlide')}
        </button>
      ) : null}
      {draft ? (
        <section className="thread thread--draft" aria-label={t('comments.newThread')}>
          <p className="thread__place">
            {placeLabel(t, places.get(draft.target.slideId))}
            {' · '}
            {t(
              fieldLabelKey(
                draft.target.kind === 'slide'
                  ? ''
                  : draft.target.kind === 'body'
                    ? 'body'
                    : draft.target.field,
              ),
            )}
          </p>
          {draft.quote ? <blockquote className="thread__quote">{draft.quote}</blockquote> : null}
          <MentionInput
            label={t('comments.write')}
            submitLabel={t('comments.send')}
            participants={participants}
            autoFocus
            onSubmit={submitDraft}
            onCancel={() => commentsUi.setState({ draft: null })}
          />
        </section>
      ) : null}
      {!canComment ? <p className="field__hint">{t('comments.readOnly')}</p> : null}
      <ol className="comments__list" aria-label={t('comments.openList')}>
        {open_.map((th) => (
          <li key={th.id}>{card(th)}</li>
        ))}
      </ol>
      {open_.length === 0 && !draft ? <p className="field__hint">{t('comments.none')}</p> : null}
      <details className="comments__resolved">
        <summary>{t('comments.resolvedSection', { count: resolved.length })}</summary>
        <ol className="comments__list" aria-label={t('comments.resolvedList')}>
          {resolved.map((th) => (
            <li key={th.id}>{card(th)}</li>
          ))}
        </ol>
      </details>
    </aside>
  );
}

/** The first message of a thread this client has just written. */
function readFirstMessageId(doc: Y.Doc, threadId: string): string | undefined {
  return readThreads(doc).find((t) => t.id === threadId)?.messages[0]?.id;
}

function placeLabel(
  t: (key: string, options?: Record<string, unknown>) => string,
  place: { post: number; slide: number } | undefined,
): string {
  return place
    ? t('comments.place', { post: place.post, slide: place.slide })
    : t('comments.placeGone');
}

function ThreadCard({
  thread,
  place,
  active,
  author,
  canComment,
  participants,
  lastVisit,
}: {
  thread: ThreadView;
  place: { post: number; slide: number; postId: string } | undefined;
  active: boolean;
  author: CommentAuthor | null;
  canComment: boolean;
  participants: Participant[];
  lastVisit: number | undefined;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const unsent = useCommentsUi((s) => s.unsent);
  const anchor = resolveAnchor(session.doc, thread.id);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (active) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);
  const names = participants.map((p) => p.name);
  if (author) names.push(author.name);
  const hasNew = thread.messages.some((m) => isNew(m, lastVisit, author?.id ?? null));
  const first = thread.messages[0];
  const label = t('comments.threadLabel', {
    name: first?.authorName || t('comments.someone'),
    place: placeLabel(t, place),
  });

  return (
    <article
      ref={ref}
      className={`thread ${active ? 'thread--active' : ''} ${thread.resolved ? 'thread--resolved' : ''}`}
      aria-label={label}
      data-thread-id={thread.id}
    >
      <button
        type="button"
        className="thread__place link"
        onClick={() => {
          if (place) session.select(thread.slideId);
          commentsUi.setState({ activeThreadId: thread.id });
        }}
      >
        {placeLabel(t, place)} · {t(fieldLabelKey(thread.field))}
        {hasNew ? <span className="comments-new">{t('comments.new')}</span> : null}
      </button>
      {anchor?.kind === 'range' ? (
        <blockquote className="thread__quote">{anchor.text}</blockquote>
      ) : anchor?.kind === 'gone' ? (
        <blockquote className="thread__quote thread__quote--gone">
          <del>{anchor.quote}</del> <span className="field__hint">{t('comments.quoteGone')}</span>
        </blockquote>
      ) : null}
      <ol className="thread__messages">
        {thread.messages.map((m) => (
          <li key={m.id}>
            <Message
              message={m}
              threadId={thread.id}
              own={author !== null && m.authorId === author.id}
              isNew={isNew(m, lastVisit, author?.id ?? null)}
              unsent={unsent.has(m.id)}
              names={names}
              participants={participants}
            />
          </li>
        ))}
      </ol>
      {canComment && author ? (
        <div className="thread__actions">
          {thread.resolved ? null : (
            <MentionInput
              label={t('comments.reply')}
              submitLabel={t('comments.replySend')}
              participants={participants}
              compact
              onSubmit={(text) => {
                markUnsent(reply(session.doc, thread.id, text, author));
              }}
            />
          )}
          <button
            type="button"
            className="thread__resolve"
            onClick={() => setResolved(session.doc, thread.id, !thread.resolved)}
          >
            {thread.resolved ? t('comments.reopen') : t('comments.resolve')}
          </button>
        </div>
      ) : null}
    </article>
  );
}

function Message({
  message: m,
  threadId,
  own,
  isNew: fresh,
  unsent,
  names,
  participants,
}: {
  message: MessageView;
  threadId: string;
  own: boolean;
  isNew: boolean;
  unsent: boolean;
  names: string[];
  participants: Participant[];
}) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const authorId = useSessionState((s) => s.authorId);
  const [editing, setEditing] = useState(false);
  const when = m.createdAt
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(
        m.createdAt,
      )
    : '';
  return (
    <div className={`message ${fresh ? 'message--new' : ''}`}>
      <p className="message__head">
        <strong>{m.authorName || t('comments.someone')}</strong>
        {m.authorLibrary ? <span className="message__library">{m.authorLibrary}</span> : null}
        <span className="message__time">{when}</span>
        {m.editedAt ? <span className="message__edited">{t('comments.edited')}</span> : null}
        {fresh ? <span className="comments-new">{t('comments.new')}</span> : null}
        {unsent ? <span className="message__unsent">{t('comments.unsent')}</span> : null}
      </p>
      {m.deleted ? (
        <p className="message__text message__text--deleted">{t('comments.deleted')}</p>
      ) : editing ? (
        <MentionInput
          label={t('comments.editLabel')}
          submitLabel={t('comments.save')}
          participants={participants}
          initial={m.text}
          autoFocus
          compact
          onSubmit={(text) => {
            if (authorId && editMessage(session.doc, threadId, m.id, text, authorId))
              markUnsent(m.id);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <p className="message__text">
          {splitMentions(m.text, names).map((part, i) =>
            part.mention ? (
              <span key={i} className="mention">
                {part.text}
              </span>
            ) : (
              part.text
            ),
          )}
        </p>
      )}
      {own && !m.deleted && !editing ? (
        <p className="message__own">
          <button type="button" className="link" onClick={() => setEditing(true)}>
            {t('comments.edit')}
          </button>
          <button
            type="button"
            className="link"
            onClick={() => {
              if (authorId && window.confirm(t('comments.confirmDelete')))
                if (deleteMessage(session.doc, threadId, m.id, authorId)) markUnsent(m.id);
            }}
          >
            {t('comments.delete')}
          </button>
        </p>
      ) : null}
    </div>
  );
}
