import type { Contact, DesiredItem } from '@app/domain';
import type { LogStore, SnapshotItem } from '@app/logstore';

/** A snapshot item as the engine's desired item of one kind. */
export type SnapshotItemReader<T> = (item: SnapshotItem) => DesiredItem<T>;

/** Contacts carry the keys of the records merged into them (a re-keyed item is found by them). */
export const contactSnapshotItem: SnapshotItemReader<Contact> = (item) => {
  const contact = item.content as Contact;
  return {
    sourceKey: item.sourceKey,
    contentHash: item.contentHash,
    value: contact,
    alternateKeys: (contact.mergedKeys ?? []).filter((k) => k !== item.sourceKey),
  };
};

/**
 * A run's desired items, read once per worker process rather than once per mailbox: every
 * mailbox job of a run asks for the same snapshot.
 */
export class SnapshotCache<T = Contact> {
  private readonly entries = new Map<string, Promise<DesiredItem<T>[] | undefined>>();

  constructor(
    private readonly logStore: LogStore,
    private readonly toItem: SnapshotItemReader<T> = contactSnapshotItem as SnapshotItemReader<never>,
    private readonly capacity = 8,
  ) {}

  get(tenantId: string, key: string, runId: string): Promise<DesiredItem<T>[] | undefined> {
    const cacheKey = `${tenantId}/${key}/${runId}`;
    let found = this.entries.get(cacheKey);
    if (!found) {
      found = this.load(tenantId, key, runId);
      this.entries.set(cacheKey, found);
      found.catch(() => this.entries.delete(cacheKey));
      while (this.entries.size > this.capacity)
        this.entries.delete(this.entries.keys().next().value!);
    }
    return found;
  }

  private async load(
    tenantId: string,
    key: string,
    runId: string,
  ): Promise<DesiredItem<T>[] | undefined> {
    const snapshot = await this.logStore.getSnapshot(tenantId, key);
    // A snapshot of another run means this job's run was superseded: it must not act on it.
    if (!snapshot || snapshot.runId !== runId) return undefined;
    return snapshot.items.map(this.toItem);
  }
}
