import { Suspense, lazy, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getAccess } from '../../session/api.ts';
import { useFlashbookAssets } from '../../assets/useFlashbookAssets.ts';
import { navigate } from '../router.ts';
import { db, rememberFlashbook } from '../../local/db.ts';
import { onRegistered, registerPending } from '../../session/registration.ts';
import { FORMAT_IDS, isFormat } from '../../model/instagram.ts';
import { setFormat } from '../../model/flashbook.ts';
import { SessionContext, useSession, useSessionState } from '../../session/hooks.ts';
import { FlashbookSession, refusalKind, type Role, type User } from '../../session/session.ts';
import { SharedTextField } from '../common/SharedTextField.tsx';
import { LanguageSelect } from '../common/LanguageSelect.tsx';
import { ImportButton } from '../import/ImportButton.tsx';
import { BrowserSlides } from '../../slide/browser.tsx';
import { Canvas } from './Canvas.tsx';
import { Inspector } from './Inspector.tsx';
import { ConnectionBadge, PresenceList } from './Presence.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';
import { ShareDialog } from './ShareDialog.tsx';
import { PublishDialog } from './PublishDialog.tsx';
import { Sidebar } from './Sidebar.tsx';
import './editor.css';
import { ReaderView } from '../reader/ReaderView.tsx';
import { roleCanComment, roleCanEdit } from '../../protocol/roles.ts';
import { CommentsButton, CommentsPanel } from '../comments/CommentsPanel.tsx';
import { useCommentsShortcut, useCommentsUi } from '../comments/useCommentsEditor.ts';

// Export pulls in html-to-image and fflate: loaded when the dialog opens, not with the editor.
const ExportDialog = lazy(() => import('../export/ExportDialog.tsx'));
const HistoryPanel = lazy(() => import('../history/HistoryPanel.tsx'));

/** A null token: the flashbook was created offline and is not registered with the server yet. */
type Access = { role: Role; token: string | null; viewToken: string | null };

/**
 * Opens a flashbook from its link: checks the token, then connects and shows the editor. Without
 * the network it opens what this browser knows (role and token remembered in Dexie, content in
 * the local copy); a flashbook created offline opens without a token and connects once registered.
 */
export function EditorPage({
  id,
  token,
  user,
  editorMode = false,
  profilePrompt = null,
}: {
  id: string;
  token: string | null;
  user: User;
  /** A view link opens the reader view unless the read-only editor was asked for. */
  editorMode?: boolean;
  /** Shown instead of the editor to an editor whose name is not known yet. */
  profilePrompt?: ReactNode;
}) {
  const { t } = useTranslation();
  const [access, setAccess] = useState<Access | { error: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    const set = (a: Access | { error: string }) => {
      if (!cancelled) setAccess(a);
    };
    const stopListening = onRegistered((entry) => {
      if (entry.id !== id) return;
      set({ role: 'edit', token: entry.token, viewToken: null });
      // The view link of the new flashbook, for the share dialog.
      void getAccess(id, entry.token)
        .then((a) => set({ role: 'edit', token: entry.token, viewToken: a.viewToken ?? null }))
        .catch(() => undefined);
    });
    void (async () => {
      const known = await db.recent.get(id).catch(() => undefined);
      if (known?.localOnly) {
        set({ role: 'edit', token: null, viewToken: null });
        void registerPending();
        return;
      }
      const tok = token ?? known?.token ?? null;
      if (!tok) return set({ error: t('open.noToken') });
      try {
        const a = await getAccess(id, tok);
        set({
          role: a.role,
          token: tok,
          viewToken: a.viewToken ?? (a.role === 'view' ? tok : null),
        });
        await rememberFlashbook({ id, token: tok, role: a.role, title: known?.title ?? '' });
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        if (status === 0 && known) {
          // The server cannot be reached: open with what this browser knew; sync resumes later.
          set({
            role: known.role,
            token: known.token,
            viewToken: known.role === 'view' ? known.token : null,
          });
        } else {
          set({
            error:
              status === 0
                ? t('open.offlineUnknown')
                : status === 404
                  ? t('open.notFound')
                  : status === 401
                    ? t('open.badToken')
                    : t('open.failed'),
          });
        }
      }
    })();
    return () => {
      cancelled = true;
      stopListening();
    };
  }, [id, token, t]);

  if (!access) return <p className="page-message">{t('common.loading')}</p>;
  if ('error' in access) return <OpenError message={access.error} />;
  // Editors and commenters write under their name: asked first.
  if (roleCanComment(access.role) && profilePrompt) return profilePrompt;
  return (
    <OpenFlashbook
      key={id}
      id={id}
      access={access}
      user={user}
      reader={access.role === 'view' && !editorMode}
    />
  );
}

