import { blobToDataUrl, type EmbeddedFace } from './fonts.ts';

/**
 * The export's own capture of a mounted slide into an SVG image (foreignObject), replacing
 * html-to-image's for the export (src/export/README.md, "Speed").
 *
 * html-to-image clones the slide and writes every computed property (some 350) of every element
 * into a `style` attribute, then serialises that clone: most of a slide's time went into
 * `getComputedStyle` and `setProperty` (JS) and into Chromium parsing the resulting SVG of inline
 * styles, once more for every slide. Here the slide's markup is serialised as it is, and travels
 * with the page's own style rules that apply to it (those whose selector matches an element of the
 * slide, `@media` decided as in the page), the properties the slide inherits from the page around
 * it, the embedded fonts, and its images as data: URLs (each converted once per export).
 *
 * The steps are separate calls so that the caller can give the browser a turn between them: none
 * takes more than a few milliseconds, except the browser's own parsing of the SVG image.
 */

/** A style rule of the page, with the selector used to test whether it applies to a slide. */
interface PageRule {
  /** The selector without pseudo-elements (`.slide *::after` → `.slide *`); null: always kept. */
  test: string | null;
  css: string;
}

/** Properties a slide inherits from the element it is mounted in (inherited CSS properties). */
const INHERITED = [
  'color',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-stretch',
  'font-variant',
  'font-kerning',
  'font-feature-settings',
  'font-variation-settings',
  'font-optical-sizing',
  'font-synthesis',
  'font-size-adjust',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'text-align',
  'text-indent',
  'text-transform',
  'text-rendering',
  'text-shadow',
  'text-wrap',
  'white-space',
  'word-break',
  'overflow-wrap',
  'line-break',
  'hyphens',
  'hyphenate-character',
  'direction',
  'writing-mode',
  'visibility',
  'quotes',
  'tab-size',
  'list-style',
  'orphans',
  'widows',
  'image-rendering',
  '-webkit-font-smoothing',
  '-webkit-text-stroke',
];

const PSEUDO_ELEMENT =
  /::?(?:before|after|marker|placeholder|selection|first-line|first-letter|backdrop|file-selector-button|-webkit-[\w-]+)(?:\([^)]*\))?/g;

function collectRules(rules: CSSRuleList, out: PageRule[]): void {
  for (const rule of rules) {
    if (rule instanceof CSSFontFaceRule) continue; // fonts travel embedded (fonts.ts)
    if (rule instanceof CSSStyleRule) {
      const test = rule.selectorText.replace(PSEUDO_ELEMENT, '').trim();
      out.push({ test: test || '*', css: rule.cssText });
    } else if (rule instanceof CSSMediaRule) {
      // Decided as the page sees it: inside the image the viewport would be the slide.
      if (matchMedia(rule.conditionText).matches) collectRules(rule.cssRules, out);
    } else if (rule instanceof CSSSupportsRule) {
      if (CSS.supports(rule.conditionText)) collectRules(rule.cssRules, out);
    } else if (rule instanceof CSSImportRule) {
      if (rule.styleSheet && matchMedia(rule.media.mediaText || 'all').matches)
        collectRules(rule.styleSheet.cssRules, out);
    } else {
      // @keyframes, @property, @layer, @counter-style, …: kept as written.
      out.push({ test: null, css: rule.cssText });
    }
  }
}

/** Every style rule of the page's stylesheets (read once per export). */
export function pageRules(): PageRule[] {
  const out: PageRule[] = [];
  for (const sheet of document.styleSheets) {
    try {
      if (sheet.media.mediaText && !matchMedia(sheet.media.mediaText).matches) continue;
      collectRules(sheet.cssRules, out);
    } catch {
      // A cross-origin stylesheet: the app ships none.
    }
  }
  return out;
}

/** The indices of the rules that apply to some element of `frame` (or its ::before/::after). */
export function rulesFor(frame: Element, rules: readonly PageRule[]): number[] {
  const kept: number[] = [];
  rules.forEach((r, i) => {
    let applies = true;
    if (r.test !== null) {
      try {
        applies = frame.matches(r.test) || frame.querySelector(r.test) !== null;
      } catch {
        // A selector the page keeps but cannot query (a pseudo-class with arguments): keep it.
      }
    }
    if (applies) kept.push(i);
  });
  return kept;
}

/** `style` declarations for what the slide inherits from `host`, custom properties included. */
export function inheritedStyle(host: Element): string {
  const cs = getComputedStyle(host);
  const out: string[] = [];
  for (const p of INHERITED) {
    const v = cs.getPropertyValue(p);
    if (v) out.push(`${p}:${v}`);
  }
  for (let i = 0; i < cs.length; i++) {
    const p = cs.item(i);
    if (p.startsWith('--')) out.push(`${p}:${cs.getPropertyValue(p)}`);
  }
  return out.join(';');
}

