import { Suspense, lazy, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getAccess, type Access as ApiAccess } from '../../session/api.ts';
import { ROLES, roleCanComment, roleCanEdit } from '../../protocol/roles.ts';
import { useFlashbookAssets } from '../../assets/useFlashbookAssets.ts';
import { navigate } from '../router.ts';
import { forgetToken, knownFlashbook, rememberFlashbook, strongestLink } from '../../local/db.ts';
import { onRegistered, registerPending } from '../../session/registration.ts';
import { FORMAT_IDS, isFormat } from '../../model/instagram.ts';
import { setFormat } from '../../model/flashbook.ts';
import { SessionContext, useSession, useSessionState } from '../../session/hooks.ts';
import { FlashbookSession, refusalKind, type Role, type User } from '../../session/session.ts';
import { SharedTextField } from '../common/SharedTextField.tsx';
import { LanguageSelect } from '../common/LanguageSelect.tsx';
import { LazyImportDialog } from '../import/ImportButton.tsx';
import { BrowserSlides } from '../../slide/browser.tsx';
import { Canvas } from './Canvas.tsx';
import { Inspector } from './Inspector.tsx';
import { ConnectionBadge, ConnectionNotices, PresenceList } from './Presence.tsx';
import { ToolbarMenu } from './ToolbarMenu.tsx';
import { PostCaptionPanel } from './PostCaption.tsx';
import { EditorPanelsContext, type EditorPanels } from './panels.ts';
import { SettingsDialog } from './SettingsDialog.tsx';
import { ShareDialog } from './ShareDialog.tsx';
import { PublishDialog } from './PublishDialog.tsx';
import { Sidebar } from './Sidebar.tsx';
import './editor.css';
import { ReaderView } from '../reader/ReaderView.tsx';
import { CommentsButton, CommentsPanel } from '../comments/CommentsPanel.tsx';
import { useCommentsShortcut, useCommentsUi } from '../comments/useCommentsEditor.ts';

// Export pulls in html-to-image and fflate: loaded when the dialog opens, not with the editor.
const ExportDialog = lazy(() => import('../export/ExportDialog.tsx'));
const HistoryPanel = lazy(() => import('../history/HistoryPanel.tsx'));

/**
 * A null token: the flashbook was created offline and is not registered with the server yet.
 * `tokens`: every link this browser knows, by role, for the share dialog.
 */
type Access = {
  role: Role;
  token: string | null;
  tokens: Links;
  /** An editor of a flashbook from before approve links, which may claim that link once. */
  approveUnclaimed?: boolean;
};
type Links = Partial<Record<Role, string>>;
type OpenFailure = { error: string } | { replaced: true };

const rank = (role: Role) => ROLES.indexOf(role);

/** The links an access answer tells, besides the token itself. */
function linksOf(a: ApiAccess, token: string): Links {
  const links: Links = { [a.role]: token };
  if (a.viewToken) links.view = a.viewToken;
  if (a.commentToken) links.comment = a.commentToken;
  return links;
}

