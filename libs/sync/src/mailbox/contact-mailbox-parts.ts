import {
  contactItemKind,
  type ContactPatch,
  type MailboxContactValues,
  type MailboxItemStore,
} from '@app/domain';
import type { ContactListRepository } from '@app/persistence';
import { parseContactListSettings } from '../settings/contact-list-settings';
import { snapshotKey } from '../runs/snapshot-key';
import type { ProfilePhotos } from '../sources/profile-photos';
import { ContactPhotoStep } from './contact-photo-step';
import type { ContactKindTypes } from './item-kind-types';
import type { SnapshotCache } from './snapshot-cache';
import type { SyncMailboxParts } from './sync-mailbox.use-case';

/** Contact lists as the engine's item kind, over the given transport's contacts store. */
export function contactMailboxParts(
  store: MailboxItemStore<ContactPatch, MailboxContactValues>,
  lists: ContactListRepository,
  snapshots: SnapshotCache,
  photos: ProfilePhotos,
): SyncMailboxParts<ContactKindTypes> {
  return {
    kind: contactItemKind,
    store,
    desired: (payload) =>
      snapshots.get(
        payload.tenantId,
        snapshotKey(payload.listId, payload.runId, payload.mode),
        payload.runId,
      ),
    readList: async (tenantId, listId) => {
      const list = await lists.findInTenant(tenantId, listId);
      return list
        ? {
            settingsJson: list.settings,
            settings: parseContactListSettings(JSON.parse(list.settings)),
          }
        : null;
    },
    photos: new ContactPhotoStep(photos),
  };
}
