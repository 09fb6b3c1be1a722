/**
 * What a token grants, decided once per connection or request. Each role is a link with its own
 * unguessable token:
 * - `view`: read the flashbook live;
 * - `comment`: read, and write the comment threads (nothing else; the server enforces it from the
 *   content of every update);
 * - `edit`: change the content, comment, and move posts between `draft` and `review`;
 * - `approve`: everything an editor does, plus approving posts, sending them back, and replacing
 *   links. The creator of a flashbook receives it.
 *
 * Checks ask "can this role …?" through the functions below rather than comparing with a role's
 * name, so that what a role may do is decided here only.
 */
export type Role = 'view' | 'comment' | 'edit' | 'approve';

/** From the least to the most powerful. */
export const ROLES: readonly Role[] = ['view', 'comment', 'edit', 'approve'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Writes the comment threads (root `comments`, docs/document-schema.md). */
export function roleCanComment(role: Role | undefined): boolean {
  return role === 'comment' || role === 'edit' || role === 'approve';
}

/** Changes the content (meta, posts, slides) and uploads images. */
export function roleCanEdit(role: Role | undefined): boolean {
  return role === 'edit' || role === 'approve';
}

/** Sets a post to `approved`, sends it back to `draft`, and replaces links. */
export function roleCanApprove(role: Role | undefined): boolean {
  return role === 'approve';
}

/** The statuses a role may set through the status API (`approved` only for approvers). */
export function roleCanSetStatus(role: Role | undefined, status: string): boolean {
  if (status === 'approved') return roleCanApprove(role);
  return (status === 'draft' || status === 'review') && roleCanEdit(role);
}
