import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../i18n/index.ts';

export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <label className="field field--inline">
      <span className="field__label visually-hidden">{t('common.language')}</span>
      <select
        className="field__input"
        value={i18n.resolvedLanguage}
        onChange={(e) => void i18n.changeLanguage(e.target.value)}
        aria-label={t('common.language')}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
