import { useTranslation } from 'react-i18next';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { usePeopleColors } from './usePeopleColors.ts';
import { refusalKind, type ConnectionStatus, type User } from '../../session/session.ts';

/** Who is here: the user and everyone else in this flashbook, with their library. */
export function PresenceList({ me }: { me: User }) {
  const { t } = useTranslation();
  const session = useSession();
  const peers = useSessionState((s) => s.peers);
  const colors = usePeopleColors(me.color);
  const people = [
    { clientId: session.awareness.clientID, ...me, self: true },
    ...peers.map((p) => ({ ...p, self: false })),
  ];
  return (
    <ul className="presence" aria-label={t('presence.title', { count: people.length })}>
      {people.map((p) => (
        <li
          key={p.clientId}
          className="presence__person"
          title={p.library ? `${p.name} · ${p.library}` : p.name}
        >
          <span
            className="avatar"
            style={{ background: colors.get(p.clientId) ?? p.color }}
            aria-hidden="true"
          >
            {initials(p.name)}
          </span>
          <span className="presence__name">
            {p.self ? t('presence.you', { name: p.name }) : p.name}
            {p.library ? <span className="presence__library"> · {p.library}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}

const STATUS_CLASS: Record<ConnectionStatus, string> = {
  connecting: 'pending',
  connected: 'ok',
  reconnecting: 'pending',
  offline: 'off',
  refused: 'off',
};

/**
 * Where the user's work is: online or not, whether every change is on this device, how many
 * changes the server has not confirmed yet (counted from its acknowledgements), and the last sync.
 */
export function ConnectionBadge() {
  const { t, i18n } = useTranslation();
  const status = useSessionState((s) => s.status);
  const pending = useSessionState((s) => s.pending);
  const saving = useSessionState((s) => s.savingLocally);
  const storageProblem = useSessionState((s) => s.storageProblem);
  const localOnly = useSessionState((s) => s.localOnly);
  const lastSync = useSessionState((s) => s.lastSync);
  const details = [
    localOnly
      ? t('sync.localOnly')
      : pending > 0
        ? t('sync.pending', { count: pending })
        : status === 'connected'
          ? t('sync.allOnServer')
          : null,
    storageProblem ? null : saving ? t('sync.savingOnDevice') : t('sync.savedOnDevice'),
    lastSync
      ? t('sync.lastSync', {
          time: new Intl.DateTimeFormat(i18n.resolvedLanguage, { timeStyle: 'short' }).format(
            lastSync,
          ),
        })
      : null,
  ].filter((d) => d !== null);
  // One line that is never cut: the status and the first detail; all details in the tooltip.
  return (
    <span
      className={`connection connection--${STATUS_CLASS[status]}`}
      role="status"
      data-status={status}
      data-pending={pending}
      title={details.join(' · ')}
    >
      {t(`connection.${status}`)}
      {details[0] ? <span className="connection__detail"> · {details[0]}</span> : null}
      {details.length > 1 ? (
        <span className="visually-hidden"> · {details.slice(1).join(' · ')}</span>
      ) : null}
    </span>
  );
}

/** What needs the user's attention about storage and sync, in a row under the toolbar. */
export function ConnectionNotices() {
  const { t } = useTranslation();
  const storageProblem = useSessionState((s) => s.storageProblem);
  return (
    <>
      {storageProblem ? (
        <p className="storage-warning" role="alert">
          {t('sync.storageProblem')}
        </p>
      ) : null}
      <RefusalNotice />
    </>
  );
}

const REFUSAL_MESSAGE = {
  sizeLimit: 'sync.refusedSizeLimit',
  tooLarge: 'sync.refusedTooLarge',
  rateLimited: 'sync.refusedRateLimited',
  clientId: 'sync.refusedClientId',
  forbiddenChange: 'sync.refusedForbiddenChange',
} as const;

/** Why the server stopped taking this tab's changes, and the way back (fatal ones replace the editor). */
function RefusalNotice() {
  const { t } = useTranslation();
  const session = useSession();
  const refusal = useSessionState((s) => s.refusal);
  if (!refusal) return null;
  const kind = refusalKind(refusal.code);
  if (kind === 'fatal' || kind === 'linkReplaced') return null;
  return (
    <p className="storage-warning" role="alert" data-refusal={refusal.code}>
      {t(REFUSAL_MESSAGE[kind])}{' '}
      {kind === 'clientId' || kind === 'forbiddenChange' ? (
        <button type="button" onClick={() => location.reload()}>
          {t('sync.reload')}
        </button>
      ) : (
        <button type="button" onClick={() => session.reconnect()}>
          {t('sync.reconnect')}
        </button>
      )}
    </p>
  );
}
