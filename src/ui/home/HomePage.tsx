import { Suspense, lazy, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createFlashbook } from '../../session/api.ts';
import {
  CreateForm,
  createAndOpen,
  createErrorMessage,
  type CreateRequest,
} from '../common/createFlow.tsx';
import { flashbookUrl, navigate } from '../router.ts';
import {
  listRecent,
  listWorkspaces,
  rememberFlashbook,
  rememberWorkspace,
  strongestLink,
  type CachedWorkspace,
  type RecentFlashbook,
} from '../../local/db.ts';
import {
  deviceOnlyWork,
  forgetWithUndo,
  nothingToLose,
  undoForget,
  type ForgottenFlashbook,
} from '../../local/forget.ts';
import { createWorkspace } from '../../session/workspaces.ts';
import { workspaceUrl } from '../router.ts';
import { createOfflineFlashbook, createdLinks, onRegistered } from '../../session/registration.ts';
import { LanguageSelect } from '../common/LanguageSelect.tsx';
import { AppLink } from '../common/AppLink.tsx';
import { isTemplateLanguage, type TemplateLanguage } from '../../model/templates.ts';
import './home.css';

// The template cards render slides (the slide layer, its fonts): loaded after the page shows.
const TemplateGallery = lazy(() =>
  import('./TemplateGallery.tsx').then((m) => ({ default: m.TemplateGallery })),
);

