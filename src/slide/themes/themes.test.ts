import { describe, expect, it } from 'vitest';
import { contrastRatio, relativeLuminance } from './contrast.ts';
import { THEMES, contrastProblems, slideColors, themeById } from './themes.ts';

describe('contrast', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#777777', '#ffffff', 4.48],
    ['#767676', '#ffffff', 4.54],
    ['#0000ff', '#ffffff', 8.59],
  ])('%s on %s is %f:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 1);
    expect(contrastRatio(b, a)).toBeCloseTo(ratio, 1);
  });

  it('reads colours case-insensitively and refuses non-colours', () => {
    expect(relativeLuminance('#FFFFFF')).toBe(1);
    expect(() => relativeLuminance('red')).toThrow(/#rrggbb/);
  });
});

describe('themes', () => {
  it('every shipped theme passes WCAG AA for all its text colours', () => {
    for (const theme of THEMES) expect(contrastProblems(theme.colors), theme.id).toEqual([]);
  });

  it('warns when a brand colour used for accent text is too light on the background', () => {
    const classic = themeById('classic');
    const problems = contrastProblems(slideColors(classic, '#f2c94c'));
    expect(problems.map((p) => p.role)).toEqual(['accent']);
    expect(problems[0]?.ratio).toBeLessThan(4.5);
    expect(contrastProblems(slideColors(classic, '#1f4e79'))).toEqual([]);
  });

  it('falls back to the default theme for an unknown id', () => {
    expect(themeById('no-such-theme').id).toBe('memory');
  });
});
