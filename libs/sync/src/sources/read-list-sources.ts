import type { ListEntryRepository } from '@app/persistence';
import type { SourceRecords } from '@app/domain';
import type { DirectoryReader, DirectoryRecord, TenantRef } from '@app/microsoft';
import type { ContactListSettings } from '../settings/contact-list-settings';

export interface ListSourceInput {
  tenant: TenantRef;
  listId: string;
  settings: ContactListSettings;
  users: ReadonlyMap<string, DirectoryRecord>;
  groupMembers: (groupId: string) => Promise<ReadonlySet<string>>;
}

/** The records of each of a list's sources, in the list's priority order. */
export class ListSourceReader {
  constructor(
    private readonly reader: DirectoryReader,
    private readonly entries: ListEntryRepository,
  ) {}

  async read(input: ListSourceInput): Promise<SourceRecords[]> {
    const result: SourceRecords[] = [];
    for (const source of input.settings.sources) {
      let records: readonly Readonly<Record<string, unknown>>[];
      switch (source.kind) {
        case 'directory':
          records = [...input.users.values()];
          break;
        case 'group': {
          const members = await input.groupMembers(source.groupId!);
          records = [...members]
            .map((id) => input.users.get(id))
            .filter((u): u is DirectoryRecord => u !== undefined);
          break;
        }
        case 'org-contact':
          records = await this.reader.orgContacts(input.tenant);
          break;
        case 'mailbox-folder':
          records = await this.reader.mailboxFolderContacts(
            input.tenant,
            source.mailboxId!,
            source.folderName,
          );
          break;
        case 'manual':
          records = await this.manualEntries(input.tenant.id, input.listId);
          break;
      }
      result.push({ source, records });
    }
    return result;
  }

  /** Manual and CSV entries of the list's current generation, decrypted by their repository. */
  private async manualEntries(
    tenantId: string,
    listId: string,
  ): Promise<Record<string, unknown>[]> {
    const entries = await this.entries.currentEntries(tenantId, listId);
    return entries.map((entry) => ({ ...entry.data, id: entry.sourceKey }));
  }
}
