import { useContext, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExhibitionState } from '../../protocol/exhibition.ts';
import { embedSnippet, normaliseOrigin } from '../../protocol/exhibition.ts';
import { uploadAsset } from '../../assets/api.ts';
import { getExhibition, publishExhibition, unpublishExhibition } from '../../session/exhibition.ts';
import { useSessionState } from '../../session/hooks.ts';
import { AssetContext } from '../../slide/assets.tsx';
import { Dialog } from '../common/Dialog.tsx';
import './publish.css';
import { StatusBadge } from './PostStatus.tsx';
import { publishDefault } from './review.ts';

/**
 * Publishes the flashbook as a digital exhibition: which posts, at which address, which sites may
 * embed it. Shows whether it is published, since when, its address and the embed snippet. The
 * cover slide is rendered here as the page's social preview (the server has no browser).
 */
export function PublishDialog(props: {
  id: string;
  token: string | null;
  readOnly: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const view = useSessionState((s) => s.view);
  const resolver = useContext(AssetContext);
  const [state, setState] = useState<ExhibitionState | null>(null);
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [slug, setSlug] = useState('');
  const [origins, setOrigins] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const originsId = useId();
  const { id, token } = props;

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    getExhibition(id, token).then(
      (s) => {
        if (cancelled) return;
        setState(s);
        setSlug(s.slug ?? '');
        setOrigins(s.embedOrigins.join('\n'));
        if (s.posts) setChosen(new Set(s.posts));
      },
      () => !cancelled && setError(t('publish.offline')),
    );
    return () => {
      cancelled = true;
    };
  }, [id, token, t]);

  // Nothing published yet: the approved posts once any is approved, otherwise all of them.
  const preset = publishDefault(view.posts);
  const selected = chosen ?? preset.ids;
  const pageUrl = state?.url ? new URL(state.url, location.origin).href : '';
  const originList = origins
    .split(/\s+/)
    .map((o) => o.trim())
    .filter(Boolean);
  const badOrigin = originList.find((o) => !normaliseOrigin(o));

  const doPublish = async () => {
    if (!token) return;
    const posts = view.posts.filter((p) => selected.has(p.id)).map((p) => p.id);
    if (!posts.length) return setError(t('publish.noPosts'));
    setBusy(true);
    setError('');
    try {
      let ogImage: string | undefined;
      try {
        // On demand: html-to-image comes with the export code.
        const { renderCoverJpeg } = await import('../../export/cover-image.ts');
        const blob = await renderCoverJpeg(view, posts, resolver);
        if (blob) ogImage = (await uploadAsset({ flashbookId: id, token, blob })).id;
      } catch {
        // The page is published without its preview image rather than not at all.
      }
      const answer = await publishExhibition(id, token, {
        posts,
        slug: slug.trim() || undefined,
        embedOrigins: originList,
        ogImage,
      });
      setState(await getExhibition(id, token));
      setSlug(answer.url.replace(/^\/e\//, ''));
    } catch (e) {
      setError(t('publish.failed', { reason: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  const doUnpublish = async () => {
    if (!token) return;
    setBusy(true);
    setError('');
    try {
      await unpublishExhibition(id, token);
      setState(await getExhibition(id, token));
    } catch (e) {
      setError(t('publish.failed', { reason: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  const date = (ms: number | undefined) =>
    ms === undefined
      ? ''
      : new Date(ms).toLocaleString(i18n.language, { dateStyle: 'long', timeStyle: 'short' });

  return (
    <Dialog title={t('publish.title')} onClose={props.onClose} wide>
      <p>{t('publish.intro')}</p>
      {!token ? <p role="status">{t('publish.offline')}</p> : null}
      {props.readOnly ? <p role="status">{t('publish.readOnly')}</p> : null}
      <div role="status" className="publish__state">
        {state?.published ? (
          <p>
            {t('publish.publishedAt', { date: date(state.publishedAt) })}{' '}
            <a href={pageUrl} target="_blank" rel="noreferrer">
              {pageUrl}
            </a>
          </p>
        ) : state?.unpublishedAt ? (
          <p>{t('publish.unpublishedAt', { date: date(state.unpublishedAt) })}</p>
        ) : state ? (
          <p>{t('publish.notPublished')}</p>
        ) : null}
      </div>
      <fieldset className="publish__posts" disabled={props.readOnly || busy}>
        <legend>{t('publish.posts')}</legend>
        {chosen === null ? (
          <p className="field__hint">
            {preset.approvedOnly ? t('publish.approvedPreset') : t('publish.nonePreset')}
          </p>
        ) : null}
        {view.posts.map((p, i) => {
          const first = p.slides[0];
          const name = first?.fields.title.trim() || p.caption.split('\n')[0]?.slice(0, 80) || '—';
          return (
            <label key={p.id} className="publish__post">
              <input
                type="checkbox"
                checked={selected.has(p.id)}
                onChange={(e) => {
                  const next = new Set(selected);
                  if (e.target.checked) next.add(p.id);
                  else next.delete(p.id);
                  setChosen(next);
                }}
              />
              <span>{t('publish.post', { n: i + 1, name })}</span>
              <StatusBadge post={p} compact />
            </label>
          );
        })}
      </fieldset>
      <label className="field">
        <span className="field__label">{t('publish.slug')}</span>
        <input
          className="field__input"
          value={slug}
          disabled={props.readOnly || busy}
          onChange={(e) => setSlug(e.target.value.toLowerCase())}
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          spellCheck={false}
        />
        <span className="field__hint">{t('publish.slugHint')}</span>
      </label>
      <div className="field">
        <label className="field__label" htmlFor={originsId}>
          {t('publish.embedOrigins')}
        </label>
        <textarea
          id={originsId}
          className="field__input"
          rows={3}
          value={origins}
          disabled={props.readOnly || busy}
          onChange={(e) => setOrigins(e.target.value)}
          aria-invalid={badOrigin ? true : undefined}
          spellCheck={false}
        />
        <span className="field__hint">{t('publish.embedOriginsHint')}</span>
      </div>
      {state?.published && pageUrl ? (
        <label className="field">
          <span className="field__label">{t('publish.embed')}</span>
          <textarea
            className="field__input publish__snippet"
            readOnly
            rows={3}
            value={embedSnippet(pageUrl, view.title)}
            onFocus={(e) => e.target.select()}
          />
        </label>
      ) : null}
      {error ? (
        <p role="alert" className="publish__error">
          {error}
        </p>
      ) : null}
      {busy ? <p role="status">{t('publish.working')}</p> : null}
      <div className="publish__actions">
        <button
          type="button"
          className="primary"
          disabled={!token || props.readOnly || busy || selected.size === 0 || !!badOrigin}
          onClick={() => void doPublish()}
        >
          {state?.published ? t('publish.republish') : t('publish.publish')}
        </button>
        {state?.published ? (
          <button
            type="button"
            disabled={!token || props.readOnly || busy}
            onClick={() => void doUnpublish()}
          >
            {t('publish.unpublish')}
          </button>
        ) : null}
      </div>
    </Dialog>
  );
}
