import type { RowCipher } from '@app/persistence';
import { ContactListEntity, ListEntryEntity } from '@app/persistence';
import type { SourceRecords } from '@app/domain';
import type { DirectoryReader, DirectoryRecord, TenantRef } from '@app/microsoft';
import type { DataSource } from 'typeorm';
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
    private readonly dataSource: DataSource,
    private readonly rows: RowCipher,
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

  /** Manual and CSV entries: decrypted here, where the row (and so the AAD) is known. */
  private async manualEntries(
    tenantId: string,
    listId: string,
  ): Promise<Record<string, unknown>[]> {
    // Only the current generation: an import in progress stages rows beside it.
    const list = await this.dataSource
      .getRepository(ContactListEntity)
      .findOne({ select: { id: true, entryGeneration: true }, where: { id: listId, tenantId } });
    if (!list) return [];
    const entries = await this.dataSource.getRepository(ListEntryEntity).find({
      where: { tenantId, listId, generation: list.entryGeneration },
      order: { sourceKey: 'ASC' },
    });
    return entries.map((entry) => ({
      ...(JSON.parse(this.rows.open(ListEntryEntity, entry, 'dataEncrypted') ?? '{}') as Record<
        string,
        unknown
      >),
      id: entry.sourceKey,
    }));
  }
}
