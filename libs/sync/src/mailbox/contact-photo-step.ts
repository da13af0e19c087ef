import { photoContentTypeOf } from '@app/domain';
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

  /**
   * Updates whose patch clears the photo: the policy decided the photo we uploaded must go
   * (`computeContactPatch` sends `photoHash: null` only when it knows we put one there).
   */
  removals(ops: readonly ContactOp[]): Set<ContactOp> {
    return new Set(ops.filter((op) => op.kind === 'update' && op.plan.patch.photoHash === null));
  }

  async upload(
    job: MailboxJob<ContactKindTypes>,
    itemId: string,
    op: ContactOp,
  ): Promise<'done' | 'gone'> {
    if (!job.session.photos || op.kind === 'delete') return 'done';
    const bytes = await this.photos.bytes(
      job.mailbox.tenant,
      op.sourceKey.slice(USER_KEY.length),
      op.desired.photoHash,
    );
    if (!bytes) return 'done'; // the photo went away since the plan: nothing to upload
    // Sent as what the bytes are; bytes that are no image type a contact photo may be are not sent.
    const contentType = photoContentTypeOf(bytes);
    if (!contentType) return 'done';
    return job.session.photos.put(itemId, bytes, contentType);
  }
}

const USER_KEY = 'user:';
