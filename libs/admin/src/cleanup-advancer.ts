import { APP_CONFIG, type AppConfig } from '@app/config';
import { LOG_STORE, type LogStore } from '@app/logstore';
import {
  CalendarListRepository,
  ContactListRepository,
  ListTombstoneRepository,
  SyncRunRepository,
  TenantCleanupRepository,
  type ListKind,
  type SyncRunEntity,
  type TenantCleanupEntity,
  type TenantCleanupState,
} from '@app/persistence';
import { SyncQueues } from '@app/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertsService } from './alerts/alerts.service';
import { ListsOfKind } from './lists-of-kind';

/** A clean-up run of the attempt ended without success (failed, partial or cancelled). */
export const CLEANUP_RUN_FAILED = 'CLEANUP_RUN_FAILED';
/** The tenant was no longer active when the clean-up was to revoke (its consent vanished). */
export const CLEANUP_TENANT_NOT_ACTIVE = 'CLEANUP_TENANT_NOT_ACTIVE';

const ENDED_UNSUCCESSFULLY: readonly SyncRunEntity['status'][] = ['failed', 'partial', 'cancelled'];
// A run started this long before the request (clock skew between processes) is still its own.
const SKEW_MS = 1_000;

/**
 * The worker's side of "clean up and revoke": moves a tenant_cleanup row on, one compare-and-set
 * step at a time — requested (starts one clean-up run per list, waiting for an active sync run
 * of a list to end) → cleaning (waits for the runs) → wiping (logs, snapshots, maps, directory
 * and mailbox state, alert settings) → revoked (tenant suspended); failed with a code when a
 * run did not succeed. Idempotent: a job and the sweep may advance the same row at once.
 */
@Injectable()
export class CleanupAdvancer {
  private readonly logger = new Logger('TenantCleanup');
  private readonly lists: ListsOfKind;

  constructor(
    @Inject(TenantCleanupRepository) private readonly cleanups: TenantCleanupRepository,
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(ContactListRepository) contactLists: ContactListRepository,
    @Inject(CalendarListRepository) calendarLists: CalendarListRepository,
    @Inject(ListTombstoneRepository) private readonly tombstones: ListTombstoneRepository,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
    @Inject(LOG_STORE) private readonly logStore: LogStore,
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.lists = new ListsOfKind(contactLists, calendarLists);
  }

  /** Advances as far as it can now; the state it is left in (null: no clean-up). */
  async advance(tenantId: string): Promise<TenantCleanupState | null> {
    let cleanup = await this.cleanups.get(tenantId);
    while (cleanup && (await this.step(cleanup))) cleanup = await this.cleanups.get(tenantId);
    return cleanup?.state ?? null;
  }

  /** One step; true when the state moved (so the next one may follow at once). */
  private async step(cleanup: TenantCleanupEntity): Promise<boolean> {
    switch (cleanup.state) {
      case 'requested':
        return this.startRuns(cleanup);
      case 'cleaning':
        return this.checkRuns(cleanup);
      case 'wiping':
        return this.wipe(cleanup);
      default:
        return false;
    }
  }

  private async startRuns(cleanup: TenantCleanupEntity): Promise<boolean> {
    const { tenantId } = cleanup;
    const listIds = JSON.parse(cleanup.listIds) as string[];
    const runIds = JSON.parse(cleanup.runIds) as Record<string, string>;
    const before = cleanup.runIds;
    let waiting = false;
    for (const listId of listIds) {
      if (runIds[listId]) continue;
      // A deleted list is cleaned through its tombstone (its mailbox states outlive it) until
      // its own clean-up has succeeded; after that there is nothing left of it to clean.
      let listKind: ListKind;
      const list = await this.lists.findAny(tenantId, listId);
      if (list) listKind = list.kind;
      else {
        const tombstone = await this.tombstones.get(tenantId, listId);
        if (!tombstone || tombstone.state === 'done') continue;
        listKind = tombstone.listKind;
      }
      const { run, merged } = await this.runs.start({
        tenantId,
        listId,
        listKind,
        trigger: 'cleanup',
        mode: 'cleanup',
        deadlineAt: new Date(Date.now() + this.config.sync.runDeadlineMinutes * 60_000),
      });
      const ours =
        !merged ||
        (run.mode === 'cleanup' &&
          run.startedAt.getTime() >= cleanup.requestedAt.getTime() - SKEW_MS);
      // A sync run of the list is still active: its clean-up starts once it has ended.
      if (!ours) {
        waiting = true;
        continue;
      }
      runIds[listId] = run.id;
      if (!merged)
        await this.queues.triggerRun({
          tenantId,
          listId,
          ...(listKind === 'calendar' ? { listKind: 'calendar' as const } : {}),
          trigger: 'cleanup',
          mode: 'cleanup',
          runId: run.id,
        });
    }
    // Written only when a run was added: a clean-up waiting on a sync run changes no row.
    if (
      JSON.stringify(runIds) !== before &&
      !(await this.cleanups.setRuns(tenantId, 'requested', runIds))
    )
      return false;
    if (waiting) return false;
    return this.cleanups.transition(tenantId, 'requested', 'cleaning');
  }

  private async checkRuns(cleanup: TenantCleanupEntity): Promise<boolean> {
    const runs = await this.runsOf(cleanup);
    const failed = runs.find((r) => !r || ENDED_UNSUCCESSFULLY.includes(r.status));
    if (failed !== undefined)
      return this.cleanups.transition(cleanup.tenantId, 'cleaning', 'failed', {
        code: CLEANUP_RUN_FAILED,
        message: failed
          ? `the clean-up run ${failed.id} ended ${failed.status}${failed.errorCode ? ` (${failed.errorCode})` : ''}: fix the cause (e.g. consent again), then start the clean-up again`
          : 'a clean-up run of this attempt is gone: start the clean-up again',
      });
    if (runs.some((r) => r!.status !== 'succeeded')) return false;
    return this.cleanups.transition(cleanup.tenantId, 'cleaning', 'wiping');
  }

  private async wipe(cleanup: TenantCleanupEntity): Promise<boolean> {
    const { tenantId } = cleanup;
    const runs = await this.runsOf(cleanup);
    const itemsDeleted = runs.reduce((n, r) => n + (r?.itemsDeleted ?? 0), 0);
    const logs = await this.logStore.deleteTenant(tenantId);
    await this.alerts.deleteTenant(tenantId);
    const states = await this.cleanups.wipeState(tenantId);
    const wiped = { ...logs, ...states };
    if (await this.cleanups.revoke(cleanup, wiped, itemsDeleted)) {
      this.logger.log({ tenantId, wiped }, 'tenant cleaned up and revoked');
      return true;
    }
    // The consent vanished between the last run and now: a failure, not a revocation.
    return this.cleanups.transition(tenantId, 'wiping', 'failed', {
      code: CLEANUP_TENANT_NOT_ACTIVE,
      message: 'the tenant was no longer active when the clean-up was to revoke it (consent lost?)',
    });
  }

  /** The runs of the attempt, in list order; null for a run that is gone. */
  private async runsOf(cleanup: TenantCleanupEntity): Promise<Array<SyncRunEntity | null>> {
    const runIds = JSON.parse(cleanup.runIds) as Record<string, string>;
    return Promise.all(Object.values(runIds).map((id) => this.runs.get(cleanup.tenantId, id)));
  }
}
