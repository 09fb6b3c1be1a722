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
