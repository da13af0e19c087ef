import {
  buildDesiredContacts,
  contactPolicyFingerprint,
  groupIdsInFilterRules,
  type SourceRecords,
} from '@app/domain';
import type { TenantRef } from '@app/microsoft';
import type { ContactListEntity, ContactListRepository } from '@app/persistence';
import { parseContactListSettings } from '../settings/contact-list-settings';
import type { ProfilePhotos } from '../sources/profile-photos';
import type { ListSourceReader } from '../sources/read-list-sources';
import type { ListPlan, ListPlanContext, ListRunPlanner, PlannedList } from './list-run-planner';

/** Where plan-run puts a directory user's photo hash on the record, for the mapping to read. */
const PHOTO_HASH_ATTRIBUTE = '__photoHash';

/** Contact lists: directory, groups, a source mailbox's folder and entries, merged into contacts. */
export class ContactRunPlanner implements ListRunPlanner {
  readonly kind = 'contacts' as const;

  constructor(
    private readonly lists: ContactListRepository,
    private readonly sources: ListSourceReader,
    private readonly photos: ProfilePhotos,
  ) {}

  find(tenantId: string, listId: string): Promise<PlannedList | null> {
    return this.lists.findInTenant(tenantId, listId);
  }

  async plan(context: ListPlanContext): Promise<ListPlan> {
    const { tenant, list, users, groupMembers } = context;
    const settings = parseContactListSettings(JSON.parse(list.settings));
    let records = await this.sources.read({
      tenant,
      listId: list.id,
      settings,
      users,
      groupMembers,
    });
    if (settings.photos) records = await this.withPhotoHashes(tenant, records, context.changed);
    const filterGroups = new Map<string, ReadonlySet<string>>();
    for (const source of settings.sources) {
      for (const id of groupIdsInFilterRules(source.filter))
        filterGroups.set(id, await groupMembers(id));
    }
    // find() gave the contact list row itself.
    const { defaultRegion } = list as ContactListEntity;
    const desired = buildDesiredContacts({
      sources: records,
      defaultRegion,
      groupMembers: filterGroups,
      listCategories:
        settings.folder.mode === 'default' ? [settings.folder.category ?? list.name] : [],
      // A policy change re-reconciles every item once.
      hashSalt: contactPolicyFingerprint(settings.policy),
    });
    return {
      items: desired.items.map((item) => ({
        sourceKey: item.sourceKey,
        contentHash: item.contentHash,
        content: item.value,
      })),
      noun: 'contacts',
      reach: {
        shared: settings.includeSharedMailboxes,
        resources: settings.includeResourceMailboxes,
      },
    };
  }

  /**
   * Directory users' photos enter the contact as `photoHash` (the bytes are uploaded per mailbox
   * when the hash changes); read again only for users the directory reports as changed.
   */
  private async withPhotoHashes(
    tenant: TenantRef,
    records: SourceRecords[],
    changed: ReadonlySet<string> | 'all',
  ): Promise<SourceRecords[]> {
    const userSources = records.filter(
      (r) => r.source.kind === 'directory' || r.source.kind === 'group',
    );
    const ids = [
      ...new Set(userSources.flatMap((r) => r.records.map((record) => String(record.id)))),
    ];
    const hashes = await this.photos.hashes(tenant, ids, changed);
    return records.map((r) =>
      r.source.kind === 'directory' || r.source.kind === 'group'
        ? {
            source: {
              ...r.source,
              mapping: {
                ...r.source.mapping,
                fields: { ...r.source.mapping.fields, photoHash: PHOTO_HASH_ATTRIBUTE },
              },
            },
            records: r.records.map((record) => {
              const hash = hashes.get(String(record.id));
              return hash ? { ...record, [PHOTO_HASH_ATTRIBUTE]: hash } : record;
            }),
          }
        : r,
    );
  }
}
