import { contrastRatio } from './contrast.ts';

/**
 * Slide design themes. A theme is data: colours and a font pair that covers Kazakh Cyrillic and
 * Latin (see fonts.ts); the layouts in slide.css read them as CSS variables, so every layout works
 * with every theme.
 */
export interface Theme {
  id: string;
  fonts: { heading: string; body: string; headingWeight: number };
  colors: {
    /** Slide background. */
    bg: string;
    /** Main text. */
    fg: string;
    /** Secondary text (bibliographic line, subtitle). */
    muted: string;
    /** Accent: rules, frames, and text such as the author's name. */
    accent: string;
    /** The designed placeholder cover of a book without an image. */
    coverInk: string;
  };
  /** Hue range for generated placeholder covers, so each book gets its own colour. */
  coverHues: readonly number[];
  coverSaturation: number;
  coverLightness: number;
}

export const THEMES: readonly Theme[] = [
  {
    // Restrained: for war and memory topics.
    id: 'memory',
    fonts: { heading: "'PT Serif', serif", body: "'PT Sans', sans-serif", headingWeight: 700 },
    colors: {
      bg: '#1d2736',
      fg: '#f3ead8',
      muted: '#c9bfa9',
      accent: '#c8a159',
      coverInk: '#f6e7c8',
    },
    coverHues: [2, 12, 24, 200, 215, 30],
    coverSaturation: 45,
    coverLightness: 28,
  },
  {
    // Bright: for children and teenagers.
    id: 'bright',
    fonts: {
      heading: "'Montserrat', sans-serif",
      body: "'Golos Text', sans-serif",
      headingWeight: 800,
    },
    colors: {
      bg: '#fff7e8',
      fg: '#2b2640',
      muted: '#5a5470',
      accent: '#c2410c',
      coverInk: '#ffffff',
    },
    coverHues: [12, 28, 160, 190, 265, 330],
    coverSaturation: 70,
    coverLightness: 42,
  },
  {
    // Classic: paper and ink, for any topic.
    id: 'classic',
    fonts: { heading: "'Lora', serif", body: "'Open Sans', sans-serif", headingWeight: 700 },
    colors: {
      bg: '#f6f1e7',
      fg: '#2a2420',
      muted: '#5e554c',
      accent: '#2f5d50',
      coverInk: '#f8f3e8',
    },
    coverHues: [150, 165, 20, 35, 210, 0],
    coverSaturation: 30,
    coverLightness: 30,
  },
  {
    // Paper: a light, quiet library page (new arrivals, reading lists, announcements).
    id: 'paper',
    fonts: {
      heading: "'Merriweather', serif",
      body: "'Fira Sans', sans-serif",
      headingWeight: 700,
    },
    colors: {
      bg: '#fcfbf8',
      fg: '#1f2430',
      muted: '#4f5666',
      accent: '#8c2f1b',
      coverInk: '#fbf7ef',
    },
    coverHues: [8, 25, 200, 215, 140, 45],
    coverSaturation: 35,
    coverLightness: 32,
  },
  {
    // Steppe: deep teal and gold, the colours of the sky and sun (national holidays), without ornament.
    id: 'steppe',
    fonts: {
      heading: "'Fira Sans', sans-serif",
      body: "'Fira Sans', sans-serif",
      headingWeight: 700,
    },
    colors: {
      bg: '#0d4a57',
      fg: '#f5f1e6',
      muted: '#c9dedc',
      accent: '#f0c24b',
      coverInk: '#fdf6e3',
    },
    coverHues: [40, 28, 350, 12, 265, 140],
    coverSaturation: 40,
    coverLightness: 30,
  },
];

export const DEFAULT_THEME_ID = 'memory';

export function themeById(id: string): Theme {
  return THEMES.find((t) => t.id === id) ?? (THEMES[0] as Theme);
}

/** The colours a slide uses: the theme's, with the flashbook's brand colour as the accent. */
export function slideColors(theme: Theme, brandColor: string): Theme['colors'] {
  return brandColor ? { ...theme.colors, accent: brandColor } : theme.colors;
}

/** WCAG AA for body text. */
export const MIN_CONTRAST = 4.5;

export interface ContrastProblem {
  /** Which text: `text`, `secondary` or `accent`. */
  role: 'text' | 'secondary' | 'accent';
  ratio: number;
}

/** The text colours of a design whose contrast with the background is below WCAG AA. */
export function contrastProblems(colors: Theme['colors']): ContrastProblem[] {
  const checks: [ContrastProblem['role'], string][] = [
    ['text', colors.fg],
    ['secondary', colors.muted],
    ['accent', colors.accent],
  ];
  return checks
    .map(([role, color]) => ({ role, ratio: contrastRatio(color, colors.bg) }))
    .filter((p) => p.ratio < MIN_CONTRAST);
}

/** A stable hue for a book's placeholder cover, from its title and author. */
export function coverHue(theme: Theme, seed: string): number {
  let h = 0;
  for (const ch of seed) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return theme.coverHues[h % theme.coverHues.length] ?? 0;
}