function OpenError({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <main className="page-message" role="alert">
      <p>{message}</p>
      <button type="button" onClick={() => navigate('/')}>
        {t('common.home')}
      </button>
    </main>
  );
}

function OpenFlashbook({
  id,
  access,
  user,
  reader,
}: {
  id: string;
  access: Access;
  user: User;
  reader: boolean;
}) {
  const { t } = useTranslation();
  const [session, setSession] = useState<FlashbookSession | null>(null);
  const userRef = useRef(user);
  userRef.current = user;
  const firstToken = useRef(access.token);
  useEffect(() => {
    const s = new FlashbookSession({
      id,
      token: firstToken.current,
      role: access.role,
      user: userRef.current,
    });
    setSession(s);
    return () => s.destroy();
  }, [id, access.role]);
  // A flashbook created offline gets its token later: the same session connects then.
  useEffect(() => {
    if (session && access.token) session.connect(access.token);
  }, [session, access.token]);
  // A changed name or library is shown to others at once, without reconnecting.
  useEffect(() => session?.setUser(user), [session, user]);
  // The images of this flashbook: cached locally, fetched and uploaded with this token.
  const assets = useFlashbookAssets(id, access.token, access.role);
  if (!session) return <p className="page-message">{t('common.loading')}</p>;
  return (
    <SessionContext.Provider value={session}>
      <BrowserSlides assets={assets}>
        {reader ? (
          <ReaderView id={id} token={access.token} />
        ) : (
          <Editor access={access} user={user} />
        )}
      </BrowserSlides>
    </SessionContext.Provider>
  );
}