/** Converts URLs to data: URLs, each once (the same cover on several slides is read once). */
export class DataUrlCache {
  private readonly urls = new Map<string, Promise<string | null>>();
  /** URLs that could not be read (the image is left out, as a broken image would be). */
  readonly failed = new Set<string>();

  get(url: string): Promise<string | null> {
    let cached = this.urls.get(url);
    if (!cached) {
      cached = fetch(url)
        .then((res) => {
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          return res.blob();
        })
        .then(blobToDataUrl)
        .catch(() => {
          this.failed.add(url);
          return null;
        });
      this.urls.set(url, cached);
    }
    return cached;
  }
}

const ATTR_URL = /\s(?:src|href|xlink:href)="([^"]+)"/g;
const CSS_URL = /url\(\s*(?:&quot;|["'])?([^"')&]+?)(?:&quot;|["'])?\s*\)/g;

function unescapeXml(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Replaces every URL of the markup and the CSS (image sources, `url(…)`) by a data: URL: an SVG
 * image loads nothing from outside. A URL that cannot be read becomes empty.
 */
async function inlineUrls(text: string, cache: DataUrlCache): Promise<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(ATTR_URL)) if (m[1]) found.add(m[1]);
  for (const m of text.matchAll(CSS_URL)) if (m[1]) found.add(m[1]);
  const wanted = [...found].filter((u) => !u.startsWith('data:') && !u.startsWith('#'));
  if (wanted.length === 0) return text;
  const resolved = new Map<string, string>();
  await Promise.all(
    wanted.map(async (u) => {
      const data = await cache.get(new URL(unescapeXml(u), document.baseURI).href);
      resolved.set(u, data ?? '');
    }),
  );
  const swap = (whole: string, u: string) => {
    const data = resolved.get(u);
    return data === undefined ? whole : whole.replace(u, data);
  };
  return text.replace(ATTR_URL, swap).replace(CSS_URL, swap);
}

/** One slide, laid out and written down, waiting to be drawn. */
export interface SlideMarkup {
  /** The mounted slide (its element and everything inside), serialised, its URLs inlined. */
  markup: string;
  /** Indices (into `pageRules()`) of the rules that apply to it. */
  rules: number[];
}

/**
 * The slide's markup with its URLs inlined (see `inlineUrls`). An image the slide does not show
 * (`display: none`, such as the blurred backdrop of a cover that fits its frame) loses its source
 * first: inside the SVG image it would still be parsed and decoded, for nothing. `frame` is the
 * renderer's own copy of the slide, mounted for this capture only.
 */
export async function slideMarkup(
  frame: Element,
  rules: readonly PageRule[],
  cache: DataUrlCache,
): Promise<SlideMarkup> {
  for (const img of frame.querySelectorAll('img'))
    if (img.getClientRects().length === 0) img.removeAttribute('src');
  const markup = await inlineUrls(new XMLSerializer().serializeToString(frame), cache);
  return { markup, rules: rulesFor(frame, rules) };
}

export interface SvgParts {
  width: number;
  height: number;
  /** Declarations for each slide's container (what it inherits; see `inheritedStyle`). */
  hostStyle: string;
  lang: string;
  /** Every rule of the page (`pageRules()`); those some slide needs are included. */
  rules: readonly PageRule[];
  /** The @font-face rules, their fonts already data: URLs (fonts.ts). */
  fontCss: string;
  slides: readonly SlideMarkup[];
}

/**
 * The SVG document (as text) that draws the slides one below the other, each `width`×`height`.
 * Several slides share one image so that the browser reads the embedded fonts (most of the SVG's
 * bytes and of its cost) once for all of them.
 */
export async function slidesSvg(parts: SvgParts, cache: DataUrlCache): Promise<string> {
  const { width, height, slides } = parts;
  const used = new Set(slides.flatMap((s) => s.rules));
  const css = await inlineUrls(
    parts.rules
      .filter((_, i) => used.has(i))
      .map((r) => r.css)
      .join('\n'),
    cache,
  );
  const hostStyle = escapeXml(
    `${parts.hostStyle};width:${width}px;height:${height}px;margin:0;overflow:hidden;position:relative;contain:strict`,
  ).replace(/"/g, '&quot;');
  const lang = escapeXml(parts.lang).replace(/"/g, '&quot;');
  const total = height * slides.length;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}">` +
    `<foreignObject x="0" y="0" width="100%" height="100%">` +
    `<div xmlns="http://www.w3.org/1999/xhtml" style="margin:0;width:${width}px;height:${total}px">` +
    `<style>${escapeXml(parts.fontCss)}\n${escapeXml(css)}</style>` +
    slides
      .map((s) => `<div data-export-host="" lang="${lang}" style="${hostStyle}">${s.markup}</div>`)
      .join('') +
    `</div></foreignObject></svg>`
  );
}

