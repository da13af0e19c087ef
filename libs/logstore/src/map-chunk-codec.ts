import type { MapEntry } from './map-entry';

type PackedEntry =
  | [string, string, string]
  | [string, string, string, string]
  | [string, string, string, string, 0 | 1]
  | [string, string, string, string, 0 | 1, string];

/**
 * Packs map entries as one JSON array of
 * [sourceKey, itemId, contentHash, changeKey?, deleted?, notesHash?] tuples: about a third of the size of an array of objects, and one field per chunk instead of
 * 3 x N. Ids, hashes and change keys only, so the chunk is stored in the clear.
 */
export const mapChunkCodec = {
  encode(entries: readonly MapEntry[]): string {
    return JSON.stringify(
      entries.map((e): PackedEntry => {
        const deleted = e.userDeleted ? 1 : 0;
        if (e.notesHash)
          return [e.sourceKey, e.itemId, e.contentHash, e.changeKey ?? '', deleted, e.notesHash];
        if (e.userDeleted) return [e.sourceKey, e.itemId, e.contentHash, e.changeKey ?? '', 1];
        if (e.changeKey) return [e.sourceKey, e.itemId, e.contentHash, e.changeKey];
        return [e.sourceKey, e.itemId, e.contentHash];
      }),
    );
  },
  decode(packed: string): MapEntry[] {
    const rows = JSON.parse(packed) as PackedEntry[];
    return rows.map(([sourceKey, itemId, contentHash, changeKey, deleted, notesHash]) => {
      const entry: MapEntry = { sourceKey, itemId, contentHash };
      if (changeKey) entry.changeKey = changeKey;
      if (deleted === 1) entry.userDeleted = true;
      if (notesHash) entry.notesHash = notesHash;
      return entry;
    });
  },
};
