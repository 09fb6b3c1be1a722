import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addSlide,
  editText,
  readFlashbook,
  readSlide,
  seedFlashbook,
  undoScope,
} from './flashbook.ts';
import { LOCAL } from './origins.ts';
import { setSlideImage, type BookNames } from './slideImage.ts';

const COVER = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

const describeBook = ({ author, title }: BookNames) =>
  title && author ? `Cover of the book «${title}» by ${author}` : title ? `Cover «${title}»` : '';

function bookSlide(fields: { author?: string; title?: string; altText?: string }) {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Test' });
  const postId = readFlashbook(doc).posts[0]?.id ?? '';
  const slideId = addSlide(doc, postId, { layout: 'book', fields });
  return { doc, slideId };
}

describe('setSlideImage', () => {
  it('sets the image and prefills an empty alt text from author and title', () => {
    const { doc, slideId } = bookSlide({
      author: ' Бауыржан Момышұлы ',
      title: 'Артымызда Москва',
    });
    setSlideImage(doc, slideId, COVER, describeBook);
    const slide = readSlide(doc, slideId);
    expect(slide?.image).toBe(COVER);
    expect(slide?.fields.altText).toBe('Cover of the book «Артымызда Москва» by Бауыржан Момышұлы');
  });

  it('keeps alt text someone already wrote, and a later image keeps the prefilled one', () => {
    const { doc, slideId } = bookSlide({ author: 'A', title: 'T', altText: 'Written by hand' });
    setSlideImage(doc, slideId, COVER, describeBook);
    expect(readSlide(doc, slideId)?.fields.altText).toBe('Written by hand');
    editText(doc, { kind: 'slide', slideId, field: 'altText' }, '');
    setSlideImage(doc, slideId, COVER, describeBook);
    editText(doc, { kind: 'slide', slideId, field: 'title' }, 'New title');
    setSlideImage(doc, slideId, OTHER, describeBook);
    expect(readSlide(doc, slideId)?.fields.altText).toBe('Cover of the book «T» by A');
  });

  it('leaves alt text empty when the book has no title or author yet, and removal keeps it', () => {
    const { doc, slideId } = bookSlide({});
    setSlideImage(doc, slideId, COVER, describeBook);
    expect(readSlide(doc, slideId)?.fields.altText).toBe('');
    const named = bookSlide({ title: 'T' });
    setSlideImage(named.doc, named.slideId, COVER, describeBook);
    setSlideImage(named.doc, named.slideId, '', describeBook);
    expect(readSlide(named.doc, named.slideId)?.image).toBe('');
    expect(readSlide(named.doc, named.slideId)?.fields.altText).toBe('Cover «T»');
  });

  it('is one undo step', () => {
    const { doc, slideId } = bookSlide({ title: 'T' });
    const undo = new Y.UndoManager(undoScope(doc), { trackedOrigins: new Set([LOCAL]) });
    setSlideImage(doc, slideId, COVER, describeBook);
    expect(undo.undoStack.length).toBe(1);
    undo.undo();
    expect(readSlide(doc, slideId)?.image).toBe('');
    expect(readSlide(doc, slideId)?.fields.altText).toBe('');
  });
});
