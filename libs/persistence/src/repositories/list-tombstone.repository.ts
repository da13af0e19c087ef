import { In, type EntityManager } from 'typeorm';
import { ListTombstoneEntity, type ListTombstoneState } from '../entities/list-tombstone.entity';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import type { ListKind } from '../entities/target.entity';
import type { Page } from './page';

const UNFINISHED: ListTombstoneState[] = ['requested', 'cleaning'];

/** The mailboxes a deleted list still has to be cleaned from (its remaining mailbox states). */
export interface TombstoneMailboxes {
  remaining: number;
  failed: number;
}

/**
 * Tombstones of deleted lists, moved only by compare-and-set on their state (the job and the
 * sweep may advance one at once). Every query takes the tenant, except the worker's sweep.
 */
export class ListTombstoneRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Records a list's deletion (in the caller's transaction): its mailbox states stay as the
   * mailboxes to clean. A tombstone left by an earlier deletion of the same id is replaced.
   */
  async record(list: {
    tenantId: string;
    listId: string;
    listKind: ListKind;
    name: string;
  }): Promise<ListTombstoneEntity> {
    const rows = this.manager.getRepository(ListTombstoneEntity);
    const mailboxesTotal = await this.manager
      .getRepository(MailboxStateEntity)
      .count({ where: { tenantId: list.tenantId, listId: list.listId } });
    await rows.delete({ tenantId: list.tenantId, listId: list.listId });
    const tombstone = rows.create({
      ...list,
      state: 'requested',
      runId: null,
      mailboxesTotal,
      attempt: 1,
      requestedAt: new Date(),
      finishedAt: null,
      errorCode: null,
      errorMessage: null,
    });
    await rows.insert(tombstone);
    return tombstone;
  }

  async get(tenantId: string, listId: string): Promise<ListTombstoneEntity | null> {
    return this.manager.getRepository(ListTombstoneEntity).findOne({ where: { tenantId, listId } });
  }

  /** Newest first. */
  async page(tenantId: string, page: Page): Promise<[ListTombstoneEntity[], number]> {
    return this.manager.getRepository(ListTombstoneEntity).findAndCount({
      where: { tenantId },
      order: { requestedAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** Tombstones whose clean-up is requested or running, of every tenant (the worker's sweep). */
  async unfinished(): Promise<ListTombstoneEntity[]> {
    return this.manager
      .getRepository(ListTombstoneEntity)
      .find({ where: { state: In(UNFINISHED) }, order: { requestedAt: 'ASC' } });
  }

  /** The list ids of the tenant's tombstones not yet cleaned (a tenant clean-up takes them too). */
  async pendingListIds(tenantId: string): Promise<string[]> {
    const rows = await this.manager.getRepository(ListTombstoneEntity).find({
      where: { tenantId, state: In(['requested', 'cleaning', 'failed']) },
      select: { listId: true },
      order: { requestedAt: 'ASC' },
    });
    return rows.map((r) => r.listId);
  }

  /** requested → cleaning with its run; false when another worker moved it first. */
  async startCleaning(tenantId: string, listId: string, runId: string): Promise<boolean> {
    const result = await this.manager
      .getRepository(ListTombstoneEntity)
      .update(
        { tenantId, listId, state: 'requested' },
        { state: 'cleaning', runId, updatedAt: new Date() },
      );
    return !!result.affected;
  }

  /** cleaning → done, or failed with the reason; false when another worker moved it first. */
  async finish(
    tenantId: string,
    listId: string,
    outcome: { state: 'done' } | { state: 'failed'; code: string; message: string },
  ): Promise<boolean> {
    const now = new Date();
    const result = await this.manager.getRepository(ListTombstoneEntity).update(
      { tenantId, listId, state: 'cleaning' },
      {
        state: outcome.state,
        finishedAt: now,
        updatedAt: now,
        ...(outcome.state === 'failed'
          ? { errorCode: outcome.code, errorMessage: outcome.message.slice(0, 500) }
          : { errorCode: null, errorMessage: null }),
      },
    );
    return !!result.affected;
  }

  /** failed → requested (the next attempt); false when it was not failed. */
  async retry(tenantId: string, listId: string): Promise<boolean> {
    const rows = this.manager.getRepository(ListTombstoneEntity);
    const tombstone = await rows.findOne({ where: { tenantId, listId, state: 'failed' } });
    if (!tombstone) return false;
    const result = await rows.update(
      { tenantId, listId, state: 'failed', attempt: tombstone.attempt },
      {
        state: 'requested',
        runId: null,
        attempt: tombstone.attempt + 1,
        requestedAt: new Date(),
        finishedAt: null,
        errorCode: null,
        errorMessage: null,
        updatedAt: new Date(),
      },
    );
    return !!result.affected;
  }

  /** The mailboxes still to be cleaned (their states remain until their clean-up succeeded). */
  async mailboxes(tenantId: string, listId: string): Promise<TombstoneMailboxes> {
    const states = this.manager.getRepository(MailboxStateEntity);
    // One after the other: inside a transaction both would share one connection.
    const remaining = await states.count({ where: { tenantId, listId } });
    const failed = await states.count({ where: { tenantId, listId, status: 'failed' } });
    return { remaining, failed };
  }

  /** The tenant's tombstones (its revocation wipes them once every clean-up succeeded). */
  async deleteTenant(tenantId: string): Promise<number> {
    const result = await this.manager.getRepository(ListTombstoneEntity).delete({ tenantId });
    return result.affected ?? 0;
  }
}
