import { randomUUID } from 'node:crypto';
import { In, Like, Not, type DataSource } from 'typeorm';
import { ContactListEntity } from '../entities/contact-list.entity';
import { ListEntryEntity } from '../entities/list-entry.entity';
import type { RowCipher } from '../encryption/row-cipher';
import { withTransaction } from '../with-transaction';

/** An entry to stage: its data is sealed by the repository, bound to tenant, table and row. */
interface EntryToStage {
  sourceKey: string;
  emailBlindIndex: string | null;
  /** The entry's fields as JSON: stored only encrypted. */
  data: string;
}

/**
 * Manual and CSV entries of a list, in generations: an import stages a new generation beside
 * the current one and switches the list to it at once. Entry data is sealed with the row cipher
 * and opened here. Each write is its own short transaction (SQLite has one writer), so these
 * methods are not for use inside a unit of work.
 */
export class ListEntryRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: RowCipher,
  ) {}

  /** The entries of the list's current generation, by source key, each with its decrypted data. */
  async currentEntries(
    tenantId: string,
    listId: string,
  ): Promise<{ sourceKey: string; data: Record<string, unknown> }[]> {
    const list = await this.dataSource
      .getRepository(ContactListEntity)
      .findOne({ select: { id: true, entryGeneration: true }, where: { id: listId, tenantId } });
    if (!list) return [];
    const entries = await this.dataSource.getRepository(ListEntryEntity).find({
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

  /** Inserts entries into `generation` in one transaction, each sealed first. */
  async stage(
    tenantId: string,
    listId: string,
    generation: string,
    entries: readonly EntryToStage[],
    at: Date,
  ): Promise<void> {
    const batch = entries.map((entry) => {
      const row = Object.assign(new ListEntryEntity(), {
        id: randomUUID(),
        tenantId,
        listId,
        generation,
        sourceKey: entry.sourceKey,
        emailBlindIndex: entry.emailBlindIndex,
        createdAt: at,
        updatedAt: at,
      });
      this.rows.seal(ListEntryEntity, row, 'dataEncrypted', entry.data);
      return row;
    });
    await withTransaction(this.dataSource, (manager) =>
      manager.getRepository(ListEntryEntity).insert(batch),
    );
  }

  /**
   * Switches the list to `generation` when exactly `expected` rows are staged in it (another
   * import may have cleared the staging meanwhile: never switch to a partial set). Returns the
   * rows of the generation it replaced, or the staged count when it did not switch.
   */
  async switchGeneration(
    tenantId: string,
    listId: string,
    generation: string,
    expected: number,
  ): Promise<{ switched: true; replaced: number } | { switched: false; staged: number }> {
    return withTransaction(this.dataSource, async (manager) => {
      const entries = manager.getRepository(ListEntryEntity);
      const lists = manager.getRepository(ContactListEntity);
      const list = await lists.findOneOrFail({ where: { id: listId, tenantId } });
      const staged = await entries.count({ where: { tenantId, listId, generation } });
      if (staged !== expected) return { switched: false as const, staged };
      const replaced = await entries.count({
        where: { tenantId, listId, generation: list.entryGeneration },
      });
      await lists.update({ id: listId, tenantId }, { entryGeneration: generation });
      return { switched: true as const, replaced };
    });
  }

  /**
   * Deletes up to `limit` entries of the list in `generation` (or in every generation but it,
   * with `except`), in one short transaction. Returns how many it deleted: 0 when none are left.
   */
  async deleteSome(
    tenantId: string,
    listId: string,
    generation: { only: string } | { except: string },
    limit: number,
  ): Promise<number> {
    const where = {
      tenantId,
      listId,
      generation: 'only' in generation ? generation.only : Not(generation.except),
    };
    const ids = (
      await this.dataSource
        .getRepository(ListEntryEntity)
        .find({ select: { id: true }, where, take: limit })
    ).map((e) => e.id);
    if (ids.length === 0) return 0;
    await withTransaction(this.dataSource, (manager) =>
      manager.getRepository(ListEntryEntity).delete({ id: In(ids) }),
    );
    return ids.length;
  }

  /** Up to `limit` entries whose source key starts with `prefix` (keys only), of any tenant. */
  async withSourceKeyPrefix(
    prefix: string,
    limit: number,
  ): Promise<Pick<ListEntryEntity, 'id' | 'tenantId' | 'sourceKey'>[]> {
    return this.dataSource.getRepository(ListEntryEntity).find({
      select: { id: true, tenantId: true, sourceKey: true },
      where: { sourceKey: Like(`${prefix}%`) },
      take: limit,
    });
  }

  /** Rewrites source keys in one transaction; a row whose key changed meanwhile is left alone. */
  async rewriteSourceKeys(
    changes: readonly { id: string; from: string; to: string }[],
  ): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      for (const change of changes)
        await manager
          .getRepository(ListEntryEntity)
          .update({ id: change.id, sourceKey: change.from }, { sourceKey: change.to });
    });
  }
}
