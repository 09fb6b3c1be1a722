import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPost,
  addSlide,
  deleteSlide,
  editText,
  readFlashbook,
  seedFlashbook,
  setFormat,
} from '../model/flashbook.ts';
import { imageInfo } from './image-info.ts';
import { buildManifest, imageProblem, planExport } from './plan.ts';
import { zipPackage } from './zip.ts';

function flashbook() {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Соғыс жылдарының әдебиеті', hashtags: '#Жеңіс80 кітап' });
  const first = readFlashbook(doc).posts[0];
  if (!first) throw new Error('no post');
  editText(doc, { kind: 'caption', postId: first.id }, 'Бірінші пост. #әдебиет');
  const cover = first.slides[0];
  if (!cover) throw new Error('no cover');
  editText(doc, { kind: 'slide', slideId: cover.id, field: 'altText' }, 'Обложка\nфлешбука');
  addSlide(doc, first.id, {
    layout: 'book',
    fields: { title: 'Волоколамское шоссе', author: 'Бек', altText: 'Книга' },
  });
  const { postId } = addPost(doc, { layout: 'quote' });
  editText(doc, { kind: 'caption', postId }, '');
  return { doc, firstId: first.id, secondId: postId };
}

describe('planExport', () => {
  it('names folders and files for every post and slide', () => {
    const { doc } = flashbook();
    const plan = planExport(readFlashbook(doc));
    expect(plan.zipName).toBe('sogys-zhyldarynyng-adebieti.zip');
    expect(plan.posts.map((p) => p.folder)).toEqual(['01-sogys-zhyldarynyng-adebieti', '02-post']);
    expect(plan.posts.flatMap((p) => p.slides.map((s) => s.path))).toEqual([
      '01-sogys-zhyldarynyng-adebieti/01.jpg',
      '01-sogys-zhyldarynyng-adebieti/02.jpg',
      '02-post/01.jpg',
    ]);
    expect(plan).toMatchObject({ width: 1080, height: 1350, format: '4:5', slideCount: 3 });
    expect(plan.blocked).toBe(false);
  });

  it('appends the common hashtags to captions and writes alt text one line per image', () => {
    const { doc } = flashbook();
    const [first, second] = planExport(readFlashbook(doc)).posts;
    expect(first?.caption).toBe('Бірінші пост. #әдебиет\n\n#Жеңіс80 #кітап');
    expect(second?.caption).toBe('#Жеңіс80 #кітап');
    expect(first?.altTextFile).toBe('01.jpg: Обложка флешбука\n02.jpg: Книга\n');
    expect(second?.issues).toContainEqual({ code: 'missingAltText', slides: [1] });
  });

  it('follows the format and the image type', () => {
    const { doc, secondId } = flashbook();
    setFormat(doc, '3:4');
    const plan = planExport(readFlashbook(doc), { postId: secondId, imageType: 'image/png' });
    expect(plan).toMatchObject({ width: 1080, height: 1440, imageType: 'image/png' });
    expect(plan.zipName).toBe('sogys-zhyldarynyng-adebieti-02-post.zip');
    expect(plan.posts.map((p) => p.slides.map((s) => s.path))).toEqual([['02-post/01.png']]);
  });

  it('blocks a carousel of more than 20 slides and warns above 10', () => {
    const { doc, secondId } = flashbook();
    for (let i = 0; i < 10; i++) addSlide(doc, secondId, { fields: { title: `Слайд ${i}` } });
    let plan = planExport(readFlashbook(doc));
    expect(plan.blocked).toBe(false);
    expect(plan.posts[1]?.issues).toContainEqual({ code: 'overApiLimit', count: 11, max: 10 });
    for (let i = 0; i < 10; i++) addSlide(doc, secondId, {});
    plan = planExport(readFlashbook(doc));
    expect(plan.blocked).toBe(true);
    expect(plan.posts[1]?.issues).toContainEqual({ code: 'tooManySlides', count: 21, max: 20 });
    expect(planExport(readFlashbook(doc), { postId: plan.posts[0]?.postId }).blocked).toBe(false);
  });

  it('skips posts without slides in a whole export and blocks exporting one alone', () => {
    const { doc } = flashbook();
    const { postId, slideId } = addPost(doc);
    deleteSlide(doc, slideId);
    const view = readFlashbook(doc);
    const whole = planExport(view);
    expect(whole.skipped.map((p) => p.number)).toEqual([3]);
    expect(whole.blocked).toBe(false);
    expect(planExport(view, { postId }).blocked).toBe(true);
  });
});

