import {
  ROLES,
  roleCanApprove,
  roleCanEdit,
  roleCanSetStatus,
  type Role,
} from '../../protocol/roles.ts';
import type { PostStatus } from '../../model/schema.ts';

/**
 * Pure decisions of the review flow (table tests in review.test.ts): what a post's status looks
 * like, which status actions a role sees, the flashbook's progress and which links a role shares.
 */

/** What the badge shows: the three statuses, and an approved post whose content changed since. */
export type ShownStatus = PostStatus | 'changed';

export function shownStatus(post: {
  status: PostStatus;
  changedSinceApproval: boolean;
}): ShownStatus {
  return post.status === 'approved' && post.changedSinceApproval ? 'changed' : post.status;
}

/** A symbol beside the word, so the state does not rest on colour alone. */
export const STATUS_SYMBOL: Record<ShownStatus, string> = {
  draft: '✎',
  review: '➤',
  approved: '✓',
  changed: '⚠',
};

/**
 * A status action. `submit` → review; `withdraw` → draft ("Back to draft", an editor taking back
 * its own submission); `approve` → approved; `sendBack` → draft with a note (an approver).
 */
export type StatusAction = 'submit' | 'withdraw' | 'approve' | 'sendBack';

export const ACTION_TARGET: Record<StatusAction, PostStatus> = {
  submit: 'review',
  withdraw: 'draft',
  approve: 'approved',
  sendBack: 'draft',
};

/** The actions a holder of `role` sees for a post shown as `status`, in the order shown. */
export function statusActions(role: Role | undefined, status: ShownStatus): StatusAction[] {
  const actions: StatusAction[] = [];
  const approver = roleCanApprove(role);
  if (!roleCanEdit(role)) return actions;
  switch (status) {
    case 'draft':
      actions.push('submit');
      if (approver) actions.push('approve');
      break;
    case 'review':
      if (approver) actions.push('approve', 'sendBack');
      else actions.push('withdraw');
      break;
    case 'approved':
      // Approval stands until someone changes the post; only the approver takes it back.
      if (approver) actions.push('sendBack');
      break;
    case 'changed':
      // Still approved (the server lets only the approver change an approved post's status): the
      // approver approves the changes or sends the post back; editors see that it changed.
      if (approver) actions.push('approve', 'sendBack');
      break;
  }
  // Never offer what the server would refuse for this role.
  return actions.filter((a) => roleCanSetStatus(role, ACTION_TARGET[a]));
}

/** "7 of 12 posts approved": approved posts that did not change since count. */
export function reviewProgress(
  posts: readonly { status: PostStatus; changedSinceApproval: boolean }[],
): { approved: number; total: number; counts: Record<ShownStatus, number> } {
  const counts: Record<ShownStatus, number> = { draft: 0, review: 0, approved: 0, changed: 0 };
  for (const p of posts) counts[shownStatus(p)]++;
  return { approved: counts.approved, total: posts.length, counts };
}

/**
 * The links a holder of `role` may hand on, strongest first: an approver all, an editor the edit,
 * comment and view links, anyone else only the view link (read-only, harmless). Only the links
 * this browser knows can be shown; an approver can replace one it does not know to learn it.
 */
export function shareableRoles(role: Role): Role[] {
  const order = [...ROLES].reverse();
  if (roleCanApprove(role)) return order;
  if (roleCanEdit(role)) return order.filter((r) => r !== 'approve');
  return ['view'];
}

/** Whether this holder may replace links (the approve role only, on the server too). */
export const canReplaceLinks = roleCanApprove;

/**
 * The posts the publish dialog selects at first (when nothing was published yet): the approved
 * ones (not changed since) once any is approved, otherwise all of them (`approvedOnly` false).
 */
export function publishDefault(
  posts: readonly { id: string; status: PostStatus; changedSinceApproval: boolean }[],
): { ids: Set<string>; approvedOnly: boolean } {
  const approved = posts.filter((p) => shownStatus(p) === 'approved').map((p) => p.id);
  return approved.length > 0
    ? { ids: new Set(approved), approvedOnly: true }
    : { ids: new Set(posts.map((p) => p.id)), approvedOnly: false };
}