/**
 * Loads the SVG as an image, decoded and ready to draw. A data: URL, not a blob: URL: Chromium
 * taints a canvas that drew an SVG with a foreignObject from a blob: URL (its pixels could then
 * not be encoded in the worker), but not from a data: URL. Only the characters that end or break
 * a URL are escaped (`#`, `%`, line breaks): `encodeURIComponent` of the whole image, most of it
 * base64 fonts, took several milliseconds for nothing.
 *
 * The browser parses the image, lays its slides out and reads its fonts in a microtask right after
 * `src` is set: `parseMs` is the time that took (a task the page cannot interrupt).
 */
export async function loadSvg(svg: string): Promise<{ image: HTMLImageElement; parseMs: number }> {
  const image = new Image();
  image.decoding = 'async';
  const url = `data:image/svg+xml;charset=utf-8,${svg.replace(/[#%\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
  const t = performance.now();
  image.src = url;
  // Queued after the image's own microtask, so it runs when the parsing is done.
  await new Promise<void>((resolve) => queueMicrotask(resolve));
  const parseMs = performance.now() - t;
  try {
    await image.decode();
  } catch (e) {
    throw new Error(`the slide image could not be drawn: ${String(e)}`);
  }
  return { image, parseMs };
}

/** A letter the face covers (its unicode-range), to draw with it alone. */
function letterOf(face: EmbeddedFace): string {
  if (face.sample !== undefined) return face.sample;
  if (face.ranges.length === 0) return 'A';
  for (const [lo, hi] of face.ranges)
    for (let c = lo; c <= Math.min(hi, lo + 2000); c++) {
      const ch = String.fromCodePoint(c);
      if (/\p{L}/u.test(ch)) return ch;
    }
  return '';
}

const CELL = 64;

/**
 * Makes sure the browser has read the embedded fonts before a slide is drawn with them. Inside an
 * SVG image the fonts load after the image itself (`font-display: block` then hides the text):
 * the first slide of an export came out without its text. So every face is drawn once first, a
 * letter of it in a cell of its own, and drawn again until every cell shows ink; the fonts are
 * then in the browser's memory cache (by their data: URL), and later images have them at once.
 * Gives up after `timeoutMs` (the slide is then drawn as it comes).
 */
export async function warmFonts(
  faces: readonly EmbeddedFace[],
  timeoutMs = 3000,
): Promise<boolean> {
  const cells = faces.map((f) => ({ face: f, letter: letterOf(f) })).filter((c) => c.letter);
  if (cells.length === 0) return true;
  const width = CELL * cells.length;
  const spans = cells
    .map(
      ({ face, letter }, i) =>
        `<div style="position:absolute;left:${i * CELL}px;top:0;width:${CELL}px;height:${CELL}px;` +
        `font-family:&quot;${escapeXml(face.family)}&quot;;font-style:${face.style};` +
        `font-weight:${face.weight.split(/\s+/)[0] ?? '400'};font-size:44px;line-height:${CELL}px;text-align:center">${escapeXml(letter)}</div>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${CELL}">` +
    `<foreignObject x="0" y="0" width="100%" height="100%">` +
    `<div xmlns="http://www.w3.org/1999/xhtml" style="position:relative;width:${width}px;height:${CELL}px;background:#fff;color:#000">` +
    `<style>${escapeXml(faces.map((f) => f.css).join('\n'))}</style>${spans}</div></foreignObject></svg>`;
  const { image } = await loadSvg(svg);
  const canvas = new OffscreenCanvas(width, CELL);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return false;
  const start = performance.now();
  for (;;) {
    ctx.clearRect(0, 0, width, CELL);
    ctx.drawImage(image, 0, 0);
    const data = ctx.getImageData(0, 0, width, CELL).data;
    const inked = cells.every((_, i) => {
      for (let y = 0; y < CELL; y++)
        for (let x = i * CELL; x < (i + 1) * CELL; x++)
          if ((data[(y * width + x) * 4] ?? 255) < 128) return true;
      return false;
    });
    if (inked) return true;
    if (performance.now() - start > timeoutMs) return false;
    await new Promise((r) => setTimeout(r, 16));
  }
}
