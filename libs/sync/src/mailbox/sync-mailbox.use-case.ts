import {
  mailboxFailureOf,
  type DesiredItem,
  type MailboxItemStore,
  type MailboxPurpose,
} from '@app/domain';
import type { LogStore } from '@app/logstore';
import { Logger } from '@nestjs/common';
import type {
  MailboxStateEntity,
  MailboxStateRepository,
  TenantEntity,
  TenantRepository,
} from '@app/persistence';
import type { SyncMailboxPayload } from '@app/queue';
import type { MailboxLease } from '../coordination/mailbox-lease';
import { RunCancellation } from '../runs/run-cancellation';
import { RunCancelledError } from '../runs/run-cancelled.error';
import type { RunLedger } from '../runs/run-ledger';
import { ChangeReconciler } from './change-reconciler';
import { ContainerPlacement } from './container-placement';
import type { ItemKindTypes, StrategyOf } from './item-kind-types';
import type { ListSyncSettings } from './list-sync-settings';
import { MailboxCleanupPass } from './mailbox-cleanup-pass';
import type { MailboxJob } from './mailbox-job';
import { MailboxOutcomeRecorder } from './mailbox-outcome-recorder';
import type { MailboxResult } from './mailbox-result';
import { MailboxSyncError } from './mailbox-sync.error';
import { MailboxSyncPass } from './mailbox-sync-pass';
import type { PhotoStep } from './photo-step';
import { previewOfCreates, previewOfMove } from './preview-sample';
import { RescheduleError } from './reschedule.error';
import { RunRowsCache } from './run-rows-cache';

/** A list as a mailbox job reads it: its stored settings (JSON) and those settings parsed. */
export interface ListForSync<TPolicy> {
  settingsJson: string;
  settings: ListSyncSettings<TPolicy>;
}

/** What one item kind over one transport brings to the engine. */
export interface SyncMailboxParts<K extends ItemKindTypes> {
  kind: StrategyOf<K>;
  store: MailboxItemStore<K['patch'], K['values']>;
  /** The list's desired items for the job's run (its snapshot); undefined: superseded. */
  desired(payload: SyncMailboxPayload): Promise<readonly DesiredItem<K['value']>[] | undefined>;
  /** The list of the job, in its tenant; null when deleted. */
  readList(tenantId: string, listId: string): Promise<ListForSync<K['policy']> | null>;
  photos?: PhotoStep<K>;
}

export interface SyncMailboxServices {
  tenants: TenantRepository;
  states: MailboxStateRepository;
  ledger: RunLedger;
  logStore: LogStore;
  lease: MailboxLease;
  options: { tenantMailboxLimit: number; lockRenewMs?: number };
}

const NO_COUNTS = { created: 0, updated: 0, deleted: 0 };
/** Mailbox failures a retry cannot fix: recorded at once, never retried in a loop. */
const FINAL_CODES = new Set([
  'CONSENT_REVOKED',
  'PERMISSION_MISSING',
  'MAILBOX_NOT_FOUND',
  'MAILBOX_ON_PREMISES',
  'MAILBOX_OUT_OF_SCOPE',
  'NOT_CONFIGURED',
  // EWS connection failures: the admin fixes the connection (a retry with a wrong password
  // would also lock the service account out).
  'EWS_SIGN_IN_FAILED',
  'EWS_IMPERSONATION_DENIED',
  'EWS_CERTIFICATE_UNTRUSTED',
  'EWS_HOST_UNREACHABLE',
  'EWS_ENDPOINT_NOT_FOUND',
  'EWS_HTTPS_REQUIRED',
]);

interface RunRows<TPolicy> {
  tenant: TenantEntity | null;
  list: ListForSync<TPolicy> | null;
}

/**
 * sync-mailbox: bring one mailbox in line with its list's snapshot, for any item kind over any
 * transport (through the mailbox port). Holds the fleet-wide lock of the mailbox and one of the
 * tenant's slots, checks the mailbox belongs to the tenant and list before any write, knows
 * what kind of mailbox it is, resolves the container, runs the sync (or clean-up) pass and
 * records the outcome once.
 */
export class SyncMailboxUseCase<K extends ItemKindTypes = ItemKindTypes> {
  private readonly logger = new Logger(SyncMailboxUseCase.name);
  private readonly recorder: MailboxOutcomeRecorder;
  private readonly syncPass: MailboxSyncPass<K>;
  private readonly cleanupPass: MailboxCleanupPass<K>;
  private readonly containers: ContainerPlacement<K>;
  private readonly runRows = new RunRowsCache<RunRows<K['policy']>>();
  private readonly cancellation: RunCancellation;