function Editor({ access, user }: { access: Access; user: User }) {
  const { t } = useTranslation();
  const session = useSession();
  const loaded = useSessionState((s) => s.loaded);
  const local = useSessionState((s) => s.local);
  const status = useSessionState((s) => s.status);
  const refusal = useSessionState((s) => s.refusal);
  const view = useSessionState((s) => s.view);
  const selectedId = useSessionState((s) => s.selectedSlideId);
  const canUndo = useSessionState((s) => s.canUndo);
  const canRedo = useSessionState((s) => s.canRedo);
  const [sharing, setSharing] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const readOnly = !roleCanEdit(access.role);
  const commentsOpen = useCommentsUi((s) => s.open);
  useCommentsShortcut();

  useEffect(() => {
    if (view.title)
      void rememberFlashbook({
        id: session.id,
        token: access.token,
        role: access.role,
        title: view.title,
        localOnly: access.token === null ? true : undefined,
      });
    document.title = view.title ? `${view.title} — Flashbook Studio` : 'Flashbook Studio';
  }, [view.title, session.id, access.token, access.role]);

  // Ctrl/Cmd+Z outside the rich text editor: the browser's own input undo would fight the shared text.
  useEffect(() => {
    const undo = session.undo;
    if (!undo) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target?.closest('.ProseMirror')) return; // Tiptap handles its own keys, on the same history.
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo.undo();
      } else if (key === 'y' || (key === 'z' && e.shiftKey)) {
        e.preventDefault();
        undo.redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  if (refusal && refusalKind(refusal.code) === 'fatal')
    return <OpenError message={t('open.refused', { reason: refusal.reason || refusal.code })} />;
  if (!loaded) {
    // Offline with nothing of this flashbook on the device: say so rather than load forever.
    if (local !== 'loading' && status === 'offline')
      return <OpenError message={t('open.offlineUnknown')} />;
    return <p className="page-message">{t('common.loading')}</p>;
  }

  const allSlides = [...view.posts.flatMap((p) => p.slides), ...view.orphanSlides];
  const slide = allSlides.find((s) => s.id === selectedId);

  return (
    <div className={`editor ${readOnly ? 'editor--readonly' : ''}`}>
      <header className="toolbar">
        <button
          type="button"
          className="toolbar__home"
          onClick={() => navigate('/')}
          aria-label={t('common.home')}
          title={t('common.home')}
        >
          ⌂
        </button>
        <SharedTextField
          doc={session.doc}
          textRef={{ kind: 'title' }}
          label={t('flashbook.title')}
          hiddenLabel
          readOnly={readOnly}
          className="toolbar__title"
        />
        {readOnly ? <span className="badge">{t('flashbook.readOnly')}</span> : null}
        <label className="field field--inline">
          <span className="field__label">{t('flashbook.format')}</span>
          <select
            className="field__input"
            value={view.format}
            disabled={readOnly}
            onChange={(e) => {
              if (isFormat(e.target.value)) setFormat(session.doc, e.target.value);
            }}
          >
            {FORMAT_IDS.map((f) => (
              <option key={f} value={f}>
                {t(`format.${f.replace(':', 'x')}`)}
              </option>
            ))}
          </select>
        </label>
        {readOnly ? null : (
          <>
            <button
              type="button"
              disabled={!canUndo}
              onClick={() => session.undo?.undo()}
              aria-label={t('common.undo')}
              title={t('common.undo')}
            >
              ↶
            </button>
            <button
              type="button"
              disabled={!canRedo}
              onClick={() => session.undo?.redo()}
              aria-label={t('common.redo')}
              title={t('common.redo')}
            >
              ↷
            </button>
          </>
        )}
        <span className="toolbar__spacer" />
        <CommentsButton />
        <ConnectionBadge />
        <PresenceList me={user} />
        <button type="button" onClick={() => setSettingsOpen(true)}>
          {t('settings.open')}
        </button>
        {readOnly ? null : <ImportButton library={user.library} />}
        {readOnly || !access.token ? null : (
          <button type="button" onClick={() => setHistoryOpen(true)}>
            {t('history.open')}
          </button>
        )}
        <button type="button" onClick={() => setSharing(true)}>
          {t('share.open')}
        </button>
        <button type="button" onClick={() => setExporting(true)}>
          {t('export.open')}
        </button>
        {readOnly ? null : (
          <button type="button" onClick={() => setPublishing(true)}>
            {t('publish.open')}
          </button>
        )}
        <LanguageSelect />
      </header>
      <div className={`editor__body ${commentsOpen ? 'editor__body--comments' : ''}`}>
        <Sidebar library={user.library} />
        <Canvas slide={slide} format={view.format} title={view.title} />
        {slide ? (
          <Inspector key={slide.id} slide={slide} user={user} />
        ) : (
          <aside className="inspector" />
        )}
        <CommentsPanel user={user} />
      </div>
      {settingsOpen ? <SettingsDialog onClose={() => setSettingsOpen(false)} /> : null}
      {exporting ? (
        <Suspense fallback={null}>
          <ExportDialog onClose={() => setExporting(false)} />
        </Suspense>
      ) : null}
      {historyOpen && access.token ? (
        <Suspense fallback={null}>
          <HistoryPanel token={access.token} onClose={() => setHistoryOpen(false)} />
        </Suspense>
      ) : null}
      {publishing ? (
        <PublishDialog
          id={session.id}
          token={access.token}
          readOnly={readOnly}
          onClose={() => setPublishing(false)}
        />
      ) : null}
      {sharing ? (
        <ShareDialog
          id={session.id}
          editToken={access.role === 'edit' ? access.token : null}
          viewToken={access.viewToken}
          onClose={() => setSharing(false)}
        />
      ) : null}
    </div>
  );
}
