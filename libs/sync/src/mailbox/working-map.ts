import type { MapEntry } from '@app/logstore';

/**
 * The mailbox map while a sync works on it: which item holds which source key, the hash and
 * change key of our last write, and the items the user deleted. Keyed by item id, since after
 * a crash two items can carry the same source key until the diff removes the extra one.
 */
export class WorkingMap {
  private readonly byItem = new Map<string, MapEntry>();

  constructor(entries: Iterable<MapEntry> = []) {
    for (const entry of entries) this.byItem.set(entry.itemId, { ...entry });
  }

  get(itemId: string): MapEntry | undefined {
    return this.byItem.get(itemId);
  }

  set(entry: MapEntry): void {
    this.byItem.set(entry.itemId, entry);
  }

  delete(itemId: string): void {
    this.byItem.delete(itemId);
  }

  /** The user deleted this item: remember its key, unless another live item of ours holds it. */
  markUserDeleted(itemId: string): void {
    const entry = this.byItem.get(itemId);
    if (!entry) return;
    this.byItem.delete(itemId);
    if (this.live().some((e) => e.sourceKey === entry.sourceKey)) return;
    this.byItem.set(itemId, { ...entry, userDeleted: true, changeKey: undefined });
  }

  live(): MapEntry[] {
    return [...this.byItem.values()].filter((e) => !e.userDeleted);
  }

  deletedByUser(): Set<string> {
    return new Set([...this.byItem.values()].filter((e) => e.userDeleted).map((e) => e.sourceKey));
  }

  /** Once we create the key again, the deletion mark goes. */
  forgetDeletion(sourceKey: string): void {
    for (const [itemId, entry] of this.byItem)
      if (entry.userDeleted && entry.sourceKey === sourceKey) this.byItem.delete(itemId);
  }

  entries(): MapEntry[] {
    return [...this.byItem.values()].sort((a, b) =>
      a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : a.itemId < b.itemId ? -1 : 1,
    );
  }

  /** Takes `source`'s entries in place of this map's own. */
  replaceWith(source: WorkingMap): void {
    this.byItem.clear();
    for (const entry of source.entries()) this.byItem.set(entry.itemId, entry);
  }

  get size(): number {
    return this.byItem.size;
  }
}
