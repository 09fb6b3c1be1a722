import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** Shown instead of the import dialog when its code cannot be loaded (for example, offline). */
export function LoadFailed({ onClose }: { library: string; onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="import-failed-title" onClose={onClose}>
      <h2 id="import-failed-title">{t('import.title')}</h2>
      <p role="alert">{t('import.loadFailed')}</p>
      <div className="dialog__buttons">
        <button type="button" onClick={() => ref.current?.close()}>
          {t('common.close')}
        </button>
      </div>
    </dialog>
  );
}
