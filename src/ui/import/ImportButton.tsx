import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailed } from './LoadFailed.tsx';

/**
 * The editor toolbar's "Import books" button. The dialog, and with it the parsers, are loaded only
 * when it is opened, so they stay out of the editor's initial bundle.
 */
const ImportDialog = lazy(() =>
  import('./ImportDialog.tsx').then(
    (m) => ({ default: m.ImportDialog }),
    // Offline, or a new deployment removed the old chunk: say so instead of breaking the editor.
    () => ({ default: LoadFailed }),
  ),
);

export function ImportButton({ library }: { library: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {t('import.open')}
      </button>
      {open ? (
        <Suspense fallback={null}>
          <ImportDialog library={library} onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}
