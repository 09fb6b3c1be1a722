/**
 * The @font-face CSS embedded into every captured slide. An SVG image cannot use the page's fonts:
 * each face the slide uses must travel inside it as a data: URL.
 *
 * Built here rather than with html-to-image's `getFontEmbedCSS(…, { preferredFontFormat })`: that
 * option reuses a global regular expression between rules and silently drops the `src` of every
 * other rule (with @fontsource's CSS: the `cyrillic` and `latin` subsets), so most text fell back to
 * a system font. Here: every @font-face rule of the families in use, its woff2 source only (all
 * browsers that run the editor read woff2), fetched once per session from the app's own origin.
 */

/** The promise `make` gives for `key`, made once (a failure is forgotten: it may succeed later). */
function memo<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    hit = make();
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}

/** A blob as a data: URL (read off the page's thread by FileReader). */
export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(blob);
  });
}

/** Each font file fetched once per session, from the app's own origin. */
const fontBlobs = new Map<string, Promise<Blob>>();
const fontBlob = (url: string) =>
  memo(fontBlobs, url, async () => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`font ${url}: HTTP ${res.status}`);
    return res.blob();
  });
/** The whole face as a data: URL, once per session (embedded as it is, or when it cannot be subset). */
const dataUrls = new Map<string, Promise<string>>();
const toDataUrl = (url: string) => memo(dataUrls, url, () => fontBlob(url).then(blobToDataUrl));
/** The face's bytes, for subsetting. */
const fontFile = async (url: string) => new Uint8Array(await (await fontBlob(url)).arrayBuffer());

