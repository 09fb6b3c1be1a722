import { useTranslation } from 'react-i18next';
import {
  assembleCaption,
  captionProblems,
  captionStats,
  parseHashtagList,
  visibleCaption,
} from '../../export/caption.ts';
import type { SlideView } from '../../model/flashbook.ts';
import { LIMITS } from '../../model/instagram.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { CommentableTextField } from '../comments/CommentableTextField.tsx';
import { roleCanEdit } from '../../protocol/roles.ts';
import '../export/caption.css';

/**
 * The caption of the selected slide's post: a shared text that colleagues edit together, with live
 * counts against Instagram's limits. The counts are of the caption as published, i.e. with the
 * flashbook's common hashtags appended (they count towards the 5 hashtags too).
 */
export function PostCaption({ slide }: { slide: SlideView }) {
  const { t } = useTranslation();
  const session = useSession();
  const posts = useSessionState((s) => s.view.posts);
  const hashtags = useSessionState((s) => s.view.hashtags);
  const index = posts.findIndex((p) => p.id === slide.postId);
  const post = posts[index];
  if (!post) return null;
  const number = index + 1;
  const assembled = assembleCaption(post.caption, hashtags);
  const stats = captionStats(assembled);
  const problems = captionProblems(stats);
  const common = parseHashtagList(hashtags);
  const { visible, truncated } = visibleCaption(assembled);
  const over = (count: number, max: number) => (count > max ? 'caption-counters__over' : undefined);

  return (
    <section className="post-caption" aria-label={t('caption.section', { number })}>
      <h3>{t('caption.heading', { number })}</h3>
      <CommentableTextField
        key={post.id}
        slideId={slide.id}
        field="caption"
        doc={session.doc}
        textRef={{ kind: 'caption', postId: post.id }}
        label={t('caption.label')}
        multiline
        readOnly={!roleCanEdit(session.role)}
      />
      <ul className="caption-counters" aria-label={t('caption.counters')}>
        <li className={over(stats.chars, LIMITS.captionChars)}>
          {t('caption.chars', { count: stats.chars, max: LIMITS.captionChars })}
        </li>
        <li className={over(stats.hashtags.length, LIMITS.hashtags)}>
          {t('caption.hashtags', { count: stats.hashtags.length, max: LIMITS.hashtags })}
        </li>
        <li className={over(stats.mentions.length, LIMITS.mentions)}>
          {t('caption.mentions', { count: stats.mentions.length, max: LIMITS.mentions })}
        </li>
      </ul>
      {common.length > 0 ? (
        <p className="field__hint">{t('caption.common', { tags: common.join(' ') })}</p>
      ) : null}
      {problems.length > 0 ? (
        <ul className="caption-warnings" aria-label={t('caption.warnings')}>
          {problems.map((p) => (
            <li key={p.code}>{t(`caption.problem.${p.code}`, { count: p.count, max: p.max })}</li>
          ))}
        </ul>
      ) : null}
      {assembled ? (
        <>
          <p className="field__hint">
            {truncated
              ? t('caption.truncated', { count: LIMITS.captionVisibleChars })
              : t('caption.allVisible')}
          </p>
          <p className="caption-visible" aria-label={t('caption.visible')}>
            {visible}
            {truncated ? (
              <span className="caption-visible__more"> … {t('caption.more')}</span>
            ) : null}
          </p>
        </>
      ) : null}
    </section>
  );
}
