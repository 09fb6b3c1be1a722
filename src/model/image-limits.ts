/**
 * The largest images the server accepts and the client agrees to decode: shared, so that the
 * editor refuses with the same words before decoding what the server would refuse anyway.
 */

/** Longest side; far beyond any camera. */
export const MAX_IMAGE_SIDE_PX = 30_000;

/**
 * Largest area. A 48-megapixel phone photo (8064 × 6048) passes; decoding one at this limit
 * takes 200 MB (4 bytes a pixel). Side checks alone let a 109 KB PNG of 30000 × 30000 through,
 * which takes 3.6 GB to decode.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;
