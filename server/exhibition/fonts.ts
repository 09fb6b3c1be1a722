import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The exhibition page's web fonts: the @fontsource faces the theme uses, limited to the subsets
 * (latin, cyrillic, cyrillic-ext, …) whose unicode-range holds a character of the page. A Russian
 * page without Kazakh letters gets no cyrillic-ext file; a Kazakh one gets it, so Ә Ғ Қ Ң Ө Ү Һ
 * render in the theme's font. Files are served from the page's own origin (no font CDN).
 */

export interface FaceWanted {
  /** CSS family name as the theme writes it, e.g. `PT Serif`. */
  family: string;
  weight: number;
  style: 'normal' | 'italic';
}

interface FontFile {
  /** File name under the package's files/ folder, e.g. `pt-serif-cyrillic-ext-700-normal.woff2`. */
  name: string;
  path: string;
}

interface ParsedFace {
  family: string;
  weight: number;
  style: string;
  file: FontFile;
  ranges: [number, number][];
}

const require = createRequire(import.meta.url);
const parsed = new Map<string, ParsedFace[]>();
/** Every woff2 file a page may name, by file name: the only font files the server hands out. */
const known = new Map<string, FontFile>();

function packageOf(family: string): string {
  return family.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function facesOf(family: string, weight: number, style: string): ParsedFace[] {
  const pkg = packageOf(family);
  const key = `${pkg}/${weight}${style === 'italic' ? '-italic' : ''}`;
  const cached = parsed.get(key);
  if (cached) return cached;
  let css: string;
  let dir: string;
  try {
    const file = require.resolve(`@fontsource/${key}.css`);
    css = readFileSync(file, 'utf8');
    dir = dirname(file);
  } catch {
    // This weight or style does not exist for the family: the browser synthesises it.
    parsed.set(key, []);
    return [];
  }
  const faces: ParsedFace[] = [];
  for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
    const url = /url\(\.\/files\/([a-z0-9-]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!url) continue;
    const fontFile = { name: url, path: join(dir, 'files', url) };
    known.set(url, fontFile);
    faces.push({ family, weight, style, file: fontFile, ranges: range ? parseRanges(range) : [] });
  }
  parsed.set(key, faces);
  return faces;
}

function parseRanges(text: string): [number, number][] {
  return text.split(',').flatMap((part) => {
    const m = /U\+([0-9A-F]+)(?:-([0-9A-F]+))?/i.exec(part.trim());
    if (!m?.[1]) return [];
    const start = parseInt(m[1], 16);
    return [[start, m[2] ? parseInt(m[2], 16) : start] as [number, number]];
  });
}

export interface PageFonts {
  /** @font-face rules whose urls are `<base><file name>`. */
  css: string;
  files: FontFile[];
}

/** The faces and files a page needs to show `text`, with urls under `base` (e.g. `fonts/`). */
export function pageFonts(wanted: FaceWanted[], text: string, base: string): PageFonts {
  const codes = new Set<number>();
  for (const ch of text) codes.add(ch.codePointAt(0) ?? 0);
  const used = (ranges: [number, number][]) =>
    ranges.length === 0 || [...codes].some((c) => ranges.some(([a, b]) => c >= a && c <= b));
  const rules: string[] = [];
  const files = new Map<string, FontFile>();
  for (const w of wanted) {
    for (const face of facesOf(w.family, w.weight, w.style)) {
      if (!used(face.ranges)) continue;
      files.set(face.file.name, face.file);
      const range = face.ranges
        .map(([a, b]) => (a === b ? `U+${hex(a)}` : `U+${hex(a)}-${hex(b)}`))
        .join(',');
      rules.push(
        `@font-face{font-family:'${face.family}';font-style:${face.style};font-weight:${face.weight};font-display:swap;` +
          `src:url(${base}${face.file.name}) format('woff2');${range ? `unicode-range:${range};` : ''}}`,
      );
    }
  }
  return { css: rules.join('\n'), files: [...files.values()] };
}

function hex(n: number): string {
  return n.toString(16).toUpperCase();
}

/**
 * A font file of one of `families` by its file name; undefined for any other name. Pages name only
 * files of their theme's families, so nothing else of node_modules can be asked for.
 */
export function fontFile(name: string, families: string[]): FontFile | undefined {
  const found = known.get(name);
  if (found) return found;
  if (!/^[a-z0-9-]+\.woff2$/.test(name)) return undefined;
  for (const family of families) {
    const pkg = packageOf(family);
    if (!name.startsWith(`${pkg}-`)) continue;
    try {
      const path = require.resolve(`@fontsource/${pkg}/files/${name}`);
      const file = { name, path };
      known.set(name, file);
      return file;
    } catch {
      // not a file of this family
    }
  }
  return undefined;
}
