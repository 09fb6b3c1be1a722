import { lazy, Suspense } from 'react';
import { LoadFailed } from './LoadFailed.tsx';

/**
 * The import dialog (opened from the editor toolbar's More menu). It, and with it the parsers, are
 * loaded only when it is opened, so they stay out of the editor's initial bundle.
 */
const ImportDialog = lazy(() =>
  import('./ImportDialog.tsx').then(
    (m) => ({ default: m.ImportDialog }),
    // Offline, or a new deployment removed the old chunk: say so instead of breaking the editor.
    () => ({ default: LoadFailed }),
  ),
);

/** The import dialog, loaded on demand (the toolbar's More menu opens it). */
export function LazyImportDialog({ library, onClose }: { library: string; onClose: () => void }) {
  return (
    <Suspense fallback={null}>
      <ImportDialog library={library} onClose={onClose} />
    </Suspense>
  );
}
