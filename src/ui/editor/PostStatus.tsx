import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostView } from '../../model/flashbook.ts';
import { ApiError, setPostStatus } from '../../session/api.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import type { User } from '../../session/session.ts';
import { Dialog } from '../common/Dialog.tsx';
import {
  ACTION_TARGET,
  STATUS_SYMBOL,
  reviewProgress,
  shownStatus,
  statusActions,
  type StatusAction,
} from './review.ts';
import './review.css';

/** A post's status as a badge: a symbol and a word, coloured, so it does not rest on colour. */
export function StatusBadge({
  post,
  compact = false,
}: {
  post: Pick<PostView, 'status' | 'changedSinceApproval'>;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const shown = shownStatus(post);
  return (
    <span
      className={`status-badge status-badge--${shown} ${compact ? 'status-badge--compact' : ''}`}
      data-status={shown}
    >
      <span aria-hidden="true">{STATUS_SYMBOL[shown]}</span> {t(`review.status.${shown}`)}
    </span>
  );
}

/**
 * A date and time in the interface's language; numeric (01.12.2026, 14:05) where the browser has
 * no names for that language (Chromium builds without Kazakh data write "2026 M12 1").
 */
export function formatWhen(ms: number, language: string | undefined): string {
  const lang = language ?? 'en';
  const month =
    new Intl.DateTimeFormat(lang, { month: 'long' })
      .formatToParts(new Date(2020, 0, 15))
      .find((p) => p.type === 'month')?.value ?? '';
  const named = !/^M?\d+$/.test(month);
  return new Date(ms).toLocaleString(
    named ? lang : 'ru',
    named
      ? { dateStyle: 'medium', timeStyle: 'short' }
      : { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  );
}

/** "3 of 12 posts approved", with a bar, for the sidebar's head. */
export function ReviewProgress({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const posts = useSessionState((s) => s.view.posts);
  const { approved, total } = reviewProgress(posts);
  return (
    <div className="review-progress">
      <p className="review-progress__text" data-approved={approved} data-total={total}>
        {t('review.progress', { approved, count: total })}
      </p>
      <progress
        className="review-progress__bar"
        max={Math.max(total, 1)}
        value={approved}
        aria-label={t('review.progress', { approved, count: total })}
      />
      <button type="button" className="link" onClick={onOpen}>
        {t('review.open')}
      </button>
    </div>
  );
}

/**
 * The status of the selected slide's post and what this role may do with it. Status changes go
 * through the server (it records who and when, and writes the status into the document), so they
 * are disabled, with the reason, while the tab is not connected.
 */
export function PostReview({ post, number, user }: { post: PostView; number: number; user: User }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const status = useSessionState((s) => s.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [sendingBack, setSendingBack] = useState(false);
  const shown = shownStatus(post);
  const actions = statusActions(session.role, shown);
  const token = session.token;
  const online = status === 'connected' && token !== undefined;

  const run = async (action: StatusAction, note?: string) => {
    if (!token) return;
    setBusy(true);
    setError('');
    try {
      await setPostStatus(session.id, post.id, token, {
        status: ACTION_TARGET[action],
        ...(note ? { note } : {}),
        by: { name: user.name, library: user.library },
      });
      setSendingBack(false);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 0
          ? t('review.error.offline')
          : e instanceof ApiError && e.status === 403
            ? t('review.error.forbidden')
            : e instanceof ApiError && e.linkReplaced
              ? t('open.replacedTitle')
              : t('review.error.failed', { reason: e instanceof Error ? e.message : String(e) }),
      );
    } finally {
      setBusy(false);
    }
  };

  const when = post.statusAt ? formatWhen(post.statusAt, i18n.resolvedLanguage) : '';

  return (
    <section className="post-review" aria-label={t('review.section', { number })}>
      <div className="post-review__head">
        <span className="post-review__title">{t('post.title', { number })}</span>
        <StatusBadge post={post} />
      </div>
      {shown === 'changed' ? <p className="post-review__hint">{t('review.changedHint')}</p> : null}
      {post.statusAt && post.statusBy.name ? (
        <p className="post-review__who">
          {t(`review.setBy.${post.status}`, {
            name: post.statusBy.name,
            library: post.statusBy.library || '—',
            when,
          })}
        </p>
      ) : null}
      {post.statusNote ? (
        <blockquote className="post-review__note" aria-label={t('review.noteLabel')}>
          {post.statusNote}
        </blockquote>
      ) : null}
      {actions.length > 0 ? (
        <div className="post-review__actions">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              className={a === 'approve' ? 'primary' : undefined}
              disabled={!online || busy}
              onClick={() => (a === 'sendBack' ? setSendingBack(true) : void run(a))}
            >
              {t(`review.action.${a}`)}
            </button>
          ))}
        </div>
      ) : null}
      {actions.length > 0 && !online ? (
        <p className="post-review__hint" role="status">
          {t('review.needsServer')}
        </p>
      ) : null}
      {error ? (
        <p className="post-review__error" role="alert">
          {error}
        </p>
      ) : null}
      {sendingBack ? (
        <SendBackDialog
          number={number}
          busy={busy}
          error={error}
          onSend={(note) => void run('sendBack', note)}
          onClose={() => setSendingBack(false)}
        />
      ) : null}
    </section>
  );
}

const NOTE_MAX = 2000;

function SendBackDialog(props: {
  number: number;
  busy: boolean;
  error: string;
  onSend: (note: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  return (
    <Dialog title={t('review.sendBackTitle', { number: props.number })} onClose={props.onClose}>
      <p>{t('review.sendBackIntro')}</p>
      <label className="field">
        <span className="field__label">{t('review.noteLabel')}</span>
        <textarea
          className="field__input"
          rows={4}
          maxLength={NOTE_MAX}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      {props.error ? (
        <p className="post-review__error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div className="post-review__actions">
        <button
          type="button"
          className="primary"
          disabled={props.busy || !note.trim()}
          onClick={() => props.onSend(note.trim())}
        >
          {t('review.action.sendBack')}
        </button>
      </div>
    </Dialog>
  );
}
