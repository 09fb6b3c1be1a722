import { useTranslation } from 'react-i18next';
import { SelectField } from '../SelectField.tsx';
import {
  AGE_LABEL_SETS,
  isAgeLabelSet,
  isHexColor,
  type AgeLabelSet,
  type BiblioStyle,
} from '../../../model/schema.ts';
import { BIBLIO_STYLES, isBiblioStyle } from '../../../typography/bibliography.ts';
import {
  THEMES,
  contrastProblems,
  slideColors,
  themeById,
  type Theme,
} from '../../../slide/themes/themes.ts';

/*
 * The design controls a flashbook's Design panel and a workspace's brand kit share. Each takes a
 * value and reports a change; the caller decides where it goes (the Y.Doc through the model
 * commands, or a settings form's state). Labels are the same in both places.
 */

/** The theme cards: a radio group, each card previewing the theme's colours and heading font. */
export function ThemePicker({
  value,
  onChange,
  name,
  disabled = false,
  hints = false,
}: {
  value: string;
  onChange: (themeId: string) => void;
  /** The radio group's name, unique on the page. */
  name: string;
  disabled?: boolean;
  /** Show each theme's one-line description under its name. */
  hints?: boolean;
}) {
  const { t } = useTranslation();
  const theme = themeById(value);
  return (
    <fieldset className="themes" disabled={disabled}>
      <legend className="field__label">{t('settings.theme')}</legend>
      {THEMES.map((th) => (
        <label
          key={th.id}
          className={`theme-choice ${th.id === theme.id ? 'theme-choice--active' : ''}`}
        >
          <input
            type="radio"
            name={name}
            value={th.id}
            checked={th.id === theme.id}
            onChange={() => onChange(th.id)}
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
          {hints ? <span className="field__hint">{t(`theme.${th.id}.hint`)}</span> : null}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The brand colour (empty: the theme's accent), a button back to the theme's colour, and a
 * warning when the colour leaves some slide text below readable contrast.
 */
export function BrandColorField({
  theme,
  value,
  onChange,
  disabled = false,
}: {
  theme: Theme;
  value: string;
  onChange: (color: string) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const problems = contrastProblems(slideColors(theme, value));
  return (
    <>
      <div className="settings-row">
        <label className="field field--inline">
          <span className="field__label">{t('settings.brandColor')}</span>
          <input
            type="color"
            value={value || theme.colors.accent}
            disabled={disabled}
            onChange={(e) => {
              if (isHexColor(e.target.value)) onChange(e.target.value);
            }}
          />
        </label>
        {value && !disabled ? (
          <button type="button" onClick={() => onChange('')}>
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
    </>
  );
}

/** Which age labels ("0+ 6+ 12+ …") the flashbook's slides offer. */
export function AgeLabelSetSelect({
  value,
  onChange,
  disabled = false,
}: {
  value: AgeLabelSet;
  onChange: (set: AgeLabelSet) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={t('settings.ageLabels')}
      value={value}
      disabled={disabled}
      options={(Object.keys(AGE_LABEL_SETS) as AgeLabelSet[]).map((set) => ({
        value: set,
        label: t(`settings.ageLabelSet.${set}`, { labels: AGE_LABEL_SETS[set].join(' ') }),
      }))}
      onChange={(set) => {
        if (isAgeLabelSet(set)) onChange(set);
      }}
    />
  );
}

/** The bibliographic style book references are formatted in. */
export function BiblioStyleSelect({
  value,
  onChange,
  disabled = false,
}: {
  value: BiblioStyle;
  onChange: (style: BiblioStyle) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={t('settings.biblioStyle')}
      value={value}
      disabled={disabled}
      options={BIBLIO_STYLES.map((style) => ({
        value: style,
        label: t(`settings.biblioStyles.${style}`),
      }))}
      onChange={(style) => {
        if (isBiblioStyle(style)) onChange(style);
      }}
    />
  );
}
