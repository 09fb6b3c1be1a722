import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { AGE_LABEL_SETS, isHexColor, type AgeLabelSet } from '../../model/schema.ts';
import { newId } from '../../model/ids.ts';
import {
  WORKSPACE_LIMITS,
  type BrandKit,
  type Workspace,
  type WorkspaceLibrary,
  type WorkspaceRole,
} from '../../protocol/workspaces.ts';
import { BIBLIO_STYLES, isBiblioStyle } from '../../typography/bibliography.ts';
import { THEMES, contrastProblems, slideColors, themeById } from '../../slide/themes/themes.ts';
import type { WorkspaceAssets } from '../../assets/workspace.ts';
import { ApiError } from '../../session/api.ts';
import { replaceWorkspaceToken, updateWorkspace } from '../../session/workspaces.ts';
import { LanguageSelect } from '../common/LanguageSelect.tsx';
import '../editor/SettingsDialog.css';
import { navigate, workspaceUrl } from '../router.ts';

/**
 * The admin's settings page of a workspace: its name, its participating libraries, the brand kit
 * every new flashbook starts with, and the two links (with replacement).
 */
export function WorkspaceSettings({
  workspace,
  token,
  assets,
  onSaved,
  onTokenReplaced,
}: {
  workspace: Workspace;
  token: string;
  assets: WorkspaceAssets;
  onSaved: () => void;
  onTokenReplaced: (role: WorkspaceRole, token: string) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(workspace.name);
  const [libraries, setLibraries] = useState<WorkspaceLibrary[]>(workspace.libraries);
  const [brand, setBrand] = useState<BrandKit>(workspace.brand);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [links, setLinks] = useState({
    member: workspace.memberUrl ?? '',
    admin: workspace.adminUrl ?? '',
  });
  useEffect(() => {
    setLinks({ member: workspace.memberUrl ?? '', admin: workspace.adminUrl ?? '' });
  }, [workspace.memberUrl, workspace.adminUrl]);

  const theme = themeById(brand.theme);
  const problems = contrastProblems(slideColors(theme, brand.brandColor));
  const dirty = () => setState('idle');

  const save = async () => {
    setState('saving');
    setError(null);
    try {
      await updateWorkspace(workspace.id, token, {
        name: name.trim(),
        libraries: libraries.map((l) => ({ ...l, name: l.name.trim() })),
        brand,
      });
      setState('saved');
      onSaved();
    } catch (err) {
      setState('idle');
      setError(
        err instanceof ApiError && err.status === 0
          ? t('workspace.needsConnection')
          : t('workspace.saveFailed', { reason: err instanceof Error ? err.message : '' }),
      );
    }
  };

  const replace = async (role: WorkspaceRole) => {
    if (!window.confirm(t(`workspaceSettings.replaceConfirm.${role}`))) return;
    try {
      const r = await replaceWorkspaceToken(workspace.id, token, role);
      setLinks((l) => ({ ...l, [role]: r.url }));
      onTokenReplaced(role, r.token);
    } catch (err) {
      setError(t('workspace.actionFailed', { reason: err instanceof Error ? err.message : '' }));
    }
  };

  const setLibrary = (i: number, patch: Partial<WorkspaceLibrary>) => {
    dirty();
    setLibraries((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  };

  const valid = name.trim() !== '' && libraries.every((l) => l.name.trim() !== '');

  return (
    <main className="workspace workspace--settings">
      <header className="workspace__header">
        <div className="workspace__heading">
          <a
            href={workspaceUrl(workspace.id, token)}
            className="workspace__home"
            onClick={(e) => (e.preventDefault(), navigate(workspaceUrl(workspace.id, token)))}
          >
            {t('workspaceSettings.back', { name: workspace.name })}
          </a>
          <h1>{t('workspaceSettings.title')}</h1>
        </div>
        <span className="toolbar__spacer" />
        <LanguageSelect />
      </header>

      <section className="ws-settings__section">
        <label className="field">
          <span className="field__label">{t('workspaceSettings.name')}</span>
          <input
            className="field__input"
            value={name}
            maxLength={WORKSPACE_LIMITS.name}
            onChange={(e) => (dirty(), setName(e.target.value))}
          />
        </label>
      </section>

      <section className="ws-settings__section" aria-labelledby="ws-libraries">
        <h2 id="ws-libraries">{t('workspaceSettings.libraries')}</h2>
        <p className="field__hint">{t('workspaceSettings.librariesHint')}</p>
        {libraries.map((l, i) => (
          <fieldset key={l.id} className="ws-library">
            <legend>{l.name || t('workspaceSettings.newLibrary')}</legend>
            <label className="field">
              <span className="field__label">{t('workspaceSettings.libraryName')}</span>
              <input
                className="field__input"
                value={l.name}
                maxLength={WORKSPACE_LIMITS.libraryName}
                onChange={(e) => setLibrary(i, { name: e.target.value })}
              />
            </label>
            <label className="field">
              <span className="field__label">{t('workspaceSettings.libraryPlace')}</span>
              <input
                className="field__input"
                value={l.place}
                maxLength={WORKSPACE_LIMITS.libraryPlace}
                onChange={(e) => setLibrary(i, { place: e.target.value })}
              />
            </label>
            <label className="field">
              <span className="field__label">{t('workspaceSettings.libraryAddress')}</span>
              <input
                className="field__input"
                value={l.address}
                maxLength={WORKSPACE_LIMITS.libraryAddress}
                onChange={(e) => setLibrary(i, { address: e.target.value })}
              />
            </label>
            <label className="field">
              <span className="field__label">{t('workspaceSettings.libraryContacts')}</span>
              <textarea
                className="field__input"
                rows={2}
                value={l.contacts}
                maxLength={WORKSPACE_LIMITS.libraryContacts}
                onChange={(e) => setLibrary(i, { contacts: e.target.value })}
              />
            </label>
            <LogoField
              label={t('workspaceSettings.libraryLogo', { name: l.name })}
              assetId={l.logo}
              assets={assets}
              onChange={(logo) => setLibrary(i, { logo })}
              onError={setError}
            />
            <button
              type="button"
              className="danger"
              onClick={() => (dirty(), setLibraries((ls) => ls.filter((_, j) => j !== i)))}
            >
              {t('workspaceSettings.removeLibrary', { name: l.name })}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          disabled={libraries.length >= WORKSPACE_LIMITS.libraries}
          onClick={() => {
            dirty();
            setLibraries((ls) => [
              ...ls,
              { id: newId(), name: '', place: '', address: '', contacts: '', logo: '' },
            ]);
          }}
        >
          {t('workspaceSettings.addLibrary')}
        </button>
      </section>

      <section className="ws-settings__section" aria-labelledby="ws-brand">
        <h2 id="ws-brand">{t('workspaceSettings.brand')}</h2>
        <p className="field__hint">{t('workspaceSettings.brandHint')}</p>
        <fieldset className="themes">
          <legend className="field__label">{t('settings.theme')}</legend>
          {THEMES.map((th) => (
            <label
              key={th.id}
              className={`theme-choice ${th.id === theme.id ? 'theme-choice--active' : ''}`}
            >
              <input
                type="radio"
                name="ws-theme"
                value={th.id}
                checked={th.id === theme.id}
                onChange={() => (dirty(), setBrand({ ...brand, theme: th.id }))}
              />
              <span
                className="theme-choice__swatch"
                style={{
                  background: th.colors.bg,
                  color: th.colors.fg,
                  fontFamily: th.fonts.heading,
                }}
                aria-hidden="true"
              >
                <span style={{ color: th.colors.accent }}>Әә</span> Ққ
              </span>
              <span className="theme-choice__name">{t(`theme.${th.id}.name`)}</span>
            </label>
          ))}
        </fieldset>
        <div className="settings-row">
          <label className="field field--inline">
            <span className="field__label">{t('settings.brandColor')}</span>
            <input
              type="color"
              value={brand.brandColor || theme.colors.accent}
              onChange={(e) => {
                if (isHexColor(e.target.value)) {
                  dirty();
                  setBrand({ ...brand, brandColor: e.target.value });
                }
              }}
            />
          </label>
          {brand.brandColor ? (
            <button type="button" onClick={() => (dirty(), setBrand({ ...brand, brandColor: '' }))}>
              {t('settings.themeColor')}
            </button>
          ) : null}
        </div>
        {problems.length > 0 ? (
          <p className="warning" role="alert">
            {t('settings.lowContrast', {
              ratio: Math.min(...problems.map((p) => p.ratio)).toFixed(1),
              roles: problems.map((p) => t(`settings.textRole.${p.role}`)).join(', '),
            })}
          </p>
        ) : null}
        <LogoField
          label={t('settings.logo')}
          assetId={brand.logo}
          assets={assets}
          onChange={(logo) => (dirty(), setBrand({ ...brand, logo }))}
          onError={setError}
        />
        <label className="field">
          <span className="field__label">{t('settings.hashtags')}</span>
          <input
            className="field__input"
            value={brand.hashtags}
            maxLength={WORKSPACE_LIMITS.hashtags}
            onChange={(e) => (dirty(), setBrand({ ...brand, hashtags: e.target.value }))}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('settings.ageLabels')}</span>
          <select
            className="field__input"
            value={brand.ageLabelSet}
            onChange={(e) => {
              dirty();
              setBrand({ ...brand, ageLabelSet: e.target.value as AgeLabelSet });
            }}
          >
            {(Object.keys(AGE_LABEL_SETS) as AgeLabelSet[]).map((set) => (
              <option key={set} value={set}>
                {t(`settings.ageLabelSet.${set}`, { labels: AGE_LABEL_SETS[set].join(' ') })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('settings.biblioStyle')}</span>
          <select
            className="field__input"
            value={brand.biblioStyle}
            onChange={(e) => {
              if (isBiblioStyle(e.target.value)) {
                dirty();
                setBrand({ ...brand, biblioStyle: e.target.value });
              }
            }}
          >
            {BIBLIO_STYLES.map((style) => (
              <option key={style} value={style}>
                {t(`settings.biblioStyles.${style}`)}
              </option>
            ))}
          </select>
        </label>
      </section>

      <div className="ws-settings__save">
        <button
          type="button"
          className="primary"
          disabled={!valid || state === 'saving'}
          onClick={() => void save()}
        >
          {t('workspaceSettings.save')}
        </button>
        <span role="status">{state === 'saved' ? t('workspaceSettings.saved') : ''}</span>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}

      <section className="ws-settings__section" aria-labelledby="ws-links">
        <h2 id="ws-links">{t('workspaceSettings.links')}</h2>
        {(['member', 'admin'] as const).map((role) => (
          <div key={role} className="ws-link">
            <label className="field">
              <span className="field__label">{t(`workspaceSettings.link.${role}`)}</span>
              <input
                className="field__input"
                readOnly
                value={links[role] ? new URL(links[role], location.origin).href : ''}
              />
            </label>
            <p className="field__hint">{t(`workspaceSettings.linkHint.${role}`)}</p>
            <button type="button" onClick={() => void replace(role)}>
              {t(`workspaceSettings.replace.${role}`)}
            </button>
          </div>
        ))}
      </section>
    </main>
  );
}

function LogoField({
  label,
  assetId,
  assets,
  onChange,
  onError,
}: {
  label: string;
  assetId: string;
  assets: WorkspaceAssets;
  onChange: (assetId: string) => void;
  onError: (message: string | null) => void;
}) {
  const { t } = useTranslation();
  const url = useSyncExternalStore(assets.subscribe, () =>
    assetId ? assets.url(assetId) : undefined,
  );
  const [busy, setBusy] = useState(false);
  return (
    <div className="ws-logo">
      <span className="field__label">{label}</span>
      <div className="ws-logo__row">
        {url ? <img src={url} alt="" className="ws-logo__img" /> : null}
        <label className="ws-logo__pick">
          <span>
            {busy
              ? t('common.loading')
              : assetId
                ? t('workspaceSettings.logoChange')
                : t('workspaceSettings.logoAdd')}
          </span>
          <input
            type="file"
            accept="image/png,image/jpeg,image/webp"
            aria-label={label}
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              setBusy(true);
              onError(null);
              assets
                .upload(file)
                .then((a) => onChange(a.id))
                .catch((err: unknown) => onError(err instanceof Error ? err.message : String(err)))
                .finally(() => setBusy(false));
            }}
          />
        </label>
        {assetId ? (
          <button type="button" onClick={() => onChange('')}>
            {t('workspaceSettings.logoRemove')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
