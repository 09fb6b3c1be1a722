import { describe, expect, it } from 'vitest';
import {
  exportCharacters,
  parseUnicodeRange,
  pickSource,
  selectFaces,
  type EmbeddedFace,
} from './fonts.ts';

const face = (family: string, weight: string, style: string, range: string): EmbeddedFace => ({
  family,
  weight,
  style,
  ranges: parseUnicodeRange(range),
  source: `${family}-${weight}-${style}.woff2`,
  descriptors: '',
  css: `${family} ${weight} ${style} ${range}`,
});

const LATIN = 'U+0000-00FF, U+0131, U+2000-206F';
const CYRILLIC = 'U+0301, U+0400-045F, U+0490-0491, U+04B0-04B1, U+2116';
const CYRILLIC_EXT = 'U+0460-052F, U+1C80-1C8A, U+20B4, U+2DE0-2DFF, U+A640-A69F';
const FACES = [
  face('PT Sans', '400', 'normal', LATIN),
  face('PT Sans', '400', 'normal', CYRILLIC),
  face('PT Sans', '400', 'normal', CYRILLIC_EXT),
  face('PT Sans', '700', 'normal', LATIN),
  face('PT Sans', '700', 'normal', CYRILLIC_EXT),
  face('PT Serif', '400', 'italic', LATIN),
  face('PT Serif', '400', 'italic', CYRILLIC_EXT),
];

describe('parseUnicodeRange', () => {
  it('reads single code points, ranges and wildcards', () => {
    expect(parseUnicodeRange('U+0000-00FF, U+0131, u+4??')).toEqual([
      [0, 0xff],
      [0x131, 0x131],
      [0x400, 0x4ff],
    ]);
    expect(parseUnicodeRange('')).toEqual([]);
  });
});

describe('pickSource', () => {
  it('prefers woff2 and resolves against the stylesheet', () => {
    expect(
      pickSource(
        'url("./files/a.woff2") format("woff2"), url(./files/a.woff) format("woff")',
        'http://x/assets/index.css',
      ),
    ).toBe('http://x/assets/files/a.woff2');
    expect(pickSource("url('/f/a.woff') format('woff')", 'http://x/assets/i.css')).toBe(
      'http://x/f/a.woff',
    );
    expect(pickSource('local(Arial)', 'http://x/')).toBeNull();
  });
});

describe('selectFaces', () => {
  const names = (faces: EmbeddedFace[]) => faces.map((f) => f.css);

  it('keeps the faces of the weights and styles used, for the characters used', () => {
    const chosen = selectFaces(
      FACES,
      [{ families: ['PT Sans'], style: 'normal', weight: '400' }],
      'Әже',
    );
    expect(names(chosen)).toEqual([
      `PT Sans 400 normal ${LATIN}`,
      `PT Sans 400 normal ${CYRILLIC}`,
      `PT Sans 400 normal ${CYRILLIC_EXT}`,
    ]);
  });

  it('always keeps the subset with the space (it gives the line metrics)', () => {
    const chosen = selectFaces(
      FACES,
      [{ families: ['PT Sans'], style: 'normal', weight: '700' }],
      'Ә',
    );
    expect(names(chosen)).toEqual([
      `PT Sans 700 normal ${LATIN}`,
      `PT Sans 700 normal ${CYRILLIC_EXT}`,
    ]);
  });

  it('falls back to every weight of the style when the exact weight is not shipped', () => {
    const chosen = selectFaces(
      FACES,
      [{ families: ['PT Sans'], style: 'normal', weight: '600' }],
      'a',
    );
    expect(names(chosen)).toEqual([`PT Sans 400 normal ${LATIN}`, `PT Sans 700 normal ${LATIN}`]);
  });

  it('leaves out families and styles nobody uses', () => {
    const chosen = selectFaces(
      FACES,
      [{ families: ['PT Serif', 'Georgia'], style: 'italic', weight: '400' }],
      '«Ұлы»',
    );
    // Ұ (U+04B0) is in both Cyrillic ranges; only the extended one is shipped in this style here.
    expect(names(chosen)).toEqual([
      `PT Serif 400 italic ${LATIN}`,
      `PT Serif 400 italic ${CYRILLIC_EXT}`,
    ]);
  });
});

describe('exportCharacters (what the export subsets the fonts to)', () => {
  const has = (chars: Set<number>, text: string) =>
    [...text].every((ch) => chars.has(ch.codePointAt(0) ?? -1));

  it('covers the flashbook’s text, ASCII, typographic marks and the auto-hinter’s letters', () => {
    const chars = exportCharacters(
      { title: 'Ұшқан ұя', posts: [{ slides: [{ fields: { quote: 'Ерлік — елдің ұраны…' } }] }] },
      { libraries: [{ name: 'Жамбыл облыстық кітапханасы' }] },
    );
    expect(has(chars, 'Ұшқан ұя Ерлік — елдің ұраны… Жамбыл облыстық кітапханасы')).toBe(true);
    expect(has(chars, 'Hello, world! 0123456789 «»„“ № \u00ad\u2010')).toBe(true);
    // The basic Russian alphabet is always there (a slide drawing it needs no new subset)…
    expect(has(chars, 'ЩЁЪэюя')).toBe(true);
    // …but nothing of another script, or of Kazakh letters the flashbook does not use.
    expect(has(chars, 'Ω')).toBe(false);
    expect(has(chars, 'Һ')).toBe(false);
  });
});
