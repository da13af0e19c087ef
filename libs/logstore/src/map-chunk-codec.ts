import type { MapEntry } from './map-entry';

/**
 * Packs map entries as one JSON array of [sourceKey, itemId, contentHash] triples: about a
 * third of the size of an array of objects, and one field per chunk instead of 3 x N.
 * Ids and hashes only, so the chunk is stored in the clear.
 */
export const mapChunkCodec = {
  encode(entries: readonly MapEntry[]): string {
    return JSON.stringify(entries.map((e) => [e.sourceKey, e.itemId, e.contentHash]));
  },
  decode(packed: string): MapEntry[] {
    const rows = JSON.parse(packed) as [string, string, string][];
    return rows.map(([sourceKey, itemId, contentHash]) => ({ sourceKey, itemId, contentHash }));
  },
};
