import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPost, addSlide, readFlashbook, seedFlashbook } from '../model/flashbook.ts';
import { draftAltText } from './alttext.ts';
import { planExport } from './plan.ts';

function slideOf(
  init: Parameters<typeof addSlide>[2],
  title = 'Жаңа кітаптар',
): ReturnType<typeof readFlashbook>['posts'][number]['slides'][number] {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title });
  const post = readFlashbook(doc).posts[0];
  if (!post) throw new Error('no post');
  const id = addSlide(doc, post.id, init);
  const slide = readFlashbook(doc).posts[0]?.slides.find((s) => s.id === id);
  if (!slide) throw new Error('no slide');
  return slide;
}

const at = { post: 2, slide: 3, slides: 5, flashbookTitle: 'Жаңа кітаптар' };

describe('drafted alt text', () => {
  it.each([
    [
      'a Russian book slide with a cover photo',
      {
        layout: 'book',
        image: 'a'.repeat(64),
        fields: {
          author: 'Толстой Лев',
          title: 'Война и мир',
          publisher: 'Эксмо',
          place: 'Москва',
          year: '2021',
          pages: '1300',
        },
        body: ['Роман-эпопея о русском обществе в эпоху войн против Наполеона.'],
      },
      'Пост 2, слайд 3 из 5. Книга: Толстой Лев, «Война и мир». Москва : Эксмо, 2021. — 1300 с. На слайде фотография обложки книги. Аннотация: Роман-эпопея о русском обществе в эпоху войн против Наполеона.',
    ],
    [
      'a Kazakh book slide without a cover',
      { layout: 'book', fields: { author: 'Әуезов Мұхтар', title: 'Абай жолы' } },
      '2-пост, 3-слайд (барлығы 5). Кітап: Әуезов Мұхтар, «Абай жолы». Мұқаба орнында атауы мен авторы жазылған түсті тақта.',
    ],
    [
      'a quote',
      {
        layout: 'quote',
        fields: { quote: 'Ұлы Отан соғысы — ұмытылмас сабақ', quoteSource: 'Бауыржан Момышұлы' },
      },
      '2-пост, 3-слайд (барлығы 5). Дәйексөз: «Ұлы Отан соғысы — ұмытылмас сабақ» — Бауыржан Момышұлы.',
    ],
    [
      'an English text slide',
      { layout: 'text', fields: { title: 'Summer reading' }, body: ['Ten books for the holidays'] },
      'Post 2, slide 3 of 5. Text: “Summer reading”. Ten books for the holidays',
    ],
    [
      'an empty closing slide, in the flashbook’s language',
      { layout: 'closing' },
      '2-пост, 3-слайд (барлығы 5). Қорытынды слайд.',
    ],
  ] as const)('%s', (_, init, expected) => {
    expect(draftAltText(slideOf(init as Parameters<typeof addSlide>[2]), at)).toBe(expected);
  });

  it('stays within Instagram’s alt text limit for a very long annotation', () => {
    const slide = slideOf({
      layout: 'book',
      fields: { title: 'Книга' },
      body: ['слово '.repeat(500)],
    });
    const alt = draftAltText(slide, at);
    expect(alt.length).toBeLessThanOrEqual(600);
    expect(alt.endsWith('…')).toBe(true);
  });

  it('fills every blank entry of alt-text.txt and keeps the librarian’s own text', () => {
    const doc = new Y.Doc();
    seedFlashbook(doc, { title: 'Жеңіс күні' });
    const { postId } = addPost(doc, {
      layout: 'book',
      first: { fields: { title: 'Ақиқат пен аңыз', altText: 'Менің сипаттамам' } },
    });
    addSlide(doc, postId, { layout: 'text', fields: { title: 'Соғыс жылдары' } });
    const plan = planExport(readFlashbook(doc));
    for (const post of plan.posts)
      for (const line of post.altTextFile.trimEnd().split('\n'))
        expect(line).toMatch(/^\d\d\.jpg: \S/u);
    const second = plan.posts[1];
    expect(second?.slides.map((s) => [s.altText, s.altTextDrafted])).toEqual([
      ['Менің сипаттамам', false],
      ['2-пост, 2-слайд (барлығы 2). Мәтін: «Соғыс жылдары».', true],
    ]);
  });
});

describe('drafted alt text of a "books of this post" slide', () => {
  it('names every book whose cover it shows', () => {
    const doc = new Y.Doc();
    seedFlashbook(doc, { title: 'Жаңа кітаптар' });
    const postId = readFlashbook(doc).posts[0]?.id ?? '';
    const id = addSlide(doc, postId, { layout: 'books', fields: { title: 'Іріктеме' } });
    addSlide(doc, postId, {
      layout: 'book',
      fields: { title: 'Абай жолы', author: 'Мұхтар Әуезов' },
    });
    addSlide(doc, postId, { layout: 'book', fields: { title: 'Көшпенділер' } });
    const slide = readFlashbook(doc).posts[0]?.slides.find((s) => s.id === id);
    if (!slide) throw new Error('no slide');
    expect(draftAltText(slide, at)).toBe(
      '2-пост, 3-слайд (барлығы 5). Іріктеме. Осы посттағы кітаптардың мұқабалары (2): Мұхтар Әуезов, «Абай жолы»; «Көшпенділер».',
    );
  });
});
