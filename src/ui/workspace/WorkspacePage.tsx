import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isTemplateLanguage, type TemplateLanguage } from '../../model/templates.ts';
import { CreateForm, createAndOpen, type CreateRequest } from '../common/createFlow.tsx';
import { useTranslation } from 'react-i18next';
import type { WorkspaceFlashbook } from '../../protocol/workspaces.ts';
import { ApiError } from '../../session/api.ts';
import {
  archiveFlashbook,
  createInWorkspace,
  createOfflineInWorkspace,
  deleteFlashbookForGood,
  refreshWorkspace,
  restoreFlashbook,
  type CachedWorkspace,
} from '../../session/workspaces.ts';
import { onRegistered } from '../../session/registration.ts';
import { db, loadWorkspace, rememberFlashbook, type RecentFlashbook } from '../../local/db.ts';
import { WorkspaceAssets } from '../../assets/workspace.ts';
import { BrowserSlides } from '../../slide/browser.tsx';
import { Slide, slideAssetIds } from '../../slide/Slide.tsx';
import { LanguageSelect } from '../common/LanguageSelect.tsx';
import { AppLink } from '../common/AppLink.tsx';
import { Dialog } from '../common/Dialog.tsx';
import { flashbookUrl, navigate, workspaceUrl } from '../router.ts';
import { NO_FILTER, libraryChoices, matches, type WorkspaceFilter } from './filter.ts';
import { WorkspaceSettings } from './WorkspaceSettings.tsx';
import { SelectField, allOr } from '../common/SelectField.tsx';
import { TextField } from '../common/TextField.tsx';
import './workspace.css';

// The template cards render slides from seeded scratch documents: loaded after the page shows.
const TemplateGallery = lazy(() =>
  import('../home/TemplateGallery.tsx').then((m) => ({ default: m.TemplateGallery })),
);

const STATUSES = ['all', 'draft', 'review', 'approved', 'published'] as const;

/** How often an open workspace page asks for changes made on other PCs. */
const REFRESH_MS = 5000;

type Problem = 'no-token' | 'replaced' | 'refused' | 'not-found' | 'offline-unknown' | 'failed';

/**
 * The workspace page: every flashbook of the workspace with its cover, title, libraries, last
 * change, review progress and publication state; search and filters; new flashbooks created
 * inside the workspace (with its brand kit); archive and restore; the links by role.
 */
export function WorkspacePage({
  id,
  routeToken,
  settings,
}: {
  id: string;
  routeToken: string | null;
  settings: boolean;
}) {
  const { t } = useTranslation();
  const [entry, setEntry] = useState<CachedWorkspace | null>(null);
  const [offline, setOffline] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [token, setToken] = useState<string | null>(routeToken);
  const assets = useMemo(() => (token ? new WorkspaceAssets(id, token) : null), [id, token]);
  useEffect(() => () => assets?.destroy(), [assets]);

  // The token: the link's, else the one this browser kept for the workspace.
  useEffect(() => {
    if (routeToken) {
      setToken(routeToken);
      return;
    }
    void loadWorkspace(id).then((c) => {
      if (c?.token) setToken(c.token);
      else setProblem('no-token');
    });
  }, [id, routeToken]);

  const refresh = useCallback(async () => {
    if (!token) return;
    try {
      const r = await refreshWorkspace(id, token);
      setEntry(r.entry);
      setOffline(r.offline);
      setProblem(null);
    } catch (err) {
      if (err instanceof ApiError) {
        if (err.status === 0) setProblem('offline-unknown');
        else if (err.status === 410) setProblem('replaced');
        else if (err.status === 401) setProblem('refused');
        else if (err.status === 404) setProblem('not-found');
        else setProblem('failed');
      } else setProblem('failed');
    }
  }, [id, token]);

  useEffect(() => {
    if (!token) return;
    // What this device saw last shows at once (also offline); the server's answer replaces it.
    void loadWorkspace(id).then((c) => {
      if (c?.workspace) setEntry((e) => e ?? c);
    });
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    window.addEventListener('online', refresh);
    window.addEventListener('focus', refresh);
    const off = onRegistered(() => void refresh());
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', refresh);
      window.removeEventListener('focus', refresh);
      off();
    };
  }, [id, token, refresh]);

  if (problem && !entry) {
    return (
      <main className="workspace">
        <p className="page-message" role="alert">
          {t(`workspace.problem.${problem}`)}
        </p>
        <p className="page-message">
          <a href="/">{t('common.home')}</a>
        </p>
      </main>
    );
  }
  if (!entry?.workspace || !token || !assets) {
    return <p className="page-message">{t('common.loading')}</p>;
  }
  if (settings && entry.workspace.role === 'admin') {
    return (
      <WorkspaceSettings
        workspace={entry.workspace}
        token={token}
        assets={assets}
        onSaved={() => void refresh()}
        onTokenReplaced={(role, next) => {
          if (role === 'admin') {
            setToken(next);
            history.replaceState(null, '', workspaceUrl(id, next, true));
          }
          void refresh();
        }}
      />
    );
  }
  return (
    <WorkspaceList
      entry={entry}
      token={token}
      offline={offline}
      problem={problem}
      assets={assets}
      refresh={refresh}
    />
  );
}

