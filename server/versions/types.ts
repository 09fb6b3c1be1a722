import type { MaybePromise } from '../storage/types.ts';

/**
 * Versions: full document states of a flashbook kept by the server (docs/server.md, "Versions").
 * A version is one `Y.encodeStateAsUpdate` of the room's document, so a fresh Y.Doc that applies
 * it shows the flashbook as it was; the live document keeps garbage collection on.
 */

/** Why a version was made. */
export const VERSION_REASONS = [
  'automatic',
  'named',
  'publish',
  'approval',
  'import',
  'restore',
] as const;
export type VersionReason = (typeof VERSION_REASONS)[number];

export function isVersionReason(value: unknown): value is VersionReason {
  return typeof value === 'string' && (VERSION_REASONS as readonly string[]).includes(value);
}

/** An editor connected while the flashbook changed (from the awareness of edit connections). */
export interface VersionAuthor {
  name: string;
  library: string;
}

export interface VersionRecord {
  id: string;
  flashbookId: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  reason: VersionReason;
  name?: string;
  /** Who edited since the previous version. */
  authors: VersionAuthor[];
  /** Size of the stored state. */
  bytes: number;
}

/** Where versions live. SQLite by default (sqlite.ts), next to the flashbooks' update log. */
export interface VersionStore {
  addVersion(record: VersionRecord, state: Uint8Array): MaybePromise<void>;
  /** Every version of a flashbook (without their states), newest first. */
  listVersions(flashbookId: string): MaybePromise<VersionRecord[]>;
  getVersionState(flashbookId: string, id: string): MaybePromise<Uint8Array | undefined>;
  deleteVersions(flashbookId: string, ids: readonly string[]): MaybePromise<void>;
  /** Bytes of all stored version states of a flashbook (they count towards its storage quota). */
  versionBytes(flashbookId: string): MaybePromise<number>;
  close(): MaybePromise<void>;
}
