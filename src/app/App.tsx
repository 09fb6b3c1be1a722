import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadProfile, saveProfile } from '../local/db.ts';
import type { User } from '../session/session.ts';
import { EditorPage } from '../ui/editor/EditorPage.tsx';
import { HomePage } from '../ui/home/HomePage.tsx';
import { ProfileDialog } from '../ui/home/ProfileDialog.tsx';
import { registerPending } from '../session/registration.ts';
import { useRoute } from './router.ts';

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
    const register = () =>
      void registerPending(new URLSearchParams(location.search).get('invite') ?? undefined);
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
  if (user === null) return <ProfileDialog onSave={save} />;
  return (
    <>
      {route.page === 'flashbook' ? (
        <EditorPage id={route.id} token={route.token} user={user} />
      ) : (
        <HomePage userName={user.name} onEditProfile={() => setEditing(true)} />
      )}
      {editing ? (
        <ProfileDialog initial={user} onSave={save} onCancel={() => setEditing(false)} />
      ) : null}
    </>
  );
}
