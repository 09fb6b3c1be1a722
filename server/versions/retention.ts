import type { VersionReason } from './types.ts';

/**
 * Which versions to keep. Versions made for a reason in `keep` (by default every reason but
 * 'automatic') are kept for good. Automatic ones are thinned: all of those younger than
 * `keepAllMs` (a day), then the newest of each hour up to `hourlyMs` (a week), then the newest of
 * each day. Hours and days are UTC. Pure, so that the policy is tested as a table.
 */
export interface RetentionPolicy {
  keepAllMs: number;
  hourlyMs: number;
  keep: readonly VersionReason[];
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_RETENTION: RetentionPolicy = {
  keepAllMs: DAY_MS,
  hourlyMs: 7 * DAY_MS,
  keep: ['named', 'publish', 'approval', 'import', 'restore'],
};

export interface Dated {
  id: string;
  createdAt: number;
  reason: VersionReason;
}

/** The ids of versions the policy drops at time `now`. */
export function versionsToDrop(
  versions: readonly Dated[],
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): string[] {
  const thinned = versions
    .filter((v) => !policy.keep.includes(v.reason))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  const seen = new Set<string>();
  const drop: string[] = [];
  for (const v of thinned) {
    const age = now - v.createdAt;
    if (age < policy.keepAllMs) continue;
    const bucket =
      age < policy.hourlyMs
        ? `h${Math.floor(v.createdAt / HOUR_MS)}`
        : `d${Math.floor(v.createdAt / DAY_MS)}`;
    // Newest first: the first of a bucket is the one kept.
    if (seen.has(bucket)) drop.push(v.id);
    else seen.add(bucket);
  }
  return drop;
}
