import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as fontkit from 'fontkit';
import { FONT_STYLESHEETS } from '../../src/slide/themes/fonts.ts';

const require = createRequire(import.meta.url);

/** Kazakh Cyrillic letters beyond Russian, both cases, and the Kazakh Latin alphabet's (2021) extra letters. */
const KAZAKH_CYRILLIC = 'ӘәҒғҚқҢңӨөҰұҮүҺһІі';
const KAZAKH_LATIN = 'ÄäĞğİıÑñÖöŞşŪūÜü';

interface Face {
  family: string;
  file: string;
  ranges: [number, number][];
}

function parseRanges(value: string): [number, number][] {
  return value.split(',').map((part) => {
    const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(lo as string, 16);
    return [start, hi ? parseInt(hi, 16) : start];
  });
}

/** The @font-face rules of one @fontsource stylesheet, with their woff2 files and unicode ranges. */
function faces(stylesheet: string): Face[] {
  const cssPath = require.resolve(stylesheet);
  const css = readFileSync(cssPath, 'utf8');
  return [...css.matchAll(/@font-face\s*{([^}]*)}/g)].map((m) => {
    const body = m[1] as string;
    const family = /font-family:\s*'([^']+)'/.exec(body)?.[1] ?? '?';
    const url = /url\(([^)]+\.woff2)\)/.exec(body)?.[1] ?? '';
    const range = /unicode-range:\s*([^;]+);/.exec(body)?.[1];
    return {
      family,
      file: resolve(dirname(cssPath), url),
      ranges: range ? parseRanges(range) : [[0, 0x10ffff]],
    };
  });
}

const covers = (face: Face, cp: number) => face.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
const fontCache = new Map<string, fontkit.Font>();
function font(file: string): fontkit.Font {
  let f = fontCache.get(file);
  if (!f) {
    f = fontkit.create(readFileSync(file)) as fontkit.Font;
    fontCache.set(file, f);
  }
  return f;
}

describe('every shipped slide font draws Kazakh letters', () => {
  it.each(FONT_STYLESHEETS)('%s', (stylesheet) => {
    const list = faces(stylesheet);
    expect(list.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const letter of KAZAKH_CYRILLIC + KAZAKH_LATIN) {
      const cp = letter.codePointAt(0) as number;
      // The browser picks the face whose unicode-range holds the letter; that file needs the glyph.
      const candidates = list.filter((f) => covers(f, cp));
      if (!candidates.some((f) => font(f.file).hasGlyphForCodePoint(cp))) missing.push(letter);
    }
    expect(missing, `${stylesheet} has no glyph for`).toEqual([]);
  });

  it('would notice a stylesheet without the cyrillic-ext subset', () => {
    const onlyCyrillic = faces('@fontsource/pt-sans/cyrillic-400.css');
    const cp = 'Ә'.codePointAt(0) as number;
    expect(
      onlyCyrillic.filter((f) => covers(f, cp)).some((f) => font(f.file).hasGlyphForCodePoint(cp)),
    ).toBe(false);
  });
});
