import type { ReactNode } from 'react';
import type { AssetResolver } from './asset-resolver.ts';
import { AssetContext } from './assets.tsx';
import { TextFitContext } from './fit-context.ts';
import { fitScale, type TextFitter } from './fit.ts';
import { fitLimits, fitStatus, textRole, type TextRole } from '../typography/readability.ts';
import './slide.css';

/**
 * The browser half of the slide layer: the stylesheet and text fitting by layout. Measures in layout
 * pixels (the scale transform does not change them), so the thumbnail, the canvas and the export
 * arrive at the same scale; again when web fonts arrive.
 */
export const domTextFit: TextFitter = {
  fit(safeArea, layout, report) {
    if (!(safeArea instanceof HTMLElement)) return () => {};
    const safe = safeArea;
    const measure = () => {
      safe.style.setProperty('--fit', '1');
      const limits = fitLimits(textSizes(safe, layout));
      const fit = fitScale(
        (s) => {
          safe.style.setProperty('--fit', String(s));
          return (
            safe.scrollHeight > safe.clientHeight + 1 || safe.scrollWidth > safe.clientWidth + 1
          );
        },
        { min: limits.min },
      );
      safe.style.setProperty('--fit', String(fit.scale));
      report(fitStatus(fit.scale, fit.overflow, limits));
    };
    measure();
    const fonts = document.fonts as FontFaceSet | undefined;
    fonts?.addEventListener('loadingdone', measure);
    return () => fonts?.removeEventListener('loadingdone', measure);
  },
};

/**
 * Each text's role and font size at scale 1 (the caller has set --fit to 1). The placeholder cover
 * is a picture of a book, not text to read, and the age badge does not scale; neither does the
 * grid of a `books` slide (covers with short labels, sized by grid.ts).
 */
function textSizes(safe: HTMLElement, layout: string): { role: TextRole; size: number }[] {
  const out: { role: TextRole; size: number }[] = [];
  for (const el of safe.querySelectorAll<HTMLElement>('*')) {
    if (el.closest('.slide__cover, .slide__grid')) continue;
    const hasText = [...el.childNodes].some(
      (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
    );
    if (!hasText) continue;
    const tags: string[] = [];
    const classes: string[] = [];
    for (let a: HTMLElement | null = el; a && a !== safe; a = a.parentElement) {
      tags.push(a.tagName);
      classes.push(...a.classList);
    }
    out.push({
      role: textRole(tags, classes, layout),
      size: parseFloat(getComputedStyle(el).fontSize),
    });
  }
  return out;
}

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
