import type { FitStatus } from '../typography/readability.ts';
/**
 * Text fitting: the largest scale in [min, max] at which a slide's text does not overflow, found by
 * bisection on a measuring callback (the browser's layout). Deterministic for the same content, so
 * the editor and the export pick the same scale. When even `min` overflows, the text is flagged,
 * never silently cut.
 */
export interface Fit {
  scale: number;
  overflow: boolean;
}

export function fitScale(
  overflows: (scale: number) => boolean,
  { min = 0.6, max = 1, steps = 7 }: { min?: number; max?: number; steps?: number } = {},
): Fit {
  if (!overflows(max)) return { scale: max, overflow: false };
  if (overflows(min)) return { scale: min, overflow: true };
  let fits = min;
  let over = max;
  for (let i = 0; i < steps; i++) {
    const mid = (fits + over) / 2;
    if (overflows(mid)) over = mid;
    else fits = mid;
  }
  return { scale: Math.floor(fits * 1000) / 1000, overflow: false };
}

/**
 * Who measures a slide's text. Text fitting needs layout, which only a browser has: the browser
 * half of this layer (browser.tsx) measures the rendered safe area; a renderer without layout
 * (react-dom/server in Node) uses `NO_TEXT_FIT` and the stylesheet's default scale of 1, which the
 * browser then refines when it shows the page.
 */
export interface TextFitter {
  /**
   * Fits the text inside `safeArea` (the `.slide__safe` element as the host renders it: an
   * HTMLElement in a browser) of a slide of `layout`, no smaller than each text role's readable
   * minimum (src/typography/readability.ts), and reports the outcome, again whenever the layout
   * may have changed (web fonts arriving). Returns the function that stops watching.
   */
  fit(safeArea: unknown, layout: string, report: (status: FitStatus) => void): () => void;
}

export const NO_TEXT_FIT: TextFitter = {
  fit: (_safeArea, _layout, report) => {
    report('ok');
    return () => {};
  },
};
