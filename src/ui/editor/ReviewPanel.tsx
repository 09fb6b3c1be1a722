import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getActivity, type StatusChange } from '../../session/api.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { Dialog } from '../common/Dialog.tsx';
import { StatusBadge, formatWhen } from './PostStatus.tsx';
import { reviewProgress, type ShownStatus } from './review.ts';

const SHOWN: ShownStatus[] = ['approved', 'changed', 'review', 'draft'];

/**
 * The flashbook's review: how many posts are approved, each post's status (with "Show"), and the
 * activity (who changed which post's status, from which library, when, with which note), read from
 * the server and read again whenever a status changes.
 */
export function ReviewPanel({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const posts = useSessionState((s) => s.view.posts);
  const status = useSessionState((s) => s.status);
  const progress = reviewProgress(posts);
  const [changes, setChanges] = useState<StatusChange[] | null>(null);
  const [error, setError] = useState('');
  const token = session.token;
  // Any status change arrives as a document change: read the activity again then.
  const statusKey = posts.map((p) => `${p.id}:${p.status}:${p.statusAt}`).join(',');

  useEffect(() => {
    if (!token) return setError(t('review.activityOffline'));
    let cancelled = false;
    getActivity(session.id, token).then(
      (c) => {
        if (cancelled) return;
        setChanges(c);
        setError('');
      },
      (e: unknown) => {
        if (cancelled) return;
        setError(
          e instanceof ApiError && e.status === 0
            ? t('review.activityOffline')
            : t('review.activityFailed', { reason: e instanceof Error ? e.message : String(e) }),
        );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [session.id, token, statusKey, status, t]);

  const numberOf = (postId: string) => posts.findIndex((p) => p.id === postId) + 1;
  const date = (ms: number) => formatWhen(ms, i18n.resolvedLanguage);
  const show = (postId: string) => {
    const first = posts.find((p) => p.id === postId)?.slides[0];
    if (first) session.select(first.id);
    onClose();
  };

  return (
    <Dialog title={t('review.title')} onClose={onClose} wide>
      <p className="review-panel__progress">
        {t('review.progress', { approved: progress.approved, count: progress.total })}
      </p>
      <ul className="review-panel__counts">
        {SHOWN.map((s) => (
          <li key={s}>
            <StatusBadge
              post={{
                status: s === 'changed' ? 'approved' : s,
                changedSinceApproval: s === 'changed',
              }}
              compact
            />{' '}
            {progress.counts[s]}
          </li>
        ))}
      </ul>
      <h3>{t('review.posts')}</h3>
      <ol className="review-panel__posts">
        {posts.map((p, i) => (
          <li key={p.id}>
            <span>{t('post.title', { number: i + 1 })}</span>
            <span className="review-panel__name">
              {p.slides[0]?.fields.title.trim() || p.caption.split('\n')[0]?.slice(0, 60) || '—'}
            </span>
            <StatusBadge post={p} compact />
            <button
              type="button"
              className="link"
              aria-label={t('review.showPost', { number: i + 1 })}
              onClick={() => show(p.id)}
            >
              {t('review.show')}
            </button>
          </li>
        ))}
      </ol>
      <h3>{t('review.activity')}</h3>
      {error ? <p role="status">{error}</p> : null}
      {changes && changes.length === 0 ? <p>{t('review.noActivity')}</p> : null}
      {changes && changes.length > 0 ? (
        <ol className="review-panel__activity" aria-label={t('review.activity')}>
          {changes.map((c, i) => {
            const n = numberOf(c.postId);
            return (
              <li key={`${c.at}-${c.postId}-${i}`} className="activity">
                <p>
                  <strong>{c.by.name}</strong>
                  {c.by.library ? (
                    <span className="activity__library"> · {c.by.library}</span>
                  ) : null}
                  {' — '}
                  {t(
                    `review.change.${c.to === 'draft' && c.role === 'approve' ? 'sentBack' : c.to}`,
                    {
                      which: n > 0 ? t('post.title', { number: n }) : t('review.deletedPost'),
                    },
                  )}
                  <time className="activity__when" dateTime={new Date(c.at).toISOString()}>
                    {' '}
                    · {date(c.at)}
                  </time>
                </p>
                {c.note ? <blockquote className="activity__note">{c.note}</blockquote> : null}
              </li>
            );
          })}
        </ol>
      ) : null}
    </Dialog>
  );
}
