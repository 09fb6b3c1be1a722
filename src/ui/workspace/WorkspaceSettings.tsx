import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../model/ids.ts';
import {
  WORKSPACE_LIMITS,
  type BrandKit,
  type Workspace,
  type WorkspaceLibrary,
  type WorkspaceRole,
} from '../../protocol/workspaces.ts';
import { themeById } from '../../slide/themes/themes.ts';
import {
  AgeLabelSetSelect,
  BiblioStyleSelect,
  BrandColorField,
  ThemePicker,
} from '../common/design/DesignControls.tsx';
import type { WorkspaceAssets } from '../../assets/workspace.ts';
import { ApiError } from '../../session/api.ts';
import { replaceWorkspaceToken, updateWorkspace } from '../../session/workspaces.ts';
import { LanguageSelect } from '../common/LanguageSelect.tsx';
import { AppLink } from '../common/AppLink.tsx';
import { TextField } from '../common/TextField.tsx';
import '../editor/SettingsDialog.css';
import { workspaceUrl } from '../router.ts';

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
  const dirty = () => setState('idle');
  const edit = (patch: Partial<BrandKit>) => {
    dirty();
    setBrand((b) => ({ ...b, ...patch }));
  };

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
          <AppLink href={workspaceUrl(workspace.id, token)} className="workspace__home">
            {t('workspaceSettings.back', { name: workspace.name })}
          </AppLink>
          <h1>{t('workspaceSettings.title')}</h1>
        </div>
        <span className="toolbar__spacer" />
        <LanguageSelect />
      </header>

      <section className="ws-settings__section">
        <TextField
          label={t('workspaceSettings.name')}
          value={name}
          maxLength={WORKSPACE_LIMITS.name}
          onChange={(value) => (dirty(), setName(value))}
        />
      </section>

      <section className="ws-settings__section" aria-labelledby="ws-libraries">
        <h2 id="ws-libraries">{t('workspaceSettings.libraries')}</h2>
        <p className="field__hint">{t('workspaceSettings.librariesHint')}</p>
        {libraries.map((l, i) => (
          <fieldset key={l.id} className="ws-library">
            <legend>{l.name || t('workspaceSettings.newLibrary')}</legend>
            <TextField
              label={t('workspaceSettings.libraryName')}
              value={l.name}
              maxLength={WORKSPACE_LIMITS.libraryName}
              onChange={(value) => setLibrary(i, { name: value })}
            />
            <TextField
              label={t('workspaceSettings.libraryPlace')}
              value={l.place}
              maxLength={WORKSPACE_LIMITS.libraryPlace}
              onChange={(value) => setLibrary(i, { place: value })}
            />
            <TextField
              label={t('workspaceSettings.libraryAddress')}
              value={l.address}
              maxLength={WORKSPACE_LIMITS.libraryAddress}
              onChange={(value) => setLibrary(i, { address: value })}
            />
            <TextField
              label={t('workspaceSettings.libraryContacts')}
              rows={2}
              value={l.contacts}
              maxLength={WORKSPACE_LIMITS.libraryContacts}
              onChange={(value) => setLibrary(i, { contacts: value })}
            />
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
        <ThemePicker name="ws-theme" value={brand.theme} onChange={(theme) => edit({ theme })} />
        <BrandColorField
          theme={theme}
          value={brand.brandColor}
          onChange={(brandColor) => edit({ brandColor })}
        />
        <LogoField
          label={t('settings.logo')}
          assetId={brand.logo}
          assets={assets}
          onChange={(logo) => edit({ logo })}
          onError={setError}
        />
        <TextField
          label={t('settings.hashtags')}
          value={brand.hashtags}
          maxLength={WORKSPACE_LIMITS.hashtags}
          onChange={(value) => edit({ hashtags: value })}
        />
        <AgeLabelSetSelect
          value={brand.ageLabelSet}
          onChange={(ageLabelSet) => edit({ ageLabelSet })}
        />
        <BiblioStyleSelect
          value={brand.biblioStyle}
          onChange={(biblioStyle) => edit({ biblioStyle })}
        />
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
            <TextField
              label={t(`workspaceSettings.link.${role}`)}
              readOnly
              value={links[role] ? new URL(links[role], location.origin).href : ''}
            />
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
