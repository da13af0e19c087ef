import {
  ListTombstoneRepository,
  SyncRunRepository,
  UnitOfWork,
  type ListTombstoneEntity,
  type ListTombstoneState,
} from '@app/persistence';
import { SyncQueues } from '@app/queue';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import type { PageInput } from './schemas';
import { Conflict, NotFound } from './validation';

/** A deleted list's clean-up as the admin sees it. */
export interface ListCleanupView {
  listId: string;
  name: string;
  /** requested (waiting for a sync run of the list to end), cleaning, failed (retry), done. */
  state: ListTombstoneState;
  attempt: number;
  requestedAt: Date;
  finishedAt: Date | null;
  /** The clean-up run of this attempt (its per-mailbox outcomes: GET /api/runs/:id). */
  runId: string | null;
  runStatus: string | null;
  /** Mailboxes the list had written to; `remaining` still hold (or may hold) our items. */
  mailboxes: { total: number; cleaned: number; remaining: number; failed: number };
  itemsDeleted: number;
  error: { code: string; message: string } | null;
}

/**
 * Deleted lists' clean-ups, the API side: reading progress only reads; a retry moves a failed
 * tombstone back to requested and wakes the worker, which does the rest (ListCleanupAdvancer).
 */
@Injectable()
export class ListCleanupsService {
  constructor(
    @Inject(ListTombstoneRepository) private readonly tombstones: ListTombstoneRepository,
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
  ) {}

  async list(
    tenantId: string,
    page: PageInput,
  ): Promise<{ items: ListCleanupView[]; total: number }> {
    const [rows, total] = await this.tombstones.page(tenantId, page);
    return { items: await Promise.all(rows.map((t) => this.view(t))), total };
  }

  async get(tenantId: string, listId: string): Promise<ListCleanupView> {
    const tombstone = await this.tombstones.get(tenantId, listId.toLowerCase());
    if (!tombstone) throw new NotFound('list clean-up');
    return this.view(tombstone);
  }

  /** Retries a failed clean-up (clean-up is idempotent: only our tagged items are deleted). */
  async retry(actor: Actor, listId: string): Promise<ListCleanupView> {
    const id = listId.toLowerCase();
    const tombstone = await this.tombstones.get(actor.tenantId, id);
    if (!tombstone) throw new NotFound('list clean-up');
    if (tombstone.state !== 'failed')
      throw new Conflict(`the clean-up is ${tombstone.state}; only a failed one can be retried`);
    await this.unitOfWork.run(async (tx) => {
      if (!(await tx.listTombstones.retry(actor.tenantId, id)))
        throw new Conflict('the clean-up is no longer failed');
      await tx.audit.record(
        actor,
        'list.cleanup_retry',
        { type: 'contact_list', id },
        { attempt: tombstone.attempt + 1 },
      );
    });
    await this.queues.advanceCleanupAfter({ tenantId: actor.tenantId, listId: id });
    return this.get(actor.tenantId, id);
  }

  private async view(t: ListTombstoneEntity): Promise<ListCleanupView> {
    const [run, mailboxes] = await Promise.all([
      t.runId ? this.runs.get(t.tenantId, t.runId) : null,
      this.tombstones.mailboxes(t.tenantId, t.listId),
    ]);
    return {
      listId: t.listId,
      name: t.name,
      state: t.state,
      attempt: t.attempt,
      requestedAt: t.requestedAt,
      finishedAt: t.finishedAt,
      runId: t.runId,
      runStatus: run?.status ?? null,
      mailboxes: {
        total: t.mailboxesTotal,
        cleaned: Math.max(0, t.mailboxesTotal - mailboxes.remaining),
        remaining: mailboxes.remaining,
        failed: mailboxes.failed,
      },
      itemsDeleted: run?.itemsDeleted ?? 0,
      error:
        t.state === 'failed' && t.errorCode
          ? { code: t.errorCode, message: t.errorMessage ?? '' }
          : null,
    };
  }
}
