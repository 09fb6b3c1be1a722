import { useTranslation } from 'react-i18next';
import { useSessionState } from '../../session/hooks.ts';
import { commentsUi } from './commentsStore.ts';
import { CommentIcon } from '../common/SharedTextField.tsx';

/** Open threads on one slide, or on all slides of a post; nothing when there are none. */
export function CommentCount({ slideId, postId }: { slideId?: string; postId?: string }) {
  const { t } = useTranslation();
  const count = useSessionState(
    (s) =>
      s.threads.filter(
        (th) => !th.resolved && (slideId ? th.slideId === slideId : th.postId === postId),
      ).length,
  );
  if (count === 0) return null;
  const label = t('comments.count', { count });
  return (
    <button
      type="button"
      className="comment-count"
      aria-label={label}
      title={label}
      onClick={(e) => {
        e.stopPropagation();
        commentsUi.setState({ open: true, filterPost: postId ?? '' });
      }}
    >
      <CommentIcon />
      <span aria-hidden="true">{count}</span>
    </button>
  );
}
