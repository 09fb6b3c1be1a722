import { describe, expect, it } from 'vitest';
import { fitScale } from './fit.ts';

/** A fake layout: text of `height` px at scale 1 in a box of `box` px; height scales linearly. */
const layout = (height: number, box: number) => (scale: number) => height * scale > box;

describe('fitScale', () => {
  it('keeps full size when the text fits', () => {
    expect(fitScale(layout(800, 1000))).toEqual({ scale: 1, overflow: false });
  });

  it('scales long text down just enough to fit', () => {
    const fit = fitScale(layout(1250, 1000));
    expect(fit.overflow).toBe(false);
    expect(fit.scale).toBeLessThanOrEqual(0.8);
    expect(fit.scale).toBeGreaterThan(0.79);
    expect(1250 * fit.scale).toBeLessThanOrEqual(1000);
  });

  it('flags text that does not fit even at the smallest scale, at that scale', () => {
    expect(fitScale(layout(2000, 1000))).toEqual({ scale: 0.6, overflow: true });
  });

  it('respects custom limits and is deterministic', () => {
    const a = fitScale(layout(1100, 1000), { min: 0.8, max: 1 });
    const b = fitScale(layout(1100, 1000), { min: 0.8, max: 1 });
    expect(a).toEqual(b);
    expect(a.scale).toBeGreaterThanOrEqual(0.8);
    expect(1100 * a.scale).toBeLessThanOrEqual(1000);
  });

  it('measures only a bounded number of times', () => {
    let calls = 0;
    fitScale((s) => {
      calls++;
      return s > 0.7;
    });
    expect(calls).toBeLessThanOrEqual(9);
  });
});
