import type { ReactNode } from 'react';
import type { AssetResolver } from './asset-resolver.ts';
import { AssetContext } from './assets.tsx';
import { TextFitContext } from './fit-context.ts';
import { fitScale, type TextFitter } from './fit.ts';
import './slide.css';

/**
 * The browser half of the slide layer: the stylesheet and text fitting by layout. Measures in layout
 * pixels (the scale transform does not change them), so the thumbnail, the canvas and the export
 * arrive at the same scale; again when web fonts arrive.
 */
export const domTextFit: TextFitter = {
  fit(safeArea, report) {
    if (!(safeArea instanceof HTMLElement)) return () => {};
    const safe = safeArea;
    const measure = () => {
      const fit = fitScale((s) => {
        safe.style.setProperty('--fit', String(s));
        return safe.scrollHeight > safe.clientHeight + 1 || safe.scrollWidth > safe.clientWidth + 1;
      });
      safe.style.setProperty('--fit', String(fit.scale));
      report(fit);
    };
    measure();
    const fonts = document.fonts as FontFaceSet | undefined;
    fonts?.addEventListener('loadingdone', measure);
    return () => fonts?.removeEventListener('loadingdone', measure);
  },
};

/** What every slide shown in a browser needs around it: its images and layout-measured text fitting. */
export function BrowserSlides({
  assets,
  children,
}: {
  assets: AssetResolver | null;
  children: ReactNode;
}) {
  return (
    <AssetContext.Provider value={assets}>
      <TextFitContext.Provider value={domTextFit}>{children}</TextFitContext.Provider>
    </AssetContext.Provider>
  );
}
