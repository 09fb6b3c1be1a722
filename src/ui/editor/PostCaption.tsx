import { useEffect, useState } from 'react';
import { roleCanEdit } from '../../protocol/roles.ts';
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
import { SidePanel } from '../common/SidePanel.tsx';
import { useEditorPanels } from './panels.ts';
import { CommentableTextField } from '../comments/CommentableTextField.tsx';
import '../export/caption.css';

/**
 * The caption of one post, in its own panel named after the post ("Post 2 — caption"). It stays on
 * that post whatever slide is selected meanwhile, so a caption cannot slip into the neighbouring
 * post. A shared text that colleagues edit together, with live counts against Instagram's limits,
 * counted on the caption as published (with the flashbook's common hashtags appended; they count
 * towards the 5 hashtags too), and a button that copies exactly that text.
 */
export function PostCaptionPanel({ postId, onClose }: { postId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const posts = useSessionState((s) => s.view.posts);
  const hashtags = useSessionState((s) => s.view.hashtags);
  const selectedSlideId = useSessionState((s) => s.selectedSlideId);
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const index = posts.findIndex((p) => p.id === postId);
  const post = posts[index];
  const caption = post?.caption ?? '';
  // "Copied" is about the text as it was copied: it goes once the caption changes.
  useEffect(() => setCopied(null), [caption]);
  if (!post)
    return (
      <SidePanel title={t('caption.goneTitle')} onClose={onClose}>
        <p>{t('caption.gone')}</p>
      </SidePanel>
    );
  const number = index + 1;
  // A comment on the caption is about the post: it is kept with the slide selected in it, or its first.
  const commentSlideId = post.slides.some((sl) => sl.id === selectedSlideId)
    ? (selectedSlideId ?? '')
    : (post.slides[0]?.id ?? '');
  const assembled = assembleCaption(post.caption, hashtags);
  const stats = captionStats(assembled);
  const problems = captionProblems(stats);
  const common = parseHashtagList(hashtags);
  const { visible, truncated } = visibleCaption(assembled);
  const over = (count: number, max: number) => (count > max ? 'caption-counters__over' : undefined);

  return (
    <SidePanel title={t('caption.panelTitle', { number })} onClose={onClose}>
      <div className="post-caption">
        <p className="field__hint">{t('caption.panelHint', { number })}</p>
        <CommentableTextField
          key={post.id}
          slideId={commentSlideId}
          field="caption"
          doc={session.doc}
          textRef={{ kind: 'caption', postId: post.id }}
          label={t('caption.labelOf', { number })}
          multiline
          readOnly={!roleCanEdit(session.role)}
        />
        <div className="post-caption__copy">
          <button
            type="button"
            disabled={!assembled}
            onClick={() => {
              navigator.clipboard.writeText(assembled).then(
                () => setCopied('copied'),
                () => setCopied('failed'),
              );
            }}
          >
            {t('caption.copy')}
          </button>
          <span role="status" className={copied === 'failed' ? 'caption-copy__failed' : undefined}>
            {copied ? t(`caption.${copied}`) : ''}
          </span>
        </div>
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
      </div>
    </SidePanel>
  );
}

/**
 * In the slide form: which post the slide belongs to and the start of that post's caption, with
 * the button that opens the post's caption panel. The caption is not edited here.
 */
export function PostCaptionSummary({ slide }: { slide: SlideView }) {
  const { t } = useTranslation();
  const posts = useSessionState((s) => s.view.posts);
  const { openCaption } = useEditorPanels();
  const index = posts.findIndex((p) => p.id === slide.postId);
  const post = posts[index];
  if (!post) return null;
  const number = index + 1;
  const text = post.caption.trim();
  return (
    <section className="post-caption-summary" aria-label={t('caption.section', { number })}>
      <h3>{t('caption.heading', { number })}</h3>
      <p className={text ? 'post-caption-summary__text' : 'field__hint'}>
        {text ? text : t('caption.none')}
      </p>
      <button type="button" onClick={() => openCaption(post.id)}>
        {t('caption.edit', { number })}
      </button>
    </section>
  );
}
