/**
 * Instagram's formats and limits, checked in 2026. Everything that depends on Instagram reads them
 * from here, so a change in Instagram's rules is a change in one file.
 */
export const FORMATS = {
  '4:5': { width: 1080, height: 1350 },
  '1:1': { width: 1080, height: 1080 },
  '3:4': { width: 1080, height: 1440 },
} as const;

export type Format = keyof typeof FORMATS;
export const DEFAULT_FORMAT: Format = '4:5';
export const FORMAT_IDS = Object.keys(FORMATS) as Format[];

export function isFormat(value: unknown): value is Format {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(FORMATS, value);
}

export const LIMITS = {
  carouselSlidesApp: 20,
  carouselSlidesApi: 10,
  captionChars: 2200,
  captionVisibleChars: 125,
  hashtags: 5,
  mentions: 20,
  altTextChars: 1000,
  /** Largest image file Instagram accepts (feed posts and carousels). */
  imageFileBytes: 8 * 1024 * 1024,
  /** The profile grid crops to 3:4; key text stays inside the central width. */
  safeWidth: 1012,
} as const;
