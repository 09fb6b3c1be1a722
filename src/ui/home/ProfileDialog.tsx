import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../session/session.ts';
import '../common/Dialog.css';

export const USER_COLORS = [
  '#c0392b',
  '#2e86c1',
  '#229954',
  '#b9770e',
  '#7d3c98',
  '#17a589',
  '#ca6f1e',
  '#2c3e50',
];

/** Asks who the user is (name and library), shown to colleagues next to their edits. */
export function ProfileDialog({
  initial,
  onSave,
  onCancel,
}: {
  initial?: User;
  onSave: (u: User) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(initial?.name ?? '');
  const [library, setLibrary] = useState(initial?.library ?? '');
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const color =
      initial?.color ?? USER_COLORS[Math.floor(Math.random() * USER_COLORS.length)] ?? '#2e86c1';
    onSave({ name: name.trim(), library: library.trim(), color });
  };
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="profile-title"
      onCancel={(e) => {
        // Without a name the user cannot be shown to colleagues: the first visit must answer.
        if (!onCancel) e.preventDefault();
      }}
      onClose={onCancel}
    >
      <form onSubmit={submit}>
        <h2 id="profile-title">{t('profile.title')}</h2>
        <p>{t('profile.intro')}</p>
        <label className="field">
          <span className="field__label">{t('profile.name')}</span>
          <input
            className="field__input"
            required
            maxLength={80}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field">
          <span className="field__label">{t('profile.library')}</span>
          <input
            className="field__input"
            maxLength={120}
            value={library}
            onChange={(e) => setLibrary(e.target.value)}
          />
        </label>
        <div className="dialog__buttons">
          {onCancel ? (
            <button type="button" onClick={() => ref.current?.close()}>
              {t('common.cancel')}
            </button>
          ) : null}
          <button type="submit" className="primary">
            {t('profile.save')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