/**
 * Opens a flashbook from its link: checks the token, then connects and shows the editor. Without
 * the network it opens what this browser knows (role and token remembered in Dexie, content in
 * the local copy); a flashbook created offline opens without a token and connects once registered.
 * It opens with the strongest link this browser knows: a methodologist who opens a view link of
 * her own flashbook still approves. A replaced link shows the "link replaced" page.
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
  const [access, setAccess] = useState<Access | OpenFailure | null>(null);
  // Bumped when this browser's own link is replaced: the session reconnects with the new token.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const set = (a: Access | OpenFailure) => {
      if (!cancelled) setAccess(a);
    };
    const stopListening = onRegistered((entry) => {
      if (entry.id !== id) return;
      set({ role: entry.role, token: entry.token, tokens: entry.tokens ?? {} });
      // The other links of the new flashbook, for the share dialog.
      void getAccess(id, entry.token)
        .then((a) =>
          set({
            role: entry.role,
            token: entry.token,
            tokens: { ...entry.tokens, ...linksOf(a, entry.token), [entry.role]: entry.token },
          }),
        )
        .catch(() => undefined);
    });
    void (async () => {
      const known = await knownFlashbook(id);
      if (known?.localOnly) {
        set({ role: 'edit', token: null, tokens: {} });
        void registerPending();
        return;
      }
      const knownTokens: Links = { ...known?.tokens };
      if (known?.token && !knownTokens[known.role]) knownTokens[known.role] = known.token;
      const best = strongestLink(knownTokens);
      const first = token ?? best?.token ?? null;
      if (!first) return set({ error: t('open.noToken') });
      let opened: { a: ApiAccess; token: string } | null = null;
      let failure: unknown = null;
      try {
        opened = { a: await getAccess(id, first), token: first };
      } catch (e) {
        failure = e;
      }
      // A stronger link this browser knows wins over the one in the address.
      if (best && best.token !== first && (!opened || rank(best.role) > rank(opened.a.role))) {
        try {
          const a = await getAccess(id, best.token);
          if (!opened || rank(a.role) > rank(opened.a.role)) opened = { a, token: best.token };
        } catch (e) {
          if (e instanceof ApiError && (e.linkReplaced || e.status === 401))
            await forgetToken(id, best.role, best.token);
          else if (!opened && !(failure instanceof ApiError && failure.status !== 0)) failure = e;
        }
      }
      if (opened) {
        const { a, token: tok } = opened;
        const tokens = { ...knownTokens, ...linksOf(a, tok) };
        set({ role: a.role, token: tok, tokens, approveUnclaimed: a.approveUnclaimed === true });
        await rememberFlashbook({
          id,
          token: tok,
          role: a.role,
          tokens,
          title: known?.title ?? '',
        });
        return;
      }
      const status = failure instanceof ApiError ? failure.status : 0;
      if (status === 0 && known) {
        // The server cannot be reached: open with what this browser knew; sync resumes later.
        set({ role: known.role, token: known.token, tokens: knownTokens });
      } else if (failure instanceof ApiError && failure.linkReplaced) {
        set({ replaced: true });
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
    })();
    return () => {
      cancelled = true;
      stopListening();
    };
  }, [id, token, t]);

  if (!access) return <p className="page-message">{t('common.loading')}</p>;
  if ('replaced' in access) return <LinkReplaced />;
  if ('error' in access) return <OpenError message={access.error} />;
  if (roleCanComment(access.role) && profilePrompt) return profilePrompt;
  const onLinkReplaced = (role: Role, newToken: string) => {
    const tokens = { ...access.tokens, [role]: newToken };
    // This tab's own link, or a stronger one it just claimed: it continues with the new token.
    const own = role === access.role || rank(role) > rank(access.role);
    setAccess({
      ...access,
      tokens,
      role: own ? role : access.role,
      token: own ? newToken : access.token,
      approveUnclaimed: role === 'approve' ? false : access.approveUnclaimed,
    });
    void rememberFlashbook({ id, role, token: newToken, tokens, title: '' });
    // The server closed this tab's own connection with the old token: connect with the new one.
    if (own) setGeneration((g) => g + 1);
  };
  return (
    <OpenFlashbook
      key={`${id}:${generation}`}
      id={id}
      access={access}
      user={user}
      reader={!roleCanComment(access.role) && !editorMode}
      onLinkReplaced={onLinkReplaced}
    />
  );
}

/** What an old link shows once the flashbook's approver replaced it. */
export function LinkReplaced() {
  const { t } = useTranslation();
  return (
    <main className="page-message link-replaced" role="alert">
      <h1>{t('open.replacedTitle')}</h1>
      <p>{t('open.replacedBody')}</p>
      <p>{t('open.replacedKept')}</p>
      <button type="button" onClick={() => navigate('/')}>
        {t('common.home')}
      </button>
    </main>
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
  onLinkReplaced,
}: {
  id: string;
  access: Access;
  user: User;
  reader: boolean;
  onLinkReplaced: (role: Role, token: string) => void;
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
          <Editor access={access} user={user} onLinkReplaced={onLinkReplaced} />
        )}
      </BrowserSlides>
    </SessionContext.Provider>
  );
}

