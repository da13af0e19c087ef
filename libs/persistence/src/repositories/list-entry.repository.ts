import type { EntityManager } from 'typeorm';
import { ContactListEntity } from '../entities/contact-list.entity';
import { ListEntryEntity } from '../entities/list-entry.entity';
import type { RowCipher } from '../encryption/row-cipher';

/** Manual and CSV entries of a list; their data is sealed with the row cipher, opened here. */
export class ListEntryRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly rows: RowCipher,
  ) {}

  /**
   * The entries of the list's current generation (an import in progress stages rows beside
   * it), by source key, each with its decrypted data.
   */
  async currentEntries(
    tenantId: string,
    listId: string,
  ): Promise<{ sourceKey: string; data: Record<string, unknown> }[]> {
    const list = await this.manager
      .getRepository(ContactListEntity)
      .findOne({ select: { id: true, entryGeneration: true }, where: { id: listId, tenantId } });
    if (!list) return [];
    const entries = await this.manager.getRepository(ListEntryEntity).find({
      where: { tenantId, listId, generation: list.entryGeneration },
      order: { sourceKey: 'ASC' },
    });
    return entries.map((entry) => ({
      sourceKey: entry.sourceKey,
      data: JSON.parse(this.rows.open(ListEntryEntity, entry, 'dataEncrypted') ?? '{}') as Record<
        string,
        unknown
      >,
    }));
  }
}
