import { roleCanEdit } from '../../protocol/roles.ts';
import { useTranslation } from 'react-i18next';
import { setFlashbookSettings } from '../../model/flashbook.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { SidePanel } from '../common/SidePanel.tsx';
import { SharedTextField } from '../common/SharedTextField.tsx';
import { ImageField } from '../common/ImageField.tsx';
import { themeById } from '../../slide/themes/themes.ts';
import {
  AgeLabelSetSelect,
  BiblioStyleSelect,
  BrandColorField,
  ThemePicker,
} from '../common/design/DesignControls.tsx';
import './SettingsDialog.css';
import { LibrariesSettings } from './LibrariesSettings.tsx';

/**
 * Flashbook-wide settings: theme, brand colour, logo, age label set and common hashtags. A side
 * panel in place of the slide form, so the canvas beside it shows every choice as it is made.
 */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const readOnly = !roleCanEdit(session.role);
  const view = useSessionState((s) => s.view);
  const theme = themeById(view.theme);

  return (
    <SidePanel title={t('settings.title')} onClose={onClose} className="settings-panel">
      <ThemePicker
        name="theme"
        hints
        value={view.theme}
        disabled={readOnly}
        onChange={(theme) => setFlashbookSettings(session.doc, { theme })}
      />
      <BrandColorField
        theme={theme}
        value={view.brandColor}
        disabled={readOnly}
        onChange={(brandColor) => setFlashbookSettings(session.doc, { brandColor })}
      />
      <ImageField
        label={t('settings.logo')}
        assetId={view.logo}
        readOnly={readOnly}
        onChange={(logo) => setFlashbookSettings(session.doc, { logo })}
      />
      <AgeLabelSetSelect
        value={view.ageLabelSet}
        disabled={readOnly}
        onChange={(ageLabelSet) => setFlashbookSettings(session.doc, { ageLabelSet })}
      />
      <BiblioStyleSelect
        value={view.biblioStyle}
        disabled={readOnly}
        onChange={(biblioStyle) => setFlashbookSettings(session.doc, { biblioStyle })}
      />
      <LibrariesSettings />
      <SharedTextField
        doc={session.doc}
        textRef={{ kind: 'hashtags' }}
        label={t('settings.hashtags')}
        placeholder="#КітапКөрмесі #Жеңіс80"
        readOnly={readOnly}
      />
    </SidePanel>
  );
}
