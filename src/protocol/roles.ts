/**
 * What a token grants. `edit`: change the flashbook (the edit token, kept by its editors); `view`:
 * read it live (the view token, shared with anyone). Decided once per connection or request.
 */
export type Role = 'edit' | 'view';

export const ROLES: readonly Role[] = ['edit', 'view'];
