import { LogStoreError } from './log-store-error';
import type { LogStoreOptions } from './log-store-options';
import type { ResolvedLogStoreOptions } from './resolved-log-store-options';
import { systemClock } from './system-clock';

/** Validates options once, so the adapters can trust them. */
export function resolveLogStoreOptions(options: LogStoreOptions): ResolvedLogStoreOptions {
  const { retentionDays, mapChunkSize = 1000, snapshotPartSize = 500 } = options;
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 30) {
    throw new LogStoreError(
      'INVALID_ARGUMENT',
      'retentionDays must be a whole number from 1 to 30',
    );
  }
  // 10,000 entries of ~300 bytes stay far below MongoDB's 16 MB document limit.
  if (!Number.isInteger(mapChunkSize) || mapChunkSize < 1 || mapChunkSize > 10_000) {
    throw new LogStoreError(
      'INVALID_ARGUMENT',
      'mapChunkSize must be a whole number from 1 to 10000',
    );
  }
  if (!Number.isInteger(snapshotPartSize) || snapshotPartSize < 1 || snapshotPartSize > 5_000) {
    throw new LogStoreError(
      'INVALID_ARGUMENT',
      'snapshotPartSize must be a whole number from 1 to 5000',
    );
  }
  return {
    retentionDays,
    retentionMs: retentionDays * 86_400_000,
    touchPrecisionMs: (retentionDays * 86_400_000) / 30,
    clock: options.clock ?? systemClock,
    mapChunkSize,
    snapshotPartSize,
  };
}