  constructor(
    private readonly parts: SyncMailboxParts<K>,
    private readonly services: SyncMailboxServices,
  ) {
    this.recorder = new MailboxOutcomeRecorder(services.ledger, services.states, services.logStore);
    this.syncPass = new MailboxSyncPass(
      parts.kind,
      new ChangeReconciler(parts.kind),
      services.logStore,
      this.recorder,
      parts.photos,
    );
    this.cleanupPass = new MailboxCleanupPass(parts.kind, services.logStore, this.recorder);
    this.containers = new ContainerPlacement(this.recorder, services.logStore);
    this.cancellation = new RunCancellation((runId) => services.ledger.statusOf(runId));
  }

  async execute(payload: SyncMailboxPayload, holder: string): Promise<MailboxResult | undefined> {
    const { lease, options } = this.services;
    const [{ tenant, list }, state] = await Promise.all([
      this.runRows.get(`${payload.tenantId}/${payload.listId}/${payload.runId}`, () =>
        this.readRunRows(payload),
      ),
      this.services.states.findForMailbox(payload),
    ]);
    // Checked before any write: the mailbox must belong to this tenant and list.
    if (!tenant || !state) return undefined;
    if (state.lastRunId === payload.runId) return undefined; // this run already counted it
    // A preview leaves the mailbox's state to the list's sync: its outcome row says it counted.
    if (
      payload.mode === 'dry_run' &&
      (await this.services.ledger.reported(payload.runId, payload.mailboxId))
    )
      return undefined;
    // A job of a cancelled run that had not started does nothing: the next run syncs the mailbox.
    if (await this.cancellation.isCancelled(payload.runId)) return undefined;
    if (tenant.status !== 'active') {
      const code =
        tenant.status === 'consent_revoked' || tenant.status === 'orphaned'
          ? 'CONSENT_REVOKED'
          : 'TENANT_INACTIVE';
      return this.recorder.record(payload, state, {
        outcome: 'failed',
        counts: NO_COUNTS,
        code,
        message: `the tenant is ${tenant.status}`,
      });
    }
    const mailbox = {
      tenant: { id: tenant.id, azureTenantId: tenant.azureTenantId },
      mailboxId: payload.mailboxId,
    };
    const job: MailboxJob<K> = {
      payload,
      mailbox,
      state,
      listSettingsJson: list?.settingsJson ?? null,
      settings: list?.settings,
      session: this.parts.store.open(mailbox),
      unsaved: {},
      savedCounts: { ...NO_COUNTS },
      cancelled: () => this.cancellation.isCancelled(payload.runId, { fresh: true }),
    };

    const held = await lease.acquire(
      payload.tenantId,
      payload.mailboxId,
      holder,
      options.tenantMailboxLimit,
    );
    if (held === 'tenant_full') {
      throw new RescheduleError(
        1_000 + Math.floor(Math.random() * 2_000),
        'the tenant has its maximum of mailboxes in progress',
      );
    }
    if (held === 'mailbox_busy') {
      throw new RescheduleError(
        2_000 + Math.floor(Math.random() * 2_000),
        'another job is writing to this mailbox',
      );
    }
    const renew = setInterval(() => {
      void lease.renew(payload.tenantId, payload.mailboxId, holder).catch(() => undefined);
    }, options.lockRenewMs ?? 10_000);
    try {
      const result = await this.run(job);
      return await this.recorder.record(
        payload,
        state,
        { ...result, requests: job.session.retries },
        job.unsaved,
        job.savedCounts,
      );
    } catch (error) {
      if (error instanceof RunCancelledError) {
        // What was written is in the map and counted in the cancelled run; the next run goes on.
        return await this.recorder.record(
          payload,
          state,
          { outcome: 'cancelled', counts: error.counts, code: error.code, message: error.message },
          {},
          job.savedCounts,
        );
      }
      const failure = mailboxFailureOf(error);
      if (failure?.code === 'THROTTLED') {
        throw new RescheduleError(Math.max(1_000, failure.retryAfterMs ?? 5_000), failure.message);
      }
      if (failure && FINAL_CODES.has(failure.code)) {
        if (failure.code === 'CONSENT_REVOKED')
          await this.services.tenants.markConsentRevoked(payload.tenantId);
        const outcome = failure.code === 'MAILBOX_ON_PREMISES' ? 'skipped' : 'failed';
        return await this.recorder.record(payload, state, {
          outcome,
          counts: NO_COUNTS,
          code: failure.code,
          message: failure.message,
        });
      }
      throw error;
    } finally {
      clearInterval(renew);
      // Given back before the job completes: a slot released late would turn the next job away.
      await lease.release(payload.tenantId, payload.mailboxId, holder).catch(() => undefined);
      // The session's connections (EWS: a keep-alive agent, a signed-in NTLM socket) go with
      // the job; a failure to close is logged, never the job's outcome.
      await job.session.close?.().catch((error: unknown) =>
        this.logger.warn(
          {
            tenantId: payload.tenantId,
            runId: payload.runId,
            mailboxId: payload.mailboxId,
            err: error,
          },
          'mailbox session not closed',
        ),
      );
    }
  }

