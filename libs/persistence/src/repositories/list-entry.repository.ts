import { randomUUID } from 'node:crypto';
import { In, Like, Not, type DataSource, type EntityManager } from 'typeorm';
import { ContactListEntity } from '../entities/contact-list.entity';
import { ListEntryEntity } from '../entities/list-entry.entity';
import type { RowCipher } from '../encryption/row-cipher';
import { withTransaction } from '../with-transaction';
import type { Page } from './page';

/** A stored entry with its data opened. */
export interface OpenedEntry {
  id: string;
  sourceKey: string;
  emailBlindIndex: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

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
    mode: 'replace' | 'merge' = 'replace',
  ): Promise<
    { switched: true; replaced: number; kept: number } | { switched: false; staged: number }
  > {
    return withTransaction(this.dataSource, async (manager) => {
      const entries = manager.getRepository(ListEntryEntity);
      const lists = manager.getRepository(ContactListEntity);
      const list = await lists.findOneOrFail({ where: { id: listId, tenantId } });
      const staged = await entries.count({ where: { tenantId, listId, generation } });
      if (staged !== expected) return { switched: false as const, staged };
      let kept = 0;
      if (mode === 'merge' && list.entryGeneration !== generation) {
        // The current entries the file does not name move into the new generation, in this
        // transaction: an entry added or edited while the file was staged is kept, not lost.
        // Moved, not copied: a row's sealed data is bound to its id.
        const moved = await manager
          .createQueryBuilder()
          .update(ListEntryEntity)
          .set({ generation })
          .where('tenant_id = :tenantId AND list_id = :listId AND generation = :current', {
            tenantId,
            listId,
            current: list.entryGeneration,
          })
          .andWhere(
            'source_key NOT IN (SELECT staged.source_key FROM list_entry staged WHERE staged.list_id = :listId AND staged.generation = :generation)',
            { listId, generation },
          )
          .execute();
        kept = moved.affected ?? 0;
      }
      const replaced = await entries.count({
        where: { tenantId, listId, generation: list.entryGeneration },
      });
      await lists.update({ id: listId, tenantId }, { entryGeneration: generation });
      return { switched: true as const, replaced, kept };
    });
  }

  /**
   * A page of the list's current entries, oldest first, each opened; `emailBlindIndex` or
   * `sourceKey` narrow it to the entries with that blind index (a search without decrypting).
   */
  async pageCurrent(
    tenantId: string,
    listId: string,
    page: Page,
    where: { emailBlindIndex?: string; sourceKey?: string } = {},
  ): Promise<{ items: OpenedEntry[]; total: number }> {
    const generation = await this.generationOf(this.dataSource.manager, tenantId, listId);
    if (generation === undefined) return { items: [], total: 0 };
    const [rows, total] = await this.dataSource.getRepository(ListEntryEntity).findAndCount({
      where: { tenantId, listId, generation, ...where },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items: rows.map((row) => this.opened(row)), total };
  }

  /** One entry of the list's current generation, opened; null when none (or another tenant's). */
  async findCurrent(tenantId: string, listId: string, id: string): Promise<OpenedEntry | null> {
    const generation = await this.generationOf(this.dataSource.manager, tenantId, listId);
    if (generation === undefined) return null;
    const row = await this.dataSource
      .getRepository(ListEntryEntity)
      .findOne({ where: { id, tenantId, listId, generation } });
    return row ? this.opened(row) : null;
  }

  /**
   * Adds one entry to the list's current generation, in one transaction. `duplicate` when an
   * entry with its source key exists; `no_list` when the list is gone.
   */
  async addCurrent(
    tenantId: string,
    listId: string,
    entry: EntryToStage,
    at: Date,
  ): Promise<OpenedEntry | 'duplicate' | 'no_list'> {
    return withTransaction(this.dataSource, async (manager) => {
      const generation = await this.generationOf(manager, tenantId, listId);
      if (generation === undefined) return 'no_list' as const;
      const entries = manager.getRepository(ListEntryEntity);
      if (await entries.exists({ where: { listId, generation, sourceKey: entry.sourceKey } }))
        return 'duplicate' as const;
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
      await entries.insert(row);
      return this.opened(row);
    });
  }

  /**
   * Changes one entry of the current generation: `change` gets the opened entry and returns its
   * new data and e-mail index (or throws), all in one transaction. Null when there is no such entry.
   */
  async updateCurrent(
    tenantId: string,
    listId: string,
    id: string,
    change: (entry: OpenedEntry) => { data: string; emailBlindIndex: string | null },
    at: Date,
  ): Promise<OpenedEntry | null> {
    return withTransaction(this.dataSource, async (manager) => {
      const generation = await this.generationOf(manager, tenantId, listId);
      if (generation === undefined) return null;
      const entries = manager.getRepository(ListEntryEntity);
      const row = await entries.findOne({ where: { id, tenantId, listId, generation } });
      if (!row) return null;
      const next = change(this.opened(row));
      row.emailBlindIndex = next.emailBlindIndex;
      row.updatedAt = at;
      this.rows.seal(ListEntryEntity, row, 'dataEncrypted', next.data);
      await entries.update(
        { id: row.id, tenantId },
        {
          emailBlindIndex: row.emailBlindIndex,
          dataEncrypted: row.dataEncrypted,
          updatedAt: at,
        },
      );
      return this.opened(row);
    });
  }

  /** Deletes one entry of the current generation; false when there is no such entry. */
  async deleteCurrent(tenantId: string, listId: string, id: string): Promise<boolean> {
    return withTransaction(this.dataSource, async (manager) => {
      const generation = await this.generationOf(manager, tenantId, listId);
      if (generation === undefined) return false;
      const deleted = await manager
        .getRepository(ListEntryEntity)
        .delete({ id, tenantId, listId, generation });
      return (deleted.affected ?? 0) > 0;
    });
  }

  private async generationOf(
    manager: EntityManager,
    tenantId: string,
    listId: string,
  ): Promise<string | undefined> {
    const list = await manager
      .getRepository(ContactListEntity)
      .findOne({ select: { id: true, entryGeneration: true }, where: { id: listId, tenantId } });
    return list?.entryGeneration;
  }

  private opened(row: ListEntryEntity): OpenedEntry {
    return {
      id: row.id,
      sourceKey: row.sourceKey,
      emailBlindIndex: row.emailBlindIndex,
      data: JSON.parse(this.rows.open(ListEntryEntity, row, 'dataEncrypted') ?? '{}') as Record<
        string,
        unknown
      >,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
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
