import { describe, expect, it } from 'vitest';
import type { WorkspaceFlashbook } from '../../protocol/workspaces.ts';
import { NO_FILTER, libraryChoices, matches } from './filter.ts';

const now = Date.UTC(2026, 11, 1);
const day = 24 * 60 * 60 * 1000;

function fb(over: Partial<WorkspaceFlashbook>): WorkspaceFlashbook {
  return {
    id: 'flashbook-01',
    title: 'Мұхтар Әуезов',
    createdAt: now - 100 * day,
    updatedAt: now - 2 * day,
    archived: false,
    libraries: ['Абай district library'],
    statuses: { draft: 1, review: 0, approved: 0 },
    published: false,
    ...over,
  };
}

describe('workspace filters', () => {
  it.each([
    ['no filter', {}, {}, true],
    ['search ignores case', { query: 'әуезов' }, {}, true],
    ['search folds ё to е', { query: 'алеша' }, { title: 'Алёша' }, true],
    ['search keeps Kazakh letters apart', { query: 'ауезов' }, {}, false],
    ['search needs every word', { query: 'әуезов абай' }, {}, true],
    ['search misses', { query: 'Пушкин' }, {}, false],
    ['library', { library: 'Абай district library' }, {}, true],
    ['other library', { library: 'Central' }, {}, false],
    ['draft', { status: 'draft' }, {}, true],
    ['review, none', { status: 'review' }, {}, false],
    ['review', { status: 'review' }, { statuses: { draft: 0, review: 2, approved: 1 } }, true],
    [
      'approved needs all',
      { status: 'approved' },
      { statuses: { draft: 0, review: 1, approved: 1 } },
      false,
    ],
    ['approved', { status: 'approved' }, { statuses: { draft: 0, review: 0, approved: 3 } }, true],
    [
      'approved, no posts',
      { status: 'approved' },
      { statuses: { draft: 0, review: 0, approved: 0 } },
      false,
    ],
    ['published', { status: 'published' }, { published: true }, true],
    ['not published', { status: 'published' }, {}, false],
    ['within 7 days', { days: 7 }, {}, true],
    ['older than 1 day', { days: 1 }, {}, false],
  ] as const)('%s', (_, filter, over, expected) => {
    expect(matches(fb(over as Partial<WorkspaceFlashbook>), { ...NO_FILTER, ...filter }, now)).toBe(
      expected,
    );
  });

  it('offers the workspace libraries and those of its flashbooks once, sorted', () => {
    expect(libraryChoices(['B', 'A'], [fb({ libraries: ['C', 'A'] })])).toEqual(['A', 'B', 'C']);
  });
});