  /** The job's last attempt failed: count the mailbox as failed with the reason. */
  async recordFailure(
    payload: SyncMailboxPayload,
    error: Error & { code?: string },
  ): Promise<void> {
    const state = await this.services.states.findForMailbox(payload);
    if (!state) return;
    await this.recorder.record(payload, state, {
      outcome: 'failed',
      counts: NO_COUNTS,
      code: error.code ?? 'SYNC_FAILED',
      message: error.message,
    });
  }

  private async readRunRows(payload: SyncMailboxPayload): Promise<RunRows<K['policy']>> {
    const [tenant, list] = await Promise.all([
      this.services.tenants.findById(payload.tenantId),
      this.parts.readList(payload.tenantId, payload.listId),
    ]);
    return { tenant, list };
  }

  private async run(job: MailboxJob<K>): Promise<MailboxResult> {
    const { payload, state } = job;
    // A clean-up, or a preview of an un-targeted mailbox: only our items there matter.
    const settings = payload.mode === 'cleanup' || payload.untargeted ? undefined : job.settings;
    // Nothing was ever written (no container known): nothing to clean, whatever the mailbox is.
    if (!settings && !state.folderId && !state.retiredFolderId) return this.cleanupPass.run(job);
    await this.knowMailboxKind(job);
    if (!settings) return this.cleanupPass.run(job);
    const excluded = this.excludedKind(state.mailboxKind, settings);
    if (excluded) {
      // The list was pushed here while the kind was included: our items go, then the mailbox
      // is skipped as any other of its kind (the folder is forgotten, so once is enough).
      if ((state.folderId || state.retiredFolderId) && payload.mode === 'sync') {
        const cleaned = await this.cleanupPass.run(job);
        if (cleaned.outcome !== 'succeeded') return cleaned;
        await this.recorder.saveState(state, {
          folderId: null,
          folderSpec: null,
          retiredFolderId: null,
          deltaLink: null,
          appliedFingerprint: null,
        });
        return { ...cleaned, outcome: 'skipped', code: excluded.code, message: excluded.message };
      }
      return { outcome: 'skipped', counts: NO_COUNTS, ...excluded };
    }
    const desired = await this.parts.desired(payload);
    if (!desired)
      return {
        outcome: 'skipped',
        counts: NO_COUNTS,
        code: 'RUN_SUPERSEDED',
        message: 'a newer run of the list replaced this one',
      };

    const placement = await this.containers.place(job);
    const { containerId } = placement;
    if (placement.movingFrom) return this.previewMove(job, desired, placement.movingFrom);
    if (!containerId) {
      const count = desired.length;
      // One entry per mailbox (written by the recorder), so the outcome's last message is the plan.
      return {
        outcome: 'succeeded',
        counts: { created: count, updated: 0, deleted: 0 },
        code: 'DRY_RUN_PLAN',
        message: `would create the folder; would change: ${count} created, 0 updated, 0 deleted`,
        preview: previewOfCreates(this.parts.kind, settings.policy, desired),
      };
    }
    let result: MailboxResult;
    try {
      result = await this.syncPass.run(job, desired, containerId);
    } catch (error) {
      // A container trusted without a look (checked earlier today) is gone: look again at once.
      if (placement.unchecked && mailboxFailureOf(error)?.code === 'CONTAINER_NOT_FOUND') {
        await this.containers.forgetCheck(job);
        throw new RescheduleError(
          1_000,
          'the list’s container was not found; it is looked for again',
        );
      }
      throw error;
    }
    if (placement.change === 'renamed' && payload.mode === 'dry_run')
      result.message = `would rename the folder to "${settings.folder.name}"; would change: ${result.counts.created} created, ${result.counts.updated} updated, ${result.counts.deleted} deleted`;
    // A folder change: our items are in the new container now, so they leave the old one.
    if (result.outcome !== 'succeeded' || payload.mode !== 'sync' || !state.retiredFolderId)
      return result;
    const retired = await this.containers.retire(job);
    if (!retired) return result;
    const counts = { ...result.counts, deleted: result.counts.deleted + retired.deleted };
    if (retired.failures.length > 0)
      return {
        outcome: 'failed',
        counts,
        code: 'CLEANUP_FAILED',
        message: `${retired.failures.length} deletes from the previous folder failed: ${retired.failures[0].error?.message}`,
      };
    return { ...result, counts };
  }

