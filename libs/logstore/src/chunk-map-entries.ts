import { LogStoreError } from './log-store-error';
import type { MapEntry } from './map-entry';
import type { MapEntrySource } from './map-entry-source';

/**
 * Regroups entries or batches of any size into chunks of at most `size`, pulling from the
 * source only as chunks are consumed, so at most one chunk (plus one batch) is held at once.
 */
export async function* chunkMapEntries(
  source: MapEntrySource,
  size: number,
): AsyncGenerator<MapEntry[]> {
  let chunk: MapEntry[] = [];
  for await (const item of source as AsyncIterable<MapEntry | readonly MapEntry[]>) {
    const batch: readonly MapEntry[] = Array.isArray(item) ? item : [item as MapEntry];
    for (const entry of batch) {
      if (
        !entry ||
        typeof entry.sourceKey !== 'string' ||
        typeof entry.itemId !== 'string' ||
        typeof entry.contentHash !== 'string'
      ) {
        throw new LogStoreError(
          'INVALID_ARGUMENT',
          'map entries need string sourceKey, itemId and contentHash',
        );
      }
      chunk.push(entry);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}
