import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlashbookView, SlideView } from '../../model/flashbook.ts';
import {
  closeVersion,
  diffViews,
  type FieldChange,
  type FlashbookDiff,
  type RestoreTarget,
  type SlideChange,
  type VersionSnapshot,
} from '../../model/restore.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import {
  listVersions,
  loadVersion,
  restoreFrom,
  saveVersion,
  type VersionEntry,
} from '../../session/history.ts';
import { Dialog } from '../common/Dialog.tsx';
import { Slide, designOf } from '../../slide/Slide.tsx';
import './history.css';

/** Longest version name the server accepts (server/versions/http.ts). */
const MAX_NAME = 100;

/**
 * The version history of the open flashbook: the server's versions grouped by day, saving a named
 * one, and a selected version shown read-only with the slide renderer, with what changed since and
 * buttons that restore the whole flashbook, one post or one slide. A restore is one undo step.
 */
export default function HistoryPanel({ token, onClose }: { token: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const live = useSessionState((s) => s.view);
  const [versions, setVersions] = useState<VersionEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [snapshot, setSnapshot] = useState<VersionSnapshot | null>(null);
  const [notice, setNotice] = useState<{ text: string; undo?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(() => {
    listVersions(session.id, token).then(
      (list) => {
        setVersions(list);
        setError(null);
      },
      (e: unknown) => setError(t('history.failed', { error: String((e as Error).message) })),
    );
  }, [session.id, token, t]);
  useEffect(refresh, [refresh]);

  useEffect(() => {
    if (!selected) return;
    let cancelled = false;
    setSnapshot(null);
    loadVersion(session.id, token, selected).then(
      (s) => {
        if (!cancelled) setSnapshot(s);
        else closeVersion(s);
      },
      (e: unknown) => {
        if (!cancelled) setError(t('history.failed', { error: String((e as Error).message) }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [selected, session.id, token, t]);
  useEffect(
    () => () => {
      if (snapshot) closeVersion(snapshot);
    },
    [snapshot],
  );

  const onSave = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    setSaving(true);
    saveVersion(session.id, token, { name: trimmed })
      .then(
        (v) => {
          setName('');
          setNotice({ text: t('history.saved') });
          setSelected(v.id);
          refresh();
        },
        (err: unknown) =>
          setNotice({ text: t('history.saveFailed', { error: String((err as Error).message) }) }),
      )
      .finally(() => setSaving(false));
  };

  const restore = (target: RestoreTarget) => {
    if (!snapshot || busy) return;
    setBusy(true);
    restoreFrom(session, token, snapshot, target)
      .then(
        (changed) => {
          setNotice(
            changed
              ? { text: t('history.restored'), undo: true }
              : { text: t('history.nothingToRestore') },
          );
          refresh();
        },
        (err: unknown) =>
          setNotice({
            text: t('history.restoreFailed', { error: String((err as Error).message) }),
          }),
      )
      .finally(() => setBusy(false));
  };

  const days = useMemo(() => groupByDay(versions ?? []), [versions]);
  const dayFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' });
  const timeFormat = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' });
  const current = versions?.find((v) => v.id === selected);

  return (
    <Dialog title={t('history.title')} onClose={onClose} wide>
      <div className="history">
        <div className="history__side">
          <form className="history__save" onSubmit={onSave}>
            <label className="field">
              <span className="field__label">{t('history.name')}</span>
              <input
                className="field__input"
                value={name}
                maxLength={MAX_NAME}
                placeholder={t('history.namePlaceholder')}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <button type="submit" disabled={saving || !name.trim()}>
              {t('history.save')}
            </button>
          </form>
          {error ? (
            <p className="warning" role="alert">
              {error}
            </p>
          ) : null}
          {versions === null && !error ? <p>{t('common.loading')}</p> : null}
          {versions?.length === 0 ? <p className="history__empty">{t('history.empty')}</p> : null}
          <nav aria-label={t('history.list')} className="history__list">
            {days.map(([day, list]) => (
              <section key={day}>
                <h3 className="history__day">{dayFormat.format(list[0]?.createdAt)}</h3>
                <ul>
                  {list.map((v) => (
                    <li key={v.id}>
                      <button
                        type="button"
                        className="history__item"
                        aria-pressed={v.id === selected}
                        onClick={() => setSelected(v.id)}
                      >
                        <span className="history__time">{timeFormat.format(v.createdAt)}</span>
                        <span className="history__name">
                          {v.name ?? t(`history.reason.${v.reason}`)}
                        </span>
                        {v.name ? (
                          <span className="history__reason">{t(`history.reason.${v.reason}`)}</span>
                        ) : null}
                        <span className="history__authors">
                          {v.authors.length
                            ? v.authors
                                .map((a) => (a.library ? `${a.name} (${a.library})` : a.name))
                                .join(', ')
                            : t('history.noAuthors')}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </nav>
        </div>
        <div className="history__main">
          {notice ? (
            <p className="history__notice" role="status">
              {notice.text}{' '}
              {notice.undo && session.undo ? (
                <button type="button" onClick={() => session.undo?.undo()}>
                  {t('common.undo')}
                </button>
              ) : null}
            </p>
          ) : null}
          {!selected ? <p>{t('history.pick')}</p> : null}
          {selected && !snapshot ? <p>{t('common.loading')}</p> : null}
          {snapshot && current ? (
            <VersionDetails
              heading={t('history.versionOf', {
                time: `${dayFormat.format(current.createdAt)} ${timeFormat.format(current.createdAt)}`,
              })}
              version={snapshot.view}
              live={live}
              busy={busy}
              onRestore={restore}
            />
          ) : null}
        </div>
      </div>
    </Dialog>
  );
}

function groupByDay(versions: VersionEntry[]): [string, VersionEntry[]][] {
  const days = new Map<string, VersionEntry[]>();
  for (const v of versions) {
    const d = new Date(v.createdAt);
    const key = `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
    const list = days.get(key);
    if (list) list.push(v);
    else days.set(key, [v]);
  }
  return [...days];
}

function VersionDetails({
  heading,
  version,
  live,
  busy,
  onRestore,
}: {
  heading: string;
  version: FlashbookView;
  live: FlashbookView;
  busy: boolean;
  onRestore: (target: RestoreTarget) => void;
}) {
  const { t } = useTranslation();
  const diff = useMemo(() => diffViews(version, live), [version, live]);
  const design = designOf(version);
  return (
    <section className="history__version" aria-label={heading}>
      <h3>{heading}</h3>
      <p className="history__hint">{t('history.readOnly')}</p>
      <button type="button" disabled={busy} onClick={() => onRestore({ kind: 'flashbook' })}>
        {t('history.restoreAll')}
      </button>
      <Changes diff={diff} version={version} live={live} />
      <h4>{t('history.versionPosts')}</h4>
      {version.posts.map((post, i) => (
        <div key={post.id} className="history__post">
          <div className="history__post-head">
            <strong>{t('post.title', { number: i + 1 })}</strong>
            <button
              type="button"
              disabled={busy}
              onClick={() => onRestore({ kind: 'post', postId: post.id })}
            >
              {t('history.restorePost', { number: i + 1 })}
            </button>
          </div>
          <ol className="history__slides">
            {post.slides.map((slide, j) => (
              <li key={slide.id}>
                <Slide
                  slide={slide}
                  format={version.format}
                  width={120}
                  flashbookTitle={version.title}
                  design={design}
                />
                <button
                  type="button"
                  disabled={busy}
                  aria-label={t('history.restoreSlideOf', { number: j + 1, post: i + 1 })}
                  onClick={() => onRestore({ kind: 'slide', slideId: slide.id })}
                >
                  {t('history.restoreSlide')}
                </button>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

function Changes({
  diff,
  version,
  live,
}: {
  diff: FlashbookDiff;
  version: FlashbookView;
  live: FlashbookView;
}) {
  const { t } = useTranslation();
  const number = (id: string) => {
    const now = live.posts.findIndex((p) => p.id === id);
    return now >= 0 ? now + 1 : version.posts.findIndex((p) => p.id === id) + 1;
  };
  const slides = new Map<string, SlideView>();
  for (const v of [version, live]) {
    for (const s of [...v.posts.flatMap((p) => p.slides), ...v.orphanSlides]) slides.set(s.id, s);
  }
  const slideName = (c: SlideChange) => {
    const s = slides.get(c.id);
    return s?.fields.title || (s ? t(`layout.${s.layout}`) : c.id);
  };
  const empty = !diff.fields.length && !diff.posts.length && !diff.orphanSlides.length;
  return (
    <section className="history__changes" aria-label={t('history.changes')}>
      <h4>{t('history.changes')}</h4>
      {empty ? <p>{t('history.noChanges')}</p> : null}
      {diff.fields.length ? (
        <div>
          <strong>{t('history.flashbookFields')}</strong>
          <FieldList fields={diff.fields} scope="meta" />
        </div>
      ) : null}
      <ul>
        {diff.posts.map((p) => (
          <li key={p.id}>
            <strong>{t('post.title', { number: number(p.id) })}</strong>{' '}
            {p.change !== 'unchanged' ? <ChangeBadge change={p.change} /> : null}
            {p.moved ? <ChangeBadge change="moved" /> : null}
            {p.change === 'changed' ? <FieldList fields={p.fields} scope="post" /> : null}
            <SlideChanges changes={p.slides} name={slideName} />
          </li>
        ))}
        {diff.orphanSlides.length ? (
          <li>
            <strong>{t('sidebar.orphans')}</strong>
            <SlideChanges changes={diff.orphanSlides} name={slideName} />
          </li>
        ) : null}
      </ul>
    </section>
  );
}

function SlideChanges({
  changes,
  name,
}: {
  changes: SlideChange[];
  name: (c: SlideChange) => string;
}) {
  if (!changes.length) return null;
  return (
    <ul>
      {changes.map((c) => (
        <li key={c.id}>
          {name(c)} {c.change !== 'unchanged' ? <ChangeBadge change={c.change} /> : null}
          {c.moved ? <ChangeBadge change="moved" /> : null}
          {c.change === 'changed' ? <FieldList fields={c.fields} scope="slide" /> : null}
        </li>
      ))}
    </ul>
  );
}

function ChangeBadge({ change }: { change: 'added' | 'removed' | 'changed' | 'moved' }) {
  const { t } = useTranslation();
  return (
    <span className={`history__badge history__badge--${change}`}>
      {t(`history.change.${change}`)}
    </span>
  );
}

/** Labels of changed fields: the form's own where there is one. */
function useFieldLabel() {
  const { t } = useTranslation();
  return (scope: 'meta' | 'post' | 'slide', field: string): string => {
    if (scope === 'meta') {
      const meta: Record<string, string> = {
        title: t('flashbook.title'),
        format: t('flashbook.format'),
        hashtags: t('settings.hashtags'),
        theme: t('settings.theme'),
        brandColor: t('settings.brandColor'),
        logo: t('settings.logo'),
        ageLabelSet: t('settings.ageLabels'),
      };
      return meta[field] ?? field;
    }
    if (scope === 'post') {
      if (field === 'caption') return t('caption.label');
      return t(`history.field.${field === 'library' ? 'library' : 'status'}`);
    }
    const slide: Record<string, string> = {
      layout: t('inspector.layout'),
      ageLabel: t('inspector.ageLabel'),
      library: t('history.field.library'),
      image: t('image.cover'),
      body: t('history.field.body'),
    };
    return slide[field] ?? t(`field.${field}`);
  };
}

function FieldList({ fields, scope }: { fields: FieldChange[]; scope: 'meta' | 'post' | 'slide' }) {
  const label = useFieldLabel();
  return (
    <dl className="history__fields">
      {fields.map((f) => (
        <div key={f.field}>
          <dt>{label(scope, f.field)}</dt>
          <dd>
            {f.parts.map((part, i) =>
              part.kind === 'added' ? (
                <ins key={i}>{part.text}</ins>
              ) : part.kind === 'removed' ? (
                <del key={i}>{part.text}</del>
              ) : (
                <span key={i}>{part.text}</span>
              ),
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