  /**
   * The preview of a folder mode change: Graph has no move for contacts, so every item is
   * created in the new place, then ours are deleted from the old one; the sample names both.
   */
  private async previewMove(
    job: MailboxJob<K>,
    desired: readonly DesiredItem<K['value']>[],
    from: string,
  ): Promise<MailboxResult> {
    const { listId } = job.payload;
    const old: Array<{ itemId: string; sourceKey: string }> = [];
    for await (const page of job.session.listTagged(from, listId))
      for (const item of page)
        if (item.listId === listId)
          old.push({ itemId: item.itemId, sourceKey: item.sourceKey ?? '' });
    const settings = job.settings!;
    const to =
      settings.folder.mode === 'dedicated'
        ? `the folder "${settings.folder.name}"`
        : 'the default Contacts folder';
    return {
      outcome: 'succeeded',
      counts: { created: desired.length, updated: 0, deleted: old.length },
      code: 'DRY_RUN_PLAN',
      message: `would move the list to ${to} (re-created there, then deleted from the old folder); would change: ${desired.length} created, 0 updated, ${old.length} deleted`,
      preview: await previewOfMove(this.parts.kind, job.session, settings.policy, desired, old),
    };
  }

  /** Why a mailbox of this kind does not receive the list, or undefined when it does. */
  private excludedKind(
    kind: string | null,
    settings: { includeSharedMailboxes: boolean; includeResourceMailboxes: boolean },
  ): { code: string; message: string } | undefined {
    if (kind === 'shared' && !settings.includeSharedMailboxes)
      return {
        code: 'SHARED_MAILBOX_EXCLUDED',
        message: 'shared mailbox; the list does not include shared mailboxes',
      };
    if ((kind === 'room' || kind === 'equipment') && !settings.includeResourceMailboxes)
      return {
        code: 'RESOURCE_MAILBOX',
        message: `${kind} mailbox; the list does not include room and equipment mailboxes`,
      };
    return undefined;
  }

  /**
   * What kind of mailbox this is, asked once: a mailbox the transport cannot reach is asked
   * again only after a day (it may have moved), so it does not cost a request every run.
   */
  private async knowMailboxKind(job: MailboxJob<K>): Promise<void> {
    const { state } = job;
    // A store that reaches on-premises mailboxes (through EWS) is asked again for them.
    const unreachable =
      (state.mailboxKind === 'on_premises' && !this.parts.store.reachesOnPremises) ||
      state.mailboxKind === 'none';
    if (
      unreachable &&
      state.mailboxKindCheckedAt &&
      Date.now() - state.mailboxKindCheckedAt.getTime() < 24 * 3600_000
    ) {
      const code = state.mailboxKind === 'none' ? 'MAILBOX_NOT_FOUND' : 'MAILBOX_ON_PREMISES';
      throw new MailboxSyncError(
        code,
        state.lastErrorMessage ??
          `mailbox ${job.payload.mailboxId} is not reachable through ${this.parts.store.transport}`,
      );
    }
    if (state.mailboxKind && state.mailboxKind !== 'on_premises' && !unreachable) return;
    let purpose: MailboxPurpose;
    try {
      purpose = await job.session.probe();
    } catch (error) {
      const failure = mailboxFailureOf(error);
      if (failure?.code === 'MAILBOX_ON_PREMISES' || failure?.code === 'MAILBOX_NOT_FOUND') {
        await this.recorder.saveState(state, {
          mailboxKind: failure.code === 'MAILBOX_ON_PREMISES' ? 'on_premises' : 'none',
          mailboxKindCheckedAt: new Date(),
          lastErrorMessage: failure.message,
        });
      }
      throw error;
    }
    await this.recorder.saveState(state, {
      mailboxKind: purpose as MailboxStateEntity['mailboxKind'],
      mailboxKindCheckedAt: new Date(),
    });
  }
}
