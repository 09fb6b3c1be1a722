import { Suspense, lazy, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadProfile, saveProfile } from '../local/db.ts';
import type { User } from '../session/session.ts';
import { HomePage } from '../ui/home/HomePage.tsx';
import { ProfileDialog } from '../ui/home/ProfileDialog.tsx';
import { registerPending } from '../session/registration.ts';
import { useRoute } from '../ui/router.ts';

// The editor (Tiptap, drag and drop, the sync client) is loaded when a flashbook is opened, so the
// home page starts light; the service worker precaches it for offline use all the same.
const WorkspacePage = lazy(() =>
  import('../ui/workspace/WorkspacePage.tsx').then((m) => ({ default: m.WorkspacePage })),
);
const EditorPage = lazy(() =>
  import('../ui/editor/EditorPage.tsx').then((m) => ({ default: m.EditorPage })),
);

export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    void loadProfile().then((p) =>
      setUser(p ? { name: p.name, library: p.library, color: p.color } : null),
    );
    // Flashbooks created offline go to the server as soon as it can be reached.
    const register = () => void registerPending();
    register();
    window.addEventListener('online', register);
    return () => window.removeEventListener('online', register);
  }, []);

  const save = (u: User) => {
    setUser(u);
    setEditing(false);
    void saveProfile(u);
  };

  if (user === undefined) return <p className="page-message">{t('common.loading')}</p>;
  // A reader opening a view link is not asked who they are; an editor is, once the link says so.
  if (user === null && route.page !== 'flashbook') return <ProfileDialog onSave={save} />;
  return (
    <>
      {route.page === 'flashbook' ? (
        <Suspense fallback={<p className="page-message">{t('common.loading')}</p>}>
          <EditorPage
            id={route.id}
            token={route.token}
            editorMode={route.editor}
            user={user ?? { name: t('reader.anonymous'), library: '', color: '#5f6b7a' }}
            profilePrompt={user === null ? <ProfileDialog onSave={save} /> : null}
          />
        </Suspense>
      ) : route.page === 'workspace' ? (
        <Suspense fallback={<p className="page-message">{t('common.loading')}</p>}>
          <WorkspacePage id={route.id} routeToken={route.token} settings={route.settings} />
        </Suspense>
      ) : (
        <HomePage userName={user?.name ?? ''} onEditProfile={() => setEditing(true)} />
      )}
      {editing ? (
        <ProfileDialog
          initial={user ?? undefined}
          onSave={save}
          onCancel={() => setEditing(false)}
        />
      ) : null}
    </>
  );
}
