import type { ProfilePhotos } from '../sources/profile-photos';
import type { ContactKindTypes, OpOf } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import { PHOTO_PENDING } from './photo-pending';
import type { PhotoStep } from './photo-step';
import type { WorkingMap } from './working-map';

type ContactOp = OpOf<ContactKindTypes>;

/** Directory users' profile photos on the contacts made from them (source keys `user:<id>`). */
export class ContactPhotoStep implements PhotoStep<ContactKindTypes> {
  constructor(private readonly photos: ProfilePhotos) {}

  /** Creates and updates that carry a new photo, and items a crash left "photo pending". */
  select(ops: readonly ContactOp[], map: WorkingMap): Set<ContactOp> {
    const pending = new Set(
      map
        .live()
        .filter((e) => e.contentHash === PHOTO_PENDING)
        .map((e) => e.itemId),
    );
    return new Set(
      ops.filter(
        (op) =>
          op.kind !== 'delete' &&
          op.sourceKey.startsWith(USER_KEY) &&
          ((typeof op.plan.patch.photoHash === 'string' && op.plan.patch.photoHash !== '') ||
            (op.kind === 'update' && pending.has(op.itemId) && !!op.desired.photoHash)),
      ),
    );
  }

  async upload(
    job: MailboxJob<ContactKindTypes>,
    itemId: string,
    sourceKey: string,
  ): Promise<'done' | 'gone'> {
    if (!job.session.photos) return 'done';
    const bytes = await this.photos.bytes(job.mailbox.tenant, sourceKey.slice(USER_KEY.length));
    if (!bytes) return 'done'; // the photo went away since the plan: nothing to upload
    return job.session.photos.put(itemId, bytes);
  }
}

const USER_KEY = 'user:';
