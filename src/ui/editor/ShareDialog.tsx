import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { flashbookUrl } from '../router.ts';
import { Dialog } from '../common/Dialog.tsx';

/** The links to give to colleagues: the edit link (editors only) and the read-only view link. */
export function ShareDialog(props: {
  id: string;
  editToken: string | null;
  viewToken: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const links = [
    props.editToken
      ? {
          key: 'edit',
          label: t('share.editLink'),
          hint: t('share.editHint'),
          token: props.editToken,
        }
      : null,
    props.viewToken
      ? {
          key: 'view',
          label: t('share.viewLink'),
          hint: t('share.viewHint'),
          token: props.viewToken,
        }
      : null,
  ].filter((l) => l !== null);
  return (
    <Dialog title={t('share.title')} onClose={props.onClose}>
      {links.length === 0 ? <p>{t('share.notYet')}</p> : null}
      {links.map((l) => (
        <CopyField
          key={l.key}
          label={l.label}
          hint={l.hint}
          value={new URL(flashbookUrl(props.id, l.token), location.origin).href}
        />
      ))}
    </Dialog>
  );
}

function CopyField({ label, hint, value }: { label: string; hint: string; value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label className="field">
        <span className="field__label">{label}</span>
        <input className="field__input" readOnly value={value} onFocus={(e) => e.target.select()} />
      </label>
      <p className="field__hint">{hint}</p>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true));
        }}
      >
        {copied ? t('share.copied') : t('share.copy', { what: label })}
      </button>
    </div>
  );
}
