import { useTranslation } from 'react-i18next';
import { Dialog } from '../common/Dialog.tsx';

/** Shown instead of the import dialog when its code cannot be loaded (for example, offline). */
export function LoadFailed({ onClose }: { library: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('import.title')} onClose={onClose}>
      <p role="alert">{t('import.loadFailed')}</p>
    </Dialog>
  );
}
