import { describe, expect, it } from 'vitest';
import {
  assembleCaption,
  blankCaption,
  captionProblems,
  captionStats,
  charCount,
  hashtagsIn,
  mentionsIn,
  parseHashtagList,
  visibleCaption,
} from './caption.ts';

describe('hashtags and mentions', () => {
  it('finds Cyrillic, Kazakh and Latin hashtags, each once', () => {
    expect(hashtagsIn('Оқыңыз! #Жеңіс80 #кітап #КІТАП #books_kz, #1941 а#b')).toEqual([
      '#Жеңіс80',
      '#кітап',
      '#books_kz',
    ]);
  });

  it('finds mentions but not e-mail addresses', () => {
    expect(mentionsIn('Спасибо @talgar.library и @Central_Lib. Пишите: info@lib.kz @x')).toEqual([
      '@talgar.library',
      '@Central_Lib',
      '@x',
    ]);
  });

  it('reads the common hashtags as typed in the settings', () => {
    expect(parseHashtagList('#Жеңіс80 кітап, #library;  ##әдебиет. #Жеңіс80 1941')).toEqual([
      '#Жеңіс80',
      '#кітап',
      '#library',
      '#әдебиет',
    ]);
    expect(parseHashtagList('')).toEqual([]);
  });
});

describe('assembleCaption', () => {
  it('appends the common hashtags after a blank line', () => {
    expect(assembleCaption('Соғыс туралы кітаптар.\r\n', '#Жеңіс80 #кітап')).toBe(
      'Соғыс туралы кітаптар.\n\n#Жеңіс80 #кітап',
    );
  });

  it('does not repeat a hashtag the caption has already', () => {
    expect(assembleCaption('Кітаптар #КІТАП', 'кітап, #library')).toBe(
      'Кітаптар #КІТАП\n\n#library',
    );
  });

  it('leaves the caption as it is without common hashtags', () => {
    expect(assembleCaption('  Текст  ', '')).toBe('Текст');
    expect(assembleCaption('', '#a1')).toBe('#a1');
  });
});

describe('counters and limits', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(charCount('Әж😀')).toBe(3);
  });

  it('reports what Instagram would refuse', () => {
    const caption = assembleCaption(`${'я'.repeat(2190)} #a #b #c #d @one`, '#e #f');
    const stats = captionStats(caption);
    expect(stats.hashtags).toHaveLength(6);
    expect(captionProblems(stats)).toEqual([
      { code: 'tooLong', count: stats.chars, max: 2200 },
      { code: 'tooManyHashtags', count: 6, max: 5 },
    ]);
    const mentions = Array.from({ length: 21 }, (_, i) => `@user${i}`).join(' ');
    expect(captionProblems(captionStats(mentions))).toEqual([
      { code: 'tooManyMentions', count: 21, max: 20 },
    ]);
    expect(captionProblems(captionStats('Қысқа #ok'))).toEqual([]);
  });
});

describe('visibleCaption', () => {
  it('shows a short caption whole', () => {
    expect(visibleCaption('Қысқа мәтін.')).toEqual({ visible: 'Қысқа мәтін.', truncated: false });
  });

  it('cuts a long caption near 125 characters at a space', () => {
    const text = 'Сөз '.repeat(60);
    const { visible, truncated } = visibleCaption(text);
    expect(truncated).toBe(true);
    expect(charCount(visible)).toBeLessThanOrEqual(125);
    expect(charCount(visible)).toBeGreaterThan(105);
    expect(visible.endsWith('Сөз')).toBe(true);
  });

  it('shows at most two lines', () => {
    expect(visibleCaption('бір\nекі\nүш')).toEqual({ visible: 'бір\nекі', truncated: true });
  });
});

describe('a caption with nothing of its own', () => {
  const common = '#Жеңіс80, кітапхана';
  it.each([
    ['', 'empty'],
    ['  \n ', 'empty'],
    ['#Жеңіс80', 'onlyCommon'],
    ['#жеңіс80 #Кітапхана', 'onlyCommon'],
    ['#Жеңіс80, #кітапхана!', 'onlyCommon'],
    ['#Жеңіс80 #әдебиет', null],
    ['Соғыс туралы кітаптар #Жеңіс80', null],
    ['1941', null],
  ] as const)('%j is %s', (caption, expected) => {
    expect(blankCaption(caption, common)).toBe(expected);
  });

  it('without common hashtags any hashtag is the post’s own', () => {
    expect(blankCaption('#Жеңіс80', '')).toBe(null);
  });
});
