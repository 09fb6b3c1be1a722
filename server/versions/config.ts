import { DEFAULT_RETENTION, type RetentionPolicy } from './retention.ts';
import { isVersionReason } from './types.ts';

export interface VersionsOptions {
  /** A room that changed gets an automatic version this long after its first change since the last version. */
  intervalMs: number;
  retention: RetentionPolicy;
}

/** An automatic version after each 10 minutes of editing. */
export const DEFAULT_VERSION_INTERVAL_MS = 10 * 60_000;

export interface VersionsConfigInput {
  intervalMs?: number;
  retention?: Partial<RetentionPolicy>;
}

export function resolveVersionsConfig(input: VersionsConfigInput = {}): VersionsOptions {
  const intervalMs = input.intervalMs ?? DEFAULT_VERSION_INTERVAL_MS;
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 1) {
    throw new Error('versions.intervalMs must be a positive integer');
  }
  const retention = { ...DEFAULT_RETENTION, ...input.retention };
  for (const [name, value] of [
    ['keepAllMs', retention.keepAllMs],
    ['hourlyMs', retention.hourlyMs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`versions.retention.${name} must be a non-negative integer`);
    }
  }
  if (!retention.keep.every(isVersionReason)) {
    throw new Error('versions.retention.keep must list version reasons');
  }
  return { intervalMs, retention };
}
