import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getAccess } from '../../app/api.ts';
import { navigate } from '../../app/router.ts';
import { db, rememberFlashbook } from '../../local/db.ts';
import { FORMAT_IDS, isFormat } from '../../model/instagram.ts';
import { setFormat } from '../../model/flashbook.ts';
import { SessionContext, useSession, useSessionState } from '../../session/hooks.ts';
import { FlashbookSession, type Role, type User } from '../../session/session.ts';
import { SharedTextField } from '../common/SharedTextField.tsx';
import { LanguageSelect } from '../common/LanguageSelect.tsx';
import { Canvas } from './Canvas.tsx';
import { Inspector } from './Inspector.tsx';
import { ConnectionBadge, PresenceList } from './Presence.tsx';
import { ShareDialog } from './ShareDialog.tsx';
import { Sidebar } from './Sidebar.tsx';

type Access = { role: Role; token: string; viewToken: string | null };

/** Opens a flashbook from its link: checks the token, then connects and shows the editor. */
export function EditorPage({ id, token, user }: { id: string; token: string | null; user: User }) {
  const { t } = useTranslation();
  const [access, setAccess] = useState<Access | { error: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const known = await db.recent.get(id);
      const tok = token ?? known?.token ?? null;
      if (!tok) {
        if (!cancelled) setAccess({ error: t('open.noToken') });
        return;
      }
      try {
        const a = await getAccess(id, tok);
        if (!cancelled)
          setAccess({
            role: a.role,
            token: tok,
            viewToken: a.viewToken ?? (a.role === 'view' ? tok : null),
          });
        await rememberFlashbook({ id, token: tok, role: a.role, title: known?.title ?? '' });
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        if (status === 0 && known) {
          // The server cannot be reached: open with what this browser knew; sync resumes later.
          if (!cancelled)
            setAccess({
              role: known.role,
              token: known.token,
              viewToken: known.role === 'view' ? known.token : null,
            });
        } else if (!cancelled) {
          setAccess({
            error:
              status === 404
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
    };
  }, [id, token, t]);

  if (!access) return <p className="page-message">{t('common.loading')}</p>;
  if ('error' in access) return <OpenError message={access.error} />;
  return <OpenFlashbook key={`${id}:${access.token}`} id={id} access={access} user={user} />;
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

function OpenFlashbook({ id, access, user }: { id: string; access: Access; user: User }) {
  const { t } = useTranslation();
  const [session, setSession] = useState<FlashbookSession | null>(null);
  const userRef = useRef(user);
  userRef.current = user;
  useEffect(() => {
    const s = new FlashbookSession({
      id,
      token: access.token,
      role: access.role,
      user: userRef.current,
    });
    setSession(s);
    return () => s.destroy();
  }, [id, access.token, access.role]);
  // A changed name or library is shown to others at once, without reconnecting.
  useEffect(() => session?.setUser(user), [session, user]);
  if (!session) return <p className="page-message">{t('common.loading')}</p>;
  return (
    <SessionContext.Provider value={session}>
      <Editor access={access} user={user} />
    </SessionContext.Provider>
  );
}

function Editor({ access, user }: { access: Access; user: User }) {
  const { t } = useTranslation();
  const session = useSession();
  const loaded = useSessionState((s) => s.loaded);
  const refusal = useSessionState((s) => s.refusal);
  const view = useSessionState((s) => s.view);
  const selectedId = useSessionState((s) => s.selectedSlideId);
  const canUndo = useSessionState((s) => s.canUndo);
  const canRedo = useSessionState((s) => s.canRedo);
  const [sharing, setSharing] = useState(false);
  const readOnly = access.role === 'view';

  useEffect(() => {
    if (view.title)
      void rememberFlashbook({
        id: session.id,
        token: access.token,
        role: access.role,
        title: view.title,
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

  if (refusal)
    return <OpenError message={t('open.refused', { reason: refusal.reason || refusal.code })} />;
  if (!loaded) return <p className="page-message">{t('common.loading')}</p>;

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
        <ConnectionBadge />
        <PresenceList me={user} />
        <button type="button" onClick={() => setSharing(true)}>
          {t('share.open')}
        </button>
        <LanguageSelect />
      </header>
      <div className="editor__body">
        <Sidebar library={user.library} />
        <Canvas slide={slide} format={view.format} title={view.title} />
        {slide ? (
          <Inspector key={slide.id} slide={slide} user={user} />
        ) : (
          <aside className="inspector" />
        )}
      </div>
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
