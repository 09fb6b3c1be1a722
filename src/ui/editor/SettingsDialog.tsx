import { useTranslation } from 'react-i18next';
import { setFlashbookSettings } from '../../model/flashbook.ts';
import { AGE_LABEL_SETS, isAgeLabelSet, isHexColor } from '../../model/schema.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { Dialog } from '../common/Dialog.tsx';
import { SharedTextField } from '../common/SharedTextField.tsx';
import { ImageField } from '../common/ImageField.tsx';
import { THEMES, contrastProblems, slideColors, themeById } from '../../slide/themes/themes.ts';
import './SettingsDialog.css';
import { LibrariesSettings } from './LibrariesSettings.tsx';
import { BIBLIO_STYLES, isBiblioStyle } from '../../typography/bibliography.ts';

/** Flashbook-wide settings: theme, brand colour, logo, age label set and common hashtags. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const readOnly = session.role === 'view';
  const view = useSessionState((s) => s.view);
  const theme = themeById(view.theme);
  const problems = contrastProblems(slideColors(theme, view.brandColor));

  return (
    <Dialog title={t('settings.title')} onClose={onClose} wide>
      <fieldset className="themes" disabled={readOnly}>
        <legend className="field__label">{t('settings.theme')}</legend>
        {THEMES.map((th) => (
          <label
            key={th.id}
            className={`theme-choice ${th.id === theme.id ? 'theme-choice--active' : ''}`}
          >
            <input
              type="radio"
              name="theme"
              value={th.id}
              checked={th.id === theme.id}
              onChange={() => setFlashbookSettings(session.doc, { theme: th.id })}
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
            <span className="field__hint">{t(`theme.${th.id}.hint`)}</span>
          </label>
        ))}
      </fieldset>
      <div className="settings-row">
        <label className="field field--inline">
          <span className="field__label">{t('settings.brandColor')}</span>
          <input
            type="color"
            value={view.brandColor || theme.colors.accent}
            disabled={readOnly}
            onChange={(e) => {
              if (isHexColor(e.target.value))
                setFlashbookSettings(session.doc, { brandColor: e.target.value });
            }}
          />
        </label>
        {view.brandColor && !readOnly ? (
          <button
            type="button"
            onClick={() => setFlashbookSettings(session.doc, { brandColor: '' })}
          >
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
      <ImageField
        label={t('settings.logo')}
        assetId={view.logo}
        readOnly={readOnly}
        onChange={(logo) => setFlashbookSettings(session.doc, { logo })}
      />
      <label className="field">
        <span className="field__label">{t('settings.ageLabels')}</span>
        <select
          className="field__input"
          value={view.ageLabelSet}
          disabled={readOnly}
          onChange={(e) => {
            if (isAgeLabelSet(e.target.value))
              setFlashbookSettings(session.doc, { ageLabelSet: e.target.value });
          }}
        >
          {(Object.keys(AGE_LABEL_SETS) as (keyof typeof AGE_LABEL_SETS)[]).map((set) => (
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
          value={view.biblioStyle}
          disabled={readOnly}
          onChange={(e) => {
            if (isBiblioStyle(e.target.value))
              setFlashbookSettings(session.doc, { biblioStyle: e.target.value });
          }}
        >
          {BIBLIO_STYLES.map((style) => (
            <option key={style} value={style}>
              {t(`settings.biblioStyles.${style}`)}
            </option>
          ))}
        </select>
      </label>
      <LibrariesSettings />
      <SharedTextField
        doc={session.doc}
        textRef={{ kind: 'hashtags' }}
        label={t('settings.hashtags')}
        placeholder="#КітапКөрмесі #Жеңіс80"
        readOnly={readOnly}
      />
    </Dialog>
  );
}
