import type { Role } from './tokens.ts';

/**
 * What a role may do, in one place. Checks ask "can this role edit?" rather than comparing with
 * 'edit', so that a role added later (an approver's) is granted by changing this function only.
 */
export function roleCanEdit(role: Role | undefined): boolean {
  return role === 'edit';
}
