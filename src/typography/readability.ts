/**
 * How far shrink-to-fit may go. Text is shrunk as a whole (one scale for a slide), so the floor is
 * set by the text that reaches its role's readable minimum first, on a 1080 px image that a phone
 * shows about 3× smaller: body text stays at 30 px or more, headings at 44 px, secondary lines
 * (bibliographic line, source, kicker) at 22 px. A warning comes well before the floor, so the
 * librarian shortens the text while it is still readable.
 */
export type TextRole = 'heading' | 'body' | 'secondary';

export const MIN_PX: Record<TextRole, number> = { heading: 44, body: 30, secondary: 22 };
export const WARN_PX: Record<TextRole, number> = { heading: 52, body: 34, secondary: 25 };

/** Classes of the slide's secondary lines (see slide.css). */
const SECONDARY = ['slide__biblio', 'slide__source', 'slide__kicker'];

/**
 * The role of an element that holds slide text, from the tags and classes of it and its ancestors
 * inside the slide, and the slide's layout.
 */
export function textRole(
  tags: readonly string[],
  classes: readonly string[],
  layout: string,
): TextRole {
  if (tags.some((t) => /^h[1-3]$/i.test(t))) return 'heading';
  if (classes.some((c) => SECONDARY.includes(c))) return 'secondary';
  if (layout === 'quote' && classes.includes('slide__quote')) return 'heading';
  return 'body';
}

export interface FitLimits {
  /** The smallest scale at which every text keeps its role's minimum size. */
  min: number;
  /** Below this scale the slide is flagged as tight. */
  warn: number;
}

/**
 * Limits for a slide whose texts have these roles and these font sizes at scale 1. A text already
 * below its minimum at full size (none of ours is) does not forbid fitting: it limits at 1.
 */
export function fitLimits(texts: readonly { role: TextRole; size: number }[]): FitLimits {
  let min = 0;
  let warn = 0;
  for (const { role, size } of texts) {
    if (!(size > 0)) continue;
    min = Math.max(min, MIN_PX[role] / size);
    warn = Math.max(warn, WARN_PX[role] / size);
  }
  return { min: Math.min(1, min || 1), warn: Math.min(1, warn || 1) };
}

export type FitStatus = 'ok' | 'tight' | 'overflow';

/** A slide's fit: `overflow` when the text does not fit even at `limits.min`. */
export function fitStatus(scale: number, overflow: boolean, limits: FitLimits): FitStatus {
  if (overflow) return 'overflow';
  return scale < limits.warn - 1e-6 ? 'tight' : 'ok';
}
