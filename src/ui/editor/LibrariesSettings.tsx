import { roleCanEdit } from '../../protocol/roles.ts';
import { useTranslation } from 'react-i18next';
import {
  addLibrary,
  removeLibrary,
  setFlashbookSettings,
  setLibraryLogo,
} from '../../model/flashbook.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { ImageField } from '../common/ImageField.tsx';
import { SharedTextField } from '../common/SharedTextField.tsx';
import './LibrariesSettings.css';

/**
 * The flashbook's participating libraries (name, place, logo) and whether every slide shows the
 * preparing library in a corner. A component of its own, so it moves with the design panel.
 */
export function LibrariesSettings({ defaultName = '' }: { defaultName?: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const readOnly = !roleCanEdit(session.role);
  const libraries = useSessionState((s) => s.view.libraries);
  const attribution = useSessionState((s) => s.view.attribution);
  return (
    <fieldset className="libraries" disabled={readOnly}>
      <legend className="field__label">{t('libraries.title')}</legend>
      <p className="field__hint">{t('libraries.hint')}</p>
      <label className="libraries__attribution">
        <input
          type="checkbox"
          checked={attribution}
          onChange={(e) => setFlashbookSettings(session.doc, { attribution: e.target.checked })}
        />
        {t('libraries.attribution')}
      </label>
      {libraries.length === 0 ? <p className="field__hint">{t('libraries.none')}</p> : null}
      <ul className="libraries__list">
        {libraries.map((lib) => (
          <li key={lib.id} className="libraries__item">
            <SharedTextField
              doc={session.doc}
              textRef={{ kind: 'library', libraryId: lib.id, field: 'name' }}
              label={t('libraries.name')}
              readOnly={readOnly}
            />
            <SharedTextField
              doc={session.doc}
              textRef={{ kind: 'library', libraryId: lib.id, field: 'place' }}
              label={t('libraries.place')}
              readOnly={readOnly}
            />
            <ImageField
              label={t('libraries.logo')}
              assetId={lib.logo}
              readOnly={readOnly}
              onChange={(logo) => setLibraryLogo(session.doc, lib.id, logo)}
            />
            {readOnly ? null : (
              <button
                type="button"
                className="danger"
                aria-label={t('libraries.remove', { name: lib.name || t('libraries.unnamed') })}
                onClick={() => {
                  if (window.confirm(t('libraries.confirmRemove')))
                    removeLibrary(session.doc, lib.id);
                }}
              >
                {t('libraries.removeShort')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {readOnly ? null : (
        <button
          type="button"
          onClick={() =>
            addLibrary(session.doc, {
              name: libraries.some((l) => l.name === defaultName) ? '' : defaultName,
            })
          }
        >
          {t('libraries.add')}
        </button>
      )}
    </fieldset>
  );
}
