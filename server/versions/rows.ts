import { buffer } from '../storage/bytes.ts';
import { isVersionReason, type VersionAuthor, type VersionRecord } from './types.ts';

/**
 * The rows of the `versions` table and their records, the same on SQLite (sqlite.ts) and on
 * PostgreSQL (server/storage/postgres/versions.ts): both stores read and write them here.
 */

/** A row of a version list: the columns without the state, and the state's size. */
export interface VersionRow {
  id: string;
  flashbook_id: string;
  created_at: number;
  reason: string;
  name: string | null;
  authors: string;
  bytes: number;
}

export function toVersion(r: VersionRow): VersionRecord {
  const record: VersionRecord = {
    id: r.id,
    flashbookId: r.flashbook_id,
    createdAt: r.created_at,
    reason: isVersionReason(r.reason) ? r.reason : 'automatic',
    authors: parseAuthors(r.authors),
    bytes: r.bytes,
  };
  if (r.name !== null) record.name = r.name;
  return record;
}

/** The columns of a new `versions` row, in the order of versionValues. */
export const VERSION_COLUMNS = 'id, flashbook_id, created_at, reason, name, authors, state';

/** A version's values for an INSERT of VERSION_COLUMNS. */
export const versionValues = (record: VersionRecord, state: Uint8Array): unknown[] => [
  record.id,
  record.flashbookId,
  record.createdAt,
  record.reason,
  record.name ?? null,
  JSON.stringify(record.authors),
  buffer(state),
];

/** The authors column: what is not a list of {name, library} reads as no authors. */
function parseAuthors(json: string): VersionAuthor[] {
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return [];
    return value.filter(
      (a): a is VersionAuthor =>
        typeof a === 'object' &&
        a !== null &&
        typeof (a as VersionAuthor).name === 'string' &&
        typeof (a as VersionAuthor).library === 'string',
    );
  } catch {
    return [];
  }
}
