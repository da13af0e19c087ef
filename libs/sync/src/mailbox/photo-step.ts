import type { ItemKindTypes, OpOf } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import type { WorkingMap } from './working-map';

/**
 * An item kind's photos, where its port can store them: which ops carry a photo, which take
 * one away, and the upload. A created item is tagged "photo pending" until its photo is up
 * (see PHOTO_PENDING).
 */
export interface PhotoStep<K extends ItemKindTypes> {
  select(ops: readonly OpOf<K>[], map: WorkingMap): Set<OpOf<K>>;
  /** Updates that remove the item's photo (the source has none any more). */
  removals(ops: readonly OpOf<K>[]): Set<OpOf<K>>;
  /** Uploads the photo the op wants, sent as the type its bytes are. */
  upload(job: MailboxJob<K>, itemId: string, op: OpOf<K>): Promise<'done' | 'gone'>;
}
