/**
 * Every transaction carries one of these origins, so that undo tracks only the user's own edits and
 * persistence can tell local edits from echoes.
 */
export type OriginKind = 'local' | 'remote' | 'import' | 'undo' | 'server' | 'storage' | 'restore';

export interface Origin {
  readonly kind: OriginKind;
}

/** The origin of edits made by the user in this client. Undo tracks exactly this object. */
export const LOCAL: Origin = Object.freeze({ kind: 'local' });
/** Content created by an import; undoable as one step by the user who imported. */
export const IMPORT: Origin = Object.freeze({ kind: 'import' });
/** A restore from an earlier version (restore.ts); undoable as one step by the user who restored. */
export const RESTORE: Origin = Object.freeze({ kind: 'restore' });
/** Content written by the server itself (seeding a new flashbook, migrations). */
export const SERVER: Origin = Object.freeze({ kind: 'server' });

export function isOrigin(value: unknown): value is Origin {
  return typeof value === 'object' && value !== null && 'kind' in value;
}
