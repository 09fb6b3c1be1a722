import type * as Y from 'yjs';
import { editText, readSlide, setSlideValues } from './flashbook.ts';
import { LOCAL, type Origin } from './origins.ts';

/** The book whose cover is shown, as its slide names it (trimmed; either may be empty). */
export interface BookNames {
  author: string;
  title: string;
}

/**
 * Sets a slide's image (an asset id; empty removes it). When an image is set and the slide has
 * no alt text yet, the alt text is prefilled from the book's author and title with `describe`
 * (the caller's translated wording; an empty answer leaves it empty). One transaction, so one
 * undo step takes back both.
 */
export function setSlideImage(
  doc: Y.Doc,
  slideId: string,
  assetId: string,
  describe: (book: BookNames) => string,
  origin: Origin = LOCAL,
): void {
  doc.transact(() => {
    setSlideValues(doc, slideId, { image: assetId }, origin);
    if (!assetId) return;
    const slide = readSlide(doc, slideId);
    if (!slide || slide.fields.altText.trim() !== '') return;
    const alt = describe({
      author: slide.fields.author.trim(),
      title: slide.fields.title.trim(),
    });
    if (alt) editText(doc, { kind: 'slide', slideId, field: 'altText' }, alt, undefined, origin);
  }, origin);
}