describe('manifest and package', () => {
  it('lists title, format, posts, slides and files; the ZIP holds them', () => {
    const { doc } = flashbook();
    const view = readFlashbook(doc);
    const plan = planExport(view);
    const files = [
      ...plan.posts.flatMap((p) => [
        ...p.slides.map((s) => ({ path: s.path, data: new Uint8Array([0xff, 0xd8, 1, 2]) })),
        { path: `${p.folder}/caption.txt`, data: p.caption },
        { path: `${p.folder}/alt-text.txt`, data: p.altTextFile },
      ]),
    ];
    const sizes = new Map(
      files.map((f) => [f.path, typeof f.data === 'string' ? Buffer.byteLength(f.data) : 4]),
    );
    const manifest = buildManifest(plan, view.hashtags, sizes, new Date('2026-05-09T10:00:00Z'));
    expect(manifest).toMatchObject({
      title: 'Соғыс жылдарының әдебиеті',
      exportedAt: '2026-05-09T10:00:00.000Z',
      format: { ratio: '4:5', width: 1080, height: 1350, type: 'image/jpeg' },
      hashtags: ['#Жеңіс80', '#кітап'],
    });
    expect(manifest.posts.map((p) => p.slides.map((s) => s.file))).toEqual(
      plan.posts.map((p) => p.slides.map((s) => s.path)),
    );
    expect(manifest.files.map((f) => f.path)).toEqual(files.map((f) => f.path));
    expect(manifest.files.find((f) => f.path.endsWith('caption.txt'))?.bytes).toBe(
      Buffer.byteLength(plan.posts[0]?.caption ?? ''),
    );

    const zip = unzipSync(
      zipPackage([...files, { path: 'manifest.json', data: JSON.stringify(manifest) }]),
    );
    expect(Object.keys(zip).sort()).toEqual([...files.map((f) => f.path), 'manifest.json'].sort());
    expect(strFromU8(zip['01-sogys-zhyldarynyng-adebieti/caption.txt'] as Uint8Array)).toBe(
      plan.posts[0]?.caption,
    );
  });

  it('refuses two files with one path', () => {
    expect(() =>
      zipPackage([
        { path: 'a.txt', data: '1' },
        { path: 'a.txt', data: '2' },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('imageInfo', () => {
  it('reads a PNG header', () => {
    const png = new Uint8Array(33);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    new DataView(png.buffer).setUint32(16, 1080);
    new DataView(png.buffer).setUint32(20, 1350);
    expect(imageInfo(png)).toEqual({ type: 'image/png', width: 1080, height: 1350 });
  });

  it('reads a JPEG frame header after other segments', () => {
    // SOI, APP0 (length 16), SOF0 (length 17): precision 8, height 1440, width 1080.
    const jpeg = new Uint8Array([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...new Array<number>(14).fill(0),
      0xff,
      0xc0,
      0x00,
      0x11,
      0x08,
      0x05,
      0xa0,
      0x04,
      0x38,
      0x03,
    ]);
    expect(imageInfo(jpeg)).toEqual({ type: 'image/jpeg', width: 1080, height: 1440 });
  });

  it('refuses other bytes', () => {
    expect(imageInfo(new Uint8Array([1, 2, 3, 4, 5]))).toBeNull();
  });
});

describe('imageProblem', () => {
  const plan = { imageType: 'image/jpeg' as const, width: 1080, height: 1350 };
  const jpeg = { type: 'image/jpeg' as const, width: 1080, height: 1350 };
  const path = '01-post/01.jpg';

  it.each([
    ['the right type and size, under 8 MB', jpeg, 500_000, null],
    ['exactly 8 MB', jpeg, 8 * 1024 * 1024, null],
    [
      'one byte over 8 MB',
      jpeg,
      8 * 1024 * 1024 + 1,
      "01-post/01.jpg is 8.0 MB, over Instagram's 8.0 MB limit",
    ],
    [
      'a PNG where a JPEG was planned',
      { ...jpeg, type: 'image/png' as const },
      500_000,
      '01-post/01.jpg is not a 1080×1350 image/jpeg',
    ],
    [
      'the wrong height',
      { ...jpeg, height: 1080 },
      500_000,
      '01-post/01.jpg is not a 1080×1350 image/jpeg',
    ],
    ['an unreadable header', null, 500_000, '01-post/01.jpg is not a 1080×1350 image/jpeg'],
  ])('%s', (_name, info, bytes, expected) => {
    expect(imageProblem(path, info, bytes, plan)).toBe(expected);
  });
});
