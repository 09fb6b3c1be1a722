import { describe, expect, it } from 'vitest';
import { MIN_PX, fitLimits, fitStatus, textRole } from './readability.ts';

describe('readable shrink-to-fit limits', () => {
  it('keeps body text at 30 px or more on a 1080 px slide', () => {
    const limits = fitLimits([
      { role: 'body', size: 38 },
      { role: 'heading', size: 64 },
    ]);
    expect(38 * limits.min).toBeCloseTo(MIN_PX.body);
    expect(64 * limits.min).toBeGreaterThan(MIN_PX.heading);
  });

  it('is set by whichever text reaches its minimum first', () => {
    const limits = fitLimits([
      { role: 'body', size: 38 },
      { role: 'heading', size: 50 },
    ]);
    expect(50 * limits.min).toBeCloseTo(MIN_PX.heading);
    expect(38 * limits.min).toBeGreaterThan(MIN_PX.body);
  });

  it('warns well before the floor', () => {
    const limits = fitLimits([{ role: 'body', size: 38 }]);
    expect(limits.warn).toBeGreaterThan(limits.min + 0.05);
    expect(fitStatus(1, false, limits)).toBe('ok');
    expect(fitStatus((limits.warn + limits.min) / 2, false, limits)).toBe('tight');
    expect(fitStatus(limits.min, true, limits)).toBe('overflow');
  });

  it('never goes above full size and has a default for a slide without text', () => {
    expect(fitLimits([])).toEqual({ min: 1, warn: 1 });
    expect(fitLimits([{ role: 'body', size: 20 }]).min).toBe(1);
  });

  it.each([
    [['h1'], ['slide__title'], 'book', 'heading'],
    [['span', 'h2', 'div'], ['slide__body'], 'text', 'heading'],
    [['p'], ['slide__biblio'], 'book', 'secondary'],
    [['p'], ['slide__source'], 'quote', 'secondary'],
    [['blockquote'], ['slide__quote'], 'quote', 'heading'],
    [['blockquote'], ['slide__quote', 'slide__quote--small'], 'book', 'body'],
    [['span', 'p', 'div'], ['slide__body'], 'book', 'body'],
  ] as const)('%s %s on a %s slide is %s', (tags, classes, layout, role) => {
    expect(textRole(tags, classes, layout)).toBe(role);
  });
});
