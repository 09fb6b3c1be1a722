import { describe, expect, it } from 'vitest';
import type { Role } from '../../protocol/roles.ts';
import { roleCanSetStatus } from '../../protocol/roles.ts';
import {
  ACTION_TARGET,
  publishDefault,
  reviewProgress,
  shareableRoles,
  shownStatus,
  statusActions,
  type ShownStatus,
  type StatusAction,
} from './review.ts';

const table: [Role, ShownStatus, StatusAction[]][] = [
  ['view', 'draft', []],
  ['view', 'review', []],
  ['comment', 'draft', []],
  ['comment', 'review', []],
  ['comment', 'changed', []],
  ['edit', 'draft', ['submit']],
  ['edit', 'review', ['withdraw']],
  ['edit', 'approved', []],
  ['edit', 'changed', []],
  ['approve', 'draft', ['submit', 'approve']],
  ['approve', 'review', ['approve', 'sendBack']],
  ['approve', 'approved', ['sendBack']],
  ['approve', 'changed', ['approve', 'sendBack']],
];

describe('status actions by role', () => {
  it.each(table)('%s sees for %s: %j', (role, status, actions) => {
    expect(statusActions(role, status)).toEqual(actions);
  });

  it('never offers an action the server refuses for the role', () => {
    for (const [role, status] of table)
      for (const a of statusActions(role, status))
        expect(roleCanSetStatus(role, ACTION_TARGET[a])).toBe(true);
  });

  it('offers approving to nobody but the approve role', () => {
    for (const [role, status] of table)
      expect(statusActions(role, status).includes('approve')).toBe(
        role === 'approve' && status !== 'approved',
      );
  });
});

describe('progress', () => {
  it('counts approved posts that did not change since approval', () => {
    const p = (status: 'draft' | 'review' | 'approved', changed = false) => ({
      status,
      changedSinceApproval: changed,
    });
    const progress = reviewProgress([p('approved'), p('approved', true), p('review'), p('draft')]);
    expect(progress).toEqual({
      approved: 1,
      total: 4,
      counts: { draft: 1, review: 1, approved: 1, changed: 1 },
    });
    expect(shownStatus(p('draft', true))).toBe('draft');
  });
});

describe('shareable links', () => {
  it.each([
    ['approve', ['approve', 'edit', 'comment', 'view']],
    ['edit', ['edit', 'comment', 'view']],
    ['comment', ['view']],
    ['view', ['view']],
  ] as [Role, Role[]][])('%s shares %j', (role, roles) => {
    expect(shareableRoles(role)).toEqual(roles);
  });
});

describe('publish default', () => {
  const post = (id: string, status: 'draft' | 'review' | 'approved', changed = false) => ({
    id,
    status,
    changedSinceApproval: changed,
  });

  it('selects the approved posts once any is approved, not those changed since', () => {
    const d = publishDefault([
      post('a', 'approved'),
      post('b', 'review'),
      post('c', 'approved', true),
    ]);
    expect([...d.ids]).toEqual(['a']);
    expect(d.approvedOnly).toBe(true);
  });

  it('selects every post while none is approved', () => {
    const d = publishDefault([post('a', 'draft'), post('b', 'approved', true)]);
    expect([...d.ids]).toEqual(['a', 'b']);
    expect(d.approvedOnly).toBe(false);
  });
});
