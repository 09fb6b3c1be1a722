import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roleCanEdit, type Role } from '../../protocol/roles.ts';
import { ApiError, replaceToken } from '../../session/api.ts';
import { flashbookUrl } from '../router.ts';
import { Dialog } from '../common/Dialog.tsx';
import { canReplaceLinks, shareableRoles } from './review.ts';
import './review.css';

/**
 * The links to give to colleagues, by role, each explained in plain words: who should get which.
 * A holder sees only the links its role may share (review.ts `shareableRoles`); an approver may
 * replace a link, after a confirmation, when it leaked: the old one stops working at once.
 */
export function ShareDialog(props: {
  id: string;
  /** The role and token of this browser's own link. */
  role: Role;
  token: string | null;
  /** Every link this browser knows, by role. */
  links: Partial<Record<Role, string>>;
  /** A flashbook from before approve links: an editor may claim its approve link once. */
  approveUnclaimed?: boolean;
  onReplaced: (role: Role, token: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const replacer = canReplaceLinks(props.role) && props.token !== null;
  const roles = shareableRoles(props.role).filter((r) => props.links[r] || replacer);
  const [replaced, setReplaced] = useState<Role | null>(null);
  return (
    <Dialog title={t('share.title')} onClose={props.onClose} wide>
      {props.token === null ? (
        <p>{t('share.notYet')}</p>
      ) : roles.length === 0 ? (
        <p>{t('share.nothingToShare')}</p>
      ) : (
        <p>{t('share.intro')}</p>
      )}
      {props.approveUnclaimed && props.token && roleCanEdit(props.role) ? (
        <ClaimApprove
          id={props.id}
          token={props.token}
          onClaimed={(token) => props.onReplaced('approve', token)}
        />
      ) : null}
      {props.token === null
        ? null
        : roles.map((role) => (
            <LinkRow
              key={role}
              id={props.id}
              role={role}
              token={props.links[role]}
              approveToken={replacer ? props.token : null}
              justReplaced={replaced === role}
              onReplaced={(token) => {
                setReplaced(role);
                props.onReplaced(role, token);
              }}
            />
          ))}
    </Dialog>
  );
}

function LinkRow(props: {
  id: string;
  role: Role;
  token: string | undefined;
  /** Set when this browser may replace links (its own approve token). */
  approveToken: string | null;
  justReplaced: boolean;
  onReplaced: (token: string) => void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const label = t(`share.link.${props.role}`);
  const value = props.token
    ? new URL(flashbookUrl(props.id, props.token), location.origin).href
    : '';

  const replace = async () => {
    if (!props.approveToken) return;
    setBusy(true);
    setError('');
    try {
      const answer = await replaceToken(props.id, props.role, props.approveToken);
      setConfirming(false);
      props.onReplaced(answer.token);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 0
          ? t('share.replaceOffline')
          : e instanceof ApiError && e.status === 403
            ? t('share.replaceForbidden')
            : t('share.replaceFailed', { reason: e instanceof Error ? e.message : String(e) }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="share-link" aria-label={label}>
      {value ? (
        <CopyField key={value} label={label} hint={t(`share.hint.${props.role}`)} value={value} />
      ) : (
        <>
          <p className="field__label">{label}</p>
          <p className="field__hint">{t(`share.hint.${props.role}`)}</p>
        </>
      )}
      {!value ? <p className="field__hint">{t('share.unknown')}</p> : null}
      {props.justReplaced ? (
        <p role="status" className="share-link__replaced">
          {t('share.replacedDone')}
        </p>
      ) : null}
      {props.approveToken && !confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          {t('share.replace', { what: label })}
        </button>
      ) : null}
      {confirming ? (
        <div
          className="share-link__confirm"
          role="group"
          aria-label={t('share.replace', { what: label })}
        >
          <p>{t('share.replaceWarning', { what: label })}</p>
          <button type="button" className="danger" disabled={busy} onClick={() => void replace()}>
            {t('share.replaceConfirm')}
          </button>
          <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="share-link__error">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function CopyField({ label, hint, value }: { label: string; hint: string; value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <p className="field__hint">{hint}</p>
      <div className="share-link__row">
        <input
          id={id}
          className="field__input"
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          aria-label={t('share.copy', { what: label })}
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
        >
          {copied ? t('share.copied') : t('share.copyShort')}
        </button>
      </div>
    </div>
  );
}

/**
 * A flashbook created before approval links has none: its editor may take it once (the server
 * allows this only while none was ever issued), and this tab then works as the approver.
 */
function ClaimApprove(props: { id: string; token: string; onClaimed: (token: string) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  return (
    <section className="share-link" aria-label={t('share.claimTitle')}>
      <p className="field__label">{t('share.claimTitle')}</p>
      <p className="field__hint">{t('share.claimHint')}</p>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError('');
          replaceToken(props.id, 'approve', props.token).then(
            (answer) => props.onClaimed(answer.token),
            (e: unknown) => {
              setBusy(false);
              setError(
                e instanceof ApiError && e.status === 0
                  ? t('share.replaceOffline')
                  : t('share.replaceFailed', {
                      reason: e instanceof Error ? e.message : String(e),
                    }),
              );
            },
          );
        }}
      >
        {t('share.claim')}
      </button>
      {error ? (
        <p role="alert" className="share-link__error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
