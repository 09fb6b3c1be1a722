import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ExportCancelled, TextDoesNotFit, downloadBlob, runExport } from '../../export/exporter.ts';
import {
  isBlocking,
  planExport,
  type ExportPlan,
  type ImageType,
  type PlannedPost,
  type PostIssue,
} from '../../export/plan.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { blankCaption } from '../../export/caption.ts';
import type { FlashbookView } from '../../model/flashbook.ts';
import { AssetContext } from '../../slide/assets.tsx';
import { PostPreview } from './PostPreview.tsx';
import '../common/Dialog.css';
import { FitProblems, fitProblems, useSlideFits } from './FitProblems.tsx';
import { UnapprovedPosts } from './Unapproved.tsx';
import './export.css';

type Status =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; total: number; phase: 'slides' | 'zip' }
  | { kind: 'done'; name: string; slides: number; missing: number }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

const ALL = '';

/**
 * Export for Instagram: the whole flashbook or one post as a ZIP of exact-size images, captions with
 * the common hashtags, alt text and a manifest. Shows what Instagram would object to, a preview of
 * a post as the feed shows it, and the progress of the export (cancellable).
 * Loaded lazily: html-to-image and fflate are not part of the editor's first download.
 */
export default function ExportDialog({
  onClose,
  onShowCaption,
}: {
  onClose: () => void;
  /** Opens a post's caption panel (the dialog closes). */
  onShowCaption: (postId: string) => void;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const resolver = useContext(AssetContext);
  const view = useSessionState((s) => s.view);
  const selectedId = useSessionState((s) => s.selectedSlideId);
  const ref = useRef<HTMLDialogElement>(null);
  const abort = useRef<AbortController | null>(null);
  const [scope, setScope] = useState(ALL);
  const [imageType, setImageType] = useState<ImageType>('image/jpeg');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const selectedPostId =
    view.posts.find((p) => p.slides.some((s) => s.id === selectedId))?.id ?? view.posts[0]?.id;
  const [previewId, setPreviewId] = useState(selectedPostId ?? '');

  useEffect(() => {
    const dialog = ref.current;
    dialog?.showModal();
    return () => abort.current?.abort();
  }, []);

  const postExists = view.posts.some((p) => p.id === scope);
  const plan = useMemo(
    () => planExport(view, { postId: postExists ? scope : undefined, imageType }),
    [view, scope, postExists, imageType],
  );
  const previewIndex = Math.max(
    0,
    view.posts.findIndex((p) => p.id === (scope && postExists ? scope : previewId)),
  );
  const previewPost = view.posts[previewIndex];
  const running = status.kind === 'running';
  const fits = useSlideFits(view, plan, resolver);
  const fitList = fitProblems(plan, fits);
  const cut = fitList.filter((p) => p.fit === 'overflow');
  const [confirmCut, setConfirmCut] = useState(false);
  const fitBlocked = fits === null || (cut.length > 0 && !confirmCut);

  const start = async () => {
    // The flashbook as it is now: edits that arrive during the export go into the next one.
    const snapshot = session.store.getState().view;
    const thePlan = planExport(snapshot, {
      postId: snapshot.posts.some((p) => p.id === scope) ? scope : undefined,
      imageType,
    });
    const controller = new AbortController();
    abort.current = controller;
    setStatus({ kind: 'running', done: 0, total: thePlan.slideCount, phase: 'slides' });
    try {
      const result = await runExport(snapshot, thePlan, {
        resolver,
        signal: controller.signal,
        allowCut: new Set(confirmCut ? cut.map((c) => c.slideId) : []),
        onProgress: (p) => setStatus({ kind: 'running', ...p }),
      });
      downloadBlob(result.zip, thePlan.zipName);
      setStatus({
        kind: 'done',
        name: thePlan.zipName,
        slides: thePlan.slideCount,
        missing: result.missingAssets.length,
      });
    } catch (e) {
      if (e instanceof ExportCancelled) setStatus({ kind: 'cancelled' });
      else if (e instanceof TextDoesNotFit)
        setStatus({ kind: 'error', message: t('export.fit.refused') });
      else setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog export-dialog"
      aria-labelledby="export-title"
      onClose={onClose}
      onCancel={(e) => {
        // Escape during an export cancels the export first, not the dialog.
        if (running) {
          e.preventDefault();
          abort.current?.abort();
        }
      }}
    >
      <h2 id="export-title">{t('export.title')}</h2>
      <div className="export-dialog__body">
        <div className="export-dialog__settings">
          <label className="field">
            <span className="field__label">{t('export.scope')}</span>
            <select
              className="field__input"
              value={postExists ? scope : ALL}
              disabled={running}
              onChange={(e) => setScope(e.target.value)}
            >
              <option value={ALL}>
                {t('export.wholeFlashbook', {
                  posts: view.posts.length,
                  slides: view.posts.reduce((n, p) => n + p.slides.length, 0),
                })}
              </option>
              {view.posts.map((p, i) => (
                <option key={p.id} value={p.id}>
                  {t('export.onePost', { number: i + 1, slides: p.slides.length })}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="export-dialog__types" disabled={running}>
            <legend className="field__label">{t('export.imageType')}</legend>
            <label>
              <input
                type="radio"
                name="export-type"
                checked={imageType === 'image/jpeg'}
                onChange={() => setImageType('image/jpeg')}
              />{' '}
              {t('export.jpeg')}
            </label>
            <label>
              <input
                type="radio"
                name="export-type"
                checked={imageType === 'image/png'}
                onChange={() => setImageType('image/png')}
              />{' '}
              {t('export.png')}
            </label>
          </fieldset>
          <p className="field__hint">
            {t('export.summary', {
              slides: plan.slideCount,
              width: plan.width,
              height: plan.height,
              file: plan.zipName,
            })}
          </p>
          <Problems plan={plan} whole={!postExists} />
          <UnapprovedPosts
            view={view}
            plan={plan}
            onShow={(slideId) => {
              session.select(slideId);
              ref.current?.close();
            }}
          />
          <FitProblems
            fits={fits}
            problems={fitList}
            confirmed={confirmCut}
            onConfirm={setConfirmCut}
            disabled={running}
            onShow={(slideId) => {
              session.select(slideId);
              ref.current?.close();
            }}
          />
          <BlankCaptions
            plan={plan}
            view={view}
            onShow={(postId) => {
              ref.current?.close();
              onShowCaption(postId);
            }}
          />
          <div className="export-dialog__progress">
            <progress
              max={Math.max(1, status.kind === 'running' ? status.total : plan.slideCount)}
              value={
                status.kind === 'running'
                  ? status.done
                  : status.kind === 'done'
                    ? plan.slideCount
                    : 0
              }
              aria-label={t('export.progress')}
            />
            <p role="status" className="export-dialog__status">
              {statusText(status, t)}
            </p>
          </div>
          <div className="dialog__buttons">
            {running ? (
              <button type="button" onClick={() => abort.current?.abort()}>
                {t('export.cancel')}
              </button>
            ) : (
              <button
                type="button"
                className="primary"
                disabled={plan.blocked || fitBlocked}
                onClick={() => void start()}
              >
                {t('export.start')}
              </button>
            )}
            <button type="button" disabled={running} onClick={() => ref.current?.close()}>
              {t('common.close')}
            </button>
          </div>
        </div>
        <div className="export-dialog__preview">
          {!postExists && view.posts.length > 1 ? (
            <label className="field field--inline">
              <span className="field__label">{t('export.preview.choose')}</span>
              <select
                className="field__input"
                value={previewPost?.id ?? ''}
                onChange={(e) => setPreviewId(e.target.value)}
              >
                {view.posts.map((p, i) => (
                  <option key={p.id} value={p.id}>
                    {t('post.title', { number: i + 1 })}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {previewPost ? (
            <PostPreview
              key={previewPost.id}
              post={previewPost}
              number={previewIndex + 1}
              view={view}
            />
          ) : null}
        </div>
      </div>
    </dialog>
  );
}

/**
 * The posts to export whose caption says nothing of its own (empty, or only the common hashtags
 * that export appends anyway), each with a button to its caption panel. A warning: such a post
 * can still be exported.
 */
function BlankCaptions({
  plan,
  view,
  onShow,
}: {
  plan: ExportPlan;
  view: FlashbookView;
  onShow: (postId: string) => void;
}) {
  const { t } = useTranslation();
  const blank = plan.posts.flatMap((planned) => {
    const post = view.posts.find((p) => p.id === planned.postId);
    const kind = post ? blankCaption(post.caption, view.hashtags) : null;
    return kind ? [{ id: planned.postId, number: planned.number, kind }] : [];
  });
  if (blank.length === 0) return null;
  return (
    <ul className="export-problems" aria-label={t('export.caption.list')}>
      {blank.map((b) => (
        <li key={b.id} className="export-problems__warning">
          {t(`export.caption.${b.kind}`, { number: b.number })}{' '}
          <button
            type="button"
            aria-label={t('export.caption.showLabel', { number: b.number })}
            onClick={() => onShow(b.id)}
          >
            {t('export.caption.show')}
          </button>
        </li>
      ))}
    </ul>
  );
}

function statusText(status: Status, t: TFunction): string {
  switch (status.kind) {
    case 'idle':
      return '';
    case 'running':
      return status.phase === 'zip'
        ? t('export.packing')
        : t('export.rendering', { done: status.done, total: status.total });
    case 'done':
      return (
        t('export.done', { file: status.name, slides: status.slides }) +
        (status.missing ? ` ${t('export.missingImages', { count: status.missing })}` : '')
      );
    case 'cancelled':
      return t('export.cancelled');
    case 'error':
      return t('export.failed', { reason: status.message });
  }
}

function Problems({ plan, whole }: { plan: ExportPlan; whole: boolean }) {
  const { t } = useTranslation();
  const items = [...plan.posts, ...plan.skipped].flatMap((post: PlannedPost) =>
    post.issues.map((issue) => ({ post, issue })),
  );
  if (items.length === 0) return <p className="export-dialog__ok">{t('export.noProblems')}</p>;
  return (
    <ul className="export-problems" aria-label={t('export.problems')}>
      {items.map(({ post, issue }, i) => {
        const blocking = isBlocking(issue) && !(issue.code === 'empty' && whole);
        return (
          <li key={i} className={blocking ? 'export-problems__error' : 'export-problems__warning'}>
            {issueText(issue, post.number, whole, t)}
          </li>
        );
      })}
    </ul>
  );
}

function issueText(issue: PostIssue, number: number, whole: boolean, t: TFunction): string {
  switch (issue.code) {
    case 'empty':
      return t(whole ? 'export.issue.emptySkipped' : 'export.issue.empty', { number });
    case 'missingAltText':
    case 'altTextTooLong':
      return t(`export.issue.${issue.code}`, {
        number,
        slides: issue.slides.join(', '),
        max: 'max' in issue ? issue.max : 0,
      });
    default:
      return t(`export.issue.${issue.code}`, { number, count: issue.count, max: issue.max });
  }
}
