import { describe, expect, it } from 'vitest';
import { USER_COLORS } from '../home/ProfileDialog.tsx';
import { MIN_COLOR_DISTANCE, PALETTE, colorDistance, distinctColors } from './peopleColors.ts';

/** A small seeded generator, so a failing case can be run again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function minDistance(colors: string[]): number {
  let min = Infinity;
  for (let i = 0; i < colors.length; i++)
    for (let j = i + 1; j < colors.length; j++)
      min = Math.min(min, colorDistance(colors[i]!, colors[j]!));
  return min;
}

/** WCAG contrast of white text on a colour. */
function contrastWithWhite(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const y =
    0.2126 * lin(((n >> 16) & 255) / 255) +
    0.7152 * lin(((n >> 8) & 255) / 255) +
    0.0722 * lin((n & 255) / 255);
  return 1.05 / (y + 0.05);
}

describe('colours of the people online at the same time', () => {
  it('the two people who chose the same colour get two different ones', () => {
    const colors = distinctColors([
      { clientId: 7, color: '#c0392b' },
      { clientId: 3, color: '#c0392b' },
    ]);
    expect(colorDistance(colors.get(7)!, colors.get(3)!)).toBeGreaterThanOrEqual(
      MIN_COLOR_DISTANCE,
    );
  });

  it('the two near-identical reds seen in the issue are told apart', () => {
    const colors = distinctColors([
      { clientId: 1, color: '#c0392b' },
      { clientId: 2, color: '#ca6f1e' },
      { clientId: 3, color: '#b03a2e' },
    ]);
    expect(minDistance([...colors.values()])).toBeGreaterThanOrEqual(MIN_COLOR_DISTANCE);
  });

  it('keeps a person close to the colour they chose when nobody else is near it', () => {
    const colors = distinctColors([
      { clientId: 1, color: '#2e86c1' },
      { clientId: 2, color: '#c0392b' },
    ]);
    expect(colorDistance(colors.get(1)!, '#2e86c1')).toBeLessThan(0.1);
    expect(colorDistance(colors.get(2)!, '#c0392b')).toBeLessThan(0.1);
  });

  it('every tab computes the same colours, whatever order it lists the people in', () => {
    const people = [
      { clientId: 42, color: '#229954' },
      { clientId: 5, color: '#17a589' },
      { clientId: 17, color: '#229954' },
    ];
    expect([...distinctColors(people)].sort()).toEqual(
      [...distinctColors([...people].reverse())].sort(),
    );
  });

  it('white initials are readable on every palette colour', () => {
    for (const color of PALETTE) expect(contrastWithWhite(color)).toBeGreaterThanOrEqual(4.5);
  });

  // For N = 2..8 people with random client ids and colours chosen as profiles choose them (one of
  // the profile colours, or any colour another client sends), the closest two stay apart.
  for (let n = 2; n <= 8; n++) {
    it(`${n} people online: the closest two colours are at least ${MIN_COLOR_DISTANCE} apart`, () => {
      const rnd = random(n * 7919);
      for (let trial = 0; trial < 300; trial++) {
        const people = Array.from({ length: n }, () => ({
          clientId: Math.floor(rnd() * 2 ** 31),
          color:
            rnd() < 0.7
              ? USER_COLORS[Math.floor(rnd() * USER_COLORS.length)]!
              : `#${Math.floor(rnd() * 0xffffff)
                  .toString(16)
                  .padStart(6, '0')}`,
        }));
        const colors = [...distinctColors(people).values()];
        expect(colors).toHaveLength(n);
        expect(minDistance(colors), JSON.stringify(people)).toBeGreaterThanOrEqual(
          MIN_COLOR_DISTANCE,
        );
      }
    });
  }
});
