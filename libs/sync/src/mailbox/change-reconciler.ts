import type { ChangeSet, StoredItem } from '@app/domain';
import { MailboxSyncError } from './mailbox-sync.error';
import type { ItemKindTypes, StrategyOf } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import { WorkingMap } from './working-map';

/**
 * Brings a mailbox's map (which item ids are ours, with what hash and version) up to date with
 * the mailbox: from the change feed since the last sync when there is a map and a token, by
 * listing our tagged items when either is gone. Items the feed reports that the map does not
 * know are read: a user's own item is left alone, ours whose create response was lost is found
 * by its tags.
 */
export class ChangeReconciler<K extends ItemKindTypes> {
  constructor(private readonly kind: StrategyOf<K>) {}

  async reconcile(
    job: MailboxJob<K>,
    containerId: string,
    map: WorkingMap,
    currents: Map<string, K['current']>,
    /** The changes since `state.deltaLink`, when the caller has read them already. */
    known?: ChangeSet | 'expired',
  ): Promise<{ tokenBeforeWrites: string; adopted: number }> {
    const { session, payload } = job;
    const token = job.state.deltaLink;
    if (token && map.size > 0) {
      const changes = known ?? (await session.readChanges(containerId, token));
      if (changes !== 'expired') {
        const toRead: string[] = [];
        for (const change of changes.changes) {
          const entry = map.get(change.id);
          if (change.removed) {
            if (entry) map.markUserDeleted(change.id);
          } else if (
            !entry ||
            entry.userDeleted ||
            !entry.changeKey ||
            entry.changeKey !== change.changeKey
          ) {
            // Unknown id: a user's own item, or ours whose create response was lost.
            // Known id with another change key: the user edited our item.
            toRead.push(change.id);
          }
        }
        const adopted = await this.absorb(job, toRead, map, currents);
        return { tokenBeforeWrites: changes.token, adopted };
      }
    }
    // Rebuild: take the token first, so anything changing while we list is replayed next time.
    const fresh = await session.readChanges(containerId, undefined);
    if (fresh === 'expired' && session.changeTracking === 'feed')
      throw new MailboxSyncError('CHANGE_FEED_BROKEN', 'a new change query cannot be expired');
    const deleted = map.entries().filter((e) => e.userDeleted);
    const rebuilt = new WorkingMap(deleted);
    for await (const page of session.listTagged(containerId, payload.listId)) {
      for (const item of page) this.remember(rebuilt, item, payload.listId);
    }
    for (const entry of rebuilt.live()) rebuilt.forgetDeletion(entry.sourceKey);
    // Items missing from the map we had are adopted. An empty map counts as had only when the
    // last saved progress said the mailbox held none of ours (else the map was lost, and every
    // item would look new).
    const hadMap = map.size > 0 || (!!token && (job.state.itemCount ?? 0) === 0);
    // A key the map held under another id is the same item under the other transport's id (a
    // mailbox that moved between Graph and EWS: their ids differ, ADR 0045), not a lost create.
    const hadKeys = new Set(map.live().map((e) => e.sourceKey));
    const adopted = hadMap
      ? rebuilt.live().filter((e) => map.get(e.itemId) === undefined && !hadKeys.has(e.sourceKey))
          .length
      : 0;
    map.replaceWith(rebuilt);
    return { tokenBeforeWrites: fresh === 'expired' ? '' : fresh.token, adopted };
  }

  /**
   * After our writes the token is moved past them, so the next sync with nothing to do costs
   * one request. If someone else changed the container meanwhile, we keep the earlier token:
   * the next sync then sees their change (and replays ours, harmlessly).
   */
  async advance(
    job: MailboxJob<K>,
    containerId: string,
    token: string,
    map: WorkingMap,
  ): Promise<string> {
    if (!token) return token;
    const changes = await job.session.readChanges(containerId, token);
    if (changes === 'expired') return token;
    const foreign = changes.changes.some((change) => {
      const entry = map.get(change.id);
      if (change.removed) return entry !== undefined && !entry.userDeleted;
      return !entry || entry.changeKey !== change.changeKey;
    });
    return foreign ? token : changes.token;
  }

  /**
   * Reads the given items and records those that are ours; user-owned items are left alone.
   * Answers how many of ours the map did not know: created by an attempt that never recorded
   * its results (killed, or its response lost), so no run has counted them yet.
   */
  private async absorb(
    job: MailboxJob<K>,
    ids: string[],
    map: WorkingMap,
    currents: Map<string, K['current']>,
  ): Promise<number> {
    if (ids.length === 0) return 0;
    let adopted = 0;
    const items = await job.session.readItems(ids, { withValues: true });
    for (const [id, item] of items) {
      if (item === null) {
        if (map.get(id)) map.markUserDeleted(id);
        continue;
      }
      const known = map.get(id) !== undefined;
      if (!this.remember(map, item, job.payload.listId)) continue;
      if (!known) adopted++;
      currents.set(id, this.kind.currentOf(item));
    }
    return adopted;
  }

  /** Records an item of the list in the map; false when the item is not ours. */
  remember(map: WorkingMap, item: StoredItem<K['values']>, listId: string): boolean {
    if (item.listId !== listId || !item.sourceKey) return false;
    map.set({
      itemId: item.itemId,
      sourceKey: item.sourceKey,
      contentHash: item.contentHash ?? '',
      changeKey: item.changeKey,
      notesHash: this.kind.mapHashOf(item.fieldHashes),
    });
    map.forgetDeletion(item.sourceKey);
    return true;
  }
}
