import type { ItemKindTypes, OpOf } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import type { WorkingMap } from './working-map';

/**
 * An item kind's photos, where its port can store them: which ops carry a photo, and the
 * upload. A created item is tagged "photo pending" until its photo is up (see PHOTO_PENDING).
 */
export interface PhotoStep<K extends ItemKindTypes> {
  select(ops: readonly OpOf<K>[], map: WorkingMap): Set<OpOf<K>>;
  upload(job: MailboxJob<K>, itemId: string, sourceKey: string): Promise<'done' | 'gone'>;
}
