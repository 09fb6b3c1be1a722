/**
 * Colours for the people in a flashbook at the same time. Each person chooses a colour in their
 * profile, and two people can choose (or be given) nearly the same one: then their avatars and the
 * dots on the thumbnails cannot be told apart. Everyone gets a colour from one palette of dark,
 * saturated colours (white initials stay readable on all of them): their own colour's nearest
 * palette entry when it is far enough from those already given, otherwise the entry farthest from
 * all of them. People are taken in the order of their client id, so every tab computes the same
 * colours for the same people. Distances are in OKLab, where equal distances look equally different.
 */

export interface Person {
  clientId: number;
  /** The colour the person chose, `#rrggbb`. */
  color: string;
}

/** The smallest OKLab distance between two people's colours that still reads as two colours. */
export const MIN_COLOR_DISTANCE = 0.09;

type Lab = [number, number, number];

function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function linearToSrgb(c: number): number {
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}

export function hexToOklab(hex: string): Lab {
  const n = Number.parseInt(hex.slice(1), 16);
  const r = srgbToLinear(((n >> 16) & 255) / 255);
  const g = srgbToLinear(((n >> 8) & 255) / 255);
  const b = srgbToLinear((n & 255) / 255);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** Linear sRGB of an OKLab colour (may lie outside [0, 1]: out of gamut). */
function oklabToLinear([L, a, b]: Lab): [number, number, number] {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
}

export function colorDistance(x: string, y: string): number {
  const p = hexToOklab(x);
  const q = hexToOklab(y);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** An OKLCh colour as `#rrggbb`, its chroma reduced until it fits in sRGB. */
function oklch(L: number, C: number, hueDegrees: number): string {
  const h = (hueDegrees * Math.PI) / 180;
  for (let c = C; c >= 0; c -= 0.005) {
    const rgb = oklabToLinear([L, c * Math.cos(h), c * Math.sin(h)]);
    if (rgb.every((v) => v >= 0 && v <= 1))
      return `#${rgb
        .map((v) =>
          Math.round(linearToSrgb(v) * 255)
            .toString(16)
            .padStart(2, '0'),
        )
        .join('')}`;
  }
  return '#5f6b7a';
}

/**
 * Twelve hues at two lightnesses, both dark enough for white initials (OKLab L 0.42 and 0.55 are
 * a contrast of about 7:1 and 4.9:1 with white).
 */
export const PALETTE: readonly string[] = [0.55, 0.42].flatMap((L, row) =>
  Array.from({ length: 12 }, (_, i) => oklch(L, 0.15, i * 30 + row * 15 + 25)),
);

const PALETTE_LAB = PALETTE.map(hexToOklab);

function labDistance(p: Lab, q: Lab): number {
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** The colour each person is shown in, by client id. */
export function distinctColors(people: readonly Person[]): Map<number, string> {
  const result = new Map<number, string>();
  const given: Lab[] = [];
  const sorted = [...people].sort((a, b) => a.clientId - b.clientId);
  for (const person of sorted) {
    const nearestToAll = (i: number) =>
      Math.min(...given.map((g) => labDistance(PALETTE_LAB[i]!, g)));
    let choice = -1;
    if (/^#[0-9a-f]{6}$/i.test(person.color)) {
      const own = hexToOklab(person.color);
      let nearest = 0;
      for (let i = 1; i < PALETTE_LAB.length; i++)
        if (labDistance(PALETTE_LAB[i]!, own) < labDistance(PALETTE_LAB[nearest]!, own))
          nearest = i;
      if (given.length === 0 || nearestToAll(nearest) >= MIN_COLOR_DISTANCE) choice = nearest;
    }
    if (choice < 0) {
      // The palette entry farthest from every colour given so far; ties go to the first.
      let best = 0;
      for (let i = 1; i < PALETTE_LAB.length; i++)
        if (nearestToAll(i) > nearestToAll(best)) best = i;
      choice = best;
    }
    given.push(PALETTE_LAB[choice]!);
    result.set(person.clientId, PALETTE[choice]!);
  }
  return result;
}