function Editor({
  access,
  user,
  onLinkReplaced,
}: {
  access: Access;
  user: User;
  onLinkReplaced: (role: Role, token: string) => void;
}) {
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
  const [importing, setImporting] = useState(false);
  const [captionPostId, setCaptionPostId] = useState<string | null>(null);
  const panels = useMemo<EditorPanels>(
    () => ({
      captionPostId,
      openCaption: (postId) => {
        setSettingsOpen(false);
        setCaptionPostId(postId);
      },
      showSlideForm: () => {
        setSettingsOpen(false);
        setCaptionPostId(null);
      },
    }),
    [captionPostId],
  );
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

  if (refusal && refusalKind(refusal.code) === 'linkReplaced') return <LinkReplaced />;
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
    <EditorPanelsContext.Provider value={panels}>
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
            tooltip={view.title}
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
          <button
            type="button"
            aria-pressed={settingsOpen}
            onClick={() => {
              setCaptionPostId(null);
              setSettingsOpen((o) => !o);
            }}
          >
            {t('settings.open')}
          </button>
          <button type="button" onClick={() => setSharing(true)}>
            {t('share.open')}
          </button>
          <button type="button" onClick={() => setExporting(true)}>
            {t('export.open')}
          </button>
          {/* The less-used actions: the toolbar stays one row in every language at 1366 px. */}
          <ToolbarMenu label={t('toolbar.more')}>
            {(close) => (
              <>
                {readOnly ? null : (
                  <button
                    type="button"
                    onClick={() => {
                      close();
                      setPublishing(true);
                    }}
                  >
                    {t('publish.open')}
                  </button>
                )}
                {readOnly ? null : (
                  <button
                    type="button"
                    onClick={() => {
                      close();
                      setImporting(true);
                    }}
                  >
                    {t('import.open')}
                  </button>
                )}
                {readOnly || !access.token ? null : (
                  <button
                    type="button"
                    onClick={() => {
                      close();
                      setHistoryOpen(true);
                    }}
                  >
                    {t('history.open')}
                  </button>
                )}
                <LanguageSelect />
              </>
            )}
          </ToolbarMenu>
        </header>
        <ConnectionNotices />
        <div className={`editor__body ${commentsOpen ? 'editor__body--comments' : ''}`}>
          <Sidebar library={user.library} color={user.color} />
          <Canvas slide={slide} format={view.format} title={view.title} />
          {settingsOpen ? (
            <SettingsDialog onClose={() => setSettingsOpen(false)} />
          ) : captionPostId ? (
            <PostCaptionPanel
              key={captionPostId}
              postId={captionPostId}
              onClose={() => setCaptionPostId(null)}
            />
          ) : slide ? (
            <Inspector key={slide.id} slide={slide} user={user} />
          ) : (
            <aside className="inspector" />
          )}
          <CommentsPanel user={user} />
        </div>
        {importing ? (
          <LazyImportDialog library={user.library} onClose={() => setImporting(false)} />
        ) : null}
        {exporting ? (
          <Suspense fallback={null}>
            <ExportDialog
              onClose={() => setExporting(false)}
              onShowCaption={(postId) => panels.openCaption(postId)}
            />
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
            role={access.role}
            token={access.token}
            links={access.tokens}
            approveUnclaimed={access.approveUnclaimed === true}
            onReplaced={onLinkReplaced}
            onClose={() => setSharing(false)}
          />
        ) : null}
      </div>
    </EditorPanelsContext.Provider>
  );
}
