import { DEFAULT_RETENTION, type RetentionPolicy } from './retention.ts';
import { isVersionReason } from './types.ts';

export interface VersionsOptions {
  /** A room that changed gets an automatic version this long after its first change since the last version. */
  intervalMs: number;
  retention: RetentionPolicy;
  /**
   * A flashbook's versions may take this many bytes in all (they count towards its storage like
   * its images and update log). Beyond it the oldest automatic versions make room; a version that
   * still does not fit is refused (413 `quota`). Default 256 MiB, env MAX_VERSION_BYTES_PER_FLASHBOOK.
   */
  maxBytesPerFlashbook: number;
}

/** An automatic version after each 10 minutes of editing. */
export const DEFAULT_VERSION_INTERVAL_MS = 10 * 60_000;

/** Room for about a hundred versions of a large (2 MB) flashbook. */
export const DEFAULT_VERSION_BYTES_PER_FLASHBOOK = 256 * 1024 * 1024;

export interface VersionsConfigInput {
  intervalMs?: number;
  maxBytesPerFlashbook?: number;
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
  const maxBytesPerFlashbook = input.maxBytesPerFlashbook ?? DEFAULT_VERSION_BYTES_PER_FLASHBOOK;
  if (!Number.isSafeInteger(maxBytesPerFlashbook) || maxBytesPerFlashbook < 1) {
    throw new Error('versions.maxBytesPerFlashbook must be a positive integer');
  }
  return { intervalMs, retention, maxBytesPerFlashbook };
}