/** Start page: create a flashbook, or reopen one this browser has opened before. */
export function HomePage({
  onEditProfile,
  userName,
}: {
  onEditProfile: () => void;
  userName: string;
}) {
  const { t, i18n } = useTranslation();
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [recent, setRecent] = useState<RecentFlashbook[] | null>(null);
  const [workspaces, setWorkspaces] = useState<CachedWorkspace[]>([]);
  const [wsName, setWsName] = useState('');
  const [forgotten, setForgotten] = useState<{ f: ForgottenFlashbook; title: string } | null>(null);

  useEffect(() => {
    void listRecent().then(setRecent);
    void listWorkspaces().then(setWorkspaces);
    // A flashbook created offline that just reached the server now has its links.
    return onRegistered(() => void listRecent().then(setRecent));
  }, []);

  const language: TemplateLanguage = isTemplateLanguage(i18n.resolvedLanguage)
    ? i18n.resolvedLanguage
    : 'ru';

  const open = async (what: CreateRequest) => {
    setBusy(true);
    setError(null);
    const problem = await createAndOpen(
      what,
      t,
      async (what, title) => {
        const created = await createFlashbook(what);
        // The creator keeps every link, the approve link among them, and opens with the strongest.
        const tokens = createdLinks(created);
        const best = strongestLink(tokens) ?? { role: 'edit' as const, token: created.editToken };
        await rememberFlashbook({
          id: created.id,
          token: best.token,
          role: best.role,
          tokens,
          title,
        });
        // The address bar shows the edit link (what a creator might copy for colleagues); the
        // flashbook still opens with the approve link this browser now knows.
        return flashbookUrl(created.id, created.editToken || best.token);
      },
      createOfflineFlashbook,
    );
    if (problem !== null) {
      setError(problem);
      setBusy(false);
    }
  };

  // Removing always asks first, and says so plainly when this device holds something the server
  // does not; once removed, "Undo" puts everything back as it was.
  const forget = async (r: RecentFlashbook) => {
    const work = await deviceOnlyWork(r.id);
    const title = r.title || t('home.untitled');
    const what = nothingToLose(work)
      ? t('home.forgetConfirm', { title })
      : work.localOnly
        ? t('home.forgetLocalOnly', { title })
        : t('home.forgetUnconfirmed', {
            title,
            count: work.unconfirmedChanges + work.unsentImages,
          });
    if (!window.confirm(what)) return;
    const f = await forgetWithUndo(r.id);
    setForgotten({ f, title });
    setRecent(await listRecent());
  };

  const undo = async () => {
    if (!forgotten) return;
    setForgotten(null);
    await undoForget(forgotten.f).catch(() => undefined);
    setRecent(await listRecent());
  };

  const newWorkspace = async (name: string) => {
    setBusy(true);
    setError(null);
    try {
      const created = await createWorkspace(name);
      await rememberWorkspace({ id: created.id, token: created.adminToken, role: 'admin' });
      navigate(workspaceUrl(created.id, created.adminToken));
    } catch (err) {
      setError(createErrorMessage(err, t, 'home.createWorkspaceFailed'));
      setBusy(false);
    }
  };

  const demo = (
    <button type="button" disabled={busy} onClick={() => void open({ template: 'demo' })}>
      {t('home.openDemo')}
    </button>
  );

  const dateFormat = new Intl.DateTimeFormat(i18n.resolvedLanguage, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  return (
    <main className="home">
      <header className="home__header">
        <h1>Flashbook Studio</h1>
        <span className="toolbar__spacer" />
        <button type="button" onClick={onEditProfile}>
          {t('profile.edit', { name: userName })}
        </button>
        <LanguageSelect />
      </header>
      <p className="home__lead">{t('home.lead')}</p>
      <CreateForm
        className="home__create"
        label={t('home.newTitle')}
        placeholder={t('home.newTitlePlaceholder')}
        value={title}
        onChange={setTitle}
        onSubmit={(title) => void open({ title })}
        submitLabel={t('home.create')}
        busy={busy}
        primary
      />
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <section aria-labelledby="templates-title">
        <h2 id="templates-title">{t('templates.title')}</h2>
        <p className="home__lead">{t('templates.lead')}</p>
        <Suspense fallback={<p className="field__hint">{t('common.loading')}</p>}>
          <TemplateGallery
            language={language}
            busy={busy}
            onChoose={(id) => void open({ template: id, language })}
          />
        </Suspense>
      </section>
      <section aria-labelledby="workspaces-title" className="home__workspaces">
        <h2 id="workspaces-title">{t('home.workspaces')}</h2>
        {workspaces.length > 0 ? (
          <ul className="recent">
            {workspaces.map((w) => (
              <li key={w.id} className="recent__item">
                <AppLink href={workspaceUrl(w.id, w.token)}>
                  {w.workspace?.name ?? t('home.untitledWorkspace')}
                </AppLink>
                <span className="recent__meta">
                  {w.role === 'admin' ? t('workspace.roleAdmin') : t('workspace.roleMember')}
                  {w.flashbooks
                    ? ` · ${t('home.workspaceCount', { count: w.flashbooks.filter((f) => !f.archived).length })}`
                    : ''}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="home__lead">{t('home.workspacesLead')}</p>
        )}
        <CreateForm
          className="home__create"
          label={t('home.newWorkspace')}
          placeholder={t('home.newWorkspacePlaceholder')}
          value={wsName}
          onChange={setWsName}
          onSubmit={(name) => void newWorkspace(name)}
          submitLabel={t('home.createWorkspace')}
          busy={busy}
        />
      </section>
      {forgotten ? (
        <p className="home__undo" role="status">
          {t('home.forgotten', { title: forgotten.title })}{' '}
          <button type="button" onClick={() => void undo()}>
            {t('common.undo')}
          </button>
        </p>
      ) : null}
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t('home.recent')}</h2>
        {recent === null ? null : recent.length === 0 ? (
          <div className="home__demo">
            <p>{t('home.noRecent')}</p>
            <p>{t('home.demoLead')}</p>
            {demo}
          </div>
        ) : (
          <ul className="recent">
            {recent.map((r) => (
              <li key={r.id} className="recent__item">
                <AppLink href={flashbookUrl(r.id, addressToken(r))}>
                  {r.title || t('home.untitled')}
                </AppLink>
                <span className="recent__meta">
                  {r.localOnly ? t('home.onThisDevice') : t(`home.can.${r.role}`)} ·{' '}
                  {dateFormat.format(r.lastOpened)}
                </span>
                <button
                  type="button"
                  className="link"
                  aria-label={t('home.forget', { title: r.title || t('home.untitled') })}
                  onClick={() => void forget(r)}
                >
                  {t('home.forgetShort')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {recent && recent.length > 0 ? <p className="home__demo-again">{demo}</p> : null}
    </main>
  );
}

/**
 * The token shown in the address bar: an approver's edit link when this browser knows it (the
 * address is what people copy), the flashbook opening with the strongest link it knows anyway.
 */
function addressToken(r: RecentFlashbook): string {
  return (r.role === 'approve' && r.tokens?.edit) || r.token;
}
