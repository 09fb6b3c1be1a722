import { describe, expect, it } from 'vitest';
import {
  insertMention,
  matchParticipants,
  mentionQuery,
  splitMentions,
  type Participant,
} from './mentions.ts';

describe('mentionQuery', () => {
  const cases: [string, number | undefined, ReturnType<typeof mentionQuery>][] = [
    ['Сәлем @Ай', undefined, { start: 6, query: 'Ай' }],
    ['@', undefined, { start: 0, query: '' }],
    ['@Айгерим Нур', undefined, { start: 0, query: 'Айгерим Нур' }],
    ['mail me@example.org', undefined, null],
    ['no mention', undefined, null],
    ['@Ай\nnext', undefined, null],
    ['(@Бек', undefined, { start: 1, query: 'Бек' }],
    ['@Бек и ещё много разных слов', undefined, null],
    ['@Бек и', 4, { start: 0, query: 'Бек' }],
  ];
  for (const [text, caret, expected] of cases)
    it(JSON.stringify([text, caret]), () =>
      expect(mentionQuery(text, caret ?? text.length)).toEqual(expected),
    );
});

describe('matchParticipants', () => {
  const people: Participant[] = [
    { name: 'Айгерим Нурланова', detail: 'ЦБС Астана', kind: 'person' },
    { name: 'Бек Сапаров', detail: '', kind: 'person' },
    { name: 'Районная библиотека №2', detail: '', kind: 'library' },
    { name: 'Нұрлан', detail: '', kind: 'person' },
  ];
  it('puts names that start with the query first, then words, then anywhere', () => {
    expect(matchParticipants(people, 'нур').map((p) => p.name)).toEqual(['Айгерим Нурланова']);
    expect(matchParticipants(people, 'Н').map((p) => p.name)).toEqual([
      'Нұрлан',
      'Айгерим Нурланова',
      'Районная библиотека №2',
    ]);
    expect(matchParticipants(people, '').length).toBe(4);
    expect(matchParticipants(people, 'zzz')).toEqual([]);
  });
});

describe('insertMention', () => {
  it('replaces the typed part with the name and a space, caret after it', () => {
    expect(insertMention('Сәлем @Ай, қараңыз', 6, 9, 'Айгерим Нурланова')).toEqual({
      text: 'Сәлем @Айгерим Нурланова , қараңыз',
      caret: 25,
    });
    expect(insertMention('@Б', 0, 2, 'Бек')).toEqual({ text: '@Бек ', caret: 5 });
  });
});

describe('splitMentions', () => {
  const names = ['Айгерим Нурланова', 'Айгерим', 'Бек'];
  const cases: [string, { text: string; mention: boolean }[]][] = [
    ['no mentions', [{ text: 'no mentions', mention: false }]],
    [
      '@Айгерим Нурланова, посмотрите',
      [
        { text: '@Айгерим Нурланова', mention: true },
        { text: ', посмотрите', mention: false },
      ],
    ],
    [
      'и @Айгерим тоже',
      [
        { text: 'и ', mention: false },
        { text: '@Айгерим', mention: true },
        { text: ' тоже', mention: false },
      ],
    ],
    ['@Бекжан is someone else', [{ text: '@Бекжан is someone else', mention: false }]],
    ['x@Бек', [{ text: 'x@Бек', mention: false }]],
    ['@Unknown', [{ text: '@Unknown', mention: false }]],
  ];
  for (const [text, expected] of cases)
    it(text, () => expect(splitMentions(text, names)).toEqual(expected));
});
