import { useTranslation } from 'react-i18next';
import type { ExportPlan } from '../../export/plan.ts';
import type { FlashbookView } from '../../model/flashbook.ts';
import { StatusBadge } from '../editor/PostStatus.tsx';
import { shownStatus } from '../editor/review.ts';

/**
 * The exported posts that the methodologist has not approved (drafts, posts in review, posts
 * changed since approval), each with a button that shows it in the editor. A warning: the export
 * still runs, since a library may export a draft to look at it.
 */
export function UnapprovedPosts({
  view,
  plan,
  onShow,
}: {
  view: FlashbookView;
  plan: ExportPlan;
  onShow: (slideId: string) => void;
}) {
  const { t } = useTranslation();
  const byId = new Map(view.posts.map((p) => [p.id, p]));
  const list = plan.posts.flatMap((planned) => {
    const post = byId.get(planned.postId);
    return post && shownStatus(post) !== 'approved' ? [{ planned, post }] : [];
  });
  if (list.length === 0) return null;
  return (
    <div className="export-unapproved">
      <p className="warning">{t('export.unapproved.warning', { count: list.length })}</p>
      <ul className="export-problems" aria-label={t('export.unapproved.list')}>
        {list.map(({ planned, post }) => (
          <li key={post.id} className="export-problems__warning">
            {t('post.title', { number: planned.number })} <StatusBadge post={post} compact />{' '}
            {post.slides[0] ? (
              <button
                type="button"
                aria-label={t('export.unapproved.showLabel', { number: planned.number })}
                onClick={() => onShow(post.slides[0]?.id ?? '')}
              >
                {t('export.fit.show')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