export function normalizeFamily(family: string): string {
  return family.trim().replace(/^["']|["']$/g, '');
}

function fontFaceRules(rules: CSSRuleList, out: CSSFontFaceRule[]): void {
  for (const rule of rules) {
    if (rule instanceof CSSFontFaceRule) out.push(rule);
    else if (rule instanceof CSSGroupingRule) fontFaceRules(rule.cssRules, out);
  }
}

/** The woff2 source of a rule (else its first url), resolved against its stylesheet. */
export function pickSource(src: string, base: string): string | null {
  const sources = [
    ...src.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)\s*(?:format\(\s*['"]?([\w-]+)['"]?\s*\))?/g),
  ];
  const chosen = sources.find((m) => m[3] === 'woff2') ?? sources[0];
  return chosen?.[2] ? new URL(chosen[2], base).href : null;
}

/** One @font-face of a shipped font, with its file inlined, ready to embed. */
export interface EmbeddedFace {
  family: string;
  /** `normal` or `italic`. */
  style: string;
  /** A number (`400`) or a range (`100 900`) as declared. */
  weight: string;
  /** Code point ranges the face covers; empty means all. */
  ranges: [number, number][];
  /** The woff2 file the face comes from. */
  source: string;
  /** The @font-face descriptors (family, style, weight, stretch, unicode-range). */
  descriptors: string;
  css: string;
  /** A letter the face draws (set on subsets, which may lack the first letters of their range). */
  sample?: string;
}

const faceCss = (descriptors: string, url: string, format: string) =>
  `@font-face{${descriptors}font-display:block;src:url(${url}) format("${format}");}`;

/** Code point ranges of a `unicode-range` descriptor ("U+0000-00FF, U+0131, U+04??"). */
export function parseUnicodeRange(value: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const part of value.split(',')) {
    const m = /^\s*u\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!m?.[1]) continue;
    if (m[1].includes('?'))
      ranges.push([parseInt(m[1].replace(/\?/g, '0'), 16), parseInt(m[1].replace(/\?/g, 'f'), 16)]);
    else ranges.push([parseInt(m[1], 16), parseInt(m[2] ?? m[1], 16)]);
  }
  return ranges;
}

/** Every @font-face of the given families (as written in font-family, unquoted), inlined. */
export async function embedFaces(families: ReadonlySet<string>): Promise<EmbeddedFace[]> {
  const rules: CSSFontFaceRule[] = [];
  for (const sheet of document.styleSheets) {
    try {
      fontFaceRules(sheet.cssRules, rules);
    } catch {
      // A cross-origin stylesheet: the app ships none, and its fonts could not be embedded anyway.
    }
  }
  const faces = await Promise.all(
    rules.map(async (rule): Promise<EmbeddedFace | null> => {
      const s = rule.style;
      const family = normalizeFamily(s.getPropertyValue('font-family'));
      if (!families.has(family)) return null;
      const base = rule.parentStyleSheet?.href ?? document.baseURI;
      const url = pickSource(s.getPropertyValue('src'), base);
      if (!url) return null;
      const data = await toDataUrl(url);
      const descriptors = [
        'font-family',
        'font-style',
        'font-weight',
        'font-stretch',
        'unicode-range',
      ]
        .map((p) => [p, s.getPropertyValue(p)] as const)
        .filter(([, v]) => v)
        .map(([p, v]) => `${p}:${v};`)
        .join('');
      return {
        family,
        style: s.getPropertyValue('font-style') || 'normal',
        weight: s.getPropertyValue('font-weight') || '400',
        ranges: parseUnicodeRange(s.getPropertyValue('unicode-range')),
        source: url,
        descriptors,
        css: faceCss(descriptors, data, 'woff2'),
      };
    }),
  );
  return faces.filter((f) => f !== null);
}

/** A font as an element uses it: its family list, style and weight (computed values). */
export interface FontUse {
  families: string[];
  style: string;
  weight: string;
}

function weightMatches(face: string, wanted: number): boolean {
  const [lo = NaN, hi = lo] = face.split(/\s+/).map(Number);
  return wanted >= lo && wanted <= hi;
}

/**
 * The faces a slide needs: those of the families, styles and weights it uses (all weights of a
 * style when the exact one is not shipped, since the browser then picks the nearest), and of those
 * only the subsets that cover a character of its text. The subset with the space is always kept:
 * it gives the line metrics, so dropping it would move every line.
 * Embedding a few faces instead of all of them makes each capture much cheaper.
 */
export function selectFaces(
  faces: readonly EmbeddedFace[],
  uses: readonly FontUse[],
  text: string,
): EmbeddedFace[] {
  const codes = new Set<number>([0x20]);
  for (const ch of text) codes.add(ch.codePointAt(0) ?? 0x20);
  const covers = (f: EmbeddedFace) =>
    f.ranges.length === 0 ||
    [...codes].some((c) => f.ranges.some(([lo, hi]) => c >= lo && c <= hi));
  const chosen = new Set<EmbeddedFace>();
  for (const use of uses) {
    const wanted = Number(use.weight) || 400;
    for (const family of use.families) {
      const ofFamily = faces.filter((f) => f.family === family);
      const styled = ofFamily.filter((f) => f.style === use.style);
      const pool = styled.length > 0 ? styled : ofFamily;
      const exact = pool.filter((f) => weightMatches(f.weight, wanted));
      for (const f of exact.length > 0 ? exact : pool) if (covers(f)) chosen.add(f);
    }
  }
  return faces.filter((f) => chosen.has(f));
}

/** Subsets fonts off the page's thread (the export worker, `worker-client.ts`). */
export interface FontSubsetter {
  subset(font: Uint8Array, codepoints: readonly number[]): Promise<Uint8Array>;
}

/**
 * Letters and digits FreeType's auto-hinter measures a face by: every subset keeps them, or its
 * text would be hinted differently from the whole face's (subset.ts).
 */
export const REFERENCE_LETTERS: readonly (readonly [number, number])[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
  [0x401, 0x401],
  [0x410, 0x44f],
  [0x451, 0x451],
];

/**
 * Characters beyond a flashbook's own text that slides draw: ASCII, the no-break and soft hyphens
 * (a hyphenated line ends in a hyphen), dashes, quotation marks, the ellipsis, №.
 */
const TYPOGRAPHY = ' \u00a0\u00ad\u2010\u2011\u2013\u2014\u2026«»„“”‘’‚№•·×';

/**
 * The characters an export may draw: every character of `values` as JSON (a flashbook's view and
 * design: more than its text, which only makes the subsets a little larger), ASCII, TYPOGRAPHY and
 * the reference letters.
 * A slide that draws a character outside the set has it added (`SlideRenderer`).
 */
export function exportCharacters(...values: unknown[]): Set<number> {
  const chars = new Set<number>();
  for (let c = 0x20; c < 0x7f; c++) chars.add(c);
  // In every subset anyway: a slide that draws one of them needs no new subset.
  for (const [lo, hi] of REFERENCE_LETTERS) for (let c = lo; c <= hi; c++) chars.add(c);
  for (const text of [TYPOGRAPHY, ...values.map((v) => JSON.stringify(v) ?? '')])
    for (const ch of text) chars.add(ch.codePointAt(0) ?? 0x20);
  return chars;
}

/**
 * `face` reduced to the characters of `chars` in its unicode-range (subset.ts, in the worker): a
 * TrueType data: URL some ten times smaller than the whole face, which each SVG image of the export
 * then parses far faster (src/export/README.md, "Speed").
 */
export async function subsetFace(
  face: EmbeddedFace,
  chars: ReadonlySet<number>,
  subsetter: FontSubsetter,
): Promise<EmbeddedFace> {
  const inRange = [...chars].filter(
    (c) => face.ranges.length === 0 || face.ranges.some(([lo, hi]) => c >= lo && c <= hi),
  );
  const ttf = await subsetter.subset(await fontFile(face.source), inRange);
  const url = await blobToDataUrl(new Blob([ttf as Uint8Array<ArrayBuffer>], { type: 'font/ttf' }));
  const drawn = inRange.map((c) => String.fromCodePoint(c));
  return {
    ...face,
    css: faceCss(face.descriptors, url, 'truetype'),
    sample:
      drawn.find((ch) => /\p{L}/u.test(ch)) ??
      drawn.find((ch) => /[\p{N}\p{P}\p{S}]/u.test(ch)) ??
      '',
  };
}