function WorkspaceList({
  entry,
  token,
  offline,
  problem,
  assets,
  refresh,
}: {
  entry: CachedWorkspace;
  token: string;
  offline: boolean;
  problem: Problem | null;
  assets: WorkspaceAssets;
  refresh: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const workspace = entry.workspace as NonNullable<CachedWorkspace['workspace']>;
  const flashbooks = useMemo(() => entry.flashbooks ?? [], [entry.flashbooks]);
  const isAdmin = workspace.role === 'admin';
  const [filter, setFilter] = useState<WorkspaceFilter>(NO_FILTER);
  const [tab, setTab] = useState<'active' | 'archived'>('active');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{
    kind: 'archive' | 'delete';
    f: WorkspaceFlashbook;
  } | null>(null);
  const [local, setLocal] = useState<RecentFlashbook[]>([]);

  // Flashbooks created here without the network wait on this device until they are registered.
  const readLocal = useCallback(() => {
    void db.recent
      .filter((r) => r.localOnly === true && r.workspaceId === workspace.id)
      .toArray()
      .then(setLocal)
      .catch(() => setLocal([]));
  }, [workspace.id]);
  useEffect(() => {
    readLocal();
    return onRegistered(readLocal);
  }, [readLocal, entry]);

  const now = Date.now();
  const active = flashbooks.filter((f) => !f.archived);
  const archived = flashbooks.filter((f) => f.archived);
  const shown = (tab === 'active' ? active : archived).filter((f) => matches(f, filter, now));
  const libraries = libraryChoices(
    workspace.libraries.map((l) => l.name),
    flashbooks,
  );

  // Digits only: Chromium's Kazakh date styles read "2026 M12 1" (its ICU has no Kazakh months).
  const dateFormat = new Intl.DateTimeFormat(
    i18n.resolvedLanguage === 'kk' ? 'ru' : i18n.resolvedLanguage,
    { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  );

  const open = async (f: WorkspaceFlashbook) => {
    if (!f.editToken) return;
    await rememberFlashbook({ id: f.id, title: f.title, token: f.editToken, role: 'edit' });
    navigate(flashbookUrl(f.id, f.editToken));
  };

  const language: TemplateLanguage = isTemplateLanguage(i18n.resolvedLanguage)
    ? i18n.resolvedLanguage
    : 'ru';

  const create = async (what: CreateRequest) => {
    setBusy(true);
    setError(null);
    const problem = await createAndOpen(
      what,
      t,
      async (what, title) => {
        const created = await createInWorkspace(workspace.id, token, what);
        await rememberFlashbook({ id: created.id, token: created.editToken, role: 'edit', title });
        return flashbookUrl(created.id, created.editToken);
      },
      (title, template) => createOfflineInWorkspace(entry, title, template),
    );
    if (problem !== null) {
      setError(problem);
      setBusy(false);
    }
  };

  const act = async (kind: 'archive' | 'restore' | 'delete', f: WorkspaceFlashbook) => {
    setError(null);
    try {
      if (kind === 'archive') await archiveFlashbook(workspace.id, token, f.id);
      else if (kind === 'restore') await restoreFlashbook(workspace.id, token, f.id);
      else await deleteFlashbookForGood(workspace.id, token, f.id);
      await refresh();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 0
          ? t('workspace.needsConnection')
          : t('workspace.actionFailed', { reason: err instanceof Error ? err.message : '' }),
      );
    }
  };

  return (
    <main className="workspace">
      <header className="workspace__header">
        <div className="workspace__heading">
          <AppLink href="/" className="workspace__home">
            {t('common.home')}
          </AppLink>
          <h1>{workspace.name}</h1>
          <span className="workspace__role">
            {isAdmin ? t('workspace.roleAdmin') : t('workspace.roleMember')}
          </span>
        </div>
        <span className="toolbar__spacer" />
        {isAdmin ? (
          <button type="button" onClick={() => navigate(workspaceUrl(workspace.id, token, true))}>
            {t('workspace.settings')}
          </button>
        ) : null}
        <LanguageSelect />
      </header>
      {offline ? (
        <p className="workspace__offline" role="status">
          {t('workspace.offline', { time: dateFormat.format(entry.fetchedAt ?? entry.lastOpened) })}
        </p>
      ) : problem === 'replaced' || problem === 'refused' ? (
        <p className="error" role="alert">
          {t(`workspace.problem.${problem}`)}
        </p>
      ) : null}
      {workspace.libraries.length > 0 ? (
        <p className="workspace__libraries">
          {workspace.libraries
            .map((l) => (l.place ? `${l.name} (${l.place})` : l.name))
            .join(' · ')}
        </p>
      ) : null}

      <section className="workspace__create">
        <CreateForm
          label={t('workspace.newFlashbook')}
          placeholder={t('home.newTitlePlaceholder')}
          value={title}
          onChange={setTitle}
          onSubmit={(title) => void create({ title })}
          submitLabel={t('home.create')}
          busy={busy}
          primary
        />
        <details className="workspace__templates">
          <summary>{t('workspace.templates')}</summary>
          <Suspense fallback={<p className="field__hint">{t('common.loading')}</p>}>
            <TemplateGallery
              language={language}
              busy={busy}
              onChoose={(id) => void create({ template: id, language })}
            />
          </Suspense>
          <button type="button" disabled={busy} onClick={() => void create({ template: 'demo' })}>
            {t('workspace.templateDemo')}
          </button>
        </details>
        <p className="field__hint">{t('workspace.brandApplied')}</p>
      </section>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}

      <div className="workspace__tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'active'}
          onClick={() => setTab('active')}
        >
          {t('workspace.tabActive', { count: active.length })}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'archived'}
          onClick={() => setTab('archived')}
        >
          {t('workspace.tabArchived', { count: archived.length })}
        </button>
      </div>

      <div className="workspace__filters" role="search">
        <TextField
          label={t('workspace.search')}
          type="search"
          value={filter.query}
          onChange={(query) => setFilter({ ...filter, query })}
        />
        <SelectField
          label={t('workspace.filterLibrary')}
          value={filter.library}
          options={allOr(t('workspace.allLibraries'), libraries)}
          onChange={(library) => setFilter({ ...filter, library })}
        />
        <SelectField
          label={t('workspace.filterStatus')}
          value={filter.status}
          options={STATUSES.map((s) => ({ value: s, label: t(`workspace.status.${s}`) }))}
          onChange={(status) =>
            setFilter({ ...filter, status: status as WorkspaceFilter['status'] })
          }
        />
        <SelectField
          label={t('workspace.filterDate')}
          value={filter.days}
          options={[0, 7, 30, 365].map((d) => ({
            value: d,
            label: d === 0 ? t('workspace.anyTime') : t('workspace.withinDays', { count: d }),
          }))}
          onChange={(days) => setFilter({ ...filter, days: Number(days) })}
        />
      </div>

      {tab === 'active' && local.length > 0 ? (
        <ul className="workspace__pending">
          {local.map((r) => (
            <li key={r.id}>
              <AppLink href={flashbookUrl(r.id, '')}>{r.title || t('home.untitled')}</AppLink>{' '}
              <span className="field__hint">{t('workspace.joinsLater')}</span>
            </li>
          ))}
        </ul>
      ) : null}

      {shown.length === 0 ? (
        <p className="workspace__empty">
          {flashbooks.length === 0
            ? t('workspace.empty')
            : tab === 'archived' && archived.length === 0
              ? t('workspace.noArchived')
              : t('workspace.noMatch')}
        </p>
      ) : (
        <ul className="workspace__grid" aria-label={t('workspace.listLabel')}>
          {shown.map((f) => (
            <FlashbookCard
              key={f.id}
              f={f}
              assets={assets}
              isAdmin={isAdmin}
              lastChange={dateFormat.format(f.updatedAt)}
              onOpen={() => void open(f)}
              onArchive={() => setConfirm({ kind: 'archive', f })}
              onRestore={() => void act('restore', f)}
              onDelete={() => setConfirm({ kind: 'delete', f })}
            />
          ))}
        </ul>
      )}
      {confirm ? (
        <Confirm
          title={
            confirm.kind === 'archive'
              ? t('workspace.archiveTitle', { title: confirm.f.title })
              : t('workspace.deleteTitle', { title: confirm.f.title })
          }
          text={confirm.kind === 'archive' ? t('workspace.archiveText') : t('workspace.deleteText')}
          action={
            confirm.kind === 'archive' ? t('workspace.archive') : t('workspace.deleteForGood')
          }
          danger={confirm.kind === 'delete'}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const c = confirm;
            setConfirm(null);
            void act(c.kind, c.f);
          }}
        />
      ) : null}
    </main>
  );
}

function Confirm({
  title,
  text,
  action,
  danger,
  onCancel,
  onConfirm,
}: {
  title: string;
  text: string;
  action: string;
  danger?: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog title={title} onClose={onCancel}>
      <p>{text}</p>
      <div className="workspace__confirm">
        <button type="button" onClick={onCancel}>
          {t('workspace.cancel')}
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>
          {action}
        </button>
      </div>
    </Dialog>
  );
}

const THUMB_WIDTH = 132;

function FlashbookCard({
  f,
  assets,
  isAdmin,
  lastChange,
  onOpen,
  onArchive,
  onRestore,
  onDelete,
}: {
  f: WorkspaceFlashbook;
  assets: WorkspaceAssets;
  isAdmin: boolean;
  lastChange: string;
  onOpen: () => void;
  onArchive: () => void;
  onRestore: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const cover = f.cover;
  if (cover) {
    for (const assetId of slideAssetIds(cover.slide, cover.design)) {
      assets.owner(assetId, f.id, f.editToken);
    }
  }
  const s = f.statuses;
  const posts = s.draft + s.review + s.approved;
  const title = f.title || t('home.untitled');
  return (
    <li className="ws-card">
      <div className="ws-card__cover" aria-hidden="true">
        {cover ? (
          <BrowserSlides assets={assets}>
            <Slide
              slide={cover.slide}
              format={cover.format}
              width={THUMB_WIDTH}
              flashbookTitle={f.title}
              design={cover.design}
            />
          </BrowserSlides>
        ) : null}
      </div>
      <div className="ws-card__body">
        <h3 className="ws-card__title">
          {f.editToken && !f.archived ? (
            <a
              href={flashbookUrl(f.id, f.editToken)}
              onClick={(e) => {
                e.preventDefault();
                onOpen();
              }}
            >
              {title}
            </a>
          ) : (
            title
          )}
        </h3>
        {f.libraries.length > 0 ? (
          <p className="ws-card__libraries">{f.libraries.join(', ')}</p>
        ) : null}
        <p className="ws-card__meta">{t('workspace.lastChange', { time: lastChange })}</p>
        <div className="ws-card__progress" title={t('workspace.progressTitle')}>
          <progress
            max={Math.max(posts, 1)}
            value={s.approved}
            aria-label={t('workspace.progressTitle')}
          />
          <span>{t('workspace.progress', { approved: s.approved, posts, review: s.review })}</span>
        </div>
        <p className="ws-card__meta">
          {f.published ? (
            <a href={f.exhibitionUrl} target="_blank" rel="noreferrer">
              {t('workspace.published')}
            </a>
          ) : (
            t('workspace.notPublished')
          )}
        </p>
        {f.links ? <Links f={f} /> : null}
        <div className="ws-card__actions">
          {f.archived ? (
            <>
              <button
                type="button"
                aria-label={t('workspace.restoreLabel', { title })}
                onClick={onRestore}
              >
                {t('workspace.restore')}
              </button>
              {isAdmin ? (
                <button type="button" className="danger" onClick={onDelete}>
                  {t('workspace.deleteForGood')}
                </button>
              ) : null}
            </>
          ) : (
            <button
              type="button"
              className="link"
              aria-label={t('workspace.archiveLabel', { title })}
              onClick={onArchive}
            >
              {t('workspace.archive')}
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

/** The flashbook's links the bearer may see: members the edit link, admins every role's. */
function Links({ f }: { f: WorkspaceFlashbook }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const entries = (['edit', 'approve', 'comment', 'view'] as const).flatMap((role) => {
    const url = f.links?.[role];
    return url ? [{ role, url: new URL(url, location.origin).href }] : [];
  });
  if (entries.length === 0) return null;
  return (
    <details className="ws-card__links">
      <summary>{t('workspace.links')}</summary>
      <ul>
        {entries.map(({ role, url }) => (
          <li key={role}>
            <span>{t(`workspace.linkRole.${role}`)}</span>
            <input
              className="field__input"
              readOnly
              value={url}
              aria-label={t(`workspace.linkRole.${role}`)}
            />
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(url).then(() => {
                  setCopied(role);
                  clearTimeout(timer.current);
                  timer.current = setTimeout(() => setCopied(null), 2000);
                });
              }}
            >
              {copied === role ? t('workspace.copied') : t('workspace.copy')}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
